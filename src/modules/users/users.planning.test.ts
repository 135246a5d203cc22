import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp } from '../../../test/helpers/test-app.ts'
import { fixedClock } from '../../clock.ts'

// The autumn term of 2026 is under way: it and the eleven terms after it can be marked.
const TODAY = '2026-11-23T10:00:00.000Z'

function summaryErrors(html: string): string[] {
  const summary = /govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? ''
  return [...summary.matchAll(/<a href="([^"]*)">([^<]*)<\/a>/g)].map((m) => `${m[1]} ${m[2]!.trim()}`)
}
const checkedValues = (html: string, name: string) =>
  [...html.matchAll(new RegExp(`<input[^>]*name="${name}"[^>]*>`, 'g'))].filter((m) => /\schecked/.test(m[0])).map((m) => /value="([^"]*)"/.exec(m[0])![1])
const inputValue = (html: string, name: string) => new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1]
/** The planning form's version: the second hidden version on the page, after the account form's. */
const planningVersion = (html: string) => /action="\/admin\/users\/\d+\/planning"[\s\S]*?name="version" value="(\d+)"/.exec(html)![1]!

for (const engine of testEngines()) {
  describe(`an inspector's planning details on their admin page, on ${engine.name}`, () => {
    const ctx = useTestApp(engine, { clock: fixedClock(TODAY) })

    it('shows an HMI’s Welsh, most ELVs in a term and the terms from the current one on; not for other roles', async () => {
      const { browser } = await ctx.signedIn('admin')
      const hmi = await ctx.make.user('hmi')
      const page = await browser.get(`/admin/users/${hmi.id}`)
      expect(page.statusCode).toBe(200)
      expect(page.body.match(/<h1[\s>]/g)).toHaveLength(1)
      expect(page.body).toContain('<h2 class="govuk-heading-m" id="planning">Planning</h2>')
      expect(page.body).toMatch(/<input class="govuk-checkboxes__input" id="welshSpeaker" name="welshSpeaker" type="checkbox" value="yes"[^>]*>\s*<label[^>]*>\s*Speaks Welsh/)
      expect(inputValue(page.body, 'maxElvsPerTerm')).toBe('1')
      const terms = [...page.body.matchAll(/name="unavailable" type="checkbox" value="([^"]+)"/g)].map((m) => m[1])
      expect(terms).toHaveLength(12)
      expect(terms[0]).toBe('2026-2027/autumn')
      expect(terms.at(-1)).toBe('2029-2030/summer')
      expect(page.body).toContain('Autumn term 2026 to 2027')
      expect(page.body).toMatch(/<label class="govuk-label" for="reason-2027-2028-spring">\s*Reason \(optional\)<span class="govuk-visually-hidden">: Spring term 2027 to 2028<\/span>/)

      const peer = await ctx.make.user('peer')
      expect((await browser.get(`/admin/users/${peer.id}`)).body).toContain('id="planning"')
      for (const role of ['la', 'reviewer', 'admin'] as const) {
        const other = await ctx.make.user(role)
        expect((await browser.get(`/admin/users/${other.id}`)).body).not.toContain('id="planning"')
      }
    })

    it('saves them, keeps the input with each problem named, and refuses a stale form', async () => {
      const { browser } = await ctx.signedIn('admin')
      const hmi = await ctx.make.user('hmi', { name: 'Rhian Inspector' })
      const url = `/admin/users/${hmi.id}`
      const version = planningVersion((await browser.get(url)).body)

      const bad = await browser.post(`${url}/planning`, {
        welshSpeaker: 'yes', maxElvsPerTerm: '9', unavailable: '2027-2028/spring', 'reason.2027-2028/spring': 'x'.repeat(201), version,
      }, { from: url })
      expect(bad.statusCode).toBe(400)
      expect(summaryErrors(bad.body)).toEqual([
        '#maxElvsPerTerm The most ELVs in a term must be a whole number from 0 to 6',
        '#reason-2027-2028-spring The reason must be 200 characters or fewer',
      ])
      expect(inputValue(bad.body, 'maxElvsPerTerm')).toBe('9')
      expect(checkedValues(bad.body, 'welshSpeaker')).toEqual(['yes'])
      expect(checkedValues(bad.body, 'unavailable')).toEqual(['2027-2028/spring'])

      const ok = await browser.post(`${url}/planning`, {
        welshSpeaker: 'yes', maxElvsPerTerm: '2', unavailable: '2027-2028/spring', 'reason.2027-2028/spring': 'Leading a core inspection', version,
      }, { from: url })
      expect(ok.statusCode).toBe(303)
      expect(ok.headers.location).toBe(url)
      const after = await browser.get(url)
      expect(after.body).toContain('Planning details of Rhian Inspector saved')
      expect(checkedValues(after.body, 'welshSpeaker')).toEqual(['yes'])
      expect(inputValue(after.body, 'maxElvsPerTerm')).toBe('2')
      expect(checkedValues(after.body, 'unavailable')).toEqual(['2027-2028/spring'])
      expect(inputValue(after.body, 'reason.2027-2028/spring')).toBe('Leading a core inspection')
      const planned = (await ctx.services.programme.current()).input.inspectors.find((i) => i.id === String(hmi.id))
      expect(planned).toMatchObject({ welsh: true, maxElvsPerTerm: 2, unavailable: ['2027-2028/spring'] })

      // An old form does not overwrite what was saved since: the saved values are shown again.
      const stale = await browser.post(`${url}/planning`, { maxElvsPerTerm: '1', version }, { from: url })
      expect(stale.statusCode).toBe(409)
      expect(summaryErrors(stale.body)).toHaveLength(1)
      expect(inputValue(stale.body, 'maxElvsPerTerm')).toBe('2')
      expect((await ctx.services.programme.inspectorFacts(hmi.id)).maxElvsPerTerm).toBe(2)
      // Unticking everything frees every term.
      expect((await browser.post(`${url}/planning`, { maxElvsPerTerm: '1', version: planningVersion(stale.body) }, { from: url })).statusCode).toBe(303)
      expect(await ctx.services.programme.inspectorFacts(hmi.id)).toMatchObject({ welshSpeaker: false, maxElvsPerTerm: 1 })
      expect((await ctx.services.programme.inspectorFacts(hmi.id)).terms.filter((t) => t.unavailable)).toEqual([])

      // The account form still saves: these details share its version.
      const page = await browser.get(url)
      const accountVersion = /name="version" value="(\d+)"/.exec(page.body)![1]!
      expect((await browser.post(url, { name: 'Rhian Inspector', role: 'hmi', authorityCode: '', version: accountVersion })).statusCode).toBe(303)
      const audited = await ctx.services.database.db.selectFrom('audit_event').select('action').where('entity_type', '=', 'user').where('entity_id', '=', String(hmi.id)).orderBy('id').execute()
      expect(audited.map((a) => a.action)).toEqual(['user.create', 'user.planning', 'user.planning', 'user.update'])
    })

    it('refuses the form to anyone but an administrator', async () => {
      const hmi = await ctx.make.user('hmi')
      const { browser } = await ctx.signedIn('hmi')
      const res = await browser.post(`/admin/users/${hmi.id}/planning`, { maxElvsPerTerm: '3', version: String(hmi.version) }, { from: '/' })
      expect(res.statusCode).toBe(403)
      expect((await ctx.services.programme.inspectorFacts(hmi.id)).maxElvsPerTerm).toBe(1)
    })
  })
}

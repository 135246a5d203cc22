import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp } from '../../../test/helpers/test-app.ts'
import { systemActor } from '../auth/actor.ts'
import type { Role } from '../../db/schema.ts'
import { DEFAULT_RULES } from './plan.types.ts'
import { rulesAsText } from './planning-rules.ts'

function summaryErrors(html: string): string[] {
  const summary = /govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? ''
  return [...summary.matchAll(/<a href="([^"]*)">([^<]*)<\/a>/g)].map((m) => `${m[1]} ${m[2]!.trim()}`)
}
const h1Count = (html: string) => (html.match(/<h1[\s>]/g) ?? []).length
const versionIn = (html: string) => /name="version" value="(\d+)"/.exec(html)![1]!
const inputValue = (html: string, name: string) => new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1]
const checkedValue = (html: string, name: string) =>
  [...html.matchAll(new RegExp(`<input[^>]*name="${name}"[^>]*>`, 'g'))].filter((m) => /\schecked/.test(m[0])).map((m) => /value="([^"]*)"/.exec(m[0])![1])
const defaultsForm = () => ({ ...rulesAsText(DEFAULT_RULES), leadIsLinkInspector: 'yes' })

for (const engine of testEngines()) {
  describe(`the planning rules page and API on ${engine.name}`, () => {
    const ctx = useTestApp(engine)
    const system = systemActor('test')
    const tokenOf = async (role: Role) => (await ctx.services.auth.createToken(system, (await ctx.make.user(role)).email)).token
    const call = (token: string, method: 'GET' | 'PUT', body?: unknown) => ctx.app.inject({
      method, url: '/api/v1/settings/planning', headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { payload: JSON.stringify(body) } : {}),
    })

    it('shows an administrator every rule, labelled and explained, with the defaults, linked from the admin index', async () => {
      const { browser } = await ctx.signedIn('admin')
      expect((await browser.get('/admin')).body).toMatch(/href="\/admin\/planning-rules">Planning rules<\/a>/)
      const page = await browser.get('/admin/planning-rules')
      expect(page.statusCode).toBe(200)
      expect(h1Count(page.body)).toBe(1)
      expect(page.body).toMatch(/<h1[^>]*>Planning rules<\/h1>/)
      for (const [name, label] of [
        ['elvsPerAuthority', 'ELVs for each authority in the cycle'], ['maxElvsPerTerm', 'Most ELVs in a term'],
        ['minTermsBetweenElvs', 'Fewest terms between an authority’s two ELVs'], ['minTermsFromCoreInspection', 'Terms kept clear either side of a core inspection'],
        ['teamSize', 'People on each ELV team'], ['maxPeersPerTeam', 'Most peer inspectors on a team'],
        ['welshSpeakersForWelshMedium', 'Welsh speakers on a Welsh-medium authority’s team'],
      ] as const) {
        expect(page.body).toMatch(new RegExp(`<label class="govuk-label govuk-label--s" for="${name}">\\s*${label}\\s*</label>`))
        expect(page.body).toContain(`id="${name}-hint"`)
        expect(inputValue(page.body, name)).toBe(String(DEFAULT_RULES[name]))
      }
      expect(page.body).toContain('A whole number from 1 to 44. The default is 4.')
      expect(page.body).toContain('Does the authority’s link inspector lead its ELV?')
      expect(checkedValue(page.body, 'leadIsLinkInspector')).toEqual(['yes'])

      await browser.get('/language/cy')
      const welsh = await browser.get('/admin/planning-rules')
      expect(welsh.body).toMatch(/<h1[^>]*>Rheolau cynllunio<\/h1>/)
    })

    it('saves the rules, keeps the input with each problem named, and refuses a stale form', async () => {
      const { browser } = await ctx.signedIn('admin')
      const version = versionIn((await browser.get('/admin/planning-rules')).body)
      const bad = await browser.post('/admin/planning-rules', { ...defaultsForm(), maxElvsPerTerm: 'lots', teamSize: '2', maxPeersPerTeam: '3', elvsPerAuthority: '', version })
      expect(bad.statusCode).toBe(400)
      expect(summaryErrors(bad.body)).toEqual([
        '#elvsPerAuthority Enter the number of ELVs for each authority',
        '#maxElvsPerTerm The most ELVs in a term must be a whole number from 1 to 44',
        '#maxPeersPerTeam The most peer inspectors on a team must not be more than the number of people on each team (2)',
      ])
      expect(inputValue(bad.body, 'maxElvsPerTerm')).toBe('lots')
      expect(inputValue(bad.body, 'teamSize')).toBe('2')
      expect(bad.body).toContain('govuk-input--error" id="maxElvsPerTerm"')

      const ok = await browser.post('/admin/planning-rules', { ...defaultsForm(), maxElvsPerTerm: '5', leadIsLinkInspector: 'no', version })
      expect(ok.statusCode).toBe(303)
      expect(ok.headers.location).toBe('/admin/planning-rules')
      const after = await browser.get('/admin/planning-rules')
      expect(after.body).toContain('Planning rules saved')
      expect(inputValue(after.body, 'maxElvsPerTerm')).toBe('5')
      expect(checkedValue(after.body, 'leadIsLinkInspector')).toEqual(['no'])
      expect((await ctx.services.programme.rules()).rules).toEqual({ ...DEFAULT_RULES, maxElvsPerTerm: 5, leadIsLinkInspector: false })

      // Someone else's save is not overwritten by an old form: theirs is shown, the admin's values kept.
      const stale = await browser.post('/admin/planning-rules', { ...defaultsForm(), maxElvsPerTerm: '3', version })
      expect(stale.statusCode).toBe(409)
      expect(stale.body).toContain('Someone else changed the planning rules after you opened this page')
      expect(stale.body).toMatch(/id="rules-in-force"[\s\S]*Most ELVs in a term[\s\S]*5/)
      expect(inputValue(stale.body, 'maxElvsPerTerm')).toBe('3')
      expect((await ctx.services.programme.rules()).rules.maxElvsPerTerm).toBe(5)
      expect((await browser.post('/admin/planning-rules', { ...defaultsForm(), version: versionIn(stale.body) })).statusCode).toBe(303)
      expect((await ctx.services.programme.rules()).rules).toEqual(DEFAULT_RULES)
      const audited = await ctx.services.database.db.selectFrom('audit_event').select('actor_label').where('action', '=', 'settings.planning').execute()
      expect(audited).toHaveLength(2)
    })

    it.each(['hmi', 'peer', 'reviewer', 'la'] as const)('refuses the page to a %s user', async (role) => {
      const { browser } = await ctx.signedIn(role)
      expect((await browser.get('/admin/planning-rules')).statusCode).toBe(403)
      expect((await browser.get('/admin')).body).not.toContain('/admin/planning-rules')
    })

    it('reads and changes the rules through the API for administrators only', async () => {
      const hmi = await tokenOf('hmi')
      expect((await call(hmi, 'GET')).statusCode).toBe(403)
      expect((await call(hmi, 'PUT', { ...DEFAULT_RULES, version: 1 })).statusCode).toBe(403)

      const admin = await tokenOf('admin')
      const current = await call(admin, 'GET')
      expect(current.statusCode).toBe(200)
      const { version, updatedAt, ...rules } = current.json()
      expect(rules).toEqual(DEFAULT_RULES)
      expect(typeof version).toBe('number')
      void updatedAt

      const bad = await call(admin, 'PUT', { ...DEFAULT_RULES, teamSize: undefined, minTermsBetweenElvs: 18, welshSpeakersForWelshMedium: 4, leadIsLinkInspector: undefined, version })
      expect(bad.statusCode).toBe(400)
      expect(bad.json().error.code).toBe('validation_failed')
      expect(bad.json().error.details.map((d: { path: string; code: string }) => [d.path, d.code])).toEqual([
        ['minTermsBetweenElvs', 'planning.rules.error.range'], ['teamSize', 'validation.required'], ['leadIsLinkInspector', 'validation.choice'],
      ])
      expect(bad.json().error.details[0].message).toBe('The fewest terms between an authority’s ELVs must be a whole number from 0 to 17')

      const saved = await call(admin, 'PUT', { ...DEFAULT_RULES, minTermsBetweenElvs: 3, version })
      expect(saved.statusCode).toBe(200)
      expect(saved.json()).toMatchObject({ ...DEFAULT_RULES, minTermsBetweenElvs: 3, version: version + 1, updatedAt: expect.any(String) })
      expect((await ctx.services.programme.current()).input.rules.minTermsBetweenElvs).toBe(3)

      const stale = await call(admin, 'PUT', { ...DEFAULT_RULES, version })
      expect(stale.statusCode).toBe(409)
      expect(stale.json().error.code).toBe('version_conflict')
      expect((await call(admin, 'PUT', { ...DEFAULT_RULES, version: version + 1 })).statusCode).toBe(200)
    })
  })
}

import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { ADMIN_EMAIL, ADMIN_PASSWORD, useTestApp, type Browser } from '../../../test/helpers/test-app.ts'
import { systemActor } from '../auth/actor.ts'
import { fixedClock } from '../../clock.ts'

const TERM = '2026-2027/spring'

/** The text of the error summary's links, in order. */
function summaryErrors(html: string): string[] {
  const summary = /govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? ''
  return [...summary.matchAll(/<a href="[^"]*">([^<]*)<\/a>/g)].map((m) => m[1]!.trim())
}

/** The options of a select, as value and whether selected. */
function options(html: string, id: string): Array<{ value: string; text: string; selected: boolean }> {
  const select = new RegExp(`<select[^>]*id="${id}"[^>]*>([\\s\\S]*?)</select>`).exec(html)?.[1] ?? ''
  return [...select.matchAll(/<option value="([^"]*)"( selected)?>([^<]*)<\/option>/g)].map((m) => ({ value: m[1]!, selected: Boolean(m[2]), text: m[3]!.trim() }))
}

const h1Count = (html: string) => (html.match(/<h1[\s>]/g) ?? []).length

for (const engine of testEngines()) {
  describe(`ELV team pages on ${engine.name}`, () => {
    const ctx = useTestApp(engine, { clock: fixedClock('2026-07-01T09:00:00.000Z') })
    const system = systemActor('test')
    const newElv = (authority: string) => ctx.services.visits.create(system, { authority, term: TERM })
    const adminBrowser = async (): Promise<Browser> => {
      const browser = ctx.browser()
      expect((await browser.signIn(ADMIN_EMAIL, ADMIN_PASSWORD)).statusCode).toBe(303)
      return browser
    }

    it('lets an admin name an HMI as an authority’s link inspector, refusing anyone else', async () => {
      const browser = await adminBrowser()
      const hmi = await ctx.make.user('hmi', { name: 'Llinos Link' })
      const reviewer = await ctx.make.user('reviewer')
      const form = await browser.get('/admin/authorities/W06000010')
      expect(form.body).toContain('<label class="govuk-label govuk-label--s" for="linkInspectorId">')
      const items = options(form.body, 'linkInspectorId')
      expect(items[0]).toEqual({ value: '', text: 'No link inspector', selected: false })
      expect(items.filter((o) => o.selected)).toEqual([])
      expect(items.map((o) => o.value)).toContain(String(hmi.id))
      expect(items.map((o) => o.value)).not.toContain(String(reviewer.id))

      const a = await ctx.services.reference.getAuthority('W06000010')
      const base = { nameEn: a.name_en, nameCy: a.name_cy, directorName: '', directorEmail: '', preferredLanguage: a.preferred_language, version: String(a.version) }
      const bad = await browser.post('/admin/authorities/W06000010', { ...base, linkInspectorId: String(reviewer.id) })
      expect(bad.statusCode).toBe(400)
      expect(summaryErrors(bad.body)).toEqual(['The link inspector must be an HMI whose account is active'])
      expect((await ctx.services.reference.getAuthority('W06000010')).link_inspector_id).toBeNull()

      expect((await browser.post('/admin/authorities/W06000010', { ...base, linkInspectorId: String(hmi.id) })).statusCode).toBe(303)
      expect((await ctx.services.reference.getAuthority('W06000010')).link_inspector_id).toBe(hmi.id)
      const again = await browser.get('/admin/authorities/W06000010')
      expect(options(again.body, 'linkInspectorId').find((o) => o.selected)?.value).toBe(String(hmi.id))
    })

    it('proposes the link inspector as lead, adds them from the form, and shows the table with workload', async () => {
      const elv = await newElv('W06000012')
      const { browser, user: lali } = await ctx.signedIn('hmi')
      const a = await ctx.services.reference.getAuthority('W06000012')
      await ctx.services.reference.updateAuthority(system, 'W06000012', { nameEn: a.name_en, nameCy: a.name_cy, preferredLanguage: a.preferred_language, version: a.version, linkInspectorId: lali.id })
      const peer = await ctx.make.user('peer', { authority: 'W06000015', name: 'Peer From Cardiff' })
      const ownPeer = await ctx.make.user('peer', { authority: 'W06000012' })

      const page = await browser.get(`/elvs/${elv.id}/team`)
      expect(page.statusCode).toBe(200)
      expect(h1Count(page.body)).toBe(1)
      expect(page.body).toContain('Add a team member')
      expect(page.body).toContain('<label class="govuk-label govuk-label--s" for="userId">')
      const items = options(page.body, 'userId')
      expect(items.find((o) => o.selected)?.value).toBe(String(lali.id))
      expect(items.find((o) => o.value === String(peer.id))?.text).toBe('Peer From Cardiff (Peer inspector, Cardiff, 0 visits this term)')
      // A peer of the visit's own authority is never offered.
      expect(items.map((o) => o.value)).not.toContain(String(ownPeer.id))
      expect(page.body).toMatch(/<input class="govuk-checkboxes__input" id="lead" name="lead" type="checkbox" value="yes" checked/)
      // Only administrators may override a declared conflict.
      expect(page.body).not.toContain('name="overrideReason"')

      const added = await browser.post(`/elvs/${elv.id}/team`, { userId: String(lali.id), lead: 'yes', version: String((await ctx.services.visits.get(system, elv.id)).version) }, { from: `/elvs/${elv.id}/team` })
      expect(added.statusCode).toBe(303)
      expect(added.headers.location).toBe(`/elvs/${elv.id}/team`)
      const after = await browser.get(`/elvs/${elv.id}/team`)
      expect(after.body).toContain(`${lali.name} was added to the team`)
      const table = /<table class="govuk-table" id="team-members">([\s\S]*?)<\/table>/.exec(after.body)?.[1] ?? ''
      expect(table).toContain(lali.name)
      expect(table).toContain('Lead inspector')
      expect(table).toContain('Visits this term')
      expect(after.body).toContain('The team has 1 member; a team usually has 3')
      // One member, already the lead: only a remove button, naming who it removes.
      expect(table).not.toContain('Make lead')
      expect(table).toContain(`Remove<span class="govuk-visually-hidden"> ${lali.name}</span>`)
    })

    it('shows a declared conflict on the form, then lets an administrator override it with a reason', async () => {
      const elv = await newElv('W06000013')
      const { browser: hmiBrowser, user: conflicted } = await ctx.signedIn('hmi')
      const declared = await hmiBrowser.post('/account/conflicts', { authority: 'W06000013', reason: 'I was a governor there until 2025' })
      expect(declared.statusCode).toBe(303)

      const browser = await adminBrowser()
      const url = `/elvs/${elv.id}/team`
      const page = await browser.get(url)
      expect(page.body).toContain('<label class="govuk-label govuk-label--s" for="overrideReason">')
      expect(options(page.body, 'userId').find((o) => o.value === String(conflicted.id))?.text).toContain('declared conflict')

      const refused = await browser.post(url, { userId: String(conflicted.id) })
      expect(refused.statusCode).toBe(409)
      expect(summaryErrors(refused.body)).toEqual([
        `${conflicted.name} has declared a conflict of interest with this authority: I was a governor there until 2025`,
        'Enter the reason for overriding the declared conflict',
      ])
      expect(options(refused.body, 'userId').find((o) => o.selected)?.value).toBe(String(conflicted.id))

      const ok = await browser.post(url, { userId: String(conflicted.id), overrideReason: 'Governorship ended; no current link' })
      expect(ok.statusCode).toBe(303)
      const after = await browser.get(url)
      expect(after.body).toContain('Declared: I was a governor there until 2025')
      expect(after.body).toContain('Allowed by an administrator: Governorship ended; no current link')

      const removed = await browser.post(`/elvs/${elv.id}/team/${conflicted.id}/remove`, { version: String((await ctx.services.visits.get(system, elv.id)).version) }, { from: url })
      expect(removed.statusCode).toBe(303)
      expect((await browser.get(url)).body).toContain(`${conflicted.name} was removed from the team`)
    })

    it('asks to choose an inspector when none is selected', async () => {
      const elv = await newElv('W06000014')
      const browser = await adminBrowser()
      const res = await browser.post(`/elvs/${elv.id}/team`, { userId: '' })
      expect(res.statusCode).toBe(400)
      expect(summaryErrors(res.body)).toEqual(['Select an inspector'])
      expect(res.body).toContain('href="#userId"')
    })

    it('shows an authority user names only, no form; refuses its posts and hides other authorities', async () => {
      const mine = await newElv('W06000016')
      const theirs = await newElv('W06000018')
      const hmi = await ctx.make.user('hmi', { name: 'Siân Lead' })
      await ctx.services.team.add(system, mine.id, { email: hmi.email, lead: true })
      const { browser } = await ctx.signedIn('la', { authority: 'W06000016' })

      const page = await browser.get(`/elvs/${mine.id}/team`)
      expect(page.statusCode).toBe(200)
      expect(h1Count(page.body)).toBe(1)
      expect(page.body).toContain('Siân Lead (HMI) – Lead inspector')
      expect(page.body).not.toContain('Add a team member')
      expect(page.body).not.toContain('Visits this term')
      expect(page.body).not.toContain(hmi.email)

      const post = await browser.post(`/elvs/${mine.id}/team`, { userId: String(hmi.id) }, { from: `/elvs/${mine.id}/team` })
      expect(post.statusCode).toBe(403)
      expect((await browser.get(`/elvs/${theirs.id}/team`)).statusCode).toBe(404)
      // Declared conflicts are for inspectors, not authority users.
      expect((await browser.get('/account/conflicts')).statusCode).toBe(403)
    })

    it('keeps each inspector’s own list of declared conflicts: add, refuse a duplicate or a blank form, withdraw', async () => {
      const { browser, user } = await ctx.signedIn('peer', { authority: 'W06000019' })
      const empty = await browser.get('/account/conflicts')
      expect(empty.statusCode).toBe(200)
      expect(h1Count(empty.body)).toBe(1)
      expect(empty.body).toContain('<label class="govuk-label govuk-label--s" for="authority">')
      expect(empty.body).toContain('<label class="govuk-label govuk-label--s" for="reason">')

      const blank = await browser.post('/account/conflicts', { authority: '', reason: '' })
      expect(blank.statusCode).toBe(400)
      expect(summaryErrors(blank.body)).toEqual(['Select the local authority', 'Enter the reason'])

      expect((await browser.post('/account/conflicts', { authority: 'W06000020', reason: 'My partner works there' })).statusCode).toBe(303)
      const listed = await browser.get('/account/conflicts')
      expect(listed.body).toContain('Your conflict with Torfaen was recorded')
      expect(listed.body).toContain('My partner works there')

      const dup = await browser.post('/account/conflicts', { authority: 'W06000020', reason: 'Again' })
      expect(dup.statusCode).toBe(409)
      expect(summaryErrors(dup.body)).toEqual(['You have already declared a conflict with this authority'])
      expect(dup.body).toContain('Again')

      const [conflict] = await ctx.services.team.conflicts({ kind: 'user', id: user.id, name: user.name, email: user.email, role: user.role, authorityCode: user.authority_code })
      // Someone else cannot withdraw it.
      const { browser: other } = await ctx.signedIn('hmi')
      expect((await other.post(`/account/conflicts/${conflict!.id}/withdraw`, {}, { from: '/account/conflicts' })).statusCode).toBe(404)
      expect((await browser.post(`/account/conflicts/${conflict!.id}/withdraw`, {}, { from: '/account/conflicts' })).statusCode).toBe(303)
      expect((await browser.get('/account/conflicts')).body).toContain('You have not declared any conflicts of interest.')
      const audit = await ctx.services.audit.list({ entityType: 'user', entityId: String(user.id) }, { limit: 10, offset: 0 })
      expect(audit.items.map((e) => e.action).filter((a) => a.startsWith('conflict.'))).toEqual(['conflict.withdraw', 'conflict.declare'])
    })
  })
}

import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp } from '../../../test/helpers/test-app.ts'
import { systemActor } from '../auth/actor.ts'
import { fixedClock } from '../../clock.ts'

const CEREDIGION = 'W06000008'

function summaryErrors(html: string): string[] {
  const summary = /govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? ''
  return [...summary.matchAll(/<a href="([^"]*)">([^<]*)<\/a>/g)].map((m) => `${m[1]} ${m[2]!.trim()}`)
}

for (const engine of testEngines()) {
  describe(`focus areas on ${engine.name}`, () => {
    const ctx = useTestApp(engine, { clock: fixedClock('2026-07-01T09:00:00.000Z') })
    const system = systemActor('test')
    let termN = 0
    const TERMS = ['2026-2027/spring', '2026-2027/summer', '2027-2028/autumn', '2027-2028/spring', '2027-2028/summer']
    const AUTHORITIES = ['W06000001', 'W06000002', 'W06000003', 'W06000004', 'W06000005', 'W06000006', 'W06000009', 'W06000010']

    /** A notified ELV of its own authority (two ELVs at most per authority, so each test takes a fresh one). */
    async function notifiedElv(authority = AUTHORITIES[termN % AUTHORITIES.length]!) {
      const elv = await ctx.services.visits.create(system, { authority, term: TERMS[termN++ % TERMS.length] })
      return ctx.services.visits.transition(system, elv.id, { to: 'notified', reason: 'test' })
    }
    async function linkInspectorOf(authority: string) {
      const hmi = await ctx.make.user('hmi')
      await ctx.services.database.db.updateTable('local_authority').set({ link_inspector_id: hmi.id }).where('gss_code', '=', authority).execute()
      return hmi
    }
    const tokenOf = async (email: string) => (await ctx.services.auth.createToken(system, email)).token
    const call = (token: string, method: 'GET' | 'POST', url: string, body?: unknown) => ctx.app.inject({
      method, url, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { payload: JSON.stringify(body) } : {}),
    })
    const proposal = (title: string, extra: Record<string, unknown> = {}) => ({ title, description: `Why ${title} matters`, source: 'authority_priority', ...extra })

    it('lets either side propose and each side agree; focus_agreed only when both agreed every one', async () => {
      const authority = 'W06000011'
      const elv = await notifiedElv(authority)
      const hmi = await linkInspectorOf(authority)
      const la = await ctx.make.user('la', { authority })
      const outsider = await ctx.make.user('hmi')
      const [hmiToken, laToken, outsiderToken] = await Promise.all([tokenOf(hmi.email), tokenOf(la.email), tokenOf(outsider.email)])

      const byLa = await call(laToken, 'POST', `/api/v1/elvs/${elv.id}/focus-areas`, proposal('Attendance', { frameworkAreaCode: '1.2' }))
      expect(byLa.statusCode).toBe(201)
      expect(byLa.json()).toMatchObject({
        title: 'Attendance', source: 'authority_priority', frameworkAreaCode: '1.2', recommendationId: null,
        proposedBy: { side: 'authority', name: la.name, at: '2026-07-01T09:00:00.000Z' }, agreedByInspectorate: null, agreedByAuthority: null,
      })
      const byHmi = await call(hmiToken, 'POST', `/api/v1/elvs/${elv.id}/focus-areas`, proposal('Self-evaluation', { source: 'national_priority' }))
      expect(byHmi.statusCode).toBe(201)
      // Proposing is not agreeing: the proposer's side agrees separately, so the record shows when.
      expect(byHmi.json()).toMatchObject({ proposedBy: { side: 'inspectorate', name: hmi.name }, agreedByInspectorate: null })
      expect(byHmi.json().position).toBe(byLa.json().position + 1)

      // An HMI who is neither on the team nor the link inspector may read but not propose or agree.
      expect((await call(outsiderToken, 'GET', `/api/v1/elvs/${elv.id}/focus-areas`)).json().items).toHaveLength(2)
      expect((await call(outsiderToken, 'POST', `/api/v1/elvs/${elv.id}/focus-areas`, proposal('Nope'))).statusCode).toBe(403)
      expect((await call(outsiderToken, 'POST', `/api/v1/elvs/${elv.id}/focus-areas/${byLa.json().id}/agree`)).statusCode).toBe(403)

      const blocked = await ctx.services.visits.transition(system, elv.id, { to: 'focus_agreed' }).catch((e: unknown) => e)
      expect(blocked).toMatchObject({ code: 'rule_violation' })
      expect((blocked as { details: unknown[] }).details).toEqual([
        { path: 'focusAreas', messageKey: 'visits.rule.notAgreedByAuthority', params: { count: 2 } },
        { path: 'focusAreas', messageKey: 'visits.rule.notAgreedByInspectorate', params: { count: 2 } },
      ])

      for (const fa of [byLa.json(), byHmi.json()]) {
        const agreed = await call(laToken, 'POST', `/api/v1/elvs/${elv.id}/focus-areas/${fa.id}/agree`)
        expect(agreed.statusCode).toBe(200)
        expect(agreed.json()).toMatchObject({ agreedByAuthority: { name: la.name, at: '2026-07-01T09:00:00.000Z' }, agreedByInspectorate: null })
      }
      // Agreeing twice is harmless: same record, no second audit entry.
      const again = await call(laToken, 'POST', `/api/v1/elvs/${elv.id}/focus-areas/${byLa.json().id}/agree`, {})
      expect(again.statusCode).toBe(200)
      expect(again.json().agreedByAuthority.name).toBe(la.name)

      const api = await call(await tokenOf((await ctx.make.user('admin')).email), 'POST', `/api/v1/elvs/${elv.id}/transition`, { to: 'focus_agreed' })
      expect(api.statusCode).toBe(409)
      expect(api.json().error.details).toEqual([{ path: 'focusAreas', code: 'visits.rule.notAgreedByInspectorate', message: '2 focus areas are not yet agreed by the inspectorate' }])

      await call(hmiToken, 'POST', `/api/v1/elvs/${elv.id}/focus-areas/${byLa.json().id}/agree`)
      const one = await ctx.services.visits.transition(system, elv.id, { to: 'focus_agreed' }).catch((e: { details: unknown }) => e.details)
      expect(one).toEqual([{ path: 'focusAreas', messageKey: 'visits.rule.notAgreedByInspectorate', params: { count: 1 } }])
      const last = await call(hmiToken, 'POST', `/api/v1/elvs/${elv.id}/focus-areas/${byHmi.json().id}/agree`)
      expect(last.json().agreedByInspectorate).toMatchObject({ name: hmi.name })

      const moved = await ctx.services.visits.transition(system, elv.id, { to: 'focus_agreed' })
      expect(moved.state).toBe('focus_agreed')
      // Settled: no more proposals.
      const late = await call(laToken, 'POST', `/api/v1/elvs/${elv.id}/focus-areas`, proposal('Too late'))
      expect(late.statusCode).toBe(409)
      expect(late.json().error).toMatchObject({ code: 'rule_violation', details: [{ path: 'state', code: 'focusAreas.rule.settled' }] })

      const history = await ctx.services.audit.list({ entityType: 'elv', entityId: String(elv.id) }, { limit: 50, offset: 0 })
      const actions = history.items.map((e) => e.action)
      expect(actions.filter((a) => a === 'focus_area.propose')).toHaveLength(2)
      expect(actions.filter((a) => a === 'focus_area.agree')).toHaveLength(4)
    })

    it('checks the cited recommendation belongs to the authority, and says when there is no core inspection', async () => {
      const authority = 'W06000012'
      const elv = await notifiedElv(authority)
      const propose = (extra: Record<string, unknown>) =>
        ctx.services.focusAreas.propose(system, elv.id, proposal('Recommendation', { source: 'core_recommendation', ...extra })).catch((e: { status: number; details: unknown }) => e)
      expect(await propose({})).toMatchObject({ status: 400, details: [{ path: 'recommendationId', messageKey: 'focusAreas.rule.noCoreInspection' }] })

      const db = ctx.services.database.db
      const inspect = async (gss: string) => {
        const ci = await db.insertInto('core_inspection').values({ authority_code: gss, academic_year: '2023-2024', framework_key: 'lges-2024', starts_on: '2024-01-15', ends_on: '2024-01-19', report_url: null, created_at: '2024-03-01T00:00:00Z' }).returning('id').executeTakeFirstOrThrow()
        return db.insertInto('core_recommendation').values({ core_inspection_id: ci.id, code: 'R1', text_en: `Improve attendance in ${gss}`, text_cy: 'Gwella presenoldeb' }).returning('id').executeTakeFirstOrThrow()
      }
      const own = await inspect(authority)
      const other = await inspect('W06000013')
      expect(await propose({})).toMatchObject({ status: 400, details: [{ path: 'recommendationId', messageKey: 'focusAreas.rule.recommendationRequired' }] })
      expect(await propose({ recommendationId: other.id })).toMatchObject({ status: 400, details: [{ path: 'recommendationId', messageKey: 'focusAreas.rule.recommendationNotOfAuthority' }] })
      expect(await propose({ recommendationId: 999999 })).toMatchObject({ status: 400, details: [{ path: 'recommendationId' }] })
      expect(await propose({ recommendationId: own.id, frameworkAreaCode: 'Z9' })).toMatchObject({ status: 400, details: [{ path: 'frameworkAreaCode', messageKey: 'focusAreas.rule.unknownArea' }] })
      expect(await ctx.services.focusAreas.list(system, elv.id)).toHaveLength(0)
      const ok = await ctx.services.focusAreas.propose(system, elv.id, proposal('Recommendation', { source: 'core_recommendation', recommendationId: own.id }))
      expect(ok).toMatchObject({ recommendation_id: own.id, recommendation_code: 'R1' })
      // The page names the recommendation cited.
      const { browser } = await ctx.signedIn('la', { authority })
      expect((await browser.get(`/elvs/${elv.id}/focus-areas`)).body).toContain(`R1: Improve attendance in ${authority}`)
    })

    it('lets the inspectorate cite its own link notes of the same authority only, and hides them from the authority', async () => {
      const authority = 'W06000014'
      const elv = await notifiedElv(authority)
      const hmi = await linkInspectorOf(authority)
      const actor = { kind: 'user' as const, id: hmi.id, name: hmi.name, email: hmi.email, role: 'hmi' as const, authorityCode: null }
      const note = await ctx.services.linkNotes.create(actor, authority, { notedOn: '2026-06-01', kind: 'concern', title: 'Rising exclusions', body: 'Seen at the June meeting', themes: 'Exclusions' })
      const admin = await ctx.make.user('admin')
      const adminActor = { kind: 'user' as const, id: admin.id, name: admin.name, email: admin.email, role: 'admin' as const, authorityCode: null }
      const otherNote = await ctx.services.linkNotes.create(adminActor, CEREDIGION, { notedOn: '2026-06-01', kind: 'meeting', title: 'Elsewhere', body: 'x' })
      const hmiToken = await tokenOf(hmi.email)
      const url = `/api/v1/elvs/${elv.id}/focus-areas`
      const cited = await call(hmiToken, 'POST', url, proposal('Exclusions', { source: 'inspectorate_identified', linkNoteIds: [note.id] }))
      expect(cited.statusCode).toBe(201)
      expect(cited.json().linkNoteIds).toEqual([note.id])

      const foreign = await call(hmiToken, 'POST', url, proposal('Foreign', { source: 'inspectorate_identified', linkNoteIds: [otherNote.id] }))
      expect(foreign.statusCode).toBe(400)
      expect(foreign.json().error.details).toMatchObject([{ path: 'linkNoteIds', code: 'focusAreas.rule.linkNoteUnknown' }])
      const wrongSource = await call(hmiToken, 'POST', url, proposal('Wrong source', { linkNoteIds: [note.id] }))
      expect(wrongSource.json().error.details).toMatchObject([{ path: 'linkNoteIds', code: 'focusAreas.rule.linkNotesOnlyInspectorateIdentified' }])

      const la = await ctx.make.user('la', { authority })
      const laToken = await tokenOf(la.email)
      const byLa = await call(laToken, 'POST', url, proposal('By la', { source: 'inspectorate_identified', linkNoteIds: [note.id] }))
      expect(byLa.statusCode).toBe(400)
      expect(byLa.json().error.details).toMatchObject([{ path: 'linkNoteIds', code: 'focusAreas.rule.linkNotesInspectorateOnly' }])
      const seen = (await call(laToken, 'GET', url)).json().items
      expect(seen).toHaveLength(1)
      expect(seen[0].linkNoteIds).toEqual([])

      // The inspectorate's page offers the note to cite and shows it on the card; the authority's shows neither.
      const hmiBrowser = ctx.browser()
      await hmiBrowser.signIn(hmi.email, 'a-long-test-password')
      const hmiPage = (await hmiBrowser.get(`/elvs/${elv.id}/focus-areas`)).body
      expect(hmiPage).toContain('name="linkNoteIds"')
      expect(hmiPage).toContain('Rising exclusions')
      expect(hmiPage).toContain('Agree for the inspectorate')
      const laBrowser = ctx.browser()
      await laBrowser.signIn(la.email, 'a-long-test-password')
      const laPage = (await laBrowser.get(`/elvs/${elv.id}/focus-areas`)).body
      expect(laPage).not.toContain('Rising exclusions')
      expect(laPage).not.toContain('name="linkNoteIds"')
      expect(laPage).toContain('Agree for the authority')
      expect(laPage).not.toContain('Withdraw focus area')
    })

    it('never shows another authority\'s focus areas to an authority user', async () => {
      const elv = await notifiedElv('W06000015')
      await ctx.services.focusAreas.propose(system, elv.id, proposal('Cardiff only'))
      const la = await ctx.make.user('la', { authority: 'W06000016' })
      const token = await tokenOf(la.email)
      expect((await call(token, 'GET', `/api/v1/elvs/${elv.id}/focus-areas`)).statusCode).toBe(404)
      expect((await call(token, 'POST', `/api/v1/elvs/${elv.id}/focus-areas`, proposal('Intrude'))).statusCode).toBe(404)
      const faId = (await ctx.services.focusAreas.list(system, elv.id))[0]!.id
      expect((await call(token, 'POST', `/api/v1/elvs/${elv.id}/focus-areas/${faId}/agree`)).statusCode).toBe(404)
      const browser = ctx.browser()
      await browser.signIn(la.email, 'a-long-test-password')
      const page = await browser.get(`/elvs/${elv.id}/focus-areas`)
      expect(page.statusCode).toBe(404)
      expect(page.body).not.toContain('Cardiff only')
    })

    it('refuses a stale version with 409 and saves nothing', async () => {
      const elv = await notifiedElv('W06000018')
      const admin = await ctx.make.user('admin')
      const token = await tokenOf(admin.email)
      expect((await call(token, 'POST', `/api/v1/elvs/${elv.id}/focus-areas`, proposal('First', { version: elv.version }))).statusCode).toBe(201)
      const stale = await call(token, 'POST', `/api/v1/elvs/${elv.id}/focus-areas`, proposal('Second', { version: elv.version }))
      expect(stale.statusCode).toBe(409)
      expect(stale.json().error).toMatchObject({ code: 'version_conflict', details: [{ path: 'version' }] })
      expect((await call(token, 'GET', `/api/v1/elvs/${elv.id}/focus-areas`)).json().items.map((f: { title: string }) => f.title)).toEqual(['First'])
    })

    it('renders the page for the authority, proposes through the form, and keeps input on a validation error', async () => {
      const authority = 'W06000019'
      const elv = await notifiedElv(authority)
      const { browser } = await ctx.signedIn('la', { authority })
      const url = `/elvs/${elv.id}/focus-areas`
      const page = await browser.get(url)
      expect(page.statusCode).toBe(200)
      expect(page.body.match(/<h1/g)).toHaveLength(1)
      expect(page.body).toContain('Propose a focus area')
      expect(page.body).toContain('<label class="govuk-label" for="title">')
      expect(page.body).toContain('One of the authority&#39;s current priorities')
      expect(page.body).toContain('aria-current="page">Focus areas')

      const bad = await browser.post(url, { title: '', description: 'Kept description', source: 'authority_priority', version: String(elv.version) })
      expect(bad.statusCode).toBe(400)
      expect(summaryErrors(bad.body)).toEqual(['#title Enter a title'])
      expect(bad.body).toContain('Kept description</textarea>')
      expect(bad.body).toMatch(/value="authority_priority" checked/)

      const fresh = await ctx.services.visits.get(system, elv.id)
      const ok = await browser.post(url, { title: 'Welsh-medium growth', description: 'Growing Welsh-medium places', source: 'authority_priority', frameworkAreaCode: '2.2', version: String(fresh.version) })
      expect(ok.statusCode).toBe(303)
      expect(ok.headers.location).toBe(url)
      const after = (await browser.get(url)).body
      expect(after).toContain('Focus area proposed')
      expect(after).toContain('Welsh-medium growth')
      expect(after).toMatch(/Proposed by Test la \d+ \(authority\) on 1 July 2026/)
      expect(after).toContain('2.2 Self-evaluation and improvement planning')

      const faId = (await ctx.services.focusAreas.list(system, elv.id))[0]!.id
      const current = await ctx.services.visits.get(system, elv.id)
      const agreed = await browser.post(`${url}/${faId}/agree`, { version: String(current.version) }, { from: url })
      expect(agreed.statusCode).toBe(303)
      const final = (await browser.get(url)).body
      expect(final).toContain('Agreement recorded')
      expect(final).not.toContain('Agree for the authority')
    })

    it('lets an inspector withdraw a focus area with a reason, asking for one first', async () => {
      const authority = 'W06000020'
      const elv = await notifiedElv(authority)
      const fa = await ctx.services.focusAreas.propose(system, elv.id, proposal('Withdraw me'))
      const { browser } = await ctx.signedIn('admin')
      const url = `/elvs/${elv.id}/focus-areas`
      const page = await browser.get(url)
      expect(page.body).toContain('Agree for the inspectorate')
      const version = String((await ctx.services.visits.get(system, elv.id)).version)
      const noReason = await browser.post(`${url}/${fa.id}/withdraw`, { reason: '', version }, { from: url })
      expect(noReason.statusCode).toBe(400)
      expect(summaryErrors(noReason.body)).toEqual([`#reason-${fa.id} Enter a reason`])
      const done = await browser.post(`${url}/${fa.id}/withdraw`, { reason: 'Merged with another', version }, { from: url })
      expect(done.statusCode).toBe(303)
      expect(await ctx.services.focusAreas.list(system, elv.id)).toEqual([])
      const la = await ctx.make.user('la', { authority })
      const laActor = { kind: 'user' as const, id: la.id, name: la.name, email: la.email, role: 'la' as const, authorityCode: authority }
      const again = await ctx.services.focusAreas.propose(system, elv.id, proposal('Another'))
      await expect(ctx.services.focusAreas.withdraw(laActor, elv.id, again.id, { reason: 'mine' })).rejects.toMatchObject({ status: 403 })
    })
  })
}

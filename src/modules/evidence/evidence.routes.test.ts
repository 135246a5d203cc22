import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { csrfTokenIn, useTestApp, type Browser } from '../../../test/helpers/test-app.ts'
import { systemActor, type UserActor } from '../auth/actor.ts'
import type { AppUser } from '../../db/schema.ts'
import { fixedClock } from '../../clock.ts'

const TERM = '2026-2027/spring'
const NOW = '2026-07-01T09:00:00.000Z'
const asActor = (u: AppUser): UserActor => ({ kind: 'user', id: u.id, name: u.name, email: u.email, role: u.role, authorityCode: u.authority_code })
/** The page's HTML escapes quotes and ampersands; tests compare with what was typed. */
const unescape = (html: string) => html.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
const textareaOf = (html: string) => unescape(/<textarea[^>]*name="body"[^>]*>([\s\S]*?)<\/textarea>/.exec(html)?.[1] ?? '').replace(/^\n/, '')
const inputOf = (html: string, name: string) => unescape(new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1] ?? '')
const h1Count = (html: string) => (html.match(/<h1[\s>]/g) ?? []).length

for (const engine of testEngines()) {
  describe(`evidence pages on ${engine.name}`, () => {
    const ctx = useTestApp(engine, { clock: fixedClock(NOW) })
    const system = systemActor('test')
    const db = () => ctx.services.database.db
    let authorityCounter = 0
    // Each test its own authority, so the two live ELVs an authority may have are never used up.
    const AUTHORITIES = ['W06000001', 'W06000002', 'W06000003', 'W06000004', 'W06000005', 'W06000006', 'W06000009', 'W06000010', 'W06000011', 'W06000012', 'W06000013', 'W06000014']

    /** An ELV with a signed-in HMI lead, two focus areas and a meeting. */
    async function visit() {
      const authority = AUTHORITIES[authorityCounter++]!
      const { browser, user } = await ctx.signedIn('hmi')
      const elv = await ctx.services.visits.create(system, { authority, term: TERM })
      await ctx.services.team.add(system, elv.id, { email: user.email, lead: true })
      const focusAreas = await Promise.all(['Attendance in secondary schools', 'Support for learners with ALN'].map(async (title, i) => (await db().insertInto('focus_area').values({
        elv_id: elv.id, position: i + 1, title, description: 'd', source: 'national_priority', recommendation_id: null, framework_key: null,
        framework_area_code: null, proposed_by_side: 'inspectorate', proposed_by: null, proposed_at: NOW, inspectorate_agreed_by: null,
        inspectorate_agreed_at: null, authority_agreed_by: null, authority_agreed_at: null, withdrawn_at: null,
      }).returning('id').executeTakeFirstOrThrow()).id))
      const meeting = await db().insertInto('meeting').values({
        elv_id: elv.id, day: 1, start_time: '09:30', end_time: '10:30', title: 'Director of education', place: null, video_link: null, created_at: NOW, updated_at: NOW,
      }).returning('id').executeTakeFirstOrThrow()
      return { elv, authority, browser, hmi: user, focusAreas, meetingId: meeting.id }
    }

    /** Posts JSON the way the autosave script does: the session cookie and the page's token in a header. */
    async function postJson(browser: Browser, url: string, body: unknown, token?: string) {
      return ctx.app.inject({
        method: 'POST', url, payload: JSON.stringify(body),
        headers: {
          cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/json', accept: 'application/json',
          ...(token ? { 'x-csrf-token': token } : {}),
        },
      })
    }

    it('lists the log with every detail, filters it, and shows theme labels in the reader’s language', async () => {
      const { elv, browser, hmi, focusAreas, meetingId } = await visit()
      const actor = asActor(hmi)
      await ctx.services.evidence.create(actor, elv.id, {
        kind: 'meeting_note', title: 'Director meeting', body: 'Attendance is improving', source: 'Director of education',
        gatheredOn: '2026-06-29', meetingId, focusAreaIds: [focusAreas[0]], themes: ['attendance'],
      }, [{ fileName: 'minutes.txt', data: Buffer.from('Minutes of the meeting') }])
      await ctx.services.evidence.create(actor, elv.id, { kind: 'data', title: 'Exclusions data', body: 'Up 3%', source: 'Welsh Government statistics', gatheredOn: '2026-06-30', focusAreaIds: [focusAreas[1]] })

      const page = await browser.get(`/elvs/${elv.id}/evidence`)
      expect(page.statusCode).toBe(200)
      expect(h1Count(page.body)).toBe(1)
      expect(page.body).toContain('aria-current="page">Evidence</a>')
      expect(page.body).toContain(`href="/elvs/${elv.id}/evidence/new"`)
      expect(page.body).toContain('2 items')
      // Most recently gathered first.
      expect(page.body.indexOf('Exclusions data')).toBeLessThan(page.body.indexOf('Director meeting'))
      const item = (await ctx.services.evidence.list(actor, elv.id, { kind: 'meeting_note' }))[0]!
      expect(page.body).toContain(`<a class="govuk-link" href="/elvs/${elv.id}/evidence/${item.id}">Director meeting</a>`)
      expect(page.body).toContain(`href="/evidence/${item.id}/files/${item.files[0]!.id}">minutes.txt</a>`)
      for (const text of ['Meeting note', 'Director of education', '29 June 2026', hmi.name, 'Attendance in secondary schools', 'Attendance']) expect(page.body).toContain(text)

      const filtered = await browser.get(`/elvs/${elv.id}/evidence?kind=data`)
      expect(filtered.body).toContain('Exclusions data')
      expect(filtered.body).not.toContain('Director meeting')
      expect(filtered.body).toContain('<option value="data" selected>')
      const byArea = await browser.get(`/elvs/${elv.id}/evidence?focusArea=${focusAreas[0]}`)
      expect(byArea.body).toContain('Director meeting')
      expect(byArea.body).not.toContain('Exclusions data')
      const byTheme = await browser.get(`/elvs/${elv.id}/evidence?theme=attendance`)
      expect(byTheme.body).toContain('1 item')
      const none = await browser.get(`/elvs/${elv.id}/evidence?theme=safeguarding`)
      expect(none.body).toContain('No evidence matches these filters.')

      const attendance = (await ctx.services.themes.list()).find((th) => th.key === 'attendance')!
      const welsh = await browser.get(`/elvs/${elv.id}/evidence`, { 'accept-language': 'cy' })
      expect(welsh.body).toContain(`<li>${attendance.labelCy}</li>`)
      expect(welsh.body).toContain('Nodyn cyfarfod')
    })

    it('is not there for authority users, nor for inspectors who may not see the visit', async () => {
      const { elv, authority, browser, hmi } = await visit()
      const item = await ctx.services.evidence.create(asActor(hmi), elv.id, { kind: 'meeting_note', title: 'Private', body: 'x', source: 'y' })
      const token = csrfTokenIn((await browser.get(`/elvs/${elv.id}/evidence/new`)).body)
      const { browser: la } = await ctx.signedIn('la', { authority })
      for (const url of [`/elvs/${elv.id}/evidence`, `/elvs/${elv.id}/evidence/new`, `/elvs/${elv.id}/evidence/${item.id}`]) {
        expect((await la.get(url)).statusCode).toBe(404)
      }
      // The tab itself is not offered to them on the ELV's pages.
      expect((await la.get(`/elvs/${elv.id}`)).body).not.toContain(`/elvs/${elv.id}/evidence"`)
      const laToken = csrfTokenIn((await la.get('/')).body)
      const autosave = await postJson(la, `/elvs/${elv.id}/evidence/autosave`, { kind: 'authority_document', title: 'x', source: 'y' }, laToken)
      expect(autosave.statusCode).toBe(404)
      expect(autosave.json().error.code).toBe('not_found')
      void token

      const { browser: peer } = await ctx.signedIn('peer', { authority: 'W06000015' })
      expect((await peer.get(`/elvs/${elv.id}/evidence`)).statusCode).toBe(404)
      expect((await peer.get(`/elvs/${elv.id}/evidence/${item.id}`)).statusCode).toBe(404)
      // An item of one ELV is not found under another's address.
      const other = await visit()
      expect((await other.browser.get(`/elvs/${other.elv.id}/evidence/${item.id}`)).statusCode).toBe(404)
    })

    it('records evidence with the form: errors keep what was typed, and a script in a note is shown as text', async () => {
      const { elv, browser, focusAreas, meetingId } = await visit()
      const form = await browser.get(`/elvs/${elv.id}/evidence/new`)
      expect(form.statusCode).toBe(200)
      expect(h1Count(form.body)).toBe(1)
      expect(inputOf(form.body, 'gatheredOn')).toBe('2026-07-01')
      expect(form.body).toContain('<script type="module" src="/static/evidence-autosave.js"></script>')
      expect(form.body).toContain('aria-live="polite"')
      expect(form.body).toContain('data-msg-offline="Not saved yet: you seem to be offline.')
      expect(form.body).toContain(`<option value="${meetingId}">Day 1, 09:30: Director of education</option>`)
      expect(form.body).toContain('Attendance in secondary schools')

      const note = 'Line one\n<script>alert("x")</script>\nLine three'
      const bad = await browser.post(`/elvs/${elv.id}/evidence`, { kind: 'meeting_note', title: '', body: note, source: 'Director', gatheredOn: '2030-01-01', focusAreaIds: String(focusAreas[1]) })
      expect(bad.statusCode).toBe(400)
      expect(bad.body).toContain('govuk-error-summary')
      expect(bad.body).toContain('href="#title"')
      expect(bad.body).toContain('The date it was gathered cannot be in the future')
      expect(textareaOf(bad.body)).toBe(note)
      expect(inputOf(bad.body, 'source')).toBe('Director')
      expect(bad.body).toMatch(new RegExp(`value="${focusAreas[1]}" checked`))
      expect(bad.body).not.toContain('<script>alert')
      expect(await db().selectFrom('evidence').select('id').where('elv_id', '=', elv.id).execute()).toEqual([])

      const ok = await browser.post(`/elvs/${elv.id}/evidence`, {
        kind: 'meeting_note', title: 'Director <b>meeting</b>', body: note, source: 'Director', gatheredOn: '2026-06-30', meetingId: String(meetingId), themes: 'attendance',
      })
      expect(ok.statusCode).toBe(303)
      const [item] = await db().selectFrom('evidence').selectAll().where('elv_id', '=', elv.id).execute()
      expect(item).toMatchObject({ title: 'Director <b>meeting</b>', body: note, meeting_id: meetingId })
      expect(ok.headers.location).toBe(`/elvs/${elv.id}/evidence/${item!.id}`)
      const shown = await browser.get(ok.headers.location as string)
      expect(shown.statusCode).toBe(200)
      expect(h1Count(shown.body)).toBe(1)
      expect(shown.body).toContain('The evidence has been recorded.')
      expect(shown.body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;')
      expect(shown.body).toContain('Director &lt;b&gt;meeting&lt;/b&gt;')
      expect(shown.body).not.toContain('<script>alert')
      expect(shown.body).not.toContain('<b>meeting</b>')
      expect(inputOf(shown.body, 'version')).toBe('1')
    })

    it('refuses a stale save with both versions shown, saves nothing, and saves a deliberate second time', async () => {
      const { elv, browser, hmi } = await visit()
      const item = await ctx.services.evidence.create(asActor(hmi), elv.id, { kind: 'meeting_note', title: 'Head of service', body: 'First draft', source: 'Head of service' })
      const url = `/elvs/${elv.id}/evidence/${item.id}`
      const mine = await browser.get(url)
      expect(inputOf(mine.body, 'version')).toBe('1')
      const colleague = await ctx.make.user('hmi', { name: 'Gwen Colleague' })
      await ctx.services.team.add(system, elv.id, { email: colleague.email })
      await ctx.services.evidence.update(asActor(colleague), item.id, { body: 'Their careful words', version: 1 })

      const typed = 'My own careful words, typed for ten minutes'
      const stale = await browser.post(url, { kind: 'meeting_note', title: 'Head of service', body: typed, source: 'Head of service', gatheredOn: '2026-07-01', version: '1' }, { csrf: csrfTokenIn(mine.body) })
      expect(stale.statusCode).toBe(409)
      expect(stale.body).toContain('Someone else saved this evidence after you opened it')
      expect(textareaOf(stale.body)).toBe(typed)
      expect(stale.body).toContain('Their careful words')
      expect(stale.body).toMatch(/Saved by Gwen Colleague at \d/)
      expect(stale.body).toContain('data-autosave-stopped="true"')
      expect(inputOf(stale.body, 'version')).toBe('2')
      expect((await ctx.services.evidence.get(asActor(hmi), item.id)).body).toBe('Their careful words')

      const again = await browser.post(url, { kind: 'meeting_note', title: 'Head of service', body: typed, source: 'Head of service', gatheredOn: '2026-07-01', version: '2' }, { csrf: csrfTokenIn(stale.body) })
      expect(again.statusCode).toBe(303)
      const after = await ctx.services.evidence.get(asActor(hmi), item.id)
      expect(after).toMatchObject({ body: typed, version: 3 })
      expect(after.recorded_at).toBe(item.recorded_at)
    })

    it('clears focus areas and themes when every box is unticked', async () => {
      const { elv, browser, hmi, focusAreas } = await visit()
      const item = await ctx.services.evidence.create(asActor(hmi), elv.id, { kind: 'data', title: 'Data', body: '', source: 'Stats', focusAreaIds: focusAreas, themes: ['attendance'] })
      const res = await browser.post(`/elvs/${elv.id}/evidence/${item.id}`, { kind: 'data', title: 'Data', body: '', source: 'Stats', gatheredOn: '2026-07-01', meetingId: '', version: '1' })
      expect(res.statusCode).toBe(303)
      expect(await ctx.services.evidence.get(asActor(hmi), item.id)).toMatchObject({ focusAreaIds: [], themes: [] })
    })

    it('gives each new-item page a key, so its first save sent twice records one item', async () => {
      const { elv, browser, hmi } = await visit()
      const page = await browser.get(`/elvs/${elv.id}/evidence/new`)
      const draftKey = /name="draftKey" value="([0-9a-f-]{36})"/.exec(page.body)?.[1]
      expect(draftKey).toBeDefined()
      const token = csrfTokenIn(page.body)
      const draft = { kind: 'meeting_note', title: 'Head of inclusion', body: 'ALN', source: 'Head of inclusion', meetingId: '', gatheredOn: '2026-07-01', focusAreaIds: [], themes: [], draftKey }
      const first = await postJson(browser, `/elvs/${elv.id}/evidence/autosave`, draft, token)
      // The reply was lost: the script sends again, with more typed.
      const again = await postJson(browser, `/elvs/${elv.id}/evidence/autosave`, { ...draft, body: 'ALN reforms' }, token)
      expect(again.json()).toMatchObject({ id: first.json().id, version: 2 })
      // And the plain button pressed as well: still the one item, now with the latest text.
      const posted = await browser.post(`/elvs/${elv.id}/evidence`, { ...draft, body: 'ALN reforms are on track', focusAreaIds: '', themes: '', draftKey: draftKey! }, { csrf: token })
      expect(posted.statusCode).toBe(303)
      const items = await ctx.services.evidence.list(asActor(hmi), elv.id)
      expect(items.map((i) => [i.id, i.body])).toEqual([[first.json().id, 'ALN reforms are on track']])
      // Another page, another key.
      expect(/name="draftKey" value="([0-9a-f-]{36})"/.exec((await browser.get(`/elvs/${elv.id}/evidence/new`)).body)?.[1]).not.toBe(draftKey)
    })

    it('autosaves: creates the item, updates it with its version, refuses a stale version with the current one, and explains a bad draft', async () => {
      const { elv, browser, hmi } = await visit()
      const page = await browser.get(`/elvs/${elv.id}/evidence/new`)
      const token = csrfTokenIn(page.body)
      const draft = { kind: 'meeting_note', title: 'Chief executive', body: 'The first words', source: 'Chief executive', meetingId: '', gatheredOn: '2026-07-01', focusAreaIds: [], themes: [] }

      expect((await postJson(browser, `/elvs/${elv.id}/evidence/autosave`, draft)).statusCode).toBe(403)

      const created = await postJson(browser, `/elvs/${elv.id}/evidence/autosave`, draft, token)
      expect(created.statusCode).toBe(201)
      const first = created.json()
      expect(first).toEqual({ id: expect.any(Number), version: 1, savedAt: NOW, url: `/elvs/${elv.id}/evidence/${first.id}` })

      const updated = await postJson(browser, `${first.url}/autosave`, { ...draft, body: 'The first words and more', version: 1 }, token)
      expect(updated.statusCode).toBe(200)
      expect(updated.json()).toMatchObject({ id: first.id, version: 2 })
      expect((await ctx.services.evidence.get(asActor(hmi), first.id)).body).toBe('The first words and more')

      const stale = await postJson(browser, `${first.url}/autosave`, { ...draft, body: 'Typed on an old copy', version: 1 }, token)
      expect(stale.statusCode).toBe(409)
      expect(stale.json()).toMatchObject({
        error: { code: 'version_conflict' },
        current: { version: 2, title: 'Chief executive', body: 'The first words and more', updatedBy: hmi.name, updatedAt: NOW },
      })
      expect((await ctx.services.evidence.get(asActor(hmi), first.id)).body).toBe('The first words and more')

      const invalid = await postJson(browser, `${first.url}/autosave`, { ...draft, title: '', version: 2 }, token)
      expect(invalid.statusCode).toBe(400)
      expect(invalid.json().error).toMatchObject({ code: 'validation_failed', details: [{ path: 'title', code: 'validation.required', message: 'Enter a title' }] })

      const welsh = await ctx.app.inject({ method: 'POST', url: `/elvs/${elv.id}/evidence/autosave`, payload: JSON.stringify({ ...draft, kind: '' }), headers: {
        cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/json', 'x-csrf-token': token, 'accept-language': 'cy',
      } })
      expect(welsh.statusCode).toBe(400)
      expect(welsh.json().error.details[0]).toMatchObject({ path: 'kind', message: 'Dewiswch y math o dystiolaeth' })
      expect(await db().selectFrom('evidence').select('id').where('elv_id', '=', elv.id).execute()).toHaveLength(1)
    })

    it('brings in link notes and provider inspections once, and shows which are in; peers see no link notes', async () => {
      const { elv, authority, browser, hmi } = await visit()
      const note = await db().insertInto('link_note').values({
        authority_code: authority, author_id: hmi.id, noted_on: '2026-05-01', kind: 'meeting', title: 'Termly meeting with the director', body: 'Self-evaluation is candid', framework_area_code: null,
        themes: '["attendance"]', created_at: NOW, updated_at: NOW,
      }).returning('id').executeTakeFirstOrThrow()
      const provider = await db().insertInto('provider').values({
        authority_code: authority, reference: `P-${authority}`, name: 'Ysgol y Môr', kind: 'primary', last_inspected_on: '2026-03-01', summary: 'Strong teaching', report_url: null, updated_at: NOW,
      }).returning('id').executeTakeFirstOrThrow()

      const page = await browser.get(`/elvs/${elv.id}/evidence`)
      expect(page.body).toContain('Termly meeting with the director')
      expect(page.body).toContain('Ysgol y Môr')
      expect(page.body).toContain(`name="linkNoteId" value="${note.id}"`)
      expect(page.body).toContain(`name="providerId" value="${provider.id}"`)

      const res = await browser.post(`/elvs/${elv.id}/evidence/bring-in`, { linkNoteId: String(note.id) }, { from: `/elvs/${elv.id}/evidence` })
      expect(res.statusCode).toBe(303)
      const twice = await browser.post(`/elvs/${elv.id}/evidence/bring-in`, { linkNoteId: String(note.id) }, { from: `/elvs/${elv.id}/evidence` })
      expect(twice.statusCode).toBe(303)
      await browser.post(`/elvs/${elv.id}/evidence/bring-in`, { providerId: String(provider.id) }, { from: `/elvs/${elv.id}/evidence` })
      const items = await ctx.services.evidence.list(asActor(hmi), elv.id)
      expect(items.map((i) => [i.kind, i.origin_type, i.origin_id]).sort()).toEqual([['link_intelligence', 'link_note', note.id], ['provider_inspection', 'provider', provider.id]])
      const after = await browser.get(`/elvs/${elv.id}/evidence`)
      expect(after.body).toContain('“Ysgol y Môr” is now in the evidence log.')
      expect(after.body).not.toContain(`name="linkNoteId" value="${note.id}"`)
      expect(after.body.match(/Already brought in/g)).toHaveLength(2)
      expect(after.body).toContain('Link note: Termly meeting with the director')
      expect(after.body).toContain('Provider inspection: Ysgol y Môr')

      const bad = await browser.post(`/elvs/${elv.id}/evidence/bring-in`, {}, { from: `/elvs/${elv.id}/evidence` })
      expect(bad.statusCode).toBe(400)
      expect(bad.body).toContain('Choose one link note or one provider to bring in')

      const peer = await ctx.signedIn('peer', { authority: 'W06000015' })
      await ctx.services.team.add(system, elv.id, { email: peer.user.email })
      const peerPage = await peer.browser.get(`/elvs/${elv.id}/evidence`)
      expect(peerPage.statusCode).toBe(200)
      expect(peerPage.body).not.toContain('name="linkNoteId"')
      expect(peerPage.body).toContain('Provider inspections')
      const note2 = await db().insertInto('link_note').values({
        authority_code: authority, author_id: hmi.id, noted_on: '2026-05-02', kind: 'meeting', title: 'Secret', body: 'Not for peers', framework_area_code: null, themes: '[]', created_at: NOW, updated_at: NOW,
      }).returning('id').executeTakeFirstOrThrow()
      expect((await peer.browser.post(`/elvs/${elv.id}/evidence/bring-in`, { linkNoteId: String(note2.id) }, { from: `/elvs/${elv.id}/evidence` })).statusCode).toBe(404)
    })

    it('is read-only once the letter is issued', async () => {
      const { elv, browser, hmi } = await visit()
      const item = await ctx.services.evidence.create(asActor(hmi), elv.id, { kind: 'meeting_note', title: 'Before the letter', body: 'x', source: 'y' })
      await db().insertInto('provider').values({
        authority_code: elv.authority_code, reference: `R-${elv.id}`, name: 'Ysgol Gynradd', kind: 'primary', last_inspected_on: '2026-03-01', summary: null, report_url: null, updated_at: NOW,
      }).execute()
      const token = csrfTokenIn((await browser.get(`/elvs/${elv.id}/evidence/${item.id}`)).body)
      await db().updateTable('elv').set({ state: 'issued' }).where('id', '=', elv.id).execute()

      const page = await browser.get(`/elvs/${elv.id}/evidence`)
      expect(page.statusCode).toBe(200)
      expect(h1Count(page.body)).toBe(1)
      expect(page.body).toContain('Before the letter')
      expect(page.body).toContain('so its evidence can no longer change')
      expect(page.body).not.toContain('Record evidence')
      expect(page.body).not.toContain('method="post" action="/elvs')
      expect(page.body).not.toContain('Bring in as evidence')
      const itemPage = await browser.get(`/elvs/${elv.id}/evidence/${item.id}`)
      expect(itemPage.statusCode).toBe(200)
      expect(itemPage.body).not.toContain('<textarea')
      expect(itemPage.body).not.toContain('evidence-autosave.js')
      expect((await browser.get(`/elvs/${elv.id}/evidence/new`)).statusCode).toBe(403)
      const post = await browser.post(`/elvs/${elv.id}/evidence/${item.id}`, { kind: 'meeting_note', title: 'Changed', body: 'x', source: 'y', version: '1' }, { csrf: token })
      expect(post.statusCode).toBe(409)
      const autosave = await postJson(browser, `/elvs/${elv.id}/evidence/${item.id}/autosave`, { kind: 'meeting_note', title: 'Changed', body: 'x', source: 'y', version: 1 }, token)
      expect(autosave.statusCode).toBe(409)
      expect(autosave.json().error.code).toBe('rule_violation')
      expect((await ctx.services.evidence.get(asActor(hmi), item.id)).title).toBe('Before the letter')
    })

    it('pages a long log: 50 newest a page, links that keep the filters, English and Welsh, the same for a peer on the team', async () => {
      const { elv, browser, hmi, focusAreas } = await visit()
      const attendance = (await ctx.services.themes.list()).find((th) => th.key === 'attendance')!
      // 120 items, two gathered each day so the id must order those; odd ones are data about attendance in focus area 1.
      const day = (i: number) => new Date(Date.UTC(2026, 0, 1) + Math.ceil(i / 2) * 86_400_000).toISOString().slice(0, 10)
      const ids = new Map<number, number>()
      for (let i = 1; i <= 120; i++) {
        const row = await db().insertInto('evidence').values({
          elv_id: elv.id, kind: i % 2 ? 'data' : 'meeting_note', title: `Item-${String(i).padStart(3, '0')}`, body: '', source: 'Test', meeting_id: null, gathered_on: day(i),
          recorded_at: NOW, recorded_by: hmi.id, from_authority: 0, origin_type: null, origin_id: null, draft_key: null, updated_at: NOW, updated_by: hmi.id,
        }).returning('id').executeTakeFirstOrThrow()
        ids.set(i, row.id)
      }
      const odd = [...ids].filter(([i]) => i % 2).map(([, id]) => id)
      await db().insertInto('evidence_focus_area').values(odd.map((id) => ({ evidence_id: id, focus_area_id: focusAreas[0]! }))).execute()
      await db().insertInto('evidence_theme').values(odd.map((id) => ({ evidence_id: id, theme_id: attendance.id }))).execute()
      const log = `/elvs/${elv.id}/evidence`
      const titles = (html: string) => [...html.matchAll(new RegExp(`href="${log}/\\d+">(Item-\\d{3})</a>`, 'g'))].map((m) => Number(m[1]!.slice(5)))
      const range = (from: number, to: number) => Array.from({ length: from - to + 1 }, (_, k) => from - k)

      const first = await browser.get(log)
      expect(first.statusCode).toBe(200)
      expect(titles(first.body)).toEqual(range(120, 71))
      expect(first.body).toContain('Showing 1 to 50 of 120 items')
      expect(first.body).toContain('<nav class="govuk-pagination" aria-label="Pages of evidence">')
      expect(first.body).toContain(`href="${log}?page=2" rel="next"`)
      expect(first.body).toContain(`href="${log}?page=3" aria-label="Page 3"`)
      expect(first.body).toContain(`href="${log}" aria-label="Page 1" aria-current="page"`)
      expect(first.body).not.toContain('rel="prev"')

      const third = await browser.get(`${log}?page=3`)
      expect(titles(third.body)).toEqual(range(20, 1))
      expect(third.body).toContain('Showing 101 to 120 of 120 items')
      expect(third.body).toContain(`href="${log}?page=2" rel="prev"`)
      expect(third.body).not.toContain('rel="next"')

      // Filters stay in every page link; the filter form itself starts again at page 1.
      const filters = `kind=data&focusArea=${focusAreas[0]}&theme=attendance`
      const filtered = await browser.get(`${log}?${filters}&page=2`)
      expect(titles(filtered.body)).toEqual(range(120, 1).filter((i) => i % 2).slice(50))
      expect(filtered.body).toContain('Showing 51 to 60 of 60 items')
      expect(filtered.body).toContain(`href="${log}?${filters.replace(/&/g, '&amp;')}" rel="prev"`)
      expect(filtered.body).toContain(`href="${log}?${filters.replace(/&/g, '&amp;')}&amp;page=2" aria-label="Page 2" aria-current="page"`)
      expect(filtered.body).toContain('<option value="data" selected>')
      // One page of results: the plain count, no page links.
      const onePage = await browser.get(`${log}?kind=data&page=2&focusArea=${focusAreas[1]}`)
      expect(onePage.body).toContain('No evidence matches these filters.')
      expect(onePage.body).toContain('0 items')
      expect(onePage.body).not.toContain('govuk-pagination')

      // A page number that is not one gives the first page; one past the end gives the last.
      for (const junk of ['abc', '-2', '0', '1.5', '99999999', '']) {
        const res = await browser.get(`${log}?page=${junk}`)
        expect(res.statusCode, junk).toBe(200)
        expect(titles(res.body)[0], junk).toBe(120)
      }
      const past = await browser.get(`${log}?page=7`)
      expect(past.statusCode).toBe(200)
      expect(titles(past.body)).toEqual(range(20, 1))
      expect(past.body).toContain(`href="${log}?page=3" aria-label="Page 3" aria-current="page"`)

      const welsh = await browser.get(`${log}?page=2`, { 'accept-language': 'cy' })
      expect(titles(welsh.body)).toEqual(range(70, 21))
      expect(welsh.body).toContain('Yn dangos 51 i 100 o 120 eitem')
      expect(welsh.body).toContain('aria-label="Tudalennau o dystiolaeth"')
      expect(welsh.body).toContain('Blaenorol')
      expect(welsh.body).toContain('Nesaf')
      expect(welsh.body).toContain(`href="${log}?page=3" aria-label="Tudalen 3"`)

      // A peer on the team sees the same log; a peer who is not, nothing (not even how many).
      const peer = await ctx.signedIn('peer', { authority: 'W06000015' })
      const stranger = await ctx.signedIn('peer', { authority: 'W06000015' })
      await ctx.services.team.add(system, elv.id, { email: peer.user.email })
      const peerPage = await peer.browser.get(`${log}?page=3`)
      expect(titles(peerPage.body)).toEqual(range(20, 1))
      expect(peerPage.body).toContain('Showing 101 to 120 of 120 items')
      const refused = await stranger.browser.get(`${log}?page=2`)
      expect(refused.statusCode).toBe(404)
      expect(refused.body).not.toContain('of 120 items')
    })

    it('serves the autosave script', async () => {
      const res = await ctx.browser().get('/static/evidence-autosave.js')
      expect(res.statusCode).toBe(200)
      expect(res.headers['content-type']).toContain('javascript')
      expect(res.body).toContain('x-csrf-token')
    })
  })
}

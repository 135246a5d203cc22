import { describe, expect, it } from 'vitest'
import ical, { type VEvent } from 'node-ical'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp } from '../../../test/helpers/test-app.ts'
import { systemActor } from '../auth/actor.ts'
import { fixedClock } from '../../clock.ts'
import type { AppUser } from '../../db/schema.ts'

const system = systemActor('test')
// Each test's visits belong to authorities of their own, so the two-live-visits rule never interferes.
const AUTHORITIES = ['W06000001', 'W06000002', 'W06000003', 'W06000004', 'W06000005', 'W06000006', 'W06000008', 'W06000009', 'W06000010', 'W06000011', 'W06000012']

for (const engine of testEngines()) {
  describe(`timetable on ${engine.name}`, () => {
    const clock = fixedClock('2026-07-01T09:00:00.000Z')
    const ctx = useTestApp(engine, { clock })
    let authorityNo = 0

    const tokenOf = async (user: AppUser) => (await ctx.services.auth.createToken(system, user.email)).token
    const call = (token: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) => ctx.app.inject({
      method, url, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { payload: JSON.stringify(body) } : {}),
    })
    const meetingCount = async (elvId: number) => Number((await ctx.services.database.db.selectFrom('meeting')
      .select((eb) => eb.fn.countAll<number>().as('n')).where('elv_id', '=', elvId).executeTakeFirstOrThrow()).n)

    /**
     * An ELV of its own authority with a team of two HMIs and two focus areas, written straight to
     * the tables: the team and focus-area modules are someone else's.
     */
    async function visit(opts: { term?: string; days?: [string, string] } = {}) {
      const authority = AUTHORITIES[authorityNo++]!
      const elv = await ctx.services.visits.create(system, { authority, term: opts.term ?? '2026-2027/summer' })
      if (opts.days) await ctx.services.visits.setVisitDays(system, elv.id, { visitDay1: opts.days[0], visitDay2: opts.days[1], version: elv.version })
      const lead = await ctx.make.user('hmi', { name: 'Gwen Lead' })
      const second = await ctx.make.user('hmi', { name: 'Huw Second' })
      const db = ctx.services.database.db
      const now = clock.nowIso()
      await db.insertInto('elv_team_member').values([
        { elv_id: elv.id, user_id: lead.id, is_lead: 1, override_reason: null, added_by: null, added_at: now },
        { elv_id: elv.id, user_id: second.id, is_lead: 0, override_reason: null, added_by: null, added_at: now },
      ]).execute()
      const focusAreas = await db.insertInto('focus_area').values([1, 2].map((position) => ({
        elv_id: elv.id, position, title: `Focus ${position}`, description: 'd', source: 'authority_priority' as const,
        recommendation_id: null, framework_key: null, framework_area_code: null, proposed_by_side: 'inspectorate' as const,
        proposed_by: null, proposed_at: now, inspectorate_agreed_by: null, inspectorate_agreed_at: null,
        authority_agreed_by: null, authority_agreed_at: null, withdrawn_at: null,
      }))).returning(['id']).execute()
      return { elv, authority, lead, second, token: await tokenOf(lead), focusAreaIds: focusAreas.map((f) => f.id) }
    }

    it('adds a meeting through the API, lists it, audits it, and counts it towards readiness', async () => {
      const v = await visit()
      const res = await call(v.token, 'POST', `/api/v1/elvs/${v.elv.id}/meetings`, {
        day: 1, start: '9:30', end: '10:30', title: 'Director and senior officers', place: 'County Hall',
        attendees: [{ name: 'Dr A Director', role: 'Director of education', kind: 'officer' }, { name: 'Cllr B', role: 'Cabinet member', kind: 'elected_member' }],
        inspectors: [v.lead.email.toUpperCase(), v.second.id], focusAreaIds: [v.focusAreaIds[0]],
      })
      expect(res.statusCode).toBe(201)
      expect(res.json()).toMatchObject({
        elvId: v.elv.id, day: 1, start: '09:30', end: '10:30', title: 'Director and senior officers', place: 'County Hall', videoLink: null,
        attendees: [{ name: 'Dr A Director', kind: 'officer', suggestedByAuthority: false }, { name: 'Cllr B', kind: 'elected_member' }],
        inspectors: [{ id: v.lead.id, name: 'Gwen Lead' }, { id: v.second.id }],
        focusAreas: [{ id: v.focusAreaIds[0], title: 'Focus 1' }],
        warnings: [],
      })
      await call(v.token, 'POST', `/api/v1/elvs/${v.elv.id}/meetings`, {
        day: 2, start: '13:00', end: '14:00', title: 'Headteachers', videoLink: 'https://meet.example/x', inspectors: [v.lead.email], focusAreaIds: [v.focusAreaIds[1]],
      })
      const list = (await call(v.token, 'GET', `/api/v1/elvs/${v.elv.id}/meetings`)).json()
      expect(list.items.map((m: { title: string }) => m.title)).toEqual(['Director and senior officers', 'Headteachers'])
      const readiness = await ctx.services.visits.readiness(await ctx.services.visits.get(system, v.elv.id))
      expect([...readiness.meetingsPerFocusArea.entries()].sort()).toEqual([[v.focusAreaIds[0], 1], [v.focusAreaIds[1], 1]].sort())
      const history = await ctx.services.audit.list({ entityType: 'elv', entityId: String(v.elv.id) }, { limit: 10, offset: 0 })
      expect(history.items.filter((e) => e.action === 'meeting.add')).toHaveLength(2)
    })

    it('refuses a meeting ending before it starts, naming every problem at once, and saves nothing', async () => {
      const v = await visit()
      const stranger = await ctx.make.user('hmi')
      const before = (await ctx.services.visits.get(system, v.elv.id)).version
      const res = await call(v.token, 'POST', `/api/v1/elvs/${v.elv.id}/meetings`, {
        day: 1, start: '11:00', end: '10:00', title: 'Backwards', videoLink: 'http://insecure.example',
        attendees: [{ name: 'Someone', role: '', kind: 'mayor' }],
        inspectors: [v.lead.email, stranger.email], focusAreaIds: [v.focusAreaIds[0], 999999],
      })
      expect(res.statusCode).toBe(400)
      const details = res.json().error.details as Array<{ path: string; message: string }>
      expect(details.find((d) => d.path === 'end')?.message).toBe('The meeting must end after it starts')
      expect(details.map((d) => d.path).sort()).toEqual(['attendees[0].kind', 'attendees[0].role', 'end', 'focusAreaIds[1]', 'inspectors[1]', 'videoLink'])
      expect(details.find((d) => d.path === 'inspectors[1]')?.message).toBe(`${stranger.email} is not on this visit’s team`)
      expect(await meetingCount(v.elv.id)).toBe(0)
      // Not even the visit's version moved: the whole transaction was rolled back.
      expect((await ctx.services.visits.get(system, v.elv.id)).version).toBe(before)

      const onlyStranger = await call(v.token, 'POST', `/api/v1/elvs/${v.elv.id}/meetings`, {
        day: 1, start: '09:00', end: '10:00', title: 'Fine otherwise', inspectors: [stranger.email],
      })
      expect(onlyStranger.statusCode).toBe(400)
      expect(onlyStranger.json().error.details).toEqual([expect.objectContaining({ path: 'inspectors[0]' })])
      const early = await call(v.token, 'POST', `/api/v1/elvs/${v.elv.id}/meetings`, { day: 3, start: '06:30', end: '21:00' })
      expect(early.json().error.details.map((d: { path: string }) => d.path).sort()).toEqual(['day', 'end', 'start', 'title'])
      expect(await meetingCount(v.elv.id)).toBe(0)
    })

    it('flags an inspector in two meetings at once without refusing it', async () => {
      const v = await visit()
      const first = await call(v.token, 'POST', `/api/v1/elvs/${v.elv.id}/meetings`, { day: 1, start: '09:00', end: '10:00', title: 'First', inspectors: [v.lead.email] })
      expect(first.json().warnings).toEqual([])
      const clash = await call(v.token, 'POST', `/api/v1/elvs/${v.elv.id}/meetings`, { day: 1, start: '09:30', end: '11:00', title: 'Second', inspectors: [v.lead.email, v.second.email] })
      expect(clash.statusCode).toBe(201)
      expect(clash.json().warnings).toEqual([{
        code: 'inspector_overlap', day: 1, inspector: { id: v.lead.id, name: 'Gwen Lead' }, meetingIds: [first.json().id, clash.json().id],
        message: 'Gwen Lead is in two meetings at the same time on day 1: First (09:00–10:00) and Second (09:30–11:00).',
      }])
      // Back to back, or the same time on the other day, is no clash.
      const next = await call(v.token, 'POST', `/api/v1/elvs/${v.elv.id}/meetings`, { day: 1, start: '11:00', end: '12:00', title: 'Third', inspectors: [v.lead.email] })
      expect(next.json().warnings).toEqual([])
      const otherDay = await call(v.token, 'POST', `/api/v1/elvs/${v.elv.id}/meetings`, { day: 2, start: '09:00', end: '10:00', title: 'Fourth', inspectors: [v.lead.email] })
      expect(otherDay.json().warnings).toEqual([])
      expect((await call(v.token, 'GET', `/api/v1/elvs/${v.elv.id}/meetings`)).json().warnings).toHaveLength(1)

      const { browser } = await ctx.signedIn('admin')
      const page = await browser.get(`/elvs/${v.elv.id}/timetable`)
      expect(page.body).toContain('Gwen Lead is in two meetings at the same time on day 1')
    })

    it('changes a meeting only with its current version, and deletes it', async () => {
      const v = await visit()
      const created = (await call(v.token, 'POST', `/api/v1/elvs/${v.elv.id}/meetings`, { day: 1, start: '09:00', end: '10:00', title: 'Draft', inspectors: [v.lead.email] })).json()
      const body = { day: 2, start: '10:00', end: '11:30', title: 'Moved', inspectors: [v.second.email], focusAreaIds: v.focusAreaIds }
      const moved = await call(v.token, 'PUT', `/api/v1/elvs/${v.elv.id}/meetings/${created.id}`, { ...body, version: created.version })
      expect(moved.statusCode).toBe(200)
      expect(moved.json()).toMatchObject({ day: 2, start: '10:00', title: 'Moved', inspectors: [{ id: v.second.id }], focusAreas: [{}, {}], version: created.version + 1 })
      const stale = await call(v.token, 'PUT', `/api/v1/elvs/${v.elv.id}/meetings/${created.id}`, { ...body, title: 'Lost', version: created.version })
      expect(stale.statusCode).toBe(409)
      expect(stale.json().error.code).toBe('version_conflict')
      expect((await call(v.token, 'DELETE', `/api/v1/elvs/${v.elv.id}/meetings/${created.id}?version=${created.version}`)).statusCode).toBe(409)
      expect((await call(v.token, 'DELETE', `/api/v1/elvs/${v.elv.id}/meetings/${created.id}`)).statusCode).toBe(204)
      expect(await meetingCount(v.elv.id)).toBe(0)
      expect((await call(v.token, 'DELETE', `/api/v1/elvs/${v.elv.id}/meetings/${created.id}`)).statusCode).toBe(404)
    })

    it('lets an authority user suggest attendees for its own visit only, and add nothing else', async () => {
      const own = await visit()
      const other = await visit()
      const ownMeeting = (await call(own.token, 'POST', `/api/v1/elvs/${own.elv.id}/meetings`, { day: 1, start: '09:00', end: '10:00', title: 'Officers' })).json()
      const otherMeeting = (await call(other.token, 'POST', `/api/v1/elvs/${other.elv.id}/meetings`, { day: 1, start: '09:00', end: '10:00', title: 'Theirs' })).json()
      const la = await ctx.make.user('la', { authority: own.authority })
      const token = await tokenOf(la)

      const suggested = await call(token, 'POST', `/api/v1/elvs/${own.elv.id}/meetings/${ownMeeting.id}/attendees`, { name: 'Ms C Head', role: 'Headteacher', kind: 'stakeholder' })
      expect(suggested.statusCode).toBe(201)
      expect(suggested.json().attendees).toEqual([expect.objectContaining({ name: 'Ms C Head', kind: 'stakeholder', suggestedByAuthority: true })])
      const row = await ctx.services.database.db.selectFrom('meeting_attendee').selectAll().where('meeting_id', '=', ownMeeting.id).executeTakeFirstOrThrow()
      expect(row.suggested_by_authority).toBe(1)
      const bad = await call(token, 'POST', `/api/v1/elvs/${own.elv.id}/meetings/${ownMeeting.id}/attendees`, { name: '', kind: 'x' })
      expect(bad.statusCode).toBe(400)
      expect(bad.json().error.details.map((d: { path: string }) => d.path)).toEqual(['name', 'role', 'kind'])

      expect((await call(token, 'POST', `/api/v1/elvs/${other.elv.id}/meetings/${otherMeeting.id}/attendees`, { name: 'X', role: 'Y', kind: 'officer' })).statusCode).toBe(404)
      // Another visit's meeting through its own visit's address is not found either.
      expect((await call(token, 'POST', `/api/v1/elvs/${own.elv.id}/meetings/${otherMeeting.id}/attendees`, { name: 'X', role: 'Y', kind: 'officer' })).statusCode).toBe(404)
      expect((await call(token, 'GET', `/api/v1/elvs/${other.elv.id}/meetings`)).statusCode).toBe(404)
      expect((await call(token, 'GET', `/api/v1/elvs/${other.elv.id}/timetable.ics`)).statusCode).toBe(404)
      expect((await call(token, 'POST', `/api/v1/elvs/${own.elv.id}/meetings`, { day: 1, start: '11:00', end: '12:00', title: 'Mine' })).statusCode).toBe(403)
      expect((await call(token, 'DELETE', `/api/v1/elvs/${own.elv.id}/meetings/${ownMeeting.id}`)).statusCode).toBe(403)

      // The same on the page: the authority sees the timetable and a form to suggest an attendee.
      const { browser } = await ctx.signedIn('la', { authority: own.authority })
      const page = await browser.get(`/elvs/${own.elv.id}/timetable`)
      expect(page.statusCode).toBe(200)
      expect(page.body).toContain('Suggest an attendee')
      expect(page.body).toContain('Suggested by the authority')
      expect(page.body).not.toContain('Add a meeting')
      const missing = await browser.post(`/elvs/${own.elv.id}/timetable/meetings/${ownMeeting.id}/suggest`, { name: 'Mr D', role: '', kind: 'officer' }, { from: `/elvs/${own.elv.id}/timetable` })
      expect(missing.statusCode).toBe(400)
      expect(missing.body).toContain(`href="#suggest-${ownMeeting.id}-role"`)
      expect(missing.body).toContain('value="Mr D"')
      const ok = await browser.post(`/elvs/${own.elv.id}/timetable/meetings/${ownMeeting.id}/suggest`, { name: 'Mr D', role: 'Chair of governors', kind: 'stakeholder' }, { from: `/elvs/${own.elv.id}/timetable` })
      expect(ok.statusCode).toBe(303)
      expect((await browser.get(`/elvs/${other.elv.id}/timetable`)).statusCode).toBe(404)
      const history = await ctx.services.audit.list({ entityType: 'elv', entityId: String(own.elv.id), action: 'meeting.attendee_suggest' }, { limit: 10, offset: 0 })
      expect(history.items).toHaveLength(2)
    })

    it('downloads the timetable as iCalendar once the visit days are set', async () => {
      const summer = await visit({ term: '2026-2027/summer' })
      const early = await call(summer.token, 'GET', `/api/v1/elvs/${summer.elv.id}/timetable.ics`)
      expect(early.statusCode).toBe(409)
      expect(early.json().error).toMatchObject({ code: 'rule_violation', details: [{ path: 'visitDays' }] })
      const withDays = await ctx.services.visits.setVisitDays(system, summer.elv.id, { visitDay1: '2027-06-15', visitDay2: '2027-06-16', version: summer.elv.version })
      expect(withDays.visit_day1).toBe('2027-06-15')
      await call(summer.token, 'POST', `/api/v1/elvs/${summer.elv.id}/meetings`, {
        day: 1, start: '09:30', end: '10:30', title: 'Director; finance, and schools', place: 'Room 1, County Hall',
        attendees: [{ name: 'Siân Ŵyn', role: 'Director, education', kind: 'officer' }], inspectors: [summer.lead.email], focusAreaIds: [summer.focusAreaIds[0]],
      })
      await call(summer.token, 'POST', `/api/v1/elvs/${summer.elv.id}/meetings`, { day: 2, start: '14:00', end: '15:00', title: 'Online', videoLink: 'https://meet.example/abc' })
      const res = await call(summer.token, 'GET', `/api/v1/elvs/${summer.elv.id}/timetable.ics`)
      expect(res.statusCode).toBe(200)
      expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8')
      expect(res.body).toContain('\r\nDTSTART;TZID=Europe/London:20270615T093000\r\n')
      expect(res.body.replace(/\r\n/g, '')).not.toMatch(/\n/)
      for (const line of res.body.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75)
      const events = Object.values(ical.sync.parseICS(res.body)).filter((c): c is VEvent => c?.type === 'VEVENT')
      expect(events).toHaveLength(2)
      const [first, second] = events as [VEvent, VEvent]
      expect(first!.uid).toMatch(/^meeting-\d+@cyswllt$/)
      expect(first!.start.toISOString()).toBe('2027-06-15T08:30:00.000Z')
      expect(first!.end?.toISOString()).toBe('2027-06-15T09:30:00.000Z')
      expect(first!.summary).toBe('Director; finance, and schools')
      expect(first!.location).toBe('Room 1, County Hall')
      expect(first!.description).toContain('Siân Ŵyn, Director, education (Officer)')
      expect(first!.description).toContain('Gwen Lead')
      expect(first!.description).toContain('Focus 1')
      expect(second!.start.toISOString()).toBe('2027-06-16T13:00:00.000Z')
      expect(second!.location).toBe('https://meet.example/abc')

      // Winter: London is on GMT, so the same clock time is an hour later in UTC than in June.
      const winter = await visit({ term: '2026-2027/spring', days: ['2027-01-19', '2027-01-20'] })
      await call(winter.token, 'POST', `/api/v1/elvs/${winter.elv.id}/meetings`, { day: 2, start: '09:30', end: '10:30', title: 'Winter' })
      const la = await ctx.signedIn('la', { authority: winter.authority })
      const page = await la.browser.get(`/elvs/${winter.elv.id}/timetable.ics`)
      expect(page.statusCode).toBe(200)
      expect(page.headers['content-disposition']).toBe(`attachment; filename="elv-${winter.elv.id}-timetable.ics"`)
      const [winterEvent] = Object.values(ical.sync.parseICS(page.body)).filter((c): c is VEvent => c?.type === 'VEVENT')
      expect(winterEvent?.start.toISOString()).toBe('2027-01-20T09:30:00.000Z')
    })

    it('adds a meeting from the page form, ignoring blank rows, and keeps the input when it is wrong', async () => {
      const v = await visit({ days: ['2027-06-15', '2027-06-16'] })
      const { browser, user } = await ctx.signedIn('hmi')
      await ctx.services.database.db.insertInto('elv_team_member').values({ elv_id: v.elv.id, user_id: user.id, is_lead: 0, override_reason: null, added_by: null, added_at: clock.nowIso() }).execute()
      const url = `/elvs/${v.elv.id}/timetable`
      const page = await browser.get(url)
      expect(page.statusCode).toBe(200)
      for (const text of ['Add a meeting', 'Start time', 'End time', 'Download the timetable (.ics)', 'attendee-5-kind', 'Gwen Lead', 'Focus 2', 'Add meeting']) expect(page.body).toContain(text)

      const form = {
        day: '1', start: '10:00', end: '09:00', title: 'Officers', place: '', videoLink: '',
        'attendee-1-name': '', 'attendee-1-role': '', 'attendee-1-kind': 'officer',
        'attendee-2-name': 'Ann Officer', 'attendee-2-role': '', 'attendee-2-kind': 'officer',
        inspectors: String(v.lead.id), focusAreaIds: String(v.focusAreaIds[1]),
      }
      const bad = await browser.post(`${url}/meetings`, form, { from: url })
      expect(bad.statusCode).toBe(400)
      expect(bad.body).toContain('The meeting must end after it starts')
      expect(bad.body).toContain('href="#end"')
      expect(bad.body).toContain('href="#attendee-2-role"')
      expect(bad.body).toContain('value="Ann Officer"')
      expect(bad.body).toMatch(new RegExp(`value="${v.lead.id}" checked`))
      expect(bad.body).toMatch(new RegExp(`value="${v.focusAreaIds[1]}" checked`))
      expect(await meetingCount(v.elv.id)).toBe(0)

      const good = await browser.post(`${url}/meetings`, { ...form, end: '11:00', 'attendee-2-role': 'Head of service' }, { from: url })
      expect(good.statusCode).toBe(303)
      expect(good.headers.location).toBe(url)
      const after = await browser.get(url)
      expect(after.body).toContain('The meeting has been added.')
      expect(after.body).toContain('Ann Officer, Head of service (Officer)')
      const [meeting] = (await ctx.services.timetable.list(system, v.elv.id)).meetings
      expect(meeting).toMatchObject({ day: 1, start: '10:00', end: '11:00', attendees: [{ name: 'Ann Officer' }], inspectors: [{ id: v.lead.id }], focusAreas: [{ id: v.focusAreaIds[1] }] })

      const deleted = await browser.post(`${url}/meetings/${meeting!.id}/delete`, { version: String(meeting!.version) }, { from: url })
      expect(deleted.statusCode).toBe(303)
      expect(await meetingCount(v.elv.id)).toBe(0)
    })
  })
}

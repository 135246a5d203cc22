import type { Database, Db } from '../../db/database.ts'
import { ATTENDEE_KINDS, type AttendeeKind } from '../../db/schema.ts'
import type { Clock } from '../../clock.ts'
import { AppError, notFound, versionConflict } from '../../http/errors.ts'
import { Check } from '../../http/check.ts'
import type { Actor } from '../auth/actor.ts'
import type { AuditService } from '../audit/audit.service.ts'
import type { ElvView, VisitsService } from '../visits/visits.service.ts'
import { timetableRepository, type MeetingRow, type MeetingValues, type NewAttendee } from './timetable.repository.ts'
import { DAY_ENDS, DAY_STARTS, findOverlaps, normaliseTime, withinDay, type Overlap } from './timetable.rules.ts'

/** A meeting as the API answers it and the page shows it. */
export interface MeetingView extends MeetingValues {
  id: number
  elvId: number
  attendees: Array<{ id: number; name: string; role: string; kind: AttendeeKind; suggestedByAuthority: boolean }>
  inspectors: Array<{ id: number; name: string; email: string }>
  focusAreas: Array<{ id: number; title: string }>
  version: number
}

/** What a meeting form or API body may carry; everything is checked, nothing is trusted. */
export interface MeetingInput {
  day?: unknown
  start?: unknown
  end?: unknown
  title?: unknown
  place?: unknown
  videoLink?: unknown
  attendees?: unknown
  /** E-mail addresses or user ids of team members. */
  inspectors?: unknown
  focusAreaIds?: unknown
  /** On add: the ELV's version (optional); on update: the meeting's version. */
  version?: unknown
}

export interface AttendeeInput { name?: unknown; role?: unknown; kind?: unknown }

export interface Timetable {
  elv: ElvView
  meetings: MeetingView[]
  overlaps: Overlap[]
  team: Array<{ id: number; name: string; email: string; lead: boolean }>
  focusAreas: Array<{ id: number; title: string }>
}

export const staleMeeting = () => versionConflict('Someone else changed this meeting after you opened it. Reload it to see their changes, then try again.')

const visitDaysFirst = () => new AppError('rule_violation', 'Set the two visit days first: each meeting in the calendar needs its date.', [
  { path: 'visitDays', messageKey: 'timetable.rule.visitDaysFirst' },
])

function toView(m: MeetingRow): MeetingView {
  return {
    id: m.id, elvId: m.elv_id, day: Number(m.day) as 1 | 2, start: m.start_time, end: m.end_time, title: m.title,
    place: m.place, videoLink: m.video_link, version: m.version,
    attendees: m.attendees.map((a) => ({ id: a.id, name: a.name, role: a.role, kind: a.kind, suggestedByAuthority: a.suggested_by_authority === 1 })),
    inspectors: m.inspectors,
    focusAreas: m.focusAreas.map((f) => ({ id: f.id, title: f.title })),
  }
}

/** The two-day timetable of meetings of an ELV, and its iCalendar export. */
export class TimetableService {
  constructor(
    readonly database: Database,
    readonly audit: AuditService,
    readonly clock: Clock,
    readonly visits: VisitsService,
  ) {}

  /** Everything the timetable page needs; 404 when the actor may not see the ELV. */
  async timetable(actor: Actor, elvId: number): Promise<Timetable> {
    const db = this.database.db
    const elv = await this.visits.get(actor, elvId)
    const repo = timetableRepository(db)
    const [rows, team, focusAreas] = await Promise.all([repo.list(elvId), repo.team(elvId), repo.focusAreas(elvId)])
    const meetings = rows.map(toView)
    return {
      elv, meetings, overlaps: findOverlaps(meetings),
      team: team.map((m) => ({ id: m.id, name: m.name, email: m.email, lead: m.is_lead === 1 })),
      focusAreas: focusAreas.map((f) => ({ id: f.id, title: f.title })),
    }
  }

  async list(actor: Actor, elvId: number): Promise<{ meetings: MeetingView[]; overlaps: Overlap[] }> {
    const { meetings, overlaps } = await this.timetable(actor, elvId)
    return { meetings, overlaps }
  }

  /** The ELV and its meetings for the calendar file; refused until both visit days are set. */
  async calendar(actor: Actor, elvId: number): Promise<{ elv: ElvView; meetings: MeetingView[] }> {
    const elv = await this.visits.get(actor, elvId)
    if (!elv.visit_day1 || !elv.visit_day2) throw visitDaysFirst()
    const rows = await timetableRepository(this.database.db).list(elvId)
    return { elv, meetings: rows.map(toView) }
  }

  /** Adds a meeting; an inspector in two meetings at once is returned as a warning, not refused. */
  async addMeeting(actor: Actor, elvId: number, input: MeetingInput): Promise<{ meeting: MeetingView; warnings: Overlap[] }> {
    const elvVersion = input.version === undefined || input.version === null || input.version === '' ? null : input.version
    return this.database.db.transaction().execute(async (trx) => {
      const versionCheck = new Check()
      const version = elvVersion === null ? null : versionCheck.integer('version', 'timetable.field.version', elvVersion, { min: 1 })
      versionCheck.done()
      await this.visits.beginEdit(trx, actor, elvId, { version })
      const v = await this.validate(trx, elvId, input)
      const repo = timetableRepository(trx)
      const now = this.clock.nowIso()
      const meeting = await repo.insert(elvId, v.values, now)
      await repo.setAttendees(meeting.id, v.attendees)
      await repo.setInspectors(meeting.id, v.inspectorIds)
      await repo.setFocusAreas(meeting.id, v.focusAreaIds)
      await this.audit.record(trx, actor, 'meeting.add', { type: 'elv', id: elvId }, { meetingId: meeting.id, ...v.values, attendees: v.attendees.length, inspectors: v.inspectorIds, focusAreas: v.focusAreaIds })
      return this.answer(trx, elvId, meeting.id)
    })
  }

  /** Changes a meeting, refusing a stale `version` of the meeting; attendees the authority suggested keep that mark. */
  async updateMeeting(actor: Actor, elvId: number, meetingId: number, input: MeetingInput): Promise<{ meeting: MeetingView; warnings: Overlap[] }> {
    return this.database.db.transaction().execute(async (trx) => {
      await this.visits.beginEdit(trx, actor, elvId)
      const repo = timetableRepository(trx)
      const existing = await repo.get(elvId, meetingId)
      if (!existing) throw notFound('meeting')
      const v = await this.validate(trx, elvId, input, { requireVersion: true })
      if (v.version !== existing.version) throw staleMeeting()
      const now = this.clock.nowIso()
      const updated = await repo.update(elvId, meetingId, existing.version, v.values, now)
      if (!updated) throw staleMeeting()
      const suggested = new Set(existing.attendees.filter((a) => a.suggested_by_authority === 1).map(attendeeKey))
      await repo.setAttendees(meetingId, v.attendees.map((a) => ({ ...a, suggestedByAuthority: suggested.has(attendeeKey(a)) })))
      await repo.setInspectors(meetingId, v.inspectorIds)
      await repo.setFocusAreas(meetingId, v.focusAreaIds)
      await this.audit.record(trx, actor, 'meeting.update', { type: 'elv', id: elvId }, {
        meetingId, from: { day: existing.day, start: existing.start_time, end: existing.end_time, title: existing.title },
        to: { ...v.values, attendees: v.attendees.length, inspectors: v.inspectorIds, focusAreas: v.focusAreaIds },
      })
      return this.answer(trx, elvId, meetingId)
    })
  }

  async deleteMeeting(actor: Actor, elvId: number, meetingId: number, input: { version?: unknown } = {}): Promise<void> {
    const check = new Check()
    const version = input.version === undefined || input.version === '' ? null : check.integer('version', 'timetable.field.version', input.version, { min: 1 })
    check.done()
    await this.database.db.transaction().execute(async (trx) => {
      await this.visits.beginEdit(trx, actor, elvId)
      const repo = timetableRepository(trx)
      const existing = await repo.get(elvId, meetingId)
      if (!existing) throw notFound('meeting')
      if (version !== null && version !== existing.version) throw staleMeeting()
      await repo.delete(elvId, meetingId)
      await this.audit.record(trx, actor, 'meeting.delete', { type: 'elv', id: elvId }, {
        meetingId, day: existing.day, start: existing.start_time, end: existing.end_time, title: existing.title,
      })
    })
  }

  /**
   * Authority users suggest who should attend a meeting of their own authority's ELV; the
   * inspectorate sees the suggestion marked as theirs.
   */
  async suggestAttendee(actor: Actor, elvId: number, meetingId: number, input: AttendeeInput): Promise<MeetingView> {
    const check = new Check()
    const attendee = checkAttendee(check, '', input)
    return this.database.db.transaction().execute(async (trx) => {
      await this.visits.beginEdit(trx, actor, elvId, { authorityMay: true })
      const repo = timetableRepository(trx)
      const meeting = await repo.get(elvId, meetingId)
      if (!meeting) throw notFound('meeting')
      check.done()
      const byAuthority = actor.kind === 'user' && actor.role === 'la'
      await repo.addAttendees(meetingId, [{ ...attendee!, suggestedByAuthority: byAuthority }])
      await repo.touch(meetingId, this.clock.nowIso())
      await this.audit.record(trx, actor, 'meeting.attendee_suggest', { type: 'elv', id: elvId }, { meetingId, ...attendee, byAuthority })
      return toView((await repo.get(elvId, meetingId))!)
    })
  }

  private async answer(trx: Db, elvId: number, meetingId: number): Promise<{ meeting: MeetingView; warnings: Overlap[] }> {
    const all = (await timetableRepository(trx).list(elvId)).map(toView)
    const meeting = all.find((m) => m.id === meetingId)!
    const warnings = findOverlaps(all).filter((o) => o.first.id === meetingId || o.second.id === meetingId)
    return { meeting, warnings }
  }

  /** Every problem with a meeting at once: its own fields, then who and what it names on this ELV. */
  private async validate(trx: Db, elvId: number, input: MeetingInput, opts: { requireVersion?: boolean } = {}) {
    const check = new Check()
    const day = input.day === 1 || input.day === '1' ? 1 : input.day === 2 || input.day === '2' ? 2 : null
    if (day === null) check.add('day', 'validation.choice', { field: 'timetable.field.day' })
    const start = checkTime(check, 'start', 'timetable.field.start', input.start)
    const end = checkTime(check, 'end', 'timetable.field.end', input.end)
    if (start && end && end <= start) check.add('end', 'timetable.rule.endAfterStart')
    const title = check.text('title', 'timetable.field.title', input.title, { max: 150 })
    const place = check.text('place', 'timetable.field.place', input.place, { required: false, max: 200 })
    const videoLink = check.text('videoLink', 'timetable.field.videoLink', input.videoLink, { required: false, max: 500 })
    if (videoLink && !isHttpsUrl(videoLink)) check.add('videoLink', 'timetable.rule.videoLink')

    const attendees: Array<NewAttendee> = []
    listOf(check, 'attendees', 'timetable.field.attendees', input.attendees).forEach((a, i) => {
      const checked = checkAttendee(check, `attendees[${i}].`, a)
      if (checked) attendees.push({ ...checked, suggestedByAuthority: false })
    })

    const repo = timetableRepository(trx)
    const [team, focusAreas] = await Promise.all([repo.team(elvId), repo.focusAreas(elvId)])
    const inspectorIds: number[] = []
    listOf(check, 'inspectors', 'timetable.field.inspectors', input.inspectors).forEach((x, i) => {
      const text = typeof x === 'number' || typeof x === 'string' ? String(x).trim() : ''
      const member = /^\d+$/.test(text) ? team.find((m) => m.id === Number(text)) : team.find((m) => m.email.toLowerCase() === text.toLowerCase())
      if (!member) check.add(`inspectors[${i}]`, 'timetable.rule.notOnTeam', { inspector: text || '?' })
      else if (!inspectorIds.includes(member.id)) inspectorIds.push(member.id)
    })
    const focusAreaIds: number[] = []
    listOf(check, 'focusAreaIds', 'timetable.field.focusAreas', input.focusAreaIds).forEach((x, i) => {
      const id = typeof x === 'number' ? x : typeof x === 'string' && /^\d+$/.test(x.trim()) ? Number(x) : NaN
      if (!focusAreas.some((f) => f.id === id)) check.add(`focusAreaIds[${i}]`, 'timetable.rule.unknownFocusArea', { id: String(x) })
      else if (!focusAreaIds.includes(id)) focusAreaIds.push(id)
    })
    const version = opts.requireVersion ? check.integer('version', 'timetable.field.version', input.version, { min: 1 }) : null
    check.done()
    const values: MeetingValues = { day: day!, start: start!, end: end!, title: title!, place, videoLink }
    return { values, attendees, inspectorIds, focusAreaIds, version }
  }
}

const attendeeKey = (a: { name: string; role: string; kind: string }) => `${a.name.toLowerCase()}\u0000${a.role.toLowerCase()}\u0000${a.kind}`

function checkAttendee(check: Check, prefix: string, input: unknown): { name: string; role: string; kind: AttendeeKind } | null {
  const a = (input && typeof input === 'object' ? input : {}) as AttendeeInput
  const name = check.text(`${prefix}name`, 'timetable.field.attendeeNameText', a.name, { max: 150 })
  const role = check.text(`${prefix}role`, 'timetable.field.attendeeRoleText', a.role, { max: 150 })
  const kind = check.oneOf(`${prefix}kind`, 'timetable.field.attendeeKindText', a.kind, ATTENDEE_KINDS)
  return name && role && kind ? { name, role, kind } : null
}

function checkTime(check: Check, path: string, label: string, value: unknown): string | null {
  const raw = check.text(path, label, value, { max: 10 })
  if (!raw) return null
  const time = normaliseTime(raw)
  if (!time) {
    check.add(path, 'timetable.rule.time', { field: label })
    return null
  }
  if (!withinDay(time)) {
    check.add(path, 'timetable.rule.outsideDay', { field: label, from: DAY_STARTS, to: DAY_ENDS })
    return null
  }
  return time
}

/** A missing list is an empty one; anything else that is not a list is a problem with the field. */
function listOf(check: Check, path: string, label: string, value: unknown): unknown[] {
  if (value === undefined || value === null || value === '') return []
  if (Array.isArray(value)) return value
  check.add(path, 'timetable.rule.list', { field: label })
  return []
}

function isHttpsUrl(s: string): boolean {
  try {
    const u = new URL(s)
    return u.protocol === 'https:' && Boolean(u.hostname)
  } catch {
    return false
  }
}

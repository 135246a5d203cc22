import { sql } from 'kysely'
import type { Db } from '../../db/database.ts'
import type { AttendeeKind, Meeting, MeetingAttendee } from '../../db/schema.ts'

export interface MeetingValues {
  day: 1 | 2
  start: string
  end: string
  title: string
  place: string | null
  videoLink: string | null
}

export interface NewAttendee { name: string; role: string; kind: AttendeeKind; suggestedByAuthority: boolean }

export interface MeetingRow extends Meeting {
  attendees: MeetingAttendee[]
  inspectors: Array<{ id: number; name: string; email: string }>
  focusAreas: Array<{ id: number; title: string; position: number }>
}

/**
 * The meetings of one ELV and what hangs off them. Callers have already checked the actor may see
 * the ELV (through the visits service), so every query here is keyed by that ELV's id.
 */
export function timetableRepository(db: Db) {
  async function addAttendees(meetingId: number, attendees: readonly NewAttendee[]): Promise<void> {
    if (!attendees.length) return
    await db.insertInto('meeting_attendee').values(attendees.map((a) => ({
      meeting_id: meetingId, name: a.name, role: a.role, kind: a.kind, suggested_by_authority: a.suggestedByAuthority ? 1 as const : 0 as const,
    }))).execute()
  }

  async function withDetails(meetings: Meeting[]): Promise<MeetingRow[]> {
    if (!meetings.length) return []
    const ids = meetings.map((m) => m.id)
    const [attendees, inspectors, focusAreas] = await Promise.all([
      db.selectFrom('meeting_attendee').selectAll().where('meeting_id', 'in', ids).orderBy('id').execute(),
      db.selectFrom('meeting_inspector as mi').innerJoin('app_user as u', 'u.id', 'mi.user_id')
        .select(['mi.meeting_id', 'u.id', 'u.name', 'u.email']).where('mi.meeting_id', 'in', ids).orderBy('u.name').orderBy('u.id').execute(),
      db.selectFrom('meeting_focus_area as mf').innerJoin('focus_area as f', 'f.id', 'mf.focus_area_id')
        .select(['mf.meeting_id', 'f.id', 'f.title', 'f.position']).where('mf.meeting_id', 'in', ids).orderBy('f.position').orderBy('f.id').execute(),
    ])
    return meetings.map((m) => ({
      ...m,
      attendees: attendees.filter((a) => a.meeting_id === m.id),
      inspectors: inspectors.filter((i) => i.meeting_id === m.id).map(({ id, name, email }) => ({ id, name, email })),
      focusAreas: focusAreas.filter((f) => f.meeting_id === m.id).map(({ id, title, position }) => ({ id, title, position })),
    }))
  }

  return {
    /** The ELV's team, who alone may be named as a meeting's inspectors. */
    team(elvId: number) {
      return db.selectFrom('elv_team_member as tm').innerJoin('app_user as u', 'u.id', 'tm.user_id')
        .select(['u.id', 'u.name', 'u.email', 'tm.is_lead'])
        .where('tm.elv_id', '=', elvId).orderBy('tm.is_lead', 'desc').orderBy('u.name').orderBy('u.id').execute()
    },

    /** Focus areas a meeting may serve: this ELV's, not withdrawn. */
    focusAreas(elvId: number) {
      return db.selectFrom('focus_area').select(['id', 'title', 'position'])
        .where('elv_id', '=', elvId).where('withdrawn_at', 'is', null).orderBy('position').orderBy('id').execute()
    },

    async list(elvId: number): Promise<MeetingRow[]> {
      const meetings = await db.selectFrom('meeting').selectAll().where('elv_id', '=', elvId)
        .orderBy('day').orderBy('start_time').orderBy('id').execute()
      return withDetails(meetings)
    },

    async get(elvId: number, meetingId: number): Promise<MeetingRow | undefined> {
      const meeting = await db.selectFrom('meeting').selectAll().where('elv_id', '=', elvId).where('id', '=', meetingId).executeTakeFirst()
      return meeting ? (await withDetails([meeting]))[0] : undefined
    },

    insert(elvId: number, v: MeetingValues, now: string): Promise<Meeting> {
      return db.insertInto('meeting').values({
        elv_id: elvId, day: v.day, start_time: v.start, end_time: v.end, title: v.title, place: v.place, video_link: v.videoLink,
        created_at: now, updated_at: now,
      }).returningAll().executeTakeFirstOrThrow()
    },

    /** Version-checked: undefined when someone else changed the meeting first. */
    update(elvId: number, meetingId: number, expectedVersion: number, v: MeetingValues, now: string): Promise<Meeting | undefined> {
      return db.updateTable('meeting').set({
        day: v.day, start_time: v.start, end_time: v.end, title: v.title, place: v.place, video_link: v.videoLink,
        updated_at: now, version: sql<number>`version + 1`,
      }).where('elv_id', '=', elvId).where('id', '=', meetingId).where('version', '=', expectedVersion)
        .returningAll().executeTakeFirst()
    },

    async touch(meetingId: number, now: string): Promise<void> {
      await db.updateTable('meeting').set({ updated_at: now, version: sql<number>`version + 1` }).where('id', '=', meetingId).execute()
    },

    async delete(elvId: number, meetingId: number): Promise<boolean> {
      const r = await db.deleteFrom('meeting').where('elv_id', '=', elvId).where('id', '=', meetingId).executeTakeFirst()
      return Number(r.numDeletedRows) > 0
    },

    async setAttendees(meetingId: number, attendees: readonly NewAttendee[]): Promise<void> {
      await db.deleteFrom('meeting_attendee').where('meeting_id', '=', meetingId).execute()
      await addAttendees(meetingId, attendees)
    },

    addAttendees,

    async setInspectors(meetingId: number, userIds: readonly number[]): Promise<void> {
      await db.deleteFrom('meeting_inspector').where('meeting_id', '=', meetingId).execute()
      if (userIds.length) await db.insertInto('meeting_inspector').values(userIds.map((user_id) => ({ meeting_id: meetingId, user_id }))).execute()
    },

    async setFocusAreas(meetingId: number, focusAreaIds: readonly number[]): Promise<void> {
      await db.deleteFrom('meeting_focus_area').where('meeting_id', '=', meetingId).execute()
      if (focusAreaIds.length) {
        await db.insertInto('meeting_focus_area').values(focusAreaIds.map((focus_area_id) => ({ meeting_id: meetingId, focus_area_id }))).execute()
      }
    },
  }
}

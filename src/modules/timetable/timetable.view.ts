import type { Language } from '../../db/schema.ts'
import type { ErrorDetail } from '../../http/errors.ts'
import type { Translate } from '../../i18n/catalogue.ts'
import type { ElvView } from '../visits/visits.service.ts'
import { toIcs, type IcsEvent } from './timetable.ics.ts'
import type { Overlap } from './timetable.rules.ts'
import type { AttendeeInput, MeetingInput, MeetingView } from './timetable.service.ts'

/** Blank attendee rows on the "Add a meeting" form: enough for most meetings without JavaScript. */
export const ATTENDEE_ROWS = 5

export type Form = Record<string, string | string[] | undefined>

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v)
const many = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v])

/**
 * The "Add a meeting" form as service input. Blank attendee rows are skipped; `rowOf` remembers
 * which form row each attendee came from, so an error can point at the row the user typed in.
 */
export function meetingFormInput(form: Form): { input: MeetingInput; rowOf: number[] } {
  const attendees: AttendeeInput[] = []
  const rowOf: number[] = []
  for (let row = 1; row <= ATTENDEE_ROWS; row++) {
    const name = one(form[`attendee-${row}-name`])?.trim() ?? ''
    const role = one(form[`attendee-${row}-role`])?.trim() ?? ''
    const kind = one(form[`attendee-${row}-kind`]) ?? ''
    if (!name && !role) continue
    attendees.push({ name, role, kind })
    rowOf.push(row)
  }
  return {
    input: {
      day: one(form.day), start: one(form.start), end: one(form.end), title: one(form.title),
      place: one(form.place), videoLink: one(form.videoLink), attendees,
      inspectors: many(form.inspectors), focusAreaIds: many(form.focusAreaIds),
    },
    rowOf,
  }
}

/** Service paths (`attendees[0].name`, `inspectors[2]`) as the ids of the fields on the page. */
export function formErrorPaths(details: readonly ErrorDetail[], rowOf: readonly number[], prefix = ''): ErrorDetail[] {
  return details.map((d) => {
    const attendee = /^attendees\[(\d+)\]\.(name|role|kind)$/.exec(d.path)
    if (attendee) return { ...d, path: `attendee-${rowOf[Number(attendee[1])] ?? 1}-${attendee[2]}` }
    const list = /^(inspectors|focusAreaIds)\[\d+\]$/.exec(d.path)
    if (list) return { ...d, path: list[1]! }
    return prefix ? { ...d, path: `${prefix}${d.path}` } : d
  })
}

export function overlapToJson(o: Overlap, t: Translate) {
  return {
    code: 'inspector_overlap' as const,
    day: o.day,
    inspector: o.inspector,
    meetingIds: [o.first.id, o.second.id],
    message: overlapText(o, t),
  }
}

export function overlapText(o: Overlap, t: Translate): string {
  return t('timetable.overlap', {
    inspector: o.inspector.name, day: o.day,
    first: `${o.first.title} (${o.first.start}–${o.first.end})`,
    second: `${o.second.title} (${o.second.start}–${o.second.end})`,
  })
}

const kindText = (kind: string, t: Translate) => t(`timetable.kind.${kind}`)

export function attendeeText(a: MeetingView['attendees'][number], t: Translate): string {
  return `${a.name}, ${a.role} (${kindText(a.kind, t)})`
}

/** The calendar file: one event per meeting on its visit day, in London time. */
export function timetableIcs(elv: ElvView, meetings: readonly MeetingView[], t: Translate, lang: Language, stamp: Date): string {
  const authority = lang === 'cy' ? elv.authority_name_cy : elv.authority_name_en
  const events: IcsEvent[] = meetings.map((m) => {
    const lines = [
      `${t('timetable.field.attendees')}: ${m.attendees.length ? m.attendees.map((a) => attendeeText(a, t)).join('; ') : t('common.none')}`,
      `${t('timetable.field.inspectors')}: ${m.inspectors.length ? m.inspectors.map((i) => i.name).join(', ') : t('common.none')}`,
      `${t('timetable.field.focusAreas')}: ${m.focusAreas.length ? m.focusAreas.map((f) => f.title).join('; ') : t('common.none')}`,
    ]
    if (m.videoLink) lines.push(`${t('timetable.field.videoLink')}: ${m.videoLink}`)
    return {
      uid: `meeting-${m.id}@cyswllt`,
      date: (m.day === 1 ? elv.visit_day1 : elv.visit_day2)!,
      start: m.start,
      end: m.end,
      summary: m.title,
      location: m.place ?? m.videoLink,
      description: lines.join('\n'),
      url: m.videoLink,
    }
  })
  return toIcs({
    prodId: '-//Estyn//Cyswllt//EN',
    name: t('timetable.calendarName', { authority }),
    stamp,
    events,
  })
}

/** The timetable's pure rules: meeting hours and clashes between an inspector's meetings. */

/** Meetings fall within the working day of a visit. */
export const DAY_STARTS = '07:00'
export const DAY_ENDS = '20:00'

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/

/** 9:30 is accepted as 09:30; anything else not HH:MM is refused. */
export function normaliseTime(value: string): string | null {
  const s = value.trim().replace('.', ':')
  const padded = /^\d:\d\d$/.test(s) ? `0${s}` : s
  return HH_MM.test(padded) ? padded : null
}

export const withinDay = (time: string): boolean => time >= DAY_STARTS && time <= DAY_ENDS

export interface TimedMeeting {
  id: number
  day: number
  start: string
  end: string
  title: string
  inspectors: ReadonlyArray<{ id: number; name: string }>
}

export interface Overlap {
  inspector: { id: number; name: string }
  day: number
  /** The two meetings, earlier first. */
  first: { id: number; title: string; start: string; end: string }
  second: { id: number; title: string; start: string; end: string }
}

/** Meetings that touch end to start (10:00-11:00 then 11:00-12:00) do not overlap. */
export const overlaps = (a: Pick<TimedMeeting, 'day' | 'start' | 'end'>, b: Pick<TimedMeeting, 'day' | 'start' | 'end'>): boolean =>
  a.day === b.day && a.start < b.end && b.start < a.end

/**
 * Every pair of meetings on the same day that share an inspector and whose times overlap, once
 * per inspector. Flagged, not refused: a lead may look in on two meetings on purpose.
 */
export function findOverlaps(meetings: readonly TimedMeeting[]): Overlap[] {
  const sorted = [...meetings].sort((a, b) => a.day - b.day || a.start.localeCompare(b.start) || a.id - b.id)
  const found: Overlap[] = []
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) {
      const a = sorted[i]!
      const b = sorted[j]!
      if (!overlaps(a, b)) continue
      const shared = a.inspectors.filter((x) => b.inspectors.some((y) => y.id === x.id))
      for (const inspector of shared) {
        found.push({
          inspector, day: a.day,
          first: { id: a.id, title: a.title, start: a.start, end: a.end },
          second: { id: b.id, title: b.title, start: b.start, end: b.end },
        })
      }
    }
  }
  return found
}

/**
 * A small RFC 5545 writer: just what a published timetable needs (VCALENDAR, one VTIMEZONE,
 * VEVENTs with local times). Pure, so the text Outlook receives is tested byte by byte.
 */

export interface IcsEvent {
  uid: string
  /** YYYY-MM-DD, the local date in Europe/London. */
  date: string
  /** HH:MM, local time. */
  start: string
  end: string
  summary: string
  location?: string | null
  description?: string | null
  url?: string | null
}

export interface IcsCalendar {
  prodId: string
  /** The calendar's name as calendar programs show it. */
  name?: string
  /** When the file was made: every event's DTSTAMP, in UTC. */
  stamp: Date
  events: readonly IcsEvent[]
}

export const ICS_TIMEZONE = 'Europe/London'

/**
 * Europe/London by its current rules: BST from the last Sunday of March at 01:00 UTC, GMT from
 * the last Sunday of October at 01:00 UTC. Outlook refuses a TZID with no VTIMEZONE behind it.
 */
const VTIMEZONE_LONDON = [
  'BEGIN:VTIMEZONE',
  `TZID:${ICS_TIMEZONE}`,
  'X-LIC-LOCATION:Europe/London',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0000',
  'TZOFFSETTO:+0100',
  'TZNAME:BST',
  'DTSTART:19700329T010000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0000',
  'TZNAME:GMT',
  'DTSTART:19701025T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
]

/** TEXT values (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks are escaped. */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n')
}

const encoder = new TextEncoder()

/**
 * Folds a content line so no line is longer than 75 octets (RFC 5545 3.1), never splitting a
 * UTF-8 character or an escape: continuation lines start with one space, which counts towards
 * their 75.
 */
export function foldLine(line: string): string {
  if (encoder.encode(line).length <= 75) return line
  const parts: string[] = []
  let current = ''
  let size = 0
  let limit = 75
  // An escape (`\n`, `\,`) stays whole: some readers unescape before they unfold.
  for (const ch of line.match(/\\.|[\s\S]/gu) ?? []) {
    const n = encoder.encode(ch).length
    if (size + n > limit) {
      parts.push(current)
      current = ''
      size = 0
      limit = 74
    }
    current += ch
    size += n
  }
  parts.push(current)
  return parts.join('\r\n ')
}

/** 2027-06-15 + 09:30 -> 20270615T093000 (a local "floating" value, given a TZID beside it). */
export function localDateTime(date: string, time: string): string {
  return `${date.replace(/-/g, '')}T${time.replace(':', '')}00`
}

/** A UTC DATE-TIME: 20260701T090000Z. */
export function utcDateTime(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')
}

/** The whole calendar as text/calendar: CRLF line endings, folded lines, ending in CRLF. */
export function toIcs(cal: IcsCalendar): string {
  const lines: string[] = [
    'BEGIN:VCALENDAR',
    `PRODID:${cal.prodId}`,
    'VERSION:2.0',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
  ]
  if (cal.name) lines.push(`X-WR-CALNAME:${escapeText(cal.name)}`)
  lines.push(`X-WR-TIMEZONE:${ICS_TIMEZONE}`, ...VTIMEZONE_LONDON)
  const stamp = utcDateTime(cal.stamp)
  for (const e of cal.events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${e.uid}`,
      `DTSTAMP:${stamp}`,
      `DTSTART;TZID=${ICS_TIMEZONE}:${localDateTime(e.date, e.start)}`,
      `DTEND;TZID=${ICS_TIMEZONE}:${localDateTime(e.date, e.end)}`,
      `SUMMARY:${escapeText(e.summary)}`,
    )
    if (e.location) lines.push(`LOCATION:${escapeText(e.location)}`)
    if (e.description) lines.push(`DESCRIPTION:${escapeText(e.description)}`)
    // URI values are not TEXT: they are written as they are, only folded.
    if (e.url) lines.push(`URL:${e.url}`)
    lines.push('END:VEVENT')
  }
  lines.push('END:VCALENDAR')
  return lines.map(foldLine).join('\r\n') + '\r\n'
}

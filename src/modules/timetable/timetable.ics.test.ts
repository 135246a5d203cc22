import { describe, expect, it } from 'vitest'
import ical, { type VEvent } from 'node-ical'
import { escapeText, foldLine, toIcs } from './timetable.ics.ts'

const octets = (s: string) => new TextEncoder().encode(s).length
const unfold = (text: string) => text.replace(/\r\n[ \t]/g, '')

const calendar = () => toIcs({
  prodId: '-//Estyn//Cyswllt//EN',
  name: 'Ceredigion: visit timetable',
  stamp: new Date('2026-07-01T09:00:00.000Z'),
  events: [
    {
      uid: 'meeting-1@cyswllt', date: '2027-06-15', start: '09:30', end: '10:30',
      summary: 'Director; finance, and\\ schools', location: 'Neuadd Cyngor Ceredigion, Aberaeron',
      description: `Attendees: ${'Siân Ŵyn, Pennaeth; '.repeat(12)}\nInspectors: A, B`,
    },
    { uid: 'meeting-2@cyswllt', date: '2027-01-20', start: '14:00', end: '15:15', summary: 'Elected members', url: 'https://meet.example/abc?x=1,2' },
  ],
})

function events(text: string): VEvent[] {
  return Object.values(ical.sync.parseICS(text)).filter((c): c is VEvent => c?.type === 'VEVENT')
}

describe('the iCalendar writer', () => {
  it('escapes backslashes, semicolons, commas and line breaks in text', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf')
  })

  it('folds long lines at 75 octets without splitting a Welsh letter or an escape', () => {
    const line = `DESCRIPTION:${escapeText('ŵŷ, '.repeat(60))}`
    const folded = foldLine(line)
    const parts = folded.split('\r\n')
    expect(parts.length).toBeGreaterThan(3)
    for (const p of parts) expect(octets(p)).toBeLessThanOrEqual(75)
    for (const p of parts.slice(1)) expect(p.startsWith(' ')).toBe(true)
    for (const p of parts.slice(0, -1)) expect(p.endsWith('\\')).toBe(false)
    expect(unfold(folded)).toBe(line)
    expect(foldLine('SUMMARY:short')).toBe('SUMMARY:short')
  })

  it('writes CRLF lines of at most 75 octets with the calendar, time zone and event properties', () => {
    const text = calendar()
    expect(text.endsWith('\r\n')).toBe(true)
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/)
    const lines = text.split('\r\n').slice(0, -1)
    for (const l of lines) expect(octets(l), l).toBeLessThanOrEqual(75)
    const logical = unfold(text).split('\r\n')
    expect(logical.slice(0, 5)).toEqual(['BEGIN:VCALENDAR', 'PRODID:-//Estyn//Cyswllt//EN', 'VERSION:2.0', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH'])
    expect(logical).toEqual(expect.arrayContaining([
      'BEGIN:VTIMEZONE', 'TZID:Europe/London', 'BEGIN:DAYLIGHT', 'TZOFFSETTO:+0100', 'BEGIN:STANDARD', 'TZOFFSETTO:+0000',
      'UID:meeting-1@cyswllt', 'DTSTAMP:20260701T090000Z',
      'DTSTART;TZID=Europe/London:20270615T093000', 'DTEND;TZID=Europe/London:20270615T103000',
      'SUMMARY:Director\\; finance\\, and\\\\ schools', 'LOCATION:Neuadd Cyngor Ceredigion\\, Aberaeron',
      'URL:https://meet.example/abc?x=1,2',
    ]))
    expect(logical.at(-2)).toBe('END:VCALENDAR')
  })

  it('parses with an iCalendar parser: London times in summer (BST) and winter (GMT), text unescaped', () => {
    const [summer, winter] = events(calendar())
    expect(summer!.uid).toBe('meeting-1@cyswllt')
    expect(summer!.start.toISOString()).toBe('2027-06-15T08:30:00.000Z')
    expect(summer!.end?.toISOString()).toBe('2027-06-15T09:30:00.000Z')
    expect(summer!.summary).toBe('Director; finance, and\\ schools')
    expect(summer!.location).toBe('Neuadd Cyngor Ceredigion, Aberaeron')
    expect(summer!.description).toBe(`Attendees: ${'Siân Ŵyn, Pennaeth; '.repeat(12)}\nInspectors: A, B`)
    expect(winter!.start.toISOString()).toBe('2027-01-20T14:00:00.000Z')
    expect(winter!.end?.toISOString()).toBe('2027-01-20T15:15:00.000Z')
    expect(summer!.dtstamp?.toISOString()).toBe('2026-07-01T09:00:00.000Z')
  })
})

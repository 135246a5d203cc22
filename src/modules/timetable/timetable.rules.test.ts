import { describe, expect, it } from 'vitest'
import { findOverlaps, normaliseTime, withinDay } from './timetable.rules.ts'

const ann = { id: 1, name: 'Ann' }
const bob = { id: 2, name: 'Bob' }

describe('timetable rules', () => {
  it('reads times as HH:MM and keeps them within the visit day', () => {
    expect(normaliseTime('09:30')).toBe('09:30')
    expect(normaliseTime('9:30')).toBe('09:30')
    expect(normaliseTime(' 14.05 ')).toBe('14:05')
    for (const bad of ['24:00', '9', '09:60', '0930', 'noon', '09:30:00']) expect(normaliseTime(bad), bad).toBeNull()
    expect(withinDay('07:00')).toBe(true)
    expect(withinDay('20:00')).toBe(true)
    expect(withinDay('06:59')).toBe(false)
    expect(withinDay('20:01')).toBe(false)
  })

  it('flags an inspector in two meetings at once on the same day, not back-to-back or other days or other people', () => {
    const found = findOverlaps([
      { id: 10, day: 1, start: '09:00', end: '10:00', title: 'A', inspectors: [ann, bob] },
      { id: 11, day: 1, start: '09:30', end: '11:00', title: 'B', inspectors: [ann] },
      { id: 12, day: 1, start: '11:00', end: '12:00', title: 'C', inspectors: [ann] },
      { id: 13, day: 2, start: '09:00', end: '10:00', title: 'D', inspectors: [ann, bob] },
      { id: 14, day: 2, start: '09:15', end: '09:45', title: 'E', inspectors: [] },
    ])
    expect(found).toEqual([{
      inspector: ann, day: 1,
      first: { id: 10, title: 'A', start: '09:00', end: '10:00' },
      second: { id: 11, title: 'B', start: '09:30', end: '11:00' },
    }])
  })
})

import { describe, expect, it } from 'vitest'
import type { Term } from '../../db/schema.ts'
import { freeOrdinal, NEXT_STATES, notifyBy, unmetForTransition, type Readiness } from './visits.rules.ts'

const ready = (over: Partial<Readiness> = {}): Readiness => ({
  state: 'planned', termKey: '2026-2027/spring', visitDays: [null, null], focusAreas: [], focusCountReason: null,
  team: [], meetingsPerFocusArea: new Map(), notifyBy: '2026-09-01', findings: [], ...over,
})
const codes = (r: Readiness, to: Parameters<typeof unmetForTransition>[1]['to'], reason?: string, today = '2026-07-01') =>
  unmetForTransition(r, { to, reason }, today).map((d) => d.messageKey)
const agreedBoth = (id: number) => ({ id, title: `FA ${id}`, inspectorateAgreed: true, authorityAgreed: true })

describe('ELV transition rules', () => {
  it('allows only the moves of the state machine', () => {
    expect(codes(ready(), 'fieldwork')).toEqual(['visits.rule.notAllowedFrom'])
    expect(codes(ready({ state: 'closed' }), 'planned')).toEqual(['visits.rule.notAllowedFrom'])
    expect(NEXT_STATES.cancelled).toEqual([])
  })

  it('lets notification through on time, and late only with a reason', () => {
    expect(codes(ready(), 'notified', undefined, '2026-09-01')).toEqual([])
    expect(codes(ready(), 'notified', undefined, '2026-09-02')).toEqual(['visits.rule.lateNeedsReason'])
    expect(codes(ready(), 'notified', '  ', '2026-09-02')).toEqual(['visits.rule.lateNeedsReason'])
    expect(codes(ready(), 'notified', 'Agreed with the director', '2026-09-02')).toEqual([])
  })

  it('needs every focus area agreed by both sides, and a reason for other than two', () => {
    const notified = { state: 'notified' as const }
    expect(codes(ready(notified), 'focus_agreed')).toEqual(['visits.rule.noFocusAreas'])
    const half = ready({ ...notified, focusAreas: [agreedBoth(1), { id: 2, title: 'B', inspectorateAgreed: true, authorityAgreed: false }] })
    const unmet = unmetForTransition(half, { to: 'focus_agreed' }, '2026-07-01')
    expect(unmet).toEqual([{ path: 'focusAreas', messageKey: 'visits.rule.notAgreedByAuthority', params: { count: 1 } }])
    expect(codes(ready({ ...notified, focusAreas: [agreedBoth(1), agreedBoth(2)] }), 'focus_agreed')).toEqual([])
    expect(codes(ready({ ...notified, focusAreas: [agreedBoth(1)] }), 'focus_agreed')).toEqual(['visits.rule.focusCountNeedsReason'])
    expect(codes(ready({ ...notified, focusAreas: [agreedBoth(1)] }), 'focus_agreed', 'One broad area')).toEqual([])
    expect(codes(ready({ ...notified, focusAreas: [agreedBoth(1)], focusCountReason: 'Agreed earlier' }), 'focus_agreed')).toEqual([])
  })

  it('needs a team with one lead and a meeting for every focus area to be prepared', () => {
    const base = { state: 'focus_agreed' as const, focusAreas: [agreedBoth(1), agreedBoth(2)] }
    expect(codes(ready(base), 'prepared')).toEqual(['visits.rule.noTeam', 'visits.rule.noMeetingForFocusArea', 'visits.rule.noMeetingForFocusArea'])
    const team = [{ userId: 1, lead: true }, { userId: 2, lead: false }, { userId: 3, lead: false }]
    expect(codes(ready({ ...base, team: team.map((m) => ({ ...m, lead: false })), meetingsPerFocusArea: new Map([[1, 1], [2, 2]]) }), 'prepared')).toEqual(['visits.rule.oneLead'])
    expect(codes(ready({ ...base, team, meetingsPerFocusArea: new Map([[1, 1]]) }), 'prepared')).toEqual(['visits.rule.noMeetingForFocusArea'])
    expect(codes(ready({ ...base, team, meetingsPerFocusArea: new Map([[1, 1], [2, 1]]) }), 'prepared')).toEqual([])
  })

  it('starts fieldwork on the first visit day, not before', () => {
    const prepared = { state: 'prepared' as const }
    expect(codes(ready(prepared), 'fieldwork')).toEqual(['visits.rule.noVisitDates'])
    const days = { ...prepared, visitDays: ['2027-02-02', '2027-02-03'] as [string, string] }
    expect(codes(ready(days), 'fieldwork', undefined, '2027-02-01')).toEqual(['visits.rule.fieldworkNotStarted'])
    expect(codes(ready(days), 'fieldwork', undefined, '2027-02-02')).toEqual([])
  })

  it('needs a reason to postpone or cancel', () => {
    expect(codes(ready(), 'postponed')).toEqual(['visits.rule.reasonNeeded'])
    expect(codes(ready(), 'cancelled', 'Merged with a core inspection')).toEqual([])
    expect(codes(ready({ state: 'postponed' }), 'planned')).toEqual([])
  })

  it('says the later states arrive with their features', () => {
    expect(codes(ready({ state: 'quality_assurance' }), 'issued')).toEqual(['visits.rule.issueThroughLetter'])
  })

  it('lets a visit go to quality assurance only with secure findings on every focus area, naming each problem', () => {
    const finding = (id: number, focusAreaId: number, secure: boolean, text = `Finding ${id}`) => ({ id, focusAreaId, focusAreaTitle: `FA ${focusAreaId}`, text, secure })
    const drafting = { state: 'drafting' as const, focusAreas: [agreedBoth(1), agreedBoth(2)] }
    const long = 'Attendance at secondary schools has improved steadily for three years, and exclusions have fallen'
    const unmet = unmetForTransition(ready({ ...drafting, findings: [finding(10, 1, true), finding(11, 1, false, long)] }), { to: 'quality_assurance' }, '2027-03-01')
    expect(unmet).toEqual([
      { path: 'findings', messageKey: 'visits.rule.findingNotSecure', params: { title: 'FA 1', text: 'Attendance at secondary schools has improved steadily for…' } },
      { path: 'findings', messageKey: 'visits.rule.noFindingForFocusArea', params: { title: 'FA 2' } },
    ])
    // Either kind of finding answers for a focus area; a withdrawn focus area's finding does not count.
    expect(codes(ready({ ...drafting, findings: [finding(10, 1, true), finding(12, 2, true), finding(13, 99, false)] }), 'quality_assurance')).toEqual([])
    expect(codes(ready({ ...drafting, findings: [finding(10, 1, false), finding(12, 2, false)] }), 'quality_assurance'))
      .toEqual(['visits.rule.findingNotSecure', 'visits.rule.findingNotSecure'])
  })
})

describe('notifyBy', () => {
  const term = (key: string, starts_on: string): Term => ({ key, starts_on, ends_on: starts_on, academic_year: key.slice(0, 9), season: 'autumn', version: 1, updated_at: '' })
  const terms = [term('2026-2027/spring', '2027-01-04'), term('2026-2027/autumn', '2026-09-01'), term('2026-2027/summer', '2027-04-12')]
  it('is the first day of the term before the visit term', () => {
    expect(notifyBy('2026-2027/spring', terms)).toBe('2026-09-01')
    expect(notifyBy('2026-2027/summer', terms)).toBe('2027-01-04')
    expect(notifyBy('2026-2027/autumn', terms)).toBeUndefined()
  })
})

describe('freeOrdinal', () => {
  it('gives the lowest free place of two', () => {
    expect(freeOrdinal([])).toBe(1)
    expect(freeOrdinal([1])).toBe(2)
    expect(freeOrdinal([2])).toBe(1)
    expect(freeOrdinal([1, 2])).toBeUndefined()
  })
})

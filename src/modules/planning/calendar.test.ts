import { describe, expect, it } from 'vitest'
import { termSeeds } from '../reference/reference.data.ts'
import { cycleYears, planningTerms, termAfter, termKeyAt, termOfDate, termOn } from './calendar.ts'
import { termNumber } from './terms.ts'

const TERMS = termSeeds().map((t) => ({ key: t.key, start: t.startsOn, end: t.endsOn }))

describe('the cycle’s calendar', () => {
  it('lists the six academic years of 2024-2030', () => {
    expect(cycleYears('2024-2030')).toEqual(['2024-2025', '2025-2026', '2026-2027', '2027-2028', '2028-2029', '2029-2030'])
    expect(() => cycleYears('2024')).toThrow()
  })

  it('names the term at each position on the line of terms, and the one after', () => {
    for (const key of ['2024-2025/autumn', '2026-2027/spring', '2029-2030/summer']) expect(termKeyAt(termNumber(key))).toBe(key)
    expect(termAfter('2026-2027/summer')).toBe('2027-2028/autumn')
    expect(termAfter('2026-2027/autumn')).toBe('2026-2027/spring')
  })

  it.each([
    ['2026-11-23', '2026-2027/autumn'],
    ['2026-09-01', '2026-2027/autumn'],
    // The Christmas holiday belongs to the term that starts next.
    ['2026-12-25', '2026-2027/spring'],
    ['2024-06-01', '2024-2025/autumn'],
    ['2030-07-19', '2029-2030/summer'],
  ])('finds the term on %s', (day, term) => {
    expect(termOn(TERMS, day)).toBe(term)
  })

  it('has no term after the cycle’s last day', () => {
    expect(termOn(TERMS, '2030-08-01')).toBeNull()
  })

  it('places a core inspection in its term, also one before the listed terms', () => {
    expect(termOfDate(TERMS, '2025-02-03')).toBe('2024-2025/spring')
    expect(termOfDate(TERMS, '2024-03-04')).toBe('2023-2024/spring')
    expect(termOfDate(TERMS, '2023-10-09')).toBe('2023-2024/autumn')
    expect(termOfDate(TERMS, '2019-05-01')).toBe('2018-2019/summer')
    expect(termOfDate(TERMS, '2031-01-20')).toBe('2030-2031/spring')
  })

  it('makes the first plannable term the one after the current term (a term’s notice)', () => {
    expect(planningTerms(TERMS, '2026-11-23')).toEqual({ currentTerm: '2026-2027/autumn', firstTerm: '2026-2027/spring' })
    expect(planningTerms(TERMS, '2026-12-25')).toEqual({ currentTerm: '2026-2027/spring', firstTerm: '2026-2027/summer' })
    expect(planningTerms(TERMS, '2024-08-01')).toEqual({ currentTerm: '2024-2025/autumn', firstTerm: '2024-2025/spring' })
    // Over: nothing listed is left to plan.
    expect(planningTerms(TERMS, '2030-08-01')).toEqual({ currentTerm: null, firstTerm: '2030-2031/autumn' })
  })
})

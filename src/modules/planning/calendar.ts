import type { PlanTerm, TermKey } from './plan.types.ts'
import { termNumber } from './terms.ts'

const SEASONS = ['autumn', 'spring', 'summer'] as const

/** The academic years of a cycle: '2024-2030' is 2024-2025 to 2029-2030. */
export function cycleYears(cycle: string): string[] {
  const m = /^(\d{4})-(\d{4})$/.exec(cycle)
  if (!m) throw new Error(`not a cycle: ${cycle}`)
  const years: string[] = []
  for (let y = Number(m[1]); y < Number(m[2]); y++) years.push(`${y}-${y + 1}`)
  return years
}

/** The key of the term at a position on the line of terms (see termNumber). */
export function termKeyAt(n: number): TermKey {
  const year = Math.floor(n / 3)
  return `${year}-${year + 1}/${SEASONS[n - year * 3]}`
}

/** The term after this one, listed or not. */
export const termAfter = (key: TermKey): TermKey => termKeyAt(termNumber(key) + 1)

/**
 * The term a day falls in: the listed term containing it or, in a holiday between listed terms
 * or before the first, the next to start. Null after the last listed term.
 */
export function termOn(terms: readonly PlanTerm[], day: string): TermKey | null {
  for (const t of terms) if (day <= t.end) return t.key
  return null
}

/**
 * The term a past event (a core inspection) belongs to: a listed term as `termOn` finds it; one
 * before or after the listed terms by the usual pattern of the Welsh school year (autumn from
 * September, spring from January, summer from the Easter holiday).
 */
export function termOfDate(terms: readonly PlanTerm[], day: string): TermKey {
  const first = terms[0]
  const last = terms[terms.length - 1]
  if (first && last && day >= first.start && day <= last.end) return termOn(terms, day)!
  const year = Number(day.slice(0, 4))
  const month = Number(day.slice(5, 7))
  if (month >= 9) return `${year}-${year + 1}/autumn`
  return `${year - 1}-${year}/${month <= 3 ? 'spring' : 'summer'}`
}

/**
 * The term under way on `day` (the next to start, in a holiday) and the first term an ELV may
 * still be planned in: the one after it, so that the authority has a term's notice. When the
 * cycle is over, there is no current term and the first term lies beyond the listed ones.
 */
export function planningTerms(terms: readonly PlanTerm[], day: string): { currentTerm: TermKey | null; firstTerm: TermKey } {
  const currentTerm = termOn(terms, day)
  const last = terms[terms.length - 1]
  if (currentTerm) return { currentTerm, firstTerm: termAfter(currentTerm) }
  if (!last) throw new Error('a cycle with no terms')
  return { currentTerm: null, firstTerm: termAfter(last.key) }
}

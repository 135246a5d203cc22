import type { TermKey } from './plan.types.ts'

const SEASONS = ['autumn', 'spring', 'summer'] as const

/**
 * A term's position on one line of terms, three per academic year, so distances can be taken
 * between any two terms, also ones before the first term listed (a core inspection years ago).
 */
export function termNumber(key: TermKey): number {
  const [year, season] = key.split('/')
  const start = Number(year?.slice(0, 4))
  const s = SEASONS.indexOf(season as (typeof SEASONS)[number])
  if (!Number.isInteger(start) || s < 0) throw new Error(`not a term key: ${key}`)
  return start * 3 + s
}

/** The number of terms from one to the other, whichever comes first. */
export function termDistance(a: TermKey, b: TermKey): number {
  return Math.abs(termNumber(a) - termNumber(b))
}

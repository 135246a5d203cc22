import { EVIDENCE_KINDS } from '../../db/schema.ts'

/** What makes a finding secure: how many linked items, of how many kinds, from how many sources. */
export interface Threshold { minItems: number; minKinds: number; minSources: number }

/** The source document's rule of thumb: at least 3 items of at least 2 kinds from at least 2 sources. */
export const DEFAULT_THRESHOLD: Readonly<Threshold> = { minItems: 3, minKinds: 2, minSources: 2 }

/** Each setting is a whole number in this range; kinds can be no more than there are kinds of evidence. */
export const THRESHOLD_LIMITS = { min: 1, max: 20, maxKinds: EVIDENCE_KINDS.length } as const

export type TriangulationRule = 'items' | 'kinds' | 'sources'

/** One part of the threshold not yet met: the finding has `have` and needs `need`. */
export interface Shortfall { rule: TriangulationRule; have: number; need: number }

export interface Triangulation {
  items: number
  kinds: number
  sources: number
  secure: boolean
  /** In the order items, kinds, sources; empty when secure. */
  missing: Shortfall[]
}

export interface TriangulationItem { id: number; kind: string; source: string }

/**
 * A source as compared for independence: "Director of Education" and "director of  education"
 * (or "Cyfarwyddwr Addysg" with or without accents) are one source, not two.
 */
export function sourceKey(source: string): string {
  return source.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim()
}

/** Counts a finding's evidence and says whether it meets `threshold`, and if not, what is short. */
export function triangulate(items: readonly TriangulationItem[], threshold: Threshold = DEFAULT_THRESHOLD): Triangulation {
  // An item linked twice still counts once.
  const unique = [...new Map(items.map((i) => [i.id, i])).values()]
  const kinds = new Set(unique.map((i) => i.kind)).size
  // A blank source names no one, so it cannot show that the evidence is independent.
  const sources = new Set(unique.map((i) => sourceKey(i.source)).filter((s) => s !== '')).size
  const have: Record<TriangulationRule, number> = { items: unique.length, kinds, sources }
  const need: Record<TriangulationRule, number> = { items: threshold.minItems, kinds: threshold.minKinds, sources: threshold.minSources }
  const missing = (['items', 'kinds', 'sources'] as const)
    .filter((rule) => have[rule] < need[rule])
    .map((rule) => ({ rule, have: have[rule], need: need[rule] }))
  return { ...have, secure: missing.length === 0, missing }
}

/** Whether each setting is in range: the problems as [setting, problem] pairs, none when valid. */
export function thresholdProblems(t: Record<keyof Threshold, number>): Array<[keyof Threshold, 'range' | 'kindsMax']> {
  const problems: Array<[keyof Threshold, 'range' | 'kindsMax']> = []
  for (const key of ['minItems', 'minKinds', 'minSources'] as const) {
    const v = t[key]
    if (!Number.isInteger(v) || v < THRESHOLD_LIMITS.min || v > THRESHOLD_LIMITS.max) problems.push([key, 'range'])
    else if (key === 'minKinds' && v > THRESHOLD_LIMITS.maxKinds) problems.push([key, 'kindsMax'])
  }
  return problems
}

/** The start of a finding's text, for messages that name it: whole words, at most `max` characters. */
export function textStart(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  if (flat.length <= max) return flat
  const cut = flat.slice(0, max)
  const lastSpace = cut.lastIndexOf(' ')
  return `${(lastSpace > max / 2 ? cut.slice(0, lastSpace) : cut).replace(/[\s,;:.–-]+$/u, '')}…`
}

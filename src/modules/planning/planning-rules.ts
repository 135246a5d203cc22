import type { ErrorDetail } from '../../http/errors.ts'
import { DEFAULT_RULES, type PlanRules } from './plan.types.ts'

export type NumberRule = { [K in keyof PlanRules]: PlanRules[K] extends number ? K : never }[keyof PlanRules]

/** The rules in the order the settings page and the API show them. */
export const RULE_NAMES = [
  'elvsPerAuthority', 'maxElvsPerTerm', 'minTermsBetweenElvs', 'minTermsFromCoreInspection',
  'teamSize', 'maxPeersPerTeam', 'leadIsLinkInspector', 'welshSpeakersForWelshMedium',
] as const satisfies ReadonlyArray<keyof PlanRules>

/**
 * What each number may be. An ELV is the first or second of its cycle; a cycle has 18 terms, so
 * no distance in it is more than 17; a team is a handful of people.
 */
export const RULE_LIMITS: Record<NumberRule, { min: number; max: number }> = {
  elvsPerAuthority: { min: 1, max: 2 },
  maxElvsPerTerm: { min: 1, max: 44 },
  minTermsBetweenElvs: { min: 0, max: 17 },
  minTermsFromCoreInspection: { min: 0, max: 17 },
  teamSize: { min: 1, max: 10 },
  maxPeersPerTeam: { min: 0, max: 10 },
  welshSpeakersForWelshMedium: { min: 0, max: 10 },
}

const isNumberRule = (k: keyof PlanRules): k is NumberRule => typeof DEFAULT_RULES[k] === 'number'
const field = (k: keyof PlanRules) => `planning.rules.field.${k}`

const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '')

function readNumber(v: unknown): number {
  if (typeof v === 'number') return v
  if (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v)) return Number(v)
  return NaN
}

function readFlag(v: unknown): boolean | undefined {
  if (v === true || v === 'yes' || v === 'true') return true
  if (v === false || v === 'no' || v === 'false') return false
  return undefined
}

/**
 * Reads a whole set of rules as a form or the API sends them: every rule is required, and every
 * problem is named by the rule it is about, so one answer tells the admin everything to put right.
 */
export function readRules(input: Record<string, unknown>): { rules: PlanRules; problems: ErrorDetail[] } {
  const problems: ErrorDetail[] = []
  const rules = { ...DEFAULT_RULES }
  for (const key of RULE_NAMES) {
    const raw = input[key]
    if (!isNumberRule(key)) {
      const flag = readFlag(raw)
      if (flag === undefined) problems.push({ path: key, messageKey: 'validation.choice', params: { field: field(key) } })
      else rules.leadIsLinkInspector = flag
      continue
    }
    if (blank(raw)) {
      problems.push({ path: key, messageKey: 'validation.required', params: { field: field(key) } })
      continue
    }
    const n = readNumber(raw)
    const { min, max } = RULE_LIMITS[key]
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push({ path: key, messageKey: 'planning.rules.error.range', params: { field: field(key), min, max } })
      continue
    }
    rules[key] = n
  }
  // A team cannot hold more peers or Welsh speakers than it has people.
  const named = new Set(problems.map((p) => p.path))
  if (!named.has('teamSize')) {
    for (const key of ['maxPeersPerTeam', 'welshSpeakersForWelshMedium'] as const) {
      if (!named.has(key) && rules[key] > rules.teamSize) {
        problems.push({ path: key, messageKey: 'planning.rules.error.moreThanTeam', params: { field: field(key), max: rules.teamSize } })
      }
    }
  }
  return { rules, problems }
}

/** Rules as stored (text in app_setting): a value missing or not usable falls back to its default. */
export function storedRules(values: ReadonlyMap<string, string>, keyOf: (rule: keyof PlanRules) => string): PlanRules {
  const rules = { ...DEFAULT_RULES }
  for (const key of RULE_NAMES) {
    const raw = values.get(keyOf(key))
    if (raw === undefined) continue
    if (!isNumberRule(key)) {
      const flag = readFlag(raw)
      if (flag !== undefined) rules.leadIsLinkInspector = flag
      continue
    }
    const n = readNumber(raw)
    const { min, max } = RULE_LIMITS[key]
    if (Number.isInteger(n) && n >= min && n <= max) rules[key] = n
  }
  // A hand-edited team smaller than its peers or Welsh speakers would make every plan impossible.
  if (rules.maxPeersPerTeam > rules.teamSize) rules.maxPeersPerTeam = Math.min(DEFAULT_RULES.maxPeersPerTeam, rules.teamSize)
  if (rules.welshSpeakersForWelshMedium > rules.teamSize) rules.welshSpeakersForWelshMedium = Math.min(DEFAULT_RULES.welshSpeakersForWelshMedium, rules.teamSize)
  return rules
}

/** Rules as app_setting keeps them: text. */
export const rulesAsText = (rules: PlanRules): Record<keyof PlanRules, string> =>
  Object.fromEntries(RULE_NAMES.map((k) => [k, String(rules[k])])) as Record<keyof PlanRules, string>

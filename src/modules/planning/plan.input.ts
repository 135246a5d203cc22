import { DEFAULT_RULES, type FixedVisit, type PlanAuthority, type PlanInput, type PlanInspector, type PlanRules, type PlanTerm } from './plan.types.ts'
import { termNumber } from './terms.ts'

/** One thing wrong with a plan request, named by its path in the JSON (`authorities[3].gssCode`). */
export interface InputProblem {
  path: string
  message: string
}

export type ParsedPlanRequest = { ok: true; input: PlanInput } | { ok: false; problems: InputProblem[] }

const GSS = /^W06\d{6}$/
const TERM = /^(\d{4})-(\d{4})\/(autumn|spring|summer)$/
const DATE = /^\d{4}-\d{2}-\d{2}$/

type Json = Record<string, unknown>
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * Checks a whole plan request and lists every problem by path, so one run of the command tells
 * the user everything to fix. Nothing is solved unless all of it is sound.
 */
export function parsePlanRequest(body: unknown): ParsedPlanRequest {
  const problems: InputProblem[] = []
  const bad = (path: string, message: string) => { problems.push({ path, message }) }
  if (!isObject(body)) return { ok: false, problems: [{ path: '$', message: 'must be a JSON object with terms, firstTerm, authorities and inspectors' }] }

  const field = <T>(obj: Json, path: string, key: string, check: (v: unknown) => v is T, expected: string, optional = false): T | undefined => {
    const at = path ? `${path}.${key}` : key
    if (!(key in obj) || obj[key] === undefined) {
      if (!optional) bad(at, `is required (${expected})`)
      return undefined
    }
    if (!check(obj[key])) {
      bad(at, `must be ${expected}`)
      return undefined
    }
    return obj[key] as T
  }
  const isString = (v: unknown): v is string => typeof v === 'string'
  const isBool = (v: unknown): v is boolean => typeof v === 'boolean'
  const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0
  const isTermKey = (v: unknown): v is string => isString(v) && validTermKey(v)
  const isArray = (v: unknown): v is unknown[] => Array.isArray(v)
  const known = (obj: Json, path: string, keys: readonly string[]) => {
    for (const key of Object.keys(obj)) if (!keys.includes(key)) bad(path ? `${path}.${key}` : key, `is not a field of this object (expected one of ${keys.join(', ')})`)
  }
  known(body, '', ['terms', 'firstTerm', 'authorities', 'inspectors', 'rules', 'fixed'])

  // Terms, in order, with sound dates.
  const terms: PlanTerm[] = []
  const rawTerms = field(body, '', 'terms', isArray, 'a list of terms in order')
  if (rawTerms && rawTerms.length === 0) bad('terms', 'must list at least one term')
  rawTerms?.forEach((t, i) => {
    const at = `terms[${i}]`
    if (!isObject(t)) return bad(at, 'must be an object with key, start and end')
    known(t, at, ['key', 'start', 'end'])
    const key = field(t, at, 'key', isTermKey, 'a term key like "2025-2026/spring"')
    const start = field(t, at, 'start', isDate, 'a date like "2026-01-05"')
    const end = field(t, at, 'end', isDate, 'a date like "2026-03-27"')
    if (start && end && end < start) bad(`${at}.end`, `must not be before the start (${start})`)
    if (key && start && end) terms.push({ key, start, end })
  })
  const seenTerms = new Set<string>()
  // A term listed with a bad date is still listed: fields naming it are not wrong as well.
  const listed = new Set(rawTerms?.flatMap((t) => (isObject(t) && isTermKey(t.key) ? [t.key] : [])) ?? [])
  terms.forEach((t, i) => {
    if (seenTerms.has(t.key)) bad(`terms[${i}].key`, `repeats the term ${t.key}`)
    seenTerms.add(t.key)
    const before = terms[i - 1]
    if (before && termNumber(t.key) !== termNumber(before.key) + 1 && rawTerms?.length === terms.length) {
      bad(`terms[${i}].key`, `must follow ${before.key} directly: list every term, in order, with none missing`)
    }
    if (before && t.start <= before.end && rawTerms?.length === terms.length) bad(`terms[${i}].start`, `must be after the end of ${before.key} (${before.end})`)
  })
  const termKnown = (key: string) => listed.has(key)

  const firstTerm = field(body, '', 'firstTerm', isTermKey, 'a term key like "2025-2026/summer"')
  if (firstTerm && terms.length && !termKnown(firstTerm)) bad('firstTerm', `must be one of the listed terms; ${firstTerm} is not`)
  if (firstTerm && rawTerms && isObject(rawTerms[0]) && rawTerms[0].key === firstTerm) {
    // notifyBy is the start of the term before; with none listed there is no date to give.
    bad('firstTerm', 'must not be the first listed term: notice is given in the term before, so list that term too')
  }

  // Authorities.
  const authorities: PlanAuthority[] = []
  const rawAuthorities = field(body, '', 'authorities', isArray, 'a list of authorities')
  const gssSeen = new Map<string, number>()
  rawAuthorities?.forEach((a, i) => {
    const at = `authorities[${i}]`
    if (!isObject(a)) return bad(at, 'must be an object with gssCode, coreInspectionTerm, elvsDone and welshMedium')
    known(a, at, ['gssCode', 'coreInspectionTerm', 'elvsDone', 'welshMedium'])
    const gssCode = field(a, at, 'gssCode', isGss, 'a Welsh authority GSS code like "W06000008"')
    if (gssCode) {
      if (gssSeen.has(gssCode)) bad(`${at}.gssCode`, `repeats ${gssCode} (already at authorities[${gssSeen.get(gssCode)}])`)
      else gssSeen.set(gssCode, i)
    }
    const core = a.coreInspectionTerm === null ? null : field(a, at, 'coreInspectionTerm', isTermKey, 'a term key like "2023-2024/autumn", or null', true)
    const elvsDone = field(a, at, 'elvsDone', isCount, 'a whole number of ELVs, 0 or more')
    const welshMedium = field(a, at, 'welshMedium', isBool, 'true or false')
    if (gssCode && elvsDone !== undefined && welshMedium !== undefined) authorities.push({ gssCode, coreInspectionTerm: core ?? null, elvsDone, welshMedium })
  })

  // Inspectors.
  const inspectors: PlanInspector[] = []
  const rawInspectors = field(body, '', 'inspectors', isArray, 'a list of inspectors')
  const idSeen = new Map<string, number>()
  rawInspectors?.forEach((p, i) => {
    const at = `inspectors[${i}]`
    if (!isObject(p)) return bad(at, 'must be an object with id, kind, authority, welsh, linkFor, maxElvsPerTerm and unavailable')
    known(p, at, ['id', 'kind', 'authority', 'welsh', 'linkFor', 'maxElvsPerTerm', 'unavailable', 'avoid'])
    const id = field(p, at, 'id', (v): v is string => isString(v) && v.trim() !== '', 'a non-empty text id')
    if (id) {
      if (idSeen.has(id)) bad(`${at}.id`, `repeats "${id}" (already at inspectors[${idSeen.get(id)}])`)
      else idSeen.set(id, i)
    }
    const kind = field(p, at, 'kind', (v): v is 'hmi' | 'peer' => v === 'hmi' || v === 'peer', '"hmi" or "peer"')
    const authority = p.authority === null || p.authority === undefined ? null : field(p, at, 'authority', isGss, 'a GSS code like "W06000003", or null')
    if (kind === 'peer' && (p.authority === null || p.authority === undefined)) bad(`${at}.authority`, 'is required for a peer inspector: the authority they serve, whose ELVs they may not join')
    const welsh = field(p, at, 'welsh', isBool, 'true or false')
    const linkFor = field(p, at, 'linkFor', (v): v is string[] => isArray(v) && v.every(isString), 'a list of GSS codes') ?? []
    linkFor.forEach((g, j) => {
      if (!isGss(g)) bad(`${at}.linkFor[${j}]`, 'must be a GSS code like "W06000008"')
      else if (rawAuthorities && !gssSeen.has(g)) bad(`${at}.linkFor[${j}]`, `names ${g}, which is not in authorities`)
    })
    const maxElvsPerTerm = field(p, at, 'maxElvsPerTerm', isCount, 'a whole number, 0 or more')
    const unavailable = field(p, at, 'unavailable', (v): v is string[] => isArray(v) && v.every(isString), 'a list of term keys') ?? []
    unavailable.forEach((k, j) => {
      if (!termKnown(k)) bad(`${at}.unavailable[${j}]`, `must be one of the listed terms; ${k} is not`)
    })
    const avoid = field(p, at, 'avoid', (v): v is string[] => isArray(v) && v.every(isGss), 'a list of GSS codes', true) ?? []
    if (id && kind && welsh !== undefined && maxElvsPerTerm !== undefined) {
      inspectors.push({ id, kind, authority: authority ?? null, welsh, linkFor, maxElvsPerTerm, unavailable, ...(avoid.length ? { avoid } : {}) })
    }
  })

  // Rules: partial, the rest from the defaults.
  const rules: PlanRules = { ...DEFAULT_RULES }
  const rawRules = field(body, '', 'rules', isObject, 'an object of rule values', true)
  if (rawRules) {
    known(rawRules, 'rules', Object.keys(DEFAULT_RULES))
    const positive = new Set(['elvsPerAuthority', 'teamSize', 'maxElvsPerTerm'])
    for (const key of Object.keys(DEFAULT_RULES) as Array<keyof PlanRules>) {
      if (!(key in rawRules)) continue
      const value = rawRules[key]
      if (typeof DEFAULT_RULES[key] === 'boolean') {
        if (!isBool(value)) bad(`rules.${key}`, 'must be true or false')
        else (rules[key] as boolean) = value
      } else if (!isCount(value) || (positive.has(key) && value === 0)) {
        bad(`rules.${key}`, positive.has(key) ? 'must be a whole number, 1 or more' : 'must be a whole number, 0 or more')
      } else (rules[key] as number) = value
    }
    if (rules.welshSpeakersForWelshMedium > rules.teamSize) bad('rules.welshSpeakersForWelshMedium', `must not be more than the team size (${rules.teamSize})`)
    if (rules.elvsPerAuthority > 2) bad('rules.elvsPerAuthority', 'must be 1 or 2: an ELV is the first or second of its cycle')
  }
  authorities.forEach((a, i) => {
    if (a.elvsDone > rules.elvsPerAuthority) bad(`authorities[${i}].elvsDone`, `must not be more than elvsPerAuthority (${rules.elvsPerAuthority})`)
  })

  // Fixed ELVs: optional, Cyswllt's own planning passes the ones already notified.
  const fixed: FixedVisit[] = []
  const rawFixed = field(body, '', 'fixed', isArray, 'a list of ELVs already fixed', true)
  rawFixed?.forEach((f, i) => {
    const at = `fixed[${i}]`
    if (!isObject(f)) return bad(at, 'must be an object with gssCode, ordinal, term, lead and team')
    known(f, at, ['gssCode', 'ordinal', 'term', 'lead', 'team'])
    const gssCode = field(f, at, 'gssCode', isGss, 'a GSS code')
    if (gssCode && rawAuthorities && !gssSeen.has(gssCode)) bad(`${at}.gssCode`, `names ${gssCode}, which is not in authorities`)
    const ordinal = field(f, at, 'ordinal', (v): v is number => v === 1 || v === 2, '1 or 2')
    const term = field(f, at, 'term', isTermKey, 'a term key')
    if (term && !termKnown(term)) bad(`${at}.term`, `must be one of the listed terms; ${term} is not`)
    const lead = f.lead === null ? null : field(f, at, 'lead', isString, 'an inspector id or null')
    const team = field(f, at, 'team', (v): v is string[] => isArray(v) && v.every(isString), 'a list of inspector ids') ?? []
    team.forEach((id, j) => { if (rawInspectors && !idSeen.has(id)) bad(`${at}.team[${j}]`, `names "${id}", who is not in inspectors`) })
    if (gssCode && ordinal && term) fixed.push({ gssCode, ordinal, term, lead: lead ?? null, team })
  })
  for (const a of authorities) {
    const count = fixed.filter((f) => f.gssCode === a.gssCode).length
    if (count > 0 && a.elvsDone <= rules.elvsPerAuthority && a.elvsDone + count > rules.elvsPerAuthority) {
      bad(`authorities[${gssSeen.get(a.gssCode)}].elvsDone`, `with ${count} fixed ELVs makes more than elvsPerAuthority (${rules.elvsPerAuthority})`)
    }
  }

  if (problems.length || !firstTerm) return { ok: false, problems }
  return { ok: true, input: { terms, firstTerm, authorities, inspectors, rules, fixed } }
}

function isDate(v: unknown): v is string {
  if (typeof v !== 'string' || !DATE.test(v)) return false
  const d = new Date(`${v}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v
}

function isGss(v: unknown): v is string {
  return typeof v === 'string' && GSS.test(v)
}

export function validTermKey(key: string): boolean {
  const m = TERM.exec(key)
  return m !== null && Number(m[2]) === Number(m[1]) + 1
}

/** Problems as the one message the command prints and the API returns. */
export function describeProblems(problems: InputProblem[]): string {
  return [`The plan input has ${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}:`, ...problems.map((p) => `  ${p.path}: ${p.message}`)].join('\n')
}

/**
 * Seeded, deterministic programme-planning instances for the planner's tests and benchmark, and a
 * few small builders for hand-made ones. No Math.random: the same seed gives the same instance on
 * every machine, so a failing seed can be replayed.
 *
 * Every generated instance is feasible by construction: the generator first builds a plan that
 * keeps every hard rule (the witness: ELV terms, then core inspection terms that keep clear of
 * them, then link inspectors and teams), and only then hands out the instance. The witness also
 * bounds the optimum from above, so tests can say how good the planner's answer must be.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  DEFAULT_RULES, type FixedVisit, type PlanAuthority, type PlanInput, type PlanInspector, type PlannedVisit, type PlanOutput, type PlanRequest,
  type PlanRules, type PlanTerm, type TermKey,
} from '../src/modules/planning/plan.types.ts'

// ---- a small seeded PRNG ----------------------------------------------------------------------

/** mulberry32: 32 bits of state, good enough to shuffle test data, identical everywhere. */
export class Rng {
  private state: number
  constructor(seed: number) {
    this.state = (seed * 0x9e3779b1) >>> 0
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** A whole number from lo to hi, both included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1))
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list')
    return items[this.int(0, items.length - 1)]!
  }

  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items]
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i)
      ;[out[i], out[j]] = [out[j]!, out[i]!]
    }
    return out
  }

  /** k distinct items, in random order. */
  sample<T>(items: readonly T[], k: number): T[] {
    return this.shuffle(items).slice(0, k)
  }
}

// ---- terms ------------------------------------------------------------------------------------

const SEASONS = ['autumn', 'spring', 'summer'] as const

/** A term's position on one line of terms, three per academic year (2024-2025/autumn is 2024 * 3). */
export function termIndex(key: TermKey): number {
  const m = /^(\d{4})-\d{4}\/(autumn|spring|summer)$/.exec(key)
  if (!m) throw new Error(`not a term key: ${key}`)
  return Number(m[1]) * 3 + SEASONS.indexOf(m[2] as (typeof SEASONS)[number])
}

export function termKeyOf(index: number): TermKey {
  const year = Math.floor(index / 3)
  return `${year}-${year + 1}/${SEASONS[index % 3]}`
}

/** The term `n` terms after (or before, when negative) the given one. */
export function termAfter(key: TermKey, n: number): TermKey {
  return termKeyOf(termIndex(key) + n)
}

const iso = (d: Date) => d.toISOString().slice(0, 10)
/** The first Monday on or after the date. */
function mondayFrom(y: number, m: number, d: number): string {
  const date = new Date(Date.UTC(y, m - 1, d))
  while (date.getUTCDay() !== 1) date.setUTCDate(date.getUTCDate() + 1)
  return iso(date)
}
/** The last Friday on or before the date. */
function fridayUntil(y: number, m: number, d: number): string {
  const date = new Date(Date.UTC(y, m - 1, d))
  while (date.getUTCDay() !== 5) date.setUTCDate(date.getUTCDate() - 1)
  return iso(date)
}

/** One term with school-term dates: autumn September to December, spring January to March, summer April to July. */
export function termOf(key: TermKey): PlanTerm {
  const index = termIndex(key)
  const year = Math.floor(index / 3)
  switch (index % 3) {
    case 0: return { key, start: mondayFrom(year, 9, 1), end: fridayUntil(year, 12, 21) }
    case 1: return { key, start: mondayFrom(year + 1, 1, 4), end: fridayUntil(year + 1, 3, 31) }
    default: return { key, start: mondayFrom(year + 1, 4, 14), end: fridayUntil(year + 1, 7, 21) }
  }
}

/** `count` consecutive terms from the given one (default: the 2024-2030 cycle's first term). */
export function termList(count: number, from: TermKey = '2024-2025/autumn'): PlanTerm[] {
  return Array.from({ length: count }, (_, i) => termOf(termAfter(from, i)))
}

/** The 2024-2030 cycle: 18 terms, 2024-2025/autumn to 2029-2030/summer. */
export const cycleTerms = (): PlanTerm[] => termList(18)

// ---- builders for hand-made instances ---------------------------------------------------------

/** A synthetic Welsh-looking GSS code (W06100001 and on), never one of the 22 real ones. */
export const syntheticGss = (n: number): string => `W061${String(n).padStart(5, '0')}`

export function authority(gssCode: string, o: Partial<Omit<PlanAuthority, 'gssCode'>> = {}): PlanAuthority {
  return { gssCode, coreInspectionTerm: null, elvsDone: 0, welshMedium: false, ...o }
}

export function hmi(id: string, o: Partial<Omit<PlanInspector, 'id' | 'kind'>> = {}): PlanInspector {
  return { id, kind: 'hmi', authority: null, welsh: false, linkFor: [], maxElvsPerTerm: 1, unavailable: [], ...o }
}

export function peer(id: string, home: string, o: Partial<Omit<PlanInspector, 'id' | 'kind' | 'authority'>> = {}): PlanInspector {
  return { id, kind: 'peer', authority: home, welsh: false, linkFor: [], maxElvsPerTerm: 1, unavailable: [], ...o }
}

/** `n` HMIs named `${prefix}1`.. with the same options. */
export function hmis(n: number, prefix = 'hmi-', o: Partial<Omit<PlanInspector, 'id' | 'kind'>> = {}): PlanInspector[] {
  return Array.from({ length: n }, (_, i) => hmi(`${prefix}${i + 1}`, o))
}

/**
 * A small request: `open` terms to plan in, with the term before them listed too (notice is given
 * in it), all rules the defaults unless overridden.
 */
export function smallRequest(o: {
  open: number
  authorities: PlanAuthority[]
  inspectors: PlanInspector[]
  rules?: Partial<PlanRules>
  fixed?: FixedVisit[]
  /** Terms listed before the first plannable one (at least 1). */
  before?: number
  from?: TermKey
}): PlanRequest {
  const before = o.before ?? 1
  const terms = termList(before + o.open, o.from ?? '2025-2026/autumn')
  return {
    terms,
    firstTerm: terms[before]!.key,
    authorities: o.authorities,
    inspectors: o.inspectors,
    ...(o.rules ? { rules: o.rules } : {}),
    ...(o.fixed ? { fixed: o.fixed } : {}),
  }
}

/** The request as the planner takes it: rules completed with the defaults, `fixed` present. */
export function withDefaults(request: PlanRequest): PlanInput {
  return { ...request, rules: { ...DEFAULT_RULES, ...request.rules }, fixed: request.fixed ?? [] }
}

/** The open terms of a request: from firstTerm to the last listed term. */
export function openTerms(request: PlanRequest): PlanTerm[] {
  const first = termIndex(request.firstTerm)
  return request.terms.filter((t) => termIndex(t.key) >= first)
}

/** ELVs the planner must place: elvsPerAuthority less those done and those fixed. */
export function elvsNeeded(request: PlanRequest): number {
  const per = request.rules?.elvsPerAuthority ?? DEFAULT_RULES.elvsPerAuthority
  const fixed = request.fixed?.length ?? 0
  return request.authorities.reduce((n, a) => n + per - a.elvsDone, 0) - fixed
}

// ---- generated instances ----------------------------------------------------------------------

export interface InstanceShape {
  name: string
  authorities: string[]
  inspectors: number
  peers: number
  welshSpeakers: number
  welshMedium: number
  /** HMIs who are link inspector of two authorities (the rest of the authorities get one each). */
  linkForTwo: number
  /** Share of authorities whose first ELV of the cycle is already done. */
  doneShare: number
  /** Index into the 18 terms of the first plannable term (4 is 2025-2026/spring). */
  firstTermIndex: number | readonly number[]
  rules: Partial<PlanRules>
  /** Inspectors who have declared a conflict of interest with one authority. */
  conflicts: number
}

export interface GeneratedInstance {
  request: PlanRequest
  /** A plan keeping every hard rule, built with the instance: the proof that it is feasible. */
  witness: PlanOutput
  /** The least possible largest number of ELVs in a term: ceil(ELVs needed / open terms). */
  termLoadLowerBound: number
}

/** The 22 authorities of Wales, from the shared reference list. */
export function walesAuthorityCodes(): string[] {
  const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../shared/reference/local-authorities.csv')
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return WALES_GSS
  }
  const codes = text.trim().split('\n').slice(1).map((line) => line.split(',')[0]!.trim()).filter((c) => /^W06\d{6}$/.test(c))
  return codes.length === 22 ? codes : WALES_GSS
}

/** The same 22 codes, for a checkout without the shared reference directory beside it. */
const WALES_GSS = [
  'W06000001', 'W06000002', 'W06000003', 'W06000004', 'W06000005', 'W06000006', 'W06000008', 'W06000009', 'W06000010', 'W06000011', 'W06000012',
  'W06000013', 'W06000014', 'W06000015', 'W06000016', 'W06000018', 'W06000019', 'W06000020', 'W06000021', 'W06000022', 'W06000023', 'W06000024',
]

export const WALES_SHAPE: InstanceShape = {
  name: 'Wales',
  authorities: walesAuthorityCodes(),
  inspectors: 30,
  peers: 8,
  welshSpeakers: 12,
  welshMedium: 8,
  linkForTwo: 6,
  doneShare: 0.25,
  // Around 2025-2026/spring: the autumn before it, it, or the summer after.
  firstTermIndex: [3, 4, 4, 5],
  rules: {},
  conflicts: 2,
}

export const COUNTRY_SHAPE: InstanceShape = {
  name: 'country',
  authorities: Array.from({ length: 150 }, (_, i) => syntheticGss(i + 1)),
  inspectors: 200,
  peers: 53,
  welshSpeakers: 80,
  welshMedium: 55,
  linkForTwo: 40,
  doneShare: 0.25,
  // 262 ELVs over 14 open terms at 20 a term (280 places): later starts would not fit.
  firstTermIndex: 4,
  rules: { maxElvsPerTerm: 20 },
  conflicts: 12,
}

/** The Wales instance: 22 authorities, 18 terms, 30 inspectors (8 peers, 12 Welsh speakers), 8 Welsh-medium authorities. */
export const walesInstance = (seed: number): PlanRequest => generateInstance(WALES_SHAPE, seed).request
/** The country-sized instance: 150 authorities, 18 terms, 200 inspectors, at most 20 ELVs a term. */
export const countryInstance = (seed: number): PlanRequest => generateInstance(COUNTRY_SHAPE, seed).request

const CORE_FROM = termIndex('2022-2023/autumn')
const CORE_TO = termIndex('2029-2030/summer')

/** Builds an instance of the shape with its witness plan; retries (deterministically) until the witness keeps every rule. */
export function generateInstance(shape: InstanceShape, seed: number): GeneratedInstance {
  const rng = new Rng(seed)
  for (let attempt = 0; attempt < 200; attempt++) {
    const built = tryInstance(shape, rng)
    if (built) return built
  }
  throw new Error(`could not build a feasible ${shape.name} instance for seed ${seed}`)
}

function tryInstance(shape: InstanceShape, rng: Rng): GeneratedInstance | undefined {
  const rules: PlanRules = { ...DEFAULT_RULES, ...shape.rules }
  const terms = cycleTerms()
  const firstIndex = typeof shape.firstTermIndex === 'number' ? shape.firstTermIndex : rng.pick(shape.firstTermIndex)
  const firstTerm = terms[firstIndex]!.key
  const open = terms.slice(firstIndex).map((t) => termIndex(t.key))

  // Authorities: which are Welsh-medium, which have had their first ELV.
  const codes = shape.authorities
  const welshMedium = new Set(rng.sample(codes, shape.welshMedium))
  const done = new Set(rng.sample(codes, Math.round(codes.length * shape.doneShare)))
  const needs = new Map(codes.map((g) => [g, rules.elvsPerAuthority - (done.has(g) ? 1 : 0)]))
  const needed = [...needs.values()].reduce((a, b) => a + b, 0)
  const termLoadLowerBound = Math.ceil(needed / open.length)
  const cap = termLoadLowerBound
  if (cap > rules.maxElvsPerTerm) throw new Error(`${shape.name}: ${needed} ELVs do not fit ${rules.maxElvsPerTerm} a term over ${open.length} terms`)

  // 1. ELV terms, no term over the least possible load, pairs first (they are the hard ones).
  const load = new Map(open.map((t) => [t, 0]))
  const elvTerms = new Map<string, number[]>()
  const order = [...rng.shuffle(codes.filter((g) => needs.get(g) === 2)), ...rng.shuffle(codes.filter((g) => needs.get(g) === 1))]
  for (const g of order) {
    const k = needs.get(g)!
    const options: number[][] = []
    if (k === 2) {
      for (const a of open) for (const b of open) if (b - a >= rules.minTermsBetweenElvs && load.get(a)! < cap && load.get(b)! < cap) options.push([a, b])
    } else {
      for (const a of open) if (load.get(a)! < cap) options.push([a])
    }
    if (!options.length) return undefined
    // The least loaded choice, ties broken at random, so the loads stay level.
    const weight = (o: number[]) => o.reduce((s, t) => s + load.get(t)!, 0) + rng.next() * 0.9
    const best = options.map((o) => ({ o, w: weight(o) })).sort((x, y) => x.w - y.w)[0]!.o
    for (const t of best) load.set(t, load.get(t)! + 1)
    elvTerms.set(g, best)
  }

  // 2. Core inspections, anywhere 2022-2023 to 2029-2030 that keeps clear of the ELVs.
  const authorities: PlanAuthority[] = codes.map((g) => {
    const mine = elvTerms.get(g)!
    const allowed: number[] = []
    for (let c = CORE_FROM; c <= CORE_TO; c++) if (mine.every((t) => Math.abs(t - c) > rules.minTermsFromCoreInspection)) allowed.push(c)
    return { gssCode: g, coreInspectionTerm: termKeyOf(rng.pick(allowed)), elvsDone: done.has(g) ? 1 : 0, welshMedium: welshMedium.has(g) }
  })

  // 3. Inspectors: peers with a home authority, Welsh speakers, unavailability, per-term maxima.
  const pad = String(shape.inspectors).length
  const hmiCount = shape.inspectors - shape.peers
  const inspectors: PlanInspector[] = []
  for (let i = 0; i < hmiCount; i++) inspectors.push(hmi(`hmi-${String(i + 1).padStart(pad, '0')}`, { maxElvsPerTerm: rng.chance(0.2) ? 2 : 1 }))
  for (let i = 0; i < shape.peers; i++) inspectors.push(peer(`peer-${String(i + 1).padStart(pad, '0')}`, rng.pick(codes)))
  for (const p of rng.sample(inspectors, shape.welshSpeakers)) p.welsh = true
  for (const p of inspectors) p.unavailable = rng.sample(terms, rng.int(0, 3)).map((t) => t.key).sort((a, b) => termIndex(a) - termIndex(b))

  // 4. Link inspectors among the HMIs; one linking two authorities only where that HMI can lead both.
  const hmiList = rng.shuffle(inspectors.filter((p) => p.kind === 'hmi'))
  const unlinked = rng.shuffle(codes)
  const canLeadBoth = (p: PlanInspector, a: string, b: string) => {
    const busy = new Map<number, number>()
    for (const t of [...elvTerms.get(a)!, ...elvTerms.get(b)!]) if (!p.unavailable.includes(termKeyOf(t))) busy.set(t, (busy.get(t) ?? 0) + 1)
    return [...busy.values()].every((n) => n <= p.maxElvsPerTerm)
  }
  let h = 0
  for (let d = 0; d < shape.linkForTwo; d++) {
    const p = hmiList[h++]
    const a = unlinked.shift()
    if (!p || !a) return undefined
    const bi = unlinked.findIndex((b) => canLeadBoth(p, a, b))
    if (bi < 0) return undefined
    p.linkFor = [a, unlinked.splice(bi, 1)[0]!].sort()
  }
  while (unlinked.length) {
    const p = hmiList[h++]
    if (!p) return undefined
    p.linkFor = [unlinked.shift()!]
  }
  // A few declared conflicts of interest, never with an authority the inspector links for.
  for (const p of rng.sample(inspectors.filter((q) => q.kind === 'hmi'), shape.conflicts)) {
    const g = rng.pick(codes.filter((c) => !p.linkFor.includes(c)))
    p.avoid = [g]
  }

  // 5. Teams, term by term, the fewest-used inspectors first.
  const visits = witnessTeams(rules, terms, authorities, inspectors, elvTerms, rng)
  if (!visits) return undefined

  const request: PlanRequest = {
    terms,
    firstTerm,
    authorities,
    inspectors,
    ...(Object.keys(shape.rules).length ? { rules: { ...shape.rules } } : {}),
  }
  const cycleLoad = new Map<string, number>()
  for (const v of visits) for (const id of v.team) cycleLoad.set(id, (cycleLoad.get(id) ?? 0) + 1)
  const witness: PlanOutput = {
    status: 'feasible',
    visits,
    load: { maxElvsInATerm: Math.max(...load.values()), maxElvsPerInspector: Math.max(0, ...cycleLoad.values()) },
    conflicts: [],
    solver: { seconds: 0, bounds: { maxElvsInATerm: termLoadLowerBound, maxElvsPerInspector: 0 }, gap: 1 },
  }
  return { request, witness, termLoadLowerBound }
}

function witnessTeams(
  rules: PlanRules, terms: PlanTerm[], authorities: PlanAuthority[], inspectors: PlanInspector[], elvTerms: Map<string, number[]>, rng: Rng,
): PlannedVisit[] | undefined {
  const byCode = new Map(authorities.map((a) => [a.gssCode, a]))
  const startOf = new Map(terms.map((t) => [termIndex(t.key), t.start]))
  const cycleLoad = new Map(inspectors.map((p) => [p.id, 0]))
  const visits: PlannedVisit[] = []
  const termsUsed = [...new Set([...elvTerms.values()].flat())].sort((a, b) => a - b)
  for (const t of termsUsed) {
    const key = termKeyOf(t)
    const inTerm = new Map(inspectors.map((p) => [p.id, 0]))
    const free = (p: PlanInspector) => !p.unavailable.includes(key) && inTerm.get(p.id)! < p.maxElvsPerTerm
    const here = [...elvTerms].filter(([, ts]) => ts.includes(t)).map(([g]) => byCode.get(g)!)
    // Link leads first (they have no choice), then Welsh-medium authorities (the scarcer speakers).
    const leads = new Map<string, PlanInspector>()
    for (const a of here) {
      const link = inspectors.find((p) => p.linkFor.includes(a.gssCode))
      if (link && !link.unavailable.includes(key)) {
        if (!free(link)) return undefined
        leads.set(a.gssCode, link)
        inTerm.set(link.id, inTerm.get(link.id)! + 1)
      }
    }
    here.sort((x, y) => Number(y.welshMedium) - Number(x.welshMedium))
    for (const a of here) {
      const team: PlanInspector[] = []
      const take = (p: PlanInspector) => {
        team.push(p)
        inTerm.set(p.id, inTerm.get(p.id)! + 1)
      }
      const fits = (p: PlanInspector) => free(p) && !team.includes(p) && !(p.avoid ?? []).includes(a.gssCode) &&
        (p.kind === 'hmi' || (p.authority !== a.gssCode && team.filter((q) => q.kind === 'peer').length < rules.maxPeersPerTeam))
      const fewestUsed = (ps: PlanInspector[]) => ps.map((p) => ({ p, w: cycleLoad.get(p.id)! + rng.next() * 0.5 })).sort((x, y) => x.w - y.w).map((x) => x.p)
      const link = leads.get(a.gssCode)
      if (link) team.push(link)
      else {
        const lead = fewestUsed(inspectors.filter((p) => p.kind === 'hmi' && fits(p)))[0]
        if (!lead) return undefined
        take(lead)
      }
      const welshNeeded = a.welshMedium ? rules.welshSpeakersForWelshMedium : 0
      while (team.filter((p) => p.welsh).length < welshNeeded) {
        const p = fewestUsed(inspectors.filter((q) => q.welsh && fits(q)))[0]
        if (!p || team.length >= rules.teamSize) return undefined
        take(p)
      }
      while (team.length < rules.teamSize) {
        const p = fewestUsed(inspectors.filter(fits))[0]
        if (!p) return undefined
        take(p)
      }
      for (const p of team) cycleLoad.set(p.id, cycleLoad.get(p.id)! + 1)
      const ordinal = a.elvsDone + elvTerms.get(a.gssCode)!.indexOf(t) + 1
      visits.push({ gssCode: a.gssCode, ordinal, term: key, notifyBy: startOf.get(t - 1)!, lead: team[0]!.id, team: team.map((p) => p.id) })
    }
  }
  return visits.sort((x, y) => termIndex(x.term) - termIndex(y.term) || (x.gssCode < y.gssCode ? -1 : x.gssCode > y.gssCode ? 1 : 0))
}

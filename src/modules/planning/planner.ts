import type { Translate } from '../../i18n/catalogue.ts'
import { I18n } from '../../i18n/catalogue.ts'
import { explainInfeasible } from './explain.ts'
import { Milp } from './milp.ts'
import { solveDecomposed, type Placement } from './decomposed.ts'
import { prepare, type Prepared, type Relaxed } from './prepare.ts'
import type { PlanInput, PlanOutput, PlannedVisit } from './plan.types.ts'

export interface SolveOptions {
  /** Stop searching after this long and answer with the best plan found (status `feasible`). */
  timeLimitSeconds?: number
  /** How conflicts are worded; English by default. */
  translate?: Translate
}

/** No plan was found in the time allowed, and none was proven impossible either. */
export class PlanTimeoutError extends Error {}

let english: Translate | undefined
const defaultTranslate = (): Translate => (english ??= new I18n().translator('en'))

/**
 * Places every ELV still needed in a term and proposes its team, keeping every hard rule, and
 * balances the load: fewest ELVs in the busiest term first, then fewest ELVs for the busiest
 * inspector, then (when the rule does not already require it) the link inspector on the team to
 * lead. One mixed integer programme solved by HiGHS; never touches the database.
 */
export async function solvePlan(input: PlanInput, options: SolveOptions = {}): Promise<PlanOutput> {
  const translate = options.translate ?? defaultTranslate()
  const timeLimit = options.timeLimitSeconds ?? 60
  const started = performance.now()
  const deadline = started + timeLimit * 1000
  const prep = prepare(input, new Set())
  const seconds = () => round((performance.now() - started) / 1000)

  const best = prep.impossible ? undefined : await solveDecomposed(prep, deadline)
  let placements = best?.placements ?? []
  let status = best?.status ?? 'infeasible'
  let termBound = best?.termBound ?? prep.termLowerBound
  const inspectorBound = best?.inspectorBound ?? prep.inspectorLowerBound
  // Small enough for the whole programme in one model: prove optimality there when the two steps could not.
  if ((status === 'feasible' || status === 'unknown') && teamVariables(prep) <= ONE_MODEL_LIMIT) {
    const model = buildModel(prep)
    const result = await model.milp.solve({ timeLimitSeconds: Math.max(1, (deadline - performance.now()) / 1000), integralObjective: true })
    if (result.status === 'infeasible') status = 'infeasible'
    else if (result.values) {
      placements = placementsOf(prep, model, result.values)
      status = result.status === 'optimal' ? 'optimal' : 'feasible'
      if (result.bound !== undefined) termBound = Math.max(termBound, Math.floor((result.bound + 1e-6) / model.termWeight))
    }
  }

  if (status === 'infeasible') {
    const conflicts = await explainInfeasible(input, (relaxed) => feasible(input, relaxed, deadline), translate)
    return {
      status: 'infeasible',
      visits: [],
      load: { maxElvsInATerm: 0, maxElvsPerInspector: 0 },
      conflicts: conflicts.map((c) => ({ rule: c.rule, message: c.message })),
      solver: { seconds: seconds(), bounds: { maxElvsInATerm: 0, maxElvsPerInspector: 0 }, gap: 0 },
    }
  }
  if (status === 'unknown') {
    throw new PlanTimeoutError(`No plan was found within ${timeLimit} s (and none was proven impossible): allow more time or relax a rule.`)
  }

  const visits = decode(prep, placements)
  const load = loadOf(prep, visits)
  const optimal = status === 'optimal'
  const bounds = optimal ? load : { maxElvsInATerm: Math.min(termBound, load.maxElvsInATerm), maxElvsPerInspector: Math.min(inspectorBound, load.maxElvsPerInspector) }
  // The gap of the weighted objective (busiest term first, then busiest inspector) to its proven bound.
  const weight = prep.totalVisits + prep.fixedInspectorMax + 1
  const objective = weight * load.maxElvsInATerm + load.maxElvsPerInspector
  const bound = weight * bounds.maxElvsInATerm + bounds.maxElvsPerInspector
  return {
    status: optimal ? 'optimal' : 'feasible',
    visits,
    load,
    conflicts: [],
    solver: { seconds: seconds(), bounds, gap: objective > 0 ? round((objective - bound) / objective, 4) : 0 },
  }
}

/** Above this many team variables the one-model formulation is too slow to be worth trying. */
const ONE_MODEL_LIMIT = 20_000

function teamVariables(prep: Prepared): number {
  return prep.authorities.reduce((n, a, ai) => n + (a.need ? a.allowed.reduce((m, t) => m + prep.eligible(ai, t).length, 0) : 0), 0)
}

interface Model {
  milp: Milp
  /** y: authority a visited in term t (keyed `a|t` by indices). */
  y: Map<string, number>
  /** z: inspector i on authority a's ELV in term t (keyed `a|t|i`). */
  z: Map<string, number>
  termWeight: number
}

/**
 * The programme as a MIP. Variables: y[a,t] (authority a has a new ELV in open term t), z[a,t,i]
 * (inspector i on it), the busiest term's count and the busiest inspector's count. Only allowed
 * combinations get a variable at all (a term near the core inspection, an unavailable inspector, a
 * peer's own authority simply have none), which keeps the model small.
 */
function buildModel(prep: Prepared): Model {
  const { input, relaxed } = prep
  const rules = input.rules
  const milp = new Milp()
  const y = new Map<string, number>()
  const z = new Map<string, number>()

  const busiestTerm = milp.variable(prep.pastTermMax, relaxed.has('maxElvsPerTerm') ? prep.totalVisits : Math.max(rules.maxElvsPerTerm, prep.pastTermMax))
  const busiestInspector = milp.variable(prep.fixedInspectorMax, prep.totalVisits + prep.fixedInspectorMax)
  // Lexicographic weights: one more ELV in the busiest term outweighs any inspector balance, which outweighs every link-lead preference.
  const preferLink = !rules.leadIsLinkInspector || relaxed.has('leadIsLinkInspector')
  const bonusRange = preferLink ? prep.newVisits + 1 : 1
  const inspectorWeight = bonusRange
  const termWeight = inspectorWeight * (prep.totalVisits + prep.fixedInspectorMax + 1)
  milp.setCost(busiestTerm, termWeight)
  milp.setCost(busiestInspector, inspectorWeight)

  const perTerm = new Map<number, Array<[number, number]>>()
  const perInspectorTerm = new Map<string, Array<[number, number]>>()
  const perInspector = new Map<number, Array<[number, number]>>()

  prep.authorities.forEach((a, ai) => {
    if (a.need === 0) return
    const mine: Array<[number, number]> = []
    for (const t of a.allowed) {
      const yv = milp.variable(0, 1)
      y.set(`${ai}|${t}`, yv)
      mine.push([yv, 1])
      push(perTerm, t, [yv, 1])

      const team: Array<[number, number]> = [[yv, -rules.teamSize]]
      const peers: Array<[number, number]> = [[yv, -rules.maxPeersPerTeam]]
      const welsh: Array<[number, number]> = [[yv, -rules.welshSpeakersForWelshMedium]]
      const links: Array<[number, number]> = []
      for (const i of prep.eligible(ai, t)) {
        const p = prep.inspectors[i]!
        const zv = milp.variable(0, 1, preferLink && p.linkFor.includes(a.gssCode) ? -1 : 0)
        z.set(`${ai}|${t}|${i}`, zv)
        team.push([zv, 1])
        if (p.kind === 'peer') peers.push([zv, 1])
        if (p.welsh) welsh.push([zv, 1])
        if (a.linkLeads.has(`${t}|${i}`)) links.push([zv, 1])
        push(perInspectorTerm, `${i}|${t}`, [zv, 1])
        push(perInspector, i, [zv, 1])
      }
      milp.equal(team, 0)
      if (!relaxed.has('maxPeersPerTeam')) milp.atMost(peers, 0)
      if (a.welshMedium && !relaxed.has('welshSpeakersForWelshMedium')) milp.atLeast(welsh, 0)
      // The link inspector leads when available: they must be on the team (and are made lead when decoding).
      if (a.linkRequired.has(t)) milp.atLeast([...links, [yv, -1]], 0)
    }
    if (!relaxed.has('minTermsBetweenElvs') && a.need > 1) {
      // Any window of fewer than minTermsBetweenElvs consecutive terms holds at most one of its ELVs.
      for (const t of a.allowed) {
        const window = mine.filter(([, ], k) => {
          const u = a.allowed[k]!
          return u >= t && prep.termNumber[u]! - prep.termNumber[t]! < rules.minTermsBetweenElvs
        })
        if (window.length > 1) milp.atMost(window, 1)
      }
    }
    milp.equal(mine, a.need)
  })

  for (const t of prep.open) {
    milp.atMost([...(perTerm.get(t) ?? []), [busiestTerm, -1]], -prep.fixedPerTerm[t]!)
  }
  prep.inspectors.forEach((p, i) => {
    for (const t of prep.open) {
      const terms = perInspectorTerm.get(`${i}|${t}`)
      if (terms && !relaxed.has('inspectorMaxElvsPerTerm')) milp.atMost(terms, prep.capacity(i, t))
    }
    milp.atMost([...(perInspector.get(i) ?? []), [busiestInspector, -1]], -prep.fixedTotal[i]!)
    void p
  })
  return { milp, y, z, termWeight }
}

/** Whether any plan keeps every rule except the relaxed ones (for explaining infeasibility); undefined when unknown in time. */
async function feasible(input: PlanInput, relaxed: Relaxed, deadline: number): Promise<boolean | undefined> {
  const prep = prepare(input, relaxed)
  if (prep.impossible) return false
  const result = await solveDecomposed(prep, Math.max(deadline, performance.now() + 5000), true)
  return result.status === 'infeasible' ? false : result.status === 'unknown' ? undefined : true
}

function placementsOf(prep: Prepared, model: Model, values: Float64Array): Placement[] {
  const placements: Placement[] = []
  prep.authorities.forEach((a, ai) => {
    for (const t of a.allowed) {
      const y = model.y.get(`${ai}|${t}`)
      if (y === undefined || values[y]! < 0.5) continue
      const team = prep.eligible(ai, t).filter((i) => { const z = model.z.get(`${ai}|${t}|${i}`); return z !== undefined && values[z]! > 0.5 })
      placements.push({ authority: ai, term: t, team })
    }
  })
  return placements
}

function decode(prep: Prepared, placements: Placement[]): PlannedVisit[] {
  const { input } = prep
  const leads = new Map<string, number>()
  const ordered = [...placements].sort((x, y) => x.term - y.term || x.authority - y.authority)
  const seen = new Map<number, number>()
  const visits = ordered.map(({ authority: ai, term: t, team: members }) => {
    const a = prep.authorities[ai]!
    const k = seen.get(ai) ?? 0
    seen.set(ai, k + 1)
    const team = members.map((i) => prep.inspectors[i]!)
    const link = members.find((i) => a.linkLeads.has(`${t}|${i}`))
    // Without a link inspector on the team, an HMI leads, spreading leads across them.
    const rank = (p: (typeof team)[number]) => (p.kind === 'hmi' ? 0 : 1000) + (leads.get(p.id) ?? 0)
    const lead = link !== undefined ? prep.inspectors[link]! : [...team].sort((x, y) => rank(x) - rank(y) || x.id.localeCompare(y.id))[0]!
    leads.set(lead.id, (leads.get(lead.id) ?? 0) + 1)
    const previous = input.terms[t - 1]
    return {
      gssCode: a.gssCode,
      ordinal: a.ordinals[k]!,
      term: input.terms[t]!.key,
      notifyBy: previous ? previous.start : input.terms[t]!.start,
      lead: lead.id,
      team: [lead.id, ...team.filter((p) => p !== lead).map((p) => p.id)],
    }
  })
  return visits.sort((x, y) => x.term === y.term ? x.gssCode.localeCompare(y.gssCode) || x.ordinal - y.ordinal : 0)
}

function loadOf(prep: Prepared, visits: PlannedVisit[]): PlanOutput['load'] {
  const perTerm = new Map<string, number>()
  const perInspector = new Map<string, number>()
  for (const v of [...visits, ...prep.input.fixed]) {
    perTerm.set(v.term, (perTerm.get(v.term) ?? 0) + 1)
    for (const id of new Set(v.team)) perInspector.set(id, (perInspector.get(id) ?? 0) + 1)
  }
  return { maxElvsInATerm: Math.max(0, ...perTerm.values()), maxElvsPerInspector: Math.max(0, ...perInspector.values()) }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

function round(n: number, digits = 3): number {
  const f = 10 ** digits
  return Math.round(n * f) / f
}


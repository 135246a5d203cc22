import { Milp } from './milp.ts'
import type { Prepared } from './prepare.ts'

/** A new ELV placed: authority index, term index, and its team (inspector indices; lead decided later). */
export interface Placement {
  authority: number
  term: number
  team: number[]
}

export interface DecomposedResult {
  status: 'optimal' | 'feasible' | 'infeasible' | 'unknown'
  placements: Placement[]
  /** Proven lower bounds of the busiest term and the busiest inspector. */
  termBound: number
  inspectorBound: number
  seconds: number
}

/**
 * The programme in two steps, for instances too large for one model (150 authorities and 200
 * inspectors make hundreds of thousands of team variables):
 * 1. place the ELVs in terms (one small MIP) under every per-term rule and the team capacity each
 *    term has in aggregate (places, HMI places, Welsh speakers, each link inspector's own terms);
 * 2. choose each term's teams (one small MIP per term), steering every inspector towards the least
 *    load any plan can have.
 * Step 1 relaxes step 2, so its busiest term is a proven lower bound; when a term's teams cannot be
 * formed, that set of authorities in that term is excluded and step 1 runs again. The plan is
 * proven optimal when both loads meet their lower bounds.
 */
export async function solveDecomposed(prep: Prepared, deadline: number, feasibilityOnly = false): Promise<DecomposedResult> {
  const started = performance.now()
  const cuts: Array<{ term: number; authorities: number[] }> = []
  let termBound = prep.termLowerBound

  for (let round = 0; round < 40; round++) {
    const left = () => Math.max(1, (deadline - performance.now()) / 1000)
    const placement = await place(prep, cuts, left())
    if (placement.status === 'infeasible') return { status: 'infeasible', placements: [], termBound, inspectorBound: prep.inspectorLowerBound, seconds: secondsSince(started) }
    if (!placement.terms) return { status: 'unknown', placements: [], termBound, inspectorBound: prep.inspectorLowerBound, seconds: secondsSince(started) }
    termBound = Math.max(termBound, placement.termBound)
    const inspectorBound = Math.max(prep.inspectorLowerBound, placement.linkLoadBound)

    const load = prep.inspectors.map((_, i) => prep.fixedTotal[i]! + placement.forced[i]!)
    const placed = placement.terms
    const pairs = prep.open.flatMap((t) => (placed.get(t) ?? []).map((ai): [number, number] => [ai, t]))
    const placements: Placement[] = []
    let failed = false
    // Every team at once, minimising the busiest inspector exactly, when that is affordable; when it
    // is not (or finds nothing in half the time left), term by term, which also shows which term fails.
    const joint = pairs.reduce((n, [ai, t]) => n + prep.eligible(ai, t).length, 0) <= JOINT_LIMIT
      ? await formTeams(prep, pairs, [...load], inspectorBound, placement.forcedAt, feasibilityOnly ? 'feasibility' : 'busiest', left() / 2)
      : undefined
    if (joint) placements.push(...joint)
    else {
      for (const t of prep.open) {
        const here = pairs.filter(([, u]) => u === t)
        if (!here.length) continue
        const teams = await formTeams(prep, here, load, inspectorBound, placement.forcedAt, feasibilityOnly ? 'feasibility' : 'spread', left())
        if (!teams) {
          cuts.push({ term: t, authorities: here.map(([ai]) => ai) })
          failed = true
          break
        }
        placements.push(...teams)
      }
    }
    if (failed) continue
    const busiestInspector = Math.max(0, ...loadsOf(prep, placements))
    const proven = placement.optimal && busiestInspector <= inspectorBound
    return { status: proven ? 'optimal' : 'feasible', placements, termBound, inspectorBound, seconds: secondsSince(started) }
  }
  return { status: 'unknown', placements: [], termBound, inspectorBound: prep.inspectorLowerBound, seconds: secondsSince(started) }
}

interface PlacementResult {
  status: 'found' | 'infeasible' | 'unknown'
  optimal: boolean
  /** Authorities (indices) placed in each term. */
  terms?: Map<number, number[]>
  termBound: number
  linkLoadBound: number
  /** ELVs each inspector must join as link inspector (across the cycle). */
  forced: number[]
  /** `authority|term` -> the link inspector who must lead it. */
  forcedAt: Map<string, number>
}

/** Step 1: which term each new ELV goes in. */
async function place(prep: Prepared, cuts: Array<{ term: number; authorities: number[] }>, timeLimit: number): Promise<PlacementResult> {
  const { input, relaxed } = prep
  const rules = input.rules
  const milp = new Milp()
  const busiestTerm = milp.variable(prep.pastTermMax, relaxed.has('maxElvsPerTerm') ? prep.totalVisits : Math.max(rules.maxElvsPerTerm, prep.pastTermMax))
  const busiestLink = milp.variable(0, prep.totalVisits + prep.fixedInspectorMax)
  milp.setCost(busiestTerm, prep.totalVisits + prep.fixedInspectorMax + 1)
  milp.setCost(busiestLink, 1)

  const y = new Map<string, number>()
  const perTerm = new Map<number, Array<[number, number]>>()
  const welshPerTerm = new Map<number, Array<[number, number]>>()
  const linkPerInspectorTerm = new Map<string, Array<[number, number]>>()
  const linkPerInspector = new Map<number, Array<[number, number]>>()
  /** The one link inspector who must lead an authority's ELV in a term, when there is exactly one. */
  const soleLink = (ai: number, t: number): number | undefined => {
    const a = prep.authorities[ai]!
    if (!a.linkRequired.has(t)) return undefined
    const candidates = [...a.linkLeads].filter((k) => k.startsWith(`${t}|`)).map((k) => Number(k.split('|')[1]))
    return candidates.length === 1 ? candidates[0] : undefined
  }

  prep.authorities.forEach((a, ai) => {
    if (a.need === 0) return
    const mine: Array<[number, number]> = []
    for (const t of a.allowed) {
      const v = milp.variable(0, 1)
      y.set(`${ai}|${t}`, v)
      mine.push([v, 1])
      ;(perTerm.get(t) ?? perTerm.set(t, []).get(t)!).push([v, 1])
      if (a.welshMedium) (welshPerTerm.get(t) ?? welshPerTerm.set(t, []).get(t)!).push([v, 1])
      const link = soleLink(ai, t)
      if (link !== undefined) {
        const key = `${link}|${t}`
        ;(linkPerInspectorTerm.get(key) ?? linkPerInspectorTerm.set(key, []).get(key)!).push([v, 1])
        ;(linkPerInspector.get(link) ?? linkPerInspector.set(link, []).get(link)!).push([v, 1])
      }
    }
    if (!relaxed.has('minTermsBetweenElvs') && a.need > 1) {
      for (const t of a.allowed) {
        const window = a.allowed.filter((u) => u >= t && prep.termNumber[u]! - prep.termNumber[t]! < rules.minTermsBetweenElvs).map((u): [number, number] => [y.get(`${ai}|${u}`)!, 1])
        if (window.length > 1) milp.atMost(window, 1)
      }
    }
    milp.equal(mine, a.need)
  })

  const sum = (pick: (i: number) => boolean, t: number) => prep.inspectors.reduce((n, _, i) => n + (pick(i) ? Math.min(prep.capacity(i, t), prep.newVisits) : 0), 0)
  for (const t of prep.open) {
    const here = perTerm.get(t) ?? []
    milp.atMost([...here, [busiestTerm, -1]], -prep.fixedPerTerm[t]!)
    if (!here.length) continue
    // What the term's inspectors can give in aggregate: places, HMI places, Welsh speakers.
    milp.atMost(here.map(([v]) => [v, rules.teamSize]), sum(() => true, t))
    if (!relaxed.has('maxPeersPerTeam')) milp.atMost(here.map(([v]) => [v, rules.teamSize - rules.maxPeersPerTeam]), sum((i) => prep.inspectors[i]!.kind === 'hmi', t))
    const welsh = welshPerTerm.get(t)
    if (welsh && !relaxed.has('welshSpeakersForWelshMedium')) milp.atMost(welsh.map(([v]) => [v, rules.welshSpeakersForWelshMedium]), sum((i) => prep.inspectors[i]!.welsh, t))
  }
  for (const [key, terms] of linkPerInspectorTerm) {
    const [i, t] = key.split('|').map(Number) as [number, number]
    milp.atMost(terms, prep.capacity(i, t))
  }
  for (const [i, terms] of linkPerInspector) milp.atMost([...terms, [busiestLink, -1]], -prep.fixedTotal[i]!)
  for (const cut of cuts) {
    milp.atMost(cut.authorities.map((ai) => [y.get(`${ai}|${cut.term}`)!, 1]), cut.authorities.length - 1)
  }

  const result = await milp.solve({ timeLimitSeconds: timeLimit, integralObjective: true })
  const empty = { forced: [], forcedAt: new Map(), termBound: 0, linkLoadBound: 0, optimal: false }
  if (result.status === 'infeasible') return { status: 'infeasible', ...empty }
  if (!result.values) return { status: 'unknown', ...empty }
  const values = result.values
  const terms = new Map<number, number[]>()
  const forced = prep.inspectors.map(() => 0)
  const forcedAt = new Map<string, number>()
  for (const [key, v] of y) {
    if (values[v]! < 0.5) continue
    const [ai, t] = key.split('|').map(Number) as [number, number]
    ;(terms.get(t) ?? terms.set(t, []).get(t)!).push(ai)
    const link = soleLink(ai, t)
    if (link !== undefined) {
      forced[link]!++
      forcedAt.set(key, link)
    }
  }
  const optimal = result.status === 'optimal'
  return {
    status: 'found', optimal, terms, forced, forcedAt,
    termBound: optimal ? Math.round(values[busiestTerm]!) : Math.floor((result.bound ?? 0) / (prep.totalVisits + prep.fixedInspectorMax + 1)),
    linkLoadBound: optimal ? Math.round(values[busiestLink]!) : 0,
  }
}

/** Above this many team variables, teams are chosen term by term instead of all at once (150 authorities and 200 inspectors make about 50,000). */
const JOINT_LIMIT = 150_000

/** Each inspector's ELVs in the cycle: fixed ones and the teams placed. */
function loadsOf(prep: Prepared, placements: Placement[]): number[] {
  const load = [...prep.fixedTotal]
  for (const p of placements) for (const i of p.team) load[i]!++
  return load
}

/**
 * Step 2: the teams of the ELVs placed, either all at once minimising the busiest inspector
 * ('busiest'), or for one term at a time ('spread'), where each inspector's cost grows steeply once
 * their load in the cycle would pass the target so that the terms together spread the work evenly.
 * `load` is updated with the teams chosen. Undefined when no teams keep the rules.
 */
async function formTeams(
  prep: Prepared, pairs: Array<[number, number]>, load: number[], target: number,
  forcedAt: Map<string, number>, mode: 'busiest' | 'spread' | 'feasibility', timeLimit: number,
): Promise<Placement[] | undefined> {
  const { input, relaxed } = prep
  const rules = input.rules
  const preferLink = !rules.leadIsLinkInspector || relaxed.has('leadIsLinkInspector')
  const milp = new Milp()
  const z = new Map<string, number>()
  const perInspectorTerm = new Map<string, Array<[number, number]>>()
  const perInspector = new Map<number, Array<[number, number]>>()
  // In 'busiest' mode: the busiest inspector's load, weighted above every link preference.
  const busiest = mode === 'busiest' ? milp.variable(0, prep.totalVisits + prep.fixedInspectorMax, pairs.length + 1) : -1
  for (const [ai, t] of pairs) {
    const a = prep.authorities[ai]!
    const forced = forcedAt.get(`${ai}|${t}`)
    const team: Array<[number, number]> = []
    const peers: Array<[number, number]> = []
    const welsh: Array<[number, number]> = []
    const links: Array<[number, number]> = []
    for (const i of prep.eligible(ai, t)) {
      const p = prep.inspectors[i]!
      const link = preferLink && p.linkFor.includes(a.gssCode)
      let cost = 0
      if (mode === 'busiest') cost = link ? -1 : 0
      else if (mode === 'spread' && i !== forced) {
        // Forced link duty is already counted in `load`; anyone else pays for the load they would add.
        const over = load[i]! + 1 - target
        cost = (over > 0 ? 1000 * over : 0) + load[i]! - (link ? 500 : 0)
      }
      const v = milp.variable(0, 1, cost)
      z.set(`${ai}|${t}|${i}`, v)
      team.push([v, 1])
      if (p.kind === 'peer') peers.push([v, 1])
      if (p.welsh) welsh.push([v, 1])
      if (a.linkLeads.has(`${t}|${i}`)) links.push([v, 1])
      ;(perInspectorTerm.get(`${i}|${t}`) ?? perInspectorTerm.set(`${i}|${t}`, []).get(`${i}|${t}`)!).push([v, 1])
      if (i !== forced) (perInspector.get(i) ?? perInspector.set(i, []).get(i)!).push([v, 1])
    }
    milp.equal(team, rules.teamSize)
    if (!relaxed.has('maxPeersPerTeam')) milp.atMost(peers, rules.maxPeersPerTeam)
    if (a.welshMedium && !relaxed.has('welshSpeakersForWelshMedium')) milp.atLeast(welsh, rules.welshSpeakersForWelshMedium)
    if (forced !== undefined) milp.equal([[z.get(`${ai}|${t}|${forced}`)!, 1]], 1)
    else if (a.linkRequired.has(t)) milp.atLeast(links, 1)
  }
  for (const [key, terms] of perInspectorTerm) {
    const [i, t] = key.split('|').map(Number) as [number, number]
    if (!relaxed.has('inspectorMaxElvsPerTerm')) milp.atMost(terms, prep.capacity(i, t))
  }
  if (mode === 'busiest') {
    prep.inspectors.forEach((_, i) => milp.atMost([...(perInspector.get(i) ?? []), [busiest, -1]], -load[i]!))
  }
  const result = await milp.solve({ timeLimitSeconds: timeLimit, integralObjective: true })
  if (!result.values) return undefined
  const values = result.values
  return pairs.map(([ai, t]) => {
    const forced = forcedAt.get(`${ai}|${t}`)
    const team = prep.eligible(ai, t).filter((i) => values[z.get(`${ai}|${t}|${i}`)!]! > 0.5)
    for (const i of team) if (i !== forced) load[i]!++
    return { authority: ai, term: t, team }
  })
}

function secondsSince(started: number): number {
  return (performance.now() - started) / 1000
}

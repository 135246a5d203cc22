import type { PlanInput, PlanInspector, RuleName } from './plan.types.ts'
import { termDistance, termNumber } from './terms.ts'

/** Rules left out, to find which ones cannot be kept together when there is no plan. */
export type Relaxed = ReadonlySet<RuleName>

export interface PreparedAuthority {
  gssCode: string
  welshMedium: boolean
  /** New ELVs to place. */
  need: number
  /** Open terms (indices into input.terms) where one of its new ELVs may go. */
  allowed: number[]
  /** The ordinals the new ELVs take, in term order. */
  ordinals: number[]
  /** `term|inspector` pairs where that inspector is its link inspector and may join. */
  linkLeads: Set<string>
  /** Terms where the rule requires a link inspector to lead (one is available). */
  linkRequired: Set<number>
}

/**
 * What the model and the explanations need, worked out once from the input: which terms are
 * open, where each authority may go, who may join which ELV, and what fixed ELVs already take.
 */
export interface Prepared {
  input: PlanInput
  relaxed: Relaxed
  termNumber: number[]
  /** Term indices at or after firstTerm. */
  open: number[]
  authorities: PreparedAuthority[]
  inspectors: PlanInspector[]
  fixedPerTerm: number[]
  fixedTotal: number[]
  /** The most ELVs in a term that is no longer open (fixed ELVs only). */
  pastTermMax: number
  fixedInspectorMax: number
  newVisits: number
  totalVisits: number
  termLowerBound: number
  inspectorLowerBound: number
  /** Some authority has nowhere left to go: no plan exists. */
  impossible: boolean
  capacity(inspector: number, term: number): number
  eligible(authority: number, term: number): number[]
}

export function prepare(input: PlanInput, relaxed: Relaxed): Prepared {
  const { rules, terms } = input
  const numbers = terms.map((t) => termNumber(t.key))
  const index = new Map(terms.map((t, i) => [t.key, i]))
  const firstIndex = index.get(input.firstTerm) ?? 0
  const open = terms.map((_, i) => i).filter((i) => relaxed.has('termOrder') || i >= firstIndex)
  const inspectors = input.inspectors
  const byId = new Map(inspectors.map((p, i) => [p.id, i]))

  const fixedPerTerm = terms.map(() => 0)
  const fixedLoad = inspectors.map(() => terms.map(() => 0))
  const fixedTotal = inspectors.map(() => 0)
  for (const f of input.fixed) {
    const t = index.get(f.term)!
    fixedPerTerm[t]!++
    for (const id of new Set(f.team)) {
      const i = byId.get(id)
      if (i === undefined) continue
      fixedLoad[i]![t]!++
      fixedTotal[i]!++
    }
  }
  const unavailable = inspectors.map((p) => new Set(p.unavailable.map((k) => index.get(k)!)))
  const available = (i: number, t: number) => relaxed.has('inspectorAvailability') || !unavailable[i]!.has(t)
  const capacity = (i: number, t: number): number => {
    if (!available(i, t)) return 0
    if (relaxed.has('inspectorMaxElvsPerTerm')) return Number.MAX_SAFE_INTEGER
    return Math.max(0, inspectors[i]!.maxElvsPerTerm - fixedLoad[i]![t]!)
  }
  const mayJoin = (i: number, gssCode: string) => {
    const p = inspectors[i]!
    if (p.kind === 'peer' && p.authority === gssCode && !relaxed.has('peerOwnAuthority')) return false
    return !(p.avoid?.includes(gssCode) && !relaxed.has('conflictOfInterest'))
  }
  const eligibleCache = new Map<string, number[]>()
  const eligible = (ai: number, t: number): number[] => {
    const key = `${ai}|${t}`
    let list = eligibleCache.get(key)
    if (!list) {
      const gss = input.authorities[ai]!.gssCode
      list = inspectors.map((_, i) => i).filter((i) => capacity(i, t) > 0 && mayJoin(i, gss))
      eligibleCache.set(key, list)
    }
    return list
  }

  const linkRule = rules.leadIsLinkInspector && !relaxed.has('leadIsLinkInspector')
  let impossible = false
  const authorities: PreparedAuthority[] = input.authorities.map((a, ai) => {
    const fixed = input.fixed.filter((f) => f.gssCode === a.gssCode)
    const need = Math.max(0, rules.elvsPerAuthority - a.elvsDone - fixed.length)
    const links = inspectors.map((p, i) => ({ p, i })).filter(({ p }) => p.linkFor.includes(a.gssCode))
    const linkLeads = new Set<string>()
    const linkRequired = new Set<number>()
    const allowed = open.filter((t) => {
      const key = terms[t]!.key
      if (a.coreInspectionTerm && !relaxed.has('minTermsFromCoreInspection') && termDistance(key, a.coreInspectionTerm) <= rules.minTermsFromCoreInspection) return false
      if (!relaxed.has('minTermsBetweenElvs') && fixed.some((f) => termDistance(key, f.term) < rules.minTermsBetweenElvs)) return false
      const joinable = new Set(eligible(ai, t))
      for (const { i } of links) if (joinable.has(i)) linkLeads.add(`${t}|${i}`)
      if (linkRule && links.some(({ i }) => available(i, t))) {
        // An available link inspector must lead; if none of them can join (full that term), the term is out.
        if (!links.some(({ i }) => joinable.has(i))) return false
        linkRequired.add(t)
      }
      return true
    })
    if (need > 0 && allowed.length === 0) impossible = true
    const taken = new Set(fixed.map((f) => f.ordinal))
    const ordinals: number[] = []
    for (let o = a.elvsDone + 1; ordinals.length < need; o++) if (!taken.has(o)) ordinals.push(o)
    return { gssCode: a.gssCode, welshMedium: a.welshMedium, need, allowed, ordinals, linkLeads, linkRequired }
  })

  const newVisits = authorities.reduce((n, a) => n + a.need, 0)
  const openSet = new Set(open)
  const pastTermMax = Math.max(0, ...fixedPerTerm.filter((_, t) => !openSet.has(t)))
  const fixedInOpen = open.reduce((n, t) => n + fixedPerTerm[t]!, 0)
  const termLowerBound = Math.max(pastTermMax, open.length ? Math.ceil((newVisits + fixedInOpen) / open.length) : 0)

  // The busiest inspector has at least L ELVs, where L is the least load that gives enough places
  // for every team member: each inspector takes at most L (or what they can still take).
  const slots = newVisits * rules.teamSize
  const room = inspectors.map((_, i) => open.reduce((n, t) => n + Math.min(capacity(i, t), newVisits), 0))
  let inspectorLowerBound = Math.max(0, ...fixedTotal)
  for (let load = inspectorLowerBound; load <= newVisits + inspectorLowerBound; load++) {
    const places = inspectors.reduce((n, _, i) => n + Math.max(0, Math.min(room[i]!, load - fixedTotal[i]!)), 0)
    if (places >= slots) { inspectorLowerBound = load; break }
  }

  return {
    input, relaxed, termNumber: numbers, open, authorities, inspectors,
    fixedPerTerm, fixedTotal, pastTermMax,
    fixedInspectorMax: Math.max(0, ...fixedTotal),
    newVisits, totalVisits: newVisits + input.fixed.length,
    termLowerBound, inspectorLowerBound, impossible,
    capacity, eligible,
  }
}

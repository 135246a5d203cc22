/**
 * An independent checker of a planner's answer, written from the issue text (issue 6) alone: it
 * shares no code with the product's rule checker (plan.rules.ts) or the planner, so a rule the two
 * get wrong together is still caught here. It takes the request as the command does (rules may be
 * partial, `fixed` may be absent) and returns one violation per broken rule instance.
 *
 * Rule instances that involve only fixed ELVs are not the plan's doing and are not reported (two
 * fixed ELVs too close together, say); every count (ELVs in a term, an inspector's ELVs in a term,
 * the loads) includes the fixed ELVs, as the issue says.
 */
import type { PlanOutput, PlanRequest } from '../../src/modules/planning/plan.types.ts'

export interface Violation {
  rule: string
  message: string
}

/** The issue's defaults, restated here rather than imported. */
export const ISSUE_DEFAULTS = {
  elvsPerAuthority: 2,
  maxElvsPerTerm: 4,
  minTermsBetweenElvs: 4,
  minTermsFromCoreInspection: 2,
  teamSize: 3,
  maxPeersPerTeam: 1,
  leadIsLinkInspector: true,
  welshSpeakersForWelshMedium: 2,
} as const

const SEASON = { autumn: 0, spring: 1, summer: 2 } as const

/** Three terms per academic year: 2024-2025/autumn is 3 * 2024, its spring one more, and so on. */
function termNo(key: string): number {
  const m = /^(\d{4})-(\d{4})\/(autumn|spring|summer)$/.exec(key)
  if (!m || Number(m[2]) !== Number(m[1]) + 1) return Number.NaN
  return Number(m[1]) * 3 + SEASON[m[3] as keyof typeof SEASON]
}

interface AnyVisit {
  gssCode: string
  ordinal: number
  term: string
  lead: string | null
  team: string[]
  fixed: boolean
}

export function checkPlanOutput(request: PlanRequest, output: PlanOutput): Violation[] {
  const out: Violation[] = []
  const flag = (rule: string, message: string) => { out.push({ rule, message }) }
  const rules = { ...ISSUE_DEFAULTS, ...request.rules }

  if (output.status === 'infeasible') {
    if (output.conflicts.length === 0) flag('status', 'the answer is infeasible but names no conflicting rule')
    if (output.visits.length) flag('status', `the answer is infeasible but places ${output.visits.length} ELVs`)
    return out
  }
  if (output.status !== 'optimal' && output.status !== 'feasible') flag('status', `unknown status "${String(output.status)}"`)
  if (output.conflicts.length) flag('status', `a plan was found but it lists ${output.conflicts.length} conflicts`)

  const termsByKey = new Map(request.terms.map((t, i) => [t.key, { ...t, i }]))
  const authorities = new Map(request.authorities.map((a) => [a.gssCode, a]))
  const inspectors = new Map(request.inspectors.map((p) => [p.id, p]))
  const first = termNo(request.firstTerm)
  const fixed: AnyVisit[] = (request.fixed ?? []).map((f) => ({ ...f, fixed: true }))
  const placed: AnyVisit[] = output.visits.map((v) => ({ gssCode: v.gssCode, ordinal: v.ordinal, term: v.term, lead: v.lead, team: v.team, fixed: false }))
  const all = [...fixed, ...placed]
  const name = (v: AnyVisit) => `${v.gssCode} ELV ${v.ordinal} in ${v.term}`

  // Each placed ELV on its own: a known authority and term, at or after firstTerm, notice, core inspection, team.
  output.visits.forEach((v, i) => {
    const at = `visits[${i}] (${v.gssCode} ELV ${v.ordinal} in ${v.term})`
    const a = authorities.get(v.gssCode)
    const term = termsByKey.get(v.term)
    if (!a) flag('unknownAuthority', `${at}: ${v.gssCode} is not one of the authorities`)
    if (!term) flag('unknownTerm', `${at}: ${v.term} is not one of the listed terms`)
    else if (termNo(v.term) < first) flag('termOrder', `${at}: ${v.term} is before the first plannable term ${request.firstTerm}`)
    if (term) {
      const before = request.terms[term.i - 1]
      if (!before) flag('notifyBy', `${at}: there is no listed term before ${v.term} to give notice in`)
      else if (v.notifyBy !== before.start) flag('notifyBy', `${at}: notifyBy is ${v.notifyBy}, not ${before.start} (the start of ${before.key})`)
    }
    if (a?.coreInspectionTerm) {
      const gap = Math.abs(termNo(v.term) - termNo(a.coreInspectionTerm))
      if (!(gap > rules.minTermsFromCoreInspection)) {
        flag('minTermsFromCoreInspection', `${at}: ${gap} terms from the core inspection in ${a.coreInspectionTerm}; more than ${rules.minTermsFromCoreInspection} needed`)
      }
    }

    const members = v.team.map((id) => inspectors.get(id))
    v.team.forEach((id) => { if (!inspectors.has(id)) flag('teamSize', `${at}: team member "${id}" is not one of the inspectors`) })
    if (new Set(v.team).size !== v.team.length) flag('teamSize', `${at}: the team names someone twice (${v.team.join(', ')})`)
    if (new Set(v.team).size !== rules.teamSize) flag('teamSize', `${at}: a team of ${new Set(v.team).size}, not ${rules.teamSize}`)
    if (!v.team.includes(v.lead)) flag('teamSize', `${at}: the lead "${v.lead}" is not in the team`)
    const peers = members.filter((p) => p?.kind === 'peer')
    if (peers.length > rules.maxPeersPerTeam) flag('maxPeersPerTeam', `${at}: ${peers.length} peer inspectors; at most ${rules.maxPeersPerTeam}`)
    for (const p of peers) if (p?.authority === v.gssCode) flag('peerOwnAuthority', `${at}: peer inspector ${p.id} is from ${v.gssCode}`)
    for (const p of members) if (p?.avoid?.includes(v.gssCode)) flag('conflictOfInterest', `${at}: ${p.id} has declared a conflict with ${v.gssCode}`)
    for (const p of members) if (p?.unavailable.includes(v.term)) flag('inspectorAvailability', `${at}: ${p.id} is unavailable in ${v.term}`)
    if (a?.welshMedium) {
      const welsh = members.filter((p) => p?.welsh).length
      if (welsh < rules.welshSpeakersForWelshMedium) flag('welshSpeakersForWelshMedium', `${at}: ${welsh} Welsh speakers on a Welsh-medium authority's team; ${rules.welshSpeakersForWelshMedium} needed`)
    }
    if (rules.leadIsLinkInspector) {
      const links = request.inspectors.filter((p) => p.linkFor.includes(v.gssCode) && !p.unavailable.includes(v.term))
      if (links.length && !links.some((p) => p.id === v.lead)) {
        flag('leadIsLinkInspector', `${at}: led by ${v.lead}, but the link inspector ${links.map((p) => p.id).join(' or ')} is available in ${v.term}`)
      }
    }
  })

  // Each authority: how many ELVs, their ordinals, their spacing.
  for (const a of request.authorities) {
    const mine = all.filter((v) => v.gssCode === a.gssCode).sort((x, y) => termNo(x.term) - termNo(y.term))
    const newOnes = mine.filter((v) => !v.fixed).length
    const fixedOnes = mine.length - newOnes
    const wanted = rules.elvsPerAuthority - a.elvsDone
    if (mine.length !== wanted) {
      flag('elvsPerAuthority', `${a.gssCode}: ${newOnes} new and ${fixedOnes} fixed ELVs; ${wanted} needed (${rules.elvsPerAuthority} less ${a.elvsDone} done)`)
    }
    const ordinals = mine.map((v) => v.ordinal)
    const expected = Array.from({ length: mine.length }, (_, i) => a.elvsDone + i + 1)
    if (mine.some((v) => !v.fixed) && ordinals.join() !== expected.join()) {
      flag('ordinal', `${a.gssCode}: ordinals in term order are ${ordinals.join(', ')}; counting on from ${a.elvsDone} done they are ${expected.join(', ')}`)
    }
    for (let i = 0; i < mine.length; i++) {
      for (let j = i + 1; j < mine.length; j++) {
        const [x, y] = [mine[i]!, mine[j]!]
        if (x.fixed && y.fixed) continue
        const gap = termNo(y.term) - termNo(x.term)
        if (gap < rules.minTermsBetweenElvs) flag('minTermsBetweenElvs', `${a.gssCode}: ${name(x)} and ${name(y)} are ${gap} terms apart; at least ${rules.minTermsBetweenElvs}`)
      }
    }
  }

  // Each term: ELVs in it; each inspector: ELVs in the term, fixed ones included.
  const termCount = new Map<string, number>()
  const inspectorTerm = new Map<string, number>()
  const inspectorCycle = new Map<string, number>()
  for (const v of all) {
    termCount.set(v.term, (termCount.get(v.term) ?? 0) + 1)
    for (const id of new Set(v.team)) {
      inspectorTerm.set(`${id}|${v.term}`, (inspectorTerm.get(`${id}|${v.term}`) ?? 0) + 1)
      inspectorCycle.set(id, (inspectorCycle.get(id) ?? 0) + 1)
    }
  }
  const newIn = (term: string) => placed.some((v) => v.term === term)
  for (const [term, n] of termCount) {
    if (n > rules.maxElvsPerTerm && newIn(term)) flag('maxElvsPerTerm', `${term}: ${n} ELVs; at most ${rules.maxElvsPerTerm}`)
  }
  for (const [k, n] of inspectorTerm) {
    const [id, term] = k.split('|') as [string, string]
    const p = inspectors.get(id)
    if (p && n > p.maxElvsPerTerm && placed.some((v) => v.term === term && v.team.includes(id))) {
      flag('inspectorMaxElvsPerTerm', `${id}: ${n} ELVs in ${term}; their maximum is ${p.maxElvsPerTerm}`)
    }
  }

  // The loads reported are the plan's.
  const maxInTerm = Math.max(0, ...termCount.values())
  const maxPerInspector = Math.max(0, ...inspectorCycle.values())
  if (output.load.maxElvsInATerm !== maxInTerm) flag('load', `load.maxElvsInATerm is ${output.load.maxElvsInATerm}; the plan has ${maxInTerm}`)
  if (output.load.maxElvsPerInspector !== maxPerInspector) flag('load', `load.maxElvsPerInspector is ${output.load.maxElvsPerInspector}; the plan has ${maxPerInspector}`)

  // Placed ELVs listed by term, then authority.
  for (let i = 1; i < output.visits.length; i++) {
    const [x, y] = [output.visits[i - 1]!, output.visits[i]!]
    const d = termNo(x.term) - termNo(y.term)
    if (d > 0 || (d === 0 && x.gssCode > y.gssCode)) {
      flag('visitOrder', `visits[${i}] (${y.gssCode} in ${y.term}) comes after ${x.gssCode} in ${x.term}: visits are listed by term, then authority`)
    }
  }
  return out
}

/** The rules broken, each once, sorted: for compact assertions. */
export const rulesBroken = (violations: Violation[]): string[] => [...new Set(violations.map((v) => v.rule))].sort()

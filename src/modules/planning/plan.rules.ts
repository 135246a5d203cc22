import type { Params } from '../../i18n/catalogue.ts'
import type { PlanInput, PlanInspector, RuleName, TermKey } from './plan.types.ts'
import { termDistance, termNumber } from './terms.ts'

/** An ELV as the rules see it: one the planner placed, one fixed, or one a person is moving by hand. */
export interface VisitInPlan {
  gssCode: string
  ordinal: number
  term: TermKey
  lead: string | null
  team: string[]
  /** Fixed ELVs (notified or later) may lie before the first plannable term. */
  fixed?: boolean
}

/** A rule a plan breaks, with a catalogue key (`planning.breach.<key>`) so pages can say it in Welsh too. */
export interface RuleBreach {
  rule: RuleName
  key: string
  params: Params
  /** The authority (and its ELV) or term the breach is about, so a page can show it in the right cell. */
  gssCode?: string
  ordinal?: number
  term?: TermKey
  inspector?: string
}

/**
 * Every rule a whole plan breaks. Cyswllt checks manual changes and its own plans with this; the
 * planner's model keeps the same rules by construction, and the tests check plans with code of
 * their own.
 */
export function checkPlan(input: PlanInput, visits: VisitInPlan[]): RuleBreach[] {
  const { rules } = input
  const breaches: RuleBreach[] = []
  const inspectors = new Map(input.inspectors.map((p) => [p.id, p]))
  const first = termNumber(input.firstTerm)

  for (const a of input.authorities) {
    const own = visits.filter((v) => v.gssCode === a.gssCode).sort((x, y) => termNumber(x.term) - termNumber(y.term))
    const total = a.elvsDone + own.length
    if (total !== rules.elvsPerAuthority) {
      breaches.push({ rule: 'elvsPerAuthority', key: total < rules.elvsPerAuthority ? 'tooFewElvs' : 'tooManyElvs', gssCode: a.gssCode,
        params: { authority: a.gssCode, count: total, required: rules.elvsPerAuthority } })
    }
    for (let i = 0; i < own.length; i++) {
      for (let j = i + 1; j < own.length; j++) {
        const gap = termDistance(own[i]!.term, own[j]!.term)
        if (gap < rules.minTermsBetweenElvs) {
          breaches.push({ rule: 'minTermsBetweenElvs', key: 'elvsTooClose', gssCode: a.gssCode, ordinal: own[j]!.ordinal, term: own[j]!.term,
            params: { authority: a.gssCode, first: own[i]!.term, second: own[j]!.term, gap, required: rules.minTermsBetweenElvs } })
        }
      }
    }
    if (a.coreInspectionTerm) {
      for (const v of own) {
        const gap = termDistance(v.term, a.coreInspectionTerm)
        if (gap <= rules.minTermsFromCoreInspection) {
          breaches.push({ rule: 'minTermsFromCoreInspection', key: 'nearCoreInspection', gssCode: a.gssCode, ordinal: v.ordinal, term: v.term,
            params: { authority: a.gssCode, term: v.term, core: a.coreInspectionTerm, gap, required: rules.minTermsFromCoreInspection } })
        }
      }
    }
  }

  const perTerm = new Map<TermKey, number>()
  for (const v of visits) perTerm.set(v.term, (perTerm.get(v.term) ?? 0) + 1)
  for (const [term, count] of perTerm) {
    if (count > rules.maxElvsPerTerm && termNumber(term) >= first) {
      breaches.push({ rule: 'maxElvsPerTerm', key: 'termFull', term, params: { term, count, max: rules.maxElvsPerTerm } })
    }
  }

  const perInspectorTerm = new Map<string, number>()
  for (const v of visits) {
    const at = { gssCode: v.gssCode, ordinal: v.ordinal, term: v.term }
    const about = { authority: v.gssCode, term: v.term }
    if (!v.fixed && termNumber(v.term) < first) {
      breaches.push({ rule: 'termOrder', key: 'beforeFirstTerm', ...at, params: { ...about, first: input.firstTerm } })
    }
    const team = [...new Set(v.team)]
    if (team.length !== rules.teamSize) breaches.push({ rule: 'teamSize', key: 'teamSize', ...at, params: { ...about, count: team.length, required: rules.teamSize } })
    const members = team.map((id) => inspectors.get(id)).filter((p): p is PlanInspector => p !== undefined)
    for (const id of team) if (!inspectors.has(id)) breaches.push({ rule: 'teamSize', key: 'unknownInspector', ...at, inspector: id, params: { ...about, inspector: id } })
    const peers = members.filter((p) => p.kind === 'peer')
    if (peers.length > rules.maxPeersPerTeam) {
      breaches.push({ rule: 'maxPeersPerTeam', key: 'tooManyPeers', ...at, params: { ...about, count: peers.length, max: rules.maxPeersPerTeam } })
    }
    for (const p of peers) {
      if (p.authority === v.gssCode) breaches.push({ rule: 'peerOwnAuthority', key: 'peerOwnAuthority', ...at, inspector: p.id, params: { ...about, inspector: p.id } })
    }
    for (const p of members) {
      if (p.avoid?.includes(v.gssCode)) breaches.push({ rule: 'conflictOfInterest', key: 'conflictOfInterest', ...at, inspector: p.id, params: { ...about, inspector: p.id } })
      if (p.unavailable.includes(v.term)) breaches.push({ rule: 'inspectorAvailability', key: 'unavailable', ...at, inspector: p.id, params: { ...about, inspector: p.id } })
      const k = `${p.id}\u0000${v.term}`
      perInspectorTerm.set(k, (perInspectorTerm.get(k) ?? 0) + 1)
    }
    if (v.lead !== null && !team.includes(v.lead)) breaches.push({ rule: 'teamSize', key: 'leadNotInTeam', ...at, inspector: v.lead, params: { ...about, inspector: v.lead } })
    if (v.lead === null && team.length) breaches.push({ rule: 'teamSize', key: 'noLead', ...at, params: about })
    if (rules.leadIsLinkInspector) {
      const links = input.inspectors.filter((p) => p.linkFor.includes(v.gssCode) && !p.unavailable.includes(v.term))
      if (links.length && !links.some((p) => p.id === v.lead)) {
        breaches.push({ rule: 'leadIsLinkInspector', key: 'linkInspectorNotLead', ...at, inspector: links[0]!.id, params: { ...about, inspector: links.map((p) => p.id).join(', ') } })
      }
    }
    const authority = input.authorities.find((a) => a.gssCode === v.gssCode)
    if (authority?.welshMedium) {
      const welsh = members.filter((p) => p.welsh).length
      if (welsh < rules.welshSpeakersForWelshMedium) {
        breaches.push({ rule: 'welshSpeakersForWelshMedium', key: 'welshSpeakers', ...at, params: { ...about, count: welsh, required: rules.welshSpeakersForWelshMedium } })
      }
    }
  }
  for (const [k, count] of perInspectorTerm) {
    const [id, term] = k.split('\u0000') as [string, TermKey]
    const max = inspectors.get(id)!.maxElvsPerTerm
    if (count > max && termNumber(term) >= first) {
      breaches.push({ rule: 'inspectorMaxElvsPerTerm', key: 'inspectorOverloaded', term, inspector: id, params: { inspector: id, term, count, max } })
    }
  }
  return breaches
}

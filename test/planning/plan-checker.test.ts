import { describe, expect, it } from 'vitest'
import type { PlannedVisit, PlanOutput, PlanRequest } from '../../src/modules/planning/plan.types.ts'
import { authority, hmi, peer, smallRequest, termAfter, termOf } from '../../bench/planning-instances.ts'
import { checkPlanOutput, rulesBroken } from './plan-checker.ts'

const A = 'W06000008' // Welsh-medium
const B = 'W06000015' // first ELV done
const C = 'W06000003'

/**
 * A hand-made plan that keeps every rule. Terms listed 2025-2026/autumn to 2027-2028/spring, the
 * first plannable one 2025-2026/summer.
 */
function base(): { request: PlanRequest; output: PlanOutput } {
  const request = smallRequest({
    before: 2,
    open: 6,
    authorities: [
      authority(A, { welshMedium: true, coreInspectionTerm: '2023-2024/autumn' }),
      authority(B, { elvsDone: 1, coreInspectionTerm: null }),
    ],
    inspectors: [
      hmi('h1', { welsh: true, linkFor: [A] }),
      hmi('h2', { welsh: true }),
      hmi('h3'),
      hmi('h4', { linkFor: [B] }),
      hmi('h5', { avoid: [B] }),
      hmi('h6', { unavailable: ['2026-2027/autumn'] }),
      peer('pA', A),
      peer('pB', B),
      peer('pC', C),
    ],
  })
  const visits: PlannedVisit[] = [
    visit(A, 1, '2025-2026/summer', 'h1', ['h1', 'h2', 'pC']),
    visit(B, 2, '2026-2027/autumn', 'h4', ['h4', 'h3', 'pA']),
    visit(A, 2, '2027-2028/autumn', 'h1', ['h1', 'h2', 'h3']),
  ]
  return { request, output: { status: 'optimal', visits, load: { maxElvsInATerm: 1, maxElvsPerInspector: 2 }, conflicts: [], solver: { seconds: 0, bounds: { maxElvsInATerm: 1, maxElvsPerInspector: 2 }, gap: 0 } } }
}

function visit(gssCode: string, ordinal: number, term: string, lead: string, team: string[]): PlannedVisit {
  return { gssCode, ordinal, term, notifyBy: termOf(termAfter(term, -1)).start, lead, team }
}

/** The loads of the visits as given (plus fixed ones), so a test breaks only the rule it means to. */
function withLoads(request: PlanRequest, output: PlanOutput): PlanOutput {
  const all = [...(request.fixed ?? []), ...output.visits]
  const perTerm = new Map<string, number>()
  const perInspector = new Map<string, number>()
  for (const v of all) {
    perTerm.set(v.term, (perTerm.get(v.term) ?? 0) + 1)
    for (const id of new Set(v.team)) perInspector.set(id, (perInspector.get(id) ?? 0) + 1)
  }
  return { ...output, load: { maxElvsInATerm: Math.max(0, ...perTerm.values()), maxElvsPerInspector: Math.max(0, ...perInspector.values()) } }
}

function check(change: (p: { request: PlanRequest; output: PlanOutput; visits: PlannedVisit[] }) => void): string[] {
  const { request, output } = base()
  change({ request, output, visits: output.visits })
  return rulesBroken(checkPlanOutput(request, withLoads(request, output)))
}

describe('the independent plan checker', () => {
  it('passes the hand-made plan that keeps every rule', () => {
    const { request, output } = base()
    expect(checkPlanOutput(request, output)).toEqual([])
  })

  it('counts the ELVs of each authority: elvsPerAuthority less elvsDone, fixed ones included', () => {
    expect(check(({ output }) => { output.visits.pop() })).toEqual(['elvsPerAuthority'])
    expect(check(({ visits }) => { visits.push(visit(B, 3, '2027-2028/spring', 'h4', ['h4', 'h2', 'h6'])) })).toEqual(['elvsPerAuthority'])
    // A fixed first ELV stands in for a placed one.
    expect(check(({ request, output }) => {
      output.visits.shift()
      request.fixed = [{ gssCode: A, ordinal: 1, term: '2025-2026/autumn', lead: 'h1', team: ['h1', 'h2', 'h3'] }]
    })).toEqual([])
    expect(check(({ request }) => { request.fixed = [{ gssCode: A, ordinal: 1, term: '2025-2026/autumn', lead: 'h1', team: ['h1', 'h2', 'h3'] }] })).toContain('elvsPerAuthority')
  })

  it('wants ordinals counting on from elvsDone, in term order', () => {
    expect(check(({ visits }) => { visits[1]!.ordinal = 1 })).toEqual(['ordinal'])
    expect(check(({ visits }) => { visits[0]!.ordinal = 2; visits[2]!.ordinal = 1 })).toEqual(['ordinal'])
  })

  it('keeps new ELVs at or after firstTerm and in the listed terms', () => {
    expect(check(({ visits }) => { visits[1] = visit(B, 2, '2025-2026/spring', 'h4', ['h4', 'h3', 'pA']) })).toEqual(['termOrder', 'visitOrder'])
    expect(check(({ visits }) => { visits[2] = visit(A, 2, '2028-2029/autumn', 'h1', ['h1', 'h2', 'h3']) })).toEqual(['unknownTerm'])
    // A fixed ELV may lie before firstTerm.
    expect(check(({ request, output }) => {
      output.visits.shift()
      request.fixed = [{ gssCode: A, ordinal: 1, term: '2025-2026/autumn', lead: 'h1', team: ['h1', 'h2', 'h3'] }]
    })).toEqual([])
  })

  it('spaces an authority’s ELVs at least minTermsBetweenElvs apart, fixed ones included', () => {
    expect(check(({ visits }) => { visits[2] = visit(A, 2, '2026-2027/summer', 'h1', ['h1', 'h2', 'h3']) })).toEqual(['minTermsBetweenElvs'])
    expect(check(({ visits, request }) => {
      visits[2] = visit(A, 2, '2026-2027/summer', 'h1', ['h1', 'h2', 'h3'])
      request.rules = { minTermsBetweenElvs: 3 }
    })).toEqual([])
    expect(check(({ request, output }) => {
      output.visits.shift()
      request.fixed = [{ gssCode: A, ordinal: 1, term: '2026-2027/spring', lead: 'h1', team: ['h1', 'h2', 'h3'] }]
    })).toEqual(['minTermsBetweenElvs'])
  })

  it('keeps each ELV more than minTermsFromCoreInspection terms from the core inspection, either side, counting across years', () => {
    const withCore = (core: string) => check(({ request }) => { request.authorities[0]!.coreInspectionTerm = core })
    expect(withCore('2025-2026/autumn')).toEqual(['minTermsFromCoreInspection']) // 2 terms before the first ELV
    expect(withCore('2025-2026/summer')).toEqual(['minTermsFromCoreInspection']) // the same term
    expect(withCore('2027-2028/summer')).toEqual(['minTermsFromCoreInspection']) // 2 terms after the second, after the listed terms
    expect(withCore('2024-2025/summer')).toEqual([]) // 3 terms before, and before the listed terms
    expect(withCore('2028-2029/autumn')).toEqual([]) // 3 terms after the second
    expect(check(({ request }) => {
      request.authorities[0]!.coreInspectionTerm = '2024-2025/summer'
      request.rules = { minTermsFromCoreInspection: 3 }
    })).toEqual(['minTermsFromCoreInspection'])
  })

  it('counts every ELV in a term, fixed ones included, against maxElvsPerTerm', () => {
    const together = ({ visits }: { visits: PlannedVisit[] }) => { visits[1] = visit(B, 2, '2025-2026/summer', 'h4', ['h4', 'h3', 'pA']) }
    expect(check(together)).toEqual([])
    expect(check((p) => { together(p); p.request.rules = { maxElvsPerTerm: 1 } })).toEqual(['maxElvsPerTerm'])
    expect(check(({ request }) => {
      request.rules = { maxElvsPerTerm: 1 }
      request.fixed = [{ gssCode: C, ordinal: 1, term: '2026-2027/autumn', lead: null, team: [] }]
      request.authorities.push(authority(C, { elvsDone: 1 }))
    })).toEqual(['maxElvsPerTerm'])
  })

  it('wants teams of exactly teamSize distinct known inspectors, the lead among them', () => {
    expect(check(({ visits }) => { visits[1]!.team = ['h4', 'h3'] })).toEqual(['teamSize'])
    expect(check(({ visits }) => { visits[1]!.team = ['h4', 'h3', 'h3'] })).toEqual(['teamSize'])
    expect(check(({ visits }) => { visits[1]!.team = ['h4', 'h3', 'pA', 'h2'] })).toEqual(['teamSize'])
    expect(check(({ visits }) => { visits[1]!.team = ['h4', 'h3', 'nobody'] })).toEqual(['teamSize'])
    expect(check(({ visits, request }) => { visits[1]!.lead = 'h3'; request.rules = { leadIsLinkInspector: false } })).toEqual([])
    expect(check(({ visits, request }) => { visits[1]!.lead = 'h5'; request.rules = { leadIsLinkInspector: false } })).toEqual(['teamSize'])
    expect(check(({ visits, request }) => {
      for (const v of visits) v.team = v.team.slice(0, 2)
      request.rules = { teamSize: 2 }
    })).toEqual([])
  })

  it('allows at most maxPeersPerTeam peer inspectors on a team', () => {
    expect(check(({ visits }) => { visits[1]!.team = ['h4', 'pA', 'pC'] })).toEqual(['maxPeersPerTeam'])
    expect(check(({ visits, request }) => { visits[1]!.team = ['h4', 'pA', 'pC']; request.rules = { maxPeersPerTeam: 2 } })).toEqual([])
  })

  it('never puts a peer inspector on their own authority', () => {
    expect(check(({ visits }) => { visits[1]!.team = ['h4', 'h3', 'pB'] })).toEqual(['peerOwnAuthority'])
  })

  it('never puts an inspector on an authority they declared a conflict with', () => {
    expect(check(({ visits }) => { visits[1]!.team = ['h4', 'h5', 'pA'] })).toEqual(['conflictOfInterest'])
    expect(check(({ visits }) => { visits[0]!.team = ['h1', 'h2', 'h5'] })).toEqual([])
  })

  it('never puts an inspector in a term they are unavailable', () => {
    expect(check(({ visits }) => { visits[1]!.team = ['h4', 'h6', 'pA'] })).toEqual(['inspectorAvailability'])
    expect(check(({ visits }) => { visits[0]!.team = ['h1', 'h2', 'h6'] })).toEqual([])
  })

  it('holds each inspector to their own maximum of ELVs in a term, fixed ELVs included', () => {
    const together = ({ visits }: { visits: PlannedVisit[] }) => { visits[1] = visit(B, 2, '2025-2026/summer', 'h4', ['h4', 'h2', 'pA']) }
    expect(check(together)).toEqual(['inspectorMaxElvsPerTerm'])
    expect(check((p) => { together(p); p.request.inspectors[1]!.maxElvsPerTerm = 2 })).toEqual([])
    expect(check(({ request }) => {
      request.authorities.push(authority(C, { elvsDone: 1 }))
      request.fixed = [{ gssCode: C, ordinal: 2, term: '2026-2027/autumn', lead: 'h3', team: ['h3', 'h5', 'h6'] }]
    })).toEqual(['inspectorMaxElvsPerTerm'])
  })

  it('has the link inspector lead whenever they are available, when the rule is on', () => {
    expect(check(({ visits }) => { visits[0]!.lead = 'h2' })).toEqual(['leadIsLinkInspector'])
    expect(check(({ visits, request }) => { visits[0]!.lead = 'h2'; request.rules = { leadIsLinkInspector: false } })).toEqual([])
    expect(check(({ visits, request }) => {
      request.inspectors[0]!.unavailable = ['2025-2026/summer']
      visits[0] = visit(A, 1, '2025-2026/summer', 'h2', ['h2', 'h3', 'pC'])
      request.inspectors[2]!.welsh = true
    })).toEqual([])
    // Not on the team at all while available is as much a breach as being on it and not leading.
    expect(check(({ visits, request }) => {
      request.inspectors[2]!.welsh = true
      visits[0] = visit(A, 1, '2025-2026/summer', 'h2', ['h2', 'h3', 'pC'])
    })).toEqual(['leadIsLinkInspector'])
  })

  it('wants welshSpeakersForWelshMedium Welsh speakers on a Welsh-medium authority’s team', () => {
    expect(check(({ visits }) => { visits[0]!.team = ['h1', 'h3', 'pC'] })).toEqual(['welshSpeakersForWelshMedium'])
    expect(check(({ visits, request }) => { visits[0]!.team = ['h1', 'h3', 'pC']; request.rules = { welshSpeakersForWelshMedium: 1 } })).toEqual([])
    expect(check(({ request }) => { request.rules = { welshSpeakersForWelshMedium: 3 } })).toEqual(['welshSpeakersForWelshMedium'])
  })

  it('wants notifyBy to be the start of the term before', () => {
    expect(check(({ visits }) => { visits[0]!.notifyBy = termOf('2025-2026/summer').start })).toEqual(['notifyBy'])
  })

  it('checks the loads reported against the plan, fixed ELVs included', () => {
    const { request, output } = base()
    expect(rulesBroken(checkPlanOutput(request, { ...output, load: { maxElvsInATerm: 2, maxElvsPerInspector: 2 } }))).toEqual(['load'])
    expect(rulesBroken(checkPlanOutput(request, { ...output, load: { maxElvsInATerm: 1, maxElvsPerInspector: 1 } }))).toEqual(['load'])
    request.authorities.push(authority(C, { elvsDone: 1 }))
    request.fixed = [{ gssCode: C, ordinal: 2, term: '2025-2026/summer', lead: 'h3', team: ['h3', 'h5', 'h6'] }]
    expect(rulesBroken(checkPlanOutput(request, output))).toEqual(['load'])
    expect(checkPlanOutput(request, { ...output, load: { maxElvsInATerm: 2, maxElvsPerInspector: 3 } })).toEqual([])
  })

  it('wants the placed ELVs listed by term, then authority', () => {
    expect(check(({ output }) => { output.visits.reverse() })).toEqual(['visitOrder'])
  })

  it('reports one violation per broken instance, with the figures', () => {
    const { request, output } = base()
    output.visits[0]!.team = ['h1', 'pA', 'pB']
    const found = checkPlanOutput(request, output)
    expect(found.map((v) => v.rule).sort()).toEqual(['maxPeersPerTeam', 'peerOwnAuthority', 'welshSpeakersForWelshMedium'])
    expect(found.find((v) => v.rule === 'maxPeersPerTeam')!.message).toContain('2 peer inspectors; at most 1')
  })

  it('accepts an infeasible answer only with a conflict named and nothing placed', () => {
    const { request } = base()
    const none: PlanOutput = { status: 'infeasible', visits: [], load: { maxElvsInATerm: 0, maxElvsPerInspector: 0 }, conflicts: [], solver: { seconds: 0, bounds: { maxElvsInATerm: 0, maxElvsPerInspector: 0 }, gap: 0 } }
    expect(rulesBroken(checkPlanOutput(request, none))).toEqual(['status'])
    expect(checkPlanOutput(request, { ...none, conflicts: [{ rule: 'maxElvsPerTerm', message: 'too many' }] })).toEqual([])
  })
})

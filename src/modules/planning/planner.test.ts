/**
 * The planner against the rules. Each plan is checked rule by rule by the independent
 * checker in test/planning (not by plan.rules.ts), and each rule has an instance where ignoring it
 * would give a different plan, so a planner that drops the rule fails here.
 */
import { describe, expect, it } from 'vitest'
import { solvePlan } from './planner.ts'
import type { PlanOutput, PlanRequest, PlannedVisit, RuleName } from './plan.types.ts'
import {
  authority, COUNTRY_SHAPE, elvsNeeded, generateInstance, hmi, hmis, openTerms, peer, smallRequest, termAfter, WALES_SHAPE, withDefaults,
} from '../../../bench/planning-instances.ts'
import { checkPlanOutput } from '../../../test/planning/plan-checker.ts'

const A = 'W06000008'
const B = 'W06000015'
const C = 'W06000003'
const D = 'W06000023'
/** The first plannable term of smallRequest's instances (one term listed before it). */
const F = '2025-2026/spring'
const at = (n: number) => termAfter(F, n)

async function solve(request: PlanRequest): Promise<PlanOutput> {
  const input = withDefaults(request)
  const before = JSON.stringify(input)
  const out = await solvePlan(input, { timeLimitSeconds: 60 })
  // The planner plans; it does not change what it was given.
  expect(JSON.stringify(input)).toBe(before)
  return out
}

/** A plan the independent checker passes, proven optimal. */
async function plan(request: PlanRequest): Promise<PlanOutput> {
  const out = await solve(request)
  expect(out.conflicts).toEqual([])
  expect(out.status).toBe('optimal')
  expect(checkPlanOutput(request, out)).toEqual([])
  return out
}

async function infeasible(request: PlanRequest): Promise<PlanOutput> {
  const out = await solve(request)
  expect(out.status).toBe('infeasible')
  expect(out.visits).toEqual([])
  expect(out.conflicts.length).toBeGreaterThan(0)
  for (const c of out.conflicts) expect(c.message.length).toBeGreaterThan(10)
  return out
}

const conflictOn = (out: PlanOutput, rule: RuleName) => out.conflicts.find((c) => c.rule === rule)
const of = (out: PlanOutput, gss: string): PlannedVisit[] => out.visits.filter((v) => v.gssCode === gss)
const only = (out: PlanOutput, gss: string): PlannedVisit => {
  const mine = of(out, gss)
  expect(mine).toHaveLength(1)
  return mine[0]!
}
const sorted = (ids: string[]) => [...ids].sort()

describe('solvePlan: every hard rule kept', () => {
  it('elvsPerAuthority: places elvsPerAuthority less elvsDone ELVs, ordinals counting on from elvsDone', async () => {
    const out = await plan(smallRequest({
      open: 6,
      authorities: [authority(A), authority(B, { elvsDone: 1 }), authority(C, { elvsDone: 2 })],
      inspectors: hmis(6),
    }))
    expect(of(out, A).map((v) => v.ordinal)).toEqual([1, 2])
    expect(only(out, B).ordinal).toBe(2)
    expect(of(out, C)).toEqual([])
    const one = await plan(smallRequest({ open: 3, authorities: [authority(A), authority(B)], inspectors: hmis(6), rules: { elvsPerAuthority: 1 } }))
    expect(one.visits.map((v) => [v.gssCode, v.ordinal]).sort()).toEqual([[A, 1], [B, 1]].sort())
  })

  it('minTermsBetweenElvs: two ELVs in 5 open terms at least 4 apart can only be the first and the last', async () => {
    const out = await plan(smallRequest({ open: 5, authorities: [authority(A)], inspectors: hmis(3) }))
    expect(of(out, A).map((v) => v.term)).toEqual([at(0), at(4)])
    const three = await plan(smallRequest({ open: 3, authorities: [authority(A)], inspectors: hmis(3), rules: { minTermsBetweenElvs: 2 } }))
    expect(of(three, A).map((v) => v.term)).toEqual([at(0), at(2)])
  })

  it('minTermsFromCoreInspection: keeps more than 2 terms from the core inspection, either side', async () => {
    // Core inspection in the third open term: the ELVs fit only in the last five of ten, 4 apart.
    const both = await plan(smallRequest({ open: 10, authorities: [authority(A, { coreInspectionTerm: at(2) })], inspectors: hmis(3) }))
    expect(of(both, A).map((v) => v.term)).toEqual([at(5), at(9)])
    // One ELV left, core inspection in the middle of seven open terms: only the first or the last.
    const one = await plan(smallRequest({ open: 7, authorities: [authority(A, { elvsDone: 1, coreInspectionTerm: at(3) })], inspectors: hmis(3) }))
    expect([at(0), at(6)]).toContain(only(one, A).term)
  })

  it('minTermsFromCoreInspection: counts three terms a year back to a core inspection before the listed terms', async () => {
    const request = smallRequest({
      open: 4, from: '2024-2025/autumn',
      authorities: [authority(A, { elvsDone: 1, coreInspectionTerm: '2023-2024/summer' }), authority(B, { elvsDone: 1, coreInspectionTerm: '2023-2024/summer' })],
      inspectors: hmis(6),
      rules: { maxElvsPerTerm: 1 },
    })
    // 2024-2025/spring is 2 terms from 2023-2024/summer; the other three open terms are 3, 4 and 5.
    const out = await plan(request)
    expect(out.visits.map((v) => v.term)).not.toContain('2024-2025/spring')
    expect(openTerms(request)[0]!.key).toBe('2024-2025/spring')
  })

  it('termOrder: nothing before firstTerm, even when listed terms before it would balance the load better', async () => {
    const request = smallRequest({ open: 2, before: 3, authorities: [authority(A), authority(B), authority(C), authority(D)], inspectors: hmis(12), rules: { elvsPerAuthority: 1 } })
    const out = await plan(request)
    const [first, second] = [request.firstTerm, termAfter(request.firstTerm, 1)]
    expect(out.visits.map((v) => v.term).sort()).toEqual([first, first, second, second].sort())
    expect(out.load.maxElvsInATerm).toBe(2)
  })

  it('maxElvsPerTerm: fills every open term to the maximum when it must, fixed ELVs included', async () => {
    const six = [A, B, C, D, 'W06000001', 'W06000002'].map((g) => authority(g))
    const out = await plan(smallRequest({ open: 3, authorities: six, inspectors: hmis(6, 'hmi-', { maxElvsPerTerm: 2 }), rules: { elvsPerAuthority: 1, maxElvsPerTerm: 2 } }))
    expect([at(0), at(1), at(2)].map((t) => out.visits.filter((v) => v.term === t).length)).toEqual([2, 2, 2])
    // Two fixed ELVs fill the first open term: the two new ones go to the second.
    const fixed = await plan(smallRequest({
      open: 2,
      authorities: [authority(A), authority(B), authority(C), authority(D)],
      inspectors: hmis(12),
      rules: { elvsPerAuthority: 1, maxElvsPerTerm: 2 },
      fixed: [
        { gssCode: C, ordinal: 1, term: at(0), lead: 'hmi-1', team: ['hmi-1', 'hmi-2', 'hmi-3'] },
        { gssCode: D, ordinal: 1, term: at(0), lead: 'hmi-4', team: ['hmi-4', 'hmi-5', 'hmi-6'] },
      ],
    }))
    expect(fixed.visits.map((v) => [v.gssCode, v.term])).toEqual([[A, at(1)], [B, at(1)]])
    expect(fixed.load.maxElvsInATerm).toBe(2)
  })

  it('teamSize: teams of exactly teamSize distinct inspectors, the lead among them', async () => {
    const two = await plan(smallRequest({ open: 1, authorities: [authority(A)], inspectors: hmis(5), rules: { elvsPerAuthority: 1, teamSize: 2 } }))
    expect(only(two, A).team).toHaveLength(2)
    const four = await plan(smallRequest({ open: 1, authorities: [authority(A)], inspectors: hmis(4), rules: { elvsPerAuthority: 1, teamSize: 4 } }))
    expect(sorted(only(four, A).team)).toEqual(['hmi-1', 'hmi-2', 'hmi-3', 'hmi-4'])
    expect(only(four, A).team).toContain(only(four, A).lead)
  })

  it('maxPeersPerTeam: at most one peer a team, so with 3 HMIs one of them joins both ELVs', async () => {
    const request = smallRequest({
      open: 2,
      authorities: [authority(A), authority(B)],
      inspectors: [...hmis(3), peer('p1', C), peer('p2', C), peer('p3', C)],
      rules: { elvsPerAuthority: 1 },
    })
    const out = await plan(request)
    for (const v of out.visits) expect(v.team.filter((id) => id.startsWith('p')).length).toBeLessThanOrEqual(1)
    // Without the rule, two teams of 3 from 6 inspectors need nobody twice.
    expect(out.load.maxElvsPerInspector).toBe(2)
    const none = await plan({ ...request, rules: { elvsPerAuthority: 1, maxPeersPerTeam: 0 } })
    for (const v of none.visits) expect(sorted(v.team)).toEqual(['hmi-1', 'hmi-2', 'hmi-3'])
  })

  it('peerOwnAuthority: each peer joins the other authority’s ELV, never their own', async () => {
    const out = await plan(smallRequest({
      open: 2,
      authorities: [authority(A), authority(B)],
      inspectors: [...hmis(2), peer('peer-a', A), peer('peer-b', B)],
      rules: { elvsPerAuthority: 1 },
    }))
    expect(sorted(only(out, A).team)).toEqual(['hmi-1', 'hmi-2', 'peer-b'])
    expect(sorted(only(out, B).team)).toEqual(['hmi-1', 'hmi-2', 'peer-a'])
  })

  it('conflictOfInterest: an inspector who declared a conflict is left off that authority’s ELV', async () => {
    const out = await plan(smallRequest({
      open: 1,
      authorities: [authority(A)],
      inspectors: [hmi('hmi-1', { avoid: [A] }), ...hmis(3, 'other-')],
      rules: { elvsPerAuthority: 1 },
    }))
    expect(sorted(only(out, A).team)).toEqual(['other-1', 'other-2', 'other-3'])
  })

  it('inspectorAvailability: the ELV goes to the term everyone needed is available', async () => {
    const request = (term: string) => smallRequest({
      open: 2, authorities: [authority(A)], inspectors: [hmi('hmi-1', { unavailable: [term] }), ...hmis(2, 'other-')], rules: { elvsPerAuthority: 1 },
    })
    expect(only(await plan(request(at(0))), A).term).toBe(at(1))
    expect(only(await plan(request(at(1))), A).term).toBe(at(0))
  })

  it('inspectorMaxElvsPerTerm: only the inspector allowed two ELVs a term joins both ELVs of the one open term', async () => {
    const request = smallRequest({
      open: 1,
      authorities: [authority(A), authority(B)],
      inspectors: [hmi('twice', { maxElvsPerTerm: 2 }), ...hmis(4)],
      rules: { elvsPerAuthority: 1 },
    })
    const out = await plan(request)
    expect(only(out, A).team).toContain('twice')
    expect(only(out, B).team).toContain('twice')
    expect(out.load.maxElvsPerInspector).toBe(2)
    // With everyone allowed one ELV a term, five people cannot make two teams of three.
    await infeasible({ ...request, inspectors: [hmi('twice'), ...hmis(4)] })
  })

  it('leadIsLinkInspector: the link inspector leads whenever available; not when unavailable', async () => {
    const out = await plan(smallRequest({ open: 1, authorities: [authority(A)], inspectors: [...hmis(4), hmi('link', { linkFor: [A] })], rules: { elvsPerAuthority: 1 } }))
    expect(only(out, A).lead).toBe('link')
    const away = await plan(smallRequest({
      open: 1, authorities: [authority(A)], inspectors: [...hmis(4), hmi('link', { linkFor: [A], unavailable: [F] })], rules: { elvsPerAuthority: 1 },
    }))
    expect(only(away, A).team).not.toContain('link')
  })

  it('leadIsLinkInspector: a link inspector of two authorities, one ELV a term, cannot lead both in the one open term', async () => {
    const request = smallRequest({
      open: 1,
      authorities: [authority(A), authority(B)],
      inspectors: [...hmis(6), hmi('link', { linkFor: [A, B] })],
      rules: { elvsPerAuthority: 1 },
    })
    const out = await infeasible(request)
    expect(out.conflicts.map((c) => c.rule)).toEqual(expect.arrayContaining([expect.stringMatching(/^(leadIsLinkInspector|inspectorMaxElvsPerTerm)$/)]))
    // Without the rule there is a plan, and the link inspector still leads one of the two.
    const off = await plan({ ...request, rules: { elvsPerAuthority: 1, leadIsLinkInspector: false } })
    expect(off.visits.filter((v) => v.lead === 'link')).toHaveLength(1)
  })

  it('prefers the link inspector as lead when the rule is off', async () => {
    const out = await plan(smallRequest({
      open: 3,
      authorities: [authority(A), authority(B), authority(C)],
      inspectors: [...hmis(6), hmi('link-a', { linkFor: [A] }), hmi('link-b', { linkFor: [B] })],
      rules: { leadIsLinkInspector: false, elvsPerAuthority: 1 },
    }))
    expect(only(out, A).lead).toBe('link-a')
    expect(only(out, B).lead).toBe('link-b')
  })

  it('welshSpeakersForWelshMedium: both Welsh speakers join both Welsh-medium ELVs', async () => {
    const out = await plan(smallRequest({
      open: 2,
      authorities: [authority(A, { welshMedium: true }), authority(B, { welshMedium: true })],
      inspectors: [hmi('cy-1', { welsh: true }), hmi('cy-2', { welsh: true }), ...hmis(4)],
      rules: { elvsPerAuthority: 1 },
    }))
    for (const v of out.visits) expect(v.team).toEqual(expect.arrayContaining(['cy-1', 'cy-2']))
    // Without the rule, two teams of three from six need nobody twice.
    expect(out.load.maxElvsPerInspector).toBe(2)
  })

  it('gives notice: notifyBy is the start of the term before', async () => {
    const request = smallRequest({ open: 5, authorities: [authority(A)], inspectors: hmis(3) })
    const out = await plan(request)
    const starts = new Map(request.terms.map((t, i) => [t.key, request.terms[i - 1]?.start]))
    for (const v of out.visits) expect(v.notifyBy).toBe(starts.get(v.term))
  })
})

describe('solvePlan: fixed ELVs', () => {
  it('plans around a fixed ELV: spaced from it, not listed again, counted in the loads, its team busy that term', async () => {
    const request = smallRequest({
      open: 6,
      authorities: [authority(A), authority(B, { elvsDone: 1 })],
      inspectors: [hmi('busy'), ...hmis(2), ...hmis(3, 'other-')],
      rules: { maxElvsPerTerm: 1 },
      fixed: [{ gssCode: A, ordinal: 1, term: at(1), lead: 'busy', team: ['busy', 'hmi-1', 'hmi-2'] }],
    })
    const out = await plan(request)
    // A's second ELV can only be 4 terms after its first (4 before it is not open).
    expect(of(out, A).map((v) => [v.ordinal, v.term])).toEqual([[2, at(5)]])
    expect(only(out, B).term).not.toBe(at(1))
    expect(out.visits).toHaveLength(2)
    expect(out.load.maxElvsPerInspector).toBeGreaterThanOrEqual(1)
  })

  it('counts a fixed ELV’s team against their maximum in its term', async () => {
    const out = await plan(smallRequest({
      open: 1,
      authorities: [authority(A), authority(B)],
      inspectors: [...hmis(3), ...hmis(3, 'other-')],
      rules: { elvsPerAuthority: 1 },
      fixed: [{ gssCode: A, ordinal: 1, term: at(0), lead: 'hmi-1', team: ['hmi-1', 'hmi-2', 'hmi-3'] }],
    }))
    expect(sorted(only(out, B).team)).toEqual(['other-1', 'other-2', 'other-3'])
    expect(out.load.maxElvsInATerm).toBe(2)
  })

  it('spaces a new ELV from a fixed one before the first plannable term', async () => {
    const out = await plan(smallRequest({
      open: 4, before: 2,
      authorities: [authority(A)],
      inspectors: hmis(3),
      fixed: [{ gssCode: A, ordinal: 1, term: termAfter(F, 0), lead: null, team: [] }],
    }))
    // The fixed ELV is in the first listed term, one before firstTerm; the next must be 4 terms on.
    expect(only(out, A)).toMatchObject({ ordinal: 2, term: termAfter(F, 4) })
  })
})

describe('solvePlan: infeasible instances name the rule, with the figures', () => {
  it('maxElvsPerTerm: 20 ELVs need places but 4 per term over 4 open terms gives 16', async () => {
    const twenty = Array.from({ length: 20 }, (_, i) => authority(`W061${String(i + 1).padStart(5, '0')}`))
    const out = await infeasible(smallRequest({ open: 4, authorities: twenty, inspectors: hmis(15), rules: { elvsPerAuthority: 1 } }))
    const c = conflictOn(out, 'maxElvsPerTerm')
    expect(c).toBeDefined()
    for (const figure of ['20', '4', '16']) expect(c!.message).toMatch(new RegExp(`\\b${figure}\\b`))
  })

  it('minTermsBetweenElvs: two ELVs that cannot be 4 terms apart in the 4 terms left', async () => {
    const out = await infeasible(smallRequest({ open: 4, authorities: [authority(A)], inspectors: hmis(3) }))
    const c = conflictOn(out, 'minTermsBetweenElvs')
    expect(c).toBeDefined()
    expect(c!.message).toContain(A)
    expect(c!.message).toMatch(/\b4\b/)
  })

  it('minTermsFromCoreInspection: every open term within 2 terms of the core inspection', async () => {
    const out = await infeasible(smallRequest({ open: 3, authorities: [authority(A, { elvsDone: 1, coreInspectionTerm: at(1) })], inspectors: hmis(3) }))
    const c = conflictOn(out, 'minTermsFromCoreInspection')
    expect(c).toBeDefined()
    expect(c!.message).toContain(A)
  })

  it('welshSpeakersForWelshMedium: a Welsh-medium authority with one Welsh speaker among the inspectors', async () => {
    const out = await infeasible(smallRequest({
      open: 3, authorities: [authority(A, { welshMedium: true, elvsDone: 1 })], inspectors: [hmi('cy', { welsh: true }), ...hmis(5)],
    }))
    const c = conflictOn(out, 'welshSpeakersForWelshMedium')
    expect(c).toBeDefined()
    expect(c!.message).toContain(A)
    expect(c!.message).toMatch(/\b2\b/)
    expect(c!.message).toMatch(/\b1\b/)
  })

  it('teamSize: a team of 5 from 4 inspectors', async () => {
    const out = await infeasible(smallRequest({ open: 3, authorities: [authority(A, { elvsDone: 1 })], inspectors: hmis(4), rules: { teamSize: 5 } }))
    const c = conflictOn(out, 'teamSize')
    expect(c).toBeDefined()
    expect(c!.message).toMatch(/\b5\b/)
    expect(c!.message).toMatch(/\b4\b/)
  })
})

describe('solvePlan: the objective', () => {
  it('makes the busiest term as light as possible: ceil(ELVs needed / open terms) when nothing else binds', async () => {
    for (const [n, open] of [[7, 3], [10, 4], [9, 3]] as const) {
      const request = smallRequest({
        open,
        authorities: Array.from({ length: n }, (_, i) => authority(`W061${String(i + 1).padStart(5, '0')}`)),
        inspectors: hmis(12),
        rules: { elvsPerAuthority: 1 },
      })
      const out = await plan(request)
      expect(out.load.maxElvsInATerm).toBe(Math.ceil(n / open))
      expect(out.solver.bounds.maxElvsInATerm).toBe(out.load.maxElvsInATerm)
      expect(out.solver.gap).toBe(0)
    }
  })

  it('then makes the busiest inspector as light as possible', async () => {
    // 4 ELVs with teams of 3 are 12 places; 6 inspectors can share them 2 each.
    const out = await plan(smallRequest({
      open: 4, authorities: [authority(A), authority(B), authority(C), authority(D)], inspectors: hmis(6), rules: { elvsPerAuthority: 1 },
    }))
    expect(out.load).toEqual({ maxElvsInATerm: 1, maxElvsPerInspector: 2 })
  })
})

describe('solvePlan: a Wales-sized random instance', () => {
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: every rule kept (independent checker), proven optimal, at least as good as the generator’s own plan`, { timeout: 180_000 }, async () => {
      const { request, witness, termLoadLowerBound } = generateInstance(WALES_SHAPE, seed)
      const out = await plan(request)
      expect(out.visits).toHaveLength(elvsNeeded(request))
      // The witness reaches the lower bound, so it is the optimum of the first objective.
      expect(witness.load.maxElvsInATerm).toBe(termLoadLowerBound)
      expect(out.load.maxElvsInATerm).toBe(termLoadLowerBound)
      expect(out.load.maxElvsPerInspector).toBeLessThanOrEqual(witness.load.maxElvsPerInspector)
      const places = elvsNeeded(request) * 3
      expect(out.load.maxElvsPerInspector).toBeGreaterThanOrEqual(Math.ceil(places / request.inspectors.length))
      expect(out.solver.bounds).toEqual(out.load)
      expect(out.solver.gap).toBe(0)
    })
  }
})

describe('solvePlan: a country-sized random instance', () => {
  it('150 authorities, 200 inspectors: every rule kept (independent checker), the busiest term at its least', { timeout: 300_000 }, async () => {
    const { request, witness, termLoadLowerBound } = generateInstance(COUNTRY_SHAPE, 1)
    const out = await solvePlan(withDefaults(request), { timeLimitSeconds: 60 })
    expect(['optimal', 'feasible']).toContain(out.status)
    expect(checkPlanOutput(request, out)).toEqual([])
    expect(out.visits).toHaveLength(elvsNeeded(request))
    expect(out.load.maxElvsInATerm).toBe(termLoadLowerBound)
    expect(out.load.maxElvsPerInspector).toBeLessThanOrEqual(witness.load.maxElvsPerInspector)
    expect(out.solver.bounds.maxElvsPerInspector).toBeLessThanOrEqual(out.load.maxElvsPerInspector)
  })
})

import { describe, expect, it } from 'vitest'
import { I18n } from '../../i18n/catalogue.ts'
import { checkPlan, type RuleBreach, type VisitInPlan } from './plan.rules.ts'
import type { PlanInput, PlanOutput, RuleName } from './plan.types.ts'
import { authority, hmi, peer, smallRequest, termAfter, termOf, withDefaults } from '../../../bench/planning-instances.ts'
import { checkPlanOutput } from '../../../test/planning/plan-checker.ts'

const A = 'W06000008' // Welsh-medium, link inspector h1
const B = 'W06000015' // first ELV done, link inspector h4
const C = 'W06000003'

/** Terms listed 2025-2026/autumn to 2027-2028/spring; the first plannable one 2025-2026/summer. */
function base(): { input: PlanInput; visits: VisitInPlan[] } {
  const input = withDefaults(smallRequest({
    before: 2,
    open: 6,
    authorities: [
      authority(A, { welshMedium: true, coreInspectionTerm: '2023-2024/autumn' }),
      authority(B, { elvsDone: 1 }),
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
  }))
  const visits: VisitInPlan[] = [
    { gssCode: A, ordinal: 1, term: '2025-2026/summer', lead: 'h1', team: ['h1', 'h2', 'pC'] },
    { gssCode: B, ordinal: 2, term: '2026-2027/autumn', lead: 'h4', team: ['h4', 'h3', 'pA'] },
    { gssCode: A, ordinal: 2, term: '2027-2028/autumn', lead: 'h1', team: ['h1', 'h2', 'h3'] },
  ]
  return { input, visits }
}

const rulesOf = (breaches: RuleBreach[]) => [...new Set(breaches.map((b) => b.rule))].sort()

/** The rules checkPlan finds broken after a change, and (as a cross-check) those the independent test checker finds. */
function after(change: (p: { input: PlanInput; visits: VisitInPlan[] }) => void): { product: RuleName[]; independent: string[] } {
  const p = base()
  change(p)
  const product = rulesOf(checkPlan(p.input, p.visits))
  const placed = p.visits.filter((v) => !v.fixed)
  const fixed = p.visits.filter((v) => v.fixed).map(({ fixed: _, ...v }) => v)
  const output: PlanOutput = {
    status: 'feasible',
    visits: placed.map((v) => ({ gssCode: v.gssCode, ordinal: v.ordinal, term: v.term, lead: v.lead ?? '', team: v.team, notifyBy: termOf(termAfter(v.term, -1)).start }))
      .sort((x, y) => termOf(x.term).start.localeCompare(termOf(y.term).start) || x.gssCode.localeCompare(y.gssCode)),
    load: { maxElvsInATerm: 0, maxElvsPerInspector: 0 },
    conflicts: [],
    solver: { seconds: 0, bounds: { maxElvsInATerm: 0, maxElvsPerInspector: 0 }, gap: 0 },
  }
  const independent = [...new Set(checkPlanOutput({ ...p.input, fixed }, output).map((v) => v.rule))]
    .filter((r) => r !== 'load' && r !== 'notifyBy' && r !== 'ordinal').sort()
  return { product, independent }
}

/** checkPlan flags exactly this rule, and the independent checker agrees. */
function expectBreaks(rule: RuleName, change: Parameters<typeof after>[0]) {
  const { product, independent } = after(change)
  expect(product).toEqual([rule])
  expect(independent).toEqual([rule])
}
function expectKeeps(change: Parameters<typeof after>[0]) {
  const { product, independent } = after(change)
  expect(product).toEqual([])
  expect(independent).toEqual([])
}

describe('checkPlan', () => {
  it('finds nothing wrong with a plan that keeps every rule', () => {
    const { input, visits } = base()
    expect(checkPlan(input, visits)).toEqual([])
  })

  it('elvsPerAuthority: each authority has elvsPerAuthority ELVs, those done and fixed included', () => {
    expectBreaks('elvsPerAuthority', ({ visits }) => { visits.pop() })
    expectBreaks('elvsPerAuthority', ({ visits }) => { visits.push({ gssCode: B, ordinal: 3, term: '2027-2028/spring', lead: 'h4', team: ['h4', 'h2', 'h6'] }) })
    expectKeeps(({ visits }) => { visits[0]!.fixed = true; visits[0]!.term = '2025-2026/autumn' })
    const { input, visits } = base()
    visits.pop()
    const [breach] = checkPlan(input, visits)
    expect(breach).toMatchObject({ rule: 'elvsPerAuthority', key: 'tooFewElvs', gssCode: A, params: { count: 1, required: 2 } })
  })

  it('termOrder: no new ELV before the first plannable term; a fixed one may be', () => {
    expectBreaks('termOrder', ({ visits }) => { visits[1]!.term = '2025-2026/spring' })
    expectKeeps(({ visits }) => { visits[1]!.term = '2025-2026/spring'; visits[1]!.fixed = true })
    expectKeeps(({ visits }) => { visits[1]!.term = '2025-2026/summer' })
  })

  it('minTermsBetweenElvs: an authority’s ELVs at least that many terms apart (exactly that many is fine)', () => {
    expectBreaks('minTermsBetweenElvs', ({ visits }) => { visits[2]!.term = '2027-2028/spring'; visits[0]!.term = '2026-2027/summer' })
    expectBreaks('minTermsBetweenElvs', ({ visits }) => { visits[2]!.term = '2026-2027/summer' })
    expectKeeps(({ visits, input }) => { visits[2]!.term = '2026-2027/summer'; input.rules.minTermsBetweenElvs = 3 })
    // The base plan's are exactly 4 apart; so are these.
    expectKeeps(({ visits }) => { visits[0]!.term = '2026-2027/autumn'; visits[2]!.term = '2027-2028/spring' })
  })

  it('minTermsFromCoreInspection: no ELV within that many terms of the core inspection, either side, 0 included', () => {
    const core = (term: string) => ({ input }: { input: PlanInput }) => { input.authorities[0]!.coreInspectionTerm = term }
    expectBreaks('minTermsFromCoreInspection', core('2025-2026/autumn'))
    expectBreaks('minTermsFromCoreInspection', core('2025-2026/summer'))
    expectBreaks('minTermsFromCoreInspection', core('2026-2027/autumn'))
    expectBreaks('minTermsFromCoreInspection', core('2027-2028/summer'))
    expectKeeps(core('2024-2025/summer'))
    expectKeeps(core('2028-2029/autumn'))
    expectKeeps(({ input }) => { input.authorities[0]!.coreInspectionTerm = null })
    expectBreaks('minTermsFromCoreInspection', ({ input }) => { input.authorities[0]!.coreInspectionTerm = '2024-2025/summer'; input.rules.minTermsFromCoreInspection = 3 })
  })

  it('maxElvsPerTerm: at most that many ELVs in a term, fixed ones included', () => {
    const together = ({ visits }: { visits: VisitInPlan[] }) => { visits[1]!.term = '2025-2026/summer' }
    expectKeeps(together)
    expectBreaks('maxElvsPerTerm', (p) => { together(p); p.input.rules.maxElvsPerTerm = 1 })
    expectBreaks('maxElvsPerTerm', (p) => { together(p); p.visits[0]!.fixed = true; p.input.rules.maxElvsPerTerm = 1 })
    const { input, visits } = base()
    visits[1]!.term = '2025-2026/summer'
    input.rules.maxElvsPerTerm = 1
    expect(checkPlan(input, visits)).toEqual([expect.objectContaining({ rule: 'maxElvsPerTerm', key: 'termFull', term: '2025-2026/summer', params: expect.objectContaining({ count: 2, max: 1 }) })])
  })

  it('teamSize: exactly teamSize distinct known inspectors, the lead among them', () => {
    expectBreaks('teamSize', ({ visits }) => { visits[1]!.team = ['h4', 'h3'] })
    expectBreaks('teamSize', ({ visits }) => { visits[1]!.team = ['h4', 'h3', 'pA', 'h2'] })
    expectBreaks('teamSize', ({ visits }) => { visits[1]!.team = ['h4', 'h3', 'h3'] })
    expectBreaks('teamSize', ({ visits }) => { visits[1]!.team = ['h4', 'h3', 'nobody'] })
    expectBreaks('teamSize', ({ visits, input }) => { visits[1]!.lead = 'h5'; input.rules.leadIsLinkInspector = false })
    expectKeeps(({ visits, input }) => { for (const v of visits) v.team = v.team.slice(0, 2); input.rules.teamSize = 2 })
  })

  it('maxPeersPerTeam: at most that many peer inspectors on a team', () => {
    expectBreaks('maxPeersPerTeam', ({ visits }) => { visits[1]!.team = ['h4', 'pA', 'pC'] })
    expectKeeps(({ visits, input }) => { visits[1]!.team = ['h4', 'pA', 'pC']; input.rules.maxPeersPerTeam = 2 })
    expectBreaks('maxPeersPerTeam', ({ input }) => { input.rules.maxPeersPerTeam = 0 })
  })

  it('peerOwnAuthority: a peer inspector is never on their own authority’s ELV', () => {
    expectBreaks('peerOwnAuthority', ({ visits }) => { visits[1]!.team = ['h4', 'h3', 'pB'] })
    expectKeeps(({ visits }) => { visits[1]!.team = ['h4', 'h3', 'pC'] })
  })

  it('conflictOfInterest: an inspector is never on an authority they declared a conflict with', () => {
    expectBreaks('conflictOfInterest', ({ visits }) => { visits[1]!.team = ['h4', 'h5', 'pA'] })
    expectKeeps(({ visits }) => { visits[0]!.team = ['h1', 'h2', 'h5'] })
  })

  it('inspectorAvailability: no inspector in a term they are unavailable', () => {
    expectBreaks('inspectorAvailability', ({ visits }) => { visits[1]!.team = ['h4', 'h6', 'pA'] })
    expectKeeps(({ visits }) => { visits[0]!.team = ['h1', 'h2', 'h6'] })
  })

  it('inspectorMaxElvsPerTerm: no inspector on more ELVs in a term than their own maximum, fixed ones included', () => {
    const together = ({ visits }: { visits: VisitInPlan[] }) => { visits[1]!.term = '2025-2026/summer'; visits[1]!.team = ['h4', 'h2', 'pA'] }
    expectBreaks('inspectorMaxElvsPerTerm', together)
    expectKeeps((p) => { together(p); p.input.inspectors[1]!.maxElvsPerTerm = 2 })
    expectBreaks('inspectorMaxElvsPerTerm', (p) => { together(p); p.visits[0]!.fixed = true })
  })

  it('leadIsLinkInspector: the link inspector leads whenever available that term, when the rule is on', () => {
    expectBreaks('leadIsLinkInspector', ({ visits }) => { visits[0]!.lead = 'h2' })
    expectBreaks('leadIsLinkInspector', ({ visits, input }) => { input.inspectors[2]!.welsh = true; visits[0]!.lead = 'h2'; visits[0]!.team = ['h2', 'h3', 'pC'] })
    expectKeeps(({ visits, input }) => { visits[0]!.lead = 'h2'; input.rules.leadIsLinkInspector = false })
    expectKeeps(({ visits, input }) => {
      input.inspectors[0]!.unavailable = ['2025-2026/summer']
      input.inspectors[2]!.welsh = true
      visits[0] = { ...visits[0]!, lead: 'h2', team: ['h2', 'h3', 'pC'] }
    })
  })

  it('welshSpeakersForWelshMedium: a Welsh-medium authority’s team has that many Welsh speakers', () => {
    expectBreaks('welshSpeakersForWelshMedium', ({ visits }) => { visits[0]!.team = ['h1', 'h3', 'pC'] })
    expectKeeps(({ visits, input }) => { visits[0]!.team = ['h1', 'h3', 'pC']; input.rules.welshSpeakersForWelshMedium = 1 })
    expectKeeps(({ visits, input }) => { visits[0]!.team = ['h1', 'h3', 'pC']; input.authorities[0]!.welshMedium = false })
    expectBreaks('welshSpeakersForWelshMedium', ({ input }) => { input.rules.welshSpeakersForWelshMedium = 3 })
  })

  it('says every breach in English and Welsh from the catalogue, with its figures filled in', () => {
    const { input, visits } = base()
    input.rules.maxElvsPerTerm = 1
    input.authorities[0]!.coreInspectionTerm = '2025-2026/autumn'
    visits[1] = { ...visits[1]!, term: '2025-2026/summer', lead: 'h3', team: ['h2', 'h5', 'h6', 'pB', 'nobody'] }
    visits[2] = { ...visits[2]!, term: '2026-2027/summer', team: ['h1', 'pA', 'pC'] }
    visits.push({ gssCode: B, ordinal: 3, term: '2025-2026/spring', lead: null, team: ['h4', 'h6', 'h1'] })
    const breaches = checkPlan(input, visits)
    expect(rulesOf(breaches)).toEqual(expect.arrayContaining(['elvsPerAuthority', 'maxElvsPerTerm', 'minTermsBetweenElvs', 'minTermsFromCoreInspection', 'teamSize',
      'maxPeersPerTeam', 'peerOwnAuthority', 'conflictOfInterest', 'leadIsLinkInspector', 'welshSpeakersForWelshMedium', 'termOrder', 'inspectorMaxElvsPerTerm']))
    const i18n = new I18n()
    for (const lang of ['en', 'cy'] as const) {
      const t = i18n.translator(lang)
      for (const b of breaches) {
        const key = `planning.breach.${b.key}`
        expect(i18n.has(lang, key), `${lang} ${key}`).toBe(true)
        const text = t(key, b.params)
        expect(text, `${lang} ${key}`).not.toMatch(/\{\w+\}/)
        if (b.gssCode) expect(text).toContain(b.gssCode)
      }
    }
  })
})

import { describe, expect, it } from 'vitest'
import { describeProblems, parsePlanRequest, type InputProblem } from './plan.input.ts'
import { DEFAULT_RULES } from './plan.types.ts'
import { termList } from '../../../bench/planning-instances.ts'

type Json = Record<string, unknown>
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests break the JSON in every way: any field may be given any value, or removed
type Body = Record<string, any>

/** A sound request as JSON, to break one field at a time. */
function good(): Json {
  return {
    terms: termList(4, '2025-2026/autumn'),
    firstTerm: '2025-2026/spring',
    authorities: [
      { gssCode: 'W06000008', coreInspectionTerm: '2023-2024/autumn', elvsDone: 0, welshMedium: true },
      { gssCode: 'W06000015', coreInspectionTerm: null, elvsDone: 1, welshMedium: false },
    ],
    inspectors: [
      { id: 'hmi-01', kind: 'hmi', authority: null, welsh: true, linkFor: ['W06000008'], maxElvsPerTerm: 1, unavailable: ['2026-2027/autumn'] },
      { id: 'peer-01', kind: 'peer', authority: 'W06000003', welsh: false, linkFor: [], maxElvsPerTerm: 1, unavailable: [] },
    ],
  }
}

/** The request with a change, parsed: the problems found (none if it parsed). */
function problems(change: (body: Body) => void): InputProblem[] {
  const body: Body = good()
  change(body)
  const parsed = parsePlanRequest(JSON.parse(JSON.stringify(body)))
  return parsed.ok ? [] : parsed.problems
}
const paths = (change: Parameters<typeof problems>[0]) => problems(change).map((p) => p.path)

describe('parsePlanRequest', () => {
  it('accepts a sound request, completing the rules with the defaults and fixed with none', () => {
    const parsed = parsePlanRequest(good())
    expect(parsed.ok).toBe(true)
    if (!parsed.ok) return
    expect(parsed.input.rules).toEqual(DEFAULT_RULES)
    expect(parsed.input.fixed).toEqual([])
    expect(parsed.input.authorities[1]).toEqual({ gssCode: 'W06000015', coreInspectionTerm: null, elvsDone: 1, welshMedium: false })
    expect(parsed.input.inspectors.map((p) => p.id)).toEqual(['hmi-01', 'peer-01'])
  })

  it('takes partial rules, the rest from the defaults the issue gives', () => {
    const parsed = parsePlanRequest({ ...good(), rules: { teamSize: 4, leadIsLinkInspector: false } })
    expect(parsed).toMatchObject({ ok: true })
    if (!parsed.ok) return
    expect(parsed.input.rules).toEqual({
      elvsPerAuthority: 2, maxElvsPerTerm: 4, minTermsBetweenElvs: 4, minTermsFromCoreInspection: 2,
      teamSize: 4, maxPeersPerTeam: 1, leadIsLinkInspector: false, welshSpeakersForWelshMedium: 2,
    })
    const empty = parsePlanRequest({ ...good(), rules: {} })
    expect(empty.ok && empty.input.rules).toEqual(DEFAULT_RULES)
  })

  it('refuses what is not an object', () => {
    for (const body of [null, [], 'plan', 3]) {
      const parsed = parsePlanRequest(body)
      expect(parsed.ok).toBe(false)
      if (!parsed.ok) expect(parsed.problems).toHaveLength(1)
    }
  })

  it('names each missing top-level field, all at once', () => {
    expect(paths((b) => { delete b.terms; delete b.firstTerm; delete b.authorities; delete b.inspectors }).sort()).toEqual(['authorities', 'firstTerm', 'inspectors', 'terms'])
    expect(paths((b) => { b.extra = 1 })).toEqual(['extra'])
  })

  it('names bad terms by their path: key, dates, order, gaps, repeats', () => {
    expect(paths((b) => { b.terms[2].key = '2026/summer' })).toEqual(['terms[2].key'])
    expect(paths((b) => { b.terms[2].key = '2025-2027/summer' })).toEqual(['terms[2].key'])
    expect(paths((b) => { b.terms[2].start = '2026-02-30' })).toEqual(['terms[2].start'])
    expect(paths((b) => { b.terms[0].end = '2025-08-01' })).toEqual(['terms[0].end'])
    expect(paths((b) => { delete b.terms[3].end })).toContain('terms[3].end')
    // Out of order, or with a term missing between two listed ones.
    expect(paths((b) => { b.terms = [b.terms[0], b.terms[2], b.terms[3]] })).toContain('terms[1].key')
    expect(paths((b) => { b.terms[3] = { ...b.terms[2] } })).toContain('terms[3].key')
    expect(paths((b) => { b.terms = [] })[0]).toBe('terms')
    expect(paths((b) => { b.terms = 'all of them' })[0]).toBe('terms')
    expect(paths((b) => { b.terms[1] = 'spring' })).toContain('terms[1]')
  })

  it('names a firstTerm that is not listed, or that has no listed term before it for notice', () => {
    expect(paths((b) => { b.firstTerm = '2030-2031/autumn' })).toEqual(['firstTerm'])
    expect(paths((b) => { b.firstTerm = '2025-2026/autumn' })).toEqual(['firstTerm'])
    expect(paths((b) => { b.firstTerm = 'spring' })).toEqual(['firstTerm'])
  })

  it('names bad authority fields by their path', () => {
    expect(paths((b) => { b.authorities[0].gssCode = 'E06000001' })).toContain('authorities[0].gssCode')
    expect(paths((b) => { b.authorities[1].gssCode = 'W06000008' })).toEqual(['authorities[1].gssCode'])
    expect(paths((b) => { b.authorities[0].coreInspectionTerm = '2023/autumn' })).toEqual(['authorities[0].coreInspectionTerm'])
    expect(paths((b) => { b.authorities[0].elvsDone = -1 })).toEqual(['authorities[0].elvsDone'])
    expect(paths((b) => { b.authorities[0].elvsDone = 1.5 })).toEqual(['authorities[0].elvsDone'])
    expect(paths((b) => { b.authorities[0].elvsDone = 3 })).toContain('authorities[0].elvsDone')
    expect(paths((b) => { b.authorities[1].welshMedium = 'yes' })).toEqual(['authorities[1].welshMedium'])
    expect(paths((b) => { b.authorities[1].population = 1000 })).toEqual(['authorities[1].population'])
  })

  it('accepts a core inspection term long before the listed terms, or none', () => {
    expect(paths((b) => { b.authorities[0].coreInspectionTerm = '2019-2020/spring' })).toEqual([])
    expect(paths((b) => { delete b.authorities[0].coreInspectionTerm })).toEqual([])
  })

  it('names bad inspector fields by their path', () => {
    expect(paths((b) => { b.inspectors[1].kind = 'lead' })).toEqual(['inspectors[1].kind'])
    expect(paths((b) => { b.inspectors[0].id = '' })).toEqual(['inspectors[0].id'])
    expect(paths((b) => { b.inspectors[1].id = 'hmi-01' })).toEqual(['inspectors[1].id'])
    expect(paths((b) => { b.inspectors[1].authority = null })).toEqual(['inspectors[1].authority'])
    expect(paths((b) => { b.inspectors[1].authority = 'Conwy' })).toEqual(['inspectors[1].authority'])
    expect(paths((b) => { b.inspectors[0].welsh = 1 })).toEqual(['inspectors[0].welsh'])
    expect(paths((b) => { b.inspectors[0].linkFor = ['W06000099'] })).toEqual(['inspectors[0].linkFor[0]'])
    expect(paths((b) => { b.inspectors[0].linkFor = ['W06000015', 'Ceredigion'] })).toEqual(['inspectors[0].linkFor[1]'])
    expect(paths((b) => { b.inspectors[0].maxElvsPerTerm = -1 })).toEqual(['inspectors[0].maxElvsPerTerm'])
    expect(paths((b) => { b.inspectors[0].unavailable = ['2026-2027/autumn', '2031-2032/spring'] })).toEqual(['inspectors[0].unavailable[1]'])
    expect(paths((b) => { b.inspectors[0].avoid = ['not a code'] })).toEqual(['inspectors[0].avoid'])
    expect(paths((b) => { b.inspectors[0].avoid = ['W06000015'] })).toEqual([])
  })

  it('names bad rules by their path', () => {
    expect(paths((b) => { b.rules = { teamSize: 0 } })).toEqual(['rules.teamSize'])
    expect(paths((b) => { b.rules = { teamSize: '3' } })).toEqual(['rules.teamSize'])
    expect(paths((b) => { b.rules = { maxElvsPerTerm: 0 } })).toEqual(['rules.maxElvsPerTerm'])
    expect(paths((b) => { b.rules = { maxPeersPerTeam: -1 } })).toEqual(['rules.maxPeersPerTeam'])
    expect(paths((b) => { b.rules = { minTermsBetweenElvs: 2.5 } })).toEqual(['rules.minTermsBetweenElvs'])
    expect(paths((b) => { b.rules = { leadIsLinkInspector: 'yes' } })).toEqual(['rules.leadIsLinkInspector'])
    expect(paths((b) => { b.rules = { teamSize: 2, welshSpeakersForWelshMedium: 3 } })).toEqual(['rules.welshSpeakersForWelshMedium'])
    expect(paths((b) => { b.rules = { maxElvs: 4 } })).toEqual(['rules.maxElvs'])
    expect(paths((b) => { b.rules = [4] })).toEqual(['rules'])
    // Zero is a sound value where it means "none".
    expect(paths((b) => { b.rules = { maxPeersPerTeam: 0, minTermsFromCoreInspection: 0 } })).toEqual([])
  })

  it('names bad fixed ELVs by their path', () => {
    const fixed = { gssCode: 'W06000008', ordinal: 1, term: '2025-2026/autumn', lead: 'hmi-01', team: ['hmi-01', 'peer-01'] }
    expect(paths((b) => { b.fixed = [fixed] })).toEqual([])
    expect(paths((b) => { b.fixed = [{ ...fixed, gssCode: 'W06000023' }] })).toEqual(['fixed[0].gssCode'])
    expect(paths((b) => { b.fixed = [{ ...fixed, ordinal: 3 }] })).toEqual(['fixed[0].ordinal'])
    expect(paths((b) => { b.fixed = [{ ...fixed, term: '2030-2031/autumn' }] })).toEqual(['fixed[0].term'])
    expect(paths((b) => { b.fixed = [{ ...fixed, team: ['hmi-01', 'hmi-99'] }] })).toEqual(['fixed[0].team[1]'])
    // Two fixed ELVs on an authority whose first is done make three.
    expect(paths((b) => { b.fixed = [{ ...fixed, gssCode: 'W06000015', ordinal: 2 }, { ...fixed, gssCode: 'W06000015', ordinal: 2, term: '2026-2027/autumn' }] })).toEqual(['authorities[1].elvsDone'])
  })

  it('reports each problem once, not again as a consequence of itself', () => {
    // A bad date on the first plannable term's entry is that entry's problem, not firstTerm's.
    expect.soft(paths((b) => { b.terms[1].start = '2026-02-30' })).toEqual(['terms[1].start'])
    // Nor is it a problem of every inspector unavailable in that term.
    expect.soft(paths((b) => { delete b.terms[3].end })).toEqual(['terms[3].end'])
    // Too many ELVs done is one problem, said once.
    expect.soft(paths((b) => { b.authorities[0].elvsDone = 3 })).toEqual(['authorities[0].elvsDone'])
  })

  it('reports several problems at once, each by its path, and says them all in one message', () => {
    const found = problems((b) => {
      b.authorities[0].gssCode = 'W6'
      b.inspectors[1].kind = 'boss'
      b.rules = { teamSize: 0 }
      b.terms[2].key = 'later'
    })
    const at = found.map((p) => p.path)
    for (const path of ['authorities[0].gssCode', 'inspectors[1].kind', 'rules.teamSize', 'terms[2].key']) expect(at).toContain(path)
    for (const p of found) expect(p.message.length).toBeGreaterThan(5)
    const message = describeProblems(found)
    expect(message).toContain(`${found.length} problems`)
    for (const path of ['authorities[0].gssCode', 'inspectors[1].kind', 'rules.teamSize', 'terms[2].key']) expect(message).toContain(`${path}: `)
  })
})

import { describe, expect, it } from 'vitest'
import { I18n } from '../../i18n/catalogue.ts'
import type { RuleBreach } from './plan.rules.ts'
import { breachIdentity, explainBreach, introducedBreaches, recordingTranslate, teamBreaches, termName, wordExplanation, type BreachNames } from './planning.breaches.ts'
import type { ProgrammeView, ProposalView } from './planning.service.ts'
import { moveTermItems, programmeGrid, proposalRows, teamText } from './planning.view.ts'
import { DEFAULT_RULES } from './plan.types.ts'

const i18n = new I18n()
const en = i18n.translator('en')
const cy = i18n.translator('cy')
const names: BreachNames = {
  authorities: { W06000008: { en: 'Ceredigion', cy: 'Ceredigion' }, W06000015: { en: 'Cardiff', cy: 'Caerdydd' } },
  inspectors: { 1: 'Gwen Evans', 2: 'Rhys Owen', 3: 'Siân Price' },
}
const breach = (b: Partial<RuleBreach> & Pick<RuleBreach, 'key' | 'rule'>): RuleBreach => ({ params: {}, ...b })

describe('breaches a change introduces', () => {
  const full = (count: number, term = '2027-2028/spring') => breach({ rule: 'maxElvsPerTerm', key: 'termFull', term, params: { term, count, max: 4 } })
  const welsh = (count: number) => breach({ rule: 'welshSpeakersForWelshMedium', key: 'welshSpeakers', gssCode: 'W06000008', ordinal: 1, term: '2027-2028/spring', params: { count, required: 2 } })

  it('counts a breach that was there before only when it is now worse', () => {
    expect(introducedBreaches([full(5)], [full(5)])).toEqual([])
    expect(introducedBreaches([full(5)], [full(6)])).toEqual([full(6)])
    expect(introducedBreaches([], [full(5)])).toEqual([full(5)])
    expect(introducedBreaches([welsh(1)], [welsh(2)])).toEqual([])
    expect(introducedBreaches([welsh(1)], [welsh(0)])).toEqual([welsh(0)])
    expect(introducedBreaches([full(5, '2027-2028/autumn')], [full(5)])).toEqual([full(5)])
  })

  it('knows an ELV’s breach wherever the ELV moves, and a term’s breach by its term', () => {
    const near = (term: string) => breach({ rule: 'minTermsFromCoreInspection', key: 'nearCoreInspection', gssCode: 'W06000008', ordinal: 1, term })
    expect(breachIdentity(near('2027-2028/spring'))).toBe(breachIdentity(near('2028-2029/spring')))
    expect(breachIdentity(full(5))).not.toBe(breachIdentity(full(5, '2027-2028/autumn')))
  })

  it('lets a team be formed: too small is not a breach, larger than the rule is', () => {
    const size = (count: number) => breach({ rule: 'teamSize', key: 'teamSize', gssCode: 'W06000008', ordinal: 1, params: { count, required: 3 } })
    const noLead = breach({ rule: 'teamSize', key: 'noLead', gssCode: 'W06000008', ordinal: 1 })
    expect(teamBreaches([size(1)], [size(2), noLead], 3)).toEqual([])
    expect(teamBreaches([], [size(4)], 3)).toEqual([size(4)])
    // Rules about where ELVs go are not a team change's to report.
    expect(teamBreaches([], [full(5)], 3)).toEqual([])
  })
})

describe('breaches and the planner’s reasons in words', () => {
  it('names authorities, inspectors and terms in the reader’s language', () => {
    const b = breach({ rule: 'leadIsLinkInspector', key: 'linkInspectorNotLead', gssCode: 'W06000015', ordinal: 1, term: '2027-2028/spring',
      params: { authority: 'W06000015', term: '2027-2028/spring', inspector: '1, 2' } })
    expect(explainBreach(b, names, en, 'en')).toBe("Cardiff's link inspector (Gwen Evans, Rhys Owen) is available in Spring 2027-2028 but does not lead its ELV.")
    expect(explainBreach(b, names, cy, 'cy')).toContain('Caerdydd')
    expect(explainBreach(b, names, cy, 'cy')).toContain('Gwanwyn 2027-2028')
    expect(termName('2022-2023/summer', cy)).toBe('Haf 2022-2023')
  })

  it('words a recorded explanation later, in either language, nested messages included', () => {
    const label = recordingTranslate('planning.ruleName.maxElvsPerTerm')
    const marked = recordingTranslate('planning.infeasible.together', { rule: label, others: `${recordingTranslate('planning.ruleName.teamSize')}; ${label}` })
    expect(wordExplanation(marked, names, en, 'en')).toBe('The rule “most ELVs in a term” cannot be kept together with: team size; most ELVs in a term. Relaxing any one of these allows a plan.')
    expect(wordExplanation(marked, names, cy, 'cy')).not.toContain('\u0002')
    const capacity = recordingTranslate('planning.infeasible.capacity', { needed: 44, max: 1, terms: 9, places: 9, first: '2026-2027/spring', last: '2029-2030/summer' })
    expect(wordExplanation(capacity, names, en, 'en')).toBe('44 ELVs need places but 1 per term over 9 open terms (Spring 2026-2027 to Summer 2029-2030) gives 9.')
    expect(wordExplanation('Plain words stay as they are', names, en, 'en')).toBe('Plain words stay as they are')
  })

  it('lists a team lead first, marked', () => {
    expect(teamText(['2', '1', '3'], '1', names, en)).toBe('Gwen Evans (lead), Rhys Owen, Siân Price')
    expect(teamText([], null, names, en)).toBe('No team yet')
  })
})

const term = (key: string, count: number, extra: Partial<ProgrammeView['terms'][number]> = {}) => {
  const [academicYear, season] = key.split('/') as [string, 'autumn' | 'spring' | 'summer']
  return { key, academicYear, season, start: '2026-01-05', end: '2026-03-27', count, max: 4, current: false, firstPlannable: false, ...extra }
}

const view: ProgrammeView = {
  cycle: '2024-2030', rules: DEFAULT_RULES, currentTerm: '2025-2026/autumn', firstTerm: '2025-2026/spring',
  terms: [term('2025-2026/autumn', 0, { current: true }), term('2025-2026/spring', 5, { firstPlannable: true }), term('2025-2026/summer', 1), term('2026-2027/autumn', 0)],
  authorities: [
    { gssCode: 'W06000008', nameEn: 'Ceredigion', nameCy: 'Ceredigion', welshMedium: true, coreInspectionTerm: '2022-2023/summer', linkInspectorId: '1', linkInspectorName: 'Gwen Evans', toPlan: 1 },
    { gssCode: 'W06000015', nameEn: 'Cardiff', nameCy: 'Caerdydd', welshMedium: false, coreInspectionTerm: '2025-2026/summer', linkInspectorId: null, linkInspectorName: null, toPlan: 0 },
  ],
  elvs: [
    { elvId: 7, gssCode: 'W06000008', ordinal: 1, term: '2025-2026/spring', state: 'planned', version: 1, fixed: false, lead: '1', team: ['1', '2', '3'], notifyBy: '2025-09-01', notificationOverdue: true },
    { elvId: 8, gssCode: 'W06000015', ordinal: 1, term: '2025-2026/spring', state: 'notified', version: 3, fixed: true, lead: null, team: [], notifyBy: null, notificationOverdue: false },
  ],
  breaches: [
    { ...breach({ rule: 'maxElvsPerTerm', key: 'termFull', term: '2025-2026/spring', params: { term: '2025-2026/spring', count: 5, max: 4 } }), elvId: null, exception: null },
    { ...breach({ rule: 'elvsPerAuthority', key: 'tooFewElvs', gssCode: 'W06000015', params: { authority: 'W06000015', count: 1, required: 2 } }), elvId: null, exception: null },
    { ...breach({ rule: 'minTermsFromCoreInspection', key: 'nearCoreInspection', gssCode: 'W06000015', ordinal: 1, term: '2025-2026/spring',
      params: { authority: 'W06000015', term: '2025-2026/spring', core: '2025-2026/summer', gap: 1, required: 2 } }), elvId: 8,
    exception: { reason: 'Agreed with the director', by: 'Admin', at: '2025-10-01T09:00:00.000Z' } },
  ],
  names,
  proposals: [],
}

describe('the programme grid', () => {
  const grid = programmeGrid(view, en, 'en', { canPlan: true, formatDate: (d) => `<${d}>` })

  it('groups the terms by academic year and marks the current and first plannable terms', () => {
    expect(grid.years).toEqual([{ label: '2025-2026', span: 3 }, { label: '2026-2027', span: 1 }])
    expect(grid.columns.map((c) => [c.label, c.current, c.firstPlannable])).toEqual([
      ['Autumn 2025-2026', true, false], ['Spring 2025-2026', false, true], ['Summer 2025-2026', false, false], ['Autumn 2026-2027', false, false],
    ])
  })

  it('puts each ELV, core inspection and breach in its cell, with the load and its breaches at the foot', () => {
    const [ceredigion, cardiff] = grid.rows
    expect(ceredigion).toMatchObject({ name: 'Ceredigion', welshMedium: true, linkInspector: 'Gwen Evans', coreOutside: 'Summer 2022-2023', breaches: [], toPlan: '1 ELV still to plan' })
    expect(ceredigion!.cells[1]!.elvs).toEqual([expect.objectContaining({ text: 'ELV 1', href: '/elvs/7', notifyBy: 'Notify by <2025-09-01> (overdue)', moveHref: '/elvs/7/move' })])
    // A notified ELV is fixed: no move link, no notice date.
    expect(cardiff!.cells[1]!.elvs[0]).toMatchObject({ moveHref: null, notifyBy: null, state: { text: 'Notified' } })
    expect(cardiff!.cells[1]!.breaches).toEqual([3])
    expect(cardiff!.cells[2]!.core).toBe(true)
    expect(cardiff!.breaches).toEqual([2])
    expect(cardiff!.toPlan).toBeNull()
    expect(grid.load.map((l) => [l.text, l.over, l.breaches])).toEqual([['0 of 4', false, []], ['5 of 4', true, [1]], ['1 of 4', false, []], ['0 of 4', false, []]])
    expect(grid.breaches[2]).toMatchObject({ id: 'breach-3', where: 'Cardiff, Spring 2025-2026', exception: { reason: 'Agreed with the director', at: '<2025-10-01T09:00:00.000Z>' } })
    expect(grid.breaches[2]!.text).toBe("Cardiff's ELV in Spring 2025-2026 is 1 terms from its core inspection in Summer 2025-2026; no ELV may be within 2 terms of it.")
  })

  it('offers no move to those who may not plan, and reads in Welsh', () => {
    const read = programmeGrid(view, cy, 'cy', { canPlan: false, formatDate: (d) => d })
    expect(read.rows[0]!.cells[1]!.elvs[0]!.moveHref).toBeNull()
    expect(read.rows[1]!.name).toBe('Caerdydd')
    expect(read.columns[0]!.season).toBe('Hydref')
  })

  it('lists the terms an ELV may move to, with their load, the one it is in selected', () => {
    const items = moveTermItems(view, '2025-2026/spring', undefined, en)
    expect(items[1]).toEqual({ value: '2025-2026/spring', text: 'Spring 2025-2026 – 5 of 4 ELVs – now – First plannable term', selected: true })
    expect(moveTermItems(view, '2025-2026/spring', '2026-2027/autumn', en).filter((i) => i.selected).map((i) => i.value)).toEqual(['2026-2027/autumn'])
  })
})

describe('the proposal table', () => {
  const proposal: ProposalView = {
    id: 3, cycle: '2024-2030', status: 'optimal', createdAt: '2025-10-01T09:00:00.000Z', createdByName: 'Admin',
    output: { status: 'optimal', visits: [], load: { maxElvsInATerm: 3, maxElvsPerInspector: 4 }, conflicts: [], solver: { seconds: 0.5, bounds: { maxElvsInATerm: 3, maxElvsPerInspector: 4 }, gap: 0 } },
    explanations: [], names, fixedCount: 1,
    rows: [
      { gssCode: 'W06000008', ordinal: 1, today: { elvId: 7, term: '2025-2026/spring', state: 'planned', version: 1, lead: '1', team: ['1', '2', '3'] },
        proposed: { gssCode: 'W06000008', ordinal: 1, term: '2026-2027/autumn', notifyBy: '2026-04-13', lead: '1', team: ['1', '2', '3'] },
        changed: true, accepted: false, acceptable: true, cannot: null, stateNow: null },
      { gssCode: 'W06000015', ordinal: 2, today: { elvId: 9, term: '2027-2028/spring', state: 'notified', version: 2, lead: null, team: [] },
        proposed: { gssCode: 'W06000015', ordinal: 2, term: '2027-2028/summer', notifyBy: '2027-01-04', lead: '2', team: ['2', '3', '1'] },
        changed: true, accepted: false, acceptable: false, cannot: 'notPlanned', stateNow: 'notified' },
    ],
  }

  it('ticks what can be accepted, and says why the rest cannot be', () => {
    const rows = proposalRows(proposal, en, 'en', { formatDate: (d) => d })
    expect(rows[0]!.checkbox.items[0]).toMatchObject({ value: 'W06000008:1', text: 'Accept Ceredigion ELV 1', checked: true, disabled: false })
    expect(rows[0]).toMatchObject({ moves: true, today: { term: 'Spring 2025-2026', team: 'Gwen Evans (lead), Rhys Owen, Siân Price' }, proposed: { notifyBy: 'Notify by 2026-04-13' } })
    expect(rows[1]!.checkbox.items[0]).toMatchObject({ checked: false, disabled: true })
    expect(rows[1]!.status).toBe('Cardiff’s ELV 2 is no longer planned (it is now Notified), so this proposal cannot change it.')
    // After a refused accept, only what was chosen stays ticked.
    const kept = proposalRows(proposal, en, 'en', { formatDate: (d) => d, checked: [] })
    expect(kept[0]!.checkbox.items[0]!.checked).toBe(false)
  })
})

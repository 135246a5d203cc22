import { describe, expect, it } from 'vitest'
import { DEFAULT_RULES } from './plan.types.ts'
import { readRules, rulesAsText, storedRules } from './planning-rules.ts'

const asForm = (over: Record<string, unknown> = {}) => ({ ...rulesAsText(DEFAULT_RULES), leadIsLinkInspector: 'yes', ...over })
const key = (rule: string) => `planning.${rule}`

describe('reading the planning rules', () => {
  it('reads a whole set from a form or JSON', () => {
    expect(readRules(asForm())).toEqual({ rules: DEFAULT_RULES, problems: [] })
    const json = { ...DEFAULT_RULES, maxElvsPerTerm: 5, leadIsLinkInspector: false }
    expect(readRules(json)).toEqual({ rules: json, problems: [] })
    expect(readRules(asForm({ minTermsFromCoreInspection: ' 0 ', leadIsLinkInspector: 'no' })).rules).toMatchObject({ minTermsFromCoreInspection: 0, leadIsLinkInspector: false })
  })

  it('names every rule missing, not a whole number, or out of range', () => {
    const { problems } = readRules(asForm({ elvsPerAuthority: '3', maxElvsPerTerm: '', minTermsBetweenElvs: 'four', teamSize: '2.5', leadIsLinkInspector: 'maybe' }))
    expect(problems.map((p) => [p.path, p.messageKey])).toEqual([
      ['elvsPerAuthority', 'planning.rules.error.range'],
      ['maxElvsPerTerm', 'validation.required'],
      ['minTermsBetweenElvs', 'planning.rules.error.range'],
      ['teamSize', 'planning.rules.error.range'],
      ['leadIsLinkInspector', 'validation.choice'],
    ])
    expect(problems[0]!.params).toEqual({ field: 'planning.rules.field.elvsPerAuthority', min: 1, max: 2 })
  })

  it('keeps peers and Welsh speakers within the team', () => {
    const { problems } = readRules(asForm({ teamSize: '2', maxPeersPerTeam: '3', welshSpeakersForWelshMedium: '3' }))
    expect(problems.map((p) => [p.path, p.messageKey, p.params?.max])).toEqual([
      ['maxPeersPerTeam', 'planning.rules.error.moreThanTeam', 2],
      ['welshSpeakersForWelshMedium', 'planning.rules.error.moreThanTeam', 2],
    ])
    expect(readRules(asForm({ teamSize: '2', maxPeersPerTeam: '2', welshSpeakersForWelshMedium: '2' })).problems).toEqual([])
  })

  it('falls back to each default for a stored value that is missing or unusable', () => {
    expect(storedRules(new Map(), key)).toEqual(DEFAULT_RULES)
    const stored = new Map([[key('maxElvsPerTerm'), '6'], [key('teamSize'), 'lots'], [key('leadIsLinkInspector'), 'false'], [key('elvsPerAuthority'), '9']])
    expect(storedRules(stored, key)).toEqual({ ...DEFAULT_RULES, maxElvsPerTerm: 6, leadIsLinkInspector: false })
    expect(storedRules(new Map([[key('teamSize'), '1']]), key)).toMatchObject({ teamSize: 1, maxPeersPerTeam: 1, welshSpeakersForWelshMedium: 1 })
  })
})

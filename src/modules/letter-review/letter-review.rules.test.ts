import { describe, expect, it } from 'vitest'
import type { Role } from '../../db/schema.ts'
import { elvMoveFor, mayReview, mayTake, unmetFor, type ReviewFacts } from './letter-review.rules.ts'

const facts = (over: Partial<ReviewFacts> = {}): ReviewFacts => ({
  role: 'reviewer', actorId: 7, canWork: false, onTeam: false,
  letter: { state: 'in_review', submittedBy: 3 }, elvState: 'quality_assurance', gate: [], editedSinceSubmit: false,
  ...over,
})
const codes = (f: ReviewFacts, action: Parameters<typeof unmetFor>[0]) => unmetFor(action, f).map((d) => d.messageKey)

describe('who may take each review action', () => {
  it('lets whoever may work on the visit submit, and reviewers and administrators review', () => {
    const roles: Array<Role | 'system'> = ['admin', 'reviewer', 'hmi', 'peer', 'la', 'system']
    expect(roles.filter((role) => mayTake('submit', { role, canWork: role === 'hmi' }))).toEqual(['hmi'])
    for (const action of ['return', 'approve', 'comment'] as const) {
      expect(roles.filter((role) => mayTake(action, { role, canWork: true }))).toEqual(['admin', 'reviewer', 'system'])
    }
    expect(mayReview('hmi')).toBe(false)
  })
})

describe('the rules of quality assurance', () => {
  it('submits a draft of a visit in drafting whose findings pass the gate', () => {
    const draft = facts({ role: 'hmi', canWork: true, letter: { state: 'draft', submittedBy: null }, elvState: 'drafting' })
    expect(codes(draft, 'submit')).toEqual([])
    expect(codes({ ...draft, elvState: 'quality_assurance' }, 'submit')).toEqual([])
    expect(codes({ ...draft, letter: { state: 'in_review', submittedBy: 7 } }, 'submit')).toEqual(['letterReview.rule.submitOnlyDraft'])
    expect(unmetFor('submit', { ...draft, elvState: 'fieldwork', gate: [{ path: 'findings', messageKey: 'visits.rule.findingNotSecure' }] }))
      .toEqual([{ path: 'elv', messageKey: 'letterReview.rule.elvNotDrafting', params: { state: '@visits.state.fieldwork' } }])
    const gate = [{ path: 'findings', messageKey: 'visits.rule.findingNotSecure', params: { title: 'A', text: 'B' } }]
    expect(unmetFor('submit', { ...draft, gate })).toEqual(gate)
    expect(codes({ ...draft, letter: null }, 'submit')).toEqual(['letterReview.rule.noLetter'])
  })

  it('returns and takes comments on a letter in review, from someone not on the team', () => {
    expect(codes(facts(), 'return')).toEqual([])
    expect(codes(facts(), 'comment')).toEqual([])
    expect(codes(facts({ onTeam: true }), 'return')).toEqual(['letterReview.rule.onTeam'])
    expect(codes(facts({ onTeam: true, letter: { state: 'draft', submittedBy: null } }), 'comment')).toEqual(['letterReview.rule.notInReview', 'letterReview.rule.onTeam'])
    expect(unmetFor('return', facts({ letter: { state: 'approved', submittedBy: 3 } }))).toEqual([
      { path: 'state', messageKey: 'letterReview.rule.notInReview', params: { state: '@letterReview.state.approved' } },
    ])
  })

  it('approves only what someone else wrote and submitted, with the visit in quality assurance', () => {
    expect(codes(facts(), 'approve')).toEqual([])
    expect(codes(facts({ letter: { state: 'in_review', submittedBy: 7 } }), 'approve')).toEqual(['letterReview.rule.ownSubmission'])
    expect(codes(facts({ editedSinceSubmit: true }), 'approve')).toEqual(['letterReview.rule.ownEdits'])
    expect(codes(facts({ onTeam: true, elvState: 'drafting', letter: { state: 'draft', submittedBy: 7 } }), 'approve')).toEqual([
      'letterReview.rule.notInReview', 'letterReview.rule.onTeam', 'letterReview.rule.ownSubmission', 'letterReview.rule.elvNotInQualityAssurance',
    ])
    // The system (an operator at the command line) has no letter of its own.
    expect(codes(facts({ role: 'system', actorId: null, letter: { state: 'in_review', submittedBy: null } }), 'approve')).toEqual([])
  })

  it('moves the visit with the letter only from the state it leaves', () => {
    expect(elvMoveFor('submit', 'drafting')).toBe('quality_assurance')
    expect(elvMoveFor('submit', 'quality_assurance')).toBeNull()
    expect(elvMoveFor('return', 'quality_assurance')).toBe('drafting')
    expect(elvMoveFor('return', 'drafting')).toBeNull()
    expect(elvMoveFor('approve', 'quality_assurance')).toBeNull()
  })
})

import type { ElvState, LetterState, Role } from '../../db/schema.ts'
import type { ErrorDetail } from '../../http/errors.ts'

/** What a person can do to a letter in quality assurance. */
export const REVIEW_ACTIONS = ['submit', 'return', 'approve', 'comment'] as const
export type ReviewAction = (typeof REVIEW_ACTIONS)[number]

/** The notes this module writes on the revisions it makes (the letters module writes 'build', 'rebuild', 'edit'). */
export const REVIEW_NOTES: Record<Exclude<ReviewAction, 'comment'>, string> = { submit: 'submit', return: 'return', approve: 'approve' }

/** Roles that quality-assure letters (DESIGN.md section 1): reviewers, and administrators who may do everything. */
const REVIEWING_ROLES: ReadonlyArray<Role | 'system'> = ['reviewer', 'admin', 'system']

/** Whether the role quality-assures letters (and so sees the list of letters waiting for it). */
export const mayReview = (role: Role | 'system'): boolean => REVIEWING_ROLES.includes(role)

/** Everything the rules need to know, gathered by the service in the action's transaction. */
export interface ReviewFacts {
  role: Role | 'system'
  actorId: number | null
  /** May work on the ELV: on its team, its authority's link inspector, or an administrator. */
  canWork: boolean
  /** A member of the ELV's team (lead or not). */
  onTeam: boolean
  letter: { state: LetterState; submittedBy: number | null } | null
  elvState: ElvState
  /** What the ELV's own gate to quality assurance says now (findings secure, each focus area covered). */
  gate: readonly ErrorDetail[]
  /** The actor saved a change to the letter's text since it was last submitted. */
  editedSinceSubmit: boolean
}

const rule = (path: string, messageKey: string, params?: Record<string, string | number>): ErrorDetail =>
  (params ? { path, messageKey, params } : { path, messageKey })

/**
 * May the actor's role take this action at all, whatever the letter's state? False answers 403:
 * the team submits; reviewers (and administrators) return, approve and comment.
 */
export function mayTake(action: ReviewAction, f: Pick<ReviewFacts, 'role' | 'canWork'>): boolean {
  return action === 'submit' ? f.canWork : mayReview(f.role)
}

/** ELV states from which a letter may be submitted: the letter is written in drafting; QA may already have begun. */
const SUBMITTABLE_ELV: readonly ElvState[] = ['drafting', 'quality_assurance']

/**
 * Every rule the action would break now, as catalogue keys; empty means it may go ahead. Asked
 * only of someone `mayTake` lets through.
 */
export function unmetFor(action: ReviewAction, f: ReviewFacts): ErrorDetail[] {
  const unmet: ErrorDetail[] = []
  if (!f.letter) return [rule('letter', 'letterReview.rule.noLetter')]
  const state = { state: `@letterReview.state.${f.letter.state}` }
  switch (action) {
    case 'submit':
      if (f.letter.state !== 'draft') unmet.push(rule('state', 'letterReview.rule.submitOnlyDraft', state))
      if (!SUBMITTABLE_ELV.includes(f.elvState)) unmet.push(rule('elv', 'letterReview.rule.elvNotDrafting', { state: `@visits.state.${f.elvState}` }))
      // The visit's own gate: insecure findings, or a focus area with none, keep the letter from review.
      else unmet.push(...f.gate)
      break
    case 'return':
    case 'comment':
      if (f.letter.state !== 'in_review') unmet.push(rule('state', 'letterReview.rule.notInReview', state))
      if (f.onTeam) unmet.push(rule('reviewer', 'letterReview.rule.onTeam'))
      break
    case 'approve':
      if (f.letter.state !== 'in_review') unmet.push(rule('state', 'letterReview.rule.notInReview', state))
      if (f.onTeam) unmet.push(rule('reviewer', 'letterReview.rule.onTeam'))
      // Approving one's own letter is no review: neither the person who submitted it nor one who rewrote it since.
      if (f.actorId !== null && f.letter.submittedBy === f.actorId) unmet.push(rule('reviewer', 'letterReview.rule.ownSubmission'))
      if (f.editedSinceSubmit) unmet.push(rule('reviewer', 'letterReview.rule.ownEdits'))
      if (f.elvState !== 'quality_assurance') unmet.push(rule('elv', 'letterReview.rule.elvNotInQualityAssurance', { state: `@visits.state.${f.elvState}` }))
      break
  }
  return unmet
}

/** The letter state each action leads to. */
export const NEXT_LETTER_STATE: Record<Exclude<ReviewAction, 'comment'>, LetterState> = {
  submit: 'in_review',
  return: 'draft',
  approve: 'approved',
}

/** Where the ELV goes with the letter: into quality assurance on submit, back to drafting on return. */
export function elvMoveFor(action: ReviewAction, elvState: ElvState): ElvState | null {
  if (action === 'submit' && elvState === 'drafting') return 'quality_assurance'
  if (action === 'return' && elvState === 'quality_assurance') return 'drafting'
  return null
}

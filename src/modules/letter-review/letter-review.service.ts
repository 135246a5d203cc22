import type { Database, Db } from '../../db/database.ts'
import type { ElvState, Letter, LetterState } from '../../db/schema.ts'
import type { Clock } from '../../clock.ts'
import { Check } from '../../http/check.ts'
import { AppError, forbidden, notFound, versionConflict, type ErrorDetail } from '../../http/errors.ts'
import type { Actor } from '../auth/actor.ts'
import type { AuditService } from '../audit/audit.service.ts'
import { staleElv, type ElvView, type VisitsService } from '../visits/visits.service.ts'
import { elvWrites } from '../visits/visits.repository.ts'
import { readinessRepository } from '../visits/readiness.repository.ts'
import { unmetForTransition } from '../visits/visits.rules.ts'
import type { LetterModel } from '../letters/letter.model.ts'
import { letterReviewRepository, letterReviewWrites, reviewQueue, type CommentRow, type QueueRow, type RevisionRow } from './letter-review.repository.ts'
import { elvMoveFor, mayReview, mayTake, NEXT_LETTER_STATE, REVIEW_NOTES, unmetFor, type ReviewAction, type ReviewFacts } from './letter-review.rules.ts'
import { readSnapshot } from './letter-review.snapshot.ts'
import type { LettersService } from '../letters/letters.service.ts'
import { compareLetters, type SectionDiff } from './letter-review.diff.ts'

export const MAX_COMMENT = 4000
/** More comments than this in one return is a mistake, not a review. */
export const MAX_COMMENTS = 200

type StateAction = Exclude<ReviewAction, 'comment'>

export interface Person { id: number; name: string }

/** Where the letter stands in quality assurance: what the API answers after every action. */
export interface LetterStatus {
  elvId: number
  letterId: number
  state: LetterState
  version: number
  elvState: ElvState
  submittedAt: string | null
  submittedBy: Person | null
  approvedAt: string | null
  approvedBy: Person | null
}

export interface ReviewComment {
  id: number
  /** The letter's version the comment was made on. */
  revision: number
  sectionKey: string | null
  paragraphId: number | null
  body: string
  author: Person | null
  createdAt: string
}

export interface RevisionView {
  number: number
  state: LetterState
  /** What made the revision: 'build', 'rebuild', 'edit' (the letters module), 'submit', 'return', 'approve'. */
  note: string | null
  createdAt: string
  createdBy: Person | null
}

/** For each action: whether the actor's role may take it at all, and what stops it now. */
export type ReviewActions = Record<ReviewAction, { may: boolean; unmet: ErrorDetail[] }>

export interface ReviewPage {
  elv: ElvView
  letter: LetterStatus | null
  /** The letter as it stands (its newest revision). */
  model: LetterModel | null
  actions: ReviewActions
  comments: ReviewComment[]
  revisions: RevisionView[]
}

export interface Comparison {
  elv: ElvView
  from: RevisionView
  to: RevisionView
  revisions: RevisionView[]
  sections: SectionDiff[]
}

export interface CommentInput { sectionKey?: unknown; paragraphId?: unknown; body?: unknown }

export const staleLetter = () => versionConflict('Someone changed this letter after you opened it. Nothing was done: look at the letter as it is now, then try again.')

const REFUSALS: Record<ReviewAction, string> = {
  submit: 'The letter cannot be submitted for quality assurance yet: see each rule not met.',
  return: 'The letter cannot be returned: see each rule not met.',
  approve: 'The letter cannot be approved: see each rule not met.',
  comment: 'No comment can be made on the letter now: see each rule not met.',
}

const isAuthority = (actor: Actor) => actor.kind === 'user' && actor.role === 'la'
const userId = (actor: Actor): number | null => (actor.kind === 'user' ? actor.id : null)
const person = (id: number | null, name: string | null): Person | null => (id === null ? null : { id, name: name ?? '' })

/**
 * Quality assurance of the feedback letter: the team submits it, a reviewer who is not on the
 * team comments on it, returns it or approves it; every state change keeps a revision, and any
 * two revisions can be compared.
 */
export class LetterReviewService {
  constructor(
    readonly database: Database,
    readonly audit: AuditService,
    readonly clock: Clock,
    readonly visits: VisitsService,
    private readonly letters: LettersService,
  ) {}

  private today(): string { return this.clock.nowIso().slice(0, 10) }

  // ---- reading ------------------------------------------------------------------------------

  /** The ELV, for someone of the inspectorate who may see it. A draft letter is never the authority's: 404, as if there were none. */
  private async readable(actor: Actor, elvId: number, db: Db): Promise<ElvView> {
    if (isAuthority(actor)) throw notFound('letter')
    return this.visits.get(actor, elvId, db)
  }

  /** The letter as it stands, read by the letters module inside this transaction. */
  private currentModel(db: Db, letter: Letter, elv: ElvView): Promise<LetterModel> {
    return this.letters.modelOf(db, letter, elv)
  }

  private async facts(db: Db, actor: Actor, elv: ElvView, letter: Letter | undefined, withGate: boolean): Promise<ReviewFacts> {
    const id = userId(actor)
    const [canWork, onTeam, editedSinceSubmit] = await Promise.all([
      this.visits.canWork(actor, elv, db),
      id === null ? false : readinessRepository(db).isOnTeam(elv.id, id),
      id === null || !letter ? false : letterReviewRepository(db).editedSinceSubmit(letter.id, id),
    ])
    let gate: ErrorDetail[] = []
    if (withGate && (elv.state === 'drafting' || elv.state === 'quality_assurance')) {
      // The same rule visits.transition applies on the way into quality assurance, asked as if still drafting.
      const readiness = await this.visits.readiness(elv, db)
      gate = unmetForTransition({ ...readiness, state: 'drafting' }, { to: 'quality_assurance' }, this.today())
    }
    return {
      role: actor.kind === 'system' ? 'system' : actor.role,
      actorId: id,
      canWork,
      onTeam,
      letter: letter ? { state: letter.state, submittedBy: letter.submitted_by } : null,
      elvState: elv.state,
      gate,
      editedSinceSubmit,
    }
  }

  private async status(db: Db, letter: Letter, elvState: ElvState): Promise<LetterStatus> {
    const repo = letterReviewRepository(db)
    const [submittedBy, approvedBy] = await Promise.all([repo.userName(letter.submitted_by), repo.userName(letter.approved_by)])
    return {
      elvId: letter.elv_id, letterId: letter.id, state: letter.state, version: letter.version, elvState,
      submittedAt: letter.submitted_at, submittedBy: person(letter.submitted_by, submittedBy),
      approvedAt: letter.approved_at, approvedBy: person(letter.approved_by, approvedBy),
    }
  }

  /** Everything the review page needs: the letter, what the actor may do and what stops it, comments, revisions. */
  async review(actor: Actor, elvId: number): Promise<ReviewPage> {
    const db = this.database.db
    const elv = await this.readable(actor, elvId, db)
    const repo = letterReviewRepository(db)
    const letter = await repo.letter(elvId)
    const f = await this.facts(db, actor, elv, letter, letter?.state === 'draft')
    const actions = Object.fromEntries((['submit', 'return', 'approve', 'comment'] as const).map((a) => {
      const may = mayTake(a, f)
      return [a, { may, unmet: may ? unmetFor(a, f) : [] }]
    })) as ReviewActions
    if (!letter) return { elv, letter: null, model: null, actions, comments: [], revisions: [] }
    const [model, comments, revisions, status] = await Promise.all([
      this.currentModel(db, letter, elv), repo.comments(letter.id), repo.revisions(letter.id), this.status(db, letter, elv.state),
    ])
    return { elv, letter: status, model, actions, comments: comments.map(commentView), revisions: revisions.map(revisionView) }
  }

  /** Where the letter stands; 404 when the ELV has none yet. */
  async get(actor: Actor, elvId: number): Promise<LetterStatus> {
    const db = this.database.db
    const elv = await this.readable(actor, elvId, db)
    const letter = await letterReviewRepository(db).letter(elvId)
    if (!letter) throw notFound('letter')
    return this.status(db, letter, elv.state)
  }

  async revisions(actor: Actor, elvId: number): Promise<RevisionView[]> {
    const db = this.database.db
    await this.readable(actor, elvId, db)
    const letter = await letterReviewRepository(db).letter(elvId)
    if (!letter) throw notFound('letter')
    return (await letterReviewRepository(db).revisions(letter.id)).map(revisionView)
  }

  async comments(actor: Actor, elvId: number): Promise<ReviewComment[]> {
    const db = this.database.db
    await this.readable(actor, elvId, db)
    const letter = await letterReviewRepository(db).letter(elvId)
    if (!letter) throw notFound('letter')
    return (await letterReviewRepository(db).comments(letter.id)).map(commentView)
  }

  /**
   * Two revisions compared section by section, paragraph by paragraph, word by word in each
   * language. Left out, `to` is the newest revision and `from` the one before it.
   */
  async compare(actor: Actor, elvId: number, input: { from?: unknown; to?: unknown }): Promise<Comparison> {
    const db = this.database.db
    const elv = await this.readable(actor, elvId, db)
    const repo = letterReviewRepository(db)
    const letter = await repo.letter(elvId)
    if (!letter) throw notFound('letter')
    const revisions = (await repo.revisions(letter.id)).map(revisionView)
    const newest = revisions[0]?.number
    const check = new Check()
    const given = (v: unknown) => v !== undefined && v !== null && v !== ''
    const to = given(input.to) ? check.integer('to', 'letterReview.compare.to', input.to, { min: 1 }) : newest ?? null
    const from = given(input.from) ? check.integer('from', 'letterReview.compare.from', input.from, { min: 1 })
      : revisions.find((r) => to !== null && r.number < to)?.number ?? to
    for (const [path, n] of [['from', from], ['to', to]] as const) {
      if (n !== null && !revisions.some((r) => r.number === n)) check.add(path, 'letterReview.compare.noSuchRevision', { number: n })
    }
    if (!revisions.length) check.add('to', 'letterReview.compare.noRevisions')
    check.done()
    const [before, after] = await Promise.all([repo.snapshot(letter.id, from!), repo.snapshot(letter.id, to!)])
    const a = before ? readSnapshot(before) : undefined
    const b = after ? readSnapshot(after) : undefined
    if (!a || !b) throw notFound('revision')
    return {
      elv,
      from: revisions.find((r) => r.number === from)!,
      to: revisions.find((r) => r.number === to)!,
      revisions,
      sections: compareLetters(a, b),
    }
  }

  /** Letters waiting for quality assurance, then approved ones not yet issued: for reviewers and administrators. */
  async queue(actor: Actor): Promise<QueueRow[]> {
    if (!mayReview(actor.kind === 'system' ? 'system' : actor.role)) throw forbidden()
    return reviewQueue(this.database.db, actor)
  }

  // ---- acting -------------------------------------------------------------------------------

  /** The lead or another team member sends the draft to a reviewer; the ELV moves into quality assurance. */
  submit(actor: Actor, elvId: number, input: { version?: unknown }): Promise<LetterStatus> {
    return this.act(actor, elvId, 'submit', input)
  }

  /** A reviewer not on the team sends the letter back to the team with comments; the ELV returns to drafting. */
  returnLetter(actor: Actor, elvId: number, input: { version?: unknown; comments?: unknown }): Promise<LetterStatus> {
    return this.act(actor, elvId, 'return', input)
  }

  /** A reviewer not on the team, and not the one who submitted it, approves the letter for issue. */
  approve(actor: Actor, elvId: number, input: { version?: unknown }): Promise<LetterStatus> {
    return this.act(actor, elvId, 'approve', input)
  }

  /** A reviewer comments on a paragraph, a section or the whole letter, on the version they read. */
  async comment(actor: Actor, elvId: number, input: CommentInput & { version?: unknown }): Promise<ReviewComment> {
    const check = new Check()
    const version = check.integer('version', 'letterReview.field.version', input.version, { min: 1 })
    check.done()
    return this.database.db.transaction().execute(async (trx) => {
      const { elv, letter } = await this.begin(trx, actor, elvId, 'comment', version!)
      const model = await this.currentModel(trx, letter, elv)
      const problems = new Check()
      const [comment] = readComments(problems, [input], model, () => '')
      problems.done()
      const now = this.clock.nowIso()
      const [id] = await letterReviewWrites(trx).insertComments(letter.id, letter.version, [comment!], userId(actor), now)
      await this.audit.record(trx, actor, 'letter.comment', { type: 'elv', id: elvId }, {
        letterId: letter.id, revision: letter.version, commentId: id, sectionKey: comment!.sectionKey, paragraphId: comment!.paragraphId,
      })
      const rows = await letterReviewRepository(trx).comments(letter.id)
      return commentView(rows.find((r) => r.id === id)!)
    })
  }

  /**
   * Opens an action inside `trx`: the ELV visible (404), the role allowed (403), the version the
   * actor read still current (409 version_conflict), every rule met (409 rule_violation naming each).
   */
  private async begin(trx: Db, actor: Actor, elvId: number, action: ReviewAction, version: number): Promise<{ elv: ElvView; letter: Letter }> {
    const elv = await this.readable(actor, elvId, trx)
    const letter = await letterReviewRepository(trx).letter(elvId)
    const f = await this.facts(trx, actor, elv, letter, action === 'submit')
    if (!mayTake(action, f)) throw forbidden()
    if (letter && version !== letter.version) throw staleLetter()
    const unmet = unmetFor(action, f)
    if (unmet.length || !letter) throw new AppError('rule_violation', REFUSALS[action], unmet)
    return { elv, letter }
  }

  private async act(actor: Actor, elvId: number, action: StateAction, input: { version?: unknown; comments?: unknown }): Promise<LetterStatus> {
    const check = new Check()
    const version = check.integer('version', 'letterReview.field.version', input.version, { min: 1 })
    check.done()
    return this.database.db.transaction().execute(async (trx) => {
      const { elv, letter } = await this.begin(trx, actor, elvId, action, version!)
      const repo = letterReviewRepository(trx)
      const model = await this.currentModel(trx, letter, elv)

      let comments: ReturnType<typeof readComments> = []
      if (action === 'return') {
        const problems = new Check()
        comments = readComments(problems, input.comments, model, (i) => (Array.isArray(input.comments) ? `comments.${i}.` : ''), 'comments')
        // A letter goes back with a reason: given now, or already written against this version.
        if (!comments.length && !problems.errors.length && (await repo.commentCount(letter.id, letter.version)) === 0) {
          problems.add('comments', 'letterReview.rule.commentsNeeded')
        }
        problems.done()
      }

      const now = this.clock.nowIso()
      const to = NEXT_LETTER_STATE[action]
      const id = userId(actor)
      const changes = action === 'submit' ? { state: to, submitted_at: now, submitted_by: id, approved_at: null, approved_by: null }
        : action === 'approve' ? { state: to, approved_at: now, approved_by: id }
          : { state: to, approved_at: null, approved_by: null }
      const row = await letterReviewWrites(trx).setState(letter.id, letter.version, changes, now)
      if (!row) throw staleLetter()
      // Every version is kept: the text is unchanged, so the revision is the letter as it stood, in its new state.
      await letterReviewWrites(trx).insertRevision({
        letterId: letter.id, number: row.version, state: row.state, snapshot: JSON.stringify({ ...model, state: row.state, version: row.version }),
        note: REVIEW_NOTES[action], createdBy: id,
      }, now)
      // Comments belong to the version the reviewer read, not to the one the return makes.
      const commentIds = await letterReviewWrites(trx).insertComments(letter.id, letter.version, comments, id, now)

      const elvState = await this.moveElv(trx, actor, elv, action, now)
      await this.audit.record(trx, actor, `letter.${action}`, { type: 'elv', id: elvId }, {
        letterId: letter.id, from: letter.state, to: row.state, version: row.version,
        ...(elvState !== elv.state ? { elv: { from: elv.state, to: elvState } } : {}),
        ...(commentIds.length ? { commentIds } : {}),
      })
      return this.status(trx, row, elvState)
    })
  }

  /**
   * The ELV follows the letter: into quality assurance on submit, back to drafting on return.
   * Made here rather than through visits.transition, which opens a transaction of its own (the
   * letter and the ELV must change together or not at all) and lets only the team act, while a
   * return is the reviewer's. The rule it would apply on the way into quality assurance (the
   * findings gate) was checked in `begin`; the move is audited as visits.transition audits it.
   */
  private async moveElv(trx: Db, actor: Actor, elv: ElvView, action: StateAction, now: string): Promise<ElvState> {
    const to = elvMoveFor(action, elv.state)
    if (!to) return elv.state
    const moved = await elvWrites(trx).update(elv.id, elv.version, { state: to }, now)
    if (!moved) throw staleElv()
    await this.audit.record(trx, actor, 'elv.transition', { type: 'elv', id: elv.id }, { from: elv.state, to, reason: null, by: `letter.${action}` })
    return to
  }
}

// ---- shaping ---------------------------------------------------------------------------------

function commentView(r: CommentRow): ReviewComment {
  return {
    id: r.id, revision: r.revision_number, sectionKey: r.section_key, paragraphId: r.paragraph_id, body: r.body,
    author: person(r.author_id, r.author_name), createdAt: r.created_at,
  }
}

function revisionView(r: RevisionRow): RevisionView {
  return { number: r.number, state: r.state, note: r.note, createdAt: r.created_at, createdBy: person(r.created_by, r.created_by_name) }
}

// ---- reading comments --------------------------------------------------------------------------

const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/ // eslint-disable-line no-control-regex -- refusing control characters is the point

function commentBody(check: Check, path: string, value: unknown): string | null {
  const body = check.text(path, 'letterReview.field.comment', typeof value === 'string' ? value.replace(/\r\n?/g, '\n') : value, { max: MAX_COMMENT })
  if (body && CONTROL.test(body)) {
    check.add(path, 'letterReview.rule.commentControl')
    return null
  }
  return body
}

/**
 * Comments as given: one text (about the whole letter), or a list of `{ sectionKey?, paragraphId?,
 * body }`, each placed against the letter as it stands. Every problem is added to `check`;
 * `prefix(i)` names the i-th item's fields, `whole` the single text's path.
 */
function readComments(check: Check, raw: unknown, model: LetterModel, prefix: (i: number) => string, whole = 'body'): Array<{ sectionKey: string | null; paragraphId: number | null; body: string }> {
  // Nothing typed is no comment (a return then needs comments made on the paragraphs).
  if (raw === undefined || raw === null || (typeof raw === 'string' && !raw.trim())) return []
  if (typeof raw === 'string') {
    const body = commentBody(check, whole, raw)
    return body ? [{ sectionKey: null, paragraphId: null, body }] : []
  }
  if (!Array.isArray(raw)) {
    check.add(whole, 'letterReview.rule.commentsShape')
    return []
  }
  if (raw.length > MAX_COMMENTS) {
    check.add(whole, 'letterReview.rule.tooManyComments', { max: MAX_COMMENTS })
    return []
  }
  const out: Array<{ sectionKey: string | null; paragraphId: number | null; body: string }> = []
  raw.forEach((item, i) => {
    const p = prefix(i)
    if (!item || typeof item !== 'object' || Array.isArray(item)) { check.add(`${p}body`, 'letterReview.rule.commentsShape'); return }
    const c = item as CommentInput
    const body = commentBody(check, `${p}body`, c.body)
    let sectionKey: string | null = null
    if (c.sectionKey !== undefined && c.sectionKey !== null && c.sectionKey !== '') {
      if (typeof c.sectionKey === 'string' && model.sections.some((s) => s.key === c.sectionKey)) sectionKey = c.sectionKey
      else { check.add(`${p}sectionKey`, 'letterReview.rule.unknownSection', { key: String(c.sectionKey).slice(0, 60) }); return }
    }
    let paragraphId: number | null = null
    if (c.paragraphId !== undefined && c.paragraphId !== null && c.paragraphId !== '') {
      const n = typeof c.paragraphId === 'number' ? c.paragraphId : typeof c.paragraphId === 'string' ? Number(c.paragraphId) : NaN
      const section = model.sections.find((s) => s.paragraphs.some((x) => x.id === n))
      // A paragraph named with a section must be in that section.
      if (!Number.isInteger(n) || !section || (sectionKey !== null && section.key !== sectionKey)) {
        check.add(`${p}paragraphId`, 'letterReview.rule.unknownParagraph', { id: String(c.paragraphId).slice(0, 20) })
        return
      }
      paragraphId = n
      sectionKey = section.key
    }
    if (body) out.push({ sectionKey, paragraphId, body })
  })
  return out
}

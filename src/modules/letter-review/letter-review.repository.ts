import { sql } from 'kysely'
import type { Db } from '../../db/database.ts'
import type { Letter, LetterState } from '../../db/schema.ts'
import type { Actor } from '../auth/actor.ts'
import { elvRepository } from '../visits/visits.repository.ts'
import { REVIEW_NOTES } from './letter-review.rules.ts'

export interface RevisionRow {
  number: number
  state: LetterState
  note: string | null
  created_at: string
  created_by: number | null
  created_by_name: string | null
}

export interface CommentRow {
  id: number
  revision_number: number
  section_key: string | null
  paragraph_id: number | null
  body: string
  author_id: number | null
  author_name: string | null
  created_at: string
}

export interface QueueRow {
  elv_id: number
  authority_code: string
  authority_name_en: string
  authority_name_cy: string
  ordinal: number
  term_key: string
  elv_state: string
  state: LetterState
  version: number
  submitted_at: string | null
  submitted_by_name: string | null
  approved_at: string | null
  approved_by_name: string | null
}

const reviewNotes = Object.values(REVIEW_NOTES)

/**
 * A letter's review record: its revisions and comments. Callers have already checked that the
 * actor may see the ELV (through the visits service), so these go by ELV or letter id.
 */
export function letterReviewRepository(db: Db) {
  return {
    letter(elvId: number): Promise<Letter | undefined> {
      return db.selectFrom('letter').selectAll().where('elv_id', '=', elvId).executeTakeFirst()
    },

    /** Every revision, newest first, without the snapshots. */
    revisions(letterId: number): Promise<RevisionRow[]> {
      return db.selectFrom('letter_revision as r').leftJoin('app_user as u', 'u.id', 'r.created_by')
        .select(['r.number', 'r.state', 'r.note', 'r.created_at', 'r.created_by', 'u.name as created_by_name'])
        .where('r.letter_id', '=', letterId).orderBy('r.number', 'desc').execute()
    },

    async snapshot(letterId: number, number: number): Promise<string | undefined> {
      const row = await db.selectFrom('letter_revision').select('snapshot').where('letter_id', '=', letterId).where('number', '=', number).executeTakeFirst()
      return row?.snapshot
    },

    /** Every comment on the letter, oldest first, whichever revision it was made on. */
    comments(letterId: number): Promise<CommentRow[]> {
      return db.selectFrom('letter_comment as c').leftJoin('app_user as u', 'u.id', 'c.author_id')
        .select(['c.id', 'c.revision_number', 'c.section_key', 'c.paragraph_id', 'c.body', 'c.author_id', 'u.name as author_name', 'c.created_at'])
        .where('c.letter_id', '=', letterId).orderBy('c.created_at').orderBy('c.id').execute()
    },

    async commentCount(letterId: number, revisionNumber: number): Promise<number> {
      const row = await db.selectFrom('letter_comment').select((eb) => eb.fn.countAll<number>().as('n'))
        .where('letter_id', '=', letterId).where('revision_number', '=', revisionNumber).executeTakeFirst()
      return Number(row?.n ?? 0)
    },

    /**
     * Whether `userId` saved a change to the letter's text (any revision this module did not
     * write) after the latest submission.
     */
    async editedSinceSubmit(letterId: number, userId: number): Promise<boolean> {
      const submitted = await db.selectFrom('letter_revision').select((eb) => eb.fn.max('number').as('n'))
        .where('letter_id', '=', letterId).where('note', '=', REVIEW_NOTES.submit).executeTakeFirst()
      const since = Number(submitted?.n ?? 0)
      const row = await db.selectFrom('letter_revision').select('id')
        .where('letter_id', '=', letterId).where('number', '>', since).where('created_by', '=', userId)
        .where((eb) => eb.or([eb('note', 'is', null), eb('note', 'not in', reviewNotes)]))
        .limit(1).executeTakeFirst()
      return Boolean(row)
    },

    async userName(id: number | null): Promise<string | null> {
      if (id === null) return null
      const row = await db.selectFrom('app_user').select('name').where('id', '=', id).executeTakeFirst()
      return row?.name ?? null
    },
  }
}

/** Letters waiting for quality assurance or approved, across the ELVs the actor may see: oldest submission first. */
export function reviewQueue(db: Db, actor: Actor): Promise<QueueRow[]> {
  return elvRepository(db, actor).visible()
    .innerJoin('letter as l', 'l.elv_id', 'elv.id')
    .leftJoin('app_user as su', 'su.id', 'l.submitted_by')
    .leftJoin('app_user as au', 'au.id', 'l.approved_by')
    .select([
      'elv.id as elv_id', 'elv.authority_code', 'la.name_en as authority_name_en', 'la.name_cy as authority_name_cy',
      'elv.ordinal', 'elv.term_key', 'elv.state as elv_state', 'l.state', 'l.version', 'l.submitted_at', 'su.name as submitted_by_name',
      'l.approved_at', 'au.name as approved_by_name',
    ])
    .where('l.state', 'in', ['in_review', 'approved'])
    // Waiting for a reviewer first; then the longest waiting.
    .orderBy(sql`case when l.state = 'in_review' then 0 else 1 end`)
    .orderBy('l.submitted_at').orderBy('elv.id')
    .execute()
}

/** Writes: only the review service calls these, after checking the actor may act. */
export function letterReviewWrites(db: Db) {
  return {
    /** Moves the letter to `state` and its version on; undefined when someone else saved first. */
    setState(letterId: number, expectedVersion: number, changes: {
      state: LetterState
      submitted_at?: string | null
      submitted_by?: number | null
      approved_at?: string | null
      approved_by?: number | null
    }, now: string): Promise<Letter | undefined> {
      return db.updateTable('letter').set({ ...changes, updated_at: now, version: sql<number>`version + 1` })
        .where('id', '=', letterId).where('version', '=', expectedVersion).returningAll().executeTakeFirst()
    },

    async insertRevision(r: { letterId: number; number: number; state: LetterState; snapshot: string; note: string; createdBy: number | null }, now: string): Promise<void> {
      await db.insertInto('letter_revision').values({
        letter_id: r.letterId, number: r.number, state: r.state, snapshot: r.snapshot, note: r.note, created_by: r.createdBy, created_at: now,
      }).execute()
    },

    async insertComments(letterId: number, revisionNumber: number, comments: ReadonlyArray<{ sectionKey: string | null; paragraphId: number | null; body: string }>, authorId: number | null, now: string): Promise<number[]> {
      if (!comments.length) return []
      const rows = await db.insertInto('letter_comment').values(comments.map((c) => ({
        letter_id: letterId, revision_number: revisionNumber, section_key: c.sectionKey, paragraph_id: c.paragraphId, body: c.body, author_id: authorId, created_at: now,
      }))).returning('id').execute()
      return rows.map((r) => r.id)
    },
  }
}

import { sql } from 'kysely'
import type { Db } from '../../db/database.ts'
import type { Flag, FindingKind, Letter, LetterParagraph, LetterSection, LetterState, ParagraphStyle, Role } from '../../db/schema.ts'

/**
 * The letter of an ELV, its sections and paragraphs, and its revisions. Callers have already
 * checked that the actor may see the ELV (through the visits service): every query here is by
 * ELV or letter id.
 */
export function letterRepository(db: Db) {
  return {
    forElv(elvId: number): Promise<Letter | undefined> {
      return db.selectFrom('letter').selectAll().where('elv_id', '=', elvId).executeTakeFirst()
    },

    sections(letterId: number): Promise<LetterSection[]> {
      return db.selectFrom('letter_section').selectAll().where('letter_id', '=', letterId).orderBy('position').orderBy('id').execute()
    },

    paragraphs(letterId: number): Promise<LetterParagraph[]> {
      return db.selectFrom('letter_paragraph as p').innerJoin('letter_section as s', 's.id', 'p.section_id')
        .selectAll('p').where('s.letter_id', '=', letterId).orderBy('p.section_id').orderBy('p.position').orderBy('p.id').execute()
    },

    /** Every saved state of the letter, newest first, without the snapshots themselves. */
    revisions(letterId: number) {
      return db.selectFrom('letter_revision as r').leftJoin('app_user as u', 'u.id', 'r.created_by')
        .select(['r.number', 'r.state', 'r.note', 'r.created_at', 'u.name as created_by_name'])
        .where('r.letter_id', '=', letterId).orderBy('r.number', 'desc').execute()
    },

    async snapshot(letterId: number, number: number): Promise<string | undefined> {
      const row = await db.selectFrom('letter_revision').select('snapshot').where('letter_id', '=', letterId).where('number', '=', number).executeTakeFirst()
      return row?.snapshot
    },
  }
}

export interface SecureCandidate { id: number; focus_area_id: number; kind: FindingKind; text: string }

/** What a letter is built from: the authority, the team, the live focus areas and their findings. */
export function letterSources(db: Db) {
  return {
    authority(gssCode: string) {
      return db.selectFrom('local_authority').select(['name_en', 'name_cy', 'director_name', 'director_email'])
        .where('gss_code', '=', gssCode).executeTakeFirst()
    },

    term(key: string) {
      return db.selectFrom('term').select(['season', 'academic_year']).where('key', '=', key).executeTakeFirst()
    },

    /** The lead first, then in the order they joined. */
    team(elvId: number): Promise<Array<{ name: string; role: Role; is_lead: Flag }>> {
      return db.selectFrom('elv_team_member as tm').innerJoin('app_user as u', 'u.id', 'tm.user_id')
        .select(['u.name', 'u.role', 'tm.is_lead']).where('tm.elv_id', '=', elvId)
        .orderBy('tm.is_lead', 'desc').orderBy('tm.added_at').orderBy('tm.id').execute()
    },

    liveFocusAreas(elvId: number) {
      return db.selectFrom('focus_area').select(['id', 'title']).where('elv_id', '=', elvId).where('withdrawn_at', 'is', null)
        .orderBy('position').orderBy('id').execute()
    },

    /** Findings on the live focus areas, oldest first; which are secure is decided by their evidence. */
    findings(elvId: number): Promise<SecureCandidate[]> {
      return db.selectFrom('finding as f').innerJoin('focus_area as fa', 'fa.id', 'f.focus_area_id')
        .select(['f.id', 'f.focus_area_id', 'f.kind', 'f.text'])
        .where('f.elv_id', '=', elvId).where('fa.withdrawn_at', 'is', null).orderBy('f.id').execute()
    },

    /** Which of `ids` are findings of this ELV. */
    async findingIdsOfElv(elvId: number, ids: readonly number[]): Promise<Set<number>> {
      if (!ids.length) return new Set()
      const rows = await db.selectFrom('finding').select('id').where('elv_id', '=', elvId).where('id', 'in', ids).execute()
      return new Set(rows.map((r) => r.id))
    },
  }
}

export interface SectionValues {
  position: number
  key: string
  focusAreaId: number | null
  heading: { en: string; cy: string }
  edited: Flag
  enRevisedAt: string | null
  cyRevisedAt: string | null
  translationCurrent: Flag
}

export interface ParagraphValues {
  style: ParagraphStyle
  en: string
  cy: string
  findingIds: readonly number[]
  fixed: Flag
}

const paragraphRow = (sectionId: number, position: number, p: ParagraphValues) => ({
  section_id: sectionId, position, style: p.style, text_en: p.en, text_cy: p.cy, finding_ids: JSON.stringify(p.findingIds), fixed: p.fixed,
})

/** Writes: only the letters service calls these, after checking the actor may act. */
export function letterWrites(db: Db) {
  return {
    /** Undefined when the ELV already has a letter (someone built it at the same moment). */
    insertLetter(elvId: number, now: string): Promise<Letter | undefined> {
      return db.insertInto('letter').values({ elv_id: elvId, state: 'draft', letter_date: null, submitted_at: null, submitted_by: null, approved_at: null, approved_by: null, issued_at: null, issued_by: null, created_at: now, updated_at: now })
        .onConflict((oc) => oc.column('elv_id').doNothing()).returningAll().executeTakeFirst()
    },

    /** Moves the version on (and the state, when given); undefined when someone else saved first. */
    bump(id: number, expectedVersion: number, now: string, state?: LetterState): Promise<Letter | undefined> {
      // Leaving approval clears it: the letter must be approved again.
      const review = state === 'in_review' || state === 'draft' ? { approved_at: null, approved_by: null } : {}
      return db.updateTable('letter').set({ ...(state ? { state, ...review } : {}), updated_at: now, version: sql<number>`version + 1` })
        .where('id', '=', id).where('version', '=', expectedVersion).returningAll().executeTakeFirst()
    },

    async insertSection(letterId: number, s: SectionValues): Promise<number> {
      const row = await db.insertInto('letter_section').values({
        letter_id: letterId, position: s.position, key: s.key, focus_area_id: s.focusAreaId, heading_en: s.heading.en, heading_cy: s.heading.cy,
        edited: s.edited, en_revised_at: s.enRevisedAt, cy_revised_at: s.cyRevisedAt, translation_current: s.translationCurrent,
      }).returning('id').executeTakeFirstOrThrow()
      return row.id
    },

    async updateSection(id: number, s: SectionValues): Promise<void> {
      await db.updateTable('letter_section').set({
        position: s.position, focus_area_id: s.focusAreaId, heading_en: s.heading.en, heading_cy: s.heading.cy,
        edited: s.edited, en_revised_at: s.enRevisedAt, cy_revised_at: s.cyRevisedAt, translation_current: s.translationCurrent,
      }).where('id', '=', id).execute()
    },

    async setPosition(id: number, position: number): Promise<void> {
      await db.updateTable('letter_section').set({ position }).where('id', '=', id).execute()
    },

    async deleteSections(ids: readonly number[]): Promise<void> {
      if (ids.length) await db.deleteFrom('letter_section').where('id', 'in', ids).execute()
    },

    /** Replaces every paragraph of a section (a rebuilt section starts again). */
    async replaceParagraphs(sectionId: number, paragraphs: readonly ParagraphValues[]): Promise<void> {
      await db.deleteFrom('letter_paragraph').where('section_id', '=', sectionId).execute()
      if (paragraphs.length) await db.insertInto('letter_paragraph').values(paragraphs.map((p, i) => paragraphRow(sectionId, i, p))).execute()
    },

    /**
     * Saves an edited section's paragraphs in order: those with an id are updated in place (so
     * review comments on them keep their place), new ones inserted, the rest deleted.
     */
    async saveParagraphs(sectionId: number, paragraphs: ReadonlyArray<ParagraphValues & { id: number | null }>): Promise<void> {
      const keep = paragraphs.flatMap((p) => (p.id === null ? [] : [p.id]))
      let removal = db.deleteFrom('letter_paragraph').where('section_id', '=', sectionId)
      if (keep.length) removal = removal.where('id', 'not in', keep)
      await removal.execute()
      for (const [i, p] of paragraphs.entries()) {
        const row = paragraphRow(sectionId, i, p)
        if (p.id === null) await db.insertInto('letter_paragraph').values(row).execute()
        else await db.updateTable('letter_paragraph').set(row).where('id', '=', p.id).where('section_id', '=', sectionId).execute()
      }
    },

    async insertRevision(r: { letterId: number; number: number; state: LetterState; snapshot: string; note: string | null; createdBy: number | null }, now: string): Promise<void> {
      await db.insertInto('letter_revision').values({
        letter_id: r.letterId, number: r.number, state: r.state, snapshot: r.snapshot, note: r.note, created_by: r.createdBy, created_at: now,
      }).execute()
    },
  }
}

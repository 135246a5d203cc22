import type { Db } from '../../db/database.ts'
import type { LinkNote, LinkNoteKind } from '../../db/schema.ts'

export interface LinkNoteRow extends LinkNote { author_name: string }

export interface LinkNoteValues {
  notedOn: string
  kind: LinkNoteKind
  title: string
  body: string
  frameworkAreaCode: string | null
  /** Keys of managed themes (stored as a JSON array). */
  themes: string[]
}

/** Link notes of one authority. Services decide who may read or keep them before calling these. */
export function linkNoteRepository(db: Db) {
  const withAuthor = () => db.selectFrom('link_note as n').innerJoin('app_user as u', 'u.id', 'n.author_id').selectAll('n').select('u.name as author_name')
  return {
    /** Newest first: what the link inspector learnt most recently is what matters most. */
    list(authorityCode: string): Promise<LinkNoteRow[]> {
      return withAuthor().where('n.authority_code', '=', authorityCode).orderBy('n.noted_on', 'desc').orderBy('n.id', 'desc').execute()
    },

    get(authorityCode: string, id: number): Promise<LinkNoteRow | undefined> {
      return withAuthor().where('n.authority_code', '=', authorityCode).where('n.id', '=', id).executeTakeFirst()
    },

    insert(authorityCode: string, authorId: number, v: LinkNoteValues, now: string): Promise<LinkNote> {
      return db.insertInto('link_note').values({
        authority_code: authorityCode, author_id: authorId, noted_on: v.notedOn, kind: v.kind, title: v.title, body: v.body,
        framework_area_code: v.frameworkAreaCode, themes: JSON.stringify(v.themes), created_at: now, updated_at: now,
      }).returningAll().executeTakeFirstOrThrow()
    },

    /** Version-checked: undefined when someone else saved first. */
    update(authorityCode: string, id: number, expectedVersion: number, v: LinkNoteValues, now: string): Promise<LinkNote | undefined> {
      return db.updateTable('link_note').set((eb) => ({
        noted_on: v.notedOn, kind: v.kind, title: v.title, body: v.body, framework_area_code: v.frameworkAreaCode,
        themes: JSON.stringify(v.themes), updated_at: now, version: eb('version', '+', 1),
      })).where('authority_code', '=', authorityCode).where('id', '=', id).where('version', '=', expectedVersion)
        .returningAll().executeTakeFirst()
    },
  }
}

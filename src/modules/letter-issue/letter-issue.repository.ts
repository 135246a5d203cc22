import type { Db } from '../../db/database.ts'
import type { LetterFile } from '../../db/schema.ts'
import type { LetterLanguages } from '../letters/render/layout.ts'

export type IssuedFormat = LetterFile['format']

/** The issued letter's stored files and its issue stamp. Only the issue service writes these. */
export function letterFiles(db: Db) {
  return {
    list(letterId: number): Promise<LetterFile[]> {
      return db.selectFrom('letter_file').selectAll().where('letter_id', '=', letterId).orderBy('format').orderBy('lang').execute()
    },

    async insert(letterId: number, files: ReadonlyArray<{ format: IssuedFormat; lang: LetterLanguages; storageKey: string; sha256: string; sizeBytes: number }>, now: string): Promise<void> {
      await db.insertInto('letter_file').values(files.map((f) => ({
        letter_id: letterId, format: f.format, lang: f.lang, storage_key: f.storageKey, sha256: f.sha256, size_bytes: f.sizeBytes, created_at: now,
      }))).execute()
    },

    async markIssued(letterId: number, v: { issuedOn: string; issuedAt: string; issuedBy: number | null }): Promise<void> {
      await db.updateTable('letter').set({ letter_date: v.issuedOn, issued_at: v.issuedAt, issued_by: v.issuedBy }).where('id', '=', letterId).execute()
    },
  }
}

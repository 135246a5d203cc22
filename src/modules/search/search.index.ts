import { sql } from 'kysely'
import type { Db, Engine } from '../../db/database.ts'

/**
 * Keeps the full-text index of evidence in step with the evidence table. SQLite holds an FTS5 table
 * whose rowid is the evidence id; PostgreSQL a tsvector per item with a GIN index. Callers pass
 * words already folded by `indexedWords`.
 */
export function searchIndexWrites(db: Db, engine: Engine) {
  return {
    async put(evidenceId: number, words: string): Promise<void> {
      if (engine === 'sqlite') {
        await sql`delete from evidence_search where rowid = ${evidenceId}`.execute(db)
        await sql`insert into evidence_search (rowid, words) values (${evidenceId}, ${words})`.execute(db)
      } else {
        await sql`insert into evidence_search (evidence_id, words) values (${evidenceId}, strip(to_tsvector('simple', ${words})))
          on conflict (evidence_id) do update set words = excluded.words`.execute(db)
      }
    },

    async remove(evidenceId: number): Promise<void> {
      if (engine === 'sqlite') await sql`delete from evidence_search where rowid = ${evidenceId}`.execute(db)
      else await sql`delete from evidence_search where evidence_id = ${evidenceId}`.execute(db)
    },
  }
}

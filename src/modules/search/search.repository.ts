import { sql } from 'kysely'
import type { Db, Engine } from '../../db/database.ts'
import type { EvidenceKind } from '../../db/schema.ts'
import type { Actor } from '../auth/actor.ts'
import { evidenceRepository } from '../evidence/evidence.repository.ts'

export interface SearchFilters {
  elvId?: number
  /** GSS code of the authority. */
  authority?: string
  kind?: EvidenceKind
  focusAreaId?: number
  /** The theme in use today (a merged theme's key already resolved to it). */
  themeId?: number
  /** Gathered on or after / on or before, ISO dates. */
  from?: string
  to?: string
}

export interface SearchQuery {
  /** Folded words (`queryTerms`), only letters and digits: every one must occur. None lists by the filters alone. */
  terms: readonly string[]
  filters: SearchFilters
  limit: number
  /** Keyset paging: only items with a smaller id than this (the last one of the page before). */
  before?: number
}

/** What a result needs to show itself and its snippet, read in the same query that finds it. */
export interface SearchRow {
  id: number
  elv_id: number
  kind: EvidenceKind
  title: string
  body: string
  gathered_on: string
  recorded_at: string
  from_authority: number
  authority_code: string
  authority_name_en: string
  authority_name_cy: string
}

/**
 * Full-text search over evidence, one interface over both engines. Results come newest recorded
 * first (evidence id descending) on both, which is what makes SQLite and PostgreSQL agree; pages
 * follow by keyset (`before`), never OFFSET. What the actor may see is exactly
 * `evidenceRepository(db, actor).visible()`, used here as the inner part of the query.
 */
export function searchRepository(db: Db, engine: Engine) {
  /** The items the actor may see that pass the filters, with the columns a result shows. */
  const scoped = (actor: Actor, f: SearchFilters) => {
    let q = evidenceRepository(db, actor).visible().select([
      'e.id', 'e.elv_id', 'e.kind', 'e.title', 'e.body', 'e.gathered_on', 'e.recorded_at', 'e.from_authority',
      'elv.authority_code', 'la.name_en as authority_name_en', 'la.name_cy as authority_name_cy',
    ])
    if (f.elvId !== undefined) q = q.where('e.elv_id', '=', f.elvId)
    if (f.authority !== undefined) q = q.where('elv.authority_code', '=', f.authority)
    if (f.kind !== undefined) q = q.where('e.kind', '=', f.kind)
    if (f.from !== undefined) q = q.where('e.gathered_on', '>=', f.from)
    if (f.to !== undefined) q = q.where('e.gathered_on', '<=', f.to)
    if (f.focusAreaId !== undefined) {
      const fa = f.focusAreaId
      q = q.where((eb) => eb.exists(eb.selectFrom('evidence_focus_area as ef').select('ef.evidence_id').whereRef('ef.evidence_id', '=', 'e.id').where('ef.focus_area_id', '=', fa)))
    }
    if (f.themeId !== undefined) {
      const th = f.themeId
      q = q.where((eb) => eb.exists(eb.selectFrom('evidence_theme as et').select('et.evidence_id').whereRef('et.evidence_id', '=', 'e.id').where('et.theme_id', '=', th)))
    }
    return q
  }

  return {
    /** Up to `limit` results in order, and whether there are more after them. */
    async query(actor: Actor, { terms, filters, limit, before }: SearchQuery): Promise<{ rows: SearchRow[]; more: boolean }> {
      const scope = scoped(actor, filters)
      let rows: SearchRow[]
      if (!terms.length) {
        let q = scope.orderBy('e.id', 'desc').limit(limit + 1)
        if (before !== undefined) q = q.where('e.id', '<', before)
        rows = await q.execute()
      } else if (engine === 'sqlite') {
        // CROSS JOIN keeps the FTS table the outer loop: FTS5 then walks its rowids newest first
        // (ORDER BY rowid DESC is consumed, no sort) and stops at the limit, checking each match
        // against the scope by primary key, instead of materialising every match.
        const match = terms.map((t) => `"${t}"`).join(' ')
        const result = await sql<SearchRow>`select v.* from evidence_search s cross join (${scope}) v
          where v.id = s.rowid and s.evidence_search match ${match}${before !== undefined ? sql` and s.rowid < ${before}` : sql``}
          order by s.rowid desc limit ${limit + 1}`.execute(db)
        rows = result.rows
      } else {
        // Terms hold only letters and digits (queryTerms), so joining them with & is a safe tsquery.
        const result = await sql<SearchRow>`select v.* from evidence_search s inner join (${scope}) v on v.id = s.evidence_id
          where s.words @@ to_tsquery('simple', ${terms.join(' & ')})${before !== undefined ? sql` and s.evidence_id < ${before}` : sql``}
          order by s.evidence_id desc limit ${limit + 1}`.execute(db)
        rows = result.rows
      }
      return { rows: rows.slice(0, limit), more: rows.length > limit }
    },

    /** The extracted text of each item's files, in upload order, for snippets. */
    async fileTexts(ids: readonly number[]): Promise<Map<number, string[]>> {
      const out = new Map<number, string[]>()
      if (!ids.length) return out
      const rows = await db.selectFrom('evidence_file').select(['evidence_id', 'extracted_text'])
        .where('evidence_id', 'in', ids).where('extracted_text', 'is not', null).orderBy('id').execute()
      for (const r of rows) out.set(r.evidence_id, [...(out.get(r.evidence_id) ?? []), r.extracted_text ?? ''])
      return out
    },

    async authorityExists(code: string): Promise<boolean> {
      return Boolean(await db.selectFrom('local_authority').select('gss_code').where('gss_code', '=', code).executeTakeFirst())
    },

    async focusAreaOfElv(focusAreaId: number, elvId: number): Promise<boolean> {
      return Boolean(await db.selectFrom('focus_area').select('id').where('id', '=', focusAreaId).where('elv_id', '=', elvId).executeTakeFirst())
    },
  }
}

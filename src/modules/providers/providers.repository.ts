import type { Db } from '../../db/database.ts'
import type { LinkNoteKind, Provider } from '../../db/schema.ts'
import type { ProviderRow } from './providers.csv.ts'

// Well under SQLite's and PostgreSQL's limits on bound parameters per statement (8 a row here).
const BATCH = 500

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

export interface LinkNoteSummary { id: number; noted_on: string; kind: LinkNoteKind; title: string; body: string }

export function providersRepository(db: Db) {
  return {
    async authorityCodes(): Promise<Set<string>> {
      const rows = await db.selectFrom('local_authority').select('gss_code').execute()
      return new Set(rows.map((r) => r.gss_code))
    },

    async existingReferences(references: readonly string[]): Promise<Set<string>> {
      const found = new Set<string>()
      for (const batch of chunks(references, BATCH)) {
        const rows = await db.selectFrom('provider').select('reference').where('reference', 'in', batch).execute()
        for (const r of rows) found.add(r.reference)
      }
      return found
    },

    /** Inserts each row, or updates the provider with the same reference. */
    async upsert(rows: readonly ProviderRow[], now: string): Promise<void> {
      for (const batch of chunks(rows, BATCH)) {
        await db.insertInto('provider')
          .values(batch.map((r) => ({
            authority_code: r.authorityCode, reference: r.reference, name: r.name, kind: r.kind,
            last_inspected_on: r.lastInspectedOn, summary: r.summary, report_url: r.reportUrl, updated_at: now,
          })))
          .onConflict((oc) => oc.column('reference').doUpdateSet((eb) => ({
            authority_code: eb.ref('excluded.authority_code'),
            name: eb.ref('excluded.name'),
            kind: eb.ref('excluded.kind'),
            last_inspected_on: eb.ref('excluded.last_inspected_on'),
            summary: eb.ref('excluded.summary'),
            report_url: eb.ref('excluded.report_url'),
            updated_at: eb.ref('excluded.updated_at'),
          })))
          .execute()
      }
    },

    count(): Promise<number> {
      return db.selectFrom('provider').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow().then((r) => Number(r.n))
    },

    /** An authority's providers last inspected on or after `from` and before `before`, newest first. */
    inspectedBetween(authorityCode: string, from: string, before: string): Promise<Provider[]> {
      return db.selectFrom('provider').selectAll()
        .where('authority_code', '=', authorityCode)
        .where('last_inspected_on', '>=', from)
        .where('last_inspected_on', '<', before)
        .orderBy('last_inspected_on', 'desc').orderBy('name').orderBy('id')
        .execute()
    },

    /** Read only: the link notes module owns these; preparation shows the newest. */
    linkNotes(authorityCode: string, limit: number): Promise<LinkNoteSummary[]> {
      return db.selectFrom('link_note').select(['id', 'noted_on', 'kind', 'title', 'body'])
        .where('authority_code', '=', authorityCode)
        .orderBy('noted_on', 'desc').orderBy('id', 'desc')
        .limit(limit)
        .execute()
    },

    /** Read only: the focus areas module owns these. Withdrawn ones are left out. */
    focusAreaTitles(elvId: number): Promise<Array<{ id: number; title: string }>> {
      return db.selectFrom('focus_area').select(['id', 'title'])
        .where('elv_id', '=', elvId).where('withdrawn_at', 'is', null)
        .orderBy('position').orderBy('id')
        .execute()
    },
  }
}

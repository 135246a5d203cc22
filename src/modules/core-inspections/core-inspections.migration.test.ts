import { describe, expect, it } from 'vitest'
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely'
import { connectDatabase } from '../../db/connect.ts'
import type { Database } from '../../db/database.ts'
import { foundation } from '../../db/migrations/0001_foundation.ts'
import { visits } from '../../db/migrations/0002_visits.ts'
import { evidence } from '../../db/migrations/0003_evidence.ts'
import { letters } from '../../db/migrations/0004_letters.ts'
import { planning } from '../../db/migrations/0005_planning.ts'
import { coreInspections } from '../../db/migrations/0006_core_inspections.ts'
import { testEngines, uniqueSchemaName } from '../../../test/helpers/engines.ts'

const NOW = '2024-03-01T00:00:00.000Z'

function migratorFor(database: Database) {
  const all = { '0001_foundation': foundation, '0002_visits': visits, '0003_evidence': evidence, '0004_letters': letters, '0005_planning': planning, '0006_core_inspections': coreInspections }
  const provider: MigrationProvider = {
    getMigrations: async () => Object.fromEntries(Object.entries(all).map(([name, make]) => [name, make(database.engine)])) as Record<string, Migration>,
  }
  return new Migrator({ db: database.db, provider, ...(database.schema ? { migrationTableSchema: database.schema } : {}) })
}

for (const engine of testEngines()) {
  describe(`migration 0006 on ${engine.name}`, () => {
    it('keeps the core inspections and recommendations recorded before it, and the focus areas citing them', async () => {
      const database = await connectDatabase({ dataDir: '/tmp', sqliteFile: ':memory:', databaseUrl: engine.url, ...(engine.url ? { pgSchema: uniqueSchemaName('mig') } : {}) })
      try {
        const migrator = migratorFor(database)
        expect((await migrator.migrateTo('0005_planning')).error).toBeUndefined()
        // As the tables were then: written without the types of today.
        const db = database.db as unknown as Kysely<Record<string, Record<string, unknown>>>
        await db.insertInto('local_authority').values({ gss_code: 'W06000008', name_en: 'Ceredigion', name_cy: 'Ceredigion', updated_at: NOW }).execute()
        await db.insertInto('framework').values({ key: 'lges-2024', name_en: 'F', name_cy: 'F', effective_from: '2024-09-01', updated_at: NOW }).execute()
        await db.insertInto('academic_year').values({ key: '2026-2027', starts_on: '2026-09-01', ends_on: '2027-08-31' }).execute()
        await db.insertInto('term').values({ key: '2026-2027/spring', academic_year: '2026-2027', season: 'spring', starts_on: '2027-01-04', ends_on: '2027-03-26', updated_at: NOW }).execute()
        await db.insertInto('core_inspection').values({ id: 7, authority_code: 'W06000008', academic_year: '2023-2024', framework_key: 'lges-2024', starts_on: '2024-01-15', ends_on: '2024-01-19', report_url: null, created_at: NOW }).execute()
        await db.insertInto('core_recommendation').values({ id: 3, core_inspection_id: 7, code: 'R1', text_en: 'Improve attendance', text_cy: 'Gwella presenoldeb' }).execute()
        await db.insertInto('elv').values({ id: 1, authority_code: 'W06000008', cycle: '2024-2030', ordinal: 1, term_key: '2026-2027/spring', state: 'planned', created_at: NOW, updated_at: NOW }).execute()
        await db.insertInto('focus_area').values({ elv_id: 1, position: 1, title: 'R1', description: 'd', source: 'core_recommendation', recommendation_id: 3, proposed_by_side: 'inspectorate', proposed_at: NOW }).execute()

        const { error, results } = await migrator.migrateToLatest()
        expect(error).toBeUndefined()
        expect(results?.map((r) => r.migrationName)).toEqual(['0006_core_inspections'])

        expect(await database.db.selectFrom('core_inspection').selectAll().execute()).toEqual([{
          id: 7, authority_code: 'W06000008', academic_year: '2023-2024', framework_key: 'lges-2024', starts_on: '2024-01-15', ends_on: '2024-01-19',
          report_url: null, medium: null, version: 1, created_at: NOW, updated_at: NOW,
        }])
        expect(await database.db.selectFrom('core_recommendation').selectAll().execute()).toEqual([
          { id: 3, core_inspection_id: 7, code: 'R1', text_en: 'Improve attendance', text_cy: 'Gwella presenoldeb', lang: 'en', position: 0 },
        ])
        expect((await database.db.selectFrom('focus_area').select('recommendation_id').execute())).toEqual([{ recommendation_id: 3 }])

        // The framework and dates may now be left out; the authority and year identify an inspection; foreign keys still hold.
        await database.db.insertInto('core_inspection').values({ authority_code: 'W06000008', academic_year: '2022-2023', framework_key: null, starts_on: null, ends_on: null, report_url: null, created_at: NOW }).execute()
        await expect(database.db.insertInto('core_inspection').values({ authority_code: 'W06000008', academic_year: '2022-2023', framework_key: null, starts_on: null, ends_on: null, report_url: null, created_at: NOW }).execute()).rejects.toThrow()
        await expect(database.db.insertInto('core_inspection').values({ authority_code: 'W06000099', academic_year: '2021-2022', framework_key: null, starts_on: null, ends_on: null, report_url: null, created_at: NOW }).execute()).rejects.toThrow()
        await expect(database.db.deleteFrom('core_inspection').where('id', '=', 7).execute()).rejects.toThrow()
        if (engine.name === 'sqlite') expect((await sql`pragma foreign_keys`.execute(database.db)).rows).toEqual([{ foreign_keys: 1 }])
      } finally {
        await database.close()
      }
    })
  })
}

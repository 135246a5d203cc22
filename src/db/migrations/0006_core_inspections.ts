import { sql, type Kysely, type Migration } from 'kysely'
import type { Engine } from '../database.ts'
import { idColumn } from './0001_foundation.ts'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was, not today's types
type AnyDb = Kysely<any>

/**
 * Core inspections as full records: what went well and what needs to improve (findings), the
 * recommendations with their themes, and effective practice, each text kept in the language it
 * was written in. An inspection is identified by its authority and academic year, so that
 * importing the same bundle twice changes nothing.
 */
export function coreInspections(engine: Engine): Migration {
  const id = idColumn(engine)
  return {
    async up(db: AnyDb) {
      // A historic inspection may be recorded before its framework or dates are known.
      if (engine === 'sqlite') await rebuildSqliteCoreInspection(db)
      else {
        for (const column of ['framework_key', 'starts_on', 'ends_on']) {
          await db.schema.alterTable('core_inspection').alterColumn(column, (c) => c.dropNotNull()).execute()
        }
        await db.schema.alterTable('core_inspection').addColumn('medium', 'text', (c) => c.check(sql`medium in ('welsh', 'english', 'bilingual')`)).execute()
        await db.schema.alterTable('core_inspection').addColumn('version', 'integer', (c) => c.notNull().defaultTo(1)).execute()
        // Null until the record is changed by the service (rows written elsewhere may not set it).
        await db.schema.alterTable('core_inspection').addColumn('updated_at', 'text').execute()
        await db.updateTable('core_inspection').set({ updated_at: sql`created_at` }).execute()
      }
      await db.schema.createIndex('core_inspection_identity').on('core_inspection').columns(['authority_code', 'academic_year']).unique().execute()
      await db.schema.createIndex('core_inspection_year').on('core_inspection').column('academic_year').execute()

      // `code` is the recommendation's reference as published (R1, R2 ...).
      await db.schema.alterTable('core_recommendation').addColumn('position', 'integer', (c) => c.notNull().defaultTo(0)).execute()
      await db.schema.alterTable('core_recommendation').addColumn('lang', 'text', (c) => c.notNull().defaultTo('en').check(sql`lang in ('en', 'cy')`)).execute()
      await db.schema.createTable('core_recommendation_theme')
        .addColumn('recommendation_id', 'integer', (c) => c.notNull().references('core_recommendation.id').onDelete('cascade'))
        .addColumn('theme_id', 'integer', (c) => c.notNull().references('theme.id'))
        .addPrimaryKeyConstraint('core_recommendation_theme_pk', ['recommendation_id', 'theme_id'])
        .execute()
      await db.schema.createIndex('core_recommendation_theme_theme').on('core_recommendation_theme').column('theme_id').execute()

      await db.schema.createTable('core_finding')
        .addColumn('id', 'integer', id)
        .addColumn('core_inspection_id', 'integer', (c) => c.notNull().references('core_inspection.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        // The area's name as the report writes it; its code when it matched the inspection's framework.
        .addColumn('area', 'text', (c) => c.notNull())
        .addColumn('framework_area_code', 'text')
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('going_well', 'needs_to_improve')`))
        .addColumn('text_en', 'text', (c) => c.notNull())
        .addColumn('text_cy', 'text', (c) => c.notNull())
        .addColumn('lang', 'text', (c) => c.notNull().check(sql`lang in ('en', 'cy')`))
        .execute()
      await db.schema.createIndex('core_finding_inspection').on('core_finding').columns(['core_inspection_id', 'position']).execute()
      await db.schema.createTable('core_finding_theme')
        .addColumn('finding_id', 'integer', (c) => c.notNull().references('core_finding.id').onDelete('cascade'))
        .addColumn('theme_id', 'integer', (c) => c.notNull().references('theme.id'))
        .addPrimaryKeyConstraint('core_finding_theme_pk', ['finding_id', 'theme_id'])
        .execute()
      await db.schema.createIndex('core_finding_theme_theme').on('core_finding_theme').column('theme_id').execute()

      await db.schema.createTable('core_effective_practice')
        .addColumn('id', 'integer', id)
        .addColumn('core_inspection_id', 'integer', (c) => c.notNull().references('core_inspection.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('area', 'text', (c) => c.notNull())
        .addColumn('framework_area_code', 'text')
        // The report's question the practice answers, and the practice, in `lang` and (when recorded) the other language.
        .addColumn('question_en', 'text', (c) => c.notNull())
        .addColumn('question_cy', 'text', (c) => c.notNull())
        .addColumn('text_en', 'text', (c) => c.notNull())
        .addColumn('text_cy', 'text', (c) => c.notNull())
        .addColumn('lang', 'text', (c) => c.notNull().check(sql`lang in ('en', 'cy')`))
        .execute()
      await db.schema.createIndex('core_effective_practice_inspection').on('core_effective_practice').columns(['core_inspection_id', 'position']).execute()
    },
    async down(db: AnyDb) {
      for (const t of ['core_effective_practice', 'core_finding_theme', 'core_finding', 'core_recommendation_theme']) await db.schema.dropTable(t).execute()
      await db.schema.alterTable('core_recommendation').dropColumn('lang').execute()
      await db.schema.alterTable('core_recommendation').dropColumn('position').execute()
      await db.schema.dropIndex('core_inspection_year').execute()
      await db.schema.dropIndex('core_inspection_identity').execute()
      for (const column of ['updated_at', 'version', 'medium']) await db.schema.alterTable('core_inspection').dropColumn(column).execute()
      // Framework and dates stay optional on the way down: requiring them again could fail on the rows recorded since.
    },
  }
}

/**
 * SQLite cannot drop NOT NULL in place, so the table is rebuilt (SQLite's documented twelve-step
 * way): a new table, the rows copied with their ids, the old table dropped and the new one renamed.
 * Foreign keys are off meanwhile, so dropping the old table does not cascade to the
 * recommendations that point at it; they point at the new table once it has the old one's name.
 * Kysely runs SQLite migrations outside a transaction, which is what lets the pragma take effect.
 */
async function rebuildSqliteCoreInspection(db: AnyDb): Promise<void> {
  await sql`pragma foreign_keys = off`.execute(db)
  try {
    await db.transaction().execute(async (trx) => {
      await trx.schema.createTable('core_inspection_rebuilt')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('authority_code', 'text', (c) => c.notNull().references('local_authority.gss_code'))
        .addColumn('academic_year', 'text', (c) => c.notNull())
        .addColumn('framework_key', 'text', (c) => c.references('framework.key'))
        .addColumn('starts_on', 'text')
        .addColumn('ends_on', 'text')
        .addColumn('report_url', 'text')
        .addColumn('medium', 'text', (c) => c.check(sql`medium in ('welsh', 'english', 'bilingual')`))
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text')
        .execute()
      await sql`insert into core_inspection_rebuilt (id, authority_code, academic_year, framework_key, starts_on, ends_on, report_url, medium, version, created_at, updated_at)
        select id, authority_code, academic_year, framework_key, starts_on, ends_on, report_url, null, 1, created_at, created_at from core_inspection`.execute(trx)
      await trx.schema.dropTable('core_inspection').execute()
      await trx.schema.alterTable('core_inspection_rebuilt').renameTo('core_inspection').execute()
      const broken = await sql`pragma foreign_key_check`.execute(trx)
      if (broken.rows.length) throw new Error(`rebuilding core_inspection left ${broken.rows.length} broken foreign keys`)
    })
  } finally {
    await sql`pragma foreign_keys = on`.execute(db)
  }
}

import { sql, type Kysely, type Migration } from 'kysely'
import type { Engine } from '../database.ts'
import { idColumn } from './0001_foundation.ts'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was, not today's types
type AnyDb = Kysely<any>

/** The evidence log, its files and search index, findings with their evidence, and the managed list of themes. */
export function evidence(engine: Engine): Migration {
  const id = idColumn(engine)
  return {
    async up(db: AnyDb) {
      // Themes tag evidence, findings and link notes. A merged theme keeps its row (and key) and points at the one it became.
      await db.schema.createTable('theme')
        .addColumn('id', 'integer', id)
        .addColumn('key', 'text', (c) => c.notNull().unique())
        .addColumn('label_en', 'text', (c) => c.notNull())
        .addColumn('label_cy', 'text', (c) => c.notNull())
        .addColumn('merged_into_id', 'integer', (c) => c.references('theme.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()

      await db.schema.createTable('evidence')
        .addColumn('id', 'integer', id)
        .addColumn('elv_id', 'integer', (c) => c.notNull().references('elv.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('meeting_note', 'authority_document', 'provider_inspection', 'data', 'link_intelligence')`))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('meeting_id', 'integer', (c) => c.references('meeting.id').onDelete('set null'))
        .addColumn('gathered_on', 'text', (c) => c.notNull())
        // When it was first recorded: never changed by an edit.
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .addColumn('recorded_by', 'integer', (c) => c.references('app_user.id'))
        // Recorded by the authority itself: the only evidence its users may read.
        .addColumn('from_authority', 'integer', (c) => c.notNull().defaultTo(0))
        // Brought in from elsewhere in the app ('link_note' or 'provider'), keeping the link.
        .addColumn('origin_type', 'text', (c) => c.check(sql`origin_type in ('link_note', 'provider')`))
        .addColumn('origin_id', 'integer')
        // A key the recording page makes once per new item, so a first save sent twice (a lost reply,
        // a double click) records one item, not two.
        .addColumn('draft_key', 'text')
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'integer', (c) => c.references('app_user.id'))
        .execute()
      await db.schema.createIndex('evidence_elv').on('evidence').columns(['elv_id', 'gathered_on']).execute()
      await db.schema.createIndex('evidence_draft').on('evidence').columns(['elv_id', 'draft_key']).unique()
        .where(sql.ref('draft_key'), 'is not', null).execute()
      await db.schema.createIndex('evidence_origin').on('evidence').columns(['elv_id', 'origin_type', 'origin_id']).unique()
        .where(sql.ref('origin_type'), 'is not', null).execute()

      await db.schema.createTable('evidence_focus_area')
        .addColumn('evidence_id', 'integer', (c) => c.notNull().references('evidence.id').onDelete('cascade'))
        .addColumn('focus_area_id', 'integer', (c) => c.notNull().references('focus_area.id').onDelete('cascade'))
        .addPrimaryKeyConstraint('evidence_focus_area_pk', ['evidence_id', 'focus_area_id'])
        .execute()
      await db.schema.createIndex('evidence_focus_area_fa').on('evidence_focus_area').column('focus_area_id').execute()
      await db.schema.createTable('evidence_theme')
        .addColumn('evidence_id', 'integer', (c) => c.notNull().references('evidence.id').onDelete('cascade'))
        .addColumn('theme_id', 'integer', (c) => c.notNull().references('theme.id'))
        .addPrimaryKeyConstraint('evidence_theme_pk', ['evidence_id', 'theme_id'])
        .execute()
      await db.schema.createIndex('evidence_theme_theme').on('evidence_theme').column('theme_id').execute()

      // A stored file: its bytes live in the file store under `storage_key`, never under its own name.
      await db.schema.createTable('evidence_file')
        .addColumn('id', 'integer', id)
        .addColumn('evidence_id', 'integer', (c) => c.notNull().references('evidence.id').onDelete('cascade'))
        .addColumn('storage_key', 'text', (c) => c.notNull().unique())
        .addColumn('file_name', 'text', (c) => c.notNull())
        .addColumn('media_type', 'text', (c) => c.notNull())
        .addColumn('size_bytes', 'integer', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('extracted_text', 'text')
        .addColumn('uploaded_by', 'integer', (c) => c.references('app_user.id'))
        .addColumn('uploaded_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('evidence_file_evidence').on('evidence_file').column('evidence_id').execute()

      await db.schema.createTable('finding')
        .addColumn('id', 'integer', id)
        .addColumn('elv_id', 'integer', (c) => c.notNull().references('elv.id').onDelete('cascade'))
        .addColumn('focus_area_id', 'integer', (c) => c.notNull().references('focus_area.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('working_well', 'improvement')`))
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('created_by', 'integer', (c) => c.references('app_user.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .execute()
      await db.schema.createIndex('finding_elv').on('finding').columns(['elv_id', 'focus_area_id']).execute()
      await db.schema.createTable('finding_evidence')
        .addColumn('finding_id', 'integer', (c) => c.notNull().references('finding.id').onDelete('cascade'))
        .addColumn('evidence_id', 'integer', (c) => c.notNull().references('evidence.id').onDelete('cascade'))
        .addPrimaryKeyConstraint('finding_evidence_pk', ['finding_id', 'evidence_id'])
        .execute()
      await db.schema.createIndex('finding_evidence_evidence').on('finding_evidence').column('evidence_id').execute()
      await db.schema.createTable('finding_theme')
        .addColumn('finding_id', 'integer', (c) => c.notNull().references('finding.id').onDelete('cascade'))
        .addColumn('theme_id', 'integer', (c) => c.notNull().references('theme.id'))
        .addPrimaryKeyConstraint('finding_theme_pk', ['finding_id', 'theme_id'])
        .execute()

      // The search index holds each item's words already folded (lower case, no accents, one space between),
      // so both engines match the same words. Ordered by evidence id, newest first, on both.
      if (engine === 'sqlite') {
        await sql`create virtual table evidence_search using fts5(words, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0')`.execute(db)
      } else {
        await db.schema.createTable('evidence_search')
          .addColumn('evidence_id', 'integer', (c) => c.primaryKey().references('evidence.id').onDelete('cascade'))
          .addColumn('words', sql`tsvector`, (c) => c.notNull())
          .execute()
        await sql`create index evidence_search_words on evidence_search using gin (words)`.execute(db)
      }
    },
    async down(db: AnyDb) {
      await db.schema.dropTable('evidence_search').execute()
      for (const t of ['finding_theme', 'finding_evidence', 'finding', 'evidence_file', 'evidence_theme', 'evidence_focus_area', 'evidence', 'theme']) {
        await db.schema.dropTable(t).execute()
      }
    },
  }
}

import { sql, type Kysely, type Migration } from 'kysely'
import type { Engine } from '../database.ts'
import { idColumn } from './0001_foundation.ts'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was, not today's types
type AnyDb = Kysely<any>

/** The feedback letter: its sections and paragraphs in both languages, revisions, review comments, issued files, writing rules. */
export function letters(engine: Engine): Migration {
  const id = idColumn(engine)
  return {
    async up(db: AnyDb) {
      await db.schema.createTable('letter')
        .addColumn('id', 'integer', id)
        .addColumn('elv_id', 'integer', (c) => c.notNull().unique().references('elv.id').onDelete('cascade'))
        .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('draft', 'in_review', 'approved', 'issued')`))
        .addColumn('letter_date', 'text')
        .addColumn('submitted_at', 'text')
        .addColumn('submitted_by', 'integer', (c) => c.references('app_user.id'))
        .addColumn('approved_at', 'text')
        .addColumn('approved_by', 'integer', (c) => c.references('app_user.id'))
        .addColumn('issued_at', 'text')
        .addColumn('issued_by', 'integer', (c) => c.references('app_user.id'))
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()

      await db.schema.createTable('letter_section')
        .addColumn('id', 'integer', id)
        .addColumn('letter_id', 'integer', (c) => c.notNull().references('letter.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        // Stable across rebuilds: 'opening', 'purpose', 'visit', 'focus:<focus area id>', 'closing'.
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('focus_area_id', 'integer', (c) => c.references('focus_area.id').onDelete('set null'))
        .addColumn('heading_en', 'text', (c) => c.notNull())
        .addColumn('heading_cy', 'text', (c) => c.notNull())
        // Changed by an inspector since it was built: a rebuild keeps it unless asked not to.
        .addColumn('edited', 'integer', (c) => c.notNull().defaultTo(0))
        // Which language was written last, and whether the other has been brought up to date with it.
        .addColumn('en_revised_at', 'text')
        .addColumn('cy_revised_at', 'text')
        .addColumn('translation_current', 'integer', (c) => c.notNull().defaultTo(1))
        .addUniqueConstraint('letter_section_key', ['letter_id', 'key'])
        .execute()

      await db.schema.createTable('letter_paragraph')
        .addColumn('id', 'integer', id)
        .addColumn('section_id', 'integer', (c) => c.notNull().references('letter_section.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('style', 'text', (c) => c.notNull().check(sql`style in ('text', 'bullet')`))
        .addColumn('text_en', 'text', (c) => c.notNull())
        .addColumn('text_cy', 'text', (c) => c.notNull())
        // JSON array of the finding ids the paragraph was drawn from.
        .addColumn('finding_ids', 'text', (c) => c.notNull().defaultTo('[]'))
        // Template wording (greeting, purpose, closing): not the inspectors' own words, so not checked.
        .addColumn('fixed', 'integer', (c) => c.notNull().defaultTo(0))
        .execute()
      await db.schema.createIndex('letter_paragraph_section').on('letter_paragraph').columns(['section_id', 'position']).execute()

      // Every saved state of the letter, whole, so any two can be compared.
      await db.schema.createTable('letter_revision')
        .addColumn('id', 'integer', id)
        .addColumn('letter_id', 'integer', (c) => c.notNull().references('letter.id').onDelete('cascade'))
        .addColumn('number', 'integer', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('snapshot', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('created_by', 'integer', (c) => c.references('app_user.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('letter_revision_number', ['letter_id', 'number'])
        .execute()

      await db.schema.createTable('letter_comment')
        .addColumn('id', 'integer', id)
        .addColumn('letter_id', 'integer', (c) => c.notNull().references('letter.id').onDelete('cascade'))
        .addColumn('revision_number', 'integer', (c) => c.notNull())
        .addColumn('section_key', 'text')
        .addColumn('paragraph_id', 'integer')
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('author_id', 'integer', (c) => c.references('app_user.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('letter_comment_letter').on('letter_comment').columns(['letter_id', 'revision_number']).execute()

      // The issued files, stored unchanged, each with its checksum.
      await db.schema.createTable('letter_file')
        .addColumn('id', 'integer', id)
        .addColumn('letter_id', 'integer', (c) => c.notNull().references('letter.id').onDelete('cascade'))
        .addColumn('format', 'text', (c) => c.notNull().check(sql`format in ('pdf', 'docx', 'html')`))
        .addColumn('lang', 'text', (c) => c.notNull().check(sql`lang in ('en', 'cy', 'both')`))
        .addColumn('storage_key', 'text', (c) => c.notNull().unique())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('size_bytes', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('letter_file_once', ['letter_id', 'format', 'lang'])
        .execute()

      // Mail may carry stored files (the issued letter): JSON [{ storageKey, fileName, contentType }].
      await db.schema.alterTable('outbox').addColumn('attachments', 'text').execute()

      // The writing checks are data: built-in rules are seeded, admins add their own.
      await db.schema.createTable('writing_rule')
        .addColumn('id', 'integer', id)
        .addColumn('code', 'text', (c) => c.notNull().unique())
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('grade_word', 'follow_up', 'quantity', 'sentence_length', 'phrase')`))
        .addColumn('lang', 'text', (c) => c.notNull().check(sql`lang in ('en', 'cy', 'both')`))
        // A word or phrase (matched as whole words, any case), a quantity word, or a number (sentence length).
        .addColumn('pattern', 'text', (c) => c.notNull())
        .addColumn('message_en', 'text', (c) => c.notNull())
        .addColumn('message_cy', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('built_in', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()
    },
    async down(db: AnyDb) {
      await db.schema.alterTable('outbox').dropColumn('attachments').execute()
      for (const t of ['writing_rule', 'letter_file', 'letter_comment', 'letter_revision', 'letter_paragraph', 'letter_section', 'letter']) {
        await db.schema.dropTable(t).execute()
      }
    },
  }
}

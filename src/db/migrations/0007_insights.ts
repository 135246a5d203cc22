import type { Kysely, Migration } from 'kysely'
import type { Engine } from '../database.ts'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was, not today's types
type AnyDb = Kysely<any>

/** Early Insights: a reviewer's wording of a generated point, kept beside it, and the year's publication. */
export function insights(engine: Engine): Migration {
  void engine
  return {
    async up(db: AnyDb) {
      await db.schema.createTable('insights_edit')
        .addColumn('academic_year', 'text', (c) => c.notNull())
        .addColumn('lang', 'text', (c) => c.notNull())
        // The point's stable key (`area|kind|theme`, `recommendation|theme`): the edit follows its point when the summary is generated again.
        .addColumn('point_key', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        // The generated sentence the reviewer saw, so a change in the records underneath can be noticed.
        .addColumn('generated', 'text', (c) => c.notNull())
        .addColumn('edited_by', 'integer', (c) => c.references('app_user.id'))
        .addColumn('edited_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('insights_edit_pk', ['academic_year', 'lang', 'point_key'])
        .execute()
      await db.schema.createTable('insights_publication')
        .addColumn('academic_year', 'text', (c) => c.primaryKey())
        .addColumn('published_by', 'integer', (c) => c.references('app_user.id'))
        .addColumn('published_at', 'text', (c) => c.notNull())
        .execute()
    },
    async down(db: AnyDb) {
      await db.schema.dropTable('insights_publication').execute()
      await db.schema.dropTable('insights_edit').execute()
    },
  }
}

import { sql, type Kysely, type Migration } from 'kysely'
import type { Engine } from '../database.ts'
import { idColumn } from './0001_foundation.ts'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was, not today's types
type AnyDb = Kysely<any>

/** The programme planner: what it needs to know of authorities and inspectors, its proposals, and rule exceptions made by hand. */
export function planning(engine: Engine): Migration {
  const id = idColumn(engine)
  return {
    async up(db: AnyDb) {
      // A Welsh-medium authority's ELV team includes Welsh speakers.
      await db.schema.alterTable('local_authority').addColumn('welsh_medium', 'integer', (c) => c.notNull().defaultTo(0)).execute()
      await db.schema.alterTable('app_user').addColumn('welsh_speaker', 'integer', (c) => c.notNull().defaultTo(0)).execute()
      await db.schema.alterTable('app_user').addColumn('max_elvs_per_term', 'integer', (c) => c.notNull().defaultTo(1)).execute()

      await db.schema.createTable('inspector_unavailability')
        .addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
        .addColumn('term_key', 'text', (c) => c.notNull().references('term.key'))
        .addColumn('reason', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('inspector_unavailability_pk', ['user_id', 'term_key'])
        .execute()

      // A plan the planner proposed: kept so an admin can review it and accept all or part, on any server.
      await db.schema.createTable('plan_proposal')
        .addColumn('id', 'integer', id)
        .addColumn('cycle', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('optimal', 'feasible', 'infeasible')`))
        .addColumn('input', 'text', (c) => c.notNull())
        .addColumn('output', 'text', (c) => c.notNull())
        // What each planned ELV looked like when the plan was made: accepting refuses ones changed since.
        .addColumn('basis', 'text', (c) => c.notNull())
        .addColumn('created_by', 'integer', (c) => c.references('app_user.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema.createTable('plan_proposal_acceptance')
        .addColumn('proposal_id', 'integer', (c) => c.notNull().references('plan_proposal.id').onDelete('cascade'))
        .addColumn('gss_code', 'text', (c) => c.notNull())
        .addColumn('ordinal', 'integer', (c) => c.notNull())
        .addColumn('elv_id', 'integer', (c) => c.notNull().references('elv.id').onDelete('cascade'))
        .addColumn('accepted_by', 'integer', (c) => c.references('app_user.id'))
        .addColumn('accepted_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('plan_proposal_acceptance_pk', ['proposal_id', 'gss_code', 'ordinal'])
        .execute()

      // A planning rule knowingly broken by a manual change, and why: shown beside the breach on the programme.
      await db.schema.createTable('plan_exception')
        .addColumn('id', 'integer', id)
        .addColumn('elv_id', 'integer', (c) => c.notNull().references('elv.id').onDelete('cascade'))
        .addColumn('rule', 'text', (c) => c.notNull())
        .addColumn('breach', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('created_by', 'integer', (c) => c.references('app_user.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('plan_exception_elv').on('plan_exception').column('elv_id').execute()
    },
    async down(db: AnyDb) {
      for (const t of ['plan_exception', 'plan_proposal_acceptance', 'plan_proposal', 'inspector_unavailability']) await db.schema.dropTable(t).execute()
      await db.schema.alterTable('app_user').dropColumn('max_elvs_per_term').execute()
      await db.schema.alterTable('app_user').dropColumn('welsh_speaker').execute()
      await db.schema.alterTable('local_authority').dropColumn('welsh_medium').execute()
    },
  }
}

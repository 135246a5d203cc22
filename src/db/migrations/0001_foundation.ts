import { sql, type ColumnDefinitionBuilder, type Kysely, type Migration } from 'kysely'
import type { Engine } from '../database.ts'

// Migrations see the database as it was when they were written, not today's typed schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>

/** An auto-numbered primary key on either engine. */
export function idColumn(engine: Engine) {
  return (c: ColumnDefinitionBuilder) =>
    engine === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity()
}

export function foundation(engine: Engine): Migration {
  const id = idColumn(engine)
  return {
    async up(db: AnyDb) {
      await db.schema.createTable('local_authority')
        .addColumn('gss_code', 'text', (c) => c.primaryKey())
        .addColumn('name_en', 'text', (c) => c.notNull())
        .addColumn('name_cy', 'text', (c) => c.notNull())
        .addColumn('director_name', 'text')
        .addColumn('director_email', 'text')
        .addColumn('preferred_language', 'text', (c) => c.notNull().defaultTo('cy').check(sql`preferred_language in ('en', 'cy')`))
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()

      await db.schema.createTable('academic_year')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('starts_on', 'text', (c) => c.notNull())
        .addColumn('ends_on', 'text', (c) => c.notNull())
        .execute()

      await db.schema.createTable('term')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('academic_year', 'text', (c) => c.notNull().references('academic_year.key'))
        .addColumn('season', 'text', (c) => c.notNull().check(sql`season in ('autumn', 'spring', 'summer')`))
        .addColumn('starts_on', 'text', (c) => c.notNull())
        .addColumn('ends_on', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('term_year_season', ['academic_year', 'season'])
        .execute()

      await db.schema.createTable('framework')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('name_en', 'text', (c) => c.notNull())
        .addColumn('name_cy', 'text', (c) => c.notNull())
        .addColumn('effective_from', 'text', (c) => c.notNull())
        .addColumn('effective_to', 'text')
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()

      await db.schema.createTable('framework_area')
        .addColumn('id', 'integer', id)
        .addColumn('framework_key', 'text', (c) => c.notNull().references('framework.key').onDelete('cascade'))
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('parent_code', 'text')
        .addColumn('name_en', 'text', (c) => c.notNull())
        .addColumn('name_cy', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addUniqueConstraint('framework_area_code', ['framework_key', 'code'])
        .execute()

      await db.schema.createTable('app_user')
        .addColumn('id', 'integer', id)
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'reviewer', 'hmi', 'peer', 'la')`))
        .addColumn('authority_code', 'text', (c) => c.references('local_authority.gss_code'))
        .addColumn('password_hash', 'text')
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        // A peer inspector or an authority user always belongs to one authority.
        .addCheckConstraint('app_user_authority', sql`(role in ('peer', 'la')) = (authority_code is not null)`)
        .execute()

      await db.schema.createTable('user_session')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('user_session_user').on('user_session').column('user_id').execute()

      await db.schema.createTable('sign_in_attempt')
        .addColumn('email_key', 'text', (c) => c.primaryKey())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('first_failure_at', 'text', (c) => c.notNull())
        .addColumn('locked_until', 'text')
        .execute()

      await db.schema.createTable('api_token')
        .addColumn('id', 'integer', id)
        .addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text')
        .addColumn('revoked_at', 'text')
        .execute()

      await db.schema.createTable('audit_event')
        .addColumn('id', 'integer', id)
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'integer')
        .addColumn('actor_label', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('entity_type', 'text', (c) => c.notNull())
        .addColumn('entity_id', 'text', (c) => c.notNull())
        .addColumn('details', 'text', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('audit_event_at').on('audit_event').column('at').execute()
      await db.schema.createIndex('audit_event_entity').on('audit_event').columns(['entity_type', 'entity_id']).execute()
    },
    async down(db: AnyDb) {
      for (const table of ['audit_event', 'api_token', 'sign_in_attempt', 'user_session', 'app_user',
        'framework_area', 'framework', 'term', 'academic_year', 'local_authority']) {
        await db.schema.dropTable(table).execute()
      }
    },
  }
}

import { sql } from 'kysely'
import type { Config } from './config.ts'
import type { Database } from './db/database.ts'
import { migrateToLatest } from './db/migrate.ts'
import type { Services } from './services.ts'
import { systemActor } from './modules/auth/actor.ts'

export interface Bootstrapped {
  /** Set when this start created the first admin account. */
  firstAdmin?: { email: string; password: string | null }
}

/**
 * Brings a database up to date: schema, reference data (idempotent), and on an empty database
 * one admin account. Safe to run from every start and every CLI command, even side by side.
 */
export async function bootstrap(services: Services, config: Pick<Config, 'admin'>): Promise<Bootstrapped> {
  return oneAtATime(services.database, () => bringUpToDate(services, config))
}

async function bringUpToDate(services: Services, config: Pick<Config, 'admin'>): Promise<Bootstrapped> {
  const migrations = await migrateToLatest(services.database)
  const added = await services.reference.ensureSeeded() + await services.themes.ensureSeeded() + await services.writingChecks.ensureSeeded()
  // A write like any other, so it is recorded: other running servers then build their kept pages
  // and caches afresh (they check the audit log's change stamp), as after any change.
  if (migrations.length || added) {
    await services.audit.record(services.database.db, systemActor('start'), 'database.upgrade', { type: 'database', id: 0 }, { migrations, referenceRowsAdded: added })
  }
  if ((await services.users.count()) > 0) return {}
  const email = config.admin.email ?? 'admin@cyswllt.invalid'
  const { password } = await services.users.create(systemActor('first start'), {
    email,
    name: 'Administrator',
    role: 'admin',
    password: config.admin.password,
  })
  return { firstAdmin: { email, password } }
}

/**
 * On PostgreSQL, app servers started together over an empty database would each count no users
 * and try to create the first admin: a session advisory lock (per database and schema) makes them
 * take turns. It is released with the connection if the process dies. SQLite has one server.
 */
async function oneAtATime<T>(database: Database, work: () => Promise<T>): Promise<T> {
  if (database.engine !== 'postgres') return work()
  const key = `cyswllt.bootstrap.${database.schema ?? ''}`
  return database.db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(hashtext(${key}))`.execute(conn)
    try {
      return await work()
    } finally {
      await sql`select pg_advisory_unlock(hashtext(${key}))`.execute(conn)
    }
  })
}

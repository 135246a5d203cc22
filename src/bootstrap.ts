import type { Config } from './config.ts'
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
  await migrateToLatest(services.database)
  await services.reference.ensureSeeded()
  await services.themes.ensureSeeded()
  await services.writingChecks.ensureSeeded()
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

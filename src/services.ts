import type { Config } from './config.ts'
import type { Database } from './db/database.ts'
import { systemClock, type Clock } from './clock.ts'
import { I18n } from './i18n/catalogue.ts'
import { AuditService } from './modules/audit/audit.service.ts'
import { AuthService } from './modules/auth/auth.service.ts'
import { ReferenceService } from './modules/reference/reference.service.ts'
import { UsersService } from './modules/users/users.service.ts'

/** Every service the routes and the CLI use, built once over one database. Tests build their own. */
export interface Services {
  database: Database
  clock: Clock
  i18n: I18n
  audit: AuditService
  auth: AuthService
  users: UsersService
  reference: ReferenceService
}

export function createServices(database: Database, config: Pick<Config, 'sessionHours' | 'signIn'>, clock: Clock = systemClock): Services {
  const audit = new AuditService(database.db, clock)
  return {
    database,
    clock,
    i18n: new I18n(),
    audit,
    auth: new AuthService(database, audit, clock, config),
    users: new UsersService(database, audit, clock),
    reference: new ReferenceService(database, audit, clock),
  }
}

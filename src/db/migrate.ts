import { Migrator, type Migration, type MigrationProvider } from 'kysely'
import type { Database, Engine } from './database.ts'
import { foundation } from './migrations/0001_foundation.ts'
import { visits } from './migrations/0002_visits.ts'
import { evidence } from './migrations/0003_evidence.ts'
import { letters } from './migrations/0004_letters.ts'
import { planning } from './migrations/0005_planning.ts'
import { coreInspections } from './migrations/0006_core_inspections.ts'
import { insights } from './migrations/0007_insights.ts'

/** Every migration in order. A migration is a function of the engine, for the few types that differ. */
const migrations: Record<string, (engine: Engine) => Migration> = {
  '0001_foundation': foundation,
  '0002_visits': visits,
  '0003_evidence': evidence,
  '0004_letters': letters,
  '0005_planning': planning,
  '0006_core_inspections': coreInspections,
  '0007_insights': insights,
}

/** The names of this code's migrations, in order: a database with one not listed was made by a newer version. */
export const MIGRATION_NAMES: readonly string[] = Object.keys(migrations)

class CodeMigrationProvider implements MigrationProvider {
  constructor(private readonly engine: Engine) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return Object.fromEntries(Object.entries(migrations).map(([name, make]) => [name, make(this.engine)]))
  }
}

export async function migrateToLatest(database: Database): Promise<string[]> {
  const migrator = new Migrator({
    db: database.db,
    provider: new CodeMigrationProvider(database.engine),
    // Kysely looks for its bookkeeping tables across schemas unless told which one is ours.
    ...(database.schema ? { migrationTableSchema: database.schema } : {}),
  })
  const { error, results } = await migrator.migrateToLatest()
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName
    throw new Error(`database migration ${failed ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`)
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}

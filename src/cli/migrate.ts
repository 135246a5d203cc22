import { defineCommand } from './command.ts'
import { withServices } from './context.ts'

export const migrate = defineCommand({
  name: 'migrate',
  summary: 'Bring the database up to date: apply any new migrations and add missing reference data.',
  details: ['The server does this on every start too; run it by hand before starting a new version, or to set up an empty database.'],
  options: {},
  async run(_values, io) {
    let applied: string[] = []
    return withServices(io, async (services) => {
      const where = services.database.engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'
      io.out(applied.length ? `Applied ${applied.join(', ')} to the ${where} database.` : `The ${where} database was already up to date.`)
      return 0
    }, {
      // Migrating before the bootstrap (which would migrate silently) is what lets us say what changed.
      beforeBootstrap: async (services) => {
        const { migrateToLatest } = await import('../db/migrate.ts')
        applied = await migrateToLatest(services.database)
      },
    })
  },
})

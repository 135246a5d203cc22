import { loadConfig } from './config.ts'
import { connectDatabase } from './db/connect.ts'
import { createServices } from './services.ts'
import { bootstrap } from './bootstrap.ts'
import { printFirstAdmin } from './cli/output.ts'
import { startServer } from './start.ts'

/** Starts Cyswllt over the database the environment names. */
async function main(): Promise<void> {
  const config = loadConfig()
  const database = await connectDatabase(config)
  const services = createServices(database, config)
  const boot = await bootstrap(services, config)
  if (boot.firstAdmin) printFirstAdmin(boot.firstAdmin)
  await startServer(config, services)
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? `Cyswllt could not start: ${err.message}` : err)
  process.exit(1)
})

import { loadConfig } from './config.ts'
import { connectDatabase } from './db/connect.ts'
import { createServices } from './services.ts'
import { bootstrap } from './bootstrap.ts'
import { buildApp } from './app.ts'
import { printFirstAdmin } from './cli/output.ts'

/** Starts Cyswllt: listen and shut down gracefully; everything else happens in buildApp. */
async function main(): Promise<void> {
  const config = loadConfig()
  const database = await connectDatabase(config)
  const services = createServices(database, config)
  const boot = await bootstrap(services, config)
  if (boot.firstAdmin) printFirstAdmin(boot.firstAdmin)
  const app = await buildApp(config, services)

  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    app.log.info({ signal }, 'shutting down')
    await app.close()
    await database.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))

  await app.listen({ port: config.port, host: config.host })
  const where = database.engine === 'sqlite' ? `SQLite in ${config.dataDir}` : 'PostgreSQL'
  console.log(`Cyswllt is running at http://localhost:${config.port} (${where})`)
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? `Cyswllt could not start: ${err.message}` : err)
  process.exit(1)
})

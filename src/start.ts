import type { Config } from './config.ts'
import type { Services } from './services.ts'
import { buildApp, type App } from './app.ts'

export interface StartOptions {
  /** Runs after the app and the database have closed on SIGINT/SIGTERM, before the process exits. */
  onStop?: () => void | Promise<void>
}

/**
 * Listens on config.port and shuts down gracefully on SIGINT/SIGTERM, closing the app and then
 * the database. The caller has connected and bootstrapped; everything else happens in buildApp.
 */
export async function startServer(config: Config, services: Services, opts: StartOptions = {}): Promise<App> {
  const { database } = services
  const app = await buildApp(config, services)

  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    app.log.info({ signal }, 'shutting down')
    services.mail.stop()
    await app.close()
    await database.close()
    await opts.onStop?.()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))

  await app.listen({ port: config.port, host: config.host })
  // Mail waits in the outbox until delivered; every app server may deliver (claims prevent doubles).
  services.mail.start(config.mail.intervalSeconds * 1000, (err) => app.log.error({ err }, 'mail delivery failed'))
  const where = database.engine === 'sqlite' ? `SQLite in ${config.dataDir}` : 'PostgreSQL'
  console.log(`Cyswllt is running at http://localhost:${config.port} (${where})`)
  return app
}

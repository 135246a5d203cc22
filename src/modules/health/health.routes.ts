import { sql } from 'kysely'
import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'

/** Liveness (the process answers) and readiness (the database answers), for load balancers. */
export function healthRoutes(app: App, { database }: Services): void {
  app.get('/healthz', async () => ({ status: 'ok' }))
  app.get('/readyz', async (req, reply) => {
    try {
      await sql`select 1`.execute(database.db)
      return { status: 'ok', database: database.engine }
    } catch (err) {
      req.log.error({ err }, 'readiness check failed')
      return reply.code(503).send({ status: 'unavailable', database: database.engine })
    }
  })
}

import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'
import { paths } from '../../http/paths.ts'

export function adminRoutes(app: App, _services: Services): void {
  // The admin area has no page of its own: its sections are in the service navigation.
  app.get('/admin', { preHandler: app.require('admin:users') }, async (_req, reply) => reply.redirect(paths.users()))
}

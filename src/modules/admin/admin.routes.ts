import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'
import { paths } from '../../http/paths.ts'
import { adminSections } from './admin.view.ts'

export function adminRoutes(app: App, _services: Services): void {
  // An index of the admin area, so sections without a place in the service navigation can be found.
  app.get(paths.admin(), { preHandler: app.require('admin:users') }, async (req, reply) =>
    reply.render('admin/views/index.njk', { sections: adminSections(req.actor!, req.t) }))
}

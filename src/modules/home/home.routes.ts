import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'
import { can } from '../auth/permissions.ts'
import { DashboardService } from '../visits/dashboard.service.ts'
import { dashboardView } from '../visits/dashboard.view.ts'
import { homeTasks } from './home.view.ts'

/** The home page is each role's dashboard: their visits, notifications falling due, and their tasks. */
export function homeRoutes(app: App, services: Services): void {
  const { reference } = services
  const dashboards = new DashboardService(services.database, services.visits, services.clock)
  app.get('/', { preHandler: app.require('signed-in'), config: { pageCache: true } }, async (req, reply) => {
    const actor = req.actor!
    const [authority, input] = await Promise.all([
      actor.authorityCode ? reference.getAuthority(actor.authorityCode) : undefined,
      can(actor, 'visits:read') ? dashboards.forActor(actor) : undefined,
    ])
    return reply.render('home/views/home.njk', {
      tasks: homeTasks(actor, req.t),
      dashboard: input ? dashboardView(input, req.t, req.lang) : {},
      canPlan: can(actor, 'visits:plan'),
      authorityName: authority ? (req.lang === 'cy' ? authority.name_cy : authority.name_en) : undefined,
    })
  })
}

import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'
import { homeTasks } from './home.view.ts'

export function homeRoutes(app: App, { reference }: Services): void {
  app.get('/', { preHandler: app.require('signed-in') }, async (req, reply) => {
    const actor = req.actor!
    const authority = actor.authorityCode ? await reference.getAuthority(actor.authorityCode) : undefined
    return reply.render('home/views/home.njk', {
      tasks: homeTasks(actor, req.t),
      authorityName: authority ? (req.lang === 'cy' ? authority.name_cy : authority.name_en) : undefined,
    })
  })
}

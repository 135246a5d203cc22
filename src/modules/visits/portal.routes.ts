import type { FastifyRequest } from 'fastify'
import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'
import { authorityName, elvTabs } from './visits.view.ts'
import { idParam } from '../../http/route-helpers.ts'

const idOf = (req: FastifyRequest) => idParam(req, 'visit')

/**
 * The authority's own view of a visit. The dashboard by role is the home page (home.routes.ts,
 * built by dashboard.view.ts); here is the page where an authority shares documents it already has.
 */
export function portalRoutes(app: App, { visits }: Services): void {
  app.get('/elvs/:id/documents', { preHandler: app.require('evidence:share') }, async (req, reply) => {
    const id = idOf(req)
    // 404 for an ELV the actor may not see (another authority's), before anything else is read.
    const elv = await visits.get(req.actor!, id)
    return reply.render('visits/views/documents.njk', {
      elv,
      title: req.t('visits.title', { authority: authorityName(elv, req.lang), ordinal: req.t(`visits.ordinal.${elv.ordinal}`) }),
      tabs: elvTabs(id, 'documents', req.t),
      isAuthority: req.actor!.role === 'la',
      documents: [],
    })
  })
}

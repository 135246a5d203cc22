import type { FastifyRequest } from 'fastify'
import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'
import { notFound } from '../../http/errors.ts'
import { paths } from '../../http/paths.ts'
import { outboxRow } from '../mail/outbox.view.ts'
import { authorityName } from './visits.view.ts'
import { idParam } from '../../http/route-helpers.ts'

const positiveId = (req: FastifyRequest, what: string) => idParam(req, what)

/** The printable notification letter and the admin's view of the outbox. */
export function notificationRoutes(app: App, services: Services): void {
  const { visits, notifications, mail } = services

  app.get('/elvs/:id/notification', { preHandler: app.require('visits:read') }, async (req, reply) => {
    const id = positiveId(req, 'visit')
    // 404 for anyone who may not see the ELV, and before there is a notification to show.
    const elv = await visits.get(req.actor!, id)
    if (!elv.notified_at) throw notFound('notification letter')
    const letters = await notifications.texts(elv)
    return reply.render('visits/views/notification-letter.njk', {
      elv,
      letters,
      caption: req.t('visits.title', { authority: authorityName(elv, req.lang), ordinal: req.t(`visits.ordinal.${elv.ordinal}`) }),
      backHref: paths.elv(id),
    })
  })

  const plan = { preHandler: app.require('visits:plan') }

  app.get(paths.outbox(), plan, async (req, reply) => {
    const messages = await mail.list(100)
    return reply.render('visits/views/outbox.njk', {
      delivering: mail.delivering,
      rows: messages.map((m) => outboxRow(m, req.t)),
    })
  })

  app.get(`${paths.outbox()}/:id`, plan, async (req, reply) => {
    const message = await mail.get(positiveId(req, 'message'))
    if (!message) throw notFound('message')
    return reply.render('visits/views/outbox-message.njk', {
      delivering: mail.delivering,
      message: outboxRow(message, req.t),
      backHref: paths.outbox(),
    })
  })
}

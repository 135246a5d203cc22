import type { FastifyReply, FastifyRequest } from 'fastify'
import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'
import type { AppError } from '../../http/errors.ts'
import { idParam, isFormError } from '../../http/route-helpers.ts'
import { pageErrors, translateDetail } from '../../http/form-errors.ts'
import { paths } from '../../http/paths.ts'
import { formatDate } from '../../http/web.ts'
import { can } from '../auth/permissions.ts'
import { authorityName, elvSummaryRows, elvTabs, stateTag, termLabel } from './visits.view.ts'

type Form = Record<string, string | undefined>
const idOf = (req: FastifyRequest) => idParam(req, 'visit')

export function visitsRoutes(app: App, services: Services): void {
  const { visits, reference, audit } = services
  const read = { preHandler: app.require('visits:read') }

  app.get(paths.elvs(), read, async (req, reply) => {
    const [elvs, terms] = await Promise.all([visits.list(req.actor!), reference.listTerms()])
    return reply.render('visits/views/list.njk', {
      canPlan: can(req.actor, 'visits:plan'),
      rows: elvs.map((e) => ({
        href: paths.elv(e.id), authority: authorityName(e, req.lang), term: termLabel(e.term_key, terms, req.t),
        ordinal: req.t(`visits.ordinal.${e.ordinal}`), state: stateTag(e.state, req.t), next: req.t(`visits.next.${e.state}`),
        notifyBy: e.notifyBy, late: e.lateNotification,
      })),
    })
  })

  const newForm = async (req: FastifyRequest, reply: FastifyReply, values: Form, error?: AppError) => {
    const [authorities, terms] = await Promise.all([reference.listAuthorities(), reference.listTerms()])
    return reply.render('visits/views/new.njk', {
      values,
      errors: error ? pageErrors(error.details, req.t) : undefined,
      authorities: authorities.map((a) => ({ value: a.gss_code, text: req.lang === 'cy' ? a.name_cy : a.name_en, selected: a.gss_code === values.authority })),
      terms: terms.map((x) => ({ value: x.key, text: termLabel(x.key, terms, req.t), selected: x.key === values.term })),
    }, error ? error.status : 200)
  }

  app.get(paths.newElv(), { preHandler: app.require('visits:plan') }, async (req, reply) => newForm(req, reply, {}))
  app.post(paths.newElv(), { preHandler: app.require('visits:plan') }, async (req, reply) => {
    const form = (req.body ?? {}) as Form
    try {
      const elv = await visits.create(req.actor!, { authority: form.authority, term: form.term })
      return reply.flash('visits.created').redirect(paths.elv(elv.id), 303)
    } catch (e) {
      if (isFormError(e)) return newForm(req, reply, form, e)
      throw e
    }
  })

  const overview = async (req: FastifyRequest, reply: FastifyReply, id: number, error?: AppError, values: Form = {}) => {
    const elv = await visits.get(req.actor!, id)
    const [terms, canWork, blockers, mail] = await Promise.all([
      reference.listTerms(), visits.canWork(req.actor!, elv), visits.blockers(req.actor!, id), services.mail.forEntity('elv', id),
    ])
    const authority = await reference.getAuthority(elv.authority_code)
    return reply.render('visits/views/overview.njk', {
      elv, values,
      title: req.t('visits.title', { authority: authorityName(elv, req.lang), ordinal: req.t(`visits.ordinal.${elv.ordinal}`) }),
      tabs: elvTabs(id, 'overview', req.t),
      state: stateTag(elv.state, req.t),
      summary: elvSummaryRows(elv, terms, req.t, req.lang, (d) => formatDate(d, req.lang)),
      canWork,
      noDirectorEmail: !authority?.director_email,
      mailCount: mail.length,
      nextSteps: blockers.map((b) => ({
        to: b.to,
        label: req.t(`visits.action.${b.to}`),
        needsReason: b.to === 'postponed' || b.to === 'cancelled' || (b.to === 'notified' && elv.lateNotification) || b.to === 'focus_agreed',
        unmet: b.unmet.map((u) => translateDetail(u, req.t)),
      })),
      errors: error ? pageErrors(error.details, req.t) : undefined,
    }, error ? error.status : 200)
  }

  app.get('/elvs/:id', { ...read, config: { pageCache: true } }, async (req, reply) => overview(req, reply, idOf(req)))

  app.post('/elvs/:id/transition', read, async (req, reply) => {
    const id = idOf(req)
    const form = (req.body ?? {}) as Form
    try {
      await visits.transition(req.actor!, id, { to: form.to, reason: form.reason || undefined, version: form.version })
      return reply.flash('visits.moved', { state: req.t(`visits.state.${form.to}`) }).redirect(paths.elv(id), 303)
    } catch (e) {
      if (isFormError(e)) return overview(req, reply, id, e, form)
      throw e
    }
  })

  app.post('/elvs/:id/visit-days', read, async (req, reply) => {
    const id = idOf(req)
    const form = (req.body ?? {}) as Form
    try {
      await visits.setVisitDays(req.actor!, id, form)
      return reply.flash('visits.daysSaved').redirect(paths.elv(id), 303)
    } catch (e) {
      if (isFormError(e)) return overview(req, reply, id, e, form)
      throw e
    }
  })

  app.get('/elvs/:id/history', read, async (req, reply) => {
    const id = idOf(req)
    const elv = await visits.getForInspectorate(req.actor!, id)
    const events = await audit.list({ entityType: 'elv', entityId: String(id) }, { limit: 500, offset: 0 })
    return reply.render('visits/views/history.njk', {
      elv,
      title: req.t('visits.title', { authority: authorityName(elv, req.lang), ordinal: req.t(`visits.ordinal.${elv.ordinal}`) }),
      tabs: elvTabs(id, 'history', req.t),
      events: events.items.map((e) => ({ at: e.at, who: e.actor_label, action: e.action, details: e.details })),
    })
  })
}

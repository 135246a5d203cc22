import type { FastifyReply, FastifyRequest } from 'fastify'
import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'
import type { AppError } from '../../http/errors.ts'
import { idParam, isFormError } from '../../http/route-helpers.ts'
import { pageErrors } from '../../http/form-errors.ts'
import { paths } from '../../http/paths.ts'
import { renderFragment } from '../../http/rendered-fragment.ts'
import { formatDate, formatDateTime } from '../../http/web.ts'
import { can } from '../auth/permissions.ts'
import { authorityName } from '../visits/visits.view.ts'
import { planningApiRoutes } from './planning.api.ts'
import { breachPageErrors, PlanningBreachError, termName } from './planning.breaches.ts'
import type { ProposalView } from './planning.service.ts'
import { conflictItems, moveTermItems, programmeGrid, proposalRows, proposalStatus } from './planning.view.ts'

type Form = Record<string, string | string[] | undefined>

const formOf = (req: FastifyRequest): Form => (req.body && typeof req.body === 'object' ? req.body as Form : {})
const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? v[0] ?? '' : v ?? '')
const many = (v: string | string[] | undefined): string[] => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v])

/** `W06000008:1` from a checkbox, as the service reads a chosen visit. */
export function chosenVisits(values: readonly string[]): Array<{ gssCode: string; ordinal: number | string }> {
  return values.map((v) => {
    const [gssCode = '', ordinal = ''] = v.split(':')
    return { gssCode, ordinal: /^\d+$/.test(ordinal) ? Number(ordinal) : ordinal }
  })
}

export function planningRoutes(app: App, services: Services): void {
  const { planning, visits } = services
  const read = { preHandler: app.require('programme:read') }
  const plan = { preHandler: app.require('visits:plan') }
  planningApiRoutes(app, services)

  // ---- the programme grid -------------------------------------------------------------------------

  app.get(paths.programme(), { ...read, config: { pageCache: true } }, async (req, reply) => {
    const t = req.t
    const canPlan = can(req.actor, 'visits:plan')
    const date = (iso: string) => formatDate(iso, req.lang)
    // The grid (a hundred kilobytes of HTML) depends on the programme, the language and canPlan
    // only: kept rendered while nothing is written. req.t is the translator of req.lang.
    const { view, page: { grid, html } } = await planning.programmePage(req.actor!, req.lang, async (v) => {
      const grid = programmeGrid(v, t, req.lang, { canPlan, formatDate: date })
      return { grid, html: await renderFragment(reply, 'planning/views/_programme-grid.njk', { t, cycle: v.cycle, grid }) }
    })
    return reply.render('planning/views/programme.njk', {
      cycle: view.cycle,
      rules: view.rules,
      currentTermName: view.currentTerm ? termName(view.currentTerm, t) : null,
      firstTermName: termName(view.firstTerm, t),
      grid,
      gridHtml: html,
      canPlan,
      rulesHref: canPlan ? paths.planningRules() : null,
      proposeAction: paths.proposals(),
      proposals: view.proposals.map((p) => ({
        href: paths.proposal(p.id),
        text: t('planning.programme.proposals.item', { id: p.id, date: formatDateTime(p.createdAt, req.lang), status: t(`planning.proposal.status.${p.status}`) }),
      })),
    })
  })

  // ---- proposals ----------------------------------------------------------------------------------

  app.post(paths.proposals(), plan, async (req, reply) => {
    const id = await planning.propose(req.actor!)
    return reply.flash('planning.programme.flash.proposed', { id }).redirect(paths.proposal(id), 303)
  })

  const proposalPage = async (req: FastifyRequest, reply: FastifyReply, id: number, failed?: { error: AppError; checked: string[] }) => {
    const t = req.t
    const proposal: ProposalView = await planning.proposal(req.actor!, id)
    const date = (iso: string) => formatDate(iso, req.lang)
    const rows = proposalRows(proposal, t, req.lang, { formatDate: date, checked: failed?.checked })
    const errors = failed ? pageErrors(failed.error.details, t) : undefined
    // The problems are about the visits chosen in the table: the summary leads there.
    if (errors) errors.list = errors.list.map((e) => ({ ...e, href: '#proposal-visits' }))
    const when = formatDateTime(proposal.createdAt, req.lang)
    return reply.render('planning/views/proposal.njk', {
      proposal,
      madeBy: proposal.createdByName ? t('planning.proposal.madeBy', { name: proposal.createdByName, date: when }) : t('planning.proposal.made', { date: when }),
      status: proposalStatus(proposal, t),
      conflicts: conflictItems(proposal, t, req.lang),
      summary: [
        { key: { text: t('planning.proposal.load.term') }, value: { text: String(proposal.output.load.maxElvsInATerm) } },
        { key: { text: t('planning.proposal.load.inspector') }, value: { text: String(proposal.output.load.maxElvsPerInspector) } },
        { key: { text: t('planning.proposal.load.seconds') }, value: { text: t('planning.proposal.seconds', { seconds: proposal.output.solver.seconds }) } },
      ],
      fixedText: proposal.fixedCount ? t('planning.proposal.fixed', { count: proposal.fixedCount }) : null,
      rows,
      acceptableCount: rows.filter((r) => r.acceptable).length,
      acceptAction: paths.acceptProposal(id),
      programmeHref: paths.programme(),
      rulesHref: paths.planningRules(),
      errors,
    }, failed ? failed.error.status : 200)
  }

  app.get('/programme/proposals/:id', plan, async (req, reply) => proposalPage(req, reply, idParam(req, 'proposal')))

  app.post('/programme/proposals/:id/accept', plan, async (req, reply) => {
    const id = idParam(req, 'proposal')
    const checked = many(formOf(req).visits)
    try {
      const { accepted } = await planning.accept(req.actor!, id, chosenVisits(checked))
      return reply.flash('planning.proposal.flash.accepted', { count: accepted.length }).redirect(paths.programme(), 303)
    } catch (e) {
      if (isFormError(e)) return proposalPage(req, reply, id, { error: e, checked })
      throw e
    }
  })

  // ---- moving an ELV by hand ----------------------------------------------------------------------

  const movePage = async (req: FastifyRequest, reply: FastifyReply, id: number, failed?: { error: AppError; values: Form }) => {
    const t = req.t
    const elv = await visits.get(req.actor!, id)
    const view = await planning.programmeView(req.actor!, elv.cycle)
    const values: Form = failed?.values ?? { term: elv.term_key, version: String(elv.version) }
    let errors
    let breaches: string[] = []
    if (failed?.error instanceof PlanningBreachError) {
      const explained = breachPageErrors(failed.error, t, req.lang)
      breaches = explained.explained
      errors = { list: explained.list, byField: explained.byField }
    } else if (failed) {
      errors = pageErrors(failed.error.details, t)
    }
    // After a refused save because someone else changed the ELV, the form takes the version now saved.
    if (failed?.error.code === 'version_conflict') values.version = String(elv.version)
    const movable = elv.state === 'planned'
    return reply.render('planning/views/move.njk', {
      elv,
      authority: authorityName(elv, req.lang),
      nowTerm: termName(elv.term_key, t),
      movable,
      notMovable: movable ? null : t('planning.move.notMovable', { state: t(`visits.state.${elv.state}`) }),
      termItems: moveTermItems(view, elv.term_key, one(values.term), t),
      values: { version: one(values.version), reason: one(values.reason) },
      breaches,
      action: paths.moveElv(id),
      backHref: `${paths.programme()}#authority-${elv.authority_code}`,
      errors,
    }, failed ? failed.error.status : 200)
  }

  app.get('/elvs/:id/move', plan, async (req, reply) => movePage(req, reply, idParam(req, 'visit')))

  app.post('/elvs/:id/move', plan, async (req, reply) => {
    const id = idParam(req, 'visit')
    const form = formOf(req)
    try {
      const moved = await planning.moveElv(req.actor!, id, { term: one(form.term), version: one(form.version), reason: one(form.reason) })
      const elv = await visits.get(req.actor!, id)
      const key = moved.breaches.length ? 'planning.move.flash.movedWithReason' : 'planning.move.flash.moved'
      return reply.flash(key, { authority: authorityName(elv, req.lang), ordinal: elv.ordinal, term: termName(moved.to, req.t) })
        .redirect(`${paths.programme()}#authority-${elv.authority_code}`, 303)
    } catch (e) {
      if (isFormError(e)) return movePage(req, reply, id, { error: e, values: form })
      throw e
    }
  })
}

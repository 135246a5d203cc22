import type { FastifyReply, FastifyRequest } from 'fastify'
import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'
import type { LocalAuthority } from '../../db/schema.ts'
import { AppError } from '../../http/errors.ts'
import { isFormError, isId } from '../../http/route-helpers.ts'
import { pageErrors, translateDetail } from '../../http/form-errors.ts'
import { paths } from '../../http/paths.ts'
import type { Translate } from '../../i18n/catalogue.ts'
import { authorityName, elvTabs } from '../visits/visits.view.ts'
import { teamApiRoutes } from './team.api.ts'
import { breachPageErrors, PlanningBreachError } from '../planning/planning.breaches.ts'
import type { FullTeam, Team, TeamCandidate } from './team.service.ts'

type Form = Record<string, string | undefined>

/** This module's own pages that the shared path helpers do not name. */
export const teamPaths = {
  conflicts: () => '/account/conflicts',
  withdrawConflict: (id: number) => `/account/conflicts/${id}/withdraw`,
  removeMember: (elvId: number, userId: number) => `/elvs/${elvId}/team/${userId}/remove`,
  makeLead: (elvId: number, userId: number) => `/elvs/${elvId}/team/${userId}/lead`,
} as const

const positiveInt = (raw: string | undefined, what: string): number => {
  const n = Number(raw)
  if (!isId(n)) throw new AppError('not_found', `No such ${what}.`)
  return n
}
const idOf = (req: FastifyRequest) => positiveInt((req.params as { id?: string }).id, 'visit')
const memberOf = (req: FastifyRequest) => positiveInt((req.params as { userId?: string }).userId, 'team member')
const formOf = (req: FastifyRequest): Form => (req.body && typeof req.body === 'object' ? req.body as Form : {})

/** Problems shown on the same page, with what was typed. */

function roleText(role: string, authorityCode: string | null, authorities: Map<string, LocalAuthority>, t: Translate, lang: string): string {
  const a = role === 'peer' && authorityCode ? authorities.get(authorityCode) : undefined
  return a ? t('team.roleWithAuthority', { role: t(`role.${role}`), authority: lang === 'cy' ? a.name_cy : a.name_en }) : t(`role.${role}`)
}

function candidateItems(candidates: TeamCandidate[], selected: string | undefined, authorities: Map<string, LocalAuthority>, t: Translate, lang: string) {
  return [
    { value: '', text: t('team.add.choose') },
    ...candidates.map((c) => {
      const notes = [roleText(c.role, c.authorityCode, authorities, t, lang), t('team.add.elvsThisTerm', { count: c.workloadInTerm })]
      if (c.linkInspector) notes.push(t('team.add.linkInspector'))
      if (c.workloadWarning) notes.push(t('team.add.busy'))
      if (c.declaredConflict) notes.push(t('team.add.declaredConflict'))
      return { value: String(c.userId), text: `${c.name} (${notes.join(', ')})`, selected: String(c.userId) === selected }
    }),
  ]
}

export function teamRoutes(app: App, services: Services): void {
  const { team, reference } = services
  const read = { preHandler: app.require('visits:read') }
  teamApiRoutes(app, services)

  /** The change a planning breach stopped, to make again with a reason: where it posts and what it posted. */
  type PlanningRetry = { action: string; hidden: Form }

  const teamPage = async (req: FastifyRequest, reply: FastifyReply, id: number, error?: AppError, posted?: Form, retry?: PlanningRetry) => {
    const view: Team = await team.team(req.actor!, id)
    const { elv } = view
    const title = req.t('visits.title', { authority: authorityName(elv, req.lang), ordinal: req.t(`visits.ordinal.${elv.ordinal}`) })
    // A change that breaks planning rules is explained, and the same change offered again with a reason.
    const breach = error instanceof PlanningBreachError && retry ? breachPageErrors(error, req.t, req.lang) : undefined
    const errors = breach ? { list: breach.list, byField: breach.byField } : error ? pageErrors(error.details, req.t) : undefined
    const planningRetry = breach && retry ? {
      ...retry, breaches: breach.explained, reason: posted?.planningReason ?? '',
      hidden: Object.entries(retry.hidden).filter(([, v]) => v !== undefined && v !== '').map(([name, value]) => ({ name, value })),
    } : undefined
    const base = { elv, title, tabs: elvTabs(id, 'team', req.t), errors, planningRetry }
    if (view.limited) {
      return reply.render('team/views/team.njk', {
        ...base, limited: true,
        members: view.members.map((m) => ({ name: m.name, role: req.t(`role.${m.role}`), lead: m.lead })),
      }, error?.status ?? 200)
    }
    const authorities = new Map((await reference.listAuthorities()).map((a) => [a.gss_code, a]))
    const full: FullTeam = view
    const candidates = full.canWork ? await team.candidates(full) : []
    // A fresh form proposes the link inspector, as lead when the team has none yet.
    const values: Form = posted ?? {
      userId: candidates.find((c) => c.linkInspector) ? String(full.linkInspector!.userId) : '',
      lead: full.members.some((m) => m.lead) ? undefined : 'yes',
    }
    const isAdmin = req.actor!.role === 'admin'
    return reply.render('team/views/team.njk', {
      ...base,
      limited: false,
      canWork: full.canWork,
      isAdmin,
      values,
      workloadLimit: full.workloadLimit,
      linkInspector: full.linkInspector,
      linkInspectorOnTeam: full.linkInspector ? full.members.some((m) => m.userId === full.linkInspector!.userId) : false,
      warnings: full.warnings.map((w) => translateDetail({ path: w.code, messageKey: w.messageKey, params: w.params }, req.t)),
      members: full.members.map((m) => ({
        ...m,
        roleText: roleText(m.role, m.authorityCode, authorities, req.t, req.lang),
        removeHref: teamPaths.removeMember(id, m.userId),
        leadHref: teamPaths.makeLead(id, m.userId),
      })),
      candidateItems: candidateItems(candidates, values.userId, authorities, req.t, req.lang),
      hasCandidates: candidates.length > 0,
      conflictsHref: teamPaths.conflicts(),
    }, error?.status ?? 200)
  }

  app.get('/elvs/:id/team', read, async (req, reply) => teamPage(req, reply, idOf(req)))

  app.post('/elvs/:id/team', read, async (req, reply) => {
    const id = idOf(req)
    const form = formOf(req)
    try {
      const { added } = await team.add(req.actor!, id, {
        userId: form.userId ?? '', lead: form.lead, version: form.version,
        // Only administrators may override a declared conflict; the field is theirs alone.
        overrideReason: req.actor!.role === 'admin' ? form.overrideReason || undefined : undefined,
        planningReason: form.planningReason || undefined,
      })
      return reply.flash('team.flash.added', { name: added.name }).redirect(paths.elvTab(id, 'team'), 303)
    } catch (e) {
      if (isFormError(e)) {
        return teamPage(req, reply, id, e, form, { action: paths.elvTab(id, 'team'), hidden: { userId: form.userId, lead: form.lead, overrideReason: form.overrideReason } })
      }
      throw e
    }
  })

  app.post('/elvs/:id/team/:userId/remove', read, async (req, reply) => {
    const id = idOf(req)
    try {
      const form = formOf(req)
      const { removed } = await team.remove(req.actor!, id, memberOf(req), { version: form.version, planningReason: form.planningReason || undefined })
      return reply.flash('team.flash.removed', { name: removed.name }).redirect(paths.elvTab(id, 'team'), 303)
    } catch (e) {
      if (isFormError(e)) return teamPage(req, reply, id, e, undefined, { action: teamPaths.removeMember(id, memberOf(req)), hidden: {} })
      throw e
    }
  })

  app.post('/elvs/:id/team/:userId/lead', read, async (req, reply) => {
    const id = idOf(req)
    try {
      const form = formOf(req)
      const { lead } = await team.setLead(req.actor!, id, memberOf(req), { version: form.version, planningReason: form.planningReason || undefined })
      return reply.flash('team.flash.lead', { name: lead.name }).redirect(paths.elvTab(id, 'team'), 303)
    } catch (e) {
      if (isFormError(e)) return teamPage(req, reply, id, e, undefined, { action: teamPaths.makeLead(id, memberOf(req)), hidden: {} })
      throw e
    }
  })

  // Each inspector's own declared conflicts of interest.

  const signedIn = { preHandler: app.require('signed-in') }

  const conflictsPage = async (req: FastifyRequest, reply: FastifyReply, error?: AppError, values: Form = {}) => {
    const [conflicts, authorities] = await Promise.all([team.conflicts(req.actor!), reference.listAuthorities()])
    const name = (a: { name_en: string; name_cy: string }) => (req.lang === 'cy' ? a.name_cy : a.name_en)
    return reply.render('team/views/conflicts.njk', {
      values,
      errors: error ? pageErrors(error.details, req.t) : undefined,
      conflicts: conflicts.map((c) => ({ id: c.id, authority: name({ name_en: c.authority_name_en, name_cy: c.authority_name_cy }), reason: c.reason, createdAt: c.created_at, withdrawHref: teamPaths.withdrawConflict(c.id) })),
      authorityItems: [
        { value: '', text: req.t('team.conflicts.choose') },
        ...authorities.map((a) => ({ value: a.gss_code, text: name(a), selected: a.gss_code === values.authority })),
      ],
    }, error?.status ?? 200)
  }

  app.get(teamPaths.conflicts(), signedIn, async (req, reply) => conflictsPage(req, reply))

  app.post(teamPaths.conflicts(), signedIn, async (req, reply) => {
    const form = formOf(req)
    try {
      const row = await team.declareConflict(req.actor!, { authority: form.authority, reason: form.reason })
      return reply.flash('team.conflicts.flash.declared', { authority: req.lang === 'cy' ? row.authority_name_cy : row.authority_name_en })
        .redirect(teamPaths.conflicts(), 303)
    } catch (e) {
      if (isFormError(e)) return conflictsPage(req, reply, e, form)
      throw e
    }
  })

  app.post('/account/conflicts/:conflictId/withdraw', signedIn, async (req, reply) => {
    const id = positiveInt((req.params as { conflictId?: string }).conflictId, 'declared conflict')
    const row = await team.withdrawConflict(req.actor!, id)
    return reply.flash('team.conflicts.flash.withdrawn', { authority: req.lang === 'cy' ? row.authority_name_cy : row.authority_name_en })
      .redirect(teamPaths.conflicts(), 303)
  })
}

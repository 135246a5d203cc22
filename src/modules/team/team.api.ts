import { Type, type Static, type TSchema } from '@sinclair/typebox'
import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'
import { ROLES } from '../../db/schema.ts'
import { errorResponses } from '../../http/api-schemas.ts'
import { translateDetail } from '../../http/form-errors.ts'
import type { Translate } from '../../i18n/catalogue.ts'
import { ElvParams } from '../visits/visits.api.ts'
import type { Team } from './team.service.ts'

const RoleJson = Type.Union(ROLES.map((r) => Type.Literal(r)))
const Nullable = <T extends TSchema>(t: T, opts: { description?: string } = {}) => Type.Union([t, Type.Null()], opts)

const MemberJson = Type.Object({
  userId: Type.Optional(Type.Integer()),
  name: Type.String(),
  email: Type.Optional(Type.String()),
  role: RoleJson,
  authority: Type.Optional(Nullable(Type.String({ description: 'GSS code of a peer inspector’s own authority' }))),
  lead: Type.Boolean(),
  overrideReason: Type.Optional(Nullable(Type.String({ description: 'Why an administrator allowed a declared conflict of interest' }))),
  declaredConflict: Type.Optional(Nullable(Type.String({ description: 'The member’s declared conflict with this authority' }))),
  workloadInTerm: Type.Optional(Type.Integer({ description: 'ELVs of the same term (not cancelled) the member is on' })),
  workloadWarning: Type.Optional(Type.Boolean({ description: 'True above the configured limit per term' })),
})

export const TeamJson = Type.Object({
  items: Type.Array(MemberJson, { description: 'Authority users get names, roles and the lead only' }),
  warnings: Type.Array(Type.Object({ code: Type.String(), message: Type.String() }), { description: 'Unusual but allowed: size other than 3, more than one peer, no lead, heavy workload' }),
  proposedLead: Type.Optional(Nullable(Type.Object({ userId: Type.Integer(), name: Type.String() }), { description: 'The authority’s link inspector, proposed as lead' })),
  workloadLimit: Type.Optional(Type.Integer()),
})

const AddBody = Type.Object({
  email: Type.String({ maxLength: 254, description: 'An HMI or peer inspector’s e-mail address' }),
  lead: Type.Optional(Type.Boolean({ description: 'Make them the lead; whoever led before no longer does' })),
  overrideReason: Type.Optional(Type.String({ maxLength: 2000, description: 'Administrators only: why a declared conflict of interest is allowed' })),
  planningReason: Type.Optional(Type.String({ maxLength: 2000, description: 'Why the change may break a planning rule; without it such a change answers 409 rule_violation' })),
  version: Type.Optional(Type.Integer({ minimum: 1, description: 'When given, refused with 409 if the ELV has changed since' })),
}, { additionalProperties: false })

const MemberParams = Type.Object({ id: Type.Integer({ minimum: 1 }), userId: Type.Integer({ minimum: 1 }) })
const VersionQuery = Type.Object({
  version: Type.Optional(Type.Integer({ minimum: 1 })),
  planningReason: Type.Optional(Type.String({ maxLength: 2000, description: 'Why the change may break a planning rule; without it such a change answers 409 rule_violation' })),
})

export function teamToJson(team: Team, t: Translate): Static<typeof TeamJson> {
  if (team.limited) return { items: team.members.map((m) => ({ name: m.name, role: m.role, lead: m.lead })), warnings: [] }
  return {
    items: team.members.map((m) => ({
      userId: m.userId, name: m.name, email: m.email, role: m.role, authority: m.authorityCode, lead: m.lead,
      overrideReason: m.overrideReason, declaredConflict: m.declaredConflict, workloadInTerm: m.workloadInTerm, workloadWarning: m.workloadWarning,
    })),
    warnings: team.warnings.map((w) => ({ code: w.code, message: translateDetail({ path: w.code, messageKey: w.messageKey, params: w.params }, t) })),
    proposedLead: team.linkInspector,
    workloadLimit: team.workloadLimit,
  }
}

export function teamApiRoutes(app: App, { team, i18n }: Services): void {
  const read = app.require('visits:read')
  const english = i18n.translator('en')
  const conflictNote = 'A peer inspector of the ELV’s own authority, or a declared conflict not overridden by an administrator with a reason, answers 409 with error.code "conflict_of_interest". A change that would break a planning rule (Welsh speakers, peer inspectors, unavailability, an inspector’s most ELVs in a term, the link inspector as lead, a team larger than the rule) answers 409 "rule_violation" with each breach explained, unless planningReason is given: then it is saved and the reason recorded.'

  app.get('/api/v1/elvs/:id/team', {
    schema: { tags: ['team'], summary: 'The team of an ELV, with workload and warnings', params: ElvParams, response: { 200: TeamJson, ...errorResponses } },
    preHandler: read,
  }, async (req) => teamToJson(await team.team(req.actor!, (req.params as Static<typeof ElvParams>).id), english))

  app.post('/api/v1/elvs/:id/team', {
    schema: {
      tags: ['team'], summary: 'Add an HMI or peer inspector to the team', description: conflictNote,
      params: ElvParams, body: AddBody, response: { 201: TeamJson, ...errorResponses },
    },
    preHandler: read,
  }, async (req, reply) => {
    const { team: after } = await team.add(req.actor!, (req.params as Static<typeof ElvParams>).id, req.body as Static<typeof AddBody>)
    return reply.code(201).send(teamToJson(after, english))
  })

  app.delete('/api/v1/elvs/:id/team/:userId', {
    schema: { tags: ['team'], summary: 'Remove a member from the team', params: MemberParams, querystring: VersionQuery, response: { 200: TeamJson, ...errorResponses } },
    preHandler: read,
  }, async (req) => {
    const { id, userId } = req.params as Static<typeof MemberParams>
    const query = req.query as Static<typeof VersionQuery>
    return teamToJson((await team.remove(req.actor!, id, userId, { version: query.version, planningReason: query.planningReason })).team, english)
  })

  app.post('/api/v1/elvs/:id/team/:userId/lead', {
    schema: { tags: ['team'], summary: 'Make a member the lead', params: MemberParams, querystring: VersionQuery, response: { 200: TeamJson, ...errorResponses } },
    preHandler: read,
  }, async (req) => {
    const { id, userId } = req.params as Static<typeof MemberParams>
    const query = req.query as Static<typeof VersionQuery>
    return teamToJson((await team.setLead(req.actor!, id, userId, { version: query.version, planningReason: query.planningReason })).team, english)
  })
}

import { Type, type Static } from '@sinclair/typebox'
import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'
import { ELV_STATES } from '../../db/schema.ts'
import { errorResponses } from '../../http/api-schemas.ts'
import type { ElvView } from './visits.service.ts'

export const ElvJson = Type.Object({
  id: Type.Integer(),
  authority: Type.String({ description: 'GSS code' }),
  authorityName: Type.Object({ en: Type.String(), cy: Type.String() }),
  term: Type.String({ description: 'e.g. 2026-2027/spring' }),
  ordinal: Type.Integer({ description: '1 or 2: the first or second ELV of the authority in the cycle' }),
  cycle: Type.String(),
  state: Type.Union(ELV_STATES.map((s) => Type.Literal(s))),
  stateReason: Type.Union([Type.String(), Type.Null()]),
  visitDays: Type.Array(Type.Union([Type.String(), Type.Null()])),
  notifyBy: Type.Union([Type.String(), Type.Null()], { description: 'The date by which the authority must be told' }),
  notifiedAt: Type.Union([Type.String(), Type.Null()]),
  lateNotification: Type.Boolean(),
  lateNotificationReason: Type.Union([Type.String(), Type.Null()]),
  version: Type.Integer(),
}, { additionalProperties: true })

export function elvToJson(e: ElvView): Static<typeof ElvJson> {
  return {
    id: e.id, authority: e.authority_code, authorityName: { en: e.authority_name_en, cy: e.authority_name_cy },
    term: e.term_key, ordinal: e.ordinal, cycle: e.cycle, state: e.state, stateReason: e.state_reason,
    visitDays: [e.visit_day1, e.visit_day2], notifyBy: e.notifyBy, notifiedAt: e.notified_at,
    lateNotification: e.lateNotification, lateNotificationReason: e.late_notification_reason, version: e.version,
  }
}

export const ElvParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
export type ElvParamsT = Static<typeof ElvParams>

const CreateBody = Type.Object({
  authority: Type.String({ description: 'GSS code, e.g. W06000008' }),
  term: Type.String({ description: 'Term key, e.g. 2026-2027/spring' }),
  visitDay1: Type.Optional(Type.String({ format: 'date' })),
  visitDay2: Type.Optional(Type.String({ format: 'date' })),
})
const ListQuery = Type.Object({
  authority: Type.Optional(Type.String()),
  state: Type.Optional(Type.Union(ELV_STATES.map((s) => Type.Literal(s)))),
  term: Type.Optional(Type.String()),
})
const TransitionBody = Type.Object({
  to: Type.Union(ELV_STATES.map((s) => Type.Literal(s))),
  reason: Type.Optional(Type.String({ maxLength: 2000 })),
  version: Type.Optional(Type.Integer({ minimum: 1, description: 'When given, refused with 409 if the ELV has changed since' })),
})

export function visitsApiRoutes(app: App, { visits }: Services): void {
  const read = app.require('visits:read')

  app.post('/api/v1/elvs', {
    schema: { tags: ['visits'], summary: 'Plan an ELV (administrators)', body: CreateBody, response: { 201: ElvJson, ...errorResponses } },
    preHandler: app.require('visits:plan'),
  }, async (req, reply) => reply.code(201).send(elvToJson(await visits.create(req.actor!, req.body as Static<typeof CreateBody>))))

  app.get('/api/v1/elvs', {
    schema: { tags: ['visits'], summary: 'The ELVs you may see', querystring: ListQuery, response: { 200: Type.Object({ items: Type.Array(ElvJson) }), ...errorResponses } },
    preHandler: read,
  }, async (req) => ({ items: (await visits.list(req.actor!, req.query as Static<typeof ListQuery>)).map(elvToJson) }))

  app.get('/api/v1/elvs/:id', {
    schema: { tags: ['visits'], summary: 'One ELV', params: ElvParams, response: { 200: ElvJson, ...errorResponses } },
    preHandler: read,
  }, async (req) => elvToJson(await visits.get(req.actor!, (req.params as ElvParamsT).id)))

  app.post('/api/v1/elvs/:id/transition', {
    schema: {
      tags: ['visits'],
      summary: 'Move an ELV to another state',
      description: 'Answers 409 with error.code "rule_violation" and each unmet rule in details when the move is not allowed yet.',
      params: ElvParams, body: TransitionBody, response: { 200: ElvJson, ...errorResponses },
    },
    preHandler: read,
  }, async (req) => elvToJson(await visits.transition(req.actor!, (req.params as ElvParamsT).id, req.body as Static<typeof TransitionBody>)))
}

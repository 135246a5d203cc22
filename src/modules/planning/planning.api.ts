import { Type, type Static, type TSchema } from '@sinclair/typebox'
import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'
import { ELV_STATES } from '../../db/schema.ts'
import { errorResponses } from '../../http/api-schemas.ts'
import type { Translate } from '../../i18n/catalogue.ts'
import { ElvParams } from '../visits/visits.api.ts'
import { explainBreach, wordExplanation, type BreachNames } from './planning.breaches.ts'
import type { MoveResult, ProgrammeView, ProposalView } from './planning.service.ts'
import type { RuleBreach } from './plan.rules.ts'

const Nullable = <T extends TSchema>(t: T, opts: { description?: string } = {}) => Type.Union([t, Type.Null()], opts)
const StateJson = Type.Union(ELV_STATES.map((s) => Type.Literal(s)))
const StatusJson = Type.Union([Type.Literal('optimal'), Type.Literal('feasible'), Type.Literal('infeasible')])
const Ids = Type.Array(Type.String(), { description: 'Inspectors by user id, as text; the lead first' })

const BreachJson = Type.Object({
  rule: Type.String({ description: 'The planning rule, e.g. maxElvsPerTerm' }),
  key: Type.String({ description: 'Which breach of the rule: the message catalogue key planning.breach.<key>' }),
  message: Type.String(),
  gssCode: Nullable(Type.String()),
  ordinal: Nullable(Type.Integer()),
  term: Nullable(Type.String()),
  inspector: Nullable(Type.String()),
  params: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])),
})

const ProgrammeJson = Type.Object({
  cycle: Type.String(),
  currentTerm: Nullable(Type.String(), { description: 'The term under way today (the next to start, in a holiday)' }),
  firstTerm: Type.String({ description: 'The first term an ELV may still be planned in: a term’s notice' }),
  rules: Type.Record(Type.String(), Type.Union([Type.Integer(), Type.Boolean()])),
  terms: Type.Array(Type.Object({
    key: Type.String(), academicYear: Type.String(), season: Type.String(), start: Type.String(), end: Type.String(),
    current: Type.Boolean(), firstPlannable: Type.Boolean(),
  })),
  load: Type.Array(Type.Object({ term: Type.String(), count: Type.Integer(), max: Type.Integer() }), { description: 'Live ELVs in each term, fixed ones included' }),
  authorities: Type.Array(Type.Object({
    gssCode: Type.String(), nameEn: Type.String(), nameCy: Type.String(), welshMedium: Type.Boolean(),
    coreInspectionTerm: Nullable(Type.String()),
    linkInspector: Nullable(Type.Object({ id: Type.String(), name: Nullable(Type.String()) })),
    toPlan: Type.Integer({ description: 'ELVs the authority still needs in the cycle, none yet planned for them' }),
  })),
  elvs: Type.Array(Type.Object({
    id: Type.Integer(), gssCode: Type.String(), ordinal: Type.Integer(), term: Type.String(), state: StateJson, version: Type.Integer(),
    fixed: Type.Boolean({ description: 'Notified or later: the planner plans around it and it cannot be moved' }),
    lead: Nullable(Type.String()), team: Ids,
    notifyBy: Nullable(Type.String({ description: 'Planned ELVs: the date by which the authority must be told' })),
    notificationOverdue: Type.Boolean({ description: 'A planned ELV whose notification date has passed' }),
  })),
  breaches: Type.Array(Type.Object({
    ...BreachJson.properties,
    elvId: Nullable(Type.Integer()),
    exception: Nullable(Type.Object({ reason: Type.String(), by: Nullable(Type.String()), at: Type.String() }), { description: 'The reason recorded when the rule was broken knowingly' }),
  }), { description: 'Every planning rule the programme breaks now' }),
})

const VisitJson = Type.Object({ gssCode: Type.String(), ordinal: Type.Integer() })

const ProposalJson = Type.Object({
  id: Type.Integer(),
  cycle: Type.String(),
  status: StatusJson,
  createdAt: Type.String(),
  createdBy: Nullable(Type.String()),
  load: Type.Object({ maxElvsInATerm: Type.Integer(), maxElvsPerInspector: Type.Integer() }),
  solver: Type.Object({
    seconds: Type.Number(),
    bounds: Type.Object({ maxElvsInATerm: Type.Integer(), maxElvsPerInspector: Type.Integer() }),
    gap: Type.Number(),
  }),
  conflicts: Type.Array(Type.Object({ rule: Type.String(), message: Type.String() }), { description: 'Why no plan exists (status infeasible)' }),
  visits: Type.Array(Type.Object({
    gssCode: Type.String(),
    ordinal: Type.Integer(),
    today: Nullable(Type.Object({ elvId: Type.Integer(), term: Type.String(), state: StateJson, version: Type.Integer(), lead: Nullable(Type.String()), team: Ids })),
    proposed: Type.Object({ term: Type.String(), notifyBy: Type.String(), lead: Type.String(), team: Ids }),
    changed: Type.Boolean(),
    accepted: Type.Boolean(),
    acceptable: Type.Boolean({ description: 'False once accepted, or when the ELV has changed since the plan was made' }),
    cannot: Nullable(Type.String({ description: 'accepted, notPlanned, changed or newElv' })),
    reason: Nullable(Type.String()),
  })),
})

const ProposalParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const AcceptBody = Type.Object({ visits: Type.Array(VisitJson, { description: 'The visits to accept, by authority and ordinal' }) })
const AcceptedJson = Type.Object({ accepted: Type.Array(Type.Object({ gssCode: Type.String(), ordinal: Type.Integer(), elvId: Type.Integer() })) })
const MoveBody = Type.Object({
  term: Type.String({ description: 'A term of the cycle, e.g. 2027-2028/spring' }),
  version: Type.Integer({ minimum: 1, description: 'The ELV’s version you read; 409 version_conflict when it changed since' }),
  reason: Type.Optional(Type.String({ maxLength: 2000, description: 'Needed when the move breaks a planning rule: recorded with each breach' })),
}, { additionalProperties: false })
const MovedJson = Type.Object({
  elvId: Type.Integer(), from: Type.String(), to: Type.String(), reason: Nullable(Type.String()),
  breaches: Type.Array(BreachJson, { description: 'Rules the move broke, each recorded with the reason' }),
})

function breachJson(b: RuleBreach, names: BreachNames, t: Translate): Static<typeof BreachJson> {
  return {
    rule: b.rule, key: b.key, message: explainBreach(b, names, t, 'en'), gssCode: b.gssCode ?? null, ordinal: b.ordinal ?? null,
    term: b.term ?? null, inspector: b.inspector ?? null, params: b.params,
  }
}

export function programmeToJson(v: ProgrammeView, t: Translate): Static<typeof ProgrammeJson> {
  return {
    cycle: v.cycle, currentTerm: v.currentTerm, firstTerm: v.firstTerm, rules: { ...v.rules },
    terms: v.terms.map((x) => ({ key: x.key, academicYear: x.academicYear, season: x.season, start: x.start, end: x.end, current: x.current, firstPlannable: x.firstPlannable })),
    load: v.terms.map((x) => ({ term: x.key, count: x.count, max: x.max })),
    authorities: v.authorities.map((a) => ({
      gssCode: a.gssCode, nameEn: a.nameEn, nameCy: a.nameCy, welshMedium: a.welshMedium, coreInspectionTerm: a.coreInspectionTerm,
      linkInspector: a.linkInspectorId ? { id: a.linkInspectorId, name: a.linkInspectorName } : null,
      toPlan: a.toPlan,
    })),
    elvs: v.elvs.map((e) => ({
      id: e.elvId, gssCode: e.gssCode, ordinal: e.ordinal, term: e.term, state: e.state, version: e.version, fixed: e.fixed,
      lead: e.lead, team: e.team, notifyBy: e.notifyBy, notificationOverdue: e.notificationOverdue,
    })),
    breaches: v.breaches.map((b) => ({ ...breachJson(b, v.names, t), elvId: b.elvId, exception: b.exception })),
  }
}

export function proposalToJson(p: ProposalView, t: Translate): Static<typeof ProposalJson> {
  return {
    id: p.id, cycle: p.cycle, status: p.status, createdAt: p.createdAt, createdBy: p.createdByName,
    load: p.output.load, solver: p.output.solver,
    conflicts: p.output.conflicts.map((c, i) => ({ rule: c.rule, message: wordExplanation(p.explanations[i] ?? c.message, p.names, t, 'en') })),
    visits: p.rows.map((r) => ({
      gssCode: r.gssCode, ordinal: r.ordinal, today: r.today,
      proposed: { term: r.proposed.term, notifyBy: r.proposed.notifyBy, lead: r.proposed.lead, team: r.proposed.team },
      changed: r.changed, accepted: r.accepted, acceptable: r.acceptable, cannot: r.cannot,
      reason: r.cannot
        ? t(`planning.proposal.cannot.${r.cannot}`, { authority: p.names.authorities[r.gssCode]?.en ?? r.gssCode, ordinal: r.ordinal, state: r.stateNow ? t(`visits.state.${r.stateNow}`) : '' })
        : null,
    })),
  }
}

export function moveToJson(m: MoveResult, names: BreachNames, t: Translate): Static<typeof MovedJson> {
  return { elvId: m.elvId, from: m.from, to: m.to, reason: m.reason, breaches: m.breaches.map((b) => breachJson(b, names, t)) }
}

export function planningApiRoutes(app: App, { planning, i18n }: Services): void {
  const english = i18n.translator('en')
  const read = app.require('programme:read')
  const plan = app.require('visits:plan')

  app.get('/api/v1/programme', {
    schema: {
      tags: ['programme'], summary: 'The cycle’s programme: every ELV by term, each term’s load, and the planning rules it breaks now',
      response: { 200: ProgrammeJson, ...errorResponses },
    },
    preHandler: read,
  }, async (req) => programmeToJson(await planning.programmeView(req.actor!), english))

  app.post('/api/v1/programme/proposals', {
    schema: {
      tags: ['programme'], summary: 'Ask the planner for a plan of the terms still open, kept as a proposal to review',
      description: 'The planner places every ELV still needed and proposes its team, around the ELVs already notified or later. Nothing in the programme changes until the proposal is accepted. An infeasible proposal is kept too, with the rules that cannot be kept together. It can take up to 20 seconds.',
      response: { 201: ProposalJson, ...errorResponses },
    },
    preHandler: plan,
  }, async (req, reply) => {
    const id = await planning.propose(req.actor!)
    return reply.code(201).header('location', `/api/v1/programme/proposals/${id}`).send(proposalToJson(await planning.proposal(req.actor!, id), english))
  })

  app.get('/api/v1/programme/proposals/:id', {
    schema: {
      tags: ['programme'], summary: 'A proposal beside today’s programme, visit by visit, with whether each can still be accepted',
      params: ProposalParams, response: { 200: ProposalJson, ...errorResponses },
    },
    preHandler: plan,
  }, async (req) => proposalToJson(await planning.proposal(req.actor!, (req.params as Static<typeof ProposalParams>).id), english))

  app.post('/api/v1/programme/proposals/:id/accept', {
    schema: {
      tags: ['programme'], summary: 'Accept all or part of a proposal',
      description: 'In one transaction, each chosen visit’s planned ELV moves to the proposed term (or is created) with the proposed team. Answers 409 with nothing saved when a chosen visit has changed since the plan was made (each named), or when accepting only these would break a planning rule that the whole plan keeps.',
      params: ProposalParams, body: AcceptBody, response: { 200: AcceptedJson, ...errorResponses },
    },
    preHandler: plan,
  }, async (req) => planning.accept(req.actor!, (req.params as Static<typeof ProposalParams>).id, (req.body as Static<typeof AcceptBody>).visits))

  app.post('/api/v1/elvs/:id/move', {
    schema: {
      tags: ['programme'], summary: 'Move a planned ELV to another term',
      description: 'Planning rules the move would newly break answer 409 rule_violation, each explained in error.details, unless a reason is given: then the move is saved with the reason recorded for each breach. An ELV notified or later cannot be moved (409).',
      params: ElvParams, body: MoveBody, response: { 200: MovedJson, ...errorResponses },
    },
    preHandler: plan,
  }, async (req) => {
    const moved = await planning.moveElv(req.actor!, (req.params as Static<typeof ElvParams>).id, req.body as Static<typeof MoveBody>)
    return moveToJson(moved, moved.names, english)
  })
}

import { Type } from '@sinclair/typebox'
import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'
import { errorResponses } from '../../http/api-schemas.ts'
import { AppError } from '../../http/errors.ts'
import { describeProblems, parsePlanRequest } from './plan.input.ts'
import { PlanTimeoutError, solvePlan } from './planner.ts'

/** The answer is a plan or an explanation, never a change: the same as `cyswllt plan`. */
const PlanJson = Type.Object({
  status: Type.Union([Type.Literal('optimal'), Type.Literal('feasible'), Type.Literal('infeasible')]),
  visits: Type.Array(Type.Object({
    gssCode: Type.String(), ordinal: Type.Integer(), term: Type.String(), notifyBy: Type.String(),
    lead: Type.String(), team: Type.Array(Type.String()),
  })),
  load: Type.Object({ maxElvsInATerm: Type.Integer(), maxElvsPerInspector: Type.Integer() }),
  conflicts: Type.Array(Type.Object({ rule: Type.String(), message: Type.String() })),
  solver: Type.Object({
    seconds: Type.Number(),
    bounds: Type.Object({ maxElvsInATerm: Type.Integer(), maxElvsPerInspector: Type.Integer() }),
    gap: Type.Number(),
  }),
})

/** A plan request can name 150 authorities and 200 inspectors: more than the default 1 MB is never needed. */
const PLAN_BODY_LIMIT = 4 * 1024 * 1024

export function planApiRoutes(app: App, services: Services): void {
  app.post('/api/v1/plan', {
    schema: {
      tags: ['programme'],
      summary: 'Plan ELVs and their teams for the terms given (writes nothing)',
      description: 'Takes the same JSON as `cyswllt plan --input FILE.json` and answers with the plan: status optimal or feasible with the visits, or infeasible with the rules that cannot be kept together. Nothing is saved. Every bad field is listed by its path in error.details.',
      // The body is checked by the planner's own parser, which names every problem by its JSON path.
      body: Type.Unknown(),
      response: { 200: PlanJson, ...errorResponses },
    },
    bodyLimit: PLAN_BODY_LIMIT,
    preHandler: app.require('visits:plan'),
  }, async (req) => {
    const parsed = parsePlanRequest(req.body)
    if (!parsed.ok) {
      throw new AppError('validation_failed', describeProblems(parsed.problems),
        parsed.problems.map((p) => ({ path: p.path, messageKey: 'validation.schema', params: { problem: p.message } })))
    }
    try {
      return await solvePlan(parsed.input, { timeLimitSeconds: 30, translate: services.i18n.translator('en') })
    } catch (e) {
      if (e instanceof PlanTimeoutError) throw new AppError('conflict', e.message)
      throw e
    }
  })
}

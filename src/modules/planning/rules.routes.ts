import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type, type Static } from '@sinclair/typebox'
import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'
import type { AppError } from '../../http/errors.ts'
import { errorResponses } from '../../http/api-schemas.ts'
import { pageErrors } from '../../http/form-errors.ts'
import { isFormError } from '../../http/route-helpers.ts'
import { paths } from '../../http/paths.ts'
import type { PlanningRulesSettings } from './programme.repository.ts'
import { RULE_LIMITS, type RULE_NAMES } from './planning-rules.ts'
import { rulesFormSections, rulesFormValues, rulesSummaryRows } from './rules.view.ts'

type Form = Record<string, unknown>
const formOf = (req: FastifyRequest): Form => (req.body && typeof req.body === 'object' ? req.body as Form : {})

const RULE_DESCRIPTIONS: Record<(typeof RULE_NAMES)[number], string> = {
  elvsPerAuthority: 'ELVs each authority has in the cycle',
  maxElvsPerTerm: 'The most ELVs in any one term',
  minTermsBetweenElvs: 'An authority’s two ELVs are at least this many terms apart',
  minTermsFromCoreInspection: 'No ELV within this many terms of the authority’s core inspection, either side (0: not in its term)',
  teamSize: 'People on each ELV team, the lead included',
  maxPeersPerTeam: 'The most peer inspectors on a team',
  leadIsLinkInspector: 'The authority’s link inspector leads its ELV whenever available that term',
  welshSpeakersForWelshMedium: 'Welsh speakers on the team of a Welsh-medium authority’s ELV',
}
const range = (k: keyof typeof RULE_LIMITS) => ` (${RULE_LIMITS[k].min} to ${RULE_LIMITS[k].max})`

const RulesJson = Type.Object({
  elvsPerAuthority: Type.Integer({ description: RULE_DESCRIPTIONS.elvsPerAuthority }),
  maxElvsPerTerm: Type.Integer({ description: RULE_DESCRIPTIONS.maxElvsPerTerm }),
  minTermsBetweenElvs: Type.Integer({ description: RULE_DESCRIPTIONS.minTermsBetweenElvs }),
  minTermsFromCoreInspection: Type.Integer({ description: RULE_DESCRIPTIONS.minTermsFromCoreInspection }),
  teamSize: Type.Integer({ description: RULE_DESCRIPTIONS.teamSize }),
  maxPeersPerTeam: Type.Integer({ description: RULE_DESCRIPTIONS.maxPeersPerTeam }),
  leadIsLinkInspector: Type.Boolean({ description: RULE_DESCRIPTIONS.leadIsLinkInspector }),
  welshSpeakersForWelshMedium: Type.Integer({ description: RULE_DESCRIPTIONS.welshSpeakersForWelshMedium }),
})
const SettingsJson = Type.Object({
  ...RulesJson.properties,
  version: Type.Integer({ description: 'Send it back when changing the rules: a stale version is refused with 409' }),
  updatedAt: Type.Union([Type.String(), Type.Null()], { description: 'When an administrator last saved them; null while the defaults are in force' }),
})
// Every field optional here, so the service can name each one missing or out of range at once, by its own name.
const SettingsBody = Type.Object({
  elvsPerAuthority: Type.Optional(Type.Integer({ description: RULE_DESCRIPTIONS.elvsPerAuthority + range('elvsPerAuthority') })),
  maxElvsPerTerm: Type.Optional(Type.Integer({ description: RULE_DESCRIPTIONS.maxElvsPerTerm + range('maxElvsPerTerm') })),
  minTermsBetweenElvs: Type.Optional(Type.Integer({ description: RULE_DESCRIPTIONS.minTermsBetweenElvs + range('minTermsBetweenElvs') })),
  minTermsFromCoreInspection: Type.Optional(Type.Integer({ description: RULE_DESCRIPTIONS.minTermsFromCoreInspection + range('minTermsFromCoreInspection') })),
  teamSize: Type.Optional(Type.Integer({ description: RULE_DESCRIPTIONS.teamSize + range('teamSize') })),
  maxPeersPerTeam: Type.Optional(Type.Integer({ description: `${RULE_DESCRIPTIONS.maxPeersPerTeam}${range('maxPeersPerTeam')}, not more than the team size` })),
  leadIsLinkInspector: Type.Optional(Type.Boolean({ description: RULE_DESCRIPTIONS.leadIsLinkInspector })),
  welshSpeakersForWelshMedium: Type.Optional(Type.Integer({ description: `${RULE_DESCRIPTIONS.welshSpeakersForWelshMedium}${range('welshSpeakersForWelshMedium')}, not more than the team size` })),
  version: Type.Optional(Type.Integer({ description: 'The version you read; 409 version_conflict when someone saved since' })),
})

const settingsToJson = (s: PlanningRulesSettings): Static<typeof SettingsJson> => ({ ...s.rules, version: s.version, updatedAt: s.updatedAt })

/** The planning rules, for administrators: a settings page and the same through the API. */
export function planningRulesRoutes(app: App, { programme }: Services): void {
  const admin = app.require('admin:reference')

  const rulesPage = async (req: FastifyRequest, reply: FastifyReply, failed?: { error: AppError; values: Form }) => {
    const current = await programme.rules()
    const stale = failed?.error.code === 'version_conflict'
    // After someone else's save the admin's own values stay in the form, with the version now saved.
    const values: Form = failed ? { ...failed.values, version: stale ? String(current.version) : failed.values.version } : rulesFormValues(current.rules, current.version)
    const errors = failed ? pageErrors(failed.error.details, req.t) : undefined
    return reply.render('planning/views/rules.njk', {
      action: paths.planningRules(),
      sections: rulesFormSections(values, errors, req.t),
      version: typeof values.version === 'string' ? values.version : '',
      stale,
      inForce: stale ? rulesSummaryRows(current.rules, req.t) : undefined,
      errors,
    }, failed ? failed.error.status : 200)
  }

  app.get(paths.planningRules(), { preHandler: admin }, async (req, reply) => rulesPage(req, reply))

  app.post(paths.planningRules(), { preHandler: admin }, async (req, reply) => {
    const form = formOf(req)
    try {
      await programme.saveRules(req.actor!, form)
      return reply.flash('planning.rules.flash.saved').redirect(paths.planningRules(), 303)
    } catch (e) {
      if (isFormError(e)) return rulesPage(req, reply, { error: e, values: form })
      throw e
    }
  })

  app.get('/api/v1/settings/planning', {
    schema: { tags: ['settings'], summary: 'The planning rules the planner keeps (administrators)', response: { 200: SettingsJson, ...errorResponses } },
    preHandler: admin,
  }, async () => settingsToJson(await programme.rules()))

  app.put('/api/v1/settings/planning', {
    schema: {
      tags: ['settings'], summary: 'Change the planning rules (administrators)',
      description: 'Send every rule and the version you read: a missing or out-of-range rule answers 400 naming it; a stale version answers 409 version_conflict.',
      body: SettingsBody, response: { 200: SettingsJson, ...errorResponses },
    },
    preHandler: admin,
  }, async (req) => settingsToJson(await programme.saveRules(req.actor!, req.body as Static<typeof SettingsBody>)))
}

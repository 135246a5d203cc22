import { Type, type Static } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'
import { LANGUAGES, WRITING_RULE_KINDS } from '../../db/schema.ts'
import { AppError, validationFailed } from '../../http/errors.ts'
import { errorResponses } from '../../http/api-schemas.ts'
import { pageErrors } from '../../http/form-errors.ts'
import { isFormError } from '../../http/route-helpers.ts'
import { paths } from '../../http/paths.ts'
import type { WritingProblem } from '../letters/letter.model.ts'
import { LIMITS, RULE_LANGS, type WritingRuleView } from './writing-checks.service.ts'
import { kindItems, langItems, ruleRows, tryAction, tryPath, tryResults } from './writing-checks.view.ts'

type Form = Record<string, unknown>

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)))

const CODE_DESCRIPTION = 'Lower-case letters, numbers and single hyphens, e.g. avoid-jargon; never changes'
const PATTERN_DESCRIPTION = 'grade_word, follow_up, phrase: words or phrases separated by |, matched as whole words in any case; ' +
  '!phrase allows a phrase (good|!good practice). quantity: the word, a colon and its band in per cent (most:>=90, a minority:<40, around half:45-55). ' +
  'sentence_length: the most words a sentence may have (40).'

const RuleJson = Type.Object({
  code: Type.String({ description: CODE_DESCRIPTION }),
  kind: literals(WRITING_RULE_KINDS),
  lang: Type.Union([literals(RULE_LANGS)], { description: 'The text the rule checks: en, cy or both' }),
  pattern: Type.String({ description: PATTERN_DESCRIPTION }),
  message: Type.Object({ en: Type.String(), cy: Type.String() }, { description: 'Shown with each problem, in the reader’s language; may use {match}, {value}, {words}, {max}' }),
  enabled: Type.Boolean(),
  builtIn: Type.Boolean(),
})

// Fields are plain strings here so the service can name every wrong one at once, by its own name.
const NewRule = Type.Object({
  code: Type.String({ maxLength: LIMITS.code, description: CODE_DESCRIPTION }),
  kind: Type.String({ description: WRITING_RULE_KINDS.join(', ') }),
  lang: Type.String({ description: RULE_LANGS.join(', ') }),
  pattern: Type.String({ maxLength: LIMITS.pattern, description: PATTERN_DESCRIPTION }),
  message: Type.Object({ en: Type.String({ maxLength: LIMITS.message }), cy: Type.String({ maxLength: LIMITS.message }) }, { additionalProperties: false }),
}, { additionalProperties: false })

const RuleParams = Type.Object({ code: Type.String({ maxLength: LIMITS.code }) })
const EnabledBody = Type.Object({ enabled: Type.Boolean() }, { additionalProperties: false })

const CheckBody = Type.Object({
  text: Type.String({ maxLength: LIMITS.text, description: 'The text to check: a paragraph or several' }),
  lang: Type.Union([literals(LANGUAGES)], { description: 'The language the text is written in: the rules for that language (and both) apply' }),
}, { additionalProperties: false })

const ProblemJson = Type.Object({
  rule: Type.String({ description: 'The code of the rule that found it' }),
  message: Type.String({ description: 'In the reader’s language (Accept-Language)' }),
  section: Type.Null(),
  paragraph: Type.Null(),
  lang: literals(LANGUAGES),
})

const toJson = (r: WritingRuleView): Static<typeof RuleJson> => ({ ...r })
const problemJson = (p: WritingProblem): Static<typeof ProblemJson> => ({ rule: p.rule, message: p.message, section: null, paragraph: null, lang: p.lang ?? 'en' })
const formOf = (req: FastifyRequest): Form => (req.body && typeof req.body === 'object' ? req.body as Form : {})

/** Renames the service's field names to those an API caller sent. */
function apiFields(e: unknown, names: Record<string, string>): never {
  if (e instanceof AppError && e.code === 'validation_failed') throw validationFailed(e.details.map((d) => ({ ...d, path: names[d.path] ?? d.path })))
  throw e
}

/** Admin page and API for the writing rules, and the "try the checks" form. */
export function writingChecksRoutes(app: App, { writingChecks }: Services): void {
  const admin = app.require('admin:reference')

  // API

  app.get('/api/v1/writing-rules', {
    schema: {
      tags: ['letters'], summary: 'The writing rules, on and off',
      description: 'For the inspectorate; authority users get 403.',
      response: { 200: Type.Object({ items: Type.Array(RuleJson) }), ...errorResponses },
    },
    preHandler: app.require('signed-in'),
  }, async (req) => ({ items: (await writingChecks.rules(req.actor!)).map(toJson) }))

  app.post('/api/v1/writing-rules', {
    schema: { tags: ['letters'], summary: 'Add a writing rule (administrators)', body: NewRule, response: { 201: RuleJson, ...errorResponses } },
    preHandler: admin,
  }, async (req, reply) => {
    const body = req.body as Static<typeof NewRule>
    try {
      const rule = await writingChecks.addRule(req.actor!, { ...body, messageEn: body.message.en, messageCy: body.message.cy })
      return reply.code(201).send(toJson(rule))
    } catch (e) {
      apiFields(e, { messageEn: 'message.en', messageCy: 'message.cy' })
    }
  })

  app.patch('/api/v1/writing-rules/:code', {
    schema: { tags: ['letters'], summary: 'Turn a writing rule on or off (administrators)', params: RuleParams, body: EnabledBody, response: { 200: RuleJson, ...errorResponses } },
    preHandler: admin,
  }, async (req) => {
    const { code } = req.params as Static<typeof RuleParams>
    return toJson(await writingChecks.setEnabled(req.actor!, code, (req.body as Static<typeof EnabledBody>).enabled))
  })

  app.post('/api/v1/writing-rules/check', {
    schema: {
      tags: ['letters'], summary: 'Run the writing checks on a piece of text',
      description: 'The rules that are on, for the text’s language; messages in the reader’s language. For the inspectorate; authority users get 403.',
      body: CheckBody, response: { 200: Type.Object({ problems: Type.Array(ProblemJson) }), ...errorResponses },
    },
    preHandler: app.require('signed-in'),
  }, async (req) => {
    try {
      return { problems: (await writingChecks.checkText(req.actor!, req.body as Static<typeof CheckBody>, req.lang)).map(problemJson) }
    } catch (e) {
      apiFields(e, { textLang: 'lang' })
    }
  })

  // Admin page

  interface PageState { add?: Form; tried?: { values: Form; problems?: WritingProblem[] }; error?: AppError }

  const page = async (req: FastifyRequest, reply: FastifyReply, state: PageState = {}) => {
    const rules = await writingChecks.rules(req.actor!)
    const add = state.add ?? {}
    const tried = state.tried?.values ?? {}
    return reply.render('writing-checks/views/writing-rules.njk', {
      rows: ruleRows(rules, req.lang, req.t),
      values: add,
      tryValues: tried,
      tryTextLang: tried.lang === 'cy' || tried.lang === 'en' ? tried.lang : undefined,
      addAction: paths.writingRules(),
      tryAction: tryAction(),
      kindItems: kindItems(req.t, add.kind),
      langItems: langItems(req.t, add.lang),
      textLangItems: langItems(req.t, tried.lang ?? req.lang, LANGUAGES),
      results: state.tried?.problems ? tryResults(state.tried.problems, req.t) : undefined,
      errors: state.error ? pageErrors(state.error.details, req.t) : undefined,
    }, state.error?.status ?? 200)
  }

  app.get(paths.writingRules(), { preHandler: admin }, async (req, reply) => page(req, reply))

  app.post(paths.writingRules(), { preHandler: admin }, async (req, reply) => {
    const form = formOf(req)
    try {
      const rule = await writingChecks.addRule(req.actor!, form)
      return reply.flash('writingChecks.flash.added', { code: rule.code }).redirect(paths.writingRules(), 303)
    } catch (e) {
      if (isFormError(e)) return page(req, reply, { add: form, error: e })
      throw e
    }
  })

  // Nothing is saved: the results are shown on the page that answers the post.
  app.post(tryPath(), { preHandler: admin }, async (req, reply) => {
    const form = formOf(req)
    try {
      const problems = await writingChecks.checkText(req.actor!, form, req.lang)
      return page(req, reply, { tried: { values: form, problems } })
    } catch (e) {
      if (isFormError(e)) return page(req, reply, { tried: { values: form }, error: e })
      throw e
    }
  })

  app.post(`${paths.writingRules()}/:code/enabled`, { preHandler: admin }, async (req, reply) => {
    const { code } = req.params as { code: string }
    const on = formOf(req).enabled === '1'
    const rule = await writingChecks.setEnabled(req.actor!, code, on)
    return reply.flash(on ? 'writingChecks.flash.enabled' : 'writingChecks.flash.disabled', { code: rule.code }).redirect(paths.writingRules(), 303)
  })
}

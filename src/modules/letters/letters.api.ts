import { Type, type Static } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'
import { LETTER_STATES, PARAGRAPH_STYLES } from '../../db/schema.ts'
import { errorResponses } from '../../http/api-schemas.ts'
import { ElvParams, type ElvParamsT } from '../visits/visits.api.ts'
import type { LetterModel, WritingProblem } from './letter.model.ts'
import { writingChecker } from './letters.view.ts'

const Lang = Type.Union([Type.Literal('en'), Type.Literal('cy')])
const BilingualJson = Type.Object({ en: Type.String(), cy: Type.String() })

const ParagraphJson = Type.Object({
  id: Type.Integer(),
  style: Type.Union(PARAGRAPH_STYLES.map((s) => Type.Literal(s)), { description: 'text: a paragraph; bullet: an item of a list (consecutive bullets make one list)' }),
  en: Type.String(),
  cy: Type.String(),
  findingIds: Type.Array(Type.Integer(), { description: 'The findings the paragraph was drawn from' }),
  fixed: Type.Boolean({ description: 'Template wording, not checked by the writing rules; false once anyone changes it' }),
})

const SectionJson = Type.Object({
  id: Type.Integer(),
  key: Type.String({ description: 'opening, purpose, visit, focus:<id>, focus:<id>:working_well, focus:<id>:improvement or closing' }),
  level: Type.Integer({ description: 'Heading level under the letter\'s title: 2 for a section, 3 for a part of a focus area' }),
  focusAreaId: Type.Union([Type.Integer(), Type.Null()]),
  heading: BilingualJson,
  edited: Type.Boolean({ description: 'Changed by an inspector since it was built: a rebuild keeps it unless asked not to' }),
  translation: Type.Object({
    original: Type.Union([Lang, Type.Null()], { description: 'The language written last; null when both were written together' }),
    current: Type.Boolean({ description: 'Whether the other language is up to date with it' }),
  }),
  paragraphs: Type.Array(ParagraphJson),
})

const ProblemJson = Type.Object({
  rule: Type.String(),
  message: Type.String(),
  section: Type.Union([Type.Integer(), Type.Null()], { description: 'Section id' }),
  paragraph: Type.Union([Type.Integer(), Type.Null()], { description: 'Paragraph id' }),
  lang: Type.Union([Lang, Type.Null()], { description: 'The language of the text the problem is in' }),
})

export const LetterJson = Type.Object({
  id: Type.Integer(),
  elvId: Type.Integer(),
  state: Type.Union(LETTER_STATES.map((s) => Type.Literal(s))),
  version: Type.Integer({ description: 'Send it back with a change: 409 version_conflict when someone saved since' }),
  date: Type.String({ description: 'The date on the letter: the issue date once issued, today until then' }),
  title: BilingualJson,
  sections: Type.Array(SectionJson),
  problems: Type.Array(ProblemJson, { description: 'What the writing checks find in the inspectors\' words; empty for the authority' }),
})

const BuildBody = Type.Union([Type.Null(), Type.Object({
  keepEdited: Type.Optional(Type.Boolean({ description: 'Keep sections an inspector has edited (default true)' })),
  version: Type.Optional(Type.Integer({ minimum: 1, description: 'When given, refused with 409 if the letter has changed since' })),
})])

// Fields are optional here so the service can name every missing or wrong one at once, by its own name.
const ParagraphInputJson = Type.Object({
  id: Type.Optional(Type.Integer({ description: 'An existing paragraph of the section; leave out for a new one' })),
  style: Type.Optional(Type.String({ description: PARAGRAPH_STYLES.join(' or ') })),
  en: Type.Optional(Type.String({ description: 'Plain text, up to 5000 characters; markup is kept as text and escaped wherever shown' })),
  cy: Type.Optional(Type.String({ description: 'Plain text, up to 5000 characters' })),
  findingIds: Type.Optional(Type.Array(Type.Integer(), { description: 'Findings of this ELV' })),
})
const PatchBody = Type.Object({
  version: Type.Integer({ minimum: 1, description: 'The version you read' }),
  sections: Type.Array(Type.Object({
    key: Type.String(),
    heading: Type.Optional(Type.Object({ en: Type.Optional(Type.String()), cy: Type.Optional(Type.String()) })),
    paragraphs: Type.Optional(Type.Array(ParagraphInputJson, { description: 'The whole list, in order: paragraphs left out (or empty in both languages) are removed' })),
    translationCurrent: Type.Optional(Type.Boolean({ description: 'The other language is up to date with this change (true) or not (false); left out, it follows from which languages changed' })),
  }), { minItems: 1 }),
})

export function letterToJson(l: LetterModel, problems: readonly WritingProblem[]): Static<typeof LetterJson> {
  return {
    id: l.id, elvId: l.elvId, state: l.state, version: l.version, date: l.date, title: l.title,
    sections: l.sections.map((s) => ({
      id: s.id, key: s.key, level: s.level ?? 2, focusAreaId: s.focusAreaId, heading: s.heading, edited: s.edited, translation: s.translation,
      paragraphs: s.paragraphs.map((p) => ({ id: p.id, style: p.style, en: p.text.en, cy: p.text.cy, findingIds: p.findingIds, fixed: p.fixed })),
    })),
    problems: problems.map((p) => ({ rule: p.rule, message: p.message, section: p.section, paragraph: p.paragraph, lang: p.lang })),
  }
}

export function lettersApiRoutes(app: App, services: Services): void {
  const { letters } = services
  const read = app.require('visits:read')

  /** Problems only for the inspectorate: the authority reads the issued letter, not the checks on it. */
  const withProblems = async (req: FastifyRequest, model: LetterModel) => {
    // Looked up on each request: the checks are another module's, and may be absent.
    const checker = writingChecker(services.writingChecks)
    if (!checker || (req.actor?.kind === 'user' && req.actor.role === 'la')) return letterToJson(model, [])
    try {
      return letterToJson(model, await checker.check(model, req.lang))
    } catch (e) {
      // The letter (perhaps just saved) is still answered; the failure is named rather than passed off as "no problems".
      req.log.error({ err: e }, 'writing checks failed on a letter')
      return letterToJson(model, [{ rule: 'checks_unavailable', message: req.t('letters.problems.unavailable'), section: null, paragraph: null, lang: null }])
    }
  }

  app.post('/api/v1/elvs/:id/letter', {
    schema: {
      tags: ['letters'], summary: 'Build the letter from the findings, or rebuild the draft',
      description: 'Builds the draft from the ELV (201), or rebuilds it while it is a draft (200; otherwise 409 rule_violation): sections edited by an inspector are kept unless keepEdited is false. For the visit\'s team, its link inspector and administrators; 404 for authority users.',
      params: ElvParams, body: BuildBody, response: { 200: LetterJson, 201: LetterJson, ...errorResponses },
    },
    preHandler: read,
  }, async (req, reply) => {
    const body = (req.body ?? {}) as NonNullable<Static<typeof BuildBody>>
    const { letter, created } = await letters.build(req.actor!, (req.params as ElvParamsT).id, body)
    return reply.code(created ? 201 : 200).send(await withProblems(req, letter))
  })

  app.get('/api/v1/elvs/:id/letter', {
    schema: {
      tags: ['letters'], summary: 'The letter of an ELV, section by section in both languages, with the writing checks\' problems',
      description: 'Authority users get 404 until the letter is issued.',
      params: ElvParams, response: { 200: LetterJson, ...errorResponses },
    },
    preHandler: read,
  }, async (req) => withProblems(req, await letters.model(req.actor!, (req.params as ElvParamsT).id)))

  app.patch('/api/v1/elvs/:id/letter', {
    schema: {
      tags: ['letters'], summary: 'Change one or more sections (send the letter\'s version)',
      description: 'Plain text only. A stale version answers 409 version_conflict; an issued letter 409 rule_violation. A change to an approved letter sends it back to review. Translation: changing one language marks the other out of date unless translationCurrent is true; changing both marks it up to date.',
      params: ElvParams, body: PatchBody, response: { 200: LetterJson, ...errorResponses },
    },
    preHandler: read,
  }, async (req) => withProblems(req, await letters.update(req.actor!, (req.params as ElvParamsT).id, req.body as Static<typeof PatchBody>)))
}

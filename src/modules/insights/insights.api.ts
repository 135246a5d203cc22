import { Type, type Static, type TSchema } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'
import { errorResponses } from '../../http/api-schemas.ts'
import { sendSummaryFile } from './insights.routes.ts'
import { findPoint, FORMATS, MEDIA_TYPES } from './insights.view.ts'

// Every object admits more properties than listed, so the JSON is the service's summary whole,
// whatever the description lags behind (the response schema would otherwise drop them).
const Obj = <T extends Record<string, TSchema>>(props: T, description?: string) => Type.Object(props, { additionalProperties: true, ...(description ? { description } : {}) })
const Lang = Type.Union([Type.Literal('en'), Type.Literal('cy')])
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()])

const Source = Obj({
  type: Type.Union(['finding', 'recommendation', 'effectivePractice', 'elvFinding', 'letter'].map((s) => Type.Literal(s))),
  id: Type.String(),
}, 'A record the sentence rests on')
const Edit = Nullable(Obj({ text: Type.String(), by: Type.String(), at: Type.String() }, 'A reviewer\'s wording, kept beside the generated sentence; what is published when present'))
const RecordText = Obj({ gssCode: Type.String(), authority: Type.String(), text: Type.String(), lang: Lang })
const pointProps = {
  key: Type.String({ description: 'Stable across regenerations: the key to reword the point with' }),
  theme: Type.String(), label: Type.String(),
  count: Type.Integer({ description: 'How many local authorities' }), of: Type.Integer({ description: 'Of how many inspected' }),
  authorities: Type.Array(Type.String(), { description: 'GSS codes' }),
  sentence: Type.String({ description: 'The generated sentence' }),
  edited: Edit,
  sources: Type.Array(Source),
  details: Type.Array(RecordText, { description: 'The records\' own words' }),
}
const Point = Obj(pointProps)

export const InsightsSummaryJson = Obj({
  academicYear: Type.String({ description: '2023-2024, or a range 2021-2022..2023-2024' }),
  lang: Lang,
  title: Type.String(),
  authoritiesInspected: Type.Integer(),
  message: Nullable(Type.String({ description: 'Said when there is nothing to summarise: no core inspections in the period' })),
  intro: Type.String(),
  areas: Type.Array(Obj({ area: Type.String(), summary: Type.String(), goingWell: Type.Array(Point), needsToImprove: Type.Array(Point) })),
  recommendations: Type.Array(Point, { description: 'One per theme, most frequent first' }),
  effectivePractice: Type.Array(Obj({
    id: Type.String(), gssCode: Type.String(), authority: Type.String(), area: Type.String(), question: Type.String(), text: Type.String(), lang: Lang,
    reportUrl: Nullable(Type.String()),
  })),
  figures: Obj({
    coreInspections: Type.Integer(),
    byMedium: Obj({ welsh: Type.Integer(), english: Type.Integer(), bilingual: Type.Integer(), notRecorded: Type.Integer() }),
    caseStudies: Type.Integer(), elvsIssued: Type.Integer(),
  }),
  elvStrand: Obj({
    letters: Type.Integer(),
    themes: Type.Array(Obj({
      theme: Type.String(), label: Type.String(), workingWell: Type.Integer(), improvement: Type.Integer(),
      authorities: Type.Array(Type.String()), sentence: Type.String(), sources: Type.Array(Source),
    })),
  }, 'Issued ELV letters of the period: a separate strand'),
  charts: Obj({
    recommendationsByTheme: Type.Array(Obj({ label: Type.String(), count: Type.Integer() })),
    findingsByArea: Type.Array(Obj({ area: Type.String(), kind: Type.String(), kindLabel: Type.String(), count: Type.Integer() })),
  }),
  publication: Nullable(Obj({ publishedAt: Type.String(), publishedBy: Type.String() })),
  generatedAt: Type.String(),
})

const YearParams = Type.Object({ year: Type.String({ description: 'An academic year such as 2023-2024, or a range such as 2021-2022..2023-2024' }) })
const LangQuery = Type.Object({ lang: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('cy')], { description: 'The summary\'s language: en (default) or cy' })) })
const PointBody = Type.Object({
  lang: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('cy')], { description: 'The summary the point is in: en (default) or cy' })),
  key: Type.String({ description: 'The point\'s key, from the summary' }),
  text: Type.String({ description: 'The wording: up to 1000 characters' }),
})
const PointRef = Type.Object({
  lang: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('cy')])),
  key: Type.String(),
})
const yearOf = (req: FastifyRequest) => (req.params as Static<typeof YearParams>).year
const langOf = (req: FastifyRequest) => (req.query as Static<typeof LangQuery>).lang ?? 'en'

export function insightsApiRoutes(app: App, services: Services): void {
  const { insights } = services
  const read = app.require('insights:read')
  const edit = app.require('insights:edit')

  app.get('/api/v1/insights/:year', {
    schema: {
      tags: ['insights'],
      summary: 'The Early Insights summary of an academic year (or a range), in English or Welsh',
      description: 'Per framework area what is going well and what needs to improve (findings sharing a theme and kind, counted by authority), the overview of recommendations, effective practice, the year\'s figures and the separate strand of issued ELV letters. Every point lists its sources. A year with no core inspections answers 200 with an empty summary and a `message`; a year not written like 2023-2024 answers 400.',
      params: YearParams, querystring: LangQuery,
      response: { 200: InsightsSummaryJson, ...errorResponses },
    },
    preHandler: read,
  }, async (req) => insights.summary(yearOf(req), langOf(req)))

  for (const format of FORMATS) {
    app.get(`/api/v1/insights/:year/summary.${format}`, {
      schema: {
        tags: ['insights'],
        summary: `The Early Insights summary as ${format.toUpperCase()}`,
        description: `The same summary as the JSON, laid out as a document (${MEDIA_TYPES[format].split(';')[0]}), sent as an attachment.`,
        params: YearParams, querystring: LangQuery,
        response: { ...errorResponses },
      },
      preHandler: read,
    }, async (req, reply) => sendSummaryFile(reply, services, yearOf(req), format, langOf(req)))
  }

  const pointAfter = async (year: string, lang: 'en' | 'cy', key: string) => {
    const summary = await insights.summary(year, lang)
    return findPoint(summary, key)!.point
  }

  app.put('/api/v1/insights/:year/points', {
    schema: {
      tags: ['insights'],
      summary: 'Reword one point (reviewers and administrators)',
      description: 'The generated sentence is kept: the point answers with `sentence` (generated) and `edited` (the wording given). The wording stays with the point (by its key) when the summary is written again.',
      params: YearParams, body: PointBody,
      response: { 200: Point, ...errorResponses },
    },
    preHandler: edit,
  }, async (req) => {
    const body = req.body as Static<typeof PointBody>
    const lang = body.lang ?? 'en'
    await insights.editPoint(req.actor!, { year: yearOf(req), lang, key: body.key, text: body.text })
    return pointAfter(yearOf(req), lang, body.key)
  })

  app.delete('/api/v1/insights/:year/points', {
    schema: {
      tags: ['insights'],
      summary: 'Put a point back to its generated wording (reviewers and administrators)',
      description: 'The point is given by `key` (and `lang`) in the JSON body or, equally, in the query string.',
      params: YearParams,
      querystring: Type.Partial(PointRef),
      response: { 200: Point, ...errorResponses },
    },
    preHandler: edit,
  }, async (req) => {
    const from = (req.body && typeof req.body === 'object' ? req.body : req.query) as Partial<Static<typeof PointRef>>
    const lang = from.lang === 'cy' ? 'cy' : 'en'
    await insights.resetPoint(req.actor!, { year: yearOf(req), lang, key: from.key })
    return pointAfter(yearOf(req), lang, String(from.key))
  })

  app.post('/api/v1/insights/:year/publish', {
    schema: {
      tags: ['insights'],
      summary: 'Publish the summary (reviewers and administrators)',
      description: 'Marks the period\'s summary published (again, if it was). A period with no core inspections cannot be published (409).',
      params: YearParams,
      response: { 200: Type.Object({ academicYear: Type.String(), publication: Type.Object({ publishedAt: Type.String(), publishedBy: Type.String() }) }), ...errorResponses },
    },
    preHandler: edit,
  }, async (req) => {
    await insights.publish(req.actor!, yearOf(req))
    const summary = await insights.summary(yearOf(req), 'en')
    return { academicYear: summary.academicYear, publication: summary.publication! }
  })
}

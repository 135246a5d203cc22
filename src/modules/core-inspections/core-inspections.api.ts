import { Type, type Static } from '@sinclair/typebox'
import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'
import { errorResponses } from '../../http/api-schemas.ts'
import { BUNDLE_SCHEMA, MAX_BUNDLE_BYTES } from './core-inspections.bundle.ts'
import { CoreInspectionsService, type CoreInspectionView } from './core-inspections.service.ts'

const Lang = Type.Union([Type.Literal('en'), Type.Literal('cy')], { description: 'The language the text was written in' })
const Optional = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Optional(t)
const ThemeKeys = Type.Array(Type.String(), { description: 'Theme keys' })

/** A core inspection as the API shows it: the bundle's record with each row's id, the record's id and version. */
export const CoreInspectionJson = Type.Object({
  id: Type.Integer(),
  gssCode: Type.String({ description: 'ONS GSS code of the authority inspected' }),
  authority: Type.Object({ nameEn: Type.String(), nameCy: Type.String() }),
  academicYear: Type.String({ description: 'e.g. 2023-2024' }),
  framework: Optional(Type.String()),
  startsOn: Optional(Type.String()),
  endsOn: Optional(Type.String()),
  reportUrl: Optional(Type.String()),
  medium: Type.Optional(Type.Union([Type.Literal('welsh'), Type.Literal('english'), Type.Literal('bilingual')])),
  version: Type.Integer({ description: 'Send it back when changing the record: a stale version is refused with 409' }),
  recommendations: Type.Array(Type.Object({
    id: Type.Integer(), ref: Type.String(), text: Type.String(), lang: Lang, translation: Optional(Type.String()), themes: ThemeKeys,
  })),
  findings: Type.Array(Type.Object({
    id: Type.Integer(), area: Type.String(), frameworkAreaCode: Type.Union([Type.String(), Type.Null()], { description: 'The framework area the area matched, if any' }),
    kind: Type.Union([Type.Literal('going_well'), Type.Literal('needs_to_improve')]), text: Type.String(), lang: Lang, translation: Optional(Type.String()), themes: ThemeKeys,
  })),
  effectivePractice: Type.Array(Type.Object({
    id: Type.Integer(), area: Type.String(), question: Type.String(), text: Type.String(), lang: Lang,
    questionTranslation: Optional(Type.String()), translation: Optional(Type.String()),
  })),
})

export function coreInspectionToJson(v: CoreInspectionView): Static<typeof CoreInspectionJson> {
  const record = CoreInspectionsService.toRecord(v)
  return {
    id: v.id, ...record, authority: v.authority, version: v.version,
    recommendations: record.recommendations.map((r, i) => ({ id: v.recommendations[i]!.id, ...r, lang: r.lang ?? 'en', themes: r.themes ?? [] })),
    findings: record.findings.map((f, i) => ({ id: v.findings[i]!.id, ...f, frameworkAreaCode: v.findings[i]!.frameworkAreaCode, lang: f.lang ?? 'en', themes: f.themes ?? [] })),
    effectivePractice: record.effectivePractice.map((p, i) => ({ id: v.effectivePractice[i]!.id, ...p, lang: p.lang ?? 'en' })),
  }
}

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const YearQuery = Type.Object({ year: Type.Optional(Type.String({ pattern: '^[0-9]{4}-[0-9]{4}$', description: 'Only this academic year, e.g. 2023-2024' })) })
const ImportResultJson = Type.Object({
  created: Type.Integer(), updated: Type.Integer(), unchanged: Type.Integer(),
  themesCreated: Type.Array(Type.String(), { description: 'Keys of the themes the bundle defined that were created' }),
  coreInspections: Type.Array(Type.Object({
    id: Type.Integer(), gssCode: Type.String(), academicYear: Type.String(),
    outcome: Type.Union([Type.Literal('created'), Type.Literal('updated'), Type.Literal('unchanged')]),
  })),
})

// The bundle and the record are checked by the service (JSON Schema, then references), so that the
// API reports problems at the same JSON Pointers as the CLI and the upload page.
const BUNDLE_NOTE = 'The body is checked against the bundle\'s JSON Schema (GET /api/v1/core-inspections/import-schema) and its references; problems are listed in error.details, each at its JSON Pointer (path).'

export function coreInspectionApiRoutes(app: App, { coreInspections }: Services): void {
  app.get('/api/v1/core-inspections', {
    schema: {
      tags: ['core inspections'], summary: 'Core inspections in full, optionally of one academic year', querystring: YearQuery,
      response: { 200: Type.Object({ items: Type.Array(CoreInspectionJson) }), ...errorResponses },
    },
    preHandler: app.require('reference:read'),
  }, async (req) => {
    const { year } = req.query as Static<typeof YearQuery>
    const items = await Promise.all((await coreInspections.list(year)).map((s) => coreInspections.get(s.id)))
    return { items: items.map(coreInspectionToJson) }
  })

  app.get('/api/v1/core-inspections/import-schema', {
    schema: { tags: ['core inspections'], summary: 'The JSON Schema (draft 2020-12) of the import bundle', response: { ...errorResponses } },
    preHandler: app.require('reference:read'),
  }, async (_req, reply) => reply.type('application/schema+json; charset=utf-8').send(JSON.stringify(BUNDLE_SCHEMA)))

  app.get('/api/v1/core-inspections/:id', {
    schema: { tags: ['core inspections'], summary: 'One core inspection', params: IdParams, response: { 200: CoreInspectionJson, ...errorResponses } },
    preHandler: app.require('reference:read'),
  }, async (req) => coreInspectionToJson(await coreInspections.get((req.params as Static<typeof IdParams>).id)))

  app.put('/api/v1/core-inspections/:id', {
    schema: {
      tags: ['core inspections'],
      summary: 'Replace a core inspection (administrators)',
      description: `The body is one record of the import bundle (coreInspections[n]) with the record's version. Recommendations are matched to the stored ones by ref, findings and effective practice by position, so their ids stay where they can. ${BUNDLE_NOTE}`,
      params: IdParams,
      response: { 200: CoreInspectionJson, ...errorResponses },
    },
    preHandler: app.require('admin:reference'),
  }, async (req) => {
    const body = (req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? req.body : {}) as Record<string, unknown>
    const { version, ...record } = body
    return coreInspectionToJson(await coreInspections.update(req.actor!, (req.params as Static<typeof IdParams>).id, record, version ?? null))
  })

  app.post('/api/v1/core-inspections/import', {
    bodyLimit: MAX_BUNDLE_BYTES,
    schema: {
      tags: ['core inspections'],
      summary: 'Import a bundle of core inspections (administrators): all or nothing',
      description: `A core inspection is identified by gssCode and academicYear: new ones are created, recorded ones updated in place, and importing the same bundle again changes nothing. ${BUNDLE_NOTE}`,
      response: { 200: ImportResultJson, ...errorResponses },
    },
    preHandler: app.require('admin:reference'),
  }, async (req) => coreInspections.importBundle(req.actor!, req.body ?? null))
}

import { Type, type Static } from '@sinclair/typebox'
import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'
import { EVIDENCE_KINDS, FINDING_KINDS } from '../../db/schema.ts'
import { errorResponses } from '../../http/api-schemas.ts'
import { ElvParams, type ElvParamsT } from '../visits/visits.api.ts'
import type { TriangulationSettings } from './findings.repository.ts'
import type { FindingView } from './findings.service.ts'

const FindingKindJson = Type.Union(FINDING_KINDS.map((k) => Type.Literal(k)))
const EvidenceKindJson = Type.Union(EVIDENCE_KINDS.map((k) => Type.Literal(k)))

const TriangulationJson = Type.Object({
  items: Type.Integer({ description: 'Evidence items linked' }),
  kinds: Type.Integer({ description: 'Distinct kinds of evidence among them' }),
  sources: Type.Integer({ description: 'Distinct sources, compared ignoring case, spacing and accents' }),
  secure: Type.Boolean({ description: 'True when every part of the threshold is met' }),
  missing: Type.Array(Type.Object({
    rule: Type.Union([Type.Literal('items'), Type.Literal('kinds'), Type.Literal('sources')]),
    have: Type.Integer(),
    need: Type.Integer(),
  }), { description: 'What is short of the threshold; empty when secure' }),
})

export const FindingJson = Type.Object({
  id: Type.Integer(),
  elvId: Type.Integer(),
  focusAreaId: Type.Integer(),
  focusAreaTitle: Type.String(),
  kind: FindingKindJson,
  text: Type.String(),
  evidenceIds: Type.Array(Type.Integer()),
  evidence: Type.Array(Type.Object({ id: Type.Integer(), kind: EvidenceKindJson, title: Type.String(), source: Type.String() })),
  themes: Type.Array(Type.Object({ key: Type.String(), labelEn: Type.String(), labelCy: Type.String() })),
  version: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  triangulation: TriangulationJson,
})

export function findingToJson(f: FindingView): Static<typeof FindingJson> {
  return {
    id: f.id, elvId: f.elvId, focusAreaId: f.focusAreaId, focusAreaTitle: f.focusAreaTitle, kind: f.kind, text: f.text,
    evidenceIds: f.evidence.map((e) => e.id), evidence: f.evidence,
    themes: f.themes.map((t) => ({ key: t.key, labelEn: t.labelEn, labelCy: t.labelCy })),
    version: f.version, createdAt: f.createdAt, updatedAt: f.updatedAt, triangulation: f.triangulation,
  }
}

// Fields are optional here so the service can name every missing or wrong one at once, by its own name.
const FindingFields = {
  focusAreaId: Type.Optional(Type.Integer({ description: 'A focus area of this ELV that is not withdrawn' })),
  kind: Type.Optional(Type.String({ description: FINDING_KINDS.join(' or ') })),
  text: Type.Optional(Type.String({ description: 'Up to 2000 characters' })),
  evidenceIds: Type.Optional(Type.Array(Type.Integer(), { description: 'Evidence items of this same ELV; any other answers 400 naming it' })),
  themes: Type.Optional(Type.Array(Type.String(), { description: 'Theme keys, e.g. attendance' })),
}
const CreateBody = Type.Object(FindingFields)
const PatchBody = Type.Object({
  ...FindingFields,
  version: Type.Integer({ minimum: 1, description: 'The version you read; 409 version_conflict when someone saved since' }),
})
const FindingParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const DeleteQuery = Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1, description: 'When given, refused with 409 if the finding has changed since' })) })

const SettingsJson = Type.Object({
  minItems: Type.Integer(),
  minKinds: Type.Integer(),
  minSources: Type.Integer(),
  version: Type.Integer(),
  updatedAt: Type.Union([Type.String(), Type.Null()]),
})
const SettingsBody = Type.Object({
  minItems: Type.Optional(Type.Integer({ description: '1 to 20' })),
  minKinds: Type.Optional(Type.Integer({ description: '1 to 5 (there are five kinds of evidence)' })),
  minSources: Type.Optional(Type.Integer({ description: '1 to 20' })),
  version: Type.Optional(Type.Integer({ description: 'The version you read; 409 version_conflict when someone saved since' })),
})

const settingsToJson = (s: TriangulationSettings): Static<typeof SettingsJson> =>
  ({ minItems: s.minItems, minKinds: s.minKinds, minSources: s.minSources, version: s.version, updatedAt: s.updatedAt })

export function findingsApiRoutes(app: App, { findings }: Services): void {
  const read = app.require('visits:read')
  const admin = app.require('admin:reference')
  const notForAuthority = 'Findings are the inspectorate’s working record: authority users get 404.'

  app.get('/api/v1/elvs/:id/findings', {
    schema: {
      tags: ['findings'], summary: 'The findings of an ELV, by focus area, with their triangulation', description: notForAuthority,
      params: ElvParams, response: { 200: Type.Object({ items: Type.Array(FindingJson) }), ...errorResponses },
    },
    preHandler: read,
  }, async (req) => ({ items: (await findings.list(req.actor!, (req.params as ElvParamsT).id)).map(findingToJson) }))

  app.post('/api/v1/elvs/:id/findings', {
    schema: {
      tags: ['findings'], summary: 'Record a finding on a focus area, resting on evidence of the same ELV',
      description: 'Open until the letter is issued (then 409 rule_violation). Evidence of another ELV answers 400 validation_failed naming each id.',
      params: ElvParams, body: CreateBody, response: { 201: FindingJson, ...errorResponses },
    },
    preHandler: read,
  }, async (req, reply) => reply.code(201).send(findingToJson(await findings.create(req.actor!, (req.params as ElvParamsT).id, req.body as Static<typeof CreateBody>))))

  app.get('/api/v1/findings/:id', {
    schema: { tags: ['findings'], summary: 'One finding, with its version', description: notForAuthority, params: FindingParams, response: { 200: FindingJson, ...errorResponses } },
    preHandler: read,
  }, async (req) => findingToJson(await findings.get(req.actor!, (req.params as Static<typeof FindingParams>).id)))

  app.patch('/api/v1/findings/:id', {
    schema: {
      tags: ['findings'], summary: 'Change a finding (send its version)', description: 'Fields left out keep their values. A stale version answers 409 version_conflict.',
      params: FindingParams, body: PatchBody, response: { 200: FindingJson, ...errorResponses },
    },
    preHandler: read,
  }, async (req) => findingToJson(await findings.update(req.actor!, (req.params as Static<typeof FindingParams>).id, req.body as Static<typeof PatchBody>)))

  app.delete('/api/v1/findings/:id', {
    schema: { tags: ['findings'], summary: 'Delete a finding', params: FindingParams, querystring: DeleteQuery, response: { 204: Type.Null(), ...errorResponses } },
    preHandler: read,
  }, async (req, reply) => {
    await findings.remove(req.actor!, (req.params as Static<typeof FindingParams>).id, req.query as Static<typeof DeleteQuery>)
    return reply.code(204).send()
  })

  app.get('/api/v1/settings/triangulation', {
    schema: { tags: ['settings'], summary: 'The triangulation threshold (administrators)', response: { 200: SettingsJson, ...errorResponses } },
    preHandler: admin,
  }, async (req) => settingsToJson(await findings.settings(req.actor!)))

  app.put('/api/v1/settings/triangulation', {
    schema: {
      tags: ['settings'], summary: 'Change the triangulation threshold (administrators)',
      description: 'Whole numbers from 1 to 20 (kinds at most 5). Send the version you read: a stale one answers 409 version_conflict.',
      body: SettingsBody, response: { 200: SettingsJson, ...errorResponses },
    },
    preHandler: admin,
  }, async (req) => settingsToJson(await findings.saveSettings(req.actor!, req.body as Static<typeof SettingsBody>)))
}

import { Type, type Static, type TSchema } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'
import { EVIDENCE_KINDS, EVIDENCE_ORIGINS } from '../../db/schema.ts'
import { errorResponses, ErrorJson } from '../../http/api-schemas.ts'
import { paths } from '../../http/paths.ts'
import { uploadsIn } from '../../http/uploads.ts'
import { ElvParams, type ElvParamsT } from '../visits/visits.api.ts'
import type { EvidenceInput, EvidenceView } from './evidence.service.ts'

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()])

export const EvidenceJson = Type.Object({
  id: Type.Integer(),
  elvId: Type.Integer(),
  kind: Type.Union(EVIDENCE_KINDS.map((k) => Type.Literal(k))),
  title: Type.String(),
  body: Type.String(),
  source: Type.String({ description: 'Who said it, or which document it is' }),
  meetingId: Nullable(Type.Integer({ description: 'A meeting of the ELV’s timetable' })),
  gatheredOn: Type.String({ format: 'date' }),
  recordedAt: Type.String({ description: 'When it was first recorded; never changes' }),
  recordedBy: Nullable(Type.Object({ id: Type.Integer(), name: Type.String() })),
  updatedAt: Type.String(),
  focusAreaIds: Type.Array(Type.Integer()),
  themes: Type.Array(Type.String(), { description: 'Theme keys, e.g. attendance' }),
  files: Type.Array(Type.Object({
    id: Type.Integer(), fileName: Type.String(), mediaType: Type.String({ description: 'Detected from the content' }),
    sizeBytes: Type.Integer(), sha256: Type.String(), url: Type.String({ description: 'Where to download the file with the same token' }),
  })),
  origin: Nullable(Type.Object({ type: Type.Union(EVIDENCE_ORIGINS.map((o) => Type.Literal(o))), id: Type.Integer() }, { description: 'The link note or provider it was brought in from' })),
  fromAuthority: Type.Boolean({ description: 'Shared by the authority’s own users' }),
  version: Type.Integer({ description: 'Send it back with PATCH' }),
})

export function evidenceToJson(e: EvidenceView): Static<typeof EvidenceJson> {
  return {
    id: e.id, elvId: e.elv_id, kind: e.kind, title: e.title, body: e.body, source: e.source, meetingId: e.meeting_id,
    gatheredOn: e.gathered_on, recordedAt: e.recorded_at,
    recordedBy: e.recorded_by === null ? null : { id: e.recorded_by, name: e.recorded_by_name ?? '' },
    updatedAt: e.updated_at,
    focusAreaIds: e.focusAreaIds, themes: e.themes.map((t) => t.key),
    files: e.files.map((f) => ({ id: f.id, fileName: f.file_name, mediaType: f.media_type, sizeBytes: f.size_bytes, sha256: f.sha256, url: `/api/v1${paths.evidenceFile(e.id, f.id)}` })),
    origin: e.origin_type && e.origin_id !== null ? { type: e.origin_type, id: e.origin_id } : null,
    fromAuthority: e.from_authority === 1,
    version: e.version,
  }
}

const EvidenceParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })

// Optional everywhere, so the service names every missing or wrong field at once, by its own name.
const PatchBody = Type.Object({
  version: Type.Optional(Type.Integer({ minimum: 1, description: 'The version you read; refused with 409 version_conflict when someone saved since' })),
  kind: Type.Optional(Type.String({ description: EVIDENCE_KINDS.join(', ') })),
  title: Type.Optional(Type.String({ description: 'Up to 200 characters' })),
  body: Type.Optional(Type.String()),
  source: Type.Optional(Type.String({ description: 'Up to 200 characters' })),
  gatheredOn: Type.Optional(Type.String({ description: 'YYYY-MM-DD, not in the future' })),
  meetingId: Type.Optional(Nullable(Type.Integer())),
  focusAreaIds: Type.Optional(Type.Array(Type.Integer(), { description: 'Replaces the focus areas; live focus areas of this ELV' })),
  themes: Type.Optional(Type.Array(Type.String(), { description: 'Replaces the themes; theme keys' })),
}, { additionalProperties: false })

/** The most items one page of the API's log gives; asking with no `limit` keeps the old whole-log answer for existing clients. */
const MAX_LIST_LIMIT = 200

const ListQuery = Type.Object({
  kind: Type.Optional(Type.Union(EVIDENCE_KINDS.map((k) => Type.Literal(k)))),
  focusArea: Type.Optional(Type.Integer({ minimum: 1, description: 'Only items bearing on this focus area' })),
  theme: Type.Optional(Type.String({ description: 'Only items tagged with this theme key' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIST_LIMIT, description: `Items per page, 1 to ${MAX_LIST_LIMIT}; without it, every item` })),
  offset: Type.Optional(Type.Integer({ minimum: 0, description: 'Items to skip: the `next` of the page before' })),
})

const ListJson = Type.Object({
  items: Type.Array(EvidenceJson),
  total: Type.Integer({ description: 'How many items match the filters in all' }),
  next: Type.Union([Type.Integer(), Type.Null()], { description: 'Pass as `offset` for the next page; null on the last page' }),
})

const BringInBody = Type.Object({
  linkNoteId: Type.Optional(Type.Integer({ minimum: 1 })),
  providerId: Type.Optional(Type.Integer({ minimum: 1 })),
}, { additionalProperties: false })

const CREATE_DESCRIPTION = [
  'Send JSON `{ "kind", "title", "body", "source", "gatheredOn", "meetingId", "focusAreaIds": [], "themes": [] }`,',
  'or multipart/form-data with a `file` part (one or more) and the same fields as form fields; repeat `focusAreaIds`',
  'and `themes` or give them comma-separated. With a file, `title` and `source` default to its name.',
  '`kind` is one of ' + EVIDENCE_KINDS.join(', ') + '; `gatheredOn` is YYYY-MM-DD (today when left out).',
  'Every field is checked by the service and each problem is named in `error.details` (400).',
  'Authority users may add `authority_document` evidence (the default for them) to their own authority’s ELVs only.',
  'A file over the size limit answers 413 and one whose content is not an allowed type 415; nothing is kept.',
].join(' ')

/** Multipart fields arrive as text: a list may be a repeated field or comma-separated. */
const listField = (v: unknown): unknown => {
  if (v === undefined) return undefined
  const values = Array.isArray(v) ? v : [v]
  return values.flatMap((x) => (typeof x === 'string' ? x.split(',') : [x])).map((x) => (typeof x === 'string' ? x.trim() : x)).filter((x) => x !== '')
}

function createInput(req: FastifyRequest): EvidenceInput {
  const b = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>
  const input: EvidenceInput = {
    kind: b.kind, title: b.title, body: b.body, source: b.source, gatheredOn: b.gatheredOn, meetingId: b.meetingId,
    focusAreaIds: b.focusAreaIds, themes: b.themes,
  }
  if (!req.isMultipart()) return input
  return { ...input, focusAreaIds: listField(input.focusAreaIds), themes: listField(input.themes) }
}

/** `/api/v1/elvs/{id}/evidence` and `/api/v1/evidence/{id}`. */
export function evidenceApiRoutes(app: App, { evidence, themes }: Services): void {
  const read = app.require('visits:read')

  app.get('/api/v1/elvs/:id/evidence', {
    schema: {
      tags: ['evidence'], summary: 'The evidence log of an ELV, most recently gathered first',
      description: 'Authority users get only what their authority shared. Pages with `limit` and `offset` (pass `next` as `offset`).',
      params: ElvParams, querystring: ListQuery, response: { 200: ListJson, ...errorResponses },
    },
    preHandler: read,
  }, async (req) => {
    const q = req.query as Static<typeof ListQuery>
    const elvId = (req.params as ElvParamsT).id
    const theme = q.theme ? (await themes.list()).find((th) => th.key === q.theme) : undefined
    // An unknown theme matches nothing rather than everything.
    if (q.theme && !theme) return { items: [], total: 0, next: null }
    const filter = { kind: q.kind, focusAreaId: q.focusArea, themeId: theme?.id }
    if (q.limit === undefined && q.offset === undefined) {
      const items = await evidence.list(req.actor!, elvId, filter)
      return { items: items.map(evidenceToJson), total: items.length, next: null }
    }
    const offset = q.offset ?? 0
    const { items, total } = await evidence.slice(req.actor!, elvId, filter, { limit: q.limit ?? MAX_LIST_LIMIT, offset })
    return { items: items.map(evidenceToJson), total, next: offset + items.length < total ? offset + items.length : null }
  })

  app.post('/api/v1/elvs/:id/evidence', {
    schema: {
      tags: ['evidence'], summary: 'Record evidence, as JSON or as a multipart upload with files', description: CREATE_DESCRIPTION,
      consumes: ['application/json', 'multipart/form-data'],
      params: ElvParams, response: { 201: EvidenceJson, ...errorResponses, 413: ErrorJson, 415: ErrorJson },
    },
    preHandler: read,
  }, async (req, reply) => {
    const files = uploadsIn(req.body, 'file').map((f) => ({ fileName: f.fileName, data: f.data }))
    return reply.code(201).send(evidenceToJson(await evidence.create(req.actor!, (req.params as ElvParamsT).id, createInput(req), files)))
  })

  app.get('/api/v1/evidence/:id', {
    schema: { tags: ['evidence'], summary: 'One evidence item, with its version', params: EvidenceParams, response: { 200: EvidenceJson, ...errorResponses } },
    preHandler: read,
  }, async (req) => evidenceToJson(await evidence.get(req.actor!, (req.params as Static<typeof EvidenceParams>).id)))

  app.patch('/api/v1/evidence/:id', {
    schema: {
      tags: ['evidence'], summary: 'Change an evidence item (send its version)',
      description: 'Fields left out keep their values. A stale `version` answers 409 with error.code "version_conflict" and nothing is changed: read the item again and decide.',
      params: EvidenceParams, body: PatchBody, response: { 200: EvidenceJson, ...errorResponses },
    },
    preHandler: read,
  }, async (req) => evidenceToJson(await evidence.update(req.actor!, (req.params as Static<typeof EvidenceParams>).id, req.body as Static<typeof PatchBody>)))

  app.post('/api/v1/elvs/:id/evidence/bring-in', {
    schema: {
      tags: ['evidence'], summary: 'Bring a link note or a provider inspection into the evidence log',
      description: 'Send `{ "linkNoteId" }` or `{ "providerId" }` (of the ELV’s authority). The item keeps the link in `origin`. 201 when brought in; 200 with the item already made when it was brought in before. Link notes only for those who may read them.',
      params: ElvParams, body: BringInBody, response: { 200: EvidenceJson, 201: EvidenceJson, ...errorResponses },
    },
    preHandler: read,
  }, async (req, reply) => {
    const { item, created } = await evidence.bringInFrom(req.actor!, (req.params as ElvParamsT).id, req.body as Static<typeof BringInBody>)
    return reply.code(created ? 201 : 200).send(evidenceToJson(item))
  })
}

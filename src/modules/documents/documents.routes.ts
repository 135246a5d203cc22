import { Type } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'
import { errorResponses } from '../../http/api-schemas.ts'
import { notFound, validationFailed } from '../../http/errors.ts'
import { paths } from '../../http/paths.ts'
import { idParam } from '../../http/route-helpers.ts'
import { uploadsIn } from '../../http/uploads.ts'
import type { Upload } from '../evidence/attachments.ts'
import { contentDisposition } from './file-names.ts'

/** The files of a multipart form's `file` field, as the evidence service takes them. */
export function uploadsFrom(body: unknown): Upload[] {
  return uploadsIn(body, 'file').map((p) => ({ fileName: p.fileName, data: p.data }))
}

export const noFileChosen = () => validationFailed([{ path: 'file', messageKey: 'documents.error.noFile' }])

/** Uploading files to an evidence item, and downloading stored files (pages and API alike). */
export function documentsRoutes(app: App, { evidence }: Services): void {
  const download = async (req: FastifyRequest, reply: FastifyReply) => {
    const evidenceId = idParam(req, 'evidence', 'eid')
    const fileId = idParam(req, 'file', 'fid')
    // 404 unless the actor may see the item: an authority user, only what its authority shared.
    const { file, stream } = await evidence.file(req.actor!, evidenceId, fileId)
    return reply
      .header('content-type', file.media_type === 'text/plain' ? 'text/plain; charset=utf-8' : file.media_type)
      .header('content-length', file.size_bytes)
      // Always a download, never shown in our own origin: a shared file cannot run as a page here.
      .header('content-disposition', contentDisposition(file.file_name))
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-store')
      .send(stream)
  }

  app.get('/evidence/:eid/files/:fid', { preHandler: app.require('visits:read') }, download)

  app.get('/api/v1/evidence/:eid/files/:fid', {
    schema: {
      tags: ['evidence'],
      summary: 'Download a file of an evidence item',
      description: 'The bytes as uploaded, with the type detected from their content, as an attachment. 404 for an item the caller may not see (an authority user sees only what its authority shared).',
      params: Type.Object({ eid: Type.Integer({ minimum: 1 }), fid: Type.Integer({ minimum: 1 }) }),
      response: errorResponses,
    },
    preHandler: app.require('visits:read'),
  }, download)

  app.post('/elvs/:id/evidence/:eid/files', { preHandler: app.require('evidence:share') }, async (req, reply) => {
    const elvId = idParam(req, 'visit')
    const evidenceId = idParam(req, 'evidence', 'eid')
    const actor = req.actor!
    // The item must belong to the visit in the address, or the page we return to would be wrong.
    if ((await evidence.get(actor, evidenceId)).elv_id !== elvId) throw notFound('evidence')
    const uploads = uploadsFrom(req.body)
    if (!uploads.length) throw noFileChosen()
    const item = await evidence.attach(actor, evidenceId, uploads)
    // Authority users have no evidence item pages: their documents are on the Documents tab.
    const back = actor.role === 'la' ? paths.elvTab(item.elv_id, 'documents') : paths.evidenceItem(item.elv_id, item.id)
    return reply.flash('documents.attached', { count: uploads.length }).redirect(back, 303)
  })
}

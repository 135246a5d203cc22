import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'
import { authorityName, elvTabs } from './visits.view.ts'
import { AppError } from '../../http/errors.ts'
import { pageErrors } from '../../http/form-errors.ts'
import { paths } from '../../http/paths.ts'
import { idParam, isFormError } from '../../http/route-helpers.ts'
import { can } from '../auth/permissions.ts'
import { megabytes, tooLarge } from '../documents/attachments.service.ts'
import { noFileChosen, uploadsFrom } from '../documents/documents.routes.ts'
import { documentCard } from '../documents/documents.view.ts'
import { isEvidenceOpen } from '../evidence/evidence.service.ts'
import { ACCEPT_ATTRIBUTE, ALLOWED_NAMES } from '../documents/file-types.ts'
import { issuePanel } from '../letter-issue/letter-issue.view.ts'
import { formatDate } from '../../http/web.ts'

const idOf = (req: FastifyRequest) => idParam(req, 'visit')

/** What the upload form gives back on an error: the words typed (a chosen file cannot be kept). */
interface DocumentForm { title?: string; body?: string }

const text = (v: unknown) => (typeof v === 'string' ? v : undefined)

/**
 * The authority's own view of a visit. The dashboard by role is the home page (home.routes.ts,
 * built by dashboard.view.ts); here is the page where an authority shares documents it already has.
 */
export function portalRoutes(app: App, { visits, evidence, letterIssue, letters }: Services): void {
  const documentsPage = async (req: FastifyRequest, reply: FastifyReply, id: number, error?: AppError, values: DocumentForm = {}) => {
    const actor = req.actor!
    // 404 for an ELV the actor may not see (another authority's), before anything else is read.
    const elv = await visits.get(actor, id)
    const isAuthority = actor.role === 'la'
    const [items, canUpload, letterFiles] = await Promise.all([
      // The repository shows an authority user only what its authority shared.
      evidence.list(actor, id, { kind: 'authority_document' }),
      evidence.canRecord(actor, elv),
      // The feedback letter, once issued: the authority reads it here, in both languages.
      letterIssue.issuedFiles(actor, id),
    ])
    const issuedLetter = letterFiles.length
      ? issuePanel(id, { t: req.t, issuedOn: formatDate((await letters.model(actor, id)).date, req.lang), files: letterFiles, version: 0, may: false, unmet: [] })
      : undefined
    const name = authorityName(elv, req.lang)
    return reply.render('visits/views/documents.njk', {
      elv,
      title: req.t('visits.title', { authority: name, ordinal: req.t(`visits.ordinal.${elv.ordinal}`) }),
      tabs: elvTabs(id, 'documents', req.t),
      isAuthority,
      issuedLetter,
      documents: items.map((item) => documentCard(item, { t: req.t, authorityName: name, forAuthority: isAuthority })),
      canUpload,
      open: isEvidenceOpen(elv.state),
      action: paths.elvTab(id, 'documents'),
      accept: ACCEPT_ATTRIBUTE,
      fileHint: req.t('visits.documents.fileHint', { allowed: ALLOWED_NAMES, max: megabytes(evidence.attachments.maxBytes) }),
      values,
      errors: error ? pageErrors(error.details, req.t) : undefined,
    }, error ? error.status : 200)
  }

  app.get('/elvs/:id/documents', { preHandler: app.require('visits:read') }, async (req, reply) => documentsPage(req, reply, idOf(req)))

  app.post('/elvs/:id/documents', {
    preHandler: app.require('evidence:share'),
    // A file over the limit is refused while the form is read, before this route's handler: show
    // the same page with the problem beside the file field, rather than a bare error page.
    errorHandler: async (err: FastifyError, req, reply) => {
      if (err.code !== 'FST_REQ_FILE_TOO_LARGE' || !req.actor || !can(req.actor, 'evidence:share')) throw err
      // Only a page is shown (nothing is written), so the form's CSRF token, never read, is not needed.
      return documentsPage(req, reply, idOf(req), tooLarge(evidence.attachments.maxBytes))
    },
  }, async (req, reply) => {
    const id = idOf(req)
    const actor = req.actor!
    const form = (req.body ?? {}) as Record<string, unknown>
    const values: DocumentForm = { title: text(form.title), body: text(form.body) }
    try {
      const uploads = uploadsFrom(form)
      if (!uploads.length) throw noFileChosen()
      const elv = await visits.get(actor, id)
      // The authority's own documents come from the authority (one spelling whatever the reader's
      // language, so it counts as one source in triangulation); an inspector's upload names its file.
      const source = actor.role === 'la' ? elv.authority_name_en : ''
      const item = await evidence.create(actor, id, { kind: 'authority_document', title: values.title ?? '', body: values.body ?? '', source }, uploads)
      return reply.flash(actor.role === 'la' ? 'visits.documents.shared' : 'visits.documents.added', { title: item.title }).redirect(paths.elvTab(id, 'documents'), 303)
    } catch (e) {
      if (isFormError(e) || (e instanceof AppError && (e.code === 'unsupported_media_type' || e.code === 'payload_too_large'))) {
        return documentsPage(req, reply, id, e, values)
      }
      throw e
    }
  })
}

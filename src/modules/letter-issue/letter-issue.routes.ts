import { Type } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'
import { errorResponses } from '../../http/api-schemas.ts'
import { AppError, notFound } from '../../http/errors.ts'
import { pageErrors } from '../../http/form-errors.ts'
import { idParam, isFormError } from '../../http/route-helpers.ts'
import { paths } from '../../http/paths.ts'
import { contentDisposition } from '../documents/file-names.ts'
import { LetterJson, letterToJson } from '../letters/letters.api.ts'
import { contentSecurityPolicyOf, renderLetterHtmlDocument } from '../letters/render/html.ts'
import { renderLetterPdf } from '../letters/render/pdf.ts'
import { LETTER_LANGUAGES, type LetterLanguages } from '../letters/render/layout.ts'
import { fileName, MEDIA_TYPES } from './letter-issue.service.ts'
import type { IssuedFormat } from './letter-issue.repository.ts'

const langOf = (req: FastifyRequest): LetterLanguages => {
  const lang = (req.query as { lang?: string }).lang ?? 'both'
  if (!(LETTER_LANGUAGES as readonly string[]).includes(lang)) {
    throw new AppError('validation_failed', 'lang must be en, cy or both.', [{ path: 'lang', messageKey: 'letterIssue.rule.lang' }])
  }
  return lang as LetterLanguages
}

/** Downloads of the letter (as issued, byte for byte, or rendered from the draft) and the issue action. */
export function letterIssueRoutes(app: App, services: Services): void {
  const { letterIssue, letters } = services
  const read = app.require('visits:read')

  /**
   * The letter in one format: the stored file once issued (exactly what the director received),
   * otherwise rendered now from the draft for the team (authority users never see a draft: 404).
   */
  const output = (format: IssuedFormat) => async (req: FastifyRequest, reply: FastifyReply) => {
    const elvId = idParam(req, 'visit')
    const lang = langOf(req)
    const issued = await letterIssue.issuedFile(req.actor!, elvId, format, lang)
    let bytes: Buffer | NodeJS.ReadableStream
    let name: string
    let csp: string | undefined
    if (issued) {
      name = issued.name
      reply.header('x-content-sha256', issued.file.sha256)
      if (format === 'html') {
        const html = Buffer.concat(await issued.stream.toArray())
        bytes = html
        csp = contentSecurityPolicyOf(html.toString('utf8'))
      } else bytes = issued.stream
    } else {
      const model = await letters.model(req.actor!, elvId)
      const words = { en: services.i18n.translator('en'), cy: services.i18n.translator('cy') }
      name = fileName(model, format, lang)
      if (format === 'pdf') bytes = await renderLetterPdf(model, lang, words)
      else if (format === 'docx') bytes = await (await import('../letters/render/docx.ts')).renderLetterDocx(model, lang, words)
      else {
        const doc = renderLetterHtmlDocument(model, lang, words)
        bytes = Buffer.from(doc.html, 'utf8')
        csp = doc.contentSecurityPolicy
      }
    }
    // The letter's own stylesheet is allowed by its hash; nothing else may load or run.
    if (csp) reply.header('content-security-policy', csp)
    return reply.type(MEDIA_TYPES[format]).header('cache-control', 'private, no-store')
      .header('content-disposition', contentDisposition(name, format === 'html' ? 'inline' : 'attachment'))
      .send(bytes)
  }

  const outputSchema = (format: IssuedFormat) => ({
    tags: ['letters'], summary: `The letter as ${format.toUpperCase()}`,
    description: 'Welsh and English (`both`, Welsh first, the default), or one language. Once issued, the stored file exactly as issued (its SHA-256 in `x-content-sha256`); before that, rendered from the draft for the inspectorate (404 for authority users).',
    params: Type.Object({ id: Type.String() }),
    querystring: Type.Object({ lang: Type.Optional(Type.String({ description: 'en, cy or both' })) }),
    response: { ...errorResponses },
  })
  for (const format of ['docx', 'pdf', 'html'] as const) {
    app.get(`/api/v1/elvs/:id/letter.${format}`, { schema: outputSchema(format), preHandler: read }, output(format))
    app.get(`/elvs/:id/letter.${format}`, { preHandler: read }, output(format))
  }

  app.post('/api/v1/elvs/:id/letter/issue', {
    schema: {
      tags: ['letters'], summary: 'Issue the approved letter',
      description: 'By an administrator or the visit\'s lead inspector. Locks the letter, stores its files unchanged with their checksums, sends the director one e-mail with both languages, shows it to the authority and moves the visit to `issued`. A rule not met answers 409 `rule_violation` with the reasons.',
      params: Type.Object({ id: Type.String() }),
      body: Type.Object({ version: Type.Integer({ minimum: 1 }) }),
      response: { 200: LetterJson, ...errorResponses },
    },
    preHandler: read,
  }, async (req) => letterToJson(await letterIssue.issue(req.actor!, idParam(req, 'visit'), req.body as { version: number }), []))

  app.post('/elvs/:id/letter/issue', { preHandler: read }, async (req, reply) => {
    const elvId = idParam(req, 'visit')
    const body = (req.body ?? {}) as Record<string, string | undefined>
    try {
      await letterIssue.issue(req.actor!, elvId, { version: body.version })
      return reply.flash('letterIssue.flash.issued').redirect(`${paths.elvTab(elvId, 'letter')}#issue`, 303)
    } catch (e) {
      if (!isFormError(e)) throw e
      reply.flash('letterIssue.flash.notIssued')
      return reply.render('letter-issue/views/refused.njk', { elvId, letterHref: paths.elvTab(elvId, 'letter'), errors: pageErrors(e.details, req.t) }, e.status)
    }
  })

  // An unknown format is a missing page, not an error.
  app.get('/elvs/:id/letter.:other', { preHandler: read }, async () => { throw notFound('letter') })
}

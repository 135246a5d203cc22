import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { I18n } from '../i18n/catalogue.ts'
import { AppError, rateLimited, type ErrorDetail } from './errors.ts'
import { pageErrors, translateDetail, type PageErrors } from './form-errors.ts'

/** Turns any error into the API's `{ error: { code, message, details } }` or an error page; never a stack trace. */
export function installErrorHandlers(app: FastifyInstance, i18n: I18n): void {
  const english = i18n.translator('en')

  app.setErrorHandler(async (err: FastifyError, req, reply) => {
    const appError = toAppError(err)
    if (!appError) req.log.error({ err, reqId: req.id }, 'unhandled error')
    else if (appError.status >= 400) req.log.info({ code: appError.code, reqId: req.id }, appError.message)
    const e = appError ?? new AppError('bad_request', 'Something went wrong.')
    const status = appError ? appError.status : 500
    if (isApi(req)) {
      return reply.code(status).send({
        error: {
          code: appError ? e.code : 'internal_error',
          message: appError ? e.message : `Something went wrong on our side. Quote request ${req.id} if you report it.`,
          details: e.details.map((d) => ({ path: d.path, code: d.messageKey, message: translateDetail(d, english) })),
        },
      })
    }
    return renderError(req, reply, status, appError ? e : undefined)
  })

  app.setNotFoundHandler(async (req, reply) => {
    if (isApi(req)) return reply.code(404).send({ error: { code: 'not_found', message: `No such API route: ${req.method} ${req.url.split('?')[0]}`, details: [] } })
    return renderError(req, reply, 404)
  })

  async function renderError(req: FastifyRequest, reply: FastifyReply, status: number, error?: AppError) {
    req.t ??= i18n.translator(req.lang ?? 'en')
    const template = status === 404 ? 'errors/404.njk' : status === 403 ? 'errors/403.njk' : status >= 500 ? 'errors/500.njk' : 'errors/400.njk'
    const csrf = error?.code === 'forbidden' && error.details.some((d) => d.path === 'csrf')
    try {
      return await reply.render(template, {
        requestId: req.id,
        csrf,
        // An error page has no fields to jump to: the summary lists the problems as plain text.
        errors: error && error.details.length ? withoutLinks(pageErrors(error.details, req.t)) : undefined,
        rateLimited: error?.code === 'rate_limited',
      }, status)
    } catch (renderErr) {
      // The error page itself failed (the database may be down): plain text, still no stack trace.
      req.log.error({ err: renderErr }, 'error page failed to render')
      return reply.code(status).type('text/plain; charset=utf-8').send(`Error ${status}. Request ${req.id}.`)
    }
  }
}

/** numeric_value_out_of_range, invalid_text_representation (such as "Infinity" for an integer). */
const PG_BAD_INTEGER = new Set(['22003', '22P02'])
const MALFORMED_MULTIPART = /^(Multipart: Boundary not found|Unexpected end of multipart data|\w+ terminated early due to unexpected end of multipart data)$/

function isApi(req: FastifyRequest): boolean {
  return req.url.startsWith('/api/')
}

/** Known errors become AppErrors with the right status; undefined means a real fault (500). */
function toAppError(err: FastifyError): AppError | undefined {
  if (err instanceof AppError) return err
  if (err.validation) {
    const details: ErrorDetail[] = err.validation.map((v) => {
      const missing = (v.params as { missingProperty?: string } | undefined)?.missingProperty
      const base = `${err.validationContext ?? 'body'}${v.instancePath.replace(/\//g, '.')}`
      return { path: missing ? `${base}.${missing}` : base, messageKey: 'validation.schema', params: { problem: v.message ?? 'invalid' } }
    })
    return new AppError('validation_failed', 'The request does not match the schema: see details.', details)
  }
  if (err.code === 'FST_CSRF_INVALID_TOKEN' || err.code === 'FST_CSRF_MISSING_SECRET') {
    return new AppError('forbidden', 'The form had expired or did not come from this site. Go back, reload the page and try again.', [{ path: 'csrf', messageKey: 'errors.csrf' }])
  }
  if (err.statusCode === 429) return rateLimited()
  // PostgreSQL refuses a number out of range for an integer column, which only a request can bring
  // (SQLite stores any): the ids and versions routes read are checked, this catches the rest.
  if (PG_BAD_INTEGER.has(String(err.code)) && 'routine' in err) {
    return new AppError('bad_request', 'A number in the request is too large or not a whole number, so nothing can be found or saved with it.')
  }
  // The multipart parser's own errors for a cut-off or malformed body carry no status.
  if (!err.statusCode && MALFORMED_MULTIPART.test(err.message)) return new AppError('bad_request', `The multipart body is malformed: ${err.message}.`)
  if (err.statusCode === 415) return new AppError('unsupported_media_type', 'Unsupported content type: send JSON (application/json), a form or a multipart upload.')
  if (err.statusCode === 413) {
    return new AppError('payload_too_large', 'The request or file is too large: nothing was saved.', [{ path: 'file', messageKey: 'errors.tooLarge' }])
  }
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    // Malformed JSON and similar client mistakes: say what the parser said, as a 400, not a 500.
    return new AppError('bad_request', err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || /JSON/i.test(err.message) ? `The request body is not valid JSON: ${err.message}` : err.message)
  }
  return undefined
}

function withoutLinks(errors: PageErrors): { list: Array<{ text: string }>; byField: PageErrors['byField'] } {
  return { ...errors, list: errors.list.map(({ text }) => ({ text })) }
}

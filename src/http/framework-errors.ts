import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import type { I18n } from '../i18n/catalogue.ts'

/**
 * The security headers of an answer given before any hook has run, when helmet has not set them:
 * nothing may load, frame or sniff it.
 */
const BASELINE_HEADERS = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
}

/**
 * Fastify's `frameworkErrors`: a request refused before routing (an address that is not valid
 * percent-encoding, a part of it longer than any id) gets the security headers and the app's
 * error shape, not Fastify's bare JSON. Pages answer plain text: no page can be drawn without the
 * hooks that have not run.
 */
export function frameworkErrorHandler(i18n: I18n) {
  return (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400
    reply.headers(BASELINE_HEADERS).code(status)
    if (req.url.startsWith('/api/')) {
      return reply.send({ error: { code: 'bad_request', message: 'The address is not valid: a part of it is badly encoded or too long.', details: [] } })
    }
    const t = i18n.translator(/^\s*cy\b/i.test(String(req.headers['accept-language'] ?? '')) ? 'cy' : 'en')
    return reply.type('text/plain; charset=utf-8').send(`${t('errors.badRequest.title')}. ${t('errors.badRequest.body')}`)
  }
}

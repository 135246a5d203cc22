import type { FastifyReply, FastifyRequest } from 'fastify'
import type { App } from '../../app.ts'
import type { Config } from '../../config.ts'
import type { Services } from '../../services.ts'
import { SESSION_COOKIE } from '../../http/web.ts'
import { safeReturnPath } from '../../http/paths.ts'
import { sessionCookieOptions } from './auth.routes.ts'
import { OidcFailure, OidcService, PENDING_MAX_AGE_SECONDS } from './oidc.service.ts'

/** Carries state, nonce, PKCE verifier and return path across the trip to the provider. */
export const OIDC_COOKIE = 'cyswllt_oidc'
const COOKIE_PATH = '/auth/oidc'

/** OpenID Connect single sign-on; only when OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are set. */
export async function oidcRoutes(app: App, services: Services, config: Config): Promise<void> {
  if (!config.oidc) return
  // No discovery here: the app must start even when the identity provider is down.
  const oidc = new OidcService(config.oidc, config.publicUrl, {
    db: services.database.db, clock: services.clock, audit: services.audit, auth: services.auth, users: services.users,
  })

  const pendingCookie = (req: FastifyRequest): string | undefined => {
    const raw = req.cookies[OIDC_COOKIE]
    if (!raw) return undefined
    const unsigned = req.unsignCookie(raw)
    return unsigned.valid && unsigned.value ? unsigned.value : undefined
  }

  const failurePage = (req: FastifyRequest, reply: FastifyReply, err: unknown, next: string) => {
    const reason = err instanceof OidcFailure ? err.reason : 'failed'
    if (reason === 'no_account') req.log.info({ err }, 'single sign-on: no usable account')
    else req.log.warn({ err }, 'single sign-on failed')
    const key = reason === 'no_account' ? 'auth.sso.noAccount' : 'auth.sso.failed'
    const status = reason === 'no_account' ? 403 : reason === 'unavailable' ? 503 : 400
    return reply.render('auth/views/sign-in.njk', {
      next, sso: true, values: {},
      errors: { list: [{ text: req.t(key) }], byField: {} },
    }, status)
  }

  app.get<{ Querystring: { next?: string } }>('/auth/oidc/start', {
    config: { rateLimit: { max: config.rateLimit.signInPerMinute, timeWindow: '1 minute' } },
  }, async (req, reply) => {
    const next = safeReturnPath(req.query.next)
    if (req.actor) return reply.redirect(next)
    try {
      const { redirectTo, pending } = await oidc.begin(next)
      reply.setCookie(OIDC_COOKIE, pending, {
        path: COOKIE_PATH, httpOnly: true, sameSite: 'lax', secure: config.secureCookies, signed: true, maxAge: PENDING_MAX_AGE_SECONDS,
      })
      return reply.redirect(redirectTo)
    } catch (err) {
      return failurePage(req, reply, err, next)
    }
  })

  app.get('/auth/oidc/callback', {
    config: { rateLimit: { max: config.rateLimit.signInPerMinute, timeWindow: '1 minute' } },
  }, async (req, reply) => {
    const pending = pendingCookie(req)
    // Used once, whatever the outcome: a replayed callback finds no state.
    reply.clearCookie(OIDC_COOKIE, { path: COOKIE_PATH })
    try {
      const result = await oidc.finish(new URL(config.publicUrl + req.url), pending)
      reply.setCookie(SESSION_COOKIE, result.sessionToken, sessionCookieOptions(config))
      return reply.redirect(result.next, 303)
    } catch (err) {
      return failurePage(req, reply, err, oidc.nextFrom(pending))
    }
  })
}

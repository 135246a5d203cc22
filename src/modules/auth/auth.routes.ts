import type { App } from '../../app.ts'
import type { Config } from '../../config.ts'
import type { Services } from '../../services.ts'
import { isLanguage } from '../../i18n/catalogue.ts'
import { LANGUAGE_COOKIE, SESSION_COOKIE } from '../../http/web.ts'
import { paths, safeReturnPath } from '../../http/paths.ts'
import { fieldId } from '../../http/form-errors.ts'

interface SignInBody { email?: unknown; password?: unknown; next?: unknown }
/** A form field as text: a repeated field arrives as a list, which is no e-mail address or password. */
const textOf = (v: unknown): string => (typeof v === 'string' ? v : '')

export function sessionCookieOptions(config: Config) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: config.secureCookies, maxAge: config.sessionHours * 3600 }
}

export function authRoutes(app: App, { auth }: Services, config: Config): void {
  app.get<{ Querystring: { next?: string } }>('/sign-in', async (req, reply) => {
    if (req.actor) return reply.redirect(safeReturnPath(req.query.next))
    return reply.render('auth/views/sign-in.njk', { next: safeReturnPath(req.query.next), sso: Boolean(config.oidc), values: {} })
  })

  app.post<{ Body: SignInBody }>('/sign-in', {
    // Per address, on top of the per-account lock-out in the service.
    config: { rateLimit: { max: config.rateLimit.signInPerMinute, timeWindow: '1 minute' } },
  }, async (req, reply) => {
    const email = textOf(req.body?.email)
    const password = textOf(req.body?.password)
    const next = safeReturnPath(req.body?.next)
    const missing: Array<{ path: string; key: string }> = []
    if (!email.trim()) missing.push({ path: 'email', key: 'auth.signIn.emailMissing' })
    if (!password) missing.push({ path: 'password', key: 'auth.signIn.passwordMissing' })
    const errorsFor = (items: Array<{ path: string; key: string }>) => ({
      list: items.map((i) => ({ text: req.t(i.key), href: `#${fieldId(i.path)}` })),
      byField: Object.fromEntries(items.map((i) => [i.path, { text: req.t(i.key) }])),
    })
    if (missing.length) {
      return reply.render('auth/views/sign-in.njk', { next, sso: Boolean(config.oidc), values: { email }, errors: errorsFor(missing) }, 400)
    }
    const result = await auth.signIn(email, password)
    if (!result.ok) {
      // One message for every failure: wrong password, unknown account, disabled or locked.
      return reply.render('auth/views/sign-in.njk', {
        next, sso: Boolean(config.oidc), values: { email },
        errors: errorsFor([{ path: 'email', key: 'auth.signIn.failed' }]),
      }, 401)
    }
    reply.setCookie(SESSION_COOKIE, result.sessionToken, sessionCookieOptions(config))
    return reply.redirect(next, 303)
  })

  app.post('/sign-out', async (req, reply) => {
    await auth.signOut(req.actor, req.cookies[SESSION_COOKIE])
    reply.clearCookie(SESSION_COOKIE, { path: '/' })
    return reply.flash('auth.signedOut').redirect(paths.signIn(), 303)
  })

  // A plain link, so switching language works without JavaScript and returns to the same page.
  app.get<{ Params: { lang: string }; Querystring: { back?: string } }>('/language/:lang', async (req, reply) => {
    const lang = isLanguage(req.params.lang) ? req.params.lang : 'en'
    reply.setCookie(LANGUAGE_COOKIE, lang, { path: '/', httpOnly: true, sameSite: 'lax', secure: config.secureCookies, maxAge: 365 * 86400 })
    return reply.redirect(safeReturnPath(req.query.back), 303)
  })
}

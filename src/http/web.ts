import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import fp from 'fastify-plugin'
import nunjucks from 'nunjucks'
import { keepImportedMacros } from './nunjucks-imports.ts'
import { withKeptHtml } from './rendered-fragment.ts'
import cookie from '@fastify/cookie'
import formbody from '@fastify/formbody'
import multipart from '@fastify/multipart'
import helmet from '@fastify/helmet'
import csrf from '@fastify/csrf-protection'
import rateLimit from '@fastify/rate-limit'
import fastifyStatic from '@fastify/static'
import view from '@fastify/view'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../config.ts'
import { keepFilePart } from './uploads.ts'
import type { Language } from '../db/schema.ts'
import { isLanguage, type I18n, type Translate } from '../i18n/catalogue.ts'
import type { UserActor } from '../modules/auth/actor.ts'
import { can, type Permission } from '../modules/auth/permissions.ts'
import type { AuthService } from '../modules/auth/auth.service.ts'
import { AppError, rateLimited } from './errors.ts'
import { navigationFor } from './navigation.ts'
import { safeReturnPath } from './paths.ts'
import { chooseEncoding, type Encoding, type PageCache } from './page-cache.ts'

export const SESSION_COOKIE = 'cyswllt_session'
export const LANGUAGE_COOKIE = 'cyswllt_lang'
const FLASH_COOKIE = 'cyswllt_flash'
const CSRF_COOKIE = 'cyswllt_csrf'
/** The load balancer's health checks are never throttled. */
const UNTHROTTLED_ROUTES = new Set(['/healthz', '/readyz'])

declare module 'fastify' {
  interface FastifyRequest {
    actor: UserActor | undefined
    lang: Language
    t: Translate
    /** Set on a page kept in the page cache when this request did not find it: where render keeps it. */
    pageToKeep: { key: string; stamp: string; encoding: Encoding } | undefined
  }
  interface FastifyContextConfig {
    /**
     * This page may be kept per reader and served again while nothing is written (see
     * src/http/page-cache.ts). Only for a GET page whose every part comes from the database (every
     * write audited), the reader, the language, its address and today's date, and that sets no header.
     */
    pageCache?: boolean
  }
  interface FastifyReply {
    /** Renders a page inside the layout with the reader's language, navigation and form token. */
    render(template: string, data?: Record<string, unknown>, status?: number): Promise<FastifyReply>
    /** A one-off message shown on the next page (after a redirect). */
    flash(key: string, params?: Record<string, string | number>): FastifyReply
  }
  interface FastifyInstance {
    /** A preHandler that lets the request through only when its actor holds the permission. */
    require(permission: Permission): (req: FastifyRequest, reply: FastifyReply) => Promise<void>
  }
}

const srcDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)
export const govukDist = path.dirname(path.dirname(require.resolve('govuk-frontend/package.json'))) + '/govuk-frontend/dist'

export function configureNunjucks(env: nunjucks.Environment): void {
  keepImportedMacros()
  env.addFilter('date', (iso: unknown, lang: Language = 'en') => formatDate(iso, lang))
  env.addFilter('dateTime', (iso: unknown, lang: Language = 'en') => formatDateTime(iso, lang))
}

// Building an Intl.DateTimeFormat costs far more than formatting with one: one of each per language, made once.
const dateFormats = new Map<string, Intl.DateTimeFormat>()
const dateFormat = (kind: 'date' | 'dateTime', lang: Language): Intl.DateTimeFormat => {
  const key = `${kind}|${lang}`
  let f = dateFormats.get(key)
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'cy' ? 'cy-GB' : 'en-GB', kind === 'date'
      ? { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' }
      : { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' })
    dateFormats.set(key, f)
  }
  return f
}

export function formatDate(iso: unknown, lang: Language): string {
  if (typeof iso !== 'string' || !iso) return ''
  const d = new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso)
  return dateFormat('date', lang).format(d)
}

export function formatDateTime(iso: unknown, lang: Language): string {
  if (typeof iso !== 'string' || !iso) return ''
  return dateFormat('dateTime', lang).format(new Date(iso))
}

/**
 * The CSP hashes of the inline scripts of GOV.UK Frontend's page template (one, which marks the
 * page as having JavaScript), read from the template itself so an upgrade that changes it still works.
 */
export function inlineScriptHashes(): string[] {
  const template = fs.readFileSync(path.join(govukDist, 'govuk/template.njk'), 'utf8')
  return [...template.matchAll(/<script\b[^>]*>([^<]+)<\/script>/g)].map((m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`)
}

/** The template search path: shared views, module views (`<module>/views/x.njk`), GOV.UK Frontend. */
export const templateDirs = [path.join(srcDir, 'views'), path.join(srcDir, 'modules'), govukDist]

export interface WebOptions {
  config: Config
  i18n: I18n
  auth: AuthService
  /** Whole pages kept per reader, and the stamp a kept page is good for (read once per request). */
  pages: { cache: PageCache; stamp: () => Promise<string> }
}

/** Everything a server-rendered page needs: cookies, forms, CSRF, security headers, language, the signed-in user. */
export const webPlugin = fp<WebOptions>(async (app, { config, i18n, auth, pages }) => {
  await app.register(cookie, { secret: config.cookieSecret })
  await app.register(formbody, { bodyLimit: 1_048_576 })
  // File upload forms: fields and the file arrive as plain values in req.body (the file as a
  // Buffer), parsed before the CSRF check so the form's token is read the same way as any form's.
  // Uploads are limited per file by UPLOAD_MAX_MB; a larger one is refused with 413 before any route runs.
  await app.register(multipart, { attachFieldsToBody: 'keyValues', onFile: keepFilePart, limits: { fileSize: config.files.maxBytes, files: 10, fields: 50 } })
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // No nonce: the same page can then be kept and sent again (src/http/page-cache.ts).
        scriptSrc: ["'self'", ...inlineScriptHashes()],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        upgradeInsecureRequests: config.secureCookies ? [] : null,
      },
    },
    // Plain-HTTP localhost must keep working; production sits behind HTTPS.
    strictTransportSecurity: config.secureCookies,
  })
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: CSRF_COOKIE,
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', secure: config.secureCookies, path: '/' },
  })
  // Throttling per client address, counted by each app server. Sign-in routes set their own limit
  // (`config: { rateLimit }`); every other request is limited only while nobody is signed in (the
  // anonymous hook below). Both count in preParsing: after the onRequest hooks here and in api.ts
  // have found the actor, before any body is read. Over the limit: 429 with Retry-After.
  await app.register(rateLimit, { global: false, hook: 'preParsing', timeWindow: 60_000 })
  await app.register(fastifyStatic, { root: path.join(govukDist, 'govuk/assets'), prefix: '/assets/', maxAge: '1d' })
  await app.register(fastifyStatic, {
    root: [path.join(govukDist, 'govuk'), path.join(srcDir, 'public')],
    prefix: '/static/',
    decorateReply: false,
    allowedPath: (p) => /^\/(govuk-frontend\.min\.(css|js)|app\.(css|js)|evidence-autosave\.js|programme\.(css|js))$/.test(p),
    maxAge: '1h',
  })
  await app.register(view, {
    engine: { nunjucks },
    templates: templateDirs,
    options: { autoescape: true, throwOnUndefined: false, onConfigure: configureNunjucks },
  })

  app.decorateRequest('actor', undefined)
  app.decorateRequest('lang', 'en')
  app.decorateRequest('t', undefined as unknown as Translate)
  app.decorateRequest('pageToKeep', undefined)

  app.addHook('onRequest', async (req) => {
    req.lang = pickLanguage(req)
    req.t = i18n.translator(req.lang)
    // API requests authenticate with bearer tokens only, so a browser's cookie can never act on the API.
    if (!req.url.startsWith('/api/')) req.actor = await auth.actorForSession(req.cookies[SESSION_COOKIE])
  })

  // A signed-in user or a valid API token doing ordinary work is never throttled.
  const anonymousLimit = app.createRateLimit({
    max: config.rateLimit.anonymousPerMinute,
    timeWindow: 60_000,
    allowList: (req) => req.actor !== undefined || UNTHROTTLED_ROUTES.has(req.routeOptions.url ?? ''),
  })
  app.addHook('preParsing', async (req, reply) => {
    const limit = await anonymousLimit(req)
    if (!limit.isAllowed && limit.isExceeded) {
      reply.header('retry-after', limit.ttlInSeconds)
      throw rateLimited()
    }
  })

  // Every form post carries the CSRF token; the API uses bearer tokens and no cookies.
  app.addHook('preHandler', (req, reply, done) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS' || req.url.startsWith('/api/')) return done()
    app.csrfProtection(req, reply, done)
  })

  // A page that may be kept is looked for after the route's own checks (its permission), before its handler.
  app.addHook('onRoute', (route) => {
    if (!route.config?.pageCache || !pages.cache.enabled) return
    route.preHandler = [...[route.preHandler ?? []].flat(), keptPage]
  })
  async function keptPage(req: FastifyRequest, reply: FastifyReply) {
    const key = keptPageKey(req)
    if (!key) return
    const stamp = await pages.stamp()
    const encoding = chooseEncoding(req.headers['accept-encoding'])
    const page = pages.cache.get(key, stamp, encoding)
    if (!page) {
      req.pageToKeep = { key, stamp, encoding }
      return
    }
    return sendPage(reply, await page, encoding)
  }

  const permissionChecks = new WeakSet<object>()
  app.decorate('require', (permission: Permission) => {
    const check = async (req: FastifyRequest, reply: FastifyReply) => {
      if (req.url.startsWith('/api/')) {
        if (!req.actor) throw new AppError('unauthenticated', 'A valid API token is required: send it as "Authorization: Bearer <token>".')
      } else if (!req.actor) {
        return reply.redirect(`/sign-in?next=${encodeURIComponent(safeReturnPath(req.url))}`)
      }
      if (!can(req.actor, permission)) throw new AppError('forbidden', 'You do not have permission to do that.')
    }
    permissionChecks.add(check)
    return check
  })
  // On the API, who may call a route is checked before its body is: a caller without the
  // permission gets 401 or 403, never a 400 about a body they may not send anyway.
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return
    const preHandlers = [route.preHandler ?? []].flat()
    const checks = preHandlers.filter((h) => permissionChecks.has(h))
    if (!checks.length) return
    route.preHandler = preHandlers.filter((h) => !permissionChecks.has(h))
    route.preValidation = [...[route.preValidation ?? []].flat(), ...checks]
  })

  app.decorateReply('flash', function (this: FastifyReply, key: string, params: Record<string, string | number> = {}) {
    this.setCookie(FLASH_COOKIE, JSON.stringify({ key, params }), { path: '/', httpOnly: true, sameSite: 'lax', secure: config.secureCookies, signed: true, maxAge: 60 })
    return this
  })

  app.decorateReply('render', async function (this: FastifyReply, template: string, data: Record<string, unknown> = {}, status = 200) {
    const req = this.request
    const flash = readFlash(req, this)
    const html = await this.viewAsync(template, {
      ...data,
      t: req.t,
      lang: req.lang,
      actor: req.actor,
      currentPath: req.url,
      navigation: navigationFor(req.actor, req.url, req.t),
      languageSwitch: languageSwitch(req),
      csrfToken: this.generateCsrf(),
      flash: flash ? req.t(flash.key, flash.params) : undefined,
      production: config.env === 'production',
    })
    const page = withKeptHtml(html, data)
    const keep = status === 200 ? req.pageToKeep : undefined
    if (!keep) return this.code(status).type('text/html; charset=utf-8').send(page)
    return sendPage(this, await pages.cache.keep(keep.key, keep.stamp, Buffer.isBuffer(page) ? page : Buffer.from(page, 'utf8'), keep.encoding), keep.encoding)
  })
})

/**
 * Which kept page this request may have: one per user, browser (its CSRF secret, so the form
 * token on the page is its own), language and address. None for a request that is not a signed-in
 * GET, that has no valid CSRF secret yet (rendering makes one and sets its cookie), or that carries
 * a one-off message (rendering reads and clears it).
 */
function keptPageKey(req: FastifyRequest): string | undefined {
  if (req.method !== 'GET' || !req.actor || req.cookies[FLASH_COOKIE]) return undefined
  const secret = req.cookies[CSRF_COOKIE]
  if (!secret || !req.unsignCookie(secret).valid) return undefined
  return `${req.actor.id}|${secret}|${req.lang}|${req.url}`
}

/** A kept page, compressed as the browser asked. */
function sendPage(reply: FastifyReply, body: Buffer, encoding: Encoding): FastifyReply {
  reply.header('vary', 'Accept-Encoding')
  if (encoding !== 'identity') reply.header('content-encoding', encoding)
  return reply.code(200).type('text/html; charset=utf-8').send(body)
}

function readFlash(req: FastifyRequest, reply: FastifyReply): { key: string; params: Record<string, string | number> } | undefined {
  const raw = req.cookies[FLASH_COOKIE]
  if (!raw) return undefined
  reply.clearCookie(FLASH_COOKIE, { path: '/' })
  const unsigned = req.unsignCookie(raw)
  if (!unsigned.valid || !unsigned.value) return undefined
  try {
    return JSON.parse(unsigned.value) as { key: string; params: Record<string, string | number> }
  } catch {
    return undefined
  }
}

function pickLanguage(req: FastifyRequest): Language {
  const chosen = req.cookies[LANGUAGE_COOKIE]
  if (isLanguage(chosen)) return chosen
  const accept = req.headers['accept-language'] ?? ''
  return /^\s*cy\b/i.test(accept) ? 'cy' : 'en'
}

/** Links for the Cymraeg / English switch that bring the reader back to this same page. */
function languageSwitch(req: FastifyRequest) {
  const back = encodeURIComponent(safeReturnPath(req.url))
  return [
    { text: 'Cymraeg', lang: 'cy', href: req.lang === 'cy' ? undefined : `/language/cy?back=${back}`, current: req.lang === 'cy' },
    { text: 'English', lang: 'en', href: req.lang === 'en' ? undefined : `/language/en?back=${back}`, current: req.lang === 'en' },
  ]
}

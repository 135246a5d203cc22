import { randomUUID } from 'node:crypto'
import Fastify, { type FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Config } from './config.ts'
import type { Services } from './services.ts'
import { webPlugin } from './http/web.ts'
import { apiPlugin } from './http/api.ts'
import { installErrorHandlers } from './http/error-handler.ts'
import { capIntegers, refuseNulCharacters } from './http/input-guards.ts'
import { frameworkErrorHandler } from './http/framework-errors.ts'
import { PageCache } from './http/page-cache.ts'
import { changeStamp } from './modules/audit/change-stamp.ts'
import { healthRoutes } from './modules/health/health.routes.ts'
import { authRoutes } from './modules/auth/auth.routes.ts'
import { homeRoutes } from './modules/home/home.routes.ts'
import { userRoutes } from './modules/users/users.routes.ts'
import { referenceRoutes } from './modules/reference/reference.routes.ts'
import { referenceApiRoutes } from './modules/reference/reference.api.ts'
import { visitsApiRoutes } from './modules/visits/visits.api.ts'
import { visitsRoutes } from './modules/visits/visits.routes.ts'
import { portalRoutes } from './modules/visits/portal.routes.ts'
import { notificationRoutes } from './modules/visits/notification.routes.ts'
import { focusAreaRoutes } from './modules/focus-areas/focus-areas.routes.ts'
import { linkNoteRoutes } from './modules/link-notes/link-notes.routes.ts'
import { teamRoutes } from './modules/team/team.routes.ts'
import { timetableRoutes } from './modules/timetable/timetable.routes.ts'
import { providerRoutes } from './modules/providers/providers.routes.ts'
import { auditRoutes } from './modules/audit/audit.routes.ts'
import { welshReviewRoutes } from './modules/i18n-review/welsh-review.routes.ts'
import { adminRoutes } from './modules/admin/admin.routes.ts'
import { oidcRoutes } from './modules/auth/oidc.routes.ts'
import { themesRoutes } from './modules/themes/themes.routes.ts'
import { evidenceRoutes } from './modules/evidence/evidence.routes.ts'
import { evidenceApiRoutes } from './modules/evidence/evidence.api.ts'
import { documentsRoutes } from './modules/documents/documents.routes.ts'
import { findingsRoutes } from './modules/findings/findings.routes.ts'
import { searchRoutes } from './modules/search/search.routes.ts'
import { lettersRoutes } from './modules/letters/letters.routes.ts'
import { writingChecksRoutes } from './modules/writing-checks/writing-checks.routes.ts'
import { letterReviewRoutes } from './modules/letter-review/letter-review.routes.ts'
import { letterheadRoutes } from './modules/letterhead/letterhead.routes.ts'
import { letterIssueRoutes } from './modules/letter-issue/letter-issue.routes.ts'
import { planningRoutes } from './modules/planning/planning.routes.ts'
import { planApiRoutes } from './modules/planning/plan.api.ts'
import { planningRulesRoutes } from './modules/planning/rules.routes.ts'
import { coreInspectionRoutes } from './modules/core-inspections/core-inspections.routes.ts'
import { coreInspectionApiRoutes } from './modules/core-inspections/core-inspections.api.ts'
import { insightsRoutes } from './modules/insights/insights.routes.ts'
import { insightsApiRoutes } from './modules/insights/insights.api.ts'

export type App = FastifyInstance

/** One route as registered: its method and URL pattern (e.g. `GET /elvs/:id`). */
export interface RouteEntry { method: string; url: string }

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route the app answers, in registration order (tests check each against its rules). */
    routeList: RouteEntry[]
    /** Whole pages kept per reader (its figures show in tests and the benchmark). */
    pageCache: PageCache
  }
}

export const APP_VERSION = '0.1.0'

/** Wiring only: plugins, error handling and each module's routes over the services given. */
export async function buildApp(config: Config, services: Services): Promise<App> {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      // Never log cookies or tokens.
      redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
    },
    genReqId: () => randomUUID(),
    trustProxy: config.trustProxy,
    bodyLimit: 1_048_576,
    // Report every invalid field at once, as forms do, not only the first.
    // strictNumbers off: Ajv skips a number's bounds when it is not finite, so "Infinity" in a URL
    // would pass `maximum`; with it off, the bounds capIntegers gives every integer refuse it.
    ajv: { customOptions: { allErrors: true, strictNumbers: false } },
    // A malformed or over-long address, refused before any hook: still the security headers.
    frameworkErrors: frameworkErrorHandler(services.i18n),
  }).withTypeProvider<TypeBoxTypeProvider>()

  const routeList: RouteEntry[] = []
  app.decorate('routeList', routeList)
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routeList.push({ method, url: route.url })
  })
  app.addHook('onRoute', capIntegers)

  installErrorHandlers(app, services.i18n)
  const pageCache = new PageCache(config.pageCacheBytes)
  app.decorate('pageCache', pageCache)
  // A kept page is good while nothing is written and within the hour (UTC hours are London's too).
  const pageStamp = async () => `${await changeStamp(services.database.db)}|${services.clock.nowIso().slice(0, 13)}`
  await app.register(webPlugin, { config, i18n: services.i18n, auth: services.auth, pages: { cache: pageCache, stamp: pageStamp } })
  await app.register(apiPlugin, { auth: services.auth, version: APP_VERSION })
  app.addHook('preValidation', refuseNulCharacters)

  healthRoutes(app, services)
  authRoutes(app, services, config)
  await oidcRoutes(app, services, config)
  homeRoutes(app, services)
  adminRoutes(app, services)
  userRoutes(app, services)
  referenceRoutes(app, services)
  referenceApiRoutes(app, services)
  visitsRoutes(app, services)
  portalRoutes(app, services)
  notificationRoutes(app, services)
  focusAreaRoutes(app, services)
  linkNoteRoutes(app, services)
  teamRoutes(app, services)
  timetableRoutes(app, services)
  providerRoutes(app, services)
  visitsApiRoutes(app, services)
  themesRoutes(app, services)
  evidenceRoutes(app, services)
  evidenceApiRoutes(app, services)
  documentsRoutes(app, services)
  findingsRoutes(app, services)
  searchRoutes(app, services)
  lettersRoutes(app, services)
  writingChecksRoutes(app, services)
  letterReviewRoutes(app, services)
  letterheadRoutes(app, services)
  letterIssueRoutes(app, services)
  planningRoutes(app, services)
  planApiRoutes(app, services)
  planningRulesRoutes(app, services)
  coreInspectionRoutes(app, services)
  coreInspectionApiRoutes(app, services)
  insightsRoutes(app, services)
  insightsApiRoutes(app, services)
  auditRoutes(app, services)
  welshReviewRoutes(app, services)
  return app
}

/**
 * Every state-changing form needs its CSRF token, even from a signed-in admin, and changes
 * nothing without it; the API takes no cookies at all. Every response, for every GET route
 * signed in and signed out (errors, 404s, files, API JSON and its docs included), carries the
 * security headers.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { LightMyRequestResponse } from 'fastify'
import { sql } from 'kysely'
import { testEngines } from '../helpers/engines.ts'
import { ADMIN_EMAIL, ADMIN_PASSWORD, csrfTokenIn, useTestApp, type Browser } from '../helpers/test-app.ts'
import { fixedClock } from '../../src/clock.ts'
import { buildFixture, realPath, type SecurityFixture } from './fixture.ts'
import { findForms, type FoundForm } from './forms.ts'

const WRITES = ['POST', 'PUT', 'PATCH', 'DELETE']

/** Rows of every table and the audit log: a write of any kind changes one of them. */
async function snapshot(ctx: ReturnType<typeof useTestApp>): Promise<Record<string, number>> {
  const db = ctx.services.database.db
  const tables = ['audit_event', 'app_user', 'user_session', 'api_token', 'elv', 'focus_area', 'elv_team_member', 'user_conflict', 'meeting', 'link_note',
    'evidence', 'evidence_file', 'finding', 'letter', 'letter_comment', 'letter_revision', 'theme', 'writing_rule', 'core_inspection', 'plan_proposal',
    'plan_exception', 'insights_edit', 'insights_publication', 'outbox', 'provider', 'app_setting'] as const
  const counts: Record<string, number> = {}
  for (const t of tables) counts[t] = Number((await db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
  // Edits in place move a version on.
  const versions = await sql<{ n: number }>`select (select coalesce(sum(version), 0) from elv) + (select coalesce(sum(version), 0) from app_user)
    + (select coalesce(sum(version), 0) from local_authority) + (select coalesce(sum(version), 0) from letter) as n`.execute(db)
  counts.versions = Number(versions.rows[0]!.n)
  return counts
}

function expectSecurityHeaders(res: LightMyRequestResponse, what: string) {
  const h = res.headers
  expect(h['x-content-type-options'], `${what}: X-Content-Type-Options`).toBe('nosniff')
  expect(h['referrer-policy'], `${what}: Referrer-Policy`).toBeTruthy()
  const csp = String(h['content-security-policy'] ?? '')
  expect(Boolean(h['x-frame-options']) || /frame-ancestors/.test(csp), `${what}: X-Frame-Options or frame-ancestors`).toBe(true)
  if (String(h['content-type'] ?? '').startsWith('text/html')) expect(csp, `${what}: Content-Security-Policy on a page`).toMatch(/default-src/)
}

for (const engine of testEngines()) {
  describe(`CSRF and security headers on ${engine.name}`, () => {
    const ctx = useTestApp(engine, { clock: fixedClock('2026-07-01T09:00:00.000Z'), env: { RATE_LIMIT_ANONYMOUS_PER_MINUTE: '100000' } })
    let f: SecurityFixture
    let admin: Browser
    let forms: Map<string, FoundForm>
    const cookieOf = (b: Browser, without: string[] = []) => [...b.cookies].filter(([k]) => !without.includes(k)).map(([k, v]) => `${k}=${v}`).join('; ')

    beforeAll(async () => {
      f = await buildFixture(ctx)
      admin = ctx.browser()
      expect((await admin.signIn(ADMIN_EMAIL, ADMIN_PASSWORD)).statusCode).toBe(303)
      forms = await findForms(ctx.app, f, cookieOf(admin))
    })

    it('answers 403 to every form post without a good CSRF token, even from an admin, and changes nothing', { timeout: 120_000 }, async () => {
      const posts = ctx.app.routeList.filter((r) => WRITES.includes(r.method) && !r.url.startsWith('/api/'))
      expect(posts.length).toBeGreaterThan(60)
      // A token of another browser's session: valid in form, not for this cookie.
      const stranger = ctx.browser()
      const foreignToken = csrfTokenIn((await stranger.get('/sign-in')).body)
      const before = await snapshot(ctx)
      const refused: string[] = []
      for (const route of posts) {
        const url = realPath(f, route.url)
        const form = forms.get(route.url)
        // The form's own fields with the values its page offers: with a token, much of this would be saved.
        const fields = form ? [...form.fields].map((n): [string, string] => [n, [...form.values][0] ?? 'x']) : [['title', 'x'] as [string, string]]
        const attempts: Array<{ name: string; cookie: string; token?: string }> = [
          { name: 'no token', cookie: cookieOf(admin) },
          { name: 'another session\'s token', cookie: cookieOf(admin), token: foreignToken },
          { name: 'a made-up token', cookie: cookieOf(admin), token: 'abc123-not-a-token' },
          { name: 'no CSRF cookie', cookie: cookieOf(admin, ['cyswllt_csrf']), token: csrfTokenIn((await admin.get('/')).body) },
        ]
        for (const a of attempts) {
          const body = new URLSearchParams(fields)
          if (a.token !== undefined) body.set('_csrf', a.token)
          const res = await ctx.app.inject({ method: route.method as 'POST', url, headers: { cookie: a.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: body.toString() })
          expect(res.statusCode, `${route.method} ${url} with ${a.name}: ${res.statusCode}`).toBe(403)
          expect(res.body).toContain('<h1')
        }
        if (form?.multipart) {
          const boundary = '----csrf'
          const payload = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\na,b\r\n--${boundary}--\r\n`
          const res = await ctx.app.inject({ method: 'POST', url, headers: { cookie: cookieOf(admin), 'content-type': `multipart/form-data; boundary=${boundary}` }, payload })
          expect(res.statusCode, `${url} as an upload without a token`).toBe(403)
        }
        refused.push(route.url)
      }
      expect(refused).toHaveLength(posts.length)
      expect(await snapshot(ctx)).toEqual(before)
      // Signing out without the token did not sign the admin out either.
      expect((await admin.get('/')).statusCode).toBe(200)
    })

    it('takes no cookie on the API: a signed-in browser\'s session cannot write through it', async () => {
      const before = await snapshot(ctx)
      const writes = ctx.app.routeList.filter((r) => WRITES.includes(r.method) && r.url.startsWith('/api/v1/'))
      let unauthenticated = 0
      for (const route of writes) {
        const res = await ctx.app.inject({ method: route.method as 'POST', url: realPath(f, route.url), headers: { cookie: cookieOf(admin), 'content-type': 'application/json' }, payload: '{}' })
        // 401, or 400 where the empty body fails the route's schema (checked before who is asking).
        expect([400, 401], `${route.method} ${route.url}: ${res.statusCode}`).toContain(res.statusCode)
        if (res.statusCode === 401) unauthenticated++
      }
      expect(unauthenticated).toBeGreaterThan(writes.length / 2)
      expect(await snapshot(ctx)).toEqual(before)
    })

    it('sends the security headers with every response to every GET route, signed in and signed out', { timeout: 120_000 }, async () => {
      const gets = ctx.app.routeList.filter((r) => r.method === 'GET')
      const anonymous = ctx.browser()
      const statuses = new Map<number, number>()
      const check = async (browser: Browser, url: string, headers: Record<string, string> = {}) => {
        const res = await browser.get(url, headers)
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1)
        expectSecurityHeaders(res, `GET ${url} (${res.statusCode})`)
        return res
      }
      for (const route of gets) {
        const url = route.url.endsWith('*') ? `${route.url.slice(0, -1)}${route.url.startsWith('/assets') ? 'images/favicon.svg' : route.url.startsWith('/static') ? 'app.css' : 'swagger-ui.css'}` : realPath(f, route.url)
        const api: Record<string, string> = url.startsWith('/api/v1/') ? { authorization: `Bearer ${f.adminToken}` } : {}
        await check(admin, url, api)
        await check(anonymous, url)
      }
      // Errors and oddities: missing pages and records, bad ids, bad addresses, API errors.
      for (const url of ['/no/such/page', '/elvs/999999', '/elvs/abc', `/elvs/${'9'.repeat(300)}`, '/%', '/elvs/%E0%A4%A', '/static/../package.json', '/api/v1/nothing', '/api/v1/elvs/abc', '/api/v1/elvs/999999', '/search?q=%00']) {
        await check(admin, url, url.startsWith('/api/') ? { authorization: `Bearer ${f.adminToken}` } : {})
        await check(anonymous, url)
      }
      const tooLarge = await ctx.app.inject({ method: 'POST', url: '/api/v1/themes', headers: { authorization: `Bearer ${f.adminToken}`, 'content-type': 'application/json' }, payload: JSON.stringify({ key: 'x', en: 'y'.repeat(2_000_000) }) })
      expect(tooLarge.statusCode).toBe(413)
      expectSecurityHeaders(tooLarge, 'API 413')
      const badJson = await ctx.app.inject({ method: 'POST', url: '/api/v1/themes', headers: { authorization: `Bearer ${f.adminToken}`, 'content-type': 'application/json' }, payload: '{' })
      expect(badJson.statusCode).toBe(400)
      expectSecurityHeaders(badJson, 'API 400')
      // Every kind of answer was seen: pages, redirects, client errors.
      for (const status of [200, 302, 400, 401, 404]) expect(statuses.get(status), `some answers were ${status}`).toBeGreaterThan(0)
      console.info(`security headers (${engine.name}): ${gets.length} GET routes, answers by status ${JSON.stringify(Object.fromEntries(statuses))}`)
    })
  })
}

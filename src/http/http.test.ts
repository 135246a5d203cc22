import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { testEngines } from '../../test/helpers/engines.ts'
import { useTestApp } from '../../test/helpers/test-app.ts'
import { connectDatabase } from '../db/connect.ts'
import { createServices } from '../services.ts'
import { buildApp } from '../app.ts'
import { loadConfig } from '../config.ts'
import { bootstrap } from '../bootstrap.ts'
import { safeReturnPath } from './paths.ts'
import { systemActor } from '../modules/auth/actor.ts'

for (const engine of testEngines()) {
  describe(`http plumbing on ${engine.name}`, () => {
    const ctx = useTestApp(engine)

    it('answers health and readiness', async () => {
      expect((await ctx.app.inject('/healthz')).json()).toEqual({ status: 'ok' })
      const ready = await ctx.app.inject('/readyz')
      expect(ready.statusCode).toBe(200)
      expect(ready.json()).toMatchObject({ status: 'ok', database: engine.name })
    })

    it('sends a strict content security policy and other security headers', async () => {
      const res = await ctx.app.inject('/sign-in')
      const csp = String(res.headers['content-security-policy'])
      expect(csp).toContain("default-src 'self'")
      expect(csp).toContain("frame-ancestors 'none'")
      expect(csp).not.toContain('unsafe-inline')
      // Every inline script on the page is allowed by its hash, and nothing else inline is: no nonce
      // (a kept page is sent again as it is), and a script with other text would not run.
      const inline = [...res.body.matchAll(/<script\b([^>]*)>([^<]+)<\/script>/g)]
      expect(inline.length).toBeGreaterThan(0)
      const scriptSrc = /script-src ([^;]+)/.exec(csp)?.[1]?.split(' ') ?? []
      expect(scriptSrc.filter((s) => s.startsWith("'sha256-"))).toEqual(inline.map((m) => `'sha256-${createHash('sha256').update(m[2]!).digest('base64')}'`))
      expect(csp).not.toContain('nonce-')
      expect(inline.every((m) => !m[1]!.includes('nonce'))).toBe(true)
      expect(res.headers['x-content-type-options']).toBe('nosniff')
    })

    it('shows a 404 page in the reader language, and JSON 404 under the API', async () => {
      const page = await ctx.app.inject({ url: '/no/such/page', headers: { 'accept-language': 'cy' } })
      expect(page.statusCode).toBe(404)
      expect(page.body).toContain('Heb ddod o hyd i’r dudalen')
      const api = await ctx.app.inject('/api/v1/nothing-here')
      expect(api.statusCode).toBe(404)
      expect(api.json()).toMatchObject({ error: { code: 'not_found', details: [] } })
    })

    it('checks who may call an API route before its body: 401 signed out, 403 without the permission, 400 only for those allowed', async () => {
      const bad = { authority: 42, term: ['not', 'a', 'term'], surplus: '<b>x</b>' }
      const post = (token?: string) => ctx.app.inject({
        method: 'POST', url: '/api/v1/elvs', payload: bad, headers: token ? { authorization: `Bearer ${token}` } : {},
      })
      const tokenOf = async (role: 'hmi' | 'admin') => (await ctx.services.auth.createToken(systemActor('test'), (await ctx.make.user(role)).email)).token
      const before = await ctx.services.database.db.selectFrom('elv').select('id').execute()
      const signedOut = await post()
      expect([signedOut.statusCode, signedOut.json().error.code]).toEqual([401, 'unauthenticated'])
      const hmi = await post(await tokenOf('hmi'))
      expect([hmi.statusCode, hmi.json().error.code]).toEqual([403, 'forbidden'])
      const admin = await post(await tokenOf('admin'))
      expect([admin.statusCode, admin.json().error.code]).toEqual([400, 'validation_failed'])
      expect(await ctx.services.database.db.selectFrom('elv').select('id').execute()).toEqual(before)
    })

    it('answers malformed JSON with 400, not 500', async () => {
      const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/authorities', headers: { 'content-type': 'application/json' }, payload: '{"oops": ' })
      expect(res.statusCode).toBeLessThan(500)
      expect(res.json().error.code).toBeTruthy()
    })

    it('serves GOV.UK Frontend styles, scripts and fonts', async () => {
      expect((await ctx.app.inject('/static/govuk-frontend.min.css')).statusCode).toBe(200)
      expect((await ctx.app.inject('/static/govuk-frontend.min.js')).statusCode).toBe(200)
      expect((await ctx.app.inject('/static/app.css')).statusCode).toBe(200)
      expect((await ctx.app.inject('/assets/images/favicon.svg')).statusCode).toBe(200)
      // Only the named files: nothing else from the package or from src.
      expect((await ctx.app.inject('/static/package.json')).statusCode).toBe(404)
    })
  })
}

describe('a fault', () => {
  it('shows the 500 page with a reference and no stack trace when the database is gone', async () => {
    const config = loadConfig({ NODE_ENV: 'production', COOKIE_SECRET: 'x'.repeat(40), CYSWLLT_ADMIN_EMAIL: 'a@test.invalid', CYSWLLT_ADMIN_PASSWORD: 'long-enough-password', LOG_LEVEL: 'silent' })
    const database = await connectDatabase({ dataDir: config.dataDir, sqliteFile: ':memory:' })
    const services = createServices(database, config)
    await bootstrap(services, config)
    const app = await buildApp(config, services)
    await database.close()
    const res = await app.inject({ url: '/', headers: { cookie: 'cyswllt_session=anything' } })
    expect(res.statusCode).toBe(500)
    expect(res.body).toContain('Sorry, there is a problem with the service')
    expect(res.body).toMatch(/quote reference [0-9a-f-]{36}/)
    expect(res.body).not.toMatch(/at .*\.ts:\d+/)
    expect((await app.inject('/readyz')).statusCode).toBe(503)
    await app.close()
  })
})

describe('safeReturnPath', () => {
  it('keeps paths on this site and refuses everything else', () => {
    expect(safeReturnPath('/admin/users?role=hmi')).toBe('/admin/users?role=hmi')
    for (const bad of ['//evil.example', 'https://evil.example', '/\\evil.example', 'admin', undefined, 42, '/sign-in?next=/x', '/language/cy']) {
      expect(safeReturnPath(bad)).toBe('/')
    }
  })
})

/**
 * Throttling per client address: sign-in attempts (RATE_LIMIT_SIGN_IN_PER_MINUTE) and anything
 * not signed in (RATE_LIMIT_ANONYMOUS_PER_MINUTE), never the load balancer's health checks nor a
 * signed-in user or a valid API token doing ordinary work. Each test speaks from an address of its
 * own, so the counts of one test never reach another.
 */
import { describe, expect, it } from 'vitest'
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import { testEngines } from '../helpers/engines.ts'
import { ADMIN_EMAIL, ADMIN_PASSWORD, Browser, csrfTokenIn, useTestApp } from '../helpers/test-app.ts'
import type { App } from '../../src/app.ts'
import { loadConfig, ConfigError } from '../../src/config.ts'
import { systemActor } from '../../src/modules/auth/actor.ts'

const SIGN_IN_LIMIT = 5
const ANONYMOUS_LIMIT = 20

describe('throttling settings', () => {
  it('default to 30 sign-in attempts and 300 anonymous requests a minute, and refuse nonsense', () => {
    expect(loadConfig({}).rateLimit).toEqual({ signInPerMinute: 30, anonymousPerMinute: 300 })
    expect(loadConfig({ RATE_LIMIT_SIGN_IN_PER_MINUTE: '7', RATE_LIMIT_ANONYMOUS_PER_MINUTE: '70' }).rateLimit).toEqual({ signInPerMinute: 7, anonymousPerMinute: 70 })
    expect(() => loadConfig({ RATE_LIMIT_SIGN_IN_PER_MINUTE: '0' })).toThrow(ConfigError)
    expect(() => loadConfig({ RATE_LIMIT_ANONYMOUS_PER_MINUTE: 'lots' })).toThrow(ConfigError)
  })
})

for (const engine of testEngines()) {
  describe(`throttling on ${engine.name}`, () => {
    const ctx = useTestApp(engine, { env: { RATE_LIMIT_SIGN_IN_PER_MINUTE: String(SIGN_IN_LIMIT), RATE_LIMIT_ANONYMOUS_PER_MINUTE: String(ANONYMOUS_LIMIT) } })
    let lastAddress = 0
    /** A fresh client address: the app's counts start from nothing for it. */
    const newAddress = () => `203.0.113.${++lastAddress}`

    /** A browser whose requests all come from one address. */
    const browserAt = (address: string) => new Browser({
      inject: (opts: InjectOptions) => ctx.app.inject({ ...opts, remoteAddress: address }),
    } as unknown as App)
    const from = (address: string, opts: InjectOptions) => ctx.app.inject({ ...opts, remoteAddress: address })

    function expectThrottledPage(res: LightMyRequestResponse) {
      expect(res.statusCode).toBe(429)
      expect(res.headers['content-type']).toMatch(/^text\/html/)
      expect(res.body).toContain('Too many attempts')
      expectRetryAfter(res)
    }
    function expectRetryAfter(res: LightMyRequestResponse) {
      const seconds = Number(res.headers['retry-after'])
      expect(Number.isInteger(seconds)).toBe(true)
      expect(seconds).toBeGreaterThan(0)
      expect(seconds).toBeLessThanOrEqual(60)
    }

    it('answers 429 with Retry-After to sign-in attempts from one address past the limit, and only to that address', async () => {
      const address = newAddress()
      const browser = browserAt(address)
      const csrf = csrfTokenIn((await browser.get('/sign-in')).body)
      const statuses: number[] = []
      // One right password among wrong ones: it is answered as usual until the limit is reached.
      for (let i = 0; i < SIGN_IN_LIMIT + 3; i++) {
        const res = await browser.post('/sign-in', { email: ADMIN_EMAIL, password: i === 2 ? ADMIN_PASSWORD : `wrong-${i}` }, { csrf })
        statuses.push(res.statusCode)
        if (res.statusCode === 429) expectThrottledPage(res)
      }
      expect(statuses).toEqual([401, 401, 303, 401, 401, 429, 429, 429])

      // Another address is not held back by the first one's attempts.
      const other = await browserAt(newAddress()).post('/sign-in', { email: ADMIN_EMAIL, password: 'wrong' }, { from: '/sign-in' })
      expect(other.statusCode).toBe(401)
    })

    it('holds the sign-in limit under a burst of simultaneous attempts', async () => {
      const address = newAddress()
      const browser = browserAt(address)
      const csrf = csrfTokenIn((await browser.get('/sign-in')).body)
      const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
      const burst = await Promise.all(Array.from({ length: SIGN_IN_LIMIT * 3 }, (_, i) => from(address, {
        method: 'POST', url: '/sign-in', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ email: `nobody${i}@test.invalid`, password: 'a-wrong-password', _csrf: csrf }).toString(),
      })))
      const statuses = burst.map((r) => r.statusCode)
      // No more than the limit were judged (all wrong: 401); the rest were turned away unread. (The
      // plugin's in-memory count is read after the whole burst has counted, so under a burst in one
      // instant it may turn away even the first few: strict, never lax.)
      expect(statuses.every((s) => s === 401 || s === 429)).toBe(true)
      expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(SIGN_IN_LIMIT)
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(SIGN_IN_LIMIT * 2)
      for (const r of burst.filter((r) => r.statusCode === 429)) expectRetryAfter(r)
    })

    it('limits sign-in attempts even from a signed-in browser, so a session is no way round it', async () => {
      const browser = browserAt(newAddress())
      expect((await browser.signIn(ADMIN_EMAIL, ADMIN_PASSWORD)).statusCode).toBe(303)
      // The sign-out form on every page carries the form token.
      const csrf = csrfTokenIn((await browser.get('/')).body)
      const statuses: number[] = []
      for (let i = 0; i < SIGN_IN_LIMIT; i++) statuses.push((await browser.post('/sign-in', { email: 'someone-else@test.invalid', password: `guess-${i}` }, { csrf })).statusCode)
      // The first sign-in above was one attempt of the five.
      expect(statuses).toEqual([401, 401, 401, 401, 429])
    })

    it('answers 429 to anonymous pages, the API and unknown addresses past the limit, but never to health checks', async () => {
      const address = newAddress()
      // Health checks first, three times the limit: they are not counted.
      for (let i = 0; i < ANONYMOUS_LIMIT * 3; i++) {
        expect((await from(address, { url: i % 2 ? '/healthz' : '/readyz' })).statusCode).toBe(200)
      }
      const statuses: number[] = []
      for (let i = 0; i < ANONYMOUS_LIMIT; i++) statuses.push((await from(address, { url: '/sign-in' })).statusCode)
      expect(statuses.every((s) => s === 200)).toBe(true)

      expectThrottledPage(await from(address, { url: '/sign-in' }))
      expectThrottledPage(await from(address, { url: '/elvs' }))
      expectThrottledPage(await from(address, { url: '/no/such/page' }))
      const form = await from(address, { method: 'POST', url: '/sign-out', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'a=b' })
      expectThrottledPage(form)
      const api = await from(address, { url: '/api/v1/elvs' })
      expect(api.statusCode).toBe(429)
      expect(api.json()).toMatchObject({ error: { code: 'rate_limited', message: expect.stringMatching(/too many requests/i), details: [] } })
      expectRetryAfter(api)

      for (let i = 0; i < 5; i++) {
        expect((await from(address, { url: '/healthz' })).statusCode).toBe(200)
        expect((await from(address, { url: '/readyz' })).statusCode).toBe(200)
      }
    })

    it('never throttles a signed-in user, even at three times the anonymous limit', async () => {
      const browser = browserAt(newAddress())
      expect((await browser.signIn(ADMIN_EMAIL, ADMIN_PASSWORD)).statusCode).toBe(303)
      const urls = ['/', '/elvs', '/admin/users', '/static/app.css', '/no/such/page']
      const statuses = new Map<number, number>()
      for (let i = 0; i < ANONYMOUS_LIMIT * 3; i++) {
        const res = await browser.get(urls[i % urls.length]!)
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1)
      }
      expect(statuses.get(429)).toBeUndefined()
      expect(statuses.get(200)).toBe(ANONYMOUS_LIMIT * 3 * 4 / 5)
      expect(statuses.get(404)).toBe(ANONYMOUS_LIMIT * 3 / 5)
      // Ordinary form posts too.
      const post = await browser.post('/admin/themes', { key: 'throttle-check', labelEn: 'Throttle check', labelCy: 'Gwirio' })
      expect(post.statusCode).not.toBe(429)
    })

    it('never throttles a valid API token, but counts an invalid one as anonymous', async () => {
      const { token } = await ctx.services.auth.createToken(systemActor('test'), ADMIN_EMAIL)
      const address = newAddress()
      for (let i = 0; i < ANONYMOUS_LIMIT * 3; i++) {
        const res = await from(address, { url: '/api/v1/elvs', headers: { authorization: `Bearer ${token}` } })
        expect(res.statusCode).toBe(200)
      }

      const statuses: number[] = []
      for (let i = 0; i <= ANONYMOUS_LIMIT; i++) {
        statuses.push((await from(address, { url: '/api/v1/elvs', headers: { authorization: 'Bearer not-a-real-token' } })).statusCode)
      }
      expect(statuses.slice(0, ANONYMOUS_LIMIT).every((s) => s === 401)).toBe(true)
      const refused = await from(address, { url: '/api/v1/elvs', headers: { authorization: 'Bearer not-a-real-token' } })
      expect(refused.statusCode).toBe(429)
      expect(refused.json().error.code).toBe('rate_limited')
      expectRetryAfter(refused)
      expect(statuses[ANONYMOUS_LIMIT]).toBe(429)
      // The valid token from the same address still works.
      expect((await from(address, { url: '/api/v1/elvs', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200)
    })
  })
}

describe('the client address behind a proxy (TRUST_PROXY)', () => {
  it('believes proxies on private networks by default in production, none elsewhere, and refuses nonsense', () => {
    const production = { NODE_ENV: 'production', COOKIE_SECRET: 'x'.repeat(32) }
    expect(loadConfig(production).trustProxy).toEqual(['loopback', 'linklocal', 'uniquelocal'])
    expect(loadConfig({}).trustProxy).toBe(false)
    expect(loadConfig({ TRUST_PROXY: '10.1.0.0/16, 192.0.2.9, ::1' }).trustProxy).toEqual(['10.1.0.0/16', '192.0.2.9', '::1'])
    expect(loadConfig({ ...production, TRUST_PROXY: 'false' }).trustProxy).toBe(false)
    for (const bad of ['true', '1', '10.0.0.0/33', 'proxy.example', '10.0.0.1/8/2']) {
      expect(() => loadConfig({ TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY/)
    }
  })

  // SQLite is enough: the address is worked out before any database work.
  const ctx = useTestApp({ name: 'sqlite' }, { env: { TRUST_PROXY: '10.0.0.0/8', RATE_LIMIT_SIGN_IN_PER_MINUTE: String(SIGN_IN_LIMIT) } })
  const PROXY = '10.0.0.2'

  /** A sign-in attempt through the proxy, which appends the address it saw to what the client sent. */
  async function attempt(clientSent: string | undefined, realClient: string, csrf: { token: string; cookie: string }) {
    return ctx.app.inject({
      method: 'POST', url: '/sign-in', remoteAddress: PROXY,
      headers: {
        'x-forwarded-for': clientSent ? `${clientSent}, ${realClient}` : realClient,
        'content-type': 'application/x-www-form-urlencoded',
        cookie: csrf.cookie,
      },
      payload: new URLSearchParams({ email: ADMIN_EMAIL, password: 'wrong-password', _csrf: csrf.token }).toString(),
    })
  }

  it('counts sign-in attempts by the address the proxy saw, whatever X-Forwarded-For the client forged', async () => {
    const page = await ctx.app.inject({ url: '/sign-in', remoteAddress: PROXY, headers: { 'x-forwarded-for': '198.51.100.1' } })
    const csrf = { token: csrfTokenIn(page.body), cookie: page.cookies.map((c) => `${c.name}=${c.value}`).join('; ') }
    const statuses: number[] = []
    for (let i = 0; i < SIGN_IN_LIMIT + 2; i++) statuses.push((await attempt(`192.0.2.${i + 1}`, '198.51.100.7', csrf)).statusCode)
    expect(statuses.slice(0, SIGN_IN_LIMIT)).toEqual(Array(SIGN_IN_LIMIT).fill(401))
    expect(statuses.slice(SIGN_IN_LIMIT)).toEqual([429, 429])
    // Another person behind the same proxy is not held back by the first one's attempts.
    expect((await attempt(undefined, '198.51.100.8', csrf)).statusCode).toBe(401)
  })
})

import { createServer, type Server } from 'node:net'
import type { Server as HttpServer } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import Provider from 'oidc-provider'
import type { LightMyRequestResponse } from 'fastify'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp, type Browser } from '../../../test/helpers/test-app.ts'
import { systemActor } from './actor.ts'

/*
 * Single sign-on against a real OpenID provider (oidc-provider) listening on loopback. Its
 * development login form takes any account id: here the account id is the e-mail address the
 * provider vouches for, and `unverified:<e-mail>` vouches for it with email_verified false.
 */

const PUBLIC_URL = 'http://localhost:3999'
const CLIENT_ID = 'cyswllt-test'
const CLIENT_SECRET = 'a-client-secret-only-for-these-tests'
const NO_ACCOUNT = 'there is no Cyswllt account for that e-mail address'
const FAILED = 'Single sign-on did not work'

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe: Server = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

interface RunningProvider { issuer: string; close(): Promise<void> }

async function startProvider(port: number): Promise<RunningProvider> {
  const issuer = `http://127.0.0.1:${port}`
  const provider = new Provider(issuer, {
    clients: [{
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uris: [`${PUBLIC_URL}/auth/oidc/callback`],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    }],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    findAccount: async (_ctx, sub) => ({
      accountId: sub,
      claims: async () => ({
        sub,
        email: sub.replace(/^unverified:/, ''),
        email_verified: !sub.startsWith('unverified:'),
        name: `Provider name for ${sub}`,
      }),
    }),
    cookies: { keys: ['oidc-provider-test-cookie-key-0123456789'] },
    features: { devInteractions: { enabled: true } },
  })
  const server: HttpServer = await new Promise((resolve) => {
    const s = provider.listen(port, '127.0.0.1', () => resolve(s))
  })
  return {
    issuer,
    close: () => new Promise<void>((resolve) => {
      // The app's fetch keeps connections alive; without this close() would wait for them.
      server.closeAllConnections()
      server.close(() => resolve())
    }),
  }
}

/**
 * Plays the person at the provider: follows its redirects with a cookie jar of its own, fills in the
 * development login form with `accountId`, consents, and returns the address the provider sends
 * the browser back to (the app's callback). With `abort`, cancels at the login form instead.
 */
async function visitProvider(authorizationUrl: string, accountId: string, opts: { abort?: boolean } = {}): Promise<string> {
  const jar = new Map<string, string>()
  let url = authorizationUrl
  let form: URLSearchParams | undefined
  for (let step = 0; step < 12; step++) {
    const res = await fetch(url, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      body: form,
      headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
    })
    for (const header of res.headers.getSetCookie()) {
      const [pair = ''] = header.split(';')
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq).trim()
      const value = pair.slice(eq + 1).trim()
      if (value) jar.set(name, value)
      else jar.delete(name)
    }
    form = undefined
    if (res.status === 302 || res.status === 303) {
      const location = new URL(res.headers.get('location') ?? '', url).href
      await res.arrayBuffer()
      if (location.startsWith(`${PUBLIC_URL}/`)) return location.slice(PUBLIC_URL.length)
      url = location
      continue
    }
    const html = await res.text()
    if (res.status !== 200) throw new Error(`provider answered ${res.status}: ${html.slice(0, 500)}`)
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1]
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1]
    if (!prompt || !action) throw new Error(`no interaction form at ${url}: ${html.slice(0, 500)}`)
    if (opts.abort) {
      url = new URL(`${new URL(url).pathname}/abort`, url).href
      continue
    }
    url = new URL(action.replace(/&amp;/g, '&'), url).href
    form = new URLSearchParams(prompt === 'login' ? { prompt, login: accountId, password: 'any' } : { prompt })
  }
  throw new Error('the provider never sent the browser back')
}

/** Starts single sign-on in the app and returns the provider address it sent the browser to. */
async function start(browser: Browser, next = '/'): Promise<string> {
  const res = await browser.get(`/auth/oidc/start?next=${encodeURIComponent(next)}`)
  expect(res.statusCode).toBe(302)
  expect(res.cookies.find((c) => c.name === 'cyswllt_oidc')).toMatchObject({ httpOnly: true, sameSite: 'Lax', maxAge: 600 })
  return String(res.headers.location)
}

const sessionCookie = (res: LightMyRequestResponse) => res.cookies.find((c) => c.name === 'cyswllt_session')

const issuerPort = await freePort()
let provider: RunningProvider | undefined

beforeAll(async () => { provider = await startProvider(issuerPort) })
afterAll(async () => { await provider?.close() })

const oidcEnv = {
  OIDC_ISSUER: `http://127.0.0.1:${issuerPort}`,
  OIDC_CLIENT_ID: CLIENT_ID,
  OIDC_CLIENT_SECRET: CLIENT_SECRET,
  PUBLIC_URL,
}

async function expectNoSession(browser: Browser) {
  expect(browser.cookies.has('cyswllt_session')).toBe(false)
  expect((await browser.get('/')).statusCode).toBe(302)
}

for (const engine of testEngines()) {
  describe(`single sign-on on ${engine.name}`, () => {
    const ctx = useTestApp(engine, { env: oidcEnv })

    it('offers single sign-on on the sign-in page', async () => {
      const page = await ctx.browser().get('/sign-in?next=%2Fadmin')
      expect(page.body).toContain('href="/auth/oidc/start?next=%2Fadmin"')
    })

    it('signs a known user in through the provider, whatever the case of the e-mail, and returns them', async () => {
      const user = await ctx.make.user('hmi', { name: 'Siân Evans' })
      const browser = ctx.browser()
      const authorizationUrl = new URL(await start(browser, '/admin/users?page=2'))
      expect(authorizationUrl.origin).toBe(oidcEnv.OIDC_ISSUER)
      expect(authorizationUrl.searchParams.get('scope')).toBe('openid email profile')
      expect(authorizationUrl.searchParams.get('redirect_uri')).toBe(`${PUBLIC_URL}/auth/oidc/callback`)
      expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256')
      expect(authorizationUrl.searchParams.get('state')).toBeTruthy()
      expect(authorizationUrl.searchParams.get('nonce')).toBeTruthy()

      const callback = await visitProvider(authorizationUrl.href, user.email.toUpperCase())
      expect(callback).toMatch(/^\/auth\/oidc\/callback\?/)
      const res = await browser.get(callback)
      expect(res.statusCode).toBe(303)
      expect(res.headers.location).toBe('/admin/users?page=2')
      expect(sessionCookie(res)).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' })
      expect(browser.cookies.has('cyswllt_oidc')).toBe(false)

      const home = await browser.get('/')
      expect(home.statusCode).toBe(200)
      expect(home.body).toContain('Welcome, Siân Evans')

      const audit = await ctx.services.audit.list({ action: 'auth.sign_in', entityId: String(user.id) }, { limit: 5, offset: 0 })
      expect(audit.items).toHaveLength(1)
      expect(JSON.parse(audit.items[0]!.details)).toEqual({ method: 'oidc' })

      // The same answer from the provider cannot be used twice.
      const replay = await ctx.browser().get(callback)
      expect(replay.statusCode).toBe(400)
      expect(sessionCookie(replay)).toBeUndefined()
    })

    it('tells someone the provider knows but Cyswllt does not that they have no account, and starts no session', async () => {
      const browser = ctx.browser()
      const callback = await visitProvider(await start(browser), 'stranger@test.invalid')
      const res = await browser.get(callback)
      expect(res.statusCode).toBe(403)
      expect(res.body).toContain('govuk-error-summary')
      expect(res.body).toContain(NO_ACCOUNT)
      expect(sessionCookie(res)).toBeUndefined()
      await expectNoSession(browser)
    })

    it('does not let a disabled user in through single sign-on', async () => {
      const user = await ctx.make.user('reviewer')
      await ctx.services.users.disableByEmail(systemActor('test'), user.email)
      const browser = ctx.browser()
      const res = await browser.get(await visitProvider(await start(browser), user.email))
      expect(res.statusCode).toBe(403)
      expect(res.body).toContain(NO_ACCOUNT)
      await expectNoSession(browser)
    })

    it('refuses an e-mail address the provider has not verified', async () => {
      const user = await ctx.make.user('hmi')
      const browser = ctx.browser()
      const res = await browser.get(await visitProvider(await start(browser), `unverified:${user.email}`))
      expect(res.statusCode).toBe(400)
      expect(res.body).toContain(FAILED)
      await expectNoSession(browser)
    })

    it('fails cleanly when the state cookie is missing, tampered with or from another attempt', async () => {
      const user = await ctx.make.user('hmi')

      const missing = ctx.browser()
      const missingCallback = await visitProvider(await start(missing), user.email)
      missing.cookies.delete('cyswllt_oidc')
      const noCookie = await missing.get(missingCallback)
      expect(noCookie.statusCode).toBe(400)
      expect(noCookie.body).toContain(FAILED)
      expect(noCookie.body).not.toMatch(/at \w+ \(|stack/i)
      await expectNoSession(missing)

      const tampered = ctx.browser()
      const tamperedCallback = await visitProvider(await start(tampered), user.email)
      const [payload, signature] = tampered.cookies.get('cyswllt_oidc')!.split('.')
      const forged = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>
      forged.next = '/admin/audit'
      tampered.cookies.set('cyswllt_oidc', `${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`)
      const badSignature = await tampered.get(tamperedCallback)
      expect(badSignature.statusCode).toBe(400)
      expect(badSignature.body).toContain(FAILED)
      await expectNoSession(tampered)

      // A validly signed cookie from a different attempt: the state (and PKCE) do not match.
      const victim = ctx.browser()
      const victimCallback = await visitProvider(await start(victim), user.email)
      await start(victim)
      const swapped = await victim.get(victimCallback)
      expect(swapped.statusCode).toBe(400)
      expect(swapped.body).toContain(FAILED)
      await expectNoSession(victim)
    })

    it('fails cleanly when the provider answers with an error', async () => {
      const browser = ctx.browser()
      const callback = await visitProvider(await start(browser, '/admin'), 'anyone@test.invalid', { abort: true })
      expect(callback).toContain('error=access_denied')
      const res = await browser.get(callback)
      expect(res.statusCode).toBe(400)
      expect(res.body).toContain(FAILED)
      // The return path survives the failure, so trying again or signing in with a password returns there.
      expect(res.body).toContain('name="next" value="/admin"')
      await expectNoSession(browser)

      const forgedError = await ctx.browser().get('/auth/oidc/callback?error=server_error&state=x')
      expect(forgedError.statusCode).toBe(400)
    })

    it('never redirects off-site after single sign-on', async () => {
      const user = await ctx.make.user('hmi')
      const browser = ctx.browser()
      const res = await browser.get(await visitProvider(await start(browser, '//evil.example/'), user.email))
      expect(res.statusCode).toBe(303)
      expect(res.headers.location).toBe('/')
    })
  })
}

// Reserved before the app is built, then left empty until the test starts a provider there.
const laterPort = await freePort()

describe('single sign-on with a provider that is down at first', () => {
  let later: RunningProvider | undefined
  const ctx = useTestApp({ name: 'sqlite' }, { env: { ...oidcEnv, OIDC_ISSUER: `http://127.0.0.1:${laterPort}` } })
  afterAll(async () => { await later?.close() })

  it('starts the app anyway, shows a clean failure, then discovers the provider once it is up', async () => {
    const browser = ctx.browser()
    const down = await browser.get('/auth/oidc/start?next=%2F')
    expect(down.statusCode).toBe(503)
    expect(down.body).toContain(FAILED)
    expect(browser.cookies.has('cyswllt_oidc')).toBe(false)

    later = await startProvider(laterPort)
    const up = await browser.get('/auth/oidc/start?next=%2F')
    expect(up.statusCode).toBe(302)
    expect(String(up.headers.location)).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${laterPort}/`))
  })
})

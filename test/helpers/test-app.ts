import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import type { LightMyRequestResponse } from 'fastify'
import { loadConfig, type Config } from '../../src/config.ts'
import { connectDatabase } from '../../src/db/connect.ts'
import { createServices, type Services } from '../../src/services.ts'
import { bootstrap } from '../../src/bootstrap.ts'
import { buildApp, type App } from '../../src/app.ts'
import { systemClock, type Clock } from '../../src/clock.ts'
import { systemActor } from '../../src/modules/auth/actor.ts'
import type { AppUser, Role } from '../../src/db/schema.ts'
import { type TestEngine, uniqueSchemaName } from './engines.ts'

export const ADMIN_EMAIL = 'admin@test.invalid'
export const ADMIN_PASSWORD = 'correct-horse-battery'
export const PASSWORD = 'a-long-test-password'

/** A cookie jar for app.inject: what a browser would keep between requests. */
export class Browser {
  readonly cookies = new Map<string, string>()
  constructor(private readonly app: App) {}

  private header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  private keep(res: LightMyRequestResponse): LightMyRequestResponse {
    for (const c of res.cookies) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name)
      else this.cookies.set(c.name, c.value)
    }
    return res
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.keep(await this.app.inject({ method: 'GET', url, headers: { cookie: this.header(), ...headers } }))
  }

  /** Posts a form the way a browser does: with the CSRF token of a page fetched first. */
  async post(url: string, form: Record<string, string>, opts: { from?: string; csrf?: string } = {}): Promise<LightMyRequestResponse> {
    let token = opts.csrf
    if (token === undefined) {
      const page = await this.get(opts.from ?? url)
      token = csrfTokenIn(page.body)
    }
    return this.keep(await this.app.inject({
      method: 'POST', url,
      headers: { cookie: this.header(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ ...form, _csrf: token }).toString(),
    }))
  }

  /** Posts a file-upload form (multipart/form-data) with the CSRF token of a page fetched first. */
  async postFile(url: string, fields: Record<string, string>, file: { field: string; filename: string; content: string | Buffer; type?: string }, opts: { from?: string } = {}): Promise<LightMyRequestResponse> {
    const token = csrfTokenIn((await this.get(opts.from ?? url)).body)
    const boundary = `----cyswllt${Date.now()}`
    const parts: Buffer[] = []
    for (const [name, value] of Object.entries({ ...fields, _csrf: token })) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`))
    }
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.filename}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`))
    parts.push(Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content))
    parts.push(Buffer.from(`\r\n--${boundary}--\r\n`))
    return this.keep(await this.app.inject({
      method: 'POST', url,
      headers: { cookie: this.header(), 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: Buffer.concat(parts),
    }))
  }

  async signIn(email: string, password: string): Promise<LightMyRequestResponse> {
    return this.post('/sign-in', { email, password }, { from: '/sign-in' })
  }
}

export function csrfTokenIn(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html)
  if (!m?.[1]) throw new Error('no CSRF token on the page')
  return m[1]
}

export interface TestContext {
  app: App
  services: Services
  config: Config
  engine: TestEngine
  browser(): Browser
  /** A signed-in browser for a new user of that role. */
  signedIn(role: Role, opts?: { authority?: string }): Promise<{ browser: Browser; user: AppUser }>
  make: { user(role: Role, opts?: { authority?: string; email?: string; name?: string }): Promise<AppUser> }
  /**
   * Records an audit event for rows the test wrote straight to the database, as every write
   * through the app records one, so pages kept in the page cache are built afresh.
   */
  changedByHand(): Promise<void>
}

let userCounter = 0

/**
 * A real app over a fresh real database for one test file: an in-memory SQLite database, or a
 * schema of its own in the test PostgreSQL. Built in beforeAll, closed in afterAll.
 */
export function useTestApp(engine: TestEngine, opts: { clock?: Clock; env?: Record<string, string> } = {}): TestContext {
  const ctx = { engine } as TestContext
  let tempDir: string | undefined
  beforeAll(async () => {
    // Uploaded files go to a directory of this test file's own, removed afterwards.
    tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cyswllt-test-'))
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: tempDir,
      CYSWLLT_ADMIN_EMAIL: ADMIN_EMAIL,
      CYSWLLT_ADMIN_PASSWORD: ADMIN_PASSWORD,
      ...(engine.url ? { DATABASE_URL: engine.url } : {}),
      ...opts.env,
    })
    const database = await connectDatabase({
      dataDir: config.dataDir,
      databaseUrl: engine.url,
      sqliteFile: ':memory:',
      ...(engine.url ? { pgSchema: uniqueSchemaName('app') } : {}),
    })
    const services = createServices(database, config, opts.clock ?? systemClock)
    await bootstrap(services, config)
    const app = await buildApp(config, services)
    await app.ready()
    Object.assign(ctx, { app, services, config })
    ctx.browser = () => new Browser(app)
    ctx.changedByHand = () => services.audit.record(database.db, systemActor('test'), 'test.changed_by_hand', { type: 'test', id: 0 })
    ctx.make = {
      async user(role, o = {}) {
        const n = ++userCounter
        const authority = o.authority ?? (role === 'peer' || role === 'la' ? 'W06000008' : undefined)
        const { user } = await services.users.create(systemActor('test'), {
          email: o.email ?? `${role}${n}.${process.pid}@test.invalid`,
          name: o.name ?? `Test ${role} ${n}`,
          role,
          authorityCode: authority,
          password: PASSWORD,
        })
        return user
      },
    }
    ctx.signedIn = async (role, o = {}) => {
      const user = await ctx.make.user(role, o)
      const browser = ctx.browser()
      const res = await browser.signIn(user.email, PASSWORD)
      if (res.statusCode !== 303) throw new Error(`sign-in failed for ${user.email}: ${res.statusCode}`)
      return { browser, user }
    }
  })
  afterAll(async () => {
    await ctx.app?.close()
    await ctx.services?.database.close()
    if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true })
  })
  return ctx
}

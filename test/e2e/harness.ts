/**
 * Browser-test harness: a real Cyswllt server on 127.0.0.1 (a fresh SQLite file, or a fresh
 * PostgreSQL schema when E2E_DATABASE=postgres), one Chromium per test file, a fresh browser
 * context per test, and an axe-core check on every page a test visits.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createRequire } from 'node:module'
import { createHash } from 'node:crypto'
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest'
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core'
import { loadConfig, type Config } from '../../src/config.ts'
import { connectDatabase } from '../../src/db/connect.ts'
import { createServices, type Services } from '../../src/services.ts'
import { bootstrap } from '../../src/bootstrap.ts'
import { buildApp, type App } from '../../src/app.ts'
import { systemActor } from '../../src/modules/auth/actor.ts'
import { SESSION_COOKIE } from '../../src/http/web.ts'
import type { AppUser, Role } from '../../src/db/schema.ts'
import { postgresUrl, uniqueSchemaName } from '../helpers/engines.ts'

export const ADMIN_EMAIL = 'admin@e2e.invalid'
export const ADMIN_PASSWORD = 'correct-horse-battery-staple'
export const ADMIN_NAME = 'Administrator'
export const PASSWORD = 'a-long-e2e-password'
/** Cardiff: the authority given to peer and la users unless a test says otherwise. */
export const DEFAULT_AUTHORITY = 'W06000015'

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
]

export function chromiumPath(): string {
  const executable = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
  if (!existsSync(executable)) {
    throw new Error(
      `Chromium not found at ${executable}. The browser tests need it: install it with ` +
        '`apt-get install -y chromium` or set CHROMIUM_PATH to a Chromium or Chrome binary.',
    )
  }
  return executable
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS })
}

export interface E2EServer {
  app: App
  services: Services
  config: Config
  baseUrl: string
  close(): Promise<void>
}

/** Builds and starts the real app in this process, listening on a free loopback port. */
export async function startServer(env: Record<string, string> = {}): Promise<E2EServer> {
  const onPostgres = process.env.E2E_DATABASE === 'postgres'
  const databaseUrl = onPostgres ? postgresUrl() : undefined
  if (onPostgres && !databaseUrl) {
    throw new Error('E2E_DATABASE=postgres but no PostgreSQL is available (TEST_DATABASE_URL unset and global setup found none).')
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cyswllt-e2e-'))
  const config = loadConfig({
    NODE_ENV: 'test',
    CYSWLLT_ADMIN_EMAIL: ADMIN_EMAIL,
    CYSWLLT_ADMIN_PASSWORD: ADMIN_PASSWORD,
    DATA_DIR: dataDir,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...env,
  })
  const database = await connectDatabase({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    ...(databaseUrl ? { pgSchema: uniqueSchemaName('e2e') } : {}),
  })
  const services = createServices(database, config)
  await bootstrap(services, config)
  const app = await buildApp(config, services)
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  return {
    app, services, config,
    baseUrl: address,
    async close() {
      await app.close()
      await database.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export interface E2EContext {
  server: E2EServer
  browser: Browser
  /** The context of the current test: fresh for each test, no cookies carried over. */
  context: BrowserContext
  /** A page in the current test's context. */
  page: Page
  url(pathname: string): string
  /** A new account made in-process (no browser), ready to sign in with PASSWORD. */
  makeUser(role: Role, opts?: { name?: string; email?: string; authorityCode?: string }): Promise<AppUser>
  /**
   * Signs the current context in as that user without the sign-in form (a session made in-process
   * and its cookie set), for tests whose subject is not signing in.
   */
  signInAs(user: AppUser): Promise<void>
  /** Another context in the current test, e.g. without bypassing the CSP. Closed after the test. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>
}

let userCounter = 0

/**
 * One server and one browser for the test file, a fresh context and page per test.
 * `env` is passed to the server's configuration (e.g. SIGN_IN_MAX_FAILURES).
 */
export function useE2E(opts: { env?: Record<string, string> } = {}): E2EContext {
  const ctx = {} as E2EContext
  const extraContexts: BrowserContext[] = []

  beforeAll(async () => {
    // Start both at once: the browser takes about as long to launch as the server to bootstrap.
    const [server, browser] = await Promise.all([startServer(opts.env), launchBrowser()])
    ctx.server = server
    ctx.browser = browser
  })

  afterAll(async () => {
    await ctx.browser?.close()
    await ctx.server?.close()
  })

  beforeEach(async () => {
    ctx.context = await newContext(ctx.browser, ctx.server.baseUrl)
    ctx.page = await ctx.context.newPage()
  })

  afterEach(async () => {
    for (const c of extraContexts.splice(0)) await c.close()
    await ctx.context?.close()
  })

  ctx.url = (pathname) => new URL(pathname, ctx.server.baseUrl).toString()
  ctx.newContext = async (options = {}) => {
    const c = await newContext(ctx.browser, ctx.server.baseUrl, options)
    extraContexts.push(c)
    return c
  }
  ctx.signInAs = async (user) => {
    const token = await ctx.server.services.auth.startSession(user)
    await ctx.context.addCookies([{ name: SESSION_COOKIE, value: token, url: ctx.server.baseUrl, httpOnly: true, sameSite: 'Lax' }])
  }
  ctx.makeUser = async (role, o = {}) => {
    const n = ++userCounter
    const { user } = await ctx.server.services.users.create(systemActor('test'), {
      email: o.email ?? `${role}${n}.${process.pid}@e2e.invalid`,
      name: o.name ?? `E2E ${role} ${n}`,
      role,
      authorityCode: o.authorityCode ?? (role === 'peer' || role === 'la' ? DEFAULT_AUTHORITY : undefined),
      password: PASSWORD,
    })
    return user
  }
  return ctx
}

async function newContext(browser: Browser, baseURL: string, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL,
    // The app's CSP forbids inline scripts, which is how axe-core is injected.
    bypassCSP: true,
    locale: 'en-GB',
    viewport: { width: 1280, height: 900 },
    ...options,
  })
  // A missing button or field fails the step with its name, well before the test's own timeout.
  context.setDefaultTimeout(10_000)
  return context
}

// ---- accessibility -------------------------------------------------------------------------

const require = createRequire(import.meta.url)
const AXE_PATH = path.join(path.dirname(require.resolve('axe-core/package.json')), 'axe.min.js')
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

interface AxeNode { target: unknown[]; failureSummary?: string; html: string }
interface AxeViolation { id: string; impact: string | null; help: string; helpUrl: string; nodes: AxeNode[] }

/** Fails the test listing every serious or critical WCAG 2.2 AA violation on the page as it is now. */
/**
 * Verdicts already reached in this test file, by page markup. axe's result depends only on the
 * DOM and the styles, so a page whose markup is identical to one already checked (the sign-in
 * page, met in almost every test) has the same violations; the first check of each distinct page
 * still runs in full. Tokens that change on every response (CSRF, CSP nonce) are left out.
 */
const checkedMarkup = new Map<string, AxeViolation[]>()

async function markupKey(page: Page): Promise<string> {
  const html = await page.evaluate(() => document.documentElement.outerHTML)
  const normalised = html
    .replace(/(name="_csrf" value=")[^"]*"/g, '$1"')
    .replace(/nonce="[^"]*"/g, 'nonce=""')
  return createHash('sha256').update(`${JSON.stringify(page.viewportSize())}\n${normalised}`).digest('hex')
}

/** E2E_TIMING=1 logs how long each page load and axe check takes, to find what makes a run slow. */
const timing = process.env.E2E_TIMING ? (what: string, started: number) => console.error(`e2e ${Date.now() - started} ms ${what}`) : () => {}

export async function expectAccessible(page: Page, label = page.url(), opts: { keepsCsp?: boolean } = {}): Promise<void> {
  const started = Date.now()
  const key = await markupKey(page)
  const cached = checkedMarkup.get(key)
  const violations = cached ?? await runAxe(page, opts)
  timing(`axe${cached ? ' (same markup as before)' : ''} ${label}`, started)
  checkedMarkup.set(key, violations)
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  const report = serious.map((v) =>
    `- [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n` +
    v.nodes.slice(0, 5).map((n) => `    at ${JSON.stringify(n.target)}: ${n.html.slice(0, 160)}`).join('\n'),
  ).join('\n')
  expect(serious, `axe found accessibility violations on ${label}:\n${report}`).toEqual([])
}

async function runAxe(page: Page, opts: { keepsCsp?: boolean }): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) {
    // A context that keeps the CSP refuses the script tag; evaluating through the DevTools
    // protocol is not subject to the page's CSP (and logs no CSP refusal).
    if (opts.keepsCsp) await page.evaluate(readFileSync(AXE_PATH, 'utf8'))
    else await page.addScriptTag({ path: AXE_PATH })
  }
  const violations = await page.evaluate(async (tags) => {
    // axe-core is injected above; its types are not part of the page's global scope.
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: unknown[] }> } }).axe
    // Only violations are needed; skipping the passes' details makes axe several times faster.
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
    return result.violations
  }, AXE_TAGS) as AxeViolation[]
  return violations
}

/** Goes to a page, checks it loaded (unless a status is expected) and passes axe. */
export async function visit(page: Page, pathname: string, opts: { status?: number } = {}): Promise<Page> {
  const started = Date.now()
  const response = await page.goto(pathname, { waitUntil: 'load' })
  timing(`load ${pathname}`, started)
  if (!response) throw new Error(`no response for ${pathname}`)
  expect(response.status(), `status of ${pathname} (now at ${page.url()})`).toBe(opts.status ?? 200)
  await expectAccessible(page, pathname)
  return page
}

/** Clicks something that submits a form or follows a link, waits for the next page, and checks it with axe. */
export async function submitAndCheck(page: Page, click: () => Promise<void>): Promise<void> {
  const started = Date.now()
  await Promise.all([page.waitForEvent('load'), click()])
  timing(`submit, then load ${page.url()}`, started)
  await expectAccessible(page)
}

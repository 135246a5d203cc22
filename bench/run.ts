/**
 * `npm run bench`: how fast the signed-in home page is compared with a static GOV.UK page
 * rendered by the same template engine, both measured in the same run (machines are noisy, so
 * the ratio is the figure that matters). Prints one JSON document on stdout; progress on stderr.
 *
 * The servers run in a child process so autocannon (in this process) does not compete with them
 * for one event loop. Loopback only.
 *
 * Environment:
 *   BENCH_SECONDS         measured seconds per scenario (default 8)
 *   BENCH_WARMUP_SECONDS  warm-up seconds per scenario, not measured (default 2)
 *   BENCH_CONNECTIONS     concurrent connections (default 10)
 *   BENCH_PROFILE=1       write a V8 CPU profile of the server process to BENCH_PROFILE_DIR
 *                         (default /tmp/cyswllt-bench-profile), for chrome://inspect or speedscope
 *   BENCH_ONLY            "http", "search", "letters", "planning" or "insights" to run only that part (default all five)
 *
 * Evidence search (bench/search.ts), run in this process after the HTTP scenarios:
 *   BENCH_SEARCH_ITEMS    evidence items in the generated SQLite corpus (default 1000000)
 *   BENCH_SEARCH_QUERIES  measured two-word queries (default 1000)
 *   BENCH_SEARCH_WARMUP   warm-up queries, not measured (default 100)
 *   BENCH_DATA_DIR        where generated corpora are kept for reuse (default <tmp>/cyswllt-bench-data)
 *
 * Letter rendering (bench/letters.ts), run in this process last: the bilingual letter of two focus
 * areas and twelve findings to DOCX and to PDF, against rendering it as HTML.
 *   BENCH_LETTER_RENDERS  measured renders of each format (default 100)
 *   BENCH_LETTER_WARMUP   warm-up renders of each, not measured (default 10)
 *
 * The programme planner (bench/planning.ts), run in this process after the letters: a Wales
 * instance and a country-sized one from seeded generators, against a tiny instance as baseline.
 *   BENCH_PLANNING_SEED, BENCH_PLANNING_RUNS, BENCH_PLANNING_BASELINE_RUNS, BENCH_PLANNING_COUNTRY_LIMIT
 *   (see bench/planning.ts)
 *
 * Early Insights (bench/insights.ts), run in this process last: the summary of a year with 22
 * authorities inspected (6 recommendations, 30 findings, 3 effective-practice items each) as JSON
 * and as PDF, against the summary of a year with one authority.
 *   BENCH_INSIGHTS_RUNS, BENCH_INSIGHTS_WARMUP (see bench/insights.ts)
 */
import { fork } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import Fastify from 'fastify'
import fastifyStatic from '@fastify/static'
import view from '@fastify/view'
import nunjucks from 'nunjucks'
import { loadConfig } from '../src/config.ts'
import { connectDatabase } from '../src/db/connect.ts'
import { createServices } from '../src/services.ts'
import { bootstrap } from '../src/bootstrap.ts'
import { buildApp } from '../src/app.ts'
import { configureNunjucks, govukDist, templateDirs } from '../src/http/web.ts'
import { SEARCH_TARGET, searchBench, type SearchBenchReport } from './search.ts'
import { LETTER_TARGET, lettersBench, type LetterBenchReport } from './letters.ts'
import { PLANNING_TARGET, planningBench, type PlanningBenchReport } from './planning.ts'
import { INSIGHTS_TARGET, insightsBench, type InsightsBenchReport } from './insights.ts'

const ADMIN_EMAIL = 'bench-admin@cyswllt.invalid'
const ADMIN_PASSWORD = randomBytes(12).toString('hex')
const TARGETS = { ratioAtLeast: 0.5, p99UnderMs: 50 }
const benchDir = path.dirname(fileURLToPath(import.meta.url))

function seconds(name: string, fallback: number): number {
  const raw = process.env[name]
  const n = raw ? Number(raw) : fallback
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number of seconds, not "${raw}"`)
  return n
}

// ---- the servers (child process) ------------------------------------------------------------

interface Ready { baselineUrl: string; appUrl: string }

/** The baseline: Fastify + @fastify/view + Nunjucks over the app's template dirs, one static page, no database. */
async function startBaseline(): Promise<{ url: string; close(): Promise<void> }> {
  const app = Fastify({ logger: false })
  await app.register(fastifyStatic, { root: path.join(govukDist, 'govuk'), prefix: '/static/' })
  await app.register(view, {
    engine: { nunjucks },
    templates: [benchDir, ...templateDirs],
    options: { autoescape: true, throwOnUndefined: false, onConfigure: configureNunjucks },
  })
  app.get('/', async (_req, reply) => {
    const html = await reply.viewAsync('static.njk', {})
    return reply.type('text/html; charset=utf-8').send(html)
  })
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  return { url, close: () => app.close() }
}

/** The real app as it runs in production, over a fresh SQLite file. */
async function startApp(): Promise<{ url: string; close(): Promise<void> }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cyswllt-bench-'))
  const config = loadConfig({
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    COOKIE_SECRET: randomBytes(32).toString('hex'),
    CYSWLLT_ADMIN_EMAIL: ADMIN_EMAIL,
    CYSWLLT_ADMIN_PASSWORD: process.env.BENCH_ADMIN_PASSWORD,
    // Per-request info logs would be measured too; production log shipping is not this benchmark's subject.
    LOG_LEVEL: 'warn',
  })
  const database = await connectDatabase({ dataDir: config.dataDir })
  const services = createServices(database, config)
  await bootstrap(services, config)
  const app = await buildApp(config, services)
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  return {
    url,
    async close() {
      await app.close()
      await database.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

async function serve(): Promise<void> {
  const [baseline, app] = await Promise.all([startBaseline(), startApp()])
  process.on('message', async (m) => {
    if (m !== 'stop') return
    await Promise.all([baseline.close(), app.close()])
    // A normal exit, so --cpu-prof writes its profile.
    process.exit(0)
  })
  process.send!({ baselineUrl: baseline.url, appUrl: app.url } satisfies Ready)
}

// ---- the load (this process) ----------------------------------------------------------------

/**
 * Signs in through the real form (CSRF token and cookie included) and returns the Cookie header a
 * browser would send afterwards: the session and the CSRF secret. Without the CSRF cookie every
 * page would mint and sign a new secret, which a real browser does only once.
 */
async function signIn(baseUrl: string): Promise<string> {
  const page = await fetch(`${baseUrl}/sign-in`)
  const html = await page.text()
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1]
  if (!token) throw new Error('no CSRF token on the sign-in page')
  const cookies = new Map<string, string>()
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair = ''] = c.split(';')
      const eq = pair.indexOf('=')
      cookies.set(pair.slice(0, eq), pair.slice(eq + 1))
    }
  }
  keep(page)
  const header = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  const res = await fetch(`${baseUrl}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: header() },
    body: new URLSearchParams({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD, _csrf: token }).toString(),
  })
  keep(res)
  if (res.status !== 303 || !cookies.has('cyswllt_session')) throw new Error(`sign-in failed: HTTP ${res.status}`)
  return header()
}

/** One request first, so a scenario that is silently a redirect or an error page is caught. */
async function expectPage(url: string, headers: Record<string, string>, text: string): Promise<void> {
  const res = await fetch(url, { headers, redirect: 'manual' })
  const body = await res.text()
  if (res.status !== 200 || !body.includes(text)) throw new Error(`${url} answered ${res.status} without "${text}"`)
}

interface Scenario { name: string; requestsPerSecond: number; latencyP99Ms: number; latencyP50Ms: number; errors: number; non2xx: number }

async function measure(name: string, url: string, headers: Record<string, string>): Promise<Scenario> {
  const connections = seconds('BENCH_CONNECTIONS', 10)
  const warmup = seconds('BENCH_WARMUP_SECONDS', 2)
  const duration = seconds('BENCH_SECONDS', 8)
  console.error(`bench: ${name}: ${warmup}s warm-up, then ${duration}s measured, ${connections} connections`)
  await autocannon({ url, connections, duration: warmup, headers })
  const r = await autocannon({ url, connections, duration, headers })
  return {
    name,
    requestsPerSecond: Math.round(r.requests.average * 10) / 10,
    latencyP99Ms: r.latency.p99,
    latencyP50Ms: r.latency.p50,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  }
}

/** The HTTP scenarios: the signed-in home page against the static baseline, servers in a child process. */
async function httpBench() {
  const profileDir = process.env.BENCH_PROFILE ? (process.env.BENCH_PROFILE_DIR ?? '/tmp/cyswllt-bench-profile') : undefined
  const child = fork(fileURLToPath(import.meta.url), ['serve'], {
    // process.execArgv carries tsx's loader, so the child runs TypeScript too.
    execArgv: [...process.execArgv, ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])],
    env: { ...process.env, BENCH_ADMIN_PASSWORD: ADMIN_PASSWORD },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  try {
    const ready = await new Promise<Ready>((resolve, reject) => {
      child.once('message', (m) => resolve(m as Ready))
      child.once('exit', (code) => reject(new Error(`the server process exited (${code}) before it was ready`)))
    })
    const cookie = await signIn(ready.appUrl)
    await expectPage(ready.baselineUrl, {}, 'Welcome')
    await expectPage(ready.appUrl, { cookie }, 'Welcome, Administrator')

    const baseline = await measure('baseline: static GOV.UK page, same template engine, no database', ready.baselineUrl, {})
    const home = await measure('signed-in home page (SQLite)', ready.appUrl, { cookie })

    const ratio = Math.round((home.requestsPerSecond / baseline.requestsPerSecond) * 1000) / 1000
    const met = ratio >= TARGETS.ratioAtLeast && home.latencyP99Ms < TARGETS.p99UnderMs && home.errors === 0 && home.non2xx === 0
    console.error(met
      ? 'bench: targets met'
      : `bench: targets NOT met (ratio ${ratio} vs at least ${TARGETS.ratioAtLeast}; p99 ${home.latencyP99Ms} ms vs under ${TARGETS.p99UnderMs} ms)`)
    return {
      settings: {
        connections: seconds('BENCH_CONNECTIONS', 10),
        warmupSeconds: seconds('BENCH_WARMUP_SECONDS', 2),
        seconds: seconds('BENCH_SECONDS', 8),
        app: 'NODE_ENV=production, LOG_LEVEL=warn, SQLite in a temp DATA_DIR',
      },
      scenarios: [baseline, home],
      ratios: { signedInHomeVsBaseline: ratio },
      targets: { ...TARGETS, met },
    }
  } finally {
    if (child.connected) child.send('stop')
    await exited
    if (profileDir) console.error(`bench: CPU profile of the server process written to ${profileDir}`)
  }
}

async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY
  if (only !== undefined && only !== 'http' && only !== 'search' && only !== 'letters' && only !== 'planning' && only !== 'insights') {
    throw new Error(`BENCH_ONLY must be "http", "search", "letters", "planning" or "insights", not "${only}"`)
  }
  const runs = (part: 'http' | 'search' | 'letters' | 'planning' | 'insights') => only === undefined || only === part
  const http = runs('http') ? await httpBench() : undefined
  // After the HTTP servers have stopped, so the two never compete for the machine.
  let search: SearchBenchReport | undefined
  if (runs('search')) {
    search = await searchBench()
    console.error(search.targetMet
      ? `bench: search target met (p95 ${search.latencyMs.p95} ms over ${search.corpus.items.toLocaleString('en-GB')} items, under ${SEARCH_TARGET.p95UnderMs} ms)`
      : `bench: search target NOT met (p95 ${search.latencyMs.p95} ms over ${search.corpus.items.toLocaleString('en-GB')} items vs under ${SEARCH_TARGET.p95UnderMs} ms)`)
  }
  let letters: LetterBenchReport | undefined
  if (runs('letters')) {
    letters = await lettersBench()
    const figures = `DOCX p95 ${letters.docx.latencyMs.p95} ms, PDF p95 ${letters.pdf.latencyMs.p95} ms`
    console.error(letters.targetMet
      ? `bench: letters target met (${figures}, each under ${LETTER_TARGET.p95UnderMs} ms)`
      : `bench: letters target NOT met (${figures} vs each under ${LETTER_TARGET.p95UnderMs} ms)`)
  }
  let planning: PlanningBenchReport | undefined
  if (runs('planning')) {
    planning = await planningBench()
    const { wales, country } = planning
    const figures = `Wales ${wales.status} in ${wales.seconds.median} s; country ${country.status} in ${country.seconds.median} s, gap ${country.gap}`
    console.error(planning.targetMet
      ? `bench: planning target met (${figures})`
      : `bench: planning target NOT met (${figures} vs Wales optimal under ${PLANNING_TARGET.wales.underSeconds} s; country within ${PLANNING_TARGET.country.gapAtMost * 100}% under ${PLANNING_TARGET.country.underSeconds} s)`)
  }
  let insights: InsightsBenchReport | undefined
  if (runs('insights')) {
    insights = await insightsBench()
    const figures = `JSON median ${insights.json.ms.median} ms, PDF median ${insights.pdf.ms.median} ms, for ${insights.dataSet.authorities} authorities`
    console.error(insights.targetMet
      ? `bench: insights target met (${figures}; under ${INSIGHTS_TARGET.jsonUnderMs} ms and ${INSIGHTS_TARGET.pdfUnderMs} ms)`
      : `bench: insights target NOT met (${figures} vs under ${INSIGHTS_TARGET.jsonUnderMs} ms and ${INSIGHTS_TARGET.pdfUnderMs} ms)`)
  }
  const cpus = os.cpus()
  const report = {
    machine: {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model ?? 'unknown',
      node: process.version,
      platform: `${os.platform()} ${os.arch()}`,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      // Other work on the machine shows here; compare ratios, not absolute figures, across runs.
      loadAverage1m: Math.round(os.loadavg()[0]! * 100) / 100,
    },
    ...(http ?? {}),
    ...(search ? { search } : {}),
    ...(letters ? { letters } : {}),
    ...(planning ? { planning } : {}),
    ...(insights ? { insights } : {}),
    // The search, letter, planning and insights targets sit beside the HTTP ones; `targets.met` keeps meaning the HTTP scenarios.
    ...(http && (search || letters || planning || insights)
      ? {
          targets: {
            ...http.targets,
            ...(search ? { search: { ...SEARCH_TARGET, met: search.targetMet } } : {}),
            ...(letters ? { letters: { ...LETTER_TARGET, met: letters.targetMet } } : {}),
            ...(planning ? { planning: { ...PLANNING_TARGET, met: planning.targetMet } } : {}),
            ...(insights ? { insights: { ...INSIGHTS_TARGET, met: insights.targetMet } } : {}),
          },
        }
      : {}),
  }
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
}

if (process.argv[2] === 'serve') await serve()
else await main()

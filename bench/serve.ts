/**
 * The benchmarks' servers, run in a child process by bench/http.ts `startServers(mode)`:
 *   baseline  Fastify + @fastify/view + Nunjucks over the app's template dirs, one static GOV.UK page, no database
 *   app       the real app as it runs in production (NODE_ENV=production, LOG_LEVEL=warn) over SQLite in
 *             BENCH_APP_DATA_DIR when set (a copy of the data set, left in place), else a fresh temporary one
 * Tells its parent `{ baselineUrl, appUrl }` when listening; answers 'memory' with its own
 * process.memoryUsage() ('memory-after-gc': after a full garbage collection), 'page-cache' with the
 * app's page cache figures, and 'cpu' with its
 * process.cpuUsage(); closes everything and exits on 'stop'.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import Fastify from 'fastify'
import fastifyStatic from '@fastify/static'
import view from '@fastify/view'
import nunjucks from 'nunjucks'
import { configureNunjucks, govukDist, templateDirs } from '../src/http/web.ts'
import type { Ready, ServeMode } from './http.ts'
import type { PageCacheStats } from '../src/http/page-cache.ts'

const benchDir = path.dirname(fileURLToPath(import.meta.url))

interface Server { url: string; close(): Promise<void>; pageCache?: () => PageCacheStats }

/** The baseline: Fastify + @fastify/view + Nunjucks over the app's template dirs, one static page, no database. */
async function startBaseline(): Promise<Server> {
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

/** The real app as it runs in production, over the given SQLite directory or a fresh one. */
async function startApp(): Promise<Server> {
  // Loaded here, not above, so the baseline's process holds only what the baseline uses (its memory is compared).
  const [{ loadConfig }, { connectDatabase }, { createServices }, { bootstrap }, { buildApp }] = await Promise.all([
    import('../src/config.ts'), import('../src/db/connect.ts'), import('../src/services.ts'), import('../src/bootstrap.ts'), import('../src/app.ts'),
  ])
  const given = process.env.BENCH_APP_DATA_DIR
  const dataDir = given ?? mkdtempSync(path.join(os.tmpdir(), 'cyswllt-bench-'))
  const config = loadConfig({
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    COOKIE_SECRET: randomBytes(32).toString('hex'),
    // The first admin, on a fresh database only (a data set has its users already).
    CYSWLLT_ADMIN_EMAIL: process.env.BENCH_ADMIN_EMAIL,
    CYSWLLT_ADMIN_PASSWORD: process.env.BENCH_ADMIN_PASSWORD,
    // Per-request info logs would be measured too; production log shipping is not this benchmark's subject.
    LOG_LEVEL: 'warn',
    // Set to 0 to measure pages built afresh on every request.
    PAGE_CACHE_MB: process.env.PAGE_CACHE_MB,
  })
  const database = await connectDatabase({ dataDir: config.dataDir })
  const services = createServices(database, config)
  await bootstrap(services, config)
  const app = await buildApp(config, services)
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  return {
    url,
    pageCache: () => app.pageCache.stats(),
    async close() {
      await app.close()
      await database.close()
      if (!given) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

const mode = process.argv[2] as ServeMode
if (mode !== 'baseline' && mode !== 'app') throw new Error(`bench/serve.ts: mode must be baseline or app, not "${mode}"`)
const [baseline, app] = await Promise.all([
  mode === 'app' ? undefined : startBaseline(),
  mode === 'baseline' ? undefined : startApp(),
])
process.on('message', async (m) => {
  if (m === 'memory') process.send!({ memory: process.memoryUsage() })
  // CPU time used so far: the parent waits for it to stop rising before the next scenario.
  if (m === 'cpu') process.send!({ cpu: process.cpuUsage() })
  if (m === 'page-cache') process.send!({ pageCache: app?.pageCache?.() })
  // After a full collection (the process runs with --expose-gc): what is still held, where a leak would show.
  if (m === 'memory-after-gc') {
    globalThis.gc?.()
    process.send!({ memory: process.memoryUsage() })
  }
  if (m !== 'stop') return
  await Promise.all([baseline?.close(), app?.close()])
  // A normal exit, so --cpu-prof writes its profile.
  process.exit(0)
})
process.send!({ baselineUrl: baseline?.url, appUrl: app?.url } satisfies Ready)

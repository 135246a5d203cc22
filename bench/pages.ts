/**
 * The main pages under load: the real app (production settings) over a copy of the benchmark data
 * set (bench/dataset.ts), signed in as an HMI who leads this term's visit being drafted. Each page
 * is measured at BENCH_CONNECTIONS connections and reported as requests per second, as a ratio to
 * the bare GOV.UK page baseline measured in the same run (before the pages and again after them;
 * their mean is the figure), with p50 and p99 latency:
 *   dashboard        /                             the HMI's home page
 *   ELV workspace    /elvs/:id                     the overview of the visit in fieldwork
 *   evidence search  /search?q=&elv=               two-word queries within that visit's evidence, another each request
 *   letter           /elvs/:id/letter              the letter tab of the visit being drafted
 *   programme        /programme                    the current cycle by authority and term
 *   insights         /insights/:year               the Early Insights summary of last year
 * Every request asks as a browser does (Accept-Encoding: gzip, deflate, br), the baseline's too.
 * Then a load test: BENCH_LOAD_CONNECTIONS connections asking for the six pages in turn for
 * BENCH_LOAD_SECONDS, and the server process's memory (resident set) afterwards.
 *
 *   BENCH_LOAD_CONNECTIONS  connections of the load test (default 20)
 *   BENCH_LOAD_SECONDS      its measured seconds (default BENCH_SECONDS)
 *   and BENCH_SECONDS, BENCH_WARMUP_SECONDS, BENCH_CONNECTIONS (see bench/http.ts)
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { DATASET_PASSWORD, type DataSetInfo } from './dataset.ts'
import { BROWSER_ACCEPT_ENCODING, expectPage, httpSettings, measure, seconds, signIn, startServers, type Memory, type Scenario, type ServerProcess } from './http.ts'
import { sampleQueries } from './search-corpus.ts'
import type { PageCacheStats } from '../src/http/page-cache.ts'

export const PAGES_TARGET = { ratioAtLeast: 0.4, p99UnderMs: 50, rssAfterLoadUnderMiB: 300 }

export interface PageScenario extends Scenario {
  key: string
  path: string
  ratioToBaseline: number
  /** The app server's resident memory after this page's scenario, MiB: which page makes it grow. */
  rssAfterMiB: number
  targetMet: boolean
}

export interface PagesBenchReport {
  dataSet: { dir: string; items: number; elvs: number; users: number; currentTerm: string; reused: boolean }
  settings: { connections: number; warmupSeconds: number; seconds: number; load: { connections: number; seconds: number }; signedInAs: string; app: string }
  baseline: { before: Scenario; after: Scenario; requestsPerSecond: number }
  pages: PageScenario[]
  /**
   * The same pages from a second app server with the page cache off (PAGE_CACHE_MB=0): what each
   * costs when it has to be built (as after every write), reported beside the kept figures.
   */
  builtAfresh: PageScenario[]
  /** The first server's page cache after the page scenarios (pages kept, bytes, hits, misses). */
  pageCache: PageCacheStats
  load: Scenario & { connections: number; pages: string[] }
  /**
   * The app server process's memory, MiB: started (data set open, nothing asked), after the page
   * scenarios, after the load test (the figure), then after a full garbage collection (what is
   * still held: growth there from start to end is what a leak would look like); and the baseline
   * server's, after its scenarios, for comparison.
   */
  memoryMiB: { atStart: MemoryMiB; afterPages: MemoryMiB; afterLoad: MemoryMiB; afterLoadAndGc: MemoryMiB; heapUsedAfterGc: { atStart: number; afterPages: number; afterLoad: number }; baselineServer: MemoryMiB }
  target: typeof PAGES_TARGET
  targetMet: boolean
}

type MemoryMiB = { rss: number; heapTotal: number; heapUsed: number; external: number }
const mib = (m: Memory): MemoryMiB => ({ rss: Math.round(m.rss / 2 ** 20), heapTotal: Math.round(m.heapTotal / 2 ** 20), heapUsed: Math.round(m.heapUsed / 2 ** 20), external: Math.round(m.external / 2 ** 20) })
const round = (x: number, places: number) => Math.round(x * 10 ** places) / 10 ** places

export async function pagesBench(data: { dir: string; info: DataSetInfo }): Promise<PagesBenchReport> {
  const { pages: p } = data.info
  const loadConnections = seconds('BENCH_LOAD_CONNECTIONS', 20)
  const settings = httpSettings()
  const loadSeconds = seconds('BENCH_LOAD_SECONDS', settings.seconds)

  // A copy, so sign-ins and sessions never change the kept data set.
  const copy = mkdtempSync(path.join(os.tmpdir(), 'cyswllt-bench-pages-'))
  for (const f of ['cyswllt.sqlite', 'cyswllt.sqlite-wal']) if (existsSync(path.join(data.dir, f))) copyFileSync(path.join(data.dir, f), path.join(copy, f))
  let baseline: ServerProcess | undefined
  let app: ServerProcess | undefined
  let fresh: ServerProcess | undefined
  try {
    // Two processes: the app's memory is its own, and the baseline never shares its event loop.
    ;[baseline, app] = await Promise.all([startServers('baseline'), startServers('app', { BENCH_APP_DATA_DIR: copy })])
    const baseUrl = app.ready.appUrl!
    const baselineUrl = baseline.ready.baselineUrl!
    const atStart = mib(await app.memory())
    const atStartGc = mib(await app.memory({ afterGc: true }))
    const cookie = await signIn(baseUrl, p.email, DATASET_PASSWORD)
    // As a browser asks: every browser takes compressed pages.
    const headers = { cookie, 'accept-encoding': BROWSER_ACCEPT_ENCODING }

    // Two-word queries as an inspector types them, another on each request; the first that finds something is checked.
    const queries = sampleQueries(50, 11)
    let q = 0
    const searchPath = (query: string) => `/search?${new URLSearchParams({ q: query, elv: String(p.searchElvId) })}`
    const nextSearch = () => searchPath(queries[q++ % queries.length]!)
    let found = false
    for (const query of queries.slice(0, 10)) {
      if ((await expectPage(`${baseUrl}${searchPath(query)}`, headers, 'search')).includes(`/elvs/${p.searchElvId}/evidence/`)) { found = true; break }
    }
    if (!found) throw new Error(`none of ten two-word queries found evidence of ELV ${p.searchElvId}`)

    const pageList: Array<{ key: string; name: string; path: string | (() => string); shown: string; expect: string }> = [
      { key: 'dashboard', name: 'dashboard (home)', path: '/', shown: '/', expect: 'Welcome,' },
      { key: 'workspace', name: 'ELV workspace (overview of the visit in fieldwork)', path: `/elvs/${p.workspaceElvId}`, shown: `/elvs/${p.workspaceElvId}`, expect: `/elvs/${p.workspaceElvId}/evidence` },
      { key: 'search', name: 'evidence search (two words, within the visit)', path: nextSearch, shown: searchPath(queries[0]!), expect: 'search' },
      { key: 'letter', name: 'letter tab (the visit being drafted)', path: `/elvs/${p.letterElvId}/letter`, shown: `/elvs/${p.letterElvId}/letter`, expect: `/elvs/${p.letterElvId}/letter` },
      { key: 'programme', name: 'programme (the current cycle)', path: '/programme', shown: '/programme', expect: '/programme' },
      { key: 'insights', name: `Early Insights summary (${p.insightsYear})`, path: `/insights/${p.insightsYear}`, shown: `/insights/${p.insightsYear}`, expect: p.insightsYear },
    ]
    await expectPage(baselineUrl, {}, 'Welcome')
    for (const page of pageList) await expectPage(`${baseUrl}${page.shown}`, headers, page.expect)

    const baselineHeaders = { 'accept-encoding': BROWSER_ACCEPT_ENCODING }
    const before = await measure('pages: baseline (static GOV.UK page), before the pages', { url: baselineUrl, paths: ['/'], headers: baselineHeaders, server: baseline })
    const measured: Array<Scenario & { rssAfterMiB: number }> = []
    for (const page of pageList) {
      const s = await measure(`pages: ${page.name}`, { url: baseUrl, paths: [page.path], headers, server: app })
      measured.push({ ...s, rssAfterMiB: mib(await app.memory()).rss })
    }
    const after = await measure('pages: baseline (static GOV.UK page), after the pages', { url: baselineUrl, paths: ['/'], headers: baselineHeaders, server: baseline })
    const baselineRps = round((before.requestsPerSecond + after.requestsPerSecond) / 2, 1)
    const afterPages = mib(await app.memory())
    const afterPagesGc = mib(await app.memory({ afterGc: true }))
    const baselineServer = mib(await baseline.memory())

    const pageCache = await app.pageCache()

    const load = await measure(`pages: load test, the six pages in turn`, {
      url: baseUrl, paths: pageList.map((pg) => pg.path), headers, connections: loadConnections, seconds: loadSeconds, server: app,
    })
    const afterLoad = mib(await app.memory())
    const afterLoadAndGc = mib(await app.memory({ afterGc: true }))
    await app.stop()

    // The same pages built on every request: a server with the page cache off, over the same copy.
    fresh = await startServers('app', { BENCH_APP_DATA_DIR: copy, PAGE_CACHE_MB: '0' })
    const freshUrl = fresh.ready.appUrl!
    const freshHeaders = { cookie: await signIn(freshUrl, p.email, DATASET_PASSWORD), 'accept-encoding': BROWSER_ACCEPT_ENCODING }
    const measuredFresh: Array<Scenario & { rssAfterMiB: number }> = []
    for (const page of pageList) {
      await expectPage(`${freshUrl}${page.shown}`, freshHeaders, page.expect)
      const s = await measure(`pages: ${page.name}, built afresh (page cache off)`, { url: freshUrl, paths: [page.path], headers: freshHeaders, server: fresh })
      measuredFresh.push({ ...s, rssAfterMiB: mib(await fresh.memory()).rss })
    }

    const scenarios = (list: Array<Scenario & { rssAfterMiB: number }>) => pageList.map((page, i): PageScenario => {
      const s = list[i]!
      const ratioToBaseline = round(s.requestsPerSecond / baselineRps, 3)
      return {
        key: page.key, path: page.shown, ...s, ratioToBaseline,
        targetMet: ratioToBaseline >= PAGES_TARGET.ratioAtLeast && s.answered > 0 && s.latencyP99Ms < PAGES_TARGET.p99UnderMs && s.errors === 0 && s.non2xx === 0,
      }
    })
    const pages = scenarios(measured)
    const loadMet = load.answered > 0 && load.errors === 0 && load.non2xx === 0
    return {
      dataSet: { dir: data.dir, items: data.info.items, elvs: data.info.elvs, users: data.info.counts.users ?? 0, currentTerm: data.info.params.currentTerm, reused: data.info.reused },
      settings: {
        ...settings, load: { connections: loadConnections, seconds: loadSeconds }, signedInAs: `${p.email} (hmi)`,
        app: 'NODE_ENV=production, LOG_LEVEL=warn, SQLite over a copy of the data set, in a process of its own',
      },
      baseline: { before, after, requestsPerSecond: baselineRps },
      pages,
      builtAfresh: scenarios(measuredFresh),
      pageCache,
      load: { ...load, connections: loadConnections, pages: pageList.map((pg) => pg.key) },
      memoryMiB: {
        atStart, afterPages, afterLoad, afterLoadAndGc, baselineServer,
        heapUsedAfterGc: { atStart: atStartGc.heapUsed, afterPages: afterPagesGc.heapUsed, afterLoad: afterLoadAndGc.heapUsed },
      },
      target: PAGES_TARGET,
      targetMet: pages.every((pg) => pg.targetMet) && loadMet && afterLoad.rss < PAGES_TARGET.rssAfterLoadUnderMiB,
    }
  } finally {
    await Promise.all([baseline?.stop(), app?.stop(), fresh?.stop()])
    rmSync(copy, { recursive: true, force: true })
  }
}

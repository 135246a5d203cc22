/**
 * `npm run bench`: every benchmark, each figure beside a baseline measured in the same run
 * (machines are noisy, so the ratio is the figure that matters). Prints one JSON document on
 * stdout (progress on stderr) and writes it to bench/results.json, with a table of every figure,
 * its baseline, ratio and target in bench/RESULTS.md (BENCH_RESULTS_DIR to write them elsewhere).
 * Targets missed are reported, not failed: the exit code is non-zero only when a part failed to run
 * (the other parts still run).
 *
 *   BENCH_ONLY   "http", "pages", "search", "letters", "planning" or "insights", or several
 *                comma-separated, to run only those parts (default all, in that order)
 *
 * The HTTP parts run their servers in child processes (bench/serve.ts) so autocannon (in this
 * process) does not compete with them for one event loop; loopback only. Settings in bench/http.ts:
 *   BENCH_SECONDS (default 5), BENCH_WARMUP_SECONDS (default 2), BENCH_CONNECTIONS (default 10),
 *   BENCH_PROFILE=1 (V8 CPU profiles of the server processes in BENCH_PROFILE_DIR)
 *
 * http: the signed-in home page of an admin over an empty database against a static GOV.UK page
 * rendered by the same template engine (bench/static.njk): requests/s ratio and p99.
 *
 * pages (bench/pages.ts): the main pages (dashboard, ELV workspace, evidence search, letter,
 * programme, insights) of the real app over a copy of the benchmark data set (bench/dataset.ts:
 * 22 authorities over two cycles, 88 ELVs, 100,000 evidence items, 200 users; generated once and
 * kept in BENCH_DATA_DIR), each as a ratio to the same baseline, then a load test of all six and
 * the server's memory after it.
 *   BENCH_LOAD_CONNECTIONS (default 20), BENCH_LOAD_SECONDS (default BENCH_SECONDS)
 *   BENCH_DATASET_ITEMS (default 100000), BENCH_DATASET_USERS (default 200), BENCH_DATASET_SEED
 *
 * search (bench/search.ts), run in this process after the HTTP servers have stopped: typical
 * two-word queries through SearchService over a generated SQLite corpus, and again over the data set.
 *   BENCH_SEARCH_ITEMS    evidence items in the generated SQLite corpus (default 1000000)
 *   BENCH_SEARCH_QUERIES  measured two-word queries (default 1000)
 *   BENCH_SEARCH_WARMUP   warm-up queries, not measured (default 100)
 *   BENCH_DATA_DIR        where generated corpora and data sets are kept for reuse (default <tmp>/cyswllt-bench-data)
 *
 * letters (bench/letters.ts): the bilingual letter of two focus areas and twelve findings to DOCX
 * and to PDF, against rendering it as HTML.
 *   BENCH_LETTER_RENDERS  measured renders of each format (default 100)
 *   BENCH_LETTER_WARMUP   warm-up renders of each, not measured (default 10)
 *
 * planning (bench/planning.ts): a Wales instance and a country-sized one from seeded generators,
 * against a tiny instance as baseline.
 *   BENCH_PLANNING_SEED, BENCH_PLANNING_RUNS, BENCH_PLANNING_BASELINE_RUNS, BENCH_PLANNING_COUNTRY_LIMIT
 *
 * insights (bench/insights.ts): the summary of a year with 22 authorities inspected (6
 * recommendations, 30 findings, 3 effective-practice items each) as JSON and as PDF, against the
 * summary of a year with one authority.
 *   BENCH_INSIGHTS_RUNS, BENCH_INSIGHTS_WARMUP
 */
import { randomBytes } from 'node:crypto'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { BROWSER_ACCEPT_ENCODING, expectPage, httpSettings, measure, signIn, startServers } from './http.ts'
import { SEARCH_TARGET, searchBench, type SearchBenchReport } from './search.ts'
import { LETTER_TARGET, lettersBench, type LetterBenchReport } from './letters.ts'
import { PLANNING_TARGET, planningBench, type PlanningBenchReport } from './planning.ts'
import { INSIGHTS_TARGET, insightsBench, type InsightsBenchReport } from './insights.ts'
import { PAGES_TARGET, pagesBench, type PagesBenchReport } from './pages.ts'
import { DATASET_VERSION, dataSet, type DataSetInfo } from './dataset.ts'
import { markdown, rows, writeResults, type HomeReport, type Machine } from './report.ts'

const ADMIN_EMAIL = 'bench-admin@cyswllt.invalid'
const ADMIN_PASSWORD = randomBytes(12).toString('hex')
const TARGETS = { ratioAtLeast: 0.5, p99UnderMs: 50 }
const PARTS = ['http', 'pages', 'search', 'letters', 'planning', 'insights'] as const
type Part = (typeof PARTS)[number]

/** The signed-in home page (an admin, an empty database) against the static baseline, each server in a child process of its own. */
async function httpBench(): Promise<HomeReport & { settings: Record<string, unknown> }> {
  // Two processes, as for the pages: the app runs with its own Node.js options, the baseline with the defaults.
  const [baselineServer, appServer] = await Promise.all([
    startServers('baseline'), startServers('app', { BENCH_ADMIN_EMAIL: ADMIN_EMAIL, BENCH_ADMIN_PASSWORD: ADMIN_PASSWORD }),
  ])
  try {
    const baselineUrl = baselineServer.ready.baselineUrl!
    const appUrl = appServer.ready.appUrl!
    const cookie = await signIn(appUrl, ADMIN_EMAIL, ADMIN_PASSWORD)
    await expectPage(baselineUrl, {}, 'Welcome')
    await expectPage(appUrl, { cookie }, 'Welcome, Administrator')

    const encoding = { 'accept-encoding': BROWSER_ACCEPT_ENCODING }
    const baseline = await measure('baseline: static GOV.UK page, same template engine, no database', { url: baselineUrl, paths: ['/'], headers: encoding, server: baselineServer })
    const home = await measure('signed-in home page (SQLite)', { url: appUrl, paths: ['/'], headers: { cookie, ...encoding }, server: appServer })

    const ratio = Math.round((home.requestsPerSecond / baseline.requestsPerSecond) * 1000) / 1000
    const met = ratio >= TARGETS.ratioAtLeast && home.answered > 0 && home.latencyP99Ms < TARGETS.p99UnderMs && home.errors === 0 && home.non2xx === 0
    console.error(met
      ? 'bench: targets met'
      : `bench: targets NOT met (ratio ${ratio} vs at least ${TARGETS.ratioAtLeast}; p99 ${home.latencyP99Ms} ms vs under ${TARGETS.p99UnderMs} ms)`)
    return {
      settings: { ...httpSettings(), app: 'NODE_ENV=production, LOG_LEVEL=warn, SQLite in a temp DATA_DIR' },
      scenarios: [baseline, home],
      ratios: { signedInHomeVsBaseline: ratio },
      targets: { ...TARGETS, met },
    }
  } finally {
    await Promise.all([baselineServer.stop(), appServer.stop()])
  }
}

function onlyParts(): Set<Part> {
  const only = process.env.BENCH_ONLY
  if (only === undefined || only === '') return new Set(PARTS)
  const asked = only.split(',').map((x) => x.trim())
  const wrong = asked.filter((x) => !(PARTS as readonly string[]).includes(x))
  if (wrong.length) throw new Error(`BENCH_ONLY must be one or more of ${PARTS.join(', ')} (comma-separated), not "${only}"`)
  return new Set(asked as Part[])
}

const say = (met: boolean, part: string, figures: string, targets: string) =>
  console.error(met ? `bench: ${part} target met (${figures}; ${targets})` : `bench: ${part} target NOT met (${figures} vs ${targets})`)

async function main(): Promise<number> {
  const runs = onlyParts()
  const date = new Date().toISOString()
  const loadAtStart = os.loadavg().map((x) => Math.round(x * 100) / 100)
  const durationsSeconds: Record<string, number> = {}
  const failures: Array<{ part: string; error: string }> = []
  /** Runs one part, timed; a part that fails is reported and the others still run. */
  const part = async <T>(name: string, run: () => Promise<T>): Promise<T | undefined> => {
    const t = performance.now()
    try {
      return await run()
    } catch (e) {
      console.error(`bench: ${name} failed to run:`, e)
      failures.push({ part: name, error: e instanceof Error ? e.message : String(e) })
      return undefined
    } finally {
      durationsSeconds[name] = Math.round((performance.now() - t) / 100) / 10
    }
  }

  const http = runs.has('http') ? await part('http', httpBench) : undefined
  // The data set, for the pages and for search over it: generated on first use, then reused.
  const data = runs.has('pages') || runs.has('search') ? await part('data set', () => dataSet()) : undefined
  let pages: PagesBenchReport | undefined
  if (runs.has('pages') && data) {
    pages = await part('pages', () => pagesBench(data))
    if (pages) {
      const worst = [...pages.pages].sort((a, b) => a.ratioToBaseline - b.ratioToBaseline)[0]!
      const slowest = [...pages.pages].sort((a, b) => b.latencyP99Ms - a.latencyP99Ms)[0]!
      say(pages.targetMet, 'pages',
        `lowest ratio ${worst.ratioToBaseline} (${worst.key}), highest p99 ${slowest.latencyP99Ms} ms (${slowest.key}), RSS after the load test ${pages.memoryMiB.afterLoad.rss} MiB`,
        `every page at least ${PAGES_TARGET.ratioAtLeast} of the baseline with p99 under ${PAGES_TARGET.p99UnderMs} ms; RSS under ${PAGES_TARGET.rssAfterLoadUnderMiB} MiB`)
    }
  }
  // After the HTTP servers have stopped, so the two never compete for the machine.
  let search: SearchBenchReport | undefined
  let searchDataSet: SearchBenchReport | undefined
  if (runs.has('search')) {
    search = await part('search', () => searchBench())
    if (search) say(search.targetMet, 'search', `p95 ${search.latencyMs.p95} ms over ${search.corpus.items.toLocaleString('en-GB')} items`, `under ${SEARCH_TARGET.p95UnderMs} ms`)
    if (data) {
      const { items, elvs, authorities, vocabulary, reused, generateSeconds } = data.info
      console.error('bench: search: now over the data set')
      searchDataSet = await part('search (data set)', () => searchBench({ dir: data.dir, info: { items, elvs, authorities, vocabulary, reused, generateSeconds }, generatorVersion: DATASET_VERSION }))
      if (searchDataSet) say(searchDataSet.targetMet, 'search (data set)', `p95 ${searchDataSet.latencyMs.p95} ms over ${items.toLocaleString('en-GB')} items`, `under ${SEARCH_TARGET.p95UnderMs} ms`)
    }
  }
  let letters: LetterBenchReport | undefined
  if (runs.has('letters')) {
    letters = await part('letters', lettersBench)
    if (letters) say(letters.targetMet, 'letters', `DOCX p95 ${letters.docx.latencyMs.p95} ms, PDF p95 ${letters.pdf.latencyMs.p95} ms`, `each under ${LETTER_TARGET.p95UnderMs} ms`)
  }
  let planning: PlanningBenchReport | undefined
  if (runs.has('planning')) {
    planning = await part('planning', planningBench)
    if (planning) {
      const { wales, country } = planning
      say(planning.targetMet, 'planning', `Wales ${wales.status} in ${wales.seconds.median} s; country ${country.status} in ${country.seconds.median} s, gap ${country.gap}`,
        `Wales optimal under ${PLANNING_TARGET.wales.underSeconds} s; country within ${PLANNING_TARGET.country.gapAtMost * 100}% under ${PLANNING_TARGET.country.underSeconds} s`)
    }
  }
  let insights: InsightsBenchReport | undefined
  if (runs.has('insights')) {
    insights = await part('insights', insightsBench)
    if (insights) say(insights.targetMet, 'insights', `JSON median ${insights.json.ms.median} ms, PDF median ${insights.pdf.ms.median} ms, for ${insights.dataSet.authorities} authorities`,
      `under ${INSIGHTS_TARGET.jsonUnderMs} ms and ${INSIGHTS_TARGET.pdfUnderMs} ms`)
  }

  const cpus = os.cpus()
  const loadAtEnd = os.loadavg().map((x) => Math.round(x * 100) / 100)
  const machine: Machine = {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    // Other work on the machine shows here; compare ratios, not absolute figures, across runs.
    loadAverage1m: loadAtEnd[0]!,
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: loadAtEnd,
  }
  const table = rows({ home: http, pages, search, searchDataSet, letters, planning, insights })
  const dataSetSummary = data ? dataSetReport(data) : undefined
  const report = {
    date,
    machine,
    ...(http ?? {}),
    ...(dataSetSummary ? { dataSet: dataSetSummary } : {}),
    ...(pages ? { pages } : {}),
    ...(search ? { search } : {}),
    ...(searchDataSet ? { searchDataSet } : {}),
    ...(letters ? { letters } : {}),
    ...(planning ? { planning } : {}),
    ...(insights ? { insights } : {}),
    // The other parts' targets sit beside the HTTP ones; `targets.met` keeps meaning the signed-in home page.
    ...(http && (pages || search || letters || planning || insights)
      ? {
          targets: {
            ...http.targets,
            ...(pages ? { pages: { ...PAGES_TARGET, met: pages.targetMet } } : {}),
            ...(search ? { search: { ...SEARCH_TARGET, met: search.targetMet } } : {}),
            ...(letters ? { letters: { ...LETTER_TARGET, met: letters.targetMet } } : {}),
            ...(planning ? { planning: { ...PLANNING_TARGET, met: planning.targetMet } } : {}),
            ...(insights ? { insights: { ...INSIGHTS_TARGET, met: insights.targetMet } } : {}),
          },
        }
      : {}),
    durationsSeconds,
    failures,
    rows: table,
  }
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
  const h = httpSettings()
  const settings: Record<string, string> = {
    parts: [...runs].join(', '),
    'HTTP scenarios': `${h.connections} connections, ${h.warmupSeconds} s warm-up then ${h.seconds} s measured each`,
    ...(pages ? { 'load test': `${pages.settings.load.connections} connections for ${pages.settings.load.seconds} s`, 'pages signed in as': pages.settings.signedInAs } : {}),
    ...(dataSetSummary ? { 'data set': `${dataSetSummary.items.toLocaleString('en-GB')} evidence items, ${dataSetSummary.elvs} ELVs, ${dataSetSummary.users} users, current term ${dataSetSummary.currentTerm}${dataSetSummary.reused ? ' (reused)' : ` (generated in ${dataSetSummary.generateSeconds} s)`}` } : {}),
    ...(search ? { 'search corpus': `${search.corpus.items.toLocaleString('en-GB')} items${search.corpus.reused ? ' (reused)' : ` (generated in ${search.corpus.generateSeconds} s)`}; ${search.queries.count} queries after ${search.queries.warmup} warm-up` } : {}),
    ...(letters ? { letters: `${letters.renders.measured} renders of each format after ${letters.renders.warmup} warm-up` } : {}),
    ...(insights ? { insights: `${insights.runs.measured} runs after ${insights.runs.warmup} warm-up` } : {}),
  }
  const dir = process.env.BENCH_RESULTS_DIR ?? path.dirname(fileURLToPath(import.meta.url))
  writeResults(dir, report, markdown({ date, machine, rows: table, durationsSeconds, failures, settings }))
  console.error(`bench: wrote ${path.join(dir, 'results.json')} and ${path.join(dir, 'RESULTS.md')}`)
  return failures.length ? 1 : 0
}

function dataSetReport(data: { dir: string; info: DataSetInfo }) {
  const { info } = data
  return {
    dir: data.dir, items: info.items, elvs: info.elvs, authorities: info.authorities, cycles: info.cycles, currentTerm: info.params.currentTerm,
    users: info.counts.users ?? 0, usersByRole: info.users, states: info.states, counts: info.counts, pages: info.pages,
    reused: info.reused, generateSeconds: info.generateSeconds, fileMiB: info.fileMiB, generatorVersion: info.generatorVersion,
  }
}

process.exitCode = await main()

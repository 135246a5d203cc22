/**
 * The benchmark report: one row per figure (what, figure, same-run baseline, ratio, target, met?)
 * from the parts that ran, written with everything else as bench/results.json and as a table in
 * bench/RESULTS.md (or BENCH_RESULTS_DIR).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { SearchBenchReport } from './search.ts'
import type { LetterBenchReport } from './letters.ts'
import type { PlanningBenchReport } from './planning.ts'
import type { InsightsBenchReport } from './insights.ts'
import type { PagesBenchReport } from './pages.ts'
import type { Scenario } from './http.ts'

export interface Row {
  part: string
  what: string
  figure: string
  baseline: string
  ratio: string
  target: string
  /** null: reported for information, no target. */
  met: boolean | null
}

export interface HomeReport { scenarios: Scenario[]; ratios: { signedInHomeVsBaseline: number }; targets: { ratioAtLeast: number; p99UnderMs: number; met: boolean } }

export interface Machine { cpus: number; cpuModel: string; node: string; platform: string; memoryGiB: number; loadAverage1m: number; loadAverageAtStart: number[]; loadAverageAtEnd: number[] }

export interface Parts {
  home?: HomeReport
  pages?: PagesBenchReport
  search?: SearchBenchReport
  searchDataSet?: SearchBenchReport
  letters?: LetterBenchReport
  planning?: PlanningBenchReport
  insights?: InsightsBenchReport
}

const n = (x: number, unit = '') => `${x.toLocaleString('en-GB', { maximumFractionDigits: 3 })}${unit}`
const ratio = (a: number, b: number, places = 2) => (b > 0 ? `${n(Math.round((a / b) * 10 ** places) / 10 ** places)}×` : '–')

function rpsRows(part: string, what: string, s: Scenario, baseline: Scenario | number, target: { ratioAtLeast: number; p99UnderMs: number }, note = ''): Row[] {
  const base = typeof baseline === 'number' ? baseline : baseline.requestsPerSecond
  const baseP99 = typeof baseline === 'number' ? null : baseline.latencyP99Ms
  const r = s.requestsPerSecond / base
  const clean = s.errors === 0 && s.non2xx === 0
  return [
    { part, what: `${what}: requests/s`, figure: n(s.requestsPerSecond), baseline: n(base), ratio: ratio(s.requestsPerSecond, base, 3), target: `≥ ${target.ratioAtLeast} × baseline`, met: r >= target.ratioAtLeast && clean },
    s.answered === 0
      // Latencies are of the requests answered within the measured time: none were.
      ? { part, what: `${what}: p99 latency`, figure: 'no request answered in the measured time', baseline: baseP99 === null ? '–' : n(baseP99, ' ms'), ratio: '–', target: `< ${target.p99UnderMs} ms`, met: false }
      : {
          part, what: `${what}: p99 latency (p50 ${n(s.latencyP50Ms)} ms, ${n(s.answered)} answered${clean ? '' : `; ${s.errors} errors, ${s.non2xx} non-2xx`}${note})`, figure: n(s.latencyP99Ms, ' ms'),
          baseline: baseP99 === null ? '–' : n(baseP99, ' ms'), ratio: baseP99 === null ? '–' : ratio(s.latencyP99Ms, baseP99), target: `< ${target.p99UnderMs} ms`, met: s.latencyP99Ms < target.p99UnderMs && clean,
        },
  ]
}

function searchRows(part: string, s: SearchBenchReport, over = 'generated corpus'): Row[] {
  const items = `${n(s.corpus.items)} items (${over})`
  const base = s.baseline.latencyMs
  return [
    { part, what: `Evidence search, two words, ${items}: p95`, figure: n(s.latencyMs.p95, ' ms'), baseline: n(base.p95, ' ms'), ratio: ratio(s.latencyMs.p95, base.p95, 1), target: `< ${s.target.p95UnderMs} ms`, met: s.targetMet },
    { part, what: `Evidence search, two words, ${items}: p50`, figure: n(s.latencyMs.p50, ' ms'), baseline: n(base.p50, ' ms'), ratio: ratio(s.latencyMs.p50, base.p50, 1), target: '–', met: null },
    { part, what: `Evidence search, two words, ${items}: p99`, figure: n(s.latencyMs.p99, ' ms'), baseline: n(base.p99, ' ms'), ratio: ratio(s.latencyMs.p99, base.p99, 1), target: '–', met: null },
  ]
}

/** One row per figure, in the order the parts run. */
export function rows(parts: Parts): Row[] {
  const out: Row[] = []
  const { home, pages, search, searchDataSet, letters, planning, insights } = parts
  if (home) {
    const [baseline, page] = home.scenarios as [Scenario, Scenario]
    out.push(...rpsRows('http', 'Signed-in home page, admin, empty database', page, baseline, home.targets))
  }
  if (pages) {
    const t = pages.target
    for (const p of pages.pages) {
      const what = `${p.name.replace(/^pages: /, '')} ${p.path.startsWith('/search') ? '' : `\`${p.path}\``}`.trim()
      out.push(...rpsRows('pages', what, p, pages.baseline.requestsPerSecond, t, `; server RSS ${n(p.rssAfterMiB)} MiB after`))
    }
    // Informational: what the same pages cost when each request builds them (as after every write).
    for (const p of pages.builtAfresh ?? []) {
      const what = `${p.name.replace(/^pages: /, '')} ${p.path.startsWith('/search') ? '' : `\`${p.path}\``}`.trim()
      out.push({
        part: 'pages', what: `${what}: requests/s (p50 ${n(p.latencyP50Ms)} ms, p99 ${n(p.latencyP99Ms)} ms${p.errors + p.non2xx ? `; ${p.errors} errors, ${p.non2xx} non-2xx` : ''})`,
        figure: n(p.requestsPerSecond), baseline: n(pages.baseline.requestsPerSecond), ratio: ratio(p.requestsPerSecond, pages.baseline.requestsPerSecond, 3), target: '–', met: null,
      })
    }
    if (pages.pageCache) {
      const c = pages.pageCache
      out.push({
        part: 'pages', what: `Page cache after the six pages: ${n(c.pages)} pages kept (every encoding), ${n(c.hits)} requests sent from it, ${n(c.misses)} built`,
        figure: n(Math.round((c.bytes / 2 ** 20) * 10) / 10, ' MiB'), baseline: '–', ratio: '–', target: '–', met: null,
      })
    }
    const l = pages.load
    out.push({ part: 'pages', what: `Load test, ${l.connections} connections, the six pages in turn: requests/s`, figure: n(l.requestsPerSecond), baseline: n(pages.baseline.requestsPerSecond), ratio: ratio(l.requestsPerSecond, pages.baseline.requestsPerSecond, 3), target: '–', met: null })
    out.push({ part: 'pages', what: `Load test: p99 latency (p50 ${n(l.latencyP50Ms)} ms)`, figure: n(l.latencyP99Ms, ' ms'), baseline: '–', ratio: '–', target: '–', met: null })
    out.push({ part: 'pages', what: 'Load test: errors and non-2xx answers', figure: n(l.errors + l.non2xx), baseline: '–', ratio: '–', target: '0', met: l.errors + l.non2xx === 0 })
    const m = pages.memoryMiB
    out.push({
      part: 'pages', what: `App server memory (RSS) after the load test (${n(m.atStart.rss)} MiB at start); baseline: the baseline server's RSS`,
      figure: n(m.afterLoad.rss, ' MiB'), baseline: n(m.baselineServer.rss, ' MiB'), ratio: ratio(m.afterLoad.rss, m.baselineServer.rss), target: `< ${t.rssAfterLoadUnderMiB} MiB`, met: m.afterLoad.rss < t.rssAfterLoadUnderMiB,
    })
    const h = m.heapUsedAfterGc
    out.push({
      part: 'pages', what: `App server heap still used after a full collection, after the load test (${n(h.atStart)} MiB at start, ${n(h.afterPages)} MiB after the pages)`,
      figure: n(h.afterLoad, ' MiB'), baseline: `${n(h.atStart, ' MiB')} (at start)`, ratio: ratio(h.afterLoad, h.atStart), target: '–', met: null,
    })
  }
  if (search) out.push(...searchRows('search', search))
  if (searchDataSet) out.push(...searchRows('search (data set)', searchDataSet, 'the data set'))
  if (letters) {
    const b = letters.baseline.latencyMs
    for (const [format, r] of [['DOCX', letters.docx], ['PDF', letters.pdf]] as const) {
      out.push({ part: 'letters', what: `Letter (2 focus areas, 12 findings, both languages) as ${format}: p95`, figure: n(r.latencyMs.p95, ' ms'), baseline: `${n(b.p95, ' ms')} (HTML)`, ratio: ratio(r.latencyMs.p95, b.p95, 1), target: `< ${letters.target.p95UnderMs} ms`, met: r.latencyMs.p95 < letters.target.p95UnderMs })
    }
  }
  if (planning) {
    const b = planning.baseline.seconds.median
    const { wales, country, target } = planning
    out.push({ part: 'planning', what: `Planner, Wales (${wales.size.authorities} authorities, ${wales.size.inspectors} inspectors): median, ${wales.status}`, figure: n(wales.seconds.median, ' s'), baseline: `${n(b, ' s')} (tiny instance)`, ratio: ratio(wales.seconds.median, b, 1), target: `${target.wales.status} in < ${target.wales.underSeconds} s`, met: wales.targetMet })
    out.push({ part: 'planning', what: `Planner, country (${country.size.authorities} authorities, ${country.size.inspectors} inspectors): median, ${country.status}, gap ${n(country.gap * 100)}%`, figure: n(country.seconds.median, ' s'), baseline: `${n(b, ' s')} (tiny instance)`, ratio: ratio(country.seconds.median, b, 1), target: `gap ≤ ${target.country.gapAtMost * 100}% in < ${target.country.underSeconds} s`, met: country.targetMet })
  }
  if (insights) {
    const b = insights.baseline.ms.median
    const what = `Early Insights, ${insights.dataSet.authorities} authorities`
    out.push({ part: 'insights', what: `${what}, JSON: median`, figure: n(insights.json.ms.median, ' ms'), baseline: `${n(b, ' ms')} (1 authority)`, ratio: ratio(insights.json.ms.median, b, 1), target: `< ${insights.target.jsonUnderMs} ms`, met: insights.json.ms.median < insights.target.jsonUnderMs })
    out.push({ part: 'insights', what: `${what}, PDF: median`, figure: n(insights.pdf.ms.median, ' ms'), baseline: `${n(b, ' ms')} (1 authority, JSON)`, ratio: ratio(insights.pdf.ms.median, b, 1), target: `< ${insights.target.pdfUnderMs} ms`, met: insights.pdf.ms.median < insights.target.pdfUnderMs })
  }
  return out
}

const cell = (s: string) => s.replace(/\|/g, '\\|')

export function markdown(report: { date: string; machine: Machine; rows: Row[]; durationsSeconds: Record<string, number>; failures: Array<{ part: string; error: string }>; settings: Record<string, string> }): string {
  const m = report.machine
  const withTarget = report.rows.filter((r) => r.met !== null)
  const lines = [
    '# Benchmark results',
    '',
    `Run ${report.date} on **${m.cpus} cores** (${m.cpuModel}), load average **${m.loadAverageAtStart.join(', ')}** (1, 5, 15 min) at the start and ${m.loadAverageAtEnd.join(', ')} at the end; Node ${m.node}, ${m.platform}, ${m.memoryGiB} GiB.`,
    'Each figure stands beside a baseline measured in the same run on the same machine: compare ratios across machines and runs, not absolute figures.',
    'The main pages are asked for again and again with nothing written in between, as a browser asks (compressed), so after the first request each is sent from the page cache',
    '(`src/http/page-cache.ts`); the rows "built afresh (page cache off)" show what each costs when it has to be built, as after every write.',
    '',
    `Targets met: **${withTarget.filter((r) => r.met).length} of ${withTarget.length}**.${report.failures.length ? ` Parts that failed to run: ${report.failures.map((f) => `${f.part} (${f.error})`).join('; ')}.` : ''}`,
    '',
    '| what | figure | same-run baseline | ratio | target | met? |',
    '|---|---:|---:|---:|---|---|',
    ...report.rows.map((r) => `| ${cell(r.what)} | ${cell(r.figure)} | ${cell(r.baseline)} | ${cell(r.ratio)} | ${cell(r.target)} | ${r.met === null ? '–' : r.met ? 'yes' : '**no**'} |`),
    '',
    '## How to reproduce',
    '',
    '`npm run bench` runs every part and writes `bench/results.json` (everything, with the machine) and this file. The first run generates the',
    '1,000,000-item search corpus and the data set (`bench/dataset.ts`: 22 authorities over two cycles, 88 ELVs, 100,000 evidence items, 200 users)',
    'into `BENCH_DATA_DIR` (default `<tmp>/cyswllt-bench-data`); later runs reuse them. `BENCH_ONLY=http|pages|search|letters|planning|insights`',
    '(or several, comma-separated) runs some parts; the settings are described at the top of `bench/run.ts`.',
    '',
    'Settings of this run:',
    '',
    ...Object.entries(report.settings).map(([k, v]) => `- ${k}: ${v}`),
    '',
    `Time taken: ${Object.entries(report.durationsSeconds).map(([k, v]) => `${k} ${n(v)} s`).join(', ')}.`,
    '',
  ]
  return lines.join('\n')
}

export function writeResults(dir: string, json: unknown, md: string): void {
  mkdirSync(dir, { recursive: true })
  writeFileSync(path.join(dir, 'results.json'), `${JSON.stringify(json, null, 2)}\n`)
  writeFileSync(path.join(dir, 'RESULTS.md'), md)
}

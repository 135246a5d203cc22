/**
 * The Early Insights benchmark: the summary of a year with 22 authorities inspected, each with 6
 * recommendations, 30 findings and 3 effective-practice items (imported as a bundle through the
 * core inspections service, into a fresh SQLite file as in production), written as JSON (the
 * service's summary: the records read and the sentences written) and as PDF (the summary, laid out
 * and rendered). Reported as medians of several runs and as ratios to a baseline measured in the
 * same run: the JSON summary of a year with one authority inspected (same code path, smallest input).
 * Each output is checked first, so a fast empty answer cannot pass. Runs in this process.
 *
 *   BENCH_INSIGHTS_RUNS    measured runs of each (default 9; the median is the figure)
 *   BENCH_INSIGHTS_WARMUP  warm-up runs of each, not measured (default 2)
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { loadConfig } from '../src/config.ts'
import { connectDatabase } from '../src/db/connect.ts'
import { createServices, type Services } from '../src/services.ts'
import { bootstrap } from '../src/bootstrap.ts'
import { systemActor } from '../src/modules/auth/actor.ts'
import { random } from './search-corpus.ts'
import type { Bundle, BundleCoreInspection } from '../src/modules/core-inspections/core-inspections.bundle.ts'
import { summaryPdf } from '../src/modules/insights/render/pdf.ts'
import type { InsightsSummary } from '../src/modules/insights/insights.types.ts'

export const INSIGHTS_TARGET = { jsonUnderMs: 200, pdfUnderMs: 1000 }

export const SHAPE = { authorities: 22, recommendations: 6, findings: 30, effectivePractice: 3 } as const
const YEAR = '2023-2024'
const BASELINE_YEAR = '2022-2023'

function count(name: string, fallback: number, least: number): number {
  const raw = process.env[name]
  const n = raw ? Number(raw) : fallback
  if (!Number.isInteger(n) || n < least) throw new Error(`${name} must be a whole number of at least ${least}, not "${raw}"`)
  return n
}

export const THEMES = [
  ['attendance', 'Attendance', 'Presenoldeb'], ['self-evaluation', 'Self-evaluation and improvement planning', 'Hunanarfarnu a chynllunio gwelliant'],
  ['additional-learning-needs', 'Additional learning needs', 'Anghenion dysgu ychwanegol'], ['safeguarding', 'Safeguarding', 'Diogelu'],
  ['exclusions', 'Exclusions', 'Gwaharddiadau'], ['welsh-medium-education', 'Welsh-medium education', 'Addysg cyfrwng Cymraeg'],
  ['school-improvement', 'School improvement support', 'Cymorth gwella ysgolion'], ['use-of-resources', 'Use of resources', 'Defnyddio adnoddau'],
  ['vision-and-purpose', 'Vision and moral purpose', 'Gweledigaeth a phwrpas moesol'], ['elected-member-scrutiny', 'Scrutiny by elected members', 'Craffu gan aelodau etholedig'],
  ['working-together', 'Working together across services', 'Cydweithio ar draws gwasanaethau'], ['poverty-and-attainment', 'Poverty and attainment', 'Tlodi a chyrhaeddiad'],
] as const
const AREAS = ['Outcomes and education services', 'Leadership', 'Care, support and well-being']
const MEDIA = ['english', 'welsh', 'bilingual'] as const


/** A core inspection of the benchmark's shape for one authority, its themes drawn from the seeded generator. */
export function inspection(gssCode: string, academicYear: string, n: number, next: () => number): BundleCoreInspection {
  const theme = () => THEMES[Math.floor(next() * THEMES.length)]![0]
  return {
    gssCode, academicYear, framework: 'lges-2022', medium: MEDIA[n % MEDIA.length],
    reportUrl: `https://reports.example.invalid/core/${gssCode}-${academicYear}`,
    recommendations: Array.from({ length: SHAPE.recommendations }, (_, i) => ({
      ref: `R${i + 1}`, text: `Benchmark recommendation ${i + 1} of ${gssCode}: strengthen the work the inspection found weakest.`, themes: [theme()],
    })),
    findings: Array.from({ length: SHAPE.findings }, (_, i) => ({
      area: AREAS[i % AREAS.length]!, kind: next() < 0.6 ? 'going_well' as const : 'needs_to_improve' as const,
      text: `Benchmark finding ${i + 1} of ${gssCode}: officers know their schools well and act on what they know.`,
      themes: next() < 0.3 ? [theme(), theme()].filter((t, k, all) => all.indexOf(t) === k) : [theme()],
    })),
    effectivePractice: Array.from({ length: SHAPE.effectivePractice }, (_, i) => ({
      area: AREAS[i % AREAS.length]!, question: `How well does the local authority do the thing numbered ${i + 1}?`,
      text: `Benchmark effective practice ${i + 1} of ${gssCode}: a programme other authorities could learn from.`,
    })),
  }
}

const round = (x: number, places = 1) => Math.round(x * 10 ** places) / 10 ** places
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}
const timings = (xs: number[]) => ({ median: round(median(xs)), min: round(Math.min(...xs)), max: round(Math.max(...xs)), runs: xs.map((x) => round(x)) })
type Timings = ReturnType<typeof timings>
const pointsOf = (s: InsightsSummary) => s.areas.reduce((n, a) => n + a.goingWell.length + a.needsToImprove.length, 0) + s.recommendations.length

export interface InsightsBenchReport {
  dataSet: {
    /** Each authority's: recommendations, findings and effective-practice items. */
    perAuthority: typeof SHAPE
    year: string; authorities: number; coreInspections: number; recommendations: number; findings: number; effectivePractice: number; points: number; importSeconds: number
  }
  runs: { measured: number; warmup: number }
  baseline: { name: string; ms: Timings }
  json: { ms: Timings; bytes: number }
  pdf: { ms: Timings; renderOnlyMs: Timings; bytes: number; pages: number }
  ratios: { jsonVsBaseline: number; pdfVsBaseline: number }
  target: typeof INSIGHTS_TARGET
  targetMet: boolean
}

/** Imports the benchmark's year and the baseline's (one authority) as an administrator would. */
async function seed(services: Services): Promise<number> {
  const next = random(7)
  const authorities = (await services.reference.listAuthorities()).map((a) => a.gss_code).sort()
  if (authorities.length < SHAPE.authorities) throw new Error(`the reference data has ${authorities.length} authorities, not ${SHAPE.authorities}`)
  const bundle: Bundle = {
    themes: THEMES.map(([key, en, cy]) => ({ key, en, cy })),
    coreInspections: [
      ...authorities.slice(0, SHAPE.authorities).map((gss, n) => inspection(gss, YEAR, n, next)),
      inspection(authorities[0]!, BASELINE_YEAR, 0, next),
    ],
  }
  const started = performance.now()
  const result = await services.coreInspections.importBundle(systemActor('bench'), bundle)
  if (result.created !== SHAPE.authorities + 1) throw new Error(`the import created ${result.created} core inspections, not ${SHAPE.authorities + 1}`)
  return round((performance.now() - started) / 1000, 2)
}

export async function insightsBench(): Promise<InsightsBenchReport> {
  const measured = count('BENCH_INSIGHTS_RUNS', 9, 1)
  const warmup = count('BENCH_INSIGHTS_WARMUP', 2, 0)
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cyswllt-bench-insights-'))
  const config = loadConfig({
    NODE_ENV: 'production', DATA_DIR: dataDir, COOKIE_SECRET: randomBytes(32).toString('hex'),
    CYSWLLT_ADMIN_EMAIL: 'bench-insights-admin@cyswllt.invalid', CYSWLLT_ADMIN_PASSWORD: randomBytes(12).toString('hex'), LOG_LEVEL: 'warn',
  })
  const database = await connectDatabase({ dataDir })
  try {
    const services = createServices(database, config)
    await bootstrap(services, config)
    console.error(`bench: insights: importing ${SHAPE.authorities} core inspections of ${SHAPE.recommendations} recommendations, ${SHAPE.findings} findings and ${SHAPE.effectivePractice} effective-practice items each, and one for the baseline`)
    const importSeconds = await seed(services)
    const t = services.i18n.translator('en')

    // Checked once before timing: the right size, every point counted, a real PDF.
    const check = await services.insights.summary(YEAR, 'en')
    if (check.authoritiesInspected !== SHAPE.authorities) throw new Error(`the summary counts ${check.authoritiesInspected} authorities, not ${SHAPE.authorities}`)
    const points = pointsOf(check)
    if (points < 20 || check.effectivePractice.length !== SHAPE.authorities * SHAPE.effectivePractice) throw new Error(`the summary has ${points} points and ${check.effectivePractice.length} effective-practice items`)
    const baselineCheck = await services.insights.summary(BASELINE_YEAR, 'en')
    if (baselineCheck.authoritiesInspected !== 1) throw new Error('the baseline year should have one authority inspected')
    const pdfCheck = await summaryPdf(check, t)
    if (pdfCheck.subarray(0, 5).toString('latin1') !== '%PDF-') throw new Error('the PDF renderer did not write a PDF')
    const pages = (pdfCheck.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length

    const baseline: number[] = []
    const json: number[] = []
    const pdf: number[] = []
    const render: number[] = []
    console.error(`bench: insights: ${warmup} warm-up runs of each, then ${measured} measured (baseline, JSON, PDF)`)
    for (let i = 0; i < warmup + measured; i++) {
      const keep = i >= warmup
      // Interleaved, one of each per round, so a busy moment on the machine falls on all alike.
      let t0 = performance.now()
      await services.insights.summary(BASELINE_YEAR, 'en')
      if (keep) baseline.push(performance.now() - t0)
      t0 = performance.now()
      JSON.stringify(await services.insights.summary(YEAR, 'en'))
      if (keep) json.push(performance.now() - t0)
      t0 = performance.now()
      const summary = await services.insights.summary(YEAR, 'en')
      const t1 = performance.now()
      await summaryPdf(summary, t)
      const t2 = performance.now()
      if (keep) {
        pdf.push(t2 - t0)
        render.push(t2 - t1)
      }
    }
    const b = timings(baseline)
    const j = timings(json)
    const p = timings(pdf)
    const ratio = (x: number) => Math.round((x / Math.max(b.median, 0.001)) * 10) / 10
    return {
      dataSet: {
        perAuthority: SHAPE, year: YEAR, authorities: SHAPE.authorities, coreInspections: SHAPE.authorities,
        recommendations: SHAPE.authorities * SHAPE.recommendations, findings: SHAPE.authorities * SHAPE.findings,
        effectivePractice: SHAPE.authorities * SHAPE.effectivePractice, points, importSeconds,
      },
      runs: { measured, warmup },
      baseline: { name: 'the JSON summary of a year with one authority inspected (same shape of record, same code path)', ms: b },
      json: { ms: j, bytes: Buffer.byteLength(JSON.stringify(check)) },
      pdf: { ms: p, renderOnlyMs: timings(render), bytes: pdfCheck.length, pages },
      ratios: { jsonVsBaseline: ratio(j.median), pdfVsBaseline: ratio(p.median) },
      target: INSIGHTS_TARGET,
      targetMet: j.median < INSIGHTS_TARGET.jsonUnderMs && p.median < INSIGHTS_TARGET.pdfUnderMs,
    }
  } finally {
    await database.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

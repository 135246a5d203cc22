/**
 * The evidence search benchmark: typical two-word queries through `SearchService.search`, as an
 * administrator (who sees everything, so nothing narrows the work), over a generated SQLite corpus
 * of BENCH_SEARCH_ITEMS evidence items. Reported as p50/p95/p99 latency with the corpus size, and
 * as a ratio to a baseline measured in the same run on the same database: reading 20 evidence rows
 * by primary key. Runs in this process, after the HTTP scenarios' server has stopped.
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { loadConfig } from '../src/config.ts'
import { connectDatabase, sqliteHandle } from '../src/db/connect.ts'
import type { Database } from '../src/db/database.ts'
import { createServices } from '../src/services.ts'
import { bootstrap } from '../src/bootstrap.ts'
import type { UserActor } from '../src/modules/auth/actor.ts'
import { searchRepository } from '../src/modules/search/search.repository.ts'
import { queryTerms } from '../src/modules/search/search.text.ts'
import {
  corpusDir, generateCorpus, GENERATOR_VERSION, publish, random, readCorpusMarker, sampleQueries, vocabulary, workingDir, writeCorpusMarker, type CorpusInfo,
} from './search-corpus.ts'

export const SEARCH_TARGET = { p95UnderMs: 30 }

function count(name: string, fallback: number): number {
  const raw = process.env[name]
  const n = raw ? Number(raw) : fallback
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive whole number, not "${raw}"`)
  return n
}

export interface Latency { p50: number; p95: number; p99: number; max: number; mean: number }

export function latency(samples: number[]): Latency {
  const s = [...samples].sort((a, b) => a - b)
  // Nearest-rank percentiles: the value at or below which that share of the samples lies.
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!
  const round = (x: number) => Math.round(x * 1000) / 1000
  return { p50: round(at(0.5)), p95: round(at(0.95)), p99: round(at(0.99)), max: round(s[s.length - 1]!), mean: round(s.reduce((a, b) => a + b, 0) / s.length) }
}

const services = (database: Database, dataDir: string, adminPassword: string) => {
  const config = loadConfig({
    NODE_ENV: 'production', DATA_DIR: dataDir, COOKIE_SECRET: randomBytes(32).toString('hex'),
    CYSWLLT_ADMIN_EMAIL: 'bench-search-admin@cyswllt.invalid', CYSWLLT_ADMIN_PASSWORD: adminPassword, LOG_LEVEL: 'warn',
  })
  return { config, services: createServices(database, config) }
}

/** The corpus of this size, generated on first use and reused afterwards (keyed by size, generator version and schema). */
async function corpus(items: number): Promise<{ dir: string; info: CorpusInfo }> {
  const dir = corpusDir(items)
  const existing = readCorpusMarker(dir)
  if (existing) {
    console.error(`bench: search: reusing the corpus of ${items.toLocaleString('en-GB')} items in ${dir}`)
    return { dir, info: existing }
  }
  mkdirSync(path.dirname(dir), { recursive: true })
  const work = workingDir(dir)
  console.error(`bench: search: generating a corpus of ${items.toLocaleString('en-GB')} evidence items in ${work} (kept for later runs)`)
  const started = performance.now()
  const database = await connectDatabase({ dataDir: work })
  try {
    const { config, services: s } = services(database, work, randomBytes(12).toString('hex'))
    await bootstrap(s, config)
    const raw = sqliteHandle(database)!
    // Nothing to lose if the machine stops half way: the corpus is only published once complete.
    raw.pragma('synchronous = OFF')
    let last = 0
    const { elvs, authorities } = generateCorpus(raw, items, (done) => {
      if (done - last >= items / 10 || done === items) {
        last = done
        console.error(`bench: search: ${done.toLocaleString('en-GB')} items (${Math.round((performance.now() - started) / 1000)} s)`)
      }
    })
    raw.pragma('wal_checkpoint(TRUNCATE)')
    const info: CorpusInfo = { items, elvs, authorities, vocabulary: vocabulary().words.length, reused: false, generateSeconds: Math.round((performance.now() - started) / 100) / 10 }
    await database.close()
    writeCorpusMarker(work, info)
    publish(work, dir)
    return { dir, info }
  } catch (e) {
    await database.close()
    throw e
  }
}

export interface SearchBenchReport {
  engine: 'sqlite'
  corpus: CorpusInfo & { generatorVersion: number; fileMiB: number; dir: string }
  queries: { count: number; warmup: number; words: 2; examples: string[]; meanResults: number; withFullPage: number; withNone: number }
  latencyMs: Latency
  /** The repository's query alone (SQL, no snippets): where the time goes. */
  repositoryQueryMs: Latency
  baseline: { name: string; latencyMs: Latency }
  ratios: { p95VsBaselineP95: number; p50VsBaselineP50: number }
  /**
   * For information, not the target: the same kind of queries where the scope or a filter lets few
   * of the matches through, so FTS5 walks further before it has a page (a fifth as many queries).
   */
  narrowScopes: { authorityUser: Latency & { meanResults: number }; oldestVisitFilter: Latency & { meanResults: number } }
  target: typeof SEARCH_TARGET
  targetMet: boolean
}

/**
 * Over the generated corpus of BENCH_SEARCH_ITEMS items, or over `source` (another generated
 * database, such as the benchmark data set, with its own generator version).
 */
export async function searchBench(source?: { dir: string; info: CorpusInfo; generatorVersion: number }): Promise<SearchBenchReport> {
  const queryCount = count('BENCH_SEARCH_QUERIES', 1000)
  const warmup = count('BENCH_SEARCH_WARMUP', 100)
  const { dir, info } = source ?? await corpus(count('BENCH_SEARCH_ITEMS', 1_000_000))
  const items = info.items

  const database = await connectDatabase({ dataDir: dir })
  try {
    const { config, services: s } = services(database, dir, randomBytes(12).toString('hex'))
    await bootstrap(s, config)
    const adminRow = await database.db.selectFrom('app_user').selectAll().where('role', '=', 'admin').orderBy('id').executeTakeFirstOrThrow()
    const admin: UserActor = { kind: 'user', id: adminRow.id, name: adminRow.name, email: adminRow.email, role: 'admin', authorityCode: null }
    const queries = sampleQueries(queryCount)
    const warmups = sampleQueries(warmup, 7)

    // A search that must find something, in order, or the figures would be measuring nothing.
    const check = await s.search.search(admin, { q: queries[0] })
    const ids = check.items.map((i) => i.id)
    if (!ids.length || ids.some((id, i) => i > 0 && id >= ids[i - 1]!)) throw new Error(`the check search "${queries[0]}" found ${ids.length} items, or not newest first`)

    console.error(`bench: search: ${warmup} warm-up queries, then ${queryCount} measured, through SearchService.search as an administrator`)
    for (const q of warmups) await s.search.search(admin, { q })
    // The baseline: 20 evidence rows by primary key through the same query builder and connection.
    const rnd = random(99)
    const baselineQuery = () => database.db.selectFrom('evidence').select(['id', 'elv_id', 'kind', 'title', 'body', 'gathered_on', 'recorded_at'])
      .where('id', 'in', Array.from({ length: 20 }, () => 1 + Math.floor(rnd() * items))).execute()
    const repo = searchRepository(database.db, database.engine)
    let results = 0
    let full = 0
    let none = 0
    const searchMs: number[] = []
    const repoMs: number[] = []
    const baselineMs: number[] = []
    const time = async (into: number[], run: () => Promise<unknown>) => {
      const t = performance.now()
      await run()
      into.push(performance.now() - t)
    }
    // Interleaved, one of each per query, so a busy moment on the machine falls on all three alike.
    for (const q of queries) {
      await time(baselineMs, baselineQuery)
      await time(searchMs, async () => {
        const r = await s.search.search(admin, { q })
        results += r.items.length
        if (r.next !== null) full++
        if (!r.items.length) none++
      })
      await time(repoMs, () => repo.query(admin, { terms: queryTerms(q), filters: {}, limit: 20 }))
    }

    // An authority user (sees only its own authority's shared documents) and a filter to the oldest visit.
    const [oldest] = await database.db.selectFrom('elv').select(['id', 'authority_code']).orderBy('id').limit(1).execute()
    const la: UserActor = { kind: 'user', id: 0, name: 'Bench authority user', email: 'la@bench.invalid', role: 'la', authorityCode: oldest!.authority_code }
    const narrow = async (actor: UserActor, extra: Record<string, string>) => {
      const ms: number[] = []
      let found = 0
      for (const q of queries.slice(0, Math.max(1, Math.floor(queryCount / 5)))) {
        await time(ms, async () => { found += (await s.search.search(actor, { q, ...extra })).items.length })
      }
      return { ...latency(ms), meanResults: Math.round((found / ms.length) * 10) / 10 }
    }
    console.error('bench: search: narrow scopes (an authority user; a filter to the oldest visit), for information')
    const narrowScopes = { authorityUser: await narrow(la, {}), oldestVisitFilter: await narrow(admin, { elv: String(oldest!.id) }) }

    const l = latency(searchMs)
    const b = latency(baselineMs)
    const ratio = (x: number, y: number) => Math.round((x / y) * 100) / 100
    return {
      engine: 'sqlite',
      corpus: { ...info, generatorVersion: source?.generatorVersion ?? GENERATOR_VERSION, fileMiB: Math.round(statSync(path.join(dir, 'cyswllt.sqlite')).size / 2 ** 20), dir },
      queries: { count: queryCount, warmup, words: 2, examples: queries.slice(0, 5), meanResults: Math.round((results / queryCount) * 10) / 10, withFullPage: full, withNone: none },
      latencyMs: l,
      repositoryQueryMs: latency(repoMs),
      baseline: { name: '20 evidence rows by primary key (same connection, same query builder)', latencyMs: b },
      ratios: { p95VsBaselineP95: ratio(l.p95, b.p95), p50VsBaselineP50: ratio(l.p50, b.p50) },
      narrowScopes,
      target: SEARCH_TARGET,
      targetMet: l.p95 < SEARCH_TARGET.p95UnderMs,
    }
  } finally {
    await database.close()
  }
}

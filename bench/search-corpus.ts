/**
 * A generated evidence corpus for the search benchmark: N items across 88 ELVs of the 22
 * authorities, with realistic-looking text drawn from one vocabulary with a Zipf-like word
 * distribution (English function and inspection words, Welsh words with accents, and a long tail
 * of place and school names). Built once per size, generator version and schema, then reused.
 *
 * Rows are written through better-sqlite3 directly (prepared statements, large transactions):
 * going through the evidence service would take hours at a million items.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { EVIDENCE_KINDS, type EvidenceKind } from '../src/db/schema.ts'
import { foldWords } from '../src/modules/search/search.text.ts'

/** Bump when the generated data changes shape, so old cached corpora are not reused. */
export const GENERATOR_VERSION = 1
export const ELV_COUNT = 88

const migrationsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/db/migrations')

// ---- the vocabulary, most frequent first ----------------------------------------------------

const FUNCTION_WORDS = (
  'the and of to in a is for that with on are as at by this be from have has it was were will not or their which all more its ' +
  'than been they also some who about there an but we our these'
).split(' ')

/** What inspectors write about: English and Welsh, interleaved so both sit in the common band. */
const ENGLISH = (
  'pupils learners school schools attendance leaders leadership teaching learning support authority officers headteachers ' +
  'improvement planning evaluation self standards progress outcomes provision needs additional learning wellbeing safeguarding ' +
  'exclusions poverty attainment welsh medium education secondary primary special governors council scrutiny members cabinet ' +
  'director services strategy priorities data evidence meeting notes challenge partnership consortium regional curriculum ' +
  'assessment literacy numeracy digital skills families community engagement behaviour persistent absence fixed term ' +
  'permanent resources budget funding grant deprivation free meals eligible disadvantaged vulnerable inclusion wellbeing ' +
  'professional development training staff teachers assistants recruitment retention capacity review monitoring quality ' +
  'assurance accountability performance improvement plans actions impact effective robust consistent variable limited ' +
  'strengths areas development recommendation recommendations inspection estyn report findings triangulation interview ' +
  'survey questionnaire focus group observation scrutiny books sample policy procedures guidance statutory duty ' +
  'transport admissions places surplus reorganisation federation collaboration cluster transition post sixteen youth ' +
  'work services social care health partners police careers apprenticeships employment training neet tracking ' +
  'intervention early help referral panel moderation reading writing oracy mathematics science language immersion ' +
  'latecomers centres bilingual immersion growth targets census plan strategic forum elected lead portfolio'
).split(' ')

const WELSH = (
  'ysgol ysgolion disgyblion dysgwyr addysg gymraeg cymraeg arweinyddiaeth presenoldeb gwaharddiadau cynllun gwella ' +
  'hunanarfarnu tlodi cyrhaeddiad anghenion dysgu ychwanegol diogelu adnoddau cyngor awdurdod lleol cyfrwng athrawon ' +
  'llesiant cwricwlwm asesu llythrennedd rhifedd sgiliau teuluoedd cymuned ymddygiad absenoldeb cyllideb cyllid grant ' +
  'amddifadedd prydau ysgol bregus cynhwysiant datblygiad proffesiynol staff recriwtio capasiti adolygiad monitro ansawdd ' +
  'sicrwydd atebolrwydd perfformiad effaith cryfderau argymhellion arolygiad adroddiad canfyddiadau cyfweliad holiadur ' +
  'arsylwi polisi gweithdrefnau canllawiau statudol cludiant derbyniadau lleoedd ffederasiwn cydweithio clwstwr pontio ' +
  'ieuenctid gwaith gwasanaethau cymdeithasol iechyd partneriaid cyflogaeth ymyrraeth cynnar darllen ysgrifennu llafaredd ' +
  'mathemateg gwyddoniaeth iaith trochi dwyieithog twf targedau cyfrifiad strategol fforwm aelodau cabinet cyfarwyddwr ' +
  'gŵyl ŵyr dŵr tŷ cymhwysedd ôl-16 sîr ffôn côr llôn'
).split(/\s+/)

const PREFIXES = 'aber bryn llan pen coed nant tre caer glyn maes pont cwm rhos tal bod dol gwaun mynydd porth ystrad blaen cefn ' +
  'pentre hen new north south east west upper lower green oak ash elm birch rose hill brook mill stone king queen'
const MIDDLES = 'a e i o y dy ga le ri to wy fa'
const SUFFIXES = 'ford wood ton ley field gate bridge dale more side cross well hurst ham bury wick worth stead combe ' +
  'fawr fach isaf uchaf wen ddu goch las gwyn mawr newydd bach dwr avon lyn awel gelli garth hafod heol'

/** Place and school names for the long tail: distinct, plausible, and far rarer than the rest. */
function tailWords(): string[] {
  const out: string[] = []
  const pre = PREFIXES.split(' ')
  const mid = ['', ...MIDDLES.split(' ')]
  const suf = SUFFIXES.split(' ')
  for (const p of pre) for (const m of mid) for (const s of suf) out.push(p + m + s)
  // Seeded shuffle, so how common a name is has nothing to do with its spelling.
  const rnd = random(1)
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1))
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

export interface Vocabulary {
  /** Words as written, most frequent first. */
  words: string[]
  /** The same words as the index keeps them (folded), one or more index words each. */
  folded: string[]
  /** Ranks [from, to) of the inspection words (English and Welsh): the common band queries are drawn from. */
  queryBand: [number, number]
  /** Ranks [from, to) of the commonest names after them: the mid band, for a query's second word now and then. */
  midBand: [number, number]
}

export function vocabulary(): Vocabulary {
  const domain: string[] = []
  for (let i = 0; i < Math.max(ENGLISH.length, WELSH.length); i++) {
    if (ENGLISH[i]) domain.push(ENGLISH[i]!)
    if (WELSH[i]) domain.push(WELSH[i]!)
  }
  const seen = new Set<string>()
  const words: string[] = []
  for (const w of [...FUNCTION_WORDS, ...domain, ...tailWords()]) {
    const key = foldWords(w).join(' ')
    if (!key || seen.has(key)) continue
    seen.add(key)
    words.push(w)
  }
  const start = words.indexOf(domain[0]!)
  const end = start + new Set(domain.map((w) => foldWords(w).join(' '))).size
  return { words, folded: words.map((w) => foldWords(w).join(' ')), queryBand: [start, end], midBand: [end, Math.min(words.length, 2000)] }
}

// ---- randomness ----------------------------------------------------------------------------

/** A small seeded generator (mulberry32): the same corpus every time for a given size. */
export function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Zipf-like ranks (weight 1/rank^s) drawn in O(1) through a lookup table of the cumulative weights. */
export function zipfSampler(n: number, s: number, rnd: () => number): () => number {
  const cdf = new Float64Array(n)
  let total = 0
  for (let r = 0; r < n; r++) cdf[r] = total += 1 / Math.pow(r + 1, s)
  const size = 1 << 20
  const table = new Uint32Array(size)
  let r = 0
  for (let i = 0; i < size; i++) {
    const u = ((i + 0.5) / size) * total
    while (cdf[r]! < u) r++
    table[i] = r
  }
  return () => table[(rnd() * size) | 0]!
}

// ---- the corpus ----------------------------------------------------------------------------

/** The directory a corpus of this size lives in: keyed by size, generator version and the schema's migrations. */
export function corpusDir(items: number): string {
  return path.join(benchDataDir(), `search-${items}-v${GENERATOR_VERSION}-${schemaHash()}`)
}

/** Where generated corpora and data sets are kept for reuse. */
export const benchDataDir = () => process.env.BENCH_DATA_DIR ?? path.join(os.tmpdir(), 'cyswllt-bench-data')

/** A short hash of the schema's migrations: a cached database made under another schema is never reused. */
export function schemaHash(): string {
  const hash = createHash('sha256')
  for (const f of readdirSync(migrationsDir).filter((x) => x.endsWith('.ts')).sort()) hash.update(f).update(readFileSync(path.join(migrationsDir, f)))
  return hash.digest('hex').slice(0, 10)
}

const KIND_WEIGHTS: Record<EvidenceKind, number> = { meeting_note: 0.4, authority_document: 0.25, provider_inspection: 0.15, data: 0.1, link_intelligence: 0.1 }

export interface RawDb {
  prepare(sql: string): { run(...params: unknown[]): unknown; all(...params: unknown[]): unknown[]; get(...params: unknown[]): unknown }
  exec(sql: string): unknown
  pragma(p: string): unknown
  transaction<T extends unknown[]>(fn: (...args: T) => void): (...args: T) => void
}

/** Who said it or which document it is: few enough that items share sources, as triangulation expects. */
export const SOURCES = ['Director of education', 'Head of inclusion', 'Cabinet member', 'Headteacher', 'Chief executive', 'Pennaeth', 'Cyfarwyddwr addysg', 'Self-evaluation report', 'Estyn report', 'Attendance data']

export interface CorpusInfo { items: number; elvs: number; authorities: number; vocabulary: number; reused: boolean; generateSeconds: number | null }

/**
 * Fills an empty, migrated SQLite database (reference data seeded) with ELVs and evidence.
 * `progress` is told how far it has got, now and then.
 */
export function generateCorpus(raw: RawDb, items: number, progress: (done: number) => void = () => {}): { elvs: number; authorities: number } {
  const authorities = (raw.prepare('select gss_code from local_authority order by gss_code').all() as Array<{ gss_code: string }>).map((a) => a.gss_code)
  const terms = (raw.prepare('select key from term order by starts_on').all() as Array<{ key: string }>).map((t) => t.key)
  if (authorities.length < 22 || terms.length < 4) throw new Error('the corpus needs the 22 authorities and the terms seeded first')
  const admin = (raw.prepare("select id from app_user where role = 'admin' order by id limit 1").get() as { id: number } | undefined)?.id ?? null

  // Four ELVs per authority, two in each of two cycles, spread over the terms in time order.
  const now = '2026-07-01T09:00:00.000Z'
  const insertElv = raw.prepare(`insert into elv (authority_code, cycle, ordinal, term_key, visit_day1, visit_day2, state, created_at, updated_at)
    values (?, ?, ?, ?, null, null, ?, ?, ?)`)
  const elvIds: number[] = []
  raw.transaction(() => {
    for (let i = 0; i < ELV_COUNT; i++) {
      const authority = authorities[i % 22]!
      const round = Math.floor(i / 22) // 0..3
      const cycle = round < 2 ? 'bench-2022-2025' : 'bench-2025-2028'
      const term = terms[Math.min(terms.length - 1, Math.floor((i / ELV_COUNT) * terms.length))]!
      const r = insertElv.run(authority, cycle, (round % 2) + 1, term, round < 3 ? 'closed' : 'fieldwork', now, now) as { lastInsertRowid: number | bigint }
      elvIds.push(Number(r.lastInsertRowid))
    }
  })()

  const rnd = random(20260701)
  const start = Date.parse('2022-09-01T08:00:00Z')
  const span = Date.parse(now) - start
  const block = items / ELV_COUNT
  writeEvidence(raw, {
    items, rnd, progress,
    recordedAt: (id) => start + Math.floor((id / items) * span),
    // Visits run one after another with some overlap: an item belongs to one of the few ELVs live at its time.
    elvOf: (id) => elvIds[Math.min(ELV_COUNT - 1, Math.floor((id - 1) / block) + Math.floor(rnd() * 3))]!,
    recorderOf: () => admin,
  })
  return { elvs: ELV_COUNT, authorities: 22 }
}

/** Where generated evidence goes: which ELV each item belongs to, when it was recorded and by whom. */
export interface EvidencePlan {
  /** Items 1..items are written, in id order (ids are taken as given: the evidence table must be empty). */
  items: number
  /** The generator all the text is drawn from: the same seed writes the same corpus. */
  rnd: () => number
  /** When item `id` was recorded, in ms since the epoch. Draws nothing from `rnd`. */
  recordedAt: (id: number) => number
  /** The ELV item `id` belongs to; called after its gathered date is drawn, and may draw from `rnd`. */
  elvOf: (id: number) => number
  /** Who recorded items on that ELV. */
  recorderOf: (elvId: number) => number | null
  progress?: (done: number) => void
}

/**
 * Writes evidence items with realistic text (a Zipf-like draw over the vocabulary), their folded
 * search words, and a theme on about a third of them, in large transactions. Returns nothing:
 * the rows are ids 1..items.
 */
export function writeEvidence(raw: RawDb, plan: EvidencePlan): void {
  const { items, rnd } = plan
  const vocab = vocabulary()
  const zipf = zipfSampler(vocab.words.length, 1.0, rnd)
  const [bandFrom, bandTo] = vocab.queryBand
  const bandWord = () => bandFrom + Math.floor(rnd() * (bandTo - bandFrom))
  const themes = (raw.prepare('select id from theme where merged_into_id is null order by id').all() as Array<{ id: number }>).map((t) => t.id)

  const kinds = EVIDENCE_KINDS.map((k) => [k, KIND_WEIGHTS[k]] as const)
  const pickKind = (): EvidenceKind => {
    let u = rnd()
    for (const [k, w] of kinds) if ((u -= w) < 0) return k
    return 'meeting_note'
  }
  const capital = (w: string) => w.charAt(0).toUpperCase() + w.slice(1)

  const insertEvidence = raw.prepare(`insert into evidence (id, elv_id, kind, title, body, source, meeting_id, gathered_on, recorded_at, recorded_by,
    from_authority, origin_type, origin_id, version, updated_at, updated_by) values (?, ?, ?, ?, ?, ?, null, ?, ?, ?, ?, null, null, 1, ?, ?)`)
  const insertWords = raw.prepare('insert into evidence_search (rowid, words) values (?, ?)')
  const insertTheme = raw.prepare('insert into evidence_theme (evidence_id, theme_id) values (?, ?)')

  const batch = 20_000
  const writeBatch = raw.transaction((from: number, to: number) => {
    for (let id = from; id < to; id++) {
      const at = plan.recordedAt(id)
      const recordedAt = new Date(at).toISOString()
      const gatheredOn = new Date(at - Math.floor(rnd() * 20) * 86_400_000).toISOString().slice(0, 10)
      const elv = plan.elvOf(id)
      const kind = pickKind()

      const titleRanks: number[] = []
      const titleLength = 4 + Math.floor(rnd() * 5)
      for (let i = 0; i < titleLength; i++) titleRanks.push(i % 2 === 0 ? bandWord() : zipf())
      const bodyRanks: number[] = []
      const bodyLength = 30 + Math.floor(rnd() * 90)
      for (let i = 0; i < bodyLength; i++) bodyRanks.push(zipf())

      const title = capital(titleRanks.map((r) => vocab.words[r]).join(' '))
      let body = ''
      let sentence = 0
      for (const r of bodyRanks) {
        const w = vocab.words[r]!
        body += sentence === 0 ? (body ? ' ' : '') + capital(w) : ` ${w}`
        sentence++
        if (sentence > 6 && rnd() < 0.12) { body += rnd() < 0.2 ? ',' : '.'; if (!body.endsWith(',')) sentence = 0 }
      }
      body += '.'
      // The index's words, folded once per vocabulary word: the same as indexedWords([title, body]).
      const words = [...titleRanks, ...bodyRanks].map((r) => vocab.folded[r]).join(' ')
      const recorder = plan.recorderOf(elv)

      insertEvidence.run(id, elv, kind, title, body, SOURCES[Math.floor(rnd() * SOURCES.length)], gatheredOn, recordedAt, recorder,
        kind === 'authority_document' && rnd() < 0.5 ? 1 : 0, recordedAt, recorder)
      insertWords.run(id, words)
      if (themes.length && rnd() < 0.35) insertTheme.run(id, themes[Math.floor(rnd() * themes.length)])
    }
  })
  for (let from = 1; from <= items; from += batch) {
    writeBatch(from, Math.min(items + 1, from + batch))
    plan.progress?.(Math.min(items, from + batch - 1))
  }
}

/**
 * Two-word queries as an inspector would type them, seeded: an inspection word (English or Welsh)
 * and another, or now and then a school or place name from the mid band ("attendance llanwen").
 */
export function sampleQueries(count: number, seed = 42): string[] {
  const rnd = random(seed)
  const vocab = vocabulary()
  const pick = ([from, to]: [number, number]) => from + Math.floor(rnd() * (to - from))
  const out: string[] = []
  while (out.length < count) {
    const a = pick(vocab.queryBand)
    const b = rnd() < 0.3 ? pick(vocab.midBand) : pick(vocab.queryBand)
    if (a !== b) out.push(`${vocab.words[a]} ${vocab.words[b]}`)
  }
  return out
}

/** Marks a finished corpus, so an interrupted generation is never reused. */
export const corpusMarker = (dir: string) => path.join(dir, 'complete.json')

export function readCorpusMarker(dir: string): CorpusInfo | undefined {
  const file = corpusMarker(dir)
  return existsSync(file) ? { ...(JSON.parse(readFileSync(file, 'utf8')) as CorpusInfo), reused: true } : undefined
}

export function writeCorpusMarker(dir: string, info: CorpusInfo): void {
  writeFileSync(corpusMarker(dir), JSON.stringify(info))
}

/** A fresh working directory next to where the finished corpus will live; renamed into place when complete. */
export function workingDir(dir: string): string {
  const work = `${dir}.tmp-${process.pid}`
  rmSync(work, { recursive: true, force: true })
  mkdirSync(work, { recursive: true })
  return work
}

/** Moves a finished corpus into place, and removes older corpora of the same size (another generator or schema): a gigabyte each. */
export function publish(work: string, dir: string): void {
  rmSync(dir, { recursive: true, force: true })
  renameSync(work, dir)
  const parent = path.dirname(dir)
  const sameSize = `${path.basename(dir).split('-v')[0]}-v`
  for (const name of readdirSync(parent)) {
    if (name.startsWith(sameSize) && name !== path.basename(dir) && !name.includes('.tmp-')) rmSync(path.join(parent, name), { recursive: true, force: true })
  }
}

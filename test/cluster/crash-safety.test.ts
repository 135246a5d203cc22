/**
 * Crash safety: a real server is killed with SIGKILL in the middle of a stream of writes from
 * several concurrent writers (evidence, findings, letter section edits, all through the HTTP API).
 * After a restart on the same database every write that was answered 2xx is there and intact,
 * every write that was in flight is either wholly there or wholly absent, and the database passes
 * its own integrity checks.
 *
 * SQLite runs in WAL mode with synchronous=NORMAL (src/db/connect.ts): a commit is in the WAL file
 * (the operating system's page cache) before it is answered, so it survives the process being
 * killed; it would not necessarily survive a power cut, which is not what this test simulates.
 * PostgreSQL keeps running: the server's open transactions are rolled back when its connections
 * drop, and a committed one is durable by PostgreSQL's own WAL.
 */
import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.ts'
import { connectDatabase, sqliteHandle } from '../../src/db/connect.ts'
import type { Database } from '../../src/db/database.ts'
import { commandDatabase, cyswllt, SLOW } from '../helpers/cli.ts'
import { testEngines } from '../helpers/engines.ts'
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts'

const COOKIE_SECRET = 'crash-safety-cookie-secret-0123456789abcdef'
const ADMIN = { email: 'admin@crash.example.org', password: 'crash-safety-admin-password' }
const HMI = 'hmi@crash.example.org'
const AUTHORITY = 'W06000008'
const TERM = '2026-2027/spring'
/** The writers run at least this long before the kill is armed; the kill then waits for several writes in flight. */
const WRITE_MS = 2500
const IN_FLIGHT_AT_KILL = 3
const MIN_ACKED = 5

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cyswllt-crash-'))
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

type Outcome =
  | { status: 'acked'; code: number; id: number | null; version: number | null }
  /** Answered, but not 2xx: nothing may have been written. */
  | { status: 'refused'; code: number }
  /** Sent, and the server died before answering: either wholly there or wholly absent. */
  | { status: 'in_flight' }

interface EvidenceWrite {
  marker: string
  kind: string
  title: string
  body: string
  source: string
  focusAreaIds: number[]
  themes: string[]
  file: { name: string; data: Buffer; sha256: string } | null
  outcome: Outcome
}
interface FindingWrite {
  marker: string
  focusAreaId: number
  kind: string
  text: string
  evidenceIds: number[]
  themes: string[]
  outcome: Outcome
}
interface LetterWrite {
  marker: string
  key: string
  en: string
  cy: string
  outcome: Outcome
}

interface ApiEvidence {
  id: number; kind: string; title: string; body: string; source: string; focusAreaIds: number[]; themes: string[]
  files: Array<{ id: number; sha256: string; url: string }>
}
interface ApiFinding { id: number; focusAreaId: number; kind: string; text: string; evidenceIds: number[]; themes: Array<{ key: string }> }
interface ApiLetter { version: number; sections: Array<{ key: string; paragraphs: Array<{ en: string; cy: string }> }> }

const MARKER = /\b(k[0-9a-f]{6}[a-z]{2}\d+)\b/
const markerOf = (text: string) => MARKER.exec(text)?.[1]
const sorted = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)
const count = (writes: ReadonlyArray<{ outcome: Outcome }>, status: Outcome['status']) => writes.filter((w) => w.outcome.status === status).length

describe.each(testEngines())('crash safety on $name', (engine) => {
  const dataDir = fs.mkdtempSync(path.join(root, `${engine.name}-`))
  const database = commandDatabase(engine, 'crash', dataDir)
  const env = { ...database.env, COOKIE_SECRET, CYSWLLT_ADMIN_EMAIL: ADMIN.email, CYSWLLT_ADMIN_PASSWORD: ADMIN.password }
  const run = randomBytes(3).toString('hex')
  let server: ServerProcess | undefined
  let db: Database | undefined

  let adminToken = ''
  let hmiToken = ''
  let elvId = 0
  let elvVersionBefore = 0
  const focusAreaIds: number[] = []
  let themeKeys: string[] = []
  const base: EvidenceWrite[] = []
  const evidence: EvidenceWrite[] = []
  const findings: FindingWrite[] = []
  const letterEdits: LetterWrite[] = []
  /** The text of each edited section as built, before any edit. */
  const builtText = new Map<string, Array<{ en: string; cy: string }>>()
  /** Answers of 500 or more, and requests that failed before the kill: both must stay empty. */
  const failures: string[] = []
  const figures = { walBytesAtKill: 0, inFlightAtKill: 0, letterConflicts: 0, orphanFiles: 0 }

  const api = async (method: string, url: string, token: string, body?: unknown): Promise<Response> => fetch(`${server!.url}${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined || body instanceof FormData ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: body instanceof FormData ? body : JSON.stringify(body) }),
  })
  const json = async <T>(method: string, url: string, token: string, body?: unknown, expected = 200): Promise<T> => {
    const res = await api(method, url, token, body)
    const text = await res.text()
    if (res.status !== expected) throw new Error(`${method} ${url}: ${res.status} ${text}`)
    return JSON.parse(text) as T
  }
  const cli = async (args: string[]) => {
    const r = await cyswllt(args, env)
    if (r.code !== 0) throw new Error(`cyswllt ${args.join(' ')}: ${r.code}\n${r.stderr}`)
    return r.stdout.trim()
  }

  beforeAll(async () => {
    await database.create()
    server = await startServerProcess(env)

    // ---- an ELV ready for work: a team, two focus areas, evidence to cite, a letter draft ----
    adminToken = await cli(['token', 'create', '--email', ADMIN.email])
    await cli(['user', 'add', '--email', HMI, '--name', 'Crash Test HMI', '--role', 'hmi'])
    hmiToken = await cli(['token', 'create', '--email', HMI])
    const elv = await json<{ id: number }>('POST', '/api/v1/elvs', adminToken, { authority: AUTHORITY, term: TERM }, 201)
    elvId = elv.id
    await json('POST', `/api/v1/elvs/${elvId}/team`, adminToken, { email: HMI, lead: true, planningReason: 'crash safety test' }, 201)
    for (const title of ['Attendance', 'Self-evaluation']) {
      const fa = await json<{ id: number }>('POST', `/api/v1/elvs/${elvId}/focus-areas`, hmiToken, { title, description: `Why ${title} matters`, source: 'national_priority' }, 201)
      focusAreaIds.push(fa.id)
    }
    themeKeys = (await json<{ items: Array<{ key: string }> }>('GET', '/api/v1/themes', hmiToken)).items.map((t) => t.key).slice(0, 3)
    expect(themeKeys.length).toBeGreaterThanOrEqual(2)
    for (let i = 0; i < 3; i++) {
      const write = evidenceWrite('bs', i, false)
      const made = await json<{ id: number }>('POST', `/api/v1/elvs/${elvId}/evidence`, hmiToken, evidenceBody(write), 201)
      write.outcome = { status: 'acked', code: 201, id: made.id, version: 1 }
      base.push(write)
    }
    const letter = await json<ApiLetter>('POST', `/api/v1/elvs/${elvId}/letter`, hmiToken, {}, 201)
    const keys = ['opening', 'purpose', `focus:${focusAreaIds[0]}`]
    for (const key of keys) {
      const section = letter.sections.find((s) => s.key === key)
      if (!section) throw new Error(`the built letter has no section ${key}: ${letter.sections.map((s) => s.key).join(', ')}`)
      builtText.set(key, section.paragraphs.map((p) => ({ en: p.en, cy: p.cy })))
    }
    elvVersionBefore = (await json<{ version: number }>('GET', `/api/v1/elvs/${elvId}`, adminToken)).version

    // ---- the stream: seven writers at once, then SIGKILL with writes in flight ----
    let stopped = false
    let outstanding = 0
    /** One write: its outcome is what the server answered, or in_flight when it died first. */
    const write = async (method: string, url: string, token: string, body: unknown): Promise<{ outcome: Outcome; answer: unknown }> => {
      outstanding++
      try {
        const res = await api(method, url, token, body)
        // The status line is the acknowledgement; the body may be cut off by the kill.
        const answer = await res.json().catch(() => null) as { id?: number; version?: number } | null
        if (res.status >= 500) failures.push(`${method} ${url}: ${res.status} ${JSON.stringify(answer)}`)
        if (res.status >= 200 && res.status < 300) return { outcome: { status: 'acked', code: res.status, id: answer?.id ?? null, version: answer?.version ?? null }, answer }
        return { outcome: { status: 'refused', code: res.status }, answer }
      } catch (e) {
        if (!stopped) failures.push(`${method} ${url}: ${String(e)}`)
        return { outcome: { status: 'in_flight' }, answer: null }
      } finally {
        outstanding--
      }
    }

    const evidenceWriter = async (tag: string, token: string, withFiles: boolean) => {
      for (let n = 0; !stopped; n++) {
        const w = evidenceWrite(tag, n, withFiles && n % 3 === 0)
        evidence.push(w)
        w.outcome = (await write('POST', `/api/v1/elvs/${elvId}/evidence`, token, evidenceBody(w))).outcome
      }
    }
    const findingWriter = async (tag: string, token: string) => {
      for (let n = 0; !stopped; n++) {
        const marker = `k${run}${tag}${n}`
        // The newest evidence acknowledged so far, so findings also rest on items written in the stream.
        const latest = [...evidence].reverse().find((e) => e.outcome.status === 'acked' && e.outcome.id !== null)?.outcome
        const evidenceIds = [...new Set([(base[n % base.length]!.outcome as { id: number }).id, ...(latest?.status === 'acked' && latest.id ? [latest.id] : [])])]
        const w: FindingWrite = {
          marker, focusAreaId: focusAreaIds[n % focusAreaIds.length]!, kind: n % 2 ? 'improvement' : 'working_well',
          text: `Finding ${marker}: leaders use what they know about ${tag} well.`, evidenceIds, themes: [themeKeys[n % themeKeys.length]!], outcome: { status: 'in_flight' },
        }
        findings.push(w)
        w.outcome = (await write('POST', `/api/v1/elvs/${elvId}/findings`, token, {
          focusAreaId: w.focusAreaId, kind: w.kind, text: w.text, evidenceIds: w.evidenceIds, themes: w.themes,
        })).outcome
      }
    }
    /** Each letter writer owns one section; the letter has one version, so writers meet 409s and read again. */
    const letterWriter = async (tag: string, token: string, key: string) => {
      let version = letter.version
      for (let n = 0; !stopped; n++) {
        const marker = `k${run}${tag}${n}`
        const w: LetterWrite = { marker, key, en: `Edited ${marker} in English.`, cy: `Golygwyd ${marker} yn Gymraeg.`, outcome: { status: 'in_flight' } }
        letterEdits.push(w)
        const { outcome } = await write('PATCH', `/api/v1/elvs/${elvId}/letter`, token, {
          version, sections: [{ key, paragraphs: [{ en: w.en, cy: w.cy }], translationCurrent: true }],
        })
        w.outcome = outcome
        if (outcome.status === 'acked') version = outcome.version!
        else if (outcome.status === 'refused' && outcome.code === 409) {
          figures.letterConflicts++
          try {
            const now = await api('GET', `/api/v1/elvs/${elvId}/letter`, token)
            version = ((await now.json()) as ApiLetter).version
          } catch (e) {
            if (!stopped) failures.push(`GET letter: ${String(e)}`)
          }
        } else if (outcome.status === 'refused') failures.push(`PATCH letter: ${outcome.code}`)
      }
    }

    const writers = [
      evidenceWriter('ea', hmiToken, false),
      evidenceWriter('eb', adminToken, true),
      findingWriter('fa', hmiToken),
      findingWriter('fb', adminToken),
      letterWriter('la', hmiToken, keys[0]!),
      letterWriter('lb', adminToken, keys[1]!),
      letterWriter('lc', hmiToken, keys[2]!),
    ]
    // At least WRITE_MS, and until each kind of write has been acknowledged a few times (a busy machine is slow).
    const started = Date.now()
    const enough = () => [evidence, findings, letterEdits].every((ws) => count(ws, 'acked') >= MIN_ACKED)
    while ((Date.now() - started < WRITE_MS || !enough()) && Date.now() - started < 60_000) await new Promise((r) => setTimeout(r, 20))
    const armed = Date.now()
    while (outstanding < IN_FLIGHT_AT_KILL && Date.now() - armed < 10_000) await new Promise((r) => setTimeout(r, 2))
    figures.inFlightAtKill = outstanding
    const killed = server.kill('SIGKILL')
    stopped = true
    const exit = await killed
    expect(exit.signal).toBe('SIGKILL')
    await Promise.all(writers)
    if (engine.name === 'sqlite') figures.walBytesAtKill = fs.statSync(path.join(dataDir, 'cyswllt.sqlite-wal'), { throwIfNoEntry: false })?.size ?? 0

    // ---- the restart, on the same database ----
    server = await startServerProcess(env)
    db = await connectDatabase(loadConfig({ NODE_ENV: 'test', ...database.env }))
  }, 5 * SLOW)

  afterAll(async () => {
    await db?.close()
    await server?.kill('SIGKILL')
    await database.drop()
  })

  function evidenceWrite(tag: string, n: number, withFile: boolean): EvidenceWrite {
    const marker = `k${run}${tag}${n}`
    const data = Buffer.from(`File ${marker}\nMinutes of the meeting with the head of school improvement.\n`)
    return {
      marker, kind: n % 2 ? 'data' : 'meeting_note', title: `Evidence ${marker}`, body: `Notes ${marker}: attendance is improving.\nSecond line.`,
      source: `Source ${tag}`, focusAreaIds: [focusAreaIds[n % focusAreaIds.length]!], themes: [themeKeys[n % themeKeys.length]!],
      file: withFile ? { name: `notes-${marker}.txt`, data, sha256: createHash('sha256').update(data).digest('hex') } : null,
      outcome: { status: 'in_flight' },
    }
  }

  function evidenceBody(w: EvidenceWrite): unknown {
    const fields = { kind: w.kind, title: w.title, body: w.body, source: w.source }
    if (!w.file) return { ...fields, focusAreaIds: w.focusAreaIds, themes: w.themes }
    const form = new FormData()
    for (const [k, v] of Object.entries(fields)) form.append(k, v)
    for (const id of w.focusAreaIds) form.append('focusAreaIds', String(id))
    for (const key of w.themes) form.append('themes', key)
    form.append('file', new Blob([new Uint8Array(w.file.data)], { type: 'text/plain' }), w.file.name)
    return form
  }

  it('kept every write answered 2xx, intact, and each write in flight wholly or not at all (through the API)', async () => {
    // The stream did what it was meant to: every kind of write acknowledged, several in flight at the kill.
    expect(failures).toEqual([])
    expect(count(evidence, 'acked')).toBeGreaterThanOrEqual(MIN_ACKED)
    expect(count(findings, 'acked')).toBeGreaterThanOrEqual(MIN_ACKED)
    expect(count(letterEdits, 'acked')).toBeGreaterThanOrEqual(MIN_ACKED)
    expect(figures.inFlightAtKill).toBeGreaterThanOrEqual(IN_FLIGHT_AT_KILL)
    expect(count([...evidence, ...findings, ...letterEdits], 'in_flight')).toBeGreaterThanOrEqual(1)
    // Only version conflicts were refused, and they only on the letter.
    expect([...evidence, ...findings].filter((w) => w.outcome.status === 'refused')).toEqual([])

    // Evidence: each acknowledged item once, with its text, tags and file; each one in flight complete or absent.
    const items = (await json<{ items: ApiEvidence[] }>('GET', `/api/v1/elvs/${elvId}/evidence`, hmiToken)).items
    const byMarker = new Map<string, ApiEvidence[]>()
    for (const item of items) {
      const marker = markerOf(item.title)
      expect(marker, `an item no writer sent: ${item.title}`).toBeDefined()
      byMarker.set(marker!, [...(byMarker.get(marker!) ?? []), item])
    }
    const sent = [...base, ...evidence]
    for (const [marker] of byMarker) expect(sent.some((w) => w.marker === marker), marker).toBe(true)
    for (const w of sent) {
      const found = byMarker.get(w.marker) ?? []
      expect(found.length, w.marker).toBeLessThanOrEqual(1)
      if (w.outcome.status === 'acked') expect(found, w.marker).toHaveLength(1)
      const item = found[0]
      if (!item) continue
      if (w.outcome.status === 'acked' && w.outcome.id !== null) expect(item.id).toBe(w.outcome.id)
      expect({ kind: item.kind, title: item.title, body: item.body, source: item.source, focusAreaIds: sorted(item.focusAreaIds), themes: item.themes })
        .toEqual({ kind: w.kind, title: w.title, body: w.body, source: w.source, focusAreaIds: sorted(w.focusAreaIds), themes: w.themes })
      expect(item.files.map((f) => f.sha256)).toEqual(w.file ? [w.file.sha256] : [])
      for (const f of item.files) {
        const res = await api('GET', f.url, hmiToken)
        expect(res.status).toBe(200)
        expect(Buffer.from(await res.arrayBuffer()).equals(w.file!.data)).toBe(true)
      }
      // The search index was written in the same transaction: the item is found by its marker.
      const hits = (await json<{ items: Array<{ id: number }> }>('GET', `/api/v1/evidence?q=${w.marker}&elv=${elvId}`, hmiToken)).items
      expect(hits.map((h) => h.id), `search for ${w.marker}`).toEqual([item.id])
    }

    // Findings: the same, with the evidence each rests on.
    const listed = (await json<{ items: ApiFinding[] }>('GET', `/api/v1/elvs/${elvId}/findings`, hmiToken)).items
    const findingsByMarker = new Map<string, ApiFinding[]>()
    for (const f of listed) {
      const marker = markerOf(f.text)
      expect(marker, `a finding no writer sent: ${f.text}`).toBeDefined()
      findingsByMarker.set(marker!, [...(findingsByMarker.get(marker!) ?? []), f])
    }
    for (const [marker] of findingsByMarker) expect(findings.some((w) => w.marker === marker)).toBe(true)
    for (const w of findings) {
      const found = findingsByMarker.get(w.marker) ?? []
      expect(found.length, w.marker).toBeLessThanOrEqual(1)
      if (w.outcome.status === 'acked') expect(found, w.marker).toHaveLength(1)
      const f = found[0]
      if (!f) continue
      if (w.outcome.status === 'acked' && w.outcome.id !== null) expect(f.id).toBe(w.outcome.id)
      expect({ focusAreaId: f.focusAreaId, kind: f.kind, text: f.text, evidenceIds: sorted(f.evidenceIds), themes: f.themes.map((t) => t.key) })
        .toEqual({ focusAreaId: w.focusAreaId, kind: w.kind, text: w.text, evidenceIds: sorted(w.evidenceIds), themes: w.themes })
    }

    // Letter: each section holds its last acknowledged edit, or the one in flight after it; never an older or refused one.
    const letter = await json<ApiLetter>('GET', `/api/v1/elvs/${elvId}/letter`, hmiToken)
    const ackedVersions = letterEdits.flatMap((w) => (w.outcome.status === 'acked' ? [w.outcome.version!] : []))
    expect(letter.version).toBeGreaterThanOrEqual(Math.max(...ackedVersions))
    for (const [key, built] of builtText) {
      const mine = letterEdits.filter((w) => w.key === key)
      const lastAcked = [...mine].reverse().find((w) => w.outcome.status === 'acked')
      const after = mine.slice(lastAcked ? mine.indexOf(lastAcked) + 1 : 0).filter((w) => w.outcome.status === 'in_flight')
      const allowed = [lastAcked ? [{ en: lastAcked.en, cy: lastAcked.cy }] : built, ...after.map((w) => [{ en: w.en, cy: w.cy }])]
      const section = letter.sections.find((s) => s.key === key)!
      expect(allowed, key).toContainEqual(section.paragraphs.map((p) => ({ en: p.en, cy: p.cy })))
    }
    // Every version of the letter has its revision, with none missing and none beyond the letter.
    const revisions = (await json<{ items: Array<{ number: number }> }>('GET', `/api/v1/elvs/${elvId}/letter/revisions`, hmiToken)).items
    expect(sorted(revisions.map((r) => r.number))).toEqual(Array.from({ length: letter.version }, (_, i) => i + 1))

    expect(server!.errorLines()).toEqual([])
  }, 5 * SLOW)

  it('wrote each row with its links, its audit entry and its revision in one transaction (in the database)', async () => {
    const d = db!.db
    const audits = await d.selectFrom('audit_event').select(['action', 'details']).where('entity_type', '=', 'elv').where('entity_id', '=', String(elvId)).execute()
    const auditIds = (action: string) => audits.filter((a) => a.action === action).map((a) => (JSON.parse(a.details) as { id: number }).id)

    // Evidence rows: one audit entry each, every link that was sent, and no audit entry without its row.
    const rows = await d.selectFrom('evidence').select(['id', 'title']).where('elv_id', '=', elvId).execute()
    const sent = new Map([...base, ...evidence].map((w) => [w.marker, w]))
    const created = auditIds('evidence.create')
    expect(sorted(created)).toEqual(sorted(rows.map((r) => r.id)))
    const fas = await d.selectFrom('evidence_focus_area').selectAll().execute()
    const themes = await d.selectFrom('evidence_theme as et').innerJoin('theme as t', 't.id', 'et.theme_id').select(['et.evidence_id', 't.key']).execute()
    const files = await d.selectFrom('evidence_file').select(['evidence_id', 'sha256', 'storage_key']).execute()
    for (const row of rows) {
      const w = sent.get(markerOf(row.title)!)!
      expect(sorted(fas.filter((f) => f.evidence_id === row.id).map((f) => f.focus_area_id)), w.marker).toEqual(sorted(w.focusAreaIds))
      expect(themes.filter((t) => t.evidence_id === row.id).map((t) => t.key), w.marker).toEqual(w.themes)
      expect(files.filter((f) => f.evidence_id === row.id).map((f) => f.sha256), w.marker).toEqual(w.file ? [w.file.sha256] : [])
    }
    // A file stored for an upload whose row was never committed (in flight at the kill) is the only kind
    // left over: whole, or as the `.partial` it is written to before being renamed (never read by anyone).
    const filesDir = path.join(dataDir, 'files')
    const onDisk = fs.existsSync(filesDir) ? fs.readdirSync(filesDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name) : []
    const keys = new Set(files.map((f) => f.storage_key))
    figures.orphanFiles = onDisk.filter((name) => !keys.has(name)).length
    expect(figures.orphanFiles).toBeLessThanOrEqual(evidence.filter((w) => w.file && w.outcome.status === 'in_flight').length)

    // Findings: the same, and each one bumped the ELV's version in its own transaction.
    const findingRows = await d.selectFrom('finding').select(['id', 'text']).where('elv_id', '=', elvId).execute()
    expect(sorted(auditIds('finding.create'))).toEqual(sorted(findingRows.map((r) => r.id)))
    const links = await d.selectFrom('finding_evidence').selectAll().execute()
    const findingThemes = await d.selectFrom('finding_theme as ft').innerJoin('theme as t', 't.id', 'ft.theme_id').select(['ft.finding_id', 't.key']).execute()
    for (const row of findingRows) {
      const w = findings.find((f) => f.marker === markerOf(row.text))!
      expect(sorted(links.filter((l) => l.finding_id === row.id).map((l) => l.evidence_id)), w.marker).toEqual(sorted(w.evidenceIds))
      expect(findingThemes.filter((t) => t.finding_id === row.id).map((t) => t.key), w.marker).toEqual(w.themes)
    }
    const elv = await d.selectFrom('elv').select('version').where('id', '=', elvId).executeTakeFirstOrThrow()
    expect(elv.version).toBe(elvVersionBefore + findingRows.length)

    // The letter: one revision per version, one audit entry per edit, and the tables equal to the latest snapshot.
    const letter = await d.selectFrom('letter').select(['id', 'version']).where('elv_id', '=', elvId).executeTakeFirstOrThrow()
    const revisions = await d.selectFrom('letter_revision').select(['number', 'note', 'snapshot']).where('letter_id', '=', letter.id).orderBy('number').execute()
    expect(revisions.map((r) => r.number)).toEqual(Array.from({ length: letter.version }, (_, i) => i + 1))
    const editVersions = audits.filter((a) => a.action === 'letter.edit').map((a) => (JSON.parse(a.details) as { version: number }).version)
    expect(sorted(editVersions)).toEqual(revisions.filter((r) => r.note === 'edit').map((r) => r.number))
    const snapshotOf = (number: number) => JSON.parse(revisions.find((r) => r.number === number)!.snapshot) as {
      sections: Array<{ key: string; paragraphs: Array<{ text: { en: string; cy: string } }> }>
    }
    // Each acknowledged edit is in the revision of the version it was answered with.
    for (const w of letterEdits.filter((e) => e.outcome.status === 'acked')) {
      const section = snapshotOf((w.outcome as { version: number }).version).sections.find((s) => s.key === w.key)!
      expect(section.paragraphs.map((p) => p.text), w.marker).toEqual([{ en: w.en, cy: w.cy }])
    }
    const sections = await d.selectFrom('letter_section').select(['id', 'key']).where('letter_id', '=', letter.id).execute()
    const paragraphs = await d.selectFrom('letter_paragraph').select(['section_id', 'text_en', 'text_cy', 'position']).where('section_id', 'in', sections.map((s) => s.id)).orderBy('position').execute()
    const latest = snapshotOf(letter.version)
    for (const s of sections) {
      expect(paragraphs.filter((p) => p.section_id === s.id).map((p) => ({ en: p.text_en, cy: p.text_cy })), s.key)
        .toEqual(latest.sections.find((x) => x.key === s.key)!.paragraphs.map((p) => p.text))
    }
  }, SLOW)

  it('passes the database\'s own integrity checks', async () => {
    if (engine.name === 'sqlite') {
      const sqlite = sqliteHandle(db!)!
      expect(sqlite.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }])
      expect(sqlite.pragma('foreign_key_check')).toEqual([])
      // The check above means something only if there are foreign keys to check.
      const fks = sqlite.prepare('select count(*) as n from sqlite_master m, pragma_foreign_key_list(m.name) where m.type = \'table\'').get() as { n: number }
      expect(fks.n).toBeGreaterThan(10)
      // FTS5 checks its own index against itself (throws when it is corrupt).
      sqlite.prepare('insert into evidence_search(evidence_search) values (\'integrity-check\')').run()
      return
    }
    const client = new pg.Client({ connectionString: database.env.DATABASE_URL })
    await client.connect()
    try {
      await client.query('CREATE EXTENSION IF NOT EXISTS amcheck')
      const indexes = (await client.query<{ name: string }>(`
        SELECT c.oid::regclass::text AS name FROM pg_index i
        JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE am.amname = 'btree' AND n.nspname = current_schema() AND i.indisvalid AND i.indisready`)).rows
      expect(indexes.length).toBeGreaterThan(10)
      // Each B-tree's structure, and that every heap tuple is in it (heapallindexed).
      for (const { name } of indexes) await client.query('SELECT bt_index_check($1::regclass, true)', [name])

      expect((await client.query(`SELECT conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
        WHERE n.nspname = current_schema() AND NOT c.convalidated`)).rows).toEqual([])
      // And the foreign keys hold in the data: no row points at a row that is not there.
      const fks = (await client.query<{ conname: string; child: string; parent: string; child_cols: string[]; parent_cols: string[] }>(`
        SELECT con.conname, con.conrelid::regclass::text AS child, con.confrelid::regclass::text AS parent,
          array(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i) AS child_cols,
          array(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.i) AS parent_cols
        FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace
        WHERE con.contype = 'f' AND n.nspname = current_schema()`)).rows
      expect(fks.length).toBeGreaterThan(10)
      const orphans: string[] = []
      for (const fk of fks) {
        const q = (col: string) => `"${col.replace(/"/g, '""')}"`
        const notNull = fk.child_cols.map((c) => `c.${q(c)} IS NOT NULL`).join(' AND ')
        const match = fk.child_cols.map((c, i) => `p.${q(fk.parent_cols[i]!)} = c.${q(c)}`).join(' AND ')
        const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${fk.child} c WHERE ${notNull} AND NOT EXISTS (SELECT 1 FROM ${fk.parent} p WHERE ${match})`)
        if (rows[0]!.n) orphans.push(`${fk.conname}: ${rows[0]!.n}`)
      }
      expect(orphans).toEqual([])
    } finally {
      await client.end()
    }
  }, SLOW)

  afterAll(() => {
    const tally = (ws: ReadonlyArray<{ outcome: Outcome }>) => `${count(ws, 'acked')} acked, ${count(ws, 'in_flight')} in flight, ${count(ws, 'refused')} refused`
    console.info(`crash safety on ${engine.name}: evidence ${tally(evidence)}; findings ${tally(findings)}; letter edits ${tally(letterEdits)} ` +
      `(${figures.letterConflicts} version conflicts); ${figures.inFlightAtKill} writes in flight at SIGKILL; ${engine.name === 'sqlite' ? `WAL ${figures.walBytesAtKill} bytes at the kill; ` : ''}${figures.orphanFiles} orphan files`)
  })
})

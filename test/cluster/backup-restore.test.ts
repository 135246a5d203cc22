import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import pg from 'pg'
import * as tar from 'tar'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { commandDatabase, cyswllt, type CliResult } from '../helpers/cli.ts'
import { postgresUrl } from '../helpers/engines.ts'
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts'

/**
 * `cyswllt backup` and `cyswllt restore` against a real server process on SQLite, with writes
 * going on during the backup and reads during the restore, as an operator would run them.
 */

const ADMIN = 'admin@backup.invalid'
const HMI = 'hmi@backup.invalid'
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex')
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Every table of a SQLite database (listed from sqlite_master), each as its rows in a stable order. */
function dumpDatabase(file: string): Record<string, string[]> {
  const db = new SQLite(file, { readonly: true, fileMustExist: true })
  try {
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as Array<{ name: string }>).map((r) => r.name)
    return Object.fromEntries(tables.map((t) => {
      const rows = db.prepare(`SELECT * FROM "${t}"`).all() as Array<Record<string, unknown>>
      // Blobs (the full-text index's own tables) compare as hex; rows sorted, as a table has no order.
      return [t, rows.map((r) => JSON.stringify(r, (_k, v: unknown) => (Buffer.isBuffer(v) ? `blob:${v.toString('hex')}` : v))).sort()]
    }))
  } finally {
    db.close()
  }
}

/** Every file under a folder with its SHA-256, by relative path. */
function dumpFolder(dir: string): Record<string, string> {
  if (!fs.existsSync(dir)) return {}
  const out: Record<string, string> = {}
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const full = path.join(entry.parentPath, entry.name)
    out[path.relative(dir, full)] = sha256(fs.readFileSync(full))
  }
  return out
}

describe('cyswllt backup and restore while the server runs on SQLite', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cyswllt-backup-restore-'))
  const dataDir = path.join(root, 'data')
  const filesDir = path.join(dataDir, 'files')
  const livePath = path.join(dataDir, 'cyswllt.sqlite')
  const archivePath = path.join(root, 'backup.tar.gz')
  const env = { DATA_DIR: dataDir }
  let server: ServerProcess
  let adminToken = ''
  let hmiToken = ''

  const call = async (token: string, method: string, url: string, body?: unknown) => {
    const res = await fetch(`${server.url}${url}`, {
      method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    })
    const text = await res.text()
    return { status: res.status, json: (text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined) as Record<string, unknown> & { id: number; version: number } }
  }
  /** Evidence with one uploaded file, sent as a client library sends a form with a file. */
  const upload = async (elvId: number, fields: Record<string, string>, file: { name: string; bytes: Buffer }) => {
    const form = new FormData()
    for (const [k, v] of Object.entries(fields)) form.append(k, v)
    form.append('file', new Blob([new Uint8Array(file.bytes)], { type: 'text/plain' }), file.name)
    const res = await fetch(`${server.url}/api/v1/elvs/${elvId}/evidence`, { method: 'POST', headers: { authorization: `Bearer ${hmiToken}` }, body: form })
    return { status: res.status, json: await res.json() as { id: number; version: number; body: string; files: Array<{ id: number; sha256: string }> } }
  }
  const download = async (evidenceId: number, fileId: number) => {
    const res = await fetch(`${server.url}/api/v1/evidence/${evidenceId}/files/${fileId}`, { headers: { authorization: `Bearer ${hmiToken}` } })
    return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) }
  }
  const storedPath = (key: string) => path.join(filesDir, key.slice(0, 2), key)

  /** The bytes of every file uploaded, by title, to check downloads byte for byte. */
  const uploaded = new Map<string, Buffer>()
  let elvId = 0
  let minutes = { id: 0, version: 0, fileId: 0, body: '' }
  let findingId = 0
  let snapshotDir = ''

  beforeAll(async () => {
    server = await startServerProcess({
      ...env, COOKIE_SECRET: 'backup-restore-test-cookie-secret-0123456789',
      CYSWLLT_ADMIN_EMAIL: ADMIN, CYSWLLT_ADMIN_PASSWORD: 'a-long-admin-password',
    })
    // Users and tokens through the command, against the database the server is using.
    const [admin, hmi] = await Promise.all([
      cyswllt(['token', 'create', '--email', ADMIN], env),
      cyswllt(['user', 'add', '--email', HMI, '--name', 'Gwen Hughes', '--role', 'hmi'], env)
        .then((added) => { expect(added.code, added.stderr).toBe(0); return cyswllt(['token', 'create', '--email', HMI], env) }),
    ])
    expect(admin.code, admin.stderr).toBe(0)
    expect(hmi.code, hmi.stderr).toBe(0)
    adminToken = admin.stdout.trim()
    hmiToken = hmi.stdout.trim()
  }, 180_000)

  afterAll(async () => {
    await server?.stop()
    fs.rmSync(root, { recursive: true, force: true })
  })

  it('backs up while writes go on, and restores every table and file while the server keeps answering', { timeout: 300_000 }, async () => {
    // ---- data made through the running server ----
    const elv = await call(adminToken, 'POST', '/api/v1/elvs', { authority: 'W06000008', term: '2027-2028/spring' })
    expect(elv.status, JSON.stringify(elv.json)).toBe(201)
    elvId = elv.json.id
    const team = await call(adminToken, 'POST', `/api/v1/elvs/${elvId}/team`, { email: HMI, lead: true, planningReason: 'Backup test' })
    expect(team.status, JSON.stringify(team.json)).toBe(201)
    const focus = await call(hmiToken, 'POST', `/api/v1/elvs/${elvId}/focus-areas`, { title: 'Presenoldeb / Attendance', description: 'Attendance after the pandemic', source: 'authority_priority' })
    expect(focus.status, JSON.stringify(focus.json)).toBe(201)
    const minutesBytes = Buffer.from('Cofnodion y cyfarfod â’r penaethiaid: ŵ ŷ — minutes of the meeting with headteachers.\n'.repeat(40))
    uploaded.set('minutes.txt', minutesBytes)
    const minutesItem = await upload(elvId, { kind: 'meeting_note', source: 'Headteachers', gatheredOn: '2026-11-02', focusAreaIds: String(focus.json.id), themes: 'attendance' }, { name: 'minutes.txt', bytes: minutesBytes })
    expect(minutesItem.status, JSON.stringify(minutesItem.json)).toBe(201)
    minutes = { id: minutesItem.json.id, version: minutesItem.json.version, fileId: minutesItem.json.files[0]!.id, body: minutesItem.json.body }
    const other = await call(hmiToken, 'POST', `/api/v1/elvs/${elvId}/evidence`, { kind: 'data', title: 'Attendance figures', body: 'Up 3 points', source: 'Stats Wales', gatheredOn: '2026-11-01', focusAreaIds: [focus.json.id] })
    expect(other.status).toBe(201)
    const finding = await call(hmiToken, 'POST', `/api/v1/elvs/${elvId}/findings`, { focusAreaId: focus.json.id, kind: 'working_well', text: 'Attendance is improving', evidenceIds: [minutes.id, other.json.id], themes: ['attendance'] })
    expect(finding.status, JSON.stringify(finding.json)).toBe(201)
    findingId = finding.json.id

    // ---- writes that go on while the backup runs: evidence with a file, one after another ----
    const acked: string[] = []
    let sent = 0
    /** The number of the first write sent after the backup command ended. */
    const firstAfter = { n: undefined as number | undefined }
    let writing = true
    const writer = (async () => {
      while (writing) {
        const n = ++sent
        const bytes = Buffer.from(`Item ${n} gathered during the backup\n`.repeat(n))
        uploaded.set(`during-${n}.txt`, bytes)
        const res = await upload(elvId, { kind: 'data', source: `Source ${n}`, gatheredOn: '2026-11-03' }, { name: `during-${n}.txt`, bytes })
        expect(res.status).toBe(201)
        acked.push(`during-${n}.txt`)
        if (firstAfter.n !== undefined && n >= firstAfter.n + 2) writing = false
      }
    })()
    while (acked.length < 3) await sleep(20)
    const ackedBeforeBackup = [...acked]
    const backup = await cyswllt(['backup', '--out', archivePath], env)
    firstAfter.n = sent + 1
    await writer
    expect(backup.code, backup.stderr).toBe(0)
    expect(backup.stdout).toMatch(/^Backed up the SQLite database in .* \(migration \d{4}_\w+\) and \d+ stored files \(\d+ bytes, from .*\) to .*backup\.tar\.gz\.\n$/)
    expect(fs.readdirSync(root).sort()).toEqual(['backup.tar.gz', 'data'])

    // ---- the archive: its own database copy is the snapshot; its files are those the copy refers to ----
    snapshotDir = path.join(root, 'snapshot')
    fs.mkdirSync(snapshotDir)
    await tar.extract({ file: archivePath, cwd: snapshotDir, strict: true })
    const manifest = JSON.parse(fs.readFileSync(path.join(snapshotDir, 'manifest.json'), 'utf8'))
    expect(manifest).toMatchObject({ format: 'cyswllt-backup', formatVersion: 1, appVersion: '0.1.0', engine: 'sqlite', fileStore: 'local', missingFiles: [] })
    const snapshotDb = path.join(snapshotDir, 'database.sqlite')
    const snapshot = dumpDatabase(snapshotDb)
    expect(Object.keys(snapshot).length).toBeGreaterThan(40)
    expect(Object.fromEntries(Object.entries(snapshot).map(([t, rows]) => [t, rows.length]))).toEqual(manifest.tables)
    const copy = new SQLite(snapshotDb, { readonly: true })
    const files = copy.prepare('SELECT f.id, f.evidence_id, f.storage_key, f.sha256, f.size_bytes, f.file_name FROM evidence_file f ORDER BY f.id').all() as Array<{ id: number; evidence_id: number; storage_key: string; sha256: string; size_bytes: number; file_name: string }>
    expect(copy.prepare('SELECT name FROM kysely_migration ORDER BY name DESC LIMIT 1').pluck().get()).toBe(manifest.migration)
    copy.close()
    // Writes acknowledged before the backup started are in it; those sent after it ended are not;
    // and the writes in between are in it up to one moment, with no gap.
    const names = files.map((f) => f.file_name)
    for (const name of ['minutes.txt', ...ackedBeforeBackup]) expect(names).toContain(name)
    const during = names.filter((n) => n.startsWith('during-')).map((n) => Number(/\d+/.exec(n)![0]))
    expect(during).toEqual(during.map((_, i) => i + 1))
    expect(Math.max(...during)).toBeLessThan(firstAfter.n)
    // Every file a row of the copy refers to is in the archive with the row's own checksum, and nothing else is.
    expect(manifest.files.map((f: { key: string }) => f.key).sort()).toEqual(files.map((f) => f.storage_key).sort())
    for (const f of files) {
      const bytes = fs.readFileSync(path.join(snapshotDir, 'files', f.storage_key))
      expect(sha256(bytes)).toBe(f.sha256)
      expect(bytes.equals(uploaded.get(f.file_name)!)).toBe(true)
    }

    // ---- changes after the backup: edit, delete, add with an upload, and a lost file ----
    const edited = await call(hmiToken, 'PATCH', `/api/v1/evidence/${minutes.id}`, { body: 'Changed after the backup', version: minutes.version })
    expect(edited.status).toBe(200)
    const findingNow = await call(hmiToken, 'GET', `/api/v1/findings/${findingId}`)
    expect((await call(hmiToken, 'DELETE', `/api/v1/findings/${findingId}?version=${findingNow.json.version}`)).status).toBe(204)
    const late = await upload(elvId, { kind: 'data', source: 'Late', gatheredOn: '2026-11-04' }, { name: 'late.txt', bytes: Buffer.from('Added after the backup') })
    expect(late.status).toBe(201)
    const liveDb = new SQLite(livePath, { readonly: true })
    const liveKeys = liveDb.prepare('SELECT storage_key FROM evidence_file').pluck().all() as string[]
    liveDb.close()
    const minutesKey = files.find((f) => f.file_name === 'minutes.txt')!.storage_key
    fs.rmSync(storedPath(minutesKey))
    expect((await download(minutes.id, minutes.fileId)).status).toBe(404)
    expect(dumpDatabase(livePath)).not.toEqual(snapshot)

    // ---- restore while the server runs, with reads going on ----
    // The reads use a token made after the backup: the restore takes it away, so the reads show
    // the moment the server sees the restored data (and, refused, they write nothing).
    const lateToken = await cyswllt(['token', 'create', '--email', HMI, '--label', 'after the backup'], env)
    expect(lateToken.code, lateToken.stderr).toBe(0)
    const statuses: number[] = []
    let reading = true
    const read = async () => (await call(lateToken.stdout.trim(), 'GET', `/api/v1/elvs/${elvId}/evidence`)).status
    const reader = (async () => {
      while (reading) {
        statuses.push(await read())
        await sleep(10)
      }
    })()
    const restored = await cyswllt(['restore', '--from', archivePath, '--force'], env)
    reading = false
    await reader
    expect(restored.code, restored.stderr).toBe(0)
    expect(restored.stdout).toContain(`Restored the backup made ${manifest.createdAt} by Cyswllt 0.1.0 (migration ${manifest.migration})`)
    expect(restored.stdout).toMatch(/rows by table, before -> after: .*evidence \d+ -> \d+.*finding 0 -> 1/)
    expect(restored.stdout).toContain(`Stored files: 1 put back, ${files.length - 1} already in place (${filesDir}).`)
    // The late upload, and the uploads of the writes that came after the backup's moment.
    const left = liveKeys.filter((k) => !files.some((f) => f.storage_key === k))
    expect(left.length).toBe(acked.length - during.length + 1)
    expect(restored.stdout).toContain(`${left.length} stored files added since the backup are no longer referenced; they were left in the file store.`)
    statuses.push(await read())
    expect(statuses[0]).toBe(200)
    expect(statuses.join(' ')).toMatch(/^(200 )+(401 )*401$/)

    // Every table, row by row, is the backup's (compared before the server is asked anything more).
    expect(Object.keys(dumpDatabase(livePath))).toEqual(Object.keys(snapshot))
    const live = dumpDatabase(livePath)
    for (const table of Object.keys(snapshot)) expect({ table, rows: live[table] }).toEqual({ table, rows: snapshot[table] })

    // The running server answers from the restored data, and every file downloads byte for byte.
    expect((await call(hmiToken, 'GET', `/api/v1/evidence/${minutes.id}`)).json).toMatchObject({ body: minutes.body, version: minutes.version })
    expect((await call(hmiToken, 'GET', `/api/v1/findings/${findingId}`)).status).toBe(200)
    expect((await call(hmiToken, 'GET', `/api/v1/evidence/${late.json.id}`)).status).toBe(404)
    for (const f of files) {
      const got = await download(f.evidence_id, f.id)
      expect(got.status).toBe(200)
      expect(got.bytes.equals(uploaded.get(f.file_name)!)).toBe(true)
    }
    // The files stored after the backup are left where they were.
    for (const key of left) expect(fs.existsSync(storedPath(key))).toBe(true)
    // And it goes on writing.
    expect((await call(hmiToken, 'POST', `/api/v1/elvs/${elvId}/evidence`, { kind: 'data', title: 'After the restore', body: '', source: 'Test', gatheredOn: '2026-11-05' })).status).toBe(201)
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200)
    expect(server.errorLines()).toEqual([])
  })

  it('refuses, with exit 2 and nothing changed, what is not a sound backup, a restore without --force, and PostgreSQL', { timeout: 300_000 }, async () => {
    expect(fs.existsSync(archivePath)).toBe(true)
    const before = { db: dumpDatabase(livePath), files: dumpFolder(filesDir) }
    const refused = (res: CliResult, message: string | RegExp) => {
      expect(res.code, res.stderr).toBe(2)
      expect(res.stdout).toBe('')
      expect(res.stderr).toMatch(message)
      expect(dumpDatabase(livePath)).toEqual(before.db)
      expect(dumpFolder(filesDir)).toEqual(before.files)
    }
    /** The good archive unpacked, changed by `change`, and packed again. */
    const tampered = async (name: string, change: (dir: string) => void) => {
      const dir = path.join(root, name)
      fs.mkdirSync(dir)
      await tar.extract({ file: archivePath, cwd: dir })
      change(dir)
      const file = path.join(root, `${name}.tar.gz`)
      await tar.create({ gzip: true, file, cwd: dir, portable: true }, ['manifest.json', 'database.sqlite', 'files'])
      return file
    }

    const notArchive = path.join(root, 'notes.txt')
    fs.writeFileSync(notArchive, 'not a backup at all')
    refused(await cyswllt(['restore', '--from', notArchive, '--force'], env), /is not a Cyswllt backup \(not a gzip-compressed tar archive.*Nothing was changed\./)

    const changedFile = await tampered('changed-file', (dir) => {
      const [key] = fs.readdirSync(path.join(dir, 'files'))
      fs.appendFileSync(path.join(dir, 'files', key!), 'x')
    })
    refused(await cyswllt(['restore', '--from', changedFile, '--force'], env), /is damaged: the stored file [a-z0-9-]+ does not match its checksum in manifest\.json .*Nothing was changed\./)

    // A backup from a newer version: its database has a migration this code does not know (the manifest made to agree).
    const newer = await tampered('newer', (dir) => {
      const db = new SQLite(path.join(dir, 'database.sqlite'))
      db.prepare('INSERT INTO kysely_migration (name, timestamp) VALUES (?, ?)').run('9999_from_the_future', new Date().toISOString())
      db.close()
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'))
      const bytes = fs.readFileSync(path.join(dir, 'database.sqlite'))
      manifest.migration = '9999_from_the_future'
      manifest.database = { ...manifest.database, sha256: sha256(bytes), size: bytes.length }
      manifest.tables.kysely_migration += 1
      fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest))
    })
    refused(await cyswllt(['restore', '--from', newer, '--force'], env), /was made by a newer version of Cyswllt .*migration 9999_from_the_future, which this version .* does not know; upgrade first\. Nothing was changed\./)

    refused(await cyswllt(['restore', '--from', archivePath], env), /checks out: the backup made .*\nRestoring it replaces everything in the SQLite database .* so nothing was changed: add --force to restore it\./)

    // PostgreSQL: a database of its own that the command must not touch (or, without a server, an address nobody answers).
    const pgUrl = postgresUrl()
    const database = commandDatabase(pgUrl ? { url: pgUrl } : {}, 'restore', dataDir)
    await database.create()
    try {
      const pgEnv = { ...env, DATABASE_URL: database.env.DATABASE_URL ?? 'postgres://nobody@127.0.0.1:9/cyswllt' }
      refused(await cyswllt(['restore', '--from', archivePath, '--force'], pgEnv), /PostgreSQL \(DATABASE_URL\); restore a pg_dump backup with PostgreSQL's own pg_restore/)
      refused(await cyswllt(['backup', '--out', path.join(root, 'pg.dump')], pgEnv), /pg_dump --format=custom/)
      expect(fs.existsSync(path.join(root, 'pg.dump'))).toBe(false)
      if (database.env.DATABASE_URL) {
        const client = new pg.Client({ connectionString: database.env.DATABASE_URL })
        await client.connect()
        try {
          expect((await client.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`)).rows[0].n).toBe(0)
        } finally {
          await client.end()
        }
      }
    } finally {
      await database.drop()
    }
    expect(server.errorLines()).toEqual([])
  })
})

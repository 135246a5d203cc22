import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { Readable } from 'node:stream'
import SQLite from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import { Type, type Static } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import * as tar from 'tar'
import type { DB } from '../db/schema.ts'
import { MIGRATION_NAMES } from '../db/migrate.ts'
import { checkStorageKey } from '../storage/file-store.ts'

/**
 * The backup archive: one gzip-compressed tar holding `manifest.json` (first), `database.sqlite`
 * (a consistent copy, rollback journal) and `files/<key>` for every stored file the copy refers to.
 */
export const BACKUP_FORMAT = 'cyswllt-backup'
export const BACKUP_FORMAT_VERSION = 1
export const MANIFEST_ENTRY = 'manifest.json'
export const DATABASE_ENTRY = 'database.sqlite'
export const FILES_ENTRY = 'files'

const Checked = { sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }), size: Type.Integer({ minimum: 0 }) }
const Manifest = Type.Object({
  format: Type.Literal(BACKUP_FORMAT),
  formatVersion: Type.Integer({ minimum: 1 }),
  appVersion: Type.String(),
  createdAt: Type.String(),
  engine: Type.Literal('sqlite'),
  /** The last migration applied to the database copy. */
  migration: Type.String(),
  /** Where the files were read from: a local folder or S3. */
  fileStore: Type.Union([Type.Literal('local'), Type.Literal('s3')]),
  database: Type.Object({ path: Type.Literal(DATABASE_ENTRY), ...Checked }),
  files: Type.Array(Type.Object({ key: Type.String(), path: Type.String(), mediaType: Type.String(), ...Checked })),
  /** Files the database refers to that the file store did not have when the backup was made. */
  missingFiles: Type.Array(Type.Object({ key: Type.String(), source: Type.String() })),
  /** Rows in every table of the copy, sqlite_master's own included. */
  tables: Type.Record(Type.String(), Type.Integer({ minimum: 0 })),
})
export type BackupManifest = Static<typeof Manifest>

/** The archive cannot be restored: the message says why; nothing has been changed. */
export class BackupRefused extends Error {}

export function appVersion(): string {
  return (JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version
}

/** SHA-256 and size of what a stream carries, written to `target` on the way. */
export async function copyHashed(from: Readable, target: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256')
  let size = 0
  from.on('data', (chunk: Buffer) => { hash.update(chunk); size += chunk.length })
  await pipeline(from, fs.createWriteStream(target, { flags: 'wx' }))
  return { sha256: hash.digest('hex'), size }
}

export async function hashFile(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256')
  let size = 0
  for await (const chunk of fs.createReadStream(file) as AsyncIterable<Buffer>) { hash.update(chunk); size += chunk.length }
  return { sha256: hash.digest('hex'), size }
}

/** Every table (virtual tables, their shadow tables and sqlite_sequence included) and its rows. */
export function tableCounts(sqlite: SQLite.Database): Record<string, number> {
  const names = (sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as Array<{ name: string }>).map((r) => r.name)
  return Object.fromEntries(names.map((name) => [name, (sqlite.prepare(`SELECT count(*) AS n FROM "${name.replaceAll('"', '""')}"`).get() as { n: number }).n]))
}

/** The tables a person cares about: not SQLite's own nor the full-text index's shadow tables. */
export function ownTables(sqlite: SQLite.Database): Set<string> {
  const rows = sqlite.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as Array<{ name: string; sql: string | null }>
  const virtual = rows.filter((r) => /^CREATE VIRTUAL TABLE/i.test(r.sql ?? '')).map((r) => r.name)
  return new Set(rows.map((r) => r.name).filter((n) => !n.startsWith('sqlite_') && !n.startsWith('kysely_') && !virtual.some((v) => n.startsWith(`${v}_`))))
}

/** The migrations applied to a database, in order (empty when it has none). */
export function appliedMigrations(sqlite: SQLite.Database): string[] {
  const table = sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kysely_migration'`).get()
  if (!table) return []
  return (sqlite.prepare('SELECT name FROM kysely_migration ORDER BY name').all() as Array<{ name: string }>).map((r) => r.name)
}

/** Kysely over a handle opened here (a backup copy), for the repositories' typed queries. */
export function kyselyOver(sqlite: SQLite.Database): Kysely<DB> {
  return new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) })
}

export async function writeManifest(dir: string, manifest: BackupManifest): Promise<void> {
  await fs.promises.writeFile(path.join(dir, MANIFEST_ENTRY), `${JSON.stringify(manifest, null, 2)}\n`, { flag: 'wx' })
}

/** Packs a staged backup folder into `file`, the manifest first so a reader meets it before anything else. */
export async function packArchive(dir: string, file: string): Promise<void> {
  await tar.create({ gzip: true, file, cwd: dir, portable: true }, [MANIFEST_ENTRY, DATABASE_ENTRY, FILES_ENTRY])
}

export interface OpenedBackup {
  manifest: BackupManifest
  databasePath: string
  /** The migrations applied to the backup's database, in order. */
  migrations: string[]
  files: Array<BackupManifest['files'][number] & { localPath: string }>
}

const tarProblem = (e: unknown) => {
  const err = e as { code?: string; message?: string }
  return err.code === 'TAR_BAD_ARCHIVE' || err.code === 'TAR_ENTRY_INVALID' || err.code === 'TAR_ABORT' || err.code?.startsWith('Z_')
    || /zlib|unexpected end|incorrect header|invalid|truncated/i.test(err.message ?? '')
}

/**
 * Unpacks a backup into `dir` (an empty folder) and checks all of it: that it is a Cyswllt backup
 * of a format this version reads, every checksum and size, the database's integrity, that its
 * migrations are all known to this code and its rows are the manifest's. Throws BackupRefused.
 */
export async function openBackupArchive(file: string, dir: string): Promise<OpenedBackup> {
  const unexpected: string[] = []
  try {
    await tar.extract({
      file, cwd: dir, strict: true,
      // Only the names a backup has, as plain files: nothing can land outside `dir` or be a link.
      filter: (name, entry) => {
        const type = 'type' in entry ? entry.type : undefined
        const ok = (type === 'File' && (name === MANIFEST_ENTRY || name === DATABASE_ENTRY || isFileEntry(name)))
          || (type === 'Directory' && (name === `${FILES_ENTRY}/` || name === FILES_ENTRY))
        if (!ok) unexpected.push(name)
        return ok
      },
    })
  } catch (e) {
    if (tarProblem(e)) throw new BackupRefused(`is not a Cyswllt backup (not a gzip-compressed tar archive, or a damaged one: ${(e as Error).message})`)
    throw e
  }
  if (unexpected.length) throw new BackupRefused(`is not a Cyswllt backup: it holds ${unexpected.slice(0, 3).map((n) => JSON.stringify(n)).join(', ')}${unexpected.length > 3 ? ' and more' : ''}, which a backup never does`)

  const manifestPath = path.join(dir, MANIFEST_ENTRY)
  if (!fs.existsSync(manifestPath)) throw new BackupRefused(`is not a Cyswllt backup: it has no ${MANIFEST_ENTRY}`)
  let raw: unknown
  try {
    raw = JSON.parse(await fs.promises.readFile(manifestPath, 'utf8'))
  } catch {
    throw new BackupRefused(`is not a Cyswllt backup: its ${MANIFEST_ENTRY} is not JSON`)
  }
  const head = raw as Partial<BackupManifest> | null
  if (head?.format !== BACKUP_FORMAT) throw new BackupRefused(`is not a Cyswllt backup: its ${MANIFEST_ENTRY} does not say format "${BACKUP_FORMAT}"`)
  if (typeof head.formatVersion === 'number' && head.formatVersion > BACKUP_FORMAT_VERSION) {
    throw new BackupRefused(`was made by a newer version of Cyswllt (${head.appVersion ?? 'unknown'}, backup format ${head.formatVersion}); this version reads format ${BACKUP_FORMAT_VERSION}: upgrade first`)
  }
  if (!Value.Check(Manifest, raw)) {
    const first = [...Value.Errors(Manifest, raw)][0]
    throw new BackupRefused(`has a damaged ${MANIFEST_ENTRY} (${first ? `${first.path || '/'}: ${first.message}` : 'not the expected shape'})`)
  }
  const manifest = raw

  const databasePath = path.join(dir, DATABASE_ENTRY)
  if (!fs.existsSync(databasePath)) throw new BackupRefused(`is damaged: it has no ${DATABASE_ENTRY}`)
  await expectChecksum(databasePath, manifest.database, DATABASE_ENTRY)

  const files: OpenedBackup['files'] = []
  const listed = new Set<string>()
  for (const f of manifest.files) {
    if (f.path !== `${FILES_ENTRY}/${f.key}` || !isFileEntry(f.path)) throw new BackupRefused(`has a damaged ${MANIFEST_ENTRY}: ${JSON.stringify(f.path)} is not where a stored file is kept`)
    const localPath = path.join(dir, f.path)
    if (!fs.existsSync(localPath)) throw new BackupRefused(`is damaged: the stored file ${f.key} listed in ${MANIFEST_ENTRY} is missing`)
    await expectChecksum(localPath, f, `the stored file ${f.key}`)
    listed.add(f.key)
    files.push({ ...f, localPath })
  }
  const filesDir = path.join(dir, FILES_ENTRY)
  const extra = fs.existsSync(filesDir) ? fs.readdirSync(filesDir).filter((k) => !listed.has(k)) : []
  if (extra.length) throw new BackupRefused(`is damaged: it holds stored files its ${MANIFEST_ENTRY} does not list (${extra.slice(0, 3).join(', ')})`)

  let copy: SQLite.Database
  let migrations: string[]
  try {
    copy = new SQLite(databasePath, { fileMustExist: true })
  } catch (e) {
    throw new BackupRefused(`is damaged: ${DATABASE_ENTRY} cannot be opened (${(e as Error).message})`)
  }
  try {
    let integrity: unknown
    try {
      integrity = copy.pragma('integrity_check', { simple: true })
    } catch (e) {
      throw new BackupRefused(`is damaged: ${DATABASE_ENTRY} is not a SQLite database (${(e as Error).message})`)
    }
    if (integrity !== 'ok') throw new BackupRefused(`is damaged: ${DATABASE_ENTRY} fails SQLite's integrity check (${String(integrity)})`)
    const applied = appliedMigrations(copy)
    migrations = applied
    const unknown = applied.filter((m) => !MIGRATION_NAMES.includes(m))
    if (unknown.length) {
      throw new BackupRefused(`was made by a newer version of Cyswllt (${manifest.appVersion}): its database has migration ${unknown.join(', ')}, which this version (${appVersion()}) does not know; upgrade first`)
    }
    if (applied.at(-1) !== manifest.migration) throw new BackupRefused(`is damaged: its database is at migration ${applied.at(-1) ?? 'none'} but ${MANIFEST_ENTRY} says ${manifest.migration}`)
    const counts = tableCounts(copy)
    const differ = [...new Set([...Object.keys(counts), ...Object.keys(manifest.tables)])].filter((t) => counts[t] !== manifest.tables[t])
    if (differ.length) throw new BackupRefused(`is damaged: the rows of ${differ.slice(0, 3).join(', ')} do not match ${MANIFEST_ENTRY}`)
  } finally {
    copy.close()
  }
  return { manifest, databasePath, migrations, files }
}

function isFileEntry(name: string): boolean {
  if (!name.startsWith(`${FILES_ENTRY}/`)) return false
  try {
    checkStorageKey(name.slice(FILES_ENTRY.length + 1))
    return true
  } catch {
    return false
  }
}

async function expectChecksum(file: string, expected: { sha256: string; size: number }, what: string): Promise<void> {
  const actual = await hashFile(file)
  if (actual.size !== expected.size || actual.sha256 !== expected.sha256) {
    throw new BackupRefused(`is damaged: ${what} does not match its checksum in ${MANIFEST_ENTRY} (${actual.size} bytes, SHA-256 ${actual.sha256.slice(0, 12)}…; expected ${expected.size} bytes, ${expected.sha256.slice(0, 12)}…)`)
  }
}

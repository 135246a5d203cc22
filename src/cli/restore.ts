import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type SQLite from 'better-sqlite3'
import { loadConfig, type Config } from '../config.ts'
import type { FileStore } from '../storage/file-store.ts'
import { defineCommand, UsageError, type Io } from './command.ts'
import type { OpenedBackup } from './backup-archive.ts'
import { printFirstAdmin } from './output.ts'

/** The live database's file name under DATA_DIR, as db/connect.ts opens it. */
const SQLITE_FILE = 'cyswllt.sqlite'
/** How long to wait for a server's write to finish before giving up on taking the database's write lock. */
const LOCK_WAIT_MS = 30_000

interface DatabaseFacts {
  tables: Record<string, number>
  /** The tables a person would recognise (no SQLite or full-text index internals). */
  own: Set<string>
  fileKeys: Set<string>
  /** Outbox messages by id: sent or still waiting. */
  sentMail: Set<number>
  waitingMail: Set<number>
  pageSize: number
}

const count = (n: number) => n.toLocaleString('en-GB')
const total = (tables: Record<string, number>, own: Set<string>) => Object.entries(tables).filter(([t]) => own.has(t)).reduce((sum, [, n]) => sum + n, 0)

export const restore = defineCommand({
  name: 'restore',
  summary: 'Put back a backup made by "cyswllt backup": the SQLite database and every stored file, even while the server is running.',
  details: [
    'First checks the whole archive: that it is a Cyswllt backup, every checksum and size in its manifest, the database\'s integrity, and that it was not made by a newer version of Cyswllt. If anything is wrong it says what and changes nothing.',
    'Then puts every stored file of the backup back through the file store (the local folder or S3), brings the backup\'s database up to this version\'s migrations, and copies it into the live database with SQLite\'s online backup, which takes the database\'s write lock: a running server goes on answering, and sees the restored data from its next request. Everything written since the backup is replaced, so --force is required; without it the command says what would be replaced. Files stored since the backup are left in the file store (it says how many).',
    'The archive is unpacked into TMPDIR first. On PostgreSQL use pg_restore instead; this command says how.',
  ],
  options: {
    from: { type: 'string', value: 'FILE', help: 'The backup to restore (written by cyswllt backup --out).', required: true },
    force: { type: 'boolean', help: 'Replace the current data with the backup.' },
  },
  examples: ['cyswllt restore --from /var/backups/cyswllt-2026-11-23.tar.gz --force'],
  async run(values, io) {
    const from = path.resolve(values.from)
    if (!fs.existsSync(from) || !fs.statSync(from).isFile()) throw new UsageError(`${from} is not a file`)
    const config = loadConfig()
    if (config.databaseUrl) {
      io.err([
        'restore: this installation keeps its data in PostgreSQL (DATABASE_URL); restore a pg_dump backup with PostgreSQL\'s own pg_restore, for example:',
        '  pg_restore --clean --if-exists --no-owner --single-transaction --dbname="$DATABASE_URL" cyswllt.dump',
        'with the app servers stopped, and the stored files from the S3 bucket\'s versions of the same moment. See docs/operations.md.',
      ].join('\n'))
      return 2
    }
    const archive = await import('./backup-archive.ts')
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cyswllt-restore-'))
    try {
      let backup: Awaited<ReturnType<typeof archive.openBackupArchive>>
      try {
        backup = await archive.openBackupArchive(from, work)
      } catch (e) {
        if (!(e instanceof archive.BackupRefused)) throw e
        io.err(`restore: ${from} ${e.message}. Nothing was changed.`)
        return 2
      }
      const m = backup.manifest
      const livePath = path.join(config.dataDir, SQLITE_FILE)
      const before = fs.existsSync(livePath) ? await readDatabase(livePath) : undefined
      const made = `the backup made ${m.createdAt} by Cyswllt ${m.appVersion} (migration ${m.migration})`
      if (!values.force) {
        io.err([
          `restore: ${from} checks out: ${made}, with ${count(total(m.tables, before?.own ?? new Set(Object.keys(m.tables))))} rows and ${m.files.length} stored files.`,
          before
            ? `Restoring it replaces everything in the SQLite database ${livePath} (${count(total(before.tables, before.own))} rows now), so nothing was changed: add --force to restore it.`
            : `There is no database at ${livePath} yet; nothing was changed: add --force to restore it there.`,
        ].join('\n'))
        return 2
      }
      return await putBack(backup, { config, livePath, before, made, from, io, work })
    } finally {
      fs.rmSync(work, { recursive: true, force: true })
    }
  },
})

interface PutBackContext {
  config: Config
  livePath: string
  before: DatabaseFacts | undefined
  made: string
  from: string
  io: Io
  work: string
}

async function putBack(backup: OpenedBackup, ctx: PutBackContext): Promise<number> {
  const [{ default: SQLiteDb }, { connectDatabase }, { createServices }, { bootstrap }, { createFileStore }, { ALL_PAGES }, { MIGRATION_NAMES }] = await Promise.all([
    import('better-sqlite3'), import('../db/connect.ts'), import('../services.ts'), import('../bootstrap.ts'),
    import('../modules/documents/attachments.service.ts'), import('./backup.ts'), import('../db/migrate.ts'),
  ])
  const { config, livePath, before, io } = ctx

  // A backup from an older version is brought up to this one (migrations, reference data) before it
  // is copied in, so a running server never sees an older schema than its own. One from this version
  // is left exactly as it was: seeding again would still move SQLite's id counters.
  if (MIGRATION_NAMES.some((name) => !backup.migrations.includes(name))) {
    const copy = await connectDatabase({ dataDir: path.dirname(backup.databasePath), sqliteFile: path.basename(backup.databasePath) })
    try {
      const boot = await bootstrap(createServices(copy, config), { admin: { email: undefined, password: undefined } })
      if (boot.firstAdmin) printFirstAdmin(boot.firstAdmin, io.err)
    } finally {
      await copy.close()
    }
  }
  const source = new SQLiteDb(backup.databasePath)
  try {
    source.pragma('journal_mode = DELETE')
    // SQLite will not copy into a WAL database of another page size; a copy from another machine may differ.
    if (before && source.pragma('page_size', { simple: true }) !== before.pageSize) {
      source.pragma(`page_size = ${before.pageSize}`)
      source.exec('VACUUM')
    }
    const after = await factsOf(source)

    // Files first: from here on every row the live database holds refers to a file that is there.
    const store = createFileStore(config.files)
    let put = 0
    let present = 0
    try {
      for (const f of backup.files) {
        if (await holds(store, f.key, f.sha256)) {
          present++
        } else {
          await store.put(f.key, await fs.promises.readFile(f.localPath), f.mediaType)
          put++
        }
      }
    } finally {
      if ('close' in store && typeof store.close === 'function') (store.close as () => void)()
    }

    fs.mkdirSync(path.dirname(livePath), { recursive: true })
    // The backup API writes the whole database in one transaction under the live file's own locks:
    // readers keep their snapshot until it commits, then see the restored data (and schema).
    // better-sqlite3 reports a write lock held elsewhere as "no pages", so that is retried.
    const deadline = Date.now() + LOCK_WAIT_MS
    for (;;) {
      const progress = await source.backup(livePath, { progress: () => ALL_PAGES })
      if (progress.totalPages > 0 && progress.remainingPages === 0) break
      if (Date.now() > deadline) {
        throw new Error(`another connection kept the write lock on ${livePath} for ${LOCK_WAIT_MS / 1000} seconds: the database was not restored (the backup's ${put} stored files were put back, which is harmless); try again`)
      }
      await new Promise((resolve) => setTimeout(resolve, 100))
    }

    const where = config.files.s3 ? `S3 bucket ${config.files.s3.bucket}` : config.files.dir
    const lines = [`Restored ${ctx.made} from ${ctx.from} into the SQLite database ${livePath}.`]
    if (before) {
      const changed = [...after.own].filter((t) => before.tables[t] !== after.tables[t])
        .map((t) => `${t} ${count(before.tables[t] ?? 0)} -> ${count(after.tables[t] ?? 0)}`)
      lines.push(`Replaced ${count(total(before.tables, before.own))} rows in ${before.own.size} tables with ${count(total(after.tables, after.own))} rows${changed.length ? `; rows by table, before -> after: ${changed.join(', ')}` : ''}.`)
    }
    lines.push(`Stored files: ${put} put back, ${present} already in place (${where}).`)
    if (backup.manifest.missingFiles.length) lines.push(`${backup.manifest.missingFiles.length} stored files were already missing when the backup was made: ${backup.manifest.missingFiles.map((f) => `${f.key} (${f.source})`).join(', ')}.`)
    if (before) {
      const left = [...before.fileKeys].filter((k) => !after.fileKeys.has(k)).length
      if (left) lines.push(`${left} stored files added since the backup are no longer referenced; they were left in the file store.`)
      const again = [...before.sentMail].filter((id) => after.waitingMail.has(id)).length
      if (again) lines.push(`${again} e-mails sent since the backup are waiting in the outbox again, and will be sent again.`)
      lines.push('Sign-ins and API tokens made since the backup no longer work.')
    }
    io.out(lines.join('\n'))
    return 0
  } finally {
    source.close()
  }
}

/** What the live database holds now, read without changing it. */
async function readDatabase(file: string): Promise<DatabaseFacts> {
  const { default: SQLiteDb } = await import('better-sqlite3')
  const db = new SQLiteDb(file, { fileMustExist: true })
  try {
    db.pragma('busy_timeout = 5000')
    return await factsOf(db)
  } finally {
    db.close()
  }
}

async function factsOf(db: SQLite.Database): Promise<DatabaseFacts> {
  const [archive, { storedFileRefs }] = await Promise.all([import('./backup-archive.ts'), import('../storage/stored-files.ts')])
  const tables = archive.tableCounts(db)
  const own = archive.ownTables(db)
  // A database from before the evidence or letters migrations has no stored files to speak of.
  const fileKeys = new Set(tables.evidence_file !== undefined && tables.letter_file !== undefined
    ? (await storedFileRefs(archive.kyselyOver(db))).map((r) => r.key)
    : [])
  const mail = tables.outbox !== undefined ? db.prepare('SELECT id, sent_at FROM outbox').all() as Array<{ id: number; sent_at: string | null }> : []
  const sentMail = new Set(mail.filter((r) => r.sent_at !== null).map((r) => r.id))
  const waitingMail = new Set(mail.filter((r) => r.sent_at === null).map((r) => r.id))
  return { tables, own, fileKeys, sentMail, waitingMail, pageSize: db.pragma('page_size', { simple: true }) as number }
}

/** Whether the store already has this file with these bytes (then it is not written again: S3 versioning stays quiet). */
async function holds(store: FileStore, key: string, sha256: string): Promise<boolean> {
  let stream
  try {
    stream = await store.get(key)
  } catch (e) {
    if ((e as { code?: string }).code === 'not_found') return false
    throw e
  }
  const hash = createHash('sha256')
  for await (const chunk of stream as AsyncIterable<Buffer>) hash.update(chunk)
  return hash.digest('hex') === sha256
}

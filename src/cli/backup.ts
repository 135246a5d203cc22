import fs from 'node:fs'
import path from 'node:path'
import { loadConfig } from '../config.ts'
import { defineCommand, UsageError } from './command.ts'
import { withServices } from './context.ts'
import type { BackupManifest } from './backup-archive.ts'
import type { StoredFileRef } from '../storage/stored-files.ts'

/** better-sqlite3 copies 100 pages a step and restarts when another process writes in between; this makes it one step, one read. */
export const ALL_PAGES = 0x7fffffff

export const backup = defineCommand({
  name: 'backup',
  summary: 'Write the SQLite database and every stored file to one archive, safely, even while the server is running.',
  details: [
    'The archive (gzip-compressed tar) holds a consistent copy of the database made with SQLite\'s online backup, every stored file the copy refers to (read from the local folder or S3, as the server does), and a manifest: the backup format, Cyswllt\'s version, when it was made, the last migration, each file\'s SHA-256 and size, and the rows in every table. Writes carry on while it runs; the copy is the database as it was at one moment. It is written beside FILE first and moved into place at the end, so a failed backup never leaves a half-written file. "cyswllt restore --from FILE" puts it back.',
    'On PostgreSQL use pg_dump instead; this command says how.',
  ],
  options: {
    out: { type: 'string', value: 'FILE', help: 'Where to write the backup.', required: true },
    force: { type: 'boolean', help: 'Replace FILE if it already exists.' },
  },
  examples: ['cyswllt backup --out /var/backups/cyswllt-$(date +%F).tar.gz'],
  async run(values, io) {
    const out = path.resolve(values.out)
    if (!values.force && fs.existsSync(out)) throw new UsageError(`${out} already exists: choose another file, or add --force to replace it`)
    if (!fs.existsSync(path.dirname(out))) throw new UsageError(`the folder ${path.dirname(out)} does not exist`)
    if (loadConfig().databaseUrl) {
      io.err([
        'backup: this installation keeps its data in PostgreSQL (DATABASE_URL); back it up with PostgreSQL\'s own pg_dump, for example:',
        `  pg_dump --format=custom --file=${JSON.stringify(out)} "$DATABASE_URL"`,
        'and restore it with pg_restore. Stored files are in S3 (S3_BUCKET): keep them with the bucket\'s versioning or replication. See docs/operations.md.',
      ].join('\n'))
      return 2
    }
    return withServices(io, async (services, config) => {
      const [{ sqliteHandle }, { default: SQLite }, archive, { storedFileRefs }] = await Promise.all([
        import('../db/connect.ts'), import('better-sqlite3'), import('./backup-archive.ts'), import('../storage/stored-files.ts'),
      ])
      const handle = sqliteHandle(services.database)
      if (!handle) throw new Error('no SQLite handle on a SQLite database')
      const partial = path.join(path.dirname(out), `.${path.basename(out)}.${process.pid}.partial`)
      const stage = `${partial}.d`
      const files = services.files
      try {
        fs.mkdirSync(path.join(stage, archive.FILES_ENTRY), { recursive: true })
        const databaseCopy = path.join(stage, archive.DATABASE_ENTRY)
        await handle.backup(databaseCopy, { progress: () => ALL_PAGES })
        // The copy inherits WAL mode, which would make it grow -wal/-shm files beside it when opened.
        // A backup should be one self-contained file, so it is switched to a rollback journal.
        const copy = new SQLite(databaseCopy)
        let facts: { refs: StoredFileRef[]; tables: Record<string, number>; migration: string | undefined }
        try {
          copy.pragma('journal_mode = DELETE')
          // The files are those the copy refers to, so the archive is consistent whatever was uploaded since.
          const refs = await storedFileRefs(archive.kyselyOver(copy))
          facts = { refs, tables: archive.tableCounts(copy), migration: archive.appliedMigrations(copy).at(-1) }
        } finally {
          copy.close()
        }
        const entries: BackupManifest['files'] = []
        const missingFiles: BackupManifest['missingFiles'] = []
        for (const ref of facts.refs) {
          let stream
          try {
            stream = await files.get(ref.key)
          } catch (e) {
            if ((e as { code?: string }).code !== 'not_found') throw e
            missingFiles.push({ key: ref.key, source: ref.source })
            continue
          }
          const entry = `${archive.FILES_ENTRY}/${ref.key}`
          entries.push({ key: ref.key, path: entry, mediaType: ref.mediaType, ...await archive.copyHashed(stream, path.join(stage, entry)) })
        }
        await archive.writeManifest(stage, {
          format: archive.BACKUP_FORMAT,
          formatVersion: archive.BACKUP_FORMAT_VERSION,
          appVersion: archive.appVersion(),
          createdAt: new Date().toISOString(),
          engine: 'sqlite',
          migration: facts.migration ?? '',
          fileStore: files.kind,
          database: { path: archive.DATABASE_ENTRY, ...await archive.hashFile(databaseCopy) },
          files: entries,
          missingFiles,
          tables: facts.tables,
        })
        await archive.packArchive(stage, partial)
        if (!values.force && fs.existsSync(out)) throw new UsageError(`${out} appeared while the backup ran: nothing was replaced`)
        fs.renameSync(partial, out)
        const bytes = entries.reduce((sum, e) => sum + e.size, 0)
        const where = files.kind === 's3' ? `S3 bucket ${config.files.s3?.bucket}` : config.files.dir
        io.out(`Backed up the SQLite database in ${config.dataDir} (migration ${facts.migration}) and ${entries.length} stored files (${bytes} bytes, from ${where}) to ${out}.`)
        if (missingFiles.length) {
          io.err(`backup: the database refers to ${missingFiles.length} stored files the file store does not have (${missingFiles.slice(0, 5).map((m) => `${m.key} for ${m.source}`).join(', ')}); they are listed as missing in the backup. Everything else was backed up.`)
          return 1
        }
        return 0
      } finally {
        for (const f of [partial, stage]) fs.rmSync(f, { recursive: true, force: true })
        // The S3 client keeps sockets open; closing it lets the command end at once.
        if ('close' in files && typeof files.close === 'function') (files.close as () => void)()
      }
    })
  },
})

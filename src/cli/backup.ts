import fs from 'node:fs'
import path from 'node:path'
import { loadConfig } from '../config.ts'
import { defineCommand, UsageError } from './command.ts'
import { withServices } from './context.ts'

export const backup = defineCommand({
  name: 'backup',
  summary: 'Copy the SQLite database to a file, safely, even while the server is running.',
  details: [
    'Uses SQLite\'s online backup, so the copy is consistent without stopping the server. It is written beside the target first and moved into place at the end, so a failed backup never leaves a half-written file.',
    'On PostgreSQL use pg_dump instead; this command says how.',
  ],
  options: {
    out: { type: 'string', value: 'FILE', help: 'Where to write the backup.', required: true },
    force: { type: 'boolean', help: 'Replace FILE if it already exists.' },
  },
  examples: ['cyswllt backup --out /var/backups/cyswllt-$(date +%F).sqlite'],
  async run(values, io) {
    const out = path.resolve(values.out)
    if (!values.force && fs.existsSync(out)) throw new UsageError(`${out} already exists: choose another file, or add --force to replace it`)
    if (!fs.existsSync(path.dirname(out))) throw new UsageError(`the folder ${path.dirname(out)} does not exist`)
    if (loadConfig().databaseUrl) {
      io.err([
        'backup: this installation keeps its data in PostgreSQL (DATABASE_URL); back it up with PostgreSQL\'s own pg_dump, for example:',
        `  pg_dump --format=custom --file=${JSON.stringify(out)} "$DATABASE_URL"`,
        'and restore it with pg_restore.',
      ].join('\n'))
      return 2
    }
    return withServices(io, async (services, config) => {
      const { sqliteHandle } = await import('../db/connect.ts')
      const handle = sqliteHandle(services.database)
      if (!handle) throw new Error('no SQLite handle on a SQLite database')
      const partial = path.join(path.dirname(out), `.${path.basename(out)}.${process.pid}.partial`)
      try {
        await handle.backup(partial)
        // The copy inherits WAL mode, which would make it grow -wal/-shm files beside it when opened.
        // A backup should be one self-contained file, so it is switched to a rollback journal.
        const { default: SQLite } = await import('better-sqlite3')
        const copy = new SQLite(partial)
        try {
          copy.pragma('journal_mode = DELETE')
        } finally {
          copy.close()
        }
        if (!values.force && fs.existsSync(out)) throw new UsageError(`${out} appeared while the backup ran: nothing was replaced`)
        fs.renameSync(partial, out)
      } finally {
        for (const f of [partial, `${partial}-wal`, `${partial}-shm`, `${partial}-journal`]) fs.rmSync(f, { force: true })
      }
      io.out(`Backed up the SQLite database in ${config.dataDir} to ${out}.`)
      return 0
    })
  },
})

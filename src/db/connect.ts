import fs from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import pg from 'pg'
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely'
import type { Database } from './database.ts'
import type { DB } from './schema.ts'

// COUNT(*) and other int8 results arrive as strings by default; every count here fits a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v))

export interface ConnectOptions {
  dataDir: string
  databaseUrl?: string | undefined
  /** PostgreSQL only: work inside this schema (tests give each file its own). */
  pgSchema?: string
  /** SQLite only: the file name under dataDir, or ':memory:'. */
  sqliteFile?: string
}

export async function connectDatabase(opts: ConnectOptions): Promise<Database> {
  if (opts.databaseUrl) return connectPostgres(opts.databaseUrl, opts.pgSchema)
  return connectSqlite(opts.dataDir, opts.sqliteFile ?? 'cyswllt.sqlite')
}

function connectSqlite(dataDir: string, file: string): Database {
  let filename = file
  if (file !== ':memory:') {
    fs.mkdirSync(dataDir, { recursive: true })
    filename = path.join(dataDir, file)
  }
  const sqlite = new SQLite(filename)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('foreign_keys = ON')
  // Another process (the CLI while the server runs) may hold the write lock briefly.
  sqlite.pragma('busy_timeout = 5000')
  // With WAL, a commit is durable across a crash of the process (test/cluster/crash-safety.test.ts);
  // only a power cut or OS crash may lose the last commits, never corrupt the file.
  sqlite.pragma('synchronous = NORMAL')
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) })
  return { engine: 'sqlite', db, close: () => db.destroy(), sqlite } as Database & { sqlite: SQLite.Database }
}

/**
 * Kysely prepares every query afresh; the same few hundred SQL strings repeat, so keep their
 * prepared statements. Safe because Kysely runs one SQLite query at a time on this connection.
 */
function withStatementCache(sqlite: SQLite.Database, size = 500) {
  const cache = new Map<string, SQLite.Statement>()
  return {
    close: () => { cache.clear(); sqlite.close() },
    prepare: (text: string) => {
      // Kysely opens transactions with a deferred BEGIN: the first write then fails at once with
      // SQLITE_BUSY, without waiting, if another process (a `cyswllt` command) wrote since the
      // transaction's first read. IMMEDIATE takes the write lock up front, waiting under busy_timeout.
      const sql = text === 'begin' ? 'begin immediate' : text
      let statement = cache.get(sql)
      if (statement) {
        cache.delete(sql) // re-inserted below: the map's order is least recently used first
      } else {
        statement = sqlite.prepare(sql)
        if (cache.size >= size) cache.delete(cache.keys().next().value!)
      }
      cache.set(sql, statement)
      return statement
    },
  }
}

async function connectPostgres(url: string, schema: string | undefined): Promise<Database> {
  if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`)
  if (schema) {
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
    } finally {
      await admin.end()
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  })
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
  return { engine: 'postgres', db, close: () => db.destroy(), ...(schema ? { schema } : {}) }
}

/** The raw better-sqlite3 handle, for the online backup; undefined on PostgreSQL. */
export function sqliteHandle(database: Database): SQLite.Database | undefined {
  return (database as Database & { sqlite?: SQLite.Database }).sqlite
}

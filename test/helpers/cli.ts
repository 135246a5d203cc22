import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const BIN = path.join(ROOT, 'bin', 'cyswllt.mjs')
/** A spawned command starts tsx from cold; the test machine may be busy. */
export const SLOW = 90_000

export interface CliResult { code: number | null; stdout: string; stderr: string }

/** Runs the real `cyswllt` command (`node bin/cyswllt.mjs ...args`) with only the environment given, as an operator would. */
export function cyswllt(args: string[], env: Record<string, string>, input = ''): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.homedir(), TMPDIR: os.tmpdir(), NODE_ENV: 'test', ...env },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString() })
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
    child.stdin.end(input)
  })
}

/**
 * A database of its own for commands run in a test: a SQLite folder, or on PostgreSQL a new
 * database (DATABASE_URL cannot carry a search_path, so a schema of the shared one will not do).
 * `create()` before the first command; `drop()` in afterAll.
 */
export function commandDatabase(engine: { url?: string }, prefix: string, dataDir: string) {
  const dbName = `${prefix}_${randomBytes(6).toString('hex')}`
  const url = engine.url ? new URL(engine.url) : undefined
  if (url) url.pathname = `/${dbName}`
  const admin = async (query: string) => {
    const client = new pg.Client({ connectionString: engine.url! })
    await client.connect()
    try { await client.query(query) } finally { await client.end() }
  }
  return {
    env: { DATA_DIR: dataDir, ...(url ? { DATABASE_URL: url.toString() } : {}) } as Record<string, string>,
    async create(): Promise<void> { if (url) await admin(`CREATE DATABASE ${dbName}`) },
    async drop(): Promise<void> { if (url) await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`) },
  }
}

import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import * as tar from 'tar'
import { DeleteObjectCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { afterAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../config.ts'
import { connectDatabase } from '../db/connect.ts'
import { migrateToLatest } from '../db/migrate.ts'
import { createServices, type Services } from '../services.ts'
import { bootstrap } from '../bootstrap.ts'
import { systemActor } from '../modules/auth/actor.ts'
import { STORED_FILE_COLUMNS, storedFileRefs } from '../storage/stored-files.ts'
import { cyswllt, SLOW } from '../../test/helpers/cli.ts'
import { startS3TestServer } from '../../test/helpers/s3-server.ts'

const system = systemActor('test')
const dirs: string[] = []
function freshDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cyswllt-backup-'))
  dirs.push(dir)
  return dir
}
afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }) })

/** Every table of a SQLite file (from sqlite_master), rows sorted. */
function dump(file: string): Record<string, string[]> {
  const db = new SQLite(file, { readonly: true, fileMustExist: true })
  try {
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all() as string[]
    return Object.fromEntries(tables.map((t) => [t, (db.prepare(`SELECT * FROM "${t}"`).all() as unknown[])
      .map((r) => JSON.stringify(r, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : v))).sort()]))
  } finally {
    db.close()
  }
}

/** The database the command will use, opened here as a server would; an ELV with one uploaded file. */
async function withData(env: Record<string, string>, bytes: Buffer): Promise<{ services: Services; close(): Promise<void>; evidenceId: number; key: string }> {
  const config = loadConfig({ NODE_ENV: 'test', ...env })
  const database = await connectDatabase(config)
  const services = createServices(database, config)
  await bootstrap(services, config)
  const elv = await services.visits.create(system, { authority: 'W06000011', term: '2027-2028/autumn' })
  const item = await services.evidence.create(system, elv.id, { kind: 'authority_document', source: 'The authority', gatheredOn: '2026-11-01' }, [{ fileName: 'strategy.txt', data: bytes }])
  const [ref] = await storedFileRefs(database.db)
  return { services, close: () => database.close(), evidenceId: item.id, key: ref!.key }
}

describe('what a backup holds', () => {
  it('reads every column that names a stored file', async () => {
    // A table that gains a storage key must be added to storedFileRefs, or backups would miss its files.
    const database = await connectDatabase({ dataDir: freshDir(), sqliteFile: ':memory:' })
    try {
      await migrateToLatest(database)
      const sqlite = (database as unknown as { sqlite: SQLite.Database }).sqlite
      const tables = sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'`).pluck().all() as string[]
      const columns = tables.flatMap((t) => (sqlite.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(t) as string[]).map((c) => `${t}.${c}`))
      const naming = columns.filter((c) => /storage_key|attachments|file_key|object_key/.test(c))
      expect(naming.sort()).toEqual([...STORED_FILE_COLUMNS].sort())
    } finally {
      await database.close()
    }
  })
})

describe('cyswllt backup and restore', () => {
  it('waits for a write lock held elsewhere instead of reporting a restore that did not happen', { timeout: SLOW * 2 }, async () => {
    const env = { DATA_DIR: path.join(freshDir(), 'data') }
    const bytes = Buffer.from('The authority\'s strategy for attendance\n'.repeat(100))
    const data = await withData(env, bytes)
    const out = path.join(freshDir(), 'b.tar.gz')
    try {
      const made = await cyswllt(['backup', '--out', out], env)
      expect(made.code, made.stderr).toBe(0)
      const snapshotDir = freshDir()
      await tar.extract({ file: out, cwd: snapshotDir })
      const snapshot = dump(path.join(snapshotDir, 'database.sqlite'))

      await data.services.database.db.updateTable('evidence').set({ title: 'Changed since' }).where('id', '=', data.evidenceId).execute()
      const stored = path.join(loadConfig({ NODE_ENV: 'test', ...env }).files.dir, data.key.slice(0, 2), data.key)
      fs.rmSync(stored)
      // Another connection (a server's write in progress) holds the write lock while the restore reaches the database.
      const other = new SQLite(path.join(env.DATA_DIR, 'cyswllt.sqlite'))
      other.exec('BEGIN IMMEDIATE')
      const restoring = cyswllt(['restore', '--from', out, '--force'], env)
      let released = false
      try {
        // The files are put back just before the database: once the file is there, the restore is waiting.
        const deadline = Date.now() + SLOW
        while (!fs.existsSync(stored) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
        expect(fs.existsSync(stored)).toBe(true)
        await new Promise((r) => setTimeout(r, 1500))
        other.exec('ROLLBACK')
        released = true
      } finally {
        if (!released) other.exec('ROLLBACK')
        other.close()
      }
      const res = await restoring
      expect(res.code, res.stderr).toBe(0)
      expect(res.stdout).toContain('Stored files: 1 put back, 0 already in place')
      expect(dump(path.join(env.DATA_DIR, 'cyswllt.sqlite'))).toEqual(snapshot)
      expect(createHash('sha256').update(fs.readFileSync(stored)).digest('hex')).toBe(createHash('sha256').update(bytes).digest('hex'))
      expect((await data.services.evidence.get(system, data.evidenceId)).title).toBe('strategy.txt')
    } finally {
      await data.close()
    }
  })

  it('keeps the files of S3, and restores database and files onto a new machine', { timeout: SLOW * 2 }, async () => {
    const s3 = await startS3TestServer()
    const client = new S3Client({ endpoint: s3.endpoint, region: 'eu-west-2', forcePathStyle: true, credentials: { accessKeyId: s3.env.S3_ACCESS_KEY_ID!, secretAccessKey: s3.env.S3_SECRET_ACCESS_KEY! } })
    try {
      const env = { DATA_DIR: path.join(freshDir(), 'data'), ...s3.env }
      const data = await withData(env, Buffer.from('Cofnodion — minutes of the meeting with the director: ŵ ŷ\n'.repeat(200)))
      await data.close()
      const original = Buffer.from(await (await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: data.key }))).Body!.transformToByteArray())
      const out = path.join(freshDir(), 'b.tar.gz')
      const made = await cyswllt(['backup', '--out', out], env)
      expect(made.code, made.stderr).toBe(0)
      expect(made.stdout).toContain(`and 1 stored files (${original.length} bytes, from S3 bucket ${s3.bucket})`)
      const snapshotDir = freshDir()
      await tar.extract({ file: out, cwd: snapshotDir })
      expect(fs.readFileSync(path.join(snapshotDir, 'files', data.key)).equals(original)).toBe(true)
      const manifest = JSON.parse(fs.readFileSync(path.join(snapshotDir, 'manifest.json'), 'utf8'))
      expect(manifest).toMatchObject({ fileStore: 's3', files: [{ key: data.key, mediaType: expect.stringMatching(/^text\/plain/) }] })

      // The object is lost, and the machine with it: restore into a DATA_DIR that does not exist yet.
      await client.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: data.key }))
      expect(await s3.keys()).toEqual([])
      const newMachine = { ...env, DATA_DIR: path.join(freshDir(), 'new-data') }
      const res = await cyswllt(['restore', '--from', out, '--force'], newMachine)
      expect(res.code, res.stderr).toBe(0)
      expect(res.stdout).toContain(`Stored files: 1 put back, 0 already in place (S3 bucket ${s3.bucket}).`)
      expect(res.stdout).not.toContain('Replaced')
      expect(await s3.keys()).toEqual([data.key])
      const back = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: data.key }))
      expect(back.ContentType).toBe(manifest.files[0].mediaType)
      expect(Buffer.from(await back.Body!.transformToByteArray()).equals(original)).toBe(true)
      expect(dump(path.join(newMachine.DATA_DIR, 'cyswllt.sqlite'))).toEqual(dump(path.join(snapshotDir, 'database.sqlite')))
    } finally {
      client.destroy()
      await s3.close()
    }
  })
})

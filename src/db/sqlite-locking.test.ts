import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { connectDatabase } from './connect.ts'
import { migrateToLatest } from './migrate.ts'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cyswllt-locking-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

describe('SQLite shared by the server and a command', () => {
  it('a transaction that reads and then writes is not failed by another process writing in between', async () => {
    const database = await connectDatabase({ dataDir: dir })
    const other = new SQLite(path.join(dir, 'cyswllt.sqlite'))
    try {
      await migrateToLatest(database)
      other.pragma('busy_timeout = 0')
      let otherWrote: boolean | undefined
      await database.db.transaction().execute(async (trx) => {
        await trx.selectFrom('app_setting').selectAll().execute()
        // Another connection (a `cyswllt` command) writes now. With a deferred BEGIN it would get in,
        // and this transaction's own write below would fail at once with SQLITE_BUSY.
        try {
          other.prepare(`INSERT INTO app_setting (key, value, updated_at) VALUES ('other', '1', '2026-01-01T00:00:00.000Z')`).run()
          otherWrote = true
        } catch (e) {
          expect((e as { code?: string }).code).toBe('SQLITE_BUSY')
          otherWrote = false
        }
        await trx.insertInto('app_setting').values({ key: 'mine', value: '1', updated_at: '2026-01-01T00:00:00.000Z' }).execute()
      })
      expect(otherWrote).toBe(false)
      expect((await database.db.selectFrom('app_setting').select('key').execute()).map((r) => r.key)).toEqual(['mine'])
    } finally {
      other.close()
      await database.close()
    }
  })
})

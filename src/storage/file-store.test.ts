import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { randomUUID } from 'node:crypto'
import { buffer } from 'node:stream/consumers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../config.ts'
import { createFileStore } from '../modules/documents/attachments.service.ts'
import type { FileStore } from './file-store.ts'
import { LocalFileStore } from './local-file-store.ts'
import type { S3FileStore } from './s3-file-store.ts'
import { startS3TestServer, type S3TestServer } from '../../test/helpers/s3-server.ts'

/** What every store must do, the same way. */
function behavesAsAStore(store: () => FileStore) {
  it('keeps bytes under a key, streams them back and deletes them (twice without error)', async () => {
    const key = randomUUID()
    const data = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(256 * 1024, 7)])
    await store().put(key, data, 'application/pdf')
    expect((await buffer(await store().get(key))).equals(data)).toBe(true)
    await store().delete(key)
    await store().delete(key)
    await expect(store().get(key)).rejects.toMatchObject({ code: 'not_found', status: 404 })
  })

  it('answers not_found for a key never stored', async () => {
    await expect(store().get(randomUUID())).rejects.toMatchObject({ code: 'not_found' })
  })

  it('refuses keys that are not its own (a path, capitals, dots)', async () => {
    for (const key of ['../x', 'a/b', 'ABC', '.hidden', '', 'x'.repeat(200)]) {
      await expect(store().put(key, Buffer.from('x'), 'text/plain'), key).rejects.toThrow(/not a storage key/)
      await expect(store().get(key), key).rejects.toThrow(/not a storage key/)
    }
  })
}

describe('the local directory store', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cyswllt-store-'))
  const store: FileStore = new LocalFileStore(dir)
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))
  behavesAsAStore(() => store)

  it('writes nothing outside its directory, and no partial file', async () => {
    const key = randomUUID()
    await store.put(key, Buffer.from('hello'), 'text/plain')
    const files = fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => !e.isDirectory())
    expect(files.map((e) => path.relative(dir, path.join(e.parentPath, e.name)))).toEqual([path.join(key.slice(0, 2), key)])
    await store.delete(key)
  })
})

describe('the S3 store against a real S3-protocol server', () => {
  let s3: S3TestServer
  let store: S3FileStore
  beforeAll(async () => {
    s3 = await startS3TestServer()
    store = createFileStore(loadConfig({ NODE_ENV: 'test', ...s3.env }).files) as S3FileStore
  })
  afterAll(async () => {
    store?.close()
    await s3?.close()
  })

  it('is the store the configuration picks when S3_BUCKET is set', () => {
    expect(store.kind).toBe('s3')
    expect(createFileStore(loadConfig({ NODE_ENV: 'test' }).files).kind).toBe('local')
  })

  behavesAsAStore(() => store)

  it('stores the object under its key in the bucket, with its media type', async () => {
    const key = randomUUID()
    await store.put(key, Buffer.from('Minutes'), 'text/plain')
    expect(await s3.keys()).toContain(key)
    const res = await fetch(`${s3.endpoint}/${s3.bucket}/${key}`)
    // s3rver serves objects without a signature check on GET; the stored type is what matters.
    expect(res.headers.get('content-type')).toBe('text/plain')
    await store.delete(key)
    expect(await s3.keys()).not.toContain(key)
  })
})

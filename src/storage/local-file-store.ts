import fs from 'node:fs'
import fsp from 'node:fs/promises'
import path from 'node:path'
import type { Readable } from 'node:stream'
import { notFound } from '../http/errors.ts'
import { checkStorageKey, type FileStore } from './file-store.ts'

/** Files in a local directory, one per key. Keys are checked so no key can name a path outside it. */
export class LocalFileStore implements FileStore {
  readonly kind = 'local' as const
  constructor(private readonly dir: string) {}

  private pathOf(key: string): string {
    checkStorageKey(key)
    return path.join(this.dir, key.slice(0, 2), key)
  }

  async put(key: string, data: Buffer): Promise<void> {
    const target = this.pathOf(key)
    await fsp.mkdir(path.dirname(target), { recursive: true })
    // Write then rename, so a reader never sees half a file.
    const partial = `${target}.partial`
    try {
      await fsp.writeFile(partial, data, { flag: 'wx' })
      await fsp.rename(partial, target)
    } catch (e) {
      // A full disk must not leave half a file behind.
      await fsp.rm(partial, { force: true })
      throw e
    }
  }

  async get(key: string): Promise<Readable> {
    const target = this.pathOf(key)
    try {
      await fsp.access(target)
    } catch {
      throw notFound('file')
    }
    return fs.createReadStream(target)
  }

  async delete(key: string): Promise<void> {
    await fsp.rm(this.pathOf(key), { force: true })
  }
}

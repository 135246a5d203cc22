import { createHash, randomUUID } from 'node:crypto'
import type { Readable } from 'node:stream'
import type { Config } from '../../config.ts'
import type { FileStore } from '../../storage/file-store.ts'
import { LocalFileStore } from '../../storage/local-file-store.ts'
import type { Attachments, PreparedFile, Upload } from '../evidence/attachments.ts'

/** The file store the configuration names: S3-compatible when a bucket is set, a local directory otherwise. */
export function createFileStore(files: Config['files']): FileStore {
  return new LocalFileStore(files.dir)
}

/** Checks, stores and reads uploaded files for the evidence log. */
export class FileAttachments implements Attachments {
  constructor(private readonly store: FileStore, readonly maxBytes: number) {}

  async prepare(upload: Upload): Promise<PreparedFile> {
    const storageKey = randomUUID()
    await this.store.put(storageKey, upload.data, 'application/octet-stream')
    return {
      storageKey, fileName: upload.fileName, mediaType: 'application/octet-stream', sizeBytes: upload.data.length,
      sha256: createHash('sha256').update(upload.data).digest('hex'), extractedText: null,
    }
  }

  discard(file: Pick<PreparedFile, 'storageKey'>): Promise<void> {
    return this.store.delete(file.storageKey)
  }

  open(storageKey: string): Promise<Readable> {
    return this.store.get(storageKey)
  }
}

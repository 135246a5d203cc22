import type { Readable } from 'node:stream'

/**
 * Where uploaded files' bytes live: a local directory by default, S3-compatible object storage
 * when `S3_BUCKET` is set. Keys are made by the app (random), never from a file's own name.
 */
export interface FileStore {
  readonly kind: 'local' | 's3'
  put(key: string, data: Buffer, mediaType: string): Promise<void>
  /** The bytes of a stored file; rejects with a `not_found` AppError when there is none. */
  get(key: string): Promise<Readable>
  /** Removes a file; no error when it is already gone. */
  delete(key: string): Promise<void>
}

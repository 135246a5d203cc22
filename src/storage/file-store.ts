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

const SAFE_KEY = /^[a-z0-9][a-z0-9-]{0,127}$/

/**
 * Refuses anything but the app's own keys (lower-case letters, digits, hyphens), so no key can
 * name a path outside the store's directory or another bucket prefix, whatever a caller passes.
 */
export function checkStorageKey(key: string): string {
  if (!SAFE_KEY.test(key)) throw new Error(`not a storage key: ${JSON.stringify(key)}`)
  return key
}

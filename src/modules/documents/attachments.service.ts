import { createHash, randomUUID } from 'node:crypto'
import type { Readable } from 'node:stream'
import type { Config } from '../../config.ts'
import { AppError } from '../../http/errors.ts'
import type { FileStore } from '../../storage/file-store.ts'
import { LocalFileStore } from '../../storage/local-file-store.ts'
import { S3FileStore } from '../../storage/s3-file-store.ts'
import type { Attachments, PreparedFile, Upload } from '../evidence/attachments.ts'
import { cleanFileName } from './file-names.ts'
import { ALLOWED_NAMES, detectMediaType } from './file-types.ts'
import { extractText } from './text-extraction.ts'

/** The file store the configuration names: S3-compatible when a bucket is set, a local directory otherwise. */
export function createFileStore(files: Config['files']): FileStore {
  return files.s3 ? new S3FileStore(files.s3) : new LocalFileStore(files.dir)
}

/** "50 MB": the limit as people read it. */
export const megabytes = (bytes: number) => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`

export const tooLarge = (maxBytes: number) => new AppError('payload_too_large', `The file is larger than the limit of ${megabytes(maxBytes)}: nothing was saved.`, [
  { path: 'file', messageKey: 'documents.error.tooLarge', params: { max: megabytes(maxBytes) } },
])

export const unsupportedType = (fileName: string) => new AppError('unsupported_media_type', `The content of "${fileName}" is not a file type that can be kept here (by its content, whatever its name says). Allowed: ${ALLOWED_NAMES}. Nothing was saved.`, [
  { path: 'file', messageKey: 'documents.error.type', params: { name: fileName, allowed: ALLOWED_NAMES } },
])

const emptyFile = (fileName: string) => new AppError('validation_failed', `"${fileName}" is empty: nothing was saved.`, [
  { path: 'file', messageKey: 'documents.error.empty', params: { name: fileName } },
])

/** Checks, stores and reads uploaded files for the evidence log. */
export class FileAttachments implements Attachments {
  constructor(private readonly store: FileStore, readonly maxBytes: number) {}

  /**
   * Every check first (size, then the type from the content), then the text for search, and only
   * then the bytes stored under a new random key: a refused file leaves nothing behind.
   */
  async prepare(upload: Upload): Promise<PreparedFile> {
    const fileName = cleanFileName(upload.fileName)
    const { data } = upload
    if (data.length > this.maxBytes) throw tooLarge(this.maxBytes)
    if (data.length === 0) throw emptyFile(fileName)
    const mediaType = await detectMediaType(data)
    if (!mediaType) throw unsupportedType(fileName)
    const extractedText = await extractText(mediaType, data)
    const sha256 = createHash('sha256').update(data).digest('hex')
    const storageKey = randomUUID()
    await this.store.put(storageKey, data, mediaType)
    return { storageKey, fileName, mediaType, sizeBytes: data.length, sha256, extractedText }
  }

  discard(file: Pick<PreparedFile, 'storageKey'>): Promise<void> {
    return this.store.delete(file.storageKey)
  }

  open(storageKey: string): Promise<Readable> {
    return this.store.get(storageKey)
  }
}

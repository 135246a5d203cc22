import type { Readable } from 'node:stream'

/** A file as it arrived: its name as the sender gave it (display only) and its bytes. */
export interface Upload {
  fileName: string
  data: Buffer
}

/** A file checked, stored and read, ready for its `evidence_file` row. */
export interface PreparedFile {
  storageKey: string
  /** Cleaned for display and Content-Disposition; never a path. */
  fileName: string
  /** Detected from the content. */
  mediaType: string
  sizeBytes: number
  sha256: string
  /** Text from PDF, DOCX and plain text files, for search; null for the rest. */
  extractedText: string | null
}

/**
 * What the evidence log needs from file handling. `prepare` refuses a file over the size limit
 * (413 `payload_too_large`) or whose content is not an allowed type (415 `unsupported_media_type`)
 * before storing anything; `discard` removes a stored file when the record that would have held it
 * was not saved, so nothing is left behind.
 */
export interface Attachments {
  readonly maxBytes: number
  prepare(upload: Upload): Promise<PreparedFile>
  discard(file: Pick<PreparedFile, 'storageKey'>): Promise<void>
  open(storageKey: string): Promise<Readable>
}

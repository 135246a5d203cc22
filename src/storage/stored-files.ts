import type { Db } from '../db/database.ts'
import type { MailAttachment } from '../modules/mail/outbox.repository.ts'
import { MEDIA_TYPES } from '../modules/letter-issue/letter-issue.service.ts'

/** A file in the file store that a row of the database refers to. */
export interface StoredFileRef {
  key: string
  mediaType: string
  /** The row that refers to it, e.g. `evidence_file 12`, for messages about a missing file. */
  source: string
}

/**
 * Every stored file the database refers to, one entry per key (a letter's PDF is also attached to
 * the director's e-mail). Backups read the file store through these rows, so it works the same for
 * a local folder and for S3; a table that gains a storage key must be added here (a test checks
 * every `storage_key` column of the schema is).
 */
export async function storedFileRefs(db: Db): Promise<StoredFileRef[]> {
  const [evidence, letters, outbox] = await Promise.all([
    db.selectFrom('evidence_file').select(['id', 'storage_key', 'media_type']).orderBy('id').execute(),
    db.selectFrom('letter_file').select(['id', 'storage_key', 'format']).orderBy('id').execute(),
    db.selectFrom('outbox').select(['id', 'attachments']).where('attachments', 'is not', null).orderBy('id').execute(),
  ])
  const refs = new Map<string, StoredFileRef>()
  const add = (ref: StoredFileRef) => { if (!refs.has(ref.key)) refs.set(ref.key, ref) }
  for (const f of evidence) add({ key: f.storage_key, mediaType: f.media_type, source: `evidence_file ${f.id}` })
  for (const f of letters) add({ key: f.storage_key, mediaType: MEDIA_TYPES[f.format], source: `letter_file ${f.id}` })
  for (const m of outbox) {
    for (const a of JSON.parse(m.attachments!) as MailAttachment[]) add({ key: a.storageKey, mediaType: a.contentType, source: `outbox ${m.id}` })
  }
  return [...refs.values()]
}

/** The tables and columns `storedFileRefs` reads, for the test that keeps it complete. */
export const STORED_FILE_COLUMNS = ['evidence_file.storage_key', 'letter_file.storage_key', 'outbox.attachments'] as const

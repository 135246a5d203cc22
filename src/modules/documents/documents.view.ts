import type { Translate } from '../../i18n/catalogue.ts'
import { paths } from '../../http/paths.ts'
import type { EvidenceFileView } from '../evidence/evidence.repository.ts'
import type { EvidenceView } from '../evidence/evidence.service.ts'
import { ALLOWED_TYPES } from './file-types.ts'

/** "340 KB", "12.5 MB": a size as people read it, in the reader's language. */
export function fileSize(bytes: number, t: Translate): string {
  const number = (n: number) => new Intl.NumberFormat(t('common.locale'), { maximumFractionDigits: 1 }).format(n)
  if (bytes < 1024) return t('documents.size.bytes', { size: number(bytes) })
  if (bytes < 1024 * 1024) return t('documents.size.kb', { size: number(Math.round(bytes / 1024)) })
  return t('documents.size.mb', { size: number(bytes / (1024 * 1024)) })
}

/** A stored file as a download link: its name, and its type and size beside it. */
export interface FileLink {
  name: string
  href: string
  details: string
}

export function fileLink(evidenceId: number, f: EvidenceFileView, t: Translate): FileLink {
  const type = (ALLOWED_TYPES as Record<string, string>)[f.media_type] ?? f.media_type
  return { name: f.file_name, href: paths.evidenceFile(evidenceId, f.id), details: t('documents.fileDetails', { type, size: fileSize(f.size_bytes, t) }) }
}

/** One shared document on an ELV's Documents tab. */
export interface DocumentCard {
  id: number
  title: string
  description: string
  files: FileLink[]
  /** The authority's name, or the inspector who added it. */
  sharedBy: string
  fromAuthority: boolean
  sharedAt: string
  /** The evidence item's own page, for the inspectorate (the authority has no such page). */
  itemHref: string | null
}

export function documentCard(item: EvidenceView, ctx: { t: Translate; authorityName: string; forAuthority: boolean }): DocumentCard {
  const fromAuthority = item.from_authority === 1
  return {
    id: item.id,
    title: item.title,
    description: item.body,
    files: item.files.map((f) => fileLink(item.id, f, ctx.t)),
    sharedBy: fromAuthority
      ? ctx.t('visits.documents.byAuthority', { name: item.recorded_by_name ?? ctx.authorityName, authority: ctx.authorityName })
      : ctx.t('visits.documents.byInspectorate', { name: item.recorded_by_name ?? '' }),
    fromAuthority,
    sharedAt: item.recorded_at,
    itemHref: ctx.forAuthority ? null : paths.evidenceItem(item.elv_id, item.id),
  }
}

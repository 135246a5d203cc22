import type { Translate } from '../../i18n/catalogue.ts'
import type { AuditEvent } from '../../db/schema.ts'
import { paths } from '../../http/paths.ts'
import { pagination, showingOf } from '../../http/pagination.ts'
import type { AuditFilter } from './audit.repository.ts'
import type { AuditSearchResult } from './audit.service.ts'

export interface AuditRow {
  id: number
  /** ISO timestamp; the template formats it with the `dateTime` filter. */
  at: string
  who: string
  action: string
  record: string
  /** One readable line per detail; plain text, escaped by the template. */
  details: string[]
}

const MAX_VALUE_LENGTH = 200

/**
 * Actions and record types are codes that any module may add; the ones the catalogue names are
 * shown in the reader's language, new ones as their code until someone names them.
 */
function named(t: Translate, key: string, fallback: string): string {
  const text = t(key)
  return text === key ? fallback : text
}

export const actionLabel = (code: string, t: Translate) => named(t, `audit.action.${code}`, code)
export const entityLabel = (type: string, t: Translate) => named(t, `audit.entity.${type}`, type)

export function auditRows(events: AuditEvent[], t: Translate): AuditRow[] {
  return events.map((e) => ({
    id: e.id,
    at: e.at,
    who: e.actor_label,
    action: actionLabel(e.action, t),
    record: `${entityLabel(e.entity_type, t)} ${e.entity_id}`,
    details: detailLines(e.details, t),
  }))
}

/**
 * The `details` column as short lines: a change `{ before, after }` or `{ field: { from, to } }`
 * becomes `field: from → to` (changed fields only); anything else `field: value`.
 */
export function detailLines(json: string, t: Translate): string[] {
  let details: unknown
  try {
    details = JSON.parse(json)
  } catch {
    return json.trim() ? [clip(json)] : []
  }
  if (!isRecord(details)) return details === null || details === undefined ? [] : [formatValue(details, t)]
  if (isRecord(details.before) && isRecord(details.after) && Object.keys(details).length === 2) {
    return changeLines(details.before, details.after, t)
  }
  return Object.entries(details).map(([field, value]) => {
    if (isRecord(value) && 'from' in value && 'to' in value && Object.keys(value).length === 2) {
      return `${field}: ${formatValue(value.from, t)} → ${formatValue(value.to, t)}`
    }
    return `${field}: ${formatValue(value, t)}`
  })
}

function changeLines(before: Record<string, unknown>, after: Record<string, unknown>, t: Translate): string[] {
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])]
  return fields
    .filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]))
    .map((f) => `${f}: ${formatValue(before[f], t)} → ${formatValue(after[f], t)}`)
}

function formatValue(value: unknown, t: Translate): string {
  if (value === null || value === undefined || value === '') return t('common.notSet')
  if (Array.isArray(value)) return value.length ? clip(value.map((v) => formatValue(v, t)).join(', ')) : t('common.none')
  if (typeof value === 'object') return clip(JSON.stringify(value))
  return clip(String(value))
}

function clip(s: string): string {
  return s.length > MAX_VALUE_LENGTH ? `${s.slice(0, MAX_VALUE_LENGTH - 1)}…` : s
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** What the page shows of one page of results: the rows, "showing 51 to 100 of 120" and the page links. */
export function auditResults(result: AuditSearchResult, t: Translate) {
  return {
    rows: auditRows(result.items, t),
    total: result.total,
    showing: showingOf(result),
    pagination: auditPagination(result, t),
  }
}

/** The audit page's address for these filters and page, so page links keep the filters. */
export function auditHref(filter: AuditFilter, page = 1): string {
  const q = new URLSearchParams()
  for (const name of ['actor', 'action', 'entityType', 'from', 'to'] as const) {
    const value = filter[name]
    if (value) q.set(name, value)
  }
  if (page > 1) q.set('page', String(page))
  const query = q.toString()
  return query ? `${paths.audit()}?${query}` : paths.audit()
}

/** Parameters for govukPagination, from the shared helper, with the audit page's links and words. */
export function auditPagination(result: Pick<AuditSearchResult, 'filter' | 'page' | 'pageCount'>, t: Translate) {
  const { filter, page, pageCount } = result
  return pagination({
    page, pageCount, t, href: (n) => auditHref(filter, n),
    landmarkLabel: t('audit.pagination'), pageLabel: (n) => t('audit.page', { page: n }),
  })
}

/** Items for a govukSelect of codes, labelled in the reader's language, with "any" first. */
export function selectItems(codes: string[], selected: unknown, label: (code: string) => string, anyText: string) {
  const chosen = typeof selected === 'string' ? selected : ''
  // A value typed into the URL that no event has yet still shows as chosen, so the form tells the truth.
  const all = chosen && !codes.includes(chosen) ? [...codes, chosen] : codes
  return [
    { value: '', text: anyText, selected: chosen === '' },
    ...all.map((code) => ({ value: code, text: label(code), selected: code === chosen })),
  ]
}

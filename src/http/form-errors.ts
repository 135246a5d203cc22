import type { Translate } from '../i18n/catalogue.ts'
import type { ErrorDetail } from './errors.ts'

export interface PageErrors {
  /** For govukErrorSummary: every problem, linking to its field. */
  list: Array<{ text: string; href: string }>
  /** For each field's errorMessage. */
  byField: Record<string, { text: string }>
}

/** Translates error details for a page; the `field` parameter is itself a catalogue key. */
export function pageErrors(details: ErrorDetail[], t: Translate): PageErrors {
  const list: PageErrors['list'] = []
  const byField: PageErrors['byField'] = {}
  for (const d of details) {
    const text = translateDetail(d, t)
    list.push({ text, href: `#${fieldId(d.path)}` })
    byField[d.path] ??= { text }
  }
  return { list, byField }
}

export function translateDetail(d: ErrorDetail, t: Translate): string {
  const params = { ...(d.params ?? {}) }
  // A parameter written `@some.key` is itself a catalogue key: a state or season named in the reader's language.
  for (const [k, v] of Object.entries(params)) if (typeof v === 'string' && v.startsWith('@')) params[k] = t(v.slice(1))
  // A calendar date reads as people write it ("18 January 2027", "18 Ionawr 2027"), not as stored.
  for (const [k, v] of Object.entries(params)) {
    const date = typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T00:00:00Z`) : undefined
    // Only a real date: a mistyped one ("2025-02-30") is shown exactly as typed.
    if (date && !Number.isNaN(date.getTime()) && date.toISOString().startsWith(v as string)) {
      params[k] = new Intl.DateTimeFormat(t('common.locale'), { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date)
    }
  }
  if (typeof params.field === 'string') {
    // `{Field}` starts a sentence with the field's name; `{field}` is the name as written.
    const label = t(params.field)
    params.Field = label.charAt(0).toUpperCase() + label.slice(1)
    params.field = label
  }
  return t(d.messageKey, params)
}

/** Element ids may not contain dots in CSS selectors comfortably; paths like `area.1.1.nameEn` become `area-1-1-nameEn`. */
export function fieldId(path: string): string {
  return path.replace(/[^A-Za-z0-9_-]/g, '-')
}

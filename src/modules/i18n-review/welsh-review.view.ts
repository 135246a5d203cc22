import type { I18n } from '../../i18n/catalogue.ts'

export interface WelshReviewRow {
  key: string
  /** Undefined when English lacks the key (the catalogue parity test should have caught it). */
  en: string | undefined
  cy: string
}

export interface WelshReviewList {
  /** Every Welsh string awaiting review, whatever the filter. */
  total: number
  prefix: string
  rows: WelshReviewRow[]
}

/** The Welsh strings still marked `$needsReview`, with their English, in key order, narrowed to a key prefix. */
export function welshReviewList(i18n: Pick<I18n, 'catalogue'>, prefix: string): WelshReviewList {
  const cy = i18n.catalogue('cy')
  const en = i18n.catalogue('en')
  const keys = [...cy.needsReview].sort()
  const rows = keys
    .filter((key) => key.startsWith(prefix))
    .map((key) => ({ key, en: en.messages.get(key), cy: cy.messages.get(key) ?? '' }))
  return { total: keys.length, prefix, rows }
}

/** A key prefix from the query string; anything else means no filter. */
export function prefixFrom(value: unknown): string {
  return typeof value === 'string' ? value.trim().slice(0, 200) : ''
}

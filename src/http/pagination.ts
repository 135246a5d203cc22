import type { Translate } from '../i18n/catalogue.ts'

/** One page of a list, with what the page links and "showing 51 to 100 of 120" need. */
export interface Page<T> {
  items: T[]
  /** 1-based. */
  page: number
  pageSize: number
  pageCount: number
  total: number
}

/** The page asked for in a query string; a mistyped one is not worth an error page, so it is the first. */
export function pageNumber(value: unknown): number {
  return typeof value === 'string' && /^\d{1,6}$/.test(value) ? Math.max(1, Number(value)) : 1
}

/** How many pages `total` items fill (at least one, so an empty list still has its page). */
export const pageCountOf = (total: number, pageSize: number) => Math.max(1, Math.ceil(total / pageSize))

/** "Showing {from} to {to} of {total}" values for a page, or undefined when it has no items. */
export function showingOf(result: Pick<Page<unknown>, 'items' | 'page' | 'pageSize' | 'total'>) {
  if (!result.items.length) return undefined
  const from = (result.page - 1) * result.pageSize + 1
  return { from, to: from + result.items.length - 1, total: result.total }
}

export interface PaginationOptions {
  page: number
  pageCount: number
  /** The list's address for page n, keeping its filters (page 1 without `page=`). */
  href: (page: number) => string
  /** The navigation landmark's name, e.g. "Pages of events". */
  landmarkLabel: string
  /** Each number's hidden text for screen readers, e.g. "Page 3". */
  pageLabel: (page: number) => string
  t: Translate
}

type PageItem = { number?: string; href?: string; current?: boolean; visuallyHiddenText?: string; ellipsis?: boolean }

/** Parameters for govukPagination: first, last and the pages either side of this one, with gaps. */
export function pagination({ page, pageCount, href, landmarkLabel, pageLabel, t }: PaginationOptions) {
  if (pageCount <= 1) return undefined
  const shown = [...new Set([1, page - 1, page, page + 1, pageCount])].filter((n) => n >= 1 && n <= pageCount).sort((a, b) => a - b)
  const pageItem = (n: number): PageItem => ({ number: String(n), href: href(n), current: n === page, visuallyHiddenText: pageLabel(n) })
  const items: PageItem[] = []
  let last = 0
  for (const n of shown) {
    // One missing page is shown as its number: an ellipsis would be no shorter.
    if (n - last === 2) items.push(pageItem(n - 1))
    else if (n - last > 2) items.push({ ellipsis: true })
    items.push(pageItem(n))
    last = n
  }
  return {
    landmarkLabel,
    previous: page > 1 ? { href: href(page - 1), text: t('common.previous') } : undefined,
    next: page < pageCount ? { href: href(page + 1), text: t('common.next') } : undefined,
    items,
  }
}

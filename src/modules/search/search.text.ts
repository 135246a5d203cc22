/**
 * Words as the search index keeps them: lower case, accents removed (so "ŵyr" finds "wyr"), split on
 * anything not a letter or digit, one space between. Both engines index and query this same form,
 * which is what makes them match the same items.
 */
export function foldWords(text: string): string[] {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []
}

/** The most an item's words may be: PostgreSQL's tsvector has a 1 MB ceiling. */
export const MAX_INDEXED_CHARS = 600_000

export function indexedWords(parts: ReadonlyArray<string | null | undefined>): string {
  return foldWords(parts.filter(Boolean).join('\n')).join(' ').slice(0, MAX_INDEXED_CHARS)
}

/** The distinct words of a query, at most `max`: every one must be in an item for it to match. */
export function queryTerms(q: string, max = 10): string[] {
  return [...new Set(foldWords(q))].slice(0, max)
}

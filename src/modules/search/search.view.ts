import type { Language, Term } from '../../db/schema.ts'
import type { Translate } from '../../i18n/catalogue.ts'
import { paths } from '../../http/paths.ts'
import { authorityName, termLabel } from '../visits/visits.view.ts'
import type { ElvView } from '../visits/visits.service.ts'
import type { SnippetPart } from './search.highlight.ts'
import type { SearchHit } from './search.service.ts'

/** The query-string fields of the search form; `before` pages and is never typed. */
export const FORM_FIELDS = ['q', 'elv', 'authority', 'kind', 'focusArea', 'theme', 'from', 'to'] as const
export type SearchForm = Partial<Record<(typeof FORM_FIELDS)[number], string>>

/** What the reader typed, as typed (repeated or odd values are ignored here; the service reports them). */
export function formValues(query: unknown): SearchForm {
  const q = (query ?? {}) as Record<string, unknown>
  const out: SearchForm = {}
  for (const f of FORM_FIELDS) if (typeof q[f] === 'string') out[f] = q[f]
  return out
}

/** Anything typed or chosen; otherwise the page shows how to search. */
export const formAsked = (v: SearchForm) => FORM_FIELDS.some((f) => (v[f] ?? '').trim() !== '')

export function selectItems(options: ReadonlyArray<{ value: string; text: string }>, chosen: string | undefined, anyText: string) {
  return [{ value: '', text: anyText, selected: !chosen }, ...options.map((o) => ({ ...o, selected: o.value === chosen }))]
}

export function elvLabel(elv: ElvView, terms: readonly Term[], t: Translate, lang: Language): string {
  return t('search.elvOption', { authority: authorityName(elv, lang), term: termLabel(elv.term_key, terms, t), ordinal: elv.ordinal })
}

/** The visible ELVs for the filter, and their authorities (only those the reader can see visits of). */
export function elvOptions(elvs: readonly ElvView[], terms: readonly Term[], t: Translate, lang: Language) {
  const visits = elvs.map((e) => ({ value: String(e.id), text: elvLabel(e, terms, t, lang) }))
  const authorities = new Map<string, string>()
  for (const e of elvs) authorities.set(e.authority_code, authorityName(e, lang))
  return {
    visits,
    authorities: [...authorities].map(([value, text]) => ({ value, text })).sort((a, b) => a.text.localeCompare(b.text, lang === 'cy' ? 'cy' : 'en-GB')),
  }
}

export interface ResultView {
  id: number
  href: string
  title: SnippetPart[]
  kind: string
  /** The authority's name in the reader's language. */
  where: string
  visit: string | undefined
  gatheredOn: string
  fromAuthority: boolean
  snippet: SnippetPart[]
}

/**
 * Each result as the page shows it. Authority users never see the evidence log, only the documents
 * page of a visit, so their results link there.
 */
export function resultViews(items: readonly SearchHit[], opts: { t: Translate; lang: Language; isAuthority: boolean; visitLabel: (elvId: number) => string | undefined }): ResultView[] {
  return items.map((h) => ({
    id: h.id,
    href: opts.isAuthority ? paths.elvTab(h.elvId, 'documents') : paths.evidenceItem(h.elvId, h.id),
    title: h.titleMarked.parts,
    kind: opts.t(`evidence.kind.${h.kind}`),
    where: opts.lang === 'cy' ? h.authority.nameCy : h.authority.nameEn,
    visit: opts.visitLabel(h.elvId),
    gatheredOn: h.gatheredOn,
    fromAuthority: h.fromAuthority,
    snippet: h.snippet.parts,
  }))
}

/** The same search (and page size, when one was asked for), continued after the last result shown. */
export function moreHref(values: SearchForm, next: number, limit?: number): string {
  const params = new URLSearchParams()
  for (const f of FORM_FIELDS) if (values[f]) params.set(f, values[f]!)
  if (limit !== undefined) params.set('limit', String(limit))
  params.set('before', String(next))
  return `${paths.search()}?${params.toString()}`
}

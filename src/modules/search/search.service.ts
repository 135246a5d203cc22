import type { Database } from '../../db/database.ts'
import { EVIDENCE_KINDS, type EvidenceKind } from '../../db/schema.ts'
import { Check } from '../../http/check.ts'
import type { Actor } from '../auth/actor.ts'
import type { EvidenceService } from '../evidence/evidence.service.ts'
import type { ThemesService, ThemeView } from '../themes/themes.service.ts'
import { markAll, snippetFor, type Snippet } from './search.highlight.ts'
import { searchRepository, type SearchFilters } from './search.repository.ts'
import { queryTerms } from './search.text.ts'

export const DEFAULT_LIMIT = 20
export const MAX_LIMIT = 100
export const MAX_QUERY = 200

/** What a search is asked with: query-string values as they arrive (the page and the API alike). */
export interface SearchInput {
  q?: unknown
  elv?: unknown
  authority?: unknown
  kind?: unknown
  theme?: unknown
  focusArea?: unknown
  from?: unknown
  to?: unknown
  before?: unknown
  limit?: unknown
}

/** The search once checked: what was asked, in the form the repository takes. */
export interface SearchCriteria {
  q: string
  terms: string[]
  filters: SearchFilters
  theme: ThemeView | null
  before: number | undefined
  limit: number
}

export interface SearchHit {
  id: number
  elvId: number
  authority: { code: string; nameEn: string; nameCy: string }
  kind: EvidenceKind
  title: string
  /** The title with the query's words marked. */
  titleMarked: Snippet
  gatheredOn: string
  recordedAt: string
  fromAuthority: boolean
  /** About 30 words around the first match in the text or a file's text, the query's words marked. */
  snippet: Snippet
}

export interface SearchResult {
  criteria: SearchCriteria
  items: SearchHit[]
  /** The `before` value of the next page, or null when this is the last. */
  next: number | null
}

/** Something was typed or chosen: anything else is a page with nothing asked yet. */
export const isAsked = (c: Pick<SearchCriteria, 'q' | 'filters'>) => c.q !== '' || Object.values(c.filters).some((v) => v !== undefined)

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : v === undefined || v === null ? '' : v)

/** One search over the evidence each user may see, the same on SQLite and PostgreSQL. */
export class SearchService {
  constructor(
    readonly database: Database,
    readonly evidence: EvidenceService,
    // Theme keys resolve through merges, so a search by an old key finds what is tagged with its successor.
    private readonly themes: ThemesService,
  ) {}

  private repo() { return searchRepository(this.database.db, this.database.engine) }

  /** Checks the search's words and filters, every problem at once (400 naming each). */
  async criteria(input: SearchInput): Promise<SearchCriteria> {
    const check = new Check()
    const repo = this.repo()
    const q = check.text('q', 'search.field.q', text(input.q), { required: false, max: MAX_QUERY }) ?? ''
    const optionalInt = (path: string, label: string, v: unknown) => (text(v) === '' ? undefined : check.integer(path, label, text(v), { min: 1 }) ?? undefined)
    const elvId = optionalInt('elv', 'search.field.elv', input.elv)
    const focusAreaId = optionalInt('focusArea', 'search.field.focusArea', input.focusArea)
    const before = optionalInt('before', 'search.field.before', input.before)
    const limit = optionalInt('limit', 'search.field.limit', input.limit) ?? DEFAULT_LIMIT
    if (limit > MAX_LIMIT) check.add('limit', 'search.rule.limit', { max: MAX_LIMIT })
    const kind = check.oneOf<EvidenceKind>('kind', 'search.field.kind', text(input.kind), EVIDENCE_KINDS, { required: false }) ?? undefined
    const authority = check.text('authority', 'search.field.authority', text(input.authority), { required: false, max: 20 }) ?? undefined
    if (authority && !(await repo.authorityExists(authority))) check.add('authority', 'validation.unknownAuthority', { code: authority })
    const from = check.date('from', 'search.field.from', text(input.from), { required: false }) ?? undefined
    const to = check.date('to', 'search.field.to', text(input.to), { required: false }) ?? undefined
    if (from && to && from > to) check.add('to', 'search.rule.dateOrder')
    const themeKey = text(input.theme)
    let theme: ThemeView | null = null
    if (themeKey !== '') {
      if (typeof themeKey !== 'string') check.add('theme', 'validation.notText', { field: 'search.field.theme' })
      else theme = (await this.themes.resolve(check, 'theme', themeKey))[0] ?? null
    }
    if (focusAreaId !== undefined && elvId !== undefined && !(await repo.focusAreaOfElv(focusAreaId, elvId))) check.add('focusArea', 'search.rule.focusAreaNotOfElv')
    check.done()
    const filters: SearchFilters = {}
    if (elvId !== undefined) filters.elvId = elvId
    if (authority) filters.authority = authority
    if (kind) filters.kind = kind
    if (focusAreaId !== undefined) filters.focusAreaId = focusAreaId
    if (theme) filters.themeId = theme.id
    if (from) filters.from = from
    if (to) filters.to = to
    return { q, terms: queryTerms(q), filters, theme, before, limit }
  }

  /**
   * The evidence the actor may see that has every word of `q` (in its title, text or a file's
   * extracted text) and passes the filters, newest recorded first, a page at a time. Without
   * words it lists what passes the filters; words that fold to nothing (only punctuation) match nothing.
   */
  async search(actor: Actor, input: SearchInput): Promise<SearchResult> {
    const criteria = await this.criteria(input)
    if (criteria.q !== '' && !criteria.terms.length) return { criteria, items: [], next: null }
    const repo = this.repo()
    const { rows, more } = await repo.query(actor, criteria)
    const files = await repo.fileTexts(rows.map((r) => r.id))
    const items = rows.map((r): SearchHit => ({
      id: r.id,
      elvId: r.elv_id,
      authority: { code: r.authority_code, nameEn: r.authority_name_en, nameCy: r.authority_name_cy },
      kind: r.kind,
      title: r.title,
      titleMarked: markAll(r.title, criteria.terms),
      gatheredOn: r.gathered_on,
      recordedAt: r.recorded_at,
      fromAuthority: Boolean(r.from_authority),
      snippet: snippetFor([r.body, ...(files.get(r.id) ?? [])], criteria.terms),
    }))
    return { criteria, items, next: more ? items[items.length - 1]!.id : null }
  }
}

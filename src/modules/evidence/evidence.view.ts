import { EVIDENCE_KINDS, type EvidenceKind, type Language } from '../../db/schema.ts'
import type { Translate } from '../../i18n/catalogue.ts'
import { paths } from '../../http/paths.ts'
import { pagination, showingOf, type Page } from '../../http/pagination.ts'
import { themeLabel } from '../themes/themes.service.ts'
import type { EvidenceFilter } from './evidence.repository.ts'
import type { EvidenceInput, EvidenceView, EvidenceWorkspace } from './evidence.service.ts'

/** A form as it arrives: checkboxes give one string or several. */
export type Form = Record<string, string | string[] | undefined>

const list = (v: string | string[] | undefined): string[] => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v])
const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v)

/** One item of the log as the page shows it: every word in the reader's language, every link built. */
export interface EvidenceCard {
  id: number
  href: string
  title: string
  kindText: string
  source: string
  meetingTitle: string | null
  gatheredOn: string
  recordedBy: string
  recordedAt: string
  focusAreas: string[]
  themes: string[]
  files: Array<{ name: string; href: string }>
  origin: string | null
  fromAuthority: boolean
  body: string
}

export interface CardContext {
  t: Translate
  lang: Language
  focusAreas: EvidenceWorkspace['focusAreas']
  /** `type:id` -> the link note's title or the provider's name. */
  origins: Map<string, string>
}

export function evidenceCard(item: EvidenceView, ctx: CardContext): EvidenceCard {
  const { t } = ctx
  const areas = new Map(ctx.focusAreas.map((f) => [f.id, f]))
  const originKey = item.origin_type && item.origin_id !== null ? `${item.origin_type}:${item.origin_id}` : null
  const originLabel = originKey ? ctx.origins.get(originKey) ?? t('evidence.item.originGone') : null
  return {
    id: item.id,
    href: paths.evidenceItem(item.elv_id, item.id),
    title: item.title,
    kindText: t(`evidence.kind.${item.kind}`),
    source: item.source,
    meetingTitle: item.meeting_title,
    gatheredOn: item.gathered_on,
    recordedBy: item.recorded_by_name ?? t('evidence.item.system'),
    recordedAt: item.recorded_at,
    focusAreas: item.focusAreaIds.flatMap((id) => {
      const f = areas.get(id)
      return f ? [f.live ? f.title : t('evidence.item.withdrawn', { title: f.title })] : []
    }),
    themes: item.themes.map((th) => themeLabel(th, ctx.lang)),
    files: item.files.map((f) => ({ name: f.file_name, href: paths.evidenceFile(item.id, f.id) })),
    origin: originLabel === null ? null : t(item.origin_type === 'link_note' ? 'evidence.item.originLinkNote' : 'evidence.item.originProvider', { label: originLabel }),
    fromAuthority: item.from_authority === 1,
    body: item.body,
  }
}

/** The log's filters from the query string; anything not of this ELV is ignored rather than refused. */
export function filterFromQuery(query: Record<string, unknown>, ws: Pick<EvidenceWorkspace, 'focusAreas' | 'themes'>): { filter: EvidenceFilter; chosen: { kind: string; focusArea: string; theme: string } } {
  const str = (v: unknown) => (typeof v === 'string' ? v : '')
  const kind = (EVIDENCE_KINDS as readonly string[]).includes(str(query.kind)) ? (str(query.kind) as EvidenceKind) : undefined
  const focusArea = ws.focusAreas.find((f) => String(f.id) === str(query.focusArea))
  const theme = ws.themes.find((th) => th.key === str(query.theme))
  return {
    filter: { kind, focusAreaId: focusArea?.id, themeId: theme?.id },
    chosen: { kind: kind ?? '', focusArea: focusArea ? String(focusArea.id) : '', theme: theme?.key ?? '' },
  }
}

export type LogFilter = ReturnType<typeof filterFromQuery>['chosen']

/** The log's address for these filters and page, so page links keep the filters (page 1 without `page=`). */
export function logHref(elvId: number, chosen: LogFilter, page = 1): string {
  const q = new URLSearchParams()
  for (const name of ['kind', 'focusArea', 'theme'] as const) if (chosen[name]) q.set(name, chosen[name])
  if (page > 1) q.set('page', String(page))
  const query = q.toString()
  return query ? `${paths.elvTab(elvId, 'evidence')}?${query}` : paths.elvTab(elvId, 'evidence')
}

/** "Showing 51 to 100 of 460 items" (only with more than one page, so never of one item) and the page links. */
export function logPaging(result: Page<unknown>, elvId: number, chosen: LogFilter, t: Translate) {
  const showing = result.pageCount > 1 ? showingOf(result) : undefined
  return {
    showing: showing && t('evidence.log.showing', showing),
    pagination: pagination({
      page: result.page, pageCount: result.pageCount, t, href: (n) => logHref(elvId, chosen, n),
      landmarkLabel: t('evidence.log.pagination'), pageLabel: (n) => t('evidence.log.page', { page: n }),
    }),
  }
}

/** The values an edit form starts from: the item as saved. */
export function formValues(item: EvidenceView): Form {
  return {
    kind: item.kind, title: item.title, body: item.body, source: item.source,
    meetingId: item.meeting_id === null ? '' : String(item.meeting_id), gatheredOn: item.gathered_on,
    focusAreaIds: item.focusAreaIds.map(String), themes: item.themes.map((th) => th.key), version: String(item.version),
  }
}

/**
 * What a posted evidence form asks for. Unticked checkboxes send nothing, which on a form means
 * "none" (not "unchanged", as a missing field means in the API).
 */
export function formInput(form: Form): EvidenceInput {
  return {
    kind: one(form.kind), title: one(form.title), body: one(form.body) ?? '', source: one(form.source),
    meetingId: one(form.meetingId) ?? '', gatheredOn: one(form.gatheredOn),
    focusAreaIds: list(form.focusAreaIds), themes: list(form.themes), version: one(form.version), draftKey: one(form.draftKey),
  }
}

/** The choices of the evidence form, with what is chosen now ticked. */
export function formChoices(ws: EvidenceWorkspace, values: Form, t: Translate, lang: Language) {
  const chosenAreas = list(values.focusAreaIds)
  const chosenThemes = list(values.themes)
  return {
    kinds: EVIDENCE_KINDS.map((k) => ({ value: k, text: t(`evidence.kind.${k}`), checked: k === one(values.kind) })),
    meetings: [
      { value: '', text: t('evidence.form.noMeeting') },
      ...ws.meetings.map((m) => ({ value: String(m.id), text: t('evidence.form.meetingOption', { day: m.day, start: m.start, title: m.title }), selected: String(m.id) === one(values.meetingId) })),
    ],
    // A withdrawn focus area stays offered only while the item still names it, so saving does not drop it silently.
    focusAreas: ws.focusAreas.filter((f) => f.live || chosenAreas.includes(String(f.id))).map((f) => ({
      value: String(f.id), text: f.live ? f.title : t('evidence.item.withdrawn', { title: f.title }), checked: chosenAreas.includes(String(f.id)),
    })),
    themes: ws.themes.map((th) => ({ value: th.key, text: themeLabel(th, lang), checked: chosenThemes.includes(th.key) })),
  }
}

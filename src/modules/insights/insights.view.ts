import type { Language } from '../../db/schema.ts'
import { paths } from '../../http/paths.ts'
import { formatDate } from '../../http/web.ts'
import type { Translate } from '../../i18n/catalogue.ts'
import type { InsightsPoint, InsightsRecommendation, InsightsSummary } from './insights.types.ts'
import type { SummaryView } from './render/html.ts'

export const FORMATS = ['html', 'docx', 'pdf'] as const
export type SummaryFormat = (typeof FORMATS)[number]
const FORMAT_NAMES: Record<SummaryFormat, string> = { html: 'HTML', docx: 'DOCX', pdf: 'PDF' }

export const MEDIA_TYPES: Record<SummaryFormat, string> = {
  html: 'text/html; charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
}

/** `early-insights-2023-2024-cy.pdf`; a range reads `2021-2022-to-2023-2024`. The period is already checked: digits and dashes only. */
export function summaryFileName(period: string, format: SummaryFormat, lang: Language): string {
  return `early-insights-${period.replace('..', '-to-')}-${lang}.${format}`
}

/** The academic year a date falls in: from 1 September. */
export function academicYearOf(iso: string): string {
  const year = Number(iso.slice(0, 4))
  const from = Number(iso.slice(5, 7)) >= 9 ? year : year - 1
  return `${from}-${from + 1}`
}

/** The download links: each format in each language, the reader's language first. */
export function downloadLinks(period: string, lang: Language, t: Translate) {
  const langs: Language[] = lang === 'cy' ? ['cy', 'en'] : ['en', 'cy']
  return langs.map((l) => ({
    lang: l,
    heading: t(`insights.page.download.in.${l}`),
    links: FORMATS.map((f) => ({ href: paths.insightsDownload(period, f, l), text: t(`insights.page.download.link.${l}`, { format: FORMAT_NAMES[f] }), hreflang: l })),
  }))
}

/** "Published on 14 November 2024 by Siân Prŷs.", or that it is still a draft. */
export function publicationText(summary: InsightsSummary, t: Translate): string {
  const p = summary.publication
  if (!p) return t('insights.page.state.draft')
  const date = formatDate(p.publishedAt, summary.lang)
  return p.publishedBy ? t('insights.page.state.publishedBy', { date, by: p.publishedBy }) : t('insights.page.state.published', { date })
}

export interface PointRow {
  key: string
  /** What the summary shows: the reviewer's wording when reworded, else the generated sentence. */
  text: string
  generated: string
  edited: boolean
  /** The point's anchor in the summary page, when the page shows it. */
  anchor: string | null
  rewordHref: string
}

export interface PointGroup { heading: string; rows: PointRow[] }

/**
 * Every point a reviewer may reword, grouped as the summary shows them, each with its Reword link.
 * The page's anchors come from the laid-out summary, which keeps the summary's order (areas, then
 * going well before needs to improve; recommendations most frequent first, stable).
 */
export function pointGroups(summary: InsightsSummary, view: Pick<SummaryView, 'areas' | 'recommendations'>, t: Translate): PointGroup[] {
  const period = summary.academicYear
  const row = (p: InsightsPoint | InsightsRecommendation, anchor: string | undefined): PointRow => ({
    key: p.key,
    text: p.edited?.text.trim() ? p.edited.text : p.sentence,
    generated: p.sentence,
    edited: Boolean(p.edited?.text.trim()),
    anchor: anchor ?? null,
    rewordHref: paths.insightsPoint(period, p.key, summary.lang),
  })
  const groups: PointGroup[] = []
  summary.areas.forEach((area, i) => {
    const laid = view.areas[i]
    const kinds = [['going_well', area.goingWell], ['needs_to_improve', area.needsToImprove]] as const
    kinds.forEach(([kind, points], g) => {
      if (!points.length) return
      const heading = t('insights.page.points.group', { area: area.area, kind: t(kind === 'going_well' ? 'insights.render.goingWell' : 'insights.render.needsToImprove') })
      groups.push({ heading, rows: points.map((p, j) => row(p, laid?.groups[g]?.points[j]?.id)) })
    })
  })
  const recommendations = [...summary.recommendations].sort((a, b) => b.count - a.count)
  if (recommendations.length) {
    groups.push({ heading: t('insights.render.recommendations'), rows: recommendations.map((r, j) => row(r, view.recommendations.points[j]?.id)) })
  }
  return groups
}

/** One point of the summary by its key, with the heading it sits under. */
export function findPoint(summary: InsightsSummary, key: string): { point: InsightsPoint | InsightsRecommendation; area: string | null; kind: 'going_well' | 'needs_to_improve' | 'recommendation' } | undefined {
  for (const area of summary.areas) {
    const well = area.goingWell.find((p) => p.key === key)
    if (well) return { point: well, area: area.area, kind: 'going_well' }
    const improve = area.needsToImprove.find((p) => p.key === key)
    if (improve) return { point: improve, area: area.area, kind: 'needs_to_improve' }
  }
  const rec = summary.recommendations.find((r) => r.key === key)
  return rec ? { point: rec, area: null, kind: 'recommendation' } : undefined
}

import type { Translate } from '../../../i18n/catalogue.ts'
import { formatDate } from '../../../http/web.ts'
import { findingsChart, recommendationsChart, type InsightsChart } from '../charts.ts'
import type {
  InsightsLang, InsightsPoint, InsightsRecommendation, InsightsSource, InsightsSummary, RecordText,
} from '../insights.types.ts'

/**
 * What every rendering of the Early Insights (the web page, the HTML file, DOCX, PDF) lays out,
 * worked out once from the summary so all of them say the same thing in the same order:
 * the opening, each area's points, the findings chart, the recommendations and their chart,
 * effective practice by authority, the year's figures, and the ELV strand, apart.
 */

/** BCP 47 tags for DOCX and PDF; HTML `lang` attributes use the bare `cy` / `en`. */
export const LANGUAGE_TAGS: Record<InsightsLang, string> = { en: 'en-GB', cy: 'cy-GB' }

/** Text as one paragraph: runs of spaces and line breaks read as one space, accents composed. */
export const plainText = (s: string | null | undefined): string => (s ?? '').normalize('NFC').replace(/\s+/g, ' ').trim()

/** Only web addresses become links: anything else (a `javascript:` URL typed into a record) stays text. */
export function safeUrl(url: string | null | undefined): string | null {
  const u = plainText(url)
  if (!/^https?:\/\//i.test(u)) return null
  try {
    return new URL(u).href
  } catch {
    return null
  }
}

/** One record a point rests on, in its own words. */
export interface RecordLine {
  /** The record's anchor in the page (unique in it). */
  id: string
  authority: string
  text: string
  lang: InsightsLang
  /** "recorded in Welsh", when the record is not in the summary's language. */
  mark: string | null
  /** The same words in the other language, when recorded in both: "In English: ...". */
  translation: { label: string; text: string; lang: InsightsLang } | null
}

export interface PointLine {
  id: string
  /** The published text: the reviewer's edit when there is one, else the generated sentence. */
  text: string
  /** "Edited by a reviewer", when edited. */
  edited: string | null
  /** Who edited it and when, for the web page ("Siân Prŷs, 21 October 2024"). */
  editedBy: string | null
  /** The generated sentence, kept beside the edit (the web page may show it to reviewers). */
  generated: string
  /** The records it rests on, as `finding:123`: the summary's sources, in its order. */
  sources: string[]
  records: RecordLine[]
}

export interface KindGroup {
  kind: 'going_well' | 'needs_to_improve'
  id: string
  heading: string
  points: PointLine[]
}

export interface AreaSection {
  id: string
  heading: string
  summary: string
  groups: KindGroup[]
}

export interface ChartBlock extends InsightsChart {
  id: string
}

export interface PracticeItem {
  id: string
  question: string
  area: string
  text: string
  lang: InsightsLang
  mark: string | null
}

export interface PracticeAuthority {
  id: string
  gssCode: string
  authority: string
  reports: Array<{ href: string; text: string }>
  items: PracticeItem[]
}

export interface ElvThemeLine {
  id: string
  label: string
  text: string
  counts: string
  authorities: string | null
}

export interface SummaryLayout {
  lang: InsightsLang
  languageTag: string
  title: string
  academicYear: string
  /** "Published on 14 November 2024", or that it is a draft. */
  status: string
  intro: string
  /** Said instead of everything else when there is nothing to summarise. */
  message: string | null
  areas: AreaSection[]
  findingsChart: ChartBlock | null
  recommendations: { id: string; heading: string; points: PointLine[]; empty: string | null; chart: ChartBlock | null }
  practice: { id: string; heading: string; authorities: PracticeAuthority[]; empty: string | null }
  figures: { id: string; heading: string; head: [string, string]; rows: Array<{ label: string; value: string }> }
  elv: {
    id: string; heading: string; label: string; explanation: string; letters: string; themes: ElvThemeLine[]; empty: string | null
    /** Always, except in an empty summary without issued letters (then the message says it all). */
    shown: boolean
  }
  words: {
    noPoints: string
    sources: string
    /** "What the records say ({count})", to be filled per point. */
    records: (count: number) => string
    chartTable: string
    contents: string
  }
}

/** Anchors from the inspectorate's keys: lower case, letters and digits, unique in the page. */
function anchors() {
  const used = new Set<string>()
  return (prefix: string, key: string): string => {
    let slug = plainText(key).toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '')
      .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '')
    // A long key (a finding without a theme is keyed by its words) is cut at a word.
    if (slug.length > 80) slug = slug.slice(0, 80).replace(/-[^-]*$/, '')
    const base = slug ? `${prefix}-${slug}` : prefix
    let id = base
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`
    used.add(id)
    return id
  }
}

type Anchor = ReturnType<typeof anchors>

const sourceKey = (s: InsightsSource): string => `${s.type}:${s.id}`

// A record's own words carry no id (RecordText), and the summary lists them by authority, not in the
// order of `sources`: so a record's anchor is its place under the point, never a guessed source id.
function recordLines(point: Pick<InsightsPoint, 'details'>, pointId: string, lang: InsightsLang, t: Translate): RecordLine[] {
  return point.details.map((d: RecordText, i) => ({
    id: `${pointId}-source-${i + 1}`,
    authority: plainText(d.authority) || d.gssCode,
    text: plainText(d.text),
    lang: d.lang,
    mark: d.lang === lang ? null : t(`insights.render.recordedIn.${d.lang}`),
    translation: d.translation && plainText(d.translation.text)
      ? { label: t(`insights.render.translation.${d.translation.lang}`), text: plainText(d.translation.text), lang: d.translation.lang }
      : null,
  }))
}

function pointLine(point: InsightsPoint | InsightsRecommendation, id: string, lang: InsightsLang, t: Translate): PointLine {
  const edit = point.edited && plainText(point.edited.text) ? point.edited : null
  return {
    id,
    text: edit ? plainText(edit.text) : plainText(point.sentence),
    edited: edit ? t('insights.render.edited') : null,
    editedBy: edit ? t('insights.render.editedBy', { by: plainText(edit.by), date: formatDate(edit.at, lang) }) : null,
    generated: plainText(point.sentence),
    sources: point.sources.map(sourceKey),
    records: recordLines(point, id, lang, t),
  }
}

/** Authority names as the summary gives them (the ELV strand has only GSS codes). */
function authorityNames(summary: InsightsSummary): Map<string, string> {
  const names = new Map<string, string>()
  const add = (gss: string, name: string) => { if (plainText(name) && !names.has(gss)) names.set(gss, plainText(name)) }
  for (const a of summary.areas) for (const p of [...a.goingWell, ...a.needsToImprove]) for (const d of p.details) add(d.gssCode, d.authority)
  for (const r of summary.recommendations) for (const d of r.details) add(d.gssCode, d.authority)
  for (const e of summary.effectivePractice) add(e.gssCode, e.authority)
  return names
}

function practice(summary: InsightsSummary, t: Translate, anchor: Anchor): PracticeAuthority[] {
  const byAuthority = new Map<string, PracticeAuthority>()
  for (const e of summary.effectivePractice) {
    let group = byAuthority.get(e.gssCode)
    if (!group) {
      group = { id: anchor('practice', e.gssCode), gssCode: e.gssCode, authority: plainText(e.authority) || e.gssCode, reports: [], items: [] }
      byAuthority.set(e.gssCode, group)
    }
    const href = safeUrl(e.reportUrl)
    if (href && !group.reports.some((r) => r.href === href)) {
      group.reports.push({ href, text: t('insights.render.reportLink') })
    }
    group.items.push({
      id: anchor('practice', `${e.gssCode}-${e.id}`),
      question: plainText(e.question),
      area: t('insights.render.practiceArea', { area: plainText(e.area) }),
      text: plainText(e.text),
      lang: e.lang,
      mark: e.lang === summary.lang ? null : t(`insights.render.recordedIn.${e.lang}`),
    })
  }
  return [...byAuthority.values()]
}

function figures(summary: InsightsSummary, t: Translate): Array<{ label: string; value: string }> {
  const f = summary.figures
  const rows: Array<[string, number, boolean]> = [
    ['coreInspections', f.coreInspections, true],
    ['welsh', f.byMedium.welsh, true],
    ['english', f.byMedium.english, true],
    // Said only when there are some: most years have neither.
    ['bilingual', f.byMedium.bilingual, f.byMedium.bilingual > 0],
    ['notRecorded', f.byMedium.notRecorded, f.byMedium.notRecorded > 0],
    ['caseStudies', f.caseStudies, true],
    ['elvsIssued', f.elvsIssued, true],
  ]
  return rows.filter(([, , shown]) => shown).map(([key, n]) => ({ label: t(`insights.render.figures.${key}`), value: String(n) }))
}

/**
 * The summary laid out for reading, every word in the summary's language. Records keep their own
 * language (marked when it is not the summary's); nothing here is markup: each renderer escapes.
 */
export async function summaryLayout(summary: InsightsSummary, t: Translate): Promise<SummaryLayout> {
  const lang = summary.lang
  const anchor = anchors()
  const empty = summary.message !== null && plainText(summary.message) !== ''
  const status = summary.publication
    ? t('insights.render.published', { date: formatDate(summary.publication.publishedAt, lang) })
    : t('insights.render.draft', { date: formatDate(summary.generatedAt, lang) })

  const areas: AreaSection[] = empty ? [] : summary.areas.map((a) => {
    const id = anchor('area', a.area)
    const group = (kind: KindGroup['kind'], points: InsightsPoint[]): KindGroup => ({
      kind,
      id: `${id}-${kind === 'going_well' ? 'going-well' : 'needs-to-improve'}`,
      heading: t(kind === 'going_well' ? 'insights.render.goingWell' : 'insights.render.needsToImprove'),
      points: points.map((p) => pointLine(p, anchor('point', p.key || `${a.area}|${kind}|${p.theme}`), lang, t)),
    })
    return { id, heading: plainText(a.area), summary: plainText(a.summary), groups: [group('going_well', a.goingWell), group('needs_to_improve', a.needsToImprove)] }
  })

  // Most frequent first; a stable sort keeps the summary's order between equals.
  const recommendations = empty ? [] : [...summary.recommendations].sort((a, b) => b.count - a.count)
    .map((r) => pointLine(r, anchor('recommendation', r.theme || r.key), lang, t))

  // A chart with nothing to draw is left out (the section says there is nothing instead).
  const [findings, recs] = await Promise.all([
    empty || !summary.charts.findingsByArea.length ? null : findingsChart(summary, t, { id: 'insights-chart-findings' }),
    empty || !recommendations.length ? null : recommendationsChart(summary, t, { id: 'insights-chart-recommendations' }),
  ])

  const names = authorityNames(summary)
  // The ELV strand stands apart: a year with no core inspections may still have issued letters.
  const themes: ElvThemeLine[] = summary.elvStrand.themes.map((e) => ({
    id: anchor('elv', e.theme),
    label: plainText(e.label),
    text: plainText(e.sentence),
    counts: t('insights.render.elv.counts', { workingWell: e.workingWell, improvement: e.improvement }),
    authorities: e.authorities.length ? t('insights.render.elv.authorities', { names: e.authorities.map((g) => names.get(g) ?? g).join(', ') }) : null,
  }))
  const year = plainText(summary.academicYear)
  const practiceAuthorities = empty ? [] : practice(summary, t, anchor)

  return {
    lang,
    languageTag: LANGUAGE_TAGS[lang],
    title: plainText(summary.title),
    academicYear: year,
    status,
    intro: plainText(summary.intro),
    message: empty ? plainText(summary.message) : null,
    areas,
    findingsChart: findings && { ...findings, id: 'insights-chart-findings' },
    recommendations: {
      id: 'recommendations',
      heading: t('insights.render.recommendations'),
      points: recommendations,
      empty: recommendations.length ? null : t('insights.render.noRecommendations'),
      chart: recs && { ...recs, id: 'insights-chart-recommendations' },
    },
    practice: {
      id: 'effective-practice',
      heading: t('insights.render.practice'),
      authorities: practiceAuthorities,
      empty: practiceAuthorities.length ? null : t('insights.render.noPractice'),
    },
    figures: {
      id: 'figures',
      heading: t('insights.render.figures.heading'),
      head: [t('insights.render.figures.col.figure'), t('insights.render.figures.col.value')],
      rows: empty ? [] : figures(summary, t),
    },
    elv: {
      id: 'elv-strand',
      heading: t('insights.render.elv.heading'),
      label: t('insights.render.elv.label'),
      explanation: t('insights.render.elv.explanation', { year }),
      letters: t('insights.render.elv.letters', { count: summary.elvStrand.letters }),
      themes,
      empty: summary.elvStrand.letters > 0 || themes.length ? null : t('insights.render.elv.none', { year }),
      shown: !empty || summary.elvStrand.letters > 0 || themes.length > 0,
    },
    words: {
      noPoints: t('insights.render.noPoints'),
      sources: t('insights.render.sources'),
      records: (count: number) => t('insights.render.records', { count }),
      chartTable: t('insights.render.charts.caption'),
      contents: t('insights.render.contents'),
    },
  }
}

import type { InspectionMedium, Language } from '../../db/schema.ts'
import type { ErrorDetail } from '../../http/errors.ts'
import { translateDetail, type PageErrors } from '../../http/form-errors.ts'
import { paths } from '../../http/paths.ts'
import type { Translate } from '../../i18n/catalogue.ts'
import { formatDate } from '../../http/web.ts'
import { themeLabel, type ThemeView } from '../themes/themes.service.ts'
import type { Part } from './core-inspections.bundle.ts'
import type { CoreInspectionSummary, CoreInspectionView } from './core-inspections.service.ts'

export type Segment = 'recommendations' | 'findings' | 'effective-practice'
export const SEGMENTS: Record<Part, Segment> = { recommendations: 'recommendations', findings: 'findings', effectivePractice: 'effective-practice' }
export const partOf = (segment: string): Part | undefined => (Object.keys(SEGMENTS) as Part[]).find((p) => SEGMENTS[p] === segment)

/** What a posted form holds: a field may repeat (checkboxes), so a value may be a list. */
export type FormBody = Record<string, unknown>
const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '')
const list = (v: unknown) => (Array.isArray(v) ? v : v === undefined || v === '' ? [] : [v]).filter((x): x is string => typeof x === 'string' && x !== '')

const authorityName = (a: { nameEn: string; nameCy: string }, lang: Language) => (lang === 'cy' ? a.nameCy : a.nameEn)

/** "2023-2024" as "2023 to 2024" (or "2023 i 2024"). */
export function yearText(year: string, t: Translate): string {
  const [from, to] = year.split('-')
  return t('reference.yearRange', { from: from ?? year, to: to ?? '' })
}

export function mediumText(medium: InspectionMedium | null, t: Translate): string {
  return t(`coreInspections.medium.${medium ?? 'none'}`)
}

export function datesText(from: string | null, to: string | null, lang: Language, t: Translate): string {
  if (!from && !to) return t('coreInspections.datesUnknown')
  if (!to || from === to) return formatDate(from ?? to, lang)
  if (!from) return formatDate(to, lang)
  return t('coreInspections.dates', { from: formatDate(from, lang), to: formatDate(to, lang) })
}

const themesText = (themes: ThemeView[], lang: Language, t: Translate) => (themes.length ? themes.map((x) => themeLabel(x, lang)).join(', ') : t('coreInspections.inspection.noThemes'))

/** The list page: inspections grouped by academic year, newest year first. */
export function listView(items: CoreInspectionSummary[], lang: Language, t: Translate) {
  const years: Array<{ year: string; caption: string; rows: Array<Record<string, string | number>> }> = []
  for (const i of items) {
    let group = years.find((y) => y.year === i.academicYear)
    if (!group) years.push(group = { year: i.academicYear, caption: '', rows: [] })
    group.rows.push({
      href: paths.coreInspection(i.id),
      authority: authorityName(i.authority, lang),
      gssCode: i.gssCode,
      dates: datesText(i.startsOn, i.endsOn, lang, t),
      medium: mediumText(i.medium, t),
      framework: i.framework ?? t('coreInspections.inspection.noFramework'),
      recommendations: i.counts.recommendations,
      findings: i.counts.findings,
      practice: i.counts.effectivePractice,
    })
  }
  for (const y of years) y.caption = t('coreInspections.yearCaption', { year: yearText(y.year, t), count: y.rows.length })
  return years
}

/** A text in the language it was written in (marked up with that language), with the other language when recorded. */
function writtenText(w: { lang: Language; text: string; translation: string | null }, t: Translate) {
  const other: Language = w.lang === 'en' ? 'cy' : 'en'
  return {
    text: w.text, lang: w.lang,
    translation: w.translation ? { label: t('coreInspections.inspection.translation', { lang: t(`coreInspections.lang.${other}`) }), text: w.translation, lang: other } : null,
  }
}

/** One inspection's page: its details, and its recommendations, findings (by area) and effective practice. */
export function inspectionPage(v: CoreInspectionView, frameworkName: string | null, lang: Language, t: Translate) {
  const row = (key: string, text: string | null, html?: string) => ({ key: { text: t(`coreInspections.inspection.${key}`) }, value: html ? { html } : { text } })
  const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
  const report = v.reportUrl
    ? `<a class="govuk-link" href="${escape(v.reportUrl)}" rel="noopener noreferrer">${escape(t('coreInspections.inspection.reportLink'))}</a>`
    : undefined
  const areas: Array<{ area: string; caption: string; unmatched: boolean; rows: Array<Record<string, unknown>> }> = []
  v.findings.forEach((f, i) => {
    let group = areas.find((a) => a.area === f.area)
    if (!group) areas.push(group = { area: f.area, caption: t('coreInspections.inspection.findingsCaption', { area: f.area }), unmatched: v.framework !== null && f.frameworkAreaCode === null, rows: [] })
    const name = t('coreInspections.inspection.findingName', { number: i + 1 })
    group.rows.push({
      kind: t(`coreInspections.kind.${f.kind}`), ...writtenText(f, t), themes: themesText(f.themes, lang, t), name,
      changeHref: paths.coreInspectionRow(v.id, 'findings', f.id), removeHref: paths.coreInspectionRowRemove(v.id, 'findings', f.id),
    })
  })
  return {
    title: t('coreInspections.inspection.title', { authority: authorityName(v.authority, lang), year: yearText(v.academicYear, t) }),
    detailsHref: paths.coreInspectionDetails(v.id),
    summaryRows: [
      row('authority', `${authorityName(v.authority, lang)} (${v.gssCode})`),
      row('academicYear', yearText(v.academicYear, t)),
      row('framework', frameworkName ?? v.framework ?? t('coreInspections.inspection.noFramework')),
      row('dates', datesText(v.startsOn, v.endsOn, lang, t)),
      row('medium', mediumText(v.medium, t)),
      row('report', report ? null : t('coreInspections.inspection.noReport'), report),
    ],
    recommendations: v.recommendations.map((r) => ({
      ref: r.ref, ...writtenText(r, t), themes: themesText(r.themes, lang, t), name: t('coreInspections.inspection.recommendationName', { ref: r.ref }),
      changeHref: paths.coreInspectionRow(v.id, 'recommendations', r.id), removeHref: paths.coreInspectionRowRemove(v.id, 'recommendations', r.id),
    })),
    findingAreas: areas,
    practice: v.effectivePractice.map((p, i) => ({
      area: p.area,
      question: writtenText({ lang: p.lang, text: p.question, translation: p.questionTranslation }, t),
      ...writtenText(p, t),
      name: t('coreInspections.inspection.practiceName', { number: i + 1 }),
      changeHref: paths.coreInspectionRow(v.id, 'effective-practice', p.id), removeHref: paths.coreInspectionRowRemove(v.id, 'effective-practice', p.id),
    })),
    addRecommendationHref: paths.coreInspectionRow(v.id, 'recommendations', 'new'),
    addFindingHref: paths.coreInspectionRow(v.id, 'findings', 'new'),
    addPracticeHref: paths.coreInspectionRow(v.id, 'effective-practice', 'new'),
  }
}

/** The name a removal page asks about ("recommendation R2", "finding 3"). */
export function rowName(v: CoreInspectionView, part: Part, rowId: number, t: Translate): string | undefined {
  if (part === 'recommendations') {
    const r = v.recommendations.find((x) => x.id === rowId)
    return r && t('coreInspections.inspection.recommendationName', { ref: r.ref })
  }
  const rows: Array<{ id: number }> = part === 'findings' ? v.findings : v.effectivePractice
  const index = rows.findIndex((x) => x.id === rowId)
  if (index < 0) return undefined
  return t(`coreInspections.inspection.${part === 'findings' ? 'findingName' : 'practiceName'}`, { number: index + 1 })
}

/** A part's row as its form shows it (strings; themes a list of keys). */
export function rowValues(v: CoreInspectionView, part: Part, rowId: number | null): Record<string, string | string[]> {
  const blank = { lang: 'en', translation: '', themes: [] as string[] }
  if (part === 'recommendations') {
    const r = v.recommendations.find((x) => x.id === rowId)
    return r ? { ref: r.ref, text: r.text, lang: r.lang, translation: r.translation ?? '', themes: r.themes.map((x) => x.key) } : { ...blank, ref: `R${v.recommendations.length + 1}`, text: '' }
  }
  if (part === 'findings') {
    const f = v.findings.find((x) => x.id === rowId)
    return f ? { area: f.area, kind: f.kind, text: f.text, lang: f.lang, translation: f.translation ?? '', themes: f.themes.map((x) => x.key) } : { ...blank, area: '', kind: '', text: '' }
  }
  const p = v.effectivePractice.find((x) => x.id === rowId)
  return p
    ? { area: p.area, question: p.question, questionTranslation: p.questionTranslation ?? '', text: p.text, lang: p.lang, translation: p.translation ?? '' }
    : { area: '', question: '', questionTranslation: '', text: '', lang: 'en', translation: '' }
}

/** The form's values as shown again after a problem. */
export function postedValues(body: FormBody): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const [k, v] of Object.entries(body)) if (k !== '_csrf') out[k] = Array.isArray(v) ? list(v) : typeof v === 'string' ? v : ''
  out.themes = list(body.themes)
  return out
}

/** A posted row form as a bundle item: optional fields left empty are left out. */
export function itemFromForm(part: Part, body: FormBody): Record<string, unknown> {
  const optional = (key: string) => (str(body[key]) ? { [key]: str(body[key]) } : {})
  const lang = str(body.lang) || undefined
  if (part === 'recommendations') return { ref: str(body.ref), text: str(body.text), ...(lang ? { lang } : {}), ...optional('translation'), themes: list(body.themes) }
  if (part === 'findings') return { area: str(body.area), kind: str(body.kind), text: str(body.text), ...(lang ? { lang } : {}), ...optional('translation'), themes: list(body.themes) }
  return { area: str(body.area), question: str(body.question), text: str(body.text), ...(lang ? { lang } : {}), ...optional('questionTranslation'), ...optional('translation') }
}

/** The details form as a record's own fields; `dates` are the dates as read from the date inputs. */
export function detailsFromForm(body: FormBody, dates: { startsOn: string | null; endsOn: string | null }): Record<string, unknown> {
  const optional = (key: string, value: string | null) => (value ? { [key]: value } : {})
  return {
    ...optional('gssCode', str(body.gssCode)),
    ...optional('academicYear', str(body.academicYear)),
    ...optional('framework', str(body.framework)),
    ...optional('startsOn', dates.startsOn),
    ...optional('endsOn', dates.endsOn),
    ...optional('reportUrl', str(body.reportUrl)),
    ...optional('medium', str(body.medium)),
  }
}

/** Checkboxes of the themes in use, those given ticked. */
export function themeItems(themes: ThemeView[], chosen: readonly string[], lang: Language) {
  return themes.map((x) => ({ value: x.key, text: themeLabel(x, lang), checked: chosen.includes(x.key) }))
    .sort((a, b) => a.text.localeCompare(b.text, lang === 'cy' ? 'cy' : 'en-GB'))
}

const FORM_FIELDS: Record<string, string> = {
  gssCode: 'coreInspections.form.gssCode', academicYear: 'coreInspections.form.academicYear', framework: 'coreInspections.form.framework',
  startsOn: 'coreInspections.form.startsOn', endsOn: 'coreInspections.form.endsOn', medium: 'coreInspections.form.medium', reportUrl: 'coreInspections.form.reportUrl',
  ref: 'coreInspections.form.ref', area: 'coreInspections.form.area', kind: 'coreInspections.form.kind', lang: 'coreInspections.form.lang',
  translation: 'coreInspections.form.translation', question: 'coreInspections.form.question', questionTranslation: 'coreInspections.form.questionTranslation',
  themes: 'coreInspections.form.themes', recommendations: 'coreInspections.form.ref',
}

const FIELD_ORDER = ['version', 'gssCode', 'academicYear', 'framework', 'startsOn', 'endsOn', 'medium', 'reportUrl', 'ref', 'recommendations', 'area', 'kind', 'lang', 'question', 'text', 'questionTranslation', 'translation', 'themes', 'findings']

/** Fields chosen from a list: a missing one reads "Select ...", others "Enter ...". */
const CHOSEN = new Set(['gssCode', 'kind', 'lang', 'medium', 'framework'])

/**
 * A form's problems: the service reports them at JSON Pointers relative to what the form edits
 * (`/text`, `/themes/0`); each goes to its field. A missing value reads as GOV.UK asks ("Enter the
 * recommendation"); any other problem follows the field's name. `part` says what the main text is;
 * a date's problem links to its first box.
 */
export function formProblems(details: ErrorDetail[], t: Translate, part: Part = 'recommendations'): PageErrors {
  const list: PageErrors['list'] = []
  const byField: PageErrors['byField'] = {}
  const textLabels: Record<Part, string> = { recommendations: 'recommendationText', findings: 'findingText', effectivePractice: 'practiceText' }
  // In the order of the form's fields, so the summary reads down the page.
  const fieldOf = (d: ErrorDetail) => d.path.split('/').filter(Boolean)[0] ?? ''
  const rank = (d: ErrorDetail) => { const i = FIELD_ORDER.indexOf(fieldOf(d)); return i < 0 ? FIELD_ORDER.length : i }
  for (const d of [...details].sort((a, b) => rank(a) - rank(b))) {
    const field = fieldOf(d)
    const target = field === 'recommendations' ? 'ref' : field
    const label = target === 'text' ? `coreInspections.form.${textLabels[part]}` : FORM_FIELDS[target]
    const missing = d.path === `/${target}` && (d.messageKey === 'coreInspections.problem.required' || d.messageKey === 'coreInspections.problem.blank')
    const name = target === 'text' ? `coreInspections.form.field.text.${part}` : `coreInspections.form.field.${target}`
    const problem = missing ? t(CHOSEN.has(target) ? 'validation.choice' : 'validation.required', { field: t(name) }) : translateDetail(d, t)
    // The app's own messages (a date the form could not read, a stale version) already name their field.
    const own = missing || !d.messageKey.startsWith('coreInspections.')
    const text = label && !own ? t('coreInspections.form.fieldProblem', { field: t(label), problem }) : problem
    const anchor = target === 'startsOn' || target === 'endsOn' ? `${target}-day` : target || 'main-content'
    list.push({ text, href: `#${anchor}` })
    if (target) byField[target] ??= { text }
  }
  return { list, byField }
}

/** The error summary lists at most this many of a refused bundle's problems; the table below the form has them all. */
export const SUMMARY_LIMIT = 50

/** A refused bundle's problems: the summary (each at its JSON Pointer), and every one for the table. */
export function importProblems(details: ErrorDetail[], t: Translate) {
  const all = details.map((d) => ({ where: d.path || t('coreInspections.importPage.root'), problem: translateDetail(d, t) }))
  const list: PageErrors['list'] = all.slice(0, SUMMARY_LIMIT).map((p) => ({ text: `${p.where}: ${p.problem}`, href: '#bundle' }))
  const more = all.length - SUMMARY_LIMIT
  if (more > 0) list.push({ text: t('coreInspections.importPage.andMore', { count: more }), href: '#problems' })
  return { list, byField: { bundle: { text: t('coreInspections.importPage.rejected', { count: details.length }) } }, all }
}

/** A short bundle shown on the import page (docs/examples/core-inspections-2023-2024.json is a full one). */
export const EXAMPLE_BUNDLE = JSON.stringify({
  themes: [{ key: 'improving-attendance', en: 'improving attendance', cy: 'gwella presenoldeb' }],
  coreInspections: [{
    gssCode: 'W06000008', academicYear: '2023-2024', framework: 'lges-2022', medium: 'welsh', reportUrl: 'https://example.org/report',
    recommendations: [{ ref: 'R1', text: 'Improve attendance, particularly in secondary schools', themes: ['improving-attendance'] }],
    findings: [{ area: 'Leadership', kind: 'going_well', text: 'Leaders have a clear vision for education.', themes: ['leadership'] }],
    effectivePractice: [],
  }],
}, null, 2)

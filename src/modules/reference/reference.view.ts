import type { FrameworkArea, Language, LocalAuthority, Term } from '../../db/schema.ts'
import type { Translate } from '../../i18n/catalogue.ts'
import type { ErrorDetail } from '../../http/errors.ts'
import { fieldId, pageErrors, type PageErrors } from '../../http/form-errors.ts'
import { paths } from '../../http/paths.ts'

/** What a posted form looks like after formbody: a field may repeat, so values can be arrays. */
export type FormBody = Record<string, unknown>

export const DATE_PARTS = ['day', 'month', 'year'] as const
export type DatePart = (typeof DATE_PARTS)[number]
export type DateParts = Record<DatePart, string>

/** A GOV.UK date input read from a form: the ISO date, or the problem and which boxes to highlight. */
export type DateReading =
  | { ok: true; iso: string | null }
  | { ok: false; detail: ErrorDetail; badParts: DatePart[] }

/** The three boxes of a GOV.UK date input named `<name>-day`, `<name>-month`, `<name>-year`. */
export function datePartsFrom(body: FormBody, name: string): DateParts {
  const part = (p: DatePart) => {
    const v = body[`${name}-${p}`]
    return typeof v === 'string' ? v.trim() : ''
  }
  return { day: part('day'), month: part('month'), year: part('year') }
}

/** A stored YYYY-MM-DD date as the boxes show it: no leading zeros, as people type it. */
export function datePartsOf(iso: string | null | undefined): DateParts {
  const m = iso ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso) : null
  if (!m) return { day: '', month: '', year: '' }
  return { day: String(Number(m[3])), month: String(Number(m[2])), year: m[1]! }
}

/**
 * Combines the boxes into YYYY-MM-DD. Empty boxes are "Enter ..." when the date is required and
 * no date otherwise; some boxes empty is an incomplete date; anything else not on the calendar
 * (31 June, month 13, letters, a two-digit year) is not a real date.
 */
export function readDate(boxes: DateParts, path: string, label: string, opts: { required: boolean }): DateReading {
  const parts: DateParts = { day: boxes.day.trim(), month: boxes.month.trim(), year: boxes.year.trim() }
  const empty = DATE_PARTS.filter((p) => parts[p] === '')
  if (empty.length === 3) {
    if (!opts.required) return { ok: true, iso: null }
    return { ok: false, detail: { path, messageKey: 'validation.required', params: { field: label } }, badParts: [...DATE_PARTS] }
  }
  if (empty.length) {
    return { ok: false, detail: { path, messageKey: 'reference.date.incomplete', params: { field: label } }, badParts: empty }
  }
  const notReal = (badParts: DatePart[]): DateReading =>
    ({ ok: false, detail: { path, messageKey: 'reference.date.real', params: { field: label } }, badParts })
  const bad: DatePart[] = []
  if (!/^\d{1,2}$/.test(parts.day)) bad.push('day')
  if (!/^\d{1,2}$/.test(parts.month)) bad.push('month')
  if (!/^\d{4}$/.test(parts.year)) bad.push('year')
  if (bad.length) return notReal(bad)
  const day = Number(parts.day)
  const month = Number(parts.month)
  const year = Number(parts.year)
  if (month < 1 || month > 12) return notReal(['month'])
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate()
  if (day < 1 || day > daysInMonth) return notReal(['day'])
  return { ok: true, iso: `${parts.year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` }
}

/** Stands in for a date the route could not read, so the service still checks every other field. */
export const UNREADABLE_DATE = 'unreadable-date'

/**
 * The service's problems with the route's own message for each date it could not read in place
 * of the service's (which only saw UNREADABLE_DATE), in the service's order.
 */
export function withDateProblems(serviceDetails: ErrorDetail[], dateProblems: ErrorDetail[]): ErrorDetail[] {
  const byPath = new Map(dateProblems.map((d) => [d.path, d]))
  const out: ErrorDetail[] = []
  for (const d of serviceDetails) {
    const mine = byPath.get(d.path)
    if (!mine) out.push(d)
    else if (!out.includes(mine)) out.push(mine)
  }
  for (const d of dateProblems) if (!out.includes(d)) out.push(d)
  return out
}

/**
 * Page errors for a form with date inputs: each date's summary link goes to its first box that
 * is wrong (GOV.UK's pattern), and each area's message names the area it is about.
 */
export function formErrors(details: ErrorDetail[], t: Translate, opts: { dates?: Record<string, DatePart[]> } = {}): PageErrors {
  const errors = pageErrors(details, t)
  const dates = opts.dates ?? {}
  errors.list = errors.list.map((item, i) => {
    const d = details[i]!
    if (d.path in dates) {
      const first = dates[d.path]![0] ?? 'day'
      return { ...item, href: `#${fieldId(d.path)}-${first}` }
    }
    const area = /^area\.(.+)\.name(En|Cy)$/.exec(d.path)
    return area ? { ...item, text: `${area[1]}: ${item.text}` } : item
  })
  return errors
}

/** The boxes to mark as wrong for each date field that has an error. */
export function badDateParts(details: ErrorDetail[], readings: Record<string, DateReading>): Record<string, DatePart[]> {
  const out: Record<string, DatePart[]> = {}
  for (const d of details) {
    if (!(d.path in readings)) continue
    const r = readings[d.path]!
    // A rule about the whole date (end before start, overlap) marks every box.
    out[d.path] ??= r.ok ? [...DATE_PARTS] : r.badParts
  }
  return out
}

/** Items for govukDateInput: translated labels, the values shown, and the boxes marked wrong. */
export function dateInputItems(parts: DateParts, bad: DatePart[] | undefined, t: Translate) {
  return DATE_PARTS.map((p) => ({
    name: p,
    label: t(`reference.date.${p}`),
    value: parts[p],
    classes: p === 'year' ? 'govuk-input--width-4' : 'govuk-input--width-2',
    // With no box named, GOV.UK marks them all when there is an error message.
    error: bad ? bad.includes(p) : undefined,
  }))
}

export type ReferenceSection = 'authorities' | 'terms' | 'frameworks'

/** The sub-navigation shared by the three reference data sections. */
export function referenceSubnav(section: ReferenceSection, currentPath: string, t: Translate) {
  const sections: Array<{ key: ReferenceSection; href: string }> = [
    { key: 'authorities', href: paths.authorities() },
    { key: 'terms', href: paths.terms() },
    { key: 'frameworks', href: paths.frameworks() },
  ]
  const path = currentPath.split('?')[0]
  return sections.map((s) => ({
    text: t(`reference.nav.${s.key}`),
    href: s.href,
    // "page" on the list itself; "true" on a record within that section.
    current: s.key === section ? (path === s.href ? 'page' : 'true') : undefined,
  }))
}

export function authorityName(a: Pick<LocalAuthority, 'name_en' | 'name_cy'>, lang: Language): string {
  return lang === 'cy' ? a.name_cy : a.name_en
}

/** "2025-2026" as "2025 to 2026" (or "2025 i 2026"). */
export function yearRange(academicYear: string, t: Translate): string {
  const [from, to] = academicYear.split('-')
  return t('reference.yearRange', { from: from ?? academicYear, to: to ?? '' })
}

export function termTitle(term: Pick<Term, 'season' | 'academic_year'>, t: Translate): string {
  return t(`reference.term.title.${term.season}`, { year: yearRange(term.academic_year, t) })
}

/** Terms grouped under their academic year, in calendar order. */
export function termsByYear(terms: Term[], t: Translate) {
  const years: Array<{ key: string; caption: string; terms: Array<Term & { seasonName: string; href: string; title: string }> }> = []
  for (const term of terms) {
    let year = years.find((y) => y.key === term.academic_year)
    if (!year) {
      year = { key: term.academic_year, caption: t('reference.terms.yearCaption', { year: yearRange(term.academic_year, t) }), terms: [] }
      years.push(year)
    }
    year.terms.push({ ...term, seasonName: t(`reference.season.${term.season}`), href: paths.term(term.key), title: termTitle(term, t) })
  }
  return years
}

/** One row per area of a framework, with the names shown in its inputs and any error on them. */
export function frameworkAreaRows(areas: FrameworkArea[], values: FormBody, byField: PageErrors['byField'] = {}) {
  const text = (v: unknown, fallback: string) => (typeof v === 'string' ? v : fallback)
  return areas.map((a) => {
    const pathEn = `area.${a.code}.nameEn`
    const pathCy = `area.${a.code}.nameCy`
    return {
      code: a.code,
      isSubArea: a.parent_code !== null,
      savedNameEn: a.name_en,
      en: { name: pathEn, id: fieldId(pathEn), value: text(values[pathEn], a.name_en), error: byField[pathEn] },
      cy: { name: pathCy, id: fieldId(pathCy), value: text(values[pathCy], a.name_cy), error: byField[pathCy] },
    }
  })
}

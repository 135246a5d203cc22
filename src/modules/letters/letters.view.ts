import type { Language, LetterState, ParagraphStyle } from '../../db/schema.ts'
import type { Translate } from '../../i18n/catalogue.ts'
import { paths } from '../../http/paths.ts'
import type { LetterModel, LetterParagraphModel, LetterSectionModel, WritingProblem } from './letter.model.ts'
import { translationStatus } from './letters.rules.ts'

/** This module's pages that the shared path helpers do not name. */
export const lettersPaths = {
  tab: (elvId: number) => paths.elvTab(elvId, 'letter'),
  section: (elvId: number, key: string) => `/elvs/${elvId}/letter/sections/${encodeURIComponent(key)}`,
  sectionAnchor: (elvId: number, sectionId: number) => `${paths.elvTab(elvId, 'letter')}#section-${sectionId}`,
  finding: (elvId: number, findingId: number) => `${paths.elvTab(elvId, 'findings')}#finding-${findingId}`,
} as const

/** The writing checks as this module uses them; the writing-checks service provides it. */
export interface WritingChecker {
  check(model: LetterModel, lang?: Language): Promise<WritingProblem[]>
}

/** The checker, if the service offers one: the letter pages work (without a problems list) when it does not. */
export function writingChecker(candidate: unknown): WritingChecker | null {
  const c = candidate as Partial<WritingChecker> | null | undefined
  return c && typeof c.check === 'function' ? c as WritingChecker : null
}

const STATE_COLOUR: Record<LetterState, string> = { draft: 'grey', in_review: 'orange', approved: 'blue', issued: 'green' }

export function letterStateTag(state: LetterState, t: Translate) {
  return { text: t(`letters.state.${state}`), classes: `govuk-tag--${STATE_COLOUR[state]}` }
}

const TRANSLATION_COLOUR = { current: 'green', cyBehind: 'yellow', enBehind: 'yellow', needed: 'red' } as const

export function translationTag(section: Pick<LetterSectionModel, 'translation'>, t: Translate) {
  const status = translationStatus(section.translation)
  return { text: t(`letters.translation.${status}`), classes: `govuk-tag--${TRANSLATION_COLOUR[status]}` }
}

/** A section's name for the reader: its heading in their language (else the other), or what the section is for. */
export function sectionTitle(section: Pick<LetterSectionModel, 'key' | 'heading'>, t: Translate, lang: Language): string {
  const own = section.heading[lang].trim() || section.heading[lang === 'cy' ? 'en' : 'cy'].trim()
  if (own) return own
  return section.key === 'opening' || section.key === 'closing' ? t(`letters.section.${section.key}`) : section.key
}

/**
 * A paragraph as the letter tab shows it: both texts, its style, and links to the findings it came
 * from (findings are the inspectorate's working record: not shown to the authority).
 */
function paragraphView(p: LetterParagraphModel, n: number, elvId: number, t: Translate, showFindings: boolean) {
  return {
    id: p.id, n, style: p.style, cy: p.text.cy, en: p.text.en, fixed: p.fixed,
    findings: showFindings ? p.findingIds.map((id) => ({ id, text: t('letters.paragraph.finding', { id }), href: lettersPaths.finding(elvId, id) })) : [],
  }
}

export type ParagraphView = ReturnType<typeof paragraphView>

/** Every section for the letter tab, in order, each with its translation status and edit link. */
export function sectionViews(model: LetterModel, t: Translate, lang: Language, opts: { mayEdit: boolean; showFindings: boolean }) {
  return [...model.sections].sort((a, b) => a.position - b.position || a.id - b.id).map((s) => ({
    id: s.id,
    key: s.key,
    title: sectionTitle(s, t, lang),
    // The page's own h1 is the visit and its h2 the letter: sections sit one level below.
    headingLevel: (s.level ?? 2) + 1,
    heading: s.heading,
    hasHeading: Boolean(s.heading.en || s.heading.cy),
    tag: translationTag(s, t),
    edited: s.edited,
    editHref: opts.mayEdit ? lettersPaths.section(model.elvId, s.key) : undefined,
    viewHref: lettersPaths.section(model.elvId, s.key),
    // Template wording is said once for a section that is all template wording, else beside each such paragraph.
    allFixed: s.paragraphs.length > 0 && s.paragraphs.every((p) => p.fixed),
    paragraphs: s.paragraphs.map((p, i) => paragraphView(p, i + 1, model.elvId, t, opts.showFindings)),
  }))
}

export type SectionView = ReturnType<typeof sectionViews>[number]

/**
 * The writing checks' problems grouped by section, in the letter's order, each naming its paragraph
 * (by number) and linking to the section's edit page; problems about the letter as a whole come first.
 */
export function problemGroups(problems: readonly WritingProblem[], model: LetterModel, t: Translate, lang: Language) {
  const sections = [...model.sections].sort((a, b) => a.position - b.position || a.id - b.id)
  const item = (p: WritingProblem, section: LetterSectionModel | undefined) => {
    const n = section && p.paragraph !== null ? section.paragraphs.findIndex((x) => x.id === p.paragraph) + 1 : 0
    return {
      where: n > 0 ? t('letters.problems.paragraph', { n }) : t('letters.problems.wholeSection'),
      language: p.lang ? t(`letters.lang.${p.lang}`) : '',
      message: p.message,
      rule: p.rule,
      href: section ? `${lettersPaths.section(model.elvId, section.key)}${n > 0 ? `#paragraph-${n}` : ''}` : undefined,
    }
  }
  const groups = sections.map((s) => ({
    id: s.id, title: sectionTitle(s, t, lang), href: lettersPaths.section(model.elvId, s.key),
    items: problems.filter((p) => p.section === s.id).sort((a, b) => paragraphOrder(s, a) - paragraphOrder(s, b)).map((p) => item(p, s)),
  })).filter((g) => g.items.length)
  const known = new Set(sections.map((s) => s.id))
  const general = problems.filter((p) => p.section === null || !known.has(p.section)).map((p) => item(p, undefined))
  return general.length ? [{ id: 0, title: t('letters.problems.letter'), href: undefined, items: general }, ...groups] : groups
}

const paragraphOrder = (s: LetterSectionModel, p: WritingProblem) => (p.paragraph === null ? -1 : s.paragraphs.findIndex((x) => x.id === p.paragraph))

// ---- the section form ---------------------------------------------------------------------------

export type Form = Record<string, string | string[] | undefined>

export const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? v[0] ?? '' : v ?? '')

/** No form has more rows than a section may have paragraphs, and a few blank ones. */
const MAX_ROWS = 220

/** One row of the section form: an existing paragraph (with its id) or a new, blank one. */
export interface FormRow { id: string; style: string; cy: string; en: string; remove: boolean }

/** The form's values for a section as saved, with one blank row to add a paragraph. */
export function formFromSection(section: LetterSectionModel): Form {
  const form: Form = { 'heading-cy': section.heading.cy, 'heading-en': section.heading.en, version: '' }
  section.paragraphs.forEach((p, i) => {
    form[`paragraphs-${i}-id`] = String(p.id)
    form[`paragraphs-${i}-style`] = p.style
    form[`paragraphs-${i}-cy`] = p.text.cy
    form[`paragraphs-${i}-en`] = p.text.en
  })
  return form
}

/** The rows a posted form holds, in order (however many it had). */
export function formRows(form: Form): FormRow[] {
  let last = -1
  for (const name of Object.keys(form)) {
    const m = /^paragraphs-(\d+)-/.exec(name)
    if (m) last = Math.max(last, Number(m[1]))
  }
  last = Math.min(last, MAX_ROWS - 1)
  return Array.from({ length: last + 1 }, (_, i) => ({
    id: one(form[`paragraphs-${i}-id`]),
    style: one(form[`paragraphs-${i}-style`]),
    cy: one(form[`paragraphs-${i}-cy`]),
    en: one(form[`paragraphs-${i}-en`]),
    remove: one(form[`paragraphs-${i}-remove`]) !== '',
  }))
}

/**
 * What the form sends, as the service reads it. A removed row is sent empty so that the rows keep
 * their numbers in any error message (the service drops paragraphs empty in both languages).
 */
export function sectionInputFromForm(form: Form) {
  return {
    heading: { cy: one(form['heading-cy']), en: one(form['heading-en']) },
    paragraphs: formRows(form).map((r) => (r.remove
      ? { ...(r.id ? { id: r.id } : {}), cy: '', en: '' }
      : { ...(r.id ? { id: r.id } : {}), style: r.style || undefined, cy: r.cy, en: r.en })),
    translationCurrent: one(form.translationCurrent) ? true : undefined,
    version: one(form.version),
  }
}

/** The rows to show: those given, then `blank` new ones. A new row's style follows the section's kind. */
export function rowsToShow(rows: readonly FormRow[], blank: number, defaultStyle: ParagraphStyle): FormRow[] {
  const extra = Array.from({ length: blank }, () => ({ id: '', style: defaultStyle, cy: '', en: '', remove: false }))
  return [...rows, ...extra].slice(0, MAX_ROWS)
}

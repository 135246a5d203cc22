import { FINDING_KINDS, type FindingKind, type Language, type LetterState } from '../../db/schema.ts'
import type { Bilingual } from './letter.model.ts'

/** A paragraph is at most this long in either language: a long one is a mistake, not a sentence. */
export const MAX_PARAGRAPH = 5000
export const MAX_HEADING = 300
export const MAX_PARAGRAPHS = 200

/** What a section key says about the section: which focus area, which part, how deep its heading sits. */
export interface SectionKeyParts {
  focusAreaId: number | null
  findingKind: FindingKind | null
  level: 2 | 3
}

export const focusKey = (focusAreaId: number, kind?: FindingKind) => (kind ? `focus:${focusAreaId}:${kind}` : `focus:${focusAreaId}`)

export function parseSectionKey(key: string): SectionKeyParts {
  const m = /^focus:(\d+)(?::(\w+))?$/.exec(key)
  if (!m) return { focusAreaId: null, findingKind: null, level: 2 }
  const kind = (FINDING_KINDS as readonly string[]).includes(m[2] ?? '') ? m[2] as FindingKind : null
  return { focusAreaId: Number(m[1]), findingKind: kind, level: kind ? 3 : 2 }
}

/** Letter states in which the text may still change; an edit to an approved letter sends it back to review. */
export const stateAfterEdit = (state: LetterState): LetterState | null =>
  state === 'issued' ? null : state === 'approved' ? 'in_review' : state

export type TextProblem = 'notText' | 'control'

// C0 and C1 controls, and the invisible bidirectional overrides that can make text read differently from how it is stored.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/

/**
 * A paragraph or heading as it is stored: plain text, kept as typed (markup included: it is escaped
 * wherever it is shown), with line breaks and runs of spaces made single spaces, since a paragraph
 * is one run of text. Control characters are refused rather than silently dropped.
 */
export function cleanText(value: unknown): { text: string } | { problem: TextProblem } {
  if (value === undefined || value === null) return { text: '' }
  if (typeof value !== 'string') return { problem: 'notText' }
  if (CONTROL.test(value)) return { problem: 'control' }
  return { text: value.replace(/\s+/g, ' ').trim() }
}

/** Which language was written last, from the two revision times; null when both (or neither) were written together. */
export function originalLanguage(enRevisedAt: string | null, cyRevisedAt: string | null): Language | null {
  if (enRevisedAt === cyRevisedAt) return null
  if (cyRevisedAt === null || (enRevisedAt !== null && enRevisedAt > cyRevisedAt)) return 'en'
  return 'cy'
}

export type TranslationStatus = 'current' | 'cyBehind' | 'enBehind' | 'needed'

/** How a section's translation reads on the page: up to date, or which language has to catch up. */
export function translationStatus(t: { original: Language | null; current: boolean }): TranslationStatus {
  if (t.current) return 'current'
  return t.original === 'en' ? 'cyBehind' : t.original === 'cy' ? 'enBehind' : 'needed'
}

/** The texts of a section in one language, paragraph by paragraph (by id; new ones have none). */
export interface SectionTexts {
  heading: Bilingual
  paragraphs: Array<{ id: number | null; text: Bilingual }>
}

/** Where a text is written in one language only: the translation of that section cannot be current. */
export function untranslated(texts: SectionTexts): Array<{ paragraph: number | null; missing: Language }> {
  const gaps: Array<{ paragraph: number | null; missing: Language }> = []
  const gap = (text: Bilingual, paragraph: number | null) => {
    if (text.en && !text.cy) gaps.push({ paragraph, missing: 'cy' })
    else if (text.cy && !text.en) gaps.push({ paragraph, missing: 'en' })
  }
  gap(texts.heading, null)
  texts.paragraphs.forEach((p, i) => gap(p.text, i))
  return gaps
}

/** Which languages an edit changed. Removing a paragraph changes neither: both lose the same words. */
export function changedLanguages(before: SectionTexts, after: SectionTexts): Record<Language, boolean> {
  const old = new Map(before.paragraphs.filter((p) => p.id !== null).map((p) => [p.id, p.text]))
  const changed = { en: false, cy: false }
  for (const lang of ['en', 'cy'] as const) {
    if (before.heading[lang] !== after.heading[lang]) changed[lang] = true
    for (const p of after.paragraphs) {
      const was = p.id === null ? undefined : old.get(p.id)
      if (was ? was[lang] !== p.text[lang] : p.text[lang] !== '') changed[lang] = true
    }
  }
  return changed
}

export interface TranslationState { enRevisedAt: string | null; cyRevisedAt: string | null; current: boolean }

/**
 * The translation state after an edit saved at `now`. One language changed: it becomes the original
 * and the other is out of date, unless the editor says the other already says the same. Both changed
 * in one save: written together, so current. Nothing changed: the editor's word, or as it was. A text
 * present in only one language is never current, whatever anyone ticks.
 */
export function translationAfterEdit(
  before: TranslationState, changed: Record<Language, boolean>, otherUpToDate: boolean | undefined, gaps: number, now: string,
): TranslationState {
  // The other language's time must read as earlier, even for two saves within one clock tick.
  const earlier = (t: string | null) => (t !== null && t >= now ? null : t)
  let next: TranslationState
  if (changed.en && changed.cy) next = { enRevisedAt: now, cyRevisedAt: now, current: otherUpToDate ?? true }
  else if (changed.en) next = { enRevisedAt: now, cyRevisedAt: earlier(before.cyRevisedAt), current: otherUpToDate ?? false }
  else if (changed.cy) next = { enRevisedAt: earlier(before.enRevisedAt), cyRevisedAt: now, current: otherUpToDate ?? false }
  else next = { ...before, current: otherUpToDate ?? before.current }
  return gaps > 0 ? { ...next, current: false } : next
}

import type { Language } from '../../../db/schema.ts'
import { I18n, type Translate } from '../../../i18n/catalogue.ts'
import { formatDate } from '../../../http/web.ts'
import type { LetterModel, LetterParagraphModel, LetterSectionModel } from '../letter.model.ts'

/**
 * What every renderer (HTML, DOCX, PDF) lays out, worked out once from the document model so the
 * three outputs say the same thing in the same order: one version of the letter per language.
 */

/** The languages a rendering holds: one, or both with Welsh first. */
export type LetterLanguages = Language | 'both'

export const LETTER_LANGUAGES: readonly LetterLanguages[] = ['both', 'cy', 'en']

/** Welsh first: the inspectorate's bilingual documents lead with Welsh. */
export const versionsOf = (lang: LetterLanguages): Language[] => (lang === 'both' ? ['cy', 'en'] : [lang])

/** BCP 47 tags for DOCX and PDF; HTML `lang` attributes use the bare `cy` / `en`. */
export const LANGUAGE_TAGS: Record<Language, string> = { en: 'en-GB', cy: 'cy-GB' }

/** The renderers' own words (page numbers, contact labels), from the catalogue, in each language. */
export type LetterWords = Record<Language, Translate>

let catalogueWords: LetterWords | undefined
/** The catalogue's words, loaded once: for callers (tests, the benchmark) without the app's translators to hand. */
export function defaultLetterWords(): LetterWords {
  if (!catalogueWords) {
    const i18n = new I18n()
    catalogueWords = { en: i18n.translator('en'), cy: i18n.translator('cy') }
  }
  return catalogueWords
}

export type LetterBlock =
  | { kind: 'heading'; level: 2 | 3; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: string[] }

/** "Page {page} of {pages}" cut into words and the two numbers, so DOCX fields and CSS counters can stand in for them. */
export type PagePart = string | { field: 'page' | 'pages' }

export interface LetterVersion {
  lang: Language
  title: string
  /** The date as written in this language ("12 March 2026", "12 Mawrth 2026"), and as stored. */
  date: { text: string; iso: string }
  letterhead: {
    organisation: string
    addressLines: string[]
    /** "Telephone: 0300 123 4500" and the like; lines left empty in the settings are left off. */
    contacts: string[]
  }
  /** The director's name and the authority, one line each. */
  addressee: string[]
  blocks: LetterBlock[]
  /** This version's name in its own language ("Fersiwn Gymraeg"), for labelling it. */
  label: string
  page: PagePart[]
}

/**
 * One paragraph as typed: runs of spaces and line breaks read as one space in every format, and
 * accents composed (w + combining circumflex is ŵ), so every font and reader sees the same letters.
 */
export const plainText = (s: string): string => s.normalize('NFC').replace(/\s+/g, ' ').trim()

const lines = (s: string): string[] => s.split(/\r?\n/).map(plainText).filter(Boolean)

/** Sections in position order (ties by id, so the order never depends on how they were read). */
export const orderedSections = (model: LetterModel): LetterSectionModel[] =>
  [...model.sections].sort((a, b) => a.position - b.position || a.id - b.id)

/**
 * A sub-section ("What is working well" under a focus area) has a heading a level below: as the
 * model says (`level`), or else when its key extends another section's (`focus:12:working_well`
 * under `focus:12`).
 */
export function headingLevel(section: LetterSectionModel, sections: readonly LetterSectionModel[]): 2 | 3 {
  const given = (section as LetterSectionModel & { level?: unknown }).level
  if (given === 2 || given === 3) return given
  return sections.some((s) => s !== section && section.key.startsWith(`${s.key}:`)) ? 3 : 2
}

/** The sections' headings and paragraphs in one language: consecutive bullets make one list; empty text is left out. */
export function letterBlocks(model: LetterModel, lang: Language): LetterBlock[] {
  const sections = orderedSections(model)
  const blocks: LetterBlock[] = []
  for (const section of sections) {
    const heading = plainText(section.heading[lang])
    if (heading) blocks.push({ kind: 'heading', level: headingLevel(section, sections), text: heading })
    let list: string[] | null = null
    let listKind: unknown
    for (const p of section.paragraphs as ReadonlyArray<LetterParagraphModel & { findingKind?: unknown }>) {
      const text = plainText(p.text[lang])
      if (!text) continue
      if (p.style === 'bullet') {
        // Bullets drawn from different kinds of finding (working well, improvement) never run into one list.
        if (!list || p.findingKind !== listKind) blocks.push({ kind: 'list', items: (list = []) })
        listKind = p.findingKind
        list.push(text)
      } else {
        list = null
        blocks.push({ kind: 'paragraph', text })
      }
    }
  }
  return blocks
}

/** Splits a page-number template at `{page}` and `{pages}`. */
export function pageParts(template: string): PagePart[] {
  const parts: PagePart[] = []
  let at = 0
  for (const m of template.matchAll(/\{(page|pages)\}/g)) {
    if (m.index > at) parts.push(template.slice(at, m.index))
    parts.push({ field: m[1] as 'page' | 'pages' })
    at = m.index + m[0].length
  }
  if (at < template.length) parts.push(template.slice(at))
  return parts
}

export const pageText = (parts: readonly PagePart[], page: number, pages: number): string =>
  parts.map((p) => (typeof p === 'string' ? p : String(p.field === 'page' ? page : pages))).join('')

/** One language's version of the letter, everything in it already in that language. */
export function letterVersion(model: LetterModel, lang: Language, words: LetterWords = defaultLetterWords()): LetterVersion {
  const t = words[lang]
  const { letterhead: l } = model
  const contacts = [
    ['telephone', l.phone], ['email', l.email], ['website', l.website],
  ].filter(([, value]) => plainText(value!)).map(([key, value]) => t(`letterhead.document.${key}`, { value: plainText(value!) }))
  return {
    lang,
    title: plainText(model.title[lang]),
    date: { text: formatDate(model.date, lang), iso: model.date },
    letterhead: { organisation: plainText(l.organisation[lang]), addressLines: lines(l.address[lang]), contacts },
    addressee: [plainText(model.director.name), plainText(model.authority[lang])].filter(Boolean),
    blocks: letterBlocks(model, lang),
    label: t('letterhead.document.version'),
    page: pageParts(t('letterhead.document.page')),
  }
}

export const letterVersions = (model: LetterModel, lang: LetterLanguages, words: LetterWords = defaultLetterWords()): LetterVersion[] =>
  versionsOf(lang).map((l) => letterVersion(model, l, words))

/** The document's title for its metadata: one language's, or both, Welsh first. */
export const documentTitle = (versions: readonly LetterVersion[]): string => versions.map((v) => v.title).join(' / ')

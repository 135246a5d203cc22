import type { FindingKind, Language, LetterState, ParagraphStyle } from '../../db/schema.ts'

/**
 * The letter as one document model: built from the database by the letters service, read by the
 * writing checks, the review pages and every renderer (HTML, DOCX, PDF), so all outputs say the
 * same thing.
 */
export type Bilingual = Record<Language, string>

export interface LetterParagraphModel {
  id: number
  style: ParagraphStyle
  text: Bilingual
  /** The findings the paragraph was drawn from, so a reviewer can open the evidence behind it. */
  findingIds: number[]
  /** Template wording (greeting, purpose, closing): not checked by the writing rules. */
  fixed: boolean
  /**
   * In a focus area's section: whether the paragraph tells what is working well or a consideration
   * for improvement. The writing checks flag a focus area lacking either (a section keyed
   * 'focus:<id>:working_well' or 'focus:<id>:improvement' says the same for all its paragraphs).
   */
  findingKind?: FindingKind
}

export interface LetterSectionModel {
  id: number
  /** 'opening', 'purpose', 'visit', 'focus:<id>', 'focus:<id>:working_well', 'focus:<id>:improvement', 'closing' */
  key: string
  position: number
  focusAreaId: number | null
  /**
   * The heading's level in the letter, whose title is level 1: 2 for a section, 3 for the parts of a
   * focus area. Absent means 2 (models made before parts existed).
   */
  level?: 2 | 3
  /** For the parts of a focus area: which kind of finding it holds; null for every other section. */
  findingKind?: FindingKind | null
  /** Empty for the opening and closing. */
  heading: Bilingual
  edited: boolean
  /** Which language was written last (null when both were written together) and whether the other has caught up. */
  translation: { original: Language | null; current: boolean }
  paragraphs: LetterParagraphModel[]
}

/** What the letterhead and address block need; settings an admin can change. */
export interface Letterhead {
  organisation: Bilingual
  address: Bilingual
  phone: string
  email: string
  website: string
}

export interface LetterModel {
  id: number
  elvId: number
  state: LetterState
  version: number
  /** The date on the letter: the issue date once issued, otherwise today's date for previews. */
  date: string
  authority: Bilingual
  /** `name` is '' when the authority has no director named (the greeting then addresses the role). */
  director: { name: string; email: string | null }
  letterhead: Letterhead
  /** Title of the document, e.g. "Enhanced link inspector visit to Ceredigion: feedback", in both languages. */
  title: Bilingual
  sections: LetterSectionModel[]
}

/** One problem the writing checks found. `section`/`paragraph` are ids; `lang` the text it is in. */
export interface WritingProblem {
  rule: string
  message: string
  section: number | null
  paragraph: number | null
  lang: Language | null
}

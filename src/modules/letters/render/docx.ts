import {
  AlignmentType, BorderStyle, Document, Footer, HeadingLevel, LevelFormat, Packer, PageNumber, Paragraph, TextRun,
  type IRunOptions, type ISectionOptions,
} from 'docx'
import type { Language } from '../../../db/schema.ts'
import type { LetterModel } from '../letter.model.ts'
import {
  defaultLetterWords, documentTitle, LANGUAGE_TAGS, letterVersions, type LetterBlock, type LetterLanguages, type LetterVersion, type LetterWords,
} from './layout.ts'

const FONT = 'Arial'
const BULLETS = 'letter-bullets'
// A4 with 20 mm margins, in twentieths of a point.
const A4 = { width: 11906, height: 16838 }
const MARGIN = 1134
const HEADINGS = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 } as const

/** A run of plain text in one language: Word then spell-checks and reads it aloud as that language. */
const run = (text: string, lang: Language, opts: Omit<IRunOptions, 'text' | 'language'> = {}) =>
  new TextRun({ ...opts, text, language: { value: LANGUAGE_TAGS[lang] } })

function blockParagraphs(b: LetterBlock, lang: Language): Paragraph[] {
  switch (b.kind) {
    case 'heading': return [new Paragraph({ heading: HEADINGS[b.level], keepNext: true, children: [run(b.text, lang)] })]
    case 'paragraph': return [new Paragraph({ children: [run(b.text, lang)] })]
    // Word's own numbering (a real list), not bullet characters typed into the text.
    case 'list': return b.items.map((item) => new Paragraph({ numbering: { reference: BULLETS, level: 0 }, children: [run(item, lang)] }))
  }
}

/** One language's letter as one section of the document: its own footer, in its own words, and starting on a new page. */
function section(v: LetterVersion): ISectionOptions {
  const { lang } = v
  const contact = [...v.letterhead.addressLines, ...v.letterhead.contacts]
  const letterhead = [
    new Paragraph({ spacing: { after: 60 }, children: [run(v.letterhead.organisation, lang, { bold: true, size: 36 })] }),
    ...contact.map((line, i) => new Paragraph({
      spacing: { after: 0 },
      // A rule under the letterhead, as on the inspectorate's paper.
      ...(i === contact.length - 1 ? { border: { bottom: { style: BorderStyle.SINGLE, size: 12, color: '1D70B8', space: 6 } } } : {}),
      children: [run(line, lang, { size: 19, color: '383F43' })],
    })),
  ]
  const page = v.page.map((p) => (typeof p === 'string' ? p : p.field === 'page' ? PageNumber.CURRENT : PageNumber.TOTAL_PAGES))
  return {
    properties: { page: { size: A4, margin: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN, footer: 567 } } },
    footers: {
      default: new Footer({
        children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: page, size: 18, color: '505A5F', language: { value: LANGUAGE_TAGS[lang] } })] })],
      }),
    },
    children: [
      ...letterhead,
      new Paragraph({ alignment: AlignmentType.RIGHT, spacing: { before: 360, after: 240 }, children: [run(v.date.text, lang)] }),
      ...v.addressee.map((line, i) => new Paragraph({ spacing: { after: i === v.addressee.length - 1 ? 240 : 0 }, children: [run(line, lang)] })),
      new Paragraph({ heading: HeadingLevel.HEADING_1, keepNext: true, children: [run(v.title, lang)] }),
      ...v.blocks.flatMap((b) => blockParagraphs(b, lang)),
    ],
  }
}

/**
 * The letter as a Word document: the letterhead at the top of each language's version, page
 * numbers in the footer, Word's heading styles and bulleted lists, the title and language set.
 * With both languages, Welsh comes first and English starts on a new page (a section of its own).
 */
export async function renderLetterDocx(model: LetterModel, lang: LetterLanguages = 'both', words: LetterWords = defaultLetterWords()): Promise<Buffer> {
  const versions = letterVersions(model, lang, words)
  const first = versions[0]!
  const heading = (size: number, before: number) => ({
    run: { font: FONT, size, bold: true, color: '0B0C0C' },
    paragraph: { spacing: { before, after: 120, line: 264 }, keepNext: true },
  })
  const doc = new Document({
    title: documentTitle(versions),
    subject: documentTitle(versions),
    creator: first.letterhead.organisation,
    lastModifiedBy: first.letterhead.organisation,
    description: versions.map((v) => v.addressee.join(', ')).join(' / '),
    styles: {
      default: {
        document: {
          run: { font: FONT, size: 24, language: { value: LANGUAGE_TAGS[first.lang] } },
          paragraph: { spacing: { after: 160, line: 300 } },
        },
        heading1: heading(32, 240),
        heading2: heading(26, 320),
        heading3: heading(24, 240),
      },
    },
    numbering: {
      config: [{
        reference: BULLETS,
        levels: [{
          level: 0, format: LevelFormat.BULLET, text: '\u2022', alignment: AlignmentType.LEFT,
          style: { paragraph: { indent: { left: 567, hanging: 340 }, spacing: { after: 80 } } },
        }],
      }],
    },
    sections: versions.map(section),
  })
  return Packer.toBuffer(doc)
}

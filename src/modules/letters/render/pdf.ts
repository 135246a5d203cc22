import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js'
import { A4_MARGIN as MARGIN, A4_TEXT_WIDTH as WIDTH, pdfEngine } from '../../../render/pdfmake.ts'
import type { LetterModel } from '../letter.model.ts'
import {
  defaultLetterWords, documentTitle, LANGUAGE_TAGS, letterVersions, pageText, type LetterBlock, type LetterLanguages, type LetterVersion, type LetterWords,
} from './layout.ts'

function blocks(v: LetterVersion, titleId: string): Content[] {
  let parent = titleId
  return v.blocks.map((b: LetterBlock, i): Content => {
    switch (b.kind) {
      case 'heading': {
        // Bookmarks follow the headings: the title, its sections, and sub-sections under those.
        const id = `${titleId}-${i}`
        const node: Content = { text: b.text, style: `h${b.level}`, headlineLevel: b.level, outline: true, id, outlineParentId: b.level === 2 ? titleId : parent }
        if (b.level === 2) parent = id
        return node
      }
      case 'paragraph': return { text: b.text, style: 'p' }
      case 'list': return { ul: b.items.map((item) => ({ text: item, style: 'li' })), style: 'ul' }
    }
  })
}

/** One language's letter: a pdfmake section, so it starts a page and its footer is in its own words. */
function section(v: LetterVersion): Content {
  const titleId = `letter-${v.lang}`
  return {
    section: [
      {
        columns: [
          { text: v.letterhead.organisation, style: 'organisation', width: '*' },
          { stack: [...v.letterhead.addressLines, ...v.letterhead.contacts], style: 'contact', width: 'auto' },
        ],
        columnGap: 16,
      },
      { canvas: [{ type: 'line', x1: 0, y1: 0, x2: WIDTH, y2: 0, lineWidth: 2, lineColor: '#1d70b8' }], margin: [0, 8, 0, 18] },
      { text: v.date.text, alignment: 'right', margin: [0, 0, 0, 10] },
      { stack: v.addressee, margin: [0, 0, 0, 16] },
      { text: v.title, style: 'title', headlineLevel: 1, outline: true, id: titleId },
      ...blocks(v, titleId),
    ],
    footer: (page: number, pages: number): Content => ({ text: pageText(v.page, page, pages), style: 'footer' }),
  }
}

/**
 * The letter as a PDF: the letterhead, page numbers in the footer, headings (also as bookmarks)
 * and bulleted lists; the title shown by viewers and the language set. With both languages, Welsh
 * comes first and English starts on a new page.
 *
 * pdfmake cannot write a tagged PDF (it has no structure tree for headings or lists), so the
 * document language is the first version's: the PDF cannot mark the English pages apart.
 */
export async function renderLetterPdf(model: LetterModel, lang: LetterLanguages = 'both', words: LetterWords = defaultLetterWords()): Promise<Buffer> {
  const versions = letterVersions(model, lang, words)
  const title = documentTitle(versions)
  const doc: TDocumentDefinitions = {
    info: { title, subject: title, author: versions[0]!.letterhead.organisation, creator: 'Cyswllt' },
    language: LANGUAGE_TAGS[versions[0]!.lang],
    displayTitle: true,
    pageSize: 'A4',
    pageMargins: [MARGIN, MARGIN, MARGIN, MARGIN + 8],
    defaultStyle: { font: 'Roboto', fontSize: 11, lineHeight: 1.25, color: '#0b0c0c' },
    styles: {
      organisation: { fontSize: 20, bold: true, characterSpacing: 0.5 },
      contact: { fontSize: 8.5, alignment: 'right', color: '#383f43', lineHeight: 1.2 },
      title: { fontSize: 15, bold: true, lineHeight: 1.15, margin: [0, 0, 0, 12] },
      h2: { fontSize: 12.5, bold: true, margin: [0, 12, 0, 5] },
      h3: { fontSize: 11, bold: true, margin: [0, 8, 0, 4] },
      p: { margin: [0, 0, 0, 7] },
      ul: { margin: [0, 0, 0, 7] },
      li: { margin: [0, 0, 0, 3] },
      footer: { fontSize: 8.5, color: '#505a5f', alignment: 'center', margin: [0, MARGIN / 2 - 4, 0, 0] },
    },
    content: versions.map(section),
    // A heading never ends a page: it moves over to the page its text is on.
    pageBreakBefore: (node, nodes) => node.headlineLevel !== undefined && nodes.getFollowingNodesOnPage().length === 0,
  }
  return (await pdfEngine()).createPdf(doc).getBuffer()
}

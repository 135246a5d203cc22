import {
  AlignmentType, BorderStyle, Document, ExternalHyperlink, Footer, HeadingLevel, LevelFormat, Packer, PageNumber, Paragraph, ShadingType, Table,
  TableCell, TableRow, TextRun, WidthType, type IRunOptions, type ParagraphChild,
} from 'docx'
import type { Translate } from '../../../i18n/catalogue.ts'
import type { InsightsLang, InsightsSummary } from '../insights.types.ts'
import { LANGUAGE_TAGS, summaryLayout, type ChartBlock, type PointLine, type SummaryLayout } from './layout.ts'

const FONT = 'Arial'
const BULLETS = 'insights-bullets'
// A4 with 20 mm margins, in twentieths of a point; the text is as wide as the page less its margins.
const A4 = { width: 11906, height: 16838 }
const MARGIN = 1134
const TEXT_WIDTH = A4.width - 2 * MARGIN
const GREY = '505A5F'

/** A run of text in one language: Word then spell-checks and reads it aloud as that language. */
const run = (text: string, lang: InsightsLang, opts: Omit<IRunOptions, 'text' | 'language'> = {}) =>
  new TextRun({ ...opts, text, language: { value: LANGUAGE_TAGS[lang] } })

const heading = (level: 1 | 2 | 3 | 4, text: string, lang: InsightsLang) => new Paragraph({
  heading: [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4][level - 1],
  keepNext: true,
  children: [run(text, lang)],
})

const paragraph = (children: ParagraphChild[], opts: { indent?: number; after?: number; keepNext?: boolean } = {}) => new Paragraph({
  children,
  keepNext: opts.keepNext,
  ...(opts.indent ? { indent: { left: opts.indent } } : {}),
  ...(opts.after !== undefined ? { spacing: { after: opts.after } } : {}),
})

/** A point: a bullet with its published text, the reviewer's mark, then its records a level down, each in its own language. */
function point(p: PointLine, layout: SummaryLayout): Paragraph[] {
  const lang = layout.lang
  return [
    new Paragraph({ numbering: { reference: BULLETS, level: 0 }, keepNext: p.records.length > 0, spacing: { after: 60 }, children: [run(p.text, lang)] }),
    ...(p.edited ? [paragraph([run(p.edited, lang, { italics: true, size: 20, color: GREY })], { indent: 567, after: 60 })] : []),
    ...(p.records.length ? [paragraph([run(`${layout.words.sources}:`, lang, { bold: true, size: 20 })], { indent: 567, after: 40, keepNext: true })] : []),
    ...p.records.map((r) => new Paragraph({
      numbering: { reference: BULLETS, level: 1 },
      spacing: { after: 40 },
      children: [
        run(`${r.authority}: `, lang, { bold: true, size: 20 }),
        run(r.text, r.lang, { size: 20 }),
        ...(r.mark ? [run(` (${r.mark})`, lang, { size: 20, color: GREY })] : []),
        ...(r.translation ? [run(` ${r.translation.label}: `, lang, { size: 20, color: GREY }), run(r.translation.text, r.translation.lang, { size: 20 })] : []),
      ],
    })),
  ]
}

const points = (list: readonly PointLine[], layout: SummaryLayout): Paragraph[] =>
  list.length ? list.flatMap((p) => point(p, layout)) : [paragraph([run(layout.words.noPoints, layout.lang, { color: GREY })])]

const border = { style: BorderStyle.SINGLE, size: 4, color: 'B1B4B6' }
const noBorder = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' }

/** A table with a header row Word repeats on each page; the first column names the row, the others are numbers. */
function table(head: readonly string[], rows: ReadonlyArray<readonly string[]>, lang: InsightsLang): Table {
  const first = head.length > 2 ? Math.round(TEXT_WIDTH * 0.5) : Math.round(TEXT_WIDTH * 0.7)
  const others = Math.floor((TEXT_WIDTH - first) / Math.max(1, head.length - 1))
  const widths = head.map((_, i) => (i === 0 ? first : others))
  const cell = (text: string, i: number, header: boolean) => new TableCell({
    width: { size: widths[i]!, type: WidthType.DXA },
    borders: { top: noBorder, left: noBorder, right: noBorder, bottom: border },
    margins: { top: 60, bottom: 60, right: 120 },
    children: [new Paragraph({ alignment: i > 0 ? AlignmentType.RIGHT : AlignmentType.LEFT, spacing: { after: 0 }, children: [run(text, lang, { bold: header || i === 0, size: 20 })] })],
  })
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    rows: [
      new TableRow({ tableHeader: true, cantSplit: true, children: head.map((h, i) => cell(h, i, true)) }),
      ...rows.map((r) => new TableRow({ cantSplit: true, children: r.map((c, i) => cell(c, i, false)) })),
    ],
  })
}

/** A chart in Word is its numbers: the text alternative, then the table (an SVG image would need a PNG beside it for Word). */
function chart(c: ChartBlock, layout: SummaryLayout): Array<Paragraph | Table> {
  return [
    paragraph([run(c.description, layout.lang, { italics: true })]),
    paragraph([run(`${layout.words.chartTable}: ${c.title}`, layout.lang, { bold: true })], { keepNext: true, after: 80 }),
    table(c.table.head, c.table.rows, layout.lang),
    paragraph([], { after: 120 }),
  ]
}

function body(layout: SummaryLayout): Array<Paragraph | Table> {
  const lang = layout.lang
  const out: Array<Paragraph | Table> = []
  for (const area of layout.areas) {
    out.push(heading(2, area.heading, lang))
    if (area.summary) out.push(paragraph([run(area.summary, lang)]))
    for (const g of area.groups) out.push(heading(3, g.heading, lang), ...points(g.points, layout))
  }
  if (layout.findingsChart) out.push(heading(2, layout.findingsChart.title, lang), ...chart(layout.findingsChart, layout))

  const r = layout.recommendations
  out.push(heading(2, r.heading, lang))
  out.push(...(r.empty ? [paragraph([run(r.empty, lang)])] : points(r.points, layout)))
  if (r.chart) out.push(...chart(r.chart, layout))

  const p = layout.practice
  out.push(heading(2, p.heading, lang))
  if (p.empty) out.push(paragraph([run(p.empty, lang)]))
  for (const a of p.authorities) {
    out.push(heading(3, a.authority, lang))
    for (const report of a.reports) {
      out.push(paragraph([new ExternalHyperlink({ link: report.href, children: [run(report.text, lang, { style: 'Hyperlink' })] })]))
    }
    for (const i of a.items) {
      out.push(
        heading(4, i.question, i.lang),
        paragraph([run(i.area, lang, { color: GREY, size: 20 }), ...(i.mark ? [run(` (${i.mark})`, lang, { color: GREY, size: 20 })] : [])], { after: 80 }),
        paragraph([run(i.text, i.lang)]),
      )
    }
  }

  const f = layout.figures
  out.push(heading(2, f.heading, lang), table(f.head, f.rows.map((row) => [row.label, row.value]), lang), paragraph([], { after: 120 }))

  out.push(...elv(layout))
  return out
}

/** The ELV strand, under its own heading and labelled as apart from the core inspections. */
function elv(layout: SummaryLayout): Paragraph[] {
  const lang = layout.lang
  const e = layout.elv
  const out: Paragraph[] = []
  out.push(
    heading(2, e.heading, lang),
    new Paragraph({
      shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'ECDBF6' },
      children: [run(e.label, lang, { bold: true, color: '3D2375' })],
    }),
    paragraph([run(e.explanation, lang)]),
  )
  if (e.empty) out.push(paragraph([run(e.empty, lang)]))
  else {
    out.push(paragraph([run(e.letters, lang)]))
    for (const th of e.themes) {
      out.push(
        new Paragraph({ numbering: { reference: BULLETS, level: 0 }, spacing: { after: 40 }, children: [run(th.text, lang)] }),
        paragraph([run(th.counts, lang, { size: 20, color: GREY }), ...(th.authorities ? [run(th.authorities, lang, { size: 20, color: GREY, break: 1 })] : [])], { indent: 567 }),
      )
    }
  }
  return out
}

/**
 * The summary as a Word document, in the same order as the HTML: Word's heading styles and
 * bulleted lists (records a level under their point), the charts as their numbers in tables, the
 * title and language in the document's properties, page numbers in the footer.
 */
export async function summaryDocx(summary: InsightsSummary, t: Translate): Promise<Buffer> {
  const layout = await summaryLayout(summary, t)
  const lang = layout.lang
  const headingStyle = (size: number, before: number) => ({
    run: { font: FONT, size, bold: true, color: '0B0C0C' },
    paragraph: { spacing: { before, after: 120, line: 264 }, keepNext: true },
  })
  const bullet = (level: number, text: string, left: number) => ({
    level, format: LevelFormat.BULLET, text, alignment: AlignmentType.LEFT,
    style: { paragraph: { indent: { left, hanging: 340 } } },
  })
  const doc = new Document({
    title: layout.title,
    subject: layout.title,
    description: layout.message ?? layout.intro,
    creator: 'Cyswllt',
    lastModifiedBy: 'Cyswllt',
    styles: {
      default: {
        document: {
          run: { font: FONT, size: 22, language: { value: layout.languageTag } },
          paragraph: { spacing: { after: 140, line: 288 } },
        },
        heading1: headingStyle(36, 0),
        heading2: headingStyle(30, 360),
        heading3: headingStyle(25, 240),
        heading4: headingStyle(22, 200),
      },
    },
    numbering: {
      config: [{ reference: BULLETS, levels: [bullet(0, '\u2022', 567), bullet(1, '\u25E6', 1134)] }],
    },
    sections: [{
      properties: { page: { size: A4, margin: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN, footer: 567 } } },
      footers: {
        default: new Footer({
          children: [new Paragraph({
            alignment: AlignmentType.CENTER,
            children: [new TextRun({ children: [layout.title, ' \u2013 ', PageNumber.CURRENT], size: 16, color: GREY, language: { value: layout.languageTag } })],
          })],
        }),
      },
      children: [
        heading(1, layout.title, lang),
        paragraph([run(layout.status, lang, { color: GREY, size: 20 })]),
        ...(layout.message
          ? [paragraph([run(layout.message, lang)]), ...(layout.elv.shown ? elv(layout) : [])]
          : [paragraph([run(layout.intro, lang, { size: 26 })]), ...body(layout)]),
      ],
    }],
  })
  return Packer.toBuffer(doc)
}

import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js'
import { A4_MARGIN as MARGIN, A4_TEXT_WIDTH as WIDTH, pdfEngine } from '../../../render/pdfmake.ts'
import type { Translate } from '../../../i18n/catalogue.ts'
import type { InsightsSummary } from '../insights.types.ts'
import { summaryLayout, type ChartBlock, type PointLine, type SummaryLayout } from './layout.ts'

const GREY = '#505a5f'

/** Points in pdfmake's outline: headings become bookmarks, each under the heading above it. */
class Outline {
  private n = 0
  private parents: string[] = []
  heading(text: string, level: 1 | 2 | 3 | 4, style = `h${level}`): Content {
    const id = `h-${++this.n}`
    const parent = this.parents[level - 2]
    this.parents[level - 1] = id
    this.parents.length = level
    return { text, style, headlineLevel: level, outline: level <= 3, id, ...(parent ? { outlineParentId: parent } : {}) }
  }
}

function point(p: PointLine, layout: SummaryLayout): Content {
  return {
    stack: [
      { text: p.text, style: 'point' },
      ...(p.edited ? [{ text: p.edited, style: 'edited' }] : []),
      ...(p.records.length ? [
        // Marked like a heading so that it is never the last line of a page.
        { text: `${layout.words.sources}:`, style: 'sourcesLabel', headlineLevel: 5 },
        {
          ul: p.records.map((r) => ({
            text: [
              { text: `${r.authority}: `, bold: true }, r.text, ...(r.mark ? [{ text: ` (${r.mark})`, color: GREY }] : []),
              ...(r.translation ? [{ text: ` ${r.translation.label}: `, color: GREY }, r.translation.text] : []),
            ],
            style: 'record',
          })),
          type: 'circle',
          style: 'records',
        },
      ] : []),
    ],
  } as Content
}

const points = (list: readonly PointLine[], layout: SummaryLayout): Content =>
  list.length ? { ul: list.map((p) => point(p, layout)), style: 'points' } : { text: layout.words.noPoints, style: 'none' }

function table(head: readonly string[], rows: ReadonlyArray<readonly string[]>): Content {
  const widths = head.map((_, i) => (i === 0 ? '*' : 'auto'))
  const cell = (text: string, i: number, header: boolean) => ({ text, bold: header || i === 0, alignment: i > 0 ? 'right' : 'left' })
  return {
    table: { headerRows: 1, dontBreakRows: true, widths, body: [head.map((h, i) => cell(h, i, true)), ...rows.map((r) => r.map((c, i) => cell(c, i, false)))] },
    layout: {
      hLineWidth: (i: number) => (i === 0 ? 0 : 0.75), vLineWidth: () => 0, hLineColor: () => '#b1b4b6',
      paddingLeft: (i: number) => (i === 0 ? 0 : 8), paddingRight: () => 6, paddingTop: () => 4, paddingBottom: () => 4,
    },
    style: 'table',
  } as Content
}

/** The chart as drawn in the HTML (the same SVG), its text alternative beside it, then its numbers. */
function chart(c: ChartBlock, layout: SummaryLayout, heading?: Content): Content[] {
  const native = Number(/\bwidth="([\d.]+)"/.exec(c.svg)?.[1] ?? WIDTH)
  // CSS pixels are three quarters of a point; a wide chart is scaled to the page.
  const drawing: Content = { svg: c.svg, width: Math.min(WIDTH, native * 0.75), margin: [0, 4, 0, 6] }
  return [
    // The chart's heading stays with the chart: never alone at the foot of a page.
    heading ? { stack: [heading, drawing], unbreakable: true } : drawing,
    { text: c.description, style: 'description' },
    { text: `${layout.words.chartTable}: ${c.title}`, style: 'caption' },
    table(c.table.head, c.table.rows),
  ]
}

function body(layout: SummaryLayout, outline: Outline): Content[] {
  const out: Content[] = []
  for (const area of layout.areas) {
    out.push(outline.heading(area.heading, 2))
    if (area.summary) out.push({ text: area.summary, style: 'p' })
    for (const g of area.groups) out.push(outline.heading(g.heading, 3), points(g.points, layout))
  }
  if (layout.findingsChart) out.push(...chart(layout.findingsChart, layout, outline.heading(layout.findingsChart.title, 2)))

  const r = layout.recommendations
  out.push(outline.heading(r.heading, 2), r.empty ? { text: r.empty, style: 'p' } : points(r.points, layout))
  if (r.chart) out.push(...chart(r.chart, layout))

  const p = layout.practice
  out.push(outline.heading(p.heading, 2))
  if (p.empty) out.push({ text: p.empty, style: 'p' })
  for (const a of p.authorities) {
    out.push(outline.heading(a.authority, 3))
    for (const report of a.reports) out.push({ text: report.text, link: report.href, style: 'link' })
    for (const i of a.items) {
      // A question, its area and its paragraph on one page: a question never ends a page.
      out.push({
        stack: [outline.heading(i.question, 4), { text: i.mark ? `${i.area} (${i.mark})` : i.area, style: 'area' }, { text: i.text, style: 'p' }],
        unbreakable: true,
      })
    }
  }

  const f = layout.figures
  out.push(outline.heading(f.heading, 2), table(f.head, f.rows.map((row) => [row.label, row.value])))

  out.push(...elv(layout, outline))
  return out
}

/** The ELV strand, under its own heading and labelled as apart from the core inspections. */
function elv(layout: SummaryLayout, outline: Outline): Content[] {
  const e = layout.elv
  const out: Content[] = []
  out.push(
    outline.heading(e.heading, 2),
    { table: { widths: ['auto'], body: [[{ text: e.label, style: 'tag', fillColor: '#ecdbf6' }]] }, layout: 'noBorders', margin: [0, 0, 0, 8] } as Content,
    { text: e.explanation, style: 'p' },
  )
  if (e.empty) out.push({ text: e.empty, style: 'p' })
  else {
    out.push(
      { text: e.letters, style: 'p' },
      {
        ul: e.themes.map((th) => ({
          stack: [{ text: th.text, style: 'point' }, { text: [th.counts, ...(th.authorities ? [`\n${th.authorities}`] : [])], style: 'detail' }],
        })),
        style: 'points',
      } as Content,
    )
  }
  return out
}

/**
 * The summary as a PDF, in the same order as the HTML: headings (also bookmarks), bulleted points
 * with their records under them, the charts as vector drawings with their text alternative and
 * table, the title shown by viewers and the document's language set.
 *
 * pdfmake writes no structure tree (an untagged PDF): a record in the other language is marked
 * in words ("recorded in Welsh"), since the PDF cannot mark its language.
 */
export async function summaryPdf(summary: InsightsSummary, t: Translate): Promise<Buffer> {
  const layout = await summaryLayout(summary, t)
  const outline = new Outline()
  const doc: TDocumentDefinitions = {
    info: { title: layout.title, subject: layout.title, creator: 'Cyswllt', producer: 'Cyswllt' },
    language: layout.languageTag,
    displayTitle: true,
    pageSize: 'A4',
    pageMargins: [MARGIN, MARGIN, MARGIN, MARGIN + 8],
    defaultStyle: { font: 'Roboto', fontSize: 10.5, lineHeight: 1.25, color: '#0b0c0c' },
    styles: {
      h1: { fontSize: 20, bold: true, lineHeight: 1.15, margin: [0, 0, 0, 8] },
      h2: { fontSize: 15, bold: true, lineHeight: 1.15, margin: [0, 16, 0, 6] },
      h3: { fontSize: 12.5, bold: true, margin: [0, 10, 0, 4] },
      h4: { fontSize: 11, bold: true, margin: [0, 8, 0, 2] },
      status: { fontSize: 9, color: GREY, margin: [0, 0, 0, 8] },
      lead: { fontSize: 12.5, margin: [0, 0, 0, 10] },
      p: { margin: [0, 0, 0, 7] },
      none: { color: GREY, margin: [0, 0, 0, 7] },
      points: { margin: [0, 0, 0, 6] },
      point: { margin: [0, 0, 0, 2] },
      edited: { fontSize: 9, italics: true, color: GREY, margin: [0, 0, 0, 2] },
      sourcesLabel: { fontSize: 9, bold: true, margin: [0, 1, 0, 1] },
      records: { margin: [0, 0, 0, 6] },
      record: { fontSize: 9, margin: [0, 0, 0, 1.5] },
      detail: { fontSize: 9, color: GREY, margin: [0, 0, 0, 6] },
      area: { fontSize: 9, color: GREY, margin: [0, 0, 0, 3] },
      link: { color: '#1d70b8', decoration: 'underline', margin: [0, 0, 0, 6] },
      description: { fontSize: 9, italics: true, color: GREY, margin: [0, 0, 0, 6] },
      caption: { bold: true, margin: [0, 4, 0, 2] },
      table: { fontSize: 9.5, margin: [0, 0, 0, 10] },
      tag: { bold: true, color: '#3d2375', margin: [4, 2, 4, 2] },
      footer: { fontSize: 8, color: GREY, alignment: 'center', margin: [0, MARGIN / 2 - 4, 0, 0] },
    },
    content: [
      outline.heading(layout.title, 1),
      { text: layout.status, style: 'status' },
      ...(layout.message
        ? [{ text: layout.message, style: 'lead' }, ...(layout.elv.shown ? elv(layout, outline) : [])]
        : [{ text: layout.intro, style: 'lead' }, ...body(layout, outline)]),
    ],
    footer: (page: number, pages: number): Content => ({ text: `${layout.title} \u2013 ${page}/${pages}`, style: 'footer' }),
    // A heading never ends a page: it moves over to the page its text is on.
    pageBreakBefore: (node, nodes) => node.headlineLevel !== undefined && nodes.getFollowingNodesOnPage().length === 0,
  }
  return (await pdfEngine()).createPdf(doc).getBuffer()
}

import { createHash } from 'node:crypto'
import type { Translate } from '../../../i18n/catalogue.ts'
import type { InsightsSummary } from '../insights.types.ts'
import { summaryLayout, type ChartBlock, type PointLine, type SummaryLayout } from './layout.ts'

/** Everything typed by a person is text, never markup. */
export const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')

/** The arguments of GOV.UK's table macro for a chart's numbers: the first column names the row. */
function chartTable(chart: ChartBlock, caption: string) {
  return {
    caption: `${caption}: ${chart.title}`,
    captionClasses: 'govuk-table__caption--s',
    firstCellIsHeader: true,
    head: chart.table.head.map((text, i) => ({ text, format: i > 0 ? 'numeric' : undefined })),
    rows: chart.table.rows.map((row) => row.map((text, i) => ({ text, format: i > 0 ? 'numeric' : undefined }))),
  }
}

/**
 * The view model of `views/_summary.njk`: the laid-out summary, with GOV.UK macro arguments for
 * its tables and a contents list. The page including the partial gives the `h1` (the title).
 */
export async function summaryView(summary: InsightsSummary, t: Translate) {
  const layout = await summaryLayout(summary, t)
  const caption = layout.words.chartTable
  return {
    ...layout,
    contents: contents(layout),
    findingsTable: layout.findingsChart && chartTable(layout.findingsChart, caption),
    recommendationsTable: layout.recommendations.chart && chartTable(layout.recommendations.chart, caption),
    figuresTable: {
      caption: layout.figures.heading,
      captionClasses: 'govuk-visually-hidden',
      firstCellIsHeader: true,
      head: [{ text: layout.figures.head[0] }, { text: layout.figures.head[1], format: 'numeric' }],
      rows: layout.figures.rows.map((r) => [{ text: r.label }, { text: r.value, format: 'numeric' }]),
    },
    /** The ELV strand's label, as GOV.UK's tag macro takes it. */
    elvTag: { text: layout.elv.label, classes: 'govuk-tag--purple' },
    editedTag: { text: t('insights.render.edited'), classes: 'govuk-tag--grey' },
  }
}

export type SummaryView = Awaited<ReturnType<typeof summaryView>>

/** The sections, for a list of links at the top: none when there is only a message. */
export function contents(layout: SummaryLayout): Array<{ href: string; text: string }> {
  if (layout.message) return []
  return [
    ...layout.areas.map((a) => ({ href: `#${a.id}`, text: a.heading })),
    ...(layout.findingsChart ? [{ href: `#${layout.findingsChart.id}-section`, text: layout.findingsChart.title }] : []),
    { href: `#${layout.recommendations.id}`, text: layout.recommendations.heading },
    { href: `#${layout.practice.id}`, text: layout.practice.heading },
    { href: `#${layout.figures.id}`, text: layout.figures.heading },
    { href: `#${layout.elv.id}`, text: layout.elv.heading },
  ]
}

// ---- the standalone document ---------------------------------------------------------------

const STYLESHEET = `
:root { color-scheme: light; }
body { margin: 0; background: #fff; color: #0b0c0c; font: 16px/1.5 Arial, Helvetica, sans-serif; }
main { box-sizing: border-box; max-width: 960px; margin: 0 auto; padding: 24px 16px 48px; }
h1 { font-size: 32px; line-height: 1.2; margin: 0 0 16px; }
h2 { font-size: 24px; line-height: 1.25; margin: 40px 0 12px; padding-top: 12px; border-top: 2px solid #1d70b8; }
h3 { font-size: 19px; margin: 24px 0 8px; }
h4 { font-size: 16px; margin: 16px 0 4px; }
p, li { overflow-wrap: break-word; }
p { margin: 0 0 12px; }
a { color: #1d70b8; }
a:visited { color: #4c2c92; }
a:focus { outline: 3px solid transparent; background: #ffdd00; box-shadow: 0 -2px #ffdd00, 0 4px #0b0c0c; color: #0b0c0c; text-decoration: none; }
.visually-hidden { position: absolute !important; width: 1px !important; height: 1px !important; margin: 0 !important; padding: 0 !important;
  overflow: hidden !important; clip: rect(0 0 0 0) !important; clip-path: inset(50%) !important; border: 0 !important; white-space: nowrap !important; }
.status { color: #505a5f; }
.lead { font-size: 19px; }
.message { padding: 16px; border-left: 5px solid #1d70b8; background: #f3f2f1; }
.contents ul { padding-left: 20px; }
.points { padding-left: 20px; }
.points > li { margin-bottom: 16px; }
.point__edited { display: inline-block; margin: 0 0 6px; padding: 2px 6px; background: #eeefef; color: #383f43; font-size: 14px; font-weight: 700; }
.point__sources, .records, .record__mark, .practice__area, .elv__detail { font-size: 14px; color: #383f43; }
.point__sources { margin-bottom: 4px; }
.records { margin: 0; padding-left: 20px; }
.records li { margin-bottom: 4px; }
.record__authority { font-weight: 700; }
.none { color: #505a5f; }
.tag { display: inline-block; margin: 0 0 12px; padding: 2px 8px; background: #ecdbf6; color: #3d2375; font-weight: 700; }
figure { margin: 16px 0; }
figure svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; margin: 8px 0 24px; min-width: 50%; }
caption { text-align: left; font-weight: 700; margin-bottom: 8px; }
th, td { padding: 6px 12px 6px 0; border-bottom: 1px solid #b1b4b6; text-align: left; vertical-align: top; }
td.numeric, th.numeric { text-align: right; }
@media print {
  main { max-width: none; padding: 0; }
  a { color: #0b0c0c; }
  h2, h3, h4 { break-after: avoid; }
  figure, table, li { break-inside: avoid; }
}
`

const lang = (l: string, doc: string) => (l === doc ? '' : ` lang="${l}"`)

function pointHtml(p: PointLine, layout: SummaryLayout): string {
  const links = p.records.map((r) => `<a href="#${r.id}">${escapeHtml(r.authority)}</a>`).join(', ')
  const records = p.records.map((r) => `<li id="${r.id}"><span class="record__authority">${escapeHtml(r.authority)}</span>: <span${lang(r.lang, layout.lang)}>${escapeHtml(r.text)}</span>${r.mark ? ` <span class="record__mark">(${escapeHtml(r.mark)})</span>` : ''}${r.translation ? `<br><span class="record__mark">${escapeHtml(r.translation.label)}:</span> <span${lang(r.translation.lang, layout.lang)}>${escapeHtml(r.translation.text)}</span>` : ''}</li>`).join('\n')
  return `<li id="${p.id}"${p.sources.length ? ` data-sources="${escapeHtml(p.sources.join(' '))}"` : ''}>
<p class="point__text">${escapeHtml(p.text)}</p>
${p.edited ? `<p class="point__edited">${escapeHtml(p.edited)}</p>\n` : ''}${p.records.length ? `<p class="point__sources">${escapeHtml(layout.words.sources)}: ${links}</p>
<ol class="records" aria-label="${escapeHtml(layout.words.records(p.records.length))}">
${records}
</ol>` : ''}
</li>`
}

const pointsHtml = (points: readonly PointLine[], layout: SummaryLayout) =>
  points.length ? `<ul class="points">\n${points.map((p) => pointHtml(p, layout)).join('\n')}\n</ul>` : `<p class="none">${escapeHtml(layout.words.noPoints)}</p>`

function chartHtml(chart: ChartBlock, caption: string): string {
  const [first, ...rest] = chart.table.head
  return `<figure>
${chart.svg}
</figure>
<table>
<caption>${escapeHtml(`${caption}: ${chart.title}`)}</caption>
<thead><tr><th scope="col">${escapeHtml(first ?? '')}</th>${rest.map((h) => `<th scope="col" class="numeric">${escapeHtml(h)}</th>`).join('')}</tr></thead>
<tbody>
${chart.table.rows.map(([head, ...cells]) => `<tr><th scope="row">${escapeHtml(head ?? '')}</th>${cells.map((c) => `<td class="numeric">${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n')}
</tbody>
</table>`
}

function body(layout: SummaryLayout): string {
  const parts: string[] = []
  const nav = contents(layout)
  if (nav.length) {
    parts.push(`<nav class="contents" aria-labelledby="contents-title"><h2 id="contents-title">${escapeHtml(layout.words.contents)}</h2>
<ul>
${nav.map((c) => `<li><a href="${c.href}">${escapeHtml(c.text)}</a></li>`).join('\n')}
</ul></nav>`)
  }
  for (const area of layout.areas) {
    parts.push(`<section aria-labelledby="${area.id}">
<h2 id="${area.id}">${escapeHtml(area.heading)}</h2>
${area.summary ? `<p>${escapeHtml(area.summary)}</p>\n` : ''}${area.groups.map((g) => `<h3 id="${g.id}">${escapeHtml(g.heading)}</h3>
${pointsHtml(g.points, layout)}`).join('\n')}
</section>`)
  }
  const findings = layout.findingsChart
  if (findings) {
    parts.push(`<section aria-labelledby="${findings.id}-section">
<h2 id="${findings.id}-section">${escapeHtml(findings.title)}</h2>
${chartHtml(findings, layout.words.chartTable)}
</section>`)
  }
  const r = layout.recommendations
  parts.push(`<section aria-labelledby="${r.id}">
<h2 id="${r.id}">${escapeHtml(r.heading)}</h2>
${r.empty ? `<p class="none">${escapeHtml(r.empty)}</p>` : pointsHtml(r.points, layout)}
${r.chart ? chartHtml(r.chart, layout.words.chartTable) : ''}
</section>`)
  const p = layout.practice
  parts.push(`<section aria-labelledby="${p.id}">
<h2 id="${p.id}">${escapeHtml(p.heading)}</h2>
${p.empty ? `<p class="none">${escapeHtml(p.empty)}</p>` : p.authorities.map((a) => `<h3 id="${a.id}">${escapeHtml(a.authority)}</h3>
${a.reports.map((rep) => `<p><a href="${escapeHtml(rep.href)}">${escapeHtml(rep.text)}<span class="visually-hidden">: ${escapeHtml(a.authority)}</span></a></p>`).join('\n')}
${a.items.map((i) => `<div id="${i.id}"${lang(i.lang, layout.lang)}>
<h4>${escapeHtml(i.question)}</h4>
<p class="practice__area"${lang(layout.lang, i.lang)}>${escapeHtml(i.area)}${i.mark ? ` (${escapeHtml(i.mark)})` : ''}</p>
<p>${escapeHtml(i.text)}</p>
</div>`).join('\n')}`).join('\n')}
</section>`)
  const f = layout.figures
  parts.push(`<section aria-labelledby="${f.id}">
<h2 id="${f.id}">${escapeHtml(f.heading)}</h2>
<table>
<thead><tr><th scope="col">${escapeHtml(f.head[0])}</th><th scope="col" class="numeric">${escapeHtml(f.head[1])}</th></tr></thead>
<tbody>
${f.rows.map((row) => `<tr><th scope="row">${escapeHtml(row.label)}</th><td class="numeric">${escapeHtml(row.value)}</td></tr>`).join('\n')}
</tbody>
</table>
</section>`)
  parts.push(elvHtml(layout))
  return parts.join('\n')
}

function elvHtml(layout: SummaryLayout): string {
  const e = layout.elv
  return `<section aria-labelledby="${e.id}">
<h2 id="${e.id}">${escapeHtml(e.heading)}</h2>
<p class="tag">${escapeHtml(e.label)}</p>
<p>${escapeHtml(e.explanation)}</p>
${e.empty ? `<p class="none">${escapeHtml(e.empty)}</p>` : `<p>${escapeHtml(e.letters)}</p>
<ul class="points">
${e.themes.map((th) => `<li id="${th.id}"><p>${escapeHtml(th.text)}</p>
<p class="elv__detail">${escapeHtml(th.counts)}${th.authorities ? `<br>\n${escapeHtml(th.authorities)}` : ''}</p></li>`).join('\n')}
</ul>`}
</section>`
}

/** No scripts, nothing fetched, only the document's own stylesheet (allowed by its hash). */
function policyFor(style: string): string {
  const hash = createHash('sha256').update(style, 'utf8').digest('base64')
  return `default-src 'none'; style-src 'sha256-${hash}'; img-src data:; base-uri 'none'; form-action 'none'`
}

/** The Content-Security-Policy to serve a summary document with (the same is in its meta tag, for copies opened from disk). */
export const SUMMARY_DOCUMENT_POLICY = policyFor(STYLESHEET)

/**
 * The summary as a complete, standalone HTML document (`--format html`): its language, title, a
 * small stylesheet of its own, the charts inline with their tables, and each point followed by
 * links to the records it rests on, listed under it in their own words.
 */
export async function summaryDocument(summary: InsightsSummary, t: Translate): Promise<string> {
  const layout = await summaryLayout(summary, t)
  return `<!DOCTYPE html>
<html lang="${layout.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(SUMMARY_DOCUMENT_POLICY)}">
<meta name="generator" content="Cyswllt">
<title>${escapeHtml(layout.title)}</title>
<style>${STYLESHEET}</style>
</head>
<body>
<main>
<h1>${escapeHtml(layout.title)}</h1>
<p class="status">${escapeHtml(layout.status)}</p>
${layout.message
    ? `<p class="message">${escapeHtml(layout.message)}</p>${layout.elv.shown ? `\n${elvHtml(layout)}` : ''}`
    : `<p class="lead">${escapeHtml(layout.intro)}</p>\n${body(layout)}`}
</main>
</body>
</html>
`
}

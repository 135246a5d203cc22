import type * as Vega from 'vega'
import type * as vl from 'vega-lite'
import type { Translate } from '../../i18n/catalogue.ts'
import type { InsightsSummary } from './insights.types.ts'

/**
 * The summary's two charts, drawn by Vega-Lite as SVG on the server (no browser): each with its
 * title and text alternative inside the SVG, and the same numbers as a table to show beside it.
 */
export interface InsightsChart {
  /** A standalone SVG: `role="img"`, labelled by its own `<title>` and `<desc>`. */
  svg: string
  title: string
  /** The text alternative: one sentence saying what the chart shows, with every number in it. */
  description: string
  table: { head: string[]; rows: string[][] }
}

export interface ChartOptions {
  /** The SVG's id, and the prefix of its title's and description's ids: unique in the page it goes in. */
  id?: string
}

type Kind = 'going_well' | 'needs_to_improve'
const KINDS: readonly Kind[] = ['going_well', 'needs_to_improve']

// GOV.UK Design System colours: text, grid, and bars that keep 3:1 against white with their dark outline;
// green and orange differ in lightness too, so the two kinds stay apart without colour vision.
const GOVUK = { text: '#0b0c0c', secondary: '#505a5f', grid: '#b1b4b6', blue: '#1d70b8', green: '#00703c', orange: '#f47738' } as const
const KIND_COLOURS: Record<Kind, string> = { going_well: GOVUK.green, needs_to_improve: GOVUK.orange }
const FONT = 'Arial, Helvetica, sans-serif'
const WIDTH = 300
const LABEL_CHARACTERS = 30

/** Text as one line: runs of spaces and line breaks read as one space (a label's own line breaks would split it). */
const oneLine = (s: string): string => s.normalize('NFC').replace(/\s+/g, ' ').trim()

/** A label cut into lines of about `width` characters at spaces (a longer word keeps its own line), joined by "\n". */
export function wrapLabel(label: string, width = LABEL_CHARACTERS): string {
  const lines: string[] = []
  let line = ''
  for (const word of oneLine(label).split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  if (line) lines.push(line)
  return lines.join('\n')
}

/** The most lines any wrapped label has. */
const lineCount = (labels: readonly string[]): number => Math.max(1, ...labels.map((l) => l.split('\n').length))

const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')

/** A count as a whole number in figures, never NaN or a fraction in a chart. */
const whole = (n: number): number => (Number.isFinite(n) ? Math.max(0, Math.round(n)) : 0)

function config(): vl.Config {
  return {
    // Vega's own ARIA labels are in English and repeat the table: the SVG is one image with its own text alternative.
    aria: false,
    background: 'white',
    font: FONT,
    view: { stroke: null },
    axis: {
      labelFont: FONT, labelFontSize: 13, labelColor: GOVUK.text, labelLimit: 0,
      titleFont: FONT, titleFontSize: 13, titleFontWeight: 'bold', titleColor: GOVUK.text,
      domainColor: GOVUK.secondary, tickColor: GOVUK.secondary, gridColor: GOVUK.grid,
    },
    legend: { labelFont: FONT, labelFontSize: 13, labelColor: GOVUK.text, labelLimit: 0, symbolType: 'square', symbolSize: 180, symbolStrokeColor: GOVUK.text, symbolStrokeWidth: 1 },
    bar: { stroke: GOVUK.text, strokeWidth: 1 },
    text: { font: FONT, fontSize: 13, fill: GOVUK.text },
  }
}

/** Category labels, wrapped: the axis shows each label's lines (the value itself is the label with "\n" between lines). */
const LINE_HEIGHT = 16
const categoryAxis = {
  title: null, labelExpr: "split(datum.value, '\\n')", labelPadding: 6, labelLineHeight: LINE_HEIGHT, labelBaseline: 'middle', ticks: false,
  // Vega puts a label's first line at the band's middle: move a label of several lines up by half its extra lines.
  labelOffset: { expr: `-(length(split(datum.value, '\\n')) - 1) * ${LINE_HEIGHT / 2}` },
} as const

/** Vega and Vega-Lite (some 50 MB in memory), loaded with the first chart drawn: most processes never draw one. */
let engines: Promise<[typeof Vega, typeof vl]> | undefined
const loadEngines = () => (engines ??= Promise.all([import('vega'), import('vega-lite')]))

async function toSvg(spec: vl.TopLevelSpec, id: string, title: string, description: string): Promise<string> {
  const [vega, vegaLite] = await loadEngines()
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none', logLevel: vega.None })
  try {
    const svg = await view.toSVG()
    const open = /^<svg\b[^>]*>/.exec(svg)
    if (!open) throw new Error('Vega did not return an SVG document')
    const root = open[0].replace(/^<svg\b/, `<svg id="${escapeXml(id)}" role="img" aria-labelledby="${escapeXml(id)}-title ${escapeXml(id)}-desc" focusable="false"`)
    // Vega still names its mark containers in English ("rect mark container"): the image is one picture, its words are ours.
    const drawing = svg.slice(open[0].length).replace(/ role="graphics-[a-z-]+"| aria-roledescription="[^"]*"/g, '')
    return `${root}<title id="${escapeXml(id)}-title">${escapeXml(title)}</title><desc id="${escapeXml(id)}-desc">${escapeXml(description)}</desc>${drawing}`
  } finally {
    view.finalize()
  }
}

/** Integer ticks from nought: counts of authorities and findings are whole numbers. */
function countAxis(title: string, max: number) {
  return {
    field: 'count', type: 'quantitative' as const,
    scale: { domain: [0, Math.max(1, max)], nice: false, zero: true },
    axis: { title, format: 'd', tickMinStep: 1, tickCount: Math.min(Math.max(1, max), 5), grid: true },
  }
}

/**
 * Recommendations by theme: how many of the authorities inspected received a recommendation on each
 * theme, most frequent first, on a scale up to the number inspected.
 */
export async function recommendationsChart(summary: InsightsSummary, t: Translate, { id = 'insights-chart-recommendations' }: ChartOptions = {}): Promise<InsightsChart> {
  // Most frequent first; a stable sort keeps the summary's order between equals.
  const data = summary.charts.recommendationsByTheme
    .map((d) => ({ label: oneLine(d.label), count: whole(d.count) }))
    .sort((a, b) => b.count - a.count)
    .map((d) => ({ ...d, axisLabel: wrapLabel(d.label) }))
  const of = whole(summary.authoritiesInspected)
  const title = t('insights.render.charts.recommendations.title')
  const description = data.length
    ? t('insights.render.charts.recommendations.description', {
      of, items: data.map((d) => t('insights.render.charts.recommendations.item', { label: d.label, count: d.count })).join('; '),
    })
    : t('insights.render.charts.recommendations.empty')
  const max = Math.max(of, ...data.map((d) => d.count))
  const spec: vl.TopLevelSpec = {
    config: config(),
    width: WIDTH,
    height: { step: Math.max(34, lineCount(data.map((d) => d.axisLabel)) * LINE_HEIGHT + 12) },
    padding: 8,
    data: { values: data.length ? data : [{ label: '', axisLabel: '', count: 0 }] },
    encoding: {
      y: { field: 'axisLabel', type: 'nominal', sort: null, axis: categoryAxis },
      x: countAxis(t('insights.render.charts.recommendations.axis'), max),
    },
    layer: [
      { mark: { type: 'bar', fill: GOVUK.blue, height: { band: 0.7 } } },
      { mark: { type: 'text', align: 'left', baseline: 'middle', dx: 5, fontWeight: 'bold' }, encoding: { text: { field: 'count', type: 'quantitative', format: 'd' } } },
    ],
  }
  return {
    svg: await toSvg(spec, id, title, description),
    title,
    description,
    table: {
      head: [t('insights.render.charts.recommendations.col.theme'), t('insights.render.charts.recommendations.col.count', { of })],
      rows: data.map((d) => [d.label, String(d.count)]),
    },
  }
}

/**
 * Findings by area and kind: for each area, what is going well and what needs to improve side by
 * side (grouped bars), the areas in the summary's order.
 */
export async function findingsChart(summary: InsightsSummary, t: Translate, { id = 'insights-chart-findings' }: ChartOptions = {}): Promise<InsightsChart> {
  const areas: string[] = []
  const counts = new Map<string, Record<Kind, number>>()
  const kindLabels: Record<Kind, string> = {
    going_well: t('insights.render.goingWell'), needs_to_improve: t('insights.render.needsToImprove'),
  }
  const given = new Set<Kind>()
  for (const d of summary.charts.findingsByArea) {
    const area = oneLine(d.area)
    if (!counts.has(area)) {
      areas.push(area)
      counts.set(area, { going_well: 0, needs_to_improve: 0 })
    }
    counts.get(area)![d.kind] += whole(d.count)
    // The summary's own name for each kind, when it gives one (the first wins).
    if (oneLine(d.kindLabel) && !given.has(d.kind)) {
      kindLabels[d.kind] = oneLine(d.kindLabel)
      given.add(d.kind)
    }
  }
  const data = areas.flatMap((area) => KINDS.map((kind) => ({
    area, axisLabel: wrapLabel(area), kind, kindLabel: kindLabels[kind], count: counts.get(area)![kind],
  })))
  const title = t('insights.render.charts.findings.title')
  const description = areas.length
    ? t('insights.render.charts.findings.description', {
      items: areas.map((area) => t('insights.render.charts.findings.item', {
        area, goingWell: counts.get(area)!.going_well, needsToImprove: counts.get(area)!.needs_to_improve,
      })).join('; '),
    })
    : t('insights.render.charts.findings.empty')
  const max = Math.max(0, ...data.map((d) => d.count))
  const kindOrder = KINDS.map((k) => kindLabels[k])
  const colour = {
    field: 'kindLabel', type: 'nominal' as const,
    scale: { domain: kindOrder, range: KINDS.map((k) => KIND_COLOURS[k]) },
    legend: { title: null, orient: 'top' as const, direction: 'vertical' as const },
  }
  const spec: vl.TopLevelSpec = {
    config: config(),
    width: WIDTH,
    height: { step: Math.max(20, Math.ceil((lineCount(data.map((d) => d.axisLabel)) * LINE_HEIGHT + 12) / KINDS.length)), for: 'offset' },
    padding: 8,
    data: { values: data.length ? data : [{ area: '', axisLabel: '', kind: 'going_well', kindLabel: kindOrder[0], count: 0 }] },
    encoding: {
      y: { field: 'axisLabel', type: 'nominal', sort: null, axis: categoryAxis, scale: { paddingInner: 0.25 } },
      yOffset: { field: 'kindLabel', type: 'nominal', sort: kindOrder },
      x: countAxis(t('insights.render.charts.findings.axis'), max),
    },
    layer: [
      { mark: { type: 'bar' }, encoding: { color: colour } },
      { mark: { type: 'text', align: 'left', baseline: 'middle', dx: 5, fontWeight: 'bold' }, encoding: { text: { field: 'count', type: 'quantitative', format: 'd' } } },
    ],
  }
  return {
    svg: await toSvg(spec, id, title, description),
    title,
    description,
    table: {
      head: [t('insights.render.charts.findings.col.area'), kindLabels.going_well, kindLabels.needs_to_improve],
      rows: areas.map((area) => [area, String(counts.get(area)!.going_well), String(counts.get(area)!.needs_to_improve)]),
    },
  }
}

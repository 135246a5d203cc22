import { beforeAll, describe, expect, it } from 'vitest'
import { I18n } from '../../i18n/catalogue.ts'
import { findingsChart, recommendationsChart, wrapLabel, type InsightsChart } from './charts.ts'
import { emptyInsightsFixture, HOSTILE, hostileInsightsFixture, insightsFixture } from './fixtures.ts'

const i18n = new I18n()
const en = i18n.translator('en')
const cy = i18n.translator('cy')

/** The text the SVG shows (tspans of one label joined by a space), entities read. */
const shownText = (svg: string) => [...svg.matchAll(/<text\b[^>]*>([\s\S]*?)<\/text>/g)]
  .map((m) => m[1]!.replace(/<\/tspan><tspan[^>]*>/g, ' ').replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&'))

function expectAccessible(chart: InsightsChart, id: string) {
  const root = /^<svg\b[^>]*>/.exec(chart.svg)![0]
  expect(root).toContain(`id="${id}"`)
  expect(root).toContain('role="img"')
  expect(root).toContain(`aria-labelledby="${id}-title ${id}-desc"`)
  // The title and the description come first, so a reader meets them before anything drawn.
  expect(chart.svg.slice(root.length)).toMatch(new RegExp(`^<title id="${id}-title">[^<]+</title><desc id="${id}-desc">[^<]+</desc>`))
  // Vega's own English ARIA labels are switched off: the image speaks through its title and description only.
  expect(chart.svg).not.toContain('aria-roledescription')
  expect(chart.svg).not.toContain('role="graphics-')
  // Nothing the page's content security policy would refuse, and nothing that runs.
  expect(chart.svg).not.toMatch(/\sstyle=|<script|<foreignObject|\son\w+=/i)
  expect(chart.svg.endsWith('</svg>')).toBe(true)
}

describe('the recommendations chart', () => {
  let chart: InsightsChart
  beforeAll(async () => { chart = await recommendationsChart(insightsFixture('en'), en) })

  it('is an accessible SVG titled and described inside itself', () => {
    expectAccessible(chart, 'insights-chart-recommendations')
    expect(chart.title).toBe('Recommendations by theme')
    expect(chart.svg).toContain('<title id="insights-chart-recommendations-title">Recommendations by theme</title>')
  })

  it('says in words what it shows, every theme with its count, most frequent first', () => {
    expect(chart.description).toBe(
      'A bar chart of how many of the 4 local authorities inspected received a recommendation on each theme, most frequent first: '
      + 'strengthening evaluation and improvement processes: 4; improving attendance: 2; reducing exclusions: 1; '
      + 'improving the quality and use of information about learning and teaching: 1.',
    )
    expect(chart.svg).toContain(`<desc id="insights-chart-recommendations-desc">${chart.description}</desc>`)
  })

  it('has the same numbers as a table, and draws each label and count', () => {
    expect(chart.table).toEqual({
      head: ['Theme', 'Local authorities (of 4)'],
      rows: [
        ['strengthening evaluation and improvement processes', '4'],
        ['improving attendance', '2'],
        ['reducing exclusions', '1'],
        ['improving the quality and use of information about learning and teaching', '1'],
      ],
    })
    const shown = shownText(chart.svg)
    for (const [label, count] of chart.table.rows) {
      expect(shown).toContain(label)
      expect(shown).toContain(count)
    }
    expect(shown).toContain('Local authorities')
    expect(chart.svg).toContain('fill="#1d70b8"')
  })

  it('orders themes by count whatever order the summary gives them in', async () => {
    const s = insightsFixture('en')
    s.charts.recommendationsByTheme.reverse()
    expect((await recommendationsChart(s, en)).table.rows.map((r) => r[1])).toEqual(['4', '2', '1', '1'])
  })

  it('is drawn in Welsh for a Welsh summary', async () => {
    const welsh = await recommendationsChart(insightsFixture('cy'), cy)
    expect(welsh.title).toBe('Argymhellion yn ôl thema')
    expect(welsh.table.head[0]).toBe('Thema')
    expect(shownText(welsh.svg)).toContain('gwella presenoldeb')
    expect(shownText(welsh.svg)).toContain('Awdurdodau lleol')
    expect(welsh.description).toContain('gwella presenoldeb: 2')
  })
})

describe('the findings chart', () => {
  let chart: InsightsChart
  beforeAll(async () => { chart = await findingsChart(insightsFixture('en'), en) })

  it('is an accessible SVG of grouped bars by kind, in GOV.UK colours, with a legend', () => {
    expectAccessible(chart, 'insights-chart-findings')
    expect(chart.title).toBe('Findings by area and kind')
    expect(chart.svg).toContain('fill="#00703c"')
    expect(chart.svg).toContain('fill="#f47738"')
    const shown = shownText(chart.svg)
    expect(shown).toEqual(expect.arrayContaining(['What’s going well', 'What needs to improve', 'Outcomes and education services', 'Leadership', 'Findings']))
  })

  it('has a text alternative and a table with each area’s two counts', () => {
    expect(chart.description).toBe(
      'A bar chart of the number of findings in each area, what is going well beside what needs to improve: '
      + 'Outcomes and education services: 11 going well and 6 to improve; Leadership: 9 going well and 2 to improve; '
      + 'Care, support and well-being: 4 going well and 0 to improve.',
    )
    expect(chart.table).toEqual({
      head: ['Area', 'What’s going well', 'What needs to improve'],
      rows: [['Outcomes and education services', '11', '6'], ['Leadership', '9', '2'], ['Care, support and well-being', '4', '0']],
    })
  })

  it('uses the Welsh area names and kinds for a Welsh summary', async () => {
    const welsh = await findingsChart(insightsFixture('cy'), cy)
    expect(welsh.table.head).toEqual(['Maes', 'Beth sy’n mynd yn dda', 'Beth sydd angen ei wella'])
    expect(welsh.table.rows[0]).toEqual(['Deilliannau a gwasanaethau addysg', '11', '6'])
    expect(shownText(welsh.svg)).toEqual(expect.arrayContaining(['Arweinyddiaeth', 'Beth sy’n mynd yn dda', 'Canfyddiadau']))
  })
})

describe('both charts', () => {
  it('are the same SVG for the same summary', async () => {
    const [a, b] = [await recommendationsChart(insightsFixture('cy'), cy), await recommendationsChart(insightsFixture('cy'), cy)]
    expect(a).toEqual(b)
    const [c, d] = [await findingsChart(insightsFixture('en'), en), await findingsChart(insightsFixture('en'), en)]
    expect(c.svg).toBe(d.svg)
  })

  it('keep a label typed with markup as text, in the SVG, its title, description and table', async () => {
    const s = hostileInsightsFixture('en')
    for (const chart of [await recommendationsChart(s, en), await findingsChart(s, en)]) {
      expect(chart.svg).not.toMatch(/<script|<b>/)
      expect(chart.svg).toContain('&lt;script&gt;')
      expect(shownText(chart.svg).join(' ')).toContain('<script>alert("x")</script>')
      expect(chart.description).toContain(HOSTILE)
      expect(chart.svg).not.toContain(HOSTILE)
      expect(chart.table.rows[0]![0]).toContain(HOSTILE)
    }
  })

  it('take their ids from the caller, escaped', async () => {
    const chart = await recommendationsChart(insightsFixture('en'), en, { id: 'page-"x"' })
    expect(chart.svg).toContain('id="page-&quot;x&quot;-title"')
  })

  it('draw an empty chart, saying it is empty, when there is nothing to count', async () => {
    const empty = emptyInsightsFixture('en')
    const recs = await recommendationsChart(empty, en)
    const findings = await findingsChart(empty, en)
    expect(recs.table.rows).toEqual([])
    expect(findings.table.rows).toEqual([])
    expect(recs.description).toBe('A bar chart of recommendations by theme: no recommendations are recorded, so it has no bars.')
    expect(findings.description).toContain('no findings are recorded')
    expectAccessible(recs, 'insights-chart-recommendations')
    expectAccessible(findings, 'insights-chart-findings')
  })
})

describe('a long label', () => {
  it('is cut into lines at spaces, a word longer than a line keeping its own', () => {
    expect(wrapLabel('improving the quality and use of information about learning and teaching')).toBe(
      'improving the quality and use\nof information about learning\nand teaching',
    )
    expect(wrapLabel('short')).toBe('short')
    expect(wrapLabel('a  b\nc')).toBe('a b c')
    expect(wrapLabel('x'.repeat(40) + ' y', 30)).toBe(`${'x'.repeat(40)}\ny`)
  })
})

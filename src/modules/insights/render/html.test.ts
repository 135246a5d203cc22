import nunjucks from 'nunjucks'
import { createHash } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { I18n } from '../../../i18n/catalogue.ts'
import { configureNunjucks, templateDirs } from '../../../http/web.ts'
import { EDITED_POINT, emptyInsightsFixture, HOSTILE, hostileInsightsFixture, insightsFixture } from '../fixtures.ts'
import type { InsightsSummary } from '../insights.types.ts'
import { summaryDocument, summaryView, SUMMARY_DOCUMENT_POLICY } from './html.ts'

const i18n = new I18n()
const t = { en: i18n.translator('en'), cy: i18n.translator('cy') }

const VOID = new Set(['meta', 'br', 'link', 'img', 'input', 'hr', 'path', 'line', 'rect'])

/** Every element closed, in the order opened: the problems found, none for well-formed markup. */
function nestingProblems(html: string): string[] {
  const body = html.replace(/<style>[\s\S]*?<\/style>/, '<style></style>').replace(/^<!DOCTYPE html>/, '')
  const open: string[] = []
  const problems: string[] = []
  for (const [whole, closing, name] of body.matchAll(/<(\/?)([a-z][a-z0-9]*)\b[^>]*>/gi)) {
    if (VOID.has(name!) || whole.endsWith('/>')) continue
    if (!closing) open.push(name!)
    else if (open.pop() !== name) problems.push(`</${name}> closes something else`)
  }
  return [...problems, ...open.map((n) => `<${n}> never closed`)]
}

const count = (html: string, re: RegExp) => (html.match(re) ?? []).length
const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
/** The text of a piece of the document, tags dropped and entities read. */
const textOf = (html: string) => unescape(html.replace(/<(svg)\b[\s\S]*?<\/\1>/g, ' ').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim()
const headings = (html: string, level: number) => [...html.matchAll(new RegExp(`<h${level}\\b[^>]*>([\\s\\S]*?)</h${level}>`, 'g'))].map((m) => textOf(m[1]!))
const ids = (html: string) => [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!)
/** The generated sentence of the point the reviewer edited. */
const editedPoint = (s: InsightsSummary) => s.areas.flatMap((a) => [...a.goingWell, ...a.needsToImprove]).find((p) => p.key === EDITED_POINT.key)!

describe('the summary as a standalone HTML document', () => {
  const docs: Record<'en' | 'cy', string> = { en: '', cy: '' }
  beforeAll(async () => {
    docs.en = await summaryDocument(insightsFixture('en'), t.en)
    docs.cy = await summaryDocument(insightsFixture('cy'), t.cy)
  })

  it('is a complete, well-formed document with its language, title, stylesheet and policy', () => {
    const html = docs.en
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true)
    expect(nestingProblems(html)).toEqual([])
    expect(html).toContain('<meta charset="utf-8">')
    expect(html).toContain('<title>Early Insights 2023-2024: local government education services</title>')
    expect(count(html, /<h1[\s>]/g)).toBe(1)
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!
    expect(SUMMARY_DOCUMENT_POLICY).toContain(`'sha256-${createHash('sha256').update(style, 'utf8').digest('base64')}'`)
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${SUMMARY_DOCUMENT_POLICY.replace(/'/g, '&#39;')}">`)
    expect(html).not.toMatch(/<script|\sstyle=/)
    const all = ids(html)
    expect(new Set(all).size).toBe(all.length)
  })

  it('has the sections of the published Early Insights, in order', () => {
    expect(headings(docs.en, 2)).toEqual([
      'Contents', 'Outcomes and education services', 'Leadership', 'Care, support and well-being', 'Findings by area and kind',
      'Overview of recommendations', 'Effective practice identified during inspection', 'The year in figures', 'Enhanced link inspector visits (ELVs)',
    ])
    expect(headings(docs.en, 3).slice(0, 6)).toEqual([
      'What’s going well', 'What needs to improve', 'What’s going well', 'What needs to improve', 'What’s going well', 'What needs to improve',
    ])
    expect(headings(docs.en, 3).slice(6)).toEqual(['Ceredigion County Council', 'Caerphilly County Borough Council', 'Conwy County Borough Council'])
    // Every contents link goes to a heading of the page.
    const contents = /<nav[\s\S]*?<\/nav>/.exec(docs.en)![0]
    for (const [, id] of contents.matchAll(/href="#([^"]+)"/g)) expect(ids(docs.en)).toContain(id)
  })

  it('shows an edited point in the reviewer’s words, marked, and never the generated sentence', () => {
    const generated = editedPoint(insightsFixture('en')).sentence
    expect(textOf(docs.en)).toContain(EDITED_POINT.text.en)
    expect(textOf(docs.en)).not.toContain(generated)
    const point = /<li id="point-outcomes-and-education-services-going-well-professional-relationships"[\s\S]*?<\/ol>\n<\/li>/.exec(docs.en)![0]
    expect(point).toContain('<p class="point__edited">Edited by a reviewer</p>')
    expect(point).toContain('data-sources="finding:1101 finding:1201 finding:1301 finding:1401"')
  })

  it('links each point to the records it rests on, listed under it in their own words and language', () => {
    const html = docs.en
    const points = [...html.matchAll(/<li id="(point-[^"]+|recommendation-[^"]+)"[\s\S]*?<\/li>\n<\/ol>\n<\/li>/g)]
    expect(points.length).toBe(15)
    for (const [point] of points) {
      const links = [...point.matchAll(/<a href="#([^"]+)">/g)].map((m) => m[1]!)
      const records = [...point.matchAll(/<li id="([^"]+)">/g)].map((m) => m[1]!)
      expect(links.length).toBeGreaterThan(0)
      expect(links).toEqual(records)
    }
    // Ceredigion recorded this in Welsh only: shown as recorded, marked as Welsh.
    expect(html).toContain('<span class="record__authority">Ceredigion County Council</span>: <span lang="cy">Mae gan swyddogion a phartneriaid gwella ysgolion berthnasoedd proffesiynol cryf ag arweinwyr ysgolion, wedi’u seilio ar ymweliadau rheolaidd a sgyrsiau agored.</span> <span class="record__mark">(recorded in Welsh)</span>')
    // Recorded in both: the reader's language, unmarked.
    expect(html).toContain('<span class="record__authority">Ceredigion County Council</span>: <span>The authority is making good progress in improving its additional learning needs services, offering')
  })

  it('gives the recommendations most frequent first, with both charts and their tables', () => {
    const section = /<section aria-labelledby="recommendations">[\s\S]*?<\/section>/.exec(docs.en)![0]
    expect([...section.matchAll(/<p class="point__text">([^<]*)<\/p>/g)].map((m) => m[1])).toEqual([
      'All four local authorities received a recommendation focused on strengthening evaluation and improvement processes.',
      'Two local authorities received a recommendation focused on improving attendance.',
      'One local authority received a recommendation focused on reducing exclusions.',
      'One local authority received a recommendation focused on improving the quality and use of information about learning and teaching.',
    ])
    expect(section).toContain('<svg id="insights-chart-recommendations" role="img"')
    expect(section).toContain('<caption>The figures in the chart: Recommendations by theme</caption>')
    expect(section).toContain('<tr><th scope="row">improving attendance</th><td class="numeric">2</td></tr>')
    expect(docs.en).toContain('<svg id="insights-chart-findings" role="img"')
    expect(docs.en).toContain('<tr><th scope="row">Leadership</th><td class="numeric">9</td><td class="numeric">2</td></tr>')
  })

  it('gives effective practice by authority, with the question, the report link and the language it is in', () => {
    const section = /<section aria-labelledby="effective-practice">[\s\S]*?<\/section>/.exec(docs.en)![0]
    expect(section).toContain('<p><a href="https://reports.example.cymru/lges/ceredigion-2024">Inspection report<span class="visually-hidden">: Ceredigion County Council</span></a></p>')
    expect(section).toContain('<h4>How effectively does the local authority plan for school reorganisation and federation arrangements?</h4>')
    // Recorded in Welsh only: the question and paragraph in Welsh, the area's words in English.
    expect(section).toMatch(/<div id="practice-w06000008-p202" lang="cy">\n<h4>Pa mor effeithiol yw trefniadau’r awdurdod lleol ar gyfer datblygu’r Gymraeg\?<\/h4>\n<p class="practice__area" lang="en">Area: Outcomes and education services \(recorded in Welsh\)<\/p>/)
  })

  it('gives the year’s figures and the ELV strand, labelled as separate', () => {
    const figures = textOf(/<section aria-labelledby="figures">[\s\S]*?<\/section>/.exec(docs.en)![0])
    expect(figures).toContain('Core inspections 4 Welsh-medium core inspections 1 English-medium core inspections 2 Bilingual core inspections 1 Effective practice identified (case studies) 4 ELV letters issued 3')
    expect(figures).not.toContain('no language medium')
    const elv = textOf(/<section aria-labelledby="elv-strand">[\s\S]*?<\/section>/.exec(docs.en)![0])
    expect(elv).toContain('Enhanced link inspector visits (ELVs) A separate strand: from issued ELV letters This strand is drawn from the letters of the ELVs issued during 2023-2024, not from the core inspections summarised above.')
    expect(elv).toContain('Issued ELV letters drawn on: 3')
    expect(elv).toContain('Aspects working well: 2. Considerations for improvement: 1. Local authorities: Conwy County Borough Council, Bridgend County Borough Council')
  })

  it('is all in Welsh for a Welsh summary, records in English marked', () => {
    const html = docs.cy
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="cy">')).toBe(true)
    expect(nestingProblems(html)).toEqual([])
    expect(headings(html, 2)).toEqual([
      'Cynnwys', 'Deilliannau a gwasanaethau addysg', 'Arweinyddiaeth', 'Gofal, cymorth a lles', 'Canfyddiadau yn ôl maes a math',
      'Trosolwg o’r argymhellion', 'Arfer effeithiol a nodwyd yn ystod arolygiadau', 'Y flwyddyn mewn ffigurau', 'Ymweliadau gwell arolygwyr cyswllt (ELV)',
    ])
    expect(headings(html, 3).slice(0, 2)).toEqual(['Beth sy’n mynd yn dda', 'Beth sydd angen ei wella'])
    expect(textOf(html)).toContain(EDITED_POINT.text.cy)
    expect(textOf(html)).not.toContain(editedPoint(insightsFixture('cy')).sentence)
    expect(textOf(html)).toContain('Golygwyd gan adolygydd')
    expect(textOf(html)).toContain('Derbyniodd dau awdurdod lleol argymhelliad yn canolbwyntio ar wella presenoldeb.')
    expect(html).toContain('<span lang="en">Officers and school improvement partners know their schools well and have constructive professional relationships with headteachers.</span> <span class="record__mark">(cofnodwyd yn Saesneg)</span>')
    expect(textOf(html)).toContain('Elfen ar wahân: o lythyrau ELV a gyhoeddwyd')
    expect(html).not.toMatch(/What’s going well|Overview of recommendations|recorded in/)
  })

  it('shows everything typed with markup as text, and makes no link of a script address', async () => {
    const html = await summaryDocument(hostileInsightsFixture('en'), t.en)
    expect(nestingProblems(html)).toEqual([])
    expect(html).not.toMatch(/<script|<b>|javascript:/i)
    const text = textOf(html)
    for (const where of ['edited', 'finding', 'council', 'sentence', 'recommendation', 'question', 'practice', 'elv', 'summary', 'area']) {
      expect(text).toContain(`${HOSTILE} ${where}`)
    }
    expect(html).toContain('<title>Early Insights 2023-2024: local government education services &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;</title>')
  })

  it('says so when there is nothing to summarise', async () => {
    const html = await summaryDocument(emptyInsightsFixture('en'), t.en)
    expect(nestingProblems(html)).toEqual([])
    expect(html).toContain('<p class="message">No core inspections are recorded for 2025-2026, so there is nothing to summarise yet.</p>')
    expect(count(html, /<h2[\s>]/g)).toBe(0)
    expect(html).not.toContain('<svg')
    expect(html).toContain('Draft generated on 1 October 2025: not yet published')
  })

  it('still gives the ELV strand of a year with letters but no core inspections', async () => {
    const s = emptyInsightsFixture('en')
    s.elvStrand = { letters: 1, themes: [] }
    const html = await summaryDocument(s, t.en)
    expect(headings(html, 2)).toEqual(['Enhanced link inspector visits (ELVs)'])
    expect(textOf(html)).toContain('Issued ELV letters drawn on: 1')
  })
})

describe('the summary on the web page (_summary.njk)', () => {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(templateDirs), { autoescape: true, throwOnUndefined: false })
  configureNunjucks(env)
  const render = async (s: InsightsSummary, lang: 'en' | 'cy') =>
    env.render('insights/views/_summary.njk', { summary: await summaryView(s, t[lang]), t: t[lang] })

  it('lays the summary out with GOV.UK components, the page giving the h1', async () => {
    const html = await render(insightsFixture('en'), 'en')
    expect(nestingProblems(html)).toEqual([])
    expect(count(html, /<h1[\s>]/g)).toBe(0)
    expect(headings(html, 2)).toEqual([
      'Contents', 'Outcomes and education services', 'Leadership', 'Care, support and well-being', 'Findings by area and kind',
      'Overview of recommendations', 'Effective practice identified during inspection', 'The year in figures', 'Enhanced link inspector visits (ELVs)',
    ])
    expect(count(html, /<details class="govuk-details[ "]/g)).toBe(15)
    expect(count(html, /<table class="govuk-table/g)).toBe(3)
    expect(html).toContain('<svg id="insights-chart-findings" role="img"')
    expect(html).toContain('<strong class="govuk-tag govuk-tag--purple">')
    expect(textOf(html)).toContain('Edited by a reviewer Siân Prŷs, 21 October 2024')
    expect(textOf(html)).toContain(EDITED_POINT.text.en)
    expect(textOf(html)).not.toContain(editedPoint(insightsFixture('en')).sentence)
    // Links to the records go to records on the page.
    const all = ids(html)
    expect(new Set(all).size).toBe(all.length)
    for (const [, id] of html.matchAll(/href="#([^"]+)"/g)) expect(all).toContain(id)
    expect(html).toContain('<span lang="cy">Mae gan swyddogion a phartneriaid gwella ysgolion')
  })

  it('escapes everything typed, and shows the message of an empty summary', async () => {
    const html = await render(hostileInsightsFixture('cy'), 'cy')
    expect(html).not.toMatch(/<script|<b>|javascript:/i)
    expect(textOf(html)).toContain(`${HOSTILE} finding`)
    const empty = await render(emptyInsightsFixture('cy'), 'cy')
    expect(textOf(empty)).toContain('Ni chofnodwyd unrhyw arolygiadau craidd ar gyfer 2025-2026')
    expect(empty).toContain('govuk-inset-text')
    expect(empty).not.toContain('<h2')
  })
})

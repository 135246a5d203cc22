import { beforeAll, describe, expect, it } from 'vitest'
import mammoth from 'mammoth'
// fflate is what docx itself zips with; used here only to look inside the package.
import { strFromU8, unzipSync } from 'fflate'
import { I18n } from '../../../i18n/catalogue.ts'
import { EDITED_POINT, emptyInsightsFixture, HOSTILE, hostileInsightsFixture, insightsFixture } from '../fixtures.ts'
import type { InsightsSummary } from '../insights.types.ts'
import { summaryDocx } from './docx.ts'

const i18n = new I18n()
const t = { en: i18n.translator('en'), cy: i18n.translator('cy') }

const parts = (docx: Buffer): Record<string, string> =>
  Object.fromEntries(Object.entries(unzipSync(new Uint8Array(docx))).map(([name, bytes]) => [name, strFromU8(bytes)]))
const count = (s: string, re: RegExp) => (s.match(re) ?? []).length
const textOf = async (docx: Buffer) => (await mammoth.extractRawText({ buffer: docx })).value.replace(/\s+/g, ' ')
const headings = (html: string, level: number) => [...html.matchAll(new RegExp(`<h${level}>(.*?)</h${level}>`, 'g'))].map((m) => m[1]!.replace(/<[^>]+>/g, ''))
const generatedOfEdited = (s: InsightsSummary) => s.areas.flatMap((a) => [...a.goingWell, ...a.needsToImprove]).find((p) => p.key === EDITED_POINT.key)!.sentence
const positions = (text: string, needles: readonly string[]) => needles.map((n) => text.indexOf(n))
const ascending = (xs: number[]) => xs.every((x, i) => x >= 0 && (i === 0 || x > xs[i - 1]!))

describe('the summary as DOCX', () => {
  const docx: Record<'en' | 'cy', Buffer> = { en: Buffer.alloc(0), cy: Buffer.alloc(0) }
  beforeAll(async () => {
    docx.en = await summaryDocx(insightsFixture('en'), t.en)
    docx.cy = await summaryDocx(insightsFixture('cy'), t.cy)
  })

  it('is a Word document with its title and language in its properties and styles', () => {
    const zip = parts(docx.en)
    expect(Object.keys(zip)).toEqual(expect.arrayContaining(['word/document.xml', 'word/styles.xml', 'word/numbering.xml', 'docProps/core.xml']))
    expect(zip['docProps/core.xml']).toContain('<dc:title>Early Insights 2023-2024: local government education services</dc:title>')
    expect(zip['word/styles.xml']).toMatch(/<w:docDefaults>[\s\S]*<w:lang w:val="en-GB"\/>[\s\S]*<\/w:docDefaults>/)
    expect(parts(docx.cy)['word/styles.xml']).toMatch(/<w:docDefaults>[\s\S]*<w:lang w:val="cy-GB"\/>[\s\S]*<\/w:docDefaults>/)
    // A record in Welsh in the English summary is marked as Welsh, run by run.
    expect(zip['word/document.xml']).toMatch(/<w:lang w:val="cy-GB"\/><\/w:rPr><w:t xml:space="preserve">Mae gan swyddogion a phartneriaid gwella ysgolion/)
  })

  it('has real headings in the HTML’s order, lists for the points and tables for the numbers', async () => {
    const html = (await mammoth.convertToHtml({ buffer: docx.en })).value
    expect(headings(html, 1)).toEqual(['Early Insights 2023-2024: local government education services'])
    expect(headings(html, 2)).toEqual([
      'Outcomes and education services', 'Leadership', 'Care, support and well-being', 'Findings by area and kind',
      'Overview of recommendations', 'Effective practice identified during inspection', 'The year in figures', 'Enhanced link inspector visits (ELVs)',
    ])
    expect(headings(html, 3)).toEqual([
      'What’s going well', 'What needs to improve', 'What’s going well', 'What needs to improve', 'What’s going well', 'What needs to improve',
      'Ceredigion County Council', 'Caerphilly County Borough Council', 'Conwy County Borough Council',
    ])
    expect(headings(html, 4)).toContain('How effectively does the local authority plan for school reorganisation and federation arrangements?')
    expect(count(html, /<table>/g)).toBe(3)
    expect(html).toContain('<tr><td><p><strong>improving attendance</strong></p></td><td><p>2</p></td></tr>')
    expect(html).toContain('<a href="https://reports.example.cymru/lges/caerphilly-2024">Inspection report</a>')
    expect(count(html, /<ul>/g)).toBeGreaterThan(10)
  })

  it('reads back with the edited point in the reviewer’s words, the recommendations, the practice and the ELV strand', async () => {
    const text = await textOf(docx.en)
    expect(text).toContain(EDITED_POINT.text.en)
    expect(text).toContain('Edited by a reviewer')
    expect(text).not.toContain(generatedOfEdited(insightsFixture('en')))
    expect(ascending(positions(text, [
      'Four local government education services were inspected during 2023-2024.',
      'What’s going well',
      'In all four local authorities, inspectors identified strengths in improving additional learning needs services.',
      'In one local authority, inspectors identified shortcomings in reducing exclusions.',
      'A bar chart of the number of findings in each area',
      'All four local authorities received a recommendation focused on strengthening evaluation and improvement processes.',
      'Two local authorities received a recommendation focused on improving attendance.',
      'Effective practice identified during inspection',
      'How well does the local authority support its schools and settings to improve teaching and leadership?',
      'The year in figures',
      'A separate strand: from issued ELV letters',
    ]))).toBe(true)
    expect(text).toContain('Ceredigion County Council: Mae trefniadau diogelu’n gadarn ac yn cael eu deall yn dda gan ysgolion a swyddogion. (recorded in Welsh)')
  })

  it('reads back all in Welsh for a Welsh summary', async () => {
    const text = await textOf(docx.cy)
    expect(text).toContain('Beth sy’n mynd yn dda')
    expect(text).toContain('Beth sydd angen ei wella')
    expect(text).toContain('Trosolwg o’r argymhellion')
    expect(text).toContain(EDITED_POINT.text.cy)
    expect(text).toContain('Golygwyd gan adolygydd')
    expect(text).not.toContain(generatedOfEdited(insightsFixture('cy')))
    expect(text).toContain('Derbyniodd dau awdurdod lleol argymhelliad yn canolbwyntio ar wella presenoldeb.')
    expect(text).toContain('Pa mor effeithiol yw trefniadau’r awdurdod lleol ar gyfer datblygu’r Gymraeg?')
    expect(text).toContain('Elfen ar wahân: o lythyrau ELV a gyhoeddwyd')
    expect(text).not.toMatch(/What’s going well|recorded in/)
  })

  it('keeps text typed with markup as text', async () => {
    const out = await summaryDocx(hostileInsightsFixture('en'), t.en)
    const text = await textOf(out)
    for (const where of ['edited', 'finding', 'council', 'recommendation', 'question', 'practice', 'elv', 'area']) expect(text).toContain(`${HOSTILE} ${where}`)
    expect(parts(out)['word/document.xml']).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt; edited')
    // A script address is not made a link.
    expect(parts(out)['word/_rels/document.xml.rels']).not.toContain('javascript:')
  })

  it('says so when there is nothing to summarise', async () => {
    const out = await summaryDocx(emptyInsightsFixture('en'), t.en)
    const text = await textOf(out)
    expect(text).toContain('No core inspections are recorded for 2025-2026, so there is nothing to summarise yet.')
    expect(text).not.toContain('What’s going well')
    expect(count(parts(out)['word/document.xml']!, /<w:pStyle w:val="Heading2"\/>/g)).toBe(0)
  })
})

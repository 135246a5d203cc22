import { beforeAll, describe, expect, it } from 'vitest'
import { I18n } from '../../../i18n/catalogue.ts'
import { EDITED_POINT, emptyInsightsFixture, HOSTILE, hostileInsightsFixture, insightsFixture } from '../fixtures.ts'
import type { InsightsSummary } from '../insights.types.ts'
import { summaryPdf } from './pdf.ts'

const i18n = new I18n()
const t = { en: i18n.translator('en'), cy: i18n.translator('cy') }

interface ReadBack { text: string; pages: string[]; title: string | undefined; language: string | undefined; outline: string[] }

/** The PDF as pdf.js reads it: each page's text (line breaks and runs of spaces as one space), the title, language and bookmarks. */
async function read(pdf: Buffer): Promise<ReadBack> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs')
  const doc = await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, useSystemFonts: false, disableFontFace: true, verbosity: 0 }).promise
  try {
    const pages: string[] = []
    for (let n = 1; n <= doc.numPages; n++) {
      const content = await (await doc.getPage(n)).getTextContent()
      pages.push(content.items.map((item) => ('str' in item ? `${item.str}${item.hasEOL ? ' ' : ''}` : '')).join('').replace(/\s+/g, ' ').trim())
    }
    const { info } = await doc.getMetadata() as { info: { Title?: string; Language?: string } }
    type Node = { title: string; items: Node[] }
    const flat = (nodes: Node[]): string[] => nodes.flatMap((o) => [o.title, ...flat(o.items)])
    const outline = flat((await doc.getOutline()) ?? [])
    return { text: pages.join(' '), pages, title: info.Title, language: info.Language, outline }
  } finally {
    await doc.destroy()
  }
}

const generatedOfEdited = (s: InsightsSummary) => s.areas.flatMap((a) => [...a.goingWell, ...a.needsToImprove]).find((p) => p.key === EDITED_POINT.key)!.sentence
const positions = (text: string, needles: readonly string[]) => needles.map((n) => text.indexOf(n))
const ascending = (xs: number[]) => xs.every((x, i) => x >= 0 && (i === 0 || x > xs[i - 1]!))

describe('the summary as PDF', () => {
  const pdf: Record<'en' | 'cy', Buffer> = { en: Buffer.alloc(0), cy: Buffer.alloc(0) }
  const back: Partial<Record<'en' | 'cy', ReadBack>> = {}
  beforeAll(async () => {
    pdf.en = await summaryPdf(insightsFixture('en'), t.en)
    pdf.cy = await summaryPdf(insightsFixture('cy'), t.cy)
    back.en = await read(pdf.en)
    back.cy = await read(pdf.cy)
  })

  it('has its title and language, A4 pages and the sections as bookmarks', () => {
    const { title, language, outline } = back.en!
    expect(title).toBe('Early Insights 2023-2024: local government education services')
    expect(language).toBe('en-GB')
    expect(pdf.en.toString('latin1')).toContain('/DisplayDocTitle true')
    expect(outline).toEqual([
      'Early Insights 2023-2024: local government education services', 'Outcomes and education services', 'What’s going well', 'What needs to improve',
      'Leadership', 'What’s going well', 'What needs to improve', 'Care, support and well-being', 'What’s going well', 'What needs to improve',
      'Findings by area and kind', 'Overview of recommendations', 'Effective practice identified during inspection', 'Ceredigion County Council',
      'Caerphilly County Borough Council', 'Conwy County Borough Council', 'The year in figures', 'Enhanced link inspector visits (ELVs)',
    ])
    expect(back.cy!.language).toBe('cy-GB')
    expect(back.cy!.title).toBe('Mewnwelediadau Cynnar 2023-2024: gwasanaethau addysg llywodraeth leol')
  })

  it('reads back in the HTML’s order: the edited point in the reviewer’s words, recommendations, practice, figures and the ELV strand', () => {
    const { text } = back.en!
    expect(text).toContain(EDITED_POINT.text.en)
    expect(text).toContain('Edited by a reviewer')
    expect(text).not.toContain(generatedOfEdited(insightsFixture('en')))
    expect(ascending(positions(text, [
      'Early Insights 2023-2024: local government education services',
      'Four local government education services were inspected during 2023-2024.',
      'Outcomes and education services',
      'What’s going well',
      'What needs to improve',
      'In one local authority, inspectors identified shortcomings in reducing exclusions.',
      'Leadership',
      'Care, support and well-being',
      'Findings by area and kind',
      'Overview of recommendations',
      'Two local authorities received a recommendation focused on improving attendance.',
      'Effective practice identified during inspection',
      'How effectively does the local authority plan for school reorganisation and federation arrangements?',
      'The year in figures',
      'Enhanced link inspector visits (ELVs)',
      'A separate strand: from issued ELV letters',
    ]))).toBe(true)
    expect(text).toContain('Ceredigion County Council: Mae trefniadau diogelu’n gadarn ac yn cael eu deall yn dda gan ysgolion a swyddogion. (recorded in Welsh)')
  })

  it('draws the charts as vectors, their words as text, with the text alternative and tables beside them', () => {
    const { text } = back.en!
    // The SVG's own words, drawn in Roboto: read back as text (not pixels), between the chart's heading and its description.
    const findings = text.slice(text.indexOf('Findings by area and kind'), text.indexOf('A bar chart of the number of findings in each area'))
    for (const word of ['What’s going well', 'What needs to improve', 'Outcomes and education services', 'Leadership', '11', 'Findings']) expect(findings).toContain(word)
    const lastRecord = 'adnoddau at y meysydd sydd angen eu gwella fwyaf. (recorded in Welsh)'
    const recommendations = text.slice(text.indexOf(lastRecord) + lastRecord.length, text.indexOf('A bar chart of how many of the 4 local authorities inspected received a recommendation on each theme'))
    for (const word of ['improving attendance', 'reducing exclusions', 'Local authorities']) expect(recommendations).toContain(word)
    expect(text).toContain('The figures in the chart: Recommendations by theme')
    expect(text).toContain('The figures in the chart: Findings by area and kind')
    expect(pdf.en.toString('latin1')).not.toContain('/Subtype /Image')
  })

  it('reads back all in Welsh for a Welsh summary, Welsh letters intact', () => {
    const { text } = back.cy!
    expect(text).toContain('Beth sy’n mynd yn dda')
    expect(text).toContain('Beth sydd angen ei wella')
    expect(text).toContain('Trosolwg o’r argymhellion')
    expect(text).toContain(EDITED_POINT.text.cy)
    expect(text).toContain('Golygwyd gan adolygydd')
    expect(text).not.toContain(generatedOfEdited(insightsFixture('cy')))
    expect(text).toContain('Derbyniodd dau awdurdod lleol argymhelliad yn canolbwyntio ar wella presenoldeb.')
    expect(text).toContain('Pa mor effeithiol yw trefniadau’r awdurdod lleol ar gyfer datblygu’r Gymraeg?')
    expect(text).toContain('Elfen ar wahân: o lythyrau ELV a gyhoeddwyd')
    expect(text).toContain('‘Câr-di-Iaith’')
    expect(text).not.toMatch(/What’s going well|recorded in/)
  })

  it('prints text typed with markup as it was typed', async () => {
    const { text } = await read(await summaryPdf(hostileInsightsFixture('en'), t.en))
    for (const where of ['edited', 'finding', 'council', 'recommendation', 'question', 'practice', 'elv', 'area']) expect(text).toContain(`${HOSTILE} ${where}`)
  })

  it('says so when there is nothing to summarise', async () => {
    const { text, pages } = await read(await summaryPdf(emptyInsightsFixture('en'), t.en))
    expect(pages).toHaveLength(1)
    expect(text).toContain('No core inspections are recorded for 2025-2026, so there is nothing to summarise yet.')
    expect(text).not.toContain('What’s going well')
  })
})

import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { renderLetterPdf } from './pdf.ts'
import { SAMPLE_FINDINGS, sampleLetter } from './letter.fixture.ts'

// poppler-utils (pdftotext, pdftoppm, pdfinfo, pdffonts) read the PDF as any viewer would.
const run = promisify(execFile)
const dir = mkdtempSync(path.join(tmpdir(), 'cyswllt-letter-pdf-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let written = 0
async function write(pdf: Buffer): Promise<string> {
  const file = path.join(dir, `letter-${++written}.pdf`)
  writeFileSync(file, pdf)
  return file
}
const info = async (file: string) => Object.fromEntries((await run('pdfinfo', ['-enc', 'UTF-8', file])).stdout.split('\n')
  .map((l) => /^([^:]+):\s*(.*)$/.exec(l)).filter((m) => m !== null).map((m) => [m[1]!, m[2]!]))
/** The text of the whole document, or of one page, with line breaks and runs of spaces read as one space. */
const textOf = async (file: string, page?: number) =>
  (await run('pdftotext', [...(page ? ['-f', String(page), '-l', String(page)] : []), '-enc', 'UTF-8', file, '-'])).stdout.replace(/\s+/g, ' ')
const positions = (text: string, needles: readonly string[]) => needles.map((n) => text.indexOf(n))
const ascending = (xs: number[]) => xs.every((x, i) => x >= 0 && (i === 0 || x > xs[i - 1]!))

const TITLE_CY = 'Ymweliad gwell gan arolygydd cyswllt â Chyngor Sir Ceredigion: adborth'
const TITLE_EN = 'Enhanced link inspector visit to Ceredigion County Council: feedback'

describe('the letter as PDF', () => {
  it('has its title, language and A4 pages, with Roboto embedded', async () => {
    const file = await write(await renderLetterPdf(sampleLetter(), 'both'))
    const meta = await info(file)
    expect(meta.Title).toBe(`${TITLE_CY} / ${TITLE_EN}`)
    expect(meta.Author).toBe('Estyn')
    expect(meta['Page size']).toMatch(/^595\.2\d x 841\.8\d pts \(A4\)/)
    expect(Number(meta.Pages)).toBeGreaterThanOrEqual(2)
    // pdfmake writes no structure tree, so it is honest about not being tagged.
    expect(meta.Tagged).toBe('no')
    // The catalogue (never compressed) carries the language and asks viewers to show the title.
    const raw = readFileSync(file, 'latin1')
    expect(raw).toContain('/Lang (cy-GB)')
    expect(raw).toContain('/DisplayDocTitle true')
    expect(raw).toMatch(/\/Outlines \d+ 0 R/)
    const fonts = (await run('pdffonts', [file])).stdout
    expect(fonts).toMatch(/Roboto-Regular\s+CID TrueType\s+Identity-H\s+yes yes yes/)
  })

  it('turns to text with Welsh first, every finding in both languages, Welsh letters intact and pages numbered', async () => {
    const file = await write(await renderLetterPdf(sampleLetter(), 'both'))
    const pages = Number((await info(file)).Pages)
    const text = await textOf(file)
    expect(ascending(positions(text, [TITLE_CY, ...SAMPLE_FINDINGS.map((f) => f.cy), TITLE_EN, ...SAMPLE_FINDINGS.map((f) => f.en)]))).toBe(true)
    for (const word of ['Elin Llŷr', 'Rhian Ŵyn Jones AEF', 'Dafydd Prŷs AEF', 'â Chyngor Sir Ceredigion', 'Ffôn: 0300 123 4500', '12 Mawrth 2026', '12 March 2026']) {
      expect(text).toContain(word)
    }
    // English starts a page of its own; every page says which it is, in its version's language.
    const perPage = await Promise.all(Array.from({ length: pages }, (_, i) => textOf(file, i + 1)))
    const englishFrom = perPage.findIndex((p) => p.includes(TITLE_EN))
    expect(englishFrom).toBeGreaterThan(0)
    expect(perPage[englishFrom]!.trimStart().startsWith('Estyn Anchor Court')).toBe(true)
    perPage.forEach((p, i) => {
      expect(p).toContain(i < englishFrom ? `Tudalen ${i + 1} o ${pages}` : `Page ${i + 1} of ${pages}`)
      if (i < englishFrom) expect(p).not.toContain('Page ')
    })
  })

  it('renders to page images', async () => {
    const file = await write(await renderLetterPdf(sampleLetter(), 'both'))
    const pages = Number((await info(file)).Pages)
    const prefix = path.join(dir, 'page')
    await run('pdftoppm', ['-png', '-r', '50', file, prefix])
    const images = readdirSync(dir).filter((f) => f.startsWith('page') && f.endsWith('.png')).sort()
    expect(pages).toBeGreaterThan(0)
    expect(images).toHaveLength(pages)
    for (const image of images) {
      const png = readFileSync(path.join(dir, image))
      expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a')
      // 50 dpi A4 is 414 x 585; a blank page compresses to well under a kilobyte, a page of text does not.
      expect(png.readUInt32BE(16)).toBe(414)
      expect(png.length).toBeGreaterThan(4000)
    }
  })

  it('prints text typed with markup as it was typed', async () => {
    const model = sampleLetter()
    model.sections[1]!.paragraphs[0]!.text.en = '<script>alert("x")</script> & <b>bold</b>'
    const text = await textOf(await write(await renderLetterPdf(model, 'en')))
    expect(text).toContain('<script>alert("x")</script> & <b>bold</b>')
  })

  it('writes one language alone when asked', async () => {
    const file = await write(await renderLetterPdf(sampleLetter(), 'en'))
    const meta = await info(file)
    expect(meta.Title).toBe(TITLE_EN)
    expect(readFileSync(file, 'latin1')).toContain('/Lang (en-GB)')
    const text = await textOf(file)
    expect(text).toContain(`Page 1 of ${meta.Pages}`)
    expect(text).not.toContain('Tudalen')
    expect(text).not.toContain(TITLE_CY)
  })
})

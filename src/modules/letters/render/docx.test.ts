import { describe, expect, it } from 'vitest'
import mammoth from 'mammoth'
// fflate is what docx itself zips with; used here only to look inside the package.
import { strFromU8, unzipSync } from 'fflate'
import { renderLetterDocx } from './docx.ts'
import { SAMPLE_FINDINGS, sampleLetter } from './letter.fixture.ts'

const parts = (docx: Buffer): Record<string, string> =>
  Object.fromEntries(Object.entries(unzipSync(new Uint8Array(docx))).map(([name, bytes]) => [name, strFromU8(bytes)]))
const count = (s: string, re: RegExp) => (s.match(re) ?? []).length
const positions = (text: string, needles: readonly string[]) => needles.map((n) => text.indexOf(n))
const ascending = (xs: number[]) => xs.every((x, i) => x >= 0 && (i === 0 || x > xs[i - 1]!))

describe('the letter as DOCX', () => {
  it('is an Office Open XML package with the document, its styles, numbering, footers and properties', async () => {
    const zip = parts(await renderLetterDocx(sampleLetter(), 'both'))
    expect(Object.keys(zip)).toEqual(expect.arrayContaining([
      '[Content_Types].xml', '_rels/.rels', 'word/document.xml', 'word/styles.xml', 'word/numbering.xml', 'word/_rels/document.xml.rels', 'docProps/core.xml',
    ]))
    expect(zip['[Content_Types].xml']).toContain('application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml')
    expect(zip['_rels/.rels']).toContain('Target="word/document.xml"')
    for (const [name, xml] of Object.entries(zip)) if (name.endsWith('.xml')) expect(xml, name).toMatch(/^<\?xml version="1.0" encoding="UTF-8"( standalone="yes")?\?>/)
    // Title and the document's default language in its properties and styles.
    expect(zip['docProps/core.xml']).toContain('<dc:title>Ymweliad gwell gan arolygydd cyswllt â Chyngor Sir Ceredigion: adborth / Enhanced link inspector visit to Ceredigion County Council: feedback</dc:title>')
    expect(zip['docProps/core.xml']).toContain('<dc:creator>Estyn</dc:creator>')
    expect(zip['word/styles.xml']).toMatch(/<w:docDefaults>[\s\S]*<w:lang w:val="cy-GB"\/>[\s\S]*<\/w:docDefaults>/)
    for (const id of ['Heading1', 'Heading2', 'Heading3']) expect(zip['word/styles.xml']).toContain(`w:styleId="${id}"`)
    expect(zip['word/numbering.xml']).toMatch(/<w:numFmt w:val="bullet"\/><w:lvlText w:val="•"\/>/)
  })

  it('uses Word’s heading styles and real bulleted lists, each run in its language', async () => {
    const docx = await renderLetterDocx(sampleLetter(), 'both')
    const document = parts(docx)['word/document.xml']!
    // Per language: the title, five sections and four sub-sections; fifteen bullets (the team and twelve findings).
    expect(count(document, /<w:pStyle w:val="Heading1"\/>/g)).toBe(2)
    expect(count(document, /<w:pStyle w:val="Heading2"\/>/g)).toBe(10)
    expect(count(document, /<w:pStyle w:val="Heading3"\/>/g)).toBe(8)
    expect(count(document, /<w:numPr>/g)).toBe(30)
    expect(document).not.toContain('•')
    expect(count(document, /<w:lang w:val="cy-GB"\/>/g)).toBe(count(document, /<w:lang w:val="en-GB"\/>/g))
    expect(count(document, /<w:lang w:val="cy-GB"\/>/g)).toBeGreaterThan(40)

    const html = (await mammoth.convertToHtml({ buffer: docx })).value
    expect(count(html, /<h1>/g)).toBe(2)
    expect([...html.matchAll(/<h2>([^<]*)<\/h2>/g)].map((m) => m[1]).slice(0, 5)).toEqual([
      'Diben yr ymweliad', 'Yr ymweliad', 'Presenoldeb a gwaharddiadau', 'Anghenion dysgu ychwanegol', 'Ar ôl yr ymweliad',
    ])
    expect([...html.matchAll(/<h3>([^<]*)<\/h3>/g)].map((m) => m[1]).slice(4, 6)).toEqual(['What is working well', 'Considerations for improvement'])
    expect(count(html, /<ul>/g)).toBe(10)
    expect(count(html, /<li>/g)).toBe(30)
  })

  it('reads back with Welsh first, a new page, then English, every finding in both', async () => {
    const docx = await renderLetterDocx(sampleLetter(), 'both')
    const text = (await mammoth.extractRawText({ buffer: docx })).value
    const english = text.indexOf('Enhanced link inspector visit to Ceredigion County Council: feedback')
    expect(text.indexOf('Ymweliad gwell gan arolygydd cyswllt â Chyngor Sir Ceredigion: adborth')).toBeGreaterThan(0)
    expect(english).toBeGreaterThan(text.indexOf('Ymweliad gwell gan arolygydd cyswllt â Chyngor Sir Ceredigion: adborth'))
    expect(ascending(positions(text, ['Estyn', 'Llys Angor, Heol Keen, Caerdydd CF24 5JW', 'Ffôn: 0300 123 4500', '12 Mawrth 2026', 'Elin Llŷr', 'Cyngor Sir Ceredigion', 'Annwyl Elin Llŷr,']))).toBe(true)
    expect(ascending(positions(text, SAMPLE_FINDINGS.map((f) => f.cy)))).toBe(true)
    expect(ascending(positions(text, SAMPLE_FINDINGS.map((f) => f.en)))).toBe(true)
    expect(text.indexOf(SAMPLE_FINDINGS.at(-1)!.cy)).toBeLessThan(english)
    expect(text.indexOf(SAMPLE_FINDINGS[0]!.en)).toBeGreaterThan(english)
    expect(text).toContain('Rhian Ŵyn Jones AEF')
    expect(text).toContain('Dafydd Prŷs AEF')
    // Each language is a section of its own, and a new section starts a new page.
    const document = parts(docx)['word/document.xml']!
    const breaks = [...document.matchAll(/<w:sectPr>([\s\S]*?)<\/w:sectPr>/g)].map((m) => m[1]!)
    expect(breaks).toHaveLength(2)
    for (const b of breaks) expect(b).not.toMatch(/<w:type w:val="(continuous|nextColumn)"\/>/)
  })

  it('numbers the pages in the footer, in each version’s language', async () => {
    const zip = parts(await renderLetterDocx(sampleLetter(), 'both'))
    const rels = zip['word/_rels/document.xml.rels']!
    const footers = [...zip['word/document.xml']!.matchAll(/<w:footerReference w:type="default" r:id="(\w+)"\/>/g)]
      .map((m) => new RegExp(`Id="${m[1]}"[^>]*Target="([^"]+)"`).exec(rels)?.[1] ?? new RegExp(`Target="([^"]+)"[^>]*Id="${m[1]}"`).exec(rels)![1]!)
      .map((target) => zip[`word/${target}`]!)
    expect(footers).toHaveLength(2)
    const words = (xml: string) => [...xml.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>|<w:instrText[^>]*>([^<]*)<\/w:instrText>/g)].map((m) => (m[1] ?? `{${m[2]!.trim()}}`)).join('')
    expect(words(footers[0]!)).toBe('Tudalen {PAGE} o {NUMPAGES}')
    expect(words(footers[1]!)).toBe('Page {PAGE} of {NUMPAGES}')
    expect(footers[0]).toContain('<w:lang w:val="cy-GB"/>')
  })

  it('keeps text typed with markup as text', async () => {
    const model = sampleLetter()
    model.sections[1]!.paragraphs[0]!.text.en = '<script>alert("x")</script> & <w:p>'
    const docx = await renderLetterDocx(model, 'en')
    expect((await mammoth.extractRawText({ buffer: docx })).value).toContain('<script>alert("x")</script> & <w:p>')
    expect(parts(docx)['word/document.xml']).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;w:p&gt;')
  })

  it('writes one language alone when asked', async () => {
    const docx = await renderLetterDocx(sampleLetter(), 'en')
    const text = (await mammoth.extractRawText({ buffer: docx })).value
    expect(text).toContain('Dear Elin Llŷr,')
    expect(text).not.toContain('Annwyl')
    const zip = parts(docx)
    expect(count(zip['word/document.xml']!, /<w:sectPr>/g)).toBe(1)
    expect(zip['word/document.xml']).not.toContain('cy-GB')
    expect(zip['docProps/core.xml']).toContain('<dc:title>Enhanced link inspector visit to Ceredigion County Council: feedback</dc:title>')
  })
})

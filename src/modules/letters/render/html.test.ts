import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { renderLetterHtml, renderLetterHtmlDocument } from './html.ts'
import { SAMPLE_FINDINGS, sampleLetter } from './letter.fixture.ts'

const VOID = new Set(['meta', 'br', 'link', 'img', 'input', 'hr'])

/** Every element closed, in the order opened: the problems found, none for well-formed markup. */
function nestingProblems(html: string): string[] {
  const body = html.replace(/<style>[\s\S]*?<\/style>/, '<style></style>').replace(/^<!DOCTYPE html>/, '')
  const open: string[] = []
  const problems: string[] = []
  for (const [, closing, name] of body.matchAll(/<(\/?)([a-z][a-z0-9]*)\b[^>]*>/g)) {
    if (VOID.has(name!)) continue
    if (!closing) open.push(name!)
    else if (open.pop() !== name) problems.push(`</${name}> closes something else`)
  }
  return [...problems, ...open.map((n) => `<${n}> never closed`)]
}

const count = (html: string, re: RegExp) => (html.match(re) ?? []).length
/** The text of a piece of the document, tags dropped and entities read. */
const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
  .replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim()
const sectionOf = (html: string, lang: string) => /<section class="letter" lang="(\w+)"[\s\S]*?<\/section>/g.exec(html.slice(html.indexOf(`<section class="letter" lang="${lang}"`)))![0]

describe('the letter as HTML', () => {
  it('is a complete, well-formed document in one language: one h1, sections as h2 and sub-sections as h3, bullets as lists', () => {
    const html = renderLetterHtml(sampleLetter(), 'en')
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true)
    expect(nestingProblems(html)).toEqual([])
    expect(html).toContain('<meta charset="utf-8">')
    expect(html).toContain('<title>Enhanced link inspector visit to Ceredigion County Council: feedback</title>')
    expect(count(html, /<h1[\s>]/g)).toBe(1)
    expect(html).toContain('<h1 class="letter__title" id="letter-title-en">Enhanced link inspector visit to Ceredigion County Council: feedback</h1>')
    expect([...html.matchAll(/<h2[^>]*>([^<]*)<\/h2>/g)].map((m) => m[1])).toEqual([
      'The purpose of the visit', 'The visit', 'Attendance and exclusions', 'Additional learning needs', 'After the visit',
    ])
    expect([...html.matchAll(/<h3[^>]*>([^<]*)<\/h3>/g)].map((m) => m[1])).toEqual([
      'What is working well', 'Considerations for improvement', 'What is working well', 'Considerations for improvement',
    ])
    // The team, then the four lists of findings; every finding a list item.
    expect(count(html, /<ul>/g)).toBe(5)
    expect(count(html, /<li>/g)).toBe(15)
    for (const f of SAMPLE_FINDINGS) expect(html).toContain(`<li>${f.en.replace(/'/g, '&#39;')}</li>`)
    expect(html).toContain('<p>Dear Elin Llŷr,</p>')
    // The letterhead, date and addressee.
    expect(html).toContain('<p class="letterhead__organisation">Estyn</p>')
    expect(html).toMatch(/<address class="letterhead__contact">Anchor Court, Keen Road, Cardiff CF24 5JW<br>\nTelephone: 0300 123 4500<br>\nEmail: enquiries@estyn.gov.wales<br>\nWebsite: www.estyn.gov.wales<\/address>/)
    expect(html).toContain('<time datetime="2026-03-12">12 March 2026</time>')
    expect(html).toContain('<p class="letter__addressee">Elin Llŷr<br>\nCeredigion County Council</p>')
    expect(html).not.toContain('lang="cy"')
  })

  it('escapes everything typed: a paragraph of markup is shown as text, never run', () => {
    const model = sampleLetter()
    const attack = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'
    model.sections[1]!.paragraphs[0]!.text.en = attack
    model.sections[1]!.heading.en = '<em>Purpose</em>'
    model.director.name = 'Elin <b>Llŷr</b>'
    model.title.en = 'Feedback </title><script>x()</script>'
    model.letterhead = { ...model.letterhead, organisation: { en: 'Estyn "&" <Co>', cy: 'Estyn' } }
    const html = renderLetterHtml(model, 'en')
    expect(html).not.toMatch(/<script|<img|<em>|<b>|onerror=alert\(1\)>/)
    expect(html).toContain('<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;</p>')
    expect(html).toContain('>&lt;em&gt;Purpose&lt;/em&gt;</h2>')
    expect(html).toContain('<title>Feedback &lt;/title&gt;&lt;script&gt;x()&lt;/script&gt;</title>')
    expect(html).toContain('Estyn &quot;&amp;&quot; &lt;Co&gt;')
    expect(nestingProblems(html)).toEqual([])
    expect(textOf(sectionOf(html, 'en'))).toContain(attack)
  })

  it('with both languages, gives Welsh first then English, each in its own section with the same layout, under one h1', () => {
    const html = renderLetterHtml(sampleLetter(), 'both')
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="cy">')).toBe(true)
    expect(nestingProblems(html)).toEqual([])
    const welshAt = html.indexOf('<section class="letter" lang="cy"')
    const englishAt = html.indexOf('<section class="letter" lang="en"')
    expect(welshAt).toBeGreaterThan(0)
    expect(englishAt).toBeGreaterThan(welshAt)
    expect(count(html, /<section /g)).toBe(2)
    // One h1 names both, each in its language; each version's title is then an h2 and its sections h3.
    expect(count(html, /<h1[\s>]/g)).toBe(1)
    expect(html).toContain('<h1 class="visually-hidden"><span lang="cy">Ymweliad gwell gan arolygydd cyswllt â Chyngor Sir Ceredigion: adborth</span> / <span lang="en">Enhanced link inspector visit to Ceredigion County Council: feedback</span></h1>')
    const cy = sectionOf(html, 'cy')
    const en = sectionOf(html, 'en')
    const shape = (s: string) => [...s.matchAll(/<(h\d|p|ul|li|address|time)\b/g)].map((m) => m[1]).join(' ')
    expect(shape(cy)).toBe(shape(en))
    expect(cy).toContain('<h2 class="letter__title" id="letter-title-cy">Ymweliad gwell gan arolygydd cyswllt â Chyngor Sir Ceredigion: adborth</h2>')
    expect(cy).toContain('<h3 class="letter__heading letter__heading--2">Diben yr ymweliad</h3>')
    expect(cy).toContain('<h4 class="letter__heading letter__heading--3">Beth sy’n gweithio’n dda</h4>')
    expect(cy).toContain('<time datetime="2026-03-12">12 Mawrth 2026</time>')
    expect(cy).toContain('Ffôn: 0300 123 4500')
    expect(cy).toContain('Rhian Ŵyn Jones AEF')
    for (const f of SAMPLE_FINDINGS) {
      expect(textOf(cy)).toContain(f.cy)
      expect(textOf(en)).toContain(f.en)
    }
    expect(en).toContain('Considerations for improvement')
    expect(cy).not.toContain('Considerations for improvement')
  })

  it('carries a print stylesheet (a page per language, numbered in its words) allowed by its own content security policy', () => {
    const { html, contentSecurityPolicy } = renderLetterHtmlDocument(sampleLetter(), 'both')
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!
    expect(style).toContain('@media print')
    expect(style).toContain('.letter + .letter { break-before: page; }')
    expect(style).toContain('@page letter-cy { @bottom-center { content: "Tudalen " counter(page) " o " counter(pages);')
    expect(style).toContain('@page letter-en { @bottom-center { content: "Page " counter(page) " of " counter(pages);')
    const hash = createHash('sha256').update(style, 'utf8').digest('base64')
    expect(contentSecurityPolicy).toBe(`default-src 'none'; style-src 'sha256-${hash}'; img-src data:; base-uri 'none'; form-action 'none'`)
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy.replace(/'/g, '&#39;')}">`)
    expect(html).not.toMatch(/<script|style="/)
  })

  it('writes one language alone when asked', () => {
    const html = renderLetterHtml(sampleLetter(), 'cy')
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="cy">')).toBe(true)
    expect(count(html, /<section /g)).toBe(1)
    expect(html).toContain('<h1 class="letter__title" id="letter-title-cy">')
    expect(html).not.toContain('lang="en"')
    expect(html).not.toContain('Dear Elin')
  })
})

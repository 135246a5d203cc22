import { createHash } from 'node:crypto'
import type { LetterModel } from '../letter.model.ts'
import { defaultLetterWords, documentTitle, letterVersions, type LetterBlock, type LetterLanguages, type LetterVersion, type LetterWords, type PagePart } from './layout.ts'

/** Everything typed by a person is text, never markup. */
export const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')

/** A CSS string literal: quotes, backslashes and anything that could end the style element are escaped. */
const cssString = (s: string): string => `"${s.replace(/[^\w .,:;!?()'’-]/gu, (c) => `\\${c.codePointAt(0)!.toString(16)} `)}"`

const pageContent = (parts: readonly PagePart[]): string =>
  parts.map((p) => (typeof p === 'string' ? cssString(p) : `counter(${p.field})`)).join(' ')

/**
 * The letter's own stylesheet, in the document so a saved or e-mailed copy looks the same. Printed,
 * each language starts a page of its own (named pages), numbered in its own words in the margin.
 */
function stylesheet(versions: readonly LetterVersion[]): string {
  const pages = versions.map((v) => `
@page letter-${v.lang} { @bottom-center { content: ${pageContent(v.page)}; font: 9pt Arial, Helvetica, sans-serif; color: #505a5f; } }
.letter[lang="${v.lang}"] { page: letter-${v.lang}; }`).join('')
  return `
:root { color-scheme: light; }
body { margin: 0; background: #f3f2f1; color: #0b0c0c; font: 12pt/1.45 Arial, Helvetica, sans-serif; }
main { padding: 24px 12px; }
.visually-hidden { position: absolute !important; width: 1px !important; height: 1px !important; margin: 0 !important; padding: 0 !important;
  overflow: hidden !important; clip: rect(0 0 0 0) !important; clip-path: inset(50%) !important; border: 0 !important; white-space: nowrap !important; }
.letter { box-sizing: border-box; max-width: 210mm; margin: 0 auto 24px; padding: 20mm; background: #fff; box-shadow: 0 1px 4px rgba(11, 12, 12, 0.25); }
.letterhead { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 8px 24px; padding-bottom: 10px; margin-bottom: 24px; border-bottom: 3px solid #1d70b8; }
.letterhead__organisation { margin: 0; font-size: 20pt; font-weight: 700; letter-spacing: 0.03em; }
.letterhead__contact { margin: 0; font-style: normal; font-size: 9.5pt; line-height: 1.4; text-align: right; color: #383f43; }
.letter__date { margin: 0 0 12px; text-align: right; }
.letter__addressee { margin: 0 0 24px; }
.letter__title { margin: 0 0 16px; font-size: 16pt; line-height: 1.25; }
.letter__heading--2 { margin: 22px 0 8px; font-size: 13pt; line-height: 1.3; }
.letter__heading--3 { margin: 16px 0 6px; font-size: 12pt; line-height: 1.3; }
.letter p, .letter li { overflow-wrap: break-word; }
.letter p { margin: 0 0 10px; }
.letter ul { margin: 0 0 10px; padding-left: 1.4em; }
.letter li { margin-bottom: 4px; }
@media print {
  @page { size: A4; margin: 18mm 18mm 22mm; }
  body { background: #fff; font-size: 11pt; }
  main { padding: 0; }
  .letter { max-width: none; margin: 0; padding: 0; box-shadow: none; }
  .letter + .letter { break-before: page; }
  .letterhead { border-bottom-color: #0b0c0c; }
  h1, h2, h3 { break-after: avoid; }
  li, p { orphans: 3; widows: 3; }
}${pages}
`
}

/** `shift` moves headings a level down (both languages in one page); their look stays the same. */
function block(b: LetterBlock, shift: number): string {
  switch (b.kind) {
    case 'heading': return `<h${b.level + shift} class="letter__heading letter__heading--${b.level}">${escapeHtml(b.text)}</h${b.level + shift}>`
    case 'paragraph': return `<p>${escapeHtml(b.text)}</p>`
    case 'list': return `<ul>\n${b.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('\n')}\n</ul>`
  }
}

/**
 * One language's letter. Alone it is the page's h1 with sections as h2; with both languages the
 * page's h1 names both and each version's title is an h2, so the outline stays one tree.
 */
function version(v: LetterVersion, both: boolean): string {
  const shift = both ? 1 : 0
  const titleTag = `h${1 + shift}`
  const contact = [...v.letterhead.addressLines, ...v.letterhead.contacts].map(escapeHtml).join('<br>\n')
  return `<section class="letter" lang="${v.lang}" aria-labelledby="letter-title-${v.lang}">
<header class="letterhead">
<p class="letterhead__organisation">${escapeHtml(v.letterhead.organisation)}</p>
<address class="letterhead__contact">${contact}</address>
</header>
<p class="letter__date"><time datetime="${escapeHtml(v.date.iso)}">${escapeHtml(v.date.text)}</time></p>
<p class="letter__addressee">${v.addressee.map(escapeHtml).join('<br>\n')}</p>
<${titleTag} class="letter__title" id="letter-title-${v.lang}">${escapeHtml(v.title)}</${titleTag}>
${v.blocks.map((b) => block(b, shift)).join('\n')}
</section>`
}

export interface RenderedLetterHtml {
  html: string
  /**
   * The Content-Security-Policy to serve it with: no scripts, nothing fetched, only its own
   * stylesheet (by hash). The same policy is in the document's meta tag, for copies opened from disk.
   */
  contentSecurityPolicy: string
}

export function renderLetterHtmlDocument(model: LetterModel, lang: LetterLanguages = 'both', words: LetterWords = defaultLetterWords()): RenderedLetterHtml {
  const versions = letterVersions(model, lang, words)
  const both = versions.length > 1
  const style = stylesheet(versions)
  const contentSecurityPolicy = policyFor(style)
  const title = documentTitle(versions)
  const heading = both
    ? `<h1 class="visually-hidden">${versions.map((v) => `<span lang="${v.lang}">${escapeHtml(v.title)}</span>`).join(' / ')}</h1>\n`
    : ''
  const html = `<!DOCTYPE html>
<html lang="${versions[0]!.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy)}">
<title>${escapeHtml(title)}</title>
<style>${style}</style>
</head>
<body>
<main>
${heading}${versions.map((v) => version(v, both)).join('\n')}
</main>
</body>
</html>
`
  return { html, contentSecurityPolicy }
}

/** No scripts, nothing fetched, only the letter's own stylesheet (allowed by its hash). */
function policyFor(style: string): string {
  const hash = createHash('sha256').update(style, 'utf8').digest('base64')
  return `default-src 'none'; style-src 'sha256-${hash}'; img-src data:; base-uri 'none'; form-action 'none'`
}

/** The policy to serve a letter document already rendered (an issued file) with, read from its own stylesheet. */
export function contentSecurityPolicyOf(html: string): string {
  return policyFor(/<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '')
}

/**
 * The letter as a complete, standalone, accessible HTML document: one language, or both (Welsh
 * first, each in its own `<section lang>`), with the letterhead, date, addressee and a print stylesheet.
 */
export function renderLetterHtml(model: LetterModel, lang: LetterLanguages = 'both', words: LetterWords = defaultLetterWords()): string {
  return renderLetterHtmlDocument(model, lang, words).html
}

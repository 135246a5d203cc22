import { foldWords } from './search.text.ts'

/**
 * Highlighting of search results, computed here rather than by either database so both engines
 * show the same snippet. Results are structured parts, never markup: templates escape each part
 * and wrap matches in <mark>, the API sends the plain text with the offsets of each match.
 */
export interface SnippetPart { text: string; match: boolean }

export interface Snippet {
  parts: SnippetPart[]
  /** The snippet as plain text: the parts joined. */
  text: string
  /** Where each matched word is in `text` (UTF-16 offsets, as JavaScript and JSON count), `end` exclusive. */
  highlights: Array<{ start: number; end: number }>
}

export const SNIPPET_WORDS = 30
/** How many words of context come before the first match. */
const WORDS_BEFORE = 8
/** A "word" longer than this (a run of code or a long number in a document) is shortened. */
const MAX_WORD = 40
/** Punctuation between words longer than this (a rule of dashes, say) is shortened. */
const MAX_GAP = 10
const ELLIPSIS = '…'

// Marks stay inside a word, so a decomposed "ŵ" (w + combining circumflex) is one word as the index sees it.
const WORD = /[\p{L}\p{N}\p{M}]+/gu

interface Token { start: number; end: number }

function tokens(text: string): Token[] {
  const out: Token[] = []
  for (const m of text.matchAll(WORD)) out.push({ start: m.index, end: m.index + m[0].length })
  return out
}

const ASCII_WORD = /^[A-Za-z0-9]+$/

function matcher(terms: readonly string[]): (word: string) => boolean {
  const wanted = new Set(terms)
  // Most words are plain ASCII, where folding is only lower-casing: skip the Unicode work for them.
  return (word) => (ASCII_WORD.test(word) ? wanted.has(word.toLowerCase()) : foldWords(word).some((w) => wanted.has(w)))
}

function shorten(s: string, max: number): string {
  return s.length > max ? s.slice(0, max) + ELLIPSIS : s
}

/** Joins neighbouring parts of the same kind and works out the plain text and offsets. */
function finish(raw: SnippetPart[]): Snippet {
  const parts: SnippetPart[] = []
  for (const p of raw) {
    if (!p.text) continue
    const last = parts[parts.length - 1]
    if (last && last.match === p.match && !p.match) last.text += p.text
    else parts.push({ ...p })
  }
  let text = ''
  const highlights: Snippet['highlights'] = []
  for (const p of parts) {
    if (p.match) highlights.push({ start: text.length, end: text.length + p.text.length })
    text += p.text
  }
  return { parts, text, highlights }
}

/** The words `from`..`to` (exclusive) of `text` as parts, with the text between words tidied to single spaces. */
function window(text: string, toks: Token[], from: number, to: number, isMatch: (w: string) => boolean, marks: boolean): SnippetPart[] {
  const parts: SnippetPart[] = []
  if (from > 0) parts.push({ text: `${ELLIPSIS} `, match: false })
  for (let i = from; i < to; i++) {
    const t = toks[i]!
    const word = text.slice(t.start, t.end)
    // Leading text only when the snippet starts at the start: a quotation mark or bracket before the first word.
    const gapStart = i === from ? (from === 0 ? 0 : t.start) : toks[i - 1]!.end
    const gap = text.slice(gapStart, t.start).replace(/\s+/g, ' ')
    parts.push({ text: i === 0 ? shorten(gap.trimStart(), MAX_GAP) : shorten(gap, MAX_GAP), match: false })
    const match = marks && isMatch(word)
    parts.push({ text: match ? word : shorten(word, MAX_WORD), match })
  }
  if (to < toks.length) parts.push({ text: ` ${ELLIPSIS}`, match: false })
  else if (to > from) parts.push({ text: shorten(text.slice(toks[to - 1]!.end).replace(/\s+/g, ' ').trimEnd(), MAX_GAP), match: false })
  return parts
}

/**
 * About `SNIPPET_WORDS` words of `text` around the first place any of the (folded) `terms` occurs,
 * each occurrence in that window marked; undefined when none occurs.
 */
export function highlightWindow(text: string, terms: readonly string[], words = SNIPPET_WORDS): Snippet | undefined {
  if (!text || !terms.length) return undefined
  const toks = tokens(text)
  const isMatch = matcher(terms)
  const first = toks.findIndex((t) => isMatch(text.slice(t.start, t.end)))
  if (first < 0) return undefined
  let from = Math.max(0, first - WORDS_BEFORE)
  const to = Math.min(toks.length, from + words)
  from = Math.max(0, Math.min(from, to - words))
  return finish(window(text, toks, from, to, isMatch, true))
}

/** The opening words of a text, nothing marked: for an item whose words matched only in its title. */
export function lead(text: string, words = SNIPPET_WORDS): Snippet {
  const toks = tokens(text)
  return finish(window(text, toks, 0, Math.min(words, toks.length), () => false, false))
}

/** A whole short text (a title) with every occurrence of the terms marked. */
export function markAll(text: string, terms: readonly string[]): Snippet {
  const isMatch = matcher(terms)
  const parts: SnippetPart[] = []
  let at = 0
  for (const t of tokens(text)) {
    const word = text.slice(t.start, t.end)
    if (!terms.length || !isMatch(word)) continue
    parts.push({ text: text.slice(at, t.start), match: false }, { text: word, match: true })
    at = t.end
  }
  parts.push({ text: text.slice(at), match: false })
  return finish(parts)
}

/**
 * The snippet of a result: from the first of its texts (the body, then each file's extracted text)
 * where a query word occurs; failing that (the words were in the title), the opening of the first text.
 */
export function snippetFor(texts: ReadonlyArray<string | null | undefined>, terms: readonly string[]): Snippet {
  const present = texts.filter((t): t is string => Boolean(t && t.trim()))
  for (const text of present) {
    const found = highlightWindow(text, terms)
    if (found) return found
  }
  return present.length ? lead(present[0]!) : finish([])
}

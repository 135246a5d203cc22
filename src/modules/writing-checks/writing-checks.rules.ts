import type { Flag, Language, WritingRule, WritingRuleKind } from '../../db/schema.ts'
import type { Bilingual, LetterModel, LetterSectionModel, WritingProblem } from '../letters/letter.model.ts'
import { letterCheckMessages, type LetterCheckMessages } from './writing-checks.messages.ts'

/**
 * The writing checks as pure functions: rules come in as rows (the `writing_rule` table), text and
 * letters come in as plain values, problems come out. Nothing here reads the database.
 *
 * Pattern syntax, by kind (documented for administrators on the rules page):
 * - `grade_word`, `follow_up`, `phrase`: words or phrases separated by `|`, matched as whole words
 *   in any case. A space matches any run of spaces; a hyphen matches a hyphen, a space or nothing
 *   ("follow-up" finds "follow up" and "followup"); curly and straight apostrophes are the same.
 *   A phrase written with `!` before it is allowed: a match that lies inside it is not a problem,
 *   so `good|!good practice` flags "good" but not "good practice". That is how a word used as a
 *   judgement is told from the same word in a set phrase.
 * - `quantity`: the quantity word or phrases (the same syntax), a colon, and the band the word
 *   stands for: `>=90`, `>60`, `<40`, `<=10`, `=50` or an inclusive range `45-55`, all in per
 *   cent. A problem when, later in the same sentence and before the next quantity word, the first
 *   figure given (a percentage, "N of M", "N out of M", Welsh "N o M", "N o'r M") is outside the
 *   band. Where two quantity words overlap ("very few" and "few") the longer one counts.
 * - `sentence_length`: the most words a sentence may have.
 *
 * Stored messages may use `{match}` (the words found), `{value}` (the figure, for quantities),
 * `{words}` and `{max}` (for sentence length).
 */

/** A rule as the checker needs it: a row of `writing_rule`, or the same fields from a test. */
export type WritingRuleRow = Pick<WritingRule, 'code' | 'kind' | 'lang' | 'pattern' | 'message_en' | 'message_cy'> & { enabled?: Flag }

/** One problem in one piece of text, before it is placed in a letter. */
export interface TextProblem {
  rule: string
  message: string
}

export type { LetterCheckMessages }

/** Codes of the letter-level checks; no rule in the table may take them. */
export const FOCUS_WORKING_WELL = 'focus-working-well'
export const FOCUS_IMPROVEMENT = 'focus-improvement'
export const RESERVED_CODES: readonly string[] = [FOCUS_WORKING_WELL, FOCUS_IMPROVEMENT]

export const SENTENCE_LENGTH_LIMITS = { min: 5, max: 200 } as const

// ---- patterns -------------------------------------------------------------------------------

export interface PhraseMatcher {
  include: RegExp
  exclude: RegExp | null
}

export type Band =
  | { op: '>=' | '>' | '<=' | '<' | '='; value: number }
  | { op: 'range'; min: number; max: number }

export type ParsedPattern =
  | { kind: 'grade_word' | 'follow_up' | 'phrase'; words: PhraseMatcher }
  | { kind: 'quantity'; words: PhraseMatcher; band: Band }
  | { kind: 'sentence_length'; max: number }

/** Why a pattern cannot be used: a catalogue key (shown on the rules form and in the API). */
export type PatternError = 'writingChecks.rule.patternWords' | 'writingChecks.rule.patternQuantity' | 'writingChecks.rule.patternLength'

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u
const APOSTROPHES = /[’‘ʼ]/g

/** The same apostrophe everywhere, so "sy’n" and "sy'n" match alike; lengths (and so offsets) are kept. */
const normalise = (s: string) => s.replace(APOSTROPHES, "'")

function phraseSource(phrase: string): string {
  const body = [...phrase].map((ch) => {
    if (/\s/.test(ch)) return '\\s+'
    if (ch === '-' || ch === '‐' || ch === '‑') return '[-‐‑\\s]?'
    return ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
  }).join('').replace(/(?:\\s\+)+/g, '\\s+')
  // Whole words: no letter or digit may touch a phrase that starts or ends with one.
  const before = LETTER_OR_DIGIT.test(phrase.charAt(0)) ? '(?<![\\p{L}\\p{N}])' : ''
  const after = LETTER_OR_DIGIT.test(phrase.charAt(phrase.length - 1)) ? '(?![\\p{L}\\p{N}])' : ''
  return `${before}${body}${after}`
}

function alternation(phrases: string[]): RegExp {
  // Longest first, so "follow-up work" wins over "follow-up" where both are listed.
  const sorted = [...phrases].sort((a, b) => b.length - a.length)
  return new RegExp(sorted.map(phraseSource).join('|'), 'giu')
}

/** `good|!good practice` as a matcher; null when there is no word to look for. */
export function parsePhraseList(source: string): PhraseMatcher | null {
  const include: string[] = []
  const exclude: string[] = []
  for (const raw of normalise(source).split('|')) {
    const allowed = raw.trim().startsWith('!')
    const phrase = (allowed ? raw.trim().slice(1) : raw).trim().replace(/\s+/g, ' ')
    if (!LETTER_OR_DIGIT.test(phrase)) return null
    ;(allowed ? exclude : include).push(phrase)
  }
  if (!include.length) return null
  return { include: alternation(include), exclude: exclude.length ? alternation(exclude) : null }
}

export function parseBand(source: string): Band | null {
  const s = source.trim()
  const range = /^(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)$/.exec(s)
  if (range) {
    const min = Number(range[1])
    const max = Number(range[2])
    return min <= max && max <= 100 ? { op: 'range', min, max } : null
  }
  const single = /^(>=|<=|>|<|=)\s*(\d+(?:\.\d+)?)$/.exec(s)
  if (!single) return null
  const value = Number(single[2])
  return value <= 100 ? { op: single[1] as '>=' | '>' | '<=' | '<' | '=', value } : null
}

export function inBand(value: number, band: Band): boolean {
  const epsilon = 1e-9
  switch (band.op) {
    case '>=': return value >= band.value - epsilon
    case '>': return value > band.value + epsilon
    case '<=': return value <= band.value + epsilon
    case '<': return value < band.value - epsilon
    case '=': return Math.abs(value - band.value) < epsilon
    case 'range': return value >= band.min - epsilon && value <= band.max + epsilon
  }
}

/** Reads a rule's pattern for its kind, or says what is wrong with it. */
export function parsePattern(kind: WritingRuleKind, pattern: string): { ok: true; parsed: ParsedPattern } | { ok: false; error: PatternError } {
  switch (kind) {
    case 'grade_word':
    case 'follow_up':
    case 'phrase': {
      const words = parsePhraseList(pattern)
      return words ? { ok: true, parsed: { kind, words } } : { ok: false, error: 'writingChecks.rule.patternWords' }
    }
    case 'quantity': {
      const colon = pattern.lastIndexOf(':')
      const words = colon > 0 ? parsePhraseList(pattern.slice(0, colon)) : null
      const band = colon > 0 ? parseBand(pattern.slice(colon + 1)) : null
      return words && band ? { ok: true, parsed: { kind, words, band } } : { ok: false, error: 'writingChecks.rule.patternQuantity' }
    }
    case 'sentence_length': {
      const s = pattern.trim()
      const max = /^\d+$/.test(s) ? Number(s) : NaN
      return Number.isInteger(max) && max >= SENTENCE_LENGTH_LIMITS.min && max <= SENTENCE_LENGTH_LIMITS.max
        ? { ok: true, parsed: { kind, max } }
        : { ok: false, error: 'writingChecks.rule.patternLength' }
    }
  }
}

// ---- sentences ------------------------------------------------------------------------------

export interface Span { start: number; end: number }

// Abbreviations that end in a full stop without ending the sentence (English and Welsh).
const ABBREVIATIONS = new Set(['e.g.', 'eg.', 'i.e.', 'ie.', 'cf.', 'viz.', 'approx.', 'incl.', 'no.', 'nos.', 'mr.', 'mrs.', 'ms.', 'dr.', 'prof.', 'st.', 'vs.', 'e.e.', 'h.y.', 'ee.', 'hy.'])
const SENTENCE_END = /[.!?…]+["'”’)\]]*(?=\s|$)|\n/gu

/** Whether the punctuation found at `index` ends a sentence, or belongs to an abbreviation. */
function endsSentence(text: string, index: number, found: string): boolean {
  if (found === '\n' || /[!?…]/.test(found)) return true
  const word = (/(\S*)$/.exec(text.slice(0, index))?.[1] ?? '').replace(/^[(["'‘“]+/, '').toLowerCase()
  const token = `${word}.`
  if (ABBREVIATIONS.has(token) || /^(?:\p{L}\.){2,}$/u.test(token) || /^\p{L}\.$/u.test(token)) return false
  // A full stop followed by a small letter rarely ends a sentence ("etc. and", "approx. two").
  const next = /\S/u.exec(text.slice(index + found.length))?.[0]
  return !(next && /\p{Ll}/u.test(next))
}

/**
 * Splits text into sentences: at `.`, `?`, `!` and `…` followed by a space or the end, and at
 * line breaks; not after "e.g.", "i.e.", "e.e.", "h.y." and the like, initials, or a full stop
 * followed by a small letter; a decimal point ("2.5") is never followed by a space, so never splits.
 */
export function splitSentences(text: string): Span[] {
  const spans: Span[] = []
  let start = 0
  const cut = (end: number) => {
    const slice = text.slice(start, end)
    const lead = slice.length - slice.trimStart().length
    const trail = slice.length - slice.trimEnd().length
    if (slice.trim()) spans.push({ start: start + lead, end: end - trail })
    start = end
  }
  for (const m of text.matchAll(SENTENCE_END)) {
    if (endsSentence(text, m.index, m[0])) cut(m.index + m[0].length)
  }
  cut(text.length)
  return spans
}

/** Words in a sentence: runs without spaces that have a letter or a digit (a dash alone is not a word). */
export function countWords(sentence: string): number {
  return sentence.split(/\s+/u).filter((w) => LETTER_OR_DIGIT.test(w)).length
}

// ---- matching -------------------------------------------------------------------------------

interface Match extends Span { text: string }

/** Every match of the list in the text that does not lie inside an allowed phrase. */
export function findPhrases(text: string, matcher: PhraseMatcher): Match[] {
  const t = normalise(text)
  const allowed: Span[] = matcher.exclude ? [...t.matchAll(matcher.exclude)].map((m) => ({ start: m.index, end: m.index + m[0].length })) : []
  return [...t.matchAll(matcher.include)]
    .map((m) => ({ start: m.index, end: m.index + m[0].length, text: text.slice(m.index, m.index + m[0].length) }))
    .filter((m) => m.end > m.start && !allowed.some((a) => a.start <= m.start && m.end <= a.end))
}

const NUMBER_WORDS: Record<Language, Record<string, number>> = {
  en: {
    zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
    thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19, twenty: 20,
  },
  // With the mutated forms a number takes after "o" ("dau o ddeg").
  cy: {
    un: 1, dau: 2, ddau: 2, dwy: 2, ddwy: 2, tri: 3, dri: 3, tair: 3, dair: 3, pedwar: 4, bedwar: 4, pedair: 4, bedair: 4,
    pump: 5, bump: 5, pum: 5, bum: 5, chwech: 6, chwe: 6, saith: 7, wyth: 8, naw: 9, deg: 10, ddeg: 10, deuddeg: 12, ddeuddeg: 12, ugain: 20, hugain: 20,
  },
}

const numberSource = (lang: Language) => `(\\d+|${Object.keys(NUMBER_WORDS[lang]).join('|')})`
const PERCENT = /(?<![\p{L}\p{N}.])(\d+(?:\.\d+)?)\s*(?:%|per\s*cent(?!\p{L})|y\s+cant(?!\p{L}))/giu
const RATIO: Record<Language, RegExp> = {
  en: new RegExp(`(?<![\\p{L}\\p{N}.])${numberSource('en')}\\s+(?:out\\s+of|of)\\s+(?:the\\s+)?${numberSource('en')}(?![\\p{L}\\p{N}])`, 'giu'),
  cy: new RegExp(`(?<![\\p{L}\\p{N}.])${numberSource('cy')}\\s+(?:allan\\s+o|o)(?:'r)?\\s+${numberSource('cy')}(?![\\p{L}\\p{N}])`, 'giu'),
}

const toNumber = (word: string, lang: Language) => (/^\d+$/.test(word) ? Number(word) : NUMBER_WORDS[lang][word.toLowerCase()] ?? NaN)

/** The first figure in the text, as a percentage, with the words that gave it; undefined if none. */
export function firstFigure(text: string, lang: Language): { percent: number; text: string; index: number } | undefined {
  const t = normalise(text)
  const found: Array<{ percent: number; text: string; index: number }> = []
  const percent = [...t.matchAll(PERCENT)][0]
  if (percent) found.push({ percent: Number(percent[1]), text: text.slice(percent.index, percent.index + percent[0].length), index: percent.index })
  for (const m of t.matchAll(RATIO[lang])) {
    const part = toNumber(m[1]!, lang)
    const whole = toNumber(m[2]!, lang)
    // "8 of 20" is a proportion only when the part is no more than the whole.
    if (whole > 0 && part >= 0 && part <= whole) {
      found.push({ percent: (part / whole) * 100, text: text.slice(m.index, m.index + m[0].length), index: m.index })
      break
    }
  }
  return found.sort((a, b) => a.index - b.index)[0]
}

// ---- checking -------------------------------------------------------------------------------

interface CompiledRule { row: WritingRuleRow; parsed: ParsedPattern }

const compiledCache = new Map<string, ParsedPattern | null>()

/** The rules that apply, patterns read once (a stored pattern that cannot be read is skipped, never fatal). */
export function compileRules(rows: readonly WritingRuleRow[]): CompiledRule[] {
  const out: CompiledRule[] = []
  for (const row of rows) {
    if (row.enabled === 0) continue
    const key = `${row.kind}\u0000${row.pattern}`
    let parsed = compiledCache.get(key)
    if (parsed === undefined) {
      const result = parsePattern(row.kind, row.pattern)
      parsed = result.ok ? result.parsed : null
      if (compiledCache.size > 1000) compiledCache.clear()
      compiledCache.set(key, parsed)
    }
    if (parsed) out.push({ row, parsed })
  }
  return out
}

function message(row: WritingRuleRow, reader: Language, params: Record<string, string | number>): string {
  const template = reader === 'cy' ? row.message_cy : row.message_en
  return template.replace(/\{(match|value|words|max)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole))
}

function checkCompiled(text: string, textLang: Language, rules: readonly CompiledRule[], reader: Language): TextProblem[] {
  if (!text.trim()) return []
  const applicable = rules.filter((r) => r.row.lang === 'both' || r.row.lang === textLang)
  const problems: TextProblem[] = []
  const add = (row: WritingRuleRow, params: Record<string, string | number>) => problems.push({ rule: row.code, message: message(row, reader, params) })

  for (const rule of applicable) {
    const { parsed, row } = rule
    if (parsed.kind === 'grade_word' || parsed.kind === 'follow_up' || parsed.kind === 'phrase') {
      for (const m of findPhrases(text, parsed.words)) add(row, { match: m.text })
    } else if (parsed.kind === 'sentence_length') {
      for (const s of splitSentences(text)) {
        const words = countWords(text.slice(s.start, s.end))
        if (words > parsed.max) add(row, { words, max: parsed.max })
      }
    }
  }

  // Quantity words are read together: the longest of overlapping words counts, and a figure belongs to the nearest word before it.
  const quantities = applicable.flatMap((rule) => rule.parsed.kind === 'quantity'
    ? findPhrases(text, rule.parsed.words).map((m) => ({ ...m, rule }))
    : [])
  const kept = quantities
    .filter((q) => !quantities.some((o) => o !== q && o.start <= q.start && q.end <= o.end && o.end - o.start > q.end - q.start))
    .sort((a, b) => a.start - b.start)
  const sentences = splitSentences(text)
  kept.forEach((q, i) => {
    if (q.rule.parsed.kind !== 'quantity') return
    const sentence = sentences.find((s) => s.start <= q.start && q.start < s.end)
    const until = Math.min(sentence?.end ?? text.length, kept[i + 1]?.start ?? text.length)
    const figure = firstFigure(text.slice(q.end, until), textLang)
    if (figure && !inBand(figure.percent, q.rule.parsed.band)) add(q.rule.row, { match: q.text, value: figure.text })
  })

  // The same words twice in one text ("Follow-up", "follow up") are one problem to put right.
  const seen = new Set<string>()
  return problems.filter((p) => {
    const key = `${p.rule}\u0000${p.message.toLocaleLowerCase(reader).replace(/[-‐‑\s]+/g, ' ')}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/** The problems in one piece of text written in `textLang`, with messages in the reader's language. */
export function checkText(text: string, textLang: Language, rules: readonly WritingRuleRow[], reader: Language = 'en'): TextProblem[] {
  return checkCompiled(text, textLang, compileRules(rules), reader)
}

const FOCUS_KEY = /^focus:([^:]+)(?::(working_well|improvement))?$/

/**
 * Every problem in a letter: the inspectors' paragraphs (never the fixed template wording) and the
 * headings of sections they write, in English and in Welsh; then each focus area that says nothing
 * about what is working well or has no consideration for improvement. A paragraph's kind is its
 * `findingKind`, else its section's sub-key ('focus:<id>:improvement'); a focus area none of whose
 * paragraphs has a known kind cannot be judged and is not flagged.
 */
export function checkLetter(model: LetterModel, rules: readonly WritingRuleRow[], lang: Language = 'en', letterMessages?: LetterCheckMessages): WritingProblem[] {
  const compiled = compileRules(rules)
  const problems: WritingProblem[] = []
  const sections = [...model.sections].sort((a, b) => a.position - b.position)
  const textLangs: Language[] = ['en', 'cy']

  for (const section of sections) {
    const fixedSection = section.paragraphs.length > 0 && section.paragraphs.every((p) => p.fixed)
    if (!fixedSection) {
      for (const textLang of textLangs) {
        for (const p of checkCompiled(section.heading[textLang], textLang, compiled, lang)) problems.push({ ...p, section: section.id, paragraph: null, lang: textLang })
      }
    }
    for (const paragraph of section.paragraphs) {
      if (paragraph.fixed) continue
      for (const textLang of textLangs) {
        for (const p of checkCompiled(paragraph.text[textLang], textLang, compiled, lang)) problems.push({ ...p, section: section.id, paragraph: paragraph.id, lang: textLang })
      }
    }
  }

  const groups = new Map<string, { sections: LetterSectionModel[]; kinds: Set<string>; unknown: boolean }>()
  for (const section of sections) {
    const m = FOCUS_KEY.exec(section.key)
    if (!m) continue
    const group = groups.get(m[1]!) ?? groups.set(m[1]!, { sections: [], kinds: new Set(), unknown: false }).get(m[1]!)!
    group.sections.push(section)
    for (const paragraph of section.paragraphs) {
      if (paragraph.fixed || (!paragraph.text.en.trim() && !paragraph.text.cy.trim())) continue
      const kind = paragraph.findingKind ?? m[2]
      if (kind) group.kinds.add(kind)
      else group.unknown = true
    }
  }
  if (groups.size) {
    const messages = letterMessages ?? letterCheckMessages()
    for (const [id, group] of groups) {
      if (!group.kinds.size && group.unknown) continue
      const main = group.sections.find((s) => s.key === `focus:${id}`) ?? group.sections[0]!
      const heading = main.heading[lang].trim() || main.heading.en
      const flag = (rule: string, text: Bilingual) => problems.push({ rule, message: text[lang].replace(/\{heading\}/g, heading), section: main.id, paragraph: null, lang: null })
      if (!group.kinds.has('working_well')) flag(FOCUS_WORKING_WELL, messages.noWorkingWell)
      if (!group.kinds.has('improvement')) flag(FOCUS_IMPROVEMENT, messages.noImprovement)
    }
  }
  return problems
}

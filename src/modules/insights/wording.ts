import type { Language } from '../../db/schema.ts'

/**
 * The Early Insights wording: how many authorities, in the inspectorate's words, in English and in
 * Welsh. Pure functions over data tables (numbers, mutations, quantity bands, sentence patterns), so
 * the rules can be read, tested exhaustively and later edited by an administrator.
 * See docs/insights-wording.md for the rules and the choices made.
 *
 * The Welsh patterns are machine-drafted: every one is listed in `WELSH_PATTERNS_FOR_REVIEW` until
 * a Welsh speaker has checked it.
 */

export type Gender = 'm' | 'f'
export type Mutation = 'soft' | 'nasal' | 'aspirate'
export type FindingKind = 'going_well' | 'needs_to_improve'

/** A countable noun: English singular and plural; Welsh singular (used after every number) and gender. */
export interface Noun {
  en: { one: string; other: string }
  cy: { word: string; gender: Gender }
}

export const LOCAL_AUTHORITY: Noun = {
  en: { one: 'local authority', other: 'local authorities' },
  cy: { word: 'awdurdod lleol', gender: 'm' },
}
export const SCHOOL: Noun = { en: { one: 'school', other: 'schools' }, cy: { word: 'ysgol', gender: 'f' } }
export const EDUCATION_SERVICE: Noun = {
  en: { one: 'local government education service', other: 'local government education services' },
  cy: { word: 'gwasanaeth addysg llywodraeth leol', gender: 'm' },
}

// ---- numbers ---------------------------------------------------------------------------------

/** One to nine are written as words; other numbers as figures (the inspectorate's practice). */
export const LARGEST_NUMBER_IN_WORDS = 9

const ENGLISH_NUMBERS = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'] as const

interface WelshNumber {
  /** Standing alone ("dau o'r pedwar", "pump o'r saith"). */
  alone: Record<Gender, string>
  /** Directly before its noun ("pum awdurdod", "chwe ysgol"). */
  beforeNoun: Record<Gender, string>
}
const same = (m: string, f = m): Record<Gender, string> => ({ m, f })
const both = (forms: Record<Gender, string>): WelshNumber => ({ alone: forms, beforeNoun: forms })

/** Welsh one to nine: two, three and four agree with the noun's gender; five and six shorten before a noun. */
export const WELSH_NUMBERS: Readonly<Record<number, WelshNumber>> = {
  1: both(same('un')),
  2: both(same('dau', 'dwy')),
  3: both(same('tri', 'tair')),
  4: both(same('pedwar', 'pedair')),
  5: { alone: same('pump'), beforeNoun: same('pum') },
  6: { alone: same('chwech'), beforeNoun: same('chwe') },
  7: both(same('saith')),
  8: both(same('wyth')),
  9: both(same('naw')),
}

export interface NumberWordOptions {
  gender?: Gender
  /** Welsh: the form used directly before a noun (pum, chwe). */
  beforeNoun?: boolean
}

/** A number as the inspectorate writes it: one to nine in words, anything else in figures. */
export function numberWord(n: number, lang: Language, { gender = 'm', beforeNoun = false }: NumberWordOptions = {}): string {
  assertWhole(n, 'number')
  if (n < 1 || n > LARGEST_NUMBER_IN_WORDS) return String(n)
  if (lang === 'en') return ENGLISH_NUMBERS[n - 1]!
  const forms = WELSH_NUMBERS[n]!
  return (beforeNoun ? forms.beforeNoun : forms.alone)[gender]
}

// ---- Welsh mutations -------------------------------------------------------------------------

/** What each mutation does to a word's first letter; a letter not listed does not change. */
export const MUTATIONS: Readonly<Record<Mutation, Readonly<Record<string, string>>>> = {
  soft: { p: 'b', t: 'd', c: 'g', b: 'f', d: 'dd', g: '', m: 'f', ll: 'l', rh: 'r' },
  nasal: { p: 'mh', t: 'nh', c: 'ngh', b: 'm', d: 'n', g: 'ng' },
  aspirate: { p: 'ph', t: 'th', c: 'ch' },
}

/** Letters written with two characters: "ch" is not "c", so "chwaer" never mutates. "ts" (loanwords) neither. */
export const WELSH_DIGRAPHS = ['ch', 'dd', 'ff', 'ng', 'll', 'ph', 'rh', 'th', 'ts'] as const

/** The first letter of a word in the Welsh alphabet (digraphs included), in lower case. */
export function initialLetter(word: string): string {
  const lower = word.toLowerCase()
  return WELSH_DIGRAPHS.find((d) => lower.startsWith(d)) ?? lower.charAt(0)
}

export interface MutateOptions {
  /** Initial letters that resist this mutation here (after "un" and the article, feminine ll- and rh- do not soften). */
  exceptInitials?: readonly string[]
}

/**
 * Mutates the first word of a phrase ("gwella presenoldeb" soft: "wella presenoldeb"). Capitals are
 * kept ("Gwynedd": "Wynedd"); an abbreviation in capitals ("ADY", "CDU") is left as written.
 */
export function mutate(phrase: string, mutation: Mutation, { exceptInitials = [] }: MutateOptions = {}): string {
  const firstWord = phrase.split(/\s/u, 1)[0] ?? ''
  if (firstWord.length > 1 && firstWord === firstWord.toUpperCase() && /\p{Lu}/u.test(firstWord)) return phrase
  const letter = initialLetter(phrase)
  if (exceptInitials.includes(letter)) return phrase
  const replacement = MUTATIONS[mutation][letter]
  if (replacement === undefined) return phrase
  const rest = phrase.slice(letter.length)
  const mutated = replacement + rest
  const wasCapital = phrase.charAt(0) !== phrase.charAt(0).toLowerCase()
  return wasCapital ? capitalise(mutated) : mutated
}

interface NumeralMutation {
  numbers: readonly number[]
  /** Only after the number's form for this gender (any gender when absent). */
  gender?: Gender
  mutation: Mutation
  exceptInitials?: readonly string[]
  /** Only these nouns (the nasal mutation after pum, saith, wyth, naw is kept for a few time words). */
  onlyWords?: readonly string[]
}

/** How a noun changes after a number (Welsh). The first rule that applies is used. */
export const AFTER_NUMERAL: readonly NumeralMutation[] = [
  { numbers: [1], gender: 'f', mutation: 'soft', exceptInitials: ['ll', 'rh'] },
  { numbers: [2], mutation: 'soft' },
  { numbers: [3], gender: 'm', mutation: 'aspirate' },
  { numbers: [6], mutation: 'aspirate' },
  { numbers: [5, 7, 8, 9], mutation: 'nasal', onlyWords: ['blynedd', 'blwydd', 'diwrnod'] },
]

/** How the article changes what follows it (Welsh): a feminine singular noun softens, and so do dau and dwy. */
export const AFTER_ARTICLE = {
  feminineNoun: { mutation: 'soft' as Mutation, exceptInitials: ['ll', 'rh'] as readonly string[] },
  numbers: [2] as readonly number[],
  numberMutation: 'soft' as Mutation,
}

function nounAfterNumber(n: number, noun: Noun['cy']): string {
  const firstWord = (noun.word.split(/\s/u, 1)[0] ?? '').toLowerCase()
  const rule = AFTER_NUMERAL.find((r) => r.numbers.includes(n) && (r.gender === undefined || r.gender === noun.gender)
    && (r.onlyWords === undefined || r.onlyWords.includes(firstWord)))
  return rule ? mutate(noun.word, rule.mutation, { exceptInitials: rule.exceptInitials }) : noun.word
}

/** "yr" before a vowel or h, "y" before a consonant (a "w" before a vowel is a consonant: "y wal", "yr wythnos"). */
export function welshArticle(next: string): 'y' | 'yr' {
  const lower = next.toLowerCase()
  if (/^[aeiouyhâêîôûŵŷáéíóúẃýàèìòùẁỳäëïöüẅÿ]/u.test(lower)) return 'yr'
  if (lower.startsWith('w') && !/^w[aeiouâêîôû]/u.test(lower)) return 'yr'
  return 'y'
}

/** A Welsh noun with the definite article: "yr awdurdod lleol", "y ferch", "y llaw", "yr ardd". */
export function withArticle(noun: Noun['cy']): string {
  const { mutation, exceptInitials } = AFTER_ARTICLE.feminineNoun
  const word = noun.gender === 'f' ? mutate(noun.word, mutation, { exceptInitials }) : noun.word
  return `${welshArticle(word)} ${word}`
}

export interface CountedOptions {
  /** Welsh: the number follows the article ("y ddau awdurdod", "o'r ddwy ysgol"); the article itself is not added. */
  afterArticle?: boolean
}

/** A number with its noun: "four local authorities", "pedwar awdurdod lleol", "dwy ysgol", "tri chyngor", "12 ysgol". */
export function countedNoun(n: number, noun: Noun, lang: Language, { afterArticle = false }: CountedOptions = {}): string {
  assertWhole(n, 'number')
  if (lang === 'en') return `${numberWord(n, 'en')} ${n === 1 ? noun.en.one : noun.en.other}`
  let number = numberWord(n, 'cy', { gender: noun.cy.gender, beforeNoun: true })
  if (afterArticle && AFTER_ARTICLE.numbers.includes(n)) number = mutate(number, AFTER_ARTICLE.numberMutation)
  return `${number} ${nounAfterNumber(n, noun.cy)}`
}

// ---- quantity words --------------------------------------------------------------------------

export const QUANTITY_TERMS = ['nearlyAll', 'most', 'many', 'majority', 'half', 'aroundHalf', 'minority', 'few', 'veryFew'] as const
export type QuantityTerm = (typeof QUANTITY_TERMS)[number]

/**
 * A quantity word's range of percentages. Each bound is optional; `above`/`below` exclude the bound,
 * `atLeast`/`atMost` include it. A table is usable when its bands cover every percentage strictly
 * between 0 and 100 exactly once (`checkBands`): none and all are said exactly, never as a band.
 */
export interface QuantityBand {
  term: QuantityTerm
  above?: number
  atLeast?: number
  below?: number
  atMost?: number
}

/**
 * The inspectorate's table (../shared/reference/README.md, "to confirm"), with its gaps decided:
 * "nearly all" is "with very few exceptions", fewer than 10% left out, so over 90%; "most" is 90%
 * or more, so exactly 90% once "nearly all" takes the rest; "around half" is what lies between
 * "a minority" (below 40%) and "a majority" (over 60%) other than exactly half.
 */
export const QUANTITY_BANDS: readonly QuantityBand[] = [
  { term: 'nearlyAll', above: 90, below: 100 },
  { term: 'most', atLeast: 90, atMost: 90 },
  { term: 'many', atLeast: 70, below: 90 },
  { term: 'majority', above: 60, below: 70 },
  { term: 'aroundHalf', above: 50, atMost: 60 },
  { term: 'half', atLeast: 50, atMost: 50 },
  { term: 'aroundHalf', atLeast: 40, below: 50 },
  { term: 'minority', atLeast: 20, below: 40 },
  { term: 'few', atLeast: 10, below: 20 },
  { term: 'veryFew', above: 0, below: 10 },
]

export interface WordingRules {
  /** Groups of at least this many authorities are described with quantity words instead of counts. */
  quantityWordsFrom: number
  bands: readonly QuantityBand[]
}

/**
 * From ten authorities on, quantity words: below ten, every authority is more than 10% of the group
 * (so "very few" could never be said) and the inspectorate counts in words; from ten, numbers are
 * figures and a sentence of figures is harder to read than "most".
 */
export const DEFAULT_WORDING_RULES: WordingRules = { quantityWordsFrom: 10, bands: QUANTITY_BANDS }

/** Whether count/of (as a percentage) lies in the band; compared in whole numbers, so 7/10 is exactly 70%. */
export function inBand(count: number, of: number, band: QuantityBand): boolean {
  const scaled = count * 100
  if (band.above !== undefined && !(scaled > band.above * of)) return false
  if (band.atLeast !== undefined && !(scaled >= band.atLeast * of)) return false
  if (band.below !== undefined && !(scaled < band.below * of)) return false
  if (band.atMost !== undefined && !(scaled <= band.atMost * of)) return false
  return true
}

/** The quantity word for a part of a group, or undefined for none and for all (said exactly). */
export function quantityTerm(count: number, of: number, bands: readonly QuantityBand[] = QUANTITY_BANDS): QuantityTerm | undefined {
  assertCount(count, of)
  if (count === 0 || count === of) return undefined
  const found = bands.filter((b) => inBand(count, of, b))
  if (found.length !== 1) {
    const percent = Math.round((count / of) * 1000) / 10
    throw new Error(`The quantity bands give ${found.length === 0 ? 'no word' : `${found.length} words`} for ${count} of ${of} (${percent}%): check the table`)
  }
  return found[0]!.term
}

/**
 * What is wrong with a band table (empty when usable): each percentage strictly between 0 and 100
 * must lie in exactly one band. Checked at every bound and between consecutive bounds.
 */
export function checkBands(bands: readonly QuantityBand[]): string[] {
  const problems: string[] = []
  for (const b of bands) {
    if (!(QUANTITY_TERMS as readonly string[]).includes(b.term)) problems.push(`unknown term "${b.term}"`)
    if (b.above !== undefined && b.atLeast !== undefined) problems.push(`${b.term}: give "above" or "atLeast", not both`)
    if (b.below !== undefined && b.atMost !== undefined) problems.push(`${b.term}: give "below" or "atMost", not both`)
  }
  const bounds = [...new Set(bands.flatMap((b) => [b.above, b.atLeast, b.below, b.atMost])
    .filter((v): v is number => v !== undefined && v > 0 && v < 100)), 0, 100].sort((a, b) => a - b)
  const points: number[] = []
  for (let i = 0; i < bounds.length - 1; i++) {
    if (i > 0) points.push(bounds[i]!)
    points.push((bounds[i]! + bounds[i + 1]!) / 2)
  }
  // A percentage p is "count p of 100": the same comparison the wording makes.
  for (const p of points) {
    const terms = bands.filter((b) => inBand(p, 100, b)).map((b) => b.term)
    if (terms.length === 0) problems.push(`no word for ${p}%`)
    if (terms.length > 1) problems.push(`${terms.join(' and ')} both cover ${p}%`)
  }
  return problems
}

// ---- patterns --------------------------------------------------------------------------------

export type Position = 'subject' | 'in'
type GroupCase = 'theOnly' | 'noneOfOne' | 'both' | 'neither' | 'all' | 'none' | 'one' | 'someOfTotal' | 'some'

interface GroupPattern {
  subject: string
  in: string
  /** Welsh only: after a negated verb ("Ni dderbyniodd yr un o'r pedwar ..."): zero cases only. */
  negative?: string
}

/**
 * The group phrases. Placeholders: {count} the part standing alone ("two", "dwy"); {total} the whole
 * group with its noun ("four local authorities"; Welsh as after the article: "ddau awdurdod lleol");
 * {counted} the part with its noun ("two local authorities", "un ferch"); {one} one with the noun;
 * {noun}/{nouns} the noun (English singular/plural); {theNoun} the Welsh noun with its article.
 */
export const GROUP_PATTERNS: Readonly<Record<Language, Readonly<Record<GroupCase, GroupPattern>>>> = {
  en: {
    theOnly: { subject: 'the {noun}', in: 'in the {noun}' },
    noneOfOne: { subject: 'no {noun}', in: 'in no {noun}' },
    both: { subject: 'both {nouns}', in: 'in both {nouns}' },
    neither: { subject: 'neither of the {total}', in: 'in neither of the {total}' },
    all: { subject: 'all {total}', in: 'in all {total}' },
    none: { subject: 'none of the {total}', in: 'in none of the {total}' },
    one: { subject: '{counted}', in: 'in {counted}' },
    someOfTotal: { subject: '{count} of the {total}', in: 'in {count} of the {total}' },
    some: { subject: '{counted}', in: 'in {counted}' },
  },
  cy: {
    theOnly: { subject: '{theNoun}', in: 'yn {theNoun}' },
    noneOfOne: { subject: 'dim {one}', in: 'mewn dim {one}', negative: '{theNoun}' },
    both: { subject: 'y {total}', in: 'yn y {total}' },
    neither: { subject: "dim un o'r {total}", in: "mewn dim un o'r {total}", negative: "yr un o'r {total}" },
    all: { subject: "pob un o'r {total}", in: "ym mhob un o'r {total}" },
    none: { subject: "dim un o'r {total}", in: "mewn dim un o'r {total}", negative: "yr un o'r {total}" },
    one: { subject: '{counted}', in: 'mewn {counted}' },
    someOfTotal: { subject: "{count} o'r {total}", in: "mewn {count} o'r {total}" },
    some: { subject: '{counted}', in: 'mewn {counted}' },
  },
}

/** The quantity words in a group phrase ({total} as above: "the 12 local authorities", "o'r 12 awdurdod lleol"). */
export const QUANTITY_PATTERNS: Readonly<Record<Language, Readonly<Record<QuantityTerm, { subject: string; in: string }>>>> = {
  en: {
    nearlyAll: { subject: 'nearly all of the {total}', in: 'in nearly all of the {total}' },
    most: { subject: 'most of the {total}', in: 'in most of the {total}' },
    many: { subject: 'many of the {total}', in: 'in many of the {total}' },
    majority: { subject: 'a majority of the {total}', in: 'in a majority of the {total}' },
    half: { subject: 'half of the {total}', in: 'in half of the {total}' },
    aroundHalf: { subject: 'around half of the {total}', in: 'in around half of the {total}' },
    minority: { subject: 'a minority of the {total}', in: 'in a minority of the {total}' },
    few: { subject: 'few of the {total}', in: 'in few of the {total}' },
    veryFew: { subject: 'very few of the {total}', in: 'in very few of the {total}' },
  },
  cy: {
    nearlyAll: { subject: "bron pob un o'r {total}", in: "ym mron pob un o'r {total}" },
    most: { subject: "y rhan fwyaf o'r {total}", in: "yn y rhan fwyaf o'r {total}" },
    many: { subject: "llawer o'r {total}", in: "mewn llawer o'r {total}" },
    majority: { subject: "y mwyafrif o'r {total}", in: "yn y mwyafrif o'r {total}" },
    half: { subject: "hanner o'r {total}", in: "mewn hanner o'r {total}" },
    aroundHalf: { subject: "tua hanner o'r {total}", in: "mewn tua hanner o'r {total}" },
    minority: { subject: "lleiafrif o'r {total}", in: "mewn lleiafrif o'r {total}" },
    few: { subject: "ychydig o'r {total}", in: "mewn ychydig o'r {total}" },
    veryFew: { subject: "ychydig iawn o'r {total}", in: "mewn ychydig iawn o'r {total}" },
  },
}

interface SentencePattern {
  /** One authority or more. */
  some: string
  /** None: Welsh negates the verb and uses the group's negative form. */
  none: string
}

/**
 * The sentences. Placeholders: {group}/{inGroup} the group phrase (a capital letter asks for it
 * capitalised: {Group}, {InGroup}); {negative} the Welsh negative group; {theme} the theme's label;
 * {text} a finding's own words; a `|soft` suffix softens the first word ("ar {theme|soft}": "ar wella").
 */
export const SENTENCE_PATTERNS = {
  recommendation: {
    en: { some: '{Group} received a recommendation focused on {theme}.', none: '{Group} received a recommendation focused on {theme}.' },
    cy: {
      some: 'Derbyniodd {group} argymhelliad yn canolbwyntio ar {theme|soft}.',
      none: "Ni dderbyniodd {negative} argymhelliad yn canolbwyntio ar {theme|soft}.",
    },
  },
  goingWell: {
    en: { some: '{InGroup}, inspectors identified strengths in {theme}.', none: '{InGroup} did inspectors identify strengths in {theme}.' },
    cy: { some: '{InGroup}, nododd arolygwyr gryfderau o ran {theme}.', none: 'Ni nododd arolygwyr gryfderau o ran {theme} yn {negative}.' },
  },
  needsToImprove: {
    en: {
      some: '{InGroup}, inspectors identified shortcomings in {theme}.',
      none: '{InGroup} did inspectors identify shortcomings in {theme}.',
    },
    cy: {
      some: "{InGroup}, nododd arolygwyr ddiffygion o ran {theme}.",
      none: "Ni nododd arolygwyr ddiffygion o ran {theme} yn {negative}.",
    },
  },
  findingText: {
    en: { some: '{InGroup}, {text}', none: '' },
    cy: { some: '{InGroup}, {text}', none: '' },
  },
  inspected: {
    en: {
      some: '{Counted} were inspected during {year}.', one: '{Counted} was inspected during {year}.',
      // A sentence does not start with a figure.
      figures: 'During {year}, {counted} were inspected.', none: 'No {nouns} were inspected during {year}.',
    },
    cy: {
      some: 'Arolygwyd {counted} yn ystod {year}.', one: 'Arolygwyd {counted} yn ystod {year}.',
      figures: 'Arolygwyd {counted} yn ystod {year}.', none: 'Nid arolygwyd unrhyw {noun|soft} yn ystod {year}.',
    },
  },
} as const satisfies Record<string, Record<Language, SentencePattern & { one?: string; figures?: string }>>

/**
 * The Welsh patterns, machine-drafted and awaiting a Welsh speaker, each with its English: the
 * wording module's "$needsReview". Remove an entry (or mark it) once it has been checked.
 */
export const WELSH_PATTERNS_FOR_REVIEW: ReadonlyArray<{ key: string; en: string; cy: string }> = [
  ...Object.entries(GROUP_PATTERNS.cy).flatMap(([c, p]) => (['subject', 'in', 'negative'] as const)
    .filter((pos) => p[pos] !== undefined)
    .map((pos) => ({ key: `group.${c}.${pos}`, en: GROUP_PATTERNS.en[c as GroupCase][pos === 'negative' ? 'subject' : pos], cy: p[pos]! }))),
  ...Object.entries(QUANTITY_PATTERNS.cy).flatMap(([term, p]) => (['subject', 'in'] as const)
    .map((pos) => ({ key: `quantity.${term}.${pos}`, en: QUANTITY_PATTERNS.en[term as QuantityTerm][pos], cy: p[pos] }))),
  ...Object.entries(SENTENCE_PATTERNS).flatMap(([name, p]) => Object.entries(p.cy)
    .filter(([, cy]) => cy !== '')
    .map(([form, cy]) => ({ key: `sentence.${name}.${form}`, en: (p.en as Record<string, string>)[form] ?? '', cy }))),
]

// ---- building ------------------------------------------------------------------------------

export interface GroupOptions {
  /** Capital first letter, for the start of a sentence (default true). */
  capitalise?: boolean
  /** "All four local authorities" (subject, default) or "In all four local authorities". */
  position?: Position
  /** "Two of the four local authorities" (default) or "Two local authorities" for a part of a small group. */
  total?: boolean
  noun?: Noun
  rules?: WordingRules
}

/** What a group is in words, in the first letter's case as given by `capitalise`. */
export function groupOpening(count: number, of: number, lang: Language, options: GroupOptions = {}): string {
  const phrase = groupPhrase(count, of, lang, options.position ?? 'subject', options)
  return options.capitalise === false ? phrase : capitalise(phrase)
}

function groupPhrase(count: number, of: number, lang: Language, position: Position | 'negative', options: GroupOptions): string {
  assertCount(count, of)
  const noun = options.noun ?? LOCAL_AUTHORITY
  const rules = options.rules ?? DEFAULT_WORDING_RULES
  const c = groupCase(count, of, rules, options.total ?? true)
  let pattern: string
  if (typeof c === 'object') {
    if (position === 'negative') throw new Error('A negative group is only for none')
    pattern = QUANTITY_PATTERNS[lang][c.term][position]
  } else {
    const p = GROUP_PATTERNS[lang][c]
    pattern = position === 'negative' ? p.negative ?? p.subject : p[position]
  }
  return fill(pattern, groupValues(count, of, lang, noun))
}

function groupCase(count: number, of: number, rules: WordingRules, showTotal: boolean): GroupCase | { term: QuantityTerm } {
  if (of === 1) return count === 1 ? 'theOnly' : 'noneOfOne'
  if (of === 2 && count === 2) return 'both'
  if (of === 2 && count === 0) return 'neither'
  if (count === of) return 'all'
  if (count === 0) return 'none'
  if (of >= rules.quantityWordsFrom) return { term: quantityTerm(count, of, rules.bands)! }
  if (count === 1) return 'one'
  return showTotal ? 'someOfTotal' : 'some'
}

function groupValues(count: number, of: number, lang: Language, noun: Noun): Record<string, string> {
  if (lang === 'en') {
    return {
      count: numberWord(count, 'en'), total: countedNoun(of, noun, 'en'), counted: countedNoun(count, noun, 'en'),
      one: countedNoun(1, noun, 'en'), noun: noun.en.one, nouns: noun.en.other,
    }
  }
  return {
    count: numberWord(count, 'cy', { gender: noun.cy.gender }),
    total: countedNoun(of, noun, 'cy', { afterArticle: true }),
    counted: countedNoun(count, noun, 'cy'),
    one: countedNoun(1, noun, 'cy'),
    noun: noun.cy.word,
    theNoun: withArticle(noun.cy),
  }
}

export interface SentenceOptions {
  rules?: WordingRules
}

/**
 * "Two local authorities received a recommendation focused on improving attendance." The label is
 * the theme's, in the sentence's language ("gwella presenoldeb": "... ar wella presenoldeb.").
 */
export function recommendationSentence(count: number, of: number, themeLabel: string, lang: Language, options: SentenceOptions = {}): string {
  return sentence('recommendation', count, of, lang, { theme: themeLabel.trim() }, { ...options, total: false })
}

/** A point from the findings of one kind that share a theme: "In two of the four local authorities, inspectors identified strengths in ...". */
export function findingSentence(count: number, of: number, kind: FindingKind, themeLabel: string, lang: Language, options: SentenceOptions = {}): string {
  return sentence(kind === 'going_well' ? 'goingWell' : 'needsToImprove', count, of, lang, { theme: themeLabel.trim() }, options)
}

/**
 * A point completed by a finding's own words: "In one local authority, work to reduce exclusions was
 * less effective." The clause is used as written (start it in lower case); a full stop is added if missing.
 */
export function findingTextSentence(count: number, of: number, clause: string, lang: Language, options: SentenceOptions = {}): string {
  assertCount(count, of)
  if (count === 0) throw new RangeError('A finding point needs at least one authority: nothing can be said of none in its own words')
  const text = clause.trim()
  if (!text) throw new RangeError('A finding point needs the finding\'s words')
  return sentence('findingText', count, of, lang, { text: /[.!?]$/u.test(text) ? text : `${text}.` }, options)
}

/** "Four local government education services were inspected during 2023-2024." */
export function inspectedSentence(of: number, academicYear: string, lang: Language): string {
  assertWhole(of, 'number inspected')
  if (of < 0) throw new RangeError(`The number inspected cannot be negative (${of})`)
  const p = SENTENCE_PATTERNS.inspected[lang]
  const pattern = of === 0 ? p.none : of === 1 ? p.one : of > LARGEST_NUMBER_IN_WORDS ? p.figures : p.some
  const values: Record<string, string> = lang === 'en'
    ? { counted: countedNoun(of, EDUCATION_SERVICE, 'en'), nouns: EDUCATION_SERVICE.en.other, year: academicYear }
    : { counted: countedNoun(of, EDUCATION_SERVICE, 'cy'), noun: EDUCATION_SERVICE.cy.word, year: academicYear }
  return capitalise(fill(pattern, values))
}

function sentence(
  name: Exclude<keyof typeof SENTENCE_PATTERNS, 'inspected'>, count: number, of: number, lang: Language,
  extra: Record<string, string>, options: GroupOptions,
): string {
  assertCount(count, of)
  const p: SentencePattern = SENTENCE_PATTERNS[name][lang]
  const values: Record<string, string> = {
    ...extra,
    group: groupPhrase(count, of, lang, 'subject', options),
    inGroup: groupPhrase(count, of, lang, 'in', options),
  }
  if (count === 0 && lang === 'cy') values.negative = groupPhrase(count, of, lang, 'negative', options)
  return capitalise(fill(count === 0 ? p.none : p.some, values))
}

// ---- small helpers -----------------------------------------------------------------------------

/** Fills {name}, {Name} (capitalised) and {name|mutation} placeholders; an unknown one is left visible. */
export function fill(pattern: string, values: Record<string, string>): string {
  return pattern.replace(/\{(\w+)(?:\|(\w+))?\}/gu, (whole, name: string, mutation?: string) => {
    const key = name.charAt(0).toLowerCase() + name.slice(1)
    let value = values[key]
    if (value === undefined) return whole
    if (mutation) {
      if (!(mutation in MUTATIONS)) return whole
      value = mutate(value, mutation as Mutation)
    }
    return name === key ? value : capitalise(value)
  })
}

/** A capital first letter ("ym mhob": "Ym mhob", "llawer": "Llawer"; Welsh digraphs take one capital). */
export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

function assertWhole(n: number, what: string): void {
  if (!Number.isInteger(n)) throw new RangeError(`The ${what} must be a whole number (got ${n})`)
}

/** A part of a group: refused with a message that says what is wrong. */
function assertCount(count: number, of: number): void {
  assertWhole(count, 'count of authorities')
  assertWhole(of, 'number of authorities inspected')
  if (of < 1) throw new RangeError(`At least one authority must have been inspected to describe a group (got ${of})`)
  if (count < 0) throw new RangeError(`The count of authorities cannot be negative (got ${count})`)
  if (count > of) throw new RangeError(`The count of authorities (${count}) cannot be more than the number inspected (${of})`)
}

import { describe, expect, it } from 'vitest'
import type { Language } from '../../db/schema.ts'
import type { LetterModel, LetterParagraphModel, LetterSectionModel } from '../letters/letter.model.ts'
import { BUILT_IN_RULES } from './writing-checks.data.ts'
import { bilingualMessage } from './writing-checks.messages.ts'
import {
  checkLetter, checkText, countWords, FOCUS_IMPROVEMENT, FOCUS_WORKING_WELL, inBand, parseBand, parsePattern, splitSentences, type WritingRuleRow,
} from './writing-checks.rules.ts'

/** The built-in rules as they are seeded: the catalogue's messages in both languages. */
const BUILT_IN: WritingRuleRow[] = BUILT_IN_RULES.map((r) => {
  const m = bilingualMessage(`writingChecks.builtIn.${r.code}`)
  return { code: r.code, kind: r.kind, lang: r.lang, pattern: r.pattern, message_en: m.en, message_cy: m.cy, enabled: 1 }
})

/** An administrator's plain phrase rule, for each language. */
const PHRASES: WritingRuleRow[] = [
  { code: 'jargon-en', kind: 'phrase', lang: 'en', pattern: 'going forward|stakeholder', message_en: 'Avoid “{match}”', message_cy: 'Osgowch “{match}”', enabled: 1 },
  { code: 'jargon-cy', kind: 'phrase', lang: 'cy', pattern: 'rhanddeiliaid|wrth symud ymlaen', message_en: 'Avoid “{match}”', message_cy: 'Osgowch “{match}”', enabled: 1 },
]
const RULES = [...BUILT_IN, ...PHRASES]

const codes = (text: string, lang: Language, rules: WritingRuleRow[] = RULES) => checkText(text, lang, rules).map((p) => p.rule)
/** A sentence of `n` words, starting with a capital as a sentence does. */
const long = (n: number, word = 'word') => `${word.charAt(0).toUpperCase()}${word.slice(1)} ${Array.from({ length: n - 1 }, () => word).join(' ')}.`

/** For every rule: text in its language that it must flag, and text that it must let pass. */
const EXAMPLES: Record<string, { lang: Language; fail: string[]; pass: string[] }> = {
  'grade-words-en': {
    lang: 'en',
    fail: ['Leaders provide good support to schools.', 'The quality of teaching is EXCELLENT.', 'Provision is adequate.', 'Attendance was unsatisfactory.'],
    pass: ['The authority shares good practice across schools.', 'Officers spread good practices well.', 'Goodwill between schools is strong.', 'Leaders know their schools well.'],
  },
  'grade-words-cy': {
    lang: 'cy',
    fail: ['Mae’r gwasanaethau’n dda.', 'Mae’r arweinyddiaeth yn rhagorol.', 'Mae’r ddarpariaeth yn ddigonol.', 'Roedd presenoldeb yn anfoddhaol.', 'Mae cymorth yn dda iawn.'],
    pass: ['Mae’r awdurdod yn rhannu arfer dda.', 'Beth sy’n gweithio’n dda', 'Mae’r cynllun yn mynd yn dda.', 'Anfonwch y ffurflen, os gwelwch yn dda.', 'Mae swyddogion yn adnabod eu hysgolion.', 'Mae’r cynllun yn datblygu’n gyflym.'],
  },
  'follow-up-en': {
    lang: 'en',
    fail: ['The authority must improve attendance.', 'Progress will be monitored by the team.', 'There will be a follow-up visit.', 'We will follow up in the spring.'],
    pass: ['The authority could consider improving attendance.', 'Leaders monitor progress closely.', 'Officers followed the plan.'],
  },
  'follow-up-cy': {
    lang: 'cy',
    fail: ['Rhaid i’r awdurdod wella presenoldeb.', 'Bydd yn cael ei fonitro gan y tîm.', 'Bydd ymweliad dilynol.'],
    pass: ['Gallai’r awdurdod ystyried gwella presenoldeb.', 'Mae arweinwyr yn monitro cynnydd yn agos.', 'Dilynodd swyddogion y cynllun.'],
  },
  'sentence-length': {
    lang: 'en',
    fail: [long(41), `Short one. ${long(45)} Another short one.`],
    pass: [long(40), `${long(30)} ${long(30)}`, 'Leaders, e.g. the director and 2.5 officers, meet weekly. They plan well.'],
  },
  'quantity-nearly-all-en': { lang: 'en', fail: ['Nearly all schools (85%) have a plan.', 'Almost all schools (90%) agree.'], pass: ['Nearly all schools (95%) have a plan.', 'Nearly all schools have a plan.'] },
  'quantity-most-en': { lang: 'en', fail: ['Most schools (65%) have a plan.', 'Most schools (89%) have a plan.', 'In most schools, 13 out of 20, leaders plan.'], pass: ['Most schools (90%) have a plan.', 'Most schools (100%) agree.', 'The most useful plan covers 3 of 20 schools.', 'At most 3 of 20 schools agree.'] },
  'quantity-many-en': { lang: 'en', fail: ['Many of the 20 schools we visited, 8 of 20, have plans.', 'Many schools (69%) have plans.'], pass: ['Many schools (70%) have plans.', 'Many of the 20 schools, 15 of 20, have plans.', 'Many schools have plans.'] },
  'quantity-majority-en': { lang: 'en', fail: ['A majority of schools (60%) agree.', 'The majority of schools (55 per cent) agree.'], pass: ['A majority of schools (61%) agree.', 'A majority of schools agree.'] },
  'quantity-half-en': { lang: 'en', fail: ['Half of the schools (40%) agree.', 'Half of schools, 6 of 10, agree.'], pass: ['Half of the schools (50%) agree.', 'Half of the schools, two of the four, agree.', 'The half-term plan covers 3 of 10 schools.'] },
  'quantity-around-half-en': { lang: 'en', fail: ['Around half of schools (30%) agree.', 'About half the schools (60%) agree.'], pass: ['Around half of schools (52%) agree.', 'Around half of schools (45%) agree.'] },
  'quantity-minority-en': { lang: 'en', fail: ['A minority of schools (45%) agree.', 'A minority (40%) agree.'], pass: ['A minority of schools (39%) agree.', 'A minority of schools (25%) agree.'] },
  'quantity-few-en': { lang: 'en', fail: ['Few schools (30%) agree.', 'Few schools (20%) agree.'], pass: ['Few schools (15%) agree.', 'A few schools (30%) agree.'] },
  'quantity-very-few-en': { lang: 'en', fail: ['Very few schools (15%) agree.', 'Very few schools, 2 of 10, agree.'], pass: ['Very few schools (5%) agree.', 'Very few schools, one of 20, agree.'] },
  'quantity-nearly-all-cy': { lang: 'cy', fail: ['Mae gan bron pob un o’r ysgolion (85%) gynllun.'], pass: ['Mae gan bron pob un o’r ysgolion (95%) gynllun.'] },
  'quantity-most-cy': { lang: 'cy', fail: ['Mae gan y rhan fwyaf o ysgolion (65%) gynllun.', 'Yn y rhan fwyaf o ysgolion (89%), mae cynllun.'], pass: ['Mae gan y rhan fwyaf o ysgolion (90%) gynllun.', 'Mae gan y rhan fwyaf o ysgolion gynllun.'] },
  'quantity-many-cy': { lang: 'cy', fail: ['Mae gan lawer o’r 20 ysgol, sef 8 o 20, gynllun. Mae llawer o ysgolion (dau o’r pedwar) yn cytuno.'], pass: ['Mae llawer o ysgolion (75%) yn cytuno.', 'Mae llawer mwy o ysgolion (20%) yn cytuno.'] },
  'quantity-majority-cy': { lang: 'cy', fail: ['Mae’r mwyafrif o ysgolion (55%) yn cytuno.'], pass: ['Mae’r mwyafrif o ysgolion (65%) yn cytuno.'] },
  'quantity-half-cy': { lang: 'cy', fail: ['Mae hanner yr ysgolion (40%) yn cytuno.'], pass: ['Mae hanner yr ysgolion (50%) yn cytuno.', 'Mae hanner yr ysgolion, dwy o’r pedair, yn cytuno.'] },
  'quantity-around-half-cy': { lang: 'cy', fail: ['Mae tua hanner yr ysgolion (30%) yn cytuno.'], pass: ['Mae tua hanner yr ysgolion (48%) yn cytuno.'] },
  'quantity-minority-cy': { lang: 'cy', fail: ['Mae lleiafrif o ysgolion (45%) yn cytuno.'], pass: ['Mae lleiafrif o ysgolion (30%) yn cytuno.'] },
  'quantity-few-cy': { lang: 'cy', fail: ['Mae ychydig o ysgolion (30%) yn cytuno.'], pass: ['Mae ychydig o ysgolion (15%) yn cytuno.'] },
  'quantity-very-few-cy': { lang: 'cy', fail: ['Mae ychydig iawn o ysgolion (15%) yn cytuno.'], pass: ['Mae ychydig iawn o ysgolion (5%) yn cytuno.', 'Mae ychydig iawn o ysgolion, un o 20, yn cytuno.'] },
  'jargon-en': { lang: 'en', fail: ['Going forward, the authority plans well.', 'Each stakeholder agrees.'], pass: ['The authority plans well.', 'Each stakeholders’ group agrees.'] },
  'jargon-cy': { lang: 'cy', fail: ['Mae’r rhanddeiliaid yn cytuno.', 'Wrth symud ymlaen, mae’r awdurdod yn cynllunio.'], pass: ['Mae’r partneriaid yn cytuno.'] },
}

describe('the writing rules, each with text it flags and text it lets pass', () => {
  it('has examples for every built-in rule, in the language of each', () => {
    expect(Object.keys(EXAMPLES).sort()).toEqual(RULES.map((r) => r.code).sort())
    for (const rule of RULES) {
      const langs = rule.lang === 'both' ? ['en', 'cy'] : [rule.lang]
      expect(langs).toContain(EXAMPLES[rule.code]!.lang)
    }
  })

  for (const [code, { lang, fail, pass }] of Object.entries(EXAMPLES)) {
    it(`${code} (${lang})`, () => {
      for (const text of fail) expect(codes(text, lang), text).toContain(code)
      for (const text of pass) expect(codes(text, lang), text).not.toContain(code)
    })
  }

  it('applies a rule only to text in its language; a rule for both applies to both', () => {
    expect(codes('Leaders provide good support.', 'cy')).not.toContain('grade-words-en')
    expect(codes('Mae’r gwasanaethau’n dda.', 'en')).not.toContain('grade-words-cy')
    expect(codes(long(41, 'gair'), 'cy')).toEqual(['sentence-length'])
    expect(codes(long(41), 'en')).toEqual(['sentence-length'])
  })

  it('gives each message in the reader’s language, with the words found and the figure', () => {
    const [en] = checkText('Most schools (65%) agree.', 'en', RULES, 'en')
    expect(en).toEqual({ rule: 'quantity-most-en', message: '“Most” means 90% or more, but the figure given is 65%: use the quantity word that fits the figure, or check the figure.' })
    const [cy] = checkText('Most schools (65%) agree.', 'en', RULES, 'cy')
    expect(cy!.message).toBe('Mae “Most” (y rhan fwyaf) yn golygu 90% neu fwy, ond 65% yw’r ffigur a roddir: defnyddiwch y gair maint sy’n cyd-fynd â’r ffigur, neu gwiriwch y ffigur.')
    expect(checkText(long(45), 'en', RULES, 'en')[0]!.message).toBe('This sentence has 45 words: split it so that each sentence has 40 words or fewer.')
    expect(checkText('Mae’r gwasanaethau’n dda.', 'cy', RULES, 'en')[0]!.message).toMatch(/^“dda” in the Welsh text reads as a summative grade/)
  })

  it('lists the same words once per text, whatever their case or hyphen', () => {
    expect(codes('Follow-up is planned. We will follow up. FOLLOW-UP again.', 'en')).toEqual(['follow-up-en'])
    expect(codes('Good plans and good people.', 'en')).toEqual(['grade-words-en'])
  })

  it('skips rules that are off and stored patterns that cannot be read', () => {
    const off = RULES.map((r) => (r.code === 'grade-words-en' ? { ...r, enabled: 0 as const } : r))
    expect(codes('Leaders provide good support.', 'en', off)).toEqual([])
    const broken: WritingRuleRow = { code: 'broken', kind: 'quantity', lang: 'en', pattern: 'most', message_en: 'x', message_cy: 'y' }
    expect(codes('Most schools (10%) agree.', 'en', [broken])).toEqual([])
  })
})

describe('quantity words and their bands', () => {
  const quantity = (text: string, lang: Language = 'en') => codes(text, lang).filter((c) => c.startsWith('quantity'))

  it('keeps to the band at its edges', () => {
    expect(quantity('Most schools (90%) agree.')).toEqual([])
    expect(quantity('Most schools (89%) agree.')).toEqual(['quantity-most-en'])
    expect(quantity('Most schools (89.9%) agree.')).toEqual(['quantity-most-en'])
    expect(quantity('A minority (45%) agree.')).toEqual(['quantity-minority-en'])
    expect(quantity('Half (50%) agree.')).toEqual([])
    expect(quantity('Half (51%) agree.')).toEqual(['quantity-half-en'])
    expect(quantity('Many schools (70%) agree.')).toEqual([])
    expect(quantity('A majority (61%) agree.')).toEqual([])
    expect(quantity('Very few (9%) agree.')).toEqual([])
    expect(quantity('Very few (10%) agree.')).toEqual(['quantity-very-few-en'])
    expect(quantity('Around half (55%) agree.')).toEqual([])
    expect(quantity('Around half (56%) agree.')).toEqual(['quantity-around-half-en'])
  })

  it('reads the longer of two overlapping quantity words', () => {
    // "very few (15%)" breaks "very few" (below 10%) though "few" alone (below 20%) would allow it.
    expect(quantity('Very few schools (15%) agree.')).toEqual(['quantity-very-few-en'])
    expect(quantity('Around half (45%) agree.')).toEqual([])
    expect(quantity('Mae ychydig iawn o ysgolion (15%) yn cytuno.', 'cy')).toEqual(['quantity-very-few-cy'])
    expect(quantity('Mae tua hanner (45%) yn cytuno.', 'cy')).toEqual([])
  })

  it('takes a figure only from later in the same sentence, before the next quantity word', () => {
    expect(quantity('Most schools agree. In 3 of 20, leaders disagree.')).toEqual([])
    expect(quantity('In 3 of 20 schools, most leaders agree.')).toEqual([])
    expect(quantity('Most schools (95%) and a minority of settings (30%) agree.')).toEqual([])
    expect(quantity('Most schools and a minority of settings (30%) agree.')).toEqual([])
    expect(quantity('Most schools (60%) and a minority of settings (50%) agree.')).toEqual(['quantity-most-en', 'quantity-minority-en'])
  })

  it('reads percentages and counts written in figures or words', () => {
    expect(quantity('Most schools (65 per cent) agree.')).toEqual(['quantity-most-en'])
    expect(quantity('Most of the authorities, two of the four, agree.')).toEqual(['quantity-most-en'])
    expect(quantity('Most of the authorities, 19 out of 20, agree.')).toEqual([])
    expect(quantity('Mae’r rhan fwyaf o ysgolion (65 y cant) yn cytuno.', 'cy')).toEqual(['quantity-most-cy'])
    expect(quantity('Mae’r rhan fwyaf o’r awdurdodau, tri o’r pedwar, yn cytuno.', 'cy')).toEqual(['quantity-most-cy'])
    // A count bigger than its whole is not a proportion.
    expect(quantity('Most schools, 30 of 20, agree.')).toEqual([])
  })

  it('reads the bands an administrator writes', () => {
    expect(parseBand('>=90')).toEqual({ op: '>=', value: 90 })
    expect(parseBand(' < 40 ')).toEqual({ op: '<', value: 40 })
    expect(parseBand('45-55')).toEqual({ op: 'range', min: 45, max: 55 })
    for (const bad of ['90', '>=', '55-45', '>101', 'most', '=>90', '']) expect(parseBand(bad), bad).toBeNull()
    expect(inBand(50, { op: '=', value: 50 })).toBe(true)
    expect(inBand(100 / 3 * 3 / 2, { op: '=', value: 50 })).toBe(true)
    expect(inBand(60, { op: '>', value: 60 })).toBe(false)
    expect(inBand(40, { op: '<=', value: 40 })).toBe(true)
  })
})

describe('patterns', () => {
  it('accepts each kind’s pattern and says what is wrong with a bad one', () => {
    expect(parsePattern('phrase', 'going forward|!not going forward').ok).toBe(true)
    expect(parsePattern('grade_word', 'good|!good practice').ok).toBe(true)
    expect(parsePattern('quantity', 'most|!at most:>=90').ok).toBe(true)
    expect(parsePattern('sentence_length', '40').ok).toBe(true)
    for (const bad of ['', '|', 'good|', '!good practice', 'good|!']) expect(parsePattern('phrase', bad), bad).toEqual({ ok: false, error: 'writingChecks.rule.patternWords' })
    for (const bad of ['most', 'most:', ':>=90', 'most:>=190', 'most:ninety']) expect(parsePattern('quantity', bad), bad).toEqual({ ok: false, error: 'writingChecks.rule.patternQuantity' })
    for (const bad of ['forty', '4', '201', '40.5', '-40']) expect(parsePattern('sentence_length', bad), bad).toEqual({ ok: false, error: 'writingChecks.rule.patternLength' })
  })

  it('matches whole words in any case, any spacing, straight or curly apostrophes, and treats pattern text literally', () => {
    const rule = (pattern: string): WritingRuleRow[] => [{ code: 'p', kind: 'phrase', lang: 'en', pattern, message_en: '{match}', message_cy: '{match}' }]
    expect(checkText('It is a  Key\nStage matter.', 'en', rule('key stage'))).toEqual([{ rule: 'p', message: 'Key\nStage' }])
    expect(codes('Keystone', 'en', rule('key'))).toEqual([])
    expect(codes('The authority’s plan', 'en', rule("authority's plan"))).toEqual(['p'])
    expect(codes('Costs rose (a lot).', 'en', rule('(a lot)'))).toEqual(['p'])
    expect(codes('Costs rose a lot.', 'en', rule('a.lot'))).toEqual([])
    expect(codes('Mae’n ddiogel.', 'cy', rule('diogel'))).toEqual([])
  })
})

describe('sentences', () => {
  const sentences = (text: string) => splitSentences(text).map((s) => text.slice(s.start, s.end))

  it('splits at full stops, question and exclamation marks and line breaks', () => {
    expect(sentences('One. Two? Three! Four')).toEqual(['One.', 'Two?', 'Three!', 'Four'])
    expect(sentences('A list\nof lines\n\nand more.')).toEqual(['A list', 'of lines', 'and more.'])
    expect(sentences('He said “Stop.” Then left.')).toEqual(['He said “Stop.”', 'Then left.'])
    expect(sentences('Costs rose (by a lot.) Then fell.')).toEqual(['Costs rose (by a lot.)', 'Then fell.'])
    expect(sentences('  ')).toEqual([])
  })

  it('does not split after e.g., i.e., e.e., h.y., initials, decimal numbers, or before a small letter', () => {
    expect(sentences('Leaders, e.g. Cardiff’s, plan. Officers, i.e. Anna, agree.')).toEqual(['Leaders, e.g. Cardiff’s, plan.', 'Officers, i.e. Anna, agree.'])
    expect(sentences('Mae arweinwyr, e.e. Caerdydd, yn cynllunio. Mae swyddogion, h.y. Anna, yn cytuno.')).toEqual(['Mae arweinwyr, e.e. Caerdydd, yn cynllunio.', 'Mae swyddogion, h.y. Anna, yn cytuno.'])
    expect(sentences('Spending rose 2.5% to £1.2m this year. It fell later.')).toEqual(['Spending rose 2.5% to £1.2m this year.', 'It fell later.'])
    expect(sentences('Books, pens etc. and paper. Next.')).toEqual(['Books, pens etc. and paper.', 'Next.'])
    expect(sentences('Written by J. Smith. Read by all.')).toEqual(['Written by J. Smith.', 'Read by all.'])
    expect(sentences('Books, pens etc. Next.')).toEqual(['Books, pens etc.', 'Next.'])
  })

  it('counts words that have a letter or a digit', () => {
    expect(countWords('The plan – agreed in 2025 – is good.')).toBe(7)
    expect(countWords('follow-up')).toBe(1)
    expect(countWords('')).toBe(0)
  })
})

// ---- letters ----------------------------------------------------------------------------------

let nextId = 1
const paragraph = (en: string, cy: string, extra: Partial<LetterParagraphModel> = {}): LetterParagraphModel =>
  ({ id: nextId++, style: 'text', text: { en, cy }, findingIds: [], fixed: false, ...extra })
const section = (key: string, heading: { en: string; cy: string }, paragraphs: LetterParagraphModel[], position = nextId): LetterSectionModel =>
  ({ id: nextId++, key, position, focusAreaId: /^focus:(\d+)/.exec(key) ? Number(/^focus:(\d+)/.exec(key)![1]) : null, heading, edited: false, translation: { original: null, current: true }, paragraphs })
const letter = (sections: LetterSectionModel[]): LetterModel => ({
  id: 1, elvId: 1, state: 'draft', version: 1, date: '2026-07-01',
  authority: { en: 'Ceredigion', cy: 'Ceredigion' }, director: { name: 'A Director', email: null },
  letterhead: { organisation: { en: 'The inspectorate', cy: 'Yr arolygiaeth' }, address: { en: '', cy: '' }, phone: '', email: '', website: '' },
  title: { en: 'Feedback', cy: 'Adborth' }, sections,
})
const WELL = { findingKind: 'working_well' as const }
const IMPROVE = { findingKind: 'improvement' as const }

describe('checking a letter', () => {
  it('checks the inspectors’ paragraphs and headings in both languages, never the fixed wording, and says where each problem is', () => {
    const fixedGood = paragraph('We hope you have a good term. The authority must reply.', 'Gobeithio y cewch dymor da. Rhaid i’r awdurdod ateb.', { fixed: true })
    const opening = section('opening', { en: 'A good start', cy: 'Dechrau da' }, [fixedGood])
    const wellEn = paragraph('Leaders provide good support.', 'Mae arweinwyr yn rhoi cymorth cryf.', WELL)
    const wellCy = paragraph('Officers know their schools.', 'Mae swyddogion yn rhagorol.', WELL)
    const improve = paragraph('The authority could review its plan.', 'Gallai’r awdurdod adolygu ei gynllun.', IMPROVE)
    const focus = section('focus:7', { en: 'Good attendance', cy: 'Presenoldeb' }, [wellEn, wellCy, improve])
    const closing = section('closing', { en: 'Closing', cy: 'Cloi' }, [paragraph('There is no follow-up activity.', 'Nid oes gweithgarwch dilynol.', { fixed: true })])

    const problems = checkLetter(letter([opening, focus, closing]), RULES, 'en')
    expect(problems).toEqual([
      { rule: 'grade-words-en', message: expect.stringContaining('“Good”'), section: focus.id, paragraph: null, lang: 'en' },
      { rule: 'grade-words-en', message: expect.stringContaining('“good”'), section: focus.id, paragraph: wellEn.id, lang: 'en' },
      { rule: 'grade-words-cy', message: expect.stringContaining('“rhagorol”'), section: focus.id, paragraph: wellCy.id, lang: 'cy' },
    ])
    // The same problems in Welsh for a Welsh reader.
    expect(checkLetter(letter([opening, focus, closing]), RULES, 'cy').map((p) => p.message)).toEqual([
      expect.stringMatching(/^Mae “Good” yn y testun Saesneg yn darllen fel gradd grynodol/),
      expect.stringMatching(/^Mae “good” yn y testun Saesneg/),
      expect.stringMatching(/^Mae “rhagorol” yn darllen fel gradd grynodol/),
    ])
  })

  it('flags a focus area with nothing working well or no considerations for improvement, by the kind of each paragraph', () => {
    const onlyWell = section('focus:1', { en: 'Attendance', cy: 'Presenoldeb' }, [paragraph('Leaders track attendance.', 'Mae arweinwyr yn olrhain presenoldeb.', WELL)])
    const onlyImprove = section('focus:2', { en: 'Exclusions', cy: 'Gwaharddiadau' }, [paragraph('Review exclusions.', 'Adolygu gwaharddiadau.', IMPROVE)])
    const both = section('focus:3', { en: 'Safeguarding', cy: 'Diogelu' }, [paragraph('Strong.', 'Cryf.', WELL), paragraph('Review.', 'Adolygu.', IMPROVE)])
    const empty = section('focus:4', { en: 'Leadership', cy: 'Arweinyddiaeth' }, [])
    // A paragraph left empty, or fixed wording, says nothing of either kind.
    const hollow = section('focus:5', { en: 'Resources', cy: 'Adnoddau' }, [paragraph('Strong.', 'Cryf.', WELL), paragraph(' ', '', IMPROVE), paragraph('Improve.', 'Gwella.', { ...IMPROVE, fixed: true })])

    const problems = checkLetter(letter([onlyWell, onlyImprove, both, empty, hollow]), RULES, 'en')
    expect(problems.map((p) => [p.rule, p.section, p.paragraph, p.lang])).toEqual([
      [FOCUS_IMPROVEMENT, onlyWell.id, null, null],
      [FOCUS_WORKING_WELL, onlyImprove.id, null, null],
      [FOCUS_WORKING_WELL, empty.id, null, null],
      [FOCUS_IMPROVEMENT, empty.id, null, null],
      [FOCUS_IMPROVEMENT, hollow.id, null, null],
    ])
    expect(problems[0]!.message).toBe('The focus area “Attendance” has no considerations for improvement: each focus area needs both what is working well and considerations for improvement.')
    expect(checkLetter(letter([onlyImprove]), RULES, 'cy')[0]!.message).toBe('Nid yw’r maes ffocws “Gwaharddiadau” yn dweud dim am beth sy’n gweithio’n dda: mae angen i bob maes ffocws gynnwys beth sy’n gweithio’n dda ac ystyriaethau ar gyfer gwella.')
  })

  it('reads the kind from sub-sections keyed by kind, grouping them by focus area', () => {
    const main = section('focus:8', { en: 'Attendance', cy: 'Presenoldeb' }, [])
    const well = section('focus:8:working_well', { en: 'What is working well', cy: 'Beth sy’n gweithio’n dda' }, [paragraph('Leaders track attendance.', 'Mae arweinwyr yn olrhain presenoldeb.')])
    const improve9 = section('focus:9:improvement', { en: 'Considerations for improvement', cy: 'Ystyriaethau ar gyfer gwella' }, [paragraph('Review.', 'Adolygu.')])
    const problems = checkLetter(letter([main, well, improve9]), RULES, 'en')
    expect(problems.map((p) => [p.rule, p.section])).toEqual([[FOCUS_IMPROVEMENT, main.id], [FOCUS_WORKING_WELL, improve9.id]])
    expect(problems[0]!.message).toContain('“Attendance”')
    expect(problems[1]!.message).toContain('“Considerations for improvement”')
  })

  it('does not judge a focus area whose paragraphs say nothing of their kind', () => {
    const unknown = section('focus:10', { en: 'Attendance', cy: 'Presenoldeb' }, [paragraph('Leaders track attendance.', 'Mae arweinwyr yn olrhain presenoldeb.')])
    expect(checkLetter(letter([unknown]), RULES, 'en')).toEqual([])
  })

  it('takes the sections in the order of their position', () => {
    const second = section('visit', { en: 'Good visit', cy: 'Ymweliad' }, [paragraph('Text.', 'Testun.')], 2)
    const first = section('purpose', { en: 'Excellent purpose', cy: 'Diben' }, [paragraph('Text.', 'Testun.')], 1)
    expect(checkLetter(letter([second, first]), RULES, 'en').map((p) => p.section)).toEqual([first.id, second.id])
  })
})

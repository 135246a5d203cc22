import { describe, expect, it } from 'vitest'
import type { Language } from '../../db/schema.ts'
import {
  checkBands, countedNoun, fill, findingSentence, findingTextSentence, GROUP_PATTERNS, groupOpening, inspectedSentence, mutate,
  numberWord, QUANTITY_BANDS, QUANTITY_PATTERNS, quantityTerm, recommendationSentence, SCHOOL, SENTENCE_PATTERNS,
  WELSH_PATTERNS_FOR_REVIEW, withArticle, type Gender, type Noun, type QuantityBand, type QuantityTerm, type WordingRules,
} from './wording.ts'

// ---- expectations written out here, independently of the module's tables ----------------------

const EN = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine']
// Welsh for a masculine noun (awdurdod): standing alone ("dau o'r ...") and before the noun ("pum awdurdod").
const CY_ALONE = ['dim', 'un', 'dau', 'tri', 'pedwar', 'pump', 'chwech', 'saith', 'wyth', 'naw']
const CY_BEFORE = ['dim', 'un', 'dau', 'tri', 'pedwar', 'pum', 'chwe', 'saith', 'wyth', 'naw']

const EN_TERM: Record<QuantityTerm, string> = {
  nearlyAll: 'nearly all', most: 'most', many: 'many', majority: 'a majority', half: 'half', aroundHalf: 'around half',
  minority: 'a minority', few: 'few', veryFew: 'very few',
}
const CY_TERM: Record<QuantityTerm, { subject: string; in: string }> = {
  nearlyAll: { subject: 'bron pob un', in: 'ym mron pob un' },
  most: { subject: 'y rhan fwyaf', in: 'yn y rhan fwyaf' },
  many: { subject: 'llawer', in: 'mewn llawer' },
  majority: { subject: 'y mwyafrif', in: 'yn y mwyafrif' },
  half: { subject: 'hanner', in: 'mewn hanner' },
  aroundHalf: { subject: 'tua hanner', in: 'mewn tua hanner' },
  minority: { subject: 'lleiafrif', in: 'mewn lleiafrif' },
  few: { subject: 'ychydig', in: 'mewn ychydig' },
  veryFew: { subject: 'ychydig iawn', in: 'mewn ychydig iawn' },
}

/** The reference table read as a ladder over the percentage (a different method from the module's bands). */
function expectedTerm(count: number, of: number): QuantityTerm {
  const percent = Math.round((count / of) * 1e6) / 1e4
  if (percent > 90) return 'nearlyAll'
  if (percent === 90) return 'most'
  if (percent >= 70) return 'many'
  if (percent > 60) return 'majority'
  if (percent === 50) return 'half'
  if (percent >= 40) return 'aroundHalf'
  if (percent >= 20) return 'minority'
  if (percent >= 10) return 'few'
  return 'veryFew'
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)
const words = (n: number, table: string[]) => (n <= 9 ? table[n]! : String(n))

/** The group phrase for a total of four or more, as the inspectorate would write it. */
function expectedGroup(count: number, of: number, lang: Language, position: 'subject' | 'in', total = true): string {
  if (lang === 'en') {
    const whole = `${words(of, EN)} local authorities`
    let s: string
    if (count === of) s = `all ${whole}`
    else if (count === 0) s = `none of the ${whole}`
    else if (of >= 10) s = `${EN_TERM[expectedTerm(count, of)]} of the ${whole}`
    else if (count === 1) s = 'one local authority'
    else s = total ? `${EN[count]} of the ${whole}` : `${EN[count]} local authorities`
    return position === 'in' ? `in ${s}` : s
  }
  const whole = `${words(of, CY_BEFORE)} awdurdod lleol`
  const inOrNot = (subject: string, inForm: string) => (position === 'in' ? inForm : subject)
  if (count === of) return inOrNot(`pob un o'r ${whole}`, `ym mhob un o'r ${whole}`)
  if (count === 0) return inOrNot(`dim un o'r ${whole}`, `mewn dim un o'r ${whole}`)
  if (of >= 10) return `${CY_TERM[expectedTerm(count, of)][position]} o'r ${whole}`
  if (count === 1) return inOrNot('un awdurdod lleol', 'mewn un awdurdod lleol')
  const s = total ? `${CY_ALONE[count]} o'r ${whole}` : `${CY_BEFORE[count]} awdurdod lleol`
  return inOrNot(s, `mewn ${s}`)
}

function expectedRecommendation(count: number, of: number, lang: Language): string {
  if (lang === 'en') return `${cap(expectedGroup(count, of, 'en', 'subject', false))} received a recommendation focused on improving attendance.`
  if (count === 0) return `Ni dderbyniodd yr un o'r ${words(of, CY_BEFORE)} awdurdod lleol argymhelliad yn canolbwyntio ar wella presenoldeb.`
  return `Derbyniodd ${expectedGroup(count, of, 'cy', 'subject', false)} argymhelliad yn canolbwyntio ar wella presenoldeb.`
}

function expectedFinding(count: number, of: number, kind: 'going_well' | 'needs_to_improve', lang: Language): string {
  const inGroup = cap(expectedGroup(count, of, lang, 'in'))
  if (lang === 'en') {
    const what = kind === 'going_well' ? 'strengths' : 'shortcomings'
    return count === 0
      ? `${inGroup} did inspectors identify ${what} in improving attendance.`
      : `${inGroup}, inspectors identified ${what} in improving attendance.`
  }
  const what = kind === 'going_well' ? 'gryfderau' : 'ddiffygion'
  return count === 0
    ? `Ni nododd arolygwyr ${what} o ran gwella presenoldeb yn yr un o'r ${words(of, CY_BEFORE)} awdurdod lleol.`
    : `${inGroup}, nododd arolygwyr ${what} o ran gwella presenoldeb.`
}

const THEME = { en: 'improving attendance', cy: 'gwella presenoldeb' } as const
const TOTALS = Array.from({ length: 19 }, (_, i) => i + 4) // 4 to 22
const COUNTS = Array.from({ length: 11 }, (_, i) => i) // 0 to 10
const LANGS: Language[] = ['en', 'cy']

// ---- every count of every total ------------------------------------------------------------

describe.each(TOTALS)('counts out of %i authorities', (of) => {
  const counts = COUNTS.filter((c) => c <= of)
  const tooMany = COUNTS.filter((c) => c > of)

  for (const lang of LANGS) {
    it(`opens a group in ${lang}, as a subject and after "in"`, () => {
      expect(counts.map((c) => groupOpening(c, of, lang))).toEqual(counts.map((c) => cap(expectedGroup(c, of, lang, 'subject'))))
      expect(counts.map((c) => groupOpening(c, of, lang, { position: 'in' }))).toEqual(counts.map((c) => cap(expectedGroup(c, of, lang, 'in'))))
      expect(counts.map((c) => groupOpening(c, of, lang, { capitalise: false }))).toEqual(counts.map((c) => expectedGroup(c, of, lang, 'subject')))
    })

    it(`writes the recommendation sentence in ${lang}`, () => {
      expect(counts.map((c) => recommendationSentence(c, of, THEME[lang], lang))).toEqual(counts.map((c) => expectedRecommendation(c, of, lang)))
    })

    it(`writes the finding points in ${lang}`, () => {
      for (const kind of ['going_well', 'needs_to_improve'] as const) {
        expect(counts.map((c) => findingSentence(c, of, kind, THEME[lang], lang))).toEqual(counts.map((c) => expectedFinding(c, of, kind, lang)))
      }
    })

    it(`refuses counts above the total in ${lang}`, () => {
      for (const c of tooMany) {
        const message = `The count of authorities (${c}) cannot be more than the number inspected (${of})`
        expect(() => groupOpening(c, of, lang)).toThrow(message)
        expect(() => recommendationSentence(c, of, THEME[lang], lang)).toThrow(message)
        expect(() => findingSentence(c, of, 'going_well', THEME[lang], lang)).toThrow(message)
      }
    })
  }
})

describe('the wording of the source document and the issue', () => {
  it('writes the sentences exactly', () => {
    expect(groupOpening(4, 4, 'en')).toBe('All four local authorities')
    expect(groupOpening(2, 4, 'en')).toBe('Two of the four local authorities')
    expect(groupOpening(1, 4, 'en', { position: 'in' })).toBe('In one local authority')
    expect(groupOpening(1, 4, 'en')).toBe('One local authority')
    expect(groupOpening(0, 4, 'en')).toBe('None of the four local authorities')
    expect(groupOpening(4, 4, 'cy')).toBe("Pob un o'r pedwar awdurdod lleol")
    expect(recommendationSentence(2, 4, 'improving attendance', 'en')).toBe('Two local authorities received a recommendation focused on improving attendance.')
    expect(recommendationSentence(1, 4, 'improving attendance', 'en')).toBe('One local authority received a recommendation focused on improving attendance.')
    expect(recommendationSentence(4, 4, 'improving attendance', 'en')).toBe('All four local authorities received a recommendation focused on improving attendance.')
    expect(recommendationSentence(2, 4, 'gwella presenoldeb', 'cy')).toBe('Derbyniodd dau awdurdod lleol argymhelliad yn canolbwyntio ar wella presenoldeb.')
    expect(inspectedSentence(4, '2023-2024', 'en')).toBe('Four local government education services were inspected during 2023-2024.')
    expect(findingTextSentence(1, 4, 'work to reduce exclusions was less effective', 'en'))
      .toBe('In one local authority, work to reduce exclusions was less effective.')
  })
})

// ---- quantity words --------------------------------------------------------------------------

describe('quantity words', () => {
  it('choose each word at the edges of its band', () => {
    const edges: Array<[number, number, QuantityTerm]> = [
      [9, 10, 'most'], // 90% is "90% or more", and not over 90%
      [10, 11, 'nearlyAll'], [19, 20, 'nearlyAll'], [21, 22, 'nearlyAll'], [18, 20, 'most'], [17, 20, 'many'],
      [7, 10, 'many'], [14, 20, 'many'], // exactly 70%
      [13, 20, 'majority'], [7, 11, 'majority'],
      [6, 10, 'aroundHalf'], [12, 20, 'aroundHalf'], // 60% is not "over 60%"
      [5, 10, 'half'], [11, 22, 'half'], [6, 11, 'aroundHalf'], [5, 11, 'aroundHalf'], [9, 20, 'aroundHalf'],
      [4, 10, 'aroundHalf'], [8, 20, 'aroundHalf'], // 40% is not "below 40%"
      [7, 20, 'minority'], [2, 10, 'minority'], [4, 20, 'minority'], // 20% is not "below 20%"
      [3, 20, 'few'], [1, 10, 'few'], [2, 20, 'few'], // 10% is not "less than 10%"
      [1, 11, 'veryFew'], [2, 22, 'veryFew'], [1, 20, 'veryFew'],
    ]
    expect(edges.map(([c, of]) => quantityTerm(c, of))).toEqual(edges.map(([, , term]) => term))
    expect(edges.map(([c, of]) => expectedTerm(c, of))).toEqual(edges.map(([, , term]) => term))
  })

  it('match the table written out for ten, eleven, twenty and twenty-two authorities', () => {
    const rows: Record<number, string> = {
      10: 'few minority minority aroundHalf half aroundHalf many many most',
      11: 'veryFew few minority minority aroundHalf aroundHalf majority many many nearlyAll',
      20: 'veryFew few few minority minority minority minority aroundHalf aroundHalf half aroundHalf aroundHalf majority many many many many most nearlyAll',
      22: 'veryFew veryFew few few minority minority minority minority aroundHalf aroundHalf half aroundHalf aroundHalf majority majority many many many many nearlyAll nearlyAll',
    }
    for (const [of, row] of Object.entries(rows)) {
      const total = Number(of)
      expect(Array.from({ length: total - 1 }, (_, i) => quantityTerm(i + 1, total)).join(' '), `${total}`).toBe(row)
    }
  })

  it('agree with the reference table for every part of every group of ten to 22', () => {
    for (let of = 10; of <= 22; of++) {
      const counts = Array.from({ length: of - 1 }, (_, i) => i + 1)
      expect(counts.map((c) => groupOpening(c, of, 'en')), `${of}`).toEqual(counts.map((c) => cap(expectedGroup(c, of, 'en', 'subject'))))
      expect(counts.map((c) => groupOpening(c, of, 'cy', { position: 'in' })), `${of}`).toEqual(counts.map((c) => cap(expectedGroup(c, of, 'cy', 'in'))))
    }
  })

  it('say none and all exactly, never as a band', () => {
    expect(quantityTerm(0, 12)).toBeUndefined()
    expect(quantityTerm(12, 12)).toBeUndefined()
    expect(groupOpening(12, 12, 'en')).toBe('All 12 local authorities')
    expect(groupOpening(0, 12, 'cy')).toBe("Dim un o'r 12 awdurdod lleol")
  })

  it('are written in both languages at the edges', () => {
    const cases: Array<[number, number, string, string]> = [
      [9, 10, "Most of the 10 local authorities", "Y rhan fwyaf o'r 10 awdurdod lleol"],
      [7, 10, 'Many of the 10 local authorities', "Llawer o'r 10 awdurdod lleol"],
      [6, 10, 'Around half of the 10 local authorities', "Tua hanner o'r 10 awdurdod lleol"],
      [7, 11, 'A majority of the 11 local authorities', "Y mwyafrif o'r 11 awdurdod lleol"],
      [5, 10, 'Half of the 10 local authorities', "Hanner o'r 10 awdurdod lleol"],
      [3, 10, 'A minority of the 10 local authorities', "Lleiafrif o'r 10 awdurdod lleol"],
      [1, 10, 'Few of the 10 local authorities', "Ychydig o'r 10 awdurdod lleol"],
      [1, 11, 'Very few of the 11 local authorities', "Ychydig iawn o'r 11 awdurdod lleol"],
      [21, 22, 'Nearly all of the 22 local authorities', "Bron pob un o'r 22 awdurdod lleol"],
    ]
    expect(cases.map(([c, of]) => groupOpening(c, of, 'en'))).toEqual(cases.map(([, , en]) => en))
    expect(cases.map(([c, of]) => groupOpening(c, of, 'cy'))).toEqual(cases.map(([, , , cy]) => cy))
    expect(groupOpening(21, 22, 'cy', { position: 'in' })).toBe("Ym mron pob un o'r 22 awdurdod lleol")
    expect(recommendationSentence(9, 10, 'gwella presenoldeb', 'cy'))
      .toBe("Derbyniodd y rhan fwyaf o'r 10 awdurdod lleol argymhelliad yn canolbwyntio ar wella presenoldeb.")
  })

  it('come from a table that covers every percentage once', () => {
    expect(checkBands(QUANTITY_BANDS)).toEqual([])
    const withoutFew = QUANTITY_BANDS.filter((b) => b.term !== 'few')
    expect(checkBands(withoutFew)).toEqual(expect.arrayContaining(['no word for 10%', 'no word for 15%']))
    const overlapping: QuantityBand[] = [...QUANTITY_BANDS, { term: 'many', atLeast: 60, below: 70 }]
    expect(checkBands(overlapping)).toContain('majority and many both cover 65%')
    expect(checkBands([...QUANTITY_BANDS, { term: 'half', above: 40, atLeast: 40 }])).toContain('half: give "above" or "atLeast", not both')
  })

  it('follow an edited table without a change of code, and refuse one with a gap', () => {
    // An administrator widens "a minority" to below 45% and narrows "around half" to match.
    const bands: QuantityBand[] = QUANTITY_BANDS.map((b) => (b.term === 'minority' ? { ...b, below: 45 } : b.term === 'aroundHalf' && b.atLeast === 40 ? { ...b, atLeast: 45 } : b))
    expect(checkBands(bands)).toEqual([])
    const rules: WordingRules = { quantityWordsFrom: 10, bands }
    expect(quantityTerm(4, 10, bands)).toBe('minority')
    expect(groupOpening(4, 10, 'en', { rules })).toBe('A minority of the 10 local authorities')
    const gap = QUANTITY_BANDS.filter((b) => b.term !== 'veryFew')
    expect(() => quantityTerm(1, 20, gap)).toThrow('The quantity bands give no word for 1 of 20 (5%): check the table')
  })

  it('start from a threshold that can be changed', () => {
    const rules: WordingRules = { quantityWordsFrom: 4, bands: QUANTITY_BANDS }
    expect(groupOpening(3, 4, 'en', { rules })).toBe('Many of the four local authorities')
    expect(groupOpening(3, 4, 'cy', { rules })).toBe("Llawer o'r pedwar awdurdod lleol")
    expect(groupOpening(3, 9, 'en')).toBe('Three of the nine local authorities')
    expect(groupOpening(3, 10, 'en')).toBe('A minority of the 10 local authorities')
  })
})

// ---- Welsh grammar ---------------------------------------------------------------------------

describe('Welsh mutations', () => {
  // [radical, soft, nasal, aspirate]: one word for each class of first letter.
  const table: Array<[string, string, string, string]> = [
    ['pont', 'bont', 'mhont', 'phont'],
    ['tad', 'dad', 'nhad', 'thad'],
    ['cath', 'gath', 'nghath', 'chath'],
    ['bachgen', 'fachgen', 'machgen', 'bachgen'],
    ['desg', 'ddesg', 'nesg', 'desg'],
    ['gardd', 'ardd', 'ngardd', 'gardd'],
    ['merch', 'ferch', 'merch', 'merch'],
    ['llaw', 'law', 'llaw', 'llaw'],
    ['rhaglen', 'raglen', 'rhaglen', 'rhaglen'],
    // Letters that never mutate, digraphs that look like mutable letters among them.
    ['chwaer', 'chwaer', 'chwaer', 'chwaer'],
    ['theatr', 'theatr', 'theatr', 'theatr'],
    ['ffordd', 'ffordd', 'ffordd', 'ffordd'],
    ['tsar', 'tsar', 'tsar', 'tsar'],
    ['nant', 'nant', 'nant', 'nant'],
    ['sir', 'sir', 'sir', 'sir'],
    ['haf', 'haf', 'haf', 'haf'],
    ['awdurdod', 'awdurdod', 'awdurdod', 'awdurdod'],
    ['ysgol', 'ysgol', 'ysgol', 'ysgol'],
  ]
  it('change each class of first letter as the tables say', () => {
    expect(table.map(([w]) => [w, mutate(w, 'soft'), mutate(w, 'nasal'), mutate(w, 'aspirate')])).toEqual(table)
  })

  it('keep capitals, change only the first word, and leave abbreviations alone', () => {
    expect(['Gwynedd', 'Caerdydd', 'Llanelli', 'Pen-y-bont'].map((w) => mutate(w, 'soft'))).toEqual(['Wynedd', 'Gaerdydd', 'Lanelli', 'Ben-y-bont'])
    expect(mutate('Caerdydd', 'nasal')).toBe('Nghaerdydd')
    expect(mutate('gwella presenoldeb', 'soft')).toBe('wella presenoldeb')
    expect(mutate('cryfhau prosesau', 'soft')).toBe('gryfhau prosesau')
    expect(mutate('lleihau gwaharddiadau', 'soft')).toBe('leihau gwaharddiadau')
    expect(mutate('ADY a chynhwysiant', 'soft')).toBe('ADY a chynhwysiant')
    expect(mutate('CDU', 'soft')).toBe('CDU')
    expect(mutate('llaw', 'soft', { exceptInitials: ['ll', 'rh'] })).toBe('llaw')
  })

  it('follow numbers, by gender, for each class of first letter', () => {
    const m = (word: string): Noun => ({ en: { one: word, other: word }, cy: { word, gender: 'm' } })
    const f = (word: string): Noun => ({ en: { one: word, other: word }, cy: { word, gender: 'f' } })
    const counted: Array<[Noun, number[], string]> = [
      [m('cyngor'), [1, 2, 3, 4, 5, 6, 7, 8, 9, 12], 'un cyngor|dau gyngor|tri chyngor|pedwar cyngor|pum cyngor|chwe chyngor|saith cyngor|wyth cyngor|naw cyngor|12 cyngor'],
      [m('plentyn'), [1, 2, 3, 4, 5, 6], 'un plentyn|dau blentyn|tri phlentyn|pedwar plentyn|pum plentyn|chwe phlentyn'],
      [m('tîm'), [1, 2, 3, 6], 'un tîm|dau dîm|tri thîm|chwe thîm'],
      [m('bachgen'), [1, 2, 3, 6], 'un bachgen|dau fachgen|tri bachgen|chwe bachgen'],
      [m('disgybl'), [2, 3], 'dau ddisgybl|tri disgybl'],
      [m('gwasanaeth'), [2, 3], 'dau wasanaeth|tri gwasanaeth'],
      [m('maes'), [1, 2], 'un maes|dau faes'],
      [m('llyfr'), [1, 2, 3], 'un llyfr|dau lyfr|tri llyfr'],
      [m('rhiant'), [2, 3], 'dau riant|tri rhiant'],
      [m('diwrnod'), [1, 2, 3, 4, 5, 6, 7, 8, 9], 'un diwrnod|dau ddiwrnod|tri diwrnod|pedwar diwrnod|pum niwrnod|chwe diwrnod|saith niwrnod|wyth niwrnod|naw niwrnod'],
      [m('awdurdod lleol'), [1, 2, 3, 4, 5, 6, 10], 'un awdurdod lleol|dau awdurdod lleol|tri awdurdod lleol|pedwar awdurdod lleol|pum awdurdod lleol|chwe awdurdod lleol|10 awdurdod lleol'],
      [f('ysgol'), [1, 2, 3, 4, 5, 6, 7], 'un ysgol|dwy ysgol|tair ysgol|pedair ysgol|pum ysgol|chwe ysgol|saith ysgol'],
      [f('merch'), [1, 2, 3, 4], 'un ferch|dwy ferch|tair merch|pedair merch'],
      [f('pont'), [1, 2, 3, 6], 'un bont|dwy bont|tair pont|chwe phont'],
      [f('taith'), [1, 2, 3, 6], 'un daith|dwy daith|tair taith|chwe thaith'],
      [f('cath'), [1, 2, 3, 6], 'un gath|dwy gath|tair cath|chwe chath'],
      [f('basged'), [1, 2, 3], 'un fasged|dwy fasged|tair basged'],
      [f('desg'), [1, 2, 3], 'un ddesg|dwy ddesg|tair desg'],
      [f('gardd'), [1, 2, 3], 'un ardd|dwy ardd|tair gardd'],
      [f('llaw'), [1, 2, 3], 'un llaw|dwy law|tair llaw'],
      [f('rhaglen'), [1, 2, 3], 'un rhaglen|dwy raglen|tair rhaglen'],
      [f('chwaer'), [1, 2, 3, 6], 'un chwaer|dwy chwaer|tair chwaer|chwe chwaer'],
    ]
    for (const [noun, numbers, expected] of counted) {
      expect(numbers.map((n) => countedNoun(n, noun, 'cy')).join('|'), noun.cy.word).toBe(expected)
    }
  })

  it('follow the article', () => {
    const n = (word: string, gender: Gender) => ({ word, gender })
    expect([
      n('awdurdod lleol', 'm'), n('ysgol', 'f'), n('merch', 'f'), n('llaw', 'f'), n('rhaglen', 'f'), n('gardd', 'f'), n('pont', 'f'),
      n('cyngor', 'm'), n('tîm', 'm'), n('haf', 'm'), n('wal', 'f'), n('wythnos', 'f'),
    ].map(withArticle)).toEqual([
      'yr awdurdod lleol', 'yr ysgol', 'y ferch', 'y llaw', 'y rhaglen', 'yr ardd', 'y bont', 'y cyngor', 'y tîm', 'yr haf', 'y wal', 'yr wythnos',
    ])
    const cyngor: Noun = { en: { one: 'council', other: 'councils' }, cy: { word: 'cyngor', gender: 'm' } }
    expect(countedNoun(2, cyngor, 'cy', { afterArticle: true })).toBe('ddau gyngor')
    expect(countedNoun(2, SCHOOL, 'cy', { afterArticle: true })).toBe('ddwy ysgol')
    expect(countedNoun(3, cyngor, 'cy', { afterArticle: true })).toBe('tri chyngor')
  })
})

describe('numbers and genders in group phrases', () => {
  it('writes one to nine as words and other numbers as figures', () => {
    expect([0, 1, 5, 9, 10, 22].map((n) => numberWord(n, 'en'))).toEqual(['0', 'one', 'five', 'nine', '10', '22'])
    expect([1, 2, 3, 4, 5, 6].map((n) => numberWord(n, 'cy', { gender: 'f' }))).toEqual(['un', 'dwy', 'tair', 'pedair', 'pump', 'chwech'])
    expect([5, 6].map((n) => numberWord(n, 'cy', { beforeNoun: true }))).toEqual(['pum', 'chwe'])
    expect(() => numberWord(2.5, 'en')).toThrow('whole number')
  })

  it('agrees with a feminine noun', () => {
    expect(groupOpening(2, 4, 'cy', { noun: SCHOOL })).toBe("Dwy o'r pedair ysgol")
    expect(groupOpening(3, 5, 'cy', { noun: SCHOOL })).toBe("Tair o'r pum ysgol")
    expect(groupOpening(5, 6, 'cy', { noun: SCHOOL })).toBe("Pump o'r chwe ysgol")
    expect(groupOpening(4, 4, 'cy', { noun: SCHOOL, position: 'in' })).toBe("Ym mhob un o'r pedair ysgol")
    expect(groupOpening(2, 4, 'cy', { noun: SCHOOL, total: false })).toBe('Dwy ysgol')
    expect(groupOpening(2, 4, 'en', { noun: SCHOOL })).toBe('Two of the four schools')
  })

  it('says one, two and three of a very small group naturally', () => {
    const cases: Array<[number, number, string, string]> = [
      [1, 1, 'The local authority', 'Yr awdurdod lleol'],
      [0, 1, 'No local authority', 'Dim un awdurdod lleol'],
      [2, 2, 'Both local authorities', 'Y ddau awdurdod lleol'],
      [0, 2, 'Neither of the two local authorities', "Dim un o'r ddau awdurdod lleol"],
      [1, 2, 'One local authority', 'Un awdurdod lleol'],
      [3, 3, 'All three local authorities', "Pob un o'r tri awdurdod lleol"],
      [2, 3, 'Two of the three local authorities', "Dau o'r tri awdurdod lleol"],
    ]
    expect(cases.map(([c, of]) => groupOpening(c, of, 'en'))).toEqual(cases.map(([, , en]) => en))
    expect(cases.map(([c, of]) => groupOpening(c, of, 'cy'))).toEqual(cases.map(([, , , cy]) => cy))
    expect(groupOpening(2, 2, 'cy', { noun: SCHOOL })).toBe('Y ddwy ysgol')
    expect(groupOpening(1, 1, 'cy', { noun: SCHOOL, position: 'in' })).toBe("Yn yr ysgol")
    expect(recommendationSentence(2, 2, 'gwella presenoldeb', 'cy')).toBe('Derbyniodd y ddau awdurdod lleol argymhelliad yn canolbwyntio ar wella presenoldeb.')
    expect(recommendationSentence(0, 2, 'improving attendance', 'en')).toBe('Neither of the two local authorities received a recommendation focused on improving attendance.')
    expect(recommendationSentence(0, 2, 'gwella presenoldeb', 'cy')).toBe("Ni dderbyniodd yr un o'r ddau awdurdod lleol argymhelliad yn canolbwyntio ar wella presenoldeb.")
    expect(recommendationSentence(0, 1, 'gwella presenoldeb', 'cy')).toBe('Ni dderbyniodd yr awdurdod lleol argymhelliad yn canolbwyntio ar wella presenoldeb.')
    expect(recommendationSentence(1, 1, 'improving attendance', 'en')).toBe('The local authority received a recommendation focused on improving attendance.')
  })
})

describe('sentences', () => {
  it('start with a capital letter and leave no placeholder unfilled, in every case', () => {
    const all: string[] = []
    for (const lang of LANGS) {
      for (let of = 1; of <= 22; of++) {
        for (let c = 0; c <= of; c++) {
          all.push(recommendationSentence(c, of, THEME[lang], lang), findingSentence(c, of, 'needs_to_improve', THEME[lang], lang))
          all.push(groupOpening(c, of, lang, { position: 'in' }))
          if (c > 0) all.push(findingTextSentence(c, of, 'x', lang))
        }
        all.push(inspectedSentence(of, '2023-2024', lang))
      }
    }
    expect(all.filter((s) => !/^\p{Lu}/u.test(s) || /[{}]/.test(s))).toEqual([])
  })

  it('mutate the theme after "ar" and keep it as written after "o ran"', () => {
    expect(recommendationSentence(1, 4, 'cryfhau prosesau hunanarfarnu', 'cy'))
      .toBe('Derbyniodd un awdurdod lleol argymhelliad yn canolbwyntio ar gryfhau prosesau hunanarfarnu.')
    expect(recommendationSentence(3, 4, 'lleihau gwaharddiadau', 'cy'))
      .toBe('Derbyniodd tri awdurdod lleol argymhelliad yn canolbwyntio ar leihau gwaharddiadau.')
    expect(findingSentence(1, 4, 'going_well', 'cryfhau prosesau hunanarfarnu', 'cy'))
      .toBe('Mewn un awdurdod lleol, nododd arolygwyr gryfderau o ran cryfhau prosesau hunanarfarnu.')
  })

  it('completes a point with a finding\'s own words', () => {
    expect(findingTextSentence(2, 4, 'mae presenoldeb wedi gwella', 'cy')).toBe("Mewn dau o'r pedwar awdurdod lleol, mae presenoldeb wedi gwella.")
    expect(findingTextSentence(4, 4, ' leaders share a clear vision! ', 'en')).toBe('In all four local authorities, leaders share a clear vision!')
    expect(() => findingTextSentence(0, 4, 'leaders share a clear vision', 'en')).toThrow('at least one authority')
    expect(() => findingTextSentence(1, 4, '  ', 'en')).toThrow("finding's words")
  })

  it('say how many were inspected', () => {
    const cases: Array<[number, string, string]> = [
      [0, 'No local government education services were inspected during 2023-2024.', 'Nid arolygwyd unrhyw wasanaeth addysg llywodraeth leol yn ystod 2023-2024.'],
      [1, 'One local government education service was inspected during 2023-2024.', 'Arolygwyd un gwasanaeth addysg llywodraeth leol yn ystod 2023-2024.'],
      [2, 'Two local government education services were inspected during 2023-2024.', 'Arolygwyd dau wasanaeth addysg llywodraeth leol yn ystod 2023-2024.'],
      [4, 'Four local government education services were inspected during 2023-2024.', 'Arolygwyd pedwar gwasanaeth addysg llywodraeth leol yn ystod 2023-2024.'],
      [12, 'During 2023-2024, 12 local government education services were inspected.', 'Arolygwyd 12 gwasanaeth addysg llywodraeth leol yn ystod 2023-2024.'],
    ]
    expect(cases.map(([n]) => inspectedSentence(n, '2023-2024', 'en'))).toEqual(cases.map(([, en]) => en))
    expect(cases.map(([n]) => inspectedSentence(n, '2023-2024', 'cy'))).toEqual(cases.map(([, , cy]) => cy))
  })

  it('refuse what cannot be a group, saying why', () => {
    expect(() => groupOpening(-1, 4, 'en')).toThrow('cannot be negative')
    expect(() => groupOpening(1.5, 4, 'en')).toThrow('must be a whole number')
    expect(() => groupOpening(0, 0, 'cy')).toThrow('At least one authority must have been inspected')
    expect(() => groupOpening(5, 4, 'cy')).toThrow(RangeError)
    expect(() => inspectedSentence(-1, '2023-2024', 'en')).toThrow('cannot be negative')
  })

  it('fills placeholders, capitalised and mutated on request, leaving unknown ones visible', () => {
    expect(fill('{Group} / {group} / {theme|soft} / {theme|nasal} / {missing} / {theme|odd}', { group: 'llawer', theme: 'cryfhau' }))
      .toBe('Llawer / llawer / gryfhau / nghryfhau / {missing} / {theme|odd}')
  })
})

describe('Welsh awaiting review', () => {
  it('lists every Welsh pattern, with its English', () => {
    const listed = new Set(WELSH_PATTERNS_FOR_REVIEW.map((p) => p.cy))
    const patterns = [
      ...Object.values(GROUP_PATTERNS.cy).flatMap((p) => [p.subject, p.in, p.negative]),
      ...Object.values(QUANTITY_PATTERNS.cy).flatMap((p) => [p.subject, p.in]),
      ...Object.values(SENTENCE_PATTERNS).flatMap((p) => Object.values(p.cy) as string[]),
    ].filter((p): p is string => !!p)
    expect(patterns.filter((p) => !listed.has(p))).toEqual([])
    expect(WELSH_PATTERNS_FOR_REVIEW.filter((p) => !p.en || !p.cy)).toEqual([])
    expect(new Set(WELSH_PATTERNS_FOR_REVIEW.map((p) => p.key)).size).toBe(WELSH_PATTERNS_FOR_REVIEW.length)
  })
})

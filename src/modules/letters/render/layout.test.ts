import { describe, expect, it } from 'vitest'
import type { LetterModel } from '../letter.model.ts'
import { headingLevel, letterBlocks, letterVersion, orderedSections, pageParts, pageText, versionsOf } from './layout.ts'
import { sampleLetter } from './letter.fixture.ts'

/** A letter of the given sections, each `[key, position, paragraphs]` with `[style, en, cy?]` paragraphs. */
function letterOf(sections: Array<[string, number, Array<['text' | 'bullet', string, string?]>]>): LetterModel {
  let id = 0
  return {
    ...sampleLetter(),
    sections: sections.map(([key, position, paragraphs]) => ({
      id: ++id, key, position, focusAreaId: null, heading: { en: `Heading ${key}`, cy: `Pennawd ${key}` }, edited: false,
      translation: { original: null, current: true },
      paragraphs: paragraphs.map(([style, en, cy]) => ({ id: ++id, style, text: { en, cy: cy ?? `${en} (cy)` }, findingIds: [], fixed: false })),
    })),
  }
}

describe('the letter laid out for the renderers', () => {
  it('puts sections in position order and makes one list of consecutive bullets', () => {
    const model = letterOf([
      ['closing', 9, [['text', 'Yours sincerely,']]],
      ['purpose', 1, [['text', 'Intro'], ['bullet', 'One'], ['bullet', 'Two'], ['text', 'Between'], ['bullet', 'Three']]],
    ])
    expect(letterBlocks(model, 'en')).toEqual([
      { kind: 'heading', level: 2, text: 'Heading purpose' },
      { kind: 'paragraph', text: 'Intro' },
      { kind: 'list', items: ['One', 'Two'] },
      { kind: 'paragraph', text: 'Between' },
      { kind: 'list', items: ['Three'] },
      { kind: 'heading', level: 2, text: 'Heading closing' },
      { kind: 'paragraph', text: 'Yours sincerely,' },
    ])
  })

  it('starts a new list where the kind of finding behind the bullets changes, should the model say so', () => {
    const model = letterOf([['focus:1', 1, [['bullet', 'Well 1'], ['bullet', 'Well 2'], ['bullet', 'Improve 1']]]])
    const [a, b, c] = model.sections[0]!.paragraphs
    Object.assign(a!, { findingKind: 'working_well' })
    Object.assign(b!, { findingKind: 'working_well' })
    Object.assign(c!, { findingKind: 'improvement' })
    expect(letterBlocks(model, 'en').filter((x) => x.kind === 'list')).toEqual([
      { kind: 'list', items: ['Well 1', 'Well 2'] }, { kind: 'list', items: ['Improve 1'] },
    ])
  })

  it('gives a sub-section (its key extends another section’s) a heading a level down', () => {
    const model = sampleLetter()
    const sections = orderedSections(model)
    const levels = sections.filter((s) => s.heading.en).map((s) => [s.key, headingLevel(s, sections)])
    expect(levels).toEqual([
      ['purpose', 2], ['visit', 2],
      ['focus:11', 2], ['focus:11:working_well', 3], ['focus:11:improvement', 3],
      ['focus:12', 2], ['focus:12:working_well', 3], ['focus:12:improvement', 3],
      ['closing', 2],
    ])
    // `focus:1` is not the parent of `focus:11`: only a whole key followed by a colon is.
    const lookalike = letterOf([['focus:1', 1, []], ['focus:11', 2, []]])
    expect(letterBlocks(lookalike, 'en').map((b) => b.kind === 'heading' && b.level)).toEqual([2, 2])
    // A level the model gives is taken as it is.
    Object.assign(lookalike.sections[1]!, { level: 3 })
    expect(letterBlocks(lookalike, 'en').map((b) => b.kind === 'heading' && b.level)).toEqual([2, 3])
  })

  it('leaves out a heading or paragraph with no text in that language, and reads runs of spaces as one', () => {
    const model = letterOf([['visit', 1, [['text', '  Two  words\n across lines '], ['text', 'English only', ''], ['bullet', '   ']]]])
    model.sections[0]!.heading = { en: '', cy: 'Yr ymweliad' }
    expect(letterBlocks(model, 'en')).toEqual([{ kind: 'paragraph', text: 'Two words across lines' }, { kind: 'paragraph', text: 'English only' }])
    expect(letterBlocks(model, 'cy')).toEqual([
      { kind: 'heading', level: 2, text: 'Yr ymweliad' },
      { kind: 'paragraph', text: 'Two words across lines (cy)' },
      { kind: 'list', items: ['(cy)'] },
    ])
  })

  it('composes accents typed as separate marks', () => {
    const model = letterOf([['visit', 1, [['text', 'Llyr', 'Ll\u0079\u0302r a\u0302 dw\u0302r']]]])
    expect(letterBlocks(model, 'cy')).toContainEqual({ kind: 'paragraph', text: 'Llŷr â dŵr' })
  })

  it('keeps paragraph text as typed, markup and all: escaping is each renderer’s job', () => {
    const model = letterOf([['visit', 1, [['text', '<b>bold</b> & "quoted"']]]])
    expect(letterBlocks(model, 'en')).toContainEqual({ kind: 'paragraph', text: '<b>bold</b> & "quoted"' })
  })

  it('orders the languages Welsh first', () => {
    expect(versionsOf('both')).toEqual(['cy', 'en'])
    expect(versionsOf('en')).toEqual(['en'])
    expect(versionsOf('cy')).toEqual(['cy'])
  })

  it('cuts the page-number wording around its numbers', () => {
    expect(pageParts('Page {page} of {pages}')).toEqual(['Page ', { field: 'page' }, ' of ', { field: 'pages' }])
    expect(pageParts('{page}/{pages}')).toEqual([{ field: 'page' }, '/', { field: 'pages' }])
    expect(pageText(pageParts('Tudalen {page} o {pages}'), 2, 5)).toBe('Tudalen 2 o 5')
  })

  it('writes the date, the letterhead and the addressee in each language', () => {
    const model = sampleLetter()
    model.letterhead = { ...model.letterhead, address: { en: 'Anchor Court\nKeen Road\n\nCardiff', cy: 'Llys Angor' }, website: ' ' }
    const en = letterVersion(model, 'en')
    const cy = letterVersion(model, 'cy')
    expect(en.date).toEqual({ text: '12 March 2026', iso: '2026-03-12' })
    expect(cy.date.text).toBe('12 Mawrth 2026')
    expect(en.letterhead.addressLines).toEqual(['Anchor Court', 'Keen Road', 'Cardiff'])
    // An empty contact line is left off the letter.
    expect(en.letterhead.contacts).toEqual(['Telephone: 0300 123 4500', 'Email: enquiries@estyn.gov.wales'])
    expect(cy.letterhead.contacts).toEqual(['Ffôn: 0300 123 4500', 'E-bost: enquiries@estyn.gov.wales'])
    expect(cy.addressee).toEqual(['Elin Llŷr', 'Cyngor Sir Ceredigion'])
    expect(en.page).toEqual(['Page ', { field: 'page' }, ' of ', { field: 'pages' }])
    expect(cy.label).toBe('Fersiwn Gymraeg')
  })
})

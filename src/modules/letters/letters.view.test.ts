import { describe, expect, it } from 'vitest'
import { I18n } from '../../i18n/catalogue.ts'
import type { LetterModel, LetterSectionModel } from './letter.model.ts'
import { DEFAULT_LETTERHEAD } from './letterhead.ts'
import { formFromSection, problemGroups, rowsToShow, formRows, sectionInputFromForm, sectionTitle, translationTag, writingChecker } from './letters.view.ts'

const i18n = new I18n()
const t = i18n.translator('en')
const cy = i18n.translator('cy')

const section = (id: number, key: string, heading: { en: string; cy: string }, paragraphIds: number[]): LetterSectionModel => ({
  id, key, position: id, focusAreaId: null, heading, edited: false, translation: { original: null, current: true },
  paragraphs: paragraphIds.map((p) => ({ id: p, style: 'text', text: { en: `en ${p}`, cy: `cy ${p}` }, findingIds: [p * 10], fixed: false })),
})
const letter: LetterModel = {
  id: 1, elvId: 7, state: 'draft', version: 3, date: '2026-07-01', authority: { en: 'Cardiff', cy: 'Caerdydd' }, director: { name: 'D', email: null },
  letterhead: DEFAULT_LETTERHEAD, title: { en: 'T', cy: 'T' },
  sections: [
    section(1, 'opening', { en: '', cy: '' }, [11]),
    section(2, 'focus:5', { en: 'Attendance', cy: 'Presenoldeb' }, []),
    section(3, 'focus:5:improvement', { en: 'Considerations for improvement', cy: 'Ystyriaethau ar gyfer gwella' }, [31, 32]),
  ],
}

describe('letter pages, shaped', () => {
  it('names a section in the reader’s language, or by what it is for when it has no heading', () => {
    expect(sectionTitle(letter.sections[0]!, t, 'en')).toBe('Opening')
    expect(sectionTitle(letter.sections[0]!, cy, 'cy')).toBe('Agoriad')
    expect(sectionTitle(letter.sections[1]!, cy, 'cy')).toBe('Presenoldeb')
    expect(sectionTitle({ key: 'focus:5', heading: { en: 'Only English', cy: '' } }, cy, 'cy')).toBe('Only English')
    expect(translationTag({ translation: { original: 'en', current: false } }, t)).toEqual({ text: 'Welsh needs updating', classes: 'govuk-tag--yellow' })
    expect(translationTag({ translation: { original: 'cy', current: false } }, t).text).toBe('English needs updating')
    expect(translationTag({ translation: { original: null, current: true } }, t).text).toBe('Translation up to date')
  })

  it('groups problems by section in the letter’s order, each naming its paragraph and linking to the edit page', () => {
    const groups = problemGroups([
      { rule: 'sentence-length', message: 'Too long', section: 3, paragraph: 32, lang: 'cy' },
      { rule: 'grade-word', message: 'Grade word', section: 3, paragraph: 31, lang: 'en' },
      { rule: 'focus-working-well', message: 'Nothing working well', section: 2, paragraph: null, lang: null },
      { rule: 'custom', message: 'About the whole letter', section: null, paragraph: null, lang: null },
    ], letter, t, 'en')
    expect(groups.map((g) => [g.title, g.href])).toEqual([
      ['The letter as a whole', undefined],
      ['Attendance', '/elvs/7/letter/sections/focus%3A5'],
      ['Considerations for improvement', '/elvs/7/letter/sections/focus%3A5%3Aimprovement'],
    ])
    expect(groups[2]!.items).toEqual([
      { where: 'Paragraph 1', language: 'English', message: 'Grade word', rule: 'grade-word', href: '/elvs/7/letter/sections/focus%3A5%3Aimprovement#paragraph-1' },
      { where: 'Paragraph 2', language: 'Welsh', message: 'Too long', rule: 'sentence-length', href: '/elvs/7/letter/sections/focus%3A5%3Aimprovement#paragraph-2' },
    ])
    expect(groups[1]!.items[0]).toMatchObject({ where: 'The whole section', language: '' })
  })

  it('reads the section form back, a removed row sent empty so the rows keep their numbers', () => {
    const form = { ...formFromSection(letter.sections[2]!), version: '3', translationCurrent: 'yes', 'paragraphs-1-remove': 'yes', 'paragraphs-2-en': 'New', 'paragraphs-2-cy': '', 'paragraphs-2-style': 'bullet' }
    expect(sectionInputFromForm(form)).toEqual({
      heading: { cy: 'Ystyriaethau ar gyfer gwella', en: 'Considerations for improvement' },
      paragraphs: [
        { id: '31', style: 'text', cy: 'cy 31', en: 'en 31' },
        { id: '32', cy: '', en: '' },
        { style: 'bullet', cy: '', en: 'New' },
      ],
      translationCurrent: true,
      version: '3',
    })
    expect(rowsToShow(formRows(form), 1, 'bullet').map((r) => [r.id, r.style])).toEqual([['31', 'text'], ['32', 'text'], ['', 'bullet'], ['', 'bullet']])
  })

  it('uses the writing checks only when the service offers them', () => {
    expect(writingChecker({})).toBeNull()
    expect(writingChecker(undefined)).toBeNull()
    const checker = { check: async () => [] }
    expect(writingChecker(checker)).toBe(checker)
  })
})

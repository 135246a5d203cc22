import { describe, expect, it } from 'vitest'
import { I18n } from '../../i18n/catalogue.ts'
import type { LetterModel } from '../letters/letter.model.ts'
import { compareLetters } from './letter-review.diff.ts'
import type { ReviewComment, RevisionView } from './letter-review.service.ts'
import { actionErrors, comparisonView, letterReviewPaths, noteLabel, reviewLetter, revisionRows, sectionTitle, versionItems } from './letter-review.view.ts'

const i18n = new I18n()
const en = i18n.translator('en')
const cy = i18n.translator('cy')

const model = (version: number): LetterModel => ({
  id: 1, elvId: 5, state: 'in_review', version, date: '2027-03-01',
  authority: { en: 'Cardiff', cy: 'Caerdydd' }, director: { name: '', email: null },
  letterhead: { organisation: { en: '', cy: '' }, address: { en: '', cy: '' }, phone: '', email: '', website: '' },
  title: { en: '', cy: '' },
  sections: [
    { id: 1, key: 'opening', position: 0, focusAreaId: null, heading: { en: '', cy: '' }, edited: false, translation: { original: null, current: true },
      paragraphs: [{ id: 10, style: 'text', text: { en: 'Dear Director', cy: 'Annwyl Gyfarwyddwr' }, findingIds: [], fixed: true }] },
    { id: 2, key: 'focus:3', position: 1, focusAreaId: 3, heading: { en: 'Attendance', cy: 'Presenoldeb' }, edited: true, translation: { original: 'en', current: true },
      paragraphs: [{ id: 11, style: 'bullet', text: { en: 'Improving', cy: 'Yn gwella' }, findingIds: [7, 8], fixed: false }] },
    { id: 3, key: 'focus:3:improvement', position: 2, focusAreaId: 3, level: 3, heading: { en: 'To improve', cy: '' }, edited: false, translation: { original: 'en', current: false }, paragraphs: [] },
  ],
})

const comment = (id: number, revision: number, sectionKey: string | null, paragraphId: number | null): ReviewComment =>
  ({ id, revision, sectionKey, paragraphId, body: `Comment ${id}`, author: { id: 1, name: 'Rhian Reviewer' }, createdAt: '2027-03-01T09:00:00.000Z' })

describe('the review page', () => {
  it('names each section by its heading, the other language’s, or what the fixed sections are', () => {
    expect(sectionTitle({ key: 'focus:3', heading: { en: 'Attendance', cy: 'Presenoldeb' } }, 'cy', cy)).toBe('Presenoldeb')
    expect(sectionTitle({ key: 'focus:3', heading: { en: 'Attendance', cy: ' ' } }, 'cy', cy)).toBe('Attendance')
    expect(sectionTitle({ key: 'closing', heading: { en: '', cy: '' } }, 'en', en)).toBe('Closing')
    expect(sectionTitle({ key: 'closing', heading: { en: '', cy: '' } }, 'cy', cy)).toBe('Diweddglo')
    expect(sectionTitle({ key: 'mystery', heading: { en: '', cy: '' } }, 'en', en)).toBe('Section')
  })

  it('places every comment beside its paragraph or section, and keeps those on text since removed', () => {
    const comments = [comment(1, 4, 'focus:3', 11), comment(2, 3, 'focus:3', null), comment(3, 4, null, null), comment(4, 2, 'focus:9', 99), comment(5, 2, 'gone', null)]
    const view = reviewLetter(model(4), comments, 5, en, 'en')
    expect(view.sections.map((s) => [s.key, s.title, s.headingLevel])).toEqual([['opening', 'Opening', 3], ['focus:3', 'Attendance', 3], ['focus:3:improvement', 'To improve', 4]])
    const [para] = view.sections[1]!.paragraphs
    expect(para).toMatchObject({ id: 11, bullet: true, en: 'Improving', cy: 'Yn gwella' })
    expect(para!.findings).toEqual([{ id: 7, href: '/elvs/5/findings#finding-7' }, { id: 8, href: '/elvs/5/findings#finding-8' }])
    expect(para!.comments.map((c) => [c.id, c.earlier, c.compareHref])).toEqual([[1, false, undefined]])
    expect(view.sections[1]!.comments.map((c) => [c.id, c.earlier, c.compareHref])).toEqual([[2, true, '/elvs/5/letter/compare?from=3&to=4']])
    expect(view.whole.map((c) => c.id)).toEqual([3])
    expect(view.removed.map((c) => [c.id, c.revision])).toEqual([[4, 2], [5, 2]])
  })

  it('lists versions newest first, each compared with the one before it', () => {
    const revisions: RevisionView[] = [
      { number: 3, state: 'in_review', note: 'submit', createdAt: '2027-03-02T10:00:00Z', createdBy: { id: 2, name: 'Huw Lead' } },
      { number: 2, state: 'draft', note: 'edit', createdAt: '2027-03-01T10:00:00Z', createdBy: null },
      { number: 1, state: 'draft', note: 'imported by hand', createdAt: '2027-03-01T09:00:00Z', createdBy: null },
    ]
    const rows = revisionRows(revisions, 5, en)
    expect(rows.map((r) => [r.number, r.state.text, r.note, r.by, r.compare?.href])).toEqual([
      [3, 'In review', 'Submitted for quality assurance', 'Huw Lead', '/elvs/5/letter/compare?from=2&to=3'],
      [2, 'Draft', 'Edited', '', '/elvs/5/letter/compare?from=1&to=2'],
      [1, 'Draft', 'imported by hand', '', undefined],
    ])
    expect(noteLabel('approve', cy)).toBe('Wedi’i gymeradwyo')
    expect(noteLabel(null, en)).toBe('')
    expect(versionItems(revisions, 2, en).map((i) => [i.value, i.text, i.selected])).toEqual([
      ['3', 'Version 3: Submitted for quality assurance', false], ['2', 'Version 2: Edited', true], ['1', 'Version 1: imported by hand', false],
    ])
    expect(letterReviewPaths.compare(5)).toBe('/elvs/5/letter/compare')
  })

  it('sends the error summary to the form of the action refused, and the comments box to itself', () => {
    const errors = actionErrors([
      { path: 'reviewer', messageKey: 'letterReview.rule.onTeam' },
      { path: 'comments', messageKey: 'letterReview.rule.commentsNeeded' },
    ], 'action-return', { comments: 'return-comments' }, en)
    expect(errors.list).toEqual([
      { text: 'You are on this visit’s team: the letter must be reviewed by someone who is not', href: '#action-return' },
      { text: 'Enter comments for the team saying what needs to change', href: '#return-comments' },
    ])
    expect(errors.byField).toEqual({ 'return-comments': { text: 'Enter comments for the team saying what needs to change' } })
    // A state named in a rule reads in the reader's language.
    expect(actionErrors([{ path: 'state', messageKey: 'letterReview.rule.notInReview', params: { state: '@letterReview.state.draft' } }], 'action-approve', {}, en).list[0]!.text)
      .toBe('The letter is not in review (it is: Draft)')
  })
})

describe('the compare page', () => {
  it('counts the sections changed and tags each paragraph', () => {
    const before = model(1)
    const after = model(2)
    after.sections[1] = { ...after.sections[1]!, paragraphs: [{ ...after.sections[1]!.paragraphs[0]!, text: { en: 'Improving fast', cy: 'Yn gwella' } }] }
    const view = comparisonView(compareLetters(before, after), en, 'en')
    expect(view.changed).toBe(1)
    expect(view.sections.map((s) => [s.title, s.tag.text])).toEqual([['Opening', 'Unchanged'], ['Attendance', 'Changed'], ['To improve', 'Unchanged']])
    expect(view.sections[1]!.paragraphs[0]).toMatchObject({ n: 1, bullet: true, tag: { text: 'Changed' } })
    expect(view.sections[1]!.headingChanged).toBe(false)
    expect(en('letterReview.compare.changedCount', { count: view.changed })).toBe('1 section changed.')
  })
})

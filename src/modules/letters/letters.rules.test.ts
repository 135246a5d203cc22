import { describe, expect, it } from 'vitest'
import {
  changedLanguages, cleanText, focusKey, originalLanguage, parseSectionKey, stateAfterEdit, translationAfterEdit, translationStatus, untranslated,
} from './letters.rules.ts'

const NOW = '2026-07-01T10:00:00.000Z'
const EARLIER = '2026-06-30T10:00:00.000Z'

describe('letter rules', () => {
  it('reads what a section key says', () => {
    expect(parseSectionKey('opening')).toEqual({ focusAreaId: null, findingKind: null, level: 2 })
    expect(parseSectionKey(focusKey(12))).toEqual({ focusAreaId: 12, findingKind: null, level: 2 })
    expect(parseSectionKey(focusKey(12, 'working_well'))).toEqual({ focusAreaId: 12, findingKind: 'working_well', level: 3 })
    expect(parseSectionKey('focus:12:improvement')).toEqual({ focusAreaId: 12, findingKind: 'improvement', level: 3 })
    expect(parseSectionKey('focus:x')).toEqual({ focusAreaId: null, findingKind: null, level: 2 })
  })

  it('keeps text as typed, markup included, in one run, and refuses control characters', () => {
    expect(cleanText('  <b>Bold</b>\r\n and   <script>x</script>\t ')).toEqual({ text: '<b>Bold</b> and <script>x</script>' })
    expect(cleanText(undefined)).toEqual({ text: '' })
    expect(cleanText(42)).toEqual({ problem: 'notText' })
    expect(cleanText('bell\u0007')).toEqual({ problem: 'control' })
    expect(cleanText('\u202Ereversed')).toEqual({ problem: 'control' })
    expect(cleanText('Ŵ ŷ â ’')).toEqual({ text: 'Ŵ ŷ â ’' })
  })

  it('says which language was written last', () => {
    expect(originalLanguage(null, null)).toBeNull()
    expect(originalLanguage(NOW, null)).toBe('en')
    expect(originalLanguage(null, NOW)).toBe('cy')
    expect(originalLanguage(EARLIER, NOW)).toBe('cy')
    expect(originalLanguage(NOW, EARLIER)).toBe('en')
    expect(originalLanguage(NOW, NOW)).toBeNull()
    expect(translationStatus({ original: 'en', current: false })).toBe('cyBehind')
    expect(translationStatus({ original: 'cy', current: false })).toBe('enBehind')
    expect(translationStatus({ original: null, current: false })).toBe('needed')
    expect(translationStatus({ original: 'cy', current: true })).toBe('current')
  })

  it('counts a language as changed by edited or added text, not by a removed paragraph', () => {
    const before = { heading: { en: 'H', cy: 'P' }, paragraphs: [{ id: 1, text: { en: 'a', cy: 'b' } }, { id: 2, text: { en: 'c', cy: 'd' } }] }
    expect(changedLanguages(before, { ...before, paragraphs: [before.paragraphs[0]!] })).toEqual({ en: false, cy: false })
    expect(changedLanguages(before, { ...before, paragraphs: [{ id: 1, text: { en: 'A', cy: 'b' } }] })).toEqual({ en: true, cy: false })
    expect(changedLanguages(before, { ...before, paragraphs: [...before.paragraphs, { id: null, text: { en: '', cy: 'newydd' } }] })).toEqual({ en: false, cy: true })
    expect(changedLanguages(before, { ...before, heading: { en: 'H2', cy: 'P2' } })).toEqual({ en: true, cy: true })
    expect(untranslated({ heading: { en: 'H', cy: '' }, paragraphs: [{ id: 1, text: { en: 'a', cy: 'b' } }, { id: null, text: { en: '', cy: 'c' } }] }))
      .toEqual([{ paragraph: null, missing: 'cy' }, { paragraph: 1, missing: 'en' }])
  })

  it('works out the translation state after a save', () => {
    const current = { enRevisedAt: null, cyRevisedAt: null, current: true }
    expect(translationAfterEdit(current, { en: true, cy: false }, undefined, 0, NOW)).toEqual({ enRevisedAt: NOW, cyRevisedAt: null, current: false })
    expect(translationAfterEdit(current, { en: false, cy: true }, undefined, 0, NOW)).toEqual({ enRevisedAt: null, cyRevisedAt: NOW, current: false })
    expect(translationAfterEdit(current, { en: true, cy: true }, undefined, 0, NOW)).toEqual({ enRevisedAt: NOW, cyRevisedAt: NOW, current: true })
    expect(translationAfterEdit(current, { en: true, cy: false }, true, 0, NOW)).toEqual({ enRevisedAt: NOW, cyRevisedAt: null, current: true })
    // The editor's word cannot make a text present in one language only count as translated.
    expect(translationAfterEdit(current, { en: true, cy: false }, true, 1, NOW).current).toBe(false)
    expect(translationAfterEdit({ enRevisedAt: EARLIER, cyRevisedAt: null, current: false }, { en: false, cy: false }, undefined, 0, NOW))
      .toEqual({ enRevisedAt: EARLIER, cyRevisedAt: null, current: false })
    // Two saves within one clock tick: the language written second is still the original.
    const sameTick = translationAfterEdit({ enRevisedAt: NOW, cyRevisedAt: null, current: false }, { en: false, cy: true }, undefined, 0, NOW)
    expect(originalLanguage(sameTick.enRevisedAt, sameTick.cyRevisedAt)).toBe('cy')
  })

  it('sends an approved letter back to review on an edit and refuses edits once issued', () => {
    expect(stateAfterEdit('draft')).toBe('draft')
    expect(stateAfterEdit('in_review')).toBe('in_review')
    expect(stateAfterEdit('approved')).toBe('in_review')
    expect(stateAfterEdit('issued')).toBeNull()
  })
})

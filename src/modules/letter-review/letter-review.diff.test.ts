import { describe, expect, it } from 'vitest'
import { compareLetters, diffWords, wordTokens, type DiffSegment } from './letter-review.diff.ts'
import type { LetterParagraphModel, LetterSectionModel } from '../letters/letter.model.ts'

const join = (segments: readonly DiffSegment[], drop: 'ins' | 'del') => segments.filter((s) => s.op !== drop).map((s) => s.text).join('')
const changes = (segments: readonly DiffSegment[]) => segments.filter((s) => s.op !== 'same').map((s) => `${s.op === 'ins' ? '+' : '-'}${s.text.trim()}`)

describe('word diff', () => {
  it('splits text into words, each with the space after it', () => {
    expect(wordTokens('  Two  words\n')).toEqual(['  ', 'Two  ', 'words\n'])
    expect(wordTokens('')).toEqual([])
  })

  it('finds the words added and removed, keeping the rest', () => {
    expect(diffWords('The plan is good', 'The plan is good')).toEqual([{ op: 'same', text: 'The plan is good' }])
    expect(diffWords('Leaders know their schools well', 'Leaders know most of their schools very well')).toEqual([
      { op: 'same', text: 'Leaders know ' },
      { op: 'ins', text: 'most of ' },
      { op: 'same', text: 'their schools ' },
      { op: 'ins', text: 'very ' },
      { op: 'same', text: 'well' },
    ])
    expect(changes(diffWords('Attendance is improving in secondary schools', 'Attendance is falling in secondary schools'))).toEqual(['-improving', '+falling'])
    expect(changes(diffWords('a b c d', 'd c b a'))).toEqual(['-a b c', '+c b a'])
    expect(diffWords('', 'New words')).toEqual([{ op: 'ins', text: 'New words' }])
    expect(diffWords('Old words', '')).toEqual([{ op: 'del', text: 'Old words' }])
    expect(diffWords('', '')).toEqual([])
  })

  it('gives back both texts: kept and added words the new one exactly, kept and removed the old one but for spacing', () => {
    const pairs: Array<[string, string]> = [
      ['Mae’r awdurdod yn cefnogi ysgolion yn dda.', 'Mae’r awdurdod lleol yn cefnogi’r rhan fwyaf o ysgolion.'],
      ['one two three four five', 'zero one three five six'],
      ['<b>bold</b> & "quoted"', '<i>italic</i> & "quoted" <script>x</script>'],
      ['same', 'same'],
    ]
    for (const [a, b] of pairs) {
      const d = diffWords(a, b)
      expect(join(d, 'ins').replace(/\s+/g, ' ').trim()).toBe(a)
      expect(join(d, 'del')).toBe(b)
    }
  })

  it('treats a change of spacing alone as no change', () => {
    expect(changes(diffWords('Two  words', 'Two words'))).toEqual([])
  })

  it('compares very long texts as replaced whole rather than building a huge table', () => {
    const a = Array.from({ length: 1600 }, (_, i) => `a${i}`).join(' ')
    const b = Array.from({ length: 1600 }, (_, i) => `b${i}`).join(' ')
    const d = diffWords(`Start ${a} end`, `Start ${b} end`)
    expect(d.map((s) => s.op)).toEqual(['same', 'del', 'ins', 'same'])
    expect(join(d, 'del')).toBe(`Start ${b} end`)
  })
})

const paragraph = (id: number, en: string, cy = `cy ${en}`): LetterParagraphModel => ({ id, style: 'text', text: { en, cy }, findingIds: [], fixed: false })
const section = (key: string, heading: string, paragraphs: LetterParagraphModel[]): LetterSectionModel => ({
  id: key.length, key, position: 0, focusAreaId: null, heading: { en: heading, cy: `cy ${heading}` }, edited: false,
  translation: { original: null, current: true }, paragraphs,
})

describe('comparing two letters', () => {
  it('matches sections by key and paragraphs by id, placing removed ones where they were', () => {
    const before = { sections: [
      section('opening', '', [paragraph(1, 'Dear Director')]),
      section('focus:1', 'Attendance', [paragraph(2, 'First point'), paragraph(3, 'Second point'), paragraph(4, 'Third point')]),
      section('focus:2', 'Old area', [paragraph(5, 'Gone')]),
    ] }
    const after = { sections: [
      section('opening', '', [paragraph(1, 'Dear Director')]),
      section('focus:1', 'Attendance and exclusions', [paragraph(2, 'First point'), paragraph(4, 'Third point, longer'), paragraph(9, 'A new point')]),
      section('closing', '', [paragraph(6, 'Yours sincerely')]),
    ] }
    const diff = compareLetters(before, after)
    expect(diff.map((s) => [s.key, s.status])).toEqual([['opening', 'same'], ['focus:1', 'changed'], ['focus:2', 'removed'], ['closing', 'added']])
    const focus = diff[1]!
    expect(changes(focus.heading.en)).toEqual(['+and exclusions'])
    expect(focus.headingText.en).toBe('Attendance and exclusions')
    expect(focus.paragraphs.map((p) => [p.id, p.status])).toEqual([[2, 'same'], [3, 'removed'], [4, 'changed'], [9, 'added']])
    expect(changes(focus.paragraphs[2]!.text.en)).toEqual(['-point', '+point, longer'])
    expect(focus.paragraphs[1]!.text.cy).toEqual([{ op: 'del', text: 'cy Second point' }])
    expect(diff[2]!.paragraphs).toEqual([{ id: 5, style: 'text', status: 'removed', text: { en: [{ op: 'del', text: 'Gone' }], cy: [{ op: 'del', text: 'cy Gone' }] } }])
  })

  it('pairs the paragraphs of a rebuilt section (new ids) in order, showing changed words', () => {
    const before = { sections: [section('focus:1', 'A', [paragraph(1, 'Leaders know their schools'), paragraph(2, 'Plans lack targets')])] }
    const after = { sections: [section('focus:1', 'A', [paragraph(11, 'Leaders know their schools well'), paragraph(12, 'Plans lack targets')])] }
    const [s] = compareLetters(before, after)
    expect(s!.paragraphs.map((p) => [p.id, p.status])).toEqual([[11, 'changed'], [12, 'same']])
    expect(changes(s!.paragraphs[0]!.text.en)).toEqual(['+well'])
  })

  it('counts a change of style as a change', () => {
    const before = { sections: [section('x', 'X', [paragraph(1, 'Point')])] }
    const after = { sections: [section('x', 'X', [{ ...paragraph(1, 'Point'), style: 'bullet' }])] }
    expect(compareLetters(before, after)[0]!.paragraphs[0]!.status).toBe('changed')
  })
})

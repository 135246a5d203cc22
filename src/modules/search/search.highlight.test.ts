import { describe, expect, it } from 'vitest'
import { highlightWindow, lead, markAll, snippetFor } from './search.highlight.ts'

const words = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `w${i + from}`).join(' ')
const marked = (s: { parts: Array<{ text: string; match: boolean }> }) => s.parts.filter((p) => p.match).map((p) => p.text)

describe('search highlighting', () => {
  it('cuts about thirty words around the first match, with an ellipsis where text was left out', () => {
    const text = `${words(50)} Gymraeg ${words(50, 51)}`
    const s = highlightWindow(text, ['gymraeg'])!
    expect(s.text).toBe(`… ${words(8, 43)} Gymraeg ${words(21, 51)} …`)
    expect(s.text.split(' ').filter((w) => w !== '…')).toHaveLength(30)
    expect(marked(s)).toEqual(['Gymraeg'])
    expect(s.text.slice(s.highlights[0]!.start, s.highlights[0]!.end)).toBe('Gymraeg')
  })

  it('starts at the start when the match is near it, and fills the window from before a match near the end', () => {
    expect(highlightWindow('Ysgol Gymraeg is growing.', ['gymraeg'])!.text).toBe('Ysgol Gymraeg is growing.')
    const end = highlightWindow(`${words(40)} gymraeg`, ['gymraeg'])!
    expect(end.text).toBe(`… ${words(29, 12)} gymraeg`)
  })

  it('compares folded words: capitals and accents, precomposed or not, and marks every query word in the window', () => {
    const s = highlightWindow('Mae’r ŵyr a’r WYR a\u0301 w\u0302yr yn dysgu Cymraeg.', ['wyr', 'cymraeg'])!
    expect(marked(s)).toEqual(['ŵyr', 'WYR', 'w\u0302yr', 'Cymraeg'])
    for (const h of s.highlights) expect(['ŵyr', 'WYR', 'w\u0302yr', 'Cymraeg']).toContain(s.text.slice(h.start, h.end))
    expect(highlightWindow('no such word here', ['gymraeg'])).toBeUndefined()
  })

  it('keeps markup as text in the parts (the template escapes it), tidying only whitespace', () => {
    const s = highlightWindow('<img src=x onerror="alert(1)">\n\n  <b>Safeguarding</b>', ['safeguarding'])!
    expect(s.text).toBe('<img src=x onerror="alert(1)"> <b>Safeguarding</b>')
    expect(s.parts).toEqual([{ text: '<img src=x onerror="alert(1)"> <b>', match: false }, { text: 'Safeguarding', match: true }, { text: '</b>', match: false }])
  })

  it('shortens runaway words and punctuation so a snippet stays a snippet', () => {
    const s = highlightWindow(`${'x'.repeat(500)} ${'='.repeat(80)} attendance`, ['attendance'])!
    expect(s.text).toBe(`${'x'.repeat(40)}… ${'='.repeat(9)}…attendance`)
  })

  it('marks every occurrence in a title, and leaves a title without one unmarked', () => {
    expect(markAll('Attendance: attendance plans', ['attendance']).parts).toEqual([
      { text: 'Attendance', match: true }, { text: ': ', match: false }, { text: 'attendance', match: true }, { text: ' plans', match: false },
    ])
    expect(markAll('Plans', ['attendance']).parts).toEqual([{ text: 'Plans', match: false }])
    expect(markAll('', ['attendance']).parts).toEqual([])
  })

  it('takes the snippet from the first text with a match, else the opening of the first text', () => {
    expect(snippetFor(['Body without it', 'File text with Dysynni in it'], ['dysynni']).text).toBe('File text with Dysynni in it')
    expect(snippetFor(['', null, 'File text'], ['title']).text).toBe('File text')
    expect(marked(snippetFor(['Opening words here'], ['title']))).toEqual([])
    expect(snippetFor([null, ''], ['x'])).toEqual({ parts: [], text: '', highlights: [] })
    expect(lead(words(40)).text).toBe(`${words(30)} …`)
  })
})

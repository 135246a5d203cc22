import { describe, expect, it } from 'vitest'
import { DEFAULT_THRESHOLD, sourceKey, textStart, thresholdProblems, triangulate, type TriangulationItem } from './findings.rules.ts'

let nextId = 1
const item = (kind: string, source: string, id = nextId++): TriangulationItem => ({ id, kind, source })

describe('triangulation', () => {
  it('is secure by default with 3 items of 2 kinds from 2 sources, and not with one fewer of any', () => {
    const secure = [item('meeting_note', 'Director of Education'), item('meeting_note', 'Headteacher, Ysgol y Castell'), item('data', 'Attendance returns')]
    expect(triangulate(secure)).toEqual({ items: 3, kinds: 2, sources: 3, secure: true, missing: [] })
    expect(triangulate(secure.slice(0, 2))).toMatchObject({ items: 2, secure: false, missing: [{ rule: 'items', have: 2, need: 3 }, { rule: 'kinds', have: 1, need: 2 }] })
    const oneKind = [item('data', 'A'), item('data', 'B'), item('data', 'C')]
    expect(triangulate(oneKind).missing).toEqual([{ rule: 'kinds', have: 1, need: 2 }])
    const oneSource = [item('data', 'Director'), item('meeting_note', 'Director'), item('authority_document', 'Director')]
    expect(triangulate(oneSource)).toMatchObject({ sources: 1, secure: false, missing: [{ rule: 'sources', have: 1, need: 2 }] })
  })

  it('with no evidence says everything is missing', () => {
    expect(triangulate([])).toEqual({
      items: 0, kinds: 0, sources: 0, secure: false,
      missing: [{ rule: 'items', have: 0, need: 3 }, { rule: 'kinds', have: 0, need: 2 }, { rule: 'sources', have: 0, need: 2 }],
    })
  })

  it('counts one source however it is capitalised, spaced or accented', () => {
    const items = [
      item('meeting_note', 'Director of Education'),
      item('data', 'director of  education'),
      item('authority_document', '  DIRECTOR OF EDUCATION\n'),
      item('meeting_note', 'Pennaeth Ysgol Gymraeg Bro Ŵyr'),
      item('data', 'pennaeth ysgol gymraeg bro wyr'),
    ]
    expect(triangulate(items)).toMatchObject({ items: 5, kinds: 3, sources: 2, secure: true })
    expect(sourceKey('Cyfarwyddwr  Addysg')).toBe(sourceKey('cyfarwyddwr addysg'))
    expect(sourceKey('Café')).toBe('cafe')
    expect(sourceKey('Director of Education')).not.toBe(sourceKey('Directors of Education'))
  })

  it('counts an item linked twice once, and a blank source as no source', () => {
    const a = item('meeting_note', 'Director')
    expect(triangulate([a, a, a])).toMatchObject({ items: 1, kinds: 1, sources: 1 })
    expect(triangulate([item('data', ' '), item('meeting_note', '')])).toMatchObject({ items: 2, sources: 0 })
  })

  it('follows the threshold it is given', () => {
    const items = [item('data', 'A'), item('meeting_note', 'B')]
    expect(triangulate(items, { minItems: 2, minKinds: 2, minSources: 2 }).secure).toBe(true)
    expect(triangulate(items, { minItems: 1, minKinds: 3, minSources: 1 }).missing).toEqual([{ rule: 'kinds', have: 2, need: 3 }])
    expect(triangulate(items, { minItems: 4, minKinds: 1, minSources: 3 }).missing).toEqual([{ rule: 'items', have: 2, need: 4 }, { rule: 'sources', have: 2, need: 3 }])
    expect(DEFAULT_THRESHOLD).toEqual({ minItems: 3, minKinds: 2, minSources: 2 })
  })
})

describe('threshold settings', () => {
  it('takes whole numbers from 1 to 20, kinds at most 5', () => {
    expect(thresholdProblems({ minItems: 1, minKinds: 5, minSources: 20 })).toEqual([])
    expect(thresholdProblems({ minItems: 0, minKinds: 6, minSources: 21 })).toEqual([['minItems', 'range'], ['minKinds', 'kindsMax'], ['minSources', 'range']])
    expect(thresholdProblems({ minItems: 2.5, minKinds: Number.NaN, minSources: -1 })).toEqual([['minItems', 'range'], ['minKinds', 'range'], ['minSources', 'range']])
  })
})

describe('textStart', () => {
  it('keeps short text whole and cuts long text at a word', () => {
    expect(textStart('  Attendance is\nimproving  ')).toBe('Attendance is improving')
    expect(textStart('Leaders know their schools well and challenge them robustly', 30)).toBe('Leaders know their schools…')
    expect(textStart('x'.repeat(50), 20)).toBe(`${'x'.repeat(20)}…`)
  })
})

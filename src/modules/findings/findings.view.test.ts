import { describe, expect, it } from 'vitest'
import { I18n } from '../../i18n/catalogue.ts'
import { EVIDENCE_KINDS, type EvidenceKind } from '../../db/schema.ts'
import { triangulate } from './findings.rules.ts'
import { countsText, groupByFocusArea, matrixTable, needsText, paragraphs, securityTag, thresholdText } from './findings.view.ts'
import type { Matrix } from './findings.service.ts'

const i18n = new I18n()
const en = i18n.translator('en')
const cy = i18n.translator('cy')

describe('findings as pages show them', () => {
  it('counts items, kinds and sources with plurals, in both languages', () => {
    expect(countsText({ items: 3, kinds: 2, sources: 2 }, en)).toBe('3 items · 2 kinds · 2 sources')
    expect(countsText({ items: 1, kinds: 1, sources: 1 }, en)).toBe('1 item · 1 kind · 1 source')
    expect(countsText({ items: 3, kinds: 2, sources: 2 }, cy)).toBe('3 eitem · 2 math · 2 ffynhonnell')
  })

  it('says what an insecure finding still needs', () => {
    const two = triangulate([{ id: 1, kind: 'data', source: 'A' }, { id: 2, kind: 'data', source: 'B' }])
    expect(needsText(two, en)).toBe('Needs 1 more item and evidence of 1 more kind')
    expect(needsText(triangulate([]), en)).toBe('Needs 3 more items, evidence of 2 more kinds and 2 more sources')
    expect(needsText(two, cy)).toMatch(/^Angen /)
    const secure = triangulate([{ id: 1, kind: 'data', source: 'A' }, { id: 2, kind: 'meeting_note', source: 'B' }, { id: 3, kind: 'data', source: 'C' }])
    expect(needsText(secure, en)).toBeUndefined()
    expect(securityTag(secure, en)).toEqual({ text: 'Secure', classes: 'govuk-tag--green' })
    expect(securityTag(two, en)).toEqual({ text: 'Not yet secure', classes: 'govuk-tag--yellow' })
    expect(securityTag(triangulate([]), cy)).toEqual({ text: 'Ddim yn gadarn eto', classes: 'govuk-tag--red' })
  })

  it('states the threshold in force', () => {
    expect(thresholdText({ minItems: 3, minKinds: 2, minSources: 2 }, en))
      .toBe('A finding is secure when it rests on at least 3 items of evidence, of at least 2 kinds, from at least 2 sources.')
    expect(thresholdText({ minItems: 1, minKinds: 1, minSources: 1 }, en)).toContain('at least 1 item of evidence, of at least 1 kind, from at least 1 source.')
  })

  it('groups findings by focus area in the order given, working well before improvement', () => {
    const groups = groupByFocusArea([{ id: 2, title: 'Second' }, { id: 1, title: 'First' }], [
      { id: 10, focusAreaId: 1, kind: 'improvement' as const }, { id: 11, focusAreaId: 1, kind: 'working_well' as const }, { id: 12, focusAreaId: 9, kind: 'working_well' as const },
    ])
    expect(groups.map((g) => [g.title, g.kinds.map((k) => [k.kind, k.findings.map((f) => f.id)])])).toEqual([
      ['Second', [['working_well', []], ['improvement', []]]],
      ['First', [['working_well', [11]], ['improvement', [10]]]],
    ])
  })

  it('marks zeros in a focus area’s row as gaps, but not in the untagged row', () => {
    const counts = (over: Partial<Record<EvidenceKind, number>>) => ({ ...Object.fromEntries(EVIDENCE_KINDS.map((k) => [k, 0])), ...over }) as Record<EvidenceKind, number>
    const m = {
      kinds: EVIDENCE_KINDS,
      rows: [
        { focusArea: { id: 1, title: 'Attendance' }, counts: counts({ meeting_note: 2, data: 1 }), total: 3, findings: 2, secure: 1, notSecure: 1 },
        { focusArea: { id: 2, title: 'ALN' }, counts: counts({}), total: 0, findings: 0, secure: 0, notSecure: 0 },
      ],
      untagged: counts({ data: 4 }), untaggedTotal: 4,
    } as unknown as Matrix
    const table = matrixTable(m, en)
    expect(table.kinds.map((k) => k.label)).toEqual(['Meeting note', 'Authority document', 'Provider inspection', 'Data', 'Link intelligence'])
    expect(table.rows[0]!.cells.map((c) => c.gap)).toEqual([false, true, true, false, true])
    expect(table.rows[0]!.summary).toEqual({ text: '1 secure, 1 not yet secure', classes: 'govuk-tag--yellow' })
    expect(table.rows[1]!.total).toEqual({ count: 0, gap: true })
    expect(table.rows[1]!.findings).toEqual({ count: 0, gap: true })
    expect(table.rows[1]!.summary.text).toBe('No findings')
    expect(table.untagged!.cells.some((c) => c.gap)).toBe(false)
    expect(matrixTable({ ...m, untaggedTotal: 0 }, en).untagged).toBeUndefined()
  })

  it('splits a finding’s text into paragraphs', () => {
    expect(paragraphs('One.\r\n\nTwo <b>.\n')).toEqual(['One.', 'Two <b>.'])
  })
})

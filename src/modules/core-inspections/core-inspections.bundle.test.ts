import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { Ajv2020 } from 'ajv/dist/2020.js'
import type { ErrorObject } from 'ajv/dist/2020.js'
import {
  academicYearBounds, BUNDLE_SCHEMA, bundleSchemaProblems, matchArea, MAX_BUNDLE_BYTES, parseBundleText, schemaProblem, sortByPath,
} from './core-inspections.bundle.ts'
import { DEMO_BUNDLE } from './core-inspections.demo.ts'
import { EXAMPLE_BUNDLE } from './core-inspections.view.ts'

/** Every property schema in the bundle schema, with where it is. */
function properties(node: unknown, at = '#'): Array<{ at: string; schema: Record<string, unknown> }> {
  if (!node || typeof node !== 'object') return []
  const out: Array<{ at: string; schema: Record<string, unknown> }> = []
  const o = node as Record<string, unknown>
  for (const [k, v] of Object.entries(o)) {
    if (k === 'properties' && v && typeof v === 'object') {
      for (const [name, schema] of Object.entries(v)) out.push({ at: `${at}/properties/${name}`, schema: schema as Record<string, unknown> })
    }
    out.push(...properties(v, `${at}/${k}`))
  }
  return out
}

describe('the import bundle schema', () => {
  it('is a valid JSON Schema (draft 2020-12) that compiles in strict mode', () => {
    const ajv = new Ajv2020({ strict: true, allErrors: true })
    expect(ajv.validateSchema(BUNDLE_SCHEMA), JSON.stringify(ajv.errors)).toBe(true)
    expect(() => ajv.compile(BUNDLE_SCHEMA)).not.toThrow()
    expect(BUNDLE_SCHEMA.$schema).toBe('https://json-schema.org/draft/2020-12/schema')
  })

  it('documents every field with a description', () => {
    const props = properties(BUNDLE_SCHEMA)
    expect(props.length).toBeGreaterThan(25)
    const undocumented = props.filter((p) => typeof p.schema.description !== 'string' || !p.schema.description).map((p) => p.at)
    expect(undocumented).toEqual([])
  })

  it('accepts the example bundle of the docs and the short one of the import page', () => {
    expect(bundleSchemaProblems(JSON.parse(fs.readFileSync(DEMO_BUNDLE, 'utf8')))).toEqual([])
    expect(bundleSchemaProblems(JSON.parse(EXAMPLE_BUNDLE))).toEqual([])
  })

  it('accepts the bundle exactly as the issue shows it, with only the required fields', () => {
    expect(bundleSchemaProblems({
      themes: [{ key: 'attendance', en: 'improving attendance', cy: 'gwella presenoldeb' }],
      coreInspections: [{
        gssCode: 'W06000008', academicYear: '2023-2024',
        recommendations: [{ ref: 'R1', text: 'Improve attendance' }],
        findings: [{ area: 'Leadership', kind: 'going_well', text: 'Clear vision' }],
        effectivePractice: [{ area: 'Leadership', question: 'How well?', text: 'Well.' }],
      }],
    })).toEqual([])
  })

  it('names each problem by JSON Pointer with a catalogue message', () => {
    const problems = bundleSchemaProblems({
      coreInspections: [{
        gssCode: 8, academicYear: '23-24', medium: 'Welsh',
        recommendations: Array.from({ length: 31 }, (_, i) => ({ ref: `R${i + 1}`, text: 'x' })),
        findings: [{ area: 'A', kind: 'going_well', text: 'x'.repeat(2001), themes: ['a', 'a'] }],
        effectivePractice: [],
      }],
    })
    expect(problems.map((p) => [p.path, p.messageKey, p.params])).toEqual([
      ['/coreInspections/0/gssCode', 'coreInspections.problem.type', { type: '@coreInspections.problem.typeName.string' }],
      ['/coreInspections/0/academicYear', 'coreInspections.problem.format.academicYear', undefined],
      ['/coreInspections/0/medium', 'coreInspections.problem.enum', { values: '"welsh", "english", "bilingual"' }],
      ['/coreInspections/0/recommendations', 'coreInspections.problem.tooMany', { max: 30 }],
      ['/coreInspections/0/findings/0/text', 'coreInspections.problem.tooLong', { max: 2000 }],
      ['/coreInspections/0/findings/0/themes', 'coreInspections.problem.repeated', undefined],
    ])
  })

  it('escapes a field name in a pointer, and says what ajv said for a keyword it has no message for', () => {
    const base = { instancePath: '/coreInspections/0', schemaPath: '#', data: {} }
    expect(schemaProblem({ ...base, keyword: 'additionalProperties', params: { additionalProperty: 'a/b~c' } } as ErrorObject).path).toBe('/coreInspections/0/a~1b~0c')
    expect(schemaProblem({ ...base, keyword: 'minItems', params: { limit: 1 }, message: 'must NOT have fewer than 1 items' } as ErrorObject))
      .toEqual({ path: '/coreInspections/0', messageKey: 'coreInspections.problem.schema', params: { problem: 'must NOT have fewer than 1 items' } })
  })
})

describe('reading and checking a bundle', () => {
  it('reads JSON with or without a byte order mark, and refuses what is not', () => {
    expect(parseBundleText('\uFEFF{"coreInspections":[]}')).toEqual({ ok: true, value: { coreInspections: [] } })
    expect(parseBundleText('  ')).toEqual({ ok: false, problem: { path: '', messageKey: 'coreInspections.problem.empty' } })
    expect(parseBundleText('{"coreInspections": [}')).toMatchObject({ ok: false, problem: { path: '', messageKey: 'coreInspections.problem.notJson' } })
    expect(parseBundleText(' '.repeat(MAX_BUNDLE_BYTES + 1))).toMatchObject({ ok: false, problem: { messageKey: 'coreInspections.problem.tooLarge' } })
  })

  it('matches an area by its English or Welsh name or code, whatever the case, spacing or apostrophe', () => {
    const areas = [{ code: '3', nameEn: 'Care, support and well-being', nameCy: 'Gofal, cymorth a lles' }, { code: '2.1', nameEn: 'Leaders’ work', nameCy: 'Gwaith arweinwyr' }]
    expect(matchArea(areas, 'care,  support and WELL-BEING')).toBe('3')
    expect(matchArea(areas, 'Gofal, cymorth a lles')).toBe('3')
    expect(matchArea(areas, "Leaders' work:")).toBe('2.1')
    expect(matchArea(areas, '2.1')).toBe('2.1')
    expect(matchArea(areas, 'Care and support')).toBeNull()
  })

  it('knows an academic year only when its years follow each other', () => {
    expect(academicYearBounds('2023-2024')).toEqual({ from: '2023-09-01', to: '2024-08-31' })
    expect(academicYearBounds('2023-2023')).toBeNull()
    expect(academicYearBounds('2024-2023')).toBeNull()
  })

  it('orders problems record by record, keeping the order found within each', () => {
    const d = (path: string) => ({ path, messageKey: 'k' })
    expect(sortByPath([d('/coreInspections/10/b'), d('/coreInspections/2/a'), d('/themes/0/key'), d('/coreInspections/2/0'), d('/x')]).map((x) => x.path))
      .toEqual(['/x', '/themes/0/key', '/coreInspections/2/a', '/coreInspections/2/0', '/coreInspections/10/b'])
  })
})

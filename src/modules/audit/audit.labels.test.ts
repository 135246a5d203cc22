import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { I18n } from '../../i18n/catalogue.ts'

const modules = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** Every action code the code records: literal codes, and `letter.${action}` for the review's three actions. */
function recordedActions(): string[] {
  const codes = new Set<string>()
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name)
      if (entry.isDirectory()) walk(file)
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        const source = fs.readFileSync(file, 'utf8')
        for (const m of source.matchAll(/audit\.record\(\s*\w+,\s*\w+,\s*'([a-z_]+\.[a-z_]+)'/g)) codes.add(m[1]!)
        if (source.includes('`letter.${action}`')) for (const a of ['submit', 'return', 'approve']) codes.add(`letter.${a}`)
      }
    }
  }
  walk(modules)
  return [...codes].sort()
}

describe('audit action labels', () => {
  it('names every action the code records, in English and Welsh, so the audit page never shows a bare code', () => {
    const codes = recordedActions()
    expect(codes.length).toBeGreaterThan(40)
    const i18n = new I18n()
    for (const lang of ['en', 'cy'] as const) {
      const t = i18n.translator(lang)
      const missing = codes.filter((code) => t(`audit.action.${code}`) === `audit.action.${code}`)
      expect(missing, `actions without a label in ${lang}`).toEqual([])
    }
  })
})

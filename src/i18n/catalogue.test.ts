import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { catalogueFiles, I18n, loadCatalogue } from './catalogue.ts'

const srcDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const en = loadCatalogue('en').messages
const cy = loadCatalogue('cy').messages

const PLURAL_FORMS = ['zero', 'one', 'two', 'few', 'many', 'other']
// English plurals only ever pick `one` or `other`; Welsh uses all six.
const WELSH_ONLY_FORMS = ['zero', 'two', 'few', 'many']

/** `x.few` is a plural form when `x.other` exists; returns `x`. */
function pluralBase(key: string, messages: Map<string, string>): string | undefined {
  const dot = key.lastIndexOf('.')
  if (dot < 0 || !PLURAL_FORMS.includes(key.slice(dot + 1))) return undefined
  const base = key.slice(0, dot)
  return messages.has(`${base}.other`) ? base : undefined
}

/** `{Field}` is `{field}` capitalised at the start of a sentence: the same value either way. */
function placeholders(message: string): Set<string> {
  return new Set([...message.matchAll(/\{(\w+)\}/g)].map((m) => (m[1] === 'Field' ? 'field' : m[1]!)))
}

function flattenKeys(prefix: string, value: unknown, out: string[]): string[] {
  if (typeof value === 'string') out.push(prefix)
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (k !== '$needsReview') flattenKeys(prefix ? `${prefix}.${k}` : k, v, out)
  }
  return out
}

/** Literal keys of `t("...")` / `t('...')` calls; a key built from pieces (`t("role." + x)`) is skipped. */
export function literalKeys(template: string): string[] {
  const keys: string[] = []
  for (const m of template.matchAll(/(?<![\w.$])t\(\s*(["'])([^"'\\]+)\1\s*(?=[,)])/g)) keys.push(m[2]!)
  return keys
}

function templatesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name)
    if (e.isDirectory()) return templatesUnder(full)
    return e.name.endsWith('.njk') ? [full] : []
  })
}

describe('message catalogues', () => {
  it('has every English key in Welsh', () => {
    const missing = [...en.keys()].filter((k) => !cy.has(k))
    expect(missing, `missing in Welsh: ${missing.join(', ')}`).toEqual([])
  })

  it('has every Welsh key in English (apart from the Welsh-only plural forms)', () => {
    const missing = [...cy.keys()].filter((k) => {
      if (en.has(k)) return false
      const base = pluralBase(k, cy)
      return !(base && WELSH_ONLY_FORMS.includes(k.slice(base.length + 1)) && en.has(`${base}.other`))
    })
    expect(missing, `missing in English: ${missing.join(', ')}`).toEqual([])
  })

  it('has no empty strings', () => {
    const empty = [...[...en].map(([k, v]) => ['en', k, v]), ...[...cy].map(([k, v]) => ['cy', k, v])]
      .filter(([, , v]) => !v!.trim()).map(([lang, k]) => `${lang}:${k}`)
    expect(empty).toEqual([])
  })

  it('uses the same {placeholders} in both languages', () => {
    const mismatched: string[] = []
    for (const [key, welsh] of cy) {
      const base = pluralBase(key, cy)
      const english = en.get(key) ?? (base ? en.get(`${base}.other`) : undefined)
      if (english === undefined) continue // reported by the parity tests
      const a = placeholders(english)
      const b = placeholders(welsh)
      // A plural form may spell its number out ("un awdurdod", "one authority").
      if (base) { a.delete('count'); b.delete('count') }
      if ([...a].sort().join() !== [...b].sort().join()) mismatched.push(`${key}: en {${[...a].join(',')}} cy {${[...b].join(',')}}`)
    }
    expect(mismatched).toEqual([])
  })

  it('marks for review only keys that exist: every $needsReview pattern matches a key of its own file', () => {
    const stale: string[] = []
    for (const file of catalogueFiles('cy')) {
      const json = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>
      const patterns = json.$needsReview
      if (patterns === undefined) continue
      expect(Array.isArray(patterns), `${file}: $needsReview must be a list`).toBe(true)
      const keys = flattenKeys('', json, [])
      for (const p of patterns as unknown[]) {
        const matches = typeof p === 'string' && keys.some((k) => (p.endsWith('*') ? k.startsWith(p.slice(0, -1)) : k === p))
        if (!matches) stale.push(`${path.relative(srcDir, file)}: ${String(p)}`)
      }
    }
    expect(stale).toEqual([])
  })
})

describe('the translator', () => {
  const i18n = new I18n()
  const tEn = i18n.translator('en')
  const tCy = i18n.translator('cy')

  it('picks each Welsh plural form', () => {
    const forms = [0, 1, 2, 3, 6, 4, 22].map((count) => tCy('common.authorities', { count }))
    expect(forms).toEqual(['dim awdurdodau', 'un awdurdod', 'dau awdurdod', 'tri awdurdod', 'chwe awdurdod', '4 awdurdod', '22 awdurdod'])
  })

  it('picks English one and other', () => {
    expect([0, 1, 2, 22].map((count) => tEn('common.authorities', { count }))).toEqual(['0 authorities', '1 authority', '2 authorities', '22 authorities'])
  })

  it('fills in parameters and leaves unknown ones visible', () => {
    expect(tEn('common.showing', { from: 1, to: 50, total: 60 })).toBe('Showing 1 to 50 of 60')
    expect(tEn('common.showing', { from: 1 })).toBe('Showing 1 to {to} of {total}')
  })

  it('returns the key itself for a missing message, never a blank', () => {
    expect(tEn('no.such.message')).toBe('no.such.message')
    expect(tCy('no.such.message', { count: 2 })).toBe('no.such.message')
  })

  it('knows which Welsh strings await review', () => {
    expect(i18n.catalogue('cy').needsReview.has('auth.signIn.title')).toBe(true)
    expect(i18n.catalogue('en').needsReview.size).toBe(0)
  })
})

describe('keys used in templates', () => {
  it('finds literal keys and skips keys built from pieces', () => {
    const sample = `{{ t("a.b") }} {{ t('c.d', { x: 1 }) }} {{ t( "e.f" ) }} {{ t("role." + actor.role) }} {{ t("x." ~ y) }} {{ format("no.key") }} {{ it("no.key2") }}`
    expect(literalKeys(sample)).toEqual(['a.b', 'c.d', 'e.f'])
  })

  it('exist in both catalogues', () => {
    const templates = templatesUnder(srcDir)
    expect(templates.length).toBeGreaterThan(3)
    const missing: string[] = []
    let found = 0
    for (const file of templates) {
      for (const key of literalKeys(fs.readFileSync(file, 'utf8'))) {
        found++
        for (const [lang, messages] of [['en', en], ['cy', cy]] as const) {
          if (!messages.has(key) && !messages.has(`${key}.other`)) missing.push(`${path.relative(srcDir, file)}: ${lang} ${key}`)
        }
      }
    }
    expect(found).toBeGreaterThan(20)
    expect(missing).toEqual([])
  })
})

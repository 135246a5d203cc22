import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { LANGUAGES, type Language } from '../db/schema.ts'

export type Params = Record<string, string | number>
export type Translate = (key: string, params?: Params) => string

/** The strings of one language, flattened to dotted keys, and the Welsh keys still awaiting review. */
export interface Catalogue {
  messages: Map<string, string>
  needsReview: Set<string>
}

const srcDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/**
 * Where catalogue files live: the app's own, then each module's (so each module owns its words):
 * `locales/<lang>.json`, and for a module with several parts, `locales/<part>.<lang>.json`.
 */
export function catalogueFiles(lang: Language): string[] {
  const files = [path.join(srcDir, 'locales', `${lang}.json`)]
  const modules = path.join(srcDir, 'modules')
  for (const name of fs.readdirSync(modules).sort()) {
    const dir = path.join(modules, name, 'locales')
    if (!fs.existsSync(dir)) continue
    const parts = fs.readdirSync(dir).filter((f) => f === `${lang}.json` || f.endsWith(`.${lang}.json`)).sort()
    files.push(...parts.map((f) => path.join(dir, f)))
  }
  return files
}

function flatten(prefix: string, value: unknown, out: Map<string, string>, file: string): void {
  if (typeof value === 'string') {
    if (out.has(prefix)) throw new Error(`message ${prefix} is defined twice (again in ${file})`)
    out.set(prefix, value)
    return
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$needsReview') continue
      flatten(prefix ? `${prefix}.${k}` : k, v, out, file)
    }
    return
  }
  throw new Error(`message ${prefix} in ${file} must be a string or an object of strings`)
}

/**
 * Loads one language. A Welsh file may list `"$needsReview": ["key", "prefix.*"]`: machine-drafted
 * strings that a Welsh speaker has yet to check (shown to admins on the review page).
 */
export function loadCatalogue(lang: Language): Catalogue {
  const messages = new Map<string, string>()
  const reviewPatterns: string[] = []
  for (const file of catalogueFiles(lang)) {
    const json = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>
    flatten('', json, messages, file)
    const review = json.$needsReview
    if (Array.isArray(review)) reviewPatterns.push(...review.map(String))
  }
  const needsReview = new Set<string>()
  for (const key of messages.keys()) {
    if (reviewPatterns.some((p) => (p.endsWith('*') ? key.startsWith(p.slice(0, -1)) : key === p))) needsReview.add(key)
  }
  return { messages, needsReview }
}

export class I18n {
  private readonly catalogues: Record<Language, Catalogue>
  private readonly plurals: Record<Language, Intl.PluralRules>

  constructor() {
    this.catalogues = { en: loadCatalogue('en'), cy: loadCatalogue('cy') }
    this.plurals = { en: new Intl.PluralRules('en-GB'), cy: new Intl.PluralRules('cy') }
  }

  catalogue(lang: Language): Catalogue {
    return this.catalogues[lang]
  }

  has(lang: Language, key: string): boolean {
    return this.catalogues[lang].messages.has(key)
  }

  /**
   * A translator for one language. With a numeric `count`, `key.<plural category>` is tried first
   * (Welsh has zero, one, two, few, many and other), then `key.other`, then `key`.
   */
  translator(lang: Language): Translate {
    const { messages } = this.catalogues[lang]
    const plural = this.plurals[lang]
    return (key, params) => {
      let template: string | undefined
      if (params && typeof params.count === 'number') {
        template = messages.get(`${key}.${plural.select(params.count)}`) ?? messages.get(`${key}.other`)
      }
      template ??= messages.get(key)
      // A missing string shows its key, never a blank: the catalogue parity test catches it first.
      if (template === undefined) return key
      return params ? interpolate(template, params) : template
    }
  }
}

function interpolate(template: string, params: Params): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole))
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value)
}

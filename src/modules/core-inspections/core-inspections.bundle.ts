import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import type { CoreFindingKind, InspectionMedium, Language } from '../../db/schema.ts'
import type { ErrorDetail } from '../../http/errors.ts'

/**
 * The core inspections import bundle: its JSON Schema (what `cyswllt schema import` prints and
 * docs/core-inspections-import.md explains), its types, and the checks made before anything is
 * saved. Every problem is reported at its JSON Pointer (`/coreInspections/0/recommendations/1/themes/0`).
 */

export const BUNDLE_SCHEMA_ID = 'urn:cyswllt:schema:core-inspections-import:1'

/** The most a bundle may weigh, whether uploaded, pasted, sent to the API or read by the CLI. */
export const MAX_BUNDLE_BYTES = 5 * 1024 * 1024

export const LIMITS = {
  coreInspections: 500,
  themes: 200,
  recommendations: 30,
  findings: 200,
  effectivePractice: 50,
  themesPerItem: 20,
  area: 200,
  question: 500,
  recommendation: 1000,
  finding: 2000,
  practice: 5000,
} as const

const GSS = '^W06[0-9]{6}$'
const YEAR = '^[0-9]{4}-[0-9]{4}$'
const DATE = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
const THEME_KEY = '^[a-z0-9]+(?:-[a-z0-9]+)*$'
const NOT_BLANK = '\\S'

const text = (max: number, description: string) => ({ type: 'string', minLength: 1, maxLength: max, pattern: NOT_BLANK, description })
const lang = {
  enum: ['en', 'cy'],
  default: 'en',
  description: 'The language `text` (and `question`) are written in: "en" English or "cy" Welsh. English when left out. Outputs show the text in this language, with the translation beside it when one is given.',
}
const themeList = {
  type: 'array',
  maxItems: LIMITS.themesPerItem,
  uniqueItems: true,
  items: { type: 'string', pattern: THEME_KEY, maxLength: 40, description: 'A theme key: a theme already recorded in Cyswllt or one defined in this bundle\'s `themes`.' },
  description: 'The themes this is about, by key. Findings and recommendations that share a theme are grouped together in the Early Insights summary.',
}

/** The bundle's JSON Schema (draft 2020-12). Checks the shape; references are checked against the records. */
export const BUNDLE_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: BUNDLE_SCHEMA_ID,
  title: 'Cyswllt core inspections import bundle',
  description: 'Core inspections of local government education services, with their recommendations, findings and effective practice, and any new themes they use. A core inspection is identified by its authority (gssCode) and academic year: importing it again updates the one recorded, and importing the same bundle twice changes nothing the second time. The whole bundle is checked before anything is saved; any problem rejects all of it.',
  type: 'object',
  required: ['coreInspections'],
  additionalProperties: false,
  properties: {
    $schema: { type: 'string', description: 'Optional: where an editor can find this schema. Ignored on import.' },
    themes: {
      type: 'array',
      maxItems: LIMITS.themes,
      items: { $ref: '#/$defs/theme' },
      description: 'Themes the records use that may not be recorded in Cyswllt yet. Each is created if no theme has its key; a theme already recorded keeps its labels.',
    },
    coreInspections: {
      type: 'array',
      maxItems: LIMITS.coreInspections,
      items: { $ref: '#/$defs/coreInspection' },
      description: 'The core inspections, at most one for each authority and academic year.',
    },
  },
  $defs: {
    theme: {
      type: 'object',
      required: ['key', 'en', 'cy'],
      additionalProperties: false,
      properties: {
        key: { type: 'string', pattern: THEME_KEY, maxLength: 40, description: 'Stable key: lower-case letters and digits in words joined by hyphens, e.g. "attendance".' },
        en: text(80, 'The theme in English, e.g. "improving attendance".'),
        cy: text(80, 'The theme in Welsh, e.g. "gwella presenoldeb".'),
      },
    },
    coreInspection: {
      type: 'object',
      required: ['gssCode', 'academicYear', 'recommendations', 'findings', 'effectivePractice'],
      additionalProperties: false,
      properties: {
        gssCode: { type: 'string', pattern: GSS, description: 'The local authority inspected, by its ONS GSS code, e.g. "W06000008" (Ceredigion).' },
        academicYear: { type: 'string', pattern: YEAR, description: 'The academic year of the inspection: two consecutive years, e.g. "2023-2024".' },
        framework: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$', maxLength: 40, description: 'Optional: the inspection framework\'s key as recorded in Cyswllt, e.g. "lges-2022". When given, each finding\'s area must be one of the framework\'s areas.' },
        startsOn: { type: 'string', pattern: DATE, description: 'Optional: the first day of the inspection, YYYY-MM-DD, within the academic year.' },
        endsOn: { type: 'string', pattern: DATE, description: 'Optional: the last day of the inspection, YYYY-MM-DD, on or after startsOn.' },
        reportUrl: { type: 'string', pattern: '^https?://\\S+$', maxLength: 500, description: 'Optional: the web address of the published inspection report.' },
        medium: { enum: ['welsh', 'english', 'bilingual'], description: 'Optional: the language the inspection was carried out in.' },
        recommendations: {
          type: 'array',
          maxItems: LIMITS.recommendations,
          items: { $ref: '#/$defs/recommendation' },
          description: 'The report\'s recommendations, in order. Importing again matches them by ref.',
        },
        findings: {
          type: 'array',
          maxItems: LIMITS.findings,
          items: { $ref: '#/$defs/finding' },
          description: 'What is going well and what needs to improve, by area, in the order of the report.',
        },
        effectivePractice: {
          type: 'array',
          maxItems: LIMITS.effectivePractice,
          items: { $ref: '#/$defs/effectivePractice' },
          description: 'Effective practice the report identified, each with the report question it answers.',
        },
      },
    },
    recommendation: {
      type: 'object',
      required: ['ref', 'text'],
      additionalProperties: false,
      properties: {
        ref: { type: 'string', pattern: '^R[1-9][0-9]?$', description: 'The recommendation\'s reference as published: R1, R2 ... unique within the inspection.' },
        text: text(LIMITS.recommendation, 'The recommendation as published, e.g. "Improve attendance, particularly in secondary schools".'),
        lang,
        translation: text(LIMITS.recommendation, 'Optional: the same recommendation in the other language.'),
        themes: themeList,
      },
    },
    finding: {
      type: 'object',
      required: ['area', 'kind', 'text'],
      additionalProperties: false,
      properties: {
        area: text(LIMITS.area, 'The area\'s name as the report writes it, e.g. "Leadership". Matched to the framework\'s areas (by English or Welsh name, or code) when a framework is given.'),
        kind: { enum: ['going_well', 'needs_to_improve'], description: '"going_well" (what\'s going well) or "needs_to_improve" (what needs to improve).' },
        text: text(LIMITS.finding, 'The finding, in one or a few sentences.'),
        lang,
        translation: text(LIMITS.finding, 'Optional: the same finding in the other language.'),
        themes: themeList,
      },
    },
    effectivePractice: {
      type: 'object',
      required: ['area', 'question', 'text'],
      additionalProperties: false,
      properties: {
        area: text(LIMITS.area, 'The area or heading the practice is reported under, e.g. "Leadership and management".'),
        question: text(LIMITS.question, 'The report\'s question the practice answers, e.g. "How well does the local authority support its schools and settings to improve teaching and leadership?"'),
        text: text(LIMITS.practice, 'The practice, as the report describes it.'),
        lang,
        questionTranslation: text(LIMITS.question, 'Optional: the question in the other language.'),
        translation: text(LIMITS.practice, 'Optional: the practice in the other language.'),
      },
    },
  },
} as const

export interface BundleTheme { key: string; en: string; cy: string }
export interface BundleRecommendation { ref: string; text: string; lang?: Language; translation?: string; themes?: string[] }
export interface BundleFinding { area: string; kind: CoreFindingKind; text: string; lang?: Language; translation?: string; themes?: string[] }
export interface BundleEffectivePractice { area: string; question: string; text: string; lang?: Language; questionTranslation?: string; translation?: string }
export interface BundleCoreInspection {
  gssCode: string
  academicYear: string
  framework?: string
  startsOn?: string
  endsOn?: string
  reportUrl?: string
  medium?: InspectionMedium
  recommendations: BundleRecommendation[]
  findings: BundleFinding[]
  effectivePractice: BundleEffectivePractice[]
}
export interface Bundle { $schema?: string; themes?: BundleTheme[]; coreInspections: BundleCoreInspection[] }

/** The parts of a core inspection that are lists of rows, as the bundle names them. */
export const PARTS = ['recommendations', 'findings', 'effectivePractice'] as const
export type Part = (typeof PARTS)[number]

let validators: { bundle: ValidateFunction; record: ValidateFunction } | undefined

function compiled() {
  if (!validators) {
    // allErrors: every problem at once, not only the first.
    const ajv = new Ajv2020({ allErrors: true, strict: true })
    ajv.addSchema(BUNDLE_SCHEMA)
    validators = { bundle: ajv.getSchema(BUNDLE_SCHEMA_ID)!, record: ajv.getSchema(`${BUNDLE_SCHEMA_ID}#/$defs/coreInspection`)! }
  }
  return validators
}

const FIELD_HINTS = new Set(['gssCode', 'academicYear', 'framework', 'startsOn', 'endsOn', 'reportUrl', 'ref', 'key', 'themes'])

/** The property a JSON Pointer ends in, skipping array indexes: `/a/themes/0` is about `themes`. */
function fieldOf(pointer: string): string {
  const segments = pointer.split('/').filter((s) => s !== '' && !/^\d+$/.test(s))
  return segments[segments.length - 1] ?? ''
}

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1')

/** One schema problem as an error detail: its JSON Pointer and a message from the catalogue. */
export function schemaProblem(e: ErrorObject, base = ''): ErrorDetail {
  const at = base + e.instancePath
  const p = e.params as Record<string, unknown>
  switch (e.keyword) {
    case 'required':
      return { path: `${at}/${escapePointer(String(p.missingProperty))}`, messageKey: 'coreInspections.problem.required' }
    case 'additionalProperties':
      return { path: `${at}/${escapePointer(String(p.additionalProperty))}`, messageKey: 'coreInspections.problem.unknownField' }
    case 'type':
      return { path: at, messageKey: 'coreInspections.problem.type', params: { type: `@coreInspections.problem.typeName.${String(p.type).split(',')[0]}` } }
    case 'enum':
      return { path: at, messageKey: 'coreInspections.problem.enum', params: { values: ((p.allowedValues as unknown[]) ?? []).map((v) => `"${String(v)}"`).join(', ') } }
    case 'pattern': {
      if (p.pattern === NOT_BLANK) return { path: at, messageKey: 'coreInspections.problem.blank' }
      const field = fieldOf(at)
      return { path: at, messageKey: `coreInspections.problem.format.${FIELD_HINTS.has(field) ? field : 'other'}` }
    }
    case 'minLength':
      return { path: at, messageKey: 'coreInspections.problem.blank' }
    case 'maxLength':
      return { path: at, messageKey: 'coreInspections.problem.tooLong', params: { max: Number(p.limit) } }
    case 'maxItems':
      return { path: at, messageKey: 'coreInspections.problem.tooMany', params: { max: Number(p.limit) } }
    case 'uniqueItems':
      return { path: at, messageKey: 'coreInspections.problem.repeated' }
    default:
      return { path: at, messageKey: 'coreInspections.problem.schema', params: { problem: e.message ?? e.keyword } }
  }
}

function schemaProblems(validate: ValidateFunction, value: unknown, base = ''): ErrorDetail[] {
  if (validate(value)) return []
  const seen = new Set<string>()
  return (validate.errors ?? []).map((e) => schemaProblem(e, base)).filter((d) => {
    // An enum also fails `type` when it is not a string: one message per place is enough.
    const key = `${d.path}\n${d.messageKey}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

export const bundleSchemaProblems = (value: unknown) => schemaProblems(compiled().bundle, value)
export const recordSchemaProblems = (value: unknown, base = '') => schemaProblems(compiled().record, value, base)

/** What the records are checked against: the reference data and records already in Cyswllt. */
export interface ReferenceData {
  authorities: ReadonlyMap<string, { nameEn: string; nameCy: string }>
  frameworks: ReadonlyMap<string, ReadonlyArray<{ code: string; nameEn: string; nameCy: string }>>
  /** Whether a theme with this key is recorded and in use (a merged theme's key counts: it stands for the theme it became). */
  themeKnown(key: string): boolean
  /** Recommendations of recorded inspections cited by a focus area, by `gssCode academicYear`: they cannot be removed. */
  cited: ReadonlyMap<string, ReadonlySet<string>>
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const arrayAt = (o: Record<string, unknown>, key: string): unknown[] => (Array.isArray(o[key]) ? o[key] : [])
const stringAt = (o: Record<string, unknown>, key: string): string | undefined => (typeof o[key] === 'string' ? o[key] : undefined)

/** Folds an area's name for matching: case, spacing and the kind of apostrophe do not matter. */
export function areaKey(name: string): string {
  return name.normalize('NFC').toLowerCase().replace(/[’‘`]/g, '\'').replace(/\s+/g, ' ').replace(/[\s.:]+$/, '').trim()
}

/** The framework area an area's name (English, Welsh or code) stands for, if any. */
export function matchArea(areas: ReadonlyArray<{ code: string; nameEn: string; nameCy: string }>, name: string): string | null {
  const key = areaKey(name)
  return areas.find((a) => areaKey(a.nameEn) === key || areaKey(a.nameCy) === key || areaKey(a.code) === key)?.code ?? null
}

/** A real calendar date in YYYY-MM-DD. */
export function isRealDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`)
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s
}

/** An academic year's first and last day: 1 September to 31 August. */
export function academicYearBounds(year: string): { from: string; to: string } | null {
  const m = /^(\d{4})-(\d{4})$/.exec(year)
  if (!m || Number(m[2]) !== Number(m[1]) + 1) return null
  return { from: `${m[1]}-09-01`, to: `${m[2]}-08-31` }
}

export const identityKey = (gssCode: string, academicYear: string) => `${gssCode} ${academicYear}`

/**
 * Checks one record's references: the authority, the academic year, the framework and its areas,
 * dates, unique refs, themes (`bundleThemes` are those the bundle defines), and recommendations
 * cited by a focus area still being there. Tolerates a record of the wrong shape (the schema check
 * reports that), so every problem is found in one pass.
 */
export function recordReferenceProblems(record: unknown, at: string, ref: ReferenceData, bundleThemes: ReadonlySet<string> = new Set()): ErrorDetail[] {
  const problems: ErrorDetail[] = []
  if (!isObject(record)) return problems
  const add = (path: string, messageKey: string, params: Record<string, string | number> = {}) => problems.push({ path: `${at}${path}`, messageKey, params })

  const gss = stringAt(record, 'gssCode')
  if (gss && new RegExp(GSS).test(gss) && !ref.authorities.has(gss)) add('/gssCode', 'coreInspections.problem.unknownAuthority', { code: gss })

  const year = stringAt(record, 'academicYear')
  const bounds = year && new RegExp(YEAR).test(year) ? academicYearBounds(year) : null
  if (year && new RegExp(YEAR).test(year) && !bounds) add('/academicYear', 'coreInspections.problem.yearNotConsecutive', { year })

  const frameworkKey = stringAt(record, 'framework')
  const areas = frameworkKey ? ref.frameworks.get(frameworkKey) : undefined
  if (frameworkKey && !areas) add('/framework', 'coreInspections.problem.unknownFramework', { key: frameworkKey, known: [...ref.frameworks.keys()].join(', ') })

  const dates: Record<string, string> = {}
  for (const field of ['startsOn', 'endsOn'] as const) {
    const d = stringAt(record, field)
    if (!d || !new RegExp(DATE).test(d)) continue
    if (!isRealDate(d)) add(`/${field}`, 'coreInspections.problem.notRealDate', { value: d })
    else if (bounds && (d < bounds.from || d > bounds.to)) add(`/${field}`, 'coreInspections.problem.outsideYear', { year: year!, from: bounds.from, to: bounds.to })
    else dates[field] = d
  }
  if (dates.startsOn && dates.endsOn && dates.endsOn < dates.startsOn) add('/endsOn', 'coreInspections.problem.endBeforeStart')

  const checkThemes = (item: Record<string, unknown>, path: string) => {
    arrayAt(item, 'themes').forEach((key, k) => {
      if (typeof key === 'string' && new RegExp(THEME_KEY).test(key) && !bundleThemes.has(key) && !ref.themeKnown(key)) {
        add(`${path}/themes/${k}`, 'coreInspections.problem.unknownTheme', { key })
      }
    })
  }

  const refs = new Map<string, number>()
  arrayAt(record, 'recommendations').forEach((r, i) => {
    if (!isObject(r)) return
    const code = stringAt(r, 'ref')
    if (code) {
      const first = refs.get(code)
      if (first !== undefined) add(`/recommendations/${i}/ref`, 'coreInspections.problem.refRepeated', { ref: code, first: first + 1 })
      else refs.set(code, i)
    }
    checkThemes(r, `/recommendations/${i}`)
  })
  if (gss && year) {
    for (const code of ref.cited.get(identityKey(gss, year)) ?? []) {
      if (Array.isArray(record.recommendations) && !refs.has(code)) add('/recommendations', 'coreInspections.problem.citedRemoved', { ref: code })
    }
  }

  arrayAt(record, 'findings').forEach((f, i) => {
    if (!isObject(f)) return
    const area = stringAt(f, 'area')
    if (areas && area && area.trim() && !matchArea(areas, area)) {
      add(`/findings/${i}/area`, 'coreInspections.problem.unknownArea', { area, framework: frameworkKey!, areas: areas.map((a) => a.nameEn).join('; ') })
    }
    checkThemes(f, `/findings/${i}`)
  })
  return problems
}

/**
 * Every problem with a bundle, in the order of the file: its shape (the JSON Schema) and its
 * references. Empty when the bundle may be imported.
 */
export function bundleProblems(bundle: unknown, ref: ReferenceData): ErrorDetail[] {
  const problems = bundleSchemaProblems(bundle)
  if (!isObject(bundle)) return problems
  const defined = new Map<string, number>()
  arrayAt(bundle, 'themes').forEach((t, i) => {
    const key = isObject(t) ? stringAt(t, 'key') : undefined
    if (!key) return
    const first = defined.get(key)
    if (first !== undefined) problems.push({ path: `/themes/${i}/key`, messageKey: 'coreInspections.problem.themeRepeated', params: { key, first: first + 1 } })
    else defined.set(key, i)
  })
  const identities = new Map<string, number>()
  arrayAt(bundle, 'coreInspections').forEach((record, i) => {
    problems.push(...recordReferenceProblems(record, `/coreInspections/${i}`, ref, new Set(defined.keys())))
    const gss = isObject(record) ? stringAt(record, 'gssCode') : undefined
    const year = isObject(record) ? stringAt(record, 'academicYear') : undefined
    if (!gss || !year) return
    const first = identities.get(identityKey(gss, year))
    if (first !== undefined) problems.push({ path: `/coreInspections/${i}/academicYear`, messageKey: 'coreInspections.problem.identityRepeated', params: { code: gss, year, first: first + 1 } })
    else identities.set(identityKey(gss, year), i)
  })
  return sortByPath(problems)
}

/**
 * Problems record by record, in the order of the file (the bundle's themes first); within one
 * record, in the order they were found: its shape, then its references.
 */
export function sortByPath(problems: ErrorDetail[]): ErrorDetail[] {
  const key = (path: string) => {
    const m = /^\/(themes|coreInspections)(?:\/(\d+))?/.exec(path)
    return m ? [m[1] === 'themes' ? 1 : 2, Number(m[2] ?? -1)] as const : [0, -1] as const
  }
  return problems.map((d, i) => ({ d, i, k: key(d.path) }))
    .sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.i - b.i)
    .map(({ d }) => d)
}

/** Reads a bundle's text: JSON, at most MAX_BUNDLE_BYTES. A problem (at the root, path "") when it cannot be read. */
export function parseBundleText(text: string): { ok: true; value: unknown } | { ok: false; problem: ErrorDetail } {
  if (Buffer.byteLength(text, 'utf8') > MAX_BUNDLE_BYTES) {
    return { ok: false, problem: { path: '', messageKey: 'coreInspections.problem.tooLarge', params: { max: MAX_BUNDLE_BYTES / 1024 / 1024 } } }
  }
  const trimmed = text.replace(/^\uFEFF/, '').trim()
  if (!trimmed) return { ok: false, problem: { path: '', messageKey: 'coreInspections.problem.empty' } }
  try {
    return { ok: true, value: JSON.parse(trimmed) as unknown }
  } catch (e) {
    return { ok: false, problem: { path: '', messageKey: 'coreInspections.problem.notJson', params: { problem: e instanceof Error ? e.message : String(e) } } }
  }
}

import type { ErrorDetail } from '../../http/errors.ts'
import { parseCsv } from './csv.ts'

/** The columns of a providers CSV file, in order (docs/providers-csv.md describes them). */
export const PROVIDER_COLUMNS = ['authority_gss', 'reference', 'name', 'kind', 'last_inspected_on', 'summary', 'report_url'] as const
export type ProviderColumn = (typeof PROVIDER_COLUMNS)[number]

export const PROVIDER_KINDS = ['primary', 'secondary', 'all_age', 'special', 'pupil_referral_unit', 'nursery', 'post_16', 'other'] as const
export type ProviderKind = (typeof PROVIDER_KINDS)[number]

export const MAX_FILE_BYTES = 5 * 1024 * 1024
export const MAX_ROWS = 20_000
const MAX_LENGTH = { reference: 50, name: 200, summary: 4000, report_url: 2000 } as const

export interface ProviderRow {
  authorityCode: string
  reference: string
  name: string
  kind: ProviderKind
  lastInspectedOn: string | null
  summary: string | null
  reportUrl: string | null
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

function isRealDate(s: string): boolean {
  if (!ISO_DATE.test(s)) return false
  const d = new Date(`${s}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s
}

function isHttpsUrl(s: string): boolean {
  if (!s.startsWith('https://') || /\s/.test(s)) return false
  try {
    return new URL(s).protocol === 'https:'
  } catch {
    return false
  }
}

/** A value quoted back in a message: long enough to recognise, short enough for one line. */
const shown = (s: string) => (s.length > 40 ? `${s.slice(0, 39)}…` : s)

const rowPath = (row: number, column?: string) => (column ? `row ${row}, ${column}` : `row ${row}`)

/**
 * Reads and checks a whole providers file. Every problem is reported, each with its row (the
 * header is row 1) and column, so whoever prepared the file can fix them all in one go; rows
 * are returned only when there is no problem at all, since an import is all or nothing.
 */
export function readProvidersCsv(text: string, authorityCodes: ReadonlySet<string>): { rows: ProviderRow[]; problems: ErrorDetail[] } {
  const problems: ErrorDetail[] = []
  const add = (path: string, messageKey: string, params: Record<string, string | number> = {}) => problems.push({ path, messageKey, params })

  const bytes = Buffer.byteLength(text, 'utf8')
  if (bytes > MAX_FILE_BYTES) {
    add('file', 'providers.csv.tooLarge', { size: (bytes / 1024 / 1024).toFixed(1), max: MAX_FILE_BYTES / 1024 / 1024 })
    return { rows: [], problems }
  }
  const parsed = parseCsv(text)
  // A syntax problem ends the reading; the rows before it are still checked, so it is listed last.
  const syntax = parsed.problem
  const syntaxProblem = () => {
    if (syntax) add(rowPath(syntax.row), `providers.csv.${syntax.kind}`, { row: syntax.row })
  }
  const [header, ...records] = parsed.records
  if (!header) {
    if (syntax) syntaxProblem()
    else add('file', 'providers.csv.empty')
    return { rows: [], problems }
  }
  const headerOk = header.row === 1 && header.fields.length === PROVIDER_COLUMNS.length &&
    header.fields.every((f, i) => f.trim().toLowerCase() === PROVIDER_COLUMNS[i])
  if (!headerOk) {
    // Without the right header the columns cannot be trusted, so the rows are not checked.
    add(rowPath(1, 'header'), 'providers.csv.header', { expected: PROVIDER_COLUMNS.join(','), found: shown(header.fields.join(',')) })
    syntaxProblem()
    return { rows: [], problems }
  }
  if (records.length === 0 && !syntax) {
    add('file', 'providers.csv.noRows')
    return { rows: [], problems }
  }
  if (records.length > MAX_ROWS) {
    add('file', 'providers.csv.tooManyRows', { count: records.length, max: MAX_ROWS })
    return { rows: [], problems }
  }

  const rows: ProviderRow[] = []
  const firstRowOf = new Map<string, number>()
  for (const { row, fields } of records) {
    if (fields.length !== PROVIDER_COLUMNS.length) {
      add(rowPath(row), 'providers.csv.fieldCount', { row, count: fields.length, expected: PROVIDER_COLUMNS.length })
      continue
    }
    const value = Object.fromEntries(PROVIDER_COLUMNS.map((c, i) => [c, fields[i]!.trim()])) as Record<ProviderColumn, string>
    let ok = true
    const bad = (column: ProviderColumn, key: string, params: Record<string, string | number> = {}) => {
      add(rowPath(row, column), key, { row, column, ...params })
      ok = false
    }
    for (const column of ['authority_gss', 'reference', 'name', 'kind'] as const) if (!value[column]) bad(column, 'providers.csv.required')
    // The other columns have their own, more specific, messages for a wrong value.
    for (const column of ['reference', 'name', 'summary', 'report_url'] as const) {
      if (value[column].length > MAX_LENGTH[column]) bad(column, 'providers.csv.tooLong', { max: MAX_LENGTH[column] })
    }
    if (value.authority_gss && !authorityCodes.has(value.authority_gss.toUpperCase())) bad('authority_gss', 'providers.csv.unknownAuthority', { value: shown(value.authority_gss) })
    if (value.kind && !(PROVIDER_KINDS as readonly string[]).includes(value.kind)) bad('kind', 'providers.csv.badKind', { value: shown(value.kind), kinds: PROVIDER_KINDS.join(', ') })
    if (value.last_inspected_on && !isRealDate(value.last_inspected_on)) bad('last_inspected_on', 'providers.csv.badDate', { value: shown(value.last_inspected_on) })
    if (value.report_url && !isHttpsUrl(value.report_url)) bad('report_url', 'providers.csv.badUrl', { value: shown(value.report_url) })
    if (value.reference) {
      const first = firstRowOf.get(value.reference)
      if (first !== undefined) bad('reference', 'providers.csv.duplicate', { value: shown(value.reference), first })
      else firstRowOf.set(value.reference, row)
    }
    if (ok) {
      rows.push({
        authorityCode: value.authority_gss.toUpperCase(),
        reference: value.reference,
        name: value.name,
        kind: value.kind as ProviderKind,
        lastInspectedOn: value.last_inspected_on || null,
        summary: value.summary || null,
        reportUrl: value.report_url || null,
      })
    }
  }
  syntaxProblem()
  return problems.length ? { rows: [], problems } : { rows, problems }
}

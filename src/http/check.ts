import { validationFailed, type ErrorDetail } from './errors.ts'

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/
/** The largest whole number an integer column holds (PostgreSQL's `integer`): every id and version is at most this. */
export const MAX_INTEGER = 2_147_483_647

/**
 * Collects every problem with one input before failing, so a form shows them all at once.
 * `label` is the catalogue key of the field's name; messages read "Enter {field}" and so on.
 */
export class Check {
  readonly errors: ErrorDetail[] = []

  add(path: string, messageKey: string, params: Record<string, string | number> = {}): void {
    this.errors.push({ path, messageKey, params })
  }

  text(path: string, label: string, value: unknown, opts: { required?: boolean; max?: number } = {}): string | null {
    const s = typeof value === 'string' ? value.trim() : ''
    if (value !== undefined && value !== null && typeof value !== 'string') {
      this.add(path, 'validation.notText', { field: label })
      return null
    }
    if (!s) {
      if (opts.required !== false) this.add(path, 'validation.required', { field: label })
      return null
    }
    const max = opts.max ?? 200
    if (s.length > max) this.add(path, 'validation.tooLong', { field: label, max })
    return s
  }

  email(path: string, label: string, value: unknown, opts: { required?: boolean } = {}): string | null {
    const s = this.text(path, label, value, { required: opts.required, max: 254 })
    if (s && !EMAIL.test(s)) {
      this.add(path, 'validation.email', { field: label })
      return null
    }
    return s ? s.toLowerCase() : null
  }

  date(path: string, label: string, value: unknown, opts: { required?: boolean } = {}): string | null {
    const s = this.text(path, label, value, { required: opts.required, max: 10 })
    if (!s) return null
    const d = new Date(`${s}T00:00:00Z`)
    if (!ISO_DATE.test(s) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== s) {
      this.add(path, 'validation.date', { field: label })
      return null
    }
    return s
  }

  oneOf<T extends string>(path: string, label: string, value: unknown, options: readonly T[], opts: { required?: boolean } = {}): T | null {
    if ((value === undefined || value === '' || value === null) && opts.required === false) return null
    if (typeof value === 'string' && (options as readonly string[]).includes(value)) return value as T
    this.add(path, 'validation.choice', { field: label })
    return null
  }

  integer(path: string, label: string, value: unknown, opts: { min?: number; max?: number } = {}): number | null {
    const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN
    if (!Number.isInteger(n) || n < (opts.min ?? 0)) {
      this.add(path, 'validation.integer', { field: label, min: opts.min ?? 0 })
      return null
    }
    // Larger numbers cannot be stored, nor looked up on PostgreSQL (the query itself fails).
    const max = opts.max ?? MAX_INTEGER
    if (n > max) {
      this.add(path, 'validation.integerTooLarge', { field: label, max })
      return null
    }
    return n
  }

  /** Throws a validation error listing every problem found, if there were any. */
  done(): void {
    if (this.errors.length) throw validationFailed(this.errors)
  }
}

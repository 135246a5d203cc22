import type { Database } from '../../db/database.ts'
import type { Clock } from '../../clock.ts'
import { Check } from '../../http/check.ts'
import { forbidden, versionConflict } from '../../http/errors.ts'
import type { Actor } from '../auth/actor.ts'
import type { AuditService } from '../audit/audit.service.ts'
import type { Letterhead } from '../letters/letter.model.ts'
import { letterheadSettings, type LetterheadSettings } from '../letters/letterhead.ts'

export const LETTERHEAD_LIMITS = { organisation: 100, address: 300, addressLines: 6, phone: 30, website: 200 } as const

/** What a form or the API sends; each field is checked, and every problem named at once. */
export interface LetterheadInput {
  organisation?: unknown
  address?: unknown
  phone?: unknown
  email?: unknown
  website?: unknown
  version?: unknown
}

const PHONE = /^[0-9+()\- ]+$/
// A host name with at least one dot, optionally with its scheme and a path: what a letter can print.
const WEBSITE = /^(https?:\/\/)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(\/\S*)?$/i

const staleSettings = () => versionConflict('Someone else changed the letterhead after you opened it. Nothing of yours was saved: check the current details and save again.')

const part = (value: unknown, lang: 'en' | 'cy'): unknown =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[lang] : undefined

/** Lines of an address as typed: each trimmed, blank ones dropped. */
const addressLines = (s: string): string[] => s.split(/\r?\n/).map((l) => l.trim()).filter(Boolean)

/** The flat shape the audit log compares field by field. */
const flat = (l: Letterhead) => ({
  organisationEn: l.organisation.en, organisationCy: l.organisation.cy, addressEn: l.address.en, addressCy: l.address.cy,
  phone: l.phone, email: l.email, website: l.website,
})

/** The inspectorate's letterhead on every feedback letter: read by the renderers, changed by administrators. */
export class LetterheadService {
  constructor(
    readonly database: Database,
    readonly audit: AuditService,
    readonly clock: Clock,
  ) {}

  async settings(actor: Actor): Promise<LetterheadSettings> {
    requireAdmin(actor)
    return letterheadSettings(this.database.db).read()
  }

  /** Replaces the letterhead when `version` is current. The name and address are needed in both languages; the contact lines may be left empty. */
  async save(actor: Actor, input: LetterheadInput): Promise<LetterheadSettings> {
    requireAdmin(actor)
    const check = new Check()
    const values = checkLetterhead(check, input)
    const version = check.integer('version', 'letterhead.field.version', input.version, { min: 1 })
    check.done()
    return this.database.db.transaction().execute(async (trx) => {
      const repo = letterheadSettings(trx)
      const before = await repo.read()
      if (!(await repo.save(version!, values, this.clock.nowIso()))) throw staleSettings()
      await this.audit.record(trx, actor, 'settings.letterhead', { type: 'setting', id: 'letterhead' }, { before: flat(before), after: flat(values) })
      return repo.read()
    })
  }
}

/** Checks every field, adding each problem to `check`; the values as they will be stored. */
export function checkLetterhead(check: Check, input: LetterheadInput): Letterhead {
  const text = (path: string, field: string, value: unknown, max: number, required = true) =>
    check.text(path, `letterhead.field.${field}`, value, { required, max }) ?? ''
  const address = (lang: 'en' | 'cy') => {
    const field = lang === 'en' ? 'addressEn' : 'addressCy'
    const typed = text(`address.${lang}`, field, part(input.address, lang), LETTERHEAD_LIMITS.address)
    const lines = addressLines(typed)
    if (lines.length > LETTERHEAD_LIMITS.addressLines) check.add(`address.${lang}`, 'letterhead.rule.lines', { field: `letterhead.field.${field}`, max: LETTERHEAD_LIMITS.addressLines })
    return lines.join('\n')
  }
  const organisation = {
    en: text('organisation.en', 'organisationEn', part(input.organisation, 'en'), LETTERHEAD_LIMITS.organisation),
    cy: text('organisation.cy', 'organisationCy', part(input.organisation, 'cy'), LETTERHEAD_LIMITS.organisation),
  }
  const addresses = { en: address('en'), cy: address('cy') }
  const phone = text('phone', 'phone', input.phone, LETTERHEAD_LIMITS.phone, false).replace(/\s+/g, ' ')
  if (phone && !PHONE.test(phone)) check.add('phone', 'letterhead.rule.phone', { field: 'letterhead.field.phone' })
  const email = check.email('email', 'letterhead.field.email', input.email, { required: false }) ?? ''
  const website = text('website', 'website', input.website, LETTERHEAD_LIMITS.website, false)
  if (website && !WEBSITE.test(website)) check.add('website', 'letterhead.rule.website', { field: 'letterhead.field.website' })
  return { organisation, address: addresses, phone, email, website }
}

function requireAdmin(actor: Actor): void {
  if (actor.kind === 'user' && actor.role !== 'admin') throw forbidden()
}

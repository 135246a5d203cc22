import type { Database } from '../../db/database.ts'
import { LANGUAGES, SEASONS, type Framework, type FrameworkArea, type LocalAuthority, type Term } from '../../db/schema.ts'
import type { Clock } from '../../clock.ts'
import { notFound, validationFailed, versionConflict } from '../../http/errors.ts'
import { Check } from '../../http/check.ts'
import type { Actor } from '../auth/actor.ts'
import type { AuditService } from '../audit/audit.service.ts'
import { usersRepository } from '../users/users.repository.ts'
import { referenceRepository } from './reference.repository.ts'

const staleEdit = () => versionConflict('Someone else changed this record after you opened it. Reload it to see their changes.')

export class ReferenceService {
  constructor(private readonly database: Database, private readonly audit: AuditService, private readonly clock: Clock) {}

  private get repo() { return referenceRepository(this.database.db) }

  /** Idempotent: adds missing reference rows, leaves edited ones alone. */
  ensureSeeded(): Promise<number> {
    return this.database.db.transaction().execute((trx) => referenceRepository(trx).ensureSeeded(this.clock.nowIso()))
  }

  listAuthorities(): Promise<LocalAuthority[]> { return this.repo.listAuthorities() }

  async getAuthority(gssCode: string): Promise<LocalAuthority> {
    return (await this.repo.getAuthority(gssCode)) ?? Promise.reject(notFound('local authority'))
  }

  async updateAuthority(actor: Actor, gssCode: string, input: Record<string, unknown>): Promise<LocalAuthority> {
    const check = new Check()
    const changes = {
      nameEn: check.text('nameEn', 'reference.field.nameEn', input.nameEn, { max: 100 }),
      nameCy: check.text('nameCy', 'reference.field.nameCy', input.nameCy, { max: 100 }),
      directorName: check.text('directorName', 'reference.field.directorName', input.directorName, { required: false, max: 100 }),
      directorEmail: check.email('directorEmail', 'reference.field.directorEmail', input.directorEmail, { required: false }),
      preferredLanguage: check.oneOf('preferredLanguage', 'reference.field.preferredLanguage', input.preferredLanguage, LANGUAGES),
    }
    const version = check.integer('version', 'reference.field.version', input.version, { min: 1 })
    // Absent (as from the API, which does not name it) leaves the link inspector as it is; empty names none.
    const linkInspectorId = input.linkInspectorId === undefined ? undefined
      : input.linkInspectorId === '' || input.linkInspectorId === null ? null
        : check.integer('linkInspectorId', 'team.linkInspector.field', input.linkInspectorId, { min: 1 })
    // Absent (as from an older API client) leaves it as it is; the form always says yes or no.
    const welshMedium = readWelshMedium(check, input.welshMedium)
    check.done()
    return this.database.db.transaction().execute(async (trx) => {
      const repo = referenceRepository(trx)
      const before = await repo.getAuthority(gssCode)
      if (!before) throw notFound('local authority')
      // Only a change is checked, so an authority whose link inspector has since left can still be saved.
      if (linkInspectorId && linkInspectorId !== before.link_inspector_id) {
        const user = await usersRepository(trx).byId(linkInspectorId)
        if (!user || user.role !== 'hmi' || user.disabled) throw validationFailed([{ path: 'linkInspectorId', messageKey: 'team.linkInspector.notHmi' }])
      }
      const after = await repo.updateAuthority(gssCode, version!, { ...changes, linkInspectorId, welshMedium } as Parameters<typeof repo.updateAuthority>[2], this.clock.nowIso())
      if (!after) throw staleEdit()
      await this.audit.record(trx, actor, 'authority.update', { type: 'local_authority', id: gssCode }, changed(before, after))
      return after
    })
  }

  /** Every term of the cycle, by academic year then autumn, spring, summer. */
  async listTerms(): Promise<Term[]> { return inCalendarOrder(await this.repo.listTerms()) }

  async getTerm(key: string): Promise<Term> {
    return (await this.repo.getTerm(key)) ?? Promise.reject(notFound('term'))
  }

  async updateTerm(actor: Actor, key: string, input: Record<string, unknown>): Promise<Term> {
    const check = new Check()
    const startsOn = check.date('startsOn', 'reference.field.startsOn', input.startsOn)
    const endsOn = check.date('endsOn', 'reference.field.endsOn', input.endsOn)
    const version = check.integer('version', 'reference.field.version', input.version, { min: 1 })
    if (startsOn && endsOn && endsOn <= startsOn) check.add('endsOn', 'validation.endAfterStart')
    check.done()
    return this.database.db.transaction().execute(async (trx) => {
      const repo = referenceRepository(trx)
      const before = await repo.getTerm(key)
      if (!before) throw notFound('term')
      // Terms must stay in order: a term may not overlap the one before or after it. Neighbours are
      // found by academic year and season, not by date, so a bad earlier edit cannot reorder them.
      const terms = inCalendarOrder(await repo.listTerms())
      const i = terms.findIndex((t) => t.key === key)
      const prev = terms[i - 1]
      const next = terms[i + 1]
      const overlap = new Check()
      if (prev && startsOn! <= prev.ends_on) overlap.add('startsOn', 'validation.termOverlapsPrevious', { term: prev.key })
      if (next && endsOn! >= next.starts_on) overlap.add('endsOn', 'validation.termOverlapsNext', { term: next.key })
      overlap.done()
      const after = await repo.updateTerm(key, version!, { startsOn: startsOn!, endsOn: endsOn! }, this.clock.nowIso())
      if (!after) throw staleEdit()
      await repo.refreshAcademicYear(after.academic_year)
      await this.audit.record(trx, actor, 'term.update', { type: 'term', id: key }, changed(before, after))
      return after
    })
  }

  listFrameworks(): Promise<Framework[]> { return this.repo.listFrameworks() }

  async getFramework(key: string): Promise<{ framework: Framework; areas: FrameworkArea[] }> {
    const framework = await this.repo.getFramework(key)
    if (!framework) throw notFound('framework')
    return { framework, areas: await this.repo.listFrameworkAreas(key) }
  }

  async updateFramework(actor: Actor, key: string, input: Record<string, unknown>): Promise<Framework> {
    const check = new Check()
    const changes = {
      nameEn: check.text('nameEn', 'reference.field.nameEn', input.nameEn),
      nameCy: check.text('nameCy', 'reference.field.nameCy', input.nameCy),
      effectiveFrom: check.date('effectiveFrom', 'reference.field.effectiveFrom', input.effectiveFrom),
      effectiveTo: check.date('effectiveTo', 'reference.field.effectiveTo', input.effectiveTo, { required: false }),
    }
    const version = check.integer('version', 'reference.field.version', input.version, { min: 1 })
    if (changes.effectiveFrom && changes.effectiveTo && changes.effectiveTo <= changes.effectiveFrom) check.add('effectiveTo', 'validation.endAfterStart')
    const areas = await this.repo.listFrameworkAreas(key)
    const areaNames = areas.map((a) => ({
      code: a.code,
      nameEn: check.text(`area.${a.code}.nameEn`, 'reference.field.areaNameEn', input[`area.${a.code}.nameEn`] ?? a.name_en),
      nameCy: check.text(`area.${a.code}.nameCy`, 'reference.field.areaNameCy', input[`area.${a.code}.nameCy`] ?? a.name_cy),
    }))
    check.done()
    return this.database.db.transaction().execute(async (trx) => {
      const repo = referenceRepository(trx)
      const before = await repo.getFramework(key)
      if (!before) throw notFound('framework')
      const after = await repo.updateFramework(key, version!, changes as Parameters<typeof repo.updateFramework>[2], this.clock.nowIso())
      if (!after) throw staleEdit()
      // Compared with the names as they are now, inside the transaction, so the audit log is exact.
      const current = new Map((await repo.listFrameworkAreas(key)).map((a) => [a.code, a]))
      const renamed = areaNames.filter((n) => {
        const now = current.get(n.code)
        return now !== undefined && (n.nameEn !== now.name_en || n.nameCy !== now.name_cy)
      })
      for (const n of renamed) await repo.updateFrameworkAreaNames(key, n.code, n.nameEn!, n.nameCy!)
      await this.audit.record(trx, actor, 'framework.update', { type: 'framework', id: key }, { ...changed(before, after), areasRenamed: renamed.map((n) => n.code) })
      return after
    })
  }
}

/** Whether an authority is Welsh-medium, as a form (yes/no) or the API (true/false) says; undefined when not said. */
function readWelshMedium(check: Check, value: unknown): 0 | 1 | undefined {
  if (value === undefined) return undefined
  if (value === true || value === 'yes') return 1
  if (value === false || value === 'no' || value === '') return 0
  check.add('welshMedium', 'validation.choice', { field: 'planning.authority.field' })
  return undefined
}

/** Terms by academic year, then autumn, spring, summer. */
export function inCalendarOrder(terms: Term[]): Term[] {
  return [...terms].sort((a, b) => a.academic_year.localeCompare(b.academic_year) || SEASONS.indexOf(a.season) - SEASONS.indexOf(b.season))
}

/** The fields that differ between two versions of a row, for the audit log. */
export function changed<T extends object>(before: T, after: T): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {}
  for (const k of Object.keys(after) as Array<keyof T & string>) {
    if (k === 'version' || k === 'updated_at') continue
    if (before[k] !== after[k]) out[k] = { from: before[k], to: after[k] }
  }
  return out
}

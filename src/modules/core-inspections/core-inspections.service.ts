import type { Database, Db } from '../../db/database.ts'
import type { CoreFindingKind, InspectionMedium, Language } from '../../db/schema.ts'
import type { Clock } from '../../clock.ts'
import { forbidden, notFound, validationFailed, versionConflict, type ErrorDetail } from '../../http/errors.ts'
import type { Actor } from '../auth/actor.ts'
import type { AuditService } from '../audit/audit.service.ts'
import type { ThemesService, ThemeView } from '../themes/themes.service.ts'
import { themeRepository } from '../themes/themes.repository.ts'
import {
  bundleProblems, identityKey, matchArea, parseBundleText, recordReferenceProblems, recordSchemaProblems, sortByPath,
  type Bundle, type BundleCoreInspection, type BundleEffectivePractice, type BundleFinding, type BundleRecommendation, type Part, type ReferenceData,
} from './core-inspections.bundle.ts'
import {
  coreInspectionsRepository, type FindingRow, type InspectionFields, type PracticeRow, type RecommendationRow, type StoredInspection,
} from './core-inspections.repository.ts'

/** A text as recorded: in the language it was written in, with the other language when recorded. */
interface Written { lang: Language; text: string; translation: string | null }

export interface RecommendationView extends Written { id: number; ref: string; textEn: string; textCy: string; themes: ThemeView[] }
export interface FindingView extends Written { id: number; area: string; frameworkAreaCode: string | null; kind: CoreFindingKind; textEn: string; textCy: string; themes: ThemeView[] }
export interface PracticeView extends Written {
  id: number; area: string; frameworkAreaCode: string | null; question: string; questionTranslation: string | null
  questionEn: string; questionCy: string; textEn: string; textCy: string
}

export interface CoreInspectionView {
  id: number
  gssCode: string
  authority: { nameEn: string; nameCy: string }
  academicYear: string
  framework: string | null
  startsOn: string | null
  endsOn: string | null
  reportUrl: string | null
  medium: InspectionMedium | null
  version: number
  createdAt: string
  updatedAt: string | null
  recommendations: RecommendationView[]
  findings: FindingView[]
  effectivePractice: PracticeView[]
}

export interface CoreInspectionSummary {
  id: number
  gssCode: string
  authority: { nameEn: string; nameCy: string }
  academicYear: string
  framework: string | null
  startsOn: string | null
  endsOn: string | null
  medium: InspectionMedium | null
  reportUrl: string | null
  version: number
  counts: { recommendations: number; findings: number; effectivePractice: number }
}

export type ImportOutcome = 'created' | 'updated' | 'unchanged'
export interface ImportResult {
  created: number
  updated: number
  unchanged: number
  /** Keys of the themes the bundle defined that were not recorded yet. */
  themesCreated: string[]
  coreInspections: Array<{ id: number; gssCode: string; academicYear: string; outcome: ImportOutcome }>
}

/** A record as written to the tables: the bundle's record with texts split by language and themes as theme ids. */
interface Normalised {
  fields: InspectionFields
  recommendations: Array<RecommendationRow & { themeIds: number[] }>
  findings: Array<FindingRow & { themeIds: number[] }>
  practice: PracticeRow[]
}

/** The row ids items stand for, by position (undefined: a new row). */
type RowIds = Record<Part, Array<number | undefined>>

type ThemeLookup = (key: string) => ThemeView | undefined

const byLang = (lang: Language, text: string, translation: string | undefined) =>
  lang === 'en' ? { en: text.trim(), cy: translation?.trim() ?? '' } : { en: translation?.trim() ?? '', cy: text.trim() }
const written = (lang: Language, en: string, cy: string): Written =>
  ({ lang, text: lang === 'en' ? en : cy, translation: (lang === 'en' ? cy : en) || null })
const sortedIds = (ids: Iterable<number>) => [...new Set(ids)].sort((a, b) => a - b)

function requireAdmin(actor: Actor): void {
  if (actor.kind === 'user' && actor.role !== 'admin') throw forbidden()
}

/**
 * Core inspections as records: each authority's inspection in an academic year with its
 * recommendations, findings and effective practice. Written by forms, the API and bundle imports
 * through one path: the record is checked whole, then the stored rows are brought in line with it
 * in place (rows keep their ids where they can: recommendations by ref, other rows by position).
 */
export class CoreInspectionsService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly themes: ThemesService,
  ) {}

  async list(year?: string): Promise<CoreInspectionSummary[]> {
    const rows = await coreInspectionsRepository(this.database.db).list(year)
    return rows.map((r) => ({
      id: r.id, gssCode: r.authority_code, authority: { nameEn: r.name_en, nameCy: r.name_cy }, academicYear: r.academic_year,
      framework: r.framework_key, startsOn: r.starts_on, endsOn: r.ends_on, medium: r.medium, reportUrl: r.report_url, version: r.version,
      counts: { recommendations: r.recommendations, findings: r.findings, effectivePractice: r.practice },
    }))
  }

  years(): Promise<string[]> {
    return coreInspectionsRepository(this.database.db).years()
  }

  /** Every inspection of a year in full, by authority name. */
  async forYear(year: string): Promise<CoreInspectionView[]> {
    const summaries = await this.list(year)
    return Promise.all(summaries.map((s) => this.get(s.id)))
  }

  async get(id: number, db: Db = this.database.db): Promise<CoreInspectionView> {
    const stored = await coreInspectionsRepository(db).load(id)
    if (!stored) throw notFound('core inspection')
    return this.toView(stored, await this.themeById(db))
  }

  /** The inspection as a bundle record: what an export would hold, and what forms edit. */
  static toRecord(v: CoreInspectionView): BundleCoreInspection {
    const opt = <T>(value: T | null) => (value === null ? undefined : value)
    return {
      gssCode: v.gssCode,
      academicYear: v.academicYear,
      framework: opt(v.framework),
      startsOn: opt(v.startsOn),
      endsOn: opt(v.endsOn),
      reportUrl: opt(v.reportUrl),
      medium: opt(v.medium),
      recommendations: v.recommendations.map((r) => ({ ref: r.ref, text: r.text, lang: r.lang, translation: opt(r.translation), themes: r.themes.map((t) => t.key) })),
      findings: v.findings.map((f) => ({ area: f.area, kind: f.kind, text: f.text, lang: f.lang, translation: opt(f.translation), themes: f.themes.map((t) => t.key) })),
      effectivePractice: v.effectivePractice.map((p) => ({
        area: p.area, question: p.question, text: p.text, lang: p.lang, questionTranslation: opt(p.questionTranslation), translation: opt(p.translation),
      })),
    }
  }

  /** Records a new core inspection (its parts may be empty, to be added one at a time). */
  async create(actor: Actor, input: unknown, source: 'form' | 'api' = 'api'): Promise<CoreInspectionView> {
    requireAdmin(actor)
    return this.database.db.transaction().execute(async (trx) => {
      const ref = await this.referenceData(trx)
      const problems = [...recordSchemaProblems(input), ...recordReferenceProblems(input, '', ref)]
      await this.identityProblems(trx, input, null, problems)
      if (problems.length) throw validationFailed(sortByPath(problems))
      const record = input as BundleCoreInspection
      const normalised = this.normalise(record, await this.themes.current(trx), ref)
      const id = await this.write(trx, null, normalised, emptyIds(), undefined, null)
      await this.audit.record(trx, actor, 'core_inspection.create', { type: 'core_inspection', id }, { source, ...auditSummary(normalised) })
      return this.get(id, trx)
    })
  }

  /**
   * Replaces an inspection with the record given, version-checked. Rows are matched as an
   * import matches them, unless `rowIds` says which stored row each item is (the forms do).
   */
  async update(actor: Actor, id: number, input: unknown, version: unknown, opts: { source?: 'form' | 'api'; rowIds?: RowIds; relativeTo?: string } = {}): Promise<CoreInspectionView> {
    requireAdmin(actor)
    const expected = typeof version === 'number' ? version : typeof version === 'string' && /^\d+$/.test(version) ? Number(version) : NaN
    if (!Number.isInteger(expected)) throw validationFailed([{ path: '/version', messageKey: 'coreInspections.problem.version' }])
    return this.database.db.transaction().execute(async (trx) => {
      const repo = coreInspectionsRepository(trx)
      const stored = await repo.load(id)
      if (!stored) throw notFound('core inspection')
      if (stored.inspection.version !== expected) throw versionConflict('This core inspection was changed by someone else after you opened it: nothing was saved.')
      const ref = await this.referenceData(trx)
      // Recommendations cited by focus areas stay, under whatever identity the record now has.
      const citedHere = ref.cited.get(identityKey(stored.inspection.authority_code, stored.inspection.academic_year)) ?? new Set<string>()
      const scoped: ReferenceData = { ...ref, cited: isRecordLike(input) ? new Map([[identityKey(String(input.gssCode), String(input.academicYear)), citedHere]]) : ref.cited }
      let problems = [...recordSchemaProblems(input), ...recordReferenceProblems(input, '', scoped)]
      await this.identityProblems(trx, input, stored, problems, citedHere.size > 0)
      if (opts.relativeTo) problems = relative(problems, opts.relativeTo)
      if (problems.length) throw validationFailed(sortByPath(problems))
      const record = input as BundleCoreInspection
      const normalised = this.normalise(record, await this.themes.current(trx), ref)
      const current = this.fromStored(stored, await this.currentThemeIds(trx))
      if (same(current, normalised)) return this.get(id, trx)
      const rowIds = opts.rowIds ?? matchRows(stored, normalised)
      await this.write(trx, id, normalised, rowIds, stored, expected)
      await this.audit.record(trx, actor, 'core_inspection.update', { type: 'core_inspection', id }, {
        source: opts.source ?? 'api', changed: changedParts(current, normalised), ...auditSummary(normalised),
      })
      return this.get(id, trx)
    })
  }

  /**
   * Adds a row to one part of an inspection (`rowId` null) or changes one, from a form: the item is
   * in the bundle's shape. Problems are reported relative to the item (`/text`, `/themes/0`).
   */
  async savePart(actor: Actor, id: number, part: Part, rowId: number | null, item: unknown, version: unknown): Promise<{ view: CoreInspectionView; rowId: number }> {
    const view = await this.get(id)
    const record = CoreInspectionsService.toRecord(view)
    const rowIds = idsOf(view)
    const rows = record[part] as unknown[]
    let index = rows.length
    if (rowId === null) {
      rows.push(item)
      rowIds[part].push(undefined)
    } else {
      index = rowIds[part].indexOf(rowId)
      if (index < 0) throw notFound('row')
      rows[index] = item
    }
    const after = await this.update(actor, id, record, version, { source: 'form', rowIds, relativeTo: `/${part}/${index}` })
    const saved = (after[part] as Array<{ id: number }>)[index]
    return { view: after, rowId: saved?.id ?? 0 }
  }

  async removePart(actor: Actor, id: number, part: Part, rowId: number, version: unknown): Promise<CoreInspectionView> {
    const view = await this.get(id)
    const record = CoreInspectionsService.toRecord(view)
    const rowIds = idsOf(view)
    const index = rowIds[part].indexOf(rowId)
    if (index < 0) throw notFound('row')
    ;(record[part] as unknown[]).splice(index, 1)
    rowIds[part].splice(index, 1)
    return this.update(actor, id, record, version, { source: 'form', rowIds })
  }

  /** Changes an inspection's own fields from a form, keeping its parts. */
  async saveDetails(actor: Actor, id: number, details: Record<string, unknown>, version: unknown): Promise<CoreInspectionView> {
    const view = await this.get(id)
    const { recommendations, findings, effectivePractice } = CoreInspectionsService.toRecord(view)
    return this.update(actor, id, { ...details, recommendations, findings, effectivePractice }, version, { source: 'form', rowIds: idsOf(view) })
  }

  /** Every problem with a bundle, checked against the records as they are now; empty when it may be imported. */
  async check(bundle: unknown): Promise<ErrorDetail[]> {
    return bundleProblems(bundle, await this.referenceData(this.database.db))
  }

  /** Imports a bundle's text (JSON), as uploaded or pasted. */
  async importText(actor: Actor, text: string): Promise<ImportResult> {
    const parsed = parseBundleText(text)
    if (!parsed.ok) throw validationFailed([parsed.problem])
    return this.importBundle(actor, parsed.value)
  }

  /**
   * Imports a bundle: all or nothing, in one transaction. Every problem refuses the whole bundle;
   * otherwise themes it defines are created if missing, and each inspection is created, updated
   * in place, or left alone when nothing in it changed (then nothing at all is written).
   */
  async importBundle(actor: Actor, bundle: unknown): Promise<ImportResult> {
    requireAdmin(actor)
    return this.database.db.transaction().execute(async (trx) => {
      const ref = await this.referenceData(trx)
      const problems = bundleProblems(bundle, ref)
      if (problems.length) throw validationFailed(problems)
      const { themes = [], coreInspections } = bundle as Bundle
      const now = this.clock.nowIso()

      const themesCreated: string[] = []
      const known = await this.themes.current(trx)
      const themeRepo = themeRepository(trx)
      for (const t of themes) {
        if (known(t.key) || (await themeRepo.byKey(t.key))) continue
        await themeRepo.insert({ key: t.key, labelEn: t.en.trim(), labelCy: t.cy.trim() }, now)
        await this.audit.record(trx, actor, 'theme.create', { type: 'theme', id: t.key }, { labelEn: t.en.trim(), labelCy: t.cy.trim(), source: 'core_inspections.import' })
        themesCreated.push(t.key)
      }
      const lookup = await this.themes.current(trx)
      const currentIds = await this.currentThemeIds(trx)
      const repo = coreInspectionsRepository(trx)
      const identities = await repo.identities()

      const result: ImportResult = { created: 0, updated: 0, unchanged: 0, themesCreated, coreInspections: [] }
      for (const record of coreInspections) {
        const normalised = this.normalise(record, lookup, ref)
        const existingId = identities.get(identityKey(record.gssCode, record.academicYear))
        let outcome: ImportOutcome
        let id: number
        if (existingId === undefined) {
          id = await this.write(trx, null, normalised, emptyIds(), undefined, null)
          await this.audit.record(trx, actor, 'core_inspection.create', { type: 'core_inspection', id }, { source: 'import', ...auditSummary(normalised) })
          outcome = 'created'
        } else {
          id = existingId
          const stored = (await repo.load(id))!
          const current = this.fromStored(stored, currentIds)
          if (same(current, normalised)) outcome = 'unchanged'
          else {
            await this.write(trx, id, normalised, matchRows(stored, normalised), stored, null)
            await this.audit.record(trx, actor, 'core_inspection.update', { type: 'core_inspection', id }, {
              source: 'import', changed: changedParts(current, normalised), ...auditSummary(normalised),
            })
            outcome = 'updated'
          }
        }
        result[outcome]++
        result.coreInspections.push({ id, gssCode: record.gssCode, academicYear: record.academicYear, outcome })
      }
      // A bundle that changed nothing leaves no trace: importing it again is a no-op.
      if (result.created || result.updated || themesCreated.length) {
        await this.audit.record(trx, actor, 'core_inspection.import', { type: 'core_inspection', id: 'bundle' }, {
          created: result.created, updated: result.updated, unchanged: result.unchanged, themesCreated,
        })
      }
      return result
    })
  }

  /** What records are checked against, read in the transaction that writes them. */
  private async referenceData(db: Db): Promise<ReferenceData> {
    const repo = coreInspectionsRepository(db)
    const [authorities, frameworks, current, cited] = await Promise.all([repo.authorities(), repo.frameworks(), this.themes.current(db), repo.citedRecommendations()])
    return { authorities, frameworks, themeKnown: (key) => current(key) !== undefined, cited }
  }

  /** Another inspection with the same authority and year; an authority changed under cited recommendations. */
  private async identityProblems(db: Db, input: unknown, stored: StoredInspection | null, problems: ErrorDetail[], cited = false): Promise<void> {
    if (!isRecordLike(input)) return
    const gss = String(input.gssCode)
    const year = String(input.academicYear)
    const other = await coreInspectionsRepository(db).idOf(gss, year)
    if (other && other.id !== stored?.inspection.id) problems.push({ path: '/academicYear', messageKey: 'coreInspections.problem.identityTaken', params: { code: gss, year } })
    if (stored && cited && gss !== stored.inspection.authority_code) problems.push({ path: '/gssCode', messageKey: 'coreInspections.problem.citedAuthority' })
  }

  private normalise(record: BundleCoreInspection, themes: ThemeLookup, ref: ReferenceData): Normalised {
    const areas = record.framework ? ref.frameworks.get(record.framework) ?? [] : []
    const themeIds = (keys: string[] | undefined) => sortedIds((keys ?? []).map((k) => themes(k)!.id))
    return {
      fields: {
        authorityCode: record.gssCode, academicYear: record.academicYear, frameworkKey: record.framework ?? null,
        startsOn: record.startsOn ?? null, endsOn: record.endsOn ?? null, reportUrl: record.reportUrl?.trim() ?? null, medium: record.medium ?? null,
      },
      recommendations: record.recommendations.map((r: BundleRecommendation, position) => {
        const lang = r.lang ?? 'en'
        const text = byLang(lang, r.text, r.translation)
        return { code: r.ref, textEn: text.en, textCy: text.cy, lang, position, themeIds: themeIds(r.themes) }
      }),
      findings: record.findings.map((f: BundleFinding, position) => {
        const lang = f.lang ?? 'en'
        const text = byLang(lang, f.text, f.translation)
        return { area: f.area.trim(), frameworkAreaCode: matchArea(areas, f.area), kind: f.kind, textEn: text.en, textCy: text.cy, lang, position, themeIds: themeIds(f.themes) }
      }),
      practice: record.effectivePractice.map((p: BundleEffectivePractice, position) => {
        const lang = p.lang ?? 'en'
        const question = byLang(lang, p.question, p.questionTranslation)
        const text = byLang(lang, p.text, p.translation)
        return { area: p.area.trim(), frameworkAreaCode: matchArea(areas, p.area), questionEn: question.en, questionCy: question.cy, textEn: text.en, textCy: text.cy, lang, position }
      }),
    }
  }

  private fromStored(s: StoredInspection, currentId: (id: number) => number): Normalised {
    const i = s.inspection
    const ids = (list: number[] | undefined) => sortedIds((list ?? []).map(currentId))
    return {
      fields: {
        authorityCode: i.authority_code, academicYear: i.academic_year, frameworkKey: i.framework_key, startsOn: i.starts_on, endsOn: i.ends_on,
        reportUrl: i.report_url, medium: i.medium,
      },
      // Positions as stored: rows written elsewhere (before positions were kept) are renumbered by the next write.
      recommendations: s.recommendations.map((r) => ({
        code: r.code, textEn: r.text_en, textCy: r.text_cy, lang: r.lang, position: r.position, themeIds: ids(s.recommendationThemes.get(r.id)),
      })),
      findings: s.findings.map((f) => ({
        area: f.area, frameworkAreaCode: f.framework_area_code, kind: f.kind, textEn: f.text_en, textCy: f.text_cy, lang: f.lang, position: f.position,
        themeIds: ids(s.findingThemes.get(f.id)),
      })),
      practice: s.practice.map((p) => ({
        area: p.area, frameworkAreaCode: p.framework_area_code, questionEn: p.question_en, questionCy: p.question_cy, textEn: p.text_en, textCy: p.text_cy,
        lang: p.lang, position: p.position,
      })),
    }
  }

  /**
   * Brings the stored rows in line with the record: rows named in `rowIds` are updated when they
   * differ, other stored rows deleted, items without a row inserted. Returns the inspection's id.
   */
  private async write(db: Db, id: number | null, n: Normalised, rowIds: RowIds, stored: StoredInspection | undefined, version: number | null): Promise<number> {
    const repo = coreInspectionsRepository(db)
    const now = this.clock.nowIso()
    let inspectionId: number
    if (id === null) inspectionId = await repo.insertInspection(n.fields, now)
    else {
      inspectionId = id
      if (!(await repo.updateInspection(id, n.fields, version, now))) {
        throw versionConflict('This core inspection was changed by someone else after you opened it: nothing was saved.')
      }
    }
    const before = stored ? this.fromStored(stored, (x) => x) : undefined

    // Recommendations: removed rows go first and changed codes are parked, so codes can move between rows.
    await syncRows({
      stored: stored?.recommendations ?? [], before: before?.recommendations ?? [], items: n.recommendations, rowIds: rowIds.recommendations,
      remove: (ids) => repo.deleteRecommendations(ids),
      park: async (rowId, was, item) => { if (was?.code !== item.code) await repo.parkRecommendationCode(rowId) },
      insert: (item) => repo.insertRecommendation(inspectionId, item),
      update: (rowId, item) => repo.updateRecommendation(rowId, item),
      setThemes: (rowId, item) => repo.setRecommendationThemes(rowId, item.themeIds),
    })
    await syncRows({
      stored: stored?.findings ?? [], before: before?.findings ?? [], items: n.findings, rowIds: rowIds.findings,
      remove: (ids) => repo.deleteFindings(ids),
      insert: (item) => repo.insertFinding(inspectionId, item),
      update: (rowId, item) => repo.updateFinding(rowId, item),
      setThemes: (rowId, item) => repo.setFindingThemes(rowId, item.themeIds),
    })
    await syncRows({
      stored: stored?.practice ?? [], before: before?.practice ?? [], items: n.practice, rowIds: rowIds.effectivePractice,
      remove: (ids) => repo.deletePractice(ids),
      insert: (item) => repo.insertPractice(inspectionId, item),
      update: (rowId, item) => repo.updatePractice(rowId, item),
    })
    return inspectionId
  }

  /** Each theme's id as it stands today: a merged theme's id gives the theme it was merged into. */
  private async currentThemeIds(db: Db): Promise<(id: number) => number> {
    const all = await this.themes.listAll(db)
    const map = new Map(all.map((t) => [t.id, t.mergedInto?.id ?? t.id]))
    return (id) => map.get(id) ?? id
  }

  private async themeById(db: Db): Promise<(id: number) => ThemeView | undefined> {
    const all = await this.themes.listAll(db)
    const map = new Map(all.map((t) => [t.id, t.mergedInto ?? { id: t.id, key: t.key, labelEn: t.labelEn, labelCy: t.labelCy }]))
    return (id) => map.get(id)
  }

  private toView(s: StoredInspection, theme: (id: number) => ThemeView | undefined): CoreInspectionView {
    const i = s.inspection
    const themesOf = (ids: number[] | undefined) => {
      const found = new Map<number, ThemeView>()
      for (const id of ids ?? []) {
        const t = theme(id)
        if (t) found.set(t.id, t)
      }
      return [...found.values()]
    }
    return {
      id: i.id, gssCode: i.authority_code, authority: { nameEn: i.name_en, nameCy: i.name_cy }, academicYear: i.academic_year,
      framework: i.framework_key, startsOn: i.starts_on, endsOn: i.ends_on, reportUrl: i.report_url, medium: i.medium, version: i.version,
      createdAt: i.created_at, updatedAt: i.updated_at,
      recommendations: s.recommendations.map((r) => ({
        id: r.id, ref: r.code, ...written(r.lang, r.text_en, r.text_cy), textEn: r.text_en, textCy: r.text_cy, themes: themesOf(s.recommendationThemes.get(r.id)),
      })),
      findings: s.findings.map((f) => ({
        id: f.id, area: f.area, frameworkAreaCode: f.framework_area_code, kind: f.kind, ...written(f.lang, f.text_en, f.text_cy),
        textEn: f.text_en, textCy: f.text_cy, themes: themesOf(s.findingThemes.get(f.id)),
      })),
      effectivePractice: s.practice.map((p) => {
        const q = written(p.lang, p.question_en, p.question_cy)
        return {
          id: p.id, area: p.area, frameworkAreaCode: p.framework_area_code, question: q.text, questionTranslation: q.translation,
          ...written(p.lang, p.text_en, p.text_cy), questionEn: p.question_en, questionCy: p.question_cy, textEn: p.text_en, textCy: p.text_cy,
        }
      }),
    }
  }
}

const emptyIds = (): RowIds => ({ recommendations: [], findings: [], effectivePractice: [] })
const idsOf = (v: CoreInspectionView): RowIds => ({
  recommendations: v.recommendations.map((r) => r.id), findings: v.findings.map((f) => f.id), effectivePractice: v.effectivePractice.map((p) => p.id),
})

function isRecordLike(v: unknown): v is { gssCode: string; academicYear: string } {
  return typeof v === 'object' && v !== null && typeof (v as { gssCode?: unknown }).gssCode === 'string' && typeof (v as { academicYear?: unknown }).academicYear === 'string'
}

/** An import's rows: recommendations by ref, findings and effective practice by position. */
function matchRows(stored: StoredInspection, n: Normalised): RowIds {
  const byCode = new Map(stored.recommendations.map((r) => [r.code, r.id]))
  return {
    recommendations: n.recommendations.map((r) => byCode.get(r.code)),
    findings: n.findings.map((_, i) => stored.findings[i]?.id),
    effectivePractice: n.practice.map((_, i) => stored.practice[i]?.id),
  }
}

const same = (a: Normalised, b: Normalised) => JSON.stringify(a) === JSON.stringify(b)
const sameIds = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i])

/**
 * One kind of child row brought in line with the record: stored rows not named in `rowIds` are
 * deleted, items without a row inserted, named rows updated only where they differ (their themes
 * apart), so an unchanged record writes nothing. `before[i]` is `stored[i]` in the record's shape.
 */
async function syncRows<T extends object & { themeIds?: number[] }>(rows: {
  stored: ReadonlyArray<{ id: number }>
  before: readonly T[]
  items: readonly T[]
  rowIds: ReadonlyArray<number | undefined>
  remove(ids: number[]): Promise<unknown>
  /** Before any update, e.g. to free a unique code that another row is taking. */
  park?(rowId: number, was: T | undefined, item: T): Promise<void>
  insert(item: T): Promise<number>
  update(rowId: number, item: T): Promise<unknown>
  setThemes?(rowId: number, item: T): Promise<unknown>
}): Promise<void> {
  const keep = new Set(rows.rowIds.filter((x): x is number => x !== undefined))
  await rows.remove(rows.stored.filter((r) => !keep.has(r.id)).map((r) => r.id))
  const storedAs = new Map(rows.stored.map((r, i) => [r.id, rows.before[i]!]))
  if (rows.park) {
    for (const [i, item] of rows.items.entries()) {
      const rowId = rows.rowIds[i]
      if (rowId !== undefined) await rows.park(rowId, storedAs.get(rowId), item)
    }
  }
  for (const [i, item] of rows.items.entries()) {
    const rowId = rows.rowIds[i]
    if (rowId === undefined) {
      const newId = await rows.insert(item)
      await rows.setThemes?.(newId, item)
      continue
    }
    const was = storedAs.get(rowId)
    if (!was || !sameRow(was, item, ['themeIds'])) await rows.update(rowId, item)
    if (rows.setThemes && (!was || !sameIds(was.themeIds ?? [], item.themeIds ?? []))) await rows.setThemes(rowId, item)
  }
}

function sameRow<T extends object>(a: T, b: T, ignore: Array<keyof T>): boolean {
  return (Object.keys(a) as Array<keyof T>).every((k) => ignore.includes(k) || a[k] === b[k])
}

function changedParts(a: Normalised, b: Normalised): string[] {
  const parts: Array<keyof Normalised> = ['fields', 'recommendations', 'findings', 'practice']
  return parts.filter((p) => JSON.stringify(a[p]) !== JSON.stringify(b[p])).map((p) => (p === 'fields' ? 'details' : p === 'practice' ? 'effectivePractice' : p))
}

function auditSummary(n: Normalised) {
  return {
    authority: n.fields.authorityCode, academicYear: n.fields.academicYear,
    recommendations: n.recommendations.map((r) => r.code), findings: n.findings.length, effectivePractice: n.practice.length,
  }
}

/** Problems about one item of a part, made relative to it (`/findings/3/text` becomes `/text`); others as they are. */
function relative(problems: ErrorDetail[], prefix: string): ErrorDetail[] {
  return problems.map((d) => (d.path === prefix || d.path.startsWith(`${prefix}/`) ? { ...d, path: d.path.slice(prefix.length) || '/' } : d))
}

import type { Db } from '../../db/database.ts'
import type { CoreEffectivePractice, CoreFinding, CoreFindingKind, CoreInspection, CoreRecommendation, InspectionMedium, Language } from '../../db/schema.ts'

/** A core inspection's own fields as the service writes them. */
export interface InspectionFields {
  authorityCode: string
  academicYear: string
  frameworkKey: string | null
  startsOn: string | null
  endsOn: string | null
  reportUrl: string | null
  medium: InspectionMedium | null
}

export interface RecommendationRow { code: string; textEn: string; textCy: string; lang: Language; position: number }
export interface FindingRow { area: string; frameworkAreaCode: string | null; kind: CoreFindingKind; textEn: string; textCy: string; lang: Language; position: number }
export interface PracticeRow { area: string; frameworkAreaCode: string | null; questionEn: string; questionCy: string; textEn: string; textCy: string; lang: Language; position: number }

export type InspectionListRow = CoreInspection & { name_en: string; name_cy: string; recommendations: number; findings: number; practice: number }

/** Everything recorded of one inspection, its rows in order, each row's themes by theme id. */
export interface StoredInspection {
  inspection: CoreInspection & { name_en: string; name_cy: string }
  recommendations: CoreRecommendation[]
  findings: CoreFinding[]
  practice: CoreEffectivePractice[]
  recommendationThemes: Map<number, number[]>
  findingThemes: Map<number, number[]>
}

function groupThemes(rows: Array<{ owner: number; theme_id: number }>): Map<number, number[]> {
  const map = new Map<number, number[]>()
  for (const r of rows) map.set(r.owner, [...(map.get(r.owner) ?? []), r.theme_id])
  for (const ids of map.values()) ids.sort((a, b) => a - b)
  return map
}

const recommendationValues = (r: RecommendationRow) => ({ code: r.code, text_en: r.textEn, text_cy: r.textCy, lang: r.lang, position: r.position })
const findingValues = (f: FindingRow) => ({
  position: f.position, area: f.area, framework_area_code: f.frameworkAreaCode, kind: f.kind, text_en: f.textEn, text_cy: f.textCy, lang: f.lang,
})
const practiceValues = (p: PracticeRow) => ({
  position: p.position, area: p.area, framework_area_code: p.frameworkAreaCode, question_en: p.questionEn, question_cy: p.questionCy, text_en: p.textEn, text_cy: p.textCy, lang: p.lang,
})

export function coreInspectionsRepository(db: Db) {
  return {
    /** The inspections of a year (or all), by year, newest first, then by authority; with how many rows each has. */
    async list(year?: string): Promise<InspectionListRow[]> {
      let q = db.selectFrom('core_inspection as ci').innerJoin('local_authority as la', 'la.gss_code', 'ci.authority_code')
        .selectAll('ci').select(['la.name_en', 'la.name_cy'])
        .select((eb) => [
          eb.selectFrom('core_recommendation').whereRef('core_inspection_id', '=', 'ci.id').select((e) => e.fn.countAll<number>().as('n')).as('recommendations'),
          eb.selectFrom('core_finding').whereRef('core_inspection_id', '=', 'ci.id').select((e) => e.fn.countAll<number>().as('n')).as('findings'),
          eb.selectFrom('core_effective_practice').whereRef('core_inspection_id', '=', 'ci.id').select((e) => e.fn.countAll<number>().as('n')).as('practice'),
        ])
      if (year) q = q.where('ci.academic_year', '=', year)
      const rows = await q.orderBy('ci.academic_year', 'desc').orderBy('la.name_en').execute()
      return rows.map((r) => ({ ...r, recommendations: Number(r.recommendations ?? 0), findings: Number(r.findings ?? 0), practice: Number(r.practice ?? 0) }))
    },

    /** The academic years with at least one inspection, newest first. */
    async years(): Promise<string[]> {
      const rows = await db.selectFrom('core_inspection').select('academic_year').distinct().orderBy('academic_year', 'desc').execute()
      return rows.map((r) => r.academic_year)
    },

    idOf(authorityCode: string, academicYear: string): Promise<{ id: number } | undefined> {
      return db.selectFrom('core_inspection').select('id').where('authority_code', '=', authorityCode).where('academic_year', '=', academicYear).executeTakeFirst()
    },

    /** Ids of the recorded inspections, by `authority year`. */
    async identities(): Promise<Map<string, number>> {
      const rows = await db.selectFrom('core_inspection').select(['id', 'authority_code', 'academic_year']).execute()
      return new Map(rows.map((r) => [`${r.authority_code} ${r.academic_year}`, r.id]))
    },

    async load(id: number): Promise<StoredInspection | undefined> {
      const inspection = await db.selectFrom('core_inspection as ci').innerJoin('local_authority as la', 'la.gss_code', 'ci.authority_code')
        .selectAll('ci').select(['la.name_en', 'la.name_cy']).where('ci.id', '=', id).executeTakeFirst()
      if (!inspection) return undefined
      const [recommendations, findings, practice, recommendationThemes, findingThemes] = await Promise.all([
        db.selectFrom('core_recommendation').selectAll().where('core_inspection_id', '=', id).orderBy('position').orderBy('id').execute(),
        db.selectFrom('core_finding').selectAll().where('core_inspection_id', '=', id).orderBy('position').orderBy('id').execute(),
        db.selectFrom('core_effective_practice').selectAll().where('core_inspection_id', '=', id).orderBy('position').orderBy('id').execute(),
        db.selectFrom('core_recommendation_theme as t').innerJoin('core_recommendation as r', 'r.id', 't.recommendation_id')
          .select(['t.recommendation_id as owner', 't.theme_id']).where('r.core_inspection_id', '=', id).execute(),
        db.selectFrom('core_finding_theme as t').innerJoin('core_finding as f', 'f.id', 't.finding_id')
          .select(['t.finding_id as owner', 't.theme_id']).where('f.core_inspection_id', '=', id).execute(),
      ])
      return { inspection, recommendations, findings, practice, recommendationThemes: groupThemes(recommendationThemes), findingThemes: groupThemes(findingThemes) }
    },

    /** Recommendation codes cited by a focus area, by `authority year`: removing one would break the citation. */
    async citedRecommendations(): Promise<Map<string, Set<string>>> {
      const rows = await db.selectFrom('focus_area as fa').innerJoin('core_recommendation as r', 'r.id', 'fa.recommendation_id')
        .innerJoin('core_inspection as ci', 'ci.id', 'r.core_inspection_id')
        .select(['ci.authority_code', 'ci.academic_year', 'r.code']).distinct().execute()
      const map = new Map<string, Set<string>>()
      for (const r of rows) {
        const key = `${r.authority_code} ${r.academic_year}`
        map.set(key, (map.get(key) ?? new Set()).add(r.code))
      }
      return map
    },

    async insertInspection(f: InspectionFields, now: string): Promise<number> {
      const row = await db.insertInto('core_inspection').values({
        authority_code: f.authorityCode, academic_year: f.academicYear, framework_key: f.frameworkKey, starts_on: f.startsOn, ends_on: f.endsOn,
        report_url: f.reportUrl, medium: f.medium, version: 1, created_at: now, updated_at: now,
      }).returning('id').executeTakeFirstOrThrow()
      return row.id
    },

    /** Version-checked when `version` is given (an edit); false when someone else saved first. */
    async updateInspection(id: number, f: InspectionFields, version: number | null, now: string): Promise<boolean> {
      let q = db.updateTable('core_inspection').set((eb) => ({
        authority_code: f.authorityCode, academic_year: f.academicYear, framework_key: f.frameworkKey, starts_on: f.startsOn, ends_on: f.endsOn,
        report_url: f.reportUrl, medium: f.medium, updated_at: now, version: eb('version', '+', 1),
      })).where('id', '=', id)
      if (version !== null) q = q.where('version', '=', version)
      const result = await q.executeTakeFirst()
      return Number(result.numUpdatedRows) === 1
    },

    async insertRecommendation(inspectionId: number, r: RecommendationRow): Promise<number> {
      return (await db.insertInto('core_recommendation').values({ core_inspection_id: inspectionId, ...recommendationValues(r) }).returning('id').executeTakeFirstOrThrow()).id
    },
    async updateRecommendation(id: number, r: RecommendationRow): Promise<void> {
      await db.updateTable('core_recommendation').set(recommendationValues(r)).where('id', '=', id).execute()
    },
    /** Moves a row's code aside, so codes can be swapped between rows without breaking their uniqueness. */
    async parkRecommendationCode(id: number): Promise<void> {
      await db.updateTable('core_recommendation').set({ code: `~${id}` }).where('id', '=', id).execute()
    },
    async deleteRecommendations(ids: number[]): Promise<void> {
      if (ids.length) await db.deleteFrom('core_recommendation').where('id', 'in', ids).execute()
    },

    async insertFinding(inspectionId: number, f: FindingRow): Promise<number> {
      return (await db.insertInto('core_finding').values({ core_inspection_id: inspectionId, ...findingValues(f) }).returning('id').executeTakeFirstOrThrow()).id
    },
    async updateFinding(id: number, f: FindingRow): Promise<void> {
      await db.updateTable('core_finding').set(findingValues(f)).where('id', '=', id).execute()
    },
    async deleteFindings(ids: number[]): Promise<void> {
      if (ids.length) await db.deleteFrom('core_finding').where('id', 'in', ids).execute()
    },

    async insertPractice(inspectionId: number, p: PracticeRow): Promise<number> {
      return (await db.insertInto('core_effective_practice').values({ core_inspection_id: inspectionId, ...practiceValues(p) }).returning('id').executeTakeFirstOrThrow()).id
    },
    async updatePractice(id: number, p: PracticeRow): Promise<void> {
      await db.updateTable('core_effective_practice').set(practiceValues(p)).where('id', '=', id).execute()
    },
    async deletePractice(ids: number[]): Promise<void> {
      if (ids.length) await db.deleteFrom('core_effective_practice').where('id', 'in', ids).execute()
    },

    async setRecommendationThemes(id: number, themeIds: number[]): Promise<void> {
      await db.deleteFrom('core_recommendation_theme').where('recommendation_id', '=', id).execute()
      if (themeIds.length) await db.insertInto('core_recommendation_theme').values(themeIds.map((theme_id) => ({ recommendation_id: id, theme_id }))).execute()
    },
    async setFindingThemes(id: number, themeIds: number[]): Promise<void> {
      await db.deleteFrom('core_finding_theme').where('finding_id', '=', id).execute()
      if (themeIds.length) await db.insertInto('core_finding_theme').values(themeIds.map((theme_id) => ({ finding_id: id, theme_id }))).execute()
    },

    /** Authorities by GSS code with their names. */
    async authorities(): Promise<Map<string, { nameEn: string; nameCy: string }>> {
      const rows = await db.selectFrom('local_authority').select(['gss_code', 'name_en', 'name_cy']).execute()
      return new Map(rows.map((r) => [r.gss_code, { nameEn: r.name_en, nameCy: r.name_cy }]))
    },

    /** Every framework with its areas in order. */
    async frameworks(): Promise<Map<string, Array<{ code: string; nameEn: string; nameCy: string }>>> {
      const [frameworks, areas] = await Promise.all([
        db.selectFrom('framework').select('key').orderBy('effective_from', 'desc').execute(),
        db.selectFrom('framework_area').select(['framework_key', 'code', 'name_en', 'name_cy']).orderBy('framework_key').orderBy('position').execute(),
      ])
      const map = new Map<string, Array<{ code: string; nameEn: string; nameCy: string }>>(frameworks.map((f) => [f.key, []]))
      for (const a of areas) map.get(a.framework_key)?.push({ code: a.code, nameEn: a.name_en, nameCy: a.name_cy })
      return map
    },
  }
}

import type { Db } from '../db/database.ts'

export interface DemoCoreInspection {
  authorityCode: string
  academicYear: string
  frameworkKey: string
  startsOn: string
  endsOn: string
  reportUrl: string | null
  recommendations: Array<{ code: string; textEn: string; textCy: string }>
}

/**
 * The demo's own writes for which no service exists yet: a core inspection and its
 * recommendations (a later capability records real ones). Callers run it in a transaction.
 */
export function demoRepository(db: Db) {
  return {
    async coreInspectionCount(authorityCode: string): Promise<number> {
      const row = await db.selectFrom('core_inspection').select((eb) => eb.fn.countAll().as('n')).where('authority_code', '=', authorityCode).executeTakeFirst()
      return Number(row?.n ?? 0)
    },

    /** Inserts the inspection and its recommendations; answers the recommendations' ids by code. */
    async insertCoreInspection(v: DemoCoreInspection, now: string): Promise<{ id: number; recommendationIds: Map<string, number> }> {
      const inspection = await db.insertInto('core_inspection').values({
        authority_code: v.authorityCode, academic_year: v.academicYear, framework_key: v.frameworkKey,
        starts_on: v.startsOn, ends_on: v.endsOn, report_url: v.reportUrl, created_at: now,
      }).returning('id').executeTakeFirstOrThrow()
      const recommendations = await db.insertInto('core_recommendation')
        .values(v.recommendations.map((r) => ({ core_inspection_id: inspection.id, code: r.code, text_en: r.textEn, text_cy: r.textCy })))
        .returning(['id', 'code']).execute()
      return { id: inspection.id, recommendationIds: new Map(recommendations.map((r) => [r.code, r.id])) }
    },
  }
}

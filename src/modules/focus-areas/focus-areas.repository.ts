import type { Db } from '../../db/database.ts'
import type { FocusArea, FocusSource } from '../../db/schema.ts'

export type Side = 'inspectorate' | 'authority'

export interface FocusAreaRow extends FocusArea {
  proposed_by_name: string | null
  inspectorate_agreed_by_name: string | null
  authority_agreed_by_name: string | null
  recommendation_code: string | null
  recommendation_text_en: string | null
  recommendation_text_cy: string | null
}

export interface NewFocusArea {
  elvId: number
  title: string
  description: string
  source: FocusSource
  recommendationId: number | null
  frameworkKey: string | null
  frameworkAreaCode: string | null
  side: Side
  proposedBy: number | null
}

/** Focus areas of one ELV. Callers have already checked the ELV is visible to the actor. */
export function focusAreaRepository(db: Db) {
  const withNames = () => db.selectFrom('focus_area as fa')
    .leftJoin('app_user as p', 'p.id', 'fa.proposed_by')
    .leftJoin('app_user as ia', 'ia.id', 'fa.inspectorate_agreed_by')
    .leftJoin('app_user as aa', 'aa.id', 'fa.authority_agreed_by')
    .leftJoin('core_recommendation as r', 'r.id', 'fa.recommendation_id')
    .selectAll('fa')
    .select([
      'p.name as proposed_by_name', 'ia.name as inspectorate_agreed_by_name', 'aa.name as authority_agreed_by_name',
      'r.code as recommendation_code', 'r.text_en as recommendation_text_en', 'r.text_cy as recommendation_text_cy',
    ])

  return {
    /** The focus areas still proposed (withdrawn ones stay in the audit log only), in order. */
    list(elvId: number): Promise<FocusAreaRow[]> {
      return withNames().where('fa.elv_id', '=', elvId).where('fa.withdrawn_at', 'is', null).orderBy('fa.position').execute()
    },

    get(elvId: number, id: number): Promise<FocusAreaRow | undefined> {
      return withNames().where('fa.elv_id', '=', elvId).where('fa.id', '=', id).where('fa.withdrawn_at', 'is', null).executeTakeFirst()
    },

    async citedLinkNotes(focusAreaIds: number[]): Promise<Array<{ focus_area_id: number; id: number; title: string; noted_on: string }>> {
      if (!focusAreaIds.length) return []
      return db.selectFrom('focus_area_link_note as fl').innerJoin('link_note as n', 'n.id', 'fl.link_note_id')
        .select(['fl.focus_area_id', 'n.id', 'n.title', 'n.noted_on'])
        .where('fl.focus_area_id', 'in', focusAreaIds).orderBy('n.noted_on', 'desc').execute()
    },

    async insert(v: NewFocusArea, now: string): Promise<FocusArea> {
      const last = await db.selectFrom('focus_area').select((eb) => eb.fn.max('position').as('p')).where('elv_id', '=', v.elvId).executeTakeFirst()
      return db.insertInto('focus_area').values({
        elv_id: v.elvId, position: Number(last?.p ?? 0) + 1, title: v.title, description: v.description, source: v.source,
        recommendation_id: v.recommendationId, framework_key: v.frameworkKey, framework_area_code: v.frameworkAreaCode,
        proposed_by_side: v.side, proposed_by: v.proposedBy, proposed_at: now,
        inspectorate_agreed_by: null, inspectorate_agreed_at: null, authority_agreed_by: null, authority_agreed_at: null, withdrawn_at: null,
      }).returningAll().executeTakeFirstOrThrow()
    },

    async cite(focusAreaId: number, linkNoteIds: number[]): Promise<void> {
      if (!linkNoteIds.length) return
      await db.insertInto('focus_area_link_note').values(linkNoteIds.map((id) => ({ focus_area_id: focusAreaId, link_note_id: id }))).execute()
    },

    async agree(id: number, side: Side, userId: number | null, now: string): Promise<void> {
      const q = db.updateTable('focus_area')
      await (side === 'authority'
        ? q.set({ authority_agreed_by: userId, authority_agreed_at: now })
        : q.set({ inspectorate_agreed_by: userId, inspectorate_agreed_at: now }))
        .set((eb) => ({ version: eb('version', '+', 1) })).where('id', '=', id).execute()
    },

    async withdraw(id: number, now: string): Promise<void> {
      await db.updateTable('focus_area').set((eb) => ({ withdrawn_at: now, version: eb('version', '+', 1) })).where('id', '=', id).execute()
    },

    /** Every recommendation of the authority's recorded core inspections, the latest inspection first. */
    recommendationsOf(authorityCode: string) {
      return db.selectFrom('core_recommendation as r').innerJoin('core_inspection as ci', 'ci.id', 'r.core_inspection_id')
        .select(['r.id', 'r.code', 'r.text_en', 'r.text_cy', 'ci.academic_year', 'ci.authority_code'])
        .where('ci.authority_code', '=', authorityCode).orderBy('ci.starts_on', 'desc').orderBy('r.code').execute()
    },

    async coreInspectionCount(authorityCode: string): Promise<number> {
      const row = await db.selectFrom('core_inspection').select((eb) => eb.fn.countAll<number>().as('n')).where('authority_code', '=', authorityCode).executeTakeFirst()
      return Number(row?.n ?? 0)
    },

    recommendation(id: number) {
      return db.selectFrom('core_recommendation as r').innerJoin('core_inspection as ci', 'ci.id', 'r.core_inspection_id')
        .select(['r.id', 'ci.authority_code']).where('r.id', '=', id).executeTakeFirst()
    },

    /** Of the link note ids given, those that belong to the authority. */
    async linkNotesOfAuthority(authorityCode: string, ids: number[]): Promise<number[]> {
      if (!ids.length) return []
      const rows = await db.selectFrom('link_note').select('id').where('authority_code', '=', authorityCode).where('id', 'in', ids).execute()
      return rows.map((r) => r.id)
    },
  }
}

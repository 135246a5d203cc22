import type { Db } from '../../db/database.ts'
import type { EvidenceKind } from '../../db/schema.ts'

/** Counts across an ELV's focus areas, team, meetings and findings: what the transition rules read. */
export function readinessRepository(db: Db) {
  return {
    focusAreas(elvId: number) {
      return db.selectFrom('focus_area')
        .select(['id', 'title', 'inspectorate_agreed_at', 'authority_agreed_at'])
        .where('elv_id', '=', elvId).where('withdrawn_at', 'is', null).orderBy('position').execute()
    },
    team(elvId: number) {
      return db.selectFrom('elv_team_member').select(['user_id', 'is_lead']).where('elv_id', '=', elvId).execute()
    },
    async meetingsPerFocusArea(elvId: number): Promise<Map<number, number>> {
      const rows = await db.selectFrom('meeting_focus_area as mf')
        .innerJoin('meeting as m', 'm.id', 'mf.meeting_id')
        .select(['mf.focus_area_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('m.elv_id', '=', elvId).groupBy('mf.focus_area_id').execute()
      return new Map(rows.map((r) => [r.focus_area_id, Number(r.n)]))
    },
    /** The findings on live focus areas, each with the kind and source of every item it rests on. */
    async findings(elvId: number): Promise<Array<{ id: number; focusAreaId: number; text: string; evidence: Array<{ id: number; kind: EvidenceKind; source: string }> }>> {
      const rows = await db.selectFrom('finding as f').innerJoin('focus_area as fa', 'fa.id', 'f.focus_area_id')
        .select(['f.id', 'f.focus_area_id', 'f.text'])
        .where('f.elv_id', '=', elvId).where('fa.withdrawn_at', 'is', null).orderBy('fa.position').orderBy('f.id').execute()
      const links = rows.length
        ? await db.selectFrom('finding_evidence as fe').innerJoin('evidence as e', 'e.id', 'fe.evidence_id')
          .select(['fe.finding_id', 'e.id', 'e.kind', 'e.source']).where('fe.finding_id', 'in', rows.map((r) => r.id)).execute()
        : []
      return rows.map((r) => ({
        id: r.id, focusAreaId: r.focus_area_id, text: r.text,
        evidence: links.filter((l) => l.finding_id === r.id).map(({ id, kind, source }) => ({ id, kind, source })),
      }))
    },
    async isOnTeam(elvId: number, userId: number): Promise<boolean> {
      const row = await db.selectFrom('elv_team_member').select('id').where('elv_id', '=', elvId).where('user_id', '=', userId).executeTakeFirst()
      return Boolean(row)
    },
  }
}

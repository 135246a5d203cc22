import type { Db } from '../../db/database.ts'

/** Counts across an ELV's focus areas, team and meetings: what the transition rules read. */
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
    async isOnTeam(elvId: number, userId: number): Promise<boolean> {
      const row = await db.selectFrom('elv_team_member').select('id').where('elv_id', '=', elvId).where('user_id', '=', userId).executeTakeFirst()
      return Boolean(row)
    },
  }
}

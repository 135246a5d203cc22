import type { Db } from '../../db/database.ts'

/** Which ELVs concern a user personally: the teams they are on and the authorities they are link inspector of. */
export interface Involvement {
  teamElvIds: ReadonlySet<number>
  linkAuthorities: ReadonlySet<string>
}

export function dashboardRepository(db: Db) {
  return {
    async involvement(userId: number): Promise<Involvement> {
      const [team, links] = await Promise.all([
        db.selectFrom('elv_team_member').select('elv_id').where('user_id', '=', userId).execute(),
        db.selectFrom('local_authority').select('gss_code').where('link_inspector_id', '=', userId).execute(),
      ])
      return { teamElvIds: new Set(team.map((r) => r.elv_id)), linkAuthorities: new Set(links.map((r) => r.gss_code)) }
    },
  }
}

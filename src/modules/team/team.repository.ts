import type { Db } from '../../db/database.ts'
import type { Role, UserConflict } from '../../db/schema.ts'

/** Who may serve on an ELV's team. */
export const TEAM_ROLES: readonly Role[] = ['hmi', 'peer']

export interface MemberRow {
  user_id: number
  name: string
  email: string
  role: Role
  authority_code: string | null
  is_lead: 0 | 1
  override_reason: string | null
  added_at: string
}

export interface CandidateRow {
  id: number
  name: string
  email: string
  role: Role
  authority_code: string | null
}

export interface ConflictRow extends UserConflict {
  authority_name_en: string
  authority_name_cy: string
}

/** Team members, workload and declared conflicts. Callers have already checked the actor may see the ELV. */
export function teamRepository(db: Db) {
  return {
    members(elvId: number): Promise<MemberRow[]> {
      return db.selectFrom('elv_team_member as tm').innerJoin('app_user as u', 'u.id', 'tm.user_id')
        .select(['tm.user_id', 'u.name', 'u.email', 'u.role', 'u.authority_code', 'tm.is_lead', 'tm.override_reason', 'tm.added_at'])
        .where('tm.elv_id', '=', elvId)
        // The lead first, then in the order they joined.
        .orderBy('tm.is_lead', 'desc').orderBy('tm.added_at').orderBy('tm.id').execute()
    },

    /** Active HMIs and peer inspectors: who could be added to a team. */
    candidates(): Promise<CandidateRow[]> {
      return db.selectFrom('app_user').select(['id', 'name', 'email', 'role', 'authority_code'])
        .where('role', 'in', TEAM_ROLES).where('disabled', '=', 0).orderBy('name').orderBy('id').execute()
    },

    /** For each inspector, how many ELVs of the term (other than cancelled ones) they are on. */
    async workload(termKey: string): Promise<Map<number, number>> {
      const rows = await db.selectFrom('elv_team_member as tm').innerJoin('elv as e', 'e.id', 'tm.elv_id')
        .select(['tm.user_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('e.term_key', '=', termKey).where('e.state', '<>', 'cancelled')
        .groupBy('tm.user_id').execute()
      return new Map(rows.map((r) => [r.user_id, Number(r.n)]))
    },

    userByEmail(email: string) {
      return db.selectFrom('app_user').select(['id', 'name', 'email', 'role', 'authority_code', 'disabled'])
        .where('email', '=', email.toLowerCase()).executeTakeFirst()
    },

    userById(id: number) {
      return db.selectFrom('app_user').select(['id', 'name', 'email', 'role', 'authority_code', 'disabled'])
        .where('id', '=', id).executeTakeFirst()
    },

    async insertMember(m: { elvId: number; userId: number; lead: boolean; overrideReason: string | null; addedBy: number | null }, now: string): Promise<void> {
      await db.insertInto('elv_team_member').values({
        elv_id: m.elvId, user_id: m.userId, is_lead: m.lead ? 1 : 0, override_reason: m.overrideReason, added_by: m.addedBy, added_at: now,
      }).execute()
    },

    async deleteMember(elvId: number, userId: number): Promise<boolean> {
      const r = await db.deleteFrom('elv_team_member').where('elv_id', '=', elvId).where('user_id', '=', userId).executeTakeFirst()
      return Number(r.numDeletedRows) > 0
    },

    /** Makes one member the lead and every other member not: a team has at most one lead. */
    async setLead(elvId: number, userId: number): Promise<void> {
      await db.updateTable('elv_team_member').set({ is_lead: 0 }).where('elv_id', '=', elvId).where('user_id', '<>', userId).execute()
      await db.updateTable('elv_team_member').set({ is_lead: 1 }).where('elv_id', '=', elvId).where('user_id', '=', userId).execute()
    },

    async clearLead(elvId: number): Promise<void> {
      await db.updateTable('elv_team_member').set({ is_lead: 0 }).where('elv_id', '=', elvId).execute()
    },

    conflict(userId: number, authorityCode: string): Promise<UserConflict | undefined> {
      return db.selectFrom('user_conflict').selectAll().where('user_id', '=', userId).where('authority_code', '=', authorityCode).executeTakeFirst()
    },

    /** Declared conflicts with one authority, by user: shown beside the team and the inspectors who could join it. */
    async conflictsWith(authorityCode: string): Promise<Map<number, string>> {
      const rows = await db.selectFrom('user_conflict').select(['user_id', 'reason']).where('authority_code', '=', authorityCode).execute()
      return new Map(rows.map((r) => [r.user_id, r.reason]))
    },

    conflictsOf(userId: number): Promise<ConflictRow[]> {
      return db.selectFrom('user_conflict as c').innerJoin('local_authority as la', 'la.gss_code', 'c.authority_code')
        .selectAll('c').select(['la.name_en as authority_name_en', 'la.name_cy as authority_name_cy'])
        .where('c.user_id', '=', userId).orderBy('la.name_en').execute()
    },

    insertConflict(c: { userId: number; authorityCode: string; reason: string }, now: string): Promise<UserConflict> {
      return db.insertInto('user_conflict').values({ user_id: c.userId, authority_code: c.authorityCode, reason: c.reason, created_at: now })
        .returningAll().executeTakeFirstOrThrow()
    },

    /** Only the user's own: another user's conflict is not found. */
    deleteConflict(userId: number, id: number): Promise<UserConflict | undefined> {
      return db.deleteFrom('user_conflict').where('id', '=', id).where('user_id', '=', userId).returningAll().executeTakeFirst()
    },
  }
}

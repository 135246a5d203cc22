import { sql } from 'kysely'
import type { Db } from '../../db/database.ts'
import type { Elv, ElvState } from '../../db/schema.ts'
import type { Actor } from '../auth/actor.ts'

export interface ElvFilter { authority?: string; state?: ElvState; term?: string }

export interface ElvRow extends Elv {
  authority_name_en: string
  authority_name_cy: string
}

/**
 * ELV queries, always through what the actor may see: an authority user only their own
 * authority's ELVs, a peer inspector only the ELVs whose team they are on, everyone else all.
 * Every other module reaches ELV rows through `visible()` so the rule lives in one place.
 */
export function elvRepository(db: Db, actor: Actor) {
  const visible = () => {
    let q = db.selectFrom('elv').innerJoin('local_authority as la', 'la.gss_code', 'elv.authority_code')
    if (actor.kind === 'user' && actor.role === 'la') {
      q = q.where('elv.authority_code', '=', actor.authorityCode ?? '')
    } else if (actor.kind === 'user' && actor.role === 'peer') {
      q = q.where((eb) => eb.exists(eb.selectFrom('elv_team_member as tm').select('tm.id')
        .whereRef('tm.elv_id', '=', 'elv.id').where('tm.user_id', '=', actor.id)))
    }
    return q
  }
  const columns = ['la.name_en as authority_name_en', 'la.name_cy as authority_name_cy'] as const

  return {
    visible,

    get(id: number): Promise<ElvRow | undefined> {
      return visible().selectAll('elv').select(columns).where('elv.id', '=', id).executeTakeFirst()
    },

    list(f: ElvFilter = {}): Promise<ElvRow[]> {
      let q = visible().selectAll('elv').select(columns)
      if (f.authority) q = q.where('elv.authority_code', '=', f.authority)
      if (f.state) q = q.where('elv.state', '=', f.state)
      if (f.term) q = q.where('elv.term_key', '=', f.term)
      return q.orderBy('elv.term_key').orderBy('la.name_en').orderBy('elv.id').execute()
    },
  }
}

/** Writes: only services call these, after checking the actor may act. */
export function elvWrites(db: Db) {
  return {
    async liveOrdinals(authorityCode: string, cycle: string): Promise<number[]> {
      const rows = await db.selectFrom('elv').select('ordinal')
        .where('authority_code', '=', authorityCode).where('cycle', '=', cycle).where('state', '<>', 'cancelled').execute()
      return rows.map((r) => r.ordinal)
    },

    insert(values: { authorityCode: string; cycle: string; ordinal: number; termKey: string; visitDay1: string | null; visitDay2: string | null }, now: string): Promise<Elv> {
      return db.insertInto('elv').values({
        authority_code: values.authorityCode, cycle: values.cycle, ordinal: values.ordinal, term_key: values.termKey,
        visit_day1: values.visitDay1, visit_day2: values.visitDay2, state: 'planned', state_reason: null, notified_at: null,
        notified_by: null, late_notification_reason: null, focus_count_reason: null, created_at: now, updated_at: now,
      }).returningAll().executeTakeFirstOrThrow()
    },

    /** Version-checked: undefined when someone else changed the ELV first. */
    update(id: number, expectedVersion: number, changes: Partial<Pick<Elv, 'state' | 'state_reason' | 'notified_at' | 'notified_by' | 'late_notification_reason' | 'focus_count_reason' | 'term_key' | 'visit_day1' | 'visit_day2'>>, now: string): Promise<Elv | undefined> {
      return db.updateTable('elv').set({ ...changes, updated_at: now, version: sql<number>`version + 1` })
        .where('id', '=', id).where('version', '=', expectedVersion)
        .returningAll().executeTakeFirst()
    },

    /** Any change to what hangs off an ELV (focus areas, team, meetings) bumps its version, so stale forms are caught. */
    async touch(id: number, now: string): Promise<void> {
      await db.updateTable('elv').set({ updated_at: now, version: sql<number>`version + 1` }).where('id', '=', id).execute()
    },
  }
}

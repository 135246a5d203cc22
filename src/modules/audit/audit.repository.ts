import type { Db } from '../../db/database.ts'
import type { AuditEvent } from '../../db/schema.ts'

export interface AuditFilter {
  actor?: string
  action?: string
  entityType?: string
  entityId?: string
  /** Inclusive dates, YYYY-MM-DD. */
  from?: string
  to?: string
}

export interface NewAuditEvent {
  at: string
  actorId: number | null
  actorLabel: string
  action: string
  entityType: string
  entityId: string
  details: unknown
}

export function auditRepository(db: Db) {
  return {
    async insert(e: NewAuditEvent): Promise<void> {
      await db.insertInto('audit_event').values({
        at: e.at,
        actor_id: e.actorId,
        actor_label: e.actorLabel,
        action: e.action,
        entity_type: e.entityType,
        entity_id: e.entityId,
        details: JSON.stringify(e.details ?? {}),
      }).execute()
    },

    async list(filter: AuditFilter, page: { limit: number; offset: number }): Promise<{ items: AuditEvent[]; total: number }> {
      let q = db.selectFrom('audit_event')
      // Lower-cased on both sides: PostgreSQL's LIKE is case-sensitive, SQLite's is not.
      const actor = filter.actor?.toLowerCase()
      if (actor) q = q.where((eb) => eb(eb.fn('lower', ['actor_label']), 'like', `%${escapeLike(actor)}%`))
      if (filter.action) q = q.where('action', '=', filter.action)
      if (filter.entityType) q = q.where('entity_type', '=', filter.entityType)
      if (filter.entityId) q = q.where('entity_id', '=', filter.entityId)
      if (filter.from) q = q.where('at', '>=', filter.from)
      // `to` is a whole day: everything before the start of the next day.
      if (filter.to) q = q.where('at', '<', nextDay(filter.to))
      const [items, count] = await Promise.all([
        q.selectAll().orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute(),
        q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ])
      return { items, total: Number(count.n) }
    },

    async actions(): Promise<string[]> {
      const rows = await db.selectFrom('audit_event').select('action').distinct().orderBy('action').execute()
      return rows.map((r) => r.action)
    },

    async entityTypes(): Promise<string[]> {
      const rows = await db.selectFrom('audit_event').select('entity_type').distinct().orderBy('entity_type').execute()
      return rows.map((r) => r.entity_type)
    },
  }
}

function escapeLike(s: string): string {
  // Both engines treat % and _ as wildcards; searching for them literally is rare enough to drop them.
  return s.replace(/[%_]/g, '')
}

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + 1)
  return d.toISOString()
}

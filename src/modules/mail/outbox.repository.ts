import type { Db } from '../../db/database.ts'
import type { OutboxMessage } from '../../db/schema.ts'

export interface NewMessage {
  to: string
  subject: string
  text: string
  html: string
  entity?: { type: string; id: string | number }
  /** Files already in the file store, attached when the message is sent. */
  attachments?: MailAttachment[]
}

export interface MailAttachment { storageKey: string; fileName: string; contentType: string }

/** After this many failed sends a message is left for an admin to forward by hand. */
export const MAX_ATTEMPTS = 10

export function outboxRepository(db: Db) {
  return {
    async insert(m: NewMessage, now: string): Promise<number> {
      const row = await db.insertInto('outbox').values({
        to_address: m.to, subject: m.subject, text_body: m.text, html_body: m.html,
        entity_type: m.entity?.type ?? null, entity_id: m.entity ? String(m.entity.id) : null, created_at: now,
        sent_at: null, last_error: null, claimed_until: null,
        attachments: m.attachments?.length ? JSON.stringify(m.attachments) : null,
      }).returning('id').executeTakeFirstOrThrow()
      return row.id
    },

    /**
     * Claims up to `limit` unsent messages for this sender until `until`: a message claimed by
     * another app server (and not yet expired) is left to it, so nothing is sent twice.
     */
    async claim(now: string, until: string, limit: number): Promise<OutboxMessage[]> {
      const candidates = await db.selectFrom('outbox').select('id')
        .where('sent_at', 'is', null)
        .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
        .where('attempts', '<', MAX_ATTEMPTS)
        .orderBy('id').limit(limit).execute()
      const claimed: OutboxMessage[] = []
      for (const { id } of candidates) {
        const row = await db.updateTable('outbox').set({ claimed_until: until })
          .where('id', '=', id).where('sent_at', 'is', null)
          .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
          .returningAll().executeTakeFirst()
        if (row) claimed.push(row)
      }
      return claimed
    },

    async markSent(id: number, now: string): Promise<void> {
      await db.updateTable('outbox').set((eb) => ({ sent_at: now, claimed_until: null, attempts: eb('attempts', '+', 1), last_error: null })).where('id', '=', id).execute()
    },

    async markFailed(id: number, error: string): Promise<void> {
      await db.updateTable('outbox').set((eb) => ({ claimed_until: null, attempts: eb('attempts', '+', 1), last_error: error.slice(0, 1000) })).where('id', '=', id).execute()
    },

    list(limit = 100): Promise<OutboxMessage[]> {
      return db.selectFrom('outbox').selectAll().orderBy('id', 'desc').limit(limit).execute()
    },

    get(id: number): Promise<OutboxMessage | undefined> {
      return db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst()
    },

    forEntity(type: string, id: string | number): Promise<OutboxMessage[]> {
      return db.selectFrom('outbox').selectAll().where('entity_type', '=', type).where('entity_id', '=', String(id)).orderBy('id').execute()
    },
  }
}

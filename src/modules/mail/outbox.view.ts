import type { OutboxMessage } from '../../db/schema.ts'
import type { Translate } from '../../i18n/catalogue.ts'
import { paths } from '../../http/paths.ts'
import { MAX_ATTEMPTS } from './outbox.repository.ts'

export type OutboxStatus = 'sent' | 'waiting' | 'failed' | 'gaveUp'

const TAG_COLOUR: Record<OutboxStatus, string> = { sent: 'green', waiting: 'grey', failed: 'orange', gaveUp: 'red' }

export function outboxStatus(m: Pick<OutboxMessage, 'sent_at' | 'last_error' | 'attempts'>): OutboxStatus {
  if (m.sent_at) return 'sent'
  if (m.attempts >= MAX_ATTEMPTS) return 'gaveUp'
  return m.last_error ? 'failed' : 'waiting'
}

export const outboxMessagePath = (id: number) => `${paths.outbox()}/${id}`

/** One message as the outbox pages show it: a status tag, and what the status means for that message. */
export function outboxRow(m: OutboxMessage, t: Translate) {
  const status = outboxStatus(m)
  return {
    id: m.id,
    href: outboxMessagePath(m.id),
    createdAt: m.created_at,
    to: m.to_address,
    subject: m.subject,
    status,
    tag: { text: t(`mail.status.${status}`), classes: `govuk-tag--${TAG_COLOUR[status]}` },
    sentAt: m.sent_at,
    lastError: m.sent_at ? null : m.last_error,
    attempts: m.attempts,
    elvHref: m.entity_type === 'elv' && m.entity_id && /^\d+$/.test(m.entity_id) ? paths.elv(Number(m.entity_id)) : undefined,
    text: m.text_body,
  }
}

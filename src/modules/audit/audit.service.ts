import type { Db } from '../../db/database.ts'
import type { AuditEvent } from '../../db/schema.ts'
import { actorLabel, type Actor } from '../auth/actor.ts'
import type { Clock } from '../../clock.ts'
import { Check } from '../../http/check.ts'
import { pageCountOf, pageNumber } from '../../http/pagination.ts'
import { auditRepository, type AuditFilter } from './audit.repository.ts'

export const AUDIT_PAGE_SIZE = 50

/** The audit log page's query string, as typed (anything may arrive in a URL). */
export interface AuditSearchInput { actor?: unknown; action?: unknown; entityType?: unknown; from?: unknown; to?: unknown; page?: unknown }

export interface AuditSearchResult {
  filter: AuditFilter
  /** 1-based. */
  page: number
  pageSize: number
  pageCount: number
  total: number
  items: AuditEvent[]
}

/** Every write in the app records who did what to which record, inside the same transaction. */
export class AuditService {
  constructor(private readonly db: Db, private readonly clock: Clock) {}

  async record(trx: Db, actor: Actor, action: string, entity: { type: string; id: string | number }, details: unknown = {}): Promise<void> {
    await auditRepository(trx).insert({
      at: this.clock.nowIso(),
      actorId: actor.kind === 'user' ? actor.id : null,
      actorLabel: actorLabel(actor),
      action,
      entityType: entity.type,
      entityId: String(entity.id),
      details,
    })
  }

  list(filter: AuditFilter, page: { limit: number; offset: number }) {
    return auditRepository(this.db).list(filter, page)
  }

  actions() {
    return auditRepository(this.db).actions()
  }

  entityTypes() {
    return auditRepository(this.db).entityTypes()
  }

  /** Checks the filters (throwing every problem at once) and returns one page of events, newest first. */
  async search(input: AuditSearchInput): Promise<AuditSearchResult> {
    const check = new Check()
    const actor = check.text('actor', 'audit.filter.actor', input.actor, { required: false, max: 200 })
    const action = check.text('action', 'audit.filter.action', input.action, { required: false, max: 100 })
    const entityType = check.text('entityType', 'audit.filter.entityType', input.entityType, { required: false, max: 100 })
    const from = check.date('from', 'audit.filter.from', input.from, { required: false })
    const to = check.date('to', 'audit.filter.to', input.to, { required: false })
    if (from && to && to < from) check.add('to', 'audit.filter.toBeforeFrom')
    check.done()
    const filter: AuditFilter = {}
    if (actor) filter.actor = actor
    if (action) filter.action = action
    if (entityType) filter.entityType = entityType
    if (from) filter.from = from
    if (to) filter.to = to
    const page = pageNumber(input.page)
    const { items, total } = await this.list(filter, { limit: AUDIT_PAGE_SIZE, offset: (page - 1) * AUDIT_PAGE_SIZE })
    return { filter, page, pageSize: AUDIT_PAGE_SIZE, pageCount: pageCountOf(total, AUDIT_PAGE_SIZE), total, items }
  }
}

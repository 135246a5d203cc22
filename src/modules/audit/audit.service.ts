import type { Db } from '../../db/database.ts'
import { actorLabel, type Actor } from '../auth/actor.ts'
import type { Clock } from '../../clock.ts'
import { auditRepository, type AuditFilter } from './audit.repository.ts'

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
}

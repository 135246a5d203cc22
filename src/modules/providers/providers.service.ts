import type { Database } from '../../db/database.ts'
import type { Clock } from '../../clock.ts'
import type { AuditService } from '../audit/audit.service.ts'
import type { VisitsService } from '../visits/visits.service.ts'

/** Schools and other providers of each authority with their latest inspection, imported from CSV. */
export class ProvidersService {
  constructor(
    readonly database: Database,
    readonly audit: AuditService,
    readonly clock: Clock,
    readonly visits: VisitsService,
  ) {}
}

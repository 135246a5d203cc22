import type { Database } from '../../db/database.ts'
import type { Clock } from '../../clock.ts'
import type { AuditService } from '../audit/audit.service.ts'
import type { VisitsService } from '../visits/visits.service.ts'

/** Link notes: what the link inspector learns about an authority over time. */
export class LinkNotesService {
  constructor(
    readonly database: Database,
    readonly audit: AuditService,
    readonly clock: Clock,
    readonly visits: VisitsService,
  ) {}
}

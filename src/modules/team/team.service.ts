import type { Database } from '../../db/database.ts'
import type { Clock } from '../../clock.ts'
import type { AuditService } from '../audit/audit.service.ts'
import type { VisitsService } from '../visits/visits.service.ts'

/** The team of an ELV, conflicts of interest and inspectors' workload. */
export class TeamService {
  constructor(
    readonly database: Database,
    readonly audit: AuditService,
    readonly clock: Clock,
    readonly visits: VisitsService,
  ) {}
}

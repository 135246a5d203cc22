import type { Database } from '../../db/database.ts'
import type { Clock } from '../../clock.ts'
import type { AuditService } from '../audit/audit.service.ts'
import type { VisitsService } from '../visits/visits.service.ts'
import type { ProgrammeService } from './programme.service.ts'

/** Plans the programme: asks the planner for a proposal, accepts all or part of it, and checks changes made by hand. */
export class PlanningService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly visits: VisitsService,
    private readonly programme: ProgrammeService,
  ) {
    void this.database
    void this.audit
    void this.clock
    void this.visits
    void this.programme
  }
}

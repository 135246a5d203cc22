import type { Database } from '../../db/database.ts'
import type { Clock } from '../../clock.ts'
import type { AuditService } from '../audit/audit.service.ts'
import type { VisitsService } from '../visits/visits.service.ts'

/** The two-day timetable of meetings of an ELV, and its iCalendar export. */
export class TimetableService {
  constructor(
    readonly database: Database,
    readonly audit: AuditService,
    readonly clock: Clock,
    readonly visits: VisitsService,
  ) {}
}

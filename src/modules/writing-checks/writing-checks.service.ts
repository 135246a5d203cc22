import type { Database } from '../../db/database.ts'
import type { Clock } from '../../clock.ts'
import type { AuditService } from '../audit/audit.service.ts'

/** The writing checks on letters: rules kept as data, built-in ones seeded, admins add their own. */
export class WritingChecksService {
  constructor(
    readonly database: Database,
    readonly audit: AuditService,
    readonly clock: Clock,
  ) {}
}

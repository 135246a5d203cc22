import type { Database } from '../../db/database.ts'
import type { Clock } from '../../clock.ts'
import type { AuditService } from '../audit/audit.service.ts'
import type { VisitsService } from '../visits/visits.service.ts'
import type { EvidenceService } from '../evidence/evidence.service.ts'
import type { ThemesService } from '../themes/themes.service.ts'

/** Findings per focus area, each resting on evidence, with their triangulation. */
export class FindingsService {
  constructor(
    readonly database: Database,
    readonly audit: AuditService,
    readonly clock: Clock,
    readonly visits: VisitsService,
    readonly evidence: EvidenceService,
    readonly themes: ThemesService,
  ) {}
}

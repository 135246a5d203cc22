import type { Database } from '../../db/database.ts'
import type { EvidenceService } from '../evidence/evidence.service.ts'

/** One search over the evidence each user may see, the same on SQLite and PostgreSQL. */
export class SearchService {
  constructor(
    readonly database: Database,
    readonly evidence: EvidenceService,
  ) {}
}

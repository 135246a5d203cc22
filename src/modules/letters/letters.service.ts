import type { Database } from '../../db/database.ts'
import type { Clock } from '../../clock.ts'
import type { AuditService } from '../audit/audit.service.ts'
import type { VisitsService } from '../visits/visits.service.ts'
import type { FindingsService } from '../findings/findings.service.ts'
import type { MailService } from '../mail/mail.service.ts'

/** The feedback letter of an ELV: built from its findings, edited in both languages, reviewed and issued. */
export class LettersService {
  constructor(
    readonly database: Database,
    readonly audit: AuditService,
    readonly clock: Clock,
    readonly visits: VisitsService,
    readonly findings: FindingsService,
    readonly mail: MailService,
  ) {}
}

import type { Config } from './config.ts'
import type { Database } from './db/database.ts'
import type { FileStore } from './storage/file-store.ts'
import { systemClock, type Clock } from './clock.ts'
import { I18n } from './i18n/catalogue.ts'
import { AuditService } from './modules/audit/audit.service.ts'
import { AuthService } from './modules/auth/auth.service.ts'
import { ReferenceService } from './modules/reference/reference.service.ts'
import { UsersService } from './modules/users/users.service.ts'
import { MailService } from './modules/mail/mail.service.ts'
import { VisitsService } from './modules/visits/visits.service.ts'
import { NotificationService } from './modules/visits/notification.service.ts'
import { FocusAreasService } from './modules/focus-areas/focus-areas.service.ts'
import { LinkNotesService } from './modules/link-notes/link-notes.service.ts'
import { TeamService } from './modules/team/team.service.ts'
import { TimetableService } from './modules/timetable/timetable.service.ts'
import { ProvidersService } from './modules/providers/providers.service.ts'
import { ThemesService } from './modules/themes/themes.service.ts'
import { EvidenceService } from './modules/evidence/evidence.service.ts'
import { createFileStore, FileAttachments } from './modules/documents/attachments.service.ts'
import { FindingsService } from './modules/findings/findings.service.ts'
import { SearchService } from './modules/search/search.service.ts'
import { LettersService } from './modules/letters/letters.service.ts'
import { WritingChecksService } from './modules/writing-checks/writing-checks.service.ts'
import { LetterReviewService } from './modules/letter-review/letter-review.service.ts'
import { LetterIssueService } from './modules/letter-issue/letter-issue.service.ts'
import { ProgrammeService } from './modules/planning/programme.service.ts'
import { PlanningService } from './modules/planning/planning.service.ts'
import { CoreInspectionsService } from './modules/core-inspections/core-inspections.service.ts'
import { InsightsService } from './modules/insights/insights.service.ts'

/** Every service the routes and the CLI use, built once over one database. Tests build their own. */
export interface Services {
  database: Database
  /** Where stored files live: a local directory or S3-compatible storage. */
  files: FileStore
  clock: Clock
  i18n: I18n
  audit: AuditService
  auth: AuthService
  users: UsersService
  reference: ReferenceService
  mail: MailService
  notifications: NotificationService
  visits: VisitsService
  focusAreas: FocusAreasService
  linkNotes: LinkNotesService
  team: TeamService
  timetable: TimetableService
  providers: ProvidersService
  themes: ThemesService
  evidence: EvidenceService
  findings: FindingsService
  search: SearchService
  letters: LettersService
  writingChecks: WritingChecksService
  letterReview: LetterReviewService
  letterIssue: LetterIssueService
  /** The cycle's programme as the planner sees it, and the planning rules. */
  programme: ProgrammeService
  /** Proposals from the planner, accepting them, and changes by hand checked against the rules. */
  planning: PlanningService
  /** Core inspections as records (recommendations, findings, effective practice) and their import. */
  coreInspections: CoreInspectionsService
  /** Early Insights: the thematic summary of a year's core inspections, its reviewed wording and publication. */
  insights: InsightsService
}

export function createServices(database: Database, config: Pick<Config, 'sessionHours' | 'signIn' | 'mail' | 'publicUrl' | 'workloadWarningPerTerm' | 'files'>, clock: Clock = systemClock): Services {
  const audit = new AuditService(database.db, clock)
  const i18n = new I18n()
  // One file store for everything kept as files: evidence uploads, issued letters, mail attachments.
  const files = createFileStore(config.files)
  const mail = new MailService(database, clock, config.mail, files)
  const notifications = new NotificationService(database, mail, i18n, config.publicUrl)
  const visits = new VisitsService(database, audit, clock, notifications)
  const themes = new ThemesService(database, audit, clock)
  const evidence = new EvidenceService(database, audit, clock, visits, themes, new FileAttachments(files, config.files.maxBytes))
  const findings = new FindingsService(database, audit, clock, visits, evidence, themes)
  const letters = new LettersService(database, audit, clock, visits, findings, mail, i18n)
  const programme = new ProgrammeService(database, audit, clock)
  return {
    database,
    files,
    clock,
    i18n,
    audit,
    auth: new AuthService(database, audit, clock, config),
    users: new UsersService(database, audit, clock),
    reference: new ReferenceService(database, audit, clock),
    mail,
    notifications,
    visits,
    focusAreas: new FocusAreasService(database, audit, clock, visits),
    linkNotes: new LinkNotesService(database, audit, clock, visits, themes),
    team: new TeamService(database, audit, clock, visits, config.workloadWarningPerTerm, programme),
    timetable: new TimetableService(database, audit, clock, visits),
    providers: new ProvidersService(database, audit, clock, visits),
    themes,
    evidence,
    findings,
    search: new SearchService(database, evidence, themes),
    letters,
    letterIssue: new LetterIssueService(database, audit, clock, visits, letters, mail, files, i18n, config.publicUrl),
    writingChecks: new WritingChecksService(database, audit, clock),
    letterReview: new LetterReviewService(database, audit, clock, visits, letters),
    programme,
    insights: new InsightsService(database, audit, clock, i18n),
    planning: new PlanningService(database, audit, clock, visits, programme),
    coreInspections: new CoreInspectionsService(database, audit, clock, themes),
  }
}

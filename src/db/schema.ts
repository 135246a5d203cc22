import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

// Portable column conventions, the same on SQLite and PostgreSQL:
// timestamps are ISO 8601 UTC text, calendar dates are YYYY-MM-DD text, flags are 0/1 integers.
export type Timestamp = string
export type IsoDate = string
export type Flag = 0 | 1

export const ROLES = ['admin', 'reviewer', 'hmi', 'peer', 'la'] as const
export type Role = (typeof ROLES)[number]
export const LANGUAGES = ['en', 'cy'] as const
export type Language = (typeof LANGUAGES)[number]
export const SEASONS = ['autumn', 'spring', 'summer'] as const
export type Season = (typeof SEASONS)[number]

export interface LocalAuthorityTable {
  gss_code: string
  name_en: string
  name_cy: string
  director_name: string | null
  director_email: string | null
  preferred_language: Language
  /** The HMI who is this authority's link inspector (LALI), if one is named. */
  link_inspector_id: ColumnType<number | null, number | null | undefined, number | null>
  /** Its ELV teams need Welsh speakers (the planner's `welshSpeakersForWelshMedium`). */
  welsh_medium: ColumnType<Flag, Flag | undefined, Flag>
  version: ColumnType<number, number | undefined, number>
  updated_at: Timestamp
}

export interface AcademicYearTable {
  key: string
  starts_on: IsoDate
  ends_on: IsoDate
}

export interface TermTable {
  key: string
  academic_year: string
  season: Season
  starts_on: IsoDate
  ends_on: IsoDate
  version: ColumnType<number, number | undefined, number>
  updated_at: Timestamp
}

export interface FrameworkTable {
  key: string
  name_en: string
  name_cy: string
  effective_from: IsoDate
  effective_to: IsoDate | null
  version: ColumnType<number, number | undefined, number>
  updated_at: Timestamp
}

export interface FrameworkAreaTable {
  id: Generated<number>
  framework_key: string
  code: string
  parent_code: string | null
  name_en: string
  name_cy: string
  position: number
}

export interface AppUserTable {
  id: Generated<number>
  email: string
  name: string
  role: Role
  authority_code: string | null
  password_hash: string | null
  disabled: ColumnType<Flag, Flag | undefined, Flag>
  /** Inspectors only: speaks Welsh well enough for a Welsh-medium ELV. */
  welsh_speaker: ColumnType<Flag, Flag | undefined, Flag>
  /** Inspectors only: the most ELVs they can take in one term. */
  max_elvs_per_term: ColumnType<number, number | undefined, number>
  version: ColumnType<number, number | undefined, number>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface UserSessionTable {
  /** SHA-256 of the cookie value: a leaked table cannot be replayed as cookies. */
  id_hash: string
  user_id: number
  created_at: Timestamp
  expires_at: Timestamp
}

export interface SignInAttemptTable {
  /** Lower-cased e-mail as typed, whether or not an account exists, so lock-outs reveal nothing. */
  email_key: string
  failures: number
  first_failure_at: Timestamp
  locked_until: Timestamp | null
}

export interface ApiTokenTable {
  id: Generated<number>
  user_id: number
  token_hash: string
  label: string
  created_at: Timestamp
  last_used_at: Timestamp | null
  revoked_at: Timestamp | null
}

export interface AuditEventTable {
  id: Generated<number>
  at: Timestamp
  actor_id: number | null
  /** Who did it, kept as text so the record survives the user's later changes. */
  actor_label: string
  action: string
  entity_type: string
  entity_id: string
  details: string
}

export const ELV_STATES = ['planned', 'notified', 'focus_agreed', 'prepared', 'fieldwork', 'drafting', 'quality_assurance', 'issued', 'closed', 'postponed', 'cancelled'] as const
export type ElvState = (typeof ELV_STATES)[number]
export const FOCUS_SOURCES = ['core_recommendation', 'authority_priority', 'inspectorate_identified', 'national_priority'] as const
export type FocusSource = (typeof FOCUS_SOURCES)[number]
export const ATTENDEE_KINDS = ['officer', 'stakeholder', 'elected_member'] as const
export type AttendeeKind = (typeof ATTENDEE_KINDS)[number]
export const LINK_NOTE_KINDS = ['meeting', 'briefing', 'concern', 'other'] as const
export type LinkNoteKind = (typeof LINK_NOTE_KINDS)[number]

export interface AppSettingTable { key: string; value: string; updated_at: Timestamp }

export const INSPECTION_MEDIUMS = ['welsh', 'english', 'bilingual'] as const
export type InspectionMedium = (typeof INSPECTION_MEDIUMS)[number]
export const CORE_FINDING_KINDS = ['going_well', 'needs_to_improve'] as const
export type CoreFindingKind = (typeof CORE_FINDING_KINDS)[number]

/** One authority's core inspection in one academic year (its identity: at most one per pair). */
export interface CoreInspectionTable {
  id: Generated<number>
  authority_code: string
  /** e.g. 2023-2024. */
  academic_year: string
  framework_key: string | null
  starts_on: IsoDate | null
  ends_on: IsoDate | null
  report_url: string | null
  /** The language the inspection was carried out in. */
  medium: ColumnType<InspectionMedium | null, InspectionMedium | null | undefined, InspectionMedium | null>
  version: ColumnType<number, number | undefined, number>
  created_at: Timestamp
  /** Null until changed after it was first recorded. */
  updated_at: ColumnType<Timestamp | null, Timestamp | null | undefined, Timestamp | null>
}

export interface CoreRecommendationTable {
  id: Generated<number>
  core_inspection_id: number
  /** The reference as published: R1, R2 ... */
  code: string
  /** The text in each language; the one not recorded is empty. */
  text_en: string
  text_cy: string
  /** The language the recommendation was written in. */
  lang: ColumnType<Language, Language | undefined, Language>
  position: ColumnType<number, number | undefined, number>
}

export interface CoreRecommendationThemeTable { recommendation_id: number; theme_id: number }

export interface CoreFindingTable {
  id: Generated<number>
  core_inspection_id: number
  position: number
  /** The area's name as the report writes it. */
  area: string
  /** The area's code when it matched the inspection's framework. */
  framework_area_code: string | null
  kind: CoreFindingKind
  text_en: string
  text_cy: string
  lang: Language
}

export interface CoreFindingThemeTable { finding_id: number; theme_id: number }

export interface CoreEffectivePracticeTable {
  id: Generated<number>
  core_inspection_id: number
  position: number
  area: string
  framework_area_code: string | null
  /** The report's question the practice answers. */
  question_en: string
  question_cy: string
  text_en: string
  text_cy: string
  lang: Language
}

export interface ElvTable {
  id: Generated<number>
  authority_code: string
  /** The inspection cycle, e.g. 2024-2030. */
  cycle: string
  /** 1 or 2: the authority's first or second ELV in the cycle. */
  ordinal: number
  term_key: string
  visit_day1: IsoDate | null
  visit_day2: IsoDate | null
  state: ElvState
  /** Why it was postponed or cancelled. */
  state_reason: string | null
  notified_at: Timestamp | null
  notified_by: number | null
  late_notification_reason: string | null
  /** Why there are more or fewer than the usual two focus areas. */
  focus_count_reason: string | null
  version: ColumnType<number, number | undefined, number>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface FocusAreaTable {
  id: Generated<number>
  elv_id: number
  position: number
  title: string
  description: string
  source: FocusSource
  recommendation_id: number | null
  framework_key: string | null
  framework_area_code: string | null
  proposed_by_side: 'inspectorate' | 'authority'
  proposed_by: number | null
  proposed_at: Timestamp
  inspectorate_agreed_by: number | null
  inspectorate_agreed_at: Timestamp | null
  authority_agreed_by: number | null
  authority_agreed_at: Timestamp | null
  withdrawn_at: Timestamp | null
  version: ColumnType<number, number | undefined, number>
}

export interface LinkNoteTable {
  id: Generated<number>
  authority_code: string
  author_id: number
  noted_on: IsoDate
  kind: LinkNoteKind
  title: string
  body: string
  framework_area_code: string | null
  /** JSON array of theme words. */
  themes: ColumnType<string, string | undefined, string>
  version: ColumnType<number, number | undefined, number>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface FocusAreaLinkNoteTable { focus_area_id: number; link_note_id: number }

export interface ElvTeamMemberTable {
  id: Generated<number>
  elv_id: number
  user_id: number
  is_lead: ColumnType<Flag, Flag | undefined, Flag>
  /** Set when an admin allowed a declared conflict of interest, and why. */
  override_reason: string | null
  added_by: number | null
  added_at: Timestamp
}

export interface UserConflictTable {
  id: Generated<number>
  user_id: number
  authority_code: string
  reason: string
  created_at: Timestamp
}

export interface MeetingTable {
  id: Generated<number>
  elv_id: number
  day: 1 | 2
  /** HH:MM, local time on the visit day. */
  start_time: string
  end_time: string
  title: string
  place: string | null
  video_link: string | null
  version: ColumnType<number, number | undefined, number>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface MeetingAttendeeTable {
  id: Generated<number>
  meeting_id: number
  name: string
  role: string
  kind: AttendeeKind
  suggested_by_authority: ColumnType<Flag, Flag | undefined, Flag>
}

export interface MeetingInspectorTable { meeting_id: number; user_id: number }
export interface MeetingFocusAreaTable { meeting_id: number; focus_area_id: number }

export interface ProviderTable {
  id: Generated<number>
  authority_code: string
  /** The provider's own reference number, unique across Wales. */
  reference: string
  name: string
  kind: string
  last_inspected_on: IsoDate | null
  summary: string | null
  report_url: string | null
  updated_at: Timestamp
}

export interface OutboxTable {
  id: Generated<number>
  to_address: string
  subject: string
  text_body: string
  html_body: string
  entity_type: string | null
  entity_id: string | null
  created_at: Timestamp
  sent_at: Timestamp | null
  attempts: ColumnType<number, number | undefined, number>
  last_error: string | null
  /** A sender's claim on the message, so two app servers never send it twice. */
  claimed_until: Timestamp | null
  /** JSON [{ storageKey, fileName, contentType }]: stored files sent with the message. */
  attachments: ColumnType<string | null, string | null | undefined, string | null>
}

export const EVIDENCE_KINDS = ['meeting_note', 'authority_document', 'provider_inspection', 'data', 'link_intelligence'] as const
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number]
export const FINDING_KINDS = ['working_well', 'improvement'] as const
export type FindingKind = (typeof FINDING_KINDS)[number]
export const EVIDENCE_ORIGINS = ['link_note', 'provider'] as const
export type EvidenceOrigin = (typeof EVIDENCE_ORIGINS)[number]

export interface ThemeTable {
  id: Generated<number>
  /** Stable machine key, e.g. `attendance`; still accepted after the theme is merged. */
  key: string
  label_en: string
  label_cy: string
  /** Set when merged: every tag now points at that theme instead. */
  merged_into_id: number | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface EvidenceTable {
  id: Generated<number>
  elv_id: number
  kind: EvidenceKind
  title: string
  body: string
  /** Who said it or which document it is. */
  source: string
  meeting_id: number | null
  gathered_on: IsoDate
  /** When it was first recorded; never changed by an edit. */
  recorded_at: Timestamp
  recorded_by: number | null
  /** Recorded by the authority's own users: the only evidence they may read. */
  from_authority: ColumnType<Flag, Flag | undefined, Flag>
  origin_type: EvidenceOrigin | null
  origin_id: number | null
  /** Made by the recording page once per new item: a first save sent twice records one item. */
  draft_key: ColumnType<string | null, string | null | undefined, string | null>
  version: ColumnType<number, number | undefined, number>
  updated_at: Timestamp
  updated_by: number | null
}

export interface EvidenceFocusAreaTable { evidence_id: number; focus_area_id: number }
export interface EvidenceThemeTable { evidence_id: number; theme_id: number }

export interface EvidenceFileTable {
  id: Generated<number>
  evidence_id: number
  /** The file store's key: random, never derived from the file's name. */
  storage_key: string
  /** The name as uploaded, cleaned for display and downloads only. */
  file_name: string
  /** Detected from the content, not the name. */
  media_type: string
  size_bytes: number
  sha256: string
  extracted_text: string | null
  uploaded_by: number | null
  uploaded_at: Timestamp
}

export interface FindingTable {
  id: Generated<number>
  elv_id: number
  focus_area_id: number
  kind: FindingKind
  text: string
  created_by: number | null
  created_at: Timestamp
  updated_at: Timestamp
  version: ColumnType<number, number | undefined, number>
}

export interface FindingEvidenceTable { finding_id: number; evidence_id: number }
export interface FindingThemeTable { finding_id: number; theme_id: number }

export const LETTER_STATES = ['draft', 'in_review', 'approved', 'issued'] as const
export type LetterState = (typeof LETTER_STATES)[number]
export const PARAGRAPH_STYLES = ['text', 'bullet'] as const
export type ParagraphStyle = (typeof PARAGRAPH_STYLES)[number]
export const WRITING_RULE_KINDS = ['grade_word', 'follow_up', 'quantity', 'sentence_length', 'phrase'] as const
export type WritingRuleKind = (typeof WRITING_RULE_KINDS)[number]

export interface LetterTable {
  id: Generated<number>
  elv_id: number
  state: LetterState
  /** The date the letter bears: set when it is issued. */
  letter_date: IsoDate | null
  submitted_at: Timestamp | null
  submitted_by: number | null
  approved_at: Timestamp | null
  approved_by: number | null
  issued_at: Timestamp | null
  issued_by: number | null
  version: ColumnType<number, number | undefined, number>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface LetterSectionTable {
  id: Generated<number>
  letter_id: number
  position: number
  /** Stable across rebuilds: 'opening', 'purpose', 'visit', 'focus:<focus area id>', 'closing'. */
  key: string
  focus_area_id: number | null
  heading_en: string
  heading_cy: string
  /** Changed by an inspector since it was built: a rebuild keeps it unless asked not to. */
  edited: ColumnType<Flag, Flag | undefined, Flag>
  en_revised_at: Timestamp | null
  cy_revised_at: Timestamp | null
  /** Both languages say the same: the one written last has been carried into the other. */
  translation_current: ColumnType<Flag, Flag | undefined, Flag>
}

export interface LetterParagraphTable {
  id: Generated<number>
  section_id: number
  position: number
  style: ParagraphStyle
  text_en: string
  text_cy: string
  /** JSON array of finding ids. */
  finding_ids: ColumnType<string, string | undefined, string>
  /** Template wording, not checked by the writing rules. */
  fixed: ColumnType<Flag, Flag | undefined, Flag>
}

export interface LetterRevisionTable {
  id: Generated<number>
  letter_id: number
  number: number
  state: LetterState
  /** JSON of the whole letter as it was. */
  snapshot: string
  note: string | null
  created_by: number | null
  created_at: Timestamp
}

export interface LetterCommentTable {
  id: Generated<number>
  letter_id: number
  revision_number: number
  section_key: string | null
  paragraph_id: number | null
  body: string
  author_id: number | null
  created_at: Timestamp
}

export interface LetterFileTable {
  id: Generated<number>
  letter_id: number
  format: 'pdf' | 'docx' | 'html'
  lang: 'en' | 'cy' | 'both'
  storage_key: string
  sha256: string
  size_bytes: number
  created_at: Timestamp
}

export interface WritingRuleTable {
  id: Generated<number>
  code: string
  kind: WritingRuleKind
  lang: 'en' | 'cy' | 'both'
  pattern: string
  message_en: string
  message_cy: string
  enabled: ColumnType<Flag, Flag | undefined, Flag>
  built_in: ColumnType<Flag, Flag | undefined, Flag>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface InspectorUnavailabilityTable {
  user_id: number
  term_key: string
  reason: string | null
  created_at: Timestamp
}

export interface PlanProposalTable {
  id: Generated<number>
  cycle: string
  status: 'optimal' | 'feasible' | 'infeasible'
  /** JSON: the PlanInput the planner was given. */
  input: string
  /** JSON: the PlanOutput it gave. */
  output: string
  /** JSON: each planned ELV (id, authority, ordinal, term, version) as it was when the plan was made. */
  basis: string
  created_by: number | null
  created_at: Timestamp
}

export interface PlanProposalAcceptanceTable {
  proposal_id: number
  gss_code: string
  ordinal: number
  elv_id: number
  accepted_by: number | null
  accepted_at: Timestamp
}

export interface PlanExceptionTable {
  id: Generated<number>
  elv_id: number
  /** The planner's rule name (`maxElvsPerTerm`, ...). */
  rule: string
  /** JSON: the RuleBreach as it was explained when the change was made. */
  breach: string
  reason: string
  created_by: number | null
  created_at: Timestamp
}

export interface InsightsEditTable {
  academic_year: string
  lang: Language
  point_key: string
  text: string
  generated: string
  edited_by: number | null
  edited_at: Timestamp
}

export interface InsightsPublicationTable {
  academic_year: string
  published_by: number | null
  published_at: Timestamp
}

export interface DB {
  local_authority: LocalAuthorityTable
  academic_year: AcademicYearTable
  term: TermTable
  framework: FrameworkTable
  framework_area: FrameworkAreaTable
  app_user: AppUserTable
  user_session: UserSessionTable
  sign_in_attempt: SignInAttemptTable
  api_token: ApiTokenTable
  audit_event: AuditEventTable
  app_setting: AppSettingTable
  core_inspection: CoreInspectionTable
  core_recommendation: CoreRecommendationTable
  core_recommendation_theme: CoreRecommendationThemeTable
  core_finding: CoreFindingTable
  core_finding_theme: CoreFindingThemeTable
  core_effective_practice: CoreEffectivePracticeTable
  elv: ElvTable
  focus_area: FocusAreaTable
  link_note: LinkNoteTable
  focus_area_link_note: FocusAreaLinkNoteTable
  elv_team_member: ElvTeamMemberTable
  user_conflict: UserConflictTable
  meeting: MeetingTable
  meeting_attendee: MeetingAttendeeTable
  meeting_inspector: MeetingInspectorTable
  meeting_focus_area: MeetingFocusAreaTable
  provider: ProviderTable
  outbox: OutboxTable
  theme: ThemeTable
  evidence: EvidenceTable
  evidence_focus_area: EvidenceFocusAreaTable
  evidence_theme: EvidenceThemeTable
  evidence_file: EvidenceFileTable
  finding: FindingTable
  finding_evidence: FindingEvidenceTable
  finding_theme: FindingThemeTable
  letter: LetterTable
  letter_section: LetterSectionTable
  letter_paragraph: LetterParagraphTable
  letter_revision: LetterRevisionTable
  letter_comment: LetterCommentTable
  letter_file: LetterFileTable
  writing_rule: WritingRuleTable
  inspector_unavailability: InspectorUnavailabilityTable
  plan_proposal: PlanProposalTable
  plan_proposal_acceptance: PlanProposalAcceptanceTable
  plan_exception: PlanExceptionTable
  insights_edit: InsightsEditTable
  insights_publication: InsightsPublicationTable
}

export type LocalAuthority = Selectable<LocalAuthorityTable>
export type LocalAuthorityUpdate = Updateable<LocalAuthorityTable>
export type Term = Selectable<TermTable>
export type AcademicYear = Selectable<AcademicYearTable>
export type Framework = Selectable<FrameworkTable>
export type FrameworkArea = Selectable<FrameworkAreaTable>
export type AppUser = Selectable<AppUserTable>
export type NewAppUser = Insertable<AppUserTable>
export type AppUserUpdate = Updateable<AppUserTable>
export type ApiToken = Selectable<ApiTokenTable>
export type AuditEvent = Selectable<AuditEventTable>
export type Elv = Selectable<ElvTable>
export type FocusArea = Selectable<FocusAreaTable>
export type LinkNote = Selectable<LinkNoteTable>
export type ElvTeamMember = Selectable<ElvTeamMemberTable>
export type UserConflict = Selectable<UserConflictTable>
export type Meeting = Selectable<MeetingTable>
export type MeetingAttendee = Selectable<MeetingAttendeeTable>
export type Provider = Selectable<ProviderTable>
export type OutboxMessage = Selectable<OutboxTable>
export type CoreInspection = Selectable<CoreInspectionTable>
export type CoreRecommendation = Selectable<CoreRecommendationTable>
export type CoreFinding = Selectable<CoreFindingTable>
export type CoreEffectivePractice = Selectable<CoreEffectivePracticeTable>
export type Theme = Selectable<ThemeTable>
export type Evidence = Selectable<EvidenceTable>
export type EvidenceFile = Selectable<EvidenceFileTable>
export type Finding = Selectable<FindingTable>
export type Letter = Selectable<LetterTable>
export type LetterSection = Selectable<LetterSectionTable>
export type LetterParagraph = Selectable<LetterParagraphTable>
export type WritingRule = Selectable<WritingRuleTable>
export type LetterFile = Selectable<LetterFileTable>
export type PlanProposal = Selectable<PlanProposalTable>
export type PlanException = Selectable<PlanExceptionTable>

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

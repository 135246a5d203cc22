import { sql } from 'kysely'
import type { Db } from '../../db/database.ts'
import type { AppUser, ElvState, Flag } from '../../db/schema.ts'
import { settingsGroup } from '../settings/settings.repository.ts'
import type { PlanRules } from './plan.types.ts'
import { RULE_NAMES, rulesAsText, storedRules } from './planning-rules.ts'

export interface ProgrammeInspectorRow {
  id: number
  name: string
  role: 'hmi' | 'peer'
  authority_code: string | null
  welsh_speaker: Flag
  max_elvs_per_term: number
}

export interface ProgrammeElvRow {
  id: number
  authority_code: string
  ordinal: number
  term_key: string
  state: ElvState
  version: number
}

export interface TeamMemberRow { elv_id: number; user_id: number; is_lead: Flag; name: string }
export interface UnavailabilityRow { user_id: number; term_key: string; reason: string | null }

/** What the planner is told of a cycle, read straight from the tables. */
export function programmeRepository(db: Db) {
  return {
    /** The terms of these academic years, earliest first. */
    terms(academicYears: readonly string[]) {
      return db.selectFrom('term').select(['key', 'academic_year', 'season', 'starts_on', 'ends_on'])
        .where('academic_year', 'in', [...academicYears]).orderBy('starts_on').execute()
    },

    authorities() {
      return db.selectFrom('local_authority').select(['gss_code', 'name_en', 'name_cy', 'welsh_medium', 'link_inspector_id'])
        .orderBy('gss_code').execute()
    },

    /** Each authority's latest core inspection: when it started. */
    async latestCoreInspections(): Promise<Map<string, string>> {
      // An inspection recorded without its dates (an imported historic one) says nothing about when.
      const rows = await db.selectFrom('core_inspection').select((eb) => ['authority_code', eb.fn.max('starts_on').as('starts_on')])
        .where('starts_on', 'is not', null).groupBy('authority_code').execute()
      return new Map(rows.map((r) => [r.authority_code, String(r.starts_on)]))
    },

    /** Every HMI and peer inspector whose account is in use. */
    inspectors(): Promise<ProgrammeInspectorRow[]> {
      return db.selectFrom('app_user').select(['id', 'name', 'role', 'authority_code', 'welsh_speaker', 'max_elvs_per_term'])
        .where('role', 'in', ['hmi', 'peer']).where('disabled', '=', 0).orderBy('id')
        .execute() as Promise<ProgrammeInspectorRow[]>
    },

    unavailability(): Promise<UnavailabilityRow[]> {
      return db.selectFrom('inspector_unavailability').select(['user_id', 'term_key', 'reason']).orderBy('user_id').orderBy('term_key').execute()
    },

    /** Declared conflicts of interest: who may not work on which authority's ELVs. */
    conflicts() {
      return db.selectFrom('user_conflict').select(['user_id', 'authority_code']).orderBy('user_id').orderBy('authority_code').execute()
    },

    /** The ELVs of the cycle that are not cancelled. */
    liveElvs(cycle: string): Promise<ProgrammeElvRow[]> {
      return db.selectFrom('elv').select(['id', 'authority_code', 'ordinal', 'term_key', 'state', 'version'])
        .where('cycle', '=', cycle).where('state', '!=', 'cancelled').orderBy('id').execute()
    },

    /** The team members of the cycle's live ELVs, with their names (whether or not still inspectors). */
    teams(cycle: string): Promise<TeamMemberRow[]> {
      return db.selectFrom('elv_team_member as m').innerJoin('elv as e', 'e.id', 'm.elv_id').innerJoin('app_user as u', 'u.id', 'm.user_id')
        .select(['m.elv_id', 'm.user_id', 'm.is_lead', 'u.name'])
        .where('e.cycle', '=', cycle).where('e.state', '!=', 'cancelled').orderBy('m.elv_id').orderBy('m.id').execute()
    },
  }
}

/** What an admin says of one inspector for planning: Welsh, their most ELVs in a term, and the terms they cannot work. */
export function inspectorFactsRepository(db: Db) {
  return {
    user(id: number): Promise<AppUser | undefined> {
      return db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst()
    },

    unavailability(userId: number): Promise<UnavailabilityRow[]> {
      return db.selectFrom('inspector_unavailability').select(['user_id', 'term_key', 'reason']).where('user_id', '=', userId).orderBy('term_key').execute()
    },

    /** Version-checked, like every edit of the account: undefined when someone else saved first. */
    update(id: number, expectedVersion: number, facts: { welshSpeaker: Flag; maxElvsPerTerm: number }, now: string): Promise<AppUser | undefined> {
      return db.updateTable('app_user')
        .set({ welsh_speaker: facts.welshSpeaker, max_elvs_per_term: facts.maxElvsPerTerm, updated_at: now, version: sql<number>`version + 1` })
        .where('id', '=', id).where('version', '=', expectedVersion)
        .returningAll().executeTakeFirst()
    },

    /** Among `terms`, makes the user unavailable in exactly those of `unavailable` (with their reasons); other terms are left alone. */
    async setUnavailability(userId: number, terms: readonly string[], unavailable: ReadonlyMap<string, string | null>, now: string): Promise<void> {
      const cleared = terms.filter((t) => !unavailable.has(t))
      if (cleared.length) await db.deleteFrom('inspector_unavailability').where('user_id', '=', userId).where('term_key', 'in', cleared).execute()
      for (const [term, reason] of unavailable) {
        await db.insertInto('inspector_unavailability').values({ user_id: userId, term_key: term, reason, created_at: now })
          .onConflict((oc) => oc.columns(['user_id', 'term_key']).doUpdateSet({ reason })).execute()
      }
    },
  }
}

// The rules live in app_setting, one row per rule, plus a version so two admins cannot overwrite each other.
const VERSION_KEY = 'planning.version'
const settingKey = (rule: keyof PlanRules) => `planning.${rule}`

export interface PlanningRulesSettings {
  rules: PlanRules
  /** 1 until first saved. */
  version: number
  updatedAt: string | null
}

/** The planning rules as stored; each one absent (or unusable) is its default. */
export function planningRulesSettings(db: Db) {
  return {
    async read(): Promise<PlanningRulesSettings> {
      const { values, version, updatedAt } = await settingsGroup(db, VERSION_KEY).read(RULE_NAMES.map(settingKey))
      return { rules: storedRules(values, settingKey), version, updatedAt }
    },

    /** Stores every rule; false (nothing written) when someone else saved first. */
    save(expectedVersion: number, rules: PlanRules, now: string): Promise<boolean> {
      const text = rulesAsText(rules)
      return settingsGroup(db, VERSION_KEY).save(expectedVersion, Object.fromEntries(RULE_NAMES.map((k) => [settingKey(k), text[k]])), now)
    },
  }
}

import { sql } from 'kysely'
import type { Db } from '../../db/database.ts'
import type { AcademicYear, Framework, FrameworkArea, Language, LocalAuthority, Term } from '../../db/schema.ts'
import { authoritySeeds, FRAMEWORK_SEEDS, termSeeds } from './reference.data.ts'

export interface AuthorityChanges {
  nameEn: string
  nameCy: string
  directorName: string | null
  directorEmail: string | null
  preferredLanguage: Language
  /** The authority's link inspector (an HMI's user id); left as it is when undefined. */
  linkInspectorId?: number | null
  /** Its ELV teams need Welsh speakers; left as it is when undefined. */
  welshMedium?: 0 | 1
}

export interface TermChanges { startsOn: string; endsOn: string }
export interface FrameworkChanges { nameEn: string; nameCy: string; effectiveFrom: string; effectiveTo: string | null }

export function referenceRepository(db: Db) {
  return {
    /** Inserts whatever reference rows are missing; never overwrites an admin's edits. Returns rows added. */
    async ensureSeeded(now: string): Promise<number> {
      let added = 0
      for (const a of authoritySeeds()) {
        const r = await db.insertInto('local_authority')
          .values({ gss_code: a.gssCode, name_en: a.nameEn, name_cy: a.nameCy, director_name: null, director_email: null, preferred_language: 'cy', updated_at: now })
          .onConflict((oc) => oc.column('gss_code').doNothing()).executeTakeFirst()
        added += Number(r.numInsertedOrUpdatedRows ?? 0)
      }
      const terms = termSeeds()
      for (const year of new Set(terms.map((t) => t.academicYear))) {
        const yearTerms = terms.filter((t) => t.academicYear === year)
        const r = await db.insertInto('academic_year')
          .values({ key: year, starts_on: yearTerms[0]!.startsOn, ends_on: yearTerms[yearTerms.length - 1]!.endsOn })
          .onConflict((oc) => oc.column('key').doNothing()).executeTakeFirst()
        added += Number(r.numInsertedOrUpdatedRows ?? 0)
      }
      for (const t of terms) {
        const r = await db.insertInto('term')
          .values({ key: t.key, academic_year: t.academicYear, season: t.season, starts_on: t.startsOn, ends_on: t.endsOn, updated_at: now })
          .onConflict((oc) => oc.column('key').doNothing()).executeTakeFirst()
        added += Number(r.numInsertedOrUpdatedRows ?? 0)
      }
      for (const f of FRAMEWORK_SEEDS) {
        const r = await db.insertInto('framework')
          .values({ key: f.key, name_en: f.nameEn, name_cy: f.nameCy, effective_from: f.effectiveFrom, effective_to: f.effectiveTo, updated_at: now })
          .onConflict((oc) => oc.column('key').doNothing()).executeTakeFirst()
        added += Number(r.numInsertedOrUpdatedRows ?? 0)
        for (const [position, area] of f.areas.entries()) {
          const a = await db.insertInto('framework_area')
            .values({ framework_key: f.key, code: area.code, parent_code: area.parentCode, name_en: area.nameEn, name_cy: area.nameCy, position })
            .onConflict((oc) => oc.columns(['framework_key', 'code']).doNothing()).executeTakeFirst()
          added += Number(a.numInsertedOrUpdatedRows ?? 0)
        }
      }
      return added
    },

    listAuthorities(): Promise<LocalAuthority[]> {
      return db.selectFrom('local_authority').selectAll().orderBy('name_en').execute()
    },

    getAuthority(gssCode: string): Promise<LocalAuthority | undefined> {
      return db.selectFrom('local_authority').selectAll().where('gss_code', '=', gssCode).executeTakeFirst()
    },

    /** Version-checked: returns undefined when someone else saved first. */
    updateAuthority(gssCode: string, expectedVersion: number, c: AuthorityChanges, now: string): Promise<LocalAuthority | undefined> {
      return db.updateTable('local_authority')
        .set({
          name_en: c.nameEn, name_cy: c.nameCy, director_name: c.directorName, director_email: c.directorEmail,
          preferred_language: c.preferredLanguage, updated_at: now, version: sql<number>`version + 1`,
          ...(c.linkInspectorId !== undefined ? { link_inspector_id: c.linkInspectorId } : {}),
          ...(c.welshMedium !== undefined ? { welsh_medium: c.welshMedium } : {}),
        })
        .where('gss_code', '=', gssCode).where('version', '=', expectedVersion)
        .returningAll().executeTakeFirst()
    },

    listTerms(): Promise<Term[]> {
      return db.selectFrom('term').selectAll().orderBy('starts_on').execute()
    },

    getTerm(key: string): Promise<Term | undefined> {
      return db.selectFrom('term').selectAll().where('key', '=', key).executeTakeFirst()
    },

    updateTerm(key: string, expectedVersion: number, c: TermChanges, now: string): Promise<Term | undefined> {
      return db.updateTable('term')
        .set({ starts_on: c.startsOn, ends_on: c.endsOn, updated_at: now, version: sql<number>`version + 1` })
        .where('key', '=', key).where('version', '=', expectedVersion)
        .returningAll().executeTakeFirst()
    },

    /** Keeps an academic year's bounds equal to the first start and last end of its terms. */
    async refreshAcademicYear(year: string): Promise<void> {
      const bounds = await db.selectFrom('term').where('academic_year', '=', year)
        .select((eb) => [eb.fn.min('starts_on').as('first'), eb.fn.max('ends_on').as('last')])
        .executeTakeFirst()
      if (!bounds?.first || !bounds.last) return
      await db.updateTable('academic_year').set({ starts_on: bounds.first, ends_on: bounds.last }).where('key', '=', year).execute()
    },

    getAcademicYear(year: string): Promise<AcademicYear | undefined> {
      return db.selectFrom('academic_year').selectAll().where('key', '=', year).executeTakeFirst()
    },

    listFrameworks(): Promise<Framework[]> {
      return db.selectFrom('framework').selectAll().orderBy('effective_from', 'desc').execute()
    },

    getFramework(key: string): Promise<Framework | undefined> {
      return db.selectFrom('framework').selectAll().where('key', '=', key).executeTakeFirst()
    },

    listFrameworkAreas(key: string): Promise<FrameworkArea[]> {
      return db.selectFrom('framework_area').selectAll().where('framework_key', '=', key).orderBy('position').execute()
    },

    updateFramework(key: string, expectedVersion: number, c: FrameworkChanges, now: string): Promise<Framework | undefined> {
      return db.updateTable('framework')
        .set({ name_en: c.nameEn, name_cy: c.nameCy, effective_from: c.effectiveFrom, effective_to: c.effectiveTo, updated_at: now, version: sql<number>`version + 1` })
        .where('key', '=', key).where('version', '=', expectedVersion)
        .returningAll().executeTakeFirst()
    },

    async updateFrameworkAreaNames(key: string, code: string, nameEn: string, nameCy: string): Promise<void> {
      await db.updateTable('framework_area').set({ name_en: nameEn, name_cy: nameCy })
        .where('framework_key', '=', key).where('code', '=', code).execute()
    },
  }
}

import { sql } from 'kysely'
import type { Db } from '../../db/database.ts'
import { settingsGroup } from '../settings/settings.repository.ts'
import type { EvidenceKind, Finding, FindingKind } from '../../db/schema.ts'
import type { Actor } from '../auth/actor.ts'
import { elvRepository } from '../visits/visits.repository.ts'
import { evidenceRepository } from '../evidence/evidence.repository.ts'
import { DEFAULT_THRESHOLD, thresholdProblems, type Threshold } from './findings.rules.ts'

export interface FindingRow extends Finding {
  focus_area_title: string
  focus_area_position: number
  created_by_name: string | null
}

/** An evidence item as a finding shows it and as triangulation counts it. */
export interface LinkedEvidence { finding_id: number; id: number; kind: EvidenceKind; title: string; source: string }

export interface FindingValues { focusAreaId: number; kind: FindingKind; text: string }

/**
 * Findings, read through the ELVs the actor may see (`elvRepository.visible()`). Authority users
 * never reach findings at all: the service refuses them before asking.
 */
export function findingRepository(db: Db, actor: Actor) {
  const visible = () => elvRepository(db, actor).visible()
    .innerJoin('finding as f', 'f.elv_id', 'elv.id')
    .innerJoin('focus_area as fa', 'fa.id', 'f.focus_area_id')
    .leftJoin('app_user as cu', 'cu.id', 'f.created_by')
    .selectAll('f')
    .select(['fa.title as focus_area_title', 'fa.position as focus_area_position', 'cu.name as created_by_name'])

  return {
    get(id: number): Promise<FindingRow | undefined> {
      return visible().where('f.id', '=', id).executeTakeFirst()
    },

    /** An ELV's findings on its live focus areas, by focus area position, then oldest first. */
    listForElv(elvId: number): Promise<FindingRow[]> {
      return visible().where('f.elv_id', '=', elvId).where('fa.withdrawn_at', 'is', null)
        .orderBy('fa.position').orderBy('f.id').execute()
    },

    /** Which of `ids` are evidence of this ELV that the actor may see. */
    async evidenceOfElv(elvId: number, ids: readonly number[]): Promise<Set<number>> {
      if (!ids.length) return new Set()
      const rows = await evidenceRepository(db, actor).visible().select('e.id').where('e.elv_id', '=', elvId).where('e.id', 'in', ids).execute()
      return new Set(rows.map((r) => r.id))
    },
  }
}

/** What hangs off findings: their evidence and themes, by finding id. */
export function findingLinks(db: Db) {
  return {
    /** Every linked item, whoever may see it: triangulation counts what the finding rests on. */
    async evidence(findingIds: readonly number[]): Promise<Map<number, LinkedEvidence[]>> {
      const map = new Map<number, LinkedEvidence[]>()
      if (!findingIds.length) return map
      const rows = await db.selectFrom('finding_evidence as fe').innerJoin('evidence as e', 'e.id', 'fe.evidence_id')
        .select(['fe.finding_id', 'e.id', 'e.kind', 'e.title', 'e.source'])
        .where('fe.finding_id', 'in', findingIds).orderBy('e.gathered_on').orderBy('e.id').execute()
      for (const r of rows) map.set(r.finding_id, [...(map.get(r.finding_id) ?? []), r])
      return map
    },

    async themeIds(findingIds: readonly number[]): Promise<Map<number, number[]>> {
      const map = new Map<number, number[]>()
      if (!findingIds.length) return map
      const rows = await db.selectFrom('finding_theme').select(['finding_id', 'theme_id']).where('finding_id', 'in', findingIds).orderBy('theme_id').execute()
      for (const r of rows) map.set(r.finding_id, [...(map.get(r.finding_id) ?? []), r.theme_id])
      return map
    },

    /** The live focus areas of an ELV, in position order. */
    liveFocusAreas(elvId: number) {
      return db.selectFrom('focus_area').select(['id', 'title', 'position']).where('elv_id', '=', elvId).where('withdrawn_at', 'is', null).orderBy('position').execute()
    },

    /**
     * How many evidence items of each kind are tagged to each focus area of the ELV; a null focus
     * area counts the items tagged to none.
     */
    async evidenceCounts(elvId: number): Promise<Array<{ focusAreaId: number | null; kind: EvidenceKind; n: number }>> {
      const tagged = await db.selectFrom('evidence_focus_area as ef').innerJoin('evidence as e', 'e.id', 'ef.evidence_id')
        .select(['ef.focus_area_id', 'e.kind', (eb) => eb.fn.countAll<number>().as('n')])
        .where('e.elv_id', '=', elvId).groupBy(['ef.focus_area_id', 'e.kind']).execute()
      const untagged = await db.selectFrom('evidence as e')
        .select(['e.kind', (eb) => eb.fn.countAll<number>().as('n')])
        .where('e.elv_id', '=', elvId)
        .where((eb) => eb.not(eb.exists(eb.selectFrom('evidence_focus_area as ef').select('ef.evidence_id').whereRef('ef.evidence_id', '=', 'e.id'))))
        .groupBy('e.kind').execute()
      return [
        ...tagged.map((r) => ({ focusAreaId: r.focus_area_id, kind: r.kind, n: Number(r.n) })),
        ...untagged.map((r) => ({ focusAreaId: null, kind: r.kind, n: Number(r.n) })),
      ]
    },
  }
}

/** Writes: only the findings service calls these, after checking the actor may act. */
export function findingWrites(db: Db) {
  return {
    insert(elvId: number, v: FindingValues, userId: number | null, now: string): Promise<Finding> {
      return db.insertInto('finding').values({
        elv_id: elvId, focus_area_id: v.focusAreaId, kind: v.kind, text: v.text, created_by: userId, created_at: now, updated_at: now,
      }).returningAll().executeTakeFirstOrThrow()
    },

    /** Version-checked: undefined when someone else saved first. */
    update(id: number, expectedVersion: number, v: FindingValues, now: string): Promise<Finding | undefined> {
      return db.updateTable('finding').set({
        focus_area_id: v.focusAreaId, kind: v.kind, text: v.text, updated_at: now, version: sql<number>`version + 1`,
      }).where('id', '=', id).where('version', '=', expectedVersion).returningAll().executeTakeFirst()
    },

    /** Version-checked when a version is given: false when nothing was deleted. */
    async delete(id: number, expectedVersion: number | null): Promise<boolean> {
      let q = db.deleteFrom('finding').where('id', '=', id)
      if (expectedVersion !== null) q = q.where('version', '=', expectedVersion)
      const r = await q.executeTakeFirst()
      return Number(r.numDeletedRows) > 0
    },

    async setEvidence(id: number, evidenceIds: readonly number[]): Promise<void> {
      await db.deleteFrom('finding_evidence').where('finding_id', '=', id).execute()
      if (evidenceIds.length) await db.insertInto('finding_evidence').values(evidenceIds.map((e) => ({ finding_id: id, evidence_id: e }))).execute()
    },

    async setThemes(id: number, themeIds: readonly number[]): Promise<void> {
      await db.deleteFrom('finding_theme').where('finding_id', '=', id).execute()
      if (themeIds.length) await db.insertInto('finding_theme').values(themeIds.map((t) => ({ finding_id: id, theme_id: t }))).execute()
    },
  }
}

// The threshold lives in app_setting, one row per number, plus a version so two admins cannot overwrite each other.
const SETTING_KEYS: Record<keyof Threshold, string> = {
  minItems: 'triangulation.minItems',
  minKinds: 'triangulation.minKinds',
  minSources: 'triangulation.minSources',
}
const VERSION_KEY = 'triangulation.version'

export interface TriangulationSettings extends Threshold {
  /** 1 until first saved. */
  version: number
  updatedAt: string | null
}

/** The triangulation threshold as stored; each value absent (or unreadable) falls back to the default. */
export function triangulationSettings(db: Db) {
  return {
    async read(): Promise<TriangulationSettings> {
      const { values, version, updatedAt } = await settingsGroup(db, VERSION_KEY).read(Object.values(SETTING_KEYS))
      const value = (key: keyof Threshold): number => {
        const n = Number(values.get(SETTING_KEYS[key]))
        const candidate = { ...DEFAULT_THRESHOLD, [key]: n }
        // A hand-edited value out of range must not make every finding secure (or none).
        return thresholdProblems(candidate).some(([k]) => k === key) ? DEFAULT_THRESHOLD[key] : n
      }
      return { minItems: value('minItems'), minKinds: value('minKinds'), minSources: value('minSources'), version, updatedAt }
    },

    /** Stores the threshold; false (nothing written) when someone else saved first. */
    save(expectedVersion: number, t: Threshold, now: string): Promise<boolean> {
      return settingsGroup(db, VERSION_KEY).save(expectedVersion, Object.fromEntries((['minItems', 'minKinds', 'minSources'] as const).map((k) => [SETTING_KEYS[k], String(t[k])])), now)
    },
  }
}

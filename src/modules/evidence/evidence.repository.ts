import { sql } from 'kysely'
import type { Db } from '../../db/database.ts'
import type { Evidence, EvidenceFile, EvidenceKind, EvidenceOrigin } from '../../db/schema.ts'
import type { Actor } from '../auth/actor.ts'
import { elvRepository } from '../visits/visits.repository.ts'
import type { PreparedFile } from './attachments.ts'

export interface EvidenceValues {
  kind: EvidenceKind
  title: string
  body: string
  source: string
  meetingId: number | null
  gatheredOn: string
}

export interface EvidenceRow extends Evidence {
  recorded_by_name: string | null
  meeting_title: string | null
  /** Who saved the current version: shown beside a refused edit so the two can be compared. */
  updated_by_name: string | null
}

export interface EvidenceFilter {
  kind?: EvidenceKind
  focusAreaId?: number
  themeId?: number
}

export type EvidenceFileView = Omit<EvidenceFile, 'extracted_text'>

/**
 * Evidence rows, read through what the actor may see: the ELVs `elvRepository.visible()` allows,
 * and for authority users only what the authority itself shared (never inspectors' notes).
 */
export function evidenceRepository(db: Db, actor: Actor) {
  const visible = () => {
    let q = elvRepository(db, actor).visible()
      .innerJoin('evidence as e', 'e.elv_id', 'elv.id')
      .leftJoin('app_user as ru', 'ru.id', 'e.recorded_by')
      .leftJoin('meeting as m', 'm.id', 'e.meeting_id')
    if (actor.kind === 'user' && actor.role === 'la') q = q.where('e.from_authority', '=', 1)
    return q
  }
  const columns = ['ru.name as recorded_by_name', 'm.title as meeting_title', 'ub.name as updated_by_name'] as const
  /** Whole items with the names a page shows (kept out of `visible()`, which search and findings build on). */
  const withNames = (q: ReturnType<typeof visible>) => q.leftJoin('app_user as ub', 'ub.id', 'e.updated_by').selectAll('e').select(columns)
  const detailed = () => withNames(visible())
  /** The items of one ELV that pass the log's filters, before anything is selected. */
  const matching = (elvId: number, f: EvidenceFilter) => {
    let q = visible().where('e.elv_id', '=', elvId)
    if (f.kind) q = q.where('e.kind', '=', f.kind)
    if (f.focusAreaId) {
      const fa = f.focusAreaId
      q = q.where((eb) => eb.exists(eb.selectFrom('evidence_focus_area as ef').select('ef.evidence_id').whereRef('ef.evidence_id', '=', 'e.id').where('ef.focus_area_id', '=', fa)))
    }
    if (f.themeId) {
      const th = f.themeId
      q = q.where((eb) => eb.exists(eb.selectFrom('evidence_theme as et').select('et.evidence_id').whereRef('et.evidence_id', '=', 'e.id').where('et.theme_id', '=', th)))
    }
    return q
  }
  // The id breaks ties between items gathered on the same day, so pages never overlap or skip.
  const newestFirst = (q: ReturnType<typeof detailed>) => q.orderBy('e.gathered_on', 'desc').orderBy('e.id', 'desc')

  return {
    visible,
    detailed,

    get(id: number): Promise<EvidenceRow | undefined> {
      return detailed().where('e.id', '=', id).executeTakeFirst()
    },

    /** An ELV's evidence, most recently gathered first. */
    listForElv(elvId: number, f: EvidenceFilter = {}): Promise<EvidenceRow[]> {
      return newestFirst(withNames(matching(elvId, f))).execute()
    },

    /** One page of `listForElv` and how many items match in all, counted and cut in SQL. */
    async pageForElv(elvId: number, f: EvidenceFilter, page: { limit: number; offset: number }): Promise<{ rows: EvidenceRow[]; total: number }> {
      const [rows, count] = await Promise.all([
        newestFirst(withNames(matching(elvId, f))).limit(page.limit).offset(page.offset).execute(),
        matching(elvId, f).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
      ])
      // PostgreSQL answers count(*) as a bigint string.
      return { rows, total: Number(count.n) }
    },
  }
}

/** The tags and files of evidence items, by item id. */
export function evidenceLinks(db: Db) {
  const group = <T>(rows: Array<{ evidence_id: number } & T>) => {
    const map = new Map<number, T[]>()
    for (const r of rows) map.set(r.evidence_id, [...(map.get(r.evidence_id) ?? []), r])
    return map
  }
  return {
    async focusAreaIds(ids: readonly number[]): Promise<Map<number, number[]>> {
      if (!ids.length) return new Map()
      const rows = await db.selectFrom('evidence_focus_area').select(['evidence_id', 'focus_area_id']).where('evidence_id', 'in', ids).orderBy('focus_area_id').execute()
      return new Map([...group(rows)].map(([k, v]) => [k, v.map((r) => r.focus_area_id)]))
    },
    async themeIds(ids: readonly number[]): Promise<Map<number, number[]>> {
      if (!ids.length) return new Map()
      const rows = await db.selectFrom('evidence_theme').select(['evidence_id', 'theme_id']).where('evidence_id', 'in', ids).orderBy('theme_id').execute()
      return new Map([...group(rows)].map(([k, v]) => [k, v.map((r) => r.theme_id)]))
    },
    async files(ids: readonly number[]): Promise<Map<number, EvidenceFileView[]>> {
      if (!ids.length) return new Map()
      const rows = await db.selectFrom('evidence_file')
        .select(['id', 'evidence_id', 'storage_key', 'file_name', 'media_type', 'size_bytes', 'sha256', 'uploaded_by', 'uploaded_at'])
        .where('evidence_id', 'in', ids).orderBy('id').execute()
      return group(rows)
    },
    /** What brought-in items came from, by `type:id`: a link note's title or a provider's name. */
    async originLabels(items: ReadonlyArray<Pick<Evidence, 'origin_type' | 'origin_id'>>): Promise<Map<string, string>> {
      const of = (type: EvidenceOrigin) => [...new Set(items.filter((i) => i.origin_type === type && i.origin_id !== null).map((i) => i.origin_id!))]
      const [noteIds, providerIds] = [of('link_note'), of('provider')]
      const [notes, providers] = await Promise.all([
        noteIds.length ? db.selectFrom('link_note').select(['id', 'title as label']).where('id', 'in', noteIds).execute() : [],
        providerIds.length ? db.selectFrom('provider').select(['id', 'name as label']).where('id', 'in', providerIds).execute() : [],
      ])
      return new Map([...notes.map((n) => [`link_note:${n.id}`, n.label] as const), ...providers.map((p) => [`provider:${p.id}`, p.label] as const)])
    },
    async extractedTexts(evidenceId: number): Promise<string[]> {
      const rows = await db.selectFrom('evidence_file').select('extracted_text').where('evidence_id', '=', evidenceId).orderBy('id').execute()
      return rows.map((r) => r.extracted_text ?? '')
    },
  }
}

/** Writes: only the evidence service calls these, after checking the actor may act. */
export function evidenceWrites(db: Db) {
  return {
    insert(elvId: number, v: EvidenceValues, by: { userId: number | null; fromAuthority: boolean; origin?: { type: EvidenceOrigin; id: number }; draftKey?: string | null }, now: string): Promise<Evidence> {
      return db.insertInto('evidence').values({
        elv_id: elvId, kind: v.kind, title: v.title, body: v.body, source: v.source, meeting_id: v.meetingId, gathered_on: v.gatheredOn,
        recorded_at: now, recorded_by: by.userId, from_authority: by.fromAuthority ? 1 : 0,
        origin_type: by.origin?.type ?? null, origin_id: by.origin?.id ?? null, draft_key: by.draftKey ?? null, updated_at: now, updated_by: by.userId,
      }).returningAll().executeTakeFirstOrThrow()
    },

    /** Version-checked: undefined when someone else saved first. `recorded_at`/`recorded_by` never change. */
    update(id: number, expectedVersion: number, v: EvidenceValues, userId: number | null, now: string): Promise<Evidence | undefined> {
      return db.updateTable('evidence').set({
        kind: v.kind, title: v.title, body: v.body, source: v.source, meeting_id: v.meetingId, gathered_on: v.gatheredOn,
        updated_at: now, updated_by: userId, version: sql<number>`version + 1`,
      }).where('id', '=', id).where('version', '=', expectedVersion).returningAll().executeTakeFirst()
    },

    async bump(id: number, userId: number | null, now: string): Promise<void> {
      await db.updateTable('evidence').set({ updated_at: now, updated_by: userId, version: sql<number>`version + 1` }).where('id', '=', id).execute()
    },

    async setFocusAreas(id: number, focusAreaIds: readonly number[]): Promise<void> {
      await db.deleteFrom('evidence_focus_area').where('evidence_id', '=', id).execute()
      if (focusAreaIds.length) await db.insertInto('evidence_focus_area').values(focusAreaIds.map((f) => ({ evidence_id: id, focus_area_id: f }))).execute()
    },

    async setThemes(id: number, themeIds: readonly number[]): Promise<void> {
      await db.deleteFrom('evidence_theme').where('evidence_id', '=', id).execute()
      if (themeIds.length) await db.insertInto('evidence_theme').values(themeIds.map((t) => ({ evidence_id: id, theme_id: t }))).execute()
    },

    async addFiles(id: number, files: readonly PreparedFile[], userId: number | null, now: string): Promise<void> {
      if (!files.length) return
      await db.insertInto('evidence_file').values(files.map((f) => ({
        evidence_id: id, storage_key: f.storageKey, file_name: f.fileName, media_type: f.mediaType, size_bytes: f.sizeBytes,
        sha256: f.sha256, extracted_text: f.extractedText, uploaded_by: userId, uploaded_at: now,
      }))).execute()
    },

    byDraftKey(elvId: number, draftKey: string): Promise<{ id: number; version: number; recorded_by: number | null } | undefined> {
      return db.selectFrom('evidence').select(['id', 'version', 'recorded_by']).where('elv_id', '=', elvId).where('draft_key', '=', draftKey).executeTakeFirst()
    },

    originExists(elvId: number, type: EvidenceOrigin, originId: number): Promise<{ id: number } | undefined> {
      return db.selectFrom('evidence').select('id').where('elv_id', '=', elvId).where('origin_type', '=', type).where('origin_id', '=', originId).executeTakeFirst()
    },
  }
}

/** Read only: what the evidence pages offer to choose from (other modules own these rows). */
export function evidenceChoices(db: Db) {
  return {
    /** Every focus area of the ELV, withdrawn ones too (old items may still name them). */
    focusAreas(elvId: number): Promise<Array<{ id: number; title: string; withdrawn_at: string | null }>> {
      return db.selectFrom('focus_area').select(['id', 'title', 'withdrawn_at']).where('elv_id', '=', elvId).orderBy('position').orderBy('id').execute()
    },
    meetings(elvId: number): Promise<Array<{ id: number; day: number; start_time: string; title: string }>> {
      return db.selectFrom('meeting').select(['id', 'day', 'start_time', 'title']).where('elv_id', '=', elvId).orderBy('day').orderBy('start_time').orderBy('id').execute()
    },
    /** The link notes and providers already brought into this ELV's evidence, by `type:id`, with the item's id. */
    async broughtIn(elvId: number): Promise<Map<string, number>> {
      const rows = await db.selectFrom('evidence').select(['id', 'origin_type', 'origin_id']).where('elv_id', '=', elvId).where('origin_type', 'is not', null).execute()
      return new Map(rows.map((r) => [`${r.origin_type}:${r.origin_id}`, r.id]))
    },
  }
}

import type { Db } from '../../db/database.ts'
import type { Theme } from '../../db/schema.ts'

/** Tables whose rows tag something with a theme: a merge moves their rows to the surviving theme. */
const TAG_TABLES = [
  { table: 'evidence_theme', owner: 'evidence_id' },
  { table: 'finding_theme', owner: 'finding_id' },
  { table: 'core_recommendation_theme', owner: 'recommendation_id' },
  { table: 'core_finding_theme', owner: 'finding_id' },
] as const

export function themeRepository(db: Db) {
  return {
    /** Every theme, merged ones included, in label order. */
    listAll(): Promise<Theme[]> {
      return db.selectFrom('theme').selectAll().orderBy('label_en').execute()
    },

    byKey(key: string): Promise<Theme | undefined> {
      return db.selectFrom('theme').selectAll().where('key', '=', key).executeTakeFirst()
    },

    byId(id: number): Promise<Theme | undefined> {
      return db.selectFrom('theme').selectAll().where('id', '=', id).executeTakeFirst()
    },

    insert(v: { key: string; labelEn: string; labelCy: string }, now: string): Promise<Theme> {
      return db.insertInto('theme').values({ key: v.key, label_en: v.labelEn, label_cy: v.labelCy, merged_into_id: null, created_at: now, updated_at: now })
        .returningAll().executeTakeFirstOrThrow()
    },

    /** Inserts each theme whose key is not there yet; returns how many were added. */
    async ensure(themes: ReadonlyArray<{ key: string; en: string; cy: string }>, now: string): Promise<number> {
      const existing = new Set((await db.selectFrom('theme').select('key').execute()).map((r) => r.key))
      const missing = themes.filter((t) => !existing.has(t.key))
      if (missing.length) {
        await db.insertInto('theme').values(missing.map((t) => ({ key: t.key, label_en: t.en, label_cy: t.cy, merged_into_id: null, created_at: now, updated_at: now })))
          .onConflict((oc) => oc.column('key').doNothing()).execute()
      }
      return missing.length
    },

    /** How many evidence items and findings each theme tags, by theme id. */
    async tagCounts(): Promise<Map<number, { evidence: number; findings: number }>> {
      const [evidence, findings] = await Promise.all([
        db.selectFrom('evidence_theme').select(['theme_id', (eb) => eb.fn.countAll().as('n')]).groupBy('theme_id').execute(),
        db.selectFrom('finding_theme').select(['theme_id', (eb) => eb.fn.countAll().as('n')]).groupBy('theme_id').execute(),
      ])
      const counts = new Map<number, { evidence: number; findings: number }>()
      const at = (id: number) => counts.get(id) ?? counts.set(id, { evidence: 0, findings: 0 }).get(id)!
      for (const r of evidence) at(r.theme_id).evidence = Number(r.n)
      for (const r of findings) at(r.theme_id).findings = Number(r.n)
      return counts
    },

    /** The theme keys of every link note that has any (the JSON text of each). */
    async linkNoteThemes(): Promise<string[]> {
      return (await db.selectFrom('link_note').select('themes').where('themes', '<>', '[]').execute()).map((r) => r.themes)
    },

    /**
     * Touches the themes if none is merged yet, which on PostgreSQL holds their rows until the
     * transaction ends: a merge running at the same time then sees the other's result, so two merges
     * can never point themes at each other. False if any of them has been merged meanwhile.
     */
    async lockUnmerged(ids: number[], now: string): Promise<boolean> {
      const result = await db.updateTable('theme').set({ updated_at: now }).where('id', 'in', ids).where('merged_into_id', 'is', null).executeTakeFirst()
      return Number(result.numUpdatedRows) === new Set(ids).size
    },

    /**
     * Points `from` (and anything already merged into it) at `into`, and moves every tag to `into`
     * so old tags keep their meaning. Link notes keep theme keys in JSON: those are rewritten too.
     */
    async merge(fromId: number, intoId: number, now: string): Promise<void> {
      for (const { table, owner } of TAG_TABLES) {
        // Tag with the survivor whatever the old theme tagged, then drop the old tags.
        const rows = await db.selectFrom(table).select(`${owner} as owner`).where('theme_id', '=', fromId).execute()
        for (const r of rows as Array<{ owner: number }>) {
          await db.insertInto(table).values({ [owner]: r.owner, theme_id: intoId } as never)
            .onConflict((oc) => oc.columns([owner, 'theme_id'] as never).doNothing()).execute()
        }
        await db.deleteFrom(table).where('theme_id', '=', fromId).execute()
      }
      const into = await db.selectFrom('theme').select('key').where('id', '=', intoId).executeTakeFirstOrThrow()
      const oldKeys = new Set((await db.selectFrom('theme').select('key')
        .where((eb) => eb.or([eb('id', '=', fromId), eb('merged_into_id', '=', fromId)])).execute()).map((r) => r.key))
      // LIKE only narrows the rows to read (it may over-match: `_` and case); the exact test is on the parsed keys.
      const notes = await db.selectFrom('link_note').select(['id', 'themes'])
        .where((eb) => eb.or([...oldKeys].map((k) => eb('themes', 'like', `%"${k}"%`)))).execute()
      for (const note of notes) {
        const keys = JSON.parse(note.themes) as unknown
        if (!Array.isArray(keys) || !keys.some((k) => oldKeys.has(k as string))) continue
        const rewritten = [...new Set(keys.map((k) => (oldKeys.has(k as string) ? into.key : k)))]
        // Not an edit by anyone, so neither the note's version nor its updated_at changes: an open edit form still saves.
        await db.updateTable('link_note').set({ themes: JSON.stringify(rewritten) }).where('id', '=', note.id).execute()
      }
      await db.updateTable('theme').set({ merged_into_id: intoId, updated_at: now }).where((eb) => eb.or([eb('id', '=', fromId), eb('merged_into_id', '=', fromId)])).execute()
    },
  }
}

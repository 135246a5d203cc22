import type { Db } from '../../db/database.ts'
import type { Theme } from '../../db/schema.ts'

/** Tables whose rows tag something with a theme: a merge moves their rows to the surviving theme. */
const TAG_TABLES = [
  { table: 'evidence_theme', owner: 'evidence_id' },
  { table: 'finding_theme', owner: 'finding_id' },
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

    /**
     * Points `from` (and anything already merged into it) at `into`, and moves every tag to `into`
     * so old tags keep their meaning. Link notes keep theme keys, which resolve through the merge.
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
      await db.updateTable('theme').set({ merged_into_id: intoId, updated_at: now }).where((eb) => eb.or([eb('id', '=', fromId), eb('merged_into_id', '=', fromId)])).execute()
    },
  }
}

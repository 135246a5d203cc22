import type { Db } from '../../db/database.ts'

/**
 * A group of admin settings in `app_setting`, saved together under one version row (the
 * triangulation threshold, the letterhead): each module keeps its own keys and defaults.
 */
export function settingsGroup(db: Db, versionKey: string) {
  return {
    /** The stored values of `keys` (absent keys are missing from the map), the group's version and when it was last saved. */
    async read(keys: readonly string[]): Promise<{ values: Map<string, string>; version: number; updatedAt: string | null }> {
      const rows = await db.selectFrom('app_setting').select(['key', 'value', 'updated_at']).where('key', 'in', [...keys, versionKey]).execute()
      const stamp = rows.find((r) => r.key === versionKey)
      const version = Number(stamp?.value)
      return {
        values: new Map(rows.filter((r) => r.key !== versionKey).map((r) => [r.key, r.value])),
        version: Number.isInteger(version) && version > 0 ? version : 1,
        updatedAt: stamp?.updated_at ?? null,
      }
    },

    /**
     * Moves the version on from `expectedVersion` and stores every value; false (nothing written)
     * when someone else saved first. The conditional update is what makes two saves at once safe.
     */
    async save(expectedVersion: number, values: Record<string, string>, now: string): Promise<boolean> {
      const bumped = await db.updateTable('app_setting').set({ value: String(expectedVersion + 1), updated_at: now })
        .where('key', '=', versionKey).where('value', '=', String(expectedVersion)).executeTakeFirst()
      if (Number(bumped.numUpdatedRows) !== 1) {
        if (expectedVersion !== 1) return false
        // Never saved before: the first save creates the version row; a second one at once finds it there.
        const inserted = await db.insertInto('app_setting').values({ key: versionKey, value: '2', updated_at: now })
          .onConflict((oc) => oc.column('key').doNothing()).executeTakeFirst()
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) return false
      }
      for (const [key, value] of Object.entries(values)) {
        await db.insertInto('app_setting').values({ key, value, updated_at: now })
          .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now })).execute()
      }
      return true
    },
  }
}

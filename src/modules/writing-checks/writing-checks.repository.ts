import type { Db } from '../../db/database.ts'
import type { Flag, WritingRule, WritingRuleKind } from '../../db/schema.ts'

export interface NewWritingRule {
  code: string
  kind: WritingRuleKind
  lang: 'en' | 'cy' | 'both'
  pattern: string
  messageEn: string
  messageCy: string
  builtIn: boolean
}

export function writingRuleRepository(db: Db) {
  return {
    /** Built-in rules first, then the ones administrators added, each group in code order. */
    list(opts: { enabledOnly?: boolean } = {}): Promise<WritingRule[]> {
      let q = db.selectFrom('writing_rule').selectAll()
      if (opts.enabledOnly) q = q.where('enabled', '=', 1)
      return q.orderBy('built_in', 'desc').orderBy('code').execute()
    },

    byCode(code: string): Promise<WritingRule | undefined> {
      return db.selectFrom('writing_rule').selectAll().where('code', '=', code).executeTakeFirst()
    },

    insert(r: NewWritingRule, now: string): Promise<WritingRule> {
      return db.insertInto('writing_rule').values(row(r, now)).returningAll().executeTakeFirstOrThrow()
    },

    /** Inserts each rule whose code is not there yet, leaving the others as they are; returns how many were added. */
    async ensure(rules: readonly NewWritingRule[], now: string): Promise<number> {
      const existing = new Set((await db.selectFrom('writing_rule').select('code').execute()).map((r) => r.code))
      const missing = rules.filter((r) => !existing.has(r.code))
      if (missing.length) {
        // Two starts at once may both see a code missing: the second insert of it does nothing.
        await db.insertInto('writing_rule').values(missing.map((r) => row(r, now)))
          .onConflict((oc) => oc.column('code').doNothing()).execute()
      }
      return missing.length
    },

    async setEnabled(code: string, enabled: Flag, now: string): Promise<WritingRule | undefined> {
      return db.updateTable('writing_rule').set({ enabled, updated_at: now }).where('code', '=', code).returningAll().executeTakeFirst()
    },
  }
}

function row(r: NewWritingRule, now: string) {
  return {
    code: r.code, kind: r.kind, lang: r.lang, pattern: r.pattern, message_en: r.messageEn, message_cy: r.messageCy,
    enabled: 1 as const, built_in: (r.builtIn ? 1 : 0) as Flag, created_at: now, updated_at: now,
  }
}

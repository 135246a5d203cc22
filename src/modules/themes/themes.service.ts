import type { Database, Db } from '../../db/database.ts'
import type { Language, Theme } from '../../db/schema.ts'
import type { Clock } from '../../clock.ts'
import { Check } from '../../http/check.ts'
import { conflict, forbidden, notFound } from '../../http/errors.ts'
import type { Actor } from '../auth/actor.ts'
import type { AuditService } from '../audit/audit.service.ts'
import { DEFAULT_THEMES } from './themes.data.ts'
import { themeRepository } from './themes.repository.ts'

const KEY = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
export const MAX_THEMES_PER_ITEM = 20

/** A theme as pickers and tags show it: merged themes resolve to the theme they became. */
export interface ThemeView { id: number; key: string; labelEn: string; labelCy: string }

export interface ThemeOverview {
  inUse: Array<ThemeView & { evidence: number; findings: number; linkNotes: number }>
  merged: Array<ThemeView & { mergedInto: ThemeView }>
}

export const themeLabel = (t: Pick<ThemeView, 'labelEn' | 'labelCy'>, lang: Language) => (lang === 'cy' ? t.labelCy : t.labelEn)

/** The managed list of themes that tags evidence, findings and link notes. */
export class ThemesService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  ensureSeeded(): Promise<number> {
    return themeRepository(this.database.db).ensure(DEFAULT_THEMES, this.clock.nowIso())
  }

  /** The themes still in use (not merged away), for pickers and the admin list. */
  async list(db: Db = this.database.db): Promise<ThemeView[]> {
    return (await themeRepository(db).listAll()).filter((t) => t.merged_into_id === null).map(toView)
  }

  /** Every theme with what it was merged into, for the admin page. */
  async listAll(db: Db = this.database.db): Promise<Array<ThemeView & { mergedInto: ThemeView | null }>> {
    const all = await themeRepository(db).listAll()
    const byId = new Map(all.map((t) => [t.id, t]))
    return all.map((t) => ({ ...toView(t), mergedInto: t.merged_into_id ? toView(byId.get(t.merged_into_id)!) : null }))
  }

  /**
   * Turns theme keys (as typed in the API, or chosen in a form) into the themes they stand for today,
   * each once; a key of a merged theme gives the theme it was merged into. Unknown keys are
   * reported on `path`, one problem each.
   */
  async resolve(check: Check, path: string, keys: unknown, db: Db = this.database.db): Promise<ThemeView[]> {
    const list = keys === undefined || keys === null || keys === '' ? [] : Array.isArray(keys) ? keys : [keys]
    if (list.length > MAX_THEMES_PER_ITEM) {
      check.add(path, 'themes.rule.tooMany', { max: MAX_THEMES_PER_ITEM })
      return []
    }
    const current = await this.current(db)
    const found = new Map<number, ThemeView>()
    for (const raw of list) {
      const theme = typeof raw === 'string' ? current(raw.trim().toLowerCase()) : undefined
      if (!theme) {
        check.add(path, 'themes.rule.unknown', { key: String(raw).slice(0, 40) })
        continue
      }
      found.set(theme.id, theme)
    }
    return [...found.values()]
  }

  /** A lookup from a stored key to the theme in use today (following merges); undefined for a key never managed. */
  async current(db: Db = this.database.db): Promise<(key: string) => ThemeView | undefined> {
    const all = await themeRepository(db).listAll()
    const byKey = new Map(all.map((t) => [t.key, t]))
    const byId = new Map(all.map((t) => [t.id, t]))
    return (key) => {
      let theme = byKey.get(key)
      // Follow merges to the theme in use today; a merge repoints earlier merges, so this is one step.
      for (let i = 0; theme && theme.merged_into_id !== null && i < 10; i++) theme = byId.get(theme.merged_into_id)
      return theme && theme.merged_into_id === null ? toView(theme) : undefined
    }
  }

  /** The admin page's view: themes in use with how much each tags, and merged themes with the theme each became. */
  async overview(db: Db = this.database.db): Promise<ThemeOverview> {
    const repo = themeRepository(db)
    const [all, counts, noteThemes, current] = await Promise.all([repo.listAll(), repo.tagCounts(), repo.linkNoteThemes(), this.current(db)])
    const noteCounts = new Map<number, number>()
    for (const json of noteThemes) {
      const keys = JSON.parse(json) as unknown
      if (!Array.isArray(keys)) continue
      // A note counts once per theme, even if it held a merged key and the key it was merged into.
      const ids = new Set(keys.flatMap((k) => (typeof k === 'string' ? current(k)?.id ?? [] : [])))
      for (const id of ids) noteCounts.set(id, (noteCounts.get(id) ?? 0) + 1)
    }
    return {
      inUse: all.filter((t) => t.merged_into_id === null).map((t) => ({
        ...toView(t), evidence: counts.get(t.id)?.evidence ?? 0, findings: counts.get(t.id)?.findings ?? 0, linkNotes: noteCounts.get(t.id) ?? 0,
      })),
      merged: all.filter((t) => t.merged_into_id !== null).flatMap((t) => {
        const into = current(t.key)
        return into ? [{ ...toView(t), mergedInto: into }] : []
      }),
    }
  }

  async create(actor: Actor, input: { key?: unknown; labelEn?: unknown; labelCy?: unknown }): Promise<ThemeView> {
    requireAdmin(actor)
    const check = new Check()
    const key = check.text('key', 'themes.field.key', input.key, { max: 40 })
    const labelEn = check.text('labelEn', 'themes.field.labelEn', input.labelEn, { max: 80 })
    const labelCy = check.text('labelCy', 'themes.field.labelCy', input.labelCy, { max: 80 })
    if (key && !KEY.test(key)) check.add('key', 'themes.rule.keyFormat')
    check.done()
    return this.database.db.transaction().execute(async (trx) => {
      const repo = themeRepository(trx)
      if (await repo.byKey(key!)) {
        const taken = new Check()
        taken.add('key', 'themes.rule.keyTaken', { key: key! })
        taken.done()
      }
      const theme = await repo.insert({ key: key!, labelEn: labelEn!, labelCy: labelCy! }, this.clock.nowIso())
      await this.audit.record(trx, actor, 'theme.create', { type: 'theme', id: theme.key }, { labelEn, labelCy })
      return toView(theme)
    })
  }

  /** Merges one theme into another: every tag moves, the old key keeps working. */
  async merge(actor: Actor, input: { from?: unknown; into?: unknown }): Promise<ThemeView> {
    requireAdmin(actor)
    const check = new Check()
    const from = check.text('from', 'themes.field.from', input.from, { max: 40 })
    const into = check.text('into', 'themes.field.into', input.into, { max: 40 })
    if (from && into && from === into) check.add('into', 'themes.rule.mergeSelf')
    check.done()
    return this.database.db.transaction().execute(async (trx) => {
      const repo = themeRepository(trx)
      const [source, target] = await Promise.all([repo.byKey(from!), repo.byKey(into!)])
      const problems = new Check()
      const keptKey = async (t: Theme) => (await repo.byId(t.merged_into_id!))?.key ?? ''
      if (!source) problems.add('from', 'themes.rule.unknown', { key: from! })
      else if (source.merged_into_id !== null) problems.add('from', 'themes.rule.alreadyMerged', { key: source.key, into: await keptKey(source) })
      if (!target) problems.add('into', 'themes.rule.unknown', { key: into! })
      else if (target.merged_into_id !== null) problems.add('into', 'themes.rule.intoMerged', { key: target.key, into: await keptKey(target) })
      problems.done()
      if (!(await repo.lockUnmerged([source!.id, target!.id], this.clock.nowIso()))) {
        throw conflict('One of these themes was merged by someone else a moment ago. Reload the page to see the list as it is now.', [
          { path: 'from', messageKey: 'themes.rule.mergedMeanwhile' },
        ])
      }
      await repo.merge(source!.id, target!.id, this.clock.nowIso())
      await this.audit.record(trx, actor, 'theme.merge', { type: 'theme', id: source!.key }, { into: target!.key })
      return toView(target!)
    })
  }

  async get(key: string): Promise<ThemeView> {
    const theme = await themeRepository(this.database.db).byKey(key)
    if (!theme) throw notFound('theme')
    return toView(theme)
  }
}

function requireAdmin(actor: Actor): void {
  if (actor.kind === 'user' && actor.role !== 'admin') throw forbidden()
}

function toView(t: Theme): ThemeView {
  return { id: t.id, key: t.key, labelEn: t.label_en, labelCy: t.label_cy }
}

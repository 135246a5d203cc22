import type { Database } from '../../db/database.ts'
import type { Language } from '../../db/schema.ts'
import type { Clock } from '../../clock.ts'
import { AppError, forbidden, validationFailed } from '../../http/errors.ts'
import type { I18n } from '../../i18n/catalogue.ts'
import type { Actor } from '../auth/actor.ts'
import type { AuditService } from '../audit/audit.service.ts'
import { changeStamp, StampedCache } from '../audit/change-stamp.ts'
import { can } from '../auth/permissions.ts'
import { insightsRepository } from './insights.repository.ts'
import { writeSummary } from './insights.summary.ts'
import type { InsightsSummary } from './insights.types.ts'

/** The academic years a summary covers: one (`2023-2024`) or a range (`2021-2022..2023-2024`). */
export interface InsightsPeriod {
  /** As given, normalised: `2023-2024` or `2021-2022..2023-2024`. Edits and publication are kept under it. */
  label: string
  years: string[]
  /** ELV letters issued from the first year's 1 September up to (not including) the 1 September after the last. */
  window: { from: string; to: string }
}

const YEAR = /^(\d{4})-(\d{4})$/
const MAX_EDIT = 1000
/** A day in Wales (YYYY-MM-DD): a draft summary says the day it was written. */
const WALES_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' })

/** Reads `2023-2024` or `2021-2022..2023-2024`; undefined when it is neither (or the range runs backwards). */
export function parsePeriod(value: unknown): InsightsPeriod | undefined {
  if (typeof value !== 'string') return undefined
  const [first, last = first, ...rest] = value.trim().split('..')
  if (rest.length || first === undefined) return undefined
  const a = YEAR.exec(first)
  const b = YEAR.exec(last ?? first)
  if (!a || !b || Number(a[2]) !== Number(a[1]) + 1 || Number(b[2]) !== Number(b[1]) + 1) return undefined
  const from = Number(a[1])
  const to = Number(b[1])
  if (to < from || to - from > 20) return undefined
  const years = Array.from({ length: to - from + 1 }, (_, i) => `${from + i}-${from + i + 1}`)
  return {
    label: years.length === 1 ? years[0]! : `${years[0]}..${years[years.length - 1]}`,
    years,
    window: { from: `${from}-09-01`, to: `${to + 1}-09-01` },
  }
}

/**
 * Early Insights: the thematic summary written from the core inspections recorded for a period
 * (and the ELV letters issued in it), a reviewer's wording of its points, and its publication.
 */
export class InsightsService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly i18n: I18n,
  ) {}

  /** Summary pages by period, language and day: a few years in two languages. */
  private readonly pages = new StampedCache<{ summary: InsightsSummary; view: unknown }>(16)

  period(value: unknown): InsightsPeriod {
    const period = parsePeriod(value)
    if (!period) throw validationFailed([{ path: 'year', messageKey: 'insights.year.invalid' }])
    return period
  }

  /** The summary for a period in one language; an empty one (with its message) when nothing was inspected. */
  async summary(year: unknown, lang: Language): Promise<InsightsSummary> {
    const period = this.period(year)
    const records = await insightsRepository(this.database.db).records(period.years, period.label, lang, period.window)
    return writeSummary(records, { academicYear: period.label, lang, t: this.i18n.translator(lang), now: this.clock.nowIso() })
  }

  /**
   * The summary page's summary with its view (charts drawn as SVG, the costly part), built once
   * and kept while nothing is written (the audit log's change stamp, read on every call) and the
   * day it says it was written is today. `view` must depend only on the summary and its language.
   */
  async summaryPage<V>(year: unknown, lang: Language, view: (summary: InsightsSummary) => Promise<V>): Promise<{ summary: InsightsSummary; view: V }> {
    const period = this.period(year)
    const stamp = await changeStamp(this.database.db)
    const key = `${period.label}|${lang}|${WALES_DAY.format(this.clock.now())}`
    return this.pages.get(key, stamp, async () => {
      const summary = await this.summary(period.label, lang)
      return { summary, view: await view(summary) }
    }) as Promise<{ summary: InsightsSummary; view: V }>
  }

  /** A reviewer's wording of one point, kept beside the generated sentence (which stays in the summary). */
  async editPoint(actor: Actor, input: { year?: unknown; lang?: unknown; key?: unknown; text?: unknown }): Promise<void> {
    if (!can(actor, 'insights:edit')) throw forbidden()
    const { period, lang, key, generated } = await this.point(input)
    const text = typeof input.text === 'string' ? input.text.trim() : ''
    if (!text) throw validationFailed([{ path: 'text', messageKey: 'insights.edit.empty' }])
    if (text.length > MAX_EDIT) throw validationFailed([{ path: 'text', messageKey: 'insights.edit.tooLong', params: { max: MAX_EDIT } }])
    await this.database.db.transaction().execute(async (trx) => {
      await insightsRepository(trx).saveEdit({ academicYear: period.label, lang, key, text, generated, by: actor.kind === 'user' ? actor.id : null }, this.clock.nowIso())
      await this.audit.record(trx, actor, 'insights.edit', { type: 'insights', id: period.label }, { lang, key, text, generated })
    })
  }

  /** Back to the generated sentence. */
  async resetPoint(actor: Actor, input: { year?: unknown; lang?: unknown; key?: unknown }): Promise<void> {
    if (!can(actor, 'insights:edit')) throw forbidden()
    const { period, lang, key } = await this.point(input)
    await this.database.db.transaction().execute(async (trx) => {
      if (await insightsRepository(trx).removeEdit(period.label, lang, key)) {
        await this.audit.record(trx, actor, 'insights.reset', { type: 'insights', id: period.label }, { lang, key })
      }
    })
  }

  /** Marks the period's summary published (again, if it was): what readers see is then the edited wording. */
  async publish(actor: Actor, year: unknown): Promise<void> {
    if (!can(actor, 'insights:edit')) throw forbidden()
    const period = this.period(year)
    const summary = await this.summary(period.label, 'en')
    if (summary.authoritiesInspected === 0) throw new AppError('rule_violation', summary.message ?? 'Nothing to publish.', [{ path: 'year', messageKey: 'insights.publish.empty' }])
    await this.database.db.transaction().execute(async (trx) => {
      await insightsRepository(trx).publish(period.label, actor.kind === 'user' ? actor.id : null, this.clock.nowIso())
      await this.audit.record(trx, actor, 'insights.publish', { type: 'insights', id: period.label }, { authorities: summary.authoritiesInspected })
    })
  }

  private async point(input: { year?: unknown; lang?: unknown; key?: unknown }) {
    const period = this.period(input.year)
    const lang: Language = input.lang === 'cy' ? 'cy' : 'en'
    const key = typeof input.key === 'string' ? input.key : ''
    const summary = await this.summary(period.label, lang)
    const points = [...summary.areas.flatMap((a) => [...a.goingWell, ...a.needsToImprove]), ...summary.recommendations]
    const found = points.find((p) => p.key === key)
    if (!found) throw validationFailed([{ path: 'key', messageKey: 'insights.edit.unknownPoint' }])
    return { period, lang, key, generated: found.sentence }
  }
}

import type { Database, Db } from '../../db/database.ts'
import { FOCUS_SOURCES, type ElvState, type FocusSource } from '../../db/schema.ts'
import type { Clock } from '../../clock.ts'
import { Check } from '../../http/check.ts'
import { AppError, forbidden, notFound } from '../../http/errors.ts'
import type { Actor } from '../auth/actor.ts'
import type { AuditService } from '../audit/audit.service.ts'
import type { ElvView, VisitsService } from '../visits/visits.service.ts'
import { referenceRepository } from '../reference/reference.repository.ts'
import { CURRENT_FRAMEWORK } from '../link-notes/link-notes.service.ts'
import { focusAreaRepository, type FocusAreaRow, type Side } from './focus-areas.repository.ts'

/** Focus areas are settled by the time the ELV is `focus_agreed`; after that they are fixed. */
export const OPEN_STATES: readonly ElvState[] = ['planned', 'notified']

export interface FocusAreaInput {
  title?: unknown
  description?: unknown
  source?: unknown
  recommendationId?: unknown
  frameworkAreaCode?: unknown
  /** One id, or several (a form's checkboxes, or the API's array). */
  linkNoteIds?: unknown
  version?: unknown
}

export interface FocusAreaView extends FocusAreaRow {
  linkNotes: Array<{ id: number; title: string; noted_on: string }>
}

const isAuthority = (actor: Actor) => actor.kind === 'user' && actor.role === 'la'
export const sideOf = (actor: Actor): Side => (isAuthority(actor) ? 'authority' : 'inspectorate')
/** Link notes are the inspectorate's own: authority users and peer inspectors never see them. */
const seesLinkNotes = (actor: Actor) => actor.kind === 'system' || ['admin', 'reviewer', 'hmi'].includes(actor.role)

function ids(value: unknown): unknown[] {
  if (value === undefined || value === null || value === '') return []
  return Array.isArray(value) ? value : [value]
}

function optionalVersion(check: Check, value: unknown): number | null {
  return value === undefined || value === null || value === '' ? null : check.integer('version', 'focusAreas.field.version', value, { min: 1 })
}

/** Focus areas of an ELV: proposed by either side, agreed by both. */
export class FocusAreasService {
  constructor(
    readonly database: Database,
    readonly audit: AuditService,
    readonly clock: Clock,
    readonly visits: VisitsService,
  ) {}

  /** The ELV's focus areas, for anyone who may see the ELV (404 otherwise). */
  async list(actor: Actor, elvId: number, db: Db = this.database.db): Promise<FocusAreaView[]> {
    await this.visits.get(actor, elvId, db)
    const repo = focusAreaRepository(db)
    const rows = await repo.list(elvId)
    const cited = seesLinkNotes(actor) ? await repo.citedLinkNotes(rows.map((r) => r.id)) : []
    return rows.map((r) => ({ ...r, linkNotes: cited.filter((c) => c.focus_area_id === r.id).map(({ id, title, noted_on }) => ({ id, title, noted_on })) }))
  }

  async get(actor: Actor, elvId: number, id: number, db: Db = this.database.db): Promise<FocusAreaView> {
    const found = (await this.list(actor, elvId, db)).find((f) => f.id === id)
    if (!found) throw notFound('focus area')
    return found
  }

  /** The recommendations a focus area may cite: those of the authority's recorded core inspections. */
  async recommendations(actor: Actor, elvId: number) {
    const elv = await this.visits.get(actor, elvId)
    return focusAreaRepository(this.database.db).recommendationsOf(elv.authority_code)
  }

  async propose(actor: Actor, elvId: number, input: FocusAreaInput): Promise<FocusAreaView> {
    const check = new Check()
    const title = check.text('title', 'focusAreas.field.title', input.title, { max: 150 })
    const description = check.text('description', 'focusAreas.field.description', input.description, { max: 1000 })
    const source = check.oneOf<FocusSource>('source', 'focusAreas.field.source', input.source, FOCUS_SOURCES)
    const area = check.text('frameworkAreaCode', 'focusAreas.field.frameworkArea', input.frameworkAreaCode, { required: false, max: 20 })
    const rawRecommendation = input.recommendationId === '' ? undefined : input.recommendationId
    const recommendationId = source === 'core_recommendation' && rawRecommendation !== undefined && rawRecommendation !== null
      ? check.integer('recommendationId', 'focusAreas.field.recommendation', rawRecommendation, { min: 1 }) : null
    const noteIds: number[] = []
    for (const raw of ids(input.linkNoteIds)) {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : NaN
      if (Number.isInteger(n) && n > 0) noteIds.push(n)
      else { check.add('linkNoteIds', 'focusAreas.rule.linkNoteUnknown'); break }
    }
    const version = optionalVersion(check, input.version)
    check.done()

    return this.database.db.transaction().execute(async (trx) => {
      const elv = await this.visits.beginEdit(trx, actor, elvId, { version, authorityMay: true })
      this.requireOpen(elv)
      const repo = focusAreaRepository(trx)
      const problems = new Check()
      if (source === 'core_recommendation') {
        if ((await repo.coreInspectionCount(elv.authority_code)) === 0) problems.add('recommendationId', 'focusAreas.rule.noCoreInspection')
        else if (recommendationId === null) problems.add('recommendationId', 'focusAreas.rule.recommendationRequired')
        else if ((await repo.recommendation(recommendationId))?.authority_code !== elv.authority_code) problems.add('recommendationId', 'focusAreas.rule.recommendationNotOfAuthority')
      }
      const uniqueNotes = [...new Set(noteIds)]
      if (uniqueNotes.length) {
        if (!seesLinkNotes(actor)) problems.add('linkNoteIds', 'focusAreas.rule.linkNotesInspectorateOnly')
        else if (source !== 'inspectorate_identified') problems.add('linkNoteIds', 'focusAreas.rule.linkNotesOnlyInspectorateIdentified')
        else if ((await repo.linkNotesOfAuthority(elv.authority_code, uniqueNotes)).length !== uniqueNotes.length) problems.add('linkNoteIds', 'focusAreas.rule.linkNoteUnknown')
      }
      if (area && !(await referenceRepository(trx).listFrameworkAreas(CURRENT_FRAMEWORK)).some((a) => a.code === area)) {
        problems.add('frameworkAreaCode', 'focusAreas.rule.unknownArea', { code: area })
      }
      problems.done()
      const side = sideOf(actor)
      const fa = await repo.insert({
        elvId, title: title!, description: description!, source: source!, recommendationId,
        frameworkKey: area ? CURRENT_FRAMEWORK : null, frameworkAreaCode: area, side, proposedBy: actor.kind === 'user' ? actor.id : null,
      }, this.clock.nowIso())
      await repo.cite(fa.id, uniqueNotes)
      await this.audit.record(trx, actor, 'focus_area.propose', { type: 'elv', id: elvId }, {
        focusAreaId: fa.id, title, source, side, recommendationId, frameworkAreaCode: area, linkNoteIds: uniqueNotes,
      })
      return this.get(actor, elvId, fa.id, trx)
    })
  }

  /** Records the actor's side's agreement, with who and when. Agreeing again changes nothing. */
  async agree(actor: Actor, elvId: number, id: number, input: { version?: unknown } = {}): Promise<FocusAreaView> {
    const check = new Check()
    const version = optionalVersion(check, input.version)
    check.done()
    const side = sideOf(actor)
    return this.database.db.transaction().execute(async (trx) => {
      const elv = await this.visits.get(actor, elvId, trx)
      const current = await this.get(actor, elvId, id, trx)
      const already = side === 'authority' ? current.authority_agreed_at : current.inspectorate_agreed_at
      if (already) {
        if (!(await this.mayAgreeIn(trx, actor, elv))) throw forbidden()
        return current
      }
      await this.visits.beginEdit(trx, actor, elvId, { version, authorityMay: true })
      this.requireOpen(elv)
      await focusAreaRepository(trx).agree(id, side, actor.kind === 'user' ? actor.id : null, this.clock.nowIso())
      await this.audit.record(trx, actor, 'focus_area.agree', { type: 'elv', id: elvId }, { focusAreaId: id, title: current.title, side })
      return this.get(actor, elvId, id, trx)
    })
  }

  /** Takes a focus area off the table, with a reason kept in the ELV's history. Inspectorate only. */
  async withdraw(actor: Actor, elvId: number, id: number, input: { reason?: unknown; version?: unknown }): Promise<void> {
    const check = new Check()
    const reason = check.text('reason', 'focusAreas.field.reason', input.reason, { max: 1000 })
    const version = optionalVersion(check, input.version)
    check.done()
    await this.database.db.transaction().execute(async (trx) => {
      const elv = await this.visits.beginEdit(trx, actor, elvId, { version })
      this.requireOpen(elv)
      const current = await this.get(actor, elvId, id, trx)
      await focusAreaRepository(trx).withdraw(id, this.clock.nowIso())
      await this.audit.record(trx, actor, 'focus_area.withdraw', { type: 'elv', id: elvId }, { focusAreaId: id, title: current.title, reason })
    })
  }

  private async mayAgreeIn(db: Db, actor: Actor, elv: ElvView): Promise<boolean> {
    return isAuthority(actor) || this.visits.canWork(actor, elv, db)
  }

  private requireOpen(elv: ElvView): void {
    if (!OPEN_STATES.includes(elv.state)) {
      throw new AppError('rule_violation', 'The focus areas of this visit are settled and can no longer change.', [
        { path: 'state', messageKey: 'focusAreas.rule.settled', params: { state: `@visits.state.${elv.state}` } },
      ])
    }
  }
}

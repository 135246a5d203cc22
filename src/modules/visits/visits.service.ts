import type { Database, Db } from '../../db/database.ts'
import { ELV_STATES, type Elv, type ElvState, type Term } from '../../db/schema.ts'
import type { Clock } from '../../clock.ts'
import { AppError, forbidden, notFound, versionConflict } from '../../http/errors.ts'
import { Check } from '../../http/check.ts'
import type { Actor } from '../auth/actor.ts'
import type { AuditService } from '../audit/audit.service.ts'
import { referenceRepository } from '../reference/reference.repository.ts'
import { CYCLE_YEARS } from '../reference/reference.data.ts'
import { elvRepository, elvWrites, type ElvFilter, type ElvRow } from './visits.repository.ts'
import { readinessRepository } from './readiness.repository.ts'
import { triangulationSettings } from '../findings/findings.repository.ts'
import { triangulate } from '../findings/findings.rules.ts'
import { CURRENT_CYCLE, freeOrdinal, NEXT_STATES, notifyBy, unmetForTransition, type Readiness } from './visits.rules.ts'

/** Called inside the transaction that moves an ELV to `notified`: writes the notification to the outbox. */
export interface Notifier {
  notify(trx: Db, actor: Actor, elv: Elv): Promise<void>
}

export const staleElv = () => versionConflict('Someone else changed this visit after you opened it. Reload it to see their changes, then try again.')

export const ruleViolation = (details: ReturnType<typeof unmetForTransition>) =>
  new AppError('rule_violation', 'The visit cannot move on yet: see each rule not met.', details)

export interface ElvView extends ElvRow {
  notifyBy: string | null
  lateNotification: boolean
}

export class VisitsService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly notifier: Notifier,
  ) {}

  private today(): string { return this.clock.nowIso().slice(0, 10) }

  private async terms(db: Db = this.database.db): Promise<Term[]> {
    return referenceRepository(db).listTerms()
  }

  private view(row: ElvRow, terms: readonly Term[]): ElvView {
    const due = notifyBy(row.term_key, terms) ?? null
    const sentOn = row.notified_at?.slice(0, 10)
    const late = due !== null && (sentOn ? sentOn > due : this.today() > due && row.state === 'planned')
    return { ...row, notifyBy: due, lateNotification: late }
  }

  async list(actor: Actor, filter: ElvFilter = {}): Promise<ElvView[]> {
    const [rows, terms] = await Promise.all([elvRepository(this.database.db, actor).list(filter), this.terms()])
    return rows.map((r) => this.view(r, terms))
  }

  /** The ELV if the actor may see it; otherwise 404, never a hint that it exists. */
  async get(actor: Actor, id: number, db: Db = this.database.db): Promise<ElvView> {
    const row = await elvRepository(db, actor).get(id)
    if (!row) throw notFound('visit')
    return this.view(row, await this.terms(db))
  }

  /**
   * The ELV for a page of the inspectorate's own record, such as its history (which names the
   * team's notes, findings and declared conflicts): 404 for authority users, as if it were not there.
   */
  async getForInspectorate(actor: Actor, id: number): Promise<ElvView> {
    if (actor.kind === 'user' && actor.role === 'la') throw notFound('visit')
    return this.get(actor, id)
  }

  /**
   * Who may change an ELV: admins; HMIs and peer inspectors on its team; the authority's link
   * inspector. Authority users only propose and agree focus areas and suggest attendees, through
   * their own actions.
   */
  async canWork(actor: Actor, elv: Pick<Elv, 'id' | 'authority_code'>, db: Db = this.database.db): Promise<boolean> {
    if (actor.kind === 'system') return true
    if (actor.role === 'admin') return true
    if (actor.role !== 'hmi' && actor.role !== 'peer') return false
    if (await readinessRepository(db).isOnTeam(elv.id, actor.id)) return true
    if (actor.role === 'hmi') {
      const authority = await referenceRepository(db).getAuthority(elv.authority_code)
      return authority?.link_inspector_id === actor.id
    }
    return false
  }

  async requireWork(actor: Actor, id: number, db: Db = this.database.db): Promise<ElvView> {
    const elv = await this.get(actor, id, db)
    if (!(await this.canWork(actor, elv, db))) throw forbidden()
    return elv
  }

  /**
   * Opens an edit of something that hangs off an ELV (focus areas, team, meetings) inside `trx`:
   * checks the actor may see it and work on it (authority users only where `authorityMay`), refuses
   * a stale `version` when one is given, and bumps the ELV's version so concurrent forms are caught.
   */
  async beginEdit(trx: Db, actor: Actor, id: number, opts: { version?: number | null; authorityMay?: boolean } = {}): Promise<ElvView> {
    const elv = await this.get(actor, id, trx)
    const isAuthority = actor.kind === 'user' && actor.role === 'la'
    if (isAuthority ? !opts.authorityMay : !(await this.canWork(actor, elv, trx))) throw forbidden()
    if (opts.version != null && opts.version !== elv.version) throw staleElv()
    await elvWrites(trx).touch(id, this.clock.nowIso())
    return elv
  }

  /** Plans an ELV for an authority in a term of the cycle; at most two live ELVs per authority. */
  async create(actor: Actor, input: { authority?: unknown; term?: unknown; visitDay1?: unknown; visitDay2?: unknown }): Promise<ElvView> {
    if (actor.kind === 'user' && actor.role !== 'admin') throw forbidden()
    const check = new Check()
    const authorityCode = check.text('authority', 'visits.field.authority', input.authority, { max: 9 })
    const termKey = check.text('term', 'visits.field.term', input.term, { max: 20 })
    const day1 = check.date('visitDay1', 'visits.field.visitDay1', input.visitDay1, { required: false })
    const day2 = check.date('visitDay2', 'visits.field.visitDay2', input.visitDay2, { required: false })
    check.done()
    return this.database.db.transaction().execute(async (trx) => {
      const ref = referenceRepository(trx)
      const problems = new Check()
      if (!(await ref.getAuthority(authorityCode!))) problems.add('authority', 'validation.unknownAuthority', { code: authorityCode! })
      const term = await ref.getTerm(termKey!)
      if (!term || !CYCLE_YEARS.includes(term.academic_year as (typeof CYCLE_YEARS)[number])) problems.add('term', 'visits.rule.unknownTerm', { term: termKey! })
      if (term) checkVisitDays(problems, term, day1, day2)
      problems.done()
      const ordinal = freeOrdinal(await elvWrites(trx).liveOrdinals(authorityCode!, CURRENT_CYCLE))
      if (ordinal === undefined) {
        throw new AppError('rule_violation', 'This authority already has two visits in the cycle that are not cancelled.', [
          { path: 'authority', messageKey: 'visits.rule.twoLiveAlready' },
        ])
      }
      const elv = await elvWrites(trx).insert({ authorityCode: authorityCode!, cycle: CURRENT_CYCLE, ordinal, termKey: termKey!, visitDay1: day1, visitDay2: day2 }, this.clock.nowIso())
      await this.audit.record(trx, actor, 'elv.create', { type: 'elv', id: elv.id }, { authority: authorityCode, term: termKey, ordinal })
      return this.get(actor, elv.id, trx)
    })
  }

  /** Sets the two visit days; they must fall in the ELV's term, day 2 after day 1. */
  async setVisitDays(actor: Actor, id: number, input: { visitDay1?: unknown; visitDay2?: unknown; version?: unknown }): Promise<ElvView> {
    const check = new Check()
    const day1 = check.date('visitDay1', 'visits.field.visitDay1', input.visitDay1)
    const day2 = check.date('visitDay2', 'visits.field.visitDay2', input.visitDay2)
    const version = check.integer('version', 'visits.field.version', input.version, { min: 1 })
    check.done()
    return this.database.db.transaction().execute(async (trx) => {
      const elv = await this.requireWork(actor, id, trx)
      const term = await referenceRepository(trx).getTerm(elv.term_key)
      const problems = new Check()
      if (term) checkVisitDays(problems, term, day1, day2)
      problems.done()
      const updated = await elvWrites(trx).update(id, version!, { visit_day1: day1, visit_day2: day2 }, this.clock.nowIso())
      if (!updated) throw staleElv()
      await this.audit.record(trx, actor, 'elv.visit_days', { type: 'elv', id }, { from: [elv.visit_day1, elv.visit_day2], to: [day1, day2] })
      return this.get(actor, id, trx)
    })
  }

  async readiness(elv: ElvView, db: Db = this.database.db): Promise<Readiness> {
    const repo = readinessRepository(db)
    const [focusAreas, team, meetings, findings, settings] = await Promise.all([
      repo.focusAreas(elv.id), repo.team(elv.id), repo.meetingsPerFocusArea(elv.id), repo.findings(elv.id), triangulationSettings(db).read(),
    ])
    const titles = new Map(focusAreas.map((f) => [f.id, f.title]))
    return {
      state: elv.state,
      termKey: elv.term_key,
      visitDays: [elv.visit_day1, elv.visit_day2],
      focusAreas: focusAreas.map((f) => ({ id: f.id, title: f.title, inspectorateAgreed: Boolean(f.inspectorate_agreed_at), authorityAgreed: Boolean(f.authority_agreed_at) })),
      focusCountReason: elv.focus_count_reason,
      team: team.map((m) => ({ userId: m.user_id, lead: m.is_lead === 1 })),
      meetingsPerFocusArea: meetings,
      notifyBy: elv.notifyBy,
      findings: findings.map((f) => ({
        id: f.id, focusAreaId: f.focusAreaId, focusAreaTitle: titles.get(f.focusAreaId) ?? '', text: f.text,
        secure: triangulate(f.evidence, settings).secure,
      })),
    }
  }

  /** What would stop each possible next step now: shown on the ELV page before anyone tries. */
  async blockers(actor: Actor, id: number): Promise<Array<{ to: ElvState; unmet: ReturnType<typeof unmetForTransition> }>> {
    const elv = await this.get(actor, id)
    const r = await this.readiness(elv)
    // A reason is asked for on the form itself, so it is not counted as missing here.
    return NEXT_STATES[elv.state].map((to) => ({ to, unmet: unmetForTransition(r, { to, reason: 'given' }, this.today()) }))
  }

  /** Moves an ELV to another state when every rule for that move is met; audited, version-checked. */
  async transition(actor: Actor, id: number, input: { to?: unknown; reason?: unknown; version?: unknown }): Promise<ElvView> {
    const check = new Check()
    const to = check.oneOf('to', 'visits.field.to', input.to, ELV_STATES)
    const reason = check.text('reason', 'visits.field.reason', input.reason, { required: false, max: 2000 })
    const version = input.version === undefined || input.version === '' ? null : check.integer('version', 'visits.field.version', input.version, { min: 1 })
    check.done()
    return this.database.db.transaction().execute(async (trx) => {
      const elv = await this.requireWork(actor, id, trx)
      if (version !== null && version !== elv.version) throw staleElv()
      const r = await this.readiness(elv, trx)
      const today = this.today()
      const unmet = unmetForTransition(r, { to: to!, reason }, today)
      if (unmet.length) throw ruleViolation(unmet)
      const now = this.clock.nowIso()
      const changes: Parameters<ReturnType<typeof elvWrites>['update']>[2] = { state: to! }
      if (to === 'postponed' || to === 'cancelled') changes.state_reason = reason
      if (to === 'planned') changes.state_reason = null
      if (to === 'notified') {
        changes.notified_at = now
        changes.notified_by = actor.kind === 'user' ? actor.id : null
        changes.late_notification_reason = r.notifyBy && today > r.notifyBy ? reason : null
      }
      if (to === 'focus_agreed' && r.focusAreas.length !== 2) changes.focus_count_reason = reason ?? elv.focus_count_reason
      const updated = await elvWrites(trx).update(id, elv.version, changes, now)
      if (!updated) throw staleElv()
      if (to === 'notified') await this.notifier.notify(trx, actor, updated)
      await this.audit.record(trx, actor, 'elv.transition', { type: 'elv', id }, { from: elv.state, to, reason })
      return this.get(actor, id, trx)
    })
  }
}

function checkVisitDays(check: Check, term: Term, day1: string | null, day2: string | null): void {
  for (const [path, day] of [['visitDay1', day1], ['visitDay2', day2]] as const) {
    if (day && (day < term.starts_on || day > term.ends_on)) check.add(path, 'visits.rule.dayOutsideTerm', { term: term.key })
  }
  if (day1 && day2 && day2 <= day1) check.add('visitDay2', 'visits.rule.day2AfterDay1')
  if ((day1 && !day2) || (!day1 && day2)) check.add(day1 ? 'visitDay2' : 'visitDay1', 'visits.rule.bothDays')
}


import type { Database, Db } from '../../db/database.ts'
import type { ElvState, Season } from '../../db/schema.ts'
import type { Clock } from '../../clock.ts'
import { AppError, conflict, forbidden, notFound, validationFailed, type ErrorDetail } from '../../http/errors.ts'
import { Check } from '../../http/check.ts'
import { I18n, type Translate } from '../../i18n/catalogue.ts'
import type { Actor } from '../auth/actor.ts'
import { can } from '../auth/permissions.ts'
import type { AuditService } from '../audit/audit.service.ts'
import { changeStamp, StampedCache } from '../audit/change-stamp.ts'
import { elvWrites } from '../visits/visits.repository.ts'
import { staleElv, type VisitsService } from '../visits/visits.service.ts'
import { checkPlan, type RuleBreach, type VisitInPlan } from './plan.rules.ts'
import type { PlanConflict, PlannedVisit, PlanOutput, PlanRules, PlanStatus, TermKey } from './plan.types.ts'
import { PlanTimeoutError, solvePlan } from './planner.ts'
import { cycleYears } from './calendar.ts'
import { termNumber } from './terms.ts'
import type { CurrentProgramme, ProgrammeElv, ProgrammeService } from './programme.service.ts'
import { planningRepository, type BasisElv } from './planning.repository.ts'
import {
  breachDetail, breachIdentity, introducedBreaches, namesOf, PlanningBreachError, recordingTranslate, teamBreaches, wordExplanation, type BreachNames,
} from './planning.breaches.ts'

/** How long the planner may search before answering with the best plan it has. */
export const PLAN_TIME_LIMIT_SECONDS = 20
const MAX_REASON = 2000

export interface ProgrammeTerm {
  key: TermKey
  academicYear: string
  season: Season
  start: string
  end: string
  /** Live ELVs in the term, fixed ones included, and the most allowed. */
  count: number
  max: number
  current: boolean
  firstPlannable: boolean
}

export interface ProgrammeBreach extends RuleBreach {
  /** The ELV the breach is about, when it is about one. */
  elvId: number | null
  /** The reason recorded when someone made the change knowing it broke this rule. */
  exception: { reason: string; by: string | null; at: string } | null
}

export interface ProgrammeView {
  cycle: string
  rules: PlanRules
  currentTerm: TermKey | null
  firstTerm: TermKey
  terms: ProgrammeTerm[]
  /** `toPlan`: ELVs the authority still needs in the cycle (none planned for them yet). */
  authorities: Array<CurrentProgramme['authorities'][number] & { linkInspectorName: string | null; toPlan: number }>
  /** Planned ELVs have the date their notification is due, and whether that date has passed. */
  elvs: Array<ProgrammeElv & { notifyBy: string | null; notificationOverdue: boolean }>
  breaches: ProgrammeBreach[]
  names: BreachNames
  proposals: Array<{ id: number; status: PlanStatus; createdAt: string }>
}

export type CannotAccept = 'accepted' | 'notPlanned' | 'changed' | 'newElv' | 'noPlan'

export interface ProposalRow {
  gssCode: string
  ordinal: number
  /** The ELV as it is today, if there is one. */
  today: { elvId: number; term: TermKey; state: ElvState; version: number; lead: string | null; team: string[] } | null
  proposed: PlannedVisit
  /** Accepting would move it, create it or change its team. */
  changed: boolean
  accepted: boolean
  acceptable: boolean
  /** Why it cannot be accepted (any more). */
  cannot: CannotAccept | null
  /** For `notPlanned`: the state it is in now. */
  stateNow: ElvState | null
}

export interface ProposalView {
  id: number
  cycle: string
  status: PlanStatus
  createdAt: string
  createdByName: string | null
  output: PlanOutput
  /** The planner's explanations of why there is no plan, worded later in the reader's language. */
  explanations: string[]
  rows: ProposalRow[]
  names: BreachNames
  /** ELVs already notified or later that the plan was made around. */
  fixedCount: number
}

export interface MoveInput { term?: unknown; version?: unknown; reason?: unknown }

export interface MoveResult {
  elvId: number
  from: TermKey
  to: TermKey
  breaches: RuleBreach[]
  reason: string | null
  names: BreachNames
}

type StoredOutput = PlanOutput & { explanations?: string[] }

let englishT: Translate | undefined
const english = (): Translate => (englishT ??= new I18n().translator('en'))

const visitKey = (gssCode: string, ordinal: number) => `${gssCode}#${ordinal}`
const sameTeam = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join()
const actorId = (actor: Actor) => (actor.kind === 'user' ? actor.id : null)

function requirePlanner(actor: Actor): void {
  if (!can(actor, 'visits:plan')) throw forbidden()
}

/** The ELVs of a programme as the rules see them. */
const asVisits = (elvs: readonly ProgrammeElv[]): VisitInPlan[] =>
  elvs.map((e) => ({ gssCode: e.gssCode, ordinal: e.ordinal, term: e.term, lead: e.lead, team: e.team, fixed: e.fixed }))

/** The programme with these proposed visits in place of the ELVs they plan (or added, where there is none yet). */
function withVisits(elvs: readonly ProgrammeElv[], visits: readonly PlannedVisit[]): VisitInPlan[] {
  const replaced = new Map(visits.map((v) => [visitKey(v.gssCode, v.ordinal), v]))
  const kept = asVisits(elvs.filter((e) => e.fixed || !replaced.has(visitKey(e.gssCode, e.ordinal))))
  return [...kept, ...visits.map((v) => ({ gssCode: v.gssCode, ordinal: v.ordinal, term: v.term, lead: v.lead, team: v.team }))]
}

/** Plans the programme: asks the planner for a proposal, accepts all or part of it, and checks changes made by hand. */
export class PlanningService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly visits: VisitsService,
    private readonly programme: ProgrammeService,
  ) {}

  /** Programme pages by language, planner or not, and day: a handful. */
  private readonly pages = new StampedCache<{ view: ProgrammeView; page: unknown }>(8)

  /**
   * The programme as programmeView() gives it, with what the page builds from it (`page`), built
   * once and kept while nothing is written (the audit log's change stamp, read on every call) on
   * the same day (the current term follows the date). The view differs between actors only by
   * whether they may plan; `variant` must name everything else `page` depends on (the language).
   */
  async programmePage<P>(actor: Actor, variant: string, page: (view: ProgrammeView) => Promise<P>): Promise<{ view: ProgrammeView; page: P }> {
    if (!can(actor, 'programme:read')) throw forbidden()
    const stamp = await changeStamp(this.database.db)
    const key = `${variant}|${can(actor, 'visits:plan')}|${this.clock.nowIso().slice(0, 10)}`
    return this.pages.get(key, stamp, async () => {
      const view = await this.programmeView(actor)
      return { view, page: await page(view) }
    }) as Promise<{ view: ProgrammeView; page: P }>
  }

  // ---- the programme --------------------------------------------------------------------------

  /** The cycle's programme as the grid shows it: terms with their load, ELVs, and every rule the programme breaks now. */
  async programmeView(actor: Actor, cycle?: string): Promise<ProgrammeView> {
    if (!can(actor, 'programme:read')) throw forbidden()
    const programme = await this.programme.current(cycle)
    const repo = planningRepository(this.database.db)
    const [termRows, exceptions, proposals] = await Promise.all([
      repo.cycleTerms(cycleYears(programme.cycle)), repo.exceptions(programme.cycle),
      can(actor, 'visits:plan') ? repo.recentProposals(programme.cycle) : Promise.resolve([]),
    ])
    const { input } = programme
    const names = namesOf(programme)
    const load = new Map<string, number>()
    for (const e of programme.elvs) load.set(e.term, (load.get(e.term) ?? 0) + 1)
    const terms: ProgrammeTerm[] = termRows.map((t) => ({
      key: t.key, academicYear: t.academic_year, season: t.season, start: t.starts_on, end: t.ends_on,
      count: load.get(t.key) ?? 0, max: input.rules.maxElvsPerTerm,
      current: t.key === programme.currentTerm, firstPlannable: t.key === input.firstTerm,
    })).sort((a, b) => termNumber(a.key) - termNumber(b.key))
    // The notice is due by the start of the term before the visit's term.
    const starts = new Map(terms.map((t) => [termNumber(t.key), t.start]))
    const notifyBy = (term: TermKey) => starts.get(termNumber(term) - 1) ?? null

    const elvIdOf = new Map(programme.elvs.map((e) => [visitKey(e.gssCode, e.ordinal), e.elvId]))
    const byIdentity = new Map<string, (typeof exceptions)[number]>()
    // Newest first: the latest reason given for the same breach is the one shown.
    for (const x of exceptions) if (!byIdentity.has(breachIdentity(x.breach))) byIdentity.set(breachIdentity(x.breach), x)
    // An authority short of its ELVs is work still to plan, shown in its row, not a breach.
    const breaches: ProgrammeBreach[] = checkPlan(input, asVisits(programme.elvs)).filter((b) => b.key !== 'tooFewElvs').map((b) => {
      const x = byIdentity.get(breachIdentity(b))
      return {
        ...b,
        elvId: b.gssCode && b.ordinal !== undefined ? elvIdOf.get(visitKey(b.gssCode, b.ordinal)) ?? null : null,
        exception: x ? { reason: x.reason, by: x.createdByName, at: x.createdAt } : null,
      }
    })
    return {
      cycle: programme.cycle,
      rules: input.rules,
      currentTerm: programme.currentTerm,
      firstTerm: input.firstTerm,
      terms,
      authorities: programme.authorities.map((a) => ({
        ...a,
        linkInspectorName: a.linkInspectorId ? names.inspectors[a.linkInspectorId] ?? null : null,
        toPlan: Math.max(0, input.rules.elvsPerAuthority - programme.elvs.filter((e) => e.gssCode === a.gssCode).length),
      })),
      elvs: programme.elvs.map((e) => {
        const due = e.state === 'planned' ? notifyBy(e.term) : null
        return { ...e, notifyBy: due, notificationOverdue: due !== null && due < this.clock.nowIso().slice(0, 10) }
      }),
      breaches,
      names,
      proposals: proposals.map((p) => ({ id: p.id, status: p.status, createdAt: p.created_at })),
    }
  }

  // ---- proposals ------------------------------------------------------------------------------

  /** Asks the planner for a plan of the terms still open and keeps it, feasible or not, for review. */
  async propose(actor: Actor): Promise<number> {
    requirePlanner(actor)
    const programme = await this.programme.current()
    const solved = await solvePlan(programme.input, { timeLimitSeconds: PLAN_TIME_LIMIT_SECONDS, translate: recordingTranslate }).catch((e: unknown) => {
      if (e instanceof PlanTimeoutError) {
        throw conflict(e.message, [{ path: 'plan', messageKey: 'planning.programme.propose.timeout', params: { seconds: PLAN_TIME_LIMIT_SECONDS } }])
      }
      throw e
    })
    const names = namesOf(programme)
    const explanations = solved.conflicts.map((c) => c.message)
    const output: StoredOutput = {
      ...solved,
      conflicts: solved.conflicts.map((c): PlanConflict => ({ rule: c.rule, message: wordExplanation(c.message, names, english(), 'en') })),
      explanations,
    }
    const basis: BasisElv[] = programme.elvs.filter((e) => e.state === 'planned')
      .map((e) => ({ elvId: e.elvId, gssCode: e.gssCode, ordinal: e.ordinal, term: e.term, version: e.version }))
    return this.database.db.transaction().execute(async (trx) => {
      const id = await planningRepository(trx).insertProposal({ cycle: programme.cycle, input: programme.input, output, basis, createdBy: actorId(actor) }, this.clock.nowIso())
      await this.audit.record(trx, actor, 'plan_proposal.create', { type: 'plan_proposal', id }, {
        cycle: programme.cycle, status: solved.status, visits: solved.visits.length, load: solved.load, conflicts: output.conflicts.map((c) => c.rule),
      })
      return id
    })
  }

  /** A proposal beside today's programme: for each visit, what changes, and whether it can still be accepted. */
  async proposal(actor: Actor, id: number): Promise<ProposalView> {
    requirePlanner(actor)
    return (await this.proposalWithProgramme(id)).view
  }

  private async proposalWithProgramme(id: number): Promise<{ view: ProposalView; programme: CurrentProgramme }> {
    const repo = planningRepository(this.database.db)
    const stored = await repo.proposal(id)
    if (!stored) throw notFound('proposal')
    const [programme, acceptances] = await Promise.all([this.programme.current(stored.cycle), repo.acceptances(id)])
    const accepted = new Set(acceptances.map((a) => visitKey(a.gssCode, a.ordinal)))
    const basis = new Map(stored.basis.map((b) => [visitKey(b.gssCode, b.ordinal), b]))
    const live = new Map(programme.elvs.map((e) => [visitKey(e.gssCode, e.ordinal), e]))
    const byId = new Map(programme.elvs.map((e) => [e.elvId, e]))
    const rows = stored.output.visits.map((proposed): ProposalRow => {
      const key = visitKey(proposed.gssCode, proposed.ordinal)
      const then = basis.get(key)
      const now = then ? byId.get(then.elvId) : live.get(key)
      let cannot: CannotAccept | null = null
      if (accepted.has(key)) cannot = 'accepted'
      else if (then && (!now || now.state !== 'planned')) cannot = 'notPlanned'
      else if (then && now!.version !== then.version) cannot = 'changed'
      else if (!then && now) cannot = 'newElv'
      const today = now ? { elvId: now.elvId, term: now.term, state: now.state, version: now.version, lead: now.lead, team: now.team } : null
      return {
        gssCode: proposed.gssCode, ordinal: proposed.ordinal, today, proposed,
        changed: !today || today.term !== proposed.term || today.lead !== proposed.lead || !sameTeam(today.team, proposed.team),
        accepted: accepted.has(key),
        acceptable: cannot === null,
        cannot,
        stateNow: cannot === 'notPlanned' ? (now?.state ?? 'cancelled') : null,
      }
    })
    const output = stored.output as StoredOutput
    return {
      programme,
      view: {
        id: stored.id, cycle: stored.cycle, status: stored.status, createdAt: stored.createdAt, createdByName: stored.createdByName,
        output: { status: output.status, visits: output.visits, load: output.load, conflicts: output.conflicts, solver: output.solver },
        explanations: output.explanations ?? output.conflicts.map((c) => c.message),
        rows, names: namesOf(programme), fixedCount: stored.input.fixed.length,
      },
    }
  }

  /**
   * Accepts the chosen visits of a proposal in one transaction: each planned ELV moves to its
   * proposed term (or is created) with the proposed team. Refused, with nothing written, when a
   * chosen visit has changed since the plan was made, or when taking only these would break a rule.
   */
  async accept(actor: Actor, id: number, selection: unknown): Promise<{ accepted: Array<{ gssCode: string; ordinal: number; elvId: number }> }> {
    requirePlanner(actor)
    const { view, programme } = await this.proposalWithProgramme(id)
    if (view.status === 'infeasible') {
      throw new AppError('rule_violation', 'This proposal has no plan to accept.', [{ path: 'visits', messageKey: 'planning.proposal.cannot.noPlan' }])
    }
    const names = view.names
    const authorityEn = (gss: string) => names.authorities[gss]?.en ?? gss
    const rows = new Map(view.rows.map((r) => [visitKey(r.gssCode, r.ordinal), r]))

    const check = new Check()
    const chosen: ProposalRow[] = []
    const list = Array.isArray(selection) ? selection : []
    if (!list.length) check.add('visits', 'planning.proposal.noneSelected')
    list.forEach((item: unknown, i) => {
      const v = item as { gssCode?: unknown; ordinal?: unknown } | null
      const row = v && typeof v.gssCode === 'string' && Number.isInteger(Number(v.ordinal)) ? rows.get(visitKey(v.gssCode, Number(v.ordinal))) : undefined
      if (!row) check.add(`visits.${i}`, 'planning.proposal.unknownVisit', { visit: `${String(v?.gssCode ?? '')} ${String(v?.ordinal ?? '')}`.trim() })
      else if (!chosen.includes(row)) chosen.push(row)
    })
    check.done()

    const refused: ErrorDetail[] = chosen.filter((r) => !r.acceptable).map((r) => ({
      path: 'visits', messageKey: `planning.proposal.cannot.${r.cannot}`,
      params: { authority: authorityEn(r.gssCode), ordinal: r.ordinal, ...(r.stateNow ? { state: `@visits.state.${r.stateNow}` } : {}) },
    }))
    if (refused.length) throw conflict('Some of the chosen visits can no longer be accepted: nothing was saved. Open the proposal again to see why.', refused)

    // Taking part of a plan may break what the whole plan keeps (a term with room only because another ELV moves out).
    const current = asVisits(programme.elvs)
    const before = checkPlan(programme.input, current)
    const after = checkPlan(programme.input, withVisits(programme.elvs, chosen.map((r) => r.proposed)))
    const broken = introducedBreaches(before, after)
    if (broken.length) {
      throw new AppError('rule_violation', 'Accepting only these visits would break planning rules that the whole plan keeps: nothing was saved.',
        broken.map((b) => breachDetail(b, names, 'visits')))
    }

    const now = this.clock.nowIso()
    return this.database.db.transaction().execute(async (trx) => {
      const repo = planningRepository(trx)
      const accepted: Array<{ gssCode: string; ordinal: number; elvId: number }> = []
      for (const row of chosen) {
        const { proposed, today } = row
        let elvId: number
        if (today) {
          const ok = today.term !== proposed.term
            ? await repo.moveElv(today.elvId, today.version, proposed.term, now)
            : await repo.touchPlanned(today.elvId, today.version, now)
          if (!ok) throw staleElv()
          elvId = today.elvId
        } else {
          elvId = (await elvWrites(trx).insert({
            authorityCode: proposed.gssCode, cycle: view.cycle, ordinal: proposed.ordinal, termKey: proposed.term, visitDay1: null, visitDay2: null,
          }, now)).id
        }
        await repo.replaceTeam(elvId, proposed.team.map(Number), Number(proposed.lead), actorId(actor), now)
        await repo.insertAcceptance({ proposalId: id, gssCode: proposed.gssCode, ordinal: proposed.ordinal, elvId, acceptedBy: actorId(actor) }, now)
        await this.audit.record(trx, actor, 'elv.plan_accept', { type: 'elv', id: elvId }, {
          proposal: id, created: !today,
          from: today ? { term: today.term, lead: today.lead, team: today.team } : null,
          to: { term: proposed.term, lead: proposed.lead, team: proposed.team },
        })
        accepted.push({ gssCode: proposed.gssCode, ordinal: proposed.ordinal, elvId })
      }
      await this.audit.record(trx, actor, 'plan_proposal.accept', { type: 'plan_proposal', id }, { visits: accepted })
      return { accepted }
    })
  }

  // ---- changes by hand ------------------------------------------------------------------------

  /**
   * Moves a planned ELV to another term of the cycle. Rules the move would break (and that were
   * not broken before) are explained and the move refused, unless a reason is given: then it is
   * saved with an exception recorded for each breach.
   */
  async moveElv(actor: Actor, elvId: number, input: MoveInput): Promise<MoveResult> {
    requirePlanner(actor)
    const check = new Check()
    const term = check.text('term', 'planning.move.field.term', input.term, { max: 20 })
    const version = check.integer('version', 'planning.move.field.version', input.version, { min: 1 })
    const reason = check.text('reason', 'planning.move.field.reason', input.reason, { required: false, max: MAX_REASON })
    check.done()

    const elv = await this.visits.get(actor, elvId)
    if (elv.state !== 'planned') {
      throw new AppError('rule_violation', 'Only a planned ELV can move to another term: once the authority has been notified, the term is fixed.', [
        { path: 'term', messageKey: 'planning.move.notMovable', params: { state: `@visits.state.${elv.state}` } },
      ])
    }
    if (version !== elv.version) throw staleElv()
    const programme = await this.programme.current(elv.cycle)
    if (!programme.input.terms.some((t) => t.key === term)) {
      throw validationFailed([{ path: 'term', messageKey: 'planning.move.unknownTerm', params: { term: term! } }])
    }
    if (term === elv.term_key) throw validationFailed([{ path: 'term', messageKey: 'planning.move.sameTerm' }])

    const before = checkPlan(programme.input, asVisits(programme.elvs))
    const after = checkPlan(programme.input, asVisits(programme.elvs.map((e) => (e.elvId === elvId ? { ...e, term: term! } : e))))
    const breaches = introducedBreaches(before, after)
    const names = namesOf(programme)
    if (breaches.length && !reason) throw new PlanningBreachError(breaches, names, 'reason')

    return this.database.db.transaction().execute(async (trx) => {
      const now = this.clock.nowIso()
      if (!(await planningRepository(trx).moveElv(elvId, elv.version, term!, now))) throw staleElv()
      await recordExceptions(trx, actor, elvId, breaches, reason, now)
      await this.audit.record(trx, actor, 'elv.move', { type: 'elv', id: elvId }, {
        from: elv.term_key, to: term, reason, breaches: breaches.map((b) => ({ rule: b.rule, key: b.key, params: b.params })),
      })
      return { elvId, from: elv.term_key, to: term!, breaches, reason, names }
    })
  }
}

/** Records a knowingly broken rule for each breach, with the reason given. */
export async function recordExceptions(trx: Db, actor: Actor, elvId: number, breaches: readonly RuleBreach[], reason: string | null, now: string): Promise<void> {
  if (!reason) return
  const repo = planningRepository(trx)
  for (const breach of breaches) await repo.insertException({ elvId, breach, reason, createdBy: actorId(actor) }, now)
}

/** What a change to one ELV's team would break, worked out before the change is written. */
export interface TeamCheck {
  breaches: RuleBreach[]
  names: BreachNames
}

/**
 * The planning rules a change to an ELV's team would newly break (see `teamBreaches`): null when
 * the ELV is not part of the cycle's programme (cancelled, or of another cycle).
 */
export async function teamChangeBreaches(
  programme: ProgrammeService, elvId: number, change: (team: { lead: string | null; team: string[] }) => { lead: string | null; team: string[] },
): Promise<TeamCheck | null> {
  const current = await programme.current()
  const elv = current.elvs.find((e) => e.elvId === elvId)
  if (!elv) return null
  const next = change({ lead: elv.lead, team: [...elv.team] })
  const before = checkPlan(current.input, asVisits(current.elvs))
  const after = checkPlan(current.input, asVisits(current.elvs.map((e) => (e.elvId === elvId ? { ...e, ...next } : e))))
  return { breaches: teamBreaches(before, after, current.input.rules.teamSize), names: namesOf(current) }
}

import type { Database } from '../../db/database.ts'
import type { ElvState, Season } from '../../db/schema.ts'
import type { Clock } from '../../clock.ts'
import { AppError, forbidden, notFound, validationFailed, versionConflict } from '../../http/errors.ts'
import { Check } from '../../http/check.ts'
import type { Actor } from '../auth/actor.ts'
import type { AuditService } from '../audit/audit.service.ts'
import type { FixedVisit, PlanAuthority, PlanInput, PlanInspector, PlanTerm, TermKey } from './plan.types.ts'
import type { VisitInPlan } from './plan.rules.ts'
import { termNumber } from './terms.ts'
import { cycleYears, planningTerms, termOfDate, termOn } from './calendar.ts'
import { readRules } from './planning-rules.ts'
import { inspectorFactsRepository, planningRulesSettings, programmeRepository, type PlanningRulesSettings } from './programme.repository.ts'

export type { PlanningRulesSettings } from './programme.repository.ts'

/** An ELV of the cycle as the programme shows it and the planner sees it. */
export interface ProgrammeElv extends VisitInPlan {
  elvId: number
  state: ElvState
  version: number
  /** Notified or later (not planned, not cancelled): the planner plans around it and never moves it. */
  fixed: boolean
}

export interface CurrentProgramme {
  cycle: string
  /** What the planner is given for this cycle now: terms, first plannable term, authorities, inspectors (ids are user ids as text), rules, fixed ELVs. */
  input: PlanInput
  /** Every live ELV of the cycle (cancelled ones left out). */
  elvs: ProgrammeElv[]
  authorities: Array<{ gssCode: string; nameEn: string; nameCy: string; welshMedium: boolean; coreInspectionTerm: TermKey | null; linkInspectorId: string | null }>
  inspectors: Array<{ id: string; name: string; kind: 'hmi' | 'peer' }>
  /** The term today falls in (or the next to start, in a holiday). */
  currentTerm: TermKey | null
  /**
   * The name of everyone the programme names by id: the inspectors, and anyone on a live ELV's
   * team who no longer is one (always given by current(); optional so hand-made programmes in tests need not).
   */
  names?: Record<string, string>
}

/** The most ELVs an inspector may be given in one term. */
export const MAX_ELVS_PER_TERM_LIMIT = 6
const MAX_REASON = 200

export interface InspectorTerm {
  key: TermKey
  academicYear: string
  season: Season
  start: string
  end: string
  unavailable: boolean
  reason: string | null
}

/** What the planner knows of one inspector, as an admin edits it. */
export interface InspectorFacts {
  userId: number
  welshSpeaker: boolean
  maxElvsPerTerm: number
  /** The account's version: these facts are saved with the rest of the account. */
  version: number
  /** The cycle's terms from the current one on, each with whether the inspector is unavailable and why. */
  terms: InspectorTerm[]
  /** Terms already past in which they were unavailable: kept as a record, no longer changed here. */
  earlier: Array<{ key: TermKey; reason: string | null }>
}

export interface InspectorFactsInput {
  welshSpeaker?: unknown
  maxElvsPerTerm?: unknown
  /** Term keys: one, or several (a form's checkboxes, or a list). */
  unavailable?: unknown
  /** The reason for each term marked unavailable, by term key; optional. */
  reasons?: Record<string, unknown>
  version?: unknown
}

const CURRENT_CYCLE = '2024-2030'
const staleRules = () => versionConflict('Someone else changed the planning rules after you opened them. Nothing of yours was saved: check the rules now in force and save again.')
const staleFacts = () => versionConflict('Someone else changed this account after you opened it. Nothing of yours was saved: check what is saved now and save again.')
const asList = (v: unknown): unknown[] => (v === undefined || v === null || v === '' ? [] : Array.isArray(v) ? v : [v])
const isYes = (v: unknown) => v === true || v === 'yes' || v === 'true' || v === '1'

function requireAdmin(actor: Actor): void {
  if (actor.kind === 'user' && actor.role !== 'admin') throw forbidden()
}

/**
 * Reads the programme of a cycle from the database as the planner's input, and keeps the
 * planning rules (admin settings) and what the planner needs to know of inspectors.
 */
export class ProgrammeService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  private today(): string { return this.clock.nowIso().slice(0, 10) }

  private async cycleTerms(cycle: string): Promise<Array<PlanTerm & { academicYear: string; season: Season }>> {
    const rows = await programmeRepository(this.database.db).terms(cycleYears(cycle))
    return rows.map((t) => ({ key: t.key, start: t.starts_on, end: t.ends_on, academicYear: t.academic_year, season: t.season }))
      .sort((a, b) => termNumber(a.key) - termNumber(b.key))
  }

  /** The cycle as the planner sees it today, with every live ELV and who is who. */
  async current(cycle = CURRENT_CYCLE): Promise<CurrentProgramme> {
    const repo = programmeRepository(this.database.db)
    const terms: PlanTerm[] = (await this.cycleTerms(cycle)).map(({ key, start, end }) => ({ key, start, end }))
    if (!terms.length) throw notFound('cycle')
    const listed = new Set(terms.map((t) => t.key))
    const { currentTerm, firstTerm } = planningTerms(terms, this.today())

    const authorityRows = await repo.authorities()
    const cores = await repo.latestCoreInspections()
    const authorities = authorityRows.map((a) => {
      const core = cores.get(a.gss_code)
      return {
        gssCode: a.gss_code, nameEn: a.name_en, nameCy: a.name_cy, welshMedium: a.welsh_medium === 1,
        coreInspectionTerm: core ? termOfDate(terms, core) : null,
        linkInspectorId: a.link_inspector_id === null ? null : String(a.link_inspector_id),
      }
    })

    const people = await repo.inspectors()
    const unavailable = new Map<number, TermKey[]>()
    for (const u of await repo.unavailability()) {
      if (listed.has(u.term_key)) unavailable.set(u.user_id, [...(unavailable.get(u.user_id) ?? []), u.term_key])
    }
    const avoid = new Map<number, string[]>()
    for (const c of await repo.conflicts()) avoid.set(c.user_id, [...(avoid.get(c.user_id) ?? []), c.authority_code])
    const inspectors: PlanInspector[] = people.map((p) => ({
      id: String(p.id),
      kind: p.role,
      authority: p.role === 'peer' ? p.authority_code : null,
      welsh: p.welsh_speaker === 1,
      linkFor: authorityRows.filter((a) => a.link_inspector_id === p.id).map((a) => a.gss_code),
      maxElvsPerTerm: p.max_elvs_per_term,
      unavailable: (unavailable.get(p.id) ?? []).sort((a, b) => termNumber(a) - termNumber(b)),
      avoid: avoid.get(p.id) ?? [],
    }))
    const known = new Set(inspectors.map((p) => p.id))

    const members = await repo.teams(cycle)
    const names: Record<string, string> = Object.fromEntries(people.map((p) => [String(p.id), p.name]))
    for (const m of members) names[String(m.user_id)] ??= m.name
    const elvs: ProgrammeElv[] = (await repo.liveElvs(cycle)).map((e) => {
      const team = members.filter((m) => m.elv_id === e.id)
      const lead = team.find((m) => m.is_lead === 1)
      return {
        elvId: e.id, gssCode: e.authority_code, ordinal: e.ordinal, term: e.term_key, state: e.state, version: e.version,
        fixed: e.state !== 'planned',
        lead: lead ? String(lead.user_id) : null,
        // The lead first, then the others in the order they joined.
        team: [...(lead ? [lead] : []), ...team.filter((m) => m !== lead)].map((m) => String(m.user_id)),
      }
    }).sort((a, b) => termNumber(a.term) - termNumber(b.term) || a.gssCode.localeCompare(b.gssCode) || a.ordinal - b.ordinal)

    // The planner knows only people it may plan: someone on a fixed team who no longer is an inspector is left off it.
    const fixed: FixedVisit[] = elvs.filter((e) => e.fixed).map((e) => ({
      gssCode: e.gssCode, ordinal: e.ordinal, term: e.term,
      lead: e.lead !== null && known.has(e.lead) ? e.lead : null,
      team: e.team.filter((id) => known.has(id)),
    }))
    const planAuthorities: PlanAuthority[] = authorities.map((a) => ({ gssCode: a.gssCode, coreInspectionTerm: a.coreInspectionTerm, elvsDone: 0, welshMedium: a.welshMedium }))
    const { rules } = await this.rules()

    return {
      cycle,
      input: { terms, firstTerm, authorities: planAuthorities, inspectors, rules, fixed },
      elvs,
      authorities,
      inspectors: people.map((p) => ({ id: String(p.id), name: p.name, kind: p.role })),
      currentTerm,
      names,
    }
  }

  // ---- the planning rules ---------------------------------------------------------------------

  /** The rules in force: what an admin saved, or the defaults. */
  rules(): Promise<PlanningRulesSettings> {
    return planningRulesSettings(this.database.db).read()
  }

  /** Saves every rule when `version` is current; each problem is named by its rule. */
  async saveRules(actor: Actor, input: Record<string, unknown>): Promise<PlanningRulesSettings> {
    requireAdmin(actor)
    const { rules, problems } = readRules(input)
    const check = new Check()
    const version = check.integer('version', 'planning.rules.field.version', input.version, { min: 1 })
    const all = [...problems, ...check.errors]
    if (all.length) throw validationFailed(all)
    return this.database.db.transaction().execute(async (trx) => {
      const repo = planningRulesSettings(trx)
      const before = await repo.read()
      if (!(await repo.save(version!, rules, this.clock.nowIso()))) throw staleRules()
      await this.audit.record(trx, actor, 'settings.planning', { type: 'setting', id: 'planning' }, { from: before.rules, to: rules })
      return repo.read()
    })
  }

  // ---- what the planner knows of an inspector -------------------------------------------------

  /** An HMI's or peer inspector's Welsh, most ELVs in a term, and the terms they cannot work. */
  async inspectorFacts(userId: number, cycle = CURRENT_CYCLE): Promise<InspectorFacts> {
    const repo = inspectorFactsRepository(this.database.db)
    const user = await repo.user(userId)
    if (!user) throw notFound('user')
    if (user.role !== 'hmi' && user.role !== 'peer') throw notAnInspector()
    return this.factsOf(user, await repo.unavailability(userId), await this.cycleTerms(cycle))
  }

  private factsOf(user: { id: number; welsh_speaker: number; max_elvs_per_term: number; version: number },
    rows: Array<{ term_key: string; reason: string | null }>, cycleTerms: Array<PlanTerm & { academicYear: string; season: Season }>): InspectorFacts {
    const reasons = new Map(rows.map((r) => [r.term_key, r.reason]))
    const from = termOn(cycleTerms, this.today())
    const editable = from === null ? [] : cycleTerms.filter((t) => termNumber(t.key) >= termNumber(from))
    const open = new Set(editable.map((t) => t.key))
    return {
      userId: user.id,
      welshSpeaker: user.welsh_speaker === 1,
      maxElvsPerTerm: user.max_elvs_per_term,
      version: user.version,
      terms: editable.map((t) => ({ key: t.key, academicYear: t.academicYear, season: t.season, start: t.start, end: t.end, unavailable: reasons.has(t.key), reason: reasons.get(t.key) ?? null })),
      earlier: rows.filter((r) => !open.has(r.term_key)).sort((a, b) => termNumber(a.term_key) - termNumber(b.term_key)).map((r) => ({ key: r.term_key, reason: r.reason })),
    }
  }

  /**
   * Saves an inspector's planning facts with the account's version. Only terms from the current
   * one on change; a term ticked is unavailable (with its reason, if given), one not ticked is not.
   */
  async saveInspectorFacts(actor: Actor, userId: number, input: InspectorFactsInput, cycle = CURRENT_CYCLE): Promise<InspectorFacts> {
    requireAdmin(actor)
    const cycleTerms = await this.cycleTerms(cycle)
    const current = await this.inspectorFacts(userId, cycle)
    const editable = new Set(current.terms.map((t) => t.key))
    const check = new Check()
    const rawMax = input.maxElvsPerTerm
    let maxElvsPerTerm: number | null = null
    if (rawMax === undefined || rawMax === null || (typeof rawMax === 'string' && rawMax.trim() === '')) {
      check.add('maxElvsPerTerm', 'validation.required', { field: 'planning.inspector.field.maxElvsPerTerm' })
    } else {
      const n = typeof rawMax === 'number' ? rawMax : typeof rawMax === 'string' && /^\s*\d+\s*$/.test(rawMax) ? Number(rawMax) : NaN
      if (!Number.isInteger(n) || n < 0 || n > MAX_ELVS_PER_TERM_LIMIT) {
        check.add('maxElvsPerTerm', 'planning.inspector.error.maxRange', { field: 'planning.inspector.field.maxElvsPerTerm', min: 0, max: MAX_ELVS_PER_TERM_LIMIT })
      } else maxElvsPerTerm = n
    }
    const unavailable = new Map<string, string | null>()
    for (const raw of asList(input.unavailable)) {
      const key = typeof raw === 'string' ? raw : ''
      if (!editable.has(key)) {
        check.add('unavailable', 'planning.inspector.error.term', { term: String(raw).slice(0, 20) })
        continue
      }
      const reason = check.text(`reason.${key}`, 'planning.inspector.field.reason', input.reasons?.[key], { required: false, max: MAX_REASON })
      unavailable.set(key, reason)
    }
    const version = check.integer('version', 'users.field.version', input.version, { min: 1 })
    check.done()
    const welshSpeaker = isYes(input.welshSpeaker) ? 1 : 0
    return this.database.db.transaction().execute(async (trx) => {
      const repo = inspectorFactsRepository(trx)
      const before = await repo.unavailability(userId)
      const after = await repo.update(userId, version!, { welshSpeaker, maxElvsPerTerm: maxElvsPerTerm! }, this.clock.nowIso())
      if (!after) throw staleFacts()
      await repo.setUnavailability(userId, [...editable], unavailable, this.clock.nowIso())
      const rows = await repo.unavailability(userId)
      const view = (welsh: boolean, max: number, list: Array<{ term_key: string; reason: string | null }>) =>
        ({ welshSpeaker: welsh, maxElvsPerTerm: max, unavailable: list.map((r) => ({ term: r.term_key, reason: r.reason })) })
      await this.audit.record(trx, actor, 'user.planning', { type: 'user', id: userId }, {
        before: view(current.welshSpeaker, current.maxElvsPerTerm, before),
        after: view(welshSpeaker === 1, maxElvsPerTerm!, rows),
      })
      return this.factsOf(after, rows, cycleTerms)
    })
  }
}

const notAnInspector = () => new AppError('rule_violation', 'Only HMIs and peer inspectors are planned onto ELVs.', [
  { path: 'role', messageKey: 'planning.inspector.error.notInspector' },
])

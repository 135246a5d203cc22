import type { Database, Db } from '../../db/database.ts'
import type { ElvState, Role } from '../../db/schema.ts'
import type { Clock } from '../../clock.ts'
import { AppError, conflict, forbidden, notFound, validationFailed, type ErrorDetail } from '../../http/errors.ts'
import { Check } from '../../http/check.ts'
import type { Actor } from '../auth/actor.ts'
import type { AuditService } from '../audit/audit.service.ts'
import { referenceRepository } from '../reference/reference.repository.ts'
import type { ElvView, VisitsService } from '../visits/visits.service.ts'
import { TEAM_ROLES, teamRepository, type ConflictRow, type MemberRow } from './team.repository.ts'
import type { ProgrammeService } from '../planning/programme.service.ts'
import { recordExceptions, teamChangeBreaches, type TeamCheck } from '../planning/planning.service.ts'
import { PlanningBreachError } from '../planning/planning.breaches.ts'

/** The usual size of a team (DESIGN.md section 2, step 4): other sizes are allowed with a warning. */
export const USUAL_TEAM_SIZE = 3
/** Peer inspectors may take an HMI's place, but one per team is the norm. */
export const USUAL_MAX_PEERS = 1
/** Once a visit is issued, closed or cancelled its team is history, not something to change. */
const LOCKED_STATES: readonly ElvState[] = ['issued', 'closed', 'cancelled']
/** Who keeps a list of declared conflicts of interest. */
const DECLARING_ROLES: readonly Role[] = ['hmi', 'peer', 'reviewer', 'admin']

export const conflictOfInterest = (details: ErrorDetail[]) =>
  new AppError('conflict_of_interest', 'This person has a conflict of interest with the authority: see details.', details)

export interface TeamMember {
  userId: number
  name: string
  email: string
  role: Role
  /** The authority a peer inspector serves in. */
  authorityCode: string | null
  lead: boolean
  /** Why an administrator allowed a declared conflict, when one did. */
  overrideReason: string | null
  /** The member's declared conflict with this authority, if any. */
  declaredConflict: string | null
  /** ELVs of the same term (not cancelled) the member is on, this one included. */
  workloadInTerm: number
  workloadWarning: boolean
}

export interface TeamWarning { code: 'size' | 'peers' | 'noLead' | 'workload'; messageKey: string; params: Record<string, string | number> }

export interface FullTeam {
  limited: false
  elv: ElvView
  members: TeamMember[]
  warnings: TeamWarning[]
  /** The authority's link inspector, proposed as lead. */
  linkInspector: { userId: number; name: string } | null
  workloadLimit: number
  canWork: boolean
}

/** What an authority user sees of a team: names, roles and who leads. */
export interface TeamNames {
  limited: true
  elv: ElvView
  members: Array<{ name: string; role: Role; lead: boolean }>
}

export type Team = FullTeam | TeamNames

export interface TeamCandidate {
  userId: number
  name: string
  role: Role
  authorityCode: string | null
  workloadInTerm: number
  workloadWarning: boolean
  declaredConflict: string | null
  linkInspector: boolean
}

export interface AddInput { email?: unknown; userId?: unknown; lead?: unknown; overrideReason?: unknown; version?: unknown; planningReason?: unknown }

/** Removing a member or naming the lead: the version read, and why a planning rule may be broken. */
export interface ChangeOptions { version?: unknown; planningReason?: unknown }

const isAuthorityUser = (actor: Actor) => actor.kind === 'user' && actor.role === 'la'
const isAdmin = (actor: Actor) => actor.kind === 'system' || actor.role === 'admin'

/** A form checkbox or a JSON boolean. */
function flag(value: unknown): boolean {
  return value === true || value === 1 || (typeof value === 'string' && ['true', 'on', 'yes', '1'].includes(value.toLowerCase()))
}

function optionalVersion(check: Check, value: unknown): number | null {
  if (value === undefined || value === null || value === '') return null
  return check.integer('version', 'team.field.version', value, { min: 1 })
}

/** What is unusual about a team: shown, never blocking. */
export function teamWarnings(members: readonly Pick<TeamMember, 'name' | 'role' | 'lead' | 'workloadInTerm' | 'workloadWarning'>[], limit: number): TeamWarning[] {
  const warnings: TeamWarning[] = []
  if (members.length !== USUAL_TEAM_SIZE) warnings.push({ code: 'size', messageKey: 'team.warning.size', params: { count: members.length, usual: USUAL_TEAM_SIZE } })
  const peers = members.filter((m) => m.role === 'peer').length
  if (peers > USUAL_MAX_PEERS) warnings.push({ code: 'peers', messageKey: 'team.warning.peers', params: { count: peers } })
  if (members.length > 0 && !members.some((m) => m.lead)) warnings.push({ code: 'noLead', messageKey: 'team.warning.noLead', params: {} })
  for (const m of members) {
    if (m.workloadWarning) warnings.push({ code: 'workload', messageKey: 'team.warning.workload', params: { name: m.name, count: m.workloadInTerm, limit } })
  }
  return warnings
}

/** The team of an ELV, conflicts of interest and inspectors' workload. */
export class TeamService {
  constructor(
    readonly database: Database,
    readonly audit: AuditService,
    readonly clock: Clock,
    readonly visits: VisitsService,
    /** Above this many ELVs in one term, an inspector's workload is flagged. */
    readonly workloadWarningPerTerm = 2,
    /** The programme, so changes made by people are checked against the planning rules. */
    readonly programme?: ProgrammeService,
  ) {}

  /**
   * What a person's change to a team would newly break in the programme (Welsh speakers, peers,
   * unavailability, per-term maximum, the link inspector as lead, a team larger than the rule).
   * Worked out before the change's transaction, which only reads the programme it was given.
   * The app's own changes (seeding, the command line) are not checked.
   */
  private async planningCheck(actor: Actor, elvId: number, change: Parameters<typeof teamChangeBreaches>[2]): Promise<TeamCheck | null> {
    if (!this.programme || actor.kind === 'system') return null
    return teamChangeBreaches(this.programme, elvId, change)
  }

  /** Inside the change's transaction: refuses a breach without a reason, or records each breach with it. */
  private async keepPlanningRules(trx: Db, actor: Actor, elvId: number, planned: TeamCheck | null, reason: string | null): Promise<RuleBreachList> {
    if (!planned?.breaches.length) return []
    if (!reason) throw new PlanningBreachError(planned.breaches, planned.names, 'planningReason')
    await recordExceptions(trx, actor, elvId, planned.breaches, reason, this.clock.nowIso())
    return planned.breaches.map((b) => ({ rule: b.rule, key: b.key, params: b.params }))
  }

  /** The team as the actor may see it: 404 when the ELV is not visible; authority users get names only. */
  async team(actor: Actor, elvId: number, db: Db = this.database.db): Promise<Team> {
    const elv = await this.visits.get(actor, elvId, db)
    const repo = teamRepository(db)
    const rows = await repo.members(elvId)
    if (isAuthorityUser(actor)) return { limited: true, elv, members: rows.map((r) => ({ name: r.name, role: r.role, lead: r.is_lead === 1 })) }
    const [workload, conflicts, authority, canWork] = await Promise.all([
      repo.workload(elv.term_key), repo.conflictsWith(elv.authority_code),
      referenceRepository(db).getAuthority(elv.authority_code), this.visits.canWork(actor, elv, db),
    ])
    const members = rows.map((r) => this.member(r, workload, conflicts))
    const lali = authority?.link_inspector_id ? await repo.userById(authority.link_inspector_id) : undefined
    return {
      limited: false, elv, members, canWork,
      warnings: teamWarnings(members, this.workloadWarningPerTerm),
      linkInspector: lali && !lali.disabled ? { userId: lali.id, name: lali.name } : null,
      workloadLimit: this.workloadWarningPerTerm,
    }
  }

  private member(r: MemberRow, workload: Map<number, number>, conflicts: Map<number, string>): TeamMember {
    const n = workload.get(r.user_id) ?? 0
    return {
      userId: r.user_id, name: r.name, email: r.email, role: r.role, authorityCode: r.authority_code, lead: r.is_lead === 1,
      overrideReason: r.override_reason, declaredConflict: conflicts.get(r.user_id) ?? null,
      workloadInTerm: n, workloadWarning: n > this.workloadWarningPerTerm,
    }
  }

  /**
   * Who could join the team: active HMIs and peer inspectors not already on it, never a peer of
   * the ELV's own authority; each with their workload that term and any declared conflict.
   */
  async candidates(team: FullTeam): Promise<TeamCandidate[]> {
    const repo = teamRepository(this.database.db)
    const [users, workload, conflicts] = await Promise.all([repo.candidates(), repo.workload(team.elv.term_key), repo.conflictsWith(team.elv.authority_code)])
    const onTeam = new Set(team.members.map((m) => m.userId))
    return users
      .filter((u) => !onTeam.has(u.id) && !(u.role === 'peer' && u.authority_code === team.elv.authority_code))
      .map((u) => {
        const n = workload.get(u.id) ?? 0
        return {
          userId: u.id, name: u.name, role: u.role, authorityCode: u.authority_code, workloadInTerm: n,
          workloadWarning: n + 1 > this.workloadWarningPerTerm, declaredConflict: conflicts.get(u.id) ?? null,
          linkInspector: team.linkInspector?.userId === u.id,
        }
      })
  }

  /**
   * Adds an HMI or peer inspector, found by e-mail (API) or id (form). A peer is never on their own
   * authority's ELV; a declared conflict blocks unless an administrator overrides it with a reason.
   */
  async add(actor: Actor, elvId: number, input: AddInput): Promise<{ team: FullTeam; added: { userId: number; name: string } }> {
    const check = new Check()
    const byId = input.userId !== undefined
    const path = byId ? 'userId' : 'email'
    let email: string | null = null
    let userId: number | null = null
    if (byId) {
      if (input.userId === '' || input.userId === null) check.add('userId', 'team.rule.chooseInspector')
      else userId = check.integer('userId', 'team.field.inspector', input.userId, { min: 1 })
    } else {
      email = check.email('email', 'team.field.email', input.email)
    }
    const lead = flag(input.lead)
    const overrideReason = check.text('overrideReason', 'team.field.overrideReason', input.overrideReason, { required: false, max: 2000 })
    const version = optionalVersion(check, input.version)
    const planningReason = check.text('planningReason', 'planning.team.field.reason', input.planningReason, { required: false, max: 2000 })
    check.done()

    // The team as it would be, for the planning rules; someone unknown is refused inside the transaction.
    const joining = byId ? userId : (await teamRepository(this.database.db).userByEmail(email!))?.id
    const planned = joining === undefined || joining === null ? null : await this.planningCheck(actor, elvId, ({ lead: was, team }) => ({
      lead: lead ? String(joining) : was, team: [...team.filter((id) => id !== String(joining)), String(joining)],
    }))

    const added = await this.database.db.transaction().execute(async (trx) => {
      const elv = await this.visits.beginEdit(trx, actor, elvId, { version })
      refuseIfLocked(elv)
      const repo = teamRepository(trx)
      const user = byId ? await repo.userById(userId!) : await repo.userByEmail(email!)
      if (!user) throw validationFailed([{ path, messageKey: 'team.rule.unknownUser' }])
      if (user.disabled) throw validationFailed([{ path, messageKey: 'team.rule.disabledUser', params: { name: user.name } }])
      if (!TEAM_ROLES.includes(user.role)) throw validationFailed([{ path, messageKey: 'team.rule.notInspector', params: { name: user.name } }])
      const members = await repo.members(elvId)
      if (members.some((m) => m.user_id === user.id)) throw conflict('This person is already on the team.', [{ path, messageKey: 'team.rule.alreadyMember', params: { name: user.name } }])
      // No one may override this one: a peer inspector serves other authorities only.
      if (user.role === 'peer' && user.authority_code === elv.authority_code) {
        throw conflictOfInterest([{ path, messageKey: 'team.rule.ownAuthority', params: { name: user.name } }])
      }
      const declared = await repo.conflict(user.id, elv.authority_code)
      if (declared) {
        const params = { name: user.name, reason: declared.reason }
        if (!isAdmin(actor)) {
          throw conflictOfInterest([{ path, messageKey: overrideReason ? 'team.rule.overrideAdminOnly' : 'team.rule.declaredConflict', params }])
        }
        if (!overrideReason) {
          throw conflictOfInterest([{ path, messageKey: 'team.rule.declaredConflict', params }, { path: 'overrideReason', messageKey: 'team.rule.overrideNeedsReason' }])
        }
      }
      const recordedOverride = declared ? overrideReason : null
      const breaches = await this.keepPlanningRules(trx, actor, elvId, planned, planningReason)
      if (lead) await repo.clearLead(elvId)
      await repo.insertMember({ elvId, userId: user.id, lead, overrideReason: recordedOverride, addedBy: actor.kind === 'user' ? actor.id : null }, this.clock.nowIso())
      await this.audit.record(trx, actor, 'team.add', { type: 'elv', id: elvId }, {
        userId: user.id, name: user.name, email: user.email, role: user.role, lead,
        previousLead: lead ? (members.find((m) => m.is_lead === 1)?.user_id ?? null) : undefined,
        declaredConflict: declared?.reason ?? null, overrideReason: recordedOverride,
        ...(breaches.length ? { planningReason, breaches } : {}),
      })
      return { userId: user.id, name: user.name }
    })
    return { team: (await this.team(actor, elvId)) as FullTeam, added }
  }

  async remove(actor: Actor, elvId: number, userId: number, opts: ChangeOptions = {}): Promise<{ team: FullTeam; removed: { userId: number; name: string } }> {
    const check = new Check()
    const version = optionalVersion(check, opts.version)
    const planningReason = check.text('planningReason', 'planning.team.field.reason', opts.planningReason, { required: false, max: 2000 })
    check.done()
    const gone = String(userId)
    const planned = await this.planningCheck(actor, elvId, ({ lead, team }) => ({ lead: lead === gone ? null : lead, team: team.filter((id) => id !== gone) }))
    const removed = await this.database.db.transaction().execute(async (trx) => {
      const elv = await this.visits.beginEdit(trx, actor, elvId, { version })
      refuseIfLocked(elv)
      const repo = teamRepository(trx)
      const member = (await repo.members(elvId)).find((m) => m.user_id === userId)
      if (!member) throw notFound('team member')
      const breaches = await this.keepPlanningRules(trx, actor, elvId, planned, planningReason)
      if (!(await repo.deleteMember(elvId, userId))) throw notFound('team member')
      await this.audit.record(trx, actor, 'team.remove', { type: 'elv', id: elvId }, {
        userId, name: member.name, email: member.email, wasLead: member.is_lead === 1, ...(breaches.length ? { planningReason, breaches } : {}),
      })
      return { userId, name: member.name }
    })
    return { team: (await this.team(actor, elvId)) as FullTeam, removed }
  }

  /** Makes a member the lead; whoever led before no longer does. */
  async setLead(actor: Actor, elvId: number, userId: number, opts: ChangeOptions = {}): Promise<{ team: FullTeam; lead: { userId: number; name: string } }> {
    const check = new Check()
    const version = optionalVersion(check, opts.version)
    const planningReason = check.text('planningReason', 'planning.team.field.reason', opts.planningReason, { required: false, max: 2000 })
    check.done()
    const planned = await this.planningCheck(actor, elvId, ({ team }) => ({ lead: String(userId), team }))
    const lead = await this.database.db.transaction().execute(async (trx) => {
      const elv = await this.visits.beginEdit(trx, actor, elvId, { version })
      refuseIfLocked(elv)
      const repo = teamRepository(trx)
      const members = await repo.members(elvId)
      const member = members.find((m) => m.user_id === userId)
      if (!member) throw notFound('team member')
      const breaches = await this.keepPlanningRules(trx, actor, elvId, planned, planningReason)
      await repo.setLead(elvId, userId)
      await this.audit.record(trx, actor, 'team.lead', { type: 'elv', id: elvId }, {
        userId, name: member.name, previousLead: members.find((m) => m.is_lead === 1)?.user_id ?? null,
        ...(breaches.length ? { planningReason, breaches } : {}),
      })
      return { userId, name: member.name }
    })
    return { team: (await this.team(actor, elvId)) as FullTeam, lead }
  }

  // Declared conflicts of interest: each inspector keeps their own list.

  private declarer(actor: Actor): number {
    if (actor.kind !== 'user' || !DECLARING_ROLES.includes(actor.role)) throw forbidden()
    return actor.id
  }

  conflicts(actor: Actor): Promise<ConflictRow[]> {
    return teamRepository(this.database.db).conflictsOf(this.declarer(actor))
  }

  async declareConflict(actor: Actor, input: { authority?: unknown; reason?: unknown }): Promise<ConflictRow> {
    const userId = this.declarer(actor)
    const authorities = await referenceRepository(this.database.db).listAuthorities()
    const check = new Check()
    const authority = check.oneOf('authority', 'team.conflicts.field.authority', input.authority, authorities.map((a) => a.gss_code))
    const reason = check.text('reason', 'team.conflicts.field.reason', input.reason, { max: 500 })
    check.done()
    return this.database.db.transaction().execute(async (trx) => {
      const repo = teamRepository(trx)
      if (await repo.conflict(userId, authority!)) {
        throw conflict('You have already declared a conflict with this authority.', [{ path: 'authority', messageKey: 'team.conflicts.duplicate' }])
      }
      const row = await repo.insertConflict({ userId, authorityCode: authority!, reason: reason! }, this.clock.nowIso())
      await this.audit.record(trx, actor, 'conflict.declare', { type: 'user', id: userId }, { authority: authority!, reason })
      return (await repo.conflictsOf(userId)).find((c) => c.id === row.id)!
    })
  }

  async withdrawConflict(actor: Actor, id: number): Promise<ConflictRow> {
    const userId = this.declarer(actor)
    return this.database.db.transaction().execute(async (trx) => {
      const repo = teamRepository(trx)
      const before = (await repo.conflictsOf(userId)).find((c) => c.id === id)
      if (!before || !(await repo.deleteConflict(userId, id))) throw notFound('declared conflict')
      await this.audit.record(trx, actor, 'conflict.withdraw', { type: 'user', id: userId }, { authority: before.authority_code, reason: before.reason })
      return before
    })
  }
}

type RuleBreachList = Array<Pick<TeamCheck['breaches'][number], 'rule' | 'key' | 'params'>>

function refuseIfLocked(elv: ElvView): void {
  if (LOCKED_STATES.includes(elv.state)) {
    throw new AppError('rule_violation', 'The team of a visit that is issued, closed or cancelled cannot change.', [
      { path: 'state', messageKey: 'team.rule.locked', params: { state: `@visits.state.${elv.state}` } },
    ])
  }
}

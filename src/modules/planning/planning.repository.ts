import { sql } from 'kysely'
import type { Db } from '../../db/database.ts'
import type { PlanException, PlanProposal, Term } from '../../db/schema.ts'
import type { PlanInput, PlanOutput } from './plan.types.ts'
import type { RuleBreach } from './plan.rules.ts'

/** What a planned ELV looked like when a plan was made: accepting refuses it once it has changed. */
export interface BasisElv {
  elvId: number
  gssCode: string
  ordinal: number
  term: string
  version: number
}

export interface StoredProposal {
  id: number
  cycle: string
  status: PlanProposal['status']
  input: PlanInput
  output: PlanOutput
  basis: BasisElv[]
  createdBy: number | null
  createdByName: string | null
  createdAt: string
}

export interface StoredException {
  id: number
  elvId: number
  rule: string
  breach: RuleBreach
  reason: string
  createdBy: number | null
  createdByName: string | null
  createdAt: string
}

/** Proposals, their acceptance, rule exceptions, and the ELV and team writes that accepting and moving make. */
export function planningRepository(db: Db) {
  return {
    async insertProposal(p: { cycle: string; input: PlanInput; output: PlanOutput; basis: BasisElv[]; createdBy: number | null }, now: string): Promise<number> {
      const row = await db.insertInto('plan_proposal').values({
        cycle: p.cycle, status: p.output.status, input: JSON.stringify(p.input), output: JSON.stringify(p.output),
        basis: JSON.stringify(p.basis), created_by: p.createdBy, created_at: now,
      }).returning('id').executeTakeFirstOrThrow()
      return row.id
    },

    async proposal(id: number): Promise<StoredProposal | undefined> {
      const row = await db.selectFrom('plan_proposal as p').leftJoin('app_user as u', 'u.id', 'p.created_by')
        .selectAll('p').select('u.name as created_by_name').where('p.id', '=', id).executeTakeFirst()
      if (!row) return undefined
      return {
        id: row.id, cycle: row.cycle, status: row.status,
        input: JSON.parse(row.input) as PlanInput, output: JSON.parse(row.output) as PlanOutput, basis: JSON.parse(row.basis) as BasisElv[],
        createdBy: row.created_by, createdByName: row.created_by_name, createdAt: row.created_at,
      }
    },

    /** The newest proposals first: id, status and when, for the programme page. */
    recentProposals(cycle: string, limit = 5) {
      return db.selectFrom('plan_proposal').select(['id', 'status', 'created_at']).where('cycle', '=', cycle)
        .orderBy('id', 'desc').limit(limit).execute()
    },

    async acceptances(proposalId: number): Promise<Array<{ gssCode: string; ordinal: number; elvId: number; acceptedAt: string }>> {
      const rows = await db.selectFrom('plan_proposal_acceptance').select(['gss_code', 'ordinal', 'elv_id', 'accepted_at'])
        .where('proposal_id', '=', proposalId).execute()
      return rows.map((r) => ({ gssCode: r.gss_code, ordinal: Number(r.ordinal), elvId: r.elv_id, acceptedAt: r.accepted_at }))
    },

    async insertAcceptance(a: { proposalId: number; gssCode: string; ordinal: number; elvId: number; acceptedBy: number | null }, now: string): Promise<void> {
      await db.insertInto('plan_proposal_acceptance').values({
        proposal_id: a.proposalId, gss_code: a.gssCode, ordinal: a.ordinal, elv_id: a.elvId, accepted_by: a.acceptedBy, accepted_at: now,
      }).execute()
    },

    async insertException(e: { elvId: number; breach: RuleBreach; reason: string; createdBy: number | null }, now: string): Promise<void> {
      await db.insertInto('plan_exception').values({
        elv_id: e.elvId, rule: e.breach.rule, breach: JSON.stringify(e.breach), reason: e.reason, created_by: e.createdBy, created_at: now,
      }).execute()
    },

    /** Every exception recorded on the live ELVs of a cycle, newest first. */
    async exceptions(cycle: string): Promise<StoredException[]> {
      const rows = await db.selectFrom('plan_exception as x').innerJoin('elv as e', 'e.id', 'x.elv_id')
        .leftJoin('app_user as u', 'u.id', 'x.created_by')
        .selectAll('x').select('u.name as created_by_name')
        .where('e.cycle', '=', cycle).where('e.state', '<>', 'cancelled')
        .orderBy('x.id', 'desc').execute()
      return rows.map((r: PlanException & { created_by_name: string | null }) => ({
        id: r.id, elvId: r.elv_id, rule: r.rule, breach: JSON.parse(r.breach) as RuleBreach, reason: r.reason,
        createdBy: r.created_by, createdByName: r.created_by_name, createdAt: r.created_at,
      }))
    },

    /** The terms of a cycle's academic years, in order. */
    cycleTerms(years: readonly string[]): Promise<Term[]> {
      return db.selectFrom('term').selectAll().where('academic_year', 'in', years).orderBy('starts_on').execute()
    },

    /**
     * Moves a planned ELV to another term, version-checked; visit days set for the old term no
     * longer apply. Undefined when someone else changed it first or it is no longer planned.
     */
    async moveElv(id: number, expectedVersion: number, termKey: string, now: string): Promise<{ id: number; version: number } | undefined> {
      return db.updateTable('elv').set({ term_key: termKey, visit_day1: null, visit_day2: null, updated_at: now, version: sql<number>`version + 1` })
        .where('id', '=', id).where('version', '=', expectedVersion).where('state', '=', 'planned')
        .returning(['id', 'version']).executeTakeFirst()
    },

    /** Bumps a planned ELV's version (a team change accepted from a plan), version-checked. */
    async touchPlanned(id: number, expectedVersion: number, now: string): Promise<boolean> {
      const r = await db.updateTable('elv').set({ updated_at: now, version: sql<number>`version + 1` })
        .where('id', '=', id).where('version', '=', expectedVersion).where('state', '=', 'planned').executeTakeFirst()
      return Number(r.numUpdatedRows) > 0
    },

    /** Replaces an ELV's whole team with the one given, led by `lead`. */
    async replaceTeam(elvId: number, team: readonly number[], lead: number | null, addedBy: number | null, now: string): Promise<void> {
      await db.deleteFrom('elv_team_member').where('elv_id', '=', elvId).execute()
      if (!team.length) return
      await db.insertInto('elv_team_member').values(team.map((userId) => ({
        elv_id: elvId, user_id: userId, is_lead: userId === lead ? 1 as const : 0 as const, override_reason: null, added_by: addedBy, added_at: now,
      }))).execute()
    },

    /** Users by id, for the names of a proposed team. */
    async userNames(ids: readonly number[]): Promise<Map<number, string>> {
      if (!ids.length) return new Map()
      const rows = await db.selectFrom('app_user').select(['id', 'name']).where('id', 'in', ids).execute()
      return new Map(rows.map((r) => [r.id, r.name]))
    },
  }
}

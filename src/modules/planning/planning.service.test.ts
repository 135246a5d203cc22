import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp, type TestContext } from '../../../test/helpers/test-app.ts'
import { fixedClock } from '../../clock.ts'
import type { AppUser } from '../../db/schema.ts'
import { systemActor, type UserActor } from '../auth/actor.ts'
import { AppError } from '../../http/errors.ts'
import type { PlannedVisit } from './plan.types.ts'
import { planningRepository } from './planning.repository.ts'
import { PlanningBreachError } from './planning.breaches.ts'

const system = systemActor('test')
const actorOf = (u: AppUser): UserActor => ({ kind: 'user', id: u.id, name: u.name, email: u.email, role: u.role, authorityCode: u.authority_code })

/** Term start dates as the reference data seeds them (2025-2026 approved; later years by the usual pattern). */
const visit = (gssCode: string, ordinal: number, term: string, team: AppUser[], notifyBy = '2026-01-05'): PlannedVisit =>
  ({ gssCode, ordinal, term, notifyBy, lead: String(team[0]!.id), team: team.map((u) => String(u.id)) })

/** A proposal made by hand, as the planner would store it, against the programme as it is now. */
async function proposalOf(ctx: TestContext, visits: PlannedVisit[]): Promise<number> {
  const programme = await ctx.services.programme.current()
  const basis = programme.elvs.filter((e) => e.state === 'planned')
    .map((e) => ({ elvId: e.elvId, gssCode: e.gssCode, ordinal: e.ordinal, term: e.term, version: e.version }))
  return planningRepository(ctx.services.database.db).insertProposal({
    cycle: programme.cycle, input: programme.input, basis, createdBy: null,
    output: { status: 'optimal', visits, load: { maxElvsInATerm: 1, maxElvsPerInspector: 1 }, conflicts: [], solver: { seconds: 0, bounds: { maxElvsInATerm: 1, maxElvsPerInspector: 1 }, gap: 0 } },
  }, ctx.services.clock.nowIso())
}

for (const engine of testEngines()) {
  describe(`planning the programme on ${engine.name}`, { timeout: 120_000 }, () => {
    // The autumn term of 2025-2026 is under way: spring 2026 is the first term that can be planned.
    const clock = fixedClock('2025-10-01T09:00:00.000Z')
    const ctx = useTestApp(engine, { clock })
    const hmis: AppUser[] = []
    let admin: UserActor
    const setUp = async () => {
      if (hmis.length) return
      for (let i = 0; i < 12; i++) hmis.push(await ctx.make.user('hmi', { name: `Inspector ${String(i + 1).padStart(2, '0')}` }))
      admin = actorOf(await ctx.make.user('admin'))
    }
    const newElv = (authority: string, term: string) => ctx.services.visits.create(system, { authority, term })
    const elvNow = (id: number) => ctx.services.visits.get(system, id)
    const teamOf = async (id: number) => (await ctx.services.database.db.selectFrom('elv_team_member').select(['user_id', 'is_lead'])
      .where('elv_id', '=', id).orderBy('user_id').execute()).map((m) => ({ userId: m.user_id, lead: m.is_lead === 1 }))
    const auditActions = async (type: string, id: number | string) =>
      (await ctx.services.audit.list({ entityType: type, entityId: String(id) }, { limit: 50, offset: 0 })).items.map((e) => e.action)
    const refusal = async (p: Promise<unknown>) => {
      const e = await p.then(() => undefined, (err: unknown) => err)
      expect(e).toBeInstanceOf(AppError)
      return e as AppError
    }

    it('accepts a whole proposal: moves the planned ELV, creates the missing one, sets both teams, and records it', async () => {
      await setUp()
      const planned = await newElv('W06000001', '2026-2027/autumn')
      const [a, b, c, d, e, f] = hmis
      const id = await proposalOf(ctx, [
        visit('W06000001', 1, '2026-2027/spring', [a!, b!, c!]),
        visit('W06000002', 1, '2026-2027/spring', [d!, e!, f!]),
      ])
      const before = await ctx.services.planning.proposal(admin, id)
      expect(before.rows.map((r) => [r.gssCode, r.today?.term ?? null, r.changed, r.acceptable])).toEqual([
        ['W06000001', '2026-2027/autumn', true, true],
        ['W06000002', null, true, true],
      ])

      const { accepted } = await ctx.services.planning.accept(admin, id, [{ gssCode: 'W06000001', ordinal: 1 }, { gssCode: 'W06000002', ordinal: 1 }])
      expect(accepted.map((x) => x.gssCode)).toEqual(['W06000001', 'W06000002'])
      const moved = await elvNow(planned.id)
      expect(moved).toMatchObject({ term_key: '2026-2027/spring', state: 'planned' })
      expect(await teamOf(planned.id)).toEqual([{ userId: a!.id, lead: true }, { userId: b!.id, lead: false }, { userId: c!.id, lead: false }])
      const created = await elvNow(accepted[1]!.elvId)
      expect(created).toMatchObject({ authority_code: 'W06000002', ordinal: 1, term_key: '2026-2027/spring', state: 'planned' })
      expect((await teamOf(created.id)).filter((m) => m.lead).map((m) => m.userId)).toEqual([d!.id])

      expect(await planningRepository(ctx.services.database.db).acceptances(id)).toHaveLength(2)
      expect(await auditActions('elv', planned.id)).toContain('elv.plan_accept')
      expect(await auditActions('plan_proposal', id)).toEqual(['plan_proposal.accept'])
      const after = await ctx.services.planning.proposal(admin, id)
      expect(after.rows.map((r) => [r.accepted, r.acceptable, r.cannot])).toEqual([[true, false, 'accepted'], [true, false, 'accepted']])
    })

    it('accepts part of a proposal, leaving the rest to accept later', async () => {
      await setUp()
      const [a, b, c, d, e, f] = hmis
      const id = await proposalOf(ctx, [
        visit('W06000003', 1, '2027-2028/autumn', [a!, b!, c!]),
        visit('W06000004', 1, '2027-2028/autumn', [d!, e!, f!]),
      ])
      await ctx.services.planning.accept(admin, id, [{ gssCode: 'W06000004', ordinal: 1 }])
      const programme = await ctx.services.programme.current()
      expect(programme.elvs.filter((x) => x.gssCode === 'W06000003')).toEqual([])
      expect(programme.elvs.filter((x) => x.gssCode === 'W06000004').map((x) => x.term)).toEqual(['2027-2028/autumn'])
      const view = await ctx.services.planning.proposal(admin, id)
      expect(view.rows.map((r) => [r.gssCode, r.accepted, r.acceptable])).toEqual([['W06000003', false, true], ['W06000004', true, false]])
      await ctx.services.planning.accept(admin, id, [{ gssCode: 'W06000003', ordinal: 1 }])
      expect((await ctx.services.programme.current()).elvs.filter((x) => x.gssCode === 'W06000003')).toHaveLength(1)
    })

    it('refuses visits changed since the plan was made, naming each, and writes nothing', async () => {
      await setUp()
      const [a, b, c] = hmis
      const touched = await newElv('W06000005', '2027-2028/spring')
      const notified = await newElv('W06000006', '2027-2028/spring')
      const untouched = await newElv('W06000020', '2027-2028/spring')
      const id = await proposalOf(ctx, [
        visit('W06000005', 1, '2027-2028/summer', [a!, b!, c!]),
        visit('W06000006', 1, '2027-2028/summer', [a!, b!, c!]),
        visit('W06000020', 1, '2028-2029/autumn', [a!, b!, c!]),
        visit('W06000009', 1, '2028-2029/autumn', [a!, b!, c!]),
      ])
      await ctx.services.team.add(system, touched.id, { email: a!.email })
      await ctx.services.visits.transition(system, notified.id, { to: 'notified', reason: 'Told early' })
      await newElv('W06000009', '2029-2030/autumn')

      const view = await ctx.services.planning.proposal(admin, id)
      expect(view.rows.map((r) => [r.gssCode, r.cannot, r.stateNow])).toEqual([
        ['W06000005', 'changed', null], ['W06000006', 'notPlanned', 'notified'], ['W06000020', null, null], ['W06000009', 'newElv', null],
      ])
      const e = await refusal(ctx.services.planning.accept(admin, id, view.rows.map((r) => ({ gssCode: r.gssCode, ordinal: r.ordinal }))))
      expect(e.status).toBe(409)
      expect(e.details.map((d) => [d.messageKey, d.params?.authority])).toEqual([
        ['planning.proposal.cannot.changed', 'Flintshire'],
        ['planning.proposal.cannot.notPlanned', 'Wrexham'],
        ['planning.proposal.cannot.newElv', 'Pembrokeshire'],
      ])
      expect((await elvNow(untouched.id)).term_key).toBe('2027-2028/spring')
      expect(await planningRepository(ctx.services.database.db).acceptances(id)).toEqual([])
    })

    it('refuses part of a plan that breaks a rule the whole plan keeps, and accepts the whole', async () => {
      await setUp()
      const [a, b, c, d, e, f] = hmis
      const first = await newElv('W06000010', '2026-2027/autumn')
      const second = await newElv('W06000010', '2028-2029/autumn')
      // Together: summer 2028 and summer 2030, six terms apart. The first alone would sit one term before the second.
      const id = await proposalOf(ctx, [
        visit('W06000010', 1, '2027-2028/summer', [a!, b!, c!]),
        visit('W06000010', 2, '2029-2030/summer', [d!, e!, f!]),
      ])
      const e1 = await refusal(ctx.services.planning.accept(admin, id, [{ gssCode: 'W06000010', ordinal: 1 }]))
      expect(e1).toMatchObject({ status: 409, code: 'rule_violation' })
      expect(e1.details.map((x) => x.messageKey)).toEqual(['planning.breach.elvsTooClose'])
      expect(e1.details[0]!.params).toMatchObject({ authority: 'Carmarthenshire', gap: 1, required: 4 })
      expect((await elvNow(first.id)).term_key).toBe('2026-2027/autumn')

      await ctx.services.planning.accept(admin, id, [{ gssCode: 'W06000010', ordinal: 1 }, { gssCode: 'W06000010', ordinal: 2 }])
      expect([(await elvNow(first.id)).term_key, (await elvNow(second.id)).term_key]).toEqual(['2027-2028/summer', '2029-2030/summer'])
    })

    it('refuses a selection that is empty or names a visit not in the proposal', async () => {
      await setUp()
      const id = await proposalOf(ctx, [visit('W06000011', 1, '2028-2029/spring', hmis.slice(0, 3))])
      expect(await refusal(ctx.services.planning.accept(admin, id, []))).toMatchObject({ code: 'validation_failed', details: [{ messageKey: 'planning.proposal.noneSelected' }] })
      const e = await refusal(ctx.services.planning.accept(admin, id, [{ gssCode: 'W06000012', ordinal: 1 }]))
      expect(e.details.map((d) => d.messageKey)).toEqual(['planning.proposal.unknownVisit'])
      const hmi = actorOf(hmis[0]!)
      expect(await refusal(ctx.services.planning.accept(hmi, id, [{ gssCode: 'W06000011', ordinal: 1 }]))).toMatchObject({ code: 'forbidden' })
    })

    it('moves a planned ELV; a move that breaks a rule needs a reason, which is recorded with each breach', async () => {
      await setUp()
      const framework = await ctx.services.database.db.selectFrom('framework').select('key').executeTakeFirstOrThrow()
      await ctx.services.database.db.insertInto('core_inspection').values({
        authority_code: 'W06000013', academic_year: '2027-2028', framework_key: framework.key, starts_on: '2027-10-04', ends_on: '2027-10-08',
        report_url: null, created_at: clock.nowIso(),
      }).execute()
      const elv = await newElv('W06000013', '2026-2027/autumn')
      // Four terms from the core inspection: clear of it.
      const free = await ctx.services.planning.moveElv(admin, elv.id, { term: '2025-2026/summer', version: elv.version })
      expect(free).toMatchObject({ from: '2026-2027/autumn', to: '2025-2026/summer', breaches: [], reason: null })

      const now = await elvNow(elv.id)
      const e = await refusal(ctx.services.planning.moveElv(admin, elv.id, { term: '2027-2028/spring', version: now.version }))
      expect(e).toBeInstanceOf(PlanningBreachError)
      expect((e as PlanningBreachError).breaches.map((b) => b.key)).toEqual(['nearCoreInspection'])
      expect(e.details.map((d) => d.path)).toEqual(['reason', 'reason'])
      expect((await elvNow(elv.id)).term_key).toBe('2025-2026/summer')

      const moved = await ctx.services.planning.moveElv(admin, elv.id, { term: '2027-2028/spring', version: now.version, reason: 'The authority asked for spring' })
      expect(moved.breaches.map((b) => b.key)).toEqual(['nearCoreInspection'])
      expect((await elvNow(elv.id)).term_key).toBe('2027-2028/spring')
      const exceptions = await ctx.services.database.db.selectFrom('plan_exception').selectAll().where('elv_id', '=', elv.id).execute()
      expect(exceptions.map((x) => [x.rule, x.reason])).toEqual([['minTermsFromCoreInspection', 'The authority asked for spring']])
      const events = (await ctx.services.audit.list({ entityType: 'elv', entityId: String(elv.id) }, { limit: 10, offset: 0 })).items
      expect(events.filter((x) => x.action === 'elv.move').map((x) => JSON.parse(x.details).reason)).toEqual(['The authority asked for spring', null])

      const programme = await ctx.services.planning.programmeView(admin)
      const shown = programme.breaches.find((b) => b.key === 'nearCoreInspection' && b.gssCode === 'W06000013')
      expect(shown).toMatchObject({ elvId: elv.id, exception: { reason: 'The authority asked for spring' } })
    })

    it('never moves an ELV once notified, nor to a term outside the cycle or to its own term', async () => {
      await setUp()
      const elv = await newElv('W06000014', '2026-2027/autumn')
      expect(await refusal(ctx.services.planning.moveElv(admin, elv.id, { term: '2031-2032/autumn', version: elv.version })))
        .toMatchObject({ code: 'validation_failed', details: [{ path: 'term', messageKey: 'planning.move.unknownTerm' }] })
      expect(await refusal(ctx.services.planning.moveElv(admin, elv.id, { term: '2026-2027/autumn', version: elv.version })))
        .toMatchObject({ details: [{ messageKey: 'planning.move.sameTerm' }] })
      expect(await refusal(ctx.services.planning.moveElv(admin, elv.id, { term: '2026-2027/spring', version: elv.version + 5 })))
        .toMatchObject({ code: 'version_conflict' })
      const notified = await ctx.services.visits.transition(system, elv.id, { to: 'notified', reason: 'Told early' })
      const e = await refusal(ctx.services.planning.moveElv(admin, elv.id, { term: '2026-2027/spring', version: notified.version, reason: 'Please' }))
      expect(e).toMatchObject({ status: 409, code: 'rule_violation', details: [{ messageKey: 'planning.move.notMovable', params: { state: '@visits.state.notified' } }] })
      expect((await elvNow(elv.id)).term_key).toBe('2026-2027/autumn')
    })

    it('checks changes to a team by hand against the planning rules, saving them only with a reason', async () => {
      await setUp()
      const db = ctx.services.database.db
      const [a, b, c] = [await ctx.make.user('hmi'), await ctx.make.user('hmi'), await ctx.make.user('hmi')]
      const [p1, p2] = [await ctx.make.user('peer', { authority: 'W06000015' }), await ctx.make.user('peer', { authority: 'W06000015' })]
      const busyElsewhere = await newElv('W06000016', '2028-2029/summer')
      await ctx.services.team.add(system, busyElsewhere.id, { email: c.email, lead: true })
      await db.updateTable('local_authority').set({ link_inspector_id: a.id }).where('gss_code', '=', 'W06000018').execute()
      const elv = await newElv('W06000018', '2028-2029/summer')

      // A team being formed is not too small: no reason needed.
      await ctx.services.team.add(admin, elv.id, { email: a.email, lead: true })
      await ctx.services.team.add(admin, elv.id, { email: b.email })
      // The same inspector twice in one term, beyond their most of 1.
      const overloaded = await refusal(ctx.services.team.add(admin, elv.id, { email: c.email }))
      expect(overloaded).toBeInstanceOf(PlanningBreachError)
      expect((overloaded as PlanningBreachError).breaches.map((x) => x.key)).toEqual(['inspectorOverloaded'])
      expect(overloaded.details.at(-1)).toMatchObject({ path: 'planningReason', messageKey: 'planning.move.reasonNeeded' })
      await ctx.services.team.add(admin, elv.id, { email: c.email, planningReason: 'Two short visits in the same week' })
      const recorded = await db.selectFrom('plan_exception').select(['rule', 'reason']).where('elv_id', '=', elv.id).execute()
      expect(recorded).toEqual([{ rule: 'inspectorMaxElvsPerTerm', reason: 'Two short visits in the same week' }])
      const added = (await ctx.services.audit.list({ entityType: 'elv', entityId: String(elv.id), action: 'team.add' }, { limit: 10, offset: 0 })).items
      expect(JSON.parse(added[0]!.details)).toMatchObject({ planningReason: 'Two short visits in the same week', breaches: [{ key: 'inspectorOverloaded' }] })

      // A fourth member makes the team larger than the rule; a second peer breaks the peers rule too.
      await ctx.services.team.add(admin, elv.id, { email: p1.email, planningReason: 'Shadowing' })
      const second = await refusal(ctx.services.team.add(admin, elv.id, { email: p2.email }))
      expect((second as PlanningBreachError).breaches.map((x) => x.key).sort()).toEqual(['teamSize', 'tooManyPeers'])

      // The link inspector leads whenever available: naming someone else needs a reason.
      const lead = await refusal(ctx.services.team.setLead(admin, elv.id, b.id))
      expect((lead as PlanningBreachError).breaches.map((x) => x.key)).toEqual(['linkInspectorNotLead'])
      await ctx.services.team.setLead(admin, elv.id, b.id, { planningReason: 'Gwen is on leave for the first day' })
      // Removing a member who breaks nothing needs no reason.
      await ctx.services.team.remove(admin, elv.id, p1.id)
      expect((await teamOf(elv.id)).map((m) => m.userId).sort((x, y) => x - y)).toEqual([a.id, b.id, c.id].sort((x, y) => x - y))

      // A Welsh-medium authority's team may not lose a Welsh speaker it needs.
      await db.updateTable('local_authority').set({ welsh_medium: 1 }).where('gss_code', '=', 'W06000019').execute()
      const [w1, w2] = [await ctx.make.user('hmi'), await ctx.make.user('hmi')]
      await db.updateTable('app_user').set({ welsh_speaker: 1 }).where('id', 'in', [w1.id, w2.id]).execute()
      const welsh = await newElv('W06000019', '2029-2030/spring')
      await ctx.services.team.add(admin, welsh.id, { email: w1.email, lead: true })
      await ctx.services.team.add(admin, welsh.id, { email: w2.email })
      const losing = await refusal(ctx.services.team.remove(admin, welsh.id, w2.id))
      expect((losing as PlanningBreachError).breaches.map((x) => x.key)).toEqual(['welshSpeakers'])
      expect(losing.details[0]!.params).toMatchObject({ authority: 'Blaenau Gwent', count: 1, required: 2 })
    })

    it('proposes a plan with the planner and keeps it with its basis; an impossible one is kept too, explained', async () => {
      await setUp()
      const planned = (await ctx.services.programme.current()).elvs.filter((e) => e.state === 'planned')
      const id = await ctx.services.planning.propose(admin)
      const stored = (await planningRepository(ctx.services.database.db).proposal(id))!
      expect(['optimal', 'feasible']).toContain(stored.status)
      expect(stored.basis.map((b) => b.elvId).sort((x, y) => x - y)).toEqual(planned.map((e) => e.elvId).sort((x, y) => x - y))
      expect(stored.basis.every((b) => typeof b.version === 'number' && b.term && b.gssCode && b.ordinal)).toBe(true)
      expect(await auditActions('plan_proposal', id)).toEqual(['plan_proposal.create'])
      const view = await ctx.services.planning.proposal(admin, id)
      expect(view.rows.length).toBeGreaterThan(0)
      expect(view.rows.every((r) => r.acceptable && r.proposed.team.length === 3)).toBe(true)

      // One ELV a term cannot hold every authority's ELVs in the terms still open.
      const rules = await ctx.services.programme.rules()
      await ctx.services.programme.saveRules(system, { ...rules.rules, maxElvsPerTerm: 1, version: rules.version })
      const impossible = await ctx.services.planning.propose(admin)
      const explained = await ctx.services.planning.proposal(admin, impossible)
      expect(explained.status).toBe('infeasible')
      expect(explained.rows).toEqual([])
      expect(explained.output.conflicts.map((c) => c.rule)).toContain('maxElvsPerTerm')
      expect(explained.output.conflicts[0]!.message).toMatch(/ELVs need places but 1 per term/)
      expect(await refusal(ctx.services.planning.accept(admin, impossible, [{ gssCode: 'W06000001', ordinal: 1 }]))).toMatchObject({ code: 'rule_violation' })
      await ctx.services.programme.saveRules(system, { ...rules.rules, version: rules.version + 1 })
    })
  })
}

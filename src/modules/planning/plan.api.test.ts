import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp } from '../../../test/helpers/test-app.ts'
import { checkPlanOutput } from '../../../test/planning/plan-checker.ts'
import { authority, hmis, smallRequest, walesInstance } from '../../../bench/planning-instances.ts'
import { systemActor } from '../auth/actor.ts'
import type { Role } from '../../db/schema.ts'
import type { PlanOutput, PlanRequest } from './plan.types.ts'

/** 20 ELVs in 4 open terms at 4 a term: no plan. */
const tooMany = (): PlanRequest => smallRequest({
  open: 4,
  authorities: Array.from({ length: 20 }, (_, i) => authority(`W061${String(i + 1).padStart(5, '0')}`)),
  inspectors: hmis(15),
  rules: { elvsPerAuthority: 1 },
})

for (const engine of testEngines()) {
  describe(`POST /api/v1/plan on ${engine.name}`, () => {
    const ctx = useTestApp(engine)
    const tokenFor = async (role: Role) => {
      const user = await ctx.make.user(role)
      return (await ctx.services.auth.createToken(systemActor('test'), user.email)).token
    }
    let admin = ''
    const adminToken = async () => (admin ||= await tokenFor('admin'))
    const post = (body: unknown, token?: string) => ctx.app.inject({
      method: 'POST', url: '/api/v1/plan',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      payload: JSON.stringify(body),
    })
    /** What a plan request must never change. */
    const counts = async () => {
      const db = ctx.services.database.db
      const n = async (table: 'plan_proposal' | 'elv' | 'audit_event' | 'plan_proposal_acceptance') =>
        Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
      return { proposals: await n('plan_proposal'), acceptances: await n('plan_proposal_acceptance'), elvs: await n('elv'), audit: await n('audit_event') }
    }

    it('answers 200 with a plan that keeps every rule, and saves nothing', async () => {
      const token = await adminToken()
      const before = await counts()
      const request = walesInstance(2)
      const res = await post(request, token)
      expect(res.statusCode).toBe(200)
      const out = res.json() as PlanOutput
      expect(out.status).toBe('optimal')
      expect(checkPlanOutput(request, out)).toEqual([])
      expect(await counts()).toEqual(before)
    })

    it('answers 200 with status infeasible and the conflicting rules named', async () => {
      const res = await post(tooMany(), await adminToken())
      expect(res.statusCode).toBe(200)
      const out = res.json() as PlanOutput
      expect(out.status).toBe('infeasible')
      expect(out.visits).toEqual([])
      expect(out.conflicts.find((c) => c.rule === 'maxElvsPerTerm')?.message).toMatch(/\b20\b.*\b16\b/)
    })

    it('answers 400 with every bad field in error.details, by its path', async () => {
      const request = JSON.parse(JSON.stringify(smallRequest({ open: 3, authorities: [authority('W06000008')], inspectors: hmis(3) })))
      request.authorities[0].gssCode = 'Ceredigion'
      request.inspectors[1].kind = 'chief'
      request.rules = { teamSize: 0 }
      request.terms[2].key = '2026 summer'
      const res = await post(request, await adminToken())
      expect(res.statusCode).toBe(400)
      const error = res.json().error as { code: string; message: string; details: Array<{ path: string; message: string }> }
      expect(error.code).toBe('validation_failed')
      const paths = error.details.map((d) => d.path)
      for (const p of ['authorities[0].gssCode', 'inspectors[1].kind', 'rules.teamSize', 'terms[2].key']) expect(paths).toContain(p)
      for (const d of error.details) expect(d.message.length).toBeGreaterThan(5)
      // Not JSON of the right shape at all.
      const notObject = await post([1, 2, 3], await adminToken())
      expect(notObject.statusCode).toBe(400)
      expect(notObject.json().error.details.length).toBeGreaterThan(0)
    })

    it('answers 401 without a valid token and 403 to those who may not plan', async () => {
      const request = smallRequest({ open: 3, authorities: [authority('W06000008', { elvsDone: 1 })], inspectors: hmis(3) })
      expect((await post(request)).statusCode).toBe(401)
      expect((await post(request, 'cyswllt_not-a-real-token-at-all')).statusCode).toBe(401)
      for (const role of ['hmi', 'peer', 'reviewer', 'la'] as const) {
        const res = await post(request, await tokenFor(role))
        expect(res.statusCode, role).toBe(403)
      }
      expect((await post(request, await adminToken())).statusCode).toBe(200)
    })
  })
}

import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp } from '../../../test/helpers/test-app.ts'
import { fixedClock } from '../../clock.ts'
import type { AppUser, Role } from '../../db/schema.ts'
import { systemActor } from '../auth/actor.ts'

const system = systemActor('test')

for (const engine of testEngines()) {
  describe(`programme API on ${engine.name}`, { timeout: 120_000 }, () => {
    const ctx = useTestApp(engine, { clock: fixedClock('2025-10-01T09:00:00.000Z') })
    const tokens = new Map<Role, string>()
    const tokenFor = async (role: Role) => {
      if (!tokens.has(role)) tokens.set(role, (await ctx.services.auth.createToken(system, (await ctx.make.user(role)).email)).token)
      return tokens.get(role)!
    }
    const call = async (role: Role | null, method: 'GET' | 'POST', url: string, body?: unknown) => ctx.app.inject({
      method, url,
      headers: { ...(role ? { authorization: `Bearer ${await tokenFor(role)}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { payload: JSON.stringify(body) } : {}),
    })
    const hmis: AppUser[] = []
    const staff = async () => {
      // Enough inspectors for every authority's two ELVs in the terms still open.
      for (let i = hmis.length; i < 12; i++) hmis.push(await ctx.make.user('hmi'))
    }

    it('answers the programme to inspectors and admins: ELVs, load per term and breaches', async () => {
      const elv = await ctx.services.visits.create(system, { authority: 'W06000008', term: '2026-2027/spring' })
      expect((await call(null, 'GET', '/api/v1/programme')).statusCode).toBe(401)
      for (const role of ['la', 'peer'] as const) expect((await call(role, 'GET', '/api/v1/programme')).statusCode).toBe(403)
      const res = await call('hmi', 'GET', '/api/v1/programme')
      expect(res.statusCode).toBe(200)
      const body = res.json()
      expect(body).toMatchObject({ cycle: '2024-2030', currentTerm: '2025-2026/autumn', firstTerm: '2025-2026/spring', rules: { maxElvsPerTerm: 4 } })
      expect(body.terms).toHaveLength(18)
      expect(body.load.find((l: { term: string }) => l.term === '2026-2027/spring')).toEqual({ term: '2026-2027/spring', count: 1, max: 4 })
      expect(body.elvs).toEqual([expect.objectContaining({ id: elv.id, gssCode: 'W06000008', ordinal: 1, term: '2026-2027/spring', state: 'planned', fixed: false, team: [], lead: null, notifyBy: '2026-09-01', notificationOverdue: false })])
      expect(body.authorities).toHaveLength(22)
      // An authority short of ELVs has them still to plan: that is work to do, not a rule broken.
      expect(body.authorities.find((a: { gssCode: string }) => a.gssCode === 'W06000008').toPlan).toBe(1)
      expect(body.authorities.find((a: { gssCode: string }) => a.gssCode === 'W06000015').toPlan).toBe(2)
      expect(body.breaches.filter((b: { key: string }) => b.key === 'tooFewElvs')).toEqual([])
      const breach = body.breaches.find((b: { key: string; elvId: number }) => b.key === 'teamSize' && b.elvId === elv.id)
      expect(breach).toMatchObject({ rule: 'teamSize', message: expect.stringContaining('Ceredigion'), exception: null })
    })

    it('proposes a plan, answers it beside today’s programme, and accepts part of it', async () => {
      await staff()
      expect((await call('hmi', 'POST', '/api/v1/programme/proposals')).statusCode).toBe(403)
      const made = await call('admin', 'POST', '/api/v1/programme/proposals')
      expect(made.statusCode).toBe(201)
      const proposal = made.json()
      expect(made.headers.location).toBe(`/api/v1/programme/proposals/${proposal.id}`)
      expect(['optimal', 'feasible']).toContain(proposal.status)
      expect(proposal.conflicts).toEqual([])
      expect(proposal.visits.length).toBeGreaterThan(40)
      const ceredigion = proposal.visits.find((v: { gssCode: string; ordinal: number }) => v.gssCode === 'W06000008' && v.ordinal === 1)
      expect(ceredigion).toMatchObject({ today: { term: '2026-2027/spring', state: 'planned' }, acceptable: true, cannot: null })
      expect(ceredigion.proposed.team).toHaveLength(3)

      const again = await call('admin', 'GET', `/api/v1/programme/proposals/${proposal.id}`)
      expect(again.json().visits).toEqual(proposal.visits)
      const chosen = proposal.visits.filter((v: { gssCode: string }) => ['W06000008', 'W06000015'].includes(v.gssCode))
        .map((v: { gssCode: string; ordinal: number }) => ({ gssCode: v.gssCode, ordinal: v.ordinal }))
      const accepted = await call('admin', 'POST', `/api/v1/programme/proposals/${proposal.id}/accept`, { visits: chosen })
      expect(accepted.statusCode).toBe(200)
      expect(accepted.json().accepted.map((a: { gssCode: string }) => a.gssCode).sort()).toEqual(chosen.map((c: { gssCode: string }) => c.gssCode).sort())
      const twice = await call('admin', 'POST', `/api/v1/programme/proposals/${proposal.id}/accept`, { visits: chosen.slice(0, 1) })
      expect(twice.statusCode).toBe(409)
      expect(twice.json().error).toMatchObject({ code: 'conflict', details: [{ path: 'visits', code: 'planning.proposal.cannot.accepted' }] })
      expect((await call('admin', 'POST', `/api/v1/programme/proposals/${proposal.id}/accept`, { visit: [] })).statusCode).toBe(400)
      expect((await call('admin', 'GET', '/api/v1/programme/proposals/987654')).statusCode).toBe(404)
    })

    it('moves an ELV: a breach is refused with each rule explained, then saved with a reason; a notified ELV never moves', async () => {
      const first = await ctx.services.visits.create(system, { authority: 'W06000022', term: '2026-2027/autumn' })
      await ctx.services.visits.create(system, { authority: 'W06000022', term: '2028-2029/autumn' })
      const url = `/api/v1/elvs/${first.id}/move`
      expect((await call('hmi', 'POST', url, { term: '2027-2028/autumn', version: first.version })).statusCode).toBe(403)
      expect((await call('admin', 'POST', url, { term: '2027-2028/autumn' })).json().error).toMatchObject({ code: 'validation_failed', details: [{ path: 'body.version' }] })

      const refused = await call('admin', 'POST', url, { term: '2027-2028/autumn', version: first.version })
      expect(refused.statusCode).toBe(409)
      expect(refused.json().error).toMatchObject({
        code: 'rule_violation',
        details: [
          { path: 'reason', code: 'planning.breach.elvsTooClose', message: 'Newport\'s ELVs in 2027-2028/autumn and 2028-2029/autumn are 3 terms apart; they must be at least 4 apart.' },
          { path: 'reason', code: 'planning.move.reasonNeeded' },
        ],
      })
      const moved = await call('admin', 'POST', url, { term: '2027-2028/autumn', version: first.version, reason: 'The council asked' })
      expect(moved.statusCode).toBe(200)
      expect(moved.json()).toMatchObject({ elvId: first.id, from: '2026-2027/autumn', to: '2027-2028/autumn', reason: 'The council asked', breaches: [{ rule: 'minTermsBetweenElvs', key: 'elvsTooClose' }] })
      const programme = (await call('admin', 'GET', '/api/v1/programme')).json()
      expect(programme.breaches.find((b: { key: string; gssCode: string }) => b.key === 'elvsTooClose' && b.gssCode === 'W06000022'))
        .toMatchObject({ exception: { reason: 'The council asked' } })

      const now = await ctx.services.visits.transition(system, first.id, { to: 'notified', reason: 'Early' })
      const fixed = await call('admin', 'POST', url, { term: '2026-2027/summer', version: now.version, reason: 'Please' })
      expect(fixed.statusCode).toBe(409)
      expect(fixed.json().error.details).toEqual([{ path: 'term', code: 'planning.move.notMovable', message: expect.stringContaining('it is Notified') }])
    })

    it('documents the programme routes in the OpenAPI description', async () => {
      const doc = (await ctx.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json()
      for (const [path, method] of [['/api/v1/programme', 'get'], ['/api/v1/programme/proposals', 'post'], ['/api/v1/programme/proposals/{id}', 'get'],
        ['/api/v1/programme/proposals/{id}/accept', 'post'], ['/api/v1/elvs/{id}/move', 'post']] as const) {
        expect(doc.paths[path]?.[method], `${method} ${path}`).toMatchObject({ tags: ['programme'] })
      }
      expect(doc.paths['/api/v1/elvs/{id}/move'].post.description).toContain('reason')
    })
  })
}

import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp } from '../../../test/helpers/test-app.ts'
import { systemActor, type UserActor } from '../auth/actor.ts'
import { fixedClock } from '../../clock.ts'
import type { AppUser, Role } from '../../db/schema.ts'

const CEREDIGION = 'W06000008'
const CARDIFF = 'W06000015'
const TERM = '2026-2027/spring'

const actorOf = (u: AppUser): UserActor => ({ kind: 'user', id: u.id, name: u.name, email: u.email, role: u.role, authorityCode: u.authority_code })

interface Member { userId: number; name: string; email: string; role: Role; lead: boolean; overrideReason: string | null; workloadInTerm: number; workloadWarning: boolean }

for (const engine of testEngines()) {
  describe(`ELV team API on ${engine.name}`, () => {
    const clock = fixedClock('2026-07-01T09:00:00.000Z')
    // A limit of 1 shows the configured value reaches the service (the default is 2).
    const ctx = useTestApp(engine, { clock, env: { WORKLOAD_WARNING_PER_TERM: '1' } })
    const system = systemActor('test')
    const tokenOf = async (user: AppUser) => (await ctx.services.auth.createToken(system, user.email)).token
    const userWithToken = async (role: Role, authority?: string) => {
      const user = await ctx.make.user(role, authority ? { authority } : {})
      return { user, token: await tokenOf(user) }
    }
    const call = (token: string, method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown) => ctx.app.inject({
      method, url, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { payload: JSON.stringify(body) } : {}),
    })
    const newElv = (authority: string, term = TERM) => ctx.services.visits.create(system, { authority, term })
    let adminToken = ''
    const admin = async () => {
      if (!adminToken) adminToken = (await userWithToken('admin')).token
      return adminToken
    }
    const items = async (elvId: number): Promise<Member[]> => (await call(await admin(), 'GET', `/api/v1/elvs/${elvId}/team`)).json().items

    it('never puts a peer inspector on their own authority’s visit, even when an administrator overrides', async () => {
      const elv = await newElv(CEREDIGION)
      const peer = await ctx.make.user('peer', { authority: CEREDIGION })
      const res = await call(await admin(), 'POST', `/api/v1/elvs/${elv.id}/team`, { email: peer.email, overrideReason: 'No one else is free' })
      expect(res.statusCode).toBe(409)
      expect(res.json().error).toMatchObject({ code: 'conflict_of_interest', details: [{ path: 'email', code: 'team.rule.ownAuthority' }] })
      expect(await items(elv.id)).toEqual([])
    })

    it('blocks a declared conflict, refuses a non-admin override, and lets an administrator override with a recorded reason', async () => {
      const elv = await newElv(CARDIFF)
      const hmi = await ctx.make.user('hmi', { name: 'Gwen Conflicted' })
      await ctx.services.team.declareConflict(actorOf(hmi), { authority: CARDIFF, reason: 'My sister is a head teacher there' })
      // The authority's link inspector may work on the visit but is not an administrator.
      const lali = await userWithToken('hmi')
      const authority = await ctx.services.reference.getAuthority(CARDIFF)
      await ctx.services.reference.updateAuthority(system, CARDIFF, {
        nameEn: authority.name_en, nameCy: authority.name_cy, preferredLanguage: authority.preferred_language, version: authority.version, linkInspectorId: lali.user.id,
      })
      const url = `/api/v1/elvs/${elv.id}/team`

      const blocked = await call(lali.token, 'POST', url, { email: hmi.email })
      expect(blocked.statusCode).toBe(409)
      expect(blocked.json().error).toMatchObject({ code: 'conflict_of_interest', details: [{ path: 'email', code: 'team.rule.declaredConflict' }] })
      expect(blocked.json().error.details[0].message).toContain('My sister is a head teacher there')

      const notAdmin = await call(lali.token, 'POST', url, { email: hmi.email, overrideReason: 'We need her' })
      expect(notAdmin.statusCode).toBe(409)
      expect(notAdmin.json().error).toMatchObject({ code: 'conflict_of_interest', details: [{ code: 'team.rule.overrideAdminOnly' }] })

      const noReason = await call(await admin(), 'POST', url, { email: hmi.email })
      expect(noReason.statusCode).toBe(409)
      expect(noReason.json().error.details.map((d: { path: string }) => d.path)).toEqual(['email', 'overrideReason'])
      expect(await items(elv.id)).toEqual([])

      const allowed = await call(await admin(), 'POST', url, { email: hmi.email, overrideReason: 'She has no contact with the schools in the sample' })
      expect(allowed.statusCode).toBe(201)
      expect(allowed.json().items).toEqual([expect.objectContaining({
        userId: hmi.id, name: 'Gwen Conflicted', role: 'hmi', lead: false,
        overrideReason: 'She has no contact with the schools in the sample', declaredConflict: 'My sister is a head teacher there',
      })])
      expect(allowed.json().proposedLead).toEqual({ userId: lali.user.id, name: lali.user.name })
      const history = await ctx.services.audit.list({ entityType: 'elv', entityId: String(elv.id), action: 'team.add' }, { limit: 10, offset: 0 })
      expect(history.items).toHaveLength(1)
      expect(JSON.parse(history.items[0]!.details)).toMatchObject({ userId: hmi.id, overrideReason: 'She has no contact with the schools in the sample', declaredConflict: 'My sister is a head teacher there' })

      // The link inspector adds themself as lead: no conflict of their own, so no override needed.
      const lead = await call(lali.token, 'POST', url, { email: lali.user.email, lead: true })
      expect(lead.statusCode).toBe(201)
      expect(lead.json().items[0]).toMatchObject({ userId: lali.user.id, lead: true, overrideReason: null })
    })

    it('answers 400 naming the field for an unknown e-mail or someone who is not an inspector, saving nothing', async () => {
      const elv = await newElv('W06000011')
      const url = `/api/v1/elvs/${elv.id}/team`
      const unknown = await call(await admin(), 'POST', url, { email: 'nobody@test.invalid' })
      expect(unknown.statusCode).toBe(400)
      expect(unknown.json().error).toMatchObject({ code: 'validation_failed', details: [{ path: 'email', code: 'team.rule.unknownUser' }] })
      for (const role of ['reviewer', 'la', 'admin'] as const) {
        const other = await ctx.make.user(role)
        const res = await call(await admin(), 'POST', url, { email: other.email })
        expect(res.statusCode, role).toBe(400)
        expect(res.json().error.details).toEqual([expect.objectContaining({ path: 'email', message: 'The team member must be an HMI or a peer inspector' })])
      }
      expect((await call(await admin(), 'POST', url, { email: 'not an address' })).json().error.details[0].path).toBe('email')
      expect((await call(await admin(), 'POST', url, {})).statusCode).toBe(400)
      expect(await items(elv.id)).toEqual([])
      const before = (await ctx.services.visits.get(system, elv.id)).version
      expect(before).toBe(elv.version)
    })

    it('keeps one lead: making someone lead moves the flag, and warns about size, peers and no lead', async () => {
      const elv = await newElv('W06000023')
      const url = `/api/v1/elvs/${elv.id}/team`
      const [a, b] = [await ctx.make.user('hmi'), await ctx.make.user('hmi')]
      const [p1, p2] = [await ctx.make.user('peer', { authority: CARDIFF }), await ctx.make.user('peer', { authority: CARDIFF })]

      const first = await call(await admin(), 'POST', url, { email: a.email })
      expect(first.json().warnings.map((w: { code: string }) => w.code).sort()).toEqual(['noLead', 'size'])
      expect(first.json().warnings.find((w: { code: string }) => w.code === 'size').message).toBe('The team has 1 member; a team usually has 3')

      await call(await admin(), 'POST', url, { email: b.email, lead: true })
      const leads = (await items(elv.id)).filter((m) => m.lead).map((m) => m.userId)
      expect(leads).toEqual([b.id])

      const moved = await call(await admin(), 'POST', `${url}/${a.id}/lead`)
      expect(moved.statusCode).toBe(200)
      expect(moved.json().items.filter((m: Member) => m.lead).map((m: Member) => m.userId)).toEqual([a.id])

      const third = await call(await admin(), 'POST', url, { email: p1.email })
      expect(third.json().warnings).toEqual([])
      // A second peer and a fourth member break the planning rules: refused unless a reason is given.
      expect((await call(await admin(), 'POST', url, { email: p2.email })).json().error).toMatchObject({ code: 'rule_violation' })
      const fourth = await call(await admin(), 'POST', url, { email: p2.email, planningReason: 'A second peer inspector is shadowing' })
      expect(fourth.json().warnings.map((w: { code: string }) => w.code).sort()).toEqual(['peers', 'size'])

      const removed = await call(await admin(), 'DELETE', `${url}/${a.id}`)
      expect(removed.statusCode).toBe(200)
      expect(removed.json().items.map((m: Member) => m.userId)).not.toContain(a.id)
      expect(removed.json().warnings.map((w: { code: string }) => w.code)).toContain('noLead')
      expect((await call(await admin(), 'DELETE', `${url}/${a.id}`)).statusCode).toBe(404)
      const actions = (await ctx.services.audit.list({ entityType: 'elv', entityId: String(elv.id) }, { limit: 20, offset: 0 })).items.map((e) => e.action)
      expect(actions.filter((x) => x.startsWith('team.'))).toEqual(['team.remove', 'team.add', 'team.add', 'team.lead', 'team.add', 'team.add'])
    })

    it('counts each inspector’s visits in the term, not cancelled ones nor other terms, and warns above the limit', async () => {
      const busy = await ctx.make.user('hmi')
      const [x, y] = [await newElv('W06000001'), await newElv('W06000002')]
      const otherTerm = await newElv('W06000003', '2027-2028/autumn')
      // Two ELVs in one term is beyond the inspector's most of one: allowed with a planning reason.
      const reason = { planningReason: 'Both visits are short' }
      for (const e of [x, y, otherTerm]) expect((await call(await admin(), 'POST', `/api/v1/elvs/${e.id}/team`, { email: busy.email, ...reason })).statusCode).toBe(201)
      const inX = (await call(await admin(), 'GET', `/api/v1/elvs/${x.id}/team`)).json()
      expect(inX.workloadLimit).toBe(1)
      expect(inX.items[0]).toMatchObject({ userId: busy.id, workloadInTerm: 2, workloadWarning: true })
      expect(inX.warnings.map((w: { code: string }) => w.code)).toContain('workload')
      expect((await items(otherTerm.id))[0]).toMatchObject({ workloadInTerm: 1, workloadWarning: false })

      await ctx.services.visits.transition(system, y.id, { to: 'cancelled', reason: 'Merged' })
      expect((await items(x.id))[0]).toMatchObject({ workloadInTerm: 1, workloadWarning: false })
    })

    it('shows an authority user its own visit’s team names only, refuses changes (403), and hides other authorities (404)', async () => {
      const mine = await newElv('W06000004')
      const theirs = await newElv('W06000005')
      const hmi = await ctx.make.user('hmi', { name: 'Rhys Lead' })
      await call(await admin(), 'POST', `/api/v1/elvs/${mine.id}/team`, { email: hmi.email, lead: true })
      await call(await admin(), 'POST', `/api/v1/elvs/${theirs.id}/team`, { email: hmi.email })
      const la = await userWithToken('la', 'W06000004')

      const seen = await call(la.token, 'GET', `/api/v1/elvs/${mine.id}/team`)
      expect(seen.statusCode).toBe(200)
      expect(seen.json()).toEqual({ items: [{ name: 'Rhys Lead', role: 'hmi', lead: true }], warnings: [] })

      const add = await call(la.token, 'POST', `/api/v1/elvs/${mine.id}/team`, { email: (await ctx.make.user('hmi')).email })
      expect(add.statusCode).toBe(403)
      expect((await call(la.token, 'DELETE', `/api/v1/elvs/${mine.id}/team/${hmi.id}`)).statusCode).toBe(403)
      expect((await items(mine.id)).map((m) => m.userId)).toEqual([hmi.id])

      for (const [method, body] of [['GET', undefined], ['POST', { email: hmi.email }]] as const) {
        const res = await call(la.token, method, `/api/v1/elvs/${theirs.id}/team`, body)
        expect(res.statusCode, method).toBe(404)
      }
    })

    it('feeds readiness, and lets a peer added to the team see the visit', async () => {
      const elv = await newElv('W06000006')
      const peer = await userWithToken('peer', CARDIFF)
      const visibleIds = async () => (await call(peer.token, 'GET', '/api/v1/elvs')).json().items.map((e: { id: number }) => e.id)
      expect(await visibleIds()).not.toContain(elv.id)
      expect((await call(peer.token, 'GET', `/api/v1/elvs/${elv.id}/team`)).statusCode).toBe(404)

      const hmi = await ctx.make.user('hmi')
      await call(await admin(), 'POST', `/api/v1/elvs/${elv.id}/team`, { email: hmi.email, lead: true })
      await call(await admin(), 'POST', `/api/v1/elvs/${elv.id}/team`, { email: peer.user.email })

      const readiness = await ctx.services.visits.readiness(await ctx.services.visits.get(system, elv.id))
      expect(readiness.team).toEqual(expect.arrayContaining([{ userId: hmi.id, lead: true }, { userId: peer.user.id, lead: false }]))
      expect(readiness.team).toHaveLength(2)

      expect(await visibleIds()).toContain(elv.id)
      const asPeer = await call(peer.token, 'GET', `/api/v1/elvs/${elv.id}/team`)
      expect(asPeer.statusCode).toBe(200)
      expect(asPeer.json().items).toHaveLength(2)
    })

    it('documents the team routes, with 409 for a conflict of interest, in the OpenAPI description', async () => {
      const doc = (await ctx.app.inject('/api/v1/openapi.json')).json()
      const team = doc.paths['/api/v1/elvs/{id}/team']
      expect(Object.keys(team)).toEqual(expect.arrayContaining(['get', 'post']))
      expect(Object.keys(team.post.responses)).toEqual(expect.arrayContaining(['201', '400', '403', '404', '409']))
      expect(team.post.description).toContain('conflict_of_interest')
      expect(Object.keys(doc.paths['/api/v1/elvs/{id}/team/{userId}'])).toContain('delete')
    })

    it('refuses a stale version instead of overwriting, and a change once the visit is cancelled', async () => {
      const elv = await newElv('W06000009')
      const [a, b] = [await ctx.make.user('hmi'), await ctx.make.user('hmi')]
      const url = `/api/v1/elvs/${elv.id}/team`
      expect((await call(await admin(), 'POST', url, { email: a.email, version: elv.version })).statusCode).toBe(201)
      const stale = await call(await admin(), 'POST', url, { email: b.email, version: elv.version })
      expect(stale.statusCode).toBe(409)
      expect(stale.json().error).toMatchObject({ code: 'version_conflict', details: [{ path: 'version' }] })
      await ctx.services.visits.transition(system, elv.id, { to: 'cancelled', reason: 'Withdrawn' })
      const locked = await call(await admin(), 'POST', url, { email: b.email })
      expect(locked.statusCode).toBe(409)
      expect(locked.json().error).toMatchObject({ code: 'rule_violation', details: [{ path: 'state', message: 'The team of a visit in the state “Cancelled” cannot change' }] })
    })
  })
}

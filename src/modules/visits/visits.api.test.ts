import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp } from '../../../test/helpers/test-app.ts'
import { systemActor } from '../auth/actor.ts'
import { fixedClock } from '../../clock.ts'

const CEREDIGION = 'W06000008'
const CARDIFF = 'W06000015'

for (const engine of testEngines()) {
  describe(`ELV API on ${engine.name}`, () => {
    // Autumn 2026: the spring 2027 term's notice falls due on the first day of autumn 2026.
    const clock = fixedClock('2026-07-01T09:00:00.000Z')
    const ctx = useTestApp(engine, { clock })
    const tokenFor = async (role: 'admin' | 'hmi' | 'la' | 'peer', authority?: string) => {
      const user = await ctx.make.user(role, authority ? { authority } : {})
      return { user, token: (await ctx.services.auth.createToken(systemActor('test'), user.email)).token }
    }
    const call = (token: string, method: 'GET' | 'POST', url: string, body?: unknown) => ctx.app.inject({
      method, url, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { payload: JSON.stringify(body) } : {}),
    })

    it('plans an ELV, numbers it in the cycle, and refuses a third live one', async () => {
      const { token } = await tokenFor('admin')
      const first = await call(token, 'POST', '/api/v1/elvs', { authority: CEREDIGION, term: '2026-2027/spring' })
      expect(first.statusCode).toBe(201)
      expect(first.json()).toMatchObject({ authority: CEREDIGION, term: '2026-2027/spring', ordinal: 1, state: 'planned', notifyBy: '2026-09-01' })
      const second = await call(token, 'POST', '/api/v1/elvs', { authority: CEREDIGION, term: '2028-2029/summer' })
      expect(second.json()).toMatchObject({ ordinal: 2 })
      const third = await call(token, 'POST', '/api/v1/elvs', { authority: CEREDIGION, term: '2029-2030/autumn' })
      expect(third.statusCode).toBe(409)
      expect(third.json().error).toMatchObject({ code: 'rule_violation', details: [{ path: 'authority' }] })
      // A cancelled ELV frees its place.
      const cancel = await call(token, 'POST', `/api/v1/elvs/${second.json().id}/transition`, { to: 'cancelled', reason: 'Merged into a core inspection' })
      expect(cancel.statusCode).toBe(200)
      expect(cancel.json()).toMatchObject({ state: 'cancelled', stateReason: 'Merged into a core inspection' })
      expect((await call(token, 'POST', '/api/v1/elvs', { authority: CEREDIGION, term: '2029-2030/autumn' })).json()).toMatchObject({ ordinal: 2 })
    })

    it('names the field for an unknown authority or term, and saves nothing', async () => {
      const { token } = await tokenFor('admin')
      const before = (await call(token, 'GET', '/api/v1/elvs')).json().items.length
      const res = await call(token, 'POST', '/api/v1/elvs', { authority: 'W06000099', term: '2031-2032/autumn' })
      expect(res.statusCode).toBe(400)
      expect(res.json().error.details.map((d: { path: string }) => d.path).sort()).toEqual(['authority', 'term'])
      expect((await call(token, 'POST', '/api/v1/elvs', { term: '2026-2027/spring' })).statusCode).toBe(400)
      expect((await call(token, 'GET', '/api/v1/elvs')).json().items.length).toBe(before)
    })

    it('notifies on time, audits it, and explains what blocks focus_agreed', async () => {
      const { token } = await tokenFor('admin')
      const elv = (await call(token, 'POST', '/api/v1/elvs', { authority: CARDIFF, term: '2026-2027/summer' })).json()
      const notified = await call(token, 'POST', `/api/v1/elvs/${elv.id}/transition`, { to: 'notified' })
      expect(notified.statusCode).toBe(200)
      expect(notified.json()).toMatchObject({ state: 'notified', lateNotification: false })
      const blocked = await call(token, 'POST', `/api/v1/elvs/${elv.id}/transition`, { to: 'focus_agreed' })
      expect(blocked.statusCode).toBe(409)
      expect(blocked.json().error).toMatchObject({ code: 'rule_violation', details: [{ path: 'focusAreas', code: 'visits.rule.noFocusAreas' }] })
      const skip = await call(token, 'POST', `/api/v1/elvs/${elv.id}/transition`, { to: 'fieldwork' })
      expect(skip.json().error.details[0].code).toBe('visits.rule.notAllowedFrom')
      const history = await ctx.services.audit.list({ entityType: 'elv', entityId: String(elv.id) }, { limit: 10, offset: 0 })
      expect(history.items.map((e) => e.action)).toEqual(['elv.transition', 'elv.create'])
    })

    it('refuses late notification without a reason, and records the reason given', async () => {
      const { token } = await tokenFor('admin')
      const elv = (await call(token, 'POST', '/api/v1/elvs', { authority: 'W06000011', term: '2026-2027/autumn' })).json()
      expect(elv.notifyBy).toBe('2026-04-13')
      const refused = await call(token, 'POST', `/api/v1/elvs/${elv.id}/transition`, { to: 'notified' })
      expect(refused.statusCode).toBe(409)
      expect(refused.json().error.details[0]).toMatchObject({ path: 'reason', code: 'visits.rule.lateNeedsReason' })
      const ok = await call(token, 'POST', `/api/v1/elvs/${elv.id}/transition`, { to: 'notified', reason: 'The authority asked to bring it forward' })
      expect(ok.json()).toMatchObject({ state: 'notified', lateNotification: true, lateNotificationReason: 'The authority asked to bring it forward' })
    })

    it('refuses a stale version instead of overwriting', async () => {
      const { token } = await tokenFor('admin')
      const elv = (await call(token, 'POST', '/api/v1/elvs', { authority: 'W06000023', term: '2027-2028/spring' })).json()
      expect((await call(token, 'POST', `/api/v1/elvs/${elv.id}/transition`, { to: 'notified', version: elv.version })).statusCode).toBe(200)
      const stale = await call(token, 'POST', `/api/v1/elvs/${elv.id}/transition`, { to: 'postponed', reason: 'x', version: elv.version })
      expect(stale.statusCode).toBe(409)
      expect(stale.json().error.code).toBe('version_conflict')
    })

    it('shows an authority user only its own authority, and 404 for any other', async () => {
      const admin = await tokenFor('admin')
      const own = (await call(admin.token, 'POST', '/api/v1/elvs', { authority: 'W06000002', term: '2027-2028/autumn' })).json()
      const other = (await call(admin.token, 'POST', '/api/v1/elvs', { authority: 'W06000003', term: '2027-2028/autumn' })).json()
      const la = await tokenFor('la', 'W06000002')
      const list = (await call(la.token, 'GET', '/api/v1/elvs')).json().items
      expect(list.map((e: { authority: string }) => e.authority)).toEqual(['W06000002'])
      expect((await call(la.token, 'GET', `/api/v1/elvs/${own.id}`)).statusCode).toBe(200)
      expect((await call(la.token, 'GET', `/api/v1/elvs/${other.id}`)).statusCode).toBe(404)
      expect((await call(la.token, 'GET', `/api/v1/elvs?authority=W06000003`)).json().items).toEqual([])
      expect((await call(la.token, 'POST', `/api/v1/elvs/${other.id}/transition`, { to: 'notified' })).statusCode).toBe(404)
      expect((await call(la.token, 'POST', `/api/v1/elvs/${own.id}/transition`, { to: 'notified' })).statusCode).toBe(403)
      expect((await call(la.token, 'POST', '/api/v1/elvs', { authority: 'W06000002', term: '2027-2028/spring' })).statusCode).toBe(403)
      // A peer inspector sees only the visits whose team they are on: none yet.
      const peer = await tokenFor('peer', 'W06000004')
      expect((await call(peer.token, 'GET', '/api/v1/elvs')).json().items).toEqual([])
    })

    it('writes the bilingual notification to the outbox when the director has an address', async () => {
      const { token } = await tokenFor('admin')
      const gwynedd = await ctx.services.reference.getAuthority('W06000001')
      await ctx.services.reference.updateAuthority(systemActor('test'), 'W06000001', {
        nameEn: gwynedd.name_en, nameCy: gwynedd.name_cy, directorName: 'Dr Fictional Director', directorEmail: 'director@ynysmon.invalid', preferredLanguage: 'cy', version: gwynedd.version,
      })
      const elv = (await call(token, 'POST', '/api/v1/elvs', { authority: 'W06000001', term: '2027-2028/summer' })).json()
      await call(token, 'POST', `/api/v1/elvs/${elv.id}/transition`, { to: 'notified' })
      const mail = await ctx.services.mail.forEntity('elv', elv.id)
      expect(mail).toHaveLength(1)
      expect(mail[0]).toMatchObject({ to_address: 'director@ynysmon.invalid', sent_at: null })
      expect(mail[0]!.subject).toMatch(/^Hysbysiad .* \/ Notification /)
      expect(mail[0]!.text_body.indexOf('Annwyl Dr Fictional Director')).toBeLessThan(mail[0]!.text_body.indexOf('Dear Dr Fictional Director'))
    })
  })
}

import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp } from '../../../test/helpers/test-app.ts'
import { systemActor, type UserActor } from '../auth/actor.ts'
import type { AppUser, ElvState, EvidenceKind, Role } from '../../db/schema.ts'
import { fixedClock } from '../../clock.ts'

const asActor = (u: AppUser): UserActor => ({ kind: 'user', id: u.id, name: u.name, email: u.email, role: u.role, authorityCode: u.authority_code })
const TERM = '2026-2027/spring'

for (const engine of testEngines()) {
  describe(`findings API on ${engine.name}`, () => {
    const ctx = useTestApp(engine, { clock: fixedClock('2026-07-01T09:00:00.000Z') })
    const system = systemActor('test')
    const setState = (elvId: number, state: ElvState) => ctx.services.database.db.updateTable('elv').set({ state }).where('id', '=', elvId).execute()
    const tokenOf = async (user: AppUser) => (await ctx.services.auth.createToken(system, user.email)).token
    const userWithToken = async (role: Role, authority?: string) => {
      const user = await ctx.make.user(role, authority ? { authority } : {})
      return { user, token: await tokenOf(user) }
    }
    const call = (token: string, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown) => ctx.app.inject({
      method, url, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { payload: JSON.stringify(body) } : {}),
    })

    async function visit(authority: string) {
      const { user, token } = await userWithToken('hmi')
      const hmi = asActor(user)
      const elv = await ctx.services.visits.create(system, { authority, term: TERM })
      await ctx.services.team.add(system, elv.id, { email: hmi.email, lead: true })
      const fa1 = await ctx.services.focusAreas.propose(system, elv.id, { title: 'Attendance', description: 'x', source: 'authority_priority' })
      const fa2 = await ctx.services.focusAreas.propose(system, elv.id, { title: 'Leadership', description: 'x', source: 'national_priority' })
      const add = (kind: EvidenceKind, source: string) => ctx.services.evidence.create(hmi, elv.id, { kind, title: `${kind} ${source}`, body: 'Notes', source, focusAreaIds: [fa1.id] })
      return { token, hmi, elv, fa1, fa2, add }
    }

    it('records, reads, changes and deletes a finding, with its triangulation and version', async () => {
      const { token, elv, fa1, add } = await visit('W06000012')
      const a = await add('meeting_note', 'Director of Education')
      const b = await add('data', 'DIRECTOR OF EDUCATION')
      const c = await add('authority_document', 'Strategy')
      const created = await call(token, 'POST', `/api/v1/elvs/${elv.id}/findings`, { focusAreaId: fa1.id, kind: 'working_well', text: 'Attendance is improving', evidenceIds: [a.id, b.id], themes: ['attendance'] })
      expect(created.statusCode).toBe(201)
      const body = created.json()
      expect(body).toMatchObject({
        elvId: elv.id, focusAreaId: fa1.id, kind: 'working_well', text: 'Attendance is improving', evidenceIds: [a.id, b.id], version: 1,
        themes: [{ key: 'attendance' }],
        triangulation: { items: 2, kinds: 2, sources: 1, secure: false, missing: [{ rule: 'items', have: 2, need: 3 }, { rule: 'sources', have: 1, need: 2 }] },
      })
      expect(typeof body.id).toBe('number')

      const list = await call(token, 'GET', `/api/v1/elvs/${elv.id}/findings`)
      expect(list.statusCode).toBe(200)
      expect(list.json().items.map((f: { id: number }) => f.id)).toEqual([body.id])
      expect((await call(token, 'GET', `/api/v1/findings/${body.id}`)).json()).toMatchObject({ id: body.id, version: 1 })

      const patched = await call(token, 'PATCH', `/api/v1/findings/${body.id}`, { evidenceIds: [a.id, b.id, c.id], version: 1 })
      expect(patched.statusCode).toBe(200)
      expect(patched.json()).toMatchObject({ version: 2, text: 'Attendance is improving', triangulation: { items: 3, kinds: 3, sources: 2, secure: true, missing: [] } })
      const stale = await call(token, 'PATCH', `/api/v1/findings/${body.id}`, { text: 'Late', version: 1 })
      expect(stale.statusCode).toBe(409)
      expect(stale.json().error).toMatchObject({ code: 'version_conflict', details: [{ path: 'version' }] })
      const noVersion = await call(token, 'PATCH', `/api/v1/findings/${body.id}`, { text: 'No version' })
      expect(noVersion.statusCode).toBe(400)

      expect((await call(token, 'DELETE', `/api/v1/findings/${body.id}?version=1`)).statusCode).toBe(409)
      expect((await call(token, 'DELETE', `/api/v1/findings/${body.id}?version=2`)).statusCode).toBe(204)
      expect((await call(token, 'GET', `/api/v1/findings/${body.id}`)).statusCode).toBe(404)
    })

    it('answers 400 naming each evidence item of another visit', async () => {
      const one = await visit('W06000013')
      const other = await visit('W06000014')
      const ours = await one.add('meeting_note', 'Head of service')
      const theirs = await other.add('data', 'Elsewhere')
      const res = await call(one.token, 'POST', `/api/v1/elvs/${one.elv.id}/findings`, { focusAreaId: one.fa1.id, kind: 'improvement', text: 'x', evidenceIds: [ours.id, theirs.id] })
      expect(res.statusCode).toBe(400)
      expect(res.json().error).toMatchObject({
        code: 'validation_failed',
        details: [{ path: 'evidenceIds', code: 'findings.rule.evidenceNotOfVisit', message: `Evidence item ${theirs.id} is not evidence of this visit` }],
      })
      const kind = await call(one.token, 'POST', `/api/v1/elvs/${one.elv.id}/findings`, { focusAreaId: one.fa1.id, kind: 'strength', text: 'x' })
      expect(kind.json().error.details).toEqual([{ path: 'kind', code: 'validation.choice', message: 'Select the kind of finding' }])
    })

    it('answers 404 to an authority user, 403 to a reader off the team, and 409 once the letter is issued', async () => {
      const { token, hmi, elv, fa1 } = await visit('W06000015')
      const f = await ctx.services.findings.create(hmi, elv.id, { focusAreaId: fa1.id, kind: 'working_well', text: 'Good' })
      const la = await userWithToken('la', 'W06000015')
      expect((await call(la.token, 'GET', `/api/v1/elvs/${elv.id}/findings`)).statusCode).toBe(404)
      expect((await call(la.token, 'GET', `/api/v1/findings/${f.id}`)).statusCode).toBe(404)
      expect((await call(la.token, 'POST', `/api/v1/elvs/${elv.id}/findings`, { focusAreaId: fa1.id, kind: 'working_well', text: 'x' })).statusCode).toBe(404)
      const reviewer = await userWithToken('reviewer')
      expect((await call(reviewer.token, 'GET', `/api/v1/findings/${f.id}`)).statusCode).toBe(200)
      expect((await call(reviewer.token, 'PATCH', `/api/v1/findings/${f.id}`, { text: 'x', version: 1 })).statusCode).toBe(403)

      await setState(elv.id, 'issued')
      const closed = await call(token, 'POST', `/api/v1/elvs/${elv.id}/findings`, { focusAreaId: fa1.id, kind: 'working_well', text: 'Too late' })
      expect(closed.statusCode).toBe(409)
      expect(closed.json().error).toMatchObject({ code: 'rule_violation', details: [{ path: 'state', code: 'findings.rule.closed' }] })
      expect((await call(token, 'PATCH', `/api/v1/findings/${f.id}`, { text: 'x', version: 1 })).statusCode).toBe(409)
      expect((await call(token, 'DELETE', `/api/v1/findings/${f.id}`)).statusCode).toBe(409)
      expect((await call(token, 'GET', `/api/v1/findings/${f.id}`)).json().text).toBe('Good')
    })

    it('reads and changes the threshold for administrators only, and findings follow it', async () => {
      const { token, hmi, elv, fa1, add } = await visit('W06000016')
      const a = await add('meeting_note', 'Director')
      const f = await ctx.services.findings.create(hmi, elv.id, { focusAreaId: fa1.id, kind: 'working_well', text: 'One item', evidenceIds: [a.id] })
      expect((await call(token, 'GET', '/api/v1/settings/triangulation')).statusCode).toBe(403)
      expect((await call(token, 'PUT', '/api/v1/settings/triangulation', { minItems: 1, minKinds: 1, minSources: 1, version: 1 })).statusCode).toBe(403)
      const admin = await userWithToken('admin')
      const current = await call(admin.token, 'GET', '/api/v1/settings/triangulation')
      expect(current.json()).toMatchObject({ minItems: 3, minKinds: 2, minSources: 2 })
      const { version } = current.json()

      const bad = await call(admin.token, 'PUT', '/api/v1/settings/triangulation', { minItems: 21, minKinds: 6, version })
      expect(bad.statusCode).toBe(400)
      expect(bad.json().error.details.map((d: { path: string; code: string }) => [d.path, d.code])).toEqual([
        ['minSources', 'validation.required'], ['minItems', 'findings.settings.rule.range'], ['minKinds', 'findings.settings.rule.kindsMax'],
      ])
      const saved = await call(admin.token, 'PUT', '/api/v1/settings/triangulation', { minItems: 1, minKinds: 1, minSources: 1, version })
      expect(saved.statusCode).toBe(200)
      expect(saved.json()).toMatchObject({ minItems: 1, minKinds: 1, minSources: 1, version: version + 1 })
      expect((await call(token, 'GET', `/api/v1/findings/${f.id}`)).json().triangulation.secure).toBe(true)
      const stale = await call(admin.token, 'PUT', '/api/v1/settings/triangulation', { minItems: 3, minKinds: 2, minSources: 2, version })
      expect(stale.statusCode).toBe(409)
      expect(stale.json().error.code).toBe('version_conflict')
      expect((await call(admin.token, 'PUT', '/api/v1/settings/triangulation', { minItems: 3, minKinds: 2, minSources: 2, version: version + 1 })).statusCode).toBe(200)
      expect((await call(token, 'GET', `/api/v1/findings/${f.id}`)).json().triangulation.secure).toBe(false)
    })

    it('refuses the move to quality assurance naming each insecure finding and bare focus area, then allows it', async () => {
      const { token, hmi, elv, fa1, fa2, add } = await visit('W06000018')
      const a = await add('meeting_note', 'Director')
      const b = await add('data', 'Data unit')
      const c = await add('authority_document', 'Strategy')
      const f = await ctx.services.findings.create(hmi, elv.id, { focusAreaId: fa1.id, kind: 'improvement', text: 'Too few schools improve attendance', evidenceIds: [a.id, b.id] })
      await setState(elv.id, 'drafting')
      const refused = await call(token, 'POST', `/api/v1/elvs/${elv.id}/transition`, { to: 'quality_assurance' })
      expect(refused.statusCode).toBe(409)
      expect(refused.json().error).toMatchObject({
        code: 'rule_violation',
        details: [
          { path: 'findings', code: 'visits.rule.findingNotSecure', message: 'The finding “Too few schools improve attendance” for “Attendance” is not yet secure: link more evidence to it' },
          { path: 'findings', code: 'visits.rule.noFindingForFocusArea', message: 'The focus area “Leadership” has no finding yet: record what is working well or a consideration for improvement' },
        ],
      })
      expect((await call(token, 'PATCH', `/api/v1/findings/${f.id}`, { evidenceIds: [a.id, b.id, c.id], version: f.version })).statusCode).toBe(200)
      expect((await call(token, 'POST', `/api/v1/elvs/${elv.id}/findings`, { focusAreaId: fa2.id, kind: 'working_well', text: 'Clear vision', evidenceIds: [a.id, b.id, c.id] })).statusCode).toBe(201)
      const moved = await call(token, 'POST', `/api/v1/elvs/${elv.id}/transition`, { to: 'quality_assurance' })
      expect(moved.statusCode).toBe(200)
      expect(moved.json().state).toBe('quality_assurance')
    })
  })
}

import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp } from '../../../test/helpers/test-app.ts'
import { systemActor } from '../auth/actor.ts'
import type { Role } from '../../db/schema.ts'
import { fixedClock } from '../../clock.ts'
import { addInsecureFinding, editParagraph, reviewFixture } from './letter-review.fixtures.ts'

for (const engine of testEngines()) {
  describe(`letter review API on ${engine.name}`, () => {
    const ctx = useTestApp(engine, { clock: fixedClock('2027-03-01T09:00:00.000Z') })
    const system = systemActor('test')
    const make = (role: Role, opts?: { authority?: string }) => ctx.make.user(role, opts)
    const tokenOf = async (email: string) => (await ctx.services.auth.createToken(system, email)).token
    const tokenFor = async (role: Role, authority?: string) => tokenOf((await make(role, authority ? { authority } : {})).email)
    const call = (token: string, method: 'GET' | 'POST', url: string, body?: unknown) => ctx.app.inject({
      method, url, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { payload: JSON.stringify(body) } : {}),
    })

    it('submits, returns with comments, resubmits and approves, answering state and version each time', async () => {
      const f = await reviewFixture(ctx.services, make, 'W06000020')
      const base = `/api/v1/elvs/${f.elvId}/letter`
      const lead = await tokenOf(f.lead.email)
      const reviewer = await tokenFor('reviewer')
      const other = await tokenFor('reviewer')
      const [paragraph] = f.paragraphs.closing!

      const submitted = await call(lead, 'POST', `${base}/submit`, { version: 1 })
      expect(submitted.statusCode).toBe(200)
      expect(submitted.json()).toMatchObject({ state: 'in_review', version: 2, elvState: 'quality_assurance', submittedBy: { id: f.lead.id }, approvedBy: null })

      const commented = await call(reviewer, 'POST', `${base}/comments`, { version: 2, paragraphId: paragraph, body: 'Shorter, please' })
      expect(commented.statusCode).toBe(201)
      expect(commented.json()).toMatchObject({ revision: 2, sectionKey: 'closing', paragraphId: paragraph, body: 'Shorter, please' })

      const returned = await call(reviewer, 'POST', `${base}/return`, { version: 2, comments: [{ sectionKey: 'opening', body: 'Address the director by name' }] })
      expect(returned.statusCode).toBe(200)
      expect(returned.json()).toMatchObject({ state: 'draft', version: 3, elvState: 'drafting' })

      await editParagraph(ctx.services, f.letterId, paragraph!, { en: 'No follow-up.' }, f.lead.id)
      expect((await call(lead, 'POST', `${base}/submit`, { version: 4 })).json()).toMatchObject({ state: 'in_review', version: 5 })
      const approved = await call(other, 'POST', `${base}/approve`, { version: 5 })
      expect(approved.statusCode).toBe(200)
      expect(approved.json()).toMatchObject({ state: 'approved', version: 6, elvState: 'quality_assurance' })

      const revisions = await call(lead, 'GET', `${base}/revisions`)
      expect(revisions.json().items.map((r: { number: number; note: string }) => `${r.number}:${r.note}`)).toEqual(['6:approve', '5:submit', '4:edit', '3:return', '2:submit', '1:build'])
      const comments = await call(lead, 'GET', `${base}/comments`)
      expect(comments.json().items.map((c: { revision: number; sectionKey: string | null; body: string }) => [c.revision, c.sectionKey, c.body])).toEqual([
        [2, 'closing', 'Shorter, please'], [2, 'opening', 'Address the director by name'],
      ])
      const compared = await call(reviewer, 'GET', `${base}/compare?from=3&to=4`)
      expect(compared.statusCode).toBe(200)
      const closing = compared.json().sections.find((s: { key: string }) => s.key === 'closing')
      expect(closing.status).toBe('changed')
      expect(closing.paragraphs[0].text.en).toEqual([{ op: 'del', text: 'There is no follow-up activity.' }, { op: 'ins', text: 'No follow-up.' }])
    })

    it('answers 409 rule_violation with the reasons, 409 version_conflict, 403 and 404 as the rules say', async () => {
      const f = await reviewFixture(ctx.services, make, 'W06000021')
      const base = `/api/v1/elvs/${f.elvId}/letter`
      const admin = await tokenFor('admin')
      const la = await tokenFor('la', 'W06000021')
      const hmi = await tokenFor('hmi')

      const forLa = await call(la, 'POST', `${base}/submit`, { version: 1 })
      expect(forLa.statusCode).toBe(404)
      expect(forLa.json().error.code).toBe('not_found')
      expect((await call(la, 'GET', `${base}/revisions`)).statusCode).toBe(404)
      expect((await call(la, 'GET', `${base}/comments`)).statusCode).toBe(404)
      expect((await call(hmi, 'POST', `${base}/submit`, { version: 1 })).statusCode).toBe(403)
      expect((await call(hmi, 'POST', `${base}/approve`, { version: 1 })).statusCode).toBe(403)

      const stale = await call(admin, 'POST', `${base}/submit`, { version: 3 })
      expect(stale.statusCode).toBe(409)
      expect(stale.json().error.code).toBe('version_conflict')
      const noVersion = await call(admin, 'POST', `${base}/submit`, {})
      expect(noVersion.statusCode).toBe(400)
      expect(noVersion.json().error.details[0]).toMatchObject({ path: 'version', code: 'validation.integer' })

      expect((await call(admin, 'POST', `${base}/submit`, { version: 1 })).statusCode).toBe(200)
      // Approving one's own letter.
      const own = await call(admin, 'POST', `${base}/approve`, { version: 2 })
      expect(own.statusCode).toBe(409)
      expect(own.json().error).toMatchObject({
        code: 'rule_violation',
        details: [{ path: 'reviewer', code: 'letterReview.rule.ownSubmission', message: 'You submitted this letter, so another reviewer must approve it' }],
      })
      const badComments = await call(admin, 'POST', `${base}/return`, { version: 2, comments: [{ paragraphId: 424242, body: 'Where?' }] })
      expect(badComments.statusCode).toBe(400)
      expect(badComments.json().error.details).toEqual([{ path: 'comments.0.paragraphId', code: 'letterReview.rule.unknownParagraph', message: expect.stringContaining('no paragraph 424242') }])
      const wrongShape = await call(admin, 'POST', `${base}/return`, { version: 2, comments: 5 })
      expect(wrongShape.statusCode).toBe(400)

      const g = await reviewFixture(ctx.services, make, 'W06000022')
      await addInsecureFinding(ctx.services, g, 'Exclusions remain high')
      const blocked = await call(await tokenOf(g.lead.email), 'POST', `/api/v1/elvs/${g.elvId}/letter/submit`, { version: 1 })
      expect(blocked.statusCode).toBe(409)
      expect(blocked.json().error).toMatchObject({ code: 'rule_violation', details: [{ path: 'findings', code: 'visits.rule.findingNotSecure', message: expect.stringContaining('Exclusions remain high') }] })
    })

    it('describes its routes in the OpenAPI document', async () => {
      const doc = (await ctx.app.inject('/api/v1/openapi.json')).json() as { paths: Record<string, Record<string, unknown>> }
      for (const path of ['submit', 'return', 'approve', 'revisions', 'comments', 'compare']) {
        expect(Object.keys(doc.paths), path).toContain(`/api/v1/elvs/{id}/letter/${path}`)
      }
      expect(Object.keys(doc.paths['/api/v1/elvs/{id}/letter/comments']!).sort()).toEqual(['get', 'post'])
    })
  })
}

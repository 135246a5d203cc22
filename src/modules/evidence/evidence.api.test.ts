import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp } from '../../../test/helpers/test-app.ts'
import { systemActor } from '../auth/actor.ts'
import { fixedClock } from '../../clock.ts'
import type { AppUser, Role } from '../../db/schema.ts'

const TERM = '2026-2027/spring'
const NOW = '2026-07-01T09:00:00.000Z'

for (const engine of testEngines()) {
  describe(`evidence API on ${engine.name}`, () => {
    const ctx = useTestApp(engine, { clock: fixedClock(NOW) })
    const system = systemActor('test')
    const db = () => ctx.services.database.db
    const tokenOf = async (user: AppUser) => (await ctx.services.auth.createToken(system, user.email)).token
    const withToken = async (role: Role, authority?: string) => {
      const user = await ctx.make.user(role, authority ? { authority } : {})
      return { user, token: await tokenOf(user) }
    }
    const call = (token: string, method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown) => ctx.app.inject({
      method, url, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { payload: JSON.stringify(body) } : {}),
    })
    /** A multipart request as a client library sends it: fields, then any files, each a part. */
    const multipart = (token: string, url: string, fields: Array<[string, string]>, files: Array<{ name: string; content: string }>) => {
      const boundary = '----cyswllt-api-test'
      const parts: Buffer[] = []
      for (const [name, value] of fields) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`))
      for (const f of files) {
        parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.name}"\r\nContent-Type: text/plain\r\n\r\n${f.content}\r\n`))
      }
      parts.push(Buffer.from(`--${boundary}--\r\n`))
      return ctx.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: Buffer.concat(parts) })
    }

    const AUTHORITIES = ['W06000001', 'W06000002', 'W06000003', 'W06000004', 'W06000005', 'W06000006', 'W06000009']
    let n = 0
    /** An ELV with an HMI lead (with a token) and two focus areas. */
    async function visit() {
      const authority = AUTHORITIES[n++]!
      const hmi = await withToken('hmi')
      const elv = await ctx.services.visits.create(system, { authority, term: TERM })
      await ctx.services.team.add(system, elv.id, { email: hmi.user.email, lead: true })
      const focusAreas: number[] = []
      // One after another, so their ids follow their positions on both engines.
      for (const position of [1, 2]) focusAreas.push((await db().insertInto('focus_area').values({
        elv_id: elv.id, position, title: `Focus ${position}`, description: 'd', source: 'national_priority', recommendation_id: null, framework_key: null,
        framework_area_code: null, proposed_by_side: 'inspectorate', proposed_by: null, proposed_at: NOW, inspectorate_agreed_by: null,
        inspectorate_agreed_at: null, authority_agreed_by: null, authority_agreed_at: null, withdrawn_at: null,
      }).returning('id').executeTakeFirstOrThrow()).id)
      return { elv, authority, hmi, focusAreas }
    }

    it('creates, reads, changes with the version, refuses a stale version, and lists', async () => {
      const { elv, hmi, focusAreas } = await visit()
      const created = await call(hmi.token, 'POST', `/api/v1/elvs/${elv.id}/evidence`, {
        kind: 'meeting_note', title: 'Director', body: 'Attendance is improving', source: 'Director of education', gatheredOn: '2026-06-30',
        focusAreaIds: [focusAreas[0]], themes: ['attendance'],
      })
      expect(created.statusCode).toBe(201)
      const item = created.json()
      expect(item).toEqual({
        id: expect.any(Number), elvId: elv.id, kind: 'meeting_note', title: 'Director', body: 'Attendance is improving', source: 'Director of education',
        meetingId: null, gatheredOn: '2026-06-30', recordedAt: NOW, recordedBy: { id: hmi.user.id, name: hmi.user.name }, updatedAt: NOW,
        focusAreaIds: [focusAreas[0]], themes: ['attendance'], files: [], origin: null, fromAuthority: false, version: 1,
      })
      expect((await call(hmi.token, 'GET', `/api/v1/evidence/${item.id}`)).json()).toEqual(item)

      const patched = await call(hmi.token, 'PATCH', `/api/v1/evidence/${item.id}`, { body: 'Attendance is improving fast', themes: [], version: 1 })
      expect(patched.statusCode).toBe(200)
      expect(patched.json()).toMatchObject({ body: 'Attendance is improving fast', title: 'Director', themes: [], focusAreaIds: [focusAreas[0]], version: 2, recordedAt: NOW })

      const stale = await call(hmi.token, 'PATCH', `/api/v1/evidence/${item.id}`, { body: 'Old copy', version: 1 })
      expect(stale.statusCode).toBe(409)
      expect(stale.json().error.code).toBe('version_conflict')
      const noVersion = await call(hmi.token, 'PATCH', `/api/v1/evidence/${item.id}`, { body: 'x' })
      expect(noVersion.statusCode).toBe(400)
      expect(noVersion.json().error.details).toEqual([expect.objectContaining({ path: 'version' })])
      expect((await call(hmi.token, 'GET', `/api/v1/evidence/${item.id}`)).json()).toMatchObject({ body: 'Attendance is improving fast', version: 2 })

      await call(hmi.token, 'POST', `/api/v1/elvs/${elv.id}/evidence`, { kind: 'data', title: 'Figures', body: '', source: 'Stats Wales', gatheredOn: '2026-07-01' })
      const list = await call(hmi.token, 'GET', `/api/v1/elvs/${elv.id}/evidence`)
      expect(list.statusCode).toBe(200)
      expect(list.json().items.map((i: { title: string }) => i.title)).toEqual(['Figures', 'Director'])
      expect((await call(hmi.token, 'GET', `/api/v1/elvs/${elv.id}/evidence?kind=meeting_note`)).json().items).toHaveLength(1)
      expect((await call(hmi.token, 'GET', `/api/v1/elvs/${elv.id}/evidence?focusArea=${focusAreas[0]}`)).json().items).toHaveLength(1)
      expect((await call(hmi.token, 'GET', `/api/v1/elvs/${elv.id}/evidence?theme=nonsense`)).json().items).toEqual([])
      expect((await ctx.app.inject({ method: 'GET', url: `/api/v1/elvs/${elv.id}/evidence` })).statusCode).toBe(401)
    })

    it('names every bad field at once, including a focus area of another ELV', async () => {
      const { elv, hmi } = await visit()
      const other = await visit()
      const res = await call(hmi.token, 'POST', `/api/v1/elvs/${elv.id}/evidence`, {
        kind: 'gossip', title: '', source: 'x', gatheredOn: '2030-01-01', focusAreaIds: [other.focusAreas[0]], themes: ['no-such-theme'],
      })
      expect(res.statusCode).toBe(400)
      expect(res.json().error.code).toBe('validation_failed')
      expect(res.json().error.details.map((d: { path: string; code: string }) => [d.path, d.code])).toEqual([
        ['kind', 'validation.choice'], ['title', 'validation.required'], ['gatheredOn', 'evidence.rule.future'],
        ['themes', 'themes.rule.unknown'], ['focusAreaIds', 'evidence.rule.focusAreaNotOfVisit'],
      ])
      expect(await db().selectFrom('evidence').select('id').where('elv_id', '=', elv.id).execute()).toEqual([])
    })

    it('takes a multipart upload with files and the fields as text', async () => {
      const { elv, hmi, focusAreas } = await visit()
      const content = 'Minutes of the meeting with headteachers'
      const res = await multipart(hmi.token, `/api/v1/elvs/${elv.id}/evidence`, [
        ['kind', 'data'], ['source', 'Headteachers'], ['gatheredOn', '2026-06-29'],
        ['focusAreaIds', `${focusAreas[0]},${focusAreas[1]}`], ['themes', 'attendance'], ['themes', 'leadership'],
      ], [{ name: 'minutes.txt', content }])
      expect(res.statusCode).toBe(201)
      const item = res.json()
      expect(item).toMatchObject({ kind: 'data', title: 'minutes.txt', source: 'Headteachers', gatheredOn: '2026-06-29', focusAreaIds: focusAreas, themes: ['attendance', 'leadership'], version: 1 })
      expect(item.files).toEqual([{
        id: expect.any(Number), fileName: 'minutes.txt', mediaType: expect.any(String), sizeBytes: Buffer.byteLength(content),
        sha256: createHash('sha256').update(content).digest('hex'), url: `/api/v1/evidence/${item.id}/files/${item.files[0].id}`,
      }])
      // The file's url works with the same token.
      const download = await call(hmi.token, 'GET', item.files[0].url)
      expect(download.statusCode).toBe(200)
      expect(download.body).toBe(content)

      const bad = await multipart(hmi.token, `/api/v1/elvs/${elv.id}/evidence`, [['kind', 'data'], ['focusAreaIds', 'one,two']], [])
      expect(bad.statusCode).toBe(400)
      expect(bad.json().error.details.map((d: { path: string }) => d.path)).toEqual(['title', 'source', 'focusAreaIds', 'focusAreaIds'])
    })

    it('lets an authority token add only documents to its own authority’s ELVs, and read only its own', async () => {
      const { elv, authority, hmi } = await visit()
      const note = (await call(hmi.token, 'POST', `/api/v1/elvs/${elv.id}/evidence`, { kind: 'meeting_note', title: 'Inspectors only', body: 'x', source: 'y' })).json()
      const la = await withToken('la', authority)
      const doc = await call(la.token, 'POST', `/api/v1/elvs/${elv.id}/evidence`, { title: 'Self-evaluation report', body: 'Summary', source: 'The authority' })
      expect(doc.statusCode).toBe(201)
      expect(doc.json()).toMatchObject({ kind: 'authority_document', fromAuthority: true })
      const noteByLa = await call(la.token, 'POST', `/api/v1/elvs/${elv.id}/evidence`, { kind: 'meeting_note', title: 'x', source: 'y' })
      expect(noteByLa.statusCode).toBe(400)
      expect(noteByLa.json().error.details[0]).toMatchObject({ path: 'kind', code: 'evidence.rule.authorityKind' })
      const upload = await multipart(la.token, `/api/v1/elvs/${elv.id}/evidence`, [['source', 'Authority']], [{ name: 'plan.txt', content: 'Improvement plan' }])
      expect(upload.statusCode).toBe(201)
      expect(upload.json()).toMatchObject({ kind: 'authority_document', title: 'plan.txt' })

      expect((await call(la.token, 'GET', `/api/v1/elvs/${elv.id}/evidence`)).json().items.map((i: { id: number }) => i.id).sort()).toEqual([doc.json().id, upload.json().id].sort())
      expect((await call(la.token, 'GET', `/api/v1/evidence/${note.id}`)).statusCode).toBe(404)
      expect((await call(la.token, 'PATCH', `/api/v1/evidence/${note.id}`, { title: 'Mine now', version: 1 })).statusCode).toBe(404)
      expect((await call(la.token, 'POST', `/api/v1/elvs/${elv.id}/evidence/bring-in`, { providerId: 1 })).statusCode).toBe(403)
      // The inspectors see what the authority shared.
      expect((await call(hmi.token, 'GET', `/api/v1/elvs/${elv.id}/evidence`)).json().items).toHaveLength(3)

      const stranger = await withToken('la', 'W06000015')
      expect((await call(stranger.token, 'GET', `/api/v1/elvs/${elv.id}/evidence`)).statusCode).toBe(404)
      expect((await call(stranger.token, 'POST', `/api/v1/elvs/${elv.id}/evidence`, { title: 'x', source: 'y' })).statusCode).toBe(404)
      expect((await call(stranger.token, 'GET', `/api/v1/evidence/${doc.json().id}`)).statusCode).toBe(404)
      expect((await multipart(stranger.token, `/api/v1/elvs/${elv.id}/evidence`, [['source', 'x']], [{ name: 'x.txt', content: 'x' }])).statusCode).toBe(404)
      expect(await db().selectFrom('evidence_file').select('id').where('file_name', '=', 'x.txt').execute()).toEqual([])
    })

    it('pages the log with limit and offset, counting only what the caller may see', async () => {
      const { elv, authority, hmi } = await visit()
      const la = await withToken('la', authority)
      // 50 inspectors' notes and 65 of the authority's documents, one gathered each day, newest last.
      for (let i = 1; i <= 115; i++) {
        const shared = i % 2 === 0 || i > 100
        await db().insertInto('evidence').values({
          elv_id: elv.id, kind: shared ? 'authority_document' : 'meeting_note', title: `Item-${i}`, body: '', source: 'Test', meeting_id: null,
          gathered_on: new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString().slice(0, 10), recorded_at: NOW, recorded_by: null,
          from_authority: shared ? 1 : 0, origin_type: null, origin_id: null, draft_key: null, updated_at: NOW, updated_by: null,
        }).execute()
      }
      const list = async (token: string, query: string) => {
        const res = await call(token, 'GET', `/api/v1/elvs/${elv.id}/evidence?${query}`)
        expect(res.statusCode, query).toBe(200)
        const body = res.json() as { items: Array<{ title: string; fromAuthority: boolean }>; total: number; next: number | null }
        return { ...body, titles: body.items.map((i) => Number(i.title.slice(5))) }
      }
      const first = await list(hmi.token, 'limit=50')
      expect(first.total).toBe(115)
      expect(first.titles).toEqual(Array.from({ length: 50 }, (_, k) => 115 - k))
      expect(first.next).toBe(50)
      const last = await list(hmi.token, 'limit=50&offset=100')
      expect(last.titles).toEqual(Array.from({ length: 15 }, (_, k) => 15 - k))
      expect(last.next).toBeNull()
      expect((await list(hmi.token, 'kind=meeting_note&limit=30&offset=30')).titles).toEqual(Array.from({ length: 50 }, (_, k) => 99 - 2 * k).slice(30, 50))

      // The authority's token: only what it shared, counted the same way.
      const laFirst = await list(la.token, 'limit=50')
      expect(laFirst.total).toBe(65)
      expect(laFirst.items.every((i) => i.fromAuthority)).toBe(true)
      expect(laFirst.next).toBe(50)
      const laLast = await list(la.token, `limit=50&offset=${laFirst.next}`)
      expect(laLast.titles).toEqual(Array.from({ length: 15 }, (_, k) => 30 - 2 * k))
      expect(laLast.next).toBeNull()

      // Without limit or offset, every item as before; past the end, none; nonsense, 400.
      const all = await list(hmi.token, '')
      expect(all.items).toHaveLength(115)
      expect(all).toMatchObject({ total: 115, next: null })
      expect(await list(hmi.token, 'offset=500')).toMatchObject({ items: [], total: 115, next: null })
      for (const bad of ['limit=0', 'limit=201', 'limit=ten', 'offset=-1']) {
        expect((await call(hmi.token, 'GET', `/api/v1/elvs/${elv.id}/evidence?${bad}`)).statusCode, bad).toBe(400)
      }
    })

    it('brings in a link note or a provider once, keeping where it came from', async () => {
      const { elv, authority, hmi } = await visit()
      const note = await db().insertInto('link_note').values({
        authority_code: authority, author_id: hmi.user.id, noted_on: '2026-05-01', kind: 'meeting', title: 'Termly meeting', body: 'Candid self-evaluation',
        framework_area_code: null, themes: '["self-evaluation"]', created_at: NOW, updated_at: NOW,
      }).returning('id').executeTakeFirstOrThrow()
      const provider = await db().insertInto('provider').values({
        authority_code: authority, reference: `API-${authority}`, name: 'Ysgol Uwchradd', kind: 'secondary', last_inspected_on: '2026-02-01', summary: 'Good progress', report_url: 'https://example.org/r', updated_at: NOW,
      }).returning('id').executeTakeFirstOrThrow()
      const url = `/api/v1/elvs/${elv.id}/evidence/bring-in`

      const first = await call(hmi.token, 'POST', url, { linkNoteId: note.id })
      expect(first.statusCode).toBe(201)
      expect(first.json()).toMatchObject({ kind: 'link_intelligence', title: 'Termly meeting', body: 'Candid self-evaluation', gatheredOn: '2026-05-01', themes: ['self-evaluation'], origin: { type: 'link_note', id: note.id } })
      const again = await call(hmi.token, 'POST', url, { linkNoteId: note.id })
      expect(again.statusCode).toBe(200)
      expect(again.json().id).toBe(first.json().id)
      const fromProvider = await call(hmi.token, 'POST', url, { providerId: provider.id })
      expect(fromProvider.statusCode).toBe(201)
      expect(fromProvider.json()).toMatchObject({ kind: 'provider_inspection', title: 'Ysgol Uwchradd', body: 'Good progress\n\nhttps://example.org/r', origin: { type: 'provider', id: provider.id } })

      // Two clicks at once bring it in once.
      const twin = await db().insertInto('provider').values({
        authority_code: authority, reference: `TWIN-${authority}`, name: 'Ysgol Ddwbl', kind: 'primary', last_inspected_on: '2026-02-01', summary: null, report_url: null, updated_at: NOW,
      }).returning('id').executeTakeFirstOrThrow()
      const both = await Promise.all([call(hmi.token, 'POST', url, { providerId: twin.id }), call(hmi.token, 'POST', url, { providerId: twin.id })])
      expect(both.map((r) => r.statusCode).sort()).toEqual([200, 201])
      expect(both[0]!.json().id).toBe(both[1]!.json().id)

      expect((await call(hmi.token, 'POST', url, {})).statusCode).toBe(400)
      expect((await call(hmi.token, 'POST', url, { linkNoteId: note.id, providerId: provider.id })).statusCode).toBe(400)
      // Another authority's provider is not one to bring in here.
      const elsewhere = await db().insertInto('provider').values({
        authority_code: 'W06000015', reference: 'ELSEWHERE', name: 'Ysgol Arall', kind: 'primary', last_inspected_on: '2026-02-01', summary: null, report_url: null, updated_at: NOW,
      }).returning('id').executeTakeFirstOrThrow()
      expect((await call(hmi.token, 'POST', url, { providerId: elsewhere.id })).statusCode).toBe(404)

      const peer = await withToken('peer', 'W06000015')
      await ctx.services.team.add(system, elv.id, { email: peer.user.email })
      const note2 = await db().insertInto('link_note').values({
        authority_code: authority, author_id: hmi.user.id, noted_on: '2026-05-02', kind: 'concern', title: 'Not for peers', body: 'x', framework_area_code: null, themes: '[]', created_at: NOW, updated_at: NOW,
      }).returning('id').executeTakeFirstOrThrow()
      expect((await call(peer.token, 'POST', url, { linkNoteId: note2.id })).statusCode).toBe(404)
      expect((await call(peer.token, 'POST', url, { providerId: provider.id })).statusCode).toBe(200)
    })

    it('describes the evidence routes in the OpenAPI document', async () => {
      const doc = (await ctx.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json()
      expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/elvs/{id}/evidence', '/api/v1/evidence/{id}', '/api/v1/elvs/{id}/evidence/bring-in']))
      expect(doc.paths['/api/v1/elvs/{id}/evidence'].post.description).toContain('multipart/form-data')
    })
  })
}

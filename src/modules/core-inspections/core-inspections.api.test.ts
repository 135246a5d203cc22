import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp } from '../../../test/helpers/test-app.ts'
import { systemActor } from '../auth/actor.ts'
import type { Role } from '../../db/schema.ts'
import { BUNDLE_SCHEMA, type Bundle } from './core-inspections.bundle.ts'
import { DEMO_BUNDLE } from './core-inspections.demo.ts'

const example = () => JSON.parse(fs.readFileSync(DEMO_BUNDLE, 'utf8')) as Bundle

for (const engine of testEngines()) {
  describe(`core inspections API on ${engine.name}`, () => {
    const ctx = useTestApp(engine)
    const tokenFor = async (role: Role) => (await ctx.services.auth.createToken(systemActor('test'), (await ctx.make.user(role)).email)).token
    const call = (token: string, method: 'GET' | 'PUT' | 'POST', url: string, body?: unknown) => ctx.app.inject({
      method, url, headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    })

    it('imports a bundle (administrators), lists it by year and shows one inspection', async () => {
      const admin = await tokenFor('admin')
      const hmi = await tokenFor('hmi')
      expect((await call(hmi, 'POST', '/api/v1/core-inspections/import', example())).statusCode).toBe(403)
      const first = await call(admin, 'POST', '/api/v1/core-inspections/import', example())
      expect(first.statusCode).toBe(200)
      expect(first.json()).toMatchObject({ created: 4, updated: 0, unchanged: 0, coreInspections: expect.arrayContaining([expect.objectContaining({ gssCode: 'W06000002', outcome: 'created' })]) })
      expect((await call(admin, 'POST', '/api/v1/core-inspections/import', example())).json()).toMatchObject({ created: 0, updated: 0, unchanged: 4 })

      const list = await call(hmi, 'GET', '/api/v1/core-inspections?year=2023-2024')
      expect(list.statusCode).toBe(200)
      const items = list.json().items as Array<Record<string, unknown>>
      expect(items.map((i) => i.gssCode).sort()).toEqual(['W06000002', 'W06000006', 'W06000010', 'W06000011'])
      expect((await call(hmi, 'GET', '/api/v1/core-inspections?year=2019-2020')).json()).toEqual({ items: [] })
      expect((await call(hmi, 'GET', '/api/v1/core-inspections?year=2019')).statusCode).toBe(400)

      const gwynedd = items.find((i) => i.gssCode === 'W06000002')!
      const one = await call(hmi, 'GET', `/api/v1/core-inspections/${String(gwynedd.id)}`)
      expect(one.statusCode).toBe(200)
      const json = one.json()
      expect(json).toMatchObject({
        gssCode: 'W06000002', authority: { nameEn: 'Gwynedd', nameCy: 'Gwynedd' }, academicYear: '2023-2024', framework: 'lges-2022', medium: 'welsh', version: 1,
        recommendations: [expect.objectContaining({ ref: 'R1', lang: 'cy', translation: expect.stringMatching(/^Strengthen/), themes: ['self-evaluation'] }), expect.anything()],
      })
      expect(json.findings[0]).toMatchObject({ id: expect.any(Number), area: 'Outcomes and education services', frameworkAreaCode: '1', kind: 'going_well' })
      // What the API shows is the bundle's record again, with ids: it imports back unchanged.
      const source = example().coreInspections.find((c) => c.gssCode === 'W06000002')!
      const { id: _id, authority: _a, version: _v, ...record } = json as Record<string, unknown>
      const strip = (rows: Array<Record<string, unknown>>) => rows.map(({ id: _i, frameworkAreaCode: _f, ...rest }) => rest)
      expect({ ...record, recommendations: strip(json.recommendations), findings: strip(json.findings), effectivePractice: strip(json.effectivePractice) }).toEqual(source)
      expect((await call(hmi, 'GET', '/api/v1/core-inspections/999999')).statusCode).toBe(404)
    })

    it('replaces an inspection with PUT, version-checked, reporting problems by JSON Pointer', async () => {
      const admin = await tokenFor('admin')
      const id = (await ctx.services.coreInspections.list('2023-2024')).find((i) => i.gssCode === 'W06000006')!.id
      const current = (await call(admin, 'GET', `/api/v1/core-inspections/${id}`)).json()
      const record = example().coreInspections.find((c) => c.gssCode === 'W06000006')!
      record.findings[0]!.text = 'Officers know their schools very well.'

      const bad = await call(admin, 'PUT', `/api/v1/core-inspections/${id}`, { ...record, recommendations: [{ ref: 'R1', text: 'x', themes: ['nope'] }], version: current.version })
      expect(bad.statusCode).toBe(400)
      expect(bad.json().error.details).toEqual([{ path: '/recommendations/0/themes/0', code: 'coreInspections.problem.unknownTheme', message: expect.stringContaining('nope') }])
      expect((await call(admin, 'PUT', `/api/v1/core-inspections/${id}`, { ...record })).json().error.details[0].path).toBe('/version')

      const ok = await call(admin, 'PUT', `/api/v1/core-inspections/${id}`, { ...record, version: current.version })
      expect(ok.statusCode).toBe(200)
      expect(ok.json()).toMatchObject({ version: current.version + 1, findings: [expect.objectContaining({ id: current.findings[0].id, text: 'Officers know their schools very well.' }), ...Array(13).fill(expect.anything())] })
      const stale = await call(admin, 'PUT', `/api/v1/core-inspections/${id}`, { ...record, version: current.version })
      expect(stale.statusCode).toBe(409)
      expect(stale.json().error.code).toBe('version_conflict')
      expect((await call(await tokenFor('reviewer'), 'PUT', `/api/v1/core-inspections/${id}`, { ...record, version: current.version + 1 })).statusCode).toBe(403)
    })

    it('refuses a bad bundle whole, listing every problem with its path', async () => {
      const admin = await tokenFor('admin')
      const bundle = example()
      bundle.coreInspections[1]!.recommendations[1]!.themes = ['attendance', 'no-such-theme']
      bundle.coreInspections[3]!.gssCode = 'W06000098'
      const res = await call(admin, 'POST', '/api/v1/core-inspections/import', bundle)
      expect(res.statusCode).toBe(400)
      expect(res.json().error).toMatchObject({ code: 'validation_failed' })
      expect(res.json().error.details.map((d: { path: string }) => d.path)).toEqual(['/coreInspections/1/recommendations/1/themes/1', '/coreInspections/3/gssCode'])
      const empty = await call(admin, 'POST', '/api/v1/core-inspections/import', [])
      expect(empty.json().error.details).toEqual([{ path: '', code: 'coreInspections.problem.type', message: 'must be an object' }])
    })

    it('serves the bundle\'s JSON Schema', async () => {
      const res = await call(await tokenFor('hmi'), 'GET', '/api/v1/core-inspections/import-schema')
      expect(res.statusCode).toBe(200)
      expect(res.json()).toEqual(BUNDLE_SCHEMA)
      expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/core-inspections' })).statusCode).toBe(401)
      const doc = (await ctx.app.inject('/api/v1/openapi.json')).json()
      expect(Object.keys(doc.paths['/api/v1/core-inspections/{id}'])).toEqual(expect.arrayContaining(['get', 'put']))
      expect(Object.keys(doc.paths['/api/v1/core-inspections/import'])).toEqual(['post'])
      expect(doc.paths['/api/v1/core-inspections'].get.parameters).toEqual([expect.objectContaining({ name: 'year', in: 'query' })])
    })
  })
}

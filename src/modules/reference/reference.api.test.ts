import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp } from '../../../test/helpers/test-app.ts'
import { systemActor } from '../auth/actor.ts'

const CEREDIGION = 'W06000008'

for (const engine of testEngines()) {
  describe(`authorities API on ${engine.name}`, () => {
    const ctx = useTestApp(engine)
    const tokenFor = async (role: 'admin' | 'hmi' | 'la') => {
      const user = await ctx.make.user(role)
      return (await ctx.services.auth.createToken(systemActor('test'), user.email)).token
    }
    const put = (token: string, body: unknown, gss = CEREDIGION) => ctx.app.inject({
      method: 'PUT', url: `/api/v1/authorities/${gss}`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    })
    const current = async (token: string) =>
      (await ctx.app.inject({ url: `/api/v1/authorities/${CEREDIGION}`, headers: { authorization: `Bearer ${token}` } })).json()

    it('lets an admin change an authority, version-checked and audited', async () => {
      const token = await tokenFor('admin')
      const before = await current(token)
      expect(before).toMatchObject({ gssCode: CEREDIGION, nameEn: 'Ceredigion', nameCy: 'Ceredigion' })
      const res = await put(token, { ...withoutKey(before), directorName: 'Dr Example Director', directorEmail: 'Director@Example.invalid' })
      expect(res.statusCode).toBe(200)
      expect(res.json()).toMatchObject({ directorName: 'Dr Example Director', directorEmail: 'director@example.invalid', version: before.version + 1 })
      const stale = await put(token, { ...withoutKey(before), directorName: 'Someone else' })
      expect(stale.statusCode).toBe(409)
      expect(stale.json().error).toMatchObject({ code: 'version_conflict', details: [{ path: 'version' }] })
      const audit = await ctx.services.audit.list({ action: 'authority.update', entityId: CEREDIGION }, { limit: 5, offset: 0 })
      expect(audit.items[0]?.details).toContain('Dr Example Director')
    })

    it('answers an invalid body with 400 and the path of every bad field', async () => {
      const token = await tokenFor('admin')
      const res = await put(token, { nameEn: '', nameCy: 'Ceredigion', directorName: null, directorEmail: null, preferredLanguage: 'fr', version: 1 })
      expect(res.statusCode).toBe(400)
      const { error } = res.json()
      expect(error.code).toBe('validation_failed')
      const pathsReported = error.details.map((d: { path: string }) => d.path)
      expect(pathsReported).toEqual(expect.arrayContaining(['body.nameEn']))
      expect(pathsReported.some((p: string) => p.startsWith('body.preferredLanguage'))).toBe(true)

      const badEmail = await put(token, { ...withoutKey(await current(token)), directorEmail: 'not an e-mail' })
      expect(badEmail.statusCode).toBe(400)
      expect(badEmail.json().error.details).toEqual([expect.objectContaining({ path: 'directorEmail', code: 'validation.email' })])

      const missing = await put(token, { nameEn: 'X' })
      expect(missing.statusCode).toBe(400)
      expect(missing.json().error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['body.nameCy', 'body.version']))
    })

    it('answers malformed JSON with 400 and loses nothing', async () => {
      const token = await tokenFor('admin')
      const before = await current(token)
      const res = await put(token, '{"nameEn": "Broken",')
      expect(res.statusCode).toBe(400)
      expect(res.json().error.code).toBe('bad_request')
      expect(await current(token)).toEqual(before)
    })

    it('refuses changes from anyone but an admin, and unknown authorities', async () => {
      const hmi = await tokenFor('hmi')
      const la = await tokenFor('la')
      const body = withoutKey(await current(hmi))
      expect((await put(hmi, body)).statusCode).toBe(403)
      expect((await put(la, body)).statusCode).toBe(403)
      expect((await put(await tokenFor('admin'), body, 'W06000099')).statusCode).toBe(404)
      expect((await put(await tokenFor('admin'), body, 'not-a-code')).statusCode).toBe(400)
      expect((await ctx.app.inject({ method: 'PUT', url: `/api/v1/authorities/${CEREDIGION}`, payload: body })).statusCode).toBe(401)
    })

    it('documents the change in the OpenAPI description', async () => {
      const doc = (await ctx.app.inject('/api/v1/openapi.json')).json()
      const op = doc.paths['/api/v1/authorities/{gssCode}']
      expect(Object.keys(op)).toEqual(expect.arrayContaining(['get', 'put']))
      expect(Object.keys(op.put.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404', '409']))
      const docs = await ctx.app.inject('/api/docs/')
      expect(docs.statusCode).toBe(200)
    })
  })
}

function withoutKey(a: Record<string, unknown>) {
  const { gssCode: _gss, ...rest } = a
  return rest
}

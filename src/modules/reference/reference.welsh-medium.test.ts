import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp } from '../../../test/helpers/test-app.ts'
import { systemActor } from '../auth/actor.ts'

const GWYNEDD = 'W06000002'
const ANGLESEY = 'W06000001'

const checkedValues = (html: string, name: string) =>
  [...html.matchAll(new RegExp(`<input[^>]*name="${name}"[^>]*>`, 'g'))].filter((m) => /\schecked/.test(m[0])).map((m) => /value="([^"]*)"/.exec(m[0])![1])
const formOf = (html: string): Record<string, string> => {
  const value = (name: string) => new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1] ?? ''
  const radio = checkedValues(html, 'preferredLanguage')[0] ?? ''
  const link = /<option value="([^"]*)" selected>/.exec(html)?.[1] ?? ''
  return { nameEn: value('nameEn'), nameCy: value('nameCy'), directorName: value('directorName'), directorEmail: value('directorEmail'), preferredLanguage: radio, linkInspectorId: link, version: value('version') }
}

for (const engine of testEngines()) {
  describe(`a Welsh-medium authority on ${engine.name}`, () => {
    const ctx = useTestApp(engine)

    it('is marked on the admin authority page, version-checked and audited, and the planner is told', async () => {
      const { browser } = await ctx.signedIn('admin')
      const url = `/admin/authorities/${GWYNEDD}`
      const page = await browser.get(url)
      expect(page.body).toMatch(/<legend[^>]*>\s*Welsh-medium\s*<\/legend>/)
      expect(page.body).toMatch(/id="welshMedium" name="welshMedium" type="checkbox" value="yes"[^>]*>\s*<label[^>]*>\s*Welsh-medium authority/)
      expect(checkedValues(page.body, 'welshMedium')).toEqual([])

      const form = formOf(page.body)
      expect((await browser.post(url, { ...form, welshMedium: 'yes' })).statusCode).toBe(303)
      const marked = await browser.get(url)
      expect(checkedValues(marked.body, 'welshMedium')).toEqual(['yes'])
      expect((await ctx.services.reference.getAuthority(GWYNEDD)).welsh_medium).toBe(1)
      expect((await ctx.services.programme.current()).input.authorities.find((a) => a.gssCode === GWYNEDD)!.welshMedium).toBe(true)

      // An old form is refused and changes nothing; unticking the box (nothing sent) clears it.
      const stale = await browser.post(url, { ...form })
      expect(stale.statusCode).toBe(409)
      expect((await ctx.services.reference.getAuthority(GWYNEDD)).welsh_medium).toBe(1)
      expect((await browser.post(url, formOf(marked.body))).statusCode).toBe(303)
      expect((await ctx.services.reference.getAuthority(GWYNEDD)).welsh_medium).toBe(0)

      const audit = await ctx.services.database.db.selectFrom('audit_event').select('details').where('action', '=', 'authority.update').where('entity_id', '=', GWYNEDD).orderBy('id').execute()
      expect(audit.map((a) => JSON.parse(a.details).welsh_medium)).toEqual([{ from: 0, to: 1 }, { from: 1, to: 0 }])
    })

    it('is in the authorities API: shown, changed when sent, left as it is when not', async () => {
      const admin = await ctx.make.user('admin')
      const { token } = await ctx.services.auth.createToken(systemActor('test'), admin.email)
      const call = (method: 'GET' | 'PUT', body?: unknown) => ctx.app.inject({
        method, url: `/api/v1/authorities/${ANGLESEY}`,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { payload: JSON.stringify(body) } : {}),
      })
      const before = (await call('GET')).json()
      expect(before.welshMedium).toBe(false)
      const { gssCode: _gss, welshMedium: _welsh, ...fields } = before
      void _gss
      void _welsh
      const marked = await call('PUT', { ...fields, welshMedium: true })
      expect(marked.statusCode).toBe(200)
      expect(marked.json()).toMatchObject({ welshMedium: true, version: before.version + 1 })
      const untouched = await call('PUT', { ...fields, directorName: 'Demo Director', version: before.version + 1 })
      expect(untouched.json()).toMatchObject({ welshMedium: true, directorName: 'Demo Director' })
      const list = await ctx.app.inject({ url: '/api/v1/authorities', headers: { authorization: `Bearer ${token}` } })
      expect(list.json().items.find((a: { gssCode: string }) => a.gssCode === ANGLESEY).welshMedium).toBe(true)
      const bad = await call('PUT', { ...fields, welshMedium: 'sometimes', version: before.version + 2 })
      expect(bad.statusCode).toBe(400)
    })
  })
}

import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp } from '../../../test/helpers/test-app.ts'
import { systemActor } from '../auth/actor.ts'
import { Check } from '../../http/check.ts'

for (const engine of testEngines()) {
  describe(`themes pages and API on ${engine.name}`, () => {
    const ctx = useTestApp(engine)
    const url = '/admin/themes'

    describe('the admin page', () => {
      it('lists the themes in use with both labels and what each tags, and the forms to add and merge', async () => {
        const { browser } = await ctx.signedIn('admin')
        const res = await browser.get(url)
        expect(res.statusCode).toBe(200)
        expect(res.body.match(/<h1/g)).toHaveLength(1)
        expect(res.body).toMatch(/<h1[^>]*>Themes<\/h1>/)
        expect(res.body).toMatch(/id="theme-attendance">\s*<th scope="row" class="govuk-table__header" lang="en">Attendance<\/th>\s*<td class="govuk-table__cell" lang="cy">Presenoldeb<\/td>/)
        expect(res.body).toContain('<code>welsh-medium-education</code>')
        expect(res.body).toContain(`action="${url}"`)
        expect(res.body).toContain(`action="${url}/merge"`)
        for (const id of ['key', 'labelEn', 'labelCy', 'from', 'into']) expect(res.body).toMatch(new RegExp(`<(input|select)[^>]*id="${id}"`))
        expect(res.body).toContain('its key keeps working')
        expect(res.body).not.toContain('Merged themes')
        // No inline styles: the content security policy would block them.
        expect(res.body).not.toContain('style="')
      })

      it('shows the page in Welsh', async () => {
        const { browser } = await ctx.signedIn('admin')
        await browser.get('/language/cy')
        const res = await browser.get(url)
        expect(res.body).toMatch(/<h1[^>]*>Themâu<\/h1>/)
        expect(res.body).toContain('Ychwanegu thema')
        // Choices read in the reader's language.
        expect(res.body).toMatch(/<option value="attendance"\s*>Presenoldeb<\/option>/)
      })

      it('adds a theme with a message of success; a bad form comes back with every problem and what was typed', async () => {
        const { browser } = await ctx.signedIn('admin')
        const added = await browser.post(url, { key: 'post-16', labelEn: 'Post-16 education', labelCy: 'Addysg ôl-16' })
        expect(added.statusCode).toBe(303)
        expect(added.headers.location).toBe(url)
        const after = (await browser.get(url)).body
        expect(after).toContain('Theme “Post-16 education” added')
        expect(after).toContain('<code>post-16</code>')

        const bad = await browser.post(url, { key: 'Post 16!', labelEn: 'Kept label', labelCy: '' })
        expect(bad.statusCode).toBe(400)
        expect(bad.body).toContain('There is a problem')
        expect(bad.body).toContain('href="#key"')
        expect(bad.body).toContain('href="#labelCy"')
        expect(bad.body).toContain('The key can only have lower-case letters')
        expect(bad.body).toContain('value="Post 16!"')
        expect(bad.body).toContain('value="Kept label"')
        expect(bad.body.match(/<h1/g)).toHaveLength(1)

        const taken = await browser.post(url, { key: 'attendance', labelEn: 'Attendance', labelCy: 'Presenoldeb' })
        expect(taken.statusCode).toBe(400)
        expect(taken.body).toContain('There is already a theme with the key “attendance”')
      })

      it('merges one theme into another: merged themes are listed apart and leave the choices', async () => {
        const { browser } = await ctx.signedIn('admin')
        await browser.post(url, { key: 'absence', labelEn: 'Absence', labelCy: 'Absenoldeb' })
        const merged = await browser.post(`${url}/merge`, { from: 'absence', into: 'attendance' }, { from: url })
        expect(merged.statusCode).toBe(303)
        expect(merged.headers.location).toBe(url)
        const after = (await browser.get(url)).body
        expect(after).toContain('“Absence” merged into “Attendance”')
        expect(after).toContain('Merged themes')
        expect(after).toMatch(/id="merged-absence">[\s\S]*Merged into Attendance \(attendance\)/)
        expect(after).not.toContain('id="theme-absence"')
        expect(after).not.toContain('<option value="absence"')

        const self = await browser.post(`${url}/merge`, { from: 'leadership', into: 'leadership' }, { from: url })
        expect(self.statusCode).toBe(400)
        expect(self.body).toContain('href="#into"')
        expect(self.body).toContain('Choose a different theme to merge it into')
        expect(self.body).toMatch(/<select[^>]*id="from"[\s\S]*?<option value="leadership" selected>/)

        const again = await browser.post(`${url}/merge`, { from: 'absence', into: 'safeguarding' }, { from: url })
        expect(again.statusCode).toBe(400)
        expect(again.body).toContain('The theme “absence” has already been merged into “attendance”')
        expect(await ctx.services.themes.resolve(new Check(), 'themes', ['absence'])).toMatchObject([{ key: 'attendance' }])
      })

      it.each(['hmi', 'reviewer', 'la'] as const)('refuses a %s user with 403, and changes nothing', async (role) => {
        const { browser } = await ctx.signedIn(role)
        expect((await browser.get(url)).statusCode).toBe(403)
        const add = await browser.post(url, { key: `by-${role}`, labelEn: 'x', labelCy: 'y' }, { from: '/' })
        expect(add.statusCode).toBe(403)
        const merge = await browser.post(`${url}/merge`, { from: 'leadership', into: 'safeguarding' }, { from: '/' })
        expect(merge.statusCode).toBe(403)
        expect((await ctx.services.themes.list()).map((t) => t.key)).toEqual(expect.arrayContaining(['leadership', 'safeguarding']))
        expect((await ctx.services.themes.list()).map((t) => t.key)).not.toContain(`by-${role}`)
      })

      it('sends a visitor who is not signed in to sign in', async () => {
        const res = await ctx.browser().get(url)
        expect(res.statusCode).toBe(302)
        expect(res.headers.location).toBe('/sign-in?next=%2Fadmin%2Fthemes')
      })
    })

    describe('the API', () => {
      const tokenFor = async (role: 'admin' | 'hmi' | 'la' | 'peer') =>
        (await ctx.services.auth.createToken(systemActor('test'), (await ctx.make.user(role)).email)).token
      const call = (token: string | undefined, method: 'GET' | 'POST', path: string, body?: unknown) => ctx.app.inject({
        method, url: path,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      })

      it.each(['hmi', 'la', 'peer'] as const)('lists the themes in use to a %s token', async (role) => {
        const res = await call(await tokenFor(role), 'GET', '/api/v1/themes')
        expect(res.statusCode).toBe(200)
        const { items } = res.json() as { items: Array<{ key: string; en: string; cy: string }> }
        expect(items).toContainEqual({ key: 'attendance', en: 'Attendance', cy: 'Presenoldeb' })
        expect(items.every((t) => Object.keys(t).sort().join() === 'cy,en,key')).toBe(true)
        expect((await call(undefined, 'GET', '/api/v1/themes')).statusCode).toBe(401)
      })

      it('lets an admin add a theme (201) and merge one (old key still accepted); validation names each problem', async () => {
        const admin = await tokenFor('admin')
        const created = await call(admin, 'POST', '/api/v1/themes', { key: 'digital', en: 'Digital learning', cy: 'Dysgu digidol' })
        expect(created.statusCode).toBe(201)
        expect(created.json()).toEqual({ key: 'digital', en: 'Digital learning', cy: 'Dysgu digidol' })

        const badKey = await call(admin, 'POST', '/api/v1/themes', { key: 'Digital Learning', en: 'x', cy: 'y' })
        expect(badKey.statusCode).toBe(400)
        expect(badKey.json().error).toMatchObject({ code: 'validation_failed', details: [{ path: 'key', code: 'themes.rule.keyFormat' }] })
        const taken = await call(admin, 'POST', '/api/v1/themes', { key: 'digital', en: 'x', cy: 'y' })
        expect(taken.statusCode).toBe(400)
        expect(taken.json().error.details).toEqual([expect.objectContaining({ path: 'key', code: 'themes.rule.keyTaken', message: 'There is already a theme with the key “digital”' })])
        const missing = await call(admin, 'POST', '/api/v1/themes', { key: 'no-labels', en: '' })
        expect(missing.statusCode).toBe(400)
        expect(missing.json().error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['body.en', 'body.cy']))
        const blank = await call(admin, 'POST', '/api/v1/themes', { key: 'blank-labels', en: ' ', cy: 'Gwag' })
        expect(blank.statusCode).toBe(400)
        expect(blank.json().error.details).toEqual([expect.objectContaining({ path: 'en', code: 'validation.required', message: 'Enter the English label' })])

        const merged = await call(admin, 'POST', '/api/v1/themes/merge', { from: 'digital', into: 'school-improvement' })
        expect(merged.statusCode).toBe(200)
        expect(merged.json()).toEqual({ key: 'school-improvement', en: 'School improvement support', cy: 'Cymorth gwella ysgolion' })
        const list = (await call(admin, 'GET', '/api/v1/themes')).json() as { items: Array<{ key: string }> }
        expect(list.items.map((t) => t.key)).not.toContain('digital')
        const check = new Check()
        expect((await ctx.services.themes.resolve(check, 'themes', ['digital'])).map((t) => t.key)).toEqual(['school-improvement'])

        const again = await call(admin, 'POST', '/api/v1/themes/merge', { from: 'digital', into: 'leadership' })
        expect(again.statusCode).toBe(400)
        expect(again.json().error.details).toEqual([expect.objectContaining({ path: 'from', code: 'themes.rule.alreadyMerged' })])
        const self = await call(admin, 'POST', '/api/v1/themes/merge', { from: 'leadership', into: 'leadership' })
        expect(self.json().error.details).toEqual([expect.objectContaining({ path: 'into', code: 'themes.rule.mergeSelf' })])
      })

      it('refuses to add or merge themes for anyone but an admin', async () => {
        for (const role of ['hmi', 'la'] as const) {
          const token = await tokenFor(role)
          expect((await call(token, 'POST', '/api/v1/themes', { key: `api-${role}`, en: 'x', cy: 'y' })).statusCode).toBe(403)
          expect((await call(token, 'POST', '/api/v1/themes/merge', { from: 'leadership', into: 'safeguarding' })).statusCode).toBe(403)
        }
        expect((await call(undefined, 'POST', '/api/v1/themes', { key: 'anon', en: 'x', cy: 'y' })).statusCode).toBe(401)
        expect((await ctx.services.themes.list()).map((t) => t.key)).toEqual(expect.arrayContaining(['leadership', 'safeguarding']))
      })

      it('documents the themes API in the OpenAPI description', async () => {
        const doc = (await ctx.app.inject('/api/v1/openapi.json')).json() as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }
        expect(Object.keys(doc.paths['/api/v1/themes']!)).toEqual(expect.arrayContaining(['get', 'post']))
        expect(Object.keys(doc.paths['/api/v1/themes']!.post!.responses)).toEqual(expect.arrayContaining(['201', '400', '403']))
        expect(Object.keys(doc.paths['/api/v1/themes/merge']!)).toEqual(['post'])
      })
    })
  })
}

import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp } from '../../../test/helpers/test-app.ts'

for (const engine of testEngines()) {
  describe(`the admin index on ${engine.name}`, () => {
    const ctx = useTestApp(engine)

    it('links an administrator to every section of the admin area, themes and triangulation included', async () => {
      const { browser } = await ctx.signedIn('admin')
      const res = await browser.get('/admin')
      expect(res.statusCode).toBe(200)
      expect(res.body.match(/<h1/g)).toHaveLength(1)
      expect(res.body).toMatch(/<h1[^>]*>Administration<\/h1>/)
      for (const [href, text] of [['/admin/users', 'Manage users'], ['/admin/themes', 'Themes'], ['/admin/triangulation', 'Triangulation'], ['/admin/audit', 'Audit log']]) {
        expect(res.body).toMatch(new RegExp(`href="${href}">${text}</a>`))
      }
      await browser.get('/language/cy')
      const welsh = await browser.get('/admin')
      expect(welsh.body).toMatch(/<h1[^>]*>Gweinyddu<\/h1>/)
      expect(welsh.body).toMatch(/href="\/admin\/themes">Themâu<\/a>/)
    })

    it.each(['hmi', 'reviewer', 'la'] as const)('refuses a %s user', async (role) => {
      const { browser } = await ctx.signedIn(role)
      expect((await browser.get('/admin')).statusCode).toBe(403)
    })
  })
}

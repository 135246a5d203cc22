import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { ADMIN_EMAIL, ADMIN_PASSWORD, PASSWORD, useTestApp } from '../../../test/helpers/test-app.ts'

for (const engine of testEngines()) {
  describe(`sign-in on ${engine.name}`, () => {
    const ctx = useTestApp(engine, { env: { SIGN_IN_MAX_FAILURES: '3' } })

    it('sends a visitor who is not signed in to the sign-in page, and back afterwards', async () => {
      const browser = ctx.browser()
      const home = await browser.get('/admin/users')
      expect(home.statusCode).toBe(302)
      expect(home.headers.location).toBe('/sign-in?next=%2Fadmin%2Fusers')
      const res = await browser.post('/sign-in', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD, next: '/admin/users' }, { from: '/sign-in' })
      expect(res.statusCode).toBe(303)
      expect(res.headers.location).toBe('/admin/users')
      const cookie = res.cookies.find((c) => c.name === 'cyswllt_session')
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' })
      const page = await browser.get('/')
      expect(page.statusCode).toBe(200)
      expect(page.body).toContain('Welcome, Administrator')
    })

    it('never sends people to another site after sign-in', async () => {
      const browser = ctx.browser()
      const res = await browser.post('/sign-in', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD, next: '//evil.example/' }, { from: '/sign-in' })
      expect(res.headers.location).toBe('/')
    })

    it('gives the same answer for a wrong password and an unknown account, and keeps the e-mail typed', async () => {
      const browser = ctx.browser()
      const wrong = await browser.signIn(ADMIN_EMAIL, 'not-the-password')
      const unknown = await browser.signIn('nobody@test.invalid', 'not-the-password')
      expect(wrong.statusCode).toBe(401)
      expect(unknown.statusCode).toBe(401)
      const message = 'The e-mail address or password is not right'
      expect(wrong.body).toContain(message)
      expect(unknown.body).toContain(message)
      expect(unknown.body).toContain('value="nobody@test.invalid"')
      expect(wrong.body).toContain('govuk-error-summary')
    })

    it('locks an account after repeated failures, even against the right password, then lets it in later', async () => {
      const user = await ctx.make.user('hmi')
      const browser = ctx.browser()
      for (let i = 0; i < 3; i++) expect((await browser.signIn(user.email, 'wrong-password-here')).statusCode).toBe(401)
      expect((await browser.signIn(user.email, PASSWORD)).statusCode).toBe(401)
      // Unknown accounts lock the same way, so the lock reveals nothing.
      for (let i = 0; i < 4; i++) expect((await browser.signIn('ghost@test.invalid', 'x')).statusCode).toBe(401)
      const locks = await ctx.services.audit.list({ action: 'auth.lock' }, { limit: 10, offset: 0 })
      expect(locks.items.map((e) => e.entity_id)).toEqual(expect.arrayContaining([user.email, 'ghost@test.invalid']))
      await ctx.services.database.db.updateTable('sign_in_attempt').set({ locked_until: '2000-01-01T00:00:00.000Z' }).execute()
      expect((await browser.signIn(user.email, PASSWORD)).statusCode).toBe(303)
    })

    it('refuses a form post without the CSRF token', async () => {
      const res = await ctx.app.inject({ method: 'POST', url: '/sign-in', payload: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } })
      expect(res.statusCode).toBe(403)
      expect(res.body).toContain('Your form could not be sent')
    })

    it('signs out and ends the session in the database', async () => {
      const { browser } = await ctx.signedIn('reviewer')
      const res = await browser.post('/sign-out', {}, { from: '/' })
      expect(res.statusCode).toBe(303)
      expect((await browser.get('/')).statusCode).toBe(302)
    })

    it('keeps an authority user out of admin pages', async () => {
      const { browser } = await ctx.signedIn('la', { authority: 'W06000015' })
      const res = await browser.get('/admin/users')
      expect(res.statusCode).toBe(403)
      expect(res.body).not.toContain(ADMIN_EMAIL)
    })

    it('switches language and returns to the same page', async () => {
      const browser = ctx.browser()
      const res = await browser.get('/language/cy?back=%2Fsign-in%3Fnext%3D%252Fadmin')
      expect(res.statusCode).toBe(303)
      expect(res.headers.location).toBe('/')
      const back = await browser.get('/language/cy?back=%2Fadmin%2Fusers')
      expect(back.headers.location).toBe('/admin/users')
      const page = await browser.get('/sign-in')
      expect(page.body).toContain('<html lang="cy"')
      expect(page.body).toContain('Mewngofnodi i Cyswllt')
    })
  })
}

import { describe, expect, it } from 'vitest'
import type { Role } from '../../src/db/schema.ts'
import { ADMIN_EMAIL, ADMIN_NAME, ADMIN_PASSWORD, PASSWORD, useE2E, visit } from './harness.ts'
import { AppPage, HomePage, SignInPage } from './pages.ts'

describe('signing in and out in a browser', { timeout: 60_000 }, () => {
  const e2e = useE2E({ env: { SIGN_IN_MAX_FAILURES: '3' } })

  const roles: Array<{ role: Role; admin: boolean }> = [
    { role: 'admin', admin: true },
    { role: 'reviewer', admin: false },
    { role: 'hmi', admin: false },
    { role: 'peer', admin: false },
    { role: 'la', admin: false },
  ]

  it.each(roles)('$role signs in, sees their greeting and navigation, and signs out', async ({ role, admin }) => {
    const { page } = e2e
    const user = role === 'admin' ? { email: ADMIN_EMAIL, name: ADMIN_NAME, password: ADMIN_PASSWORD } : { ...(await e2e.makeUser(role)), password: PASSWORD }

    const signIn = await new SignInPage(page).open()
    await signIn.signIn(user.email, user.password)

    const home = new HomePage(page)
    expect(new URL(page.url()).pathname).toBe('/')
    expect(await home.headingText()).toBe(`Welcome, ${user.name}`)
    const nav = await home.navigationItems()
    expect(nav).toContain('Home')
    if (admin) {
      expect(nav).toEqual(expect.arrayContaining(['Users', 'Audit log']))
    } else {
      expect(nav).not.toContain('Users')
      expect(nav).not.toContain('Audit log')
    }

    await home.signOut()
    expect(new URL(page.url()).pathname).toBe('/sign-in')
    expect(await new AppPage(page).successBanner().innerText()).toContain('You have signed out.')
    // The session is gone: the home page sends the visitor back to sign in.
    await visit(page, '/')
    expect(new URL(page.url()).pathname).toBe('/sign-in')
  })

  it('shows "There is a problem" for a wrong password and keeps the e-mail typed', async () => {
    const signIn = await new SignInPage(e2e.page).open()
    await signIn.signIn(ADMIN_EMAIL, 'not-the-right-password')

    expect(await signIn.errorSummaryTitle()).toBe('There is a problem')
    expect(await signIn.errorSummaryLinks()).toEqual([
      { text: expect.stringContaining('The e-mail address or password is not right'), href: '#email' },
    ])
    expect(await signIn.email().inputValue()).toBe(ADMIN_EMAIL)
    expect(await signIn.password().inputValue()).toBe('')
    expect(await e2e.page.title()).toMatch(/^Error:/)
  })

  it('locks the account after repeated failures, so even the right password is refused', async () => {
    const user = await e2e.makeUser('hmi')
    const signIn = await new SignInPage(e2e.page).open()
    for (let i = 0; i < 3; i++) {
      await signIn.signIn(user.email, `wrong-password-${i}`)
      expect(await signIn.errorSummaryTitle()).toBe('There is a problem')
    }
    await signIn.signIn(user.email, PASSWORD)
    expect(new URL(e2e.page.url()).pathname).toBe('/sign-in')
    expect(await signIn.errorSummaryTitle()).toBe('There is a problem')
    expect(await signIn.errorSummary().innerText()).toContain('The e-mail address or password is not right')
    expect(await signIn.email().inputValue()).toBe(user.email)
  })

  it('shows the page-not-found page for an unknown address', async () => {
    await e2e.signInAs(await e2e.makeUser('reviewer'))
    await visit(e2e.page, '/no-such-page', { status: 404 })
    const page = new AppPage(e2e.page)
    expect(await page.headingText()).toBe('Page not found')
    expect(await e2e.page.getByRole('link', { name: 'Go to the home page' }).getAttribute('href')).toBe('/')

    // Signed out, an unknown address is still "not found", not a sign-in prompt.
    await page.signOut()
    await visit(e2e.page, '/no-such-page', { status: 404 })
    expect(await page.headingText()).toBe('Page not found')
  })
})

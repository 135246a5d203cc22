import { describe, expect, it } from 'vitest'
import { ADMIN_EMAIL, ADMIN_PASSWORD, useE2E, visit } from './harness.ts'
import { HomePage, SignInPage, UsersPage } from './pages.ts'

describe('administration in a browser', { timeout: 60_000 }, () => {
  const e2e = useE2E()

  /** The signing in is not what these tests are about; sign-in.test.ts covers the form. */
  async function signInAsAdmin(): Promise<void> {
    const admin = await e2e.server.services.users.byEmail(ADMIN_EMAIL)
    await e2e.signInAs(admin!)
  }

  it('an administrator creates a user, who can then sign in', async () => {
    const signIn = await new SignInPage(e2e.page).open()
    await signIn.signIn(ADMIN_EMAIL, ADMIN_PASSWORD)
    const users = await new UsersPage(e2e.page).open()
    const form = await users.startCreate()
    expect(await form.headingText()).not.toBe('')
    const newUser = { email: 'carys.evans@e2e.invalid', name: 'Carys Evans', role: 'HMI' as const, password: 'a-password-for-carys' }
    await form.fill(newUser)
    await form.submit()

    expect(await form.errorSummary().count(), 'no error summary after a valid form').toBe(0)
    expect(await form.successBanner().count(), 'a success banner after creating the user').toBe(1)
    expect(await e2e.page.locator('main').innerText()).toContain(newUser.email)
    const created = await e2e.server.services.users.byEmail(newUser.email)
    expect(created).toMatchObject({ name: newUser.name, role: 'hmi', disabled: 0 })

    await form.signOut()
    await signIn.signIn(newUser.email, newUser.password)
    const home = new HomePage(e2e.page)
    expect(new URL(e2e.page.url()).pathname).toBe('/')
    expect(await home.headingText()).toBe(`Welcome, ${newUser.name}`)
    expect(await home.navigationItems()).not.toContain('Users')
  })

  it('shows a form error linked to its field and keeps what was typed', async () => {
    await signInAsAdmin()
    const form = await (await new UsersPage(e2e.page).open()).startCreate()
    await form.fill({ email: 'not-an-email', name: 'Dafydd ap Gwilym', role: 'HMI' })
    await form.submit()

    expect(await form.errorSummaryTitle()).toBe('There is a problem')
    const links = await form.errorSummaryLinks()
    expect(links).toEqual([{ text: expect.stringMatching(/e-mail address/i), href: '#email' }])
    // The summary's link leads to the e-mail field, which shows the same message beside it.
    expect(await e2e.page.locator('#email').getAttribute('name')).toBe('email')
    expect(await form.email().evaluate((el) => el.id)).toBe('email')
    const fieldError = e2e.page.locator('#email-error')
    expect(await fieldError.innerText()).toContain(links[0]!.text)
    expect(await form.email().getAttribute('aria-describedby')).toContain('email-error')
    await e2e.page.locator('.govuk-error-summary__list a').first().click()
    expect(await e2e.page.evaluate(() => document.activeElement?.id)).toBe('email')

    expect(await form.name().inputValue()).toBe('Dafydd ap Gwilym')
    expect(await form.email().inputValue()).toBe('not-an-email')
    expect(await form.role('HMI').isChecked()).toBe(true)
    expect(await e2e.page.title()).toMatch(/^Error:/)
    expect(await e2e.server.services.users.byEmail('not-an-email')).toBeUndefined()
  })

  it.each(['/admin/users', '/admin/authorities', '/admin/terms', '/admin/frameworks', '/admin/audit'])(
    'shows %s to an administrator, accessibly',
    async (pathname) => {
      await signInAsAdmin()
      await visit(e2e.page, pathname)
      expect(await e2e.page.locator('h1').count()).toBe(1)
      expect(await e2e.page.locator('main h1').innerText()).not.toBe('')
      expect(await e2e.page.title()).toMatch(/– Cyswllt$/)
    },
  )
})

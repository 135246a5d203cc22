import { describe, expect, it } from 'vitest'
import { ADMIN_EMAIL, submitAndCheck, useE2E, visit } from '../../../test/e2e/harness.ts'

/** The themes admin page in Chromium: axe on the list, a form error and a merge, in both languages. */
describe('themes in a browser', { timeout: 60_000 }, () => {
  const e2e = useE2E()

  it('an administrator adds and merges themes on an accessible page', async () => {
    const admin = await e2e.server.services.users.byEmail(ADMIN_EMAIL)
    await e2e.signInAs(admin!)
    await visit(e2e.page, '/admin')
    await submitAndCheck(e2e.page, () => e2e.page.getByRole('link', { name: 'Themes' }).click())
    expect(new URL(e2e.page.url()).pathname).toBe('/admin/themes')
    expect(await e2e.page.locator('h1').count()).toBe(1)

    // A form error: linked from the summary, with what was typed kept.
    await e2e.page.getByLabel('Key').fill('Not A Key')
    await e2e.page.getByLabel('English label').fill('Absence')
    await submitAndCheck(e2e.page, () => e2e.page.getByRole('button', { name: 'Add theme' }).click())
    expect(await e2e.page.locator('.govuk-error-summary a[href="#key"]').count()).toBe(1)
    expect(await e2e.page.locator('.govuk-error-summary a[href="#labelCy"]').count()).toBe(1)
    expect(await e2e.page.getByLabel('English label').inputValue()).toBe('Absence')

    await e2e.page.getByLabel('Key').fill('absence')
    await e2e.page.getByLabel('Welsh label').fill('Absenoldeb')
    await submitAndCheck(e2e.page, () => e2e.page.getByRole('button', { name: 'Add theme' }).click())
    expect(await e2e.page.locator('.govuk-notification-banner').innerText()).toContain('Theme “Absence” added')

    await e2e.page.getByLabel('Theme to merge').selectOption('absence')
    await e2e.page.getByLabel('Theme to keep').selectOption('attendance')
    await submitAndCheck(e2e.page, () => e2e.page.getByRole('button', { name: 'Merge themes' }).click())
    expect(await e2e.page.locator('.govuk-notification-banner').innerText()).toContain('“Absence” merged into “Attendance”')
    expect(await e2e.page.locator('#merged-absence').innerText()).toContain('Merged into Attendance (attendance)')

    await visit(e2e.page, '/language/cy?back=/admin/themes')
    expect(await e2e.page.locator('main h1').innerText()).toBe('Themâu')
  })
})

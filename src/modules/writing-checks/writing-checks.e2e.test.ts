import { describe, expect, it } from 'vitest'
import { ADMIN_EMAIL, submitAndCheck, useE2E, visit } from '../../../test/e2e/harness.ts'

/** The writing rules admin page in Chromium: axe on the list, a form error, a new rule, trying the checks, turning a rule off; in both languages. */
describe('writing rules in a browser', { timeout: 60_000 }, () => {
  const e2e = useE2E()

  it('an administrator tries the checks, adds a rule and turns one off on an accessible page', async () => {
    const admin = await e2e.server.services.users.byEmail(ADMIN_EMAIL)
    await e2e.signInAs(admin!)
    const page = e2e.page
    await visit(page, '/admin/writing-rules')
    expect(await page.locator('h1').count()).toBe(1)
    expect(await page.locator('main h1').innerText()).toBe('Writing checks')

    // Try the checks: the problems are listed under the form, and the text is kept.
    await page.getByLabel('Text to check').fill('Most schools (65%) agree. Leaders are good.')
    await page.getByRole('group', { name: 'Language of the text' }).getByLabel('English').check()
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Check the text' }).click())
    const results = page.locator('#try-results')
    expect(await results.innerText()).toContain('The checks found 2 problems:')
    expect(await results.innerText()).toContain('“Most” means 90% or more, but the figure given is 65%')
    expect(await page.getByLabel('Text to check').inputValue()).toBe('Most schools (65%) agree. Leaders are good.')

    // A form error: linked from the summary, with what was typed kept.
    await page.getByLabel('Code').fill('Not A Code')
    await page.getByRole('radio', { name: 'Word or phrase' }).check()
    await page.getByLabel('Pattern').fill('stakeholder')
    await page.getByLabel('Message in English').fill('Name who you mean, not “{match}”.')
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Add rule' }).click())
    expect(await page.locator('.govuk-error-summary a[href="#code"]').count()).toBe(1)
    expect(await page.locator('.govuk-error-summary a[href="#lang"]').count()).toBe(1)
    expect(await page.locator('.govuk-error-summary a[href="#messageCy"]').count()).toBe(1)
    expect(await page.getByLabel('Pattern').inputValue()).toBe('stakeholder')

    await page.getByLabel('Code').fill('stakeholder')
    await page.getByRole('group', { name: 'Which text to check' }).getByLabel('English and Welsh').check()
    await page.getByLabel('Message in Welsh').fill('Enwch pwy rydych chi’n ei olygu, nid “{match}”.')
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Add rule' }).click())
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Rule “stakeholder” added')
    expect(await page.locator('#rule-stakeholder').innerText()).toContain('Name who you mean, not “{match}”.')

    // Turn the grade-word rule off: the same text no longer shows it.
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Turn off rule grade-words-en' }).click())
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Rule “grade-words-en” turned off')
    await page.getByLabel('Text to check').fill('Leaders are good. Each stakeholder agrees.')
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Check the text' }).click())
    expect(await results.innerText()).toContain('The checks found 1 problem:')
    expect(await results.innerText()).toContain('Name who you mean, not “stakeholder”.')
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Turn on rule grade-words-en' }).click())

    await visit(page, '/language/cy?back=/admin/writing-rules')
    expect(await page.locator('main h1').innerText()).toBe('Gwiriadau ysgrifennu')
    expect(await page.locator('#rule-stakeholder').innerText()).toContain('Enwch pwy rydych chi’n ei olygu')
  })
})

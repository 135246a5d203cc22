import { describe, expect, it } from 'vitest'
import { submitAndCheck, useE2E, visit } from '../../../test/e2e/harness.ts'
import { readLetterhead } from '../letters/letterhead.ts'

describe('the letterhead page in a browser', { timeout: 60_000 }, () => {
  const e2e = useE2E()

  it('an administrator corrects a mistake and saves the letterhead, without JavaScript getting in the way', async () => {
    const admin = await e2e.makeUser('admin', { name: 'Letterhead Admin' })
    await e2e.signInAs(admin)
    const page = e2e.page
    await visit(page, '/admin/letterhead')
    expect(await page.locator('main h1').count()).toBe(1)
    expect(await page.getByLabel('Name of the organisation in Welsh').inputValue()).toBe('Estyn')

    await page.getByLabel('Address in English').fill('')
    await page.getByLabel('Telephone number').fill('ring us')
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Save changes' }).click())
    expect(await page.locator('.govuk-error-summary a[href="#address-en"]').innerText()).toBe('Enter the address in English')
    expect(await page.locator('.govuk-error-summary a[href="#phone"]').innerText()).toContain('Enter the telephone number using only numbers')
    expect(await page.getByLabel('Telephone number').inputValue()).toBe('ring us')
    // The summary's link takes the reader to the field.
    await page.locator('.govuk-error-summary a[href="#address-en"]').click()
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('address-en')

    await page.getByLabel('Address in English').fill('Anchor Court\nKeen Road\nCardiff CF24 5JW')
    await page.getByLabel('Telephone number').fill('0300 123 4500')
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Save changes' }).click())
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Letterhead saved')
    expect((await readLetterhead(e2e.server.services.database.db)).address.en).toBe('Anchor Court\nKeen Road\nCardiff CF24 5JW')
  })
})

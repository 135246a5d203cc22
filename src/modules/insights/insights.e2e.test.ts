import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { expectAccessible, submitAndCheck, useE2E, visit } from '../../../test/e2e/harness.ts'
import { systemActor } from '../auth/actor.ts'
import { DEMO_BUNDLE } from '../core-inspections/core-inspections.demo.ts'

// In a real browser, each page checked with axe: choosing the year, the summary in English and in
// Welsh, rewording a point beside its generated sentence, and publishing.
describe('Early Insights in a browser', { timeout: 120_000 }, () => {
  const e2e = useE2E()

  it('a reviewer reads the summary in both languages, rewords a point and publishes it', async () => {
    await e2e.server.services.coreInspections.importText(systemActor('test'), fs.readFileSync(DEMO_BUNDLE, 'utf8'))
    const reviewer = await e2e.makeUser('reviewer', { name: 'Rhian Reviewer' })
    await e2e.signInAs(reviewer)
    const page = e2e.page

    await visit(page, '/')
    await submitAndCheck(page, () => page.getByRole('link', { name: 'Early Insights' }).click())
    expect(await page.locator('main h1').innerText()).toBe('Early Insights')
    expect(await page.getByLabel('Academic year').inputValue()).toBe('2023-2024')
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Show the summary' }).click())
    expect(new URL(page.url()).pathname).toBe('/insights/2023-2024')
    expect(await page.locator('main h1').innerText()).toBe('Early Insights 2023-2024')
    expect(await page.locator('main').innerText()).toContain('Four local government education services were inspected during 2023-2024.')
    expect(await page.locator('main').innerText()).toContain('Not published yet: this is a draft.')
    // The charts are drawn on the server, each with its figures in a table beside it.
    expect(await page.locator('main figure svg').count()).toBeGreaterThanOrEqual(2)

    await submitAndCheck(page, () => page.getByRole('link', { name: 'Cymraeg' }).click())
    expect(await page.locator('html').getAttribute('lang')).toBe('cy')
    expect(await page.locator('main h1').innerText()).toBe('Mewnwelediadau Cynnar 2023-2024')
    expect(await page.locator('main').innerText()).toContain('Derbyniodd pob un o\'r pedwar awdurdod lleol argymhelliad yn canolbwyntio ar hunanarfarnu a chynllunio gwelliant.')
    await submitAndCheck(page, () => page.getByRole('link', { name: 'English' }).click())
    expect(await page.locator('main h1').innerText()).toBe('Early Insights 2023-2024')

    // Reword the overview's second recommendation: the generated sentence stays beside the new wording.
    const generated = 'Two local authorities received a recommendation focused on attendance.'
    const details = page.locator('#reword-points summary')
    expect(await details.innerText()).toMatch(/^Reword a point \(\d+ points, 0 reworded\)$/)
    await details.click()
    // The points' table, open, passes too.
    await expectAccessible(page, 'the summary with its points to reword open')
    const row = page.locator('tr[data-key="recommendation|attendance"]')
    await submitAndCheck(page, () => row.getByRole('link', { name: /^Reword/ }).click())
    expect(await page.locator('main h1').innerText()).toBe('Reword a point')
    expect(await page.locator('#generated').innerText()).toBe(generated)
    expect(await page.getByLabel('Wording of the point').inputValue()).toBe(generated)

    await page.getByLabel('Wording of the point').fill('')
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Save the wording' }).click())
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Write the wording of the point, or reset it to the generated sentence.')

    const wording = 'Half of the local authorities inspected were asked to improve attendance.'
    await page.getByLabel('Wording of the point').fill(wording)
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Save the wording' }).click())
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('The wording of the point was saved')
    expect(await page.locator('section[aria-labelledby="recommendations"]').innerText()).toContain(wording)
    expect(await page.locator('section[aria-labelledby="recommendations"]').innerText()).not.toContain(generated)

    await submitAndCheck(page, () => page.getByRole('button', { name: 'Publish' }).click())
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Early Insights 2023-2024 published')
    expect(await page.locator('main').innerText()).toMatch(/Published on \d{1,2} \w+ \d{4} by Rhian Reviewer\./)
    expect(await page.getByRole('button', { name: 'Publish again' }).count()).toBe(1)

    // Back to the generated wording.
    expect(await details.innerText()).toMatch(/^Reword a point \(\d+ points, 1 reworded\)$/)
    await details.click()
    await submitAndCheck(page, () => page.locator('tr[data-key="recommendation|attendance"]').getByRole('link', { name: /^Reword/ }).click())
    expect(await page.getByLabel('Wording of the point').inputValue()).toBe(wording)
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Use the generated wording' }).click())
    expect(await page.locator('section[aria-labelledby="recommendations"]').innerText()).toContain(generated)
  })

  it('an HMI reads a year with nothing in it: the message, no error, nothing to publish', async () => {
    const hmi = await e2e.makeUser('hmi')
    await e2e.signInAs(hmi)
    const page = e2e.page
    await visit(page, '/insights/2019-2020')
    expect(await page.locator('main').innerText()).toContain('No core inspections are recorded for 2019-2020, so there is nothing to summarise yet.')
    expect(await page.getByRole('button', { name: 'Publish' }).count()).toBe(0)
    await visit(page, '/insights?year=2019', { status: 400 })
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Give an academic year such as 2023-2024')
  })
})

import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { submitAndCheck, useE2E, visit } from '../../../test/e2e/harness.ts'
import { DEMO_BUNDLE } from './core-inspections.demo.ts'

// In a real browser, each page checked with axe: the import page, its error state, the list and an inspection.
describe('core inspections in a browser', { timeout: 90_000 }, () => {
  const e2e = useE2E()

  it('an administrator pastes a bad bundle, sees every problem by its path, uploads the good file and reads an inspection', async () => {
    const admin = await e2e.makeUser('admin')
    await e2e.signInAs(admin)
    const page = e2e.page
    await visit(page, '/admin')
    await submitAndCheck(page, () => page.getByRole('link', { name: 'Core inspections' }).click())
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Import core inspections' }).click())
    expect(await page.locator('main h1').count()).toBe(1)

    const bad = fs.readFileSync(DEMO_BUNDLE, 'utf8').replace('"gssCode": "W06000006"', '"gssCode": "W0600006"').replace('"ref": "R2"', '"ref": "R1"')
    await page.getByLabel('Bundle (JSON)').fill(bad)
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Import core inspections' }).click())
    const problems = (await page.locator('.govuk-error-summary__list a').allInnerTexts()).map((p) => p.trim())
    expect(problems).toEqual([
      '/coreInspections/0/recommendations/1/ref: R1 is already the reference of recommendation 1: each reference may be used once',
      '/coreInspections/1/gssCode: must be a GSS code such as W06000008',
    ])
    expect(await page.getByLabel('Bundle (JSON)').inputValue()).toBe(bad)
    expect(await page.locator('#problems tbody tr').count()).toBe(2)

    await page.getByLabel('Bundle (JSON)').fill('')
    await page.getByLabel('Choose the JSON file').setInputFiles(DEMO_BUNDLE)
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Import core inspections' }).click())
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Import done: 4 created, 0 updated, 0 unchanged; 8 new themes')
    expect(await page.locator('caption', { hasText: '2023 to 2024: 4 core inspections' }).count()).toBe(1)

    await submitAndCheck(page, () => page.getByRole('link', { name: 'Gwynedd' }).click())
    expect(await page.locator('main h1').innerText()).toBe('Gwynedd: core inspection 2023 to 2024')
    // Recorded in Welsh, shown in Welsh with the English beside it, each marked with its language.
    expect(await page.locator('#recommendation-R1 [lang="cy"]').first().innerText()).toMatch(/^Cryfhau prosesau hunanwerthuso/)
    expect(await page.locator('#recommendation-R1 [lang="en"]').innerText()).toMatch(/^Strengthen self-evaluation/)

    await submitAndCheck(page, () => page.getByRole('button', { name: 'Add a recommendation' }).click())
    expect(await page.getByLabel('Reference').inputValue()).toBe('R3')
    await page.getByLabel('Recommendation', { exact: true }).fill('Improve attendance, particularly in secondary schools.')
    await page.getByLabel('English').check()
    await page.getByLabel('Attendance').check()
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Add' }).click())
    expect(await page.locator('#recommendation-R3').innerText()).toContain('Improve attendance, particularly in secondary schools.')
  })
})

import { describe, expect, it } from 'vitest'
import { submitAndCheck, useE2E, visit } from '../../../test/e2e/harness.ts'
import { DEFAULT_RULES } from './plan.types.ts'

// Every page visited and every page a form leads to is checked with axe by the harness.
describe('the planning rules and an inspector’s planning details in a browser', { timeout: 150_000 }, () => {
  const e2e = useE2E()

  it('an administrator changes the planning rules on an accessible page, put right after an error', async () => {
    await e2e.signInAs(await e2e.makeUser('admin'))
    const page = e2e.page
    await visit(page, '/admin')
    await submitAndCheck(page, () => page.getByRole('link', { name: 'Planning rules' }).click())
    expect(await page.locator('h1').innerText()).toBe('Planning rules')

    await page.getByLabel('Most ELVs in a term').fill('50')
    await page.getByLabel('People on each ELV team').fill('2')
    await page.getByLabel('Most peer inspectors on a team').fill('3')
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Save changes' }).click())
    const summary = await page.locator('.govuk-error-summary').innerText()
    expect(summary).toContain('The most ELVs in a term must be a whole number from 1 to 44')
    expect(summary).toContain('must not be more than the number of people on each team (2)')
    // The error summary leads to the field, which keeps what was typed.
    await page.locator('.govuk-error-summary a', { hasText: 'most ELVs in a term' }).click()
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('maxElvsPerTerm')
    expect(await page.getByLabel('Most ELVs in a term').inputValue()).toBe('50')

    await page.getByLabel('Most ELVs in a term').fill('5')
    await page.getByLabel('People on each ELV team').fill('3')
    await page.getByLabel('Most peer inspectors on a team').fill('1')
    await page.getByRole('group', { name: 'Does the authority’s link inspector lead its ELV?' }).getByLabel('No').check()
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Save changes' }).click())
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Planning rules saved')
    expect((await e2e.server.services.programme.rules()).rules).toEqual({ ...DEFAULT_RULES, maxElvsPerTerm: 5, leadIsLinkInspector: false })

    // Readable in Welsh too.
    await visit(page, '/language/cy')
    await visit(page, '/admin/planning-rules')
    expect(await page.locator('h1').innerText()).toBe('Rheolau cynllunio')
  })

  it('an administrator records an inspector’s Welsh, most ELVs in a term and a term they are away', async () => {
    await e2e.signInAs(await e2e.makeUser('admin'))
    const hmi = await e2e.makeUser('hmi', { name: 'Elin Inspector' })
    const page = e2e.page
    await visit(page, `/admin/users/${hmi.id}`)
    expect(await page.getByRole('heading', { name: 'Planning', exact: true }).count()).toBe(1)

    await page.getByLabel('Speaks Welsh').check()
    await page.getByLabel('Most ELVs in a term').fill('7')
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Save planning details' }).click())
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('The most ELVs in a term must be a whole number from 0 to 6')
    expect(await page.getByLabel('Speaks Welsh').isChecked()).toBe(true)

    await page.getByLabel('Most ELVs in a term').fill('2')
    // The term after the current one: ticking it reveals its reason box.
    const term = page.locator('input[name="unavailable"]').nth(1)
    const key = await term.getAttribute('value')
    const reason = page.locator(`#reason-${key!.replace(/[^A-Za-z0-9_-]/g, '-')}`)
    await term.check()
    expect(await reason.isVisible()).toBe(true)
    await reason.fill('Leading a core inspection')
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Save planning details' }).click())
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Planning details of Elin Inspector saved')

    const facts = await e2e.server.services.programme.inspectorFacts(hmi.id)
    expect(facts).toMatchObject({ welshSpeaker: true, maxElvsPerTerm: 2 })
    expect(facts.terms.filter((t) => t.unavailable).map((t) => [t.key, t.reason])).toEqual([[key, 'Leading a core inspection']])
    expect(await page.locator('input[name="unavailable"]').nth(1).isChecked()).toBe(true)
  })
})

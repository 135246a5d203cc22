import { describe, expect, it } from 'vitest'
import { submitAndCheck, useE2E, visit } from '../../../test/e2e/harness.ts'
import { systemActor } from '../auth/actor.ts'

/** The search page in a real browser, without any script of its own: each page checked with axe by `visit`. */
describe('evidence search in a browser', { timeout: 120_000 }, () => {
  const e2e = useE2E()

  it('searches from the box, shows marked words as text, filters, pages, and passes axe in each state', async () => {
    const { services } = e2e.server
    const system = systemActor('test')
    const elv = await services.visits.create(system, { authority: 'W06000015', term: '2026-2027/spring' })
    for (let i = 1; i <= 22; i++) {
      await services.evidence.create(system, elv.id, { kind: i % 2 ? 'meeting_note' : 'data', title: `Note ${i} on Gymraeg`, body: `Part ${i}: <em>Gymraeg</em> immersion & attendance.`, source: 'Officer', gatheredOn: '2025-01-10' })
    }
    await e2e.signInAs(await e2e.makeUser('hmi'))

    const page = await visit(e2e.page, '/search')
    expect(await page.locator('main h2').allInnerTexts()).toEqual(['Filters', 'How to search'])

    await page.getByLabel('Words to search for').fill('gymraeg attendance')
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Search' }).click())
    const results = page.locator('main ol > li')
    expect(await results.count()).toBe(20)
    expect(await results.first().locator('h3').innerText()).toBe('Note 22 on Gymraeg')
    expect(await results.first().locator('mark').allInnerTexts()).toEqual(['Gymraeg', 'Gymraeg', 'attendance'])
    // The markup in the note is shown as its characters, never as an element.
    expect(await results.first().locator('p.govuk-body').innerText()).toBe('Part 22: <em>Gymraeg</em> immersion & attendance.')
    expect(await results.first().locator('em').count()).toBe(0)

    await submitAndCheck(page, () => page.getByRole('link', { name: 'Show more results' }).click())
    expect(await page.locator('main ol > li h3').allInnerTexts()).toEqual(['Note 2 on Gymraeg', 'Note 1 on Gymraeg'])

    await visit(page, '/search')
    await page.getByLabel('Words to search for').fill('gymraeg')
    await page.getByLabel('Kind of evidence').selectOption('data')
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Search' }).click())
    expect(await page.locator('main ol > li').count()).toBe(11)

    await visit(page, '/search?q=nothing-like-this')
    expect(await page.locator('main').innerText()).toContain('No evidence matches your search.')
    await visit(page, '/search?q=x&from=2026-02-30', { status: 400 })
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('The ‘gathered on or after’ date must be a real date')
  })
})

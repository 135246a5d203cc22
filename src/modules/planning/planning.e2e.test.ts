import { describe, expect, it } from 'vitest'
import { expectAccessible, submitAndCheck, useE2E, visit } from '../../../test/e2e/harness.ts'
import { systemActor } from '../auth/actor.ts'

const CEREDIGION = 'W06000008'

// Every page visited and every page a form leads to is checked with axe by the harness.
describe('the programme in a browser', { timeout: 180_000 }, () => {
  const e2e = useE2E()
  const system = systemActor('e2e')

  it('an administrator reads the programme, has a plan proposed, accepts part of it and moves an ELV with a reason', async () => {
    const { services } = e2e.server
    // The server's clock is today's: room enough in the terms left whatever today is, and inspectors enough to staff them.
    const rules = await services.programme.rules()
    await services.programme.saveRules(system, { ...rules.rules, maxElvsPerTerm: 10, version: rules.version })
    for (let i = 1; i <= 16; i++) await e2e.makeUser('hmi', { name: `Arolygydd ${String(i).padStart(2, '0')}` })
    const admin = await e2e.makeUser('admin', { name: 'Gweinyddwr' })
    const first = (await services.programme.current()).input.firstTerm
    await services.visits.create(system, { authority: CEREDIGION, term: first })
    await e2e.signInAs(admin)
    const page = e2e.page

    // The grid: a caption, a scrolling region, Ceredigion's planned ELV with its notice date.
    await visit(page, '/programme')
    expect(await page.locator('h1').innerText()).toBe('Programme 2024-2030')
    await expect(page.getByRole('region', { name: /ELVs in the 2024-2030 cycle/ }).count()).resolves.toBe(1)
    const ceredigion = page.locator(`#authority-${CEREDIGION}`)
    expect(await ceredigion.innerText()).toMatch(/ELV 1\s+Planned\s+Notify by/)
    expect(await page.locator('tfoot').innerText()).toContain('ELVs in the term')

    // Readable at 320 pixels: the page itself does not scroll sideways, the table's region does.
    await page.setViewportSize({ width: 320, height: 800 })
    await expectAccessible(page, '/programme at 320 px')
    const widths = await page.evaluate(() => {
      const region = document.querySelector('.app-programme__scroll')!
      return { page: document.documentElement.scrollWidth, region: region.clientWidth, table: region.scrollWidth }
    })
    // Visually hidden text is positioned: the region must contain it, or the page scrolls sideways after all.
    expect(widths.page).toBeLessThanOrEqual(320)
    expect(widths.table).toBeGreaterThan(widths.region)
    await page.setViewportSize({ width: 1280, height: 900 })

    // Propose: the planner answers on the proposal page.
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Propose a plan' }).click())
    expect(page.url()).toMatch(/\/programme\/proposals\/\d+$/)
    expect(await page.locator('#proposal-status').innerText()).toMatch(/Proven optimal|A plan, not proven optimal/)
    const rows = page.locator('#proposal-visits tbody tr')
    expect(await rows.count()).toBe(44)
    expect(await page.locator('#proposal-visits input[type=checkbox]:checked').count()).toBe(44)

    // Accept all but one ELV not yet planned.
    const left = rows.filter({ hasText: 'Not planned yet' }).filter({ hasNotText: 'Ceredigion' }).first()
    const leftName = (await left.locator('th').innerText()).split('\n')[0]!.trim()
    await left.locator('input[type=checkbox]').uncheck()
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Accept selected' }).click())
    expect(new URL(page.url()).pathname).toBe('/programme')
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('43 visits have been accepted into the programme.')
    const programme = await services.programme.current()
    expect(programme.elvs).toHaveLength(43)
    expect(programme.elvs.every((e) => e.team.length === 3 && e.lead !== null)).toBe(true)

    // Move Ceredigion's first ELV into the term of its second: too close, so a reason is asked for.
    const [one, two] = programme.elvs.filter((e) => e.gssCode === CEREDIGION).sort((a, b) => a.ordinal - b.ordinal)
    await page.locator(`#authority-${CEREDIGION}`).getByRole('link', { name: 'Move Ceredigion ELV 1 to another term' }).click()
    await page.waitForLoadState('load')
    await expectAccessible(page)
    expect(await page.locator('h1').innerText()).toBe('Move Ceredigion’s ELV 1')
    await page.getByLabel('Move it to').selectOption(two!.term)
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Move the ELV' }).click())
    const summary = await page.locator('.govuk-error-summary').innerText()
    expect(summary).toContain('terms apart; they must be at least 4 apart')
    expect(summary).toContain('Give a reason to make this change although it breaks a planning rule')
    expect(await page.getByLabel('Move it to').inputValue()).toBe(two!.term)
    expect((await services.visits.get(system, one!.elvId)).term_key).toBe(one!.term)

    await page.getByLabel('Reason for breaking a planning rule (if it breaks one)').fill('The director asked for both in one term')
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Move the ELV' }).click())
    expect(new URL(page.url()).pathname).toBe('/programme')
    expect((await services.visits.get(system, one!.elvId)).term_key).toBe(two!.term)
    const breach = page.locator('#breach-list li', { hasText: 'Ceredigion' }).filter({ hasText: 'terms apart' })
    expect(await breach.innerText()).toContain('Allowed by Gweinyddwr')
    expect(await breach.innerText()).toContain('The director asked for both in one term')
    expect(await ceredigion.innerText()).toContain('Breaks a rule, see')
    // The ELV left out of the plan is still to plan: shown in its authority's row, not as a broken rule.
    expect(await page.locator('tr[id^="authority-"]', { hasText: leftName }).first().innerText()).toContain('ELV still to plan')

    // The same page in Welsh.
    await page.getByRole('link', { name: 'Cymraeg' }).click()
    await page.waitForLoadState('load')
    await expectAccessible(page, '/programme in Welsh')
    expect(await page.locator('h1').innerText()).toBe('Rhaglen 2024-2030')
    expect(await page.locator('#breach-list').innerText()).toContain('Caniatawyd gan Gweinyddwr')
  })
})

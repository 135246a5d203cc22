import { describe, expect, it } from 'vitest'
import { submitAndCheck, useE2E, visit } from '../../../test/e2e/harness.ts'
import { systemActor } from '../auth/actor.ts'
import { PROVIDER_COLUMNS } from './providers.csv.ts'

const HEADER = PROVIDER_COLUMNS.join(',')

// In a real browser, each page checked with axe: the import form, its error state, and preparation.
describe('provider context in a browser', { timeout: 60_000 }, () => {
  const e2e = useE2E()

  it('an administrator pastes a bad file, sees every problem, fixes it, and an inspector sees it in preparation', async () => {
    const admin = await e2e.makeUser('admin')
    await e2e.signInAs(admin)
    const page = e2e.page
    await visit(page, '/admin/providers/import')
    expect(await page.locator('main h1').count()).toBe(1)

    const bad = `${HEADER}\nW06000023,E-1,Ysgol Llanfair,primry,2025-05-01,,\nW06000023,E-2,,primary,,,`
    await page.getByLabel('CSV file contents').fill(bad)
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Import providers' }).click())
    const problems = await page.locator('.govuk-error-summary__list a').allInnerTexts()
    expect(problems.map((p) => p.trim())).toEqual([
      expect.stringMatching(/^Row 2, kind: “primry” is not a kind of provider/),
      'Row 3, name: enter a value',
    ])
    expect(await page.getByLabel('CSV file contents').inputValue()).toBe(bad)

    const good = `${HEADER}\nW06000023,E-1,Ysgol Llanfair,primary,2025-05-01,"Good, improving",https://example.org/e1\nW06000023,E-2,Ysgol Bro,secondary,,,`
    await page.getByLabel('CSV file contents').fill(good)
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Import providers' }).click())
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Imported 2 new and updated 0 providers')

    const elv = await e2e.server.services.visits.create(systemActor('test'), { authority: 'W06000023', term: '2026-2027/spring' })
    const now = new Date().toISOString()
    await e2e.server.services.database.db.insertInto('link_note').values({
      authority_code: 'W06000023', author_id: admin.id, noted_on: '2026-02-01', kind: 'briefing', title: 'Briefing on attendance', body: 'Attendance is improving.',
      framework_area_code: null, created_at: now, updated_at: now,
    }).execute()
    const hmi = await e2e.makeUser('hmi')
    await e2e.context.clearCookies()
    await e2e.signInAs(hmi)
    await visit(page, `/elvs/${elv.id}/preparation`)
    const main = await page.locator('main').innerText()
    expect(main).toContain('Ysgol Llanfair')
    expect(main).not.toContain('Ysgol Bro')
    expect(main).toContain('Briefing on attendance')
    expect(await page.locator('main table caption').count()).toBe(2)
  })
})

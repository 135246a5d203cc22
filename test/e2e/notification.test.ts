import { describe, expect, it } from 'vitest'
import { systemActor } from '../../src/modules/auth/actor.ts'
import { ADMIN_EMAIL, useE2E, visit } from './harness.ts'

describe('the notification letter and the outbox in a browser', { timeout: 60_000 }, () => {
  const e2e = useE2E()

  async function notifiedVisit(authority: string, director: { name: string; email: string }) {
    const { reference, visits } = e2e.server.services
    const a = await reference.getAuthority(authority)
    await reference.updateAuthority(systemActor('test'), authority, {
      nameEn: a.name_en, nameCy: a.name_cy, directorName: director.name, directorEmail: director.email, preferredLanguage: a.preferred_language, version: a.version,
    })
    const term = (await reference.listTerms()).find((t) => t.starts_on > new Date().toISOString().slice(0, 10))!
    const elv = await visits.create(systemActor('test'), { authority, term: term.key })
    // A late notification needs a reason; giving one always works whatever today is.
    await visits.transition(systemActor('test'), elv.id, { to: 'notified', reason: 'Test notification' })
    return elv
  }

  it('prints only the letter, Welsh then English, and the pages pass axe', async () => {
    const admin = await e2e.server.services.users.byEmail(ADMIN_EMAIL)
    await e2e.signInAs(admin!)
    const elv = await notifiedVisit('W06000008', { name: 'Dr Elin Jones', email: 'director@ceredigion.test' })
    const page = e2e.page

    await visit(page, `/elvs/${elv.id}/notification`)
    const blocks = page.locator('.app-letter section[lang]')
    expect(await blocks.evaluateAll((els) => els.map((e) => e.getAttribute('lang')))).toEqual(['cy', 'en'])
    expect(await blocks.nth(0).innerText()).toContain('Annwyl Dr Elin Jones,')
    expect(await blocks.nth(1).innerText()).toContain('Dear Dr Elin Jones,')
    expect(await page.locator('header.govuk-template__header').isVisible()).toBe(true)

    await page.emulateMedia({ media: 'print' })
    for (const selector of ['header.govuk-template__header', '.govuk-footer', '.govuk-phase-banner', '.govuk-language-navigation', 'main h1']) {
      expect(await page.locator(selector).first().isVisible(), `${selector} is left off the print`).toBe(false)
    }
    expect(await page.locator('.app-letter__letterhead').innerText()).toBe('Cyswllt')
    expect(await blocks.nth(1).isVisible()).toBe(true)
    await page.emulateMedia({ media: 'screen' })

    await visit(page, '/admin/outbox')
    const link = page.locator('main table a', { hasText: 'Ceredigion' })
    expect(await link.count()).toBe(1)
    const href = await link.getAttribute('href')
    await visit(page, href!)
    expect(await page.locator('pre.app-outbox-text').innerText()).toContain('Annwyl Dr Elin Jones,')
  })
})

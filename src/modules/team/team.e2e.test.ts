import { describe, expect, it } from 'vitest'
import { submitAndCheck, useE2E, visit } from '../../../test/e2e/harness.ts'
import { systemActor } from '../auth/actor.ts'

// Every page visited and every page a form leads to is checked with axe by the harness.
describe('the team of a visit in a browser', { timeout: 60_000 }, () => {
  const e2e = useE2E()
  const system = systemActor('e2e')

  it('an administrator names the link inspector, builds the team and declares a conflict, on accessible pages', async () => {
    const admin = await e2e.makeUser('admin')
    const lali = await e2e.makeUser('hmi', { name: 'Llinos Link' })
    const conflicted = await e2e.makeUser('hmi', { name: 'Carwyn Conflict' })
    const elv = await e2e.server.services.visits.create(system, { authority: 'W06000015', term: '2026-2027/spring' })
    await e2e.signInAs(admin)
    const page = e2e.page

    await visit(page, '/admin/authorities/W06000015')
    await page.getByLabel('Link inspector').selectOption(String(lali.id))
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Save changes' }).click())
    expect((await e2e.server.services.reference.getAuthority('W06000015')).link_inspector_id).toBe(lali.id)

    await visit(page, `/elvs/${elv.id}/team`)
    expect(await page.locator('h1').count()).toBe(1)
    // The link inspector is proposed, as lead.
    expect(await page.getByLabel('Inspector', { exact: true }).inputValue()).toBe(String(lali.id))
    expect(await page.getByLabel('Lead inspector').isChecked()).toBe(true)
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Add to team' }).click())
    expect(await page.locator('#team-members').innerText()).toContain('Llinos Link')

    // A declared conflict is refused without a reason: the error page is checked too.
    await e2e.server.services.team.declareConflict(
      { kind: 'user', id: conflicted.id, name: conflicted.name, email: conflicted.email, role: conflicted.role, authorityCode: null },
      { authority: 'W06000015', reason: 'Former governor' },
    )
    await page.getByLabel('Inspector', { exact: true }).selectOption(String(conflicted.id))
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Add to team' }).click())
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Former governor')
    await page.getByLabel('Reason for overriding a declared conflict').fill('No current link with the authority')
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Add to team' }).click())
    expect(await page.locator('#team-members').innerText()).toContain('Carwyn Conflict')

    await visit(page, '/account/conflicts')
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Declare conflict' }).click())
    expect(await page.locator('.govuk-error-summary').count()).toBe(1)
    await page.getByLabel('Local authority').selectOption('W06000011')
    await page.getByLabel('Reason').fill('My brother is a councillor there')
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Declare conflict' }).click())
    expect(await page.locator('#conflicts').innerText()).toContain('My brother is a councillor there')
  })

  it('an authority user sees the team’s names only', async () => {
    const elv = await e2e.server.services.visits.create(system, { authority: 'W06000008', term: '2026-2027/spring' })
    const hmi = await e2e.makeUser('hmi', { name: 'Siân Lead' })
    await e2e.server.services.team.add(system, elv.id, { email: hmi.email, lead: true })
    await e2e.signInAs(await e2e.makeUser('la', { authorityCode: 'W06000008' }))
    await visit(e2e.page, `/elvs/${elv.id}/team`)
    expect(await e2e.page.locator('#team-names').innerText()).toContain('Siân Lead')
    expect(await e2e.page.locator('form[action$="/team"]').count()).toBe(0)
  })
})

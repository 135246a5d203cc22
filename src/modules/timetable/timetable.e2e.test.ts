import { describe, expect, it } from 'vitest'
import { submitAndCheck, useE2E, visit } from '../../../test/e2e/harness.ts'
import { systemActor } from '../auth/actor.ts'

const system = systemActor('test')

describe('the timetable in a browser', { timeout: 60_000 }, () => {
  const e2e = useE2E()

  /** A summer visit with its days set, a team of the given inspectors and two focus areas. */
  async function visitWithTeam(authority: string, inspectorIds: number[]) {
    const { services } = e2e.server
    const elv = await services.visits.create(system, { authority, term: '2026-2027/summer' })
    await services.visits.setVisitDays(system, elv.id, { visitDay1: '2027-06-15', visitDay2: '2027-06-16', version: elv.version })
    const now = new Date().toISOString()
    const db = services.database.db
    await db.insertInto('elv_team_member').values(inspectorIds.map((user_id, i) => ({
      elv_id: elv.id, user_id, is_lead: i === 0 ? 1 as const : 0 as const, override_reason: null, added_by: null, added_at: now,
    }))).execute()
    await db.insertInto('focus_area').values([1, 2].map((position) => ({
      elv_id: elv.id, position, title: `Focus area ${position}`, description: 'd', source: 'national_priority' as const,
      recommendation_id: null, framework_key: null, framework_area_code: null, proposed_by_side: 'inspectorate' as const,
      proposed_by: null, proposed_at: now, inspectorate_agreed_by: null, inspectorate_agreed_at: null,
      authority_agreed_by: null, authority_agreed_at: null, withdrawn_at: null,
    }))).execute()
    return elv
  }

  it('an HMI on the team adds meetings with the form, sees a clash flagged, and an authority user suggests an attendee', async () => {
    const hmi = await e2e.makeUser('hmi', { name: 'Gwen Lead' })
    const elv = await visitWithTeam('W06000015', [hmi.id])
    await e2e.signInAs(hmi)
    const page = e2e.page
    const url = `/elvs/${elv.id}/timetable`
    await visit(page, url)
    expect(await page.locator('main h1').count()).toBe(1)

    // A meeting ending before it starts: the error summary links to the field, and what was typed stays.
    await page.getByLabel('Day 1', { exact: true }).check()
    await page.getByLabel('Start time').fill('11:00')
    await page.getByLabel('End time').fill('10:00')
    await page.getByLabel('Title', { exact: true }).fill('Director and officers')
    await page.locator('#attendee-1-name').fill('Dr A Director')
    await page.locator('#attendee-1-role').fill('Director of education')
    await page.getByRole('group', { name: 'Inspectors' }).getByLabel('Gwen Lead').check()
    await page.getByLabel('Focus area 1').check()
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Add meeting' }).click())
    expect(await page.locator('.govuk-error-summary a[href="#end"]').innerText()).toBe('The meeting must end after it starts')
    expect(await page.getByLabel('Title', { exact: true }).inputValue()).toBe('Director and officers')
    expect(await page.getByLabel('Focus area 1').isChecked()).toBe(true)

    await page.getByLabel('End time').fill('12:00')
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Add meeting' }).click())
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('The meeting has been added.')

    await page.getByLabel('Day 1', { exact: true }).check()
    await page.getByLabel('Start time').fill('11:30')
    await page.getByLabel('End time').fill('12:30')
    await page.getByLabel('Title', { exact: true }).fill('Headteachers')
    await page.getByRole('group', { name: 'Inspectors' }).getByLabel('Gwen Lead').check()
    await page.getByLabel('Focus area 2').check()
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Add meeting' }).click())
    expect(await page.locator('.govuk-warning-text').first().innerText()).toContain('Gwen Lead is in two meetings at the same time on day 1')
    expect(await page.getByRole('link', { name: 'Download the timetable (.ics)' }).getAttribute('href')).toBe(`${url}.ics`)

    // The authority's view of its own visit: the timetable and a form to suggest attendees.
    const la = await e2e.makeUser('la', { authorityCode: 'W06000015' })
    await e2e.context.clearCookies()
    await e2e.signInAs(la)
    await visit(page, url)
    expect(await page.getByRole('button', { name: 'Add meeting' }).count()).toBe(0)
    const form = page.locator('form.app-suggest').first()
    await form.getByLabel('Name').fill('Ms C Head')
    await submitAndCheck(page, () => form.getByRole('button', { name: 'Suggest an attendee' }).click())
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Enter the attendee’s role')
    const again = page.locator('form.app-suggest').first()
    expect(await again.getByLabel('Name').inputValue()).toBe('Ms C Head')
    await again.getByLabel('Role').fill('Headteacher')
    await again.getByLabel('Kind').selectOption('stakeholder')
    await submitAndCheck(page, () => again.getByRole('button', { name: 'Suggest an attendee' }).click())
    expect(await page.locator('main').innerText()).toContain('Ms C Head, Headteacher (Stakeholder)')
  })
})

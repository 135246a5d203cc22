import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { systemActor } from '../../src/modules/auth/actor.ts'
import type { AppUser } from '../../src/db/schema.ts'
import { PASSWORD, submitAndCheck, useE2E, visit } from './harness.ts'
import { AppPage, SignInPage } from './pages.ts'

/**
 * The ELV journey from notification to `prepared`, all through the browser: an HMI notifies
 * Ceredigion, an authority user proposes and agrees a focus area, the HMI proposes another and
 * agrees both, builds the team and the timetable and marks the visit prepared; the authority
 * user then sees the team's names and the timetable, but not the inspectorate's preparation.
 * Every page reached is checked with axe by `visit` and `submitAndCheck`.
 */
describe('an ELV from notification to prepared, in a browser', { timeout: 180_000 }, () => {
  const e2e = useE2E()
  const CEREDIGION = 'W06000008'
  const TERM = '2026-2027/spring'

  const click = (page: Page, name: string) => submitAndCheck(page, () => page.getByRole('button', { name, exact: true }).click())
  const follow = (page: Page, name: string) => submitAndCheck(page, () => page.locator('main').getByRole('link', { name, exact: true }).first().click())
  /** The state tag on the overview: the first tag on the page, next to "State". */
  const stateOnOverview = async (page: Page) => (await page.locator('main p.govuk-body .govuk-tag').first().innerText()).trim()
  const stateInDatabase = async (id: number) => (await e2e.server.services.visits.get(systemActor('test'), id)).state

  async function signIn(page: Page, user: AppUser): Promise<void> {
    await (await new SignInPage(page).open()).signIn(user.email, PASSWORD)
    expect(new URL(page.url()).pathname, `${user.name} lands on the dashboard`).toBe('/')
  }

  /** From the dashboard (home page), follows the visit's link in "my visits" to its overview. */
  async function openFromDashboard(page: Page, elvId: number): Promise<void> {
    const link = page.locator('#my-visits + table').getByRole('link', { name: 'Ceredigion', exact: true })
    expect(await link.getAttribute('href')).toBe(`/elvs/${elvId}`)
    await submitAndCheck(page, () => link.click())
    expect(new URL(page.url()).pathname).toBe(`/elvs/${elvId}`)
  }

  async function proposeFocusArea(page: Page, fa: { title: string; description: string; source: string }): Promise<void> {
    await page.getByLabel('Title', { exact: true }).fill(fa.title)
    await page.getByLabel('Description', { exact: true }).fill(fa.description)
    await page.getByRole('radio', { name: fa.source, exact: true }).check()
    await click(page, 'Propose focus area')
    expect(await new AppPage(page).successBanner().innerText()).toContain('Focus area proposed')
    expect(await page.locator('.govuk-summary-card__title').allInnerTexts()).toContain(fa.title)
  }

  /** Presses the agree button on one focus area's card. */
  async function agree(page: Page, title: string, button: string): Promise<void> {
    const card = page.locator('.govuk-summary-card', { has: page.locator('.govuk-summary-card__title', { hasText: title }) })
    await submitAndCheck(page, () => card.getByRole('button', { name: button, exact: true }).click())
    expect(await new AppPage(page).successBanner().innerText()).toContain('Agreement recorded')
  }

  it('an HMI notifies, both sides agree two focus areas, the HMI builds the team and timetable and marks it prepared', async () => {
    const { services } = e2e.server
    const system = systemActor('test')

    // Set-up in-process: the accounts, the HMI as Ceredigion's link inspector, the planned ELV and its days.
    const hmi = await e2e.makeUser('hmi', { name: 'Heledd Link' })
    const second = await e2e.makeUser('hmi', { name: 'Gwion Second' })
    const third = await e2e.makeUser('hmi', { name: 'Tegan Third' })
    const la = await e2e.makeUser('la', { name: 'Alun Officer', authorityCode: CEREDIGION })
    const authority = await services.reference.getAuthority(CEREDIGION)
    await services.reference.updateAuthority(system, CEREDIGION, {
      nameEn: authority.name_en, nameCy: authority.name_cy, directorName: 'Dr E2E Director', directorEmail: 'director@e2e.invalid',
      preferredLanguage: authority.preferred_language, linkInspectorId: hmi.id, version: authority.version,
    })
    const planned = await services.visits.create(system, { authority: CEREDIGION, term: TERM })
    await services.visits.setVisitDays(system, planned.id, { visitDay1: '2027-01-19', visitDay2: '2027-01-20', version: planned.version })
    const id = planned.id
    expect(await stateInDatabase(id)).toBe('planned')

    // 1. The HMI sends the notification from the overview, reached from the dashboard.
    const hmiPage = e2e.page
    await signIn(hmiPage, hmi)
    await openFromDashboard(hmiPage, id)
    expect(await stateOnOverview(hmiPage)).toBe('Planned')
    // No fixed clock in the browser harness: once the due date has passed (it has after 1 September
    // 2026), the form asks for the reason the notification is late.
    const lateReason = hmiPage.getByLabel('Reason (Send the notification)', { exact: true })
    if (await lateReason.count()) await lateReason.fill('The visit term was agreed late with the authority.')
    await click(hmiPage, 'Send the notification')
    expect(await stateOnOverview(hmiPage)).toBe('Notified')
    expect(await stateInDatabase(id)).toBe('notified')
    await new AppPage(hmiPage).signOut()

    // 2. The authority user proposes a focus area and agrees it for the authority.
    const laPage = hmiPage
    await signIn(laPage, la)
    await openFromDashboard(laPage, id)
    expect(await stateOnOverview(laPage)).toBe('Notified')
    // The authority has no state-changing actions on the overview.
    expect(await laPage.getByRole('button', { name: 'Confirm the focus areas are agreed' }).count()).toBe(0)
    await follow(laPage, 'Focus areas')
    const welsh = { title: 'Welsh-medium places', description: 'Growing Welsh-medium provision in the north of the county.', source: 'One of the authority\'s current priorities' }
    await proposeFocusArea(laPage, welsh)
    await agree(laPage, welsh.title, 'Agree for the authority')
    expect(await laPage.getByRole('button', { name: 'Agree for the authority' }).count()).toBe(0)

    // 3. The HMI (in a browser of their own) proposes a second focus area and agrees both for the inspectorate.
    const hmiContext = await e2e.newContext()
    const hmiPage2 = await hmiContext.newPage()
    await signIn(hmiPage2, hmi)
    await openFromDashboard(hmiPage2, id)
    await follow(hmiPage2, 'Focus areas')
    const attendance = { title: 'Attendance of vulnerable learners', description: 'Persistent absence after the pandemic.', source: 'A national priority' }
    await proposeFocusArea(hmiPage2, attendance)
    await agree(hmiPage2, welsh.title, 'Agree for the inspectorate')
    await agree(hmiPage2, attendance.title, 'Agree for the inspectorate')
    expect(await hmiPage2.getByRole('button', { name: 'Agree for the inspectorate' }).count()).toBe(0)
    // Not yet focus agreed: the authority has not agreed the HMI's focus area.
    await follow(hmiPage2, 'Overview')
    expect(await hmiPage2.locator('main').innerText()).toContain('not yet agreed by the authority')
    expect(await hmiPage2.getByRole('button', { name: 'Confirm the focus areas are agreed' }).count()).toBe(0)

    // 4. The authority agrees the HMI's focus area.
    await visit(laPage, `/elvs/${id}/focus-areas`)
    await agree(laPage, attendance.title, 'Agree for the authority')

    // 5. The HMI confirms the focus areas are agreed.
    await visit(hmiPage2, `/elvs/${id}`)
    await click(hmiPage2, 'Confirm the focus areas are agreed')
    expect(await stateOnOverview(hmiPage2)).toBe('Focus agreed')
    expect(await stateInDatabase(id)).toBe('focus_agreed')

    // 6. The team: three HMIs, the link inspector leading.
    await follow(hmiPage2, 'Team')
    for (const [member, lead] of [[hmi, true], [second, false], [third, false]] as const) {
      await hmiPage2.getByLabel('Inspector', { exact: true }).selectOption(String(member.id))
      await hmiPage2.getByLabel('Lead inspector', { exact: true }).setChecked(lead)
      await click(hmiPage2, 'Add to team')
      expect(await new AppPage(hmiPage2).successBanner().innerText()).toContain(`${member.name} was added to the team`)
    }
    const team = hmiPage2.locator('#team-members tbody tr')
    expect(await team.count()).toBe(3)
    expect(await team.filter({ hasText: 'Lead inspector' }).locator('th').innerText()).toContain('Heledd Link')

    // 7. The timetable: a meeting for each focus area, with attendees and inspectors.
    await follow(hmiPage2, 'Timetable')
    const meetings = [
      { day: 'Day 1', start: '09:30', end: '10:30', title: 'Welsh-medium planning group', place: 'Canolfan Rheidol, Aberystwyth', attendee: ['Siân Demo', 'Head of Welsh in Education', 'Officer'], inspectors: [hmi, second], focus: welsh.title },
      { day: 'Day 2', start: '11:00', end: '12:00', title: 'Attendance and wellbeing officers', place: 'Penmorfa, Aberaeron', attendee: ['Rhys Demo', 'Cabinet member for schools', 'Elected member'], inspectors: [hmi, third], focus: attendance.title },
    ]
    for (const m of meetings) {
      await hmiPage2.getByRole('radio', { name: m.day, exact: true }).check()
      await hmiPage2.getByLabel('Start time', { exact: true }).fill(m.start)
      await hmiPage2.getByLabel('End time', { exact: true }).fill(m.end)
      await hmiPage2.getByLabel('Title', { exact: true }).fill(m.title)
      await hmiPage2.getByLabel('Place', { exact: true }).fill(m.place)
      await hmiPage2.locator('#attendee-1-name').fill(m.attendee[0]!)
      await hmiPage2.locator('#attendee-1-role').fill(m.attendee[1]!)
      await hmiPage2.locator('#attendee-1-kind').selectOption({ label: m.attendee[2]! })
      for (const inspector of m.inspectors) await hmiPage2.getByRole('checkbox', { name: inspector.name, exact: true }).check()
      await hmiPage2.getByRole('checkbox', { name: m.focus, exact: true }).check()
      await click(hmiPage2, 'Add meeting')
      expect(await new AppPage(hmiPage2).successBanner().innerText()).toContain('The meeting has been added')
    }
    expect(await hmiPage2.locator('.app-meeting h3').allInnerTexts()).toEqual([
      '09:30–10:30: Welsh-medium planning group', '11:00–12:00: Attendance and wellbeing officers',
    ])

    // 8. Prepared.
    await follow(hmiPage2, 'Overview')
    await click(hmiPage2, 'Mark as prepared')
    expect(await stateOnOverview(hmiPage2)).toBe('Prepared')
    expect(await stateInDatabase(id)).toBe('prepared')
    // The inspectorate's preparation page is there for the HMI.
    await follow(hmiPage2, 'Preparation')

    // 9. What the authority sees: no preparation, the team's names, the timetable and its calendar file.
    await visit(laPage, `/elvs/${id}/preparation`, { status: 404 })
    await visit(laPage, `/elvs/${id}`)
    expect(await stateOnOverview(laPage)).toBe('Prepared')
    await follow(laPage, 'Team')
    const names = await laPage.locator('#team-names').innerText()
    for (const member of [hmi, second, third]) expect(names).toContain(member.name)
    await follow(laPage, 'Timetable')
    const timetable = await laPage.locator('main').innerText()
    for (const m of meetings) expect(timetable).toContain(m.title)
    expect(timetable).toContain('Siân Demo, Head of Welsh in Education (Officer)')
    const ics = laPage.getByRole('link', { name: 'Download the timetable (.ics)', exact: true })
    const href = await ics.getAttribute('href')
    expect(href).toBeTruthy()
    // The browser context's request client carries the authority user's session cookie.
    const download = await laPage.request.get(href!)
    expect(download.status()).toBe(200)
    expect(download.headers()['content-type']).toMatch(/^text\/calendar/)
    const calendar = await download.text()
    expect(calendar).toContain('BEGIN:VCALENDAR')
    expect(calendar.match(/BEGIN:VEVENT/g)).toHaveLength(2)
    expect(calendar).toContain('DTSTART;TZID=Europe/London:20270119T093000')
  })
})

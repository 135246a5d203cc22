import { describe, expect, it } from 'vitest'
import { submitAndCheck, useE2E, visit } from '../../../test/e2e/harness.ts'
import { systemActor, type UserActor } from '../auth/actor.ts'

// Every page visited and every page a form leads to is checked with axe by the harness.
describe('findings, the evidence matrix and the threshold in a browser', { timeout: 150_000 }, () => {
  const e2e = useE2E()
  const system = systemActor('e2e')

  it('an inspector records a finding on evidence, changes it and reads the matrix, on accessible pages in both languages', async () => {
    const { services } = e2e.server
    const user = await e2e.makeUser('hmi')
    const hmi: UserActor = { kind: 'user', id: user.id, name: user.name, email: user.email, role: 'hmi', authorityCode: null }
    const elv = await services.visits.create(system, { authority: 'W06000015', term: '2026-2027/spring' })
    await services.team.add(system, elv.id, { email: hmi.email, lead: true })
    const fa = await services.focusAreas.propose(system, elv.id, { title: 'Attendance and exclusions', description: 'x', source: 'authority_priority' })
    await services.focusAreas.propose(system, elv.id, { title: 'Additional learning needs', description: 'x', source: 'national_priority' })
    const note = await services.evidence.create(hmi, elv.id, { kind: 'meeting_note', title: 'Meeting with the director', body: 'Notes', source: 'Director of Education', focusAreaIds: [fa.id] })
    const data = await services.evidence.create(hmi, elv.id, { kind: 'data', title: 'Attendance returns', body: 'Figures', source: 'Data unit', focusAreaIds: [fa.id] })
    const doc = await services.evidence.create(hmi, elv.id, { kind: 'authority_document', title: 'Attendance strategy', body: 'Summary', source: 'Authority', focusAreaIds: [fa.id] })
    await e2e.signInAs(user)
    const page = e2e.page

    await visit(page, `/elvs/${elv.id}/findings`)
    expect(await page.locator('h1').count()).toBe(1)
    // A form sent empty shows every problem, on an accessible page.
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Add finding' }).click())
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Select the focus area')

    await page.getByLabel('Focus area', { exact: true }).selectOption(String(fa.id))
    await page.getByLabel('Working well', { exact: true }).check()
    await page.getByLabel('Finding', { exact: true }).fill('Attendance is improving in secondary schools')
    await page.getByLabel('Meeting with the director').check()
    await page.getByLabel('Attendance returns').check()
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Add finding' }).click())
    const card = page.locator('.app-finding').first()
    expect(await card.innerText()).toContain('Not yet secure')
    expect(await card.innerText()).toContain('2 items · 2 kinds · 2 sources')
    expect(await card.innerText()).toContain('Needs 1 more item')

    await submitAndCheck(page, () => card.getByRole('link', { name: /Change/ }).click())
    await page.getByLabel('Attendance strategy').check()
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Save finding' }).click())
    expect(await page.locator('.app-finding').first().innerText()).toContain('3 items · 3 kinds · 3 sources')
    expect(await page.locator('.app-finding .govuk-tag--green').count()).toBe(1)
    const [finding] = await services.findings.list(hmi, elv.id)
    expect(finding!.evidence.map((e) => e.id)).toEqual([note.id, data.id, doc.id])

    await visit(page, `/elvs/${elv.id}/matrix`)
    expect(await page.locator('table caption').innerText()).toBe('Evidence items by focus area and kind')
    expect(await page.locator('.app-matrix__gap').count()).toBeGreaterThan(0)

    await visit(page, `/language/cy?back=${encodeURIComponent(`/elvs/${elv.id}/findings`)}`)
    expect(await page.locator('main').innerText()).toContain('Beth sy’n gweithio’n dda')
    await visit(page, `/elvs/${elv.id}/matrix`)
  })

  it('an administrator changes the triangulation threshold on an accessible page', async () => {
    await e2e.signInAs(await e2e.makeUser('admin'))
    const page = e2e.page
    await visit(page, '/admin/triangulation')
    await page.getByLabel('Fewest kinds of evidence').fill('9')
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Save changes' }).click())
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('at most 5')
    await page.getByLabel('Fewest kinds of evidence').fill('3')
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Save changes' }).click())
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Triangulation threshold saved')
    expect(await e2e.server.services.findings.threshold()).toEqual({ minItems: 3, minKinds: 3, minSources: 2 })
  })
})

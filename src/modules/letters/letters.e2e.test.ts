import { describe, expect, it } from 'vitest'
import { submitAndCheck, useE2E, visit } from '../../../test/e2e/harness.ts'
import { systemActor, type UserActor } from '../auth/actor.ts'

// Every page visited and every page a form leads to is checked with axe by the harness.
describe('the feedback letter in a browser', { timeout: 150_000 }, () => {
  const e2e = useE2E()
  const system = systemActor('e2e')

  it('an inspector builds the letter from the findings and edits a section in Welsh and English side by side, on accessible pages', async () => {
    const { services } = e2e.server
    const user = await e2e.makeUser('hmi', { name: 'Rhian Jones' })
    const hmi: UserActor = { kind: 'user', id: user.id, name: user.name, email: user.email, role: 'hmi', authorityCode: null }
    const elv = await services.visits.create(system, { authority: 'W06000016', term: '2026-2027/spring', visitDay1: '2027-02-02', visitDay2: '2027-02-03' })
    await services.team.add(system, elv.id, { email: hmi.email, lead: true })
    const fa = await services.focusAreas.propose(system, elv.id, { title: 'Attendance and exclusions', description: 'x', source: 'authority_priority' })
    const evidence: number[] = []
    for (const [kind, source] of [['meeting_note', 'Director'], ['data', 'Data unit'], ['authority_document', 'Authority']] as const) {
      evidence.push((await services.evidence.create(hmi, elv.id, { kind, title: `${kind} ${source}`, body: 'Notes', source, focusAreaIds: [fa.id] })).id)
    }
    await services.findings.create(hmi, elv.id, { focusAreaId: fa.id, kind: 'working_well', text: 'Leaders track attendance weekly.', evidenceIds: evidence })
    await services.findings.create(hmi, elv.id, { focusAreaId: fa.id, kind: 'improvement', text: 'Persistent absence remains too high.', evidenceIds: evidence })
    await e2e.signInAs(user)
    const page = e2e.page
    const tab = `/elvs/${elv.id}/letter`

    await visit(page, tab)
    expect(await page.locator('h1').count()).toBe(1)
    expect(await page.locator('main').innerText()).toContain('There is no letter yet.')
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Build the letter from the findings' }).click())
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Letter built from the findings')
    expect(await page.getByRole('heading', { level: 3, name: 'Attendance and exclusions' }).count()).toBe(1)
    expect(await page.getByRole('heading', { level: 4, name: 'What is working well' }).count()).toBe(1)
    const part = page.locator('section', { has: page.getByRole('heading', { level: 4, name: 'What is working well' }) })
    expect(await part.innerText()).toContain('Welsh needs updating')
    expect(await part.innerText()).toContain('Leaders track attendance weekly.')

    // The Welsh column sits to the left of the English on a wide screen.
    const greetingCy = await page.locator('p[lang="cy"]', { hasText: 'Annwyl' }).boundingBox()
    const greetingEn = await page.locator('p[lang="en"]', { hasText: 'Dear' }).boundingBox()
    expect(greetingCy!.x).toBeLessThan(greetingEn!.x)
    expect(Math.abs(greetingCy!.y - greetingEn!.y)).toBeLessThan(5)

    await submitAndCheck(page, () => page.getByRole('link', { name: /^Edit section\s*: What is working well$/ }).click())
    expect(await page.locator('h1').count()).toBe(1)
    const cyBox = await page.getByLabel('Paragraph 1 in Welsh').boundingBox()
    const enBox = await page.getByLabel('Paragraph 1 in English').boundingBox()
    expect(cyBox!.x).toBeLessThan(enBox!.x)
    expect(await page.getByLabel('Paragraph 1 in English').inputValue()).toBe('Leaders track attendance weekly.')

    // Add a paragraph without JavaScript doing anything: the form comes back with another blank row.
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Add another paragraph' }).click())
    expect(await page.getByLabel('Paragraph 3 in English').count()).toBe(1)

    await page.getByLabel('Paragraph 1 in Welsh').fill('Mae arweinwyr yn olrhain presenoldeb yn wythnosol.')
    await page.getByLabel('Paragraph 2 in English').fill('Officers <b>visit</b> families at home.')
    await page.getByLabel('Paragraph 2 in Welsh').fill('Mae swyddogion yn ymweld â theuluoedd gartref.')
    await page.getByLabel('Style of paragraph 2').selectOption('bullet')
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Save section' }).click())
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Section saved: What is working well')
    const saved = page.locator('section', { has: page.getByRole('heading', { level: 4, name: 'What is working well' }) })
    expect(await saved.innerText()).toContain('Translation up to date')
    // Markup typed into a paragraph reads as the characters typed.
    expect(await saved.innerText()).toContain('Officers <b>visit</b> families at home.')
    expect(await saved.locator('b').count()).toBe(0)

    // A mistake comes back on an accessible page with the error summary and the text kept.
    await submitAndCheck(page, () => page.getByRole('link', { name: /^Edit section\s*: What is working well$/ }).click())
    await page.getByLabel('Paragraph 1 in English').fill('x'.repeat(5001))
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Save section' }).click())
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Paragraph 1: the English text must be 5000 characters or fewer')
    expect((await page.getByLabel('Paragraph 1 in English').inputValue()).length).toBe(5001)

    await visit(page, `/language/cy?back=${encodeURIComponent(tab)}`)
    expect(await page.locator('main').innerText()).toContain('Beth sy’n gweithio’n dda')
    await visit(page, `/elvs/${elv.id}/letter/sections/${encodeURIComponent(`focus:${fa.id}:improvement`)}`)
    expect(await page.getByLabel('Paragraff 1 yn Gymraeg').count()).toBe(1)
  })
})

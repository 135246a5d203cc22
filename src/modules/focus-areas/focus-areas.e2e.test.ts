import { describe, expect, it } from 'vitest'
import { expectAccessible, useE2E, visit } from '../../../test/e2e/harness.ts'
import { systemActor, type UserActor } from '../auth/actor.ts'

/** The focus-areas tab and the authority's page with its link notes, checked with axe in Chromium. */
describe('focus areas and link notes in a browser', { timeout: 90_000 }, () => {
  const e2e = useE2E()
  const gss = 'W06000015'

  it('the pages pass axe for the link inspector and for the authority, including a form error', async () => {
    const { services } = e2e.server
    const system = systemActor('test')
    const hmi = await e2e.makeUser('hmi')
    await services.database.db.updateTable('local_authority').set({ link_inspector_id: hmi.id }).where('gss_code', '=', gss).execute()
    const actor: UserActor = { kind: 'user', id: hmi.id, name: hmi.name, email: hmi.email, role: 'hmi', authorityCode: null }
    const note = await services.linkNotes.create(actor, gss, { notedOn: '2026-01-10', kind: 'meeting', title: 'Termly meeting', body: 'Attendance discussed', themes: ['attendance', 'additional-learning-needs'], frameworkAreaCode: '1.2' })
    const elv = await services.visits.create(system, { authority: gss, term: '2029-2030/summer' })
    await services.focusAreas.propose(actor, elv.id, { title: 'Attendance', description: 'Attendance after the pandemic', source: 'inspectorate_identified', linkNoteIds: [note.id], frameworkAreaCode: '1.2' })

    await e2e.signInAs(hmi)
    await visit(e2e.page, `/authorities/${gss}`)
    expect(await e2e.page.locator('h1').count()).toBe(1)
    await visit(e2e.page, `/authorities/${gss}/link-notes/${note.id}`)
    await visit(e2e.page, `/elvs/${elv.id}/focus-areas`)
    expect(await e2e.page.locator('main').innerText()).toContain('Termly meeting')
    await e2e.page.getByRole('button', { name: 'Propose focus area' }).click()
    await e2e.page.waitForLoadState('load')
    expect(await e2e.page.locator('.govuk-error-summary').count()).toBe(1)
    await expectAccessible(e2e.page, 'focus areas with errors')

    const la = await e2e.makeUser('la', { authorityCode: gss })
    await e2e.context.clearCookies()
    await e2e.signInAs(la)
    await visit(e2e.page, `/elvs/${elv.id}/focus-areas`)
    expect(await e2e.page.locator('main').innerText()).not.toContain('Termly meeting')
    await e2e.page.getByLabel('Title').fill('Welsh-medium places')
    await e2e.page.getByLabel('Description').fill('Growing Welsh-medium provision')
    await e2e.page.getByLabel('One of the authority\'s current priorities').check()
    await e2e.page.getByRole('button', { name: 'Propose focus area' }).click()
    await e2e.page.waitForLoadState('load')
    expect(await e2e.page.locator('main').innerText()).toContain('Welsh-medium places')
    await e2e.page.getByRole('button', { name: 'Agree for the authority' }).first().click()
    await e2e.page.waitForLoadState('load')
    await expectAccessible(e2e.page, 'focus areas after agreeing')
    await visit(e2e.page, `/authorities/${gss}`, { status: 404 })
  })
})

import { describe, expect, it } from 'vitest'
import { ADMIN_EMAIL, useE2E, visit } from '../../../test/e2e/harness.ts'
import { systemActor } from '../auth/actor.ts'

/** The dashboard and the documents page in a real browser, each checked with axe by `visit`. */
describe('dashboard and documents pages in a browser', { timeout: 60_000 }, () => {
  const e2e = useE2E()

  async function elvs() {
    const { visits } = e2e.server.services
    const all = await visits.list(systemActor('test'))
    if (all.length) return all
    await visits.create(systemActor('test'), { authority: 'W06000015', term: '2026-2027/spring' })
    await visits.create(systemActor('test'), { authority: 'W06000023', term: '2025-2026/summer' })
    return visits.list(systemActor('test'))
  }

  it('an admin’s dashboard passes axe', async () => {
    await elvs()
    await e2e.signInAs((await e2e.server.services.users.byEmail(ADMIN_EMAIL))!)
    const page = await visit(e2e.page, '/')
    expect(await page.locator('main h2').allInnerTexts()).toEqual(expect.arrayContaining(['Notifications falling due', 'Every visit in the cycle', 'What you can do']))
  })

  it('an HMI’s dashboard passes axe, including its empty state', async () => {
    await elvs()
    await e2e.signInAs(await e2e.makeUser('hmi'))
    const page = await visit(e2e.page, '/')
    expect(await page.locator('main').innerText()).toContain('You are not on the team of any visit yet')
  })

  it('an authority user’s dashboard and documents page pass axe', async () => {
    const cardiff = (await elvs()).find((e) => e.authority_code === 'W06000015')!
    await e2e.signInAs(await e2e.makeUser('la', { authorityCode: 'W06000015' }))
    const home = await visit(e2e.page, '/')
    expect(await home.locator('main').innerText()).not.toContain('Powys')
    expect(await home.getByRole('link', { name: 'Cardiff' }).getAttribute('href')).toBe(`/elvs/${cardiff.id}`)
    const overview = await visit(e2e.page, `/elvs/${cardiff.id}`)
    expect(await overview.getByRole('link', { name: 'Documents' }).getAttribute('href')).toBe(`/elvs/${cardiff.id}/documents`)
    const documents = await visit(e2e.page, `/elvs/${cardiff.id}/documents`)
    expect(await documents.locator('main h2').first().innerText()).toBe('Documents you already have')
  })
})

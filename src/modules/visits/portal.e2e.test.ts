import { describe, expect, it } from 'vitest'
import { ADMIN_EMAIL, submitAndCheck, useE2E, visit } from '../../../test/e2e/harness.ts'
import { systemActor } from '../auth/actor.ts'
import { sampleElf, samplePdf } from '../documents/sample-files.ts'

/** The dashboard and the documents page in a real browser, each checked with axe by `visit`. */
describe('dashboard and documents pages in a browser', { timeout: 60_000 }, () => {
  // A small upload limit, so the browser can be shown a file that is too large.
  const e2e = useE2E({ env: { UPLOAD_MAX_MB: '1' } })

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

  it('an authority user shares a document, is told plainly about a wrong or too large file, and downloads what was shared', async () => {
    const cardiff = (await elvs()).find((e) => e.authority_code === 'W06000015')!
    await e2e.signInAs(await e2e.makeUser('la', { authorityCode: 'W06000015' }))
    const page = await visit(e2e.page, `/elvs/${cardiff.id}/documents`)
    const file = page.getByLabel('Document', { exact: true })
    expect(await page.getByText('One file, up to 1 MB').isVisible()).toBe(true)

    // A program renamed to .pdf: refused by its content, on the same page, with what was typed kept.
    await page.getByLabel('Title').fill('Self-evaluation 2025')
    await file.setInputFiles({ name: 'self-evaluation.pdf', mimeType: 'application/pdf', buffer: sampleElf() })
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Share document' }).click())
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('“self-evaluation.pdf” is not a type of file that can be uploaded here')
    expect(await page.getByLabel('Title').inputValue()).toBe('Self-evaluation 2025')

    // Too large: refused before anything is stored, and the page says so.
    await file.setInputFiles({ name: 'minutes.txt', mimeType: 'text/plain', buffer: Buffer.alloc(1024 * 1024 + 10, 'a') })
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Share document' }).click())
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('The file must be smaller than 1 MB. Nothing was saved')

    const pdf = samplePdf(['Our self-evaluation, summer 2025'])
    await page.getByLabel('Title').fill('Self-evaluation 2025')
    await page.getByLabel('Short description (optional)').fill('Read section 3 on attendance')
    await file.setInputFiles({ name: 'self-evaluation.pdf', mimeType: 'application/pdf', buffer: pdf })
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Share document' }).click())
    expect(new URL(page.url()).pathname).toBe(`/elvs/${cardiff.id}/documents`)
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('“Self-evaluation 2025” has been shared with the inspection team.')
    const card = page.locator('.govuk-summary-card', { hasText: 'Self-evaluation 2025' })
    expect(await card.innerText()).toContain('Read section 3 on attendance')

    const [download] = await Promise.all([page.waitForEvent('download'), card.getByRole('link', { name: 'self-evaluation.pdf' }).click()])
    expect(download.suggestedFilename()).toBe('self-evaluation.pdf')
    const chunks: Buffer[] = []
    for await (const chunk of (await download.createReadStream())) chunks.push(chunk as Buffer)
    expect(Buffer.concat(chunks).equals(pdf)).toBe(true)
  })
})

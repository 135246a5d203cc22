import { describe, expect, it } from 'vitest'
import { submitAndCheck, useE2E, visit } from '../../../test/e2e/harness.ts'
import type { Role } from '../../db/schema.ts'
import { editParagraph, reviewFixture } from './letter-review.fixtures.ts'

// Every page visited and every page a form leads to is checked with axe by the harness.
describe('quality assurance of the letter in a browser', { timeout: 150_000 }, () => {
  const e2e = useE2E()
  const make = (role: Role, opts?: { authority?: string }) => e2e.makeUser(role, opts?.authority ? { authorityCode: opts.authority } : {})

  it('the lead submits, a reviewer comments, returns, compares and approves, on accessible pages in both languages', async () => {
    const { services } = e2e.server
    const f = await reviewFixture(services, make, 'W06000015', { improvement: 'Plans for <script>alert(1)</script> lack measurable targets.' })
    const review = `/elvs/${f.elvId}/letter/review`
    const page = e2e.page

    const lead = await services.database.db.selectFrom('app_user').selectAll().where('id', '=', f.lead.id).executeTakeFirstOrThrow()
    await e2e.signInAs(lead)
    await visit(page, review)
    expect(await page.locator('h1').count()).toBe(1)
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Submit for quality assurance' }).click())
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Letter submitted for quality assurance')

    const reviewer = await e2e.makeUser('reviewer')
    await e2e.signInAs(reviewer)
    await visit(page, '/letters/review')
    await submitAndCheck(page, () => page.getByRole('link', { name: 'Cardiff: first visit' }).click())
    // Returning with nothing said (no comments yet on this version) is refused, the problem shown on an accessible page.
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Return with comments' }).click())
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Enter comments for the team')
    // A comment on one paragraph, typed into a box folded away until opened.
    await page.getByText('Comment on paragraph 1 of Opening', { exact: true }).click()
    await page.getByLabel('Your comment on paragraph 1 of Opening').fill('Name the director.')
    await submitAndCheck(page, () => page.locator(`#paragraph-${f.paragraphs.opening![0]}`).getByRole('button', { name: 'Add comment' }).click())
    expect(await page.locator(`#paragraph-${f.paragraphs.opening![0]} .app-review-comments`).innerText()).toContain('Name the director.')

    await page.getByLabel('Comments for the team').fill('Please name the schools.')
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Return with comments' }).click())
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Letter returned to the team')

    // The team rewrites a paragraph and submits again; the reviewer compares the two texts.
    const [paragraph] = f.paragraphs[`focus:${f.focusAreas[1]!.id}`]!
    await editParagraph(services, f.letterId, paragraph!, { en: 'Plans for <script>alert(2)</script> lack targets that can be measured.' }, f.lead.id)
    await services.letterReview.submit(f.lead, f.elvId, { version: 4 })
    await visit(page, review)
    await submitAndCheck(page, () => page.getByRole('link', { name: /Compare with version 4/ }).click())
    await page.getByLabel('Earlier version').selectOption('1')
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Compare', exact: true }).click())
    expect(page.url()).toContain('from=1&to=5')
    const row = page.locator('tr', { hasText: 'lack' })
    expect(await row.locator('ins').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining('<script>alert(2)</script>')]))
    expect(await row.locator('del').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining('<script>alert(1)</script>')]))
    // The text is shown, never run.
    expect(await page.evaluate(() => document.querySelectorAll('main script').length)).toBe(0)

    await visit(page, `/language/cy?back=${encodeURIComponent(review)}`)
    expect(await page.locator('main').innerText()).toContain('Cymeradwyo’r llythyr')
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Cymeradwyo’r llythyr' }).click())
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Cymeradwywyd y llythyr')
    await visit(page, `/elvs/${f.elvId}/letter/compare?from=1&to=6`)
    expect(await page.locator('main').innerText()).toContain('Newidiadau o fersiwn 1 i fersiwn 6')
    expect((await services.letterReview.get(f.lead, f.elvId)).state).toBe('approved')
  })
})

import { describe, expect, it } from 'vitest'
import { submitAndCheck, useE2E, visit } from '../../../test/e2e/harness.ts'
import { systemActor } from '../auth/actor.ts'
import { toActor } from '../auth/auth.service.ts'

/**
 * The letter's whole journey in a browser, each page checked with axe by the harness: the lead
 * builds it, the team's Welsh is written, the lead submits it, a reviewer not on the team approves
 * it, the lead issues it, and the authority reads it on its Documents tab.
 */
describe('a letter from draft to issue in a browser', { timeout: 180_000 }, () => {
  const e2e = useE2E()
  const gss = 'W06000018'

  it('is built, submitted, approved, issued and read by the authority, on accessible pages', async () => {
    const { services } = e2e.server
    const system = systemActor('e2e')
    const leadUser = await e2e.makeUser('hmi', { name: 'Rhian Lead' })
    const lead = toActor(leadUser)
    const a = await services.reference.getAuthority(gss)
    await services.reference.updateAuthority(system, gss, {
      nameEn: a.name_en, nameCy: a.name_cy, directorName: 'Director Dewi', directorEmail: 'director@example.invalid', preferredLanguage: a.preferred_language, version: a.version,
    })
    const elv = await services.visits.create(system, { authority: gss, term: '2026-2027/spring', visitDay1: '2027-02-02', visitDay2: '2027-02-03' })
    await services.team.add(system, elv.id, { email: lead.email, lead: true })
    const fa = await services.focusAreas.propose(system, elv.id, { title: 'Attendance', description: 'x', source: 'authority_priority' })
    const now = services.clock.nowIso()
    await services.database.db.updateTable('focus_area').set({ inspectorate_agreed_at: now, authority_agreed_at: now }).where('id', '=', fa.id).execute()
    const evidence: number[] = []
    for (const [kind, source] of [['meeting_note', 'Director'], ['data', 'Data unit'], ['authority_document', 'Authority']] as const) {
      evidence.push((await services.evidence.create(lead, elv.id, { kind, title: `${kind} ${source}`, body: 'Notes', source, focusAreaIds: [fa.id] })).id)
    }
    await services.findings.create(lead, elv.id, { focusAreaId: fa.id, kind: 'working_well', text: 'Leaders track attendance weekly.', evidenceIds: evidence })
    await services.findings.create(lead, elv.id, { focusAreaId: fa.id, kind: 'improvement', text: 'Persistent absence remains too high.', evidenceIds: evidence })
    await services.database.db.updateTable('elv').set({ state: 'drafting' }).where('id', '=', elv.id).execute()
    const page = e2e.page
    const tab = `/elvs/${elv.id}/letter`

    // The lead builds the letter on its tab.
    await e2e.signInAs(leadUser)
    await visit(page, tab)
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Build the letter from the findings' }).click())
    expect(await page.locator('main').innerText()).toContain('The letter cannot be issued yet')

    // The team writes the Welsh of the findings' paragraphs (the section page is tested on its own).
    const welsh: Record<string, string> = { 'Leaders track attendance weekly.': 'Mae arweinwyr yn olrhain presenoldeb yn wythnosol.', 'Persistent absence remains too high.': 'Mae absenoldeb parhaus yn parhau’n rhy uchel.' }
    let model = await services.letters.model(lead, elv.id)
    for (const s of model.sections.filter((x) => x.paragraphs.some((p) => !p.fixed) || !x.translation.current)) {
      model = await services.letters.updateSection(lead, elv.id, s.key, {
        heading: { en: s.heading.en, cy: s.heading.cy || s.heading.en },
        paragraphs: s.paragraphs.map((p) => ({ id: p.id, style: p.style, en: p.text.en, cy: p.text.cy || welsh[p.text.en] || p.text.en, findingIds: p.findingIds })),
        translationCurrent: true, version: model.version,
      })
    }

    // Submitted for quality assurance from the review page.
    await visit(page, `${tab}/review`)
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Submit for quality assurance' }).click())
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Letter submitted for quality assurance')

    // A reviewer, never on the team, finds it in the list and approves it.
    const reviewer = await e2e.makeUser('reviewer', { name: 'Rhys Reviewer' })
    await e2e.context.clearCookies()
    await e2e.signInAs(reviewer)
    await visit(page, '/letters/review')
    await submitAndCheck(page, () => page.getByRole('link', { name: /Caerphilly/ }).first().click())
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Approve letter' }).click())
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Letter approved')

    // The lead issues it: the files are listed with their checksums.
    await e2e.context.clearCookies()
    await e2e.signInAs(leadUser)
    await visit(page, tab)
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Issue the letter' }).click())
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('The letter has been issued and sent to the director.')
    expect(await page.locator('main').innerText()).toContain('SHA-256')
    expect((await services.visits.get(lead, elv.id)).state).toBe('issued')

    // The authority reads it on its Documents tab and downloads the bilingual PDF.
    const la = await e2e.makeUser('la', { authorityCode: gss })
    await e2e.context.clearCookies()
    await e2e.signInAs(la)
    await visit(page, `/elvs/${elv.id}/documents`)
    expect(await page.locator('main').innerText()).toContain('Feedback letter')
    const download = await page.request.get(`/elvs/${elv.id}/letter.pdf?lang=both`)
    expect(download.status()).toBe(200)
    expect(download.headers()['content-type']).toBe('application/pdf')
  })
})

import { describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { expectAccessible, submitAndCheck, useE2E, visit } from '../../../test/e2e/harness.ts'
import { SESSION_COOKIE } from '../../http/web.ts'
import type { AppUser } from '../../db/schema.ts'
import { systemActor } from '../auth/actor.ts'

const system = systemActor('test')
// Waiting on the retry after the connection returns may take one retry period (10 s) at worst.
const SLOW = { timeout: 25_000 }

describe('evidence notes in a browser', { timeout: 90_000 }, () => {
  const e2e = useE2E()

  async function visitWithTeam(authority: string, hmi: AppUser) {
    const { services } = e2e.server
    const elv = await services.visits.create(system, { authority, term: '2026-2027/summer' })
    await services.team.add(system, elv.id, { email: hmi.email, lead: true })
    const now = new Date().toISOString()
    await services.database.db.insertInto('focus_area').values({
      elv_id: elv.id, position: 1, title: 'Attendance in secondary schools', description: 'd', source: 'national_priority', recommendation_id: null,
      framework_key: null, framework_area_code: null, proposed_by_side: 'inspectorate', proposed_by: null, proposed_at: now,
      inspectorate_agreed_by: null, inspectorate_agreed_at: null, authority_agreed_by: null, authority_agreed_at: null, withdrawn_at: null,
    }).execute()
    return elv
  }

  /** A context that keeps the content security policy, so the script is shown to run under it; signed in as `user`. */
  async function strictContext(user: AppUser): Promise<BrowserContext> {
    const context = await e2e.newContext({ bypassCSP: false })
    const token = await e2e.server.services.auth.startSession(user)
    await context.addCookies([{ name: SESSION_COOKIE, value: token, url: e2e.server.baseUrl, httpOnly: true, sameSite: 'Lax' }])
    return context
  }

  const status = (page: Page) => page.locator('#autosave-status')
  const waitForStatus = (page: Page, text: RegExp, opts = {}) => status(page).filter({ hasText: text }).waitFor(opts)
  /** Saved, and nothing typed since waits to be sent: the draft leaves the device only once the server holds exactly it. */
  const waitUntilSaved = (page: Page, opts = {}) => page.waitForFunction(() =>
    /^Saved at \d\d:\d\d$/.test(document.getElementById('autosave-status')?.textContent ?? '') &&
    !Object.keys(window.localStorage).some((k) => k.startsWith('cyswllt:evidence-draft:')), undefined, opts)
  const bodyOnServer = async (id: number) => (await e2e.server.services.evidence.get(system, id)).body
  const draftsOnDevice = (page: Page) => page.evaluate(() => Object.keys(window.localStorage).filter((k) => k.startsWith('cyswllt:evidence-draft:')))

  it('autosaves a meeting note as it is typed, keeps it while offline and sends every character when back online', async () => {
    const hmi = await e2e.makeUser('hmi', { name: 'Gwen Notes' })
    const elv = await visitWithTeam('W06000015', hmi)
    const context = await strictContext(hmi)
    const page = await context.newPage()

    const log = `/elvs/${elv.id}/evidence`
    await page.goto(log)
    await expectAccessible(page, log, { keepsCsp: true })
    expect(await page.locator('main h1').count()).toBe(1)
    await page.getByRole('button', { name: 'Record evidence' }).click()
    await page.waitForURL(`**/elvs/${elv.id}/evidence/new`)
    await expectAccessible(page, 'new evidence', { keepsCsp: true })

    await page.getByLabel('Meeting note').check()
    await page.getByLabel('Title', { exact: true }).fill('Meeting with the director of education')
    await page.getByLabel('Source', { exact: true }).fill('Director of education')
    await page.getByLabel('Attendance in secondary schools').check()
    const body = page.getByLabel('Text', { exact: true })
    const online = 'Attendance has risen in 9 of 12 schools. '
    await body.pressSequentially(online)
    await waitUntilSaved(page)
    // The first save made the item: the address and the form now belong to it.
    await page.waitForURL(/\/evidence\/\d+$/)
    const id = Number(/\/evidence\/(\d+)$/.exec(page.url())![1])
    expect(await page.locator('form[data-autosave]').getAttribute('action')).toBe(`/elvs/${elv.id}/evidence/${id}`)
    // Leaving a field saves too, so there may have been more than one save by now: the form holds the latest version.
    const onServer = await e2e.server.services.evidence.get(system, id)
    expect(await page.locator('input[name="version"]').inputValue()).toBe(String(onServer.version))
    expect(onServer.body).toBe(online)
    await expectAccessible(page, 'saved status', { keepsCsp: true })

    await context.setOffline(true)
    const offline = 'The director said: “Mae presenoldeb yn gwella” – ŵ ŷ â & <b>not bold</b>.'
    await body.press('End')
    await body.pressSequentially(offline)
    await waitForStatus(page, /^Not saved yet: you seem to be offline\. Your draft is kept on this device/)
    expect(await draftsOnDevice(page)).toEqual([`cyswllt:evidence-draft:${elv.id}:${id}`])
    expect(await bodyOnServer(id)).toBe(online)
    await expectAccessible(page, 'offline status', { keepsCsp: true })

    await context.setOffline(false)
    await waitUntilSaved(page, SLOW)
    expect(await bodyOnServer(id)).toBe(online + offline)
    expect(await draftsOnDevice(page)).toEqual([])

    // The plain button now saves this same item, not a second one.
    await Promise.all([page.waitForURL(`**/elvs/${elv.id}/evidence/${id}`), page.getByRole('button', { name: 'Save evidence' }).click()])
    await page.locator('.govuk-notification-banner').waitFor()
    await expectAccessible(page, 'item page', { keepsCsp: true })
    const items = await e2e.server.services.evidence.list(system, elv.id)
    expect(items.map((i) => [i.id, i.body, i.focusAreaIds.length])).toEqual([[id, online + offline, 1]])
  })

  it('offers back a draft left unsent on this device, and restores it', async () => {
    const hmi = await e2e.makeUser('hmi')
    const elv = await visitWithTeam('W06000001', hmi)
    const item = await e2e.server.services.evidence.create(system, elv.id, { kind: 'meeting_note', title: 'Headteachers', body: 'Saved words.', source: 'Headteachers' })
    const now = new Date().toISOString()
    const db = e2e.server.services.database.db
    await db.insertInto('link_note').values({
      authority_code: 'W06000001', author_id: hmi.id, noted_on: '2026-01-10', kind: 'meeting', title: 'Termly meeting with the director', body: 'Candid', framework_area_code: null, themes: '[]', created_at: now, updated_at: now,
    }).execute()
    await db.insertInto('provider').values({
      authority_code: 'W06000001', reference: 'E2E-P1', name: 'Ysgol Gynradd y Bont', kind: 'primary', last_inspected_on: '2026-01-15', summary: 'Strong', report_url: null, updated_at: now,
    }).execute()
    await e2e.signInAs(hmi)
    // The log with an item and something to bring in, then the provider brought in with one button.
    const log = await visit(e2e.page, `/elvs/${elv.id}/evidence`)
    await submitAndCheck(log, () => log.getByRole('button', { name: /^Bring in as evidence\s*: Ysgol Gynradd y Bont$/ }).click())
    expect(await log.locator('.govuk-notification-banner').innerText()).toContain('“Ysgol Gynradd y Bont” is now in the evidence log.')
    expect(await log.getByRole('button', { name: /^Bring in as evidence\s*: Termly meeting with the director$/ }).count()).toBe(1)

    const url = `/elvs/${elv.id}/evidence/${item.id}`
    const page = await visit(e2e.page, url)
    expect(await page.locator('#autosave-draft').isVisible()).toBe(false)

    await e2e.context.setOffline(true)
    const body = page.getByLabel('Text', { exact: true })
    await body.press('End')
    await body.pressSequentially(' Typed in a signal black spot.')
    await waitForStatus(page, /^Not saved yet: you seem to be offline/)
    // The laptop is closed before the connection returns.
    await page.close()
    await e2e.context.setOffline(false)
    expect(await bodyOnServer(item.id)).toBe('Saved words.')

    const again = await visit(await e2e.context.newPage(), url)
    const offer = again.locator('#autosave-draft')
    await offer.waitFor()
    expect(await offer.innerText()).toMatch(/An unsent draft from .+ was found on this device\./)
    expect(await again.getByLabel('Text', { exact: true }).inputValue()).toBe('Saved words.')
    await again.getByRole('button', { name: 'Restore the draft' }).click()
    expect(await again.getByLabel('Text', { exact: true }).inputValue()).toBe('Saved words. Typed in a signal black spot.')
    await waitUntilSaved(again)
    expect(await bodyOnServer(item.id)).toBe('Saved words. Typed in a signal black spot.')
    expect(await offer.isVisible()).toBe(false)

    // Discarding a draft forgets it on this device only.
    await e2e.context.setOffline(true)
    await again.getByLabel('Text', { exact: true }).pressSequentially(' Second thoughts.')
    await waitForStatus(again, /^Not saved yet/)
    await again.close()
    await e2e.context.setOffline(false)
    const third = await visit(await e2e.context.newPage(), url)
    await third.getByRole('button', { name: 'Discard it' }).click()
    expect(await draftsOnDevice(third)).toEqual([])
    expect(await bodyOnServer(item.id)).toBe('Saved words. Typed in a signal black spot.')
  })

  it('stops autosaving when someone else saved first, shows both versions, and saves only when asked', async () => {
    const hmi = await e2e.makeUser('hmi')
    const colleague = await e2e.makeUser('hmi', { name: 'Dafydd Colleague' })
    const elv = await visitWithTeam('W06000002', hmi)
    await e2e.server.services.team.add(system, elv.id, { email: colleague.email })
    const item = await e2e.server.services.evidence.create(system, elv.id, { kind: 'meeting_note', title: 'Governors', body: 'First.', source: 'Chair of governors' })
    await e2e.signInAs(hmi)
    const url = `/elvs/${elv.id}/evidence/${item.id}`
    const page = await visit(e2e.page, url)

    const actor = { kind: 'user' as const, id: colleague.id, name: colleague.name, email: colleague.email, role: colleague.role, authorityCode: null }
    await e2e.server.services.evidence.update(actor, item.id, { body: 'First. Their addition.', version: 1 })
    const body = page.getByLabel('Text', { exact: true })
    await body.press('End')
    await body.pressSequentially(' My addition.')
    await waitForStatus(page, /^Not saved: someone else saved this evidence while you were writing/)
    const saved = page.locator('#saved-version')
    await saved.waitFor()
    expect(await saved.innerText()).toContain('Saved by Dafydd Colleague at')
    expect(await saved.innerText()).toContain('First. Their addition.')
    expect(await body.inputValue()).toBe('First. My addition.')
    expect(await bodyOnServer(item.id)).toBe('First. Their addition.')
    await expectAccessible(page, 'autosave conflict')

    // Further typing is kept in the form but not sent.
    await body.pressSequentially(' More.')
    await page.getByLabel('Title', { exact: true }).focus()
    expect(await bodyOnServer(item.id)).toBe('First. Their addition.')

    await body.fill('First. Their addition. My addition. More.')
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Save evidence' }).click())
    expect(await bodyOnServer(item.id)).toBe('First. Their addition. My addition. More.')
  })

  it('records a note with the plain form when JavaScript is off', async () => {
    const hmi = await e2e.makeUser('hmi')
    const elv = await visitWithTeam('W06000003', hmi)
    const context = await e2e.newContext({ javaScriptEnabled: false })
    const token = await e2e.server.services.auth.startSession(hmi)
    await context.addCookies([{ name: SESSION_COOKIE, value: token, url: e2e.server.baseUrl, httpOnly: true, sameSite: 'Lax' }])
    const page = await context.newPage()
    await page.goto(`/elvs/${elv.id}/evidence/new`)
    await page.getByLabel('Data', { exact: true }).check()
    await page.getByLabel('Title', { exact: true }).fill('Attendance figures')
    await page.getByLabel('Text', { exact: true }).fill('91.2% in the autumn term')
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Save evidence' }).click()])
    // The source was left out: the error is shown and what was typed is kept.
    expect(page.url()).toMatch(/\/evidence$/)
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Enter the source')
    expect(await page.getByLabel('Text', { exact: true }).inputValue()).toBe('91.2% in the autumn term')
    await page.getByLabel('Source', { exact: true }).fill('Stats Wales')
    await Promise.all([page.waitForURL(/\/evidence\/\d+$/), page.getByRole('button', { name: 'Save evidence' }).click()])
    expect(await page.locator('h1').innerText()).toBe('Attendance figures')
    expect((await e2e.server.services.evidence.list(system, elv.id)).map((i) => i.body)).toEqual(['91.2% in the autumn term'])
  })
})

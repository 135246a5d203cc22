import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { ADMIN_EMAIL, ADMIN_NAME, ADMIN_PASSWORD, expectAccessible, useE2E, visit } from './harness.ts'
import { AppPage, HomePage, SignInPage } from './pages.ts'

/** What went wrong loading a page: CSP refusals, failed or refused requests, script errors. */
function watchProblems(page: Page): string[] {
  const problems: string[] = []
  page.on('console', (m) => { if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(`console ${m.type()}: ${m.text()}`) })
  page.on('pageerror', (e) => problems.push(`script error: ${e.message}`))
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`))
  page.on('response', (r) => { if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`HTTP ${r.status()}: ${r.url()}`) })
  return problems
}

/** Styles, fonts and the GOV.UK JavaScript really took effect (nothing blocked by the CSP). */
async function expectGovukLook(page: Page): Promise<void> {
  await page.evaluate(() => document.fonts.ready)
  const look = await page.evaluate(() => ({
    headingFont: getComputedStyle(document.querySelector('h1') ?? document.body).fontFamily,
    fontFaces: [...document.fonts].filter((f) => f.family.replace(/"/g, '') === 'GDS Transport').map((f) => f.status),
    headerBackground: getComputedStyle(document.querySelector('.govuk-generic-header') ?? document.body).backgroundColor,
    jsEnabled: document.body.classList.contains('govuk-frontend-supported'),
  }))
  expect(look.headingFont).toContain('GDS Transport')
  // Faces load only when text uses them: at least one loaded, none refused.
  expect(look.fontFaces, 'GDS Transport font faces').toContain('loaded')
  expect(look.fontFaces, 'GDS Transport font faces').not.toContain('error')
  // GOV.UK Frontend 6's generic header has a dark background; unstyled it would be transparent.
  expect(look.headerBackground).not.toBe('rgba(0, 0, 0, 0)')
  expect(look.jsEnabled, 'GOV.UK Frontend JavaScript ran (app.js allowed by the CSP)').toBe(true)
}

describe('the layout in a browser: language switch, styles, scripts and fonts', { timeout: 60_000 }, () => {
  const e2e = useE2E()

  it('shows the sign-in page in Welsh and back in English', async () => {
    const signIn = await new SignInPage(e2e.page).open()
    expect(await signIn.htmlLang()).toBe('en')
    expect(await signIn.headingText()).toBe('Sign in to Cyswllt')

    await signIn.switchLanguage('Cymraeg')
    expect(new URL(e2e.page.url()).pathname).toBe('/sign-in')
    expect(await signIn.htmlLang()).toBe('cy')
    expect(await signIn.headingText()).toBe('Mewngofnodi i Cyswllt')
    expect(await e2e.page.getByLabel('Cyfeiriad e-bost', { exact: true }).count()).toBe(1)
    // The current language is marked, not linked.
    expect(await e2e.page.locator('.govuk-language-navigation [aria-current="true"]').innerText()).toBe('Cymraeg')

    await signIn.switchLanguage('English')
    expect(new URL(e2e.page.url()).pathname).toBe('/sign-in')
    expect(await signIn.htmlLang()).toBe('en')
    expect(await signIn.headingText()).toBe('Sign in to Cyswllt')
  })

  it('keeps a signed-in reader on the same page when switching language', async () => {
    const user = await e2e.makeUser('hmi', { name: 'Gwen Jones' })
    await e2e.signInAs(user)
    // A page other than home, so "the same page" is tested rather than the default redirect.
    await visit(e2e.page, '/no-such-page?x=1', { status: 404 })
    const page = new AppPage(e2e.page)
    expect(await page.headingText()).toBe('Page not found')

    await page.switchLanguage('Cymraeg')
    expect(new URL(e2e.page.url()).pathname + new URL(e2e.page.url()).search).toBe('/no-such-page?x=1')
    expect(await page.htmlLang()).toBe('cy')
    expect(await page.headingText()).toBe('Heb ddod o hyd i’r dudalen')
    expect(await page.navigationItems()).toContain('Hafan')

    const home = await new HomePage(e2e.page).open()
    expect(await home.htmlLang()).toBe('cy')
    expect(await home.headingText()).toBe('Croeso, Gwen Jones')

    await home.switchLanguage('English')
    expect(new URL(e2e.page.url()).pathname).toBe('/')
    expect(await home.htmlLang()).toBe('en')
    expect(await home.headingText()).toBe('Welcome, Gwen Jones')
    expect(await home.navigationItems()).toContain('Home')
  })

  it('loads GOV.UK styles, fonts and scripts on the sign-in and home pages', async () => {
    // Unlike the other tests, this context keeps the app's CSP, so anything it blocks shows here.
    const context = await e2e.newContext({ bypassCSP: false })
    const page = await context.newPage()
    const problems = watchProblems(page)

    const signIn = new SignInPage(page)
    const response = await page.goto('/sign-in', { waitUntil: 'networkidle' })
    expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self'/)
    await expectGovukLook(page)
    await page.screenshot({ path: '/tmp/cyswllt-sign-in.png', fullPage: true })
    await expectAccessible(page, '/sign-in (with CSP)', { keepsCsp: true })

    await signIn.email().fill(ADMIN_EMAIL)
    await signIn.password().fill(ADMIN_PASSWORD)
    await Promise.all([page.waitForURL(e2e.url('/'), { waitUntil: 'networkidle' }), page.getByRole('button', { name: 'Sign in', exact: true }).click()])
    const home = new HomePage(page)
    expect(await home.headingText()).toBe(`Welcome, ${ADMIN_NAME}`)
    await expectGovukLook(page)
    await page.screenshot({ path: '/tmp/cyswllt-home.png', fullPage: true })
    await expectAccessible(page, '/ (with CSP)', { keepsCsp: true })

    // Again: now the kept page, sent from the page cache, compressed; the browser shows it the same.
    const again = await page.reload({ waitUntil: 'networkidle' })
    expect(again?.headers()['content-encoding']).toBe('br')
    expect(await home.headingText()).toBe(`Welcome, ${ADMIN_NAME}`)
    await expectGovukLook(page)

    expect(problems).toEqual([])
  })
})

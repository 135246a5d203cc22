import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { expectAccessible, launchBrowser } from '../../../../test/e2e/harness.ts'
import { renderLetterHtml } from './html.ts'
import { sampleLetter } from './letter.fixture.ts'

const run = promisify(execFile)

/** The standalone letter in Chromium, as a director opening it (or printing it) would see it. */
describe('the letter as HTML in a browser', { timeout: 60_000 }, () => {
  let browser: Browser
  const dir = mkdtempSync(path.join(tmpdir(), 'cyswllt-letter-html-'))
  beforeAll(async () => { browser = await launchBrowser() })
  afterAll(async () => {
    await browser?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('passes axe, keeps to its own content security policy, and prints a numbered page per language', async () => {
    const page = await browser.newPage({ locale: 'en-GB' })
    const refused: string[] = []
    page.on('console', (m) => { if (m.type() === 'error') refused.push(m.text()) })
    await page.setContent(renderLetterHtml(sampleLetter(), 'both'), { waitUntil: 'load' })
    // Its stylesheet is let through by the policy in its own meta tag (the rule under the letterhead is blue).
    expect(await page.locator('section[lang="cy"] .letterhead').evaluate((e) => getComputedStyle(e).borderBottomColor)).toBe('rgb(29, 112, 184)')
    expect(refused).toEqual([])
    await expectAccessible(page, 'letter.html', { keepsCsp: true })
    expect(await page.locator('h1').count()).toBe(1)
    expect(await page.getByRole('heading', { level: 2 }).allInnerTexts()).toEqual([
      'Ymweliad gwell gan arolygydd cyswllt â Chyngor Sir Ceredigion: adborth', 'Enhanced link inspector visit to Ceredigion County Council: feedback',
    ])
    expect(await page.getByRole('region').evaluateAll((rs) => rs.map((r) => r.getAttribute('lang')))).toEqual(['cy', 'en'])

    const file = path.join(dir, 'printed.pdf')
    await page.pdf({ path: file, format: 'A4' })
    const text = (await run('pdftotext', ['-enc', 'UTF-8', file, '-'])).stdout
    const pages = text.split('\f').filter((p) => p.trim())
    const englishFrom = pages.findIndex((p) => p.includes('Enhanced link inspector visit'))
    expect(englishFrom).toBeGreaterThan(0)
    pages.forEach((p, i) => expect(p).toContain(i < englishFrom ? `Tudalen ${i + 1} o ${pages.length}` : `Page ${i + 1} of ${pages.length}`))
    await page.close()
  })
})

import fs from 'node:fs'
import mammoth from 'mammoth'
import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp, type Browser } from '../../../test/helpers/test-app.ts'
import { fixedClock } from '../../clock.ts'
import { systemActor } from '../auth/actor.ts'
import { DEMO_BUNDLE } from '../core-inspections/core-inspections.demo.ts'

const NOW = '2024-11-14T10:00:00.000Z'
const YEAR = '2023-2024'

/** Text of an HTML fragment with tags gone, entities read and spaces collapsed. */
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#39;|&#x27;/g, '\'').replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim()
const h1 = (html: string) => text(/<h1[^>]*>([\s\S]*?)<\/h1>/.exec(html)?.[1] ?? '')
const flashOf = async (browser: Browser, url: string) => /govuk-notification-banner__heading">\s*([^<]+)/.exec((await browser.get(url)).body)?.[1]?.trim()
/** The Reword links of the summary page, with the point each is for. */
const rewordLinks = (html: string) => [...html.matchAll(/<tr class="govuk-table__row" data-key="([^"]*)">[\s\S]*?<a class="govuk-link" href="([^"]*point\?[^"]*)">/g)]
  .map((m) => ({ key: m[1]!.replace(/&amp;/g, '&').replace(/&#39;/g, '\''), href: m[2]!.replace(/&amp;/g, '&') }))

for (const engine of testEngines()) {
  describe(`Early Insights pages on ${engine.name}`, () => {
    const ctx = useTestApp(engine, { clock: fixedClock(NOW) })
    const imported = async () => {
      if ((await ctx.services.coreInspections.years()).includes(YEAR)) return
      await ctx.services.coreInspections.importText(systemActor('test'), fs.readFileSync(DEMO_BUNDLE, 'utf8'))
    }

    it('is in the navigation of administrators, reviewers and HMIs only; others may not see it or change it', async () => {
      await imported()
      for (const role of ['admin', 'reviewer', 'hmi'] as const) {
        const { browser } = await ctx.signedIn(role)
        const home = await browser.get('/')
        expect(home.body, role).toContain('href="/insights"')
        expect((await browser.get('/insights')).statusCode, role).toBe(200)
        expect((await browser.get(`/insights/${YEAR}`)).statusCode, role).toBe(200)
      }
      for (const role of ['peer', 'la'] as const) {
        const { browser } = await ctx.signedIn(role)
        expect((await browser.get('/')).body, role).not.toContain('href="/insights"')
        for (const url of ['/insights', `/insights/${YEAR}`, `/insights/${YEAR}/summary.pdf?lang=en`]) expect((await browser.get(url)).statusCode, `${role} ${url}`).toBe(403)
      }
      // An HMI reads, but neither rewords nor publishes: no button, no links, and the posts are refused.
      const { browser: hmi } = await ctx.signedIn('hmi')
      const page = (await hmi.get(`/insights/${YEAR}`)).body
      expect(page).not.toMatch(/>\s*Publish\s*<\/button>/)
      expect(rewordLinks(page)).toEqual([])
      const key = 'recommendation|professional-relationships'
      expect((await hmi.get(`/insights/${YEAR}/point?key=${encodeURIComponent(key)}&lang=en`)).statusCode).toBe(403)
      expect((await hmi.post(`/insights/${YEAR}/publish`, {}, { from: `/insights/${YEAR}` })).statusCode).toBe(403)
      expect((await hmi.post(`/insights/${YEAR}/point`, { key, lang: 'en', text: 'No.' }, { from: `/insights/${YEAR}` })).statusCode).toBe(403)
      expect(await ctx.services.database.db.selectFrom('insights_edit').selectAll().execute()).toEqual([])
      // Signed out: to the sign-in page, coming back here afterwards.
      const anonymous = await ctx.browser().get(`/insights/${YEAR}`)
      expect(anonymous.statusCode).toBe(302)
      expect(anonymous.headers.location).toBe(`/sign-in?next=${encodeURIComponent(`/insights/${YEAR}`)}`)
    })

    it('chooses the latest year with core inspections, goes to the year asked for, and refuses a bad one with the form kept', async () => {
      await imported()
      const { browser } = await ctx.signedIn('hmi')
      const form = await browser.get('/insights')
      expect(h1(form.body)).toBe('Early Insights')
      expect(form.body).toMatch(/<input[^>]*name="year"[^>]*value="2023-2024"/)
      expect(form.body).toContain(`href="/insights/${YEAR}"`)

      const go = await browser.get('/insights?year=2023-2024')
      expect(go.statusCode).toBe(303)
      expect(go.headers.location).toBe(`/insights/${YEAR}`)
      expect((await browser.get('/insights?year=+2022-2023..2023-2024+')).headers.location).toBe('/insights/2022-2023..2023-2024')

      const bad = await browser.get('/insights?year=2023-2025')
      expect(bad.statusCode).toBe(400)
      expect(bad.body).toContain('There is a problem')
      expect(bad.body).toContain('<a href="#year">Give an academic year such as 2023-2024, or a range such as 2022-2023..2023-2024.</a>')
      expect(bad.body).toMatch(/<input[^>]*name="year"[^>]*value="2023-2025"/)
    })

    it('answers a year written wrongly with a 400 page saying how to write it', async () => {
      const { browser } = await ctx.signedIn('hmi')
      for (const url of ['/insights/2023', '/insights/2024-2023', `/insights/${YEAR}/summary.docx?lang=en`.replace(YEAR, 'next-year')]) {
        const res = await browser.get(url)
        expect(res.statusCode, url).toBe(400)
        expect(res.body, url).toContain('Give an academic year such as 2023-2024, or a range such as 2022-2023..2023-2024.')
      }
    })

    it('says clearly that there is nothing to summarise in a year without core inspections: no error, nothing to publish', async () => {
      const { browser } = await ctx.signedIn('reviewer')
      const res = await browser.get('/insights/2019-2020')
      expect(res.statusCode).toBe(200)
      expect(h1(res.body)).toBe('Early Insights 2019-2020')
      expect(text(res.body)).toContain('No core inspections are recorded for 2019-2020, so there is nothing to summarise yet.')
      expect(res.body).not.toMatch(/>\s*Publish\s*<\/button>/)
      expect(res.body).not.toContain('summary.pdf')
      const publish = await browser.post('/insights/2019-2020/publish', {}, { from: '/insights/2019-2020' })
      expect(publish.statusCode).toBe(409)
      expect(text(publish.body)).toContain('There is nothing to publish: no core inspections are recorded for this period.')
    })

    it('shows the summary in the reader\'s language, with the publication state and downloads in both languages', async () => {
      await imported()
      const { browser } = await ctx.signedIn('hmi')
      const en = await browser.get(`/insights/${YEAR}`)
      expect(en.statusCode).toBe(200)
      expect(en.body).toContain('<html lang="en"')
      expect(h1(en.body)).toBe('Early Insights 2023-2024')
      expect(text(en.body)).toContain('Not published yet: this is a draft.')
      expect(text(en.body)).toContain('Overview of recommendations')
      expect(en.body).toContain('Effective practice identified during inspection')
      for (const l of ['en', 'cy']) for (const f of ['html', 'docx', 'pdf']) expect(en.body).toContain(`href="/insights/${YEAR}/summary.${f}?lang=${l}"`)
      expect(text(en.body)).toContain('PDF in Welsh')

      await browser.get(`/language/cy?back=${encodeURIComponent(`/insights/${YEAR}`)}`)
      const cy = await browser.get(`/insights/${YEAR}`)
      expect(cy.body).toContain('<html lang="cy"')
      expect(h1(cy.body)).toBe('Mewnwelediadau Cynnar 2023-2024')
      expect(text(cy.body)).toContain('Heb ei gyhoeddi eto: drafft yw hwn.')
      expect(text(cy.body)).toContain('PDF yn Saesneg')
      expect(cy.body).not.toContain('Overview of recommendations')
    })

    it('serves each format in each language as an attachment with a safe name', async () => {
      await imported()
      const { browser } = await ctx.signedIn('hmi')
      const html = await browser.get(`/insights/${YEAR}/summary.html?lang=cy`)
      expect(html.statusCode).toBe(200)
      expect(html.headers['content-type']).toBe('text/html; charset=utf-8')
      expect(html.headers['content-disposition']).toBe('attachment; filename="early-insights-2023-2024-cy.html"')
      expect(html.headers['content-security-policy']).toMatch(/^default-src 'none'/)
      expect(html.body).toContain('<html lang="cy">')
      expect(html.body).toContain('Mewnwelediadau Cynnar 2023-2024')

      const docx = await browser.get(`/insights/${YEAR}/summary.docx?lang=en`)
      expect(docx.headers['content-disposition']).toBe('attachment; filename="early-insights-2023-2024-en.docx"')
      expect(docx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document')
      expect((await mammoth.extractRawText({ buffer: docx.rawPayload })).value).toContain('Early Insights 2023-2024')

      const pdf = await browser.get(`/insights/${YEAR}/summary.pdf`)
      expect(pdf.headers['content-type']).toBe('application/pdf')
      // Without ?lang=, the reader's language.
      expect(pdf.headers['content-disposition']).toBe('attachment; filename="early-insights-2023-2024-en.pdf"')
      expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-')
      expect((await browser.get(`/insights/${YEAR}/summary.odt?lang=en`)).statusCode).toBe(404)
    })

    it('lets a reviewer reword a point beside its generated sentence, keeps both, refuses an empty wording, and resets it', async () => {
      await imported()
      const { browser, user } = await ctx.signedIn('reviewer')
      const page = (await browser.get(`/insights/${YEAR}`)).body
      expect(page).toMatch(/>\s*Publish\s*<\/button>/)
      const links = rewordLinks(page)
      const summary = await ctx.services.insights.summary(YEAR, 'en')
      const keys = [...summary.areas.flatMap((a) => [...a.goingWell, ...a.needsToImprove]), ...summary.recommendations].map((p) => p.key)
      // One Reword link for every point, in the summary's order (recommendations last).
      expect(links.map((l) => l.key).sort()).toEqual([...keys].sort())
      expect(text(page)).toContain(`Reword a point (${keys.length} points, 0 reworded)`)

      const rec = summary.recommendations[0]!
      const link = links.find((l) => l.key === rec.key)!
      expect(link.href).toBe(`/insights/${YEAR}/point?key=${encodeURIComponent(rec.key)}&lang=en`)
      const form = await browser.get(link.href)
      expect(form.statusCode).toBe(200)
      expect(h1(form.body)).toBe('Reword a point')
      expect(text(form.body)).toContain(`Generated wording ${rec.sentence}`)
      expect(form.body).toMatch(new RegExp(`<textarea[^>]*name="text"[^>]*>${rec.sentence}</textarea>`))
      expect(form.body).not.toContain('Use the generated wording')

      const empty = await browser.post(link.href, { key: rec.key, lang: 'en', text: '   ', action: 'save' })
      expect(empty.statusCode).toBe(400)
      expect(empty.body).toContain('<a href="#text">Write the wording of the point, or reset it to the generated sentence.</a>')

      const wording = 'Half of the local authorities received a recommendation on professional relationships with schools.'
      const saved = await browser.post(link.href, { key: rec.key, lang: 'en', text: wording, action: 'save' })
      expect(saved.statusCode).toBe(303)
      expect(saved.headers.location).toBe(`/insights/${YEAR}`)
      expect(await flashOf(browser, `/insights/${YEAR}`)).toBe('The wording of the point was saved')
      const after = (await browser.get(`/insights/${YEAR}`)).body
      expect(text(after)).toContain(wording)
      expect(text(after)).toContain(`Reword a point (${keys.length} points, 1 reworded)`)
      // The generated sentence is kept beside the edit, and the Welsh summary is not touched.
      const again = await browser.get(link.href)
      expect(text(again.body)).toContain(`Generated wording ${rec.sentence}`)
      expect(again.body).toContain(`>${wording}</textarea>`)
      expect(text(again.body)).toContain(`Reworded by ${user.name} on 14 November 2024.`)
      expect((await ctx.services.insights.summary(YEAR, 'cy')).recommendations[0]!.edited).toBeNull()

      const reset = await browser.post(link.href, { key: rec.key, lang: 'en', text: wording, action: 'reset' }, { from: link.href })
      expect(reset.statusCode).toBe(303)
      expect(await flashOf(browser, `/insights/${YEAR}`)).toBe('The point is back to its generated wording')
      expect((await ctx.services.insights.summary(YEAR, 'en')).recommendations[0]!.edited).toBeNull()

      expect((await browser.get(`/insights/${YEAR}/point?key=no-such-point&lang=en`)).statusCode).toBe(404)
    })

    it('lets a reviewer reword the Welsh summary\'s point from the Welsh page', async () => {
      await imported()
      const { browser } = await ctx.signedIn('reviewer')
      await browser.get(`/language/cy?back=${encodeURIComponent(`/insights/${YEAR}`)}`)
      const link = rewordLinks((await browser.get(`/insights/${YEAR}`)).body)[0]!
      expect(link.href).toMatch(/&lang=cy$/)
      const form = await browser.get(link.href)
      expect(h1(form.body)).toBe('Aileirio pwynt')
      const res = await browser.post(link.href, { key: link.key, lang: 'cy', text: 'Geiriad newydd.', action: 'save' })
      expect(res.statusCode).toBe(303)
      const cy = await ctx.services.insights.summary(YEAR, 'cy')
      const point = [...cy.areas.flatMap((a) => [...a.goingWell, ...a.needsToImprove]), ...cy.recommendations].find((p) => p.key === link.key)!
      expect(point.edited?.text).toBe('Geiriad newydd.')
      expect(point.sentence).not.toBe('Geiriad newydd.')
      await browser.post(link.href, { key: link.key, lang: 'cy', action: 'reset' })
    })

    it('publishes, then shows when and by whom', async () => {
      await imported()
      const { browser, user } = await ctx.signedIn('reviewer')
      const res = await browser.post(`/insights/${YEAR}/publish`, {}, { from: `/insights/${YEAR}` })
      expect(res.statusCode).toBe(303)
      expect(res.headers.location).toBe(`/insights/${YEAR}`)
      expect(await flashOf(browser, `/insights/${YEAR}`)).toBe('Early Insights 2023-2024 published')
      const page = (await browser.get(`/insights/${YEAR}`)).body
      expect(text(page)).toContain(`Published on 14 November 2024 by ${user.name}.`)
      expect(page).toMatch(/>\s*Publish again\s*<\/button>/)
      const events = await ctx.services.database.db.selectFrom('audit_event').select(['action']).where('action', '=', 'insights.publish').execute()
      expect(events).toHaveLength(1)
    })
  })
}

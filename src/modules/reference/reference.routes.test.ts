import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { ADMIN_EMAIL, ADMIN_PASSWORD, useTestApp, type Browser } from '../../../test/helpers/test-app.ts'
import { ROLES } from '../../db/schema.ts'
import { systemActor } from '../auth/actor.ts'

/** The hidden version field of a form page. */
function versionIn(html: string): string {
  const m = /name="version" value="(\d+)"/.exec(html)
  if (!m?.[1]) throw new Error('no version field on the page')
  return m[1]
}

/** A date as the three boxes of a GOV.UK date input. */
function dateBoxes(name: string, iso: string): Record<string, string> {
  const [year, month, day] = iso.split('-')
  return { [`${name}-day`]: String(Number(day)), [`${name}-month`]: String(Number(month)), [`${name}-year`]: year! }
}

/** The text of the error summary's links, in order. */
function summaryErrors(html: string): string[] {
  const summary = /govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? ''
  return [...summary.matchAll(/<a href="[^"]*">([^<]*)<\/a>/g)].map((m) => m[1]!.trim())
}

for (const engine of testEngines()) {
  describe(`reference data pages and API on ${engine.name}`, () => {
    const ctx = useTestApp(engine)

    async function adminBrowser(): Promise<Browser> {
      const browser = ctx.browser()
      const res = await browser.signIn(ADMIN_EMAIL, ADMIN_PASSWORD)
      expect(res.statusCode).toBe(303)
      return browser
    }

    describe('local authorities', () => {
      it('lists the 22 authorities with both names, the Welsh marked as Welsh, each linking to its edit page', async () => {
        const browser = await adminBrowser()
        const res = await browser.get('/admin/authorities')
        expect(res.statusCode).toBe(200)
        expect(res.body).toContain('<caption class="govuk-table__caption govuk-table__caption--m">The 22 local authorities of Wales</caption>')
        expect(res.body.match(/<tr class="govuk-table__row">/g)).toHaveLength(23)
        expect(res.body).toContain('<td class="govuk-table__cell" lang="cy">Caerdydd</td>')
        expect(res.body).toContain('<td class="govuk-table__cell" lang="cy">Ynys Môn</td>')
        expect(res.body).toContain('href="/admin/authorities/W06000015"')
        // The sub-navigation marks the section the page belongs to.
        expect(res.body).toMatch(/href="\/admin\/authorities" aria-current="page"/)
        expect(res.body).toContain('href="/admin/terms"')
        expect(res.body).toContain('href="/admin/frameworks"')
      })

      it('lets an admin edit an authority: saved, audited, shown on the list, Welsh name kept', async () => {
        const browser = await adminBrowser()
        const form = await browser.get('/admin/authorities/W06000015')
        expect(form.statusCode).toBe(200)
        expect(form.body).toMatch(/id="nameCy" name="nameCy" type="text" spellcheck="false" value="Caerdydd"\s+lang="cy"/)
        expect(form.body).toContain('Save changes')
        const res = await browser.post('/admin/authorities/W06000015', {
          nameEn: 'Cardiff', nameCy: 'Caerdydd', directorName: 'Rhiannon Evans', directorEmail: 'Rhiannon.Evans@cardiff.example',
          preferredLanguage: 'en', version: versionIn(form.body),
        })
        expect(res.statusCode).toBe(303)
        expect(res.headers.location).toBe('/admin/authorities')
        const list = await browser.get('/admin/authorities')
        expect(list.body).toContain('Changes to Cardiff saved')
        expect(list.body).toContain('Rhiannon Evans')
        expect(list.body).toContain('rhiannon.evans@cardiff.example')
        expect(list.body).toContain('<td class="govuk-table__cell" lang="cy">Caerdydd</td>')
        const saved = await ctx.services.reference.getAuthority('W06000015')
        expect(saved).toMatchObject({ name_cy: 'Caerdydd', director_name: 'Rhiannon Evans', preferred_language: 'en', version: 2 })
        const { items } = await ctx.services.audit.list({ action: 'authority.update', entityId: 'W06000015' }, { limit: 5, offset: 0 })
        expect(items).toHaveLength(1)
        expect(items[0]!.actor_label).toContain(ADMIN_EMAIL)
        expect(JSON.parse(items[0]!.details)).toMatchObject({
          director_name: { from: null, to: 'Rhiannon Evans' },
          preferred_language: { from: 'cy', to: 'en' },
        })
        // The flash is shown once only.
        expect((await browser.get('/admin/authorities')).body).not.toContain('Changes to Cardiff saved')
      })

      it('re-renders an invalid form with 400, the error summary and what was typed', async () => {
        const browser = await adminBrowser()
        const form = await browser.get('/admin/authorities/W06000011')
        const res = await browser.post('/admin/authorities/W06000011', {
          nameEn: 'Swansea', nameCy: 'Abertawe', directorName: 'Gareth Morgan', directorEmail: 'not-an-email',
          preferredLanguage: 'cy', version: versionIn(form.body),
        })
        expect(res.statusCode).toBe(400)
        expect(res.body).toContain('<title>Error: Swansea')
        expect(summaryErrors(res.body)).toEqual(['Enter Director’s e-mail address in the correct format, like name@example.gov.wales'])
        expect(res.body).toContain('href="#directorEmail"')
        expect(res.body).toContain('value="not-an-email"')
        expect(res.body).toContain('value="Gareth Morgan"')
        expect((await ctx.services.reference.getAuthority('W06000011')).director_name).toBeNull()
      })

      it('refuses a save from an out-of-date form with 409 and keeps the other person’s change', async () => {
        const first = await adminBrowser()
        const second = await adminBrowser()
        const formA = await first.get('/admin/authorities/W06000020')
        const formB = await second.get('/admin/authorities/W06000020')
        const fields = { nameEn: 'Torfaen', nameCy: 'Tor-faen', directorEmail: '', preferredLanguage: 'cy' }
        expect((await first.post('/admin/authorities/W06000020', { ...fields, directorName: 'First editor', version: versionIn(formA.body) })).statusCode).toBe(303)
        const res = await second.post('/admin/authorities/W06000020', { ...fields, directorName: 'Second editor', version: versionIn(formB.body) })
        expect(res.statusCode).toBe(409)
        expect(res.body).toContain('Someone else changed this record after you opened it')
        expect(res.body).toContain('value="Second editor"')
        expect(res.body).toContain('href="#version"')
        expect(res.body).toContain('id="version"')
        expect((await ctx.services.reference.getAuthority('W06000020')).director_name).toBe('First editor')
      })

      it('answers 404 for an authority that does not exist', async () => {
        const browser = await adminBrowser()
        expect((await browser.get('/admin/authorities/W06999999')).statusCode).toBe(404)
        const res = await browser.post('/admin/authorities/W06999999', { nameEn: 'Nowhere', nameCy: 'Unman', preferredLanguage: 'cy', version: '1' }, { from: '/admin/authorities' })
        expect(res.statusCode).toBe(404)
        expect(res.body).toContain('Page not found')
      })
    })

    describe('terms', () => {
      it('lists the six academic years with their three terms, dates formatted, in English and Welsh', async () => {
        const browser = await adminBrowser()
        const res = await browser.get('/admin/terms')
        expect(res.statusCode).toBe(200)
        for (const year of ['2024 to 2025', '2025 to 2026', '2026 to 2027', '2027 to 2028', '2028 to 2029', '2029 to 2030']) {
          expect(res.body).toContain(`>Academic year ${year}</caption>`)
        }
        expect(res.body.match(/href="\/admin\/terms\/\d{4}-\d{4}\/(autumn|spring|summer)"/g)).toHaveLength(18)
        expect(res.body).toContain('2025-2026/spring')
        expect(res.body).toMatch(/>Spring<\/th>\s*<td class="govuk-table__cell">2025-2026\/spring<\/td>\s*<td class="govuk-table__cell">5 January 2026<\/td>\s*<td class="govuk-table__cell">27 March 2026<\/td>/)
        await browser.get('/language/cy?back=%2Fadmin%2Fterms')
        const welsh = await browser.get('/admin/terms')
        expect(welsh.body).toContain('Blwyddyn academaidd 2025 i 2026')
        expect(welsh.body).toMatch(/>Gwanwyn<\/th>\s*<td class="govuk-table__cell">2025-2026\/spring<\/td>\s*<td class="govuk-table__cell">5 Ionawr 2026<\/td>/)
      })

      it('saves new dates given as day, month and year boxes', async () => {
        const browser = await adminBrowser()
        const url = '/admin/terms/2027-2028/summer'
        const form = await browser.get(url)
        expect(form.statusCode).toBe(200)
        expect(form.body).toContain('<h1 class="govuk-heading-l">Summer term 2027 to 2028</h1>')
        expect(form.body).toContain('name="startsOn-day"')
        const res = await browser.post(url, { ...dateBoxes('startsOn', '2028-04-24'), ...dateBoxes('endsOn', '2028-07-19'), version: versionIn(form.body) })
        expect(res.statusCode).toBe(303)
        expect(res.headers.location).toBe('/admin/terms')
        expect((await browser.get('/admin/terms')).body).toContain('Summer term 2027 to 2028: dates saved')
        expect(await ctx.services.reference.getTerm('2027-2028/summer')).toMatchObject({ starts_on: '2028-04-24', ends_on: '2028-07-19', version: 2 })
        const { items } = await ctx.services.audit.list({ action: 'term.update', entityId: '2027-2028/summer' }, { limit: 5, offset: 0 })
        expect(items).toHaveLength(1)
      })

      it('refuses an end before the start', async () => {
        const browser = await adminBrowser()
        const url = '/admin/terms/2026-2027/spring'
        const form = await browser.get(url)
        const res = await browser.post(url, { ...dateBoxes('startsOn', '2027-03-10'), ...dateBoxes('endsOn', '2027-01-20'), version: versionIn(form.body) })
        expect(res.statusCode).toBe(400)
        expect(summaryErrors(res.body)).toEqual(['The end date must be after the start date'])
        expect(res.body).toContain('href="#endsOn-day"')
        expect(res.body).toContain('name="startsOn-day" type="text" value="10"')
        expect((await ctx.services.reference.getTerm('2026-2027/spring')).version).toBe(1)
      })

      it('refuses dates that overlap the terms before and after, naming them', async () => {
        const browser = await adminBrowser()
        const url = '/admin/terms/2025-2026/spring'
        const form = await browser.get(url)
        const res = await browser.post(url, { ...dateBoxes('startsOn', '2025-12-15'), ...dateBoxes('endsOn', '2026-04-20'), version: versionIn(form.body) })
        expect(res.statusCode).toBe(400)
        expect(summaryErrors(res.body)).toEqual([
          'The start date must be after the end of the term before (2025-2026/autumn)',
          'The end date must be before the start of the term after (2025-2026/summer)',
        ])
        expect(await ctx.services.reference.getTerm('2025-2026/spring')).toMatchObject({ starts_on: '2026-01-05', ends_on: '2026-03-27' })
      })

      it('treats an incomplete or impossible date as a field error, marking the wrong box', async () => {
        const browser = await adminBrowser()
        const url = '/admin/terms/2028-2029/spring'
        const form = await browser.get(url)
        const res = await browser.post(url, {
          'startsOn-day': '30', 'startsOn-month': '2', 'startsOn-year': '2029',
          'endsOn-day': '', 'endsOn-month': '3', 'endsOn-year': '2029',
          version: versionIn(form.body),
        })
        expect(res.statusCode).toBe(400)
        expect(summaryErrors(res.body)).toEqual(['Start date must be a real date', 'End date must include a day, month and year'])
        expect(res.body).toContain('href="#startsOn-day"')
        expect(res.body).toContain('class="govuk-input govuk-date-input__input govuk-input--error govuk-input--width-2" id="startsOn-day"')
        expect(res.body).toContain('class="govuk-input govuk-date-input__input govuk-input--width-2" id="startsOn-month"')
        expect(res.body).toContain('value="30"')
        const empty = await browser.post(url, { version: versionIn(form.body) })
        expect(summaryErrors(empty.body)).toEqual(['Enter Start date', 'Enter End date'])
        expect((await ctx.services.reference.getTerm('2028-2029/spring')).version).toBe(1)
      })

      it('answers 404 for a term that does not exist', async () => {
        const browser = await adminBrowser()
        expect((await browser.get('/admin/terms/2099-2100/autumn')).statusCode).toBe(404)
        expect((await browser.get('/admin/terms/2025-2026/winter')).statusCode).toBe(404)
      })
    })

    describe('frameworks', () => {
      it('lists the framework versions with their dates', async () => {
        const browser = await adminBrowser()
        const res = await browser.get('/admin/frameworks')
        expect(res.statusCode).toBe(200)
        expect(res.body).toContain('Local government education services (from September 2024)')
        expect(res.body).toContain('lang="cy">Gwasanaethau addysg llywodraeth leol (o fis Medi 2024)</td>')
        expect(res.body).toContain('1 September 2018')
        expect(res.body).toContain('31 August 2022')
        expect(res.body).toContain('Still in use')
        for (const key of ['lges-2024', 'lges-2022', 'lges-2018']) expect(res.body).toContain(`href="/admin/frameworks/${key}"`)
      })

      it('shows a framework’s areas and sub-areas and renames one', async () => {
        const browser = await adminBrowser()
        const url = '/admin/frameworks/lges-2024'
        const form = await browser.get(url)
        expect(form.statusCode).toBe(200)
        for (const code of ['IA1', '1.1', '1.2', '1.3', 'IA2', '2.1', '2.2', '2.3', '2.4']) expect(form.body).toContain(`>${code}</th>`)
        expect(form.body).toContain('id="area-1-2-nameEn" name="area.1.2.nameEn" type="text" spellcheck="false" value="Support for vulnerable learners"')
        expect(form.body).toMatch(/id="area-1-2-nameCy" name="area\.1\.2\.nameCy" type="text" spellcheck="false" value="Cymorth i ddysgwyr agored i niwed"\s+lang="cy"/)
        const res = await browser.post(url, {
          nameEn: 'Local government education services (from September 2024)',
          nameCy: 'Gwasanaethau addysg llywodraeth leol (o fis Medi 2024)',
          ...dateBoxes('effectiveFrom', '2024-09-01'),
          'area.1.2.nameEn': 'Support for learners with additional needs',
          'area.1.2.nameCy': 'Cymorth i ddysgwyr ag anghenion ychwanegol',
          version: versionIn(form.body),
        })
        expect(res.statusCode).toBe(303)
        expect(res.headers.location).toBe('/admin/frameworks')
        const { framework, areas } = await ctx.services.reference.getFramework('lges-2024')
        expect(framework.effective_to).toBeNull()
        expect(areas.find((a) => a.code === '1.2')).toMatchObject({ name_en: 'Support for learners with additional needs', name_cy: 'Cymorth i ddysgwyr ag anghenion ychwanegol' })
        expect(areas.find((a) => a.code === '1.1')?.name_en).toBe('School improvement services')
        const { items } = await ctx.services.audit.list({ action: 'framework.update', entityId: 'lges-2024' }, { limit: 5, offset: 0 })
        expect(JSON.parse(items[0]!.details)).toMatchObject({ areasRenamed: ['1.2'] })
        expect((await browser.get(url)).body).toContain('value="Support for learners with additional needs"')
      })

      it('keeps what was typed when an area name is cleared, and says which area', async () => {
        const browser = await adminBrowser()
        const url = '/admin/frameworks/lges-2022'
        const form = await browser.get(url)
        const res = await browser.post(url, {
          nameEn: 'Renamed framework', nameCy: 'Fframwaith newydd',
          ...dateBoxes('effectiveFrom', '2022-09-01'), 'effectiveTo-day': '31', 'effectiveTo-month': '6', 'effectiveTo-year': '2024',
          'area.2.nameEn': '', version: versionIn(form.body),
        })
        expect(res.statusCode).toBe(400)
        // Every problem at once: the date the page could not read and the service's own checks.
        expect(summaryErrors(res.body)).toEqual(['In use until must be a real date', '2: Enter English name of the area'])
        expect(res.body).toContain('href="#effectiveTo-day"')
        expect(res.body).toContain('href="#area-2-nameEn"')
        expect(res.body).toContain('name="effectiveTo-month" type="text" value="6"')
        expect(res.body).toContain('value="Renamed framework"')
        expect((await ctx.services.reference.getFramework('lges-2022')).framework.name_en).toBe('Local government education services (2022 to 2024)')
      })
    })

    describe('who may use the pages', () => {
      const pages = ['/admin/authorities', '/admin/authorities/W06000015', '/admin/terms', '/admin/terms/2025-2026/autumn', '/admin/frameworks', '/admin/frameworks/lges-2024']

      it.each(['hmi', 'la'] as const)('refuses a %s user with 403 on every page and form', async (role) => {
        const { browser } = await ctx.signedIn(role)
        for (const url of pages) {
          const res = await browser.get(url)
          expect(res.statusCode, url).toBe(403)
          expect(res.body).toContain('You cannot see this page')
        }
        const post = await browser.post('/admin/authorities/W06000008', { nameEn: 'Hacked', nameCy: 'Hacked', preferredLanguage: 'en', version: '1' }, { from: '/' })
        expect(post.statusCode).toBe(403)
        expect((await ctx.services.reference.getAuthority('W06000008')).name_en).toBe('Ceredigion')
      })

      it('sends a visitor who is not signed in to sign in', async () => {
        const res = await ctx.browser().get('/admin/terms')
        expect(res.statusCode).toBe(302)
        expect(res.headers.location).toBe('/sign-in?next=%2Fadmin%2Fterms')
      })
    })

    describe('API', () => {
      it('answers 401 without a token, in the API error shape', async () => {
        const res = await ctx.app.inject('/api/v1/authorities')
        expect(res.statusCode).toBe(401)
        expect(res.headers['content-type']).toMatch(/^application\/json/)
        expect(res.json()).toEqual({ error: { code: 'unauthenticated', message: expect.stringContaining('Bearer'), details: [] } })
      })

      it('answers 401 for an unknown or revoked token', async () => {
        const unknown = await ctx.app.inject({ url: '/api/v1/authorities', headers: { authorization: 'Bearer cyswllt_not-a-real-token' } })
        expect(unknown.statusCode).toBe(401)
        expect(unknown.json().error.code).toBe('unauthenticated')
        const user = await ctx.make.user('hmi')
        const { token } = await ctx.services.auth.createToken(systemActor('test'), user.email)
        const ok = await ctx.app.inject({ url: '/api/v1/authorities', headers: { authorization: `Bearer ${token}` } })
        expect(ok.statusCode).toBe(200)
        await ctx.services.auth.revokeTokens(systemActor('test'), { token })
        const revoked = await ctx.app.inject({ url: '/api/v1/authorities', headers: { authorization: `Bearer ${token}` } })
        expect(revoked.statusCode).toBe(401)
        expect(revoked.json()).toMatchObject({ error: { code: 'unauthenticated', details: [] } })
      })

      it.each([...ROLES])('lists the 22 authorities to a %s with a valid token', async (role) => {
        const user = await ctx.make.user(role)
        const { token } = await ctx.services.auth.createToken(systemActor('test'), user.email)
        const res = await ctx.app.inject({ url: '/api/v1/authorities', headers: { authorization: `Bearer ${token}` } })
        expect(res.statusCode).toBe(200)
        const { items } = res.json() as { items: Array<Record<string, unknown>> }
        expect(items).toHaveLength(22)
        expect(items.find((a) => a.gssCode === 'W06000022')).toEqual({
          gssCode: 'W06000022', nameEn: 'Newport', nameCy: 'Casnewydd', directorName: null, directorEmail: null, preferredLanguage: 'cy', welshMedium: false, version: 1,
        })
      })

      it('documents /api/v1/authorities in the OpenAPI document', async () => {
        const res = await ctx.app.inject('/api/v1/openapi.json')
        expect(res.statusCode).toBe(200)
        const doc = res.json() as { paths: Record<string, { get?: { responses?: Record<string, unknown> } }> }
        expect(Object.keys(doc.paths)).toContain('/api/v1/authorities')
        expect(Object.keys(doc.paths['/api/v1/authorities']!.get!.responses!)).toEqual(expect.arrayContaining(['200', '401']))
        // Pages are not part of the API document.
        expect(Object.keys(doc.paths).some((p) => p.startsWith('/admin'))).toBe(false)
      })

      it('answers malformed JSON with a 400 or 404 JSON error, never 500', async () => {
        const user = await ctx.make.user('admin')
        const { token } = await ctx.services.auth.createToken(systemActor('test'), user.email)
        for (const url of ['/api/v1/authorities', '/api/v1/no-such-thing']) {
          const res = await ctx.app.inject({
            method: 'POST', url, payload: '{"nameEn": ',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          })
          expect([400, 404], url).toContain(res.statusCode)
          expect(res.headers['content-type']).toMatch(/^application\/json/)
          expect(res.json().error).toMatchObject({ code: expect.any(String), message: expect.any(String), details: expect.any(Array) })
        }
      })
    })
  })
}

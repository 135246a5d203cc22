import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { csrfTokenIn, useTestApp, type Browser } from '../../../test/helpers/test-app.ts'
import { systemActor } from '../auth/actor.ts'
import { BUNDLE_SCHEMA } from './core-inspections.bundle.ts'
import { DEMO_BUNDLE } from './core-inspections.demo.ts'

const EXAMPLE = fs.readFileSync(DEMO_BUNDLE, 'utf8')

/** The error summary's items, as text. */
const summary = (html: string) => [...html.matchAll(/<li>\s*<a href="([^"]*)">([^<]*)<\/a>/g)].map((m) => [m[1], m[2]!.replace(/&#39;|&#x27;/g, '\'').replace(/&quot;/g, '"').trim()])
const flashOf = async (browser: Browser, url: string) => /govuk-notification-banner__heading">\s*([^<]+)/.exec((await browser.get(url)).body)?.[1]?.trim()

for (const engine of testEngines()) {
  describe(`core inspection pages on ${engine.name}`, () => {
    const ctx = useTestApp(engine)

    it('is reached from the admin index, and only by administrators', async () => {
      const { browser } = await ctx.signedIn('admin')
      expect((await browser.get('/admin')).body).toContain('href="/admin/core-inspections"')
      const list = await browser.get('/admin/core-inspections')
      expect(list.statusCode).toBe(200)
      expect(list.body).toContain('No core inspections are recorded yet.')
      const { browser: hmi } = await ctx.signedIn('hmi')
      for (const url of ['/admin/core-inspections', '/admin/core-inspections/import', '/admin/core-inspections/new']) expect((await hmi.get(url)).statusCode).toBe(403)
    })

    it('imports a pasted bundle: every problem listed by its JSON Pointer, the text kept; then a good one, and again', async () => {
      const { browser } = await ctx.signedIn('admin')
      const bad = EXAMPLE.replace('"W06000006"', '"W06000099"').replace('"kind": "going_well"', '"kind": "going_fine"')
      const refused = await browser.post('/admin/core-inspections/import', { bundle: bad })
      expect(refused.statusCode).toBe(400)
      expect(summary(refused.body)).toEqual([
        ['#bundle', '/coreInspections/0/findings/0/kind: must be one of "going_well", "needs_to_improve"'],
        ['#bundle', '/coreInspections/1/gssCode: there is no local authority with the code W06000099'],
      ])
      expect(refused.body).toContain('The bundle has 2 problems: nothing was imported')
      expect(refused.body).toContain('<code>/coreInspections/1/gssCode</code>')
      expect(refused.body).toContain('W06000099')
      expect(await ctx.services.coreInspections.list()).toEqual([])

      const imported = await browser.post('/admin/core-inspections/import', { bundle: EXAMPLE })
      expect(imported.statusCode).toBe(303)
      expect(imported.headers.location).toBe('/admin/core-inspections')
      expect(await flashOf(browser, '/admin/core-inspections')).toBe('Import done: 4 created, 0 updated, 0 unchanged; 8 new themes')

      // The same file, uploaded this time: nothing changes.
      const again = await browser.postFile('/admin/core-inspections/import', {}, { field: 'file', filename: 'core.json', content: EXAMPLE, type: 'application/json' })
      expect(again.statusCode).toBe(303)
      expect(await flashOf(browser, '/admin/core-inspections')).toBe('Import done: 0 created, 0 updated, 4 unchanged')
      const list = (await browser.get('/admin/core-inspections?year=2023-2024')).body
      expect(list).toContain('2023 to 2024: 4 core inspections')
      for (const name of ['Gwynedd', 'Wrexham', 'Swansea', 'Carmarthenshire']) expect(list).toContain(name)
    })

    it('refuses what is not JSON, with one problem for the whole file', async () => {
      const { browser } = await ctx.signedIn('admin')
      const res = await browser.post('/admin/core-inspections/import', { bundle: '{ "coreInspections": [ }' })
      expect(res.statusCode).toBe(400)
      expect(summary(res.body)[0]![1]).toMatch(/^the whole file: the bundle is not valid JSON/)
    })

    it('offers the JSON Schema for download', async () => {
      const { browser } = await ctx.signedIn('admin')
      const res = await browser.get('/admin/core-inspections/import/schema.json')
      expect(res.statusCode).toBe(200)
      expect(res.headers['content-type']).toMatch(/^application\/schema\+json/)
      expect(JSON.parse(res.body)).toEqual(BUNDLE_SCHEMA)
    })

    it('shows an inspection in full: each text in the language it was written in, with the other language', async () => {
      const { browser } = await ctx.signedIn('admin')
      const gwynedd = (await ctx.services.coreInspections.list('2023-2024')).find((i) => i.gssCode === 'W06000002')!
      const page = await browser.get(`/admin/core-inspections/${gwynedd.id}`)
      expect(page.statusCode).toBe(200)
      expect(page.body).toContain('Gwynedd: core inspection 2023 to 2024')
      expect(page.body).toContain('<p class="govuk-body govuk-!-margin-bottom-1" lang="cy">Cryfhau prosesau hunanwerthuso')
      expect(page.body).toMatch(/In English:<\/span> <span lang="en">Strengthen self-evaluation processes/)
      expect(page.body).toContain('href="https://reports.demo.cyswllt.invalid/core/W06000002"')
      expect(page.body).toContain('Local government education services (2022 to 2024)')
      expect(page.body).toContain('Pa mor effeithiol yw trefniadau’r awdurdod lleol')
      expect((page.body.match(/<h1 /g) ?? []).length).toBe(1)
      // In Welsh, the interface is Welsh and the record's text is as recorded.
      const welsh = await browser.get(`/admin/core-inspections/${gwynedd.id}`, { cookie: `${[...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ')}; cyswllt_lang=cy` })
      expect(welsh.body).toContain('Gwynedd: arolygiad craidd 2023 i 2024')
      expect(welsh.body).toMatch(/Yn Saesneg:<\/span> <span lang="en">Strengthen/)
      expect((await browser.get('/admin/core-inspections/999999')).statusCode).toBe(404)
    })

    it('records a new inspection, then its parts one at a time: add, change and remove, with problems shown on the form', async () => {
      const { browser } = await ctx.signedIn('admin')
      const empty = await browser.post('/admin/core-inspections/new', { gssCode: '', academicYear: '2021-2023', 'startsOn-day': '31', 'startsOn-month': '2', 'startsOn-year': '2022' })
      expect(empty.statusCode).toBe(400)
      expect(summary(empty.body)).toEqual([
        ['#gssCode', 'Select the local authority'],
        ['#academicYear', 'Academic year: 2021-2023 is not an academic year: the second year must follow the first, such as 2023-2024'],
        ['#startsOn-day', 'The first day of the inspection must be a real date'],
      ])
      expect(empty.body).toContain('value="2021-2023"')

      const created = await browser.post('/admin/core-inspections/new', {
        gssCode: 'W06000023', academicYear: '2021-2022', framework: 'lges-2018', 'startsOn-day': '7', 'startsOn-month': '3', 'startsOn-year': '2022',
        'endsOn-day': '11', 'endsOn-month': '3', 'endsOn-year': '2022', medium: 'english', reportUrl: 'https://example.org/powys',
      })
      expect(created.statusCode).toBe(303)
      const id = Number(/\/admin\/core-inspections\/(\d+)$/.exec(String(created.headers.location))![1])
      const page = `/admin/core-inspections/${id}`
      expect(await flashOf(browser, page)).toBe('Core inspection of Powys for 2021 to 2022 recorded')
      expect((await browser.get(page)).body).toContain('7 March 2022 to 11 March 2022')

      /** The version a form carries in its hidden field. */
      const versionOn = async (url: string) => /name="version" value="(\d+)"/.exec((await browser.get(url)).body)![1]!

      // A recommendation: a problem first, then saved.
      const addRec = `${page}/recommendations/new`
      const form = await browser.get(addRec)
      expect(form.body).toContain('value="R1"')
      const badRec = await browser.post(addRec, { ref: 'R1', text: ' ', lang: 'en', themes: 'attendance', version: await versionOn(addRec) })
      expect(badRec.statusCode).toBe(400)
      expect(summary(badRec.body)).toEqual([['#text', 'Enter the recommendation']])
      expect(badRec.body).toMatch(/value="attendance" checked/)
      expect((await browser.post(addRec, { ref: 'R1', text: 'Improve attendance in secondary schools', lang: 'en', themes: 'attendance', version: await versionOn(addRec) })).statusCode).toBe(303)
      const view = await ctx.services.coreInspections.get(id)
      expect(view.recommendations).toMatchObject([{ ref: 'R1', text: 'Improve attendance in secondary schools', themes: [{ key: 'attendance' }] }])

      // A finding: its area one of the framework's.
      const addFinding = `${page}/findings/new`
      expect((await browser.get(addFinding)).body).toContain('<option value="Leadership and management">3 Leadership and management</option>')
      expect((await browser.post(addFinding, { area: 'Leadership and management', kind: 'going_well', text: 'Leaders are ambitious.', lang: 'cy', translation: 'Mae arweinwyr yn uchelgeisiol.', version: await versionOn(addFinding) })).statusCode).toBe(303)
      const finding = (await ctx.services.coreInspections.get(id)).findings[0]!
      expect(finding).toMatchObject({ frameworkAreaCode: '3', lang: 'cy', textCy: 'Leaders are ambitious.', textEn: 'Mae arweinwyr yn uchelgeisiol.' })

      // Change it; a stale form is refused and says so.
      const editUrl = `${page}/findings/${finding.id}`
      const editForm = await browser.get(editUrl)
      const version = /name="version" value="(\d+)"/.exec(editForm.body)![1]!
      const changed = await browser.post(editUrl, { area: 'Leadership and management', kind: 'needs_to_improve', text: 'Leaders are ambitious.', lang: 'en', version }, { csrf: csrfTokenIn(editForm.body) })
      expect(changed.statusCode).toBe(303)
      const stale = await browser.post(editUrl, { area: 'Leadership and management', kind: 'going_well', text: 'Late.', lang: 'en', version }, { from: editUrl })
      expect(stale.statusCode).toBe(409)
      expect(stale.body).toContain('Someone else changed this record after you opened it')
      expect((await ctx.services.coreInspections.get(id)).findings[0]).toMatchObject({ kind: 'needs_to_improve', lang: 'en' })

      // Effective practice, then remove it after confirming.
      expect((await browser.post(`${page}/effective-practice/new`, { area: 'Leadership and management', question: 'How well?', text: 'Well.', lang: 'en', version: await versionOn(`${page}/effective-practice/new`) })).statusCode).toBe(303)
      const practice = (await ctx.services.coreInspections.get(id)).effectivePractice[0]!
      const removeUrl = `${page}/effective-practice/${practice.id}/remove`
      expect((await browser.get(removeUrl)).body).toContain('Remove effective practice 1?')
      expect((await browser.post(removeUrl, { version: String((await ctx.services.coreInspections.get(id)).version) })).statusCode).toBe(303)
      expect((await ctx.services.coreInspections.get(id)).effectivePractice).toEqual([])

      // The details change too.
      const details = await browser.post(`${page}/details`, { gssCode: 'W06000023', academicYear: '2021-2022', framework: 'lges-2018', medium: 'welsh', version: String((await ctx.services.coreInspections.get(id)).version) }, { from: `${page}/details` })
      expect(details.statusCode).toBe(303)
      expect(await ctx.services.coreInspections.get(id)).toMatchObject({ medium: 'welsh', startsOn: null, reportUrl: null })
      expect((await browser.get(`${page}/findings/999999`)).statusCode).toBe(404)
      expect((await browser.get(`${page}/nonsense/new`)).statusCode).toBe(404)
    })

    it('lists inspections by year, filtered', async () => {
      await ctx.services.coreInspections.create(systemActor('test'), { gssCode: 'W06000024', academicYear: '2019-2020', recommendations: [], findings: [], effectivePractice: [] })
      const { browser } = await ctx.signedIn('admin')
      const all = (await browser.get('/admin/core-inspections')).body
      expect(all.indexOf('2023 to 2024')).toBeLessThan(all.indexOf('2019 to 2020'))
      const one = (await browser.get('/admin/core-inspections?year=2019-2020')).body
      expect(one).toContain('Merthyr Tydfil')
      expect(one).not.toContain('Gwynedd')
      expect((await browser.get('/admin/core-inspections?year=2010-2011')).body).toContain('No core inspections are recorded for 2010 to 2011.')
    })
  })
}

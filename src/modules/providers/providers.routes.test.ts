import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp } from '../../../test/helpers/test-app.ts'
import { fixedClock } from '../../clock.ts'
import { systemActor } from '../auth/actor.ts'
import { PROVIDER_COLUMNS } from './providers.csv.ts'

const HEADER = PROVIDER_COLUMNS.join(',')
const csv = (...rows: string[]) => [HEADER, ...rows].join('\n')
/** The page's HTML escapes quotes and ampersands; tests compare with what was typed. */
const unescape = (html: string) => html.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>')
const textareaOf = (html: string) => unescape(/<textarea[^>]*name="csv"[^>]*>([\s\S]*?)<\/textarea>/.exec(html)?.[1] ?? '').replace(/^\n/, '')

for (const engine of testEngines()) {
  describe(`provider pages on ${engine.name}`, () => {
    const ctx = useTestApp(engine, { clock: fixedClock('2026-07-01T09:00:00.000Z') })
    const count = async () => Number((await ctx.services.database.db.selectFrom('provider').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)

    it('imports pasted CSV and says how many were added and updated', async () => {
      const { browser } = await ctx.signedIn('admin')
      const page = await browser.get('/admin/providers/import')
      expect(page.statusCode).toBe(200)
      expect(page.body).toContain('<label class="govuk-label govuk-label--m" for="csv">')
      expect(page.body).toContain('CSV file contents')
      expect(page.body).toContain('<code>last_inspected_on</code>')

      const res = await browser.post('/admin/providers/import', { csv: `\uFEFF${csv('W06000008,P-1,Ysgol Aberaeron,primary,2025-03-12,"Good, overall",https://example.org/p1', 'W06000008,P-2,Ysgol Bro Teifi,all_age,,,')}` })
      expect(res.statusCode).toBe(303)
      expect(res.headers.location).toBe('/admin/providers/import')
      const after = await browser.get('/admin/providers/import')
      expect(after.body).toContain('Imported 2 new and updated 0 providers')
      expect(after.body).toContain('2 providers are recorded at present.')

      const again = await browser.post('/admin/providers/import', { csv: csv('W06000008,P-2,Ysgol Bro Teifi,all_age,2026-01-01,,', 'W06000008,P-3,Ysgol Newydd,nursery,,,') })
      expect(again.statusCode).toBe(303)
      expect((await browser.get('/admin/providers/import')).body).toContain('Imported 1 new and updated 1 providers')
    })

    it('imports an uploaded CSV file, and refuses a bad one with the problems listed', async () => {
      const { browser } = await ctx.signedIn('admin')
      const page = await browser.get('/admin/providers/import')
      expect(page.body).toContain('enctype="multipart/form-data"')
      expect(page.body).toMatch(/<input class="govuk-file-upload[^>]*name="file"/)
      const ok = await browser.postFile('/admin/providers/import', { csv: '' }, {
        field: 'file', filename: 'providers.csv', type: 'text/csv',
        content: `\uFEFF${csv('W06000008,UP-1,Ysgol Uwchlwytho,secondary,2025-06-01,"Uploaded, not pasted",')}`,
      })
      expect(ok.statusCode).toBe(303)
      expect((await browser.get('/admin/providers/import')).body).toContain('Imported 1 new and updated 0 providers')
      const before = await count()
      const bad = await browser.postFile('/admin/providers/import', {}, { field: 'file', filename: 'bad.csv', content: csv('W06000099,UP-2,Nowhere,castle,not-a-date,,') })
      expect(bad.statusCode).toBe(400)
      expect(bad.body).toContain('govuk-error-summary')
      expect(await count()).toBe(before)
      // Without the form's token an upload is refused like any other form.
      const forged = await ctx.app.inject({ method: 'POST', url: '/admin/providers/import', headers: { 'content-type': 'multipart/form-data; boundary=x', cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') }, payload: '--x\r\nContent-Disposition: form-data; name="csv"\r\n\r\nx\r\n--x--\r\n' })
      expect(forged.statusCode).toBe(403)
    })

    it('refuses a bad file with 400, every problem in the summary, the text kept and nothing saved', async () => {
      const { browser } = await ctx.signedIn('admin')
      const before = await count()
      const text = csv(
        'W06000008,Q-1,"Ysgol ""Gymraeg"", Aberystwyth",primary,2025-01-01,,',
        'W06099999,Q-2,Nowhere,primary,,,',
        'W06000008,Q-3,School,junior,31/01/2025,,http://example.org',
      )
      const res = await browser.post('/admin/providers/import', { csv: text })
      expect(res.statusCode).toBe(400)
      expect(res.body).toContain('govuk-error-summary')
      const summary = unescape(res.body)
      for (const expected of [
        'Row 3, authority_gss: there is no local authority with the code W06099999',
        'Row 4, kind: “junior” is not a kind of provider',
        'Row 4, last_inspected_on: “31/01/2025” must be a real date',
        'Row 4, report_url: “http://example.org” must be a web address starting https://',
        'The file has 4 problems: nothing was imported',
      ]) expect(summary).toContain(expected)
      expect(res.body).toContain('href="#csv"')
      expect(textareaOf(res.body)).toBe(text)
      expect(await count()).toBe(before)
    })

    it('lists at most 50 problems, then says how many more', async () => {
      const { browser } = await ctx.signedIn('admin')
      const rows = Array.from({ length: 60 }, (_, i) => `W06000008,M-${i},School,wrong,,,`)
      const res = await browser.post('/admin/providers/import', { csv: csv(...rows) })
      expect(res.statusCode).toBe(400)
      const items = res.body.match(/<li>\s*<a href="#csv">/g) ?? []
      expect(items).toHaveLength(51)
      expect(res.body).toContain('and 10 more problems')
      expect(res.body).toContain('Row 51, kind')
      expect(res.body).not.toContain('Row 52, kind')
    })

    it('takes a pasted file larger than the 1 MB other forms accept, saving every row', { timeout: 120_000 }, async () => {
      const { browser } = await ctx.signedIn('admin')
      const before = await count()
      const rows = Array.from({ length: 12_000 }, (_, i) => `W06000015,BIG-${i},"Ysgol Fawr ${i}, Caerdydd",primary,2025-06-01,"A summary long enough to make the file big: ${'da iawn '.repeat(8)}",https://example.org/big/${i}`)
      const text = csv(...rows)
      expect(Buffer.byteLength(new URLSearchParams({ csv: text }).toString())).toBeGreaterThan(1_048_576)
      const res = await browser.post('/admin/providers/import', { csv: text })
      expect(res.statusCode).toBe(303)
      expect(await count()).toBe(before + 12_000)
    })

    it('is for administrators only', async () => {
      const { browser } = await ctx.signedIn('hmi')
      expect((await browser.get('/admin/providers/import')).statusCode).toBe(403)
    })

    it('shows in preparation only the authority’s providers inspected in the two years before the term, its link notes and the focus areas', async () => {
      const system = systemActor('test')
      // Spring 2026-2027 starts on 4 January 2027: the window is 4 January 2025 up to 3 January 2027.
      const elv = await ctx.services.visits.create(system, { authority: 'W06000023', term: '2026-2027/spring' })
      await ctx.services.providers.importCsv(system, csv(
        'W06000023,W-1,Ysgol On The Day,primary,2025-01-04,Two years to the day,https://example.org/w1',
        'W06000023,W-2,Ysgol Day Before,primary,2025-01-03,Too early,',
        'W06000023,W-3,Ysgol Recent,secondary,2026-11-30,"Recent, good",https://example.org/w3',
        'W06000023,W-4,Ysgol In Term,special,2027-01-04,On the term start,',
        'W06000023,W-5,Ysgol Never,nursery,,,',
        'W06000024,W-6,Ysgol Next Door,primary,2026-01-01,Another authority,',
      ))
      const db = ctx.services.database.db
      const author = await ctx.make.user('hmi')
      const now = '2026-07-01T09:00:00.000Z'
      const longBody = `${'Llawer o waith da. '.repeat(15)}THE-END-OF-THE-NOTE`
      await db.insertInto('link_note').values([
        { authority_code: 'W06000023', author_id: author.id, noted_on: '2026-03-01', kind: 'concern', title: 'Attendance worries', body: longBody, framework_area_code: null, created_at: now, updated_at: now },
        { authority_code: 'W06000023', author_id: author.id, noted_on: '2026-05-01', kind: 'meeting', title: 'Met the director', body: 'Short note.', framework_area_code: null, created_at: now, updated_at: now },
        { authority_code: 'W06000024', author_id: author.id, noted_on: '2026-05-02', kind: 'briefing', title: 'Other authority note', body: 'Elsewhere.', framework_area_code: null, created_at: now, updated_at: now },
      ]).execute()
      await db.insertInto('focus_area').values([
        { elv_id: elv.id, position: 1, title: 'Support for pupils with additional learning needs', description: 'd', source: 'authority_priority', recommendation_id: null, framework_key: null, framework_area_code: null, proposed_by_side: 'authority', proposed_by: null, proposed_at: now, inspectorate_agreed_by: null, inspectorate_agreed_at: null, authority_agreed_by: null, authority_agreed_at: null, withdrawn_at: null },
        { elv_id: elv.id, position: 2, title: 'Withdrawn focus', description: 'd', source: 'national_priority', recommendation_id: null, framework_key: null, framework_area_code: null, proposed_by_side: 'inspectorate', proposed_by: null, proposed_at: now, inspectorate_agreed_by: null, inspectorate_agreed_at: null, authority_agreed_by: null, authority_agreed_at: null, withdrawn_at: now },
      ]).execute()

      const { browser } = await ctx.signedIn('hmi')
      const page = await browser.get(`/elvs/${elv.id}/preparation`)
      expect(page.statusCode).toBe(200)
      const body = unescape(page.body)
      expect(body).toContain('Ysgol On The Day')
      expect(body).toContain('Ysgol Recent')
      for (const absent of ['Ysgol Day Before', 'Ysgol In Term', 'Ysgol Never', 'Ysgol Next Door']) expect(body).not.toContain(absent)
      // Newest inspection first.
      expect(body.indexOf('Ysgol Recent')).toBeLessThan(body.indexOf('Ysgol On The Day'))
      expect(body).toContain('2 providers inspected from 4 January 2025 to before 4 January 2027')
      expect(body).toContain('href="https://example.org/w3"')

      expect(body).toContain('Met the director')
      expect(body.indexOf('Met the director')).toBeLessThan(body.indexOf('Attendance worries'))
      expect(body).toContain(`${longBody.slice(0, 200)}…`)
      expect(body).not.toContain('THE-END-OF-THE-NOTE')
      expect(body).not.toContain('Other authority note')

      expect(body).toContain('Support for pupils with additional learning needs')
      expect(body).not.toContain('Withdrawn focus')
      expect(body).toContain('aria-current="page">Preparation<')
    })

    it('answers 404 to authority users, even for their own authority’s visit, and to a visit that does not exist', async () => {
      const elv = await ctx.services.visits.create(systemActor('test'), { authority: 'W06000011', term: '2026-2027/spring' })
      const { browser } = await ctx.signedIn('la', { authority: 'W06000011' })
      expect((await browser.get(`/elvs/${elv.id}`)).statusCode).toBe(200)
      const res = await browser.get(`/elvs/${elv.id}/preparation`)
      expect(res.statusCode).toBe(404)
      expect(res.body).not.toContain('Link notes')
      const hmi = await ctx.signedIn('hmi')
      expect((await hmi.browser.get('/elvs/999999/preparation')).statusCode).toBe(404)
      expect((await hmi.browser.get(`/elvs/${elv.id}/preparation`)).statusCode).toBe(200)
    })
  })
}

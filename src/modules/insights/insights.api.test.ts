import fs from 'node:fs'
import mammoth from 'mammoth'
import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp } from '../../../test/helpers/test-app.ts'
import { fixedClock } from '../../clock.ts'
import type { Role } from '../../db/schema.ts'
import { systemActor } from '../auth/actor.ts'
import { DEMO_BUNDLE } from '../core-inspections/core-inspections.demo.ts'
import type { InsightsSummary } from './insights.types.ts'

const NOW = '2024-11-14T10:00:00.000Z'
const YEAR = '2023-2024'

for (const engine of testEngines()) {
  describe(`Early Insights API on ${engine.name}`, () => {
    const ctx = useTestApp(engine, { clock: fixedClock(NOW) })
    const tokenFor = async (role: Role, name?: string) => (await ctx.services.auth.createToken(systemActor('test'), (await ctx.make.user(role, { name })).email)).token
    const call = (token: string | null, method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, body?: unknown) => ctx.app.inject({
      method, url,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    })
    const imported = async () => {
      if (!(await ctx.services.coreInspections.years()).includes(YEAR)) await ctx.services.coreInspections.importText(systemActor('test'), fs.readFileSync(DEMO_BUNDLE, 'utf8'))
    }

    it('answers the summary as JSON, in English or Welsh, with the names the issue gives', async () => {
      await imported()
      const hmi = await tokenFor('hmi')
      const res = await call(hmi, 'GET', `/api/v1/insights/${YEAR}?lang=en`)
      expect(res.statusCode).toBe(200)
      const s = res.json() as InsightsSummary
      // Whole: what the service writes, nothing dropped by the response schema.
      expect(s).toEqual(JSON.parse(JSON.stringify(await ctx.services.insights.summary(YEAR, 'en'))))
      expect(s).toMatchObject({ academicYear: YEAR, lang: 'en', authoritiesInspected: 4 })
      expect(Object.keys(s.areas[0]!)).toEqual(expect.arrayContaining(['area', 'goingWell', 'needsToImprove']))
      expect(Object.keys(s.areas[0]!.goingWell[0]!)).toEqual(expect.arrayContaining(['theme', 'count', 'of', 'authorities', 'sentence', 'sources']))
      expect(s.recommendations[1]).toMatchObject({ theme: 'attendance', label: 'Attendance', count: 2, of: 4, sentence: 'Two local authorities received a recommendation focused on attendance.' })
      expect(Object.keys(s.effectivePractice[0]!)).toEqual(expect.arrayContaining(['gssCode', 'authority', 'area', 'question', 'text', 'reportUrl']))

      const cy = (await call(hmi, 'GET', `/api/v1/insights/${YEAR}?lang=cy`)).json() as InsightsSummary
      expect(cy).toMatchObject({ lang: 'cy', title: 'Mewnwelediadau Cynnar 2023-2024' })
      // English unless asked.
      expect(((await call(hmi, 'GET', `/api/v1/insights/${YEAR}`)).json() as InsightsSummary).lang).toBe('en')
    })

    it('answers an empty year with its message, and a year written wrongly or a bad language with 400', async () => {
      const hmi = await tokenFor('hmi')
      const empty = await call(hmi, 'GET', '/api/v1/insights/2019-2020')
      expect(empty.statusCode).toBe(200)
      expect(empty.json()).toMatchObject({ authoritiesInspected: 0, areas: [], recommendations: [], message: expect.stringMatching(/^No core inspections are recorded for 2019-2020/) })
      const bad = await call(hmi, 'GET', '/api/v1/insights/2023-24')
      expect(bad.statusCode).toBe(400)
      expect(bad.json()).toEqual({ error: { code: 'validation_failed', message: expect.any(String), details: [{ path: 'year', code: 'insights.year.invalid', message: 'Give an academic year such as 2023-2024, or a range such as 2022-2023..2023-2024.' }] } })
      expect((await call(hmi, 'GET', `/api/v1/insights/${YEAR}?lang=fr`)).statusCode).toBe(400)
      expect((await call(hmi, 'GET', '/api/v1/insights/nonsense/summary.pdf')).statusCode).toBe(400)
    })

    it('serves the documents, each an attachment in the language asked for', async () => {
      await imported()
      const hmi = await tokenFor('hmi')
      const docx = await call(hmi, 'GET', `/api/v1/insights/${YEAR}/summary.docx?lang=cy`)
      expect(docx.statusCode).toBe(200)
      expect(docx.headers['content-disposition']).toBe('attachment; filename="early-insights-2023-2024-cy.docx"')
      expect((await mammoth.extractRawText({ buffer: docx.rawPayload })).value).toContain('Mewnwelediadau Cynnar 2023-2024')
      const pdf = await call(hmi, 'GET', `/api/v1/insights/${YEAR}/summary.pdf`)
      expect(pdf.headers['content-type']).toBe('application/pdf')
      expect(pdf.headers['content-disposition']).toBe('attachment; filename="early-insights-2023-2024-en.pdf"')
      const html = await call(hmi, 'GET', `/api/v1/insights/${YEAR}/summary.html?lang=en`)
      expect(html.headers['content-type']).toBe('text/html; charset=utf-8')
      expect(html.body).toMatch(/^<!DOCTYPE html>/)
    })

    it('rewords a point and puts it back (reviewers and administrators), the generated sentence kept', async () => {
      await imported()
      const reviewer = await tokenFor('reviewer', 'Rhian Reviewer')
      const key = 'recommendation|attendance'
      const generated = 'Two local authorities received a recommendation focused on attendance.'
      const put = await call(reviewer, 'PUT', `/api/v1/insights/${YEAR}/points`, { lang: 'en', key, text: 'Half of the authorities were asked to improve attendance.' })
      expect(put.statusCode).toBe(200)
      expect(put.json()).toMatchObject({ key, sentence: generated, edited: { text: 'Half of the authorities were asked to improve attendance.', by: 'Rhian Reviewer', at: NOW } })
      expect(((await call(reviewer, 'GET', `/api/v1/insights/${YEAR}`)).json() as InsightsSummary).recommendations[1]!.edited?.text).toBe('Half of the authorities were asked to improve attendance.')

      const bad = await call(reviewer, 'PUT', `/api/v1/insights/${YEAR}/points`, { lang: 'en', key, text: '' })
      expect(bad.statusCode).toBe(400)
      expect(bad.json().error.details).toEqual([{ path: 'text', code: 'insights.edit.empty', message: expect.any(String) }])
      expect((await call(reviewer, 'PUT', `/api/v1/insights/${YEAR}/points`, { lang: 'en', key: 'nope', text: 'x' })).json().error.details[0].path).toBe('key')
      expect((await call(reviewer, 'PUT', `/api/v1/insights/${YEAR}/points`, { lang: 'en', text: 'x' })).statusCode).toBe(400)

      const del = await call(reviewer, 'DELETE', `/api/v1/insights/${YEAR}/points`, { lang: 'en', key })
      expect(del.statusCode).toBe(200)
      expect(del.json()).toMatchObject({ key, sentence: generated, edited: null })
      // The point may equally be named in the query string.
      await call(reviewer, 'PUT', `/api/v1/insights/${YEAR}/points`, { lang: 'cy', key, text: 'Geiriad.' })
      const byQuery = await call(reviewer, 'DELETE', `/api/v1/insights/${YEAR}/points?lang=cy&key=${encodeURIComponent(key)}`)
      expect(byQuery.statusCode).toBe(200)
      expect(byQuery.json()).toMatchObject({ edited: null, sentence: expect.stringMatching(/^Derbyniodd dau awdurdod lleol/) })
    })

    it('publishes (reviewers and administrators); a year with nothing in it cannot be', async () => {
      await imported()
      const admin = await tokenFor('admin', 'Alun Admin')
      const res = await call(admin, 'POST', `/api/v1/insights/${YEAR}/publish`)
      expect(res.statusCode).toBe(200)
      expect(res.json()).toEqual({ academicYear: YEAR, publication: { publishedAt: NOW, publishedBy: 'Alun Admin' } })
      const empty = await call(admin, 'POST', '/api/v1/insights/2019-2020/publish')
      expect(empty.statusCode).toBe(409)
      expect(empty.json().error).toMatchObject({ code: 'rule_violation', details: [{ path: 'year', code: 'insights.publish.empty' }] })
    })

    it('keeps to each role: HMIs read only; peers and authorities not at all; no token, no answer', async () => {
      await imported()
      const hmi = await tokenFor('hmi')
      expect((await call(hmi, 'PUT', `/api/v1/insights/${YEAR}/points`, { lang: 'en', key: 'recommendation|attendance', text: 'x' })).statusCode).toBe(403)
      expect((await call(hmi, 'DELETE', `/api/v1/insights/${YEAR}/points`, { lang: 'en', key: 'recommendation|attendance' })).statusCode).toBe(403)
      expect((await call(hmi, 'POST', `/api/v1/insights/${YEAR}/publish`)).statusCode).toBe(403)
      for (const role of ['peer', 'la'] as const) {
        const token = await tokenFor(role)
        expect((await call(token, 'GET', `/api/v1/insights/${YEAR}`)).statusCode, role).toBe(403)
        expect((await call(token, 'GET', `/api/v1/insights/${YEAR}/summary.pdf`)).statusCode, role).toBe(403)
      }
      expect((await call(null, 'GET', `/api/v1/insights/${YEAR}`)).statusCode).toBe(401)
    })

    it('is described in the OpenAPI document', async () => {
      const doc = (await ctx.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> }
      expect(Object.keys(doc.paths['/api/v1/insights/{year}']!)).toEqual(['get'])
      expect(Object.keys(doc.paths['/api/v1/insights/{year}/points']!).sort()).toEqual(['delete', 'put'])
      expect(Object.keys(doc.paths['/api/v1/insights/{year}/publish']!)).toEqual(['post'])
      for (const f of ['html', 'docx', 'pdf']) expect(doc.paths[`/api/v1/insights/{year}/summary.${f}`], f).toHaveProperty('get')
    })
  })
}

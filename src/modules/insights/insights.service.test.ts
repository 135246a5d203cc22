import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp } from '../../../test/helpers/test-app.ts'
import { fixedClock } from '../../clock.ts'
import type { AppError } from '../../http/errors.ts'
import { systemActor, type Actor } from '../auth/actor.ts'
import type { Bundle } from '../core-inspections/core-inspections.bundle.ts'
import { DEMO_BUNDLE } from '../core-inspections/core-inspections.demo.ts'
import type { InsightsPoint, InsightsRecommendation, InsightsSummary } from './insights.types.ts'

const NOW = '2024-11-14T10:00:00.000Z'
const YEAR = '2023-2024'
const example = () => JSON.parse(fs.readFileSync(DEMO_BUNDLE, 'utf8')) as Bundle
const INSPECTED = ['W06000002', 'W06000006', 'W06000010', 'W06000011']

const areaPoints = (s: InsightsSummary) => s.areas.flatMap((a) => [...a.goingWell.map((p) => ({ p, kind: 'going_well' })), ...a.needsToImprove.map((p) => ({ p, kind: 'needs_to_improve' }))])
const allPoints = (s: InsightsSummary): Array<InsightsPoint | InsightsRecommendation> => [...areaPoints(s).map((x) => x.p), ...s.recommendations]
const problemOf = async (work: Promise<unknown>) => {
  const e = await work.then(() => undefined, (err: AppError) => err)
  expect(e, 'should have been refused').toBeDefined()
  return { code: e!.code, details: e!.details.map((d) => [d.path, d.messageKey]) }
}

for (const engine of testEngines()) {
  describe(`Early Insights summary on ${engine.name}`, () => {
    const ctx = useTestApp(engine, { clock: fixedClock(NOW) })
    const db = () => ctx.services.database.db
    const insights = () => ctx.services.insights
    let reviewer: Actor
    let reviewerName: string

    it('imports the example bundle through the core inspections service', async () => {
      const result = await ctx.services.coreInspections.importBundle(systemActor('test'), example())
      expect(result).toMatchObject({ created: 4 })
      const user = await ctx.make.user('reviewer', { name: 'Siân Prŷs' })
      reviewer = { kind: 'user', id: user.id, role: user.role, name: user.name, email: user.email, authorityCode: user.authority_code }
      reviewerName = user.name
    })

    it('summarises the four authorities, each point counting the distinct authorities of the findings it rests on', async () => {
      const s = await insights().summary(YEAR, 'en')
      expect(s).toMatchObject({ academicYear: YEAR, lang: 'en', authoritiesInspected: 4, message: null, title: 'Early Insights 2023-2024' })
      // The names the automated checks read.
      expect(Object.keys(s)).toEqual(expect.arrayContaining(['academicYear', 'lang', 'authoritiesInspected', 'areas', 'recommendations', 'effectivePractice']))
      expect(s.areas.map((a) => a.area)).toEqual(['Outcomes and education services', 'Leadership', 'Care, support and well-being'])
      expect([...new Set(allPoints(s).flatMap((p) => p.authorities))].sort()).toEqual(INSPECTED)

      const findings = await db().selectFrom('core_finding').innerJoin('core_inspection', 'core_inspection.id', 'core_finding.core_inspection_id')
        .select(['core_finding.id', 'core_finding.kind', 'core_inspection.authority_code', 'core_inspection.academic_year']).execute()
      const findingThemes = await db().selectFrom('core_finding_theme').innerJoin('theme', 'theme.id', 'core_finding_theme.theme_id').select(['finding_id', 'theme.key']).execute()
      const byId = new Map(findings.map((f) => [String(f.id), f]))
      const points = areaPoints(s)
      expect(points.length).toBeGreaterThan(10)
      for (const { p, kind } of points) {
        expect(Object.keys(p)).toEqual(expect.arrayContaining(['theme', 'count', 'of', 'authorities', 'sentence', 'sources']))
        expect(p.of, p.key).toBe(4)
        expect(p.sources.length, p.key).toBeGreaterThan(0)
        // Every source is a real finding of this year, of the point's kind and theme.
        const rows = p.sources.map((src) => {
          expect(src.type).toBe('finding')
          const row = byId.get(src.id)
          expect(row, `${p.key}: finding ${src.id}`).toBeDefined()
          expect(row!.academic_year).toBe(YEAR)
          expect(row!.kind, p.key).toBe(kind)
          if (!p.theme.startsWith('finding:')) expect(findingThemes.filter((t) => String(t.finding_id) === src.id).map((t) => t.key), p.key).toContain(p.theme)
          return row!
        })
        const authorities = [...new Set(rows.map((r) => r.authority_code))]
        expect(p.count, p.key).toBe(authorities.length)
        expect([...p.authorities].sort(), p.key).toEqual(authorities.sort())
        expect(p.sentence, p.key).toMatch(/^(In all four local authorities|In (two|three) of the four local authorities|In one local authority), inspectors identified/)
      }
      const attendance = points.find(({ p }) => p.theme === 'attendance' && p.key.includes('needs_to_improve'))!.p
      expect(attendance).toMatchObject({ count: 4, sentence: 'In all four local authorities, inspectors identified shortcomings in attendance.' })
    })

    it('gives one sentence per recommendation theme, most frequent first, each resting on real recommendations', async () => {
      const s = await insights().summary(YEAR, 'en')
      const recs = await db().selectFrom('core_recommendation').innerJoin('core_inspection', 'core_inspection.id', 'core_recommendation.core_inspection_id')
        .select(['core_recommendation.id', 'core_inspection.authority_code']).execute()
      const recThemes = await db().selectFrom('core_recommendation_theme').innerJoin('theme', 'theme.id', 'core_recommendation_theme.theme_id').select(['recommendation_id', 'theme.key']).execute()
      expect(s.recommendations.map((r) => [r.theme, r.count])).toEqual([['self-evaluation', 4], ['attendance', 2], ['exclusions', 1], ['use-of-information', 1], ['welsh-medium-education', 1]])
      const counts = s.recommendations.map((r) => r.count)
      expect(counts).toEqual([...counts].sort((a, b) => b - a))
      for (const r of s.recommendations) {
        const rows = r.sources.map((src) => {
          expect(src.type).toBe('recommendation')
          const row = recs.find((x) => String(x.id) === src.id)
          expect(row, `${r.key}: recommendation ${src.id}`).toBeDefined()
          expect(recThemes.filter((t) => String(t.recommendation_id) === src.id).map((t) => t.key)).toContain(r.theme)
          return row!
        })
        const authorities = [...new Set(rows.map((x) => x.authority_code))].sort()
        expect(r.count).toBe(authorities.length)
        expect([...r.authorities].sort()).toEqual(authorities)
        expect(r.of).toBe(4)
      }
      expect(s.recommendations[0]!.sentence).toBe('All four local authorities received a recommendation focused on self-evaluation and improvement planning.')
      expect(s.recommendations[1]!.sentence).toBe('Two local authorities received a recommendation focused on attendance.')
    })

    it('lists effective practice by authority with its question and the report\'s link, and the year\'s figures', async () => {
      const s = await insights().summary(YEAR, 'en')
      expect(s.effectivePractice.map((e) => e.gssCode)).toEqual(['W06000010', 'W06000010', 'W06000002', 'W06000006'])
      for (const e of s.effectivePractice) {
        expect(Object.keys(e)).toEqual(expect.arrayContaining(['gssCode', 'authority', 'area', 'question', 'text', 'reportUrl']))
        expect(e.reportUrl).toBe(`https://reports.demo.cyswllt.invalid/core/${e.gssCode}`)
        expect(e.question).toMatch(/^How /)
        expect(e.text.length).toBeGreaterThan(20)
      }
      expect(s.effectivePractice[2]).toMatchObject({ authority: 'Gwynedd', lang: 'en' })
      expect(s.figures).toEqual({ coreInspections: 4, byMedium: { welsh: 1, english: 2, bilingual: 1, notRecorded: 0 }, caseStudies: 4, elvsIssued: 0 })
      expect(s.intro).toBe('Four local government education services were inspected during 2023-2024.')
    })

    it('writes the Welsh summary in Welsh, over the same records', async () => {
      const en = await insights().summary(YEAR, 'en')
      const cy = await insights().summary(YEAR, 'cy')
      expect(cy).toMatchObject({ lang: 'cy', title: 'Mewnwelediadau Cynnar 2023-2024', authoritiesInspected: 4 })
      expect(cy.intro).toBe('Arolygwyd pedwar gwasanaeth addysg llywodraeth leol yn ystod 2023-2024.')
      expect(cy.areas.map((a) => a.area)).toEqual(['Deilliannau a gwasanaethau addysg', 'Arweinyddiaeth', 'Gofal, cymorth a lles'])
      expect(cy.recommendations[0]!.sentence).toBe('Derbyniodd pob un o\'r pedwar awdurdod lleol argymhelliad yn canolbwyntio ar hunanarfarnu a chynllunio gwelliant.')
      // The same points (by key) and sources in both languages; every sentence in Welsh.
      expect(allPoints(cy).map((p) => p.key).sort()).toEqual(allPoints(en).map((p) => p.key).sort())
      for (const p of allPoints(cy)) {
        const twin = allPoints(en).find((x) => x.key === p.key)!
        expect(p.sources).toEqual(expect.arrayContaining(twin.sources))
        expect(p.count).toBe(twin.count)
        expect(p.sentence).not.toBe(twin.sentence)
        expect(p.sentence, p.key).toMatch(/awdurdod lleol/)
        expect(p.sentence, p.key).not.toMatch(/\b(the|local authorities|inspectors identified)\b/)
      }
      // Gwynedd's effective practice was recorded in Welsh: shown in Welsh.
      expect(cy.effectivePractice.find((e) => e.gssCode === 'W06000002')).toMatchObject({ authority: 'Gwynedd', lang: 'cy', question: expect.stringMatching(/^Pa mor/) })
    })

    it('shows a record\'s own words in the language it was recorded in, with the other language when recorded too', async () => {
      const en = await insights().summary(YEAR, 'en')
      const records = allPoints(en).flatMap((p) => p.details)
      // Gwynedd wrote in Welsh and gave English translations: Welsh first, English beside it, in either summary.
      const gwynedd = records.filter((d) => d.gssCode === 'W06000002')
      expect(gwynedd.length).toBeGreaterThan(0)
      for (const d of gwynedd) {
        expect(d.lang).toBe('cy')
        expect(d.translation).toMatchObject({ lang: 'en', text: expect.any(String) })
        expect(d.translation!.text).not.toBe(d.text)
      }
      // The others wrote in English, mostly without a translation; a translation is always the other language.
      const others = records.filter((x) => x.gssCode !== 'W06000002')
      for (const d of others) {
        expect(d.lang).toBe('en')
        if (d.translation) expect(d.translation.lang).toBe('cy')
      }
      expect(others.some((d) => d.translation === null)).toBe(true)
      const cy = await insights().summary(YEAR, 'cy')
      expect(allPoints(cy).flatMap((p) => p.details).filter((d) => d.gssCode === 'W06000002').every((d) => d.lang === 'cy' && d.translation?.lang === 'en')).toBe(true)
    })

    it('answers a year with no core inspections with an empty summary and its message, and refuses a year written wrongly', async () => {
      const s = await insights().summary('2019-2020', 'en')
      expect(s).toMatchObject({ authoritiesInspected: 0, areas: [], recommendations: [], effectivePractice: [], publication: null })
      expect(s.message).toBe('No core inspections are recorded for 2019-2020, so there is nothing to summarise yet. Record them, or import a bundle, and the summary writes itself.')
      expect((await insights().summary('2019-2020', 'cy')).message).toMatch(/^Nid oes arolygiadau craidd wedi'u cofnodi ar gyfer 2019-2020/)
      for (const bad of ['2023', '2023-2025', '2024-2023', 'last year', '', null, '2023-2024..2021-2022']) {
        expect(await problemOf(insights().summary(bad, 'en')), String(bad)).toEqual({ code: 'validation_failed', details: [['year', 'insights.year.invalid']] })
      }
      // A range covers every year in it.
      expect((await insights().summary('2022-2023..2023-2024', 'en')).authoritiesInspected).toBe(4)
    })

    it('keeps a reviewer\'s wording beside the generated sentence, through regeneration, until it is reset', async () => {
      const before = await insights().summary(YEAR, 'en')
      const point = before.recommendations.find((r) => r.theme === 'attendance')!
      const generated = point.sentence
      const wording = 'Half of the local authorities inspected received a recommendation on attendance.'
      await insights().editPoint(reviewer, { year: YEAR, lang: 'en', key: point.key, text: `  ${wording}  ` })

      const after = (await insights().summary(YEAR, 'en')).recommendations.find((r) => r.key === point.key)!
      expect(after.sentence).toBe(generated)
      expect(after.edited).toEqual({ text: wording, by: reviewerName, at: NOW })
      // Only the English summary's point: the Welsh one is worded on its own.
      expect((await insights().summary(YEAR, 'cy')).recommendations.find((r) => r.key === point.key)!.edited).toBeNull()
      expect(await db().selectFrom('insights_edit').select(['academic_year', 'lang', 'point_key', 'text', 'generated']).execute())
        .toEqual([{ academic_year: YEAR, lang: 'en', point_key: point.key, text: wording, generated }])

      // The records change (Wrexham's attendance recommendation loses its theme): the sentence is written
      // again from them, and the wording stays with the point.
      const changed = example()
      changed.coreInspections.find((c) => c.gssCode === 'W06000006')!.recommendations.find((r) => r.ref === 'R1')!.themes = []
      await ctx.services.coreInspections.importBundle(systemActor('test'), changed)
      const regenerated = (await insights().summary(YEAR, 'en')).recommendations.find((r) => r.key === point.key)!
      expect(regenerated).toMatchObject({ count: 1, sentence: 'One local authority received a recommendation focused on attendance.', edited: { text: wording } })

      await insights().resetPoint(reviewer, { year: YEAR, lang: 'en', key: point.key })
      expect((await insights().summary(YEAR, 'en')).recommendations.find((r) => r.key === point.key)!.edited).toBeNull()
      // Resetting what is not reworded changes nothing and records nothing.
      await insights().resetPoint(reviewer, { year: YEAR, lang: 'en', key: point.key })
      const audit = await db().selectFrom('audit_event').select(['action', 'entity_id']).where('action', 'like', 'insights.%').orderBy('id').execute()
      expect(audit).toEqual([{ action: 'insights.edit', entity_id: YEAR }, { action: 'insights.reset', entity_id: YEAR }])

      await ctx.services.coreInspections.importBundle(systemActor('test'), example())
    })

    it('refuses an empty or overlong wording and a point that is not in the summary, saving nothing', async () => {
      const key = (await insights().summary(YEAR, 'en')).areas[0]!.goingWell[0]!.key
      expect(await problemOf(insights().editPoint(reviewer, { year: YEAR, lang: 'en', key, text: '   ' }))).toEqual({ code: 'validation_failed', details: [['text', 'insights.edit.empty']] })
      expect(await problemOf(insights().editPoint(reviewer, { year: YEAR, lang: 'en', key, text: 'x'.repeat(1001) }))).toEqual({ code: 'validation_failed', details: [['text', 'insights.edit.tooLong']] })
      expect(await problemOf(insights().editPoint(reviewer, { year: YEAR, lang: 'en', key: 'no|such|point', text: 'Words.' }))).toEqual({ code: 'validation_failed', details: [['key', 'insights.edit.unknownPoint']] })
      expect(await problemOf(insights().editPoint(reviewer, { year: '2023', lang: 'en', key, text: 'Words.' }))).toEqual({ code: 'validation_failed', details: [['year', 'insights.year.invalid']] })
      expect(await db().selectFrom('insights_edit').selectAll().execute()).toEqual([])
    })

    it('publishes a year (again, if need be), by whom and when; a year with nothing in it cannot be', async () => {
      expect((await insights().summary(YEAR, 'en')).publication).toBeNull()
      await insights().publish(reviewer, YEAR)
      expect((await insights().summary(YEAR, 'en')).publication).toEqual({ publishedAt: NOW, publishedBy: reviewerName })
      expect((await insights().summary(YEAR, 'cy')).publication).toEqual({ publishedAt: NOW, publishedBy: reviewerName })
      await insights().publish(reviewer, YEAR)
      expect(await db().selectFrom('insights_publication').selectAll().execute()).toHaveLength(1)
      expect(await problemOf(insights().publish(reviewer, '2019-2020'))).toEqual({ code: 'rule_violation', details: [['year', 'insights.publish.empty']] })
      const audit = await db().selectFrom('audit_event').select(['action']).where('action', '=', 'insights.publish').execute()
      expect(audit).toHaveLength(2)
    })
  })
}

describe('the summary\'s wording of theme labels', () => {
  // Fails until insights.summary.ts keeps proper nouns: lowerFirst() turns "Welsh-medium education" into
  // "welsh-medium education" ("... inspectors identified strengths in welsh-medium education.").
  it('keeps "Welsh" capitalised inside a sentence', async () => {
    const { writeSummary } = await import('./insights.summary.ts')
    const { I18n } = await import('../../i18n/catalogue.ts')
    const records = {
      inspections: [{
        id: 1, gssCode: 'W06000008', academicYear: YEAR, frameworkKey: null, medium: null, reportUrl: null,
        recommendations: [{ id: 1, ref: 'R1', textEn: 'Plan Welsh-medium places.', textCy: '', lang: 'en' as const, themes: [1] }],
        findings: [{ id: 1, area: 'Leadership', areaCode: null, kind: 'going_well' as const, textEn: 'Good.', textCy: '', lang: 'en' as const, themes: [1] }],
        effectivePractice: [],
      }],
      letters: [],
      authorities: new Map([['W06000008', { en: 'Ceredigion', cy: 'Ceredigion' }]]),
      themes: new Map([[1, { key: 'welsh-medium-education', en: 'Welsh-medium education', cy: 'Addysg cyfrwng Cymraeg' }]]),
      areas: new Map(),
      edits: new Map(),
      publication: null,
    }
    const s = writeSummary(records, { academicYear: YEAR, lang: 'en', t: new I18n().translator('en'), now: NOW })
    expect(s.recommendations[0]!.sentence).toBe('The local authority received a recommendation focused on Welsh-medium education.')
    expect(s.areas[0]!.goingWell[0]!.sentence).toMatch(/ in Welsh-medium education\.$/)
  })
})

import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp } from '../../../test/helpers/test-app.ts'
import { fixedClock } from '../../clock.ts'
import type { AppError } from '../../http/errors.ts'
import { systemActor } from '../auth/actor.ts'
import { DEMO_BUNDLE } from './core-inspections.demo.ts'
import type { Bundle, BundleCoreInspection } from './core-inspections.bundle.ts'

const NOW = '2026-07-01T09:00:00.000Z'
const example = () => JSON.parse(fs.readFileSync(DEMO_BUNDLE, 'utf8')) as Bundle

/** A small valid record of an authority and year, changed by `change`. */
function record(gssCode: string, academicYear: string, change: (r: BundleCoreInspection) => void = () => {}): BundleCoreInspection {
  const r: BundleCoreInspection = {
    gssCode, academicYear, framework: 'lges-2022', medium: 'english', reportUrl: 'https://example.org/report',
    recommendations: [
      { ref: 'R1', text: 'Improve attendance, particularly in secondary schools', themes: ['attendance'] },
      { ref: 'R2', text: 'Strengthen self-evaluation', themes: ['self-evaluation'] },
    ],
    findings: [
      { area: 'Leadership', kind: 'going_well', text: 'Leaders have a clear vision.', themes: ['leadership'] },
      { area: 'outcomes and education services', kind: 'needs_to_improve', text: 'Attendance remains low.', themes: ['attendance'] },
    ],
    effectivePractice: [{ area: 'Leadership and management', question: 'How well do leaders lead?', text: 'Very well.' }],
  }
  change(r)
  return r
}

const problemsOf = async (work: Promise<unknown>) => {
  const e = await work.then(() => undefined, (err: AppError) => err)
  expect(e, 'the import should have been refused').toBeDefined()
  expect(e!.code).toBe('validation_failed')
  return e!.details.map((d) => [d.path, d.messageKey])
}

for (const engine of testEngines()) {
  describe(`core inspections on ${engine.name}`, () => {
    const ctx = useTestApp(engine, { clock: fixedClock(NOW) })
    const system = systemActor('test')
    const service = () => ctx.services.coreInspections
    const db = () => ctx.services.database.db

    /** Every row of the tables an import writes, in a stable order. */
    async function snapshot() {
      const d = db()
      return {
        inspections: await d.selectFrom('core_inspection').selectAll().orderBy('id').execute(),
        recommendations: await d.selectFrom('core_recommendation').selectAll().orderBy('id').execute(),
        recommendationThemes: await d.selectFrom('core_recommendation_theme').selectAll().orderBy('recommendation_id').orderBy('theme_id').execute(),
        findings: await d.selectFrom('core_finding').selectAll().orderBy('id').execute(),
        findingThemes: await d.selectFrom('core_finding_theme').selectAll().orderBy('finding_id').orderBy('theme_id').execute(),
        practice: await d.selectFrom('core_effective_practice').selectAll().orderBy('id').execute(),
        themes: await d.selectFrom('theme').selectAll().orderBy('id').execute(),
        audit: await d.selectFrom('audit_event').select(['id', 'action']).orderBy('id').execute(),
      }
    }

    it('imports the example bundle, then changes nothing when it is imported again', async () => {
      const first = await service().importBundle(system, example())
      expect(first).toMatchObject({ created: 4, updated: 0, unchanged: 0 })
      expect(first.themesCreated).toContain('professional-relationships')
      const year = await service().forYear('2023-2024')
      expect(year.map((i) => i.gssCode).sort()).toEqual(['W06000002', 'W06000006', 'W06000010', 'W06000011'])
      expect(year.reduce((n, i) => n + i.findings.length, 0)).toBe(56)

      // Gwynedd's record was written in Welsh, with an English translation.
      const gwynedd = year.find((i) => i.gssCode === 'W06000002')!
      expect(gwynedd.medium).toBe('welsh')
      expect(gwynedd.recommendations[0]).toMatchObject({ ref: 'R1', lang: 'cy', text: expect.stringMatching(/^Cryfhau/), textCy: expect.stringMatching(/^Cryfhau/), textEn: expect.stringMatching(/^Strengthen/) })
      expect(gwynedd.findings.every((f) => f.frameworkAreaCode !== null)).toBe(true)
      expect(gwynedd.effectivePractice[0]).toMatchObject({ lang: 'cy', questionEn: expect.stringMatching(/^How effective/), questionCy: expect.stringMatching(/^Pa mor/) })

      const before = await snapshot()
      const second = await service().importBundle(system, example())
      expect(second).toMatchObject({ created: 0, updated: 0, unchanged: 4, themesCreated: [] })
      expect(await snapshot()).toEqual(before)
    })

    it('reports every kind of problem at its JSON Pointer, and writes nothing', async () => {
      const before = await snapshot()
      const bundle = {
        themes: [{ key: 'new-theme', en: 'New', cy: 'Newydd' }, { key: 'new-theme', en: 'Again', cy: 'Eto' }, { key: 'Bad Key', en: '', cy: 'x' }],
        coreInspections: [
          record('W06000099', '2023-2025', (r) => {
            r.framework = 'lges-1999'
            r.recommendations[1]!.ref = 'R1'
            r.recommendations[1]!.themes = ['no-such-theme', 'new-theme']
          }),
          record('W06000015', '2022-2023', (r) => {
            r.startsOn = '2023-02-30'
            r.endsOn = '2024-01-01'
            r.findings[0]!.area = 'Leadershp'
            ;(r.findings[1] as unknown as Record<string, unknown>).kind = 'so_so'
            ;(r.findings[1] as unknown as Record<string, unknown>).colour = 'blue'
            r.recommendations[0]!.text = '   '
            delete (r as Partial<BundleCoreInspection>).effectivePractice
            r.reportUrl = 'ftp://example.org'
          }),
          record('W06000015', '2022-2023', (r) => { r.startsOn = '2023-05-01'; r.endsOn = '2023-04-01' }),
          'not an inspection',
        ],
        extra: true,
      }
      const problems = await problemsOf(service().importBundle(system, bundle))
      expect(problems).toEqual([
        ['/extra', 'coreInspections.problem.unknownField'],
        ['/themes/1/key', 'coreInspections.problem.themeRepeated'],
        ['/themes/2/key', 'coreInspections.problem.format.key'],
        ['/themes/2/en', 'coreInspections.problem.blank'],
        ['/coreInspections/0/gssCode', 'coreInspections.problem.unknownAuthority'],
        ['/coreInspections/0/academicYear', 'coreInspections.problem.yearNotConsecutive'],
        ['/coreInspections/0/framework', 'coreInspections.problem.unknownFramework'],
        ['/coreInspections/0/recommendations/1/ref', 'coreInspections.problem.refRepeated'],
        ['/coreInspections/0/recommendations/1/themes/0', 'coreInspections.problem.unknownTheme'],
        ['/coreInspections/1/effectivePractice', 'coreInspections.problem.required'],
        ['/coreInspections/1/reportUrl', 'coreInspections.problem.format.reportUrl'],
        ['/coreInspections/1/recommendations/0/text', 'coreInspections.problem.blank'],
        ['/coreInspections/1/findings/1/colour', 'coreInspections.problem.unknownField'],
        ['/coreInspections/1/findings/1/kind', 'coreInspections.problem.enum'],
        ['/coreInspections/1/startsOn', 'coreInspections.problem.notRealDate'],
        ['/coreInspections/1/endsOn', 'coreInspections.problem.outsideYear'],
        ['/coreInspections/1/findings/0/area', 'coreInspections.problem.unknownArea'],
        ['/coreInspections/2/endsOn', 'coreInspections.problem.endBeforeStart'],
        ['/coreInspections/2/academicYear', 'coreInspections.problem.identityRepeated'],
        ['/coreInspections/3', 'coreInspections.problem.type'],
      ])
      expect(await snapshot()).toEqual(before)
    })

    it('is all or nothing: one bad record among good ones saves none of them, not even new themes', async () => {
      const before = await snapshot()
      const bundle: Bundle = {
        themes: [{ key: 'fresh-theme', en: 'Fresh', cy: 'Ffres' }],
        coreInspections: [
          record('W06000003', '2022-2023', (r) => { r.recommendations[0]!.themes = ['fresh-theme'] }),
          record('W06000004', '2022-2023'),
          record('W06000005', '2022-2023', (r) => { r.findings[0]!.themes = ['attendence'] }),
        ],
      }
      expect(await problemsOf(service().importBundle(system, bundle))).toEqual([['/coreInspections/2/findings/0/themes/0', 'coreInspections.problem.unknownTheme']])
      expect(await snapshot()).toEqual(before)
      // Put right, it goes in whole.
      bundle.coreInspections[2]!.findings[0]!.themes = ['attendance']
      expect(await service().importBundle(system, bundle)).toMatchObject({ created: 3, themesCreated: ['fresh-theme'] })
    })

    it('updates an inspection in place when the bundle changes: rows keep their ids where they can', async () => {
      await service().importBundle(system, { coreInspections: [record('W06000012', '2022-2023')] })
      const id = (await service().list('2022-2023')).find((i) => i.gssCode === 'W06000012')!.id
      const before = await service().get(id)
      const changed = record('W06000012', '2022-2023', (r) => {
        r.recommendations.reverse() // R2 first now: matched by ref, not position
        r.recommendations[0]!.text = 'Strengthen self-evaluation and improvement planning'
        r.findings[1]!.text = 'Attendance remains lower than before the pandemic.'
        r.findings.push({ area: 'Care, support and well-being', kind: 'going_well', text: 'Safeguarding is robust.', lang: 'en', themes: ['safeguarding'] })
        r.effectivePractice = []
        r.medium = 'bilingual'
      })
      const result = await service().importBundle(system, { coreInspections: [changed] })
      expect(result).toMatchObject({ created: 0, updated: 1, unchanged: 0 })
      const after = await service().get(id)
      expect(after.version).toBe(before.version + 1)
      expect(after.medium).toBe('bilingual')
      expect(after.recommendations.map((r) => [r.ref, r.id])).toEqual([['R2', before.recommendations[1]!.id], ['R1', before.recommendations[0]!.id]])
      expect(after.recommendations[0]!.text).toBe('Strengthen self-evaluation and improvement planning')
      expect(after.findings.slice(0, 2).map((f) => f.id)).toEqual(before.findings.map((f) => f.id))
      expect(after.findings[1]!.text).toBe('Attendance remains lower than before the pandemic.')
      expect(after.findings[2]).toMatchObject({ area: 'Care, support and well-being', frameworkAreaCode: '3', themes: [expect.objectContaining({ key: 'safeguarding' })] })
      expect(after.effectivePractice).toEqual([])
      const audit = await db().selectFrom('audit_event').select(['action', 'details']).where('entity_type', '=', 'core_inspection').where('entity_id', '=', String(id)).orderBy('id').execute()
      expect(audit.map((a) => a.action)).toEqual(['core_inspection.create', 'core_inspection.update'])
      expect(JSON.parse(audit[1]!.details)).toMatchObject({ source: 'import', changed: ['details', 'recommendations', 'findings', 'effectivePractice'] })
      // And again: unchanged.
      expect(await service().importBundle(system, { coreInspections: [changed] })).toMatchObject({ unchanged: 1 })
    })

    it('keeps a recommendation a focus area cites: an import or form that removes it is refused', async () => {
      await service().importBundle(system, { coreInspections: [record('W06000013', '2021-2022')] })
      const view = (await service().forYear('2021-2022')).find((i) => i.gssCode === 'W06000013')!
      const elv = await ctx.services.visits.create(system, { authority: 'W06000013', term: '2026-2027/spring' })
      await db().insertInto('focus_area').values({
        elv_id: elv.id, position: 1, title: 'R1', description: 'd', source: 'core_recommendation', recommendation_id: view.recommendations[0]!.id,
        framework_key: null, framework_area_code: null, proposed_by_side: 'inspectorate', proposed_by: null, proposed_at: NOW,
        inspectorate_agreed_by: null, inspectorate_agreed_at: null, authority_agreed_by: null, authority_agreed_at: null, withdrawn_at: null,
      }).execute()
      const without = record('W06000013', '2021-2022', (r) => { r.recommendations.shift() })
      expect(await problemsOf(service().importBundle(system, { coreInspections: [without] }))).toEqual([['/coreInspections/0/recommendations', 'coreInspections.problem.citedRemoved']])
      expect(await problemsOf(service().removePart(system, view.id, 'recommendations', view.recommendations[0]!.id, view.version)))
        .toEqual([['/recommendations', 'coreInspections.problem.citedRemoved']])
      expect(await problemsOf(service().saveDetails(system, view.id, { gssCode: 'W06000014', academicYear: '2021-2022' }, view.version)))
        .toEqual([['/gssCode', 'coreInspections.problem.citedAuthority']])
      // Its text may still change: the focus area goes on citing the same row.
      const edited = await service().savePart(system, view.id, 'recommendations', view.recommendations[0]!.id, { ref: 'R1', text: 'Improve attendance' }, view.version)
      expect(edited.rowId).toBe(view.recommendations[0]!.id)
    })

    it('creates and edits an inspection part by part, version-checked and audited', async () => {
      const created = await service().create(system, { gssCode: 'W06000016', academicYear: '2020-2021', recommendations: [], findings: [], effectivePractice: [] }, 'form')
      expect(created).toMatchObject({ version: 1, framework: null, startsOn: null, medium: null, recommendations: [] })
      const r1 = await service().savePart(system, created.id, 'recommendations', null, { ref: 'R1', text: 'Gwella presenoldeb', lang: 'cy', translation: 'Improve attendance', themes: ['attendance'] }, 1)
      expect(r1.view.recommendations[0]).toMatchObject({ id: r1.rowId, ref: 'R1', lang: 'cy', textCy: 'Gwella presenoldeb', textEn: 'Improve attendance', translation: 'Improve attendance' })
      const f1 = await service().savePart(system, created.id, 'findings', null, { area: 'Anywhere at all', kind: 'going_well', text: 'Good.' }, 2)
      expect(f1.view.findings[0]).toMatchObject({ area: 'Anywhere at all', frameworkAreaCode: null })

      // A stale version is refused and changes nothing.
      await expect(service().savePart(system, created.id, 'findings', null, { area: 'X', kind: 'going_well', text: 'Late.' }, 2)).rejects.toMatchObject({ code: 'version_conflict' })
      // A problem with the item is reported relative to it.
      expect(await problemsOf(service().savePart(system, created.id, 'recommendations', null, { ref: 'R1', text: '', themes: ['nope'] }, 3))).toEqual([
        ['/text', 'coreInspections.problem.blank'],
        ['/ref', 'coreInspections.problem.refRepeated'],
        ['/themes/0', 'coreInspections.problem.unknownTheme'],
      ])
      // A framework chosen later holds the findings to its areas.
      expect(await problemsOf(service().saveDetails(system, created.id, { gssCode: 'W06000016', academicYear: '2020-2021', framework: 'lges-2018' }, 3)))
        .toEqual([['/findings/0/area', 'coreInspections.problem.unknownArea']])
      const saved = await service().saveDetails(system, created.id, { gssCode: 'W06000016', academicYear: '2020-2021', startsOn: '2021-03-01', endsOn: '2021-03-05', medium: 'welsh' }, 3)
      expect(saved).toMatchObject({ version: 4, startsOn: '2021-03-01', medium: 'welsh', findings: [expect.objectContaining({ id: f1.rowId })] })
      const removed = await service().removePart(system, created.id, 'findings', f1.rowId, 4)
      expect(removed.findings).toEqual([])
      // Another inspection of the same authority and year cannot be recorded.
      expect(await problemsOf(service().create(system, { gssCode: 'W06000016', academicYear: '2020-2021', recommendations: [], findings: [], effectivePractice: [] })))
        .toEqual([['/academicYear', 'coreInspections.problem.identityTaken']])
      const actions = await db().selectFrom('audit_event').select('action').where('entity_type', '=', 'core_inspection').where('entity_id', '=', String(created.id)).orderBy('id').execute()
      expect(actions.map((a) => a.action)).toEqual(['core_inspection.create', ...Array(4).fill('core_inspection.update')])
    })

    it('refuses writes by anyone but an administrator', async () => {
      const hmi = await ctx.make.user('hmi')
      const actor = { kind: 'user' as const, id: hmi.id, name: hmi.name, email: hmi.email, role: hmi.role, authorityCode: null }
      await expect(service().importBundle(actor, example())).rejects.toMatchObject({ code: 'forbidden' })
      await expect(service().create(actor, record('W06000018', '2019-2020'))).rejects.toMatchObject({ code: 'forbidden' })
    })

    it('follows a theme merge: a record tagged with the merged theme shows the theme it became, and imports unchanged', async () => {
      await ctx.services.themes.create(system, { key: 'old-words', labelEn: 'Old words', labelCy: 'Hen eiriau' })
      const bundle: Bundle = { coreInspections: [record('W06000019', '2018-2019', (r) => { delete r.framework; r.findings[0]!.themes = ['old-words'] })] }
      await service().importBundle(system, bundle)
      await ctx.services.themes.merge(system, { from: 'old-words', into: 'leadership' })
      const view = (await service().forYear('2018-2019'))[0]!
      expect(view.findings[0]!.themes.map((t) => t.key)).toEqual(['leadership'])
      expect(await service().importBundle(system, bundle)).toMatchObject({ unchanged: 1 })
    })
  })
}

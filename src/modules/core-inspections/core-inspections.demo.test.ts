import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp } from '../../../test/helpers/test-app.ts'
import { fixedClock } from '../../clock.ts'
import { seedDemo } from '../../demo/seed.ts'

const SWANSEA = 'W06000011'

for (const engine of testEngines()) {
  describe(`the demo's core inspections on ${engine.name}`, () => {
    const ctx = useTestApp(engine, { clock: fixedClock('2026-12-10T10:00:00.000Z') })

    it('has four fictional core inspections of 2023-2024, Swansea\'s completed in place with the recommendations its visit cites', async () => {
      await seedDemo(ctx.services)
      const year = await ctx.services.coreInspections.forYear('2023-2024')
      expect(year.map((i) => i.authority.nameEn)).toEqual(['Carmarthenshire', 'Gwynedd', 'Swansea', 'Wrexham'])
      expect(year.map((i) => i.medium).sort()).toEqual(['bilingual', 'english', 'english', 'welsh'])
      for (const i of year) {
        expect(i.framework).toBe('lges-2022')
        expect(i.reportUrl).toMatch(/^https:\/\/reports\.demo\.cyswllt\.invalid\/core\//)
        expect(i.findings.length).toBeGreaterThanOrEqual(10)
        expect(i.findings.every((f) => f.frameworkAreaCode !== null && f.themes.length > 0)).toBe(true)
      }
      const swansea = year.find((i) => i.gssCode === SWANSEA)!
      const cited = await ctx.services.database.db.selectFrom('focus_area').select('recommendation_id').where('recommendation_id', 'is not', null).execute()
      expect(cited.length).toBeGreaterThan(0)
      const r1 = swansea.recommendations.find((r) => r.ref === 'R1')!
      expect(cited.map((c) => c.recommendation_id)).toContain(r1.id)
      expect(r1.themes.map((t) => t.key)).toEqual(['self-evaluation'])

      // Run again: nothing of the core inspections changes.
      const tables = async () => ({
        inspections: await ctx.services.database.db.selectFrom('core_inspection').selectAll().orderBy('id').execute(),
        findings: await ctx.services.database.db.selectFrom('core_finding').selectAll().orderBy('id').execute(),
        recommendations: await ctx.services.database.db.selectFrom('core_recommendation').selectAll().orderBy('id').execute(),
      })
      const before = await tables()
      await seedDemo(ctx.services)
      expect(await tables()).toEqual(before)
      expect(await ctx.services.coreInspections.list()).toHaveLength(4)
    })
  })
}

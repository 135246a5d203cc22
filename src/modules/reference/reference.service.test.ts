import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp } from '../../../test/helpers/test-app.ts'
import { systemActor } from '../auth/actor.ts'
import { CYCLE_YEARS, patternTermDates, termSeeds } from './reference.data.ts'
import { referenceRepository } from './reference.repository.ts'

const admin = systemActor('reference test')

for (const engine of testEngines()) {
  describe(`reference data on ${engine.name}`, () => {
    const ctx = useTestApp(engine)

    it('seeds the 22 authorities of Wales with their English and Welsh names', async () => {
      const authorities = await ctx.services.reference.listAuthorities()
      expect(authorities).toHaveLength(22)
      expect(new Set(authorities.map((a) => a.gss_code)).size).toBe(22)
      expect(authorities.every((a) => /^W06\d{6}$/.test(a.gss_code))).toBe(true)
      expect(await ctx.services.reference.getAuthority('W06000015')).toMatchObject({
        name_en: 'Cardiff', name_cy: 'Caerdydd', preferred_language: 'cy', director_name: null, version: 1,
      })
      expect(await ctx.services.reference.getAuthority('W06000001')).toMatchObject({ name_en: 'Isle of Anglesey', name_cy: 'Ynys Môn' })
      expect(await ctx.services.reference.getAuthority('W06000022')).toMatchObject({ name_en: 'Newport', name_cy: 'Casnewydd' })
    })

    it('seeds 18 terms, with the approved dates for 2025 to 2026', async () => {
      const terms = await ctx.services.reference.listTerms()
      expect(terms).toHaveLength(18)
      expect([...new Set(terms.map((t) => t.academic_year))]).toEqual([...CYCLE_YEARS])
      const dates = Object.fromEntries(terms.filter((t) => t.academic_year === '2025-2026').map((t) => [t.key, [t.starts_on, t.ends_on]]))
      expect(dates).toEqual({
        '2025-2026/autumn': ['2025-09-01', '2025-12-19'],
        '2025-2026/spring': ['2026-01-05', '2026-03-27'],
        '2025-2026/summer': ['2026-04-13', '2026-07-20'],
      })
      // In calendar order, and no term overlaps the next.
      for (let i = 1; i < terms.length; i++) expect(terms[i]!.starts_on > terms[i - 1]!.ends_on).toBe(true)
      const year = await referenceRepository(ctx.services.database.db).getAcademicYear('2025-2026')
      expect(year).toEqual({ key: '2025-2026', starts_on: '2025-09-01', ends_on: '2026-07-20' })
    })

    it('seeds three framework versions, with the areas of the 2024 framework', async () => {
      const frameworks = await ctx.services.reference.listFrameworks()
      expect(frameworks.map((f) => f.key)).toEqual(['lges-2024', 'lges-2022', 'lges-2018'])
      const { framework, areas } = await ctx.services.reference.getFramework('lges-2024')
      expect(framework).toMatchObject({ effective_from: '2024-09-01', effective_to: null })
      expect(areas.map((a) => [a.code, a.parent_code])).toEqual([
        ['IA1', null], ['1.1', 'IA1'], ['1.2', 'IA1'], ['1.3', 'IA1'],
        ['IA2', null], ['2.1', 'IA2'], ['2.2', 'IA2'], ['2.3', 'IA2'], ['2.4', 'IA2'],
      ])
      expect(areas.find((a) => a.code === '2.3')).toMatchObject({ name_en: 'Safeguarding arrangements', name_cy: 'Trefniadau diogelu' })
    })

    it('adds nothing when seeded again, and keeps an admin’s edits', async () => {
      const cardiff = await ctx.services.reference.getAuthority('W06000015')
      await ctx.services.reference.updateAuthority(admin, 'W06000015', {
        nameEn: 'Cardiff', nameCy: 'Caerdydd', directorName: 'Director Jones', directorEmail: 'Director@Cardiff.example',
        preferredLanguage: 'en', version: cardiff.version,
      })
      const term = await ctx.services.reference.getTerm('2027-2028/spring')
      await ctx.services.reference.updateTerm(admin, term.key, { startsOn: '2028-01-04', endsOn: term.ends_on, version: term.version })
      const { framework } = await ctx.services.reference.getFramework('lges-2018')
      await ctx.services.reference.updateFramework(admin, 'lges-2018', {
        nameEn: framework.name_en, nameCy: framework.name_cy, effectiveFrom: framework.effective_from, effectiveTo: framework.effective_to,
        version: framework.version, 'area.1.nameEn': 'Learner outcomes',
      })

      expect(await ctx.services.reference.ensureSeeded()).toBe(0)

      expect(await ctx.services.reference.getAuthority('W06000015')).toMatchObject({
        director_name: 'Director Jones', director_email: 'director@cardiff.example', preferred_language: 'en', version: cardiff.version + 1,
      })
      expect((await ctx.services.reference.getTerm('2027-2028/spring')).starts_on).toBe('2028-01-04')
      const areas = (await ctx.services.reference.getFramework('lges-2018')).areas
      expect(areas.find((a) => a.code === '1')?.name_en).toBe('Learner outcomes')
      expect(await ctx.services.reference.listAuthorities()).toHaveLength(22)
      expect(await ctx.services.reference.listTerms()).toHaveLength(18)
    })

    it('keeps an academic year’s bounds in step with its terms', async () => {
      const autumn = await ctx.services.reference.getTerm('2028-2029/autumn')
      await ctx.services.reference.updateTerm(admin, autumn.key, { startsOn: '2028-09-05', endsOn: autumn.ends_on, version: autumn.version })
      const year = await referenceRepository(ctx.services.database.db).getAcademicYear('2028-2029')
      expect(year?.starts_on).toBe('2028-09-05')
    })

    it('refuses a term that ends before it starts or overlaps its neighbours, naming the neighbour', async () => {
      const spring = await ctx.services.reference.getTerm('2026-2027/spring')
      await expect(ctx.services.reference.updateTerm(admin, spring.key, { startsOn: '2027-03-01', endsOn: '2027-02-01', version: spring.version }))
        .rejects.toMatchObject({ code: 'validation_failed', details: [{ path: 'endsOn', messageKey: 'validation.endAfterStart' }] })
      await expect(ctx.services.reference.updateTerm(admin, spring.key, { startsOn: '2026-12-01', endsOn: '2027-04-30', version: spring.version }))
        .rejects.toMatchObject({
          code: 'validation_failed',
          details: [
            { path: 'startsOn', messageKey: 'validation.termOverlapsPrevious', params: { term: '2026-2027/autumn' } },
            { path: 'endsOn', messageKey: 'validation.termOverlapsNext', params: { term: '2026-2027/summer' } },
          ],
        })
      // The first term of the cycle has no term before it; it may start earlier.
      const first = await ctx.services.reference.getTerm('2024-2025/autumn')
      await expect(ctx.services.reference.updateTerm(admin, first.key, { startsOn: '2024-08-30', endsOn: first.ends_on, version: first.version })).resolves.toBeTruthy()
      expect((await ctx.services.reference.getTerm(spring.key)).version).toBe(spring.version)
    })

    it('detects an edit made from an out-of-date form instead of overwriting', async () => {
      const a = await ctx.services.reference.getAuthority('W06000023')
      const input = { nameEn: 'Powys', nameCy: 'Powys', preferredLanguage: 'cy', version: a.version }
      await ctx.services.reference.updateAuthority(admin, a.gss_code, { ...input, directorName: 'First' })
      await expect(ctx.services.reference.updateAuthority(admin, a.gss_code, { ...input, directorName: 'Second' }))
        .rejects.toMatchObject({ code: 'version_conflict', status: 409 })
      expect((await ctx.services.reference.getAuthority(a.gss_code)).director_name).toBe('First')
    })

    it('records each change in the audit log with what changed', async () => {
      const { framework } = await ctx.services.reference.getFramework('lges-2022')
      await ctx.services.reference.updateFramework(admin, 'lges-2022', {
        nameEn: framework.name_en, nameCy: framework.name_cy, effectiveFrom: framework.effective_from, effectiveTo: '2024-08-30',
        version: framework.version, 'area.2.nameCy': 'Arweinyddiaeth a rheolaeth',
      })
      const { items } = await ctx.services.audit.list({ action: 'framework.update', entityId: 'lges-2022' }, { limit: 5, offset: 0 })
      expect(items).toHaveLength(1)
      expect(JSON.parse(items[0]!.details)).toEqual({
        effective_to: { from: '2024-08-31', to: '2024-08-30' },
        areasRenamed: ['2'],
      })
    })
  })
}

describe('pattern term dates', () => {
  const weekday = (iso: string) => new Date(`${iso}T12:00:00Z`).getUTCDay()

  it.each(['2024-2025', '2026-2027', '2027-2028', '2029-2030', '2031-2032', '2035-2036'])('are school days in order for %s', (year) => {
    const d = patternTermDates(year)
    const all = [d.autumn, d.spring, d.summer].flat()
    for (const date of all) expect([1, 2, 3, 4, 5]).toContain(weekday(date))
    expect(all).toEqual([...all].sort())
    expect(new Set(all).size).toBe(6)
    const first = Number(year.slice(0, 4))
    expect(d.autumn[0].startsWith(`${first}-09-0`)).toBe(true)
    expect(d.autumn[1].startsWith(`${first}-12-`)).toBe(true)
    expect(d.spring[0].startsWith(`${first + 1}-01-`)).toBe(true)
    expect(d.summer[1].startsWith(`${first + 1}-07-`)).toBe(true)
    // Terms start on Mondays after the winter and spring breaks, and autumn and spring end on Fridays.
    expect(weekday(d.spring[0])).toBe(1)
    expect(weekday(d.summer[0])).toBe(1)
    expect(weekday(d.autumn[1])).toBe(5)
    expect(weekday(d.spring[1])).toBe(5)
  })

  it('are used for the years without approved dates', () => {
    const seeded = termSeeds().filter((t) => t.academicYear === '2027-2028')
    const pattern = patternTermDates('2027-2028')
    expect(seeded.map((t) => [t.startsOn, t.endsOn])).toEqual([pattern.autumn, pattern.spring, pattern.summer])
  })
})

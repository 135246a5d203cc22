import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp } from '../../../test/helpers/test-app.ts'
import { fixedClock } from '../../clock.ts'
import { AppError } from '../../http/errors.ts'
import { systemActor } from '../auth/actor.ts'
import { PROVIDER_COLUMNS } from './providers.csv.ts'
import { yearsBefore } from './providers.service.ts'

const HEADER = PROVIDER_COLUMNS.join(',')
const csv = (...rows: string[]) => [HEADER, ...rows].join('\r\n') + '\r\n'

describe('yearsBefore', () => {
  it('goes back whole years, 29 February to 28 February', () => {
    expect(yearsBefore('2027-01-04', 2)).toBe('2025-01-04')
    expect(yearsBefore('2028-02-29', 2)).toBe('2026-02-28')
  })
})

for (const engine of testEngines()) {
  describe(`providers on ${engine.name}`, () => {
    const ctx = useTestApp(engine, { clock: fixedClock('2026-07-01T09:00:00.000Z') })
    const db = () => ctx.services.database.db
    const providerRows = () => db().selectFrom('provider').selectAll().orderBy('reference').execute()

    it('inserts a good file, then a second import updates by reference and adds the new, audited', async () => {
      const admin = await ctx.make.user('admin')
      const actor = { kind: 'user' as const, id: admin.id, name: admin.name, email: admin.email, role: admin.role, authorityCode: null }
      const first = await ctx.services.providers.importCsv(actor, csv(
        'W06000008,S-100,Ysgol Un,primary,2025-03-12,"Good, with ""strong"" teaching",https://example.org/100',
        'W06000015,S-101,Ysgol Dau,secondary,,,',
      ))
      expect(first).toEqual({ inserted: 2, updated: 0 })
      expect((await providerRows()).map((p) => [p.reference, p.authority_code, p.name, p.kind, p.last_inspected_on, p.summary, p.report_url])).toEqual([
        ['S-100', 'W06000008', 'Ysgol Un', 'primary', '2025-03-12', 'Good, with "strong" teaching', 'https://example.org/100'],
        ['S-101', 'W06000015', 'Ysgol Dau', 'secondary', null, null, null],
      ])

      const second = await ctx.services.providers.importCsv(actor, csv(
        'W06000008,S-100,Ysgol Un (renamed),all_age,2026-01-20,Better,',
        'W06000008,S-102,Ysgol Tri,nursery,,,',
      ))
      expect(second).toEqual({ inserted: 1, updated: 1 })
      const rows = await providerRows()
      expect(rows).toHaveLength(3)
      expect(rows.find((p) => p.reference === 'S-100')).toMatchObject({ name: 'Ysgol Un (renamed)', kind: 'all_age', last_inspected_on: '2026-01-20', summary: 'Better', report_url: null })
      expect(rows.find((p) => p.reference === 'S-101')).toMatchObject({ name: 'Ysgol Dau' })

      const audit = await db().selectFrom('audit_event').selectAll().where('action', '=', 'providers.import').orderBy('id').execute()
      expect(audit.map((a) => JSON.parse(a.details))).toEqual([{ inserted: 2, updated: 0, rows: 2 }, { inserted: 1, updated: 1, rows: 2 }])
      expect(audit[0]!.actor_id).toBe(admin.id)
    })

    it('refuses a file with several problems whole, naming each by row and column, and changes nothing', async () => {
      await ctx.services.providers.importCsv(systemActor('test'), csv('W06000008,K-1,Kept,primary,2024-05-01,Before,'))
      const before = await providerRows()
      const auditBefore = await db().selectFrom('audit_event').select('id').execute()
      const bad = csv(
        'W06000008,K-1,Changed name,special,2025-01-01,After,', // valid on its own: must still not be saved
        'W06000008,K-2,New school,primary,,,', // likewise
        'W06099999,K-3,Nowhere,primary,,,',
        'W06000008,K-4,,secondary,2025-13-01,,ftp://example.org',
        'W06000008,K-2,Twice,bogus,,,',
      )
      const error = await ctx.services.providers.importCsv(systemActor('test'), bad).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(AppError)
      expect((error as AppError).code).toBe('validation_failed')
      expect((error as AppError).details.map((d) => d.path)).toEqual([
        'row 4, authority_gss',
        'row 5, name', 'row 5, last_inspected_on', 'row 5, report_url',
        'row 6, kind', 'row 6, reference',
      ])
      expect(await providerRows()).toEqual(before)
      expect(await db().selectFrom('audit_event').select('id').execute()).toHaveLength(auditBefore.length)
    })

    it('lets only administrators and the command line import', async () => {
      const hmi = await ctx.make.user('hmi')
      const actor = { kind: 'user' as const, id: hmi.id, name: hmi.name, email: hmi.email, role: hmi.role, authorityCode: null }
      await expect(ctx.services.providers.importCsv(actor, csv('W06000008,H-1,X,primary,,,'))).rejects.toMatchObject({ code: 'forbidden' })
      expect(await db().selectFrom('provider').select('id').where('reference', '=', 'H-1').execute()).toEqual([])
    })
  })
}

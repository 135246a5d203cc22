import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp } from '../../../test/helpers/test-app.ts'
import { fixedClock } from '../../clock.ts'
import { systemActor } from '../auth/actor.ts'
import { DEMO_BUNDLE } from '../core-inspections/core-inspections.demo.ts'
import { changeStamp, StampedCache } from './change-stamp.ts'

const NOW = '2024-11-14T10:00:00.000Z'
const YEAR = '2023-2024'
const system = systemActor('test')

describe('StampedCache', () => {
  it('serves an entry only under the stamp it was built at, builds once for callers at the same time, and keeps at most its size', async () => {
    const cache = new StampedCache<string>(2)
    let builds = 0
    const build = (v: string) => async () => { builds++; return v }
    const [a, b] = await Promise.all([cache.get('k', 's1', build('one')), cache.get('k', 's1', build('two'))])
    expect([a, b, builds]).toEqual(['one', 'one', 1])
    expect(await cache.get('k', 's2', build('three'))).toBe('three')
    expect(builds).toBe(2)
    await cache.get('x', 's2', build('x'))
    await cache.get('y', 's2', build('y'))
    expect(cache.length).toBe(2)
    // 'k' was the least recently used: gone.
    expect(await cache.get('k', 's2', build('four'))).toBe('four')
    // A failed build is not kept.
    await expect(cache.get('f', 's', async () => { throw new Error('no') })).rejects.toThrow('no')
    expect(await cache.get('f', 's', build('ok'))).toBe('ok')
  })
})

for (const engine of testEngines()) {
  describe(`cached pages follow every write, on ${engine.name}`, () => {
    const ctx = useTestApp(engine, { clock: fixedClock(NOW) })

    it('the change stamp moves on a write, and on a row committed late below the newest id', async () => {
      const { db } = ctx.services.database
      const before = await changeStamp(db)
      expect(await changeStamp(db)).toBe(before)
      await ctx.services.audit.record(db, system, 'test.write', { type: 'test', id: 1 })
      const afterWrite = await changeStamp(db)
      expect(afterWrite).not.toBe(before)
      // As on PostgreSQL when a transaction holding a lower id commits after one with a higher id.
      const newest = Number(afterWrite.split(':')[0])
      const row = { at: NOW, actor_id: null, actor_label: 'test', action: 'test.late', entity_type: 'test', entity_id: '2', details: '{}' }
      await db.insertInto('audit_event').values({ ...row, id: newest + 10 }).execute()
      const withGap = await changeStamp(db)
      await db.insertInto('audit_event').values({ ...row, id: newest + 5 }).execute()
      const late = await changeStamp(db)
      expect(late.split(':')[0]).toBe(withGap.split(':')[0])
      expect(late).not.toBe(withGap)
      // Out of the way of the ids the database hands out next (PostgreSQL's sequence did not see these).
      await db.deleteFrom('audit_event').where('action', '=', 'test.late').execute()
    })

    it('the Early Insights summary page shows a reworded point and the publication at once, in each language', async () => {
      await ctx.services.coreInspections.importText(system, fs.readFileSync(DEMO_BUNDLE, 'utf8'))
      const { browser } = await ctx.signedIn('hmi')
      const first = (await browser.get(`/insights/${YEAR}`)).body
      const summary = await ctx.services.insights.summary(YEAR, 'en')
      const point = summary.recommendations[0]!
      expect(first).toContain(point.sentence.replace(/'/g, '&#39;'))
      const wording = 'Leaders should agree one plan for professional learning across the authority.'
      expect(first).not.toContain(wording)
      await ctx.services.insights.editPoint(system, { year: YEAR, lang: 'en', key: point.key, text: wording })
      await ctx.services.insights.publish(system, YEAR)
      const after = (await browser.get(`/insights/${YEAR}`)).body
      expect(after).toContain(wording)
      expect(after).not.toBe(first)
      // The Welsh page is its own entry: never the English one.
      const cy = (await browser.get(`/insights/${YEAR}`, { 'accept-language': 'cy' })).body
      expect(cy).not.toContain(wording)
      expect(cy).toContain('<html lang="cy"')
    })

    it('the programme grid shows a renamed authority at once', async () => {
      const { browser } = await ctx.signedIn('hmi')
      const authority = (await ctx.services.reference.listAuthorities())[0]!
      const first = (await browser.get('/programme')).body
      expect(first).toContain(authority.name_en)
      const renamed = `${authority.name_en} Renamed`
      expect(first).not.toContain(renamed)
      await ctx.services.reference.updateAuthority(system, authority.gss_code, {
        nameEn: renamed, nameCy: authority.name_cy, preferredLanguage: authority.preferred_language, version: authority.version,
      })
      const after = (await browser.get('/programme')).body
      expect(after).toContain(renamed)
    })
  })
}

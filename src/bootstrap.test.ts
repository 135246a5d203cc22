import { describe, expect, it } from 'vitest'
import { bootstrap } from './bootstrap.ts'
import { testEngines } from '../test/helpers/engines.ts'
import { useTestApp } from '../test/helpers/test-app.ts'

describe.each(testEngines())('bringing the database up to date on $name', (engine) => {
  const ctx = useTestApp(engine)
  const upgrades = () => ctx.services.database.db.selectFrom('audit_event').selectAll().where('action', '=', 'database.upgrade').orderBy('id').execute()

  it('records what the first start did, and nothing when there is nothing to do', async () => {
    const [first, ...more] = await upgrades()
    expect(more).toEqual([])
    expect(first).toMatchObject({ actor_label: 'start', entity_type: 'database' })
    const details = JSON.parse(first!.details) as { migrations: string[]; referenceRowsAdded: number }
    expect(details.migrations.length).toBeGreaterThan(0)
    expect(details.referenceRowsAdded).toBeGreaterThan(22)

    await bootstrap(ctx.services, ctx.config)
    expect(await upgrades()).toHaveLength(1)
  })

  it('records reference data it adds again, so every server builds its kept pages afresh', async () => {
    const { browser } = await ctx.signedIn('hmi')
    await browser.get('/')
    await browser.get('/')
    const before = ctx.app.pageCache.stats()
    const db = ctx.services.database.db
    const theme = await db.selectFrom('theme').select(['id', 'key']).orderBy('id').executeTakeFirstOrThrow()
    await db.deleteFrom('theme').where('id', '=', theme.id).execute()

    await bootstrap(ctx.services, ctx.config)
    const last = (await upgrades()).at(-1)!
    expect(JSON.parse(last.details)).toEqual({ migrations: [], referenceRowsAdded: 1 })
    expect(await db.selectFrom('theme').select('id').where('key', '=', theme.key).executeTakeFirst()).toBeDefined()
    expect((await browser.get('/')).statusCode).toBe(200)
    expect(ctx.app.pageCache.stats().misses).toBe(before.misses + 1)
  })
})

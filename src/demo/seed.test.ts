import { describe, expect, it } from 'vitest'
import { ROLES } from '../db/schema.ts'
import { testEngines } from '../../test/helpers/engines.ts'
import { useTestApp } from '../../test/helpers/test-app.ts'
import { DEMO_DOMAIN, seedDemo } from './seed.ts'

for (const engine of testEngines()) {
  describe(`demo seed on ${engine.name}`, () => {
    const ctx = useTestApp(engine)

    it('creates a fictional account of every role on a freshly bootstrapped database, each able to sign in', async () => {
      const { accounts } = await seedDemo(ctx.services)
      expect(new Set(accounts.map((a) => a.role))).toEqual(new Set(ROLES))
      expect(accounts.filter((a) => a.role === 'hmi')).toHaveLength(2)
      for (const a of accounts) {
        expect(a.email.endsWith(`@${DEMO_DOMAIN}`)).toBe(true)
        expect(a.name).toMatch(/^Demo /)
        expect(a.password).toEqual(expect.any(String))
        expect((await ctx.services.auth.signIn(a.email, a.password!)).ok).toBe(true)
      }
      const peer = accounts.find((a) => a.role === 'peer')!
      const la = accounts.find((a) => a.role === 'la')!
      expect(peer.authorityCode).toBeTruthy()
      expect(la.authorityCode).toBeTruthy()
      expect(la.authorityCode).not.toBe(peer.authorityCode)

      const withDirectors = (await ctx.services.reference.listAuthorities()).filter((a) => a.director_name)
      expect(withDirectors.length).toBeGreaterThanOrEqual(2)
      for (const a of withDirectors) expect(a.director_email).toMatch(new RegExp(`@${DEMO_DOMAIN.replace(/\./g, '\\.')}$`))
      const audit = await ctx.services.database.db.selectFrom('audit_event').select('action').where('actor_label', '=', 'demo').execute()
      expect(audit.filter((e) => e.action === 'user.create')).toHaveLength(accounts.length)
    })

    it('leaves existing demo accounts and directors alone when run again', async () => {
      const before = await ctx.services.users.count()
      const directors = (await ctx.services.reference.listAuthorities()).filter((a) => a.director_name)
      const { accounts } = await seedDemo(ctx.services)
      expect(await ctx.services.users.count()).toBe(before)
      expect(accounts.map((a) => a.password)).toEqual(accounts.map(() => null))
      const after = (await ctx.services.reference.listAuthorities()).filter((a) => a.director_name)
      expect(after.map((a) => [a.gss_code, a.version])).toEqual(directors.map((a) => [a.gss_code, a.version]))
    })
  })
}

import { beforeAll, describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { ADMIN_EMAIL, useTestApp, type Browser } from '../../../test/helpers/test-app.ts'
import { fixedClock } from '../../clock.ts'
import { toActor } from '../auth/auth.service.ts'
import { systemActor, type UserActor } from '../auth/actor.ts'

/** Rows of the events table: one `<time>` per event. */
const rowCount = (html: string) => (html.match(/<time datetime="/g) ?? []).length
const nowIso = () => new Date().toISOString()

for (const engine of testEngines()) {
  describe(`audit log page on ${engine.name}`, () => {
    // Real time, except where a test moves it to write events on known days.
    const clock = fixedClock(nowIso())
    const ctx = useTestApp(engine, { clock })
    let admin: Browser
    let adminActor: UserActor

    beforeAll(async () => {
      clock.set(nowIso())
      admin = (await ctx.signedIn('admin')).browser
      adminActor = toActor((await ctx.services.users.byEmail(ADMIN_EMAIL))!)
    })

    it('shows events written by real actions, newest first, with readable details', async () => {
      clock.set(nowIso())
      const { user } = await ctx.services.users.create(adminActor, { email: 'gwen.audit@test.invalid', name: 'Gwen Audit', role: 'hmi' })
      await ctx.services.users.update(adminActor, user.id, { name: 'Gwen Audit', role: 'reviewer', version: user.version })
      const { user: signer } = await ctx.signedIn('hmi')
      const res = await admin.get('/admin/audit')
      expect(res.statusCode).toBe(200)
      expect(res.body).toContain('<h1 class="govuk-heading-l">Audit log</h1>')
      expect(res.body).toContain('<caption class="govuk-table__caption govuk-table__caption--m">Events, newest first</caption>')
      expect(res.body).toContain('User created')
      expect(res.body).toContain(`User ${user.id}`)
      expect(res.body).toContain('email: gwen.audit@test.invalid')
      expect(res.body).toContain('role: hmi → reviewer')
      // Only the changed field of the update is listed.
      expect(res.body).not.toContain('name: Gwen Audit → Gwen Audit')
      expect(res.body).toContain('Administrator &lt;admin@test.invalid&gt;')
      expect(res.body).toContain(`${signer.name} &lt;${signer.email}&gt;`)
      expect(res.body).toContain('Signed in')
      // Newest first: the sign-in came after the change of role, which came after the creation.
      const signIn = res.body.indexOf(`${signer.name} &lt;`)
      const changed = res.body.indexOf('role: hmi → reviewer')
      const created = res.body.indexOf('email: gwen.audit@test.invalid')
      expect(signIn).toBeLessThan(changed)
      expect(changed).toBeLessThan(created)
    })

    it('narrows the events by who, ignoring case', async () => {
      await ctx.services.users.create(adminActor, { email: 'narrow.who@test.invalid', name: 'Narrow Who', role: 'hmi' })
      const all = await admin.get('/admin/audit')
      const res = await admin.get('/admin/audit?actor=TEST+HMI')
      expect(res.statusCode).toBe(200)
      expect(rowCount(res.body)).toBeGreaterThan(0)
      expect(rowCount(res.body)).toBeLessThan(rowCount(all.body))
      expect(res.body).not.toContain('Administrator &lt;admin@test.invalid&gt;')
      expect(res.body).toContain('value="TEST HMI"')
      const byEmail = await admin.get(`/admin/audit?actor=${encodeURIComponent(ADMIN_EMAIL)}`)
      expect(byEmail.body).toContain('Administrator &lt;admin@test.invalid&gt;')
      expect(byEmail.body).not.toContain('Test hmi')
    })

    it('narrows the events by action, offering the actions recorded', async () => {
      const victim = await ctx.make.user('peer')
      await ctx.services.users.disableByEmail(adminActor, victim.email)
      const res = await admin.get('/admin/audit?action=user.disable')
      expect(res.statusCode).toBe(200)
      expect(res.body).toContain('<option value="user.disable" selected>User disabled</option>')
      expect(res.body).toContain('<option value="user.create">User created</option>')
      const rows = rowCount(res.body)
      expect(rows).toBeGreaterThanOrEqual(1)
      expect((res.body.match(/<td class="govuk-table__cell">User disabled<\/td>/g) ?? []).length).toBe(rows)
      expect(res.body).toContain(`email: ${victim.email}`)
    })

    it('narrows the events by record type', async () => {
      await ctx.services.auth.createToken(adminActor, ADMIN_EMAIL, 'audit-test-token')
      const res = await admin.get('/admin/audit?entityType=api_token')
      expect(res.statusCode).toBe(200)
      expect(res.body).toContain('<option value="api_token" selected>API token</option>')
      expect(rowCount(res.body)).toBeGreaterThanOrEqual(1)
      expect(res.body).toContain('label: audit-test-token')
      expect(res.body).not.toContain('<td class="govuk-table__cell">User created</td>')
    })

    it('narrows the events by date, the to date taking in the whole day', async () => {
      clock.set('2024-01-10T12:00:00.000Z')
      await ctx.services.users.create(adminActor, { email: 'january.tenth@test.invalid', name: 'Ionawr Deg', role: 'hmi' })
      clock.set('2024-01-12T23:30:00.000Z')
      await ctx.services.users.create(adminActor, { email: 'january.twelfth@test.invalid', name: 'Ionawr Deuddeg', role: 'hmi' })
      clock.set(nowIso())
      const day10 = await admin.get('/admin/audit?from=2024-01-10&to=2024-01-10')
      expect(rowCount(day10.body)).toBe(1)
      expect(day10.body).toContain('january.tenth@test.invalid')
      const from11 = await admin.get('/admin/audit?from=2024-01-11&to=2024-01-12')
      expect(rowCount(from11.body)).toBe(1)
      expect(from11.body).toContain('january.twelfth@test.invalid')
      const upTo = await admin.get('/admin/audit?to=2024-01-12')
      expect(rowCount(upTo.body)).toBe(2)
      const none = await admin.get('/admin/audit?from=2024-01-13&to=2024-01-14')
      expect(rowCount(none.body)).toBe(0)
      expect(none.body).toContain('No events match these filters.')
    })

    it('pages through more than 50 events, keeping the filters in the page links', async () => {
      const pager = systemActor('pager-test')
      await ctx.services.database.db.transaction().execute(async (trx) => {
        for (let i = 1; i <= 60; i++) await ctx.services.audit.record(trx, pager, 'test.page', { type: 'page_test', id: `item-${i}` }, { n: i })
      })
      const first = await admin.get('/admin/audit?actor=pager-test&action=test.page')
      expect(first.statusCode).toBe(200)
      expect(rowCount(first.body)).toBe(50)
      expect(first.body).toContain('Showing 1 to 50 of 60')
      expect(first.body).toContain('page_test item-60')
      expect(first.body).toContain('page_test item-11<')
      expect(first.body).not.toContain('page_test item-10<')
      expect(first.body).toContain('class="govuk-pagination')
      expect(first.body).toContain('href="/admin/audit?actor=pager-test&amp;action=test.page&amp;page=2"')
      const second = await admin.get('/admin/audit?actor=pager-test&action=test.page&page=2')
      expect(rowCount(second.body)).toBe(10)
      expect(second.body).toContain('Showing 51 to 60 of 60')
      expect(second.body).toContain('page_test item-10<')
      expect(second.body).toContain('page_test item-1<')
      expect(second.body).not.toContain('page_test item-11<')
      expect(second.body).toContain('aria-current="page"')
      expect(second.body).toContain('href="/admin/audit?actor=pager-test&amp;action=test.page" rel="prev"')
    })

    it('shows a field error, not a crash, for a date that does not exist, keeping what was typed', async () => {
      const res = await admin.get('/admin/audit?from=2025-02-30&to=yesterday&actor=Gwen')
      expect(res.statusCode).toBe(400)
      expect(res.body).toContain('govuk-error-summary')
      expect(res.body).toContain('From date must be a real date in the format YYYY-MM-DD')
      expect(res.body).toContain('To date must be a real date in the format YYYY-MM-DD')
      expect(res.body).toContain('href="#from"')
      expect(res.body).toContain('value="2025-02-30"')
      expect(res.body).toContain('value="Gwen"')
      expect(res.body).toContain('<title>Error: Audit log')
      expect(rowCount(res.body)).toBe(0)
      const backwards = await admin.get('/admin/audit?from=2025-03-02&to=2025-03-01')
      expect(backwards.statusCode).toBe(400)
      expect(backwards.body).toContain('The to date must be the same as or after the from date')
    })

    it('escapes details and names, never running them as HTML', async () => {
      await ctx.services.users.create(adminActor, { email: 'xss.audit@test.invalid', name: '<script>alert("audit")</script>', role: 'hmi' })
      const res = await admin.get('/admin/audit?action=user.create')
      expect(res.body).not.toContain('<script>alert')
      expect(res.body).toContain('name: &lt;script&gt;alert(&quot;audit&quot;)&lt;/script&gt;')
    })

    it('is in Welsh for a Welsh reader', async () => {
      const { browser } = await ctx.signedIn('admin')
      await browser.get('/language/cy?back=%2F')
      const res = await browser.get('/admin/audit')
      expect(res.body).toContain('<h1 class="govuk-heading-l">Log archwilio</h1>')
      expect(res.body).toContain('Defnyddiwr wedi’i greu')
    })

    it('keeps the audit log from those without the permission', async () => {
      const { browser } = await ctx.signedIn('hmi')
      const res = await browser.get('/admin/audit')
      expect(res.statusCode).toBe(403)
      expect(res.body).not.toContain('Events, newest first')
      const reviewer = (await ctx.signedIn('reviewer')).browser
      expect((await reviewer.get('/admin/audit')).statusCode).toBe(403)
      const anonymous = await ctx.browser().get('/admin/audit')
      expect(anonymous.statusCode).toBe(302)
    })
  })
}

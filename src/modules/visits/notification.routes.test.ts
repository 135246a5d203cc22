import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp, type TestContext } from '../../../test/helpers/test-app.ts'
import { fixedClock } from '../../clock.ts'
import { systemActor } from '../auth/actor.ts'

async function setDirector(ctx: TestContext, code: string, name: string, email: string) {
  const a = await ctx.services.reference.getAuthority(code)
  await ctx.services.reference.updateAuthority(systemActor('test'), code, {
    nameEn: a.name_en, nameCy: a.name_cy, directorName: name, directorEmail: email, preferredLanguage: a.preferred_language, version: a.version,
  })
}

/** The markup from the first `from` up to the next `to` after it. */
const between = (html: string, from: string, to: string) => html.slice(html.indexOf(from), html.indexOf(to, html.indexOf(from)))

for (const engine of testEngines()) {
  describe(`notification letter and outbox pages on ${engine.name}`, () => {
    // No SMTP_URL: mail stays in the outbox for an admin to read.
    const ctx = useTestApp(engine, { clock: fixedClock('2026-07-01T09:00:00.000Z') })

    it('shows the printable letter in Welsh then English once notified, only to those who may see the visit', async () => {
      await setDirector(ctx, 'W06000008', 'Dr Siân <Jones> & Co', 'director@ceredigion.test')
      const elv = await ctx.services.visits.create(systemActor('test'), { authority: 'W06000008', term: '2026-2027/spring' })
      const { browser: admin } = await ctx.signedIn('admin')
      expect((await admin.get(`/elvs/${elv.id}/notification`)).statusCode).toBe(404)

      await ctx.services.visits.transition(systemActor('test'), elv.id, { to: 'notified' })
      const page = await admin.get(`/elvs/${elv.id}/notification`)
      expect(page.statusCode).toBe(200)
      const html = page.body
      expect(html.match(/<h1[\s>]/g)).toHaveLength(1)
      expect(html).toContain('<p class="govuk-body app-letter__letterhead">Cyswllt</p>')
      const cy = html.indexOf('<section class="app-letter__language" lang="cy"')
      const en = html.indexOf('<section class="app-letter__language" lang="en"')
      expect(cy).toBeGreaterThan(0)
      expect(en).toBeGreaterThan(cy)
      const welsh = html.slice(cy, en)
      const english = html.slice(en)
      expect(welsh).toContain('1 Gorffennaf 2026')
      expect(welsh).toContain('Annwyl Dr Siân &lt;Jones&gt; &amp; Co,')
      expect(welsh).toContain('Hysbysiad o ymweliad gwell arolygydd cyswllt: Ceredigion')
      expect(welsh).not.toContain('Dear')
      expect(english).toContain('1 July 2026')
      expect(english).toContain('Dear Dr Siân &lt;Jones&gt; &amp; Co,')
      expect(english).toContain('Notification of an enhanced link inspector visit: Ceredigion')
      // Both blocks have the same parts in the same order.
      const parts = (block: string) => [...block.matchAll(/<(p|h2) class="([^"]+)"/g)].map((m) => `${m[1]}.${m[2]}`)
      expect(parts(welsh)).toEqual(parts(between(english, '<section', '</section>')))
      expect(html).not.toMatch(/\sstyle="/)
      expect(html).toContain('class="app-no-print"')

      const { browser: ownLa } = await ctx.signedIn('la', { authority: 'W06000008' })
      expect((await ownLa.get(`/elvs/${elv.id}/notification`)).statusCode).toBe(200)
      const { browser: otherLa } = await ctx.signedIn('la', { authority: 'W06000015' })
      const hidden = await otherLa.get(`/elvs/${elv.id}/notification`)
      expect(hidden.statusCode).toBe(404)
      expect(hidden.body).not.toContain('Ceredigion')
      expect(hidden.body).not.toContain('Annwyl')
    })

    it('lets an admin read what would have been sent, and nobody else', async () => {
      await setDirector(ctx, 'W06000023', 'Ms Rhian Price', 'director@powys.test')
      const elv = await ctx.services.visits.create(systemActor('test'), { authority: 'W06000023', term: '2026-2027/spring' })
      await ctx.services.visits.transition(systemActor('test'), elv.id, { to: 'notified' })
      const [message] = await ctx.services.mail.forEntity('elv', elv.id)
      expect(message).toBeDefined()
      expect(await ctx.services.mail.deliverPending()).toBe(0)

      const { browser: admin } = await ctx.signedIn('admin')
      const home = await admin.get('/')
      expect(home.body).toContain('href="/admin/outbox"')
      const list = await admin.get('/admin/outbox')
      expect(list.statusCode).toBe(200)
      expect(list.body).toContain('No mail server is set up (SMTP_URL)')
      expect(list.body).toMatch(/<caption class="govuk-table__caption[^"]*">The latest \d+ messages<\/caption>/)
      const row = between(list.body, `href="/admin/outbox/${message!.id}"`, '</tr>')
      expect(row).toContain('Powys')
      expect(row).toContain('Waiting')
      expect(list.body).toContain('director@powys.test')

      const one = await admin.get(`/admin/outbox/${message!.id}`)
      expect(one.statusCode).toBe(200)
      expect(one.body.match(/<h1[\s>]/g)).toHaveLength(1)
      const text = between(one.body, '<pre class="govuk-body app-outbox-text">', '</pre>')
      expect(text).toContain('Annwyl Ms Rhian Price,')
      expect(text).toContain('Dear Ms Rhian Price,')
      expect(text).toContain(`/elvs/${elv.id}/notification`)
      expect(text).not.toContain('<p>')
      expect(one.body).toContain(`href="/elvs/${elv.id}"`)
      expect((await admin.get('/admin/outbox/999999')).statusCode).toBe(404)

      await ctx.services.database.db.updateTable('outbox').set({ attempts: 3, last_error: 'Greeting never received <451>' }).where('id', '=', message!.id).execute()
      const failed = await admin.get('/admin/outbox')
      expect(between(failed.body, `href="/admin/outbox/${message!.id}"`, '</tr>')).toContain('Greeting never received &lt;451&gt;')
      expect(failed.body).toContain('Failed, will try again')

      const { browser: hmi } = await ctx.signedIn('hmi')
      expect((await hmi.get('/admin/outbox')).statusCode).toBe(403)
      expect((await hmi.get(`/admin/outbox/${message!.id}`)).statusCode).toBe(403)
      expect((await hmi.get('/')).body).not.toContain('href="/admin/outbox"')
      const { browser: la } = await ctx.signedIn('la', { authority: 'W06000023' })
      expect((await la.get('/admin/outbox')).statusCode).toBe(403)
    })

    it('writes no e-mail when the authority has no director address, and says so on the visit', async () => {
      const elv = await ctx.services.visits.create(systemActor('test'), { authority: 'W06000015', term: '2026-2027/spring' })
      await ctx.services.visits.transition(systemActor('test'), elv.id, { to: 'notified' })
      expect(await ctx.services.mail.forEntity('elv', elv.id)).toEqual([])
      const { browser: admin } = await ctx.signedIn('admin')
      const overview = await admin.get(`/elvs/${elv.id}`)
      expect(overview.body).toContain('The authority has no director’s e-mail address, so no e-mail was sent.')
      expect(overview.body).toContain(`href="/elvs/${elv.id}/notification"`)
      const letter = await admin.get(`/elvs/${elv.id}/notification`)
      expect(letter.statusCode).toBe(200)
      expect(letter.body).toContain('Annwyl Cyfarwyddwr Addysg,')
      expect(letter.body).toContain('Dear Director of Education,')
    })
  })
}

import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { csrfTokenIn, useTestApp, type Browser } from '../../../test/helpers/test-app.ts'
import { systemActor, type UserActor } from '../auth/actor.ts'
import type { AppUser } from '../../db/schema.ts'
import { fixedClock } from '../../clock.ts'

const asActor = (u: AppUser): UserActor => ({ kind: 'user', id: u.id, name: u.name, email: u.email, role: u.role, authorityCode: u.authority_code })

for (const engine of testEngines()) {
  describe(`link notes on ${engine.name}`, () => {
    const ctx = useTestApp(engine, { clock: fixedClock('2026-07-01T09:00:00.000Z') })
    const system = systemActor('test')

    /** Posts a form as a browser does when several checkboxes of one name are ticked (Browser.post sends one value a name). */
    async function postForm(browser: Browser, url: string, fields: Array<[string, string]>, from = url) {
      const token = csrfTokenIn((await browser.get(from)).body)
      const res = await ctx.app.inject({
        method: 'POST', url,
        headers: { cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams([...fields, ['_csrf', token]]).toString(),
      })
      for (const c of res.cookies) if (c.value) browser.cookies.set(c.name, c.value)
      return res
    }

    async function linkInspectorOf(authority: string) {
      const { browser, user } = await ctx.signedIn('hmi')
      await ctx.services.database.db.updateTable('local_authority').set({ link_inspector_id: user.id }).where('gss_code', '=', authority).execute()
      return { browser, user }
    }

    it('the link inspector adds notes on the authority page; they show newest first, with themes, audited', async () => {
      const gss = 'W06000021'
      const { browser, user } = await linkInspectorOf(gss)
      const elv = await ctx.services.visits.create(system, { authority: gss, term: '2026-2027/spring' })
      const url = `/authorities/${gss}`
      const page = await browser.get(url)
      expect(page.statusCode).toBe(200)
      expect(page.body.match(/<h1/g)).toHaveLength(1)
      expect(page.body).toContain(user.name)
      expect(page.body).toContain(`href="/elvs/${elv.id}"`)
      expect(page.body).toContain('There are no link notes yet.')
      expect(page.body).toContain('Add link note')

      // The themes are checkboxes of the managed list; ticking two sends the name twice.
      expect(page.body).toContain('name="themes" type="checkbox" value="additional-learning-needs"')
      const first = await postForm(browser, `${url}/link-notes`, [['notedOn', '2026-05-04'], ['kind', 'meeting'], ['title', 'Termly meeting'], ['body', 'Discussed attendance'],
        ['frameworkAreaCode', '1.2'], ['themes', 'attendance'], ['themes', 'additional-learning-needs']], url)
      expect(first.statusCode).toBe(303)
      expect(first.headers.location).toBe(url)
      await browser.post(`${url}/link-notes`, { notedOn: '2026-06-20', kind: 'concern', title: 'Exclusions rising', body: 'Figures up' }, { from: url })
      const after = (await browser.get(url)).body
      expect(after).toContain('Link note added')
      expect(after.indexOf('Exclusions rising')).toBeLessThan(after.indexOf('Termly meeting'))
      expect(after).toContain('1.2 Support for vulnerable learners')
      expect(after).toMatch(/govuk-tag--grey">\s*Attendance/)
      expect(after).toMatch(/govuk-tag--grey">\s*Additional learning needs/)
      // In Welsh the same note shows the Welsh labels.
      await browser.get('/language/cy')
      const welsh = (await browser.get(url)).body
      expect(welsh).toMatch(/govuk-tag--grey">\s*Presenoldeb/)
      expect(welsh).toMatch(/govuk-tag--grey">\s*Anghenion dysgu ychwanegol/)
      expect(welsh).not.toMatch(/govuk-tag--grey">\s*Attendance/)
      const notes = await ctx.services.linkNotes.list(system, gss)
      expect(notes.map((n) => [n.title, n.themes.map((t) => t.key), n.author_id])).toEqual([['Exclusions rising', [], user.id], ['Termly meeting', ['attendance', 'additional-learning-needs'], user.id]])
      const stored = await ctx.services.database.db.selectFrom('link_note').select('themes').where('title', '=', 'Termly meeting').executeTakeFirstOrThrow()
      expect(JSON.parse(stored.themes)).toEqual(['attendance', 'additional-learning-needs'])
      const audit = await ctx.services.audit.list({ entityType: 'local_authority', entityId: gss }, { limit: 10, offset: 0 })
      expect(audit.items.map((e) => e.action)).toEqual(['link_note.create', 'link_note.create'])
    })

    it('keeps the input and lists every problem when a note is not valid', async () => {
      const gss = 'W06000022'
      const { browser } = await linkInspectorOf(gss)
      const url = `/authorities/${gss}`
      const res = await postForm(browser, `${url}/link-notes`, [['notedOn', '2026-08-01'], ['kind', 'gossip'], ['title', 'Kept title'], ['body', ''],
        ['frameworkAreaCode', 'Z9'], ['themes', 'safeguarding'], ['themes', 'aln']], url)
      expect(res.statusCode).toBe(400)
      expect(res.body).toContain('There is a problem')
      for (const href of ['#notedOn', '#kind', '#body', '#frameworkAreaCode', '#themes']) expect(res.body).toContain(`href="${href}"`)
      // The unknown theme is named; the theme that was ticked stays ticked.
      expect(res.body).toContain('There is no theme “aln”')
      expect(res.body).toContain('value="Kept title"')
      expect(res.body).toMatch(/value="safeguarding" checked/)
      expect(res.body).not.toMatch(/value="attendance" checked/)
      expect(await ctx.services.linkNotes.list(system, gss)).toEqual([])
    })

    it('other HMIs read but do not keep notes; authority users and peer inspectors cannot see them at all', async () => {
      const gss = 'W06000023'
      const { user: lali } = await linkInspectorOf(gss)
      await ctx.services.linkNotes.create(asActor(lali), gss, { notedOn: '2026-06-01', kind: 'briefing', title: 'Secret briefing', body: 'x' })
      const { browser: other, user: otherHmi } = await ctx.signedIn('hmi')
      const page = await other.get(`/authorities/${gss}`)
      expect(page.statusCode).toBe(200)
      expect(page.body).toContain('Secret briefing')
      expect(page.body).not.toContain('Add link note')
      await expect(ctx.services.linkNotes.create(asActor(otherHmi), gss, { notedOn: '2026-06-01', kind: 'other', title: 't', body: 'b' })).rejects.toMatchObject({ status: 403 })

      for (const role of ['la', 'peer'] as const) {
        const { browser, user } = await ctx.signedIn(role, { authority: gss })
        const res = await browser.get(`/authorities/${gss}`)
        expect(res.statusCode).toBe(404)
        expect(res.body).not.toContain('Secret briefing')
        await expect(ctx.services.linkNotes.list(asActor(user), gss)).rejects.toMatchObject({ status: 404 })
        const token = (await ctx.services.auth.createToken(system, user.email)).token
        const api = await ctx.app.inject({ method: 'GET', url: `/api/v1/authorities/${gss}/link-notes`, headers: { authorization: `Bearer ${token}` } })
        expect(api.statusCode).toBe(404)
      }
      const token = (await ctx.services.auth.createToken(system, otherHmi.email)).token
      const api = await ctx.app.inject({ method: 'GET', url: `/api/v1/authorities/${gss}/link-notes`, headers: { authorization: `Bearer ${token}` } })
      expect(api.json().items).toMatchObject([{ title: 'Secret briefing', kind: 'briefing', author: lali.name }])
    })

    it('updates a note with a version check: the second of two saves is refused', async () => {
      const gss = 'W06000024'
      const { browser, user } = await linkInspectorOf(gss)
      const note = await ctx.services.linkNotes.create(asActor(user), gss, { notedOn: '2026-06-01', kind: 'meeting', title: 'Original', body: 'x', themes: 'leadership' })
      const url = `/authorities/${gss}/link-notes/${note.id}`
      const form = await browser.get(url)
      expect(form.statusCode).toBe(200)
      expect(form.body).toContain('value="Original"')
      expect(form.body).toMatch(/value="leadership" checked/)
      expect(form.body).not.toMatch(/value="attendance" checked/)
      const saved = await postForm(browser, url, [['notedOn', '2026-06-02'], ['kind', 'meeting'], ['title', 'Changed'], ['body', 'y'],
        ['themes', 'leadership'], ['themes', 'Use-Of-Resources'], ['version', String(note.version)]])
      expect(saved.statusCode).toBe(303)
      const stale = await browser.post(url, { notedOn: '2026-06-02', kind: 'meeting', title: 'Overwrite', body: 'z', version: String(note.version) })
      expect(stale.statusCode).toBe(409)
      expect(stale.body).toContain('Someone else changed this record')
      expect(stale.body).toContain('value="Overwrite"')
      const kept = await ctx.services.linkNotes.get(system, gss, note.id)
      expect(kept).toMatchObject({ title: 'Changed', version: 2 })
      expect(kept.themes.map((t) => t.key)).toEqual(['leadership', 'use-of-resources'])
      // A reader who does not keep the notes cannot open the edit form.
      const { browser: reader } = await ctx.signedIn('reviewer')
      expect((await reader.get(url)).statusCode).toBe(403)
      expect((await reader.get(`/authorities/${gss}`)).statusCode).toBe(200)
    })

    it('refuses an unknown theme through the service too, naming it, and saves nothing', async () => {
      const gss = 'W06000016'
      const { user } = await linkInspectorOf(gss)
      const err = await ctx.services.linkNotes.create(asActor(user), gss, { notedOn: '2026-06-01', kind: 'other', title: 't', body: 'b', themes: ['attendance', 'post-16'] }).catch((e: unknown) => e)
      expect(err).toMatchObject({ status: 400, code: 'validation_failed', details: [{ path: 'themes', messageKey: 'themes.rule.unknown', params: { key: 'post-16' } }] })
      expect(await ctx.services.linkNotes.list(system, gss)).toEqual([])
    })

    it('shows the kept theme for a merged key, and words from before themes were managed as they were written', async () => {
      const gss = 'W06000018'
      const { browser, user } = await linkInspectorOf(gss)
      const admin = asActor(await ctx.make.user('admin'))
      await ctx.services.themes.create(admin, { key: 'persistent-absence', labelEn: 'Persistent absence', labelCy: 'Absenoldeb parhaus' })
      const note = await ctx.services.linkNotes.create(asActor(user), gss, { notedOn: '2026-06-01', kind: 'meeting', title: 'Absence', body: 'x', themes: ['persistent-absence'] })
      await ctx.services.themes.merge(admin, { from: 'persistent-absence', into: 'attendance' })
      expect((await ctx.services.linkNotes.get(system, gss, note.id)).themes.map((t) => t.key)).toEqual(['attendance'])
      // The old key is still accepted when a note is written, and stored as the kept theme's key.
      const later = await ctx.services.linkNotes.create(asActor(user), gss, { notedOn: '2026-06-02', kind: 'meeting', title: 'Later', body: 'x', themes: ['persistent-absence', 'attendance'] })
      expect(later.themes.map((t) => t.key)).toEqual(['attendance'])

      // A note from before themes were managed keeps its words on show; its edit form says saving drops them.
      await ctx.services.database.db.updateTable('link_note').set({ themes: JSON.stringify(['attendance', 'post-16']) }).where('id', '=', note.id).execute()
      expect(await ctx.services.linkNotes.get(system, gss, note.id)).toMatchObject({ otherThemes: ['post-16'] })
      const page = (await browser.get(`/authorities/${gss}`)).body
      expect(page).toMatch(/govuk-tag--grey">\s*post-16/)
      const edit = (await browser.get(`/authorities/${gss}/link-notes/${note.id}`)).body
      expect(edit).toContain('will not be kept when you save: post-16')
      expect(edit).toMatch(/value="attendance" checked/)
    })
  })
}

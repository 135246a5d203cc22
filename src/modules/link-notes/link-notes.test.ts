import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp } from '../../../test/helpers/test-app.ts'
import { systemActor, type UserActor } from '../auth/actor.ts'
import type { AppUser } from '../../db/schema.ts'
import { fixedClock } from '../../clock.ts'
import { parseThemes } from './link-notes.service.ts'

const asActor = (u: AppUser): UserActor => ({ kind: 'user', id: u.id, name: u.name, email: u.email, role: u.role, authorityCode: u.authority_code })

describe('parseThemes', () => {
  it('trims, lower-cases and de-duplicates comma-separated words', () => {
    expect(parseThemes(' Attendance, post-16 ,ALN,, aln , Welsh  medium')).toEqual(['attendance', 'post-16', 'aln', 'welsh medium'])
    expect(parseThemes(['A', 'b '])).toEqual(['a', 'b'])
    expect(parseThemes(undefined)).toEqual([])
  })
})

for (const engine of testEngines()) {
  describe(`link notes on ${engine.name}`, () => {
    const ctx = useTestApp(engine, { clock: fixedClock('2026-07-01T09:00:00.000Z') })
    const system = systemActor('test')

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

      const first = await browser.post(`${url}/link-notes`, { notedOn: '2026-05-04', kind: 'meeting', title: 'Termly meeting', body: 'Discussed attendance', frameworkAreaCode: '1.2', themes: 'Attendance, ALN' }, { from: url })
      expect(first.statusCode).toBe(303)
      expect(first.headers.location).toBe(url)
      await browser.post(`${url}/link-notes`, { notedOn: '2026-06-20', kind: 'concern', title: 'Exclusions rising', body: 'Figures up', themes: '' }, { from: url })
      const after = (await browser.get(url)).body
      expect(after).toContain('Link note added')
      expect(after.indexOf('Exclusions rising')).toBeLessThan(after.indexOf('Termly meeting'))
      expect(after).toContain('1.2 Support for vulnerable learners')
      expect(after).toMatch(/govuk-tag--grey">\s*aln/)
      const notes = await ctx.services.linkNotes.list(system, gss)
      expect(notes.map((n) => [n.title, n.themes, n.author_id])).toEqual([['Exclusions rising', [], user.id], ['Termly meeting', ['attendance', 'aln'], user.id]])
      const audit = await ctx.services.audit.list({ entityType: 'local_authority', entityId: gss }, { limit: 10, offset: 0 })
      expect(audit.items.map((e) => e.action)).toEqual(['link_note.create', 'link_note.create'])
    })

    it('keeps the input and lists every problem when a note is not valid', async () => {
      const gss = 'W06000022'
      const { browser } = await linkInspectorOf(gss)
      const url = `/authorities/${gss}`
      const res = await browser.post(`${url}/link-notes`, { notedOn: '2026-08-01', kind: 'gossip', title: 'Kept title', body: '', frameworkAreaCode: 'Z9', themes: 'a, b' }, { from: url })
      expect(res.statusCode).toBe(400)
      expect(res.body).toContain('There is a problem')
      for (const href of ['#notedOn', '#kind', '#body', '#frameworkAreaCode']) expect(res.body).toContain(`href="${href}"`)
      expect(res.body).toContain('value="Kept title"')
      expect(res.body).toContain('value="a, b"')
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
      const note = await ctx.services.linkNotes.create(asActor(user), gss, { notedOn: '2026-06-01', kind: 'meeting', title: 'Original', body: 'x', themes: 'one' })
      const url = `/authorities/${gss}/link-notes/${note.id}`
      const form = await browser.get(url)
      expect(form.statusCode).toBe(200)
      expect(form.body).toContain('value="Original"')
      expect(form.body).toContain('value="one"')
      const saved = await browser.post(url, { notedOn: '2026-06-02', kind: 'meeting', title: 'Changed', body: 'y', themes: 'one, Two', version: String(note.version) })
      expect(saved.statusCode).toBe(303)
      const stale = await browser.post(url, { notedOn: '2026-06-02', kind: 'meeting', title: 'Overwrite', body: 'z', version: String(note.version) })
      expect(stale.statusCode).toBe(409)
      expect(stale.body).toContain('Someone else changed this record')
      expect(stale.body).toContain('value="Overwrite"')
      expect(await ctx.services.linkNotes.get(system, gss, note.id)).toMatchObject({ title: 'Changed', themes: ['one', 'two'], version: 2 })
      // A reader who does not keep the notes cannot open the edit form.
      const { browser: reader } = await ctx.signedIn('reviewer')
      expect((await reader.get(url)).statusCode).toBe(403)
      expect((await reader.get(`/authorities/${gss}`)).statusCode).toBe(200)
    })
  })
}

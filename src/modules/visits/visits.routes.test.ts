import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp } from '../../../test/helpers/test-app.ts'
import { fixedClock } from '../../clock.ts'
import { systemActor } from '../auth/actor.ts'

for (const engine of testEngines()) {
  describe(`visit pages on ${engine.name}`, () => {
    const ctx = useTestApp(engine, { clock: fixedClock('2026-07-01T09:00:00.000Z') })

    it('lets an admin plan a visit from the form, and keeps the input on errors', async () => {
      const { browser } = await ctx.signedIn('admin')
      const bad = await browser.post('/elvs/new', { authority: 'W06000008', term: '' }, { from: '/elvs/new' })
      expect(bad.statusCode).toBe(400)
      expect(bad.body).toContain('govuk-error-summary')
      expect(bad.body).toMatch(/<option value="W06000008" selected>/)
      const res = await browser.post('/elvs/new', { authority: 'W06000008', term: '2027-2028/spring' }, { from: '/elvs/new' })
      expect(res.statusCode).toBe(303)
      const page = await browser.get(String(res.headers.location))
      expect(page.statusCode).toBe(200)
      expect(page.body).toContain('Ceredigion: first visit')
      expect(page.body).toContain('The visit has been planned.')
      expect(page.body).toContain('Send the notification')
      expect((await browser.get('/elvs')).body).toContain('Ceredigion')
    })

    it('explains an unmet rule in the reader language on the page', async () => {
      const elv = await ctx.services.visits.create(systemActor('test'), { authority: 'W06000015', term: '2027-2028/summer' })
      const { browser } = await ctx.signedIn('admin')
      const res = await browser.post(`/elvs/${elv.id}/transition`, { to: 'postponed', version: String(elv.version) }, { from: `/elvs/${elv.id}` })
      expect(res.statusCode).toBe(409)
      expect(res.body).toContain('Give a reason')
      await browser.get('/language/cy?back=%2F')
      const cy = await browser.post(`/elvs/${elv.id}/transition`, { to: 'focus_agreed' }, { from: `/elvs/${elv.id}` })
      expect(cy.body).toContain('Ni all ymweliad symud o Wedi’i gynllunio i Ffocws wedi’i gytuno')
    })

    it('moves a visit on with the form and shows it on the history tab', async () => {
      const elv = await ctx.services.visits.create(systemActor('test'), { authority: 'W06000023', term: '2027-2028/spring' })
      const { browser } = await ctx.signedIn('admin')
      const res = await browser.post(`/elvs/${elv.id}/transition`, { to: 'notified', version: String(elv.version) }, { from: `/elvs/${elv.id}` })
      expect(res.statusCode).toBe(303)
      const history = await browser.get(`/elvs/${elv.id}/history`)
      expect(history.body).toContain('elv.transition')
      expect(history.body).toContain('elv.create')
    })

    it('sets the visit days within the term, refusing days outside it', async () => {
      const elv = await ctx.services.visits.create(systemActor('test'), { authority: 'W06000011', term: '2026-2027/spring' })
      const { browser } = await ctx.signedIn('admin')
      const outside = await browser.post(`/elvs/${elv.id}/visit-days`, { visitDay1: '2027-05-01', visitDay2: '2027-05-02', version: String(elv.version) }, { from: `/elvs/${elv.id}` })
      expect(outside.statusCode).toBe(400)
      expect(outside.body).toContain('The day must fall within the term 2026-2027/spring')
      const ok = await browser.post(`/elvs/${elv.id}/visit-days`, { visitDay1: '2027-02-02', visitDay2: '2027-02-03', version: String(elv.version) }, { from: `/elvs/${elv.id}` })
      expect(ok.statusCode).toBe(303)
      expect((await ctx.services.visits.get(systemActor('test'), elv.id)).visit_day2).toBe('2027-02-03')
    })

    it('shows an authority user its own visit without inspectorate actions, and 404 for another', async () => {
      const own = await ctx.services.visits.create(systemActor('test'), { authority: 'W06000002', term: '2027-2028/autumn' })
      const other = await ctx.services.visits.create(systemActor('test'), { authority: 'W06000003', term: '2027-2028/autumn' })
      const { browser } = await ctx.signedIn('la', { authority: 'W06000002' })
      const page = await browser.get(`/elvs/${own.id}`)
      expect(page.statusCode).toBe(200)
      expect(page.body).toContain('Gwynedd')
      expect(page.body).not.toContain('Send the notification')
      // The inspectorate's preparation notes are not offered to the authority.
      expect(page.body).not.toContain(`href="/elvs/${own.id}/preparation"`)
      expect((await (await ctx.signedIn('hmi')).browser.get(`/elvs/${own.id}`)).body).toContain(`href="/elvs/${own.id}/preparation"`)
      for (const url of [`/elvs/${other.id}`, `/elvs/${other.id}/history`]) {
        const res = await browser.get(url)
        expect(res.statusCode).toBe(404)
        expect(res.body).not.toContain('Conwy')
      }
      expect((await browser.post(`/elvs/${own.id}/transition`, { to: 'notified' }, { from: `/elvs/${own.id}` })).statusCode).toBe(403)
      expect((await browser.get('/elvs/new')).statusCode).toBe(403)
    })
  })
}

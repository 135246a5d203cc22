import { beforeAll, describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp } from '../../../test/helpers/test-app.ts'
import { fixedClock } from '../../clock.ts'
import { systemActor } from '../auth/actor.ts'
import type { ElvView } from './visits.service.ts'

const CARDIFF = 'W06000015'
const POWYS = 'W06000023'
const SWANSEA = 'W06000011'

/** The part of a page from the heading with that id to the next h2 (or the end). */
function section(html: string, id: string): string {
  const start = html.indexOf(`id="${id}"`)
  if (start < 0) return ''
  const next = html.indexOf('<h2', start)
  return html.slice(start, next < 0 ? undefined : next)
}

for (const engine of testEngines()) {
  describe(`dashboard and the authority's view on ${engine.name}`, () => {
    // 10 August 2026: autumn 2026's notice was due on 13 April (late); spring 2027's is due on 1 September (within 4 weeks).
    const ctx = useTestApp(engine, { clock: fixedClock('2026-08-10T09:00:00.000Z') })
    let cardiff: ElvView, powys: ElvView, swansea: ElvView

    beforeAll(async () => {
      const create = (authority: string, term: string) => ctx.services.visits.create(systemActor('test'), { authority, term })
      cardiff = await create(CARDIFF, '2026-2027/spring')
      powys = await create(POWYS, '2026-2027/autumn')
      swansea = await create(SWANSEA, '2027-2028/autumn')
    })

    it('shows an admin every visit in the cycle and the notifications falling due, late ones flagged', async () => {
      const { browser } = await ctx.signedIn('admin')
      const res = await browser.get('/')
      expect(res.statusCode).toBe(200)
      expect(res.body).not.toContain('id="my-visits"')
      const due = section(res.body, 'falling-due')
      // Soonest first: Powys (late), Cardiff (due within 4 weeks), Swansea.
      const order = [powys, cardiff, swansea].map((e) => due.indexOf(`data-elv="${e.id}"`))
      expect(order.every((i) => i > 0)).toBe(true)
      expect([...order].sort((a, b) => a - b)).toEqual(order)
      const rowOf = (e: ElvView) => due.slice(due.indexOf(`data-elv="${e.id}"`)).split('</tr>')[0]!
      expect(rowOf(powys)).toContain('13 April 2026')
      expect(rowOf(powys)).toContain('govuk-tag--red">\n  Late')
      expect(rowOf(cardiff)).toContain('1 September 2026')
      expect(rowOf(cardiff)).toContain('Due within 4 weeks')
      expect(rowOf(cardiff)).not.toContain('Late')
      expect(rowOf(swansea)).not.toMatch(/Late|Due within/)
      expect(res.body).toContain('Every visit in the cycle')
      for (const name of ['Cardiff', 'Powys', 'Swansea']) expect(res.body).toContain(`>${name}</a>`)
      expect(res.body).toMatch(/<caption[^>]*>\s*Autumn 2026-2027\s*<\/caption>/)
      // The admin's task links stay below the dashboard.
      expect(res.body).toContain('What you can do')
      expect(res.body).toContain('href="/admin/users"')
    })

    it('shows an HMI the visits whose team they are on or whose authority they are link inspector of', async () => {
      const { browser, user } = await ctx.signedIn('hmi')
      const empty = section((await browser.get('/')).body, 'my-visits')
      expect(empty).toContain('You are not on the team of any visit yet')
      const db = ctx.services.database.db
      await db.insertInto('elv_team_member').values({ elv_id: swansea.id, user_id: user.id, is_lead: 0, override_reason: null, added_by: null, added_at: '2026-08-10T09:00:00.000Z' }).execute()
      await db.updateTable('local_authority').set({ link_inspector_id: user.id }).where('gss_code', '=', CARDIFF).execute()
      await ctx.changedByHand()
      try {
        const res = await browser.get('/')
        const mine = section(res.body, 'my-visits')
        expect(mine).toContain(`href="/elvs/${cardiff.id}"`)
        expect(mine).toContain(`href="/elvs/${swansea.id}"`)
        expect(mine).not.toContain(`href="/elvs/${powys.id}"`)
        expect(mine).toContain('Notify the authority')
        expect(mine).toContain('Planned')
        // The falling-due list covers every planned visit, with the late flag.
        expect(section(res.body, 'falling-due')).toContain(`data-elv="${powys.id}"`)
        expect(section(res.body, 'falling-due')).toContain('Late')
        expect(res.body).not.toContain('Every visit in the cycle')
      } finally {
        await db.updateTable('local_authority').set({ link_inspector_id: null }).where('gss_code', '=', CARDIFF).execute()
        await ctx.changedByHand()
      }
    })

    it('shows an authority user only their own authority’s visits', async () => {
      const { browser } = await ctx.signedIn('la', { authority: CARDIFF })
      const res = await browser.get('/')
      expect(res.statusCode).toBe(200)
      const mine = section(res.body, 'my-visits')
      expect(mine).toContain('Your authority’s visits')
      expect(mine).toContain(`href="/elvs/${cardiff.id}"`)
      expect(mine).toContain('Spring 2026-2027')
      for (const other of ['Powys', 'Swansea', 'Abertawe']) expect(res.body).not.toContain(other)
      expect(res.body).not.toContain('id="falling-due"')
      expect(res.body).not.toContain('Every visit in the cycle')
      const none = await ctx.signedIn('la', { authority: 'W06000001' })
      expect(section((await none.browser.get('/')).body, 'my-visits')).toContain('No visits to your authority are planned yet')
    })

    it('gives the documents page to the authority and the inspectorate, not to other authorities', async () => {
      const la = await ctx.signedIn('la', { authority: CARDIFF })
      const page = await la.browser.get(`/elvs/${cardiff.id}/documents`)
      expect(page.statusCode).toBe(200)
      expect(page.body).toContain('<h2 class="govuk-heading-m">Documents you already have</h2>')
      expect(page.body).toContain('You do not need to prepare any new paperwork')
      expect(page.body).toContain('No documents have been shared for this visit yet.')
      expect(page.body).toContain(`<form method="post" action="/elvs/${cardiff.id}/documents" enctype="multipart/form-data" novalidate>`)
      expect(page.body).toContain('name="_csrf"')
      expect(page.body).toContain(`href="/elvs/${cardiff.id}/documents" aria-current="page">Documents</a>`)
      expect((await la.browser.get(`/elvs/${powys.id}/documents`)).statusCode).toBe(404)
      // The tab is on every ELV page; the authority sees no inspectorate actions on the overview.
      const overview = await la.browser.get(`/elvs/${cardiff.id}`)
      expect(overview.body).toContain(`href="/elvs/${cardiff.id}/documents"`)
      expect(overview.body).not.toContain(`action="/elvs/${cardiff.id}/transition"`)
      expect(overview.body).not.toContain(`action="/elvs/${cardiff.id}/visit-days"`)

      const hmi = await ctx.signedIn('hmi')
      const forHmi = await hmi.browser.get(`/elvs/${powys.id}/documents`)
      expect(forHmi.statusCode).toBe(200)
      expect(forHmi.body).toContain('The authority is not asked to prepare new paperwork')
      // A reviewer may do what an HMI may (DESIGN.md section 1); a peer only on their own teams.
      expect((await (await ctx.signedIn('reviewer')).browser.get(`/elvs/${powys.id}/documents`)).statusCode).toBe(200)
      expect((await (await ctx.signedIn('peer', { authority: 'W06000004' })).browser.get(`/elvs/${powys.id}/documents`)).statusCode).toBe(404)
      expect((await hmi.browser.get('/elvs/0/documents')).statusCode).toBe(404)
    })

    it('keeps the documents of an issued visit, read-only', async () => {
      const la = await ctx.signedIn('la', { authority: POWYS })
      const shared = await la.browser.postFile(`/elvs/${powys.id}/documents`, { title: 'Before the letter' }, { field: 'file', filename: 'plan.txt', content: 'Our plan' })
      expect(shared.statusCode).toBe(303)
      const db = ctx.services.database.db
      await db.updateTable('elv').set({ state: 'issued' }).where('id', '=', powys.id).execute()
      try {
        const page = await la.browser.get(`/elvs/${powys.id}/documents`)
        expect(page.body).toContain('Before the letter')
        expect(page.body).toContain('The letter for this visit has been issued, so no more documents can be added.')
        expect(page.body).not.toContain('enctype="multipart/form-data"')
        const late = await la.browser.postFile(`/elvs/${powys.id}/documents`, { title: 'After the letter' }, { field: 'file', filename: 'late.txt', content: 'Too late' })
        expect(late.statusCode).toBe(409)
        expect(await db.selectFrom('evidence').select('id').where('title', '=', 'After the letter').execute()).toEqual([])
      } finally {
        await db.updateTable('elv').set({ state: 'planned' }).where('id', '=', powys.id).execute()
      }
    })

    it('shows the documents page in Welsh', async () => {
      const la = await ctx.signedIn('la', { authority: CARDIFF })
      const page = await la.browser.get(`/elvs/${cardiff.id}/documents`, { 'accept-language': 'cy' })
      expect(page.body).toContain('Dogfennau sydd gennych eisoes')
      expect(page.body).toContain('Caerdydd')
    })

    it('never lets an authority user reach another authority’s visit by any page or API URL', async () => {
      const la = await ctx.signedIn('la', { authority: CARDIFF })
      const token = (await ctx.services.auth.createToken(systemActor('test'), la.user.email)).token
      const other = powys.id
      const forbiddenNames = [powys.authority_name_en, powys.authority_name_cy]
      const pages = ['', '/history', '/focus-areas', '/team', '/timetable', '/preparation', '/documents', '/notification', '/timetable.ics']
        .map((tail) => `/elvs/${other}${tail}`)
      const api = ['', '/focus-areas', '/team', '/meetings', '/timetable.ics'].map((tail) => `/api/v1/elvs/${other}${tail}`)
      const seen: Array<[string, number]> = []
      for (const url of pages) {
        const res = await la.browser.get(url)
        seen.push([url, res.statusCode])
        for (const name of forbiddenNames) expect(res.body, url).not.toContain(name)
      }
      for (const url of api) {
        const res = await ctx.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } })
        seen.push([url, res.statusCode])
        for (const name of forbiddenNames) expect(res.body, url).not.toContain(name)
      }
      expect(seen.filter(([, status]) => status !== 404)).toEqual([])
      // The lists do not show it either.
      for (const url of ['/', '/elvs']) expect((await la.browser.get(url)).body).not.toContain(powys.authority_name_en)
      const list = await ctx.app.inject({ method: 'GET', url: '/api/v1/elvs', headers: { authorization: `Bearer ${token}` } })
      expect(list.json().items.map((e: { id: number }) => e.id)).toEqual([cardiff.id])
      // The same URLs do answer for the authority's own visit, so the 404s above mean something.
      expect((await la.browser.get(`/elvs/${cardiff.id}`)).statusCode).toBe(200)
      expect((await ctx.app.inject({ method: 'GET', url: `/api/v1/elvs/${cardiff.id}`, headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200)
    })
  })
}

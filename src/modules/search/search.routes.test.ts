import { beforeAll, describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { PASSWORD, useTestApp, type Browser } from '../../../test/helpers/test-app.ts'
import { systemActor, type UserActor } from '../auth/actor.ts'
import type { AppUser } from '../../db/schema.ts'
import { fixedClock } from '../../clock.ts'

const CEREDIGION = 'W06000008'
const CARDIFF = 'W06000015'

const asActor = (u: AppUser): UserActor => ({ kind: 'user', id: u.id, name: u.name, email: u.email, role: u.role, authorityCode: u.authority_code })
const h1Count = (html: string) => (html.match(/<h1[\s>]/g) ?? []).length

for (const engine of testEngines()) {
  describe(`search page and API on ${engine.name}`, () => {
    const ctx = useTestApp(engine, { clock: fixedClock('2026-07-01T09:00:00.000Z') })
    const system = systemActor('test')
    const f = {} as { elv1: number; elv2: number; note: number; shared: number; cardiffDoc: number; older: number; hmi: UserActor; la: AppUser }

    const tokenFor = async (role: 'admin' | 'hmi' | 'la' | 'peer', authority?: string) => {
      const user = await ctx.make.user(role, authority ? { authority } : {})
      return (await ctx.services.auth.createToken(system, user.email)).token
    }
    const api = (token: string | undefined, query: string) =>
      ctx.app.inject({ method: 'GET', url: `/api/v1/evidence${query}`, headers: token ? { authorization: `Bearer ${token}` } : {} })

    beforeAll(async () => {
      const { services, make } = ctx
      f.hmi = asActor(await make.user('hmi'))
      f.la = await make.user('la', { authority: CEREDIGION })
      const elv1 = await services.visits.create(system, { authority: CEREDIGION, term: '2026-2027/spring' })
      const elv2 = await services.visits.create(system, { authority: CARDIFF, term: '2026-2027/spring' })
      f.elv1 = elv1.id
      f.elv2 = elv2.id
      await services.team.add(system, elv1.id, { email: f.hmi.email, lead: true })
      const ev = services.evidence
      f.older = (await ev.create(f.hmi, f.elv1, { kind: 'data', title: 'Gymraeg pupils data', body: 'Numbers of pupils in Welsh-medium schools.', source: 'Data team', gatheredOn: '2026-05-01' })).id
      f.note = (await ev.create(f.hmi, f.elv1, { kind: 'meeting_note', title: '<script>alert("x")</script> Safeguarding and Gymraeg', body: 'The <b>safeguarding</b> lead & the Gymraeg officer met. <img src=x onerror=alert(1)>', source: 'Lead officer', gatheredOn: '2026-06-20' })).id
      f.shared = (await ev.create(asActor(f.la), f.elv1, { title: 'Strategic plan for Gymraeg', body: 'Cynllun Strategol y Gymraeg mewn Addysg.', source: 'Authority', gatheredOn: '2026-06-01' })).id
      f.cardiffDoc = (await ev.create(system, f.elv2, { kind: 'data', title: 'Cardiff Gymraeg figures', body: 'Places in Welsh-medium schools.', source: 'Authority', gatheredOn: '2026-06-02' })).id
    })

    describe('GET /search', () => {
      let admin: Browser
      beforeAll(async () => { admin = (await ctx.signedIn('admin')).browser })

      it('shows how to search until something is asked, with one h1 and labelled fields', async () => {
        const res = await admin.get('/search')
        expect(res.statusCode).toBe(200)
        expect(h1Count(res.body)).toBe(1)
        expect(res.body).toContain('How to search')
        expect(res.body).toContain('<label class="govuk-label govuk-label--m" for="q">')
        expect(res.body).not.toContain('id="results"')
        // The visit filter offers the visible ELVs; the focus area waits for a visit to be chosen.
        expect(res.body).toMatch(new RegExp(`<option value="${f.elv1}">Ceredigion, [^<]+, visit 1</option>`))
        expect(res.body).not.toContain('name="focusArea"')
      })

      it('lists results newest first with the kind, the visit, the date and the matched words marked, markup shown as text', async () => {
        const res = await admin.get('/search?q=gymraeg+SAFEGUARDING')
        expect(res.statusCode).toBe(200)
        expect(res.body).toContain(`href="/elvs/${f.elv1}/evidence/${f.note}"`)
        expect(res.body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <mark>Safeguarding</mark> and <mark>Gymraeg</mark>')
        expect(res.body).toContain('The &lt;b&gt;<mark>safeguarding</mark>&lt;/b&gt; lead &amp; the <mark>Gymraeg</mark> officer met. &lt;img src=x onerror=alert(1)&gt;')
        expect(res.body).not.toContain('<script>alert')
        expect(res.body).not.toContain('<img src=x')
        expect(res.body).toContain('Meeting note')
        expect(res.body).toContain('Gathered 20 June 2026')
        const all = await admin.get('/search?q=gymraeg')
        const order = [...all.body.matchAll(/id="result-(\d+)"/g)].map((m) => Number(m[1]))
        expect(order).toEqual([f.cardiffDoc, f.shared, f.note, f.older])
      })

      it('says clearly when nothing matches, and when the words fold to nothing', async () => {
        const none = await admin.get('/search?q=zzzzunheard')
        expect(none.statusCode).toBe(200)
        expect(none.body).toContain('No evidence matches your search.')
        const punct = await admin.get('/search?q=%21%21%21')
        expect(punct.body).toContain('Your search has no words to look for.')
      })

      it('pages with a "Show more results" link that keeps the search and filters', async () => {
        const res = await admin.get(`/search?q=gymraeg&elv=${f.elv1}&limit=2`)
        const more = /<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="next">/.exec(res.body)?.[1]?.replace(/&amp;/g, '&')
        expect(more).toBe(`/search?q=gymraeg&elv=${f.elv1}&limit=2&before=${f.note}`)
        const next = await admin.get(more!)
        expect([...next.body.matchAll(/id="result-(\d+)"/g)].map((m) => Number(m[1]))).toEqual([f.older])
        expect(next.body).not.toContain('rel="next"')
      })

      it('offers the chosen visit’s focus areas and keeps what was chosen', async () => {
        const fa = await ctx.services.focusAreas.propose(system, f.elv1, { title: 'Welsh in education', description: 'Places', source: 'authority_priority' })
        const res = await admin.get(`/search?q=gymraeg&elv=${f.elv1}&kind=data`)
        expect(res.body).toContain(`<option value="${fa.id}">1. Welsh in education</option>`)
        expect(res.body).toMatch(new RegExp(`<option value="${f.elv1}" selected>`))
        expect(res.body).toContain('<option value="data" selected>Data</option>')
        expect([...res.body.matchAll(/id="result-(\d+)"/g)].map((m) => Number(m[1]))).toEqual([f.older])

        const tagged = await ctx.services.evidence.create(f.hmi, f.elv1, { kind: 'meeting_note', title: 'Immersion centre visit', body: 'Latecomers centre.', source: 'Head', gatheredOn: '2026-06-05', focusAreaIds: [fa.id] })
        await ctx.services.evidence.create(f.hmi, f.elv1, { kind: 'meeting_note', title: 'Immersion staffing', body: 'Untagged.', source: 'Head', gatheredOn: '2026-06-05' })
        const narrowed = await admin.get(`/search?q=immersion&elv=${f.elv1}&focusArea=${fa.id}`)
        expect(narrowed.body).toContain(`<option value="${fa.id}" selected>1. Welsh in education</option>`)
        expect([...narrowed.body.matchAll(/id="result-(\d+)"/g)].map((m) => Number(m[1]))).toEqual([tagged.id])
        // The visit changed but the old focus area came along (no script to clear it): it is dropped, as its select shows.
        const moved = await admin.get(`/search?q=gymraeg&elv=${f.elv2}&focusArea=${fa.id}`)
        expect(moved.statusCode).toBe(200)
        expect([...moved.body.matchAll(/id="result-(\d+)"/g)].map((m) => Number(m[1]))).toEqual([f.cardiffDoc])
        expect(moved.body).toContain('<option value="" selected>Any focus area</option>')
      })

      it('re-shows the form with 400, the error summary and what was typed when a filter is wrong', async () => {
        const res = await admin.get('/search?q=%3Cb%3Ehi&from=2026-02-30&to=soon&theme=nope')
        expect(res.statusCode).toBe(400)
        expect(res.body).toContain('There is a problem')
        expect(res.body).toContain('href="#from"')
        expect(res.body).toContain('href="#to"')
        expect(res.body).toContain('href="#theme"')
        expect(res.body).toContain('value="&lt;b&gt;hi"')
        expect(res.body).toContain('value="2026-02-30"')
        expect(res.body).not.toContain('id="results"')
      })

      it('links an authority user to its visit’s documents, and finds only what its authority shared', async () => {
        const browser = ctx.browser()
        await browser.signIn(f.la.email, PASSWORD)
        const res = await browser.get('/search?q=gymraeg')
        expect(res.statusCode).toBe(200)
        expect([...res.body.matchAll(/id="result-(\d+)"/g)].map((m) => Number(m[1]))).toEqual([f.shared])
        expect(res.body).toContain(`href="/elvs/${f.elv1}/documents"`)
        // Neither the inspectors' note (its title or text) nor another authority's evidence.
        expect(res.body).not.toContain('Safeguarding and')
        expect(res.body).not.toContain('onerror')
        expect(res.body).not.toContain('Cardiff')
      })

      it('speaks Welsh', async () => {
        const { browser } = await ctx.signedIn('hmi')
        await browser.get('/language/cy?back=%2F')
        const res = await browser.get('/search?q=gymraeg')
        expect(res.body).toContain('<html lang="cy"')
        expect(res.body).toContain('Chwilio tystiolaeth')
        expect(res.body).toContain('Canlyniadau')
        expect(res.body).toContain('Casglwyd 20 Mehefin 2026')
      })

      it('sends a signed-out reader to sign in', async () => {
        const res = await ctx.browser().get('/search?q=gymraeg')
        expect(res.statusCode).toBe(302)
        expect(res.headers.location).toBe('/sign-in?next=%2Fsearch%3Fq%3Dgymraeg')
      })
    })

    describe('GET /api/v1/evidence', () => {
      it('answers items with a plain-text snippet and highlight offsets, newest first, paged by next', async () => {
        const token = await tokenFor('admin')
        const res = await api(token, '?q=Safeguarding')
        expect(res.statusCode).toBe(200)
        const body = res.json()
        expect(body.next).toBeNull()
        expect(body.items).toHaveLength(1)
        const [item] = body.items
        expect(item).toMatchObject({ id: f.note, elvId: f.elv1, authority: CEREDIGION, kind: 'meeting_note', gatheredOn: '2026-06-20', title: '<script>alert("x")</script> Safeguarding and Gymraeg' })
        expect(item.snippet).toBe('The <b>safeguarding</b> lead & the Gymraeg officer met. <img src=x onerror=alert(1)>')
        expect(item.highlights.map((h: { start: number; end: number }) => item.snippet.slice(h.start, h.end))).toEqual(['safeguarding'])
        expect(item.titleHighlights.map((h: { start: number; end: number }) => item.title.slice(h.start, h.end))).toEqual(['Safeguarding'])

        const page1 = (await api(token, '?q=gymraeg&limit=3')).json()
        expect(page1.items.map((i: { id: number }) => i.id)).toEqual([f.cardiffDoc, f.shared, f.note])
        expect(page1.next).toBe(f.note)
        const page2 = (await api(token, `?q=gymraeg&limit=3&before=${page1.next}`)).json()
        expect(page2.items.map((i: { id: number }) => i.id)).toEqual([f.older])
        expect(page2.next).toBeNull()
        expect((await api(token, `?q=gymraeg&elv=${f.elv2}`)).json().items.map((i: { id: number }) => i.id)).toEqual([f.cardiffDoc])
      })

      it('scopes an authority token to its authority’s shared documents, never inspectors’ notes', async () => {
        const own = (await api(await tokenFor('la', CEREDIGION), '?q=gymraeg')).json()
        expect(own.items.map((i: { id: number }) => i.id)).toEqual([f.shared])
        expect((await api(await tokenFor('la', CEREDIGION), '?q=safeguarding')).json().items).toEqual([])
        expect((await api(await tokenFor('la', 'W06000023'), '?q=gymraeg')).json().items).toEqual([])
        expect((await api(await tokenFor('peer', 'W06000023'), '?q=gymraeg')).json().items).toEqual([])
      })

      it('answers 400 naming every bad filter, and 401 without a token', async () => {
        const res = await api(await tokenFor('hmi'), '?q=x&kind=gossip&theme=nope&from=2026-13-01&limit=0')
        expect(res.statusCode).toBe(400)
        expect(res.json().error.code).toBe('validation_failed')
        expect(res.json().error.details.map((d: { path: string }) => d.path).sort()).toEqual(['from', 'kind', 'limit', 'theme'])
        expect((await api(undefined, '?q=x')).statusCode).toBe(401)
      })
    })
  })
}

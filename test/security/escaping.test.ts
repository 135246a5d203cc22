/**
 * Markup is always escaped: text holding `<script>`, `"><img onerror=…>` and the like, saved
 * through the app's own forms and API, is shown on every page that displays it as text — the
 * raw markup never appears, its escaped form does. Also for text reflected from the URL.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import type { LightMyRequestResponse } from 'fastify'
import { testEngines } from '../helpers/engines.ts'
import { ADMIN_EMAIL, ADMIN_PASSWORD, csrfTokenIn, useTestApp, type Browser } from '../helpers/test-app.ts'
import { fixedClock } from '../../src/clock.ts'
import { systemActor } from '../../src/modules/auth/actor.ts'
import { buildFixture, ELV_AUTHORITY, NOTE_AUTHORITY, type SecurityFixture } from './fixture.ts'
import { formFields } from './forms.ts'

/** What Nunjucks' autoescape makes of text. */
const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

let counter = 0
/**
 * Hostile text with a token of its own: markup that would run or inject if it reached a page
 * unescaped, after some ordinary words. The `dangerous` parts must never appear raw.
 */
const hostileText = fc.tuple(
  fc.constantFrom('Meeting with the director', 'Nodyn ŵ ŷ', 'Cyfarfod', 'Head of service'),
  fc.subarray(['script', 'img', 'svg', 'attr', 'textarea', 'comment', 'template'] as const, { minLength: 1, maxLength: 3 }),
).map(([words, kinds]) => {
  const n = `x${++counter}q`
  const parts: Record<(typeof kinds)[number], string> = {
    script: `<script>window.${n}=1</script>`,
    img: `"><img src=x onerror=window.${n}=1>`,
    svg: `<svg onload=window.${n}=1>`,
    attr: `' onmouseover='window.${n}=1`,
    textarea: `</textarea><b id=${n}>`,
    comment: `<!--${n}-->`,
    template: `{{ 7 * 7 }}{% raw %}${n}`,
  }
  const text = `${words} ${kinds.map((k) => parts[k]).join(' ')} ${n}`
  // Each piece that starts markup, as it would appear if left unescaped.
  const dangerous = kinds.map((k) => parts[k]).flatMap((p) => p.match(/<[^<]*/g) ?? []).filter((p) => p.includes(n)).concat(kinds.includes('attr') ? [`' onmouseover='window.${n}`] : [])
  return { text, token: n, dangerous }
  // Within every field's length limit (names and titles take 100 characters).
}).filter((h) => h.text.length <= 100)

interface Hostile { text: string; token: string; dangerous: string[] }

function expectEscaped(res: LightMyRequestResponse, h: Hostile, where: string, opts: { shown?: boolean } = {}) {
  expect(res.statusCode, `${where}: ${res.statusCode}`).toBe(200)
  for (const d of h.dangerous) expect(res.body.includes(d), `${where} shows ${d} unescaped`).toBe(false)
  // The page that shows the text shows all of it, escaped (and a template tag stays text).
  if (opts.shown !== false) expect(res.body, `${where} does not show the text escaped`).toContain(escapeHtml(h.text))
}

for (const engine of testEngines()) {
  describe(`markup escaping on ${engine.name}`, () => {
    const ctx = useTestApp(engine, { clock: fixedClock('2026-07-01T09:00:00.000Z') })
    let f: SecurityFixture
    let admin: Browser
    const cookie = () => [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; ')

    beforeAll(async () => {
      f = await buildFixture(ctx)
      admin = ctx.browser()
      expect((await admin.signIn(ADMIN_EMAIL, ADMIN_PASSWORD)).statusCode).toBe(303)
    })

    /** Submits the form of `page` that posts to `action` as a browser would, with some fields changed. */
    async function submit(page: string, action: string | undefined, changes: Record<string, string>) {
      const html = (await admin.get(page)).body
      const fields = formFields(html, action).filter(([k]) => !(k in changes))
      const body = new URLSearchParams([...fields, ...Object.entries(changes)])
      if (!body.has('_csrf')) body.set('_csrf', csrfTokenIn(html))
      const res = await ctx.app.inject({
        method: 'POST', url: action && action.startsWith('/') ? action : page,
        headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' }, payload: body.toString(),
      })
      const problems = /govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(res.body)?.[1]?.replace(/<[^>]+>|\s+/g, ' ')
      expect(res.statusCode, `${action ?? page} answered ${res.statusCode}: ${problems ?? res.body.slice(0, 300)}`).toBe(303)
      return res
    }
    const api = (method: 'POST' | 'PUT' | 'PATCH', url: string, body: unknown) => ctx.app.inject({
      method, url, headers: { authorization: `Bearer ${f.adminToken}`, 'content-type': 'application/json' }, payload: JSON.stringify(body),
    })
    const newest = async (table: 'evidence' | 'finding' | 'link_note' | 'focus_area') =>
      (await ctx.services.database.db.selectFrom(table).select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()).id
    const runs = { numRuns: 4 }

    it('escapes evidence saved by the form and the API on the log, the item, the matrix and search', async () => {
      await fc.assert(fc.asyncProperty(hostileText, hostileText, async (title, body) => {
        await submit(`/elvs/${f.elvId}/evidence/new`, `/elvs/${f.elvId}/evidence`, { kind: 'meeting_note', title: title.text, body: body.text, source: title.text, gatheredOn: '2026-06-30' })
        const id = await newest('evidence')
        expectEscaped(await admin.get(`/elvs/${f.elvId}/evidence`), title, 'evidence log')
        expectEscaped(await admin.get(`/elvs/${f.elvId}/evidence/${id}`), body, 'evidence item (body)')
        expectEscaped(await admin.get(`/elvs/${f.elvId}/evidence/${id}`), title, 'evidence item (title)')
        expectEscaped(await admin.get(`/elvs/${f.elvId}/matrix`), title, 'evidence matrix', { shown: false })
        expectEscaped(await admin.get(`/search?q=${title.token}`), title, 'search results', { shown: false })
      }), runs)
      await fc.assert(fc.asyncProperty(hostileText, async (h) => {
        const res = await api('POST', `/api/v1/elvs/${f.elvId}/evidence`, { kind: 'data', title: h.text, body: h.text, source: h.text })
        expect(res.statusCode, res.body).toBe(201)
        expectEscaped(await admin.get(`/elvs/${f.elvId}/evidence/${res.json().id}`), h, 'evidence item from the API')
      }), runs)
    })

    it('escapes findings and focus areas on their pages, the visit and the matrix', async () => {
      await fc.assert(fc.asyncProperty(hostileText, hostileText, async (title, description) => {
        // Proposed on the planned visit: the one in drafting takes no more focus areas.
        await submit(`/elvs/${f.plannedElvId}/focus-areas`, `/elvs/${f.plannedElvId}/focus-areas`, { title: title.text, description: description.text, source: 'inspectorate_identified' })
        expectEscaped(await admin.get(`/elvs/${f.plannedElvId}/focus-areas`), title, 'focus areas')
        expectEscaped(await admin.get(`/elvs/${f.plannedElvId}/focus-areas`), description, 'focus areas (description)')
        expectEscaped(await admin.get(`/elvs/${f.plannedElvId}`), title, 'visit overview', { shown: false })
      }), runs)
      await fc.assert(fc.asyncProperty(hostileText, async (h) => {
        const res = await api('POST', `/api/v1/elvs/${f.elvId}/findings`, { focusAreaId: f.focusAreaId, kind: 'improvement', text: h.text, evidenceIds: [f.evidenceId] })
        expect(res.statusCode, res.body).toBe(201)
        expectEscaped(await admin.get(`/elvs/${f.elvId}/findings`), h, 'findings')
        expectEscaped(await admin.get(`/elvs/${f.elvId}/findings/${res.json().id}`), h, 'finding')
        expectEscaped(await admin.get(`/elvs/${f.elvId}/matrix`), h, 'evidence matrix (findings)', { shown: false })
      }), runs)
    })

    it('escapes people\'s names, link notes, conflicts, meetings and themes wherever they are shown', async () => {
      await fc.assert(fc.asyncProperty(hostileText, async (h) => {
        // The team member's own name: shown on the team, the timetable and the user pages.
        await submit(`/admin/users/${f.teamUserId}`, `/admin/users/${f.teamUserId}`, { name: h.text })
        expectEscaped(await admin.get('/admin/users'), h, 'users')
        expectEscaped(await admin.get(`/admin/users/${f.teamUserId}`), h, 'user')
        expectEscaped(await admin.get(`/elvs/${f.elvId}/team`), h, 'team')
        expectEscaped(await admin.get('/admin/audit'), h, 'audit log', { shown: false })
      }), runs)
      await fc.assert(fc.asyncProperty(hostileText, hostileText, async (title, body) => {
        await submit(`/authorities/${NOTE_AUTHORITY}`, `/authorities/${NOTE_AUTHORITY}/link-notes`, { notedOn: '2026-06-01', kind: 'concern', title: title.text, body: body.text })
        expectEscaped(await admin.get(`/authorities/${NOTE_AUTHORITY}`), title, 'authority page (link notes)')
        expectEscaped(await admin.get(`/authorities/${NOTE_AUTHORITY}/link-notes/${await newest('link_note')}`), body, 'link note')
      }), runs)
      await fc.assert(fc.asyncProperty(hostileText, async (h) => {
        const res = await api('POST', `/api/v1/elvs/${f.elvId}/meetings`, { day: 2, start: '14:00', end: '15:00', title: h.text, place: h.text })
        expect(res.statusCode, res.body).toBe(201)
        expectEscaped(await admin.get(`/elvs/${f.elvId}/timetable`), h, 'timetable')
      }), runs)
      await fc.assert(fc.asyncProperty(hostileText.filter((h) => h.text.length <= 80), async (h) => {
        const res = await api('POST', '/api/v1/themes', { key: `theme-${h.token}`, en: h.text, cy: h.text })
        expect(res.statusCode, res.body).toBe(201)
        expectEscaped(await admin.get('/admin/themes'), h, 'themes')
        expectEscaped(await admin.get(`/elvs/${f.elvId}/evidence/new`), h, 'evidence form (theme choices)')
      }), runs)
      const { browser: hmi } = await ctx.signedIn('hmi')
      // One declaration per authority: each run names another.
      const authorities = ['W06000010', 'W06000011', 'W06000012', 'W06000013', 'W06000014', 'W06000015']
      await fc.assert(fc.asyncProperty(hostileText, async (h) => {
        const res = await hmi.post('/account/conflicts', { authority: authorities.shift()!, reason: h.text })
        expect(res.statusCode, res.body.slice(0, 300)).toBe(303)
        const page = await hmi.get('/account/conflicts')
        expectEscaped(page, h, 'own conflicts')
      }), runs)
    })

    it('escapes an authority\'s director and the letter\'s text, on pages, in the outbox and in the letter as HTML', async () => {
      let lastDirector: Hostile | undefined
      await fc.assert(fc.asyncProperty(hostileText, async (h) => {
        await submit(`/admin/authorities/${ELV_AUTHORITY}`, `/admin/authorities/${ELV_AUTHORITY}`, { directorName: h.text, directorEmail: 'director@example.invalid' })
        expectEscaped(await admin.get(`/admin/authorities/${ELV_AUTHORITY}`), h, 'authority (admin)')
        expectEscaped(await admin.get(`/authorities/${ELV_AUTHORITY}`), h, 'authority page', { shown: false })
        lastDirector = h
      }), runs)
      // The director's name goes into the notification: on its page and in the outbox.
      const elv = await ctx.services.visits.create(systemActor('test'), { authority: ELV_AUTHORITY, term: '2026-2027/summer' })
      await ctx.services.visits.transition(systemActor('test'), elv.id, { to: 'notified' })
      expectEscaped(await admin.get(`/elvs/${elv.id}/notification`), lastDirector!, 'notification letter', { shown: false })
      const message = (await ctx.services.mail.forEntity('elv', elv.id))[0]
      expect(message).toBeDefined()
      expectEscaped(await admin.get(`/admin/outbox/${message!.id}`), lastDirector!, 'outbox message', { shown: false })
      await fc.assert(fc.asyncProperty(hostileText, async (h) => {
        const page = `/elvs/${f.elvId}/letter/sections/${encodeURIComponent(f.sectionKey)}`
        const html = (await admin.get(page)).body
        const textField = /<textarea\b[^>]*\bname="([^"]+)"/.exec(html)?.[1]
        expect(textField, 'a paragraph to edit on the section page').toBeTruthy()
        await submit(page, page, { [textField!]: h.text })
        expectEscaped(await admin.get(page), h, 'letter section')
        expectEscaped(await admin.get(`/elvs/${f.elvId}/letter`), h, 'letter')
        const exported = await admin.get(`/elvs/${f.elvId}/letter.html`)
        expectEscaped(exported, h, 'letter as HTML', { shown: false })
        expect(exported.body).toContain(h.token)
      }), runs)
    })

    it('escapes text reflected from the address: search words, the return path, a missing page', async () => {
      await fc.assert(fc.asyncProperty(hostileText, async (h) => {
        const q = encodeURIComponent(h.text)
        expectEscaped(await admin.get(`/search?q=${q}`), h, 'search box', { shown: false })
        expect((await admin.get(`/search?q=${q}`)).body).toContain(`value="${escapeHtml(h.text)}"`)
        const signIn = await ctx.app.inject({ url: `/sign-in?next=${encodeURIComponent(`/elvs/${h.text}`)}` })
        expectEscaped(signIn, h, 'sign-in (next)', { shown: false })
        const missing = await admin.get(`/elvs/${q}/nothing`)
        // A long id is refused as too long (414) before any route; either way a page that echoes nothing raw.
        expect([404, 414]).toContain(missing.statusCode)
        for (const d of h.dangerous) expect(missing.body.includes(d)).toBe(false)
      }), { numRuns: 10 })
    })
  })
}

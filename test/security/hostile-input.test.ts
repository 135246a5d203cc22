/**
 * Hostile input, property-based: every API write and every form of the app, sent generated
 * bodies (random JSON, the route's own fields holding hostile values, junk ids in the path) as an
 * admin, never answers with a server error; oversized bodies and uploads are refused early with
 * 413 and leave nothing behind.
 */
import fs from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import type { LightMyRequestResponse } from 'fastify'
import { testEngines } from '../helpers/engines.ts'
import { ADMIN_EMAIL, ADMIN_PASSWORD, csrfTokenIn, useTestApp, type Browser } from '../helpers/test-app.ts'
import { fixedClock } from '../../src/clock.ts'
import { systemActor } from '../../src/modules/auth/actor.ts'
import { BUNDLE_SCHEMA } from '../../src/modules/core-inspections/core-inspections.bundle.ts'
import { TERM } from '../../src/modules/letter-review/letter-review.fixtures.ts'
import { buildFixture, ELV_AUTHORITY, fillPath, paramsOf, realParam, type SecurityFixture } from './fixture.ts'
import { hostileForm, hostileValue, junkParam, objectWithNames, shapedLike, type JsonSchema, type Shaping } from './arbitraries.ts'
import { findForms } from './forms.ts'

const WRITE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'] as const
type WriteMethod = (typeof WRITE_METHODS)[number]
const isWrite = (m: string): m is WriteMethod => (WRITE_METHODS as readonly string[]).includes(m)

/** Runs per route: enough to reach each route's checks with many shapes, short enough for CI (forms re-render pages, so fewer). */
const API_RUNS = 16
const FORM_RUNS = 8
/** Routes that run the programme planner: a few runs each. */
const SLOW = /\/proposals$|\/plan$/

/** Counts of answers by status, to show that bodies got past authentication and sometimes succeeded. */
class Tally {
  readonly byStatus = new Map<number, number>()
  add(res: LightMyRequestResponse) { this.byStatus.set(res.statusCode, (this.byStatus.get(res.statusCode) ?? 0) + 1) }
  count(test: (status: number) => boolean) { return [...this.byStatus].filter(([s]) => test(s)).reduce((n, [, c]) => n + c, 0) }
}

function expectNoServerError(res: LightMyRequestResponse, what: string) {
  expect(res.statusCode, `${what} answered ${res.statusCode}: ${res.body.slice(0, 400)}`).toBeLessThan(500)
}

for (const engine of testEngines()) {
  describe(`hostile input on ${engine.name}`, () => {
    const ctx = useTestApp(engine, {
      clock: fixedClock('2026-07-01T09:00:00.000Z'),
      // A small upload limit keeps the oversized uploads small; sign-in is posted to many times here.
      env: { UPLOAD_MAX_MB: '1', RATE_LIMIT_SIGN_IN_PER_MINUTE: '10000' },
    })
    let f: SecurityFixture
    let admin: Browser
    let csrf: string
    let shaping: Shaping
    const cookieHeader = () => [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; ')

    beforeAll(async () => {
      f = await buildFixture(ctx)
      admin = ctx.browser()
      expect((await admin.signIn(ADMIN_EMAIL, ADMIN_PASSWORD)).statusCode).toBe(303)
      csrf = csrfTokenIn((await admin.get('/')).body)
      shaping = {
        ids: [f.elvId, f.plannedElvId, f.focusAreaId, f.evidenceId, f.findingId, f.meetingId, f.linkNoteId, f.teamUserId, f.recommendationId, 1, 2],
        strings: ['en', 'cy', ELV_AUTHORITY, TERM, '2026-2027/summer', '2027-01-11', '09:00', '10:30', 'attendance', ADMIN_EMAIL, f.lead.email, f.sectionKey, f.writingRuleCode, 'A title', 'Some text.'],
      }
    })

    /** The route's path: each parameter the fixture's real value, or now and then junk. */
    const pathOf = (url: string): fc.Arbitrary<string> => {
      const names = paramsOf(url)
      if (!names.length) return fc.constant(url)
      const junk = junkParam.filter((j) => !/^\d{1,6}$/.test(j)) // never by chance another real record (the admin's own account)
      return fc.tuple(...names.map((n) => fc.oneof({ weight: 4, arbitrary: fc.constant(encodeURIComponent(realParam(f, url, n))) }, { weight: 1, arbitrary: junk })))
        .map((values) => fillPath(url, Object.fromEntries(names.map((n, i) => [n, values[i]!]))))
    }

    it('answers hostile JSON bodies to every API write with no server error', { timeout: 240_000 }, async () => {
      const doc = (await ctx.app.inject({ url: '/api/v1/openapi.json' })).json() as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: JsonSchema }> } }>> }
      const writes = ctx.app.routeList.filter((r) => r.url.startsWith('/api/v1/') && isWrite(r.method))
      expect(writes.length).toBeGreaterThan(30)
      const schemaOf = (method: string, url: string) => doc.paths[url.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()]?.requestBody?.content['application/json']?.schema
      // Routes without a body schema (checked by their service) get the field names used elsewhere in the API.
      const names = new Set<string>(['version', 'themes', 'coreInspections', 'kind', 'title', 'body', 'source', 'gatheredOn', 'focusAreaIds', 'lang', 'key'])
      for (const r of writes) for (const n of Object.keys(schemaOf(r.method, r.url)?.properties ?? {})) names.add(n)
      const tally = new Tally()

      for (const route of writes) {
        const schema = schemaOf(route.method, route.url)
        const isImport = route.url.startsWith('/api/v1/core-inspections')
        const body: fc.Arbitrary<unknown> = schema?.properties && Object.keys(schema.properties).length
          ? fc.oneof({ weight: 4, arbitrary: shapedLike(schema, shaping) }, { weight: 1, arbitrary: hostileValue(shaping.ids) })
          : isImport
            ? fc.oneof(shapedLike(BUNDLE_SCHEMA as JsonSchema, { ...shaping, root: BUNDLE_SCHEMA }), objectWithNames([...names], shaping.ids))
            : fc.oneof(objectWithNames([...names], shaping.ids), hostileValue(shaping.ids))
        await fc.assert(fc.asyncProperty(pathOf(route.url), body, async (url, value) => {
          const res = await ctx.app.inject({
            method: route.method as WriteMethod, url,
            headers: { authorization: `Bearer ${f.adminToken}`, 'content-type': 'application/json' },
            payload: JSON.stringify(value),
          })
          tally.add(res)
          expectNoServerError(res, `${route.method} ${url} with ${JSON.stringify(value).slice(0, 300)}`)
          // The admin's token is good throughout: every body was judged on its content.
          expect(res.statusCode).not.toBe(401)
        }), { numRuns: SLOW.test(route.url) ? 3 : API_RUNS })
      }
      // Bodies reached the services: some were accepted, most refused as invalid.
      expect(tally.count((s) => s < 300)).toBeGreaterThan(0)
      expect(tally.count((s) => s === 400)).toBeGreaterThan(writes.length)
      console.info(`API writes (${engine.name}): ${writes.length} routes, answers by status ${JSON.stringify(Object.fromEntries(tally.byStatus))}`)
    })

    it('answers malformed JSON and wrong content types to every API write with a client error', async () => {
      const writes = ctx.app.routeList.filter((r) => r.url.startsWith('/api/v1/') && isWrite(r.method))
      const bad: Array<{ type: string; payload: string | Buffer }> = [
        { type: 'application/json', payload: '{"version": ' },
        { type: 'application/json', payload: '\u0000' },
        { type: 'application/json', payload: '{"__proto__": {"admin": true}, "constructor": {"prototype": {"x": 1}}}' },
        { type: 'application/json; charset=utf-16', payload: '{}' },
        { type: 'text/xml', payload: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>' },
        { type: 'application/x-www-form-urlencoded', payload: 'version=1&version=2&__proto__[admin]=1' },
        { type: 'multipart/form-data; boundary=x', payload: '--x\r\nContent-Disposition: form-data; name="title"\r\n\r\nunterminated' },
        { type: 'application/octet-stream', payload: Buffer.from([0, 255, 254, 0]) },
      ]
      for (const route of writes) {
        for (const { type, payload } of bad) {
          const url = fillPath(route.url, Object.fromEntries(paramsOf(route.url).map((n) => [n, encodeURIComponent(realParam(f, route.url, n))])))
          const res = await ctx.app.inject({ method: route.method as WriteMethod, url, headers: { authorization: `Bearer ${f.adminToken}`, 'content-type': type }, payload })
          expectNoServerError(res, `${route.method} ${url} as ${type}`)
          // The API takes forms too, so some of these are accepted; a refusal is in the API's error shape.
          if (res.statusCode >= 400) expect(res.json()).toHaveProperty('error.code')
        }
      }
    })

    it('answers hostile bodies to every form with no server error, signed in as an admin with a good form token', { timeout: 240_000 }, async () => {
      const forms = await findForms(ctx.app, f, cookieHeader())
      const posts = ctx.app.routeList.filter((r) => !r.url.startsWith('/api/') && isWrite(r.method))
        // Signing out ends the admin's session that the rest of this test uses; it reads no fields.
        .filter((r) => r.url !== '/sign-out')
      // Most forms are found on their pages; the rest are given every field name seen anywhere.
      expect(forms.size).toBeGreaterThan(posts.length * 0.6)
      const anyNames = [...new Set([...forms.values()].flatMap((form) => [...form.fields]))]
      const tally = new Tally()
      const send = async (method: WriteMethod, url: string, fields: Array<[string, string]>) => {
        const params = new URLSearchParams(fields)
        params.append('_csrf', csrf)
        return ctx.app.inject({
          method, url, headers: { cookie: cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
          payload: params.toString(),
        })
      }
      for (const route of posts) {
        const form = forms.get(route.url)
        const fields = form ? [...form.fields] : anyNames
        await fc.assert(fc.asyncProperty(pathOf(route.url), hostileForm(fields, form ? [...form.values] : []), async (url, body) => {
          const res = await send(route.method as WriteMethod, url, body)
          tally.add(res)
          expectNoServerError(res, `${route.method} ${url} with ${new URLSearchParams(body).toString().slice(0, 300)}`)
          // The session and the form token held throughout: each body was judged on its content.
          expect(res.statusCode, `${route.method} ${url}: ${res.body.slice(0, 200)}`).not.toBe(403)
          expect(String(res.headers.location ?? '')).not.toMatch(/^\/sign-in/)
        }), { numRuns: SLOW.test(route.url) ? 3 : FORM_RUNS })
      }
      expect(tally.count((s) => s === 303 || s === 200)).toBeGreaterThan(0)
      expect(tally.count((s) => s === 400)).toBeGreaterThan(0)
      console.info(`forms (${engine.name}): ${posts.length} routes, ${forms.size} forms found on pages, answers by status ${JSON.stringify(Object.fromEntries(tally.byStatus))}`)
    })

    describe('oversized bodies and uploads', () => {
      const rowsNow = async () => {
        const db = ctx.services.database.db
        const count = async (table: 'evidence' | 'evidence_file' | 'audit_event' | 'theme') =>
          Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
        return { evidence: await count('evidence'), files: await count('evidence_file'), audit: await count('audit_event'), themes: await count('theme') }
      }
      const storedFiles = () => {
        const dir = ctx.config.files.dir
        return fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }).filter((p) => fs.statSync(path.join(dir, String(p))).isFile()).length : 0
      }
      const multipart = (fields: Record<string, string>, file: { name: string; bytes: number }) => {
        const boundary = '----cyswlltsecurity'
        const parts: Buffer[] = Object.entries(fields).map(([k, v]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`))
        parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/plain\r\n\r\n`))
        parts.push(Buffer.alloc(file.bytes, 'a'))
        parts.push(Buffer.from(`\r\n--${boundary}--\r\n`))
        return { type: `multipart/form-data; boundary=${boundary}`, payload: Buffer.concat(parts) }
      }
      const overLimit = 1_048_576 + 10_000
      const expectTooLargeJson = (res: LightMyRequestResponse) => {
        expect(res.statusCode).toBe(413)
        expect(res.json()).toMatchObject({ error: { code: 'payload_too_large', message: expect.any(String) } })
      }
      const expectTooLargePage = (res: LightMyRequestResponse) => {
        expect(res.statusCode).toBe(413)
        expect(res.headers['content-type']).toMatch(/^text\/html/)
        expect(res.body).toContain('<h1')
      }

      it('refuses a JSON body over the body limit with 413 in the API error shape, storing nothing', async () => {
        const before = await rowsNow()
        const huge = JSON.stringify({ key: 'huge-theme', en: 'x'.repeat(overLimit), cy: 'y' })
        expectTooLargeJson(await ctx.app.inject({ method: 'POST', url: '/api/v1/themes', headers: { authorization: `Bearer ${f.adminToken}`, 'content-type': 'application/json' }, payload: huge }))
        const patch = JSON.stringify({ version: 1, body: 'x'.repeat(overLimit) })
        expectTooLargeJson(await ctx.app.inject({ method: 'PATCH', url: `/api/v1/evidence/${f.evidenceId}`, headers: { authorization: `Bearer ${f.adminToken}`, 'content-type': 'application/json' }, payload: patch }))
        expect(await rowsNow()).toEqual(before)
      })

      it('refuses a form body over the body limit with a 413 page, storing nothing', async () => {
        const before = await rowsNow()
        const form = new URLSearchParams({ _csrf: csrf, key: 'huge-theme', labelEn: 'x'.repeat(overLimit), labelCy: 'y' }).toString()
        expectTooLargePage(await ctx.app.inject({ method: 'POST', url: '/admin/themes', headers: { cookie: cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' }, payload: form }))
        const note = new URLSearchParams({ _csrf: csrf, kind: 'meeting_note', title: 'Huge', body: 'x'.repeat(overLimit), source: 'Somebody' }).toString()
        expectTooLargePage(await ctx.app.inject({ method: 'POST', url: `/elvs/${f.elvId}/evidence`, headers: { cookie: cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' }, payload: note }))
        expect(await rowsNow()).toEqual(before)
      })

      it('refuses an upload over UPLOAD_MAX_MB with 413, on pages and the API, keeping neither a row nor a file', async () => {
        const before = await rowsNow()
        const filesBefore = storedFiles()
        const big = { name: 'big.txt', bytes: ctx.config.files.maxBytes + 1024 }
        const fields = { kind: 'authority_document', title: 'Too big', body: '', source: 'Authority', gatheredOn: '2026-06-01' }

        const page = multipart({ ...fields, _csrf: csrf }, big)
        expectTooLargePage(await ctx.app.inject({ method: 'POST', url: `/elvs/${f.elvId}/evidence`, headers: { cookie: cookieHeader(), 'content-type': page.type }, payload: page.payload }))
        expectTooLargePage(await ctx.app.inject({ method: 'POST', url: `/elvs/${f.elvId}/evidence/${f.evidenceId}/files`, headers: { cookie: cookieHeader(), 'content-type': page.type }, payload: page.payload }))
        expectTooLargePage(await ctx.app.inject({ method: 'POST', url: `/elvs/${f.elvId}/documents`, headers: { cookie: cookieHeader(), 'content-type': page.type }, payload: page.payload }))
        const api = multipart(fields, big)
        expectTooLargeJson(await ctx.app.inject({ method: 'POST', url: `/api/v1/elvs/${f.elvId}/evidence`, headers: { authorization: `Bearer ${f.adminToken}`, 'content-type': api.type }, payload: api.payload }))

        expect(await rowsNow()).toEqual(before)
        expect(storedFiles()).toBe(filesBefore)

        // Just under the limit is accepted, so the limit is where it says (on a visit of its own:
        // the sweeps above may have closed the fixture's).
        const elv = await ctx.services.visits.create(systemActor('test'), { authority: 'W06000003', term: TERM })
        const fits = multipart(fields, { name: 'fits.txt', bytes: ctx.config.files.maxBytes - 1024 })
        const ok = await ctx.app.inject({ method: 'POST', url: `/api/v1/elvs/${elv.id}/evidence`, headers: { authorization: `Bearer ${f.adminToken}`, 'content-type': fits.type }, payload: fits.payload })
        expect(ok.statusCode, ok.body).toBe(201)
        expect(storedFiles()).toBe(filesBefore + 1)
      })
    })
  })
}

import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { beforeAll, describe, expect, it } from 'vitest'
import { fixedClock } from '../clock.ts'
import { testEngines } from '../../test/helpers/engines.ts'
import type { Browser} from '../../test/helpers/test-app.ts';
import { csrfTokenIn, PASSWORD, useTestApp } from '../../test/helpers/test-app.ts'
import { buildFixture, INSIGHTS_YEAR, type SecurityFixture } from '../../test/security/fixture.ts'

/** The six pages kept per reader (the main pages of the benchmark). */
const keptPages = (f: SecurityFixture) => [
  '/', `/elvs/${f.elvId}`, `/elvs/${f.elvId}/letter`, `/search?q=attendance&elv=${f.elvId}`, '/programme', `/insights/${INSIGHTS_YEAR}`,
]

describe.each(testEngines())('pages kept per reader on $name', (engine) => {
  const clock = fixedClock('2026-11-24T10:15:00Z')
  const ctx = useTestApp(engine, { clock })
  let f: SecurityFixture
  let lead: Browser
  const stats = () => ctx.app.pageCache.stats()
  const signIn = async (email: string) => {
    const browser = ctx.browser()
    expect((await browser.signIn(email, PASSWORD)).statusCode).toBe(303)
    return browser
  }

  beforeAll(async () => {
    f = await buildFixture(ctx)
    lead = await signIn(f.lead.email)
  })

  it('sends each page again from the cache, the same page, while nothing is written', async () => {
    for (const url of keptPages(f)) {
      const first = await lead.get(url)
      expect(first.statusCode, url).toBe(200)
      const before = stats()
      const again = await lead.get(url)
      expect(again.statusCode, url).toBe(200)
      expect(stats().hits, url).toBe(before.hits + 1)
      expect(again.body, url).toBe(first.body)
      expect(again.headers['content-type']).toBe('text/html; charset=utf-8')
      // A page sent from the cache still has every security header.
      expect(again.headers['content-security-policy']).toContain("frame-ancestors 'none'")
      expect(again.headers['content-security-policy']).toBe(first.headers['content-security-policy'])
      expect(again.headers['x-frame-options']).toBe('SAMEORIGIN')
      expect(again.headers['x-content-type-options']).toBe('nosniff')
      expect(again.headers['referrer-policy']).toBe('no-referrer')
    }
  })

  it('builds a page afresh after any write, on the page or not', async () => {
    const url = `/search?q=zygomorphic&elv=${f.elvId}`
    const empty = await lead.get(url)
    expect((await lead.get(url)).body).toBe(empty.body)
    const item = await ctx.services.evidence.create(f.lead, f.elvId, { kind: 'data', title: 'Zygomorphic staffing plan', body: 'Notes', source: 'Data unit', focusAreaIds: [] })
    const link = `/elvs/${f.elvId}/evidence/${item.id}`
    expect(empty.body).not.toContain(link)
    expect((await lead.get(url)).body).toContain(link)

    // A write anywhere else moves the stamp too: the dashboard is built again.
    await lead.get('/')
    const misses = stats().misses
    await ctx.services.linkNotes.create(f.admin, 'W06000023', { notedOn: '2026-11-01', kind: 'meeting', title: 'Another meeting', body: 'Notes' })
    expect((await lead.get('/')).statusCode).toBe(200)
    expect(stats().misses).toBe(misses + 1)
  })

  it('keeps a page for its reader only: another user asking for the same address gets their own answer', async () => {
    const overview = `/elvs/${f.elvId}`
    expect((await lead.get(overview)).statusCode).toBe(200)
    expect((await lead.get(overview)).statusCode).toBe(200)

    const { browser: otherHmi, user } = await ctx.signedIn('hmi')
    const theirs = await otherHmi.get('/')
    expect(theirs.body).toContain(user.name)
    expect(theirs.body).not.toContain(f.lead.name)
    const { browser: otherAuthority } = await ctx.signedIn('la', { authority: 'W06000023' })
    expect([403, 404]).toContain((await otherAuthority.get(overview)).statusCode)
    expect([403, 404]).toContain((await otherAuthority.get(overview)).statusCode)
  })

  it('keeps nothing of one user for the next in a shared browser', async () => {
    const shared = await signIn(f.lead.email)
    await shared.get('/')
    expect((await shared.get('/')).body).toContain(f.lead.name)
    expect((await shared.post('/sign-out', {}, { from: '/' })).statusCode).toBe(303)
    const next = await ctx.make.user('hmi')
    expect((await shared.signIn(next.email, PASSWORD)).statusCode).toBe(303)
    for (let i = 0; i < 2; i++) {
      const home = await shared.get('/')
      expect(home.body).toContain(next.name)
      expect(home.body).not.toContain(f.lead.name)
    }
  })

  it('gives each browser its own form token, which its forms accept', async () => {
    const other = await signIn(f.lead.email)
    await lead.get('/')
    const mine = await lead.get('/')
    await other.get('/')
    const theirs = await other.get('/')
    const [myToken, theirToken] = [csrfTokenIn(mine.body), csrfTokenIn(theirs.body)]
    expect(myToken).not.toBe(theirToken)
    // The other browser's token is refused in this one, and changes nothing.
    expect((await lead.post('/sign-out', {}, { csrf: theirToken })).statusCode).toBe(403)
    expect((await lead.get('/')).statusCode).toBe(200)
    // Its own token, from a page sent from the cache, signs it out; its kept pages are then not sent.
    expect((await other.post('/sign-out', {}, { csrf: theirToken })).statusCode).toBe(303)
    const after = await other.get('/')
    expect(after.statusCode).toBe(302)
    expect(after.headers.location).toContain('/sign-in')
  })

  it('keeps Welsh and English apart', async () => {
    const reader = await signIn(f.lead.email)
    const english = await reader.get('/')
    expect(english.body).toContain('<html lang="en"')
    await reader.get('/language/cy')
    const welsh = await reader.get('/')
    expect(welsh.body).toContain('<html lang="cy"')
    expect((await reader.get('/')).body).toBe(welsh.body)
    await reader.get('/language/en')
    expect((await reader.get('/')).body).toBe(english.body)
  })

  it('shows a one-off message once, and never keeps it', async () => {
    const tab = `/elvs/${f.elvId}/letter`
    const page = await lead.get(tab)
    const version = /name="version" value="(\d+)"/.exec(page.body)?.[1]
    expect(version).toBeTruthy()
    const rebuilt = await lead.post(tab, { version: version!, replaceEdited: 'yes' }, { csrf: csrfTokenIn(page.body) })
    expect(rebuilt.statusCode).toBe(303)
    const shown = await lead.get(tab)
    expect(shown.body).toContain('Letter rebuilt from the findings')
    const next = await lead.get(tab)
    expect(next.body).not.toContain('Letter rebuilt from the findings')
    expect((await lead.get(tab)).body).toBe(next.body)
  })

  it('builds pages afresh when the hour turns (what is due or overdue counts from today)', async () => {
    await lead.get('/')
    const misses = stats().misses
    await lead.get('/')
    expect(stats().misses).toBe(misses)
    clock.advanceMinutes(60)
    await lead.get('/')
    expect(stats().misses).toBe(misses + 1)
  })

  it('sends a kept page compressed as the browser takes it', async () => {
    const url = `/insights/${INSIGHTS_YEAR}`
    const plain = await lead.get(url)
    expect(plain.headers['content-encoding']).toBeUndefined()
    for (const [accept, encoding, decode] of [['gzip, deflate, br', 'br', brotliDecompressSync], ['gzip', 'gzip', gunzipSync], ['br;q=0, gzip;q=0.5', 'gzip', gunzipSync]] as const) {
      // Asked twice: the page built and kept, then sent from the cache.
      for (let i = 0; i < 2; i++) {
        const res = await lead.get(url, { 'accept-encoding': accept })
        expect(res.headers['content-encoding'], accept).toBe(encoding)
        expect(res.headers.vary).toContain('Accept-Encoding')
        expect(res.rawPayload.length).toBeLessThan(plain.rawPayload.length / 4)
        expect(decode(res.rawPayload).toString('utf8'), accept).toBe(plain.body)
      }
    }
    expect((await lead.get(url, { 'accept-encoding': 'identity' })).body).toBe(plain.body)
  })
})

describe('pages kept per reader, turned off', () => {
  const ctx = useTestApp({ name: 'sqlite' }, { env: { PAGE_CACHE_MB: '0' } })

  it('keeps nothing with PAGE_CACHE_MB=0', async () => {
    const { browser } = await ctx.signedIn('hmi')
    const first = await browser.get('/', { 'accept-encoding': 'br' })
    const again = await browser.get('/', { 'accept-encoding': 'br' })
    expect([first.statusCode, again.statusCode]).toEqual([200, 200])
    expect(again.headers['content-encoding']).toBeUndefined()
    expect(ctx.app.pageCache.stats()).toEqual({ pages: 0, bytes: 0, hits: 0, misses: 0 })
  })
})

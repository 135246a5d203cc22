import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { chooseEncoding, PageCache } from './page-cache.ts'

const page = (text: string, size = 1000) => Buffer.from(text.padEnd(size, ' .'))

describe('PageCache', () => {
  it('gives back a kept page only under the stamp it was kept at, and counts hits and misses', async () => {
    const cache = new PageCache(10_000)
    expect(cache.get('a', 's1', 'identity')).toBeUndefined()
    expect((await cache.keep('a', 's1', page('A'), 'identity')).toString()).toBe(page('A').toString())
    expect((await cache.get('a', 's1', 'identity')!).toString()).toBe(page('A').toString())
    expect(cache.get('a', 's2', 'identity')).toBeUndefined()
    // The page of an old stamp is gone, not only passed over.
    expect(cache.get('a', 's1', 'identity')).toBeUndefined()
    expect(cache.stats()).toEqual({ pages: 0, bytes: 0, hits: 1, misses: 3 })
  })

  it('compresses a page once for each encoding asked for, and counts those bytes too', async () => {
    const cache = new PageCache(100_000)
    const plain = page('<p>Findings</p>', 20_000)
    const br = await cache.keep('a', 's', plain, 'br')
    expect(brotliDecompressSync(br).equals(plain)).toBe(true)
    const gz = await cache.get('a', 's', 'gzip')!
    expect(gunzipSync(gz).equals(plain)).toBe(true)
    expect(await cache.get('a', 's', 'gzip')).toBe(gz)
    await new Promise((resolve) => setImmediate(resolve))
    expect(cache.stats().bytes).toBe(plain.length + br.length + gz.length)
  })

  it('keeps within its budget, sending out the least recently used first', async () => {
    const cache = new PageCache(3_000)
    for (const key of ['a', 'b', 'c']) await cache.keep(key, 's', page(key), 'identity')
    expect(cache.get('a', 's', 'identity')).toBeDefined()
    await cache.keep('d', 's', page('d'), 'identity')
    expect(cache.get('b', 's', 'identity')).toBeUndefined()
    for (const key of ['a', 'c', 'd']) expect(cache.get(key, 's', 'identity'), key).toBeDefined()
    expect(cache.stats()).toMatchObject({ pages: 3, bytes: 3_000 })
  })

  it('sends a page larger than its whole budget without keeping it', async () => {
    const cache = new PageCache(500)
    expect((await cache.keep('big', 's', page('big'), 'identity')).length).toBe(1000)
    expect(cache.get('big', 's', 'identity')).toBeUndefined()
    expect(cache.stats()).toMatchObject({ pages: 0, bytes: 0 })
  })

  it('replaces the page kept under a key', async () => {
    const cache = new PageCache(10_000)
    await cache.keep('a', 's1', page('old'), 'identity')
    await cache.keep('a', 's2', page('new'), 'identity')
    expect((await cache.get('a', 's2', 'identity')!).toString()).toBe(page('new').toString())
    expect(cache.stats()).toMatchObject({ pages: 1, bytes: 1000 })
  })

  it('is off with no budget', () => {
    expect(new PageCache(0).enabled).toBe(false)
    expect(new PageCache(1).enabled).toBe(true)
  })
})

describe('chooseEncoding', () => {
  it.each([
    [undefined, 'identity'],
    ['', 'identity'],
    ['gzip, deflate, br', 'br'],
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip', 'gzip'],
    ['GZIP', 'gzip'],
    ['deflate', 'identity'],
    ['br;q=0, gzip', 'gzip'],
    ['br; q=0, gzip;q=0.8', 'gzip'],
    ['gzip;q=0', 'identity'],
    ['*', 'br'],
    ['*, br;q=0', 'gzip'],
    ['identity', 'identity'],
  ] as const)('%s -> %s', (header, expected) => {
    expect(chooseEncoding(header)).toBe(expected)
  })
})

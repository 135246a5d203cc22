import { promisify } from 'node:util'
import zlib from 'node:zlib'

/**
 * Whole pages kept per reader, so a page asked for again while nothing has changed is sent
 * without querying and rendering it again (an inspector's home page, a visit's overview and
 * letter tab are read far more often than anything on them is written), already compressed.
 *
 * A kept page belongs to one user in one browser (its CSRF secret: the form token on the page is
 * that browser's), one language and one address (path and query), and was made under one stamp:
 * the audit log's change stamp (every write records an audit event, so it moves on every
 * committed write, on any app server) and the hour (pages that count days from today move on at
 * midnight). It is served only while the stamp read for the request is the same, so any write
 * anywhere makes every kept page be built afresh: coarse, but never stale.
 */

/** How a page is sent: Brotli or gzip when the browser takes it (every browser does), else as it is. */
export type Encoding = 'br' | 'gzip' | 'identity'

interface KeptPage {
  stamp: string
  /** The page in each encoding asked for so far, compressed on first asking. */
  bodies: Partial<Record<Encoding, Promise<Buffer>>>
  bytes: number
}

export interface PageCacheStats { pages: number; bytes: number; hits: number; misses: number }

const brotli = promisify(zlib.brotliCompress)
const gzip = promisify(zlib.gzip)

export class PageCache {
  private readonly entries = new Map<string, KeptPage>()
  private bytes = 0
  private hits = 0
  private misses = 0

  /** At most `maxBytes` of pages (every encoding counted), least recently used out first; 0 keeps nothing. */
  constructor(readonly maxBytes: number) {}

  get enabled(): boolean { return this.maxBytes > 0 }

  /** The page kept under `key` at `stamp` in `encoding`; undefined when there is none. */
  get(key: string, stamp: string, encoding: Encoding): Promise<Buffer> | undefined {
    const page = this.entries.get(key)
    if (!page || page.stamp !== stamp) {
      if (page) this.drop(key, page)
      this.misses++
      return undefined
    }
    // Re-inserted: the map's order is least recently used first.
    this.entries.delete(key)
    this.entries.set(key, page)
    this.hits++
    return this.body(key, page, encoding)
  }

  /** Keeps the page under `key` at `stamp` and returns it in `encoding`. A page larger than the whole budget is not kept. */
  keep(key: string, stamp: string, page: Buffer, encoding: Encoding): Promise<Buffer> {
    const old = this.entries.get(key)
    if (old) this.drop(key, old)
    const kept: KeptPage = { stamp, bodies: { identity: Promise.resolve(page) }, bytes: page.length }
    if (kept.bytes <= this.maxBytes) {
      this.entries.set(key, kept)
      this.grow(kept.bytes)
    }
    return this.body(key, kept, encoding)
  }

  stats(): PageCacheStats {
    return { pages: this.entries.size, bytes: this.bytes, hits: this.hits, misses: this.misses }
  }

  private body(key: string, page: KeptPage, encoding: Encoding): Promise<Buffer> {
    const found = page.bodies[encoding]
    if (found) return found
    const plain = page.bodies.identity!
    const made = plain.then((b) => compress(b, encoding))
    page.bodies[encoding] = made
    void made.then((b) => {
      page.bytes += b.length
      if (this.entries.get(key) === page) this.grow(b.length)
    }, () => { delete page.bodies[encoding] })
    return made
  }

  private grow(by: number): void {
    this.bytes += by
    for (const [oldest, page] of this.entries) {
      if (this.bytes <= this.maxBytes) break
      this.drop(oldest, page)
    }
  }

  private drop(key: string, page: KeptPage): void {
    this.entries.delete(key)
    this.bytes -= page.bytes
  }
}

/** Off the event loop (zlib's thread pool): half a megabyte takes a few milliseconds, once per page and stamp. */
function compress(page: Buffer, encoding: Encoding): Promise<Buffer> {
  if (encoding === 'br') {
    return brotli(page, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: page.length } })
  }
  if (encoding === 'gzip') return gzip(page, { level: 6 })
  return Promise.resolve(page)
}

/** The best encoding the request's Accept-Encoding takes: Brotli, then gzip, else none ("q=0" refuses one). */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding {
  if (!acceptEncoding) return 'identity'
  const taken = new Map<string, number>()
  for (const part of acceptEncoding.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';')
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined)
    taken.set(name.trim(), q === undefined ? 1 : Number(q))
  }
  const weight = (name: string) => taken.get(name) ?? taken.get('*') ?? 0
  if (weight('br') > 0) return 'br'
  if (weight('gzip') > 0) return 'gzip'
  return 'identity'
}

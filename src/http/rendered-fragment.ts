import { randomUUID } from 'node:crypto'
import type { FastifyReply } from 'fastify'

/** Unique to this process, so no page's own text can look like a place for kept HTML (and text is escaped anyway). */
const MARK = `<!--kept-html:${randomUUID()}:`

/**
 * A partial rendered once and kept (while what it shows is unchanged), to go into pages as it is:
 * `{{ html | safe }}` puts a marker there, and reply.render sends the kept bytes in its place.
 * Half a megabyte of HTML costs several milliseconds to measure and encode again in every
 * response (Nunjucks' output is a deep tree of joined strings); its UTF-8 bytes are made once.
 */
export class KeptHtml {
  private static next = 0
  readonly marker = `${MARK}${KeptHtml.next++}-->`
  readonly bytes: Buffer
  constructor(html: string) { this.bytes = Buffer.from(html, 'utf8') }
  /** What Nunjucks writes for it: the marker, replaced when the page is sent. */
  toString(): string { return this.marker }
  get text(): string { return this.bytes.toString('utf8') }
}

/** Renders a partial on its own, to keep. */
export async function renderFragment(reply: FastifyReply, template: string, data: Record<string, unknown>): Promise<KeptHtml> {
  return new KeptHtml(await reply.viewAsync(template, data))
}

/** The page with each kept fragment's bytes where its marker is: as bytes when there is one, else the page as it is. */
export function withKeptHtml(html: string, data: Record<string, unknown>): string | Buffer {
  const kept = Object.values(data).filter((v): v is KeptHtml => v instanceof KeptHtml)
  if (!kept.length || !html.includes(MARK)) return html
  const parts: Buffer[] = []
  let from = 0
  for (;;) {
    const at = html.indexOf(MARK, from)
    if (at < 0) break
    const end = html.indexOf('-->', at) + 3
    const fragment = kept.find((k) => k.marker === html.slice(at, end))
    parts.push(Buffer.from(html.slice(from, at), 'utf8'), fragment ? fragment.bytes : Buffer.alloc(0))
    from = end
  }
  parts.push(Buffer.from(html.slice(from), 'utf8'))
  return Buffer.concat(parts)
}

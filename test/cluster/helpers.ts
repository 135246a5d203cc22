import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { simpleParser, type ParsedMail } from 'mailparser'

/** What a browser gets back, read in full. */
export interface WebReply {
  status: number
  /** The Location header of a redirect (not followed). */
  location: string | null
  headers: Headers
  bytes: Buffer
  text: string
}

/**
 * A browser over real HTTP (fetch): one cookie jar for every server, so a session begun on one
 * app server is carried to another exactly as a load balancer would send a real browser's requests.
 */
export class WebBrowser {
  readonly cookies = new Map<string, string>()

  async request(url: string, init: { method?: string; headers?: Record<string, string>; body?: string | FormData } = {}): Promise<WebReply> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    const res = await fetch(url, {
      method: init.method ?? 'GET',
      redirect: 'manual',
      headers: { ...(cookie ? { cookie } : {}), ...init.headers },
      ...(init.body !== undefined ? { body: init.body } : {}),
    })
    for (const line of res.headers.getSetCookie()) this.keep(line)
    const bytes = Buffer.from(await res.arrayBuffer())
    return { status: res.status, location: res.headers.get('location'), headers: res.headers, bytes, text: bytes.toString('utf8') }
  }

  get(url: string): Promise<WebReply> {
    return this.request(url)
  }

  /** Posts a form the way a browser does, with the CSRF token given (from a page fetched before). */
  post(url: string, form: Record<string, string>, csrf: string): Promise<WebReply> {
    return this.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...form, _csrf: csrf }).toString(),
    })
  }

  private keep(setCookie: string): void {
    const [pair, ...attributes] = setCookie.split(';')
    const at = pair!.indexOf('=')
    const name = pair!.slice(0, at).trim()
    const value = pair!.slice(at + 1).trim()
    const expired = attributes.some((a) => {
      const [k, v = ''] = a.trim().split('=')
      if (k!.toLowerCase() === 'max-age') return Number(v) <= 0
      if (k!.toLowerCase() === 'expires') return new Date(v).getTime() < Date.now()
      return false
    })
    if (!value || expired) this.cookies.delete(name)
    else this.cookies.set(name, value)
  }
}

export interface ReceivedMail { rcptTo: string[]; mail: ParsedMail }

/**
 * A real SMTP server on 127.0.0.1 that keeps every message it accepts, parsed (as
 * mail.delivery.test.ts has it). Set `hold` to keep a message's sender waiting before it is accepted.
 */
export async function startSmtpServer() {
  const received: ReceivedMail[] = []
  const control: { hold: ((mailFrom: string) => Promise<void>) | undefined } = { hold: undefined }
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    logger: false,
    onData(stream, session, callback) {
      // Accept the message only once it is parsed, so a finished send means it is in `received`.
      const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : ''
      simpleParser(stream).then(async (mail) => {
        await control.hold?.(from)
        received.push({ rcptTo: session.envelope.rcptTo.map((r) => r.address), mail })
        callback()
      }, (err: Error) => callback(err))
    },
  })
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  return {
    received,
    control,
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** Waits until `done()` holds, checking every `everyMs`; throws with `what` after `timeoutMs`. */
export async function waitFor(what: string, done: () => boolean | Promise<boolean>, timeoutMs = 30_000, everyMs = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, everyMs))
  }
}

import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig, ConfigError } from '../../src/config.ts'
import { connectDatabase } from '../../src/db/connect.ts'
import type { Database } from '../../src/db/database.ts'
import { createServices, type Services } from '../../src/services.ts'
import { bootstrap, type Bootstrapped } from '../../src/bootstrap.ts'
import { systemActor } from '../../src/modules/auth/actor.ts'
import { samplePng } from '../../src/modules/documents/sample-files.ts'
import { commandDatabase } from '../helpers/cli.ts'
import { postgresUrl } from '../helpers/engines.ts'
import { startS3TestServer, type S3TestServer } from '../helpers/s3-server.ts'
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts'
import { csrfTokenIn } from '../helpers/test-app.ts'
import { startSmtpServer, waitFor, WebBrowser } from './helpers.ts'

/*
 * Cyswllt as several app servers: two real server processes behind no load balancer, sharing one
 * PostgreSQL database, one S3-protocol store (s3rver) and one SMTP server, with the same
 * COOKIE_SECRET. Each test sends a user's or a client's requests to both servers, as a load
 * balancer would, and checks nothing depends on which server answered.
 */

const pgUrl = postgresUrl()
if (!pgUrl && process.env.CI) {
  throw new Error('CI is set but no PostgreSQL is available: the several-servers tests must run (apt-get install -y postgresql, or set TEST_DATABASE_URL).')
}

const ADMIN_EMAIL = 'admin@cluster.invalid'
const ADMIN_PASSWORD = 'cluster-admin-password'
const PASSWORD = 'a-long-cluster-password'
const system = systemActor('cluster test')
const MAIL_FROM = { A: 'cyswllt-a@cluster.invalid', B: 'cyswllt-b@cluster.invalid' } as const

describe('MAIL_INTERVAL_SECONDS', () => {
  it('is 5 seconds unless set, and a whole number of at least 1', () => {
    expect(loadConfig({}).mail.intervalSeconds).toBe(5)
    expect(loadConfig({ MAIL_INTERVAL_SECONDS: '1' }).mail.intervalSeconds).toBe(1)
    expect(loadConfig({ MAIL_INTERVAL_SECONDS: '60' }).mail.intervalSeconds).toBe(60)
    for (const bad of ['0', '-1', '1.5', 'often']) expect(() => loadConfig({ MAIL_INTERVAL_SECONDS: bad })).toThrow(ConfigError)
  })
})

describe.skipIf(!pgUrl)(pgUrl ? 'two app servers over one PostgreSQL, one S3 store and one SMTP server' : 'two app servers (skipped: no PostgreSQL here; install postgresql or set TEST_DATABASE_URL)', () => {
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cyswllt-cluster-'))
  const dataDir = (name: string) => path.join(tempDir, name)
  const db = commandDatabase({ url: pgUrl }, 'cluster', dataDir('test'))
  let s3: S3TestServer
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>
  let a: ServerProcess
  let b: ServerProcess
  /** The test's own connection to the same database, for setting up users and visits and reading back. */
  let database: Database
  let services: Services
  let elvId: number
  const hmi = { email: 'inspector@cluster.invalid', name: 'Cluster Inspector' }

  beforeAll(async () => {
    await db.create()
    s3 = await startS3TestServer()
    smtp = await startSmtpServer()
    const shared = {
      DATABASE_URL: db.env.DATABASE_URL!,
      COOKIE_SECRET: randomBytes(32).toString('hex'),
      ...s3.env,
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      MAIL_INTERVAL_SECONDS: '1',
      CYSWLLT_ADMIN_EMAIL: ADMIN_EMAIL,
      CYSWLLT_ADMIN_PASSWORD: ADMIN_PASSWORD,
    }
    // Both at once over the empty database: they race to migrate and to create the first admin.
    // Each has a data directory of its own, so nothing can be shared through the local disk.
    const started = await Promise.allSettled([
      startServerProcess({ ...shared, DATA_DIR: dataDir('a'), MAIL_FROM: MAIL_FROM.A }),
      startServerProcess({ ...shared, DATA_DIR: dataDir('b'), MAIL_FROM: MAIL_FROM.B }),
    ])
    const failed = started.find((s) => s.status === 'rejected')
    if (failed) {
      await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.kill() : undefined)))
      throw (failed as PromiseRejectedResult).reason
    }
    ;[a, b] = started.map((s) => (s as PromiseFulfilledResult<ServerProcess>).value) as [ServerProcess, ServerProcess]

    database = await connectDatabase({ dataDir: dataDir('test'), databaseUrl: db.env.DATABASE_URL })
    services = createServices(database, loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir('test'), DATABASE_URL: db.env.DATABASE_URL, ...s3.env }))
    await services.users.create(system, { ...hmi, role: 'hmi', password: PASSWORD })
    const elv = await services.visits.create(system, { authority: 'W06000008', term: '2027-2028/spring' })
    await services.team.add(system, elv.id, { email: hmi.email, lead: true })
    elvId = elv.id
  }, 240_000)

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()])
    await database?.close()
    await smtp?.close()
    await s3?.close()
    await db.drop()
    fs.rmSync(tempDir, { recursive: true, force: true })
  }, 60_000)

  /** Signs in through the real form on `server`: the sign-in page for the CSRF cookie and token, then the post. */
  async function signIn(browser: WebBrowser, server: ServerProcess, email: string, password: string) {
    const page = await browser.get(`${server.url}/sign-in`)
    expect(page.status).toBe(200)
    const res = await browser.post(`${server.url}/sign-in`, { email, password }, csrfTokenIn(page.text))
    expect(res.status).toBe(303)
    expect(browser.cookies.has('cyswllt_session')).toBe(true)
  }

  /** A bearer token for the inspector, made as `cyswllt token create` does. */
  const apiToken = async () => (await services.auth.createToken(system, hmi.email, 'cluster test')).token

  it('both started at once over the empty database: one set of migrations, one first admin', async () => {
    const created = [a, b].filter((s) => s.output().includes('First start: an administrator account was created.'))
    expect(created).toHaveLength(1)
    const users = await database.db.selectFrom('app_user').select(['email', 'role']).where('role', '=', 'admin').execute()
    expect(users).toEqual([{ email: ADMIN_EMAIL, role: 'admin' }])
    const { rows } = await sql<{ n: number; names: number }>`select count(*)::int as n, count(distinct name)::int as names from kysely_migration`.execute(database.db)
    expect(rows[0]!.n).toBeGreaterThan(0)
    expect(rows[0]!.n).toBe(rows[0]!.names)
    const authorities = await database.db.selectFrom('local_authority').select('gss_code').execute()
    expect(authorities).toHaveLength(22)
    // The admin created by one server signs in on the other.
    await signIn(new WebBrowser(), created[0] === a ? b : a, ADMIN_EMAIL, ADMIN_PASSWORD)
  })

  it('brings one database up to date from several processes at once, every time', async () => {
    // The same race as two servers starting, without the cost of starting them: separate
    // connection pools (as separate processes have) over a fresh database, four at a time.
    for (let round = 0; round < 2; round++) {
      const fresh = commandDatabase({ url: pgUrl }, 'cluster_boot', dataDir('boot'))
      await fresh.create()
      try {
        const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir('boot'), DATABASE_URL: fresh.env.DATABASE_URL, CYSWLLT_ADMIN_EMAIL: ADMIN_EMAIL, CYSWLLT_ADMIN_PASSWORD: ADMIN_PASSWORD })
        const pools = await Promise.all([0, 1, 2, 3].map(() => connectDatabase(config)))
        try {
          const results: Bootstrapped[] = await Promise.all(pools.map((p) => bootstrap(createServices(p, config), config)))
          expect(results.filter((r) => r.firstAdmin)).toEqual([{ firstAdmin: { email: ADMIN_EMAIL, password: null } }])
          expect(await pools[0]!.db.selectFrom('app_user').select('email').execute()).toEqual([{ email: ADMIN_EMAIL }])
        } finally {
          await Promise.all(pools.map((p) => p.close()))
        }
      } finally {
        await fresh.drop()
      }
    }
  }, 120_000)

  it('keeps a session begun on one server on the other: pages, form posts and signing out', async () => {
    const browser = new WebBrowser()
    await signIn(browser, a, hmi.email, PASSWORD)
    const session = browser.cookies.get('cyswllt_session')!

    // Without the session, B sends the reader to sign in; with it, B shows the signed-in page.
    const stranger = await new WebBrowser().get(`${b.url}/elvs/${elvId}/evidence`)
    expect(stranger.status).toBeGreaterThanOrEqual(300)
    expect(stranger.location).toContain('/sign-in')
    const log = await browser.get(`${b.url}/elvs/${elvId}/evidence`)
    expect(log.status).toBe(200)
    expect(log.text).toContain(hmi.name)

    // A form whose token came from a page served by A, posted to B ...
    const fromA = csrfTokenIn((await browser.get(`${a.url}/elvs/${elvId}/evidence/new`)).text)
    const first = await browser.post(`${b.url}/elvs/${elvId}/evidence`, { kind: 'meeting_note', title: 'Met the director (token from A)', body: 'Attendance', source: 'Director' }, fromA)
    expect(first.status).toBe(303)
    expect(first.location).toMatch(new RegExp(`^/elvs/${elvId}/evidence/\\d+$`))
    // ... and its confirmation, set by B, shown by A.
    const shown = await browser.get(`${a.url}${first.location!}`)
    expect(shown.status).toBe(200)
    expect(shown.text).toContain('The evidence has been recorded.')
    expect(shown.text).toContain('Met the director (token from A)')

    // A form whose token came from B itself.
    const fromB = csrfTokenIn((await browser.get(`${b.url}/elvs/${elvId}/evidence/new`)).text)
    const second = await browser.post(`${b.url}/elvs/${elvId}/evidence`, { kind: 'meeting_note', title: 'Met the cabinet member (token from B)', body: 'Budgets', source: 'Cabinet member' }, fromB)
    expect(second.status).toBe(303)
    const titles = (await services.evidence.list(system, elvId)).map((e) => e.title)
    expect(titles).toEqual(expect.arrayContaining(['Met the director (token from A)', 'Met the cabinet member (token from B)']))

    // A token that was never issued is refused on both.
    for (const server of [a, b]) {
      const forged = await browser.post(`${server.url}/elvs/${elvId}/evidence`, { kind: 'meeting_note', title: 'Forged', source: 'Nobody' }, 'not-a-token')
      expect(forged.status).toBe(403)
    }

    // Signing out on B ends the session everywhere: A no longer honours the old cookie.
    const out = await browser.post(`${b.url}/sign-out`, {}, fromB)
    expect(out.status).toBe(303)
    const replay = new WebBrowser()
    replay.cookies.set('cyswllt_session', session)
    const after = await replay.get(`${a.url}/elvs/${elvId}/evidence`)
    expect(after.status).toBeGreaterThanOrEqual(300)
    expect(after.location).toContain('/sign-in')
  })

  it('builds a page one server keeps afresh after a write through the other, and never sends it once signed out', async () => {
    const browser = new WebBrowser()
    await signIn(browser, a, hmi.email, PASSWORD)
    const search = `${a.url}/search?${new URLSearchParams({ q: 'quokka', elv: String(elvId) })}`
    const before = await browser.get(search)
    expect(before.status).toBe(200)
    expect((await browser.get(search)).text).toBe(before.text)

    const token = csrfTokenIn((await browser.get(`${b.url}/elvs/${elvId}/evidence/new`)).text)
    const added = await browser.post(`${b.url}/elvs/${elvId}/evidence`, { kind: 'meeting_note', title: 'Quokka survey of schools', body: 'Notes', source: 'Director' }, token)
    expect(added.status).toBe(303)
    expect(before.text).not.toContain(added.location!)
    expect((await browser.get(search)).text).toContain(added.location!)

    // Kept on A, then signed out on B: A sends the old cookies to sign in, not the kept page.
    expect((await browser.get(`${a.url}/`)).status).toBe(200)
    expect((await browser.get(`${a.url}/`)).status).toBe(200)
    const cookies = new Map(browser.cookies)
    expect((await browser.post(`${b.url}/sign-out`, {}, token)).status).toBe(303)
    const replay = new WebBrowser()
    for (const [name, value] of cookies) replay.cookies.set(name, value)
    const after = await replay.get(`${a.url}/`)
    expect(after.status).toBeGreaterThanOrEqual(300)
    expect(after.location).toContain('/sign-in')
  })

  it('downloads from one server, byte for byte, a file uploaded through the other', async () => {
    const token = await apiToken()
    const keysBefore = await s3.keys()
    // A real PNG followed by 2 MB of random bytes: its type is found from the content, and any
    // change to a single byte on the way through S3 would show.
    const bytes = Buffer.concat([samplePng(), randomBytes(2 * 1024 * 1024 + 17)])
    const form = new FormData()
    form.append('kind', 'data')
    form.append('title', 'Attendance chart')
    form.append('source', 'Data team')
    form.append('file', new Blob([bytes], { type: 'image/png' }), 'attendance.png')
    const up = await fetch(`${a.url}/api/v1/elvs/${elvId}/evidence`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form })
    expect(up.status).toBe(201)
    const item = await up.json() as { id: number; files: Array<{ url: string; sha256: string; sizeBytes: number; mediaType: string }> }
    const [file] = item.files
    expect(file).toMatchObject({ sha256: createHash('sha256').update(bytes).digest('hex'), sizeBytes: bytes.length, mediaType: 'image/png' })
    // Kept in the shared store, not on A's disk.
    expect((await s3.keys()).length).toBe(keysBefore.length + 1)
    expect(fs.existsSync(path.join(dataDir('a'), 'files'))).toBe(false)

    const viaApi = await fetch(`${b.url}${file!.url}`, { headers: { authorization: `Bearer ${token}` } })
    expect(viaApi.status).toBe(200)
    expect(Buffer.from(await viaApi.arrayBuffer()).equals(bytes)).toBe(true)

    // And through B's page link, by a user signed in on A.
    const browser = new WebBrowser()
    await signIn(browser, a, hmi.email, PASSWORD)
    const viaPage = await browser.get(`${b.url}${file!.url.replace(/^\/api\/v1/, '')}`)
    expect(viaPage.status).toBe(200)
    expect(viaPage.headers.get('content-type')).toBe('image/png')
    expect(viaPage.bytes.equals(bytes)).toBe(true)
  })

  it('lets exactly one of two edits of the same version win, on either server, and keeps the winner’s edit', async () => {
    const token = await apiToken()
    const json = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
    const created = await fetch(`${a.url}/api/v1/elvs/${elvId}/evidence`, {
      method: 'POST', headers: json,
      body: JSON.stringify({ kind: 'meeting_note', title: 'Raced note', body: 'Before', source: 'Head of service' }),
    })
    expect(created.status).toBe(201)
    const { id } = await created.json() as { id: number }
    const wins = { A: 0, B: 0 }

    for (let round = 1; round <= 10; round++) {
      const current = await (await fetch(`${b.url}/api/v1/evidence/${id}`, { headers: json })).json() as { version: number }
      const edit = (name: 'A' | 'B') => ({ title: `Round ${round} by ${name}`, body: `Text of round ${round} saved through ${name}` })
      const send = async (name: 'A' | 'B', server: ServerProcess) => {
        const res = await fetch(`${server.url}/api/v1/evidence/${id}`, { method: 'PATCH', headers: json, body: JSON.stringify({ version: current.version, ...edit(name) }) })
        return { name, status: res.status, body: await res.json() as { version?: number; error?: { code: string } } }
      }
      const answers = await Promise.all([send('A', a), send('B', b)])
      expect(answers.map((r) => r.status).sort()).toEqual([200, 409])
      const winner = answers.find((r) => r.status === 200)!
      const loser = answers.find((r) => r.status === 409)!
      expect(loser.body.error?.code).toBe('version_conflict')
      expect(winner.body.version).toBe(current.version + 1)
      wins[winner.name]++

      // Read back through both servers: the winner's edit, whole, and nothing of the loser's.
      for (const server of [a, b]) {
        const stored = await (await fetch(`${server.url}/api/v1/evidence/${id}`, { headers: json })).json() as { title: string; body: string; version: number }
        expect(stored).toMatchObject({ ...edit(winner.name), version: current.version + 1 })
      }
    }
    expect(wins.A + wins.B).toBe(10)
    console.log(`version race: A won ${wins.A}, B won ${wins.B} of 10`)
  }, 60_000)

  it('delivers each message of the outbox exactly once across both servers, and marks every one sent', async () => {
    // A server claims at most 20 messages a round. The SMTP server keeps the first sender waiting
    // until the other sender arrives too, so the first server holds its claims while the other
    // claims what is left: both deliver from the same outbox at the same time, whatever the timers do.
    const count = 40
    const expected = Array.from({ length: count }, (_, i) => ({ to: `director${i}@cluster.invalid`, subject: `Cluster message ${i}` }))
    const before = smtp.received.length
    const senders = new Set<string>()
    let release!: () => void
    const bothArrived = new Promise<void>((resolve) => { release = resolve })
    smtp.control.hold = async (from) => {
      senders.add(from)
      if (senders.size >= 2) release()
      // Not for ever: should only one server deliver, the split check below says so.
      await Promise.race([bothArrived, new Promise((r) => setTimeout(r, 20_000))])
    }
    // Written as the app writes mail: in one transaction, so both servers find all of it at once.
    const ids = await database.db.transaction().execute(async (trx) => {
      const out: number[] = []
      for (const m of expected) out.push(await services.mail.enqueue(trx, { ...m, text: `Body of ${m.subject}`, html: `<p>Body of ${m.subject}</p>` }))
      return out
    })
    const rows = () => database.db.selectFrom('outbox').selectAll().where('id', 'in', ids).execute()
    await waitFor('every message to be marked sent', async () => (await rows()).every((r) => r.sent_at !== null), 60_000)
    await waitFor('every message to reach the SMTP server', () => smtp.received.length - before >= count)
    // Two more delivery rounds of each server: a message sent twice would arrive by now.
    await new Promise((r) => setTimeout(r, 2500))

    const received = smtp.received.slice(before)
    expect(received.map((r) => r.mail.subject).sort()).toEqual(expected.map((m) => m.subject).sort())
    for (const r of received) {
      const m = expected.find((e) => e.subject === r.mail.subject)!
      expect(r.rcptTo).toEqual([m.to])
    }
    for (const row of await rows()) expect(row).toMatchObject({ attempts: 1, last_error: null, claimed_until: null })
    const by = (from: string) => received.filter((r) => r.mail.from?.value[0]?.address === from).length
    console.log(`outbox: A delivered ${by(MAIL_FROM.A)}, B delivered ${by(MAIL_FROM.B)} of ${count}`)
    expect(by(MAIL_FROM.A)).toBeGreaterThan(0)
    expect(by(MAIL_FROM.B)).toBeGreaterThan(0)
    expect(by(MAIL_FROM.A) + by(MAIL_FROM.B)).toBe(count)
    smtp.control.hold = undefined
  }, 90_000)

  it('logged no error on either server', () => {
    expect(a.errorLines()).toEqual([])
    expect(b.errorLines()).toEqual([])
  })
})

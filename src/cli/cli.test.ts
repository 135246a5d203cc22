import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import SQLite from 'better-sqlite3'
import pg from 'pg'
import * as tar from 'tar'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../config.ts'
import { connectDatabase } from '../db/connect.ts'
import { createServices, type Services } from '../services.ts'
import { bootstrap } from '../bootstrap.ts'
import { buildApp } from '../app.ts'
import { systemActor } from '../modules/auth/actor.ts'
import { testEngines } from '../../test/helpers/engines.ts'
import { cyswllt, SLOW } from '../../test/helpers/cli.ts'

const FIRST_ADMIN = 'admin@cyswllt.invalid'
const PASSWORD = 'a-long-cli-test-password'

const dirs: string[] = []
/** A new, empty DATA_DIR: the CLI must cope with a database that does not exist yet. */
function freshDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cyswllt-cli-'))
  dirs.push(dir)
  return dir
}
afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }) })

/** The same database as the command, opened in this process as the server would open it. */
async function open(env: Record<string, string>): Promise<{ services: Services; close(): Promise<void> }> {
  const config = loadConfig({ NODE_ENV: 'test', ...env })
  const database = await connectDatabase(config)
  return { services: createServices(database, config), close: () => database.close() }
}

describe('cyswllt command line', () => {
  const closers: Array<() => Promise<void>> = []
  afterEach(async () => { for (const c of closers.splice(0)) await c() })

  it('shows help for the command and for each subcommand, exit 0', { timeout: SLOW }, async () => {
    const env = { DATA_DIR: freshDataDir() }
    const main = await cyswllt(['--help'], env)
    expect(main.code).toBe(0)
    for (const c of ['migrate', 'user add', 'user list', 'user disable', 'token create', 'token revoke', 'backup', 'restore']) expect(main.stdout).toContain(c)
    const sub = await cyswllt(['token', 'create', '--help'], env)
    expect(sub.code).toBe(0)
    expect(sub.stdout).toContain('Usage: cyswllt token create --email E [--label L]')
    // Help never touches the database.
    expect(fs.readdirSync(env.DATA_DIR)).toEqual([])
  })

  it('refuses an unknown command with exit 2 and says which commands there are', { timeout: SLOW }, async () => {
    const res = await cyswllt(['frobnicate'], { DATA_DIR: freshDataDir() })
    expect(res.code).toBe(2)
    expect(res.stdout).toBe('')
    expect(res.stderr.trim()).toBe('cyswllt: unknown command "frobnicate"; the commands are migrate, user, token, backup, restore, import, plan, schema, insights. See "cyswllt --help".')
  })

  it('adds a user with the password from standard input, lists it, and the password signs in', { timeout: SLOW }, async () => {
    const env = { DATA_DIR: freshDataDir() }
    const add = await cyswllt(['user', 'add', '--email', 'Peer.One@Example.invalid', '--name', 'Peer One', '--role', 'peer', '--authority', 'W06000015', '--password-stdin'], env, `${PASSWORD}\n`)
    expect(add.stderr).toContain(`E-mail:   ${FIRST_ADMIN}`)
    expect(add.code).toBe(0)
    expect(add.stdout).toMatch(/^Created user 2: peer.one@example.invalid \(peer for W06000015\)\.\n$/)
    expect(add.stdout).not.toContain(PASSWORD)

    const list = await cyswllt(['user', 'list'], env)
    expect(list.code).toBe(0)
    const lines = list.stdout.trimEnd().split('\n').map((l) => l.split(/\s{2,}/))
    expect(lines[0]).toEqual(['id', 'email', 'name', 'role', 'authority', 'disabled'])
    expect(lines).toContainEqual(['2', 'peer.one@example.invalid', 'Peer One', 'peer', 'W06000015', 'no'])
    expect(lines).toContainEqual(['1', FIRST_ADMIN, 'Administrator', 'admin', '-', 'no'])
    expect(list.stderr).toBe('')

    const { services, close } = await open(env)
    closers.push(close)
    expect((await services.auth.signIn('peer.one@example.invalid', PASSWORD)).ok).toBe(true)
    const audit = await services.database.db.selectFrom('audit_event').selectAll().where('action', '=', 'user.create').where('actor_label', '=', 'cli').execute()
    expect(audit).toHaveLength(1)

    const again = await cyswllt(['user', 'add', '--email', 'peer.one@example.invalid', '--name', 'Someone', '--role', 'hmi'], env)
    expect(again.code).toBe(2)
    expect(again.stderr.trim()).toBe('cyswllt user add: --email: A user with that e-mail address already exists')
  })

  it('refuses a bad role, a missing --email and an unknown authority with exit 2 and a specific message', { timeout: SLOW }, async () => {
    const env = { DATA_DIR: freshDataDir() }
    const role = await cyswllt(['user', 'add', '--email', 'x@example.invalid', '--name', 'X', '--role', 'boss'], env)
    expect(role.code).toBe(2)
    expect(role.stderr.trim()).toBe('cyswllt user add: --role must be one of admin, reviewer, hmi, peer, la, not "boss". See "cyswllt user add --help".')
    const email = await cyswllt(['user', 'add', '--name', 'X', '--role', 'hmi'], env)
    expect(email.code).toBe(2)
    expect(email.stderr.trim()).toBe('cyswllt user add: missing --email. See "cyswllt user add --help".')
    const authority = await cyswllt(['user', 'add', '--email', 'x@example.invalid', '--name', 'X', '--role', 'la', '--authority', 'W06999999', '--password-stdin'], env, 'short\n')
    expect(authority.code).toBe(2)
    // Every problem the service found, each in readable English, naming the option.
    expect(authority.stderr).toContain('cyswllt user add: --authority: There is no local authority with the code W06999999\n')
    expect(authority.stderr).toContain('cyswllt user add: --password-stdin: The password must be 12 characters or more\n')
    const { services, close } = await open(env)
    closers.push(close)
    expect(await services.users.byEmail('x@example.invalid')).toBeUndefined()
  })

  it('creates a token that alone fills stdout and works on the API, until it is revoked', { timeout: SLOW }, async () => {
    const env = { DATA_DIR: freshDataDir() }
    const created = await cyswllt(['token', 'create', '--email', FIRST_ADMIN, '--label', 'test'], env)
    expect(created.code).toBe(0)
    expect(created.stdout).toMatch(/^cyswllt_[A-Za-z0-9_-]{20,}\n$/)
    // On an empty database the first admin's details still appear, on stderr only.
    expect(created.stderr).toContain('First start: an administrator account was created.')
    const token = created.stdout.trim()

    const config = loadConfig({ NODE_ENV: 'test', ...env })
    const database = await connectDatabase(config)
    const services = createServices(database, config)
    const app = await buildApp(config, services)
    closers.push(async () => { await app.close(); await database.close() })
    const get = () => app.inject({ method: 'GET', url: '/api/v1/authorities', headers: { authorization: `Bearer ${token}` } })
    expect((await get()).statusCode).toBe(200)

    const revoked = await cyswllt(['token', 'revoke', '--token', token], env)
    expect(revoked.code).toBe(0)
    expect(revoked.stdout.trim()).toBe('Revoked 1 token.')
    expect((await get()).statusCode).toBe(401)
    const again = await cyswllt(['token', 'revoke', '--token', token], env)
    expect(again.code).toBe(2)
    expect(again.stderr).toContain('no active API token matches the one given')
  })

  it('disables a user, who then cannot sign in', { timeout: SLOW }, async () => {
    const env = { DATA_DIR: freshDataDir() }
    const { services, close } = await open(env)
    closers.push(close)
    await bootstrap(services, { admin: { email: undefined, password: undefined } })
    await services.users.create(systemActor('test'), { email: 'hmi@example.invalid', name: 'An HMI', role: 'hmi', password: PASSWORD })

    const res = await cyswllt(['user', 'disable', '--email', 'hmi@example.invalid'], env)
    expect(res.code).toBe(0)
    expect(res.stdout).toContain('Disabled user 2: hmi@example.invalid.')
    expect((await services.users.byEmail('hmi@example.invalid'))?.disabled).toBe(1)
    expect((await services.auth.signIn('hmi@example.invalid', PASSWORD)).ok).toBe(false)

    const unknown = await cyswllt(['user', 'disable', '--email', 'nobody@example.invalid'], env)
    expect(unknown.code).toBe(2)
    expect(unknown.stderr.trim()).toBe('cyswllt user disable: No user has the e-mail address nobody@example.invalid.')
  })

  it('backs up a database in use to an archive holding a valid SQLite file, and will not overwrite one without --force', { timeout: SLOW }, async () => {
    const env = { DATA_DIR: freshDataDir() }
    // A live connection, as a running server would hold, with a write the backup must include.
    const { services, close } = await open(env)
    closers.push(close)
    await bootstrap(services, { admin: { email: undefined, password: undefined } })
    await services.users.create(systemActor('test'), { email: 'kept@example.invalid', name: 'Kept', role: 'reviewer' })

    const out = path.join(freshDataDir(), 'backup.tar.gz')
    const res = await cyswllt(['backup', '--out', out], env)
    expect(res.code).toBe(0)
    const unpacked = freshDataDir()
    await tar.extract({ file: out, cwd: unpacked })
    const copy = new SQLite(path.join(unpacked, 'database.sqlite'), { readonly: true })
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok')
      const emails = copy.prepare('SELECT email FROM app_user ORDER BY id').all() as Array<{ email: string }>
      expect(emails.map((e) => e.email)).toEqual([FIRST_ADMIN, 'kept@example.invalid'])
    } finally {
      copy.close()
    }
    expect(fs.readdirSync(path.dirname(out))).toEqual(['backup.tar.gz'])

    fs.writeFileSync(out, 'not a backup')
    const refused = await cyswllt(['backup', '--out', out], env)
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('already exists: choose another file, or add --force to replace it')
    expect(fs.readFileSync(out, 'utf8')).toBe('not a backup')

    const forced = await cyswllt(['backup', '--out', out, '--force'], env)
    expect(forced.code).toBe(0)
    expect([...fs.readFileSync(out).subarray(0, 2)]).toEqual([0x1f, 0x8b]) // gzip
  })

  it('runs migrate, user list, token revoke and backup on an empty DATA_DIR', { timeout: SLOW }, async () => {
    const migrate = await cyswllt(['migrate'], { DATA_DIR: freshDataDir() })
    expect(migrate.code).toBe(0)
    expect(migrate.stdout).toMatch(/^Applied 0001_foundation.* to the SQLite database\.\n$/)
    const list = await cyswllt(['user', 'list'], { DATA_DIR: freshDataDir() })
    expect(list.code).toBe(0)
    expect(list.stdout).toContain(FIRST_ADMIN)
    const revoke = await cyswllt(['token', 'revoke', '--email', FIRST_ADMIN], { DATA_DIR: freshDataDir() })
    expect(revoke.code).toBe(0)
    expect(revoke.stdout.trim()).toBe(`Revoked 0 tokens of ${FIRST_ADMIN}.`)
    const out = path.join(freshDataDir(), 'b.sqlite')
    const backup = await cyswllt(['backup', '--out', out], { DATA_DIR: freshDataDir() })
    expect(backup.code).toBe(0)
    expect(fs.existsSync(out)).toBe(true)
  })
})

for (const engine of testEngines().filter((e) => e.name === 'postgres')) {
  describe('cyswllt command line on PostgreSQL', () => {
    // DATABASE_URL cannot carry a search_path, so the command gets a database of its own.
    const dbName = `cli_${randomBytes(6).toString('hex')}`
    const url = new URL(engine.url!)
    const adminUrl = engine.url!
    url.pathname = `/${dbName}`
    const env = { DATABASE_URL: url.toString(), DATA_DIR: freshDataDir() }

    afterAll(async () => {
      const admin = new pg.Client({ connectionString: adminUrl })
      await admin.connect()
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`)
      } finally {
        await admin.end()
      }
    })

    it('adds and lists a user, and points to pg_dump for backups', { timeout: SLOW }, async () => {
      const admin = new pg.Client({ connectionString: adminUrl })
      await admin.connect()
      try {
        await admin.query(`CREATE DATABASE ${dbName}`)
      } finally {
        await admin.end()
      }
      const add = await cyswllt(['user', 'add', '--email', 'la@example.invalid', '--name', 'LA User', '--role', 'la', '--authority', 'W06000011', '--password-stdin'], env, `${PASSWORD}\n`)
      expect(add.stderr).toContain(`E-mail:   ${FIRST_ADMIN}`)
      expect(add.code).toBe(0)
      const list = await cyswllt(['user', 'list'], env)
      expect(list.code).toBe(0)
      expect(list.stdout.split('\n').map((l) => l.split(/\s{2,}/))).toContainEqual(['2', 'la@example.invalid', 'LA User', 'la', 'W06000011', 'no'])

      const { services, close } = await open(env)
      try {
        expect(services.database.engine).toBe('postgres')
        expect((await services.auth.signIn('la@example.invalid', PASSWORD)).ok).toBe(true)
      } finally {
        await close()
      }

      const backup = await cyswllt(['backup', '--out', path.join(env.DATA_DIR, 'x.dump')], env)
      expect(backup.code).toBe(2)
      expect(backup.stderr).toContain('pg_dump --format=custom')
      expect(fs.existsSync(path.join(env.DATA_DIR, 'x.dump'))).toBe(false)
    })
  })
}

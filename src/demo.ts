import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { loadConfig } from './config.ts'
import { connectDatabase } from './db/connect.ts'
import { createServices } from './services.ts'
import { bootstrap } from './bootstrap.ts'
import { formatTable } from './cli/output.ts'
import { seedDemo } from './demo/seed.ts'
import { startServer } from './start.ts'

/**
 * `npm run demo`: a throw-away Cyswllt with fictional accounts of every role. It always uses a
 * new temporary SQLite database, whatever DATA_DIR or DATABASE_URL say, so it can never touch
 * real data; the database is deleted when the demo stops.
 */
async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cyswllt-demo-'))
  const removeDataDir = () => fs.rmSync(dataDir, { recursive: true, force: true })
  try {
    const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: undefined, CYSWLLT_ADMIN_EMAIL: undefined, CYSWLLT_ADMIN_PASSWORD: undefined }
    const config = loadConfig(env)
    const database = await connectDatabase(config)
    const services = createServices(database, config)
    const boot = await bootstrap(services, config)
    const { accounts } = await seedDemo(services)

    const t = services.i18n.translator('en')
    const authorities = new Map((await services.reference.listAuthorities()).map((a) => [a.gss_code, a.name_en]))
    const rows = accounts.map((a) => [
      t(`role.${a.role}`),
      a.name,
      a.email,
      a.authorityCode ? `${authorities.get(a.authorityCode) ?? ''} (${a.authorityCode})` : '-',
      a.password ?? '(unchanged)',
    ])
    if (boot.firstAdmin?.password) rows.push([t('role.admin'), 'Administrator (first start)', boot.firstAdmin.email, '-', boot.firstAdmin.password])
    console.log([
      'Cyswllt demo: every name and e-mail address below is fictional.',
      `The data is in ${dataDir} and is deleted when you stop the demo (Ctrl+C).`,
      '',
      formatTable(['Role', 'Name', 'E-mail', 'Authority', 'Password'], rows),
      '',
    ].join('\n'))

    await startServer(config, services, { onStop: removeDataDir })
  } catch (e) {
    removeDataDir()
    throw e
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? `The Cyswllt demo could not start: ${err.message}` : err)
  process.exit(1)
})

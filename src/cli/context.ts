import type { Config } from '../config.ts'
import type { Services } from '../services.ts'
import type { AppError } from '../http/errors.ts'
import { translateDetail } from '../http/form-errors.ts'
import type { I18n, Translate } from '../i18n/catalogue.ts'
import { printFirstAdmin } from './output.ts'
import type { Io } from './command.ts'

/**
 * Opens the database named by the environment (as the server does), brings it up to date, runs
 * `work`, and closes the database whatever happens. The first admin's details, when this run
 * created it, go to standard error so that standard output holds only the command's result.
 * The database layer is loaded only here, so --help and refused arguments answer quickly.
 */
export async function withServices<T>(
  io: Io,
  work: (services: Services, config: Config) => Promise<T>,
  opts: { beforeBootstrap?: (services: Services) => Promise<void> } = {},
): Promise<T> {
  const [{ loadConfig }, { connectDatabase }, { createServices }, { bootstrap }] = await Promise.all([
    import('../config.ts'), import('../db/connect.ts'), import('../services.ts'), import('../bootstrap.ts'),
  ])
  const config = loadConfig()
  const database = await connectDatabase(config)
  try {
    const services = createServices(database, config)
    await opts.beforeBootstrap?.(services)
    const boot = await bootstrap(services, config)
    if (boot.firstAdmin) printFirstAdmin(boot.firstAdmin, io.err)
    return await work(services, config)
  } finally {
    await database.close()
  }
}

/**
 * English for the terminal. A field name missing from the catalogue shows as words made from its
 * key (`users.field.authorityCode` -> "authority code") rather than as the bare key.
 */
function terminalTranslator(i18n: I18n): Translate {
  const t = i18n.translator('en')
  return (key, params) => {
    const text = t(key, params)
    if (text !== key || !/\.field\./.test(key)) return text
    return key.slice(key.lastIndexOf('.') + 1).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()
  }
}

/**
 * The lines describing a refused request: each validation problem on its own line, prefixed
 * with the option it is about when `optionFor` knows one.
 */
export function describeAppError(e: AppError, i18n: I18n, optionFor: Record<string, string> = {}): string[] {
  if (!e.details.length) return [e.message]
  const t = terminalTranslator(i18n)
  return e.details.map((d) => {
    const text = translateDetail(d, t)
    const option = optionFor[d.path]
    return option ? `${option}: ${text}` : text
  })
}

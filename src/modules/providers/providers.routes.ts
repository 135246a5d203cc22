import type { FastifyReply, FastifyRequest } from 'fastify'
import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'
import { AppError } from '../../http/errors.ts'
import { paths } from '../../http/paths.ts'
import { authorityName, elvTabs } from '../visits/visits.view.ts'
import { EXAMPLE_CSV, importErrors, importPageColumns, preparationView } from './providers.view.ts'
import { MAX_FILE_BYTES } from './providers.csv.ts'
import { idParam } from '../../http/route-helpers.ts'
import { uploadsIn } from '../../http/uploads.ts'

// A pasted 5 MB file grows when form-encoded (each non-ASCII byte becomes three characters), so
// this route takes a larger body than the app's default; the service itself refuses over 5 MB.
const IMPORT_BODY_LIMIT = 3 * MAX_FILE_BYTES + 64 * 1024

export function providerRoutes(app: App, services: Services): void {
  const { providers } = services
  const admin = { preHandler: app.require('admin:reference') }

  const importPage = async (req: FastifyRequest, reply: FastifyReply, csv: string, error?: AppError) =>
    reply.render('providers/views/import.njk', {
      csv,
      action: paths.providersImport(),
      example: EXAMPLE_CSV,
      count: await providers.count(),
      columns: importPageColumns(req.t),
      errors: error ? importErrors(error.details, req.t) : undefined,
    }, error ? error.status : 200)

  app.get(paths.providersImport(), admin, async (req, reply) => importPage(req, reply, ''))

  app.post(paths.providersImport(), { ...admin, bodyLimit: IMPORT_BODY_LIMIT }, async (req, reply) => {
    const form = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>
    // A chosen file wins over pasted text; the paste is there for a quick fix of a few rows.
    const file = uploadsIn(form, 'file')[0]
    const csv = file ? file.data.toString('utf8') : typeof form.csv === 'string' ? form.csv : ''
    try {
      const { inserted, updated } = await providers.importCsv(req.actor!, csv)
      return reply.flash('providers.import.done', { inserted, updated }).redirect(paths.providersImport(), 303)
    } catch (e) {
      if (e instanceof AppError && e.code === 'validation_failed') return importPage(req, reply, csv, e)
      throw e
    }
  })

  app.get('/elvs/:id/preparation', { preHandler: app.require('visits:read') }, async (req, reply) => {
    const id = idParam(req, 'visit')
    const prep = await providers.preparation(req.actor!, id)
    return reply.render('providers/views/preparation.njk', {
      title: req.t('visits.title', { authority: authorityName(prep.elv, req.lang), ordinal: req.t(`visits.ordinal.${prep.elv.ordinal}`) }),
      tabs: elvTabs(id, 'preparation', req.t),
      ...preparationView(prep, req.t),
    })
  })
}

import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'
import { AppError } from '../../http/errors.ts'
import { pageErrors } from '../../http/form-errors.ts'
import { paths } from '../../http/paths.ts'
import type { AuditSearchInput } from './audit.service.ts'
import { actionLabel, auditResults, entityLabel, selectItems } from './audit.view.ts'

const TEMPLATE = 'audit/views/audit.njk'

export function auditRoutes(app: App, { audit }: Services): void {
  app.get<{ Querystring: AuditSearchInput }>(paths.audit(), { preHandler: app.require('admin:audit') }, async (req, reply) => {
    const t = req.t
    const query = req.query ?? {}
    // What the reader typed goes back into the form as typed, valid or not.
    const values = Object.fromEntries(Object.entries(query).filter(([, v]) => typeof v === 'string')) as Record<string, string>
    const [actions, entityTypes] = await Promise.all([audit.actions(), audit.entityTypes()])
    const form = {
      values,
      clearHref: paths.audit(),
      actionItems: selectItems(actions, values.action, (c) => actionLabel(c, t), t('audit.filter.anyAction')),
      entityTypeItems: selectItems(entityTypes, values.entityType, (c) => entityLabel(c, t), t('audit.filter.anyEntityType')),
    }
    let result
    try {
      result = await audit.search(query)
    } catch (e) {
      if (e instanceof AppError && e.code === 'validation_failed') {
        return reply.render(TEMPLATE, { ...form, errors: pageErrors(e.details, t) }, 400)
      }
      throw e
    }
    return reply.render(TEMPLATE, { ...form, ...auditResults(result, t) })
  })
}

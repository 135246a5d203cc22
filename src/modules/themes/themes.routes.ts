import { Type, type Static } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'
import { AppError, validationFailed } from '../../http/errors.ts'
import { errorResponses } from '../../http/api-schemas.ts'
import { pageErrors } from '../../http/form-errors.ts'
import { isFormError } from '../../http/route-helpers.ts'
import { paths } from '../../http/paths.ts'
import { themeLabel, type ThemeView } from './themes.service.ts'
import { themeItems } from './themes.view.ts'

type Form = Record<string, unknown>

const KEY_DESCRIPTION = 'Lower-case letters, numbers and single hyphens, e.g. welsh-medium-education; never changes'

const ThemeJson = Type.Object({
  key: Type.String({ description: KEY_DESCRIPTION }),
  en: Type.String({ description: 'The English label' }),
  cy: Type.String({ description: 'The Welsh label' }),
})

const NewTheme = Type.Object({
  key: Type.String({ minLength: 1, maxLength: 40, description: KEY_DESCRIPTION }),
  en: Type.String({ minLength: 1, maxLength: 80 }),
  cy: Type.String({ minLength: 1, maxLength: 80 }),
}, { additionalProperties: false })

const MergeThemes = Type.Object({
  from: Type.String({ minLength: 1, maxLength: 40, description: 'The key of the theme to merge away; its key keeps working afterwards' }),
  into: Type.String({ minLength: 1, maxLength: 40, description: 'The key of the theme to keep' }),
}, { additionalProperties: false })

// The merge form's address sits under the page's own; http/paths.ts (shared) names only the page.
const mergePath = `${paths.themes()}/merge`

const API_FIELDS: Record<string, string> = { labelEn: 'en', labelCy: 'cy' }

const toJson = (t: ThemeView): Static<typeof ThemeJson> => ({ key: t.key, en: t.labelEn, cy: t.labelCy })
const formOf = (req: FastifyRequest): Form => (req.body && typeof req.body === 'object' ? req.body as Form : {})

/** Admin pages for the managed list of themes: add and merge; and the themes API. */
export function themesRoutes(app: App, { themes }: Services): void {
  const admin = app.require('admin:reference')

  // API

  app.get('/api/v1/themes', {
    schema: {
      tags: ['themes'], summary: 'The themes in use, for tagging evidence, findings and link notes',
      description: 'Merged themes are left out; their keys are still accepted wherever themes are sent.',
      response: { 200: Type.Object({ items: Type.Array(ThemeJson) }), ...errorResponses },
    },
    preHandler: app.require('signed-in'),
  }, async () => ({ items: (await themes.list()).map(toJson) }))

  app.post('/api/v1/themes', {
    schema: { tags: ['themes'], summary: 'Add a theme (administrators)', body: NewTheme, response: { 201: ThemeJson, ...errorResponses } },
    preHandler: admin,
  }, async (req, reply) => {
    const body = req.body as Static<typeof NewTheme>
    try {
      return reply.code(201).send(toJson(await themes.create(req.actor!, { key: body.key, labelEn: body.en, labelCy: body.cy })))
    } catch (e) {
      // The service names the form's fields; an API caller should see the names it sent.
      if (e instanceof AppError && e.code === 'validation_failed') throw validationFailed(e.details.map((d) => ({ ...d, path: API_FIELDS[d.path] ?? d.path })))
      throw e
    }
  })

  app.post('/api/v1/themes/merge', {
    schema: {
      tags: ['themes'], summary: 'Merge one theme into another (administrators)',
      description: 'Every tag of `from` moves to `into`, which is answered. `from` leaves the list; its key keeps resolving to `into`.',
      body: MergeThemes, response: { 200: ThemeJson, ...errorResponses },
    },
    preHandler: admin,
  }, async (req) => toJson(await themes.merge(req.actor!, req.body as Static<typeof MergeThemes>)))

  // Admin page

  const page = async (req: FastifyRequest, reply: FastifyReply, values: Form = {}, error?: AppError) => {
    const { inUse, merged } = await themes.overview()
    const choices = (field: string) => [{ value: '', text: req.t('themes.merge.choose') }, ...themeItems(inUse, req.lang, values[field], 'selected')]
    return reply.render('themes/views/themes.njk', {
      inUse, merged, values,
      addAction: paths.themes(),
      mergeAction: mergePath,
      fromItems: choices('from'),
      intoItems: choices('into'),
      mergedRows: merged.map((t) => ({ ...t, into: req.t('themes.mergedInto', { label: themeLabel(t.mergedInto, req.lang), key: t.mergedInto.key }) })),
      errors: error ? pageErrors(error.details, req.t) : undefined,
    }, error?.status ?? 200)
  }

  app.get(paths.themes(), { preHandler: admin }, async (req, reply) => page(req, reply))

  app.post(paths.themes(), { preHandler: admin }, async (req, reply) => {
    const form = formOf(req)
    try {
      const theme = await themes.create(req.actor!, form)
      return reply.flash('themes.flash.created', { label: themeLabel(theme, req.lang) }).redirect(paths.themes(), 303)
    } catch (e) {
      if (isFormError(e)) return page(req, reply, form, e)
      throw e
    }
  })

  app.post(mergePath, { preHandler: admin }, async (req, reply) => {
    const form = formOf(req)
    try {
      const kept = await themes.merge(req.actor!, form)
      const merged = await themes.get(String(form.from).trim())
      return reply.flash('themes.flash.merged', { from: themeLabel(merged, req.lang), into: themeLabel(kept, req.lang) }).redirect(paths.themes(), 303)
    } catch (e) {
      if (isFormError(e)) return page(req, reply, form, e)
      throw e
    }
  })
}

import { Type, type Static } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'
import type { AppError } from '../../http/errors.ts'
import { errorResponses } from '../../http/api-schemas.ts'
import { isFormError } from '../../http/route-helpers.ts'
import { pageErrors } from '../../http/form-errors.ts'
import { paths } from '../../http/paths.ts'
import type { LetterheadSettings } from '../letters/letterhead.ts'
import { LETTERHEAD_LIMITS, LetterheadService, type LetterheadInput } from './letterhead.service.ts'

type Form = Record<string, string | string[] | undefined>
const FIELDS = ['organisationEn', 'organisationCy', 'addressEn', 'addressCy', 'phone', 'email', 'website', 'version'] as const

const formOf = (req: FastifyRequest): Form => (req.body && typeof req.body === 'object' ? req.body as Form : {})
const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? v[0] ?? '' : v ?? '')

/** The form's flat fields, in the shape the service (and the API) reads. */
const formInput = (f: Form): LetterheadInput => ({
  organisation: { en: one(f.organisationEn), cy: one(f.organisationCy) },
  address: { en: one(f.addressEn), cy: one(f.addressCy) },
  phone: one(f.phone), email: one(f.email), website: one(f.website), version: one(f.version),
})

const formValues = (s: LetterheadSettings): Form => ({
  organisationEn: s.organisation.en, organisationCy: s.organisation.cy, addressEn: s.address.en, addressCy: s.address.cy,
  phone: s.phone, email: s.email, website: s.website, version: String(s.version),
})

const Bilingual = (description: string) => Type.Object({ en: Type.String(), cy: Type.String() }, { description })
const LetterheadJson = Type.Object({
  organisation: Bilingual('The organisation’s name in English and Welsh'),
  address: Bilingual('The address in English and Welsh, one line of it per line'),
  phone: Type.String({ description: 'Empty when left off the letter' }),
  email: Type.String({ description: 'Empty when left off the letter' }),
  website: Type.String({ description: 'Empty when left off the letter' }),
  version: Type.Integer(),
  updatedAt: Type.Union([Type.String(), Type.Null()], { description: 'Null until first saved: the defaults are in force' }),
})
// Fields are optional here so the service can name every missing or wrong one at once, by its own name.
const LetterheadBody = Type.Object({
  organisation: Type.Optional(Type.Object({ en: Type.Optional(Type.String()), cy: Type.Optional(Type.String()) }, { description: `Both needed, up to ${LETTERHEAD_LIMITS.organisation} characters each` })),
  address: Type.Optional(Type.Object({ en: Type.Optional(Type.String()), cy: Type.Optional(Type.String()) }, { description: `Both needed, up to ${LETTERHEAD_LIMITS.addressLines} lines` })),
  phone: Type.Optional(Type.String({ description: 'Numbers, spaces, brackets, + and -; empty or left out to leave it off' })),
  email: Type.Optional(Type.String({ description: 'Empty or left out to leave it off' })),
  website: Type.Optional(Type.String({ description: 'A web address such as www.estyn.gov.wales; empty or left out to leave it off' })),
  version: Type.Optional(Type.Integer({ description: 'The version you read; 409 version_conflict when someone saved since' })),
})

const toJson = (s: LetterheadSettings): Static<typeof LetterheadJson> => ({
  organisation: s.organisation, address: s.address, phone: s.phone, email: s.email, website: s.website, version: s.version, updatedAt: s.updatedAt,
})

/** The letterhead printed on every feedback letter: an admin page and the settings API. */
export function letterheadRoutes(app: App, services: Services): void {
  const letterhead = new LetterheadService(services.database, services.audit, services.clock)
  const admin = { preHandler: app.require('admin:reference') }

  const page = async (req: FastifyRequest, reply: FastifyReply, failed?: { error: AppError; values: Form }) => {
    const current = await letterhead.settings(req.actor!)
    const stale = failed?.error.code === 'version_conflict'
    const values: Form = failed
      ? { ...Object.fromEntries(FIELDS.map((f) => [f, one(failed.values[f])])), ...(stale ? { version: String(current.version) } : {}) }
      : formValues(current)
    return reply.render('letterhead/views/letterhead.njk', {
      values,
      action: paths.letterhead(),
      maxLines: LETTERHEAD_LIMITS.addressLines,
      stale,
      errors: failed ? pageErrors(failed.error.details, req.t) : undefined,
    }, failed ? failed.error.status : 200)
  }

  app.get(paths.letterhead(), admin, async (req, reply) => page(req, reply))

  app.post(paths.letterhead(), admin, async (req, reply) => {
    const form = formOf(req)
    try {
      await letterhead.save(req.actor!, formInput(form))
      return reply.flash('letterhead.flash.saved').redirect(paths.letterhead(), 303)
    } catch (e) {
      if (isFormError(e)) return page(req, reply, { error: e, values: form })
      throw e
    }
  })

  app.get('/api/v1/settings/letterhead', {
    schema: { tags: ['settings'], summary: 'The letterhead printed on feedback letters (administrators)', response: { 200: LetterheadJson, ...errorResponses } },
    preHandler: app.require('admin:reference'),
  }, async (req) => toJson(await letterhead.settings(req.actor!)))

  app.put('/api/v1/settings/letterhead', {
    schema: {
      tags: ['settings'], summary: 'Change the letterhead printed on feedback letters (administrators)',
      description: 'Replaces every field. Send the version you read: a stale one answers 409 version_conflict. Every problem is named at once (400 validation_failed).',
      body: LetterheadBody, response: { 200: LetterheadJson, ...errorResponses },
    },
    preHandler: app.require('admin:reference'),
  }, async (req) => toJson(await letterhead.save(req.actor!, req.body as Static<typeof LetterheadBody>)))
}

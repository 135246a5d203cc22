import { Type, type Static } from '@sinclair/typebox'
import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'
import type { LocalAuthority } from '../../db/schema.ts'
import { errorResponses } from '../../http/api-schemas.ts'

export const AuthorityJson = Type.Object({
  gssCode: Type.String({ description: 'ONS GSS code, e.g. W06000008' }),
  nameEn: Type.String(),
  nameCy: Type.String(),
  directorName: Type.Union([Type.String(), Type.Null()]),
  directorEmail: Type.Union([Type.String(), Type.Null()]),
  preferredLanguage: Type.Union([Type.Literal('en'), Type.Literal('cy')]),
  welshMedium: Type.Boolean({ description: 'Its ELV teams need Welsh speakers (the planning rule welshSpeakersForWelshMedium says how many)' }),
  version: Type.Integer({ description: 'Send it back when changing the record: a stale version is refused with 409' }),
})

const AuthorityParams = Type.Object({ gssCode: Type.String({ pattern: '^W06[0-9]{6}$' }) })

const AuthorityChange = Type.Object({
  nameEn: Type.String({ minLength: 1, maxLength: 100 }),
  nameCy: Type.String({ minLength: 1, maxLength: 100 }),
  directorName: Type.Union([Type.String({ maxLength: 100 }), Type.Null()]),
  directorEmail: Type.Union([Type.String({ maxLength: 254 }), Type.Null()]),
  preferredLanguage: Type.Union([Type.Literal('en'), Type.Literal('cy')]),
  welshMedium: Type.Optional(Type.Boolean({ description: 'Left as it is when not sent' })),
  version: Type.Integer({ minimum: 1 }),
}, { additionalProperties: false })

export function authorityToJson(a: LocalAuthority): Static<typeof AuthorityJson> {
  return {
    gssCode: a.gss_code, nameEn: a.name_en, nameCy: a.name_cy, directorName: a.director_name,
    directorEmail: a.director_email, preferredLanguage: a.preferred_language, welshMedium: a.welsh_medium === 1, version: a.version,
  }
}

export function referenceApiRoutes(app: App, { reference }: Services): void {
  app.get('/api/v1/authorities', {
    schema: {
      tags: ['reference'],
      summary: 'The 22 local authorities of Wales',
      response: { 200: Type.Object({ items: Type.Array(AuthorityJson) }), ...errorResponses },
    },
    preHandler: app.require('reference:read'),
  }, async () => ({ items: (await reference.listAuthorities()).map(authorityToJson) }))

  app.get('/api/v1/authorities/:gssCode', {
    schema: { tags: ['reference'], summary: 'One local authority', params: AuthorityParams, response: { 200: AuthorityJson, ...errorResponses } },
    preHandler: app.require('reference:read'),
  }, async (req) => authorityToJson(await reference.getAuthority((req.params as Static<typeof AuthorityParams>).gssCode)))

  app.put('/api/v1/authorities/:gssCode', {
    schema: {
      tags: ['reference'],
      summary: 'Change a local authority (administrators)',
      params: AuthorityParams,
      body: AuthorityChange,
      response: { 200: AuthorityJson, ...errorResponses },
    },
    preHandler: app.require('admin:reference'),
  }, async (req) => {
    const { gssCode } = req.params as Static<typeof AuthorityParams>
    return authorityToJson(await reference.updateAuthority(req.actor!, gssCode, req.body as Static<typeof AuthorityChange>))
  })
}

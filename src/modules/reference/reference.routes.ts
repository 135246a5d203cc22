import { Type } from '@sinclair/typebox'
import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'
import type { LocalAuthority } from '../../db/schema.ts'

export const AuthorityJson = Type.Object({
  gssCode: Type.String({ description: 'ONS GSS code, e.g. W06000008' }),
  nameEn: Type.String(),
  nameCy: Type.String(),
  directorName: Type.Union([Type.String(), Type.Null()]),
  directorEmail: Type.Union([Type.String(), Type.Null()]),
  preferredLanguage: Type.Union([Type.Literal('en'), Type.Literal('cy')]),
  version: Type.Integer(),
})

export const ErrorJson = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    details: Type.Array(Type.Object({ path: Type.String(), code: Type.String(), message: Type.String() })),
  }),
})

export function authorityToJson(a: LocalAuthority) {
  return {
    gssCode: a.gss_code, nameEn: a.name_en, nameCy: a.name_cy, directorName: a.director_name,
    directorEmail: a.director_email, preferredLanguage: a.preferred_language, version: a.version,
  }
}

export function referenceRoutes(app: App, { reference }: Services): void {
  app.get('/api/v1/authorities', {
    schema: {
      tags: ['reference'],
      summary: 'The 22 local authorities of Wales',
      response: { 200: Type.Object({ items: Type.Array(AuthorityJson) }), 401: ErrorJson },
    },
    preHandler: app.require('reference:read'),
  }, async () => ({ items: (await reference.listAuthorities()).map(authorityToJson) }))
}

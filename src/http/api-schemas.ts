import { Type } from '@sinclair/typebox'

/** The one error shape of the API, for the OpenAPI description. */
export const ErrorJson = Type.Object({
  error: Type.Object({
    code: Type.String({ description: 'validation_failed, bad_request, unauthenticated, forbidden, not_found, conflict, version_conflict, rule_violation, conflict_of_interest, payload_too_large, unsupported_media_type, rate_limited or internal_error' }),
    message: Type.String(),
    details: Type.Array(Type.Object({
      path: Type.String({ description: 'The field the problem is about, e.g. body.directorEmail' }),
      code: Type.String(),
      message: Type.String(),
    })),
  }),
}, { $id: 'Error' })

export const errorResponses = { 400: ErrorJson, 401: ErrorJson, 403: ErrorJson, 404: ErrorJson, 409: ErrorJson }

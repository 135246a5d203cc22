import type { FastifyRequest } from 'fastify'
import { AppError, notFound } from './errors.ts'

// Problems a person can put right on the same form: shown there, with what they typed.
const FORM_ERROR_CODES: readonly string[] = ['validation_failed', 'conflict', 'version_conflict', 'rule_violation', 'conflict_of_interest']

export function isFormError(e: unknown): e is AppError {
  return e instanceof AppError && FORM_ERROR_CODES.includes(e.code)
}

/** A whole-number id from the route's params; anything else answers 404, like a record that does not exist. */
export function idParam(req: FastifyRequest, what = 'record', name = 'id'): number {
  const id = Number((req.params as Record<string, string>)[name])
  if (!Number.isInteger(id) || id < 1) throw notFound(what)
  return id
}

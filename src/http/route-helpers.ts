import type { FastifyRequest } from 'fastify'
import { AppError, notFound } from './errors.ts'
import { MAX_INTEGER } from './check.ts'

// Problems a person can put right on the same form: shown there, with what they typed.
const FORM_ERROR_CODES: readonly string[] = ['validation_failed', 'conflict', 'version_conflict', 'rule_violation', 'conflict_of_interest']

export function isFormError(e: unknown): e is AppError {
  return e instanceof AppError && FORM_ERROR_CODES.includes(e.code)
}

/** A whole-number id from the route's params; anything else answers 404, like a record that does not exist. */
export function idParam(req: FastifyRequest, what = 'record', name = 'id'): number {
  const id = Number((req.params as Record<string, string>)[name])
  if (!isId(id)) throw notFound(what)
  return id
}

/** A number that can be a record's id: a whole number from 1 to the largest an integer column holds. */
export const isId = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= MAX_INTEGER

/** One error type for the whole app; routes turn it into a page or `{ error: { code, message, details } }`. */
export interface ErrorDetail {
  /** Field path (`email`, `body.authorityCode`) or rule name the problem is about. */
  path: string
  /** Catalogue key of the message, so pages can show it in the reader's language. */
  messageKey: string
  params?: Record<string, string | number>
}

export type ErrorCode =
  | 'validation_failed'
  | 'bad_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  /** The record changed since the caller read it (its `version` is stale): nothing was saved. */
  | 'version_conflict'
  | 'rule_violation'
  | 'conflict_of_interest'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'

const STATUS: Record<ErrorCode, number> = {
  validation_failed: 400,
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  version_conflict: 409,
  rule_violation: 409,
  conflict_of_interest: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
}

export class AppError extends Error {
  readonly status: number
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message)
    this.status = STATUS[code]
  }
}

export const notFound = (what = 'record') => new AppError('not_found', `No such ${what}, or you may not see it.`)
export const forbidden = () => new AppError('forbidden', 'You do not have permission to do that.')
/** Too many requests from one address: answered 429 with a Retry-After header. */
export const rateLimited = () => new AppError('rate_limited', 'Too many requests. Wait a minute and try again.')
export const validationFailed = (details: ErrorDetail[]) =>
  new AppError('validation_failed', 'Some of the information given is not valid.', details)
export const conflict = (message: string, details: ErrorDetail[] = []) => new AppError('conflict', message, details)

/** Someone else saved first: the caller's `version` is stale and nothing was changed. */
export const versionConflict = (message: string) =>
  new AppError('version_conflict', message, [{ path: 'version', messageKey: 'validation.staleVersion' }])

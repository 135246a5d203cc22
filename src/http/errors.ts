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
  | 'rule_violation'
  | 'conflict_of_interest'
  | 'rate_limited'

const STATUS: Record<ErrorCode, number> = {
  validation_failed: 400,
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rule_violation: 409,
  conflict_of_interest: 409,
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
export const validationFailed = (details: ErrorDetail[]) =>
  new AppError('validation_failed', 'Some of the information given is not valid.', details)
export const conflict = (message: string, details: ErrorDetail[] = []) => new AppError('conflict', message, details)

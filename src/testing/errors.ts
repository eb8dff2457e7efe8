/**
 * The error envelope and the one place that maps an error code to its HTTP status. Route handlers
 * throw `ApiFailure`; the router turns it into `{ error, message, details? }` with that status.
 */
import type { ErrorCode, ErrorDetails, ErrorEnvelope, ValidationIssue } from '../../generated/types/index.ts'

/** Each error code's status, as openapi.yaml's error responses give them. Typed by the spec's `ErrorCode`: a new code fails to compile here. */
export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  invalid_request: 400,
  unauthorized: 401,
  insufficient_scope: 403,
  not_found: 404,
  idempotency_key_reuse: 409,
  idempotency_request_in_progress: 409,
  conflict: 409,
  payload_too_large: 413,
  validation_failed: 422,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
}

export class ApiFailure extends Error {
  readonly status: number
  readonly code: ErrorCode
  readonly details: ErrorDetails | undefined
  readonly headers: Record<string, string>

  constructor(
    code: ErrorCode,
    message: string,
    details?: ErrorDetails,
    headers: Record<string, string> = {},
    /** Only the storage host uses another status than the code's (403 for a bad signature, as S3). */
    status: number = STATUS_BY_CODE[code],
  ) {
    super(message)
    this.name = 'ApiFailure'
    this.code = code
    this.status = status
    this.details = details
    this.headers = headers
  }

  toEnvelope(): ErrorEnvelope {
    return envelope(this.code, this.message, this.details)
  }
}

export function envelope(code: ErrorCode, message: string, details?: ErrorDetails): ErrorEnvelope {
  return details === undefined ? { error: code, message } : { error: code, message, details }
}

export function invalid(issues: ValidationIssue[], message = 'The request is invalid.'): ApiFailure {
  return new ApiFailure('invalid_request', message, { issues })
}

export function notFound(what: string): ApiFailure {
  // Never says whether the thing exists in another organization: the contract forbids telling.
  return new ApiFailure('not_found', `${what} not found.`)
}

export function conflict(message: string, details?: ErrorDetails): ApiFailure {
  return new ApiFailure('conflict', message, details)
}

export function unprocessable(message: string, details?: ErrorDetails): ApiFailure {
  return new ApiFailure('validation_failed', message, details)
}

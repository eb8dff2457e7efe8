import type { ErrorCode } from '../../generated/types/ErrorCode.ts'
import type { ErrorDetails } from '../../generated/types/ErrorDetails.ts'
import type { Scope } from '../../generated/types/Scope.ts'
import type { ValidationIssue } from '../../generated/types/ValidationIssue.ts'
import { redactedSnippet, type Redactor } from './redact.ts'

/**
 * The spec's error codes, left open: a newer server may add codes within v1, and a client built
 * today must still carry them (as plain strings) instead of failing.
 */
export type SegmentFlowErrorCode = ErrorCode | (string & {})

export type { ValidationIssue }

type ErrorInit = {
  cause?: unknown
  idempotencyKey?: string | undefined
}

/** The base of everything the SDK throws. */
export class SegmentFlowError extends Error {
  static {
    // On the prototype rather than from `new.target.name`: bundlers that minify class names would
    // otherwise turn `APIError` into `e` in every stack trace.
    this.prototype.name = 'SegmentFlowError'
    // What `console.log(error)` and `util.inspect` print; defined by its registered symbol, so no
    // `node:util` import is needed and runtimes without it ignore the property.
    Object.defineProperty(this.prototype, Symbol.for('nodejs.util.inspect.custom'), {
      value(this: SegmentFlowError, depth: number, options: InspectOptions, inspect: Inspect) {
        return renderForInspect(this, depth, options, inspect)
      },
      writable: true,
      configurable: true,
    })
  }

  /** The Idempotency-Key of the call, when it had one: retry later with the same key. */
  readonly idempotencyKey: string | undefined

  constructor(message: string, init: ErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause })
    this.idempotencyKey = init.idempotencyKey
  }

  /** What `JSON.stringify(error)` shows: the fields a log aggregator needs, never a request. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, idempotencyKey: this.idempotencyKey }
  }
}

/** The input failed the spec's schema (or a header rule) on the client: nothing was sent. */
export class ValidationError extends SegmentFlowError {
  static {
    this.prototype.name = 'ValidationError'
  }

  readonly issues: ValidationIssue[]

  constructor(issues: ValidationIssue[], init: ErrorInit & { operation?: string } = {}) {
    super(formatIssues(issues, init.operation), init)
    this.issues = issues
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues }
  }
}

function formatIssues(issues: ValidationIssue[], operation: string | undefined): string {
  const shown = issues.slice(0, 5).map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message))
  const more = issues.length > shown.length ? ` (and ${issues.length - shown.length} more)` : ''
  return `Invalid ${operation ? `${operation} ` : ''}request: ${shown.join('; ')}${more}`
}

export type APIErrorInit = {
  status: number
  /** The envelope's `error`; absent when the body was not an error envelope (a proxy's HTML page). */
  errorCode?: SegmentFlowErrorCode | undefined
  /** The envelope's `message`, or a description of the response when there was none. */
  message: string
  details?: ErrorDetails | undefined
  requestId?: string | undefined
  headers?: Record<string, string>
  idempotencyKey?: string | undefined
  /** Seconds from `Retry-After`; kept by `RateLimitError`. */
  retryAfter?: number | undefined
}

/** The server answered with a non-2xx status. */
export class APIError extends SegmentFlowError {
  static {
    this.prototype.name = 'APIError'
  }

  readonly status: number
  readonly errorCode: SegmentFlowErrorCode | undefined
  readonly details: ErrorDetails | undefined
  /** The `x-request-id` of the response: quote it when contacting support. */
  readonly requestId: string | undefined
  /** The response headers, lower-cased names. */
  readonly headers: Record<string, string>

  constructor(init: APIErrorInit) {
    super(`${init.status}${init.errorCode ? ` ${init.errorCode}` : ''}: ${init.message}`, init)
    this.status = init.status
    this.errorCode = init.errorCode
    this.details = init.details
    this.requestId = init.requestId
    this.headers = init.headers ?? {}
  }

  /** The class that matches the status. */
  static generate(init: APIErrorInit): APIError {
    const ErrorClass = errorClassFor(init.status)
    return new ErrorClass(init)
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      status: this.status,
      errorCode: this.errorCode,
      requestId: this.requestId,
      details: this.details,
    }
  }
}

export class BadRequestError extends APIError {
  static {
    this.prototype.name = 'BadRequestError'
  }
}

export class AuthenticationError extends APIError {
  static {
    this.prototype.name = 'AuthenticationError'
  }
}

export class PermissionDeniedError extends APIError {
  static {
    this.prototype.name = 'PermissionDeniedError'
  }

  /** The scopes the key lacks for this operation (`details.required`). */
  readonly requiredScopes: Scope[]

  constructor(init: APIErrorInit) {
    super(init)
    const required = init.details?.required
    this.requiredScopes = Array.isArray(required) ? required.filter((s) => typeof s === 'string') : []
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), requiredScopes: this.requiredScopes }
  }
}

export class NotFoundError extends APIError {
  static {
    this.prototype.name = 'NotFoundError'
  }
}

export class ConflictError extends APIError {
  static {
    this.prototype.name = 'ConflictError'
  }
}

export class UnprocessableEntityError extends APIError {
  static {
    this.prototype.name = 'UnprocessableEntityError'
  }
}

export class RateLimitError extends APIError {
  static {
    this.prototype.name = 'RateLimitError'
  }

  /** Seconds the server asked to wait (`Retry-After`), when it said. */
  readonly retryAfter: number | undefined

  constructor(init: APIErrorInit) {
    super(init)
    this.retryAfter = init.retryAfter
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), retryAfter: this.retryAfter }
  }
}

/**
 * A response body larger than the client's `maxResponseSize` (decoded bytes): the SDK stopped
 * reading, cancelled the rest and does not retry, since the same request would get the same body.
 */
export class ResponseTooLargeError extends APIError {
  static {
    this.prototype.name = 'ResponseTooLargeError'
  }

  /** The `maxResponseSize` in force, in bytes. */
  readonly limit: number

  constructor(init: Omit<APIErrorInit, 'message' | 'errorCode'> & { limit: number; origin?: string | undefined }) {
    const source = init.origin === undefined ? "The API's response" : `The response from ${init.origin}`
    super({ ...init, message: `${source} exceeded maxResponseSize (${init.limit} bytes); the rest was not read` })
    this.limit = init.limit
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), limit: this.limit }
  }
}

export class InternalServerError extends APIError {
  static {
    this.prototype.name = 'InternalServerError'
  }
}

function errorClassFor(status: number): new (init: APIErrorInit) => APIError {
  switch (status) {
    case 400:
      return BadRequestError
    case 401:
      return AuthenticationError
    case 403:
      return PermissionDeniedError
    case 404:
      return NotFoundError
    case 409:
      return ConflictError
    case 422:
      return UnprocessableEntityError
    case 429:
      return RateLimitError
    default:
      return status >= 500 ? InternalServerError : APIError
  }
}

/** No response arrived: DNS failure, refused or reset connection, a `fetch` that threw. */
export class APIConnectionError extends SegmentFlowError {
  static {
    this.prototype.name = 'APIConnectionError'
  }

  constructor(message = 'Connection error.', init: ErrorInit = {}) {
    super(message, init)
  }
}

/** One attempt took longer than `timeout` (and the retries, if any, did too). */
export class APIConnectionTimeoutError extends APIConnectionError {
  static {
    this.prototype.name = 'APIConnectionTimeoutError'
  }

  constructor(message = 'Request timed out.', init: ErrorInit = {}) {
    super(message, init)
  }
}

/** The caller's AbortSignal fired. */
export class APIUserAbortError extends SegmentFlowError {
  static {
    this.prototype.name = 'APIUserAbortError'
  }

  constructor(message = 'Request was aborted.', init: ErrorInit = {}) {
    super(message, init)
  }
}

/**
 * The server answered 2xx but the body was not what the spec promises: not JSON at all, or (with
 * `validate: { response: true }`) not matching the schema. Not an `APIError`: the call may well
 * have taken effect, so it must not be handled like a refusal.
 */
export class APIResponseValidationError extends SegmentFlowError {
  static {
    this.prototype.name = 'APIResponseValidationError'
  }

  readonly status: number
  readonly requestId: string | undefined
  readonly headers: Record<string, string>
  readonly issues: ValidationIssue[]

  constructor(
    message: string,
    init: ErrorInit & {
      status: number
      requestId?: string | undefined
      headers?: Record<string, string>
      issues?: ValidationIssue[]
    },
  ) {
    super(message, init)
    this.status = init.status
    this.requestId = init.requestId
    this.headers = init.headers ?? {}
    this.issues = init.issues ?? []
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      status: this.status,
      requestId: this.requestId,
      issues: this.issues,
    }
  }
}

/**
 * A list whose server keeps handing back a cursor already followed (the same page again, or a
 * cycle among pages): iterating it would never end, so the SDK stops instead.
 */
export class PaginationLoopError extends SegmentFlowError {
  static {
    this.prototype.name = 'PaginationLoopError'
  }

  /** The list operation, e.g. `listProfiles`. */
  readonly operation: string
  /** Pages fetched before the loop was seen, the first page included. */
  readonly pages: number

  constructor(operation: string, pages: number, init: ErrorInit = {}) {
    // The cursor itself is not quoted: it is the server's text, and could hold anything.
    super(
      `${operation}: page ${pages} points back to a cursor already followed; stopped instead of fetching the same pages forever`,
      init,
    )
    this.operation = operation
    this.pages = pages
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), operation: this.operation, pages: this.pages }
  }
}

/** How much of an unexpected response body a message quotes. */
export const BODY_SNIPPET_LENGTH = 200

/**
 * The message of a non-2xx response that is not the API's error envelope (a proxy's HTML page):
 * its status text and the start of its body, both scrubbed, the body scrubbed before it is cut.
 */
export function describeStatus(statusText: string, body: string, redact: Redactor): string {
  const status = redactedSnippet(statusText, redact, BODY_SNIPPET_LENGTH) || 'error'
  const snippet = redactedSnippet(body, redact, BODY_SNIPPET_LENGTH)
  return snippet ? `${status} (unexpected body: ${snippet})` : `${status} (no body)`
}

/**
 * Why a redirect is not followed, or undefined to follow it. The target is named by its origin,
 * scrubbed: a `Location` may quote the key, even in its host name.
 */
export function redirectRefusal(target: URL, origin: string, hops: number, maxRedirects: number, redact: Redactor): string | undefined {
  if (target.origin !== origin) return `Refused to follow a redirect to another origin (${redact(target.origin)}): the request carries the API key`
  if (hops >= maxRedirects) return `Stopped after ${maxRedirects} redirects`
  return undefined
}

type InspectOptions = { depth?: number | null; [option: string]: unknown }
type Inspect = (value: unknown, options?: InspectOptions) => string

/** Names listed in the summary of `headers`; the rest are counted. */
const SHOWN_HEADER_NAMES = 8

/**
 * The inspected form of an error: its stack, then only the fields that are set, `headers`
 * summarised by name (a response's dozen headers would bury the status and request id), and the
 * cause. Kept in one function so that the message text and this layout can change apart.
 */
function renderForInspect(error: SegmentFlowError, depth: number, options: InspectOptions, inspect: Inspect): string {
  const title = `${error.name}: ${error.message}`
  if (depth < 0) return `[${title}]`
  const nested: InspectOptions = { ...options, depth: options.depth === null || options.depth === undefined ? options.depth : options.depth - 1 }
  const lines: string[] = []
  for (const [name, value] of Object.entries(error)) {
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue
    if (name === 'headers' && value !== null && typeof value === 'object') {
      const names = Object.keys(value)
      if (names.length === 0) continue
      const more = names.length > SHOWN_HEADER_NAMES ? `, +${names.length - SHOWN_HEADER_NAMES} more` : ''
      lines.push(`headers: [${names.length} response headers: ${names.slice(0, SHOWN_HEADER_NAMES).join(', ')}${more}]`)
      continue
    }
    lines.push(`${name}: ${inspect(value, nested)}`)
  }
  if (error.cause !== undefined) lines.push(`[cause]: ${inspect(error.cause, nested)}`)
  const head = typeof error.stack === 'string' && error.stack !== '' ? error.stack : title
  if (lines.length === 0) return head
  return `${head} {\n${lines.map((line) => `  ${line.replaceAll('\n', '\n  ')}`).join(',\n')}\n}`
}

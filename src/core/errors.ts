import type { ErrorCode } from '../../generated/types/ErrorCode.ts'
import type { ErrorDetails } from '../../generated/types/ErrorDetails.ts'
import type { Scope } from '../../generated/types/Scope.ts'
import type { ValidationIssue } from '../../generated/types/ValidationIssue.ts'
import { redactedSnippet, type Redactor } from './redact.ts'
import type { Operations } from './validation.ts'

type OperationId = keyof Operations

/**
 * The spec's error codes, left open: a newer server may add codes within v1, and a client built
 * today must still carry them (as plain strings) instead of failing.
 */
export type SegmentFlowErrorCode = ErrorCode | (string & {})

export type { ValidationIssue }

/** What every SDK error may carry besides its message. */
export type ErrorInit = {
  cause?: unknown
  idempotencyKey?: string | undefined
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom')

/** The base of everything the SDK throws. */
export class SegmentFlowError extends Error {
  static {
    // On the prototype rather than from `new.target.name`: bundlers that minify class names would
    // otherwise turn `APIError` into `e` in every stack trace.
    this.prototype.name = 'SegmentFlowError'
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

  /**
   * What `console.log(error)` prints: see `inspectError`.
   * @internal
   */
  [INSPECT](depth: number, options: unknown, inspect?: (value: unknown, options?: unknown) => string): string {
    return inspectError(this, depth, options, inspect)
  }
}

/** The input failed the spec's schema (or a header rule) on the client: nothing was sent. */
export class ValidationError extends SegmentFlowError {
  static {
    this.prototype.name = 'ValidationError'
  }

  readonly issues: ValidationIssue[]

  /**
   * `operation` is the spec's operation id (`sendEmail`): the message names the SDK method the
   * caller wrote instead (`emails.send`).
   */
  constructor(issues: ValidationIssue[], init: ErrorInit & { operation?: string } = {}) {
    super(formatIssues(issues, init.operation === undefined ? undefined : sdkMethodOf(init.operation)), init)
    this.issues = issues
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues }
  }
}

function formatIssues(issues: ValidationIssue[], method: string | undefined): string {
  const shown = issues.slice(0, 5).map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message))
  const more = issues.length > shown.length ? ` (and ${issues.length - shown.length} more)` : ''
  return `Invalid ${method ? `${method} ` : ''}request: ${shown.join('; ')}${more}`
}

/**
 * The SDK method that sends each operation of the spec. Typed by the operation ids Kubb generated,
 * so an operation added to openapi.yaml does not compile until it is named here;
 * test/core/error-messages.test.ts checks each entry against the method that really sends it.
 */
const SDK_METHODS = {
  sendEmail: 'emails.send',
  batchSendEmails: 'emails.batchSend',
  retrieveEmail: 'emails.retrieve',
  trackEvent: 'events.track',
  listProfiles: 'profiles.list',
  retrieveProfile: 'profiles.retrieve',
  listProfileSubscriptions: 'profiles.listSubscriptions',
  deleteProfile: 'profiles.delete',
  bulkDeleteProfiles: 'profiles.bulkDelete',
  listTemplates: 'templates.list',
  retrieveTemplate: 'templates.retrieve',
  createTemplate: 'templates.create',
  updateTemplate: 'templates.update',
  deleteTemplate: 'templates.delete',
  duplicateTemplate: 'templates.duplicate',
  archiveTemplate: 'templates.archive',
  unarchiveTemplate: 'templates.unarchive',
  listAssets: 'assets.list',
  retrieveAsset: 'assets.retrieve',
  createAssetUploadUrl: 'assets.createUploadUrl',
  createAsset: 'assets.create',
  finalizeAsset: 'assets.finalize',
  updateAsset: 'assets.update',
  deleteAsset: 'assets.delete',
  listBrandKits: 'brandKits.list',
  retrieveBrandKit: 'brandKits.retrieve',
  createBrandKit: 'brandKits.create',
  updateBrandKit: 'brandKits.update',
  deleteBrandKit: 'brandKits.delete',
  clearBrandKit: 'brandKits.clear',
  setDefaultBrandKit: 'brandKits.setDefault',
  extractBrandKit: 'brandKits.extract',
  retrieveBrandKitExtractionProgress: 'brandKits.extractionProgress',
} as const satisfies Record<OperationId, `${string}.${string}`>

/** `sendEmail` -> `emails.send`; an id the table does not know is shown as it is. */
export function sdkMethodOf(operation: string): string {
  return Object.hasOwn(SDK_METHODS, operation) ? SDK_METHODS[operation as OperationId] : operation
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
  /**
   * Where the client got its key (`'option'`: `new SegmentFlow({ apiKey })`, `'env'`:
   * SEGMENTFLOW_API_KEY), so that a 401 can say which one to check. Never the key itself.
   */
  keySource?: 'option' | 'env' | undefined
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
    super(apiErrorMessage(init), init)
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

/** The status, the code once, the server's message, and what to do where the status alone does not say. */
function apiErrorMessage(init: APIErrorInit): string {
  const hint = apiErrorHint(init)
  return `${init.status}${init.errorCode ? ` ${init.errorCode}` : ''}: ${init.message}${hint ? ` ${hint}` : ''}`
}

function apiErrorHint(init: APIErrorInit): string | undefined {
  if (init.status === 401) {
    const read =
      init.keySource === 'option'
        ? 'the `apiKey` option'
        : init.keySource === 'env'
          ? 'the SEGMENTFLOW_API_KEY environment variable'
          : 'the `apiKey` option or SEGMENTFLOW_API_KEY'
    return (
      `Check the API key this client read from ${read}: create one in the SegmentFlow dashboard under ` +
      'Settings → API Keys (with the narrowest scopes that work), for the same environment as the baseURL.'
    )
  }
  if (init.status === 409 && init.errorCode === 'idempotency_key_reuse') {
    const key = init.idempotencyKey === undefined ? 'This key' : `The key ${JSON.stringify(init.idempotencyKey)}`
    return (
      `${key} was used for a different request: derive keys from the business id and the operation ` +
      '(`order-confirmation:${orderId}`), and reuse a key only to repeat the same call.'
    )
  }
  return undefined
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

/** The request a connection error happened to, as the transport knows it. */
export type ConnectionFailure = {
  method: string
  url: string
  /** What `fetch` threw: undici's `TypeError('fetch failed')` holds the socket error in `cause`. */
  cause?: unknown
}

/** No response arrived: DNS failure, refused or reset connection, a `fetch` that threw. */
export class APIConnectionError extends SegmentFlowError {
  static {
    this.prototype.name = 'APIConnectionError'
  }

  /** The HTTP method of the request that got no answer. */
  readonly method: string | undefined
  /** `host:port` it was sent to. */
  readonly host: string | undefined
  /**
   * The system or library code of the failure, found anywhere in the `cause` chain: `ECONNREFUSED`,
   * `ENOTFOUND`, `ETIMEDOUT`, `ECONNRESET`, a TLS code (`CERT_HAS_EXPIRED`, …).
   */
  readonly code: string | undefined

  /**
   * `new APIConnectionError(undefined, { request: { method, url }, cause })` writes the message
   * from the request and the cause: what failed, where, and what to check.
   */
  constructor(message?: string, init: ErrorInit & { request?: Omit<ConnectionFailure, 'cause'> | undefined } = {}) {
    const failure = init.request ? describeConnectionFailure({ ...init.request, cause: init.cause }) : undefined
    super(message ?? failure?.message ?? 'Connection error.', init)
    this.method = failure?.method
    this.host = failure?.host
    this.code = failure?.code ?? findCauseCode(init.cause)
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), method: this.method, host: this.host, code: this.code }
  }
}

const TLS_CODES = new Set(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'])

export function isTLSCode(code: string): boolean {
  return TLS_CODES.has(code) || code.startsWith('CERT_') || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_')
}

/**
 * The first `code` in the cause chain. undici puts the socket's in `cause` (`ECONNREFUSED`), or in
 * an AggregateError's `errors` when it tried several addresses; a custom fetch may nest deeper.
 */
export function findCauseCode(cause: unknown): string | undefined {
  const pending: unknown[] = [cause]
  const seen = new Set<unknown>()
  for (let visited = 0; pending.length > 0 && visited < 32; visited++) {
    const current = pending.shift()
    if (current === null || typeof current !== 'object' || seen.has(current)) continue
    seen.add(current)
    const { code, cause: next, errors } = current as { code?: unknown; cause?: unknown; errors?: unknown }
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{2,63}$/.test(code)) return code
    pending.push(next)
    if (Array.isArray(errors)) pending.push(...errors.slice(0, 8))
  }
  return undefined
}

const CONNECTION_HINTS: Array<[(code: string) => boolean, string]> = [
  [(code) => code === 'ECONNREFUSED', 'nothing accepted the connection: check baseURL (or SEGMENTFLOW_BASE_URL) and that the server is running'],
  [(code) => code === 'ENOTFOUND' || code === 'EAI_AGAIN', 'the host name did not resolve: check baseURL (or SEGMENTFLOW_BASE_URL) and DNS'],
  [
    (code) => ['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ENETUNREACH', 'EHOSTUNREACH'].includes(code),
    "no connection could be made: a firewall, or a network that needs a proxy (Node's fetch ignores HTTPS_PROXY; pass a `fetch` that uses one)",
  ],
  [(code) => ['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED'].includes(code), 'the connection closed before an answer arrived (a proxy or load balancer may have cut it)'],
  [isTLSCode, 'the TLS certificate was not accepted: behind a proxy that intercepts TLS, give Node its CA with NODE_EXTRA_CA_CERTS'],
]

/**
 * `POST /api/v1/emails to api.segmentflow.ai:443 failed: ECONNREFUSED (…what to check…)`. Built
 * from the method, the URL's host and path (never its query or credentials) and the cause's code;
 * the cause's message only when it has no code.
 */
export function describeConnectionFailure(failure: ConnectionFailure): { message: string; method: string; host: string | undefined; code: string | undefined } {
  const method = failure.method.toUpperCase()
  let host: string | undefined
  let path = ''
  try {
    const url = new URL(failure.url)
    host = `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`
    path = ` ${url.pathname}`
  } catch {
    host = undefined
  }
  const code = findCauseCode(failure.cause)
  const hint = code === undefined ? undefined : CONNECTION_HINTS.find(([matches]) => matches(code))?.[1]
  // A code with no advice of ours still comes with the cause's own words (a proxy's refusal).
  const detail = hint ?? (code === undefined ? undefined : causeMessage(failure.cause))
  const reason = code !== undefined ? `${code}${detail && detail !== code ? ` (${detail})` : ''}` : causeMessage(failure.cause)
  return { message: `Connection error: ${method}${path}${host ? ` to ${host}` : ''} failed${reason ? `: ${reason}` : ''}`, method, host, code }
}

/** The innermost message of the chain (undici's outer one is only "fetch failed"), kept short. */
function causeMessage(cause: unknown): string | undefined {
  let message: string | undefined
  let current = cause
  for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
    if (current.message) message = current.message
    current = current.cause
  }
  return message === undefined ? undefined : message.length > 200 ? `${message.slice(0, 200)}…` : message
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

// ---------------------------------------------------------------------------------------------
// Rendering for `console.log(error)` / `util.inspect(error)`. Kept apart from the classes: it only
// reads what `toJSON()` already exposes (redacted upstream), plus the headers and cause.

/** Node's `inspect`, handed to custom inspectors; not imported, so src/core stays runtime-neutral. */
type Inspect = (value: unknown, options?: unknown) => string

const MAX_STACK_FRAMES = 8
const MAX_HEADER_NAMES = 6

/**
 * The stack (first frames only), then the fields that are set: no `idempotencyKey: undefined`
 * lines, headers as a count and their names rather than a dump of every value, the cause as one
 * line. Short enough to read in a log (under 40 lines for any error the SDK throws).
 */
function inspectError(error: SegmentFlowError, depth: number, options: unknown, inspect: Inspect | undefined): string {
  // Nested past the depth asked for (an error inside a logged object): one line, as Node does.
  if (depth < 0) return `[${error.name}: ${error.message}]`
  const lines = (error.stack ?? `${error.name}: ${error.message}`).split('\n')
  const frames = lines.filter((line) => /^\s+at /.test(line))
  const head = lines.filter((line) => !/^\s+at /.test(line))
  const shownFrames = frames.slice(0, MAX_STACK_FRAMES)
  if (frames.length > shownFrames.length) shownFrames.push(`    ... ${frames.length - shownFrames.length} more`)
  const stack = [...head, ...shownFrames].join('\n')

  const fields: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(error.toJSON())) {
    if (name === 'name' || name === 'message' || value === undefined) continue
    if (Array.isArray(value) && value.length === 0) continue
    fields[name] = value
  }
  const headers = (error as { headers?: unknown }).headers
  if (headers !== null && typeof headers === 'object' && !Array.isArray(headers)) {
    const names = Object.keys(headers)
    if (names.length > 0) {
      const listed = names.slice(0, MAX_HEADER_NAMES).join(', ')
      fields.headers = `[${names.length} header${names.length === 1 ? '' : 's'}: ${listed}${names.length > MAX_HEADER_NAMES ? ', …' : ''}]`
    }
  }
  if (error.cause !== undefined) fields.cause = summariseCause(error.cause)
  if (Object.keys(fields).length === 0) return stack
  const render = inspect ?? ((value: unknown) => JSON.stringify(value, null, 2))
  const nested = options !== null && typeof options === 'object' ? { ...(options as object), depth: Math.min(depth, 4), breakLength: 100 } : undefined
  return `${stack} ${render(fields, nested)}`
}

/** `TypeError: fetch failed <- Error: connect ECONNREFUSED 127.0.0.1:1 [ECONNREFUSED]` */
function summariseCause(cause: unknown): string {
  const parts: string[] = []
  let current = cause
  for (let depth = 0; depth < 4 && current !== undefined && current !== null; depth++) {
    if (current instanceof Error) {
      const code = (current as { code?: unknown }).code
      parts.push(`${current.name}: ${current.message}${typeof code === 'string' ? ` [${code}]` : ''}`)
      current = current.cause
    } else {
      parts.push(typeof current === 'string' ? current : Object.prototype.toString.call(current))
      break
    }
  }
  return parts.join(' <- ')
}

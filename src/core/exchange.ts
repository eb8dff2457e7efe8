/**
 * One call, from the SDK's side of ky: what it sends, what its attempts received, whether a failure
 * deserves another attempt (the policy ky asks for through `retry.shouldRetry`), the log lines, and
 * the typed error the caller gets when ky gives up. ky keeps the count and does the waiting.
 */
import { HTTPError, TimeoutError } from 'ky'

import { APIConnectionError, APIConnectionTimeoutError, APIUserAbortError, SegmentFlowError, type APIError } from './errors.ts'
import { logsAt, type Logger } from './logging.ts'
import { safeCause, type Redactor } from './redact.ts'
import type { BodyContext } from './response-body.ts'
import { honouredRetryAfter, isRetryableResponse, jitter, KY_TIMESTAMP_SECONDS, neverReachedServer } from './retries.ts'
import type { Fetch } from './transport.ts'

/** How a kind of request (an API call, a storage PUT) turns a failed answer into an error. */
export type ErrorFlavour = {
  /** The error code of a failed answer, for the retry decision (`idempotency_request_in_progress`). */
  errorCode(text: string): string | undefined
  /** `retryAfter`: the seconds the SDK honours of the answer's `Retry-After`, if any. */
  httpError(response: Response, text: string, exchange: Exchange | undefined, retryAfter: number | undefined): APIError
  /** A failed answer in the log line that announces its retry. */
  summary(response: Response, text: string): string
  timeoutMessage(timeout: number): string
  connectionMessage: string | undefined
}

export type ExchangeInit = {
  method: string
  url: string
  body: BodyInit | undefined
  idempotencyKey: string | undefined
  fetch: Fetch
  /** False for a mutation without an Idempotency-Key: sent once, whatever happens. */
  repeatable: boolean
  /**
   * Repeat only what provably never reached the server (a refused connection, a DNS failure, a
   * 429): a create the API may not deduplicate would otherwise be applied twice.
   */
  onlyUnsent?: boolean | undefined
  maxRetries: number
  timeout: number
  callerSignal: AbortSignal | undefined
  redact: Redactor
  logger: Logger
  /** Follow redirects to the same origin only (the request carries the key); else follow all. */
  sameOriginOnly: boolean
  maxResponseSize: number
  /** How the target is named in log lines (the API's path, a storage URL without its signature); built only to log. */
  where: (url: string) => string
  /** Names the host in a size error when it is not the API. */
  origin?: string | undefined
  flavour: ErrorFlavour
}

type RetryState = { error: Error; retryCount: number }

export class Exchange {
  readonly method: string
  readonly url: string
  readonly body: BodyInit | undefined
  readonly idempotencyKey: string | undefined
  readonly fetch: Fetch
  readonly redact: Redactor
  readonly sameOriginOnly: boolean
  readonly timeout: number
  readonly callerSignal: AbortSignal | undefined
  readonly bodyContext: BodyContext
  readonly #init: ExchangeInit
  readonly #debug: boolean
  #attempt = 0
  #started = 0
  #text = ''

  constructor(init: ExchangeInit) {
    this.#init = init
    this.method = init.method
    this.url = init.url
    this.body = init.body
    this.idempotencyKey = init.idempotencyKey
    this.fetch = init.fetch
    this.redact = init.redact
    this.sameOriginOnly = init.sameOriginOnly
    this.timeout = init.timeout
    this.callerSignal = init.callerSignal
    this.bodyContext = { limit: init.maxResponseSize, redact: init.redact, idempotencyKey: init.idempotencyKey, origin: init.origin }
    this.#debug = logsAt(init.logger, 'debug')
  }

  /** The `retry` options of this call: ky's count and waits, the SDK's decisions. */
  get retry() {
    return { limit: this.#init.maxRetries, shouldRetry: this.#shouldRetry, jitter: this.#jitter }
  }

  /** The body of the last attempt that got an answer. */
  get text(): string {
    return this.#text
  }

  startAttempt(): number {
    if (this.#debug) this.#started = Date.now()
    return ++this.#attempt
  }

  received(attempt: number, response: Response, text: string): void {
    // An attempt that timed out may still answer after the next one started: only the current counts.
    if (attempt === this.#attempt) this.#text = text
    if (this.#debug) {
      const id = response.headers.get('x-request-id')
      this.#logAttempt(attempt, String(response.status), id === null ? undefined : this.redact(id))
    }
  }

  failed(attempt: number, error: unknown): void {
    if (this.#debug) this.#logAttempt(attempt, this.#errorName(error), undefined)
  }

  /**
   * Whether ky may try again. `undefined` leaves the decision to ky's own rules (the statuses in
   * http.ts, timeouts, network errors) and, for a readable `Retry-After`, ky's reading of it;
   * `true` retries with backoff instead of a `Retry-After` that is absent, negative or nonsense
   * (or with the cap, for one so long that ky would misread it).
   */
  readonly #shouldRetry = ({ error, retryCount }: RetryState): boolean | undefined => {
    // A mutation without a key could be applied twice; retrying it is the caller's decision.
    if (!this.#init.repeatable || this.#init.callerSignal?.aborted) return false
    // The SDK's own refusals (a redirect elsewhere, a body over the limit) would happen again.
    if (error instanceof SegmentFlowError) return false
    if (error instanceof HTTPError) {
      const { status, headers } = error.response
      if (!isRetryableResponse(status, this.#init.flavour.errorCode(this.#text))) return false
      if (this.#init.onlyUnsent && status !== 429) return false
      this.#failure = this.#init.flavour.summary(error.response, this.#text)
      const value = headers.get('retry-after')
      const after = honouredRetryAfter(value, Date.now())
      if (after === undefined) return true
      // A delay long enough for ky to take it for a Unix time is simply long: the cap, through the
      // jitter step, which ky calls for a forced retry.
      if (Number(value) >= KY_TIMESTAMP_SECONDS) {
        this.#capped = after
        return true
      }
      this.#announce(retryCount, after)
      return undefined
    }
    if (this.#init.onlyUnsent && !neverReachedServer(error)) return false
    this.#failure = this.#errorName(error)
    return undefined
  }

  /** ky's jitter step, called for every wait that is backoff rather than `Retry-After`. */
  readonly #jitter = (delay: number): number => {
    const ms = this.#capped ?? jitter(delay)
    this.#capped = undefined
    this.#announce(this.#attempt, ms)
    return ms
  }

  /** A `Retry-After` the SDK caps itself, for the next wait only. */
  #capped: number | undefined

  /** The failure being retried, as log lines name it: a status or an error class. */
  #failure = ''

  #announce(retryCount: number, ms: number): void {
    this.#init.logger.info(
      `${this.method} ${this.#init.where(this.url)} -> ${this.#failure}, retrying in ${Math.round(ms)} ms (attempt ${retryCount + 1}/${this.#init.maxRetries + 1})`,
    )
  }

  #logAttempt(attempt: number, outcome: string, requestId: string | undefined): void {
    const durationMs = Date.now() - this.#started
    this.#init.logger.debug(
      `${this.method} ${this.#init.where(this.url)} -> ${outcome} (attempt ${attempt}/${this.#init.maxRetries + 1}, ${durationMs} ms${requestId ? `, request id ${requestId}` : ''})`,
    )
  }

  #errorName(error: unknown): string {
    if (this.#init.callerSignal?.aborted) return 'APIUserAbortError'
    if (error instanceof SegmentFlowError) return error.name
    if (error instanceof TimeoutError || (error instanceof Error && error.name === 'AbortError')) return 'APIConnectionTimeoutError'
    return 'APIConnectionError'
  }

  /** What the caller gets once ky gives up: always a SegmentFlowError carrying the call's key. */
  toError(thrown: unknown): SegmentFlowError {
    const { idempotencyKey } = this
    // The caller's abort wins over whatever it interrupted (a wait, a timeout in the same instant).
    if (this.#init.callerSignal?.aborted) return new APIUserAbortError(undefined, { idempotencyKey })
    if (thrown instanceof SegmentFlowError) return thrown
    if (thrown instanceof HTTPError) {
      const retryAfterMs = honouredRetryAfter(thrown.response.headers.get('retry-after'), Date.now())
      return this.#init.flavour.httpError(thrown.response, this.#text, this, retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000))
    }
    if (thrown instanceof TimeoutError) {
      return new APIConnectionTimeoutError(this.#init.flavour.timeoutMessage(this.#init.timeout), { idempotencyKey })
    }
    return new APIConnectionError(this.#init.flavour.connectionMessage, { request: { method: this.method, url: this.url }, cause: safeCause(thrown, this.redact), idempotencyKey })
  }
}

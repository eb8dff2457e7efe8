/**
 * The single module every generated operation calls through (`import fetch from '#transport'`).
 *
 * Kubb's plugin-client imports a default client function and the types `Client`, `RequestConfig`
 * and `ResponseErrorConfig` from here. Each generated function takes a second `config` argument,
 * spread into the request after `method`, `url`, `params` and `data`: that is how a SegmentFlow
 * instance passes its own transport (`config.client`) and the per-call options. Nothing here is
 * module-level state; each client builds its transport with `createTransport`.
 *
 * One call = one loop of attempts. An attempt sends through `fetch`, follows same-origin redirects,
 * reads the body and classifies the outcome; the loop retries what the policy in retries.ts allows.
 *
 * `fetch` is called directly, with the URL and a plain init. This module owns every policy an HTTP
 * library would bring (retries, timeouts, redirects, errors), and a wrapper in between cost more
 * than the request itself on loopback: ky built a `Request`, cloned it for retries it was told not
 * to make and combined abort signals on every call (bench/, BENCHMARKS.md).
 */
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIResponseValidationError,
  APIUserAbortError,
  SegmentFlowError,
  ValidationError,
  type SegmentFlowErrorCode,
} from './errors.ts'
import { findHeader, headersToRecord, mergeHeaders, type HeaderValues } from './headers.ts'
import { IDEMPOTENCY_HEADER } from './idempotency.ts'
import { logsAt, type LevelledLogger, type Logger } from './logging.ts'
import { createRedactor, redactJSON, type Redactor } from './redact.ts'
import { isRetryableResponse, parseRetryAfter, retryDelay, sleep } from './retries.ts'
import type { ErrorDetails } from '../../generated/types/ErrorDetails.ts'

export type HttpMethod = 'GET' | 'PUT' | 'PATCH' | 'POST' | 'DELETE' | 'OPTIONS' | 'HEAD'

/** The `fetch` signature the SDK needs; `globalThis.fetch`, undici's, msw's and the sandbox's fit. */
export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>

export type { HeaderValues }

export type RequestConfig<TData = unknown> = {
  /** Absolute base, e.g. `https://api.segmentflow.ai`. Generated `url`s start with `/`. */
  baseURL?: string
  url?: string
  method?: HttpMethod
  /** Query parameters; `undefined` and `null` values are left out, arrays repeat the key. */
  params?: unknown
  data?: TData | FormData
  headers?: HeaderValues
  signal?: AbortSignal | undefined
  /** Milliseconds per attempt. */
  timeout?: number | undefined
  maxRetries?: number | undefined
  /**
   * The request only reads, whatever its method (`POST /profiles` carries its filter as a body), so
   * it may be repeated without an Idempotency-Key.
   */
  safeToRetry?: boolean
  /** Looked up per call, never captured at import time: msw and users patch `globalThis.fetch` later. */
  fetch?: Fetch | undefined
}

export type ResponseConfig<TData = unknown> = {
  data: TData
  status: number
  statusText: string
  headers: Headers
  /**
   * The response as received, body unread: the SDK read the body once and this is a copy of it,
   * with the same status, headers, text and `url`.
   */
  response: Response
  requestId: string | undefined
  /** The Idempotency-Key the request carried, if any. */
  idempotencyKey: string | undefined
}

export type ResponseErrorConfig<TError = unknown> = TError

export type Client = <TResponseData, _TError = unknown, TRequestData = unknown>(
  config: RequestConfig<TRequestData>,
) => Promise<ResponseConfig<TResponseData>>

/** What one SegmentFlow instance fixes for all its requests. */
export type TransportSettings = {
  baseURL?: string | undefined
  apiKey?: string | undefined
  /** Where `apiKey` came from, for the hint of a 401. */
  apiKeySource?: 'option' | 'env' | undefined
  fetch?: Fetch | undefined
  /** Identification and client-wide headers, merged under the per-call ones. */
  headers?: HeaderValues | undefined
  timeout?: number | undefined
  maxRetries?: number | undefined
  logger?: Logger | undefined
}

export const DEFAULT_TIMEOUT_MS = 60_000
export const DEFAULT_MAX_RETRIES = 2
/** setTimeout's limit: a longer delay fires at once (Node warns, browsers stay silent). */
export const MAX_TIMEOUT_MS = 2_147_483_647
/** Enough for a load balancer's http->https and trailing-slash hops; a loop fails fast. */
const MAX_REDIRECTS = 5
const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS'])
const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308])

type Outgoing = {
  method: string
  url: string
  headers: Headers
  /** Serialised once per call, not per attempt. */
  body: string | FormData | undefined
  fetch: Fetch
}

type AttemptOutcome =
  | { ok: true; result: ResponseConfig }
  | { ok: false; error: SegmentFlowError; retryable: boolean; retryAfterMs?: number | undefined; status?: number }

const silentLogger: LevelledLogger = { error() {}, warn() {}, info() {}, debug() {}, level: 'off' }

export function createTransport(settings: TransportSettings = {}): Client {
  const redact = createRedactor([settings.apiKey])
  const log = settings.logger ?? silentLogger
  const debug = logsAt(log, 'debug')
  const baseHeaders: HeaderValues = {
    accept: 'application/json',
    ...settings.headers,
    ...(settings.apiKey !== undefined ? { 'x-api-key': settings.apiKey } : {}),
  }

  function send(out: Outgoing, signal: AbortSignal): Promise<Response> {
    // fetch follows redirects across origins with every custom header, x-api-key included.
    const init: RequestInit = { method: out.method, headers: out.headers, signal, redirect: 'manual' }
    if (out.body !== undefined) init.body = out.body
    return out.fetch(out.url, init)
  }

  /** Sends, following same-origin redirects ourselves; a redirect elsewhere is refused. */
  async function sendFollowingRedirects(first: Outgoing, signal: AbortSignal, idempotencyKey: string | undefined): Promise<Response> {
    let out = first
    for (let hop = 0; ; hop++) {
      const response = await send(out, signal)
      if (response.type === 'opaqueredirect') {
        throw new APIError({ status: 0, message: 'The API answered with a redirect, which this runtime does not let the SDK inspect', idempotencyKey })
      }
      const location = REDIRECT_STATUSES.has(response.status) ? response.headers.get('location') : null
      if (location === null) return response
      void response.body?.cancel().catch(() => undefined)
      const next = new URL(location, out.url)
      const origin = new URL(first.url).origin
      const refusal =
        next.origin !== origin
          ? `Refused to follow a redirect to another origin (${next.origin}): the request carries the API key`
          : hop >= MAX_REDIRECTS
            ? `Stopped after ${MAX_REDIRECTS} redirects`
            : undefined
      if (refusal) {
        throw new APIError({
          status: response.status,
          message: refusal,
          requestId: requestIdOf(response, redact),
          headers: headersToRecord(response.headers, redact),
          idempotencyKey,
        })
      }
      // RFC 9110 15.4: 303 always, and 301/302 after a POST, continue as a GET without the body.
      const becomesGet = (response.status === 303 && out.method !== 'HEAD') || ((response.status === 301 || response.status === 302) && out.method === 'POST')
      out = becomesGet ? { ...out, method: 'GET', url: next.href, body: undefined, headers: withoutContentType(out.headers) } : { ...out, url: next.href }
    }
  }

  async function attempt(out: Outgoing, timeout: number, callerSignal: AbortSignal | undefined, idempotencyKey: string | undefined): Promise<AttemptOutcome> {
    if (callerSignal?.aborted) {
      return { ok: false, error: new APIUserAbortError(undefined, { idempotencyKey }), retryable: false }
    }
    const sent = await runAttempt(callerSignal, timeout, async (signal) => {
      const response = await sendFollowingRedirects(out, signal, idempotencyKey)
      return { response, text: await response.text() }
    })
    if (!sent.ok) {
      if (sent.ended === 'caller') {
        return { ok: false, error: new APIUserAbortError(undefined, { idempotencyKey }), retryable: false }
      }
      if (sent.ended === 'timeout') {
        return { ok: false, error: new APIConnectionTimeoutError(`Request timed out after ${timeout} ms.`, { idempotencyKey }), retryable: true }
      }
      if (sent.cause instanceof SegmentFlowError) return { ok: false, error: sent.cause, retryable: false }
      const cause = safeCause(sent.cause, redact)
      return { ok: false, error: new APIConnectionError(undefined, { request: { method: out.method, url: out.url }, cause, idempotencyKey }), retryable: true }
    }
    const { response, text } = sent.value

    const requestId = requestIdOf(response, redact)
    if (response.ok) {
      const parsed = parseJSON(text)
      if (!parsed.ok) {
        const error = new APIResponseValidationError(`The API answered ${response.status} with a body that is not JSON`, {
          status: response.status,
          requestId,
          headers: headersToRecord(response.headers, redact),
          idempotencyKey,
        })
        return { ok: false, error, retryable: false, status: response.status }
      }
      return { ok: true, result: new Received(parsed.value, response, text, requestId, idempotencyKey) }
    }

    const envelope = readErrorEnvelope(text)
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now())
    const error = APIError.generate({
      status: response.status,
      errorCode: envelope.errorCode === undefined ? undefined : redact(envelope.errorCode),
      message: redact(envelope.message ?? describeStatus(response, text)),
      details: envelope.details === undefined ? undefined : redactJSON(envelope.details, redact),
      requestId,
      headers: headersToRecord(response.headers, redact),
      idempotencyKey,
      retryAfter: retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000),
      keySource: settings.apiKeySource,
    })
    return { ok: false, error, retryable: isRetryableResponse(response.status, envelope.errorCode), retryAfterMs, status: response.status }
  }

  return async function transport<TResponseData, _TError = unknown, TRequestData = unknown>(
    config: RequestConfig<TRequestData>,
  ): Promise<ResponseConfig<TResponseData>> {
    const method = (config.method ?? 'GET').toUpperCase()
    const url = buildURL(config.baseURL ?? settings.baseURL, config.url ?? '', config.params)
    const headers = withKeyOnError(() => mergeHeaders([baseHeaders, config.headers]), config.headers)
    const idempotencyKey = headers.get('idempotency-key') ?? undefined
    const fetch: Fetch = config.fetch ?? settings.fetch ?? ((input, init) => globalThis.fetch(input, init))
    const body = encodeBody(config.data, headers)
    const out: Outgoing = { method, url, headers, body, fetch }
    const maxRetries = config.maxRetries ?? settings.maxRetries ?? DEFAULT_MAX_RETRIES
    const timeout = config.timeout ?? settings.timeout ?? DEFAULT_TIMEOUT_MS
    // A mutation without a key could be applied twice; retrying it is the caller's decision.
    const repeatable = READ_METHODS.has(method) || config.safeToRetry === true || idempotencyKey !== undefined
    const attempts = maxRetries + 1
    const summarise = (outcome: AttemptOutcome) => {
      const status = outcome.ok ? outcome.result.status : outcome.status
      return status !== undefined ? String(status) : outcome.ok ? '' : outcome.error.name
    }

    for (let attemptNumber = 1; ; attemptNumber++) {
      const started = debug ? Date.now() : 0
      const outcome = await attempt(out, timeout, config.signal, idempotencyKey)
      if (debug) {
        const durationMs = Date.now() - started
        const requestId = outcome.ok ? outcome.result.requestId : outcome.error instanceof APIError ? outcome.error.requestId : undefined
        log.debug(
          `${method} ${pathOf(url)} -> ${summarise(outcome)} (attempt ${attemptNumber}/${attempts}, ${durationMs} ms${requestId ? `, request id ${requestId}` : ''})`,
        )
      }
      if (outcome.ok) return outcome.result as ResponseConfig<TResponseData>
      if (!outcome.retryable || !repeatable || attemptNumber >= attempts) throw outcome.error

      const delay = retryDelay(attemptNumber, outcome.retryAfterMs)
      log.info(`${method} ${pathOf(url)} -> ${summarise(outcome)}, retrying in ${Math.round(delay)} ms (attempt ${attemptNumber + 1}/${attempts})`)
      try {
        await sleep(delay, config.signal)
      } catch {
        throw new APIUserAbortError(undefined, { idempotencyKey })
      }
    }
  }
}

function pathOf(url: string): string {
  return new URL(url).pathname
}

/**
 * A successful call. `response` is built only when asked for: `response.clone()` on every call, to
 * hand out a body nobody reads, cost a tenth of a loopback request. A class rather than a getter in
 * an object literal: the getter's closure kept the attempt's whole scope (the body text included)
 * alive long enough to be promoted, tripling what each page of a long list left in the old
 * generation (bench/, BENCHMARKS.md).
 */
class Received implements ResponseConfig {
  readonly status: number
  readonly statusText: string
  readonly headers: Headers
  readonly #received: Response
  readonly #text: string
  #copy: Response | undefined

  constructor(
    readonly data: unknown,
    received: Response,
    text: string,
    readonly requestId: string | undefined,
    readonly idempotencyKey: string | undefined,
  ) {
    this.status = received.status
    this.statusText = received.statusText
    this.headers = received.headers
    this.#received = received
    this.#text = text
  }

  get response(): Response {
    this.#copy ??= unreadCopy(this.#received, this.#text)
    return this.#copy
  }
}

/** Statuses whose response has no body: `new Response('', { status: 204 })` throws. */
const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 103, 204, 205, 304])

/**
 * The response as received, body unread: same status, headers and text, and the same `url`, which
 * a constructed Response cannot be given otherwise.
 */
function unreadCopy(response: Response, text: string): Response {
  const copy = new Response(NULL_BODY_STATUSES.has(response.status) ? null : text, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  })
  Object.defineProperty(copy, 'url', { value: response.url })
  return copy
}

/** JSON unless it is a form; sets the content type a JSON body needs unless the caller chose one. */
function encodeBody(data: unknown, headers: Headers): string | FormData | undefined {
  if (data === undefined) return undefined
  if (data instanceof FormData) return data
  let json: string
  try {
    json = JSON.stringify(data)
  } catch (error) {
    // A BigInt or a cycle: the caller's object can never be sent, and retrying will not change that.
    const reason = error instanceof Error ? error.message : String(error)
    throw new ValidationError([{ path: 'body', message: `cannot be sent as JSON (${reason})` }], {
      idempotencyKey: headers.get('idempotency-key') ?? undefined,
    })
  }
  if (!headers.has('content-type')) headers.set('content-type', 'application/json')
  return json
}

function withoutContentType(headers: Headers): Headers {
  const copy = new Headers(headers)
  copy.delete('content-type')
  return copy
}

/** A header refused before sending still reports the call's key, like every other error. */
function withKeyOnError<T>(build: () => T, headers: HeaderValues | undefined): T {
  try {
    return build()
  } catch (error) {
    const key = findHeader(headers, IDEMPOTENCY_HEADER)?.value
    if (error instanceof ValidationError && typeof key === 'string') throw new ValidationError(error.issues, { idempotencyKey: key })
    throw error
  }
}

export type AttemptResult<T> =
  | { ok: true; value: T }
  | { ok: false; cause: unknown; ended: 'caller' | 'timeout' | 'failed' }

/**
 * Runs one attempt under a signal of its own, ended by the per-attempt timeout or by the caller's
 * signal, whichever comes first. Either also rejects the attempt's promise directly, so that it
 * ends even when a custom fetch ignores its signal. `ended` says which of the two (or neither)
 * stopped a failed attempt.
 */
export async function runAttempt<T>(
  callerSignal: AbortSignal | undefined,
  timeout: number,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<AttemptResult<T>> {
  const controller = new AbortController()
  let timedOut = false
  // Rejecting directly rather than through `abortable`: an abort listener added and removed on
  // every attempt was a measurable part of the SDK's own time per call.
  let stop: (reason: unknown) => void = () => {}
  const end = () => {
    controller.abort()
    stop(controller.signal.reason)
  }
  callerSignal?.addEventListener('abort', end, { once: true })
  const timer = setTimeout(() => {
    timedOut = true
    end()
  }, timeout)
  try {
    const value = await new Promise<T>((resolve, reject) => {
      stop = reject
      run(controller.signal).then(resolve, reject)
    })
    return { ok: true, value }
  } catch (cause) {
    return { ok: false, cause, ended: callerSignal?.aborted ? 'caller' : timedOut ? 'timeout' : 'failed' }
  } finally {
    clearTimeout(timer)
    callerSignal?.removeEventListener('abort', end)
  }
}

/** Races `promise` against `signal`, so an abort settles at once even if the work underneath does not. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    if (signal.aborted) onAbort()
    else signal.addEventListener('abort', onAbort, { once: true })
    // Both handlers are attached even after an abort, so a late rejection is never unhandled.
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}

function buildURL(baseURL: string | undefined, path: string, params: unknown): string {
  if (!baseURL) {
    throw new SegmentFlowError('A baseURL is required to send a request')
  }
  const url = new URL(baseURL.replace(/\/+$/, '') + path)
  if (params !== null && typeof params === 'object') {
    for (const [key, value] of Object.entries(params)) {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (item === undefined || item === null) continue
        url.searchParams.append(key, String(item))
      }
    }
  }
  return url.href
}

/** `JSON.parse` (which never touches prototypes: `__proto__` becomes an own key) or a failure. */
function parseJSON(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text === '') return { ok: true, value: undefined }
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch {
    return { ok: false }
  }
}

type Envelope = { errorCode?: SegmentFlowErrorCode; message?: string; details?: ErrorDetails }

/** The spec's error envelope, field by field; anything else (a proxy's HTML page) yields nothing. */
function readErrorEnvelope(text: string): Envelope {
  const parsed = parseJSON(text)
  if (!parsed.ok || parsed.value === null || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) return {}
  const body = parsed.value as Record<string, unknown>
  const envelope: Envelope = {}
  if (typeof body.error === 'string') envelope.errorCode = body.error
  if (typeof body.message === 'string') envelope.message = body.message
  if (body.details !== null && typeof body.details === 'object' && !Array.isArray(body.details)) {
    envelope.details = body.details as ErrorDetails
  }
  return envelope
}

function describeStatus(response: Response, text: string): string {
  const snippet = text.trim().slice(0, 200)
  const status = response.statusText || 'error'
  return snippet ? `${status} (unexpected body: ${snippet})` : `${status} (no body)`
}

/**
 * Everything an error carries from the response passes through the redactor, the request id too:
 * a proxy that reflects request headers may put the key anywhere.
 */
function requestIdOf(response: Response, redact: Redactor): string | undefined {
  const id = response.headers.get('x-request-id')
  return id === null ? undefined : redact(id)
}

/**
 * The underlying error, for debugging (`ECONNRESET`, `fetch failed`), unless something
 * `util.inspect` or a log shipper would show of it holds a secret: a custom fetch may quote the
 * request it failed to send in its message, in a property, in a cause three levels down, or throw
 * a string. Then a scrubbed copy of its name, message and code stands in for it.
 */
function safeCause(cause: unknown, redact: Redactor): unknown {
  if (!mayHoldSecret(cause, redact)) return cause
  const source = cause instanceof Error ? cause : undefined
  const copy = new Error(redact(source ? source.message : typeof cause === 'string' ? cause : 'The request failed (details withheld: they held the API key)'))
  if (source) copy.name = redact(source.name)
  const code = (cause as { code?: unknown } | null)?.code
  if (typeof code === 'string') Object.assign(copy, { code: redact(code) })
  return copy
}

const MAX_CAUSE_DEPTH = 8
const MAX_CAUSE_VALUES = 1_000

/**
 * Walks what an inspector shows: strings, the own properties of plain objects, arrays and errors
 * (message, stack and cause included), without calling getters. Anything else (a Request, Headers,
 * a class instance) keeps its state where the walk cannot see it, and so does a value past the
 * bounds: those count as holding the secret.
 */
function mayHoldSecret(value: unknown, redact: Redactor): boolean {
  const seen = new Set<object>()
  const pending: Array<[unknown, number]> = [[value, 0]]
  while (pending.length > 0) {
    const [current, depth] = pending.pop() as [unknown, number]
    if (typeof current === 'string') {
      if (redact(current) !== current) return true
      continue
    }
    if (current === null || (typeof current !== 'object' && typeof current !== 'function')) continue
    if (seen.has(current)) continue
    seen.add(current)
    const prototype: unknown = Object.getPrototypeOf(current)
    const walkable = Array.isArray(current) || current instanceof Error || prototype === Object.prototype || prototype === null
    if (!walkable || depth >= MAX_CAUSE_DEPTH || seen.size > MAX_CAUSE_VALUES) return true
    try {
      for (const key of Reflect.ownKeys(current)) {
        if (typeof key === 'string' && redact(key) !== key) return true
        const descriptor = Object.getOwnPropertyDescriptor(current, key)
        if (descriptor && 'value' in descriptor) pending.push([descriptor.value, depth + 1])
      }
    } catch {
      return true
    }
  }
  return false
}

/**
 * The transport used when a generated function is called without `config.client`: no key, no base
 * URL (pass them in `config`). The SDK itself always passes its own instance's transport.
 */
const defaultTransport: Client = createTransport()

export const client: Client = defaultTransport
export default defaultTransport

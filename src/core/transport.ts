/**
 * The module every generated operation calls through (`import fetch from '#transport'`): Kubb's
 * plugin-client imports a default client function and the types `Client`, `RequestConfig` and
 * `ResponseErrorConfig` from here. Each generated function takes a second `config` argument, spread
 * into the request after `method`, `url`, `params` and `data`: that is how a SegmentFlow instance
 * passes its own transport (`config.client`) and the per-call options.
 *
 * A transport turns that config into one ky call on the client's own ky instance (http.ts), with
 * the call's `Exchange` (exchange.ts) riding along for the wire and the retry decisions, and turns
 * the outcome into data or a typed error. docs/architecture.md follows one call end to end.
 */
import { ValidationError, APIError, APIResponseValidationError, describeStatus, SegmentFlowError } from './errors.ts'
import { Exchange, type ErrorFlavour } from './exchange.ts'
import { findHeader, headersToRecord, mergeHeaders, type HeaderValues } from './headers.ts'
import { createHttp, send, type Http } from './http.ts'
import { IDEMPOTENCY_HEADER } from './idempotency.ts'
import { encodeRequestBody } from './json-body.ts'
import type { LevelledLogger, Logger } from './logging.ts'
import { createRedactor, redactJSON, type Redactor } from './redact.ts'
import { parseJSON, readErrorEnvelope, Received, requestIdOf, type ResponseConfig } from './response.ts'
import { DEFAULT_MAX_RESPONSE_SIZE } from './response-body.ts'

export type HttpMethod = 'GET' | 'PUT' | 'PATCH' | 'POST' | 'DELETE' | 'OPTIONS' | 'HEAD'

/** The `fetch` signature the SDK needs; `globalThis.fetch`, undici's, msw's and the sandbox's fit. */
export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>

export type { HeaderValues, ResponseConfig }

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
  /**
   * `'unsent'`: the request may be applied twice if repeated after it reached the server, so it is
   * retried only when it provably never did (connection refused, DNS failure, 429). Default `'any'`.
   */
  retry?: RetryScope
  /** Looked up per call, never captured at import time: msw and users patch `globalThis.fetch` later. */
  fetch?: Fetch | undefined
}

export type RetryScope = 'any' | 'unsent'

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
  /** Decoded bytes of one response body; more is a `ResponseTooLargeError`. */
  maxResponseSize?: number | undefined
  logger?: Logger | undefined
  /** The client's redactor; one is made from `apiKey` when absent. */
  redact?: Redactor | undefined
  /** The client's ky instances; made from these settings when absent. */
  http?: Http | undefined
}

export const DEFAULT_TIMEOUT_MS = 60_000
export const DEFAULT_MAX_RETRIES = 2
/** setTimeout's limit: a longer delay fires at once (Node warns, browsers stay silent). */
export const MAX_TIMEOUT_MS = 2_147_483_647
const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS'])

const silentLogger: LevelledLogger = { error() {}, warn() {}, info() {}, debug() {}, level: 'off' }

/** The API's error envelope, redacted. */
function apiFlavour(redact: Redactor, keySource: 'option' | 'env' | undefined): ErrorFlavour {
  return {
    errorCode: (text) => readErrorEnvelope(text).errorCode,
    httpError(response, text, exchange, retryAfter) {
      const envelope = readErrorEnvelope(text)
      return APIError.generate({
        status: response.status,
        errorCode: envelope.errorCode === undefined ? undefined : redact(envelope.errorCode),
        message: envelope.message === undefined ? describeStatus(response.statusText, text, redact) : redact(envelope.message),
        details: envelope.details === undefined ? undefined : redactJSON(envelope.details, redact),
        requestId: requestIdOf(response, redact),
        headers: headersToRecord(response.headers, redact),
        idempotencyKey: exchange?.idempotencyKey,
        retryAfter,
        keySource,
      })
    },
    summary: (response) => String(response.status),
    timeoutMessage: (timeout) => `Request timed out after ${timeout} ms.`,
    connectionMessage: undefined,
  }
}

export function createTransport(settings: TransportSettings = {}): Client {
  const redact = settings.redact ?? createRedactor([settings.apiKey])
  const logger = settings.logger ?? silentLogger
  const defaultTimeout = settings.timeout ?? DEFAULT_TIMEOUT_MS
  const defaultMaxRetries = settings.maxRetries ?? DEFAULT_MAX_RETRIES
  const http = settings.http ?? createHttp({ timeout: defaultTimeout, maxRetries: defaultMaxRetries })
  const maxResponseSize = settings.maxResponseSize ?? DEFAULT_MAX_RESPONSE_SIZE
  const flavour = apiFlavour(redact, settings.apiKeySource)
  const baseHeaders: HeaderValues = {
    accept: 'application/json',
    ...settings.headers,
    ...(settings.apiKey !== undefined ? { 'x-api-key': settings.apiKey } : {}),
  }

  return async function transport<TResponseData, _TError = unknown, TRequestData = unknown>(
    config: RequestConfig<TRequestData>,
  ): Promise<ResponseConfig<TResponseData>> {
    const method = (config.method ?? 'GET').toUpperCase()
    const url = buildURL(config.baseURL ?? settings.baseURL, config.url ?? '', config.params)
    const headers = withKeyOnError(() => mergeHeaders([baseHeaders, config.headers]), config.headers)
    const idempotencyKey = headers.get('idempotency-key') ?? undefined
    const timeout = config.timeout ?? defaultTimeout
    const exchange = new Exchange({
      method,
      url,
      body: encodeBody(config.data, headers, redact),
      idempotencyKey,
      fetch: config.fetch ?? settings.fetch ?? globalFetch,
      repeatable: READ_METHODS.has(method) || config.safeToRetry === true || idempotencyKey !== undefined,
      onlyUnsent: config.retry === 'unsent',
      maxRetries: config.maxRetries ?? defaultMaxRetries,
      timeout,
      callerSignal: config.signal,
      redact,
      logger,
      sameOriginOnly: true,
      maxResponseSize,
      where: pathOf,
      flavour,
    })
    const response = await send(http.api, exchange, headers)
    return received(response, exchange, redact) as ResponseConfig<TResponseData>
  }
}

/** A 2xx: its body as JSON, or an error that says it was not. */
function received(response: Response, exchange: Exchange, redact: Redactor): Received {
  const requestId = requestIdOf(response, redact)
  const parsed = parseJSON(exchange.text)
  if (!parsed.ok) {
    throw new APIResponseValidationError(`The API answered ${response.status} with a body that is not JSON`, {
      status: response.status,
      requestId,
      headers: headersToRecord(response.headers, redact),
      idempotencyKey: exchange.idempotencyKey,
    })
  }
  return new Received(parsed.value, response, exchange.text, requestId, exchange.idempotencyKey)
}

/** Looked up at each call, never captured: msw and users patch `globalThis.fetch` after import. */
export const globalFetch: Fetch = (input, init) => globalThis.fetch(input, init)

function pathOf(url: string): string {
  return new URL(url).pathname
}

/** JSON unless it is a form; sets the content type a JSON body needs unless the caller chose one. */
function encodeBody(data: unknown, headers: Headers, redact: Redactor): string | FormData | undefined {
  const body = encodeRequestBody(data, { idempotencyKey: headers.get('idempotency-key') ?? undefined, redact })
  if (typeof body === 'string' && !headers.has('content-type')) headers.set('content-type', 'application/json')
  return body
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


/**
 * The transport used when a generated function is called without `config.client`: no key, no base
 * URL (pass them in `config`), and nothing kept between calls; each call gets a transport of its
 * own. The SDK itself always passes its own instance's.
 */
const standalone: Client = (config) => createTransport()(config)

export const client: Client = standalone
export default standalone

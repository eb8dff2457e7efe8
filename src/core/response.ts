/**
 * What the SDK makes of an answer: a successful body as data (`Received`), an error body as the
 * spec's envelope. Everything taken from a response passes through the client's redactor first.
 */
import type { ErrorDetails } from '../../generated/types/ErrorDetails.ts'
import type { SegmentFlowErrorCode } from './errors.ts'
import type { Redactor } from './redact.ts'

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

/**
 * A successful call. `response` is built only when asked for: `response.clone()` on every call, to
 * hand out a body nobody reads, cost a tenth of a loopback request. A class rather than a getter in
 * an object literal: the getter's closure kept the attempt's whole scope (the body text included)
 * alive long enough to be promoted, tripling what each page of a long list left in the old
 * generation (BENCHMARKS.md).
 */
export class Received implements ResponseConfig {
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

/** `JSON.parse` (which never touches prototypes: `__proto__` becomes an own key) or a failure. */
export function parseJSON(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text === '') return { ok: true, value: undefined }
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch {
    return { ok: false }
  }
}

export type Envelope = { errorCode?: SegmentFlowErrorCode; message?: string; details?: ErrorDetails }

/** The spec's error envelope, field by field; anything else (a proxy's HTML page) yields nothing. */
export function readErrorEnvelope(text: string): Envelope {
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

/**
 * The request id, through the redactor like everything else an error carries from the response:
 * a proxy that reflects request headers may put the key anywhere.
 */
export function requestIdOf(response: Response, redact: Redactor): string | undefined {
  const id = response.headers.get('x-request-id')
  return id === null ? undefined : redact(id)
}

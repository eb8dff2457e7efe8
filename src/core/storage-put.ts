/**
 * The PUT of an upload's bytes to its pre-signed URL. The URL is a storage host, not the API, so
 * this request is bare: the client's `fetch`, a `content-type`, the bytes, nothing else. Sending the
 * API key or the client's default headers there would hand them to a third party, which is why it
 * goes through the client's `storage` ky instance (http.ts), which holds no headers, and not
 * through the transport.
 *
 * It is retried like an API call (same statuses, backoff and `Retry-After`, the same ky), since a
 * PUT of the same bytes to the same key is idempotent by nature.
 */
import { APIError } from './errors.ts'
import { Exchange, type ErrorFlavour } from './exchange.ts'
import { headersToRecord } from './headers.ts'
import { createHttp, send, type Http } from './http.ts'
import type { Logger } from './logging.ts'
import { createRedactor, type Redactor } from './redact.ts'
import { DEFAULT_MAX_RESPONSE_SIZE } from './response-body.ts'
import { globalFetch, type Fetch } from './transport.ts'
import type { UploadBody } from './upload-body.ts'

export type StoragePutOptions = {
  fetch?: Fetch | undefined
  maxRetries: number
  /** Milliseconds per attempt. */
  timeout: number
  signal?: AbortSignal | undefined
  logger?: Logger | undefined
  /** The client's ky instances; made from these options when absent. */
  http?: Http | undefined
  redact?: Redactor | undefined
  maxResponseSize?: number | undefined
}

const silent: Logger = { error() {}, warn() {}, info() {}, debug() {} }
const keep: Redactor = (text) => text

/** A storage host's refusal: a SegmentFlow envelope or S3's XML, with S3's request id. */
const storageFlavour: ErrorFlavour = {
  errorCode: (text) => describeFailure(text).code,
  httpError(response, text, _exchange, retryAfter) {
    const { code, message } = describeFailure(text)
    return APIError.generate({
      status: response.status,
      errorCode: code,
      message: `The storage host answered ${response.status}: ${message ?? (text.trim().slice(0, 200) || response.statusText || 'no body')}`,
      requestId: response.headers.get('x-request-id') ?? response.headers.get('x-amz-request-id') ?? undefined,
      headers: headersToRecord(response.headers, keep),
      retryAfter,
    })
  },
  summary(response, text) {
    return storageFlavour.httpError(response, text, undefined, undefined).message
  },
  timeoutMessage: (timeout) => `Upload timed out after ${timeout} ms.`,
  connectionMessage: 'Connection error while uploading to the storage host.',
}

export async function putToStorage(url: string, body: UploadBody, contentType: string, options: StoragePutOptions): Promise<Response> {
  const http = options.http ?? createHttp({ timeout: options.timeout, maxRetries: options.maxRetries })
  const parsed = new URL(url)
  const exchange = new Exchange({
    method: 'PUT',
    url,
    body,
    idempotencyKey: undefined,
    fetch: options.fetch ?? globalFetch,
    repeatable: true,
    maxRetries: options.maxRetries,
    timeout: options.timeout,
    callerSignal: options.signal,
    redact: options.redact ?? createRedactor([]),
    logger: options.logger ?? silent,
    // No key goes there, and storage hosts redirect between their own domains.
    sameOriginOnly: false,
    maxResponseSize: options.maxResponseSize ?? DEFAULT_MAX_RESPONSE_SIZE,
    where: withoutQuery,
    origin: parsed.origin,
    flavour: storageFlavour,
  })
  return send(http.storage, exchange, { 'content-type': contentType })
}

/** A storage URL as log lines show it: without the query string, which holds its signature. */
function withoutQuery(url: string): string {
  const parsed = new URL(url)
  return `${parsed.origin}${parsed.pathname}`
}

/** The reason in a storage host's error body: a SegmentFlow envelope, or S3's `<Code>`/`<Message>` XML. */
function describeFailure(text: string): { code?: string; message?: string } {
  try {
    const body = JSON.parse(text) as unknown
    if (body && typeof body === 'object') {
      const { error, message } = body as { error?: unknown; message?: unknown }
      return {
        ...(typeof error === 'string' ? { code: error } : {}),
        ...(typeof message === 'string' ? { message } : {}),
      }
    }
  } catch {
    // Not JSON: try XML below.
  }
  const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1]
  const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1]
  return { ...(code ? { code } : {}), ...(message ? { message: code ? `${code}: ${message}` : message } : {}) }
}

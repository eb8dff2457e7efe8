/**
 * The PUT of an upload's bytes to its pre-signed URL. The URL is a storage host, not the API, so
 * this request is bare: the client's `fetch`, a `content-type`, the bytes, nothing else. Sending the
 * API key or the client's default headers there would hand them to a third party (api-contract.md,
 * Assets), which is why it does not go through the transport.
 *
 * It is retried like an API call (retries.ts: the same statuses, backoff and `Retry-After`), since
 * a PUT of the same bytes to the same key is idempotent by nature.
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, type SegmentFlowError } from './errors.ts'
import { headersToRecord } from './headers.ts'
import type { Logger } from './logging.ts'
import { isRetryableResponse, parseRetryAfter, retryDelay, sleep } from './retries.ts'
import { abortable, runAttempt, type Fetch } from './transport.ts'
import type { UploadBody } from './upload-body.ts'

export type StoragePutOptions = {
  fetch?: Fetch | undefined
  maxRetries: number
  /** Milliseconds per attempt. */
  timeout: number
  signal?: AbortSignal | undefined
  logger?: Logger | undefined
}

type Attempt = { ok: true; response: Response } | { ok: false; error: SegmentFlowError; retryable: boolean; retryAfterMs?: number | undefined }

const keep = (text: string) => text

export async function putToStorage(url: string, body: UploadBody, contentType: string, options: StoragePutOptions): Promise<Response> {
  const fetch: Fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
  // Logged without the query string: it holds the URL's signature.
  const where = (() => {
    const parsed = new URL(url)
    return `${parsed.origin}${parsed.pathname}`
  })()
  const attempts = options.maxRetries + 1
  for (let attemptNumber = 1; ; attemptNumber++) {
    const outcome = await attempt(fetch, url, body, contentType, options)
    options.logger?.debug(`PUT ${where} -> ${outcome.ok ? outcome.response.status : outcome.error.name} (attempt ${attemptNumber}/${attempts})`)
    if (outcome.ok) return outcome.response
    if (!outcome.retryable || attemptNumber >= attempts) throw outcome.error
    const delay = retryDelay(attemptNumber, outcome.retryAfterMs)
    options.logger?.info(`PUT ${where} -> ${outcome.error.message}, retrying in ${Math.round(delay)} ms (attempt ${attemptNumber + 1}/${attempts})`)
    try {
      await sleep(delay, options.signal)
    } catch {
      throw new APIUserAbortError()
    }
  }
}

async function attempt(fetch: Fetch, url: string, body: UploadBody, contentType: string, options: StoragePutOptions): Promise<Attempt> {
  const { signal: callerSignal, timeout } = options
  if (callerSignal?.aborted) return { ok: false, error: new APIUserAbortError(), retryable: false }
  const sent = await runAttempt(callerSignal, timeout, async (signal) => {
    const response = await fetch(url, { method: 'PUT', headers: { 'content-type': contentType }, body, signal })
    return { response, text: await abortable(response.text(), signal) }
  })
  if (!sent.ok) {
    if (sent.ended === 'caller') return { ok: false, error: new APIUserAbortError(), retryable: false }
    if (sent.ended === 'timeout') return { ok: false, error: new APIConnectionTimeoutError(`Upload timed out after ${timeout} ms.`), retryable: true }
    return { ok: false, error: new APIConnectionError('Connection error while uploading to the storage host.', { cause: sent.cause }), retryable: true }
  }
  const { response, text } = sent.value
  if (response.ok) return { ok: true, response }

  const { code, message } = describeFailure(text)
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now())
  const error = APIError.generate({
    status: response.status,
    errorCode: code,
    message: `The storage host answered ${response.status}: ${message ?? (text.trim().slice(0, 200) || response.statusText || 'no body')}`,
    requestId: response.headers.get('x-request-id') ?? response.headers.get('x-amz-request-id') ?? undefined,
    headers: headersToRecord(response.headers, keep),
    retryAfter: retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000),
  })
  return { ok: false, error, retryable: isRetryableResponse(response.status, code), retryAfterMs }
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

/**
 * When and how long to wait before trying a request again. Pure functions: the transport owns the
 * loop, this module owns the policy (sdk-surface.md, "Retries").
 */
import type { SegmentFlowErrorCode } from './errors.ts'

/**
 * 408 and 429 ask the client to come back; 500/502/503/504 are the server's or a proxy's failures and
 * usually pass. Every other 4xx would fail the same way again.
 */
const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504])

const INITIAL_DELAY_MS = 500
const MAX_BACKOFF_MS = 8_000
/** A server may ask for more, but a caller blocked for minutes is worse than an error it can act on. */
const MAX_RETRY_AFTER_MS = 60_000

export function isRetryableResponse(status: number, errorCode: SegmentFlowErrorCode | undefined): boolean {
  if (RETRYABLE_STATUSES.has(status)) return true
  // Another request with the same Idempotency-Key is still running. Once it finishes, the same key
  // replays its result: retrying is exactly what the server asks for. Every other 409 (key reused
  // with a different body, a state conflict) would fail again.
  return status === 409 && errorCode === 'idempotency_request_in_progress'
}

/**
 * Connection failures that happen before a single byte of the request is sent: refused (nothing
 * listens), or the host name does not resolve. `ConnectionRefused` is Bun's spelling.
 */
const NEVER_SENT_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ConnectionRefused'])

/**
 * Whether a failed fetch provably never reached the server. fetch wraps the socket's error
 * (`TypeError: fetch failed`, cause `{ code: 'ECONNREFUSED' }`), a runtime may nest it further or
 * group several attempts in an AggregateError (one per address): every error found must be one
 * of the codes above. A reset or a timeout proves nothing: the server may have run the request.
 */
export function neverReachedServer(error: unknown): boolean {
  const pending: unknown[] = [error]
  let found = false
  for (let seen = 0; pending.length > 0 && seen < 16; seen++) {
    const current = pending.pop()
    if (current === null || typeof current !== 'object') continue
    const { code, cause, errors } = current as { code?: unknown; cause?: unknown; errors?: unknown }
    if (Array.isArray(errors) && errors.length > 0) {
      pending.push(...errors)
      continue
    }
    if (typeof code === 'string') {
      if (!NEVER_SENT_CODES.has(code)) return false
      found = true
      continue
    }
    if (cause !== undefined) pending.push(cause)
  }
  return found
}

/**
 * `Retry-After` in milliseconds: either delay-seconds or an HTTP date (RFC 9110 10.2.3). Returns
 * undefined for an absent or unreadable value, so the caller falls back to its own backoff.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined
  const text = value.trim()
  if (text === '') return undefined
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000
  const date = Date.parse(text)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, date - now)
}

/**
 * Milliseconds to wait before retry number `retry` (1 for the first retry). The server's
 * `Retry-After` wins when present (capped); otherwise exponential backoff from 0.5 s, capped at
 * 8 s, minus up to 25% jitter so that clients failed by the same outage do not return in lockstep.
 */
export function retryDelay(retry: number, retryAfterMs: number | undefined, random: () => number = Math.random): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, MAX_RETRY_AFTER_MS)
  const backoff = Math.min(INITIAL_DELAY_MS * 2 ** (retry - 1), MAX_BACKOFF_MS)
  return backoff * (1 - random() * 0.25)
}

/**
 * Resolves after `ms`, or rejects as soon as `signal` aborts, clearing its timer either way: a
 * cancelled call must not keep the process alive for the rest of a backoff.
 */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason)
      return
    }
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

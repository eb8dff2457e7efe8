/**
 * The retry policy, as ky takes it. ky owns the mechanism (the attempt count, the waits, reading
 * `Retry-After`, timing each attempt out, aborting a wait); this module says which failures deserve
 * another attempt and how long the waits are. docs/architecture.md, "Retries", gives the reasons.
 */
import type { SegmentFlowErrorCode } from './errors.ts'

/**
 * 408 and 429 ask the client to come back; 500/502/503/504 are the server's or a proxy's failures and
 * usually pass. Every other 4xx would fail the same way again.
 */
const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504])

/** Every status ky may retry: the ones above and the 409 that `isRetryableResponse` lets through. */
export const RETRY_STATUS_CODES: readonly number[] = [...RETRYABLE_STATUSES, 409]

const INITIAL_DELAY_MS = 500
const MAX_BACKOFF_MS = 8_000
/** A server may ask for more, but a caller blocked for minutes is worse than an error it can act on. */
export const MAX_RETRY_AFTER_MS = 60_000
/**
 * ky reads delay-seconds from here on (ms since 2024-01-01) as a Unix time, so a server's absurdly
 * long delay could become a wait of 0. Such values are capped by the SDK instead (exchange.ts).
 */
export const KY_TIMESTAMP_SECONDS = Date.parse('2024-01-01') / 1000

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
 * `Retry-After` in milliseconds: either delay-seconds or an HTTP date (RFC 9110 10.2.3); a date in
 * the past is 0. Undefined for an absent, negative or unreadable value, so the caller falls back to
 * its own backoff instead of retrying at once.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined
  const text = value.trim()
  if (text === '') return undefined
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000
  // Only the shapes of an HTTP date: `Date.parse` alone also takes "1" or "-5" as years.
  if (!/^[A-Za-z]{3}/.test(text)) return undefined
  const date = Date.parse(text)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, date - now)
}

/** The wait the SDK honours for a `Retry-After` value: what `parseRetryAfter` reads, capped. */
export function honouredRetryAfter(value: string | null | undefined, now: number): number | undefined {
  const ms = parseRetryAfter(value, now)
  return ms === undefined ? undefined : Math.min(ms, MAX_RETRY_AFTER_MS)
}

/** Exponential backoff from 0.5 s for retry number `retry` (1 for the first), capped at 8 s. */
export function backoff(retry: number): number {
  return Math.min(INITIAL_DELAY_MS * 2 ** (retry - 1), MAX_BACKOFF_MS)
}

/** Up to 25% off, so that clients failed by the same outage do not return in lockstep. */
export function jitter(delay: number, random: () => number = Math.random): number {
  return delay * (1 - random() * 0.25)
}

/**
 * Idempotency keys. Every mutating call carries one, so that a retry (ours, or the caller's after
 * a timeout) replays the first result instead of sending the email twice.
 */
import type { ValidationIssue } from './errors.ts'
import { findHeader, type HeaderValues } from './headers.ts'

export const IDEMPOTENCY_HEADER = 'Idempotency-Key'

/** The spec's `IdempotencyKey`: 1 to 255 printable ASCII characters, so never CR or LF. */
const KEY_PATTERN = /^[\x20-\x7E]{1,255}$/

/**
 * The key the caller chose: the `idempotencyKey` option, else an `Idempotency-Key` header in any
 * spelling (the public docs pass it as a header). Undefined when neither was given.
 */
export function givenIdempotencyKey(option: string | undefined, headers: HeaderValues | undefined): string | undefined {
  if (option !== undefined) return option
  const header = findHeader(headers, IDEMPOTENCY_HEADER)
  return typeof header?.value === 'string' ? header.value : undefined
}

/** One random key per logical call, reused by each of its retries. */
export function newIdempotencyKey(): string {
  return globalThis.crypto.randomUUID()
}

export function idempotencyKeyIssues(key: unknown): ValidationIssue[] {
  if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
    return [{ path: 'idempotencyKey', message: 'must be 1 to 255 printable ASCII characters (no CR, LF or other control characters)' }]
  }
  // The spec's pattern allows them, but HTTP trims a header value's outer spaces: the server would
  // store another key than the one the caller keeps for its retries.
  if (key.trim() !== key) {
    return [{ path: 'idempotencyKey', message: 'must not start or end with a space (HTTP would drop it)' }]
  }
  return []
}

/** The caller's headers without any spelling of `Idempotency-Key`: the resolved key replaces them. */
export function withoutIdempotencyHeader(headers: HeaderValues | undefined): HeaderValues | undefined {
  if (!headers) return undefined
  const wanted = IDEMPOTENCY_HEADER.toLowerCase()
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== wanted))
}

/**
 * The idempotency store: keys per organization, kept 24 hours on the sandbox clock.
 *
 * A key is claimed before the operation runs and completed with its outcome. Outcomes of the
 * operation itself are kept, failures included (a 404 or a 422 is what that request means), like
 * Stripe does; requests that never started (bad schema, auth, rate limit, injected faults, 5xx) keep
 * nothing, so fixing the request and retrying with the same key works.
 */
import { ApiFailure } from './errors.ts'

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000

export interface IdempotencyRecord {
  key: string
  /** What the request was: the operation and its canonical input. */
  fingerprint: string
  createdAt: number
  state: 'in-progress' | 'done'
  status: number
  body: unknown
}

export type Claim =
  | { kind: 'fresh'; complete(status: number, body: unknown): void; release(): void }
  | { kind: 'replay'; status: number; body: unknown }

/**
 * What "the same request" means: the same operation, path parameters and JSON body (key order aside).
 * A batch item is fingerprinted as the single send it amounts to, so a key first used with
 * `POST /emails` and then on a batch item with the same fields replays instead of sending twice.
 */
export function fingerprint(operation: string, params: unknown, body: unknown): string {
  return `${operation} ${stableStringify({ params: params ?? {}, body: body ?? null })}`
}

/** JSON with sorted keys: `{a,b}` and `{b,a}` are the same request. */
export function stableStringify(value: unknown): string {
  if (value === undefined) return 'null'
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`
}

/** Throws the 409s; otherwise returns a fresh claim to complete, or the outcome to replay. */
export function claim(store: Map<string, IdempotencyRecord>, key: string, print: string, now: number): Claim {
  const existing = store.get(key)
  if (existing && now - existing.createdAt >= IDEMPOTENCY_TTL_MS) store.delete(key)
  const live = store.get(key)
  if (live) {
    if (live.fingerprint !== print) {
      throw new ApiFailure(
        'idempotency_key_reuse',
        'This Idempotency-Key was already used with a different request.',
        { idempotencyKey: key },
      )
    }
    if (live.state === 'in-progress') {
      throw new ApiFailure(
        'idempotency_request_in_progress',
        'A request with this Idempotency-Key is still in progress. Retry shortly.',
        { idempotencyKey: key },
      )
    }
    return { kind: 'replay', status: live.status, body: live.body }
  }
  const record: IdempotencyRecord = { key, fingerprint: print, createdAt: now, state: 'in-progress', status: 0, body: undefined }
  store.set(key, record)
  return {
    kind: 'fresh',
    complete(status, body) {
      record.state = 'done'
      record.status = status
      // A snapshot: the replay is the original answer, not the resource as it is now.
      record.body = body === undefined ? undefined : structuredClone(body)
    },
    release() {
      if (store.get(key) === record) store.delete(key)
    },
  }
}

/** Ids and randomness. Web Crypto only, so the sandbox runs on every runtime the SDK does. */

export function uuid(): string {
  return crypto.randomUUID()
}

/** `req_` + 16 hex characters, the shape the spec's examples show for `x-request-id`. */
export function requestId(): string {
  return `req_${hex(8)}`
}

export function hex(bytes: number): string {
  const buffer = crypto.getRandomValues(new Uint8Array(bytes))
  return Array.from(buffer, (b) => b.toString(16).padStart(2, '0')).join('')
}

/**
 * The spec accepts any non-empty profile id, but the send, retrieve-email and track reference pages
 * show uuids, as real ids are: the sandbox makes the same, so that code tested here meets ids shaped
 * like production's.
 */
export function profileId(): string {
  return uuid()
}

/**
 * mulberry32: a tiny seeded PRNG. Faults injected "at a random rate" must fail the same requests on
 * every run, or a flaky test cannot be reproduced.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

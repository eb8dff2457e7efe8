/**
 * A failed `fetch`'s error, made safe to hand to the caller as an error's `cause`.
 */
import type { Redactor } from './redact.ts'

/**
 * The underlying error, for debugging (`ECONNRESET`, `fetch failed`), unless something
 * `util.inspect` or a log shipper would show of it holds a secret: a custom fetch may quote the
 * request it failed to send in its message, in a property, in a cause three levels down, or throw
 * a string. Then a scrubbed copy of its name, message and code stands in for it.
 */
export function safeCause(cause: unknown, redact: Redactor): unknown {
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

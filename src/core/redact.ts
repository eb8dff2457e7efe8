/**
 * Scrubs secrets (the API key) out of text that may end up in an error or a log line.
 *
 * The key is never put in a message on purpose, but some text comes from elsewhere: a proxy that
 * echoes the request's headers in its error page, a custom `fetch` whose error quotes the request.
 * Anything the SDK surfaces from such sources passes through here first.
 */
export type Redactor = (text: string) => string

const REPLACEMENT = '[redacted]'

export function createRedactor(secrets: ReadonlyArray<string | undefined>): Redactor {
  // A short "secret" (e.g. an empty or one-letter test key) would shred every message.
  const words = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4)
  if (words.length === 0) return (text) => text
  return (text) => {
    let result = text
    // Most text holds no secret; `includes` finds that out without building anything.
    for (const word of words) if (result.includes(word)) result = result.split(word).join(REPLACEMENT)
    return result
  }
}

/**
 * Past this depth a copy keeps a placeholder instead: a server's error details nested 100,000 levels
 * deep would otherwise overflow the stack here, and again in every `JSON.stringify(error)`.
 */
export const MAX_JSON_DEPTH = 64
const TOO_DEEP = '[nested too deep]'

/** Deep copy of a JSON value with every string (keys included) scrubbed. */
export function redactJSON<T>(value: T, redact: Redactor, depth = 0): T {
  if (typeof value === 'string') return redact(value) as T
  if (value !== null && typeof value === 'object' && depth >= MAX_JSON_DEPTH) return TOO_DEEP as T
  if (Array.isArray(value)) return value.map((item) => redactJSON(item, redact, depth + 1)) as T
  if (value !== null && typeof value === 'object') {
    // Written with defineProperty, not assignment: a `__proto__` key from a server body then stays
    // an ordinary own property instead of calling the prototype setter.
    const copy: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) {
      Object.defineProperty(copy, redact(key), {
        value: redactJSON(item, redact, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      })
    }
    return copy as T
  }
  return value
}

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
    for (const word of words) result = result.split(word).join(REPLACEMENT)
    return result
  }
}

/** Deep copy of a JSON value with every string (keys included) scrubbed. */
export function redactJSON<T>(value: T, redact: Redactor): T {
  if (typeof value === 'string') return redact(value) as T
  if (Array.isArray(value)) return value.map((item) => redactJSON(item, redact)) as T
  if (value !== null && typeof value === 'object') {
    // Written with defineProperty, not assignment: a `__proto__` key from a server body then stays
    // an ordinary own property instead of calling the prototype setter.
    const copy: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) {
      Object.defineProperty(copy, redact(key), {
        value: redactJSON(item, redact),
        enumerable: true,
        writable: true,
        configurable: true,
      })
    }
    return copy as T
  }
  return value
}

/**
 * Scrubs secrets (the API key) out of text that may end up in an error or a log line.
 *
 * The key is never put in a message on purpose, but some text comes from elsewhere: a proxy that
 * echoes the request's headers in its error page (or in a header's name), a redirect whose
 * `Location` quotes it, a custom `fetch` whose error quotes the request. Anything the SDK surfaces
 * from such sources passes through here first.
 */
export type Redactor = ((text: string) => string) & {
  /**
   * The length of the longest text this redactor replaces: a cut of redacted text needs to look
   * this far past the cut to see a secret that straddles it. Absent: unknown, redact everything.
   */
  readonly reach?: number
}

const REPLACEMENT = '[redacted]'

export function createRedactor(secrets: ReadonlyArray<string | undefined>): Redactor {
  // A short "secret" (e.g. an empty or one-letter test key) would shred every message.
  const words = new Set<string>()
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret.length < 4) continue
    // The forms a secret takes on its way into text: as given, in a URL, inside a JSON string.
    words.add(secret)
    words.add(encodeURIComponent(secret))
    words.add(JSON.stringify(secret).slice(1, -1))
  }
  if (words.size === 0) return Object.assign((text: string) => text, { reach: 0 })
  // Case-insensitive: `Headers` lower-cases a header name, and so does `URL` a host, so a key sent
  // back as either comes out in another case than it went in.
  const pattern = new RegExp([...words].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'gi')
  const reach = Math.max(...[...words].map((word) => word.length))
  return Object.assign((text: string) => text.replace(pattern, REPLACEMENT), { reach })
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')
}

/**
 * At most `max` characters of `text` with the secrets scrubbed: redacted first, cut second, so that
 * a secret straddling the cut cannot leave all but its last characters behind. Only the window that
 * can reach the cut is redacted: a 10 MB error page costs no more than a short one.
 */
export function redactedSnippet(text: string, redact: Redactor, max: number): string {
  const start = text.trimStart()
  const window = redact.reach === undefined ? start : start.slice(0, max + redact.reach)
  let snippet = redact(window)
  if (snippet.length > max) {
    // Never half a surrogate pair: that is no character, and some log shippers reject the line.
    const end = /[\uD800-\uDBFF]/.test(snippet.charAt(max - 1)) ? max - 1 : max
    snippet = `${snippet.slice(0, end)}…`
  }
  return snippet.trimEnd()
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

/**
 * The underlying error of a failed request, for debugging (`ECONNRESET`, `fetch failed`), unless
 * something `util.inspect` or a log shipper would show of it holds a secret: a custom fetch may
 * quote the request it failed to send in its message, in a property, in a cause many levels down,
 * or throw a string. Then a scrubbed copy of its name, message and code stands in for it.
 */
export function safeCause(cause: unknown, redact: Redactor): unknown {
  if (!mayHoldSecret(cause, redact)) return cause
  const source = cause instanceof Error ? cause : undefined
  const copy = new Error(redact(source ? safeString(() => source.message) : typeof cause === 'string' ? cause : 'The request failed (details withheld: they held the API key)'))
  if (source) copy.name = redact(safeString(() => source.name))
  const code = safeRead(() => (cause as { code?: unknown } | null)?.code)
  if (typeof code === 'string') Object.assign(copy, { code: redact(code) })
  return copy
}

function safeRead(read: () => unknown): unknown {
  try {
    return read()
  } catch {
    return undefined
  }
}

function safeString(read: () => unknown): string {
  const value = safeRead(read)
  return typeof value === 'string' ? value : ''
}

const MAX_CAUSE_DEPTH = 8
const MAX_CAUSE_VALUES = 1_000

/**
 * Walks what an inspector shows: strings, the own properties of plain objects, arrays and errors
 * (message, stack and cause included), without calling getters. Anything else (a Request, Headers,
 * a class instance, a Proxy's traps) keeps its state where the walk cannot see it, and so does a
 * value past the bounds: those count as holding the secret.
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
    try {
      const prototype: unknown = Object.getPrototypeOf(current)
      const walkable = Array.isArray(current) || current instanceof Error || prototype === Object.prototype || prototype === null
      if (!walkable || depth >= MAX_CAUSE_DEPTH || seen.size > MAX_CAUSE_VALUES) return true
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

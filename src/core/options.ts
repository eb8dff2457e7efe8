/**
 * A call's options, read once into a plain copy before anything else looks at them. The copy is
 * what gets checked and what gets used: a getter read twice could pass the check and then send
 * something else, and one that throws (or a Proxy whose trap throws, or options that are not an
 * object at all) must become a `ValidationError`, not a raw error from deep inside the SDK.
 */
import type { ValidationIssue } from './errors.ts'
import { MAX_TIMEOUT_MS } from './transport.ts'

/** The options every method takes last (`RequestOptions`). */
export const REQUEST_OPTION_NAMES = ['idempotencyKey', 'headers', 'signal', 'timeout', 'maxRetries'] as const

/** Fields holding headers, in request options and in the client's. */
const HEADER_FIELDS: ReadonlySet<string> = new Set(['headers', 'defaultHeaders'])

/** The problems found while reading each copy: kept aside, so that spreading a copy never carries them. */
const problems = new WeakMap<object, ValidationIssue[]>()

/**
 * A plain copy of the fields `names` of `options` that are set. Never throws: what could not be
 * read is reported by `readProblems(copy)`, at `path` (empty: the field names alone). Reading a
 * copy again gives the copy itself.
 */
export function readOptions<T extends object>(options: unknown, names: readonly string[] = REQUEST_OPTION_NAMES, path = 'options'): T {
  if (options !== null && typeof options === 'object' && problems.has(options)) return options as T
  const copy: Record<string, unknown> = {}
  const found: ValidationIssue[] = []
  problems.set(copy, found)
  if (options === undefined || options === null) return copy as T
  const at = (name: string) => (path === '' ? name : `${path}.${name}`)
  if (typeof options !== 'object' || isArray(options)) {
    found.push({ path: path || 'options', message: `must be an object of options, got ${describeType(options)}` })
    return copy as T
  }
  for (const name of names) {
    try {
      const value: unknown = (options as Record<string, unknown>)[name]
      if (value !== undefined) copy[name] = HEADER_FIELDS.has(name) ? readHeaders(value, at(name), found) : value
    } catch (error) {
      found.push({ path: at(name), message: `cannot be read (${reasonOf(error)})` })
    }
  }
  return copy as T
}

/** What reading `copy` ran into: options that were not an object, a field that threw. */
export function readProblems(copy: object): ValidationIssue[] {
  return problems.get(copy) ?? []
}

/** Header values are checked where headers are merged (headers.ts); here, only the container. */
function readHeaders(value: unknown, path: string, found: ValidationIssue[]): unknown {
  if (value === null) return undefined
  // `Headers`, a `Map` or an array of pairs would read as an empty object and send nothing.
  if (typeof value !== 'object' || Object.prototype.toString.call(value) !== '[object Object]') {
    found.push({ path, message: `must be an object of header names to values, got ${describeType(value)}` })
    return undefined
  }
  // `fromEntries` defines properties: a `__proto__` header stays a header.
  return Object.fromEntries(Object.entries(value))
}

/** The per-call options' types and ranges: a NaN `maxRetries` would retry forever, a huge `timeout` fire at once. */
export function requestOptionIssues(options: object): ValidationIssue[] {
  const issues = [...readProblems(options)]
  const { timeout, maxRetries, signal } = options as { timeout?: unknown; maxRetries?: unknown; signal?: unknown }
  if (timeout !== undefined && !isTimeout(timeout)) {
    issues.push({ path: 'options.timeout', message: `must be a number of milliseconds from 1 to ${MAX_TIMEOUT_MS}` })
  }
  if (maxRetries !== undefined && !(Number.isInteger(maxRetries) && (maxRetries as number) >= 0)) {
    issues.push({ path: 'options.maxRetries', message: 'must be an integer >= 0' })
  }
  if (signal !== undefined && !isAbortSignal(signal)) issues.push({ path: 'options.signal', message: `must be an AbortSignal, got ${describeType(signal)}` })
  return issues
}

export function isTimeout(value: unknown): value is number {
  return typeof value === 'number' && value >= 1 && value <= MAX_TIMEOUT_MS
}

/**
 * By shape rather than `instanceof`: a signal from another realm or an AbortController polyfill
 * works the same, and the SDK only ever reads `aborted` and `reason` and listens for `abort`.
 */
export function isAbortSignal(value: unknown): value is AbortSignal {
  if (value === null || typeof value !== 'object') return false
  try {
    const signal = value as Partial<AbortSignal>
    return typeof signal.aborted === 'boolean' && typeof signal.addEventListener === 'function' && typeof signal.removeEventListener === 'function'
  } catch {
    return false
  }
}

function isArray(value: unknown): boolean {
  try {
    return Array.isArray(value)
  } catch {
    return false
  }
}

/** A value's kind for a message, never the value: it may be a secret. */
export function describeType(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value !== 'object') return `a ${typeof value}`
  try {
    if (Array.isArray(value)) return 'an array'
    const tag = Object.prototype.toString.call(value).slice(8, -1)
    return tag === 'Object' ? 'an object' : `a ${tag}`
  } catch {
    // A revoked Proxy, or one whose trap throws.
    return 'an object that cannot be read'
  }
}

function reasonOf(error: unknown): string {
  try {
    const text = error instanceof Error ? error.message : String(error)
    return text.length > 200 ? `${text.slice(0, 200)}…` : text
  } catch {
    return 'it threw'
  }
}

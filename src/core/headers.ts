/**
 * Header merging with the rules every request obeys. Values are checked here, once, for all
 * headers: `Headers` strips leading and trailing CR/LF without a word, so `"key\r\n"` would go out
 * as `"key"`, and an interior CR/LF is refused with an error that names nothing.
 */
import { ValidationError } from './errors.ts'

/** Later layers win; `undefined` leaves the value below in place, `null` removes it. */
export type HeaderValues = Record<string, string | null | undefined>

const FORBIDDEN_CHARACTERS = /[\r\n\0]/

export function mergeHeaders(layers: ReadonlyArray<HeaderValues | undefined>): Headers {
  const headers = new Headers()
  for (const layer of layers) {
    if (!layer) continue
    for (const [name, value] of Object.entries(layer)) {
      // `new Headers({ k: undefined })` would send the string "undefined".
      if (value === undefined) continue
      if (value === null) {
        deleteHeader(headers, name)
        continue
      }
      if (typeof value !== 'string') {
        throw headerError(name, 'must be a string')
      }
      if (FORBIDDEN_CHARACTERS.test(value)) {
        // The value is never quoted: it may be a secret.
        throw headerError(name, 'must not contain CR, LF or NUL characters')
      }
      try {
        headers.set(name, value)
      } catch {
        throw headerError(name, 'is not a valid HTTP header name or value')
      }
    }
  }
  return headers
}

function deleteHeader(headers: Headers, name: string): void {
  try {
    headers.delete(name)
  } catch {
    throw headerError(name, 'is not a valid HTTP header name')
  }
}

function headerError(name: string, message: string): ValidationError {
  return new ValidationError([{ path: `headers.${name}`, message }])
}

/** Case-insensitive lookup in a plain header record, as HTTP header names are. */
export function findHeader(headers: HeaderValues | undefined, name: string): { name: string; value: string | null | undefined } | undefined {
  if (!headers) return undefined
  const wanted = name.toLowerCase()
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return { name: key, value }
  }
  return undefined
}

/**
 * Response headers as a plain record (lower-case names), for errors that get logged or serialised.
 * Names are scrubbed as well as values: a server may send the key back as a header's name.
 */
export function headersToRecord(headers: Headers, redact: (text: string) => string): Record<string, string> {
  const record: Record<string, string> = {}
  headers.forEach((value, name) => {
    const key = redact(name)
    // Two names scrubbed to the same text keep both values, as `Headers` joins repeated ones.
    const previous = key !== name && Object.hasOwn(record, key) ? `${record[key]}, ` : ''
    Object.defineProperty(record, key, { value: previous + redact(value), enumerable: true, writable: true, configurable: true })
  })
  return record
}

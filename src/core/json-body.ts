/**
 * A request body as JSON text, or a `ValidationError`: a caller's object can fail to serialise in
 * many ways (a BigInt, a cycle, a throwing `toJSON`, a getter or a Proxy trap that throws, nesting
 * deep enough to overflow the stack), and none of them may escape as a raw error, nor be retried:
 * the same object fails the same way every time.
 */
import { ValidationError, type ValidationIssue } from './errors.ts'
import type { Redactor } from './redact.ts'

/** How much of the underlying error's message an issue quotes. */
const MAX_REASON_LENGTH = 200

export type BodyErrorInit = {
  idempotencyKey?: string | undefined
  operation?: string | undefined
  /** Scrubs the quoted reason: a getter's error message is the caller's text, not ours. */
  redact?: Redactor | undefined
}

export function serializeBody(data: unknown, init: BodyErrorInit = {}): string {
  let json: string | undefined
  try {
    json = JSON.stringify(data)
  } catch (error) {
    throw new ValidationError([unreadableBodyIssue(error, 'cannot be sent as JSON', init.redact)], init)
  }
  // `JSON.stringify` answers undefined, not text, for a function or a symbol (or a `toJSON` that returns one).
  if (json === undefined) throw new ValidationError([{ path: 'body', message: `cannot be sent as JSON (a ${typeof data} has no JSON form)` }], init)
  return json
}

/** The issue for a body that threw while being read (by the schema check, or by `serializeBody`). */
export function unreadableBodyIssue(error: unknown, what = 'cannot be read', redact?: Redactor): ValidationIssue {
  let reason: string
  try {
    reason = error instanceof Error ? error.message : String(error)
  } catch {
    reason = 'it threw'
  }
  if (redact) reason = redact(reason)
  if (reason.length > MAX_REASON_LENGTH) reason = `${reason.slice(0, MAX_REASON_LENGTH)}…`
  return { path: 'body', message: `${what} (${reason})` }
}

/**
 * The body as it goes out: none, a form as it is, anything else as JSON. Whether `data` is a form
 * is asked inside the same guard: `instanceof` runs a Proxy's `getPrototypeOf` trap, and throws on
 * a revoked Proxy.
 */
export function encodeRequestBody(data: unknown, init: BodyErrorInit = {}): string | FormData | undefined {
  if (data === undefined) return undefined
  let form: boolean
  try {
    form = data instanceof FormData
  } catch (error) {
    throw new ValidationError([unreadableBodyIssue(error, 'cannot be sent as JSON', init.redact)], init)
  }
  return form ? (data as FormData) : serializeBody(data, init)
}

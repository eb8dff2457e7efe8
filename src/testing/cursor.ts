/**
 * Opaque cursors: base64url of `{ r, a | b }` (resource, after/before a sequence number). Opaque on
 * purpose: clients must pass back what they got, and a cursor of one list is refused by another.
 */
import { invalid } from './errors.ts'
import type { Position } from './seq-index.ts'

export function encodeCursor(resource: string, position: Position): string {
  const payload = position.before !== undefined ? { r: resource, b: position.before } : { r: resource, a: position.after }
  return btoa(JSON.stringify(payload)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

export function decodeCursor(resource: string, cursor: string, field: string): Position {
  try {
    const json = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'))
    const payload: unknown = JSON.parse(json)
    if (payload && typeof payload === 'object' && (payload as { r?: unknown }).r === resource) {
      const { a, b } = payload as { a?: unknown; b?: unknown }
      if (Number.isInteger(a) && (a as number) >= 0) return { after: a as number }
      if (Number.isInteger(b) && (b as number) >= 0) return { before: b as number }
    }
  } catch {
    // Falls through to the 400 below: a cursor that is not ours is a client error, not a crash.
  }
  throw invalid([{ path: field, message: 'Not a cursor returned by this list' }], 'The cursor is invalid.')
}

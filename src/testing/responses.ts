/** What a route handler returns, and how the sandbox writes responses. */

export interface Reply<T = unknown> {
  status: number
  /** Omitted for 204. */
  body?: T
  headers?: Record<string, string>
}

export function reply<T>(status: number, body: T): Reply<T> {
  return { status, body }
}

export function noContent(): Reply<never> {
  return { status: 204 }
}

export function toResponse(status: number, body: unknown, headers: Headers): Response {
  if (body === undefined || status === 204) return new Response(null, { status, headers })
  headers.set('content-type', 'application/json')
  return new Response(JSON.stringify(body), { status, headers })
}

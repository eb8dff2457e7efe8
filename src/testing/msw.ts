/**
 * msw support without depending on msw: pass in msw's own `http` and get the handlers to give
 * `setupServer(...)`. Users who do not use msw never load it, and there is no msw version for the
 * SDK to pin.
 *
 *   import { http } from 'msw'
 *   const server = setupServer(...sandboxHandlers(http, sandbox))
 *
 * The handlers answer every request under the sandbox's origin (the API and the storage host); a
 * dropped-connection fault reaches the caller as a network error, since msw treats `Response.error()`
 * that way.
 */
import type { Sandbox } from './sandbox.ts'

/** The one method of msw's `http` namespace this needs. */
export interface MswHttpLike<Handler> {
  all(path: string, resolver: (info: { request: Request }) => Promise<Response>): Handler
}

export function sandboxHandlers<Handler>(
  http: MswHttpLike<Handler>,
  sandbox: Pick<Sandbox, 'handle' | 'baseURL'>,
  options: { baseURL?: string } = {},
): Handler[] {
  const origin = new URL(options.baseURL ?? sandbox.baseURL).origin
  return [http.all(`${origin}/*`, ({ request }) => sandbox.handle(request))]
}

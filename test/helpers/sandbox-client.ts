/**
 * A client on a sandbox, reached either in process (`fetch: sandbox.fetch`) or over real loopback
 * HTTP (`listen()`), so that one test proves a behaviour on both paths.
 */
import { SegmentFlow, type ClientOptions, type Fetch } from '../../src/index.ts'
import type { Sandbox } from '../../src/testing/index.ts'
import { listen } from '../../src/testing/node.ts'

export type Transport = 'in process' | 'over HTTP'
export const TRANSPORTS: Transport[] = ['in process', 'over HTTP']

/** Sent with every API call; must never reach the storage host. */
export const DEFAULT_HEADERS = { 'x-tenant': 'acme-eu' }

export type Connected = { client: SegmentFlow; close: () => Promise<void> }

/**
 * `handle` stands in for the sandbox's handler on the server side (to count requests in flight);
 * `wrapFetch` wraps the client's fetch (to move the sandbox clock as requests go out).
 */
export async function connect(
  sandbox: Sandbox,
  transport: Transport,
  options: ClientOptions & { handle?: Sandbox['handle']; wrapFetch?: (fetch: Fetch) => Fetch } = {},
): Promise<Connected> {
  const { handle, wrapFetch = (fetch) => fetch, ...clientOptions } = options
  const base = { apiKey: sandbox.apiKey, defaultHeaders: DEFAULT_HEADERS, logLevel: 'off' as const, ...clientOptions }
  if (transport === 'in process') {
    const inProcess: Fetch = handle ? (input, init) => inProcessFetch(handle, input, init) : sandbox.fetch
    return { client: new SegmentFlow({ ...base, baseURL: sandbox.baseURL, fetch: wrapFetch(inProcess) }), close: async () => {} }
  }
  const server = await listen({ handle: handle ?? sandbox.handle }, { port: 0 })
  const fetch = wrapFetch((input, init) => globalThis.fetch(input, init))
  return { client: new SegmentFlow({ ...base, baseURL: server.url, fetch }), close: () => server.close() }
}

/** What `sandbox.fetch` does, over another handler: a dropped connection rejects like fetch does. */
async function inProcessFetch(handle: Sandbox['handle'], input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const response = await handle(new Request(input, init))
  if (response.type === 'error') throw new TypeError('fetch failed')
  return response
}

export function urlOf(input: string | URL | Request): string {
  return input instanceof Request ? input.url : String(input)
}

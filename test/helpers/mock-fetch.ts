/**
 * A recording `fetch` for client tests: every request the SDK sends is kept as the server would
 * see it (method, path, query, headers, parsed body), and answered by a handler.
 */
import { SegmentFlow, type ClientOptions } from '../../src/index.ts'

export const TEST_KEY = 'sk_test_9f8e7d6c5b4a39281706'
export const BASE_URL = 'https://api.segmentflow.test'

export type SeenRequest = {
  method: string
  url: URL
  path: string
  query: URLSearchParams
  headers: Record<string, string>
  /** The parsed JSON body; undefined when there was none. */
  body: unknown
  /** The body exactly as sent. */
  rawBody: string
  signal: AbortSignal
}

export type Handler = (request: SeenRequest, index: number) => Response | Promise<Response>

export function mockFetch(handler: Handler = () => json(200, {})) {
  const requests: SeenRequest[] = []
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init)
    const rawBody = request.body ? await request.text() : ''
    const url = new URL(request.url)
    const seen: SeenRequest = {
      method: request.method,
      url,
      path: url.pathname,
      query: url.searchParams,
      headers: Object.fromEntries(request.headers),
      body: rawBody === '' ? undefined : JSON.parse(rawBody),
      rawBody,
      signal: request.signal,
    }
    requests.push(seen)
    return handler(seen, requests.length - 1)
  }
  return { fetch, requests }
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'x-request-id': `req_${status}`, ...headers },
  })
}

export function errorResponse(status: number, error: string, extra: { message?: string; details?: unknown; headers?: Record<string, string> } = {}): Response {
  return json(status, { error, message: extra.message ?? `${error} happened`, ...(extra.details ? { details: extra.details } : {}) }, extra.headers)
}

export function noContent(): Response {
  return new Response(null, { status: 204, headers: { 'x-request-id': 'req_204' } })
}

/** A client that talks to `fetch`, logs nothing and does not wait between retries unless told. */
export function makeClient(fetch: ClientOptions['fetch'], options: ClientOptions = {}): SegmentFlow {
  return new SegmentFlow({ apiKey: TEST_KEY, baseURL: BASE_URL, fetch, logLevel: 'off', ...options })
}

/** A fetch that never answers, and rejects (like undici does) when its signal aborts. */
export function hangingFetch(options: { ignoreSignal?: boolean } = {}) {
  let calls = 0
  const fetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    calls++
    const signal = input instanceof Request ? input.signal : init?.signal
    return new Promise<Response>((_resolve, reject) => {
      if (options.ignoreSignal || !signal) return
      signal.addEventListener('abort', () => reject(signal.reason), { once: true })
    })
  }
  return {
    fetch,
    get calls() {
      return calls
    },
  }
}

export const UUID = '6f1c2a39-2c4b-4f1e-9b8a-0d6c1a2b3c4d'
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/**
 * The `fetch` that ky is given: what one attempt does on the wire. ky hands it the `Request` it
 * built for the attempt (method, URL, headers, the attempt's signal) and, as the second argument,
 * the options ky itself does not know, where the SDK puts the call's `Exchange`.
 *
 * Three things happen here rather than in ky, each for a reason (docs/architecture.md):
 * - the body goes to `fetch` as it is, not inside ky's `Request`, which would turn a JSON string
 *   into a stream, tee it and clone it on every attempt;
 * - redirects are followed by hand, same origin only: `fetch` would follow one to any host with
 *   every custom header, `x-api-key` included;
 * - the body is read within the attempt, under its timeout and with the size limit, so that a
 *   connection lost halfway through a body is retried like any other.
 */
import { APIError, redirectRefusal } from './errors.ts'
import { headersToRecord } from './headers.ts'
import type { Exchange } from './exchange.ts'
import { untilAborted } from './abortable.ts'
import { readBody } from './response-body.ts'

/** What ky passes as `fetch`'s second argument: the options it does not know itself. */
export type WireInit = { exchange?: Exchange }

/** Enough for a load balancer's http->https and trailing-slash hops; a loop fails fast. */
const MAX_REDIRECTS = 5
const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308])

export async function wire(request: Request, init?: WireInit): Promise<Response> {
  const exchange = init?.exchange
  if (exchange === undefined) throw new TypeError('The SDK sends every request with its exchange')
  const attempt = exchange.startAttempt()
  const { signal } = request
  try {
    const { response, text } = await untilAborted(receive(exchange, request, signal), signal)
    exchange.received(attempt, response, text)
    return response
  } catch (error) {
    exchange.failed(attempt, error)
    throw error
  }
}

async function receive(exchange: Exchange, request: Request, signal: AbortSignal): Promise<{ response: Response; text: string }> {
  signal.throwIfAborted()
  const response = exchange.sameOriginOnly ? await sendFollowingRedirects(exchange, request, signal) : await send(exchange, request.url, request.method, request.headers, exchange.body, signal, 'follow')
  const text = await readBody(response, exchange.bodyContext)
  return { response, text }
}

function send(
  exchange: Exchange,
  url: string,
  method: string,
  headers: Headers,
  body: BodyInit | undefined,
  signal: AbortSignal,
  redirect: RequestRedirect,
): Promise<Response> {
  const init: RequestInit = { method, headers, signal, redirect }
  if (body !== undefined) init.body = body
  return exchange.fetch(url, init)
}

/** Sends, following same-origin redirects; a redirect to another origin is refused. */
async function sendFollowingRedirects(exchange: Exchange, request: Request, signal: AbortSignal): Promise<Response> {
  const origin = new URL(request.url).origin
  let { url, method, headers } = request
  let body = exchange.body
  for (let hop = 0; ; hop++) {
    const response = await send(exchange, url, method, headers, body, signal, 'manual')
    if (response.type === 'opaqueredirect') {
      throw new APIError({ status: 0, message: 'The API answered with a redirect, which this runtime does not let the SDK inspect', idempotencyKey: exchange.idempotencyKey })
    }
    const location = REDIRECT_STATUSES.has(response.status) ? response.headers.get('location') : null
    if (location === null) return response
    void response.body?.cancel().catch(() => undefined)
    const next = parseLocation(location, url)
    const refusal = next === undefined ? 'Refused a redirect whose Location is not a URL' : redirectRefusal(next, origin, hop, MAX_REDIRECTS, exchange.redact)
    if (refusal) {
      const id = response.headers.get('x-request-id')
      throw new APIError({
        status: response.status,
        message: refusal,
        requestId: id === null ? undefined : exchange.redact(id),
        headers: headersToRecord(response.headers, exchange.redact),
        idempotencyKey: exchange.idempotencyKey,
      })
    }
    // RFC 9110 15.4: 303 always, and 301/302 after a POST, continue as a GET without the body.
    if ((response.status === 303 && method !== 'HEAD') || ((response.status === 301 || response.status === 302) && method === 'POST')) {
      method = 'GET'
      body = undefined
      headers = new Headers(headers)
      headers.delete('content-type')
    }
    url = (next as URL).href
  }
}

function parseLocation(location: string, base: string): URL | undefined {
  try {
    return new URL(location, base)
  } catch {
    return undefined
  }
}

/**
 * The SDK against servers that misbehave on purpose, over real HTTP on 127.0.0.1: bodies that never
 * end, inflate to 400 MB or weigh 600 MB, trickle, headers too large, redirect tricks, error pages,
 * broken and empty bodies, cursors that loop, absurd `Retry-After` values, one signal shared by 50
 * calls, and the key sent back as a header's name.
 *
 * Each case asserts the typed error (class and fields), how many requests the server received (so
 * that what must not be retried is not), the memory the call cost where a body is large, and that
 * the key is in no rendering of the error nor in any log line. The figures are printed for
 * docs/reliability.md.
 */
import { getEventListeners } from 'node:events'
import { inspect } from 'node:util'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIResponseValidationError,
  APIUserAbortError,
  BadRequestError,
  InternalServerError,
  PaginationLoopError,
  RateLimitError,
  ResponseTooLargeError,
  SegmentFlow,
  SegmentFlowError,
  type ClientOptions,
  type Logger,
} from '../../src/index.ts'
import { gzipBomb, hostileServer, MB, measureRss, streamBytes, trickle, type HostileHandler, type HostileServer } from './harness/hostile-server.ts'

const KEY = 'sk_live_Hostile-9xQ2_vB7mL4pZ8rT3wK6'
const DEFAULT_LIMIT = 10_485_760
/** What a call over a large body may add to the process's memory, server and client together. */
const MEMORY_BUDGET = 64 * MB

const servers: HostileServer[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close()
})

async function serve(handler: HostileHandler): Promise<HostileServer> {
  const server = await hostileServer(handler)
  servers.push(server)
  return server
}

function capturingLogger(onLine?: (line: string) => void): Logger & { lines: string[] } {
  const lines: string[] = []
  const keep = (level: string) => (message: string, ...rest: unknown[]) => {
    const line = `${level} ${message} ${rest.map((item) => inspect(item, { depth: null, showHidden: true })).join(' ')}`
    lines.push(line)
    onLine?.(line)
  }
  return { lines, error: keep('error'), warn: keep('warn'), info: keep('info'), debug: keep('debug') }
}

function clientFor(server: HostileServer, options: ClientOptions & { onLog?: (line: string) => void } = {}) {
  const { onLog, ...rest } = options
  const logger = capturingLogger(onLog)
  const client = new SegmentFlow({ apiKey: KEY, baseURL: server.url, logger, logLevel: 'debug', maxRetries: 2, timeout: 5_000, ...rest })
  return { client, logger }
}

async function failure(call: () => PromiseLike<unknown>): Promise<unknown> {
  try {
    await call()
  } catch (error) {
    return error
  }
  throw new Error('expected the call to fail')
}

/** No trace of the key in any rendering of the error, nor in the log: whole, in any case, or cut. */
function expectNoKey(error: unknown, lines: string[]): void {
  const e = error as Error
  const texts = [e.message, String(e.stack), String(e), JSON.stringify(e), inspect(e), inspect(e, { showHidden: true, depth: Infinity }), ...lines]
  const fragments = Array.from({ length: KEY.length - 7 }, (_, i) => KEY.slice(0, i + 8).toLowerCase())
  for (const text of texts) for (const fragment of fragments) expect(text.toLowerCase()).not.toContain(fragment)
}

function expectTooLarge(error: unknown, status: number, limit = DEFAULT_LIMIT): void {
  expect(error).toBeInstanceOf(ResponseTooLargeError)
  expect(error).toBeInstanceOf(APIError)
  expect(error).toMatchObject({ status, limit })
  expect((error as Error).message).toContain(String(limit))
  expect((error as Error).message).toContain(String(status))
}

const figures: string[] = []
afterAll(() => {
  if (figures.length > 0) console.log(`hostile servers, peak RSS growth per call:\n  ${figures.join('\n  ')}`)
})
const record = (name: string, growth: number) => figures.push(`${name}: ${(growth / MB).toFixed(1)} MB`)

const TEMPLATE_ID = '0b6c0d2e-3f41-4a52-8b63-7c84d95ea6f7'
const send = { templateKey: 'receipt-default', to: { email: 'alex@example.com' } }

describe('a body too large to hold', () => {
  beforeAll(async () => {
    // Built before any measurement: it is the server's cost, not the client's.
    await gzipBomb()
  })

  it('an endless body stops at the limit: ResponseTooLargeError, once, in bounded memory', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req_endless' })
      // Endless as far as any client can tell; the cap only keeps a client without a limit from
      // taking the machine down.
      void streamBytes(response, 160 * MB, { end: false })
    })
    const { client, logger } = clientFor(server, { timeout: 3_000, maxRetries: 1 })

    const { result: error, growth } = await measureRss(() => failure(() => client.templates.retrieve(TEMPLATE_ID)))

    record('endless body', growth)
    expectTooLarge(error, 200)
    expect((error as APIError).requestId).toBe('req_endless')
    expect(server.requests).toHaveLength(1)
    expect(growth).toBeLessThan(MEMORY_BUDGET)
    expectNoKey(error, logger.lines)
  })

  it('a gzip bomb (400 MB from about 400 kB) on a 500 stops at the limit, and is not retried', async () => {
    const bomb = await gzipBomb()
    expect(bomb.length).toBeLessThan(MB)
    const server = await serve((_request, response) => {
      response.writeHead(500, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(bomb.length) })
      response.end(bomb)
    })
    const { client, logger } = clientFor(server)

    const { result: error, growth } = await measureRss(() => failure(() => client.emails.send(send)))

    record(`gzip bomb (${Math.round(bomb.length / 1024)} kB inflating to 400 MB)`, growth)
    expectTooLarge(error, 500)
    expect((error as APIError).idempotencyKey).toEqual(expect.any(String))
    // A 500 is retried; a body over the limit is not, whatever its status.
    expect(server.requests).toHaveLength(1)
    expect(growth).toBeLessThan(MEMORY_BUDGET)
    expectNoKey(error, logger.lines)
  })

  it('a 600 MB body is refused at the limit, not downloaded (let alone three times)', async () => {
    let sent = 0
    const server = await serve(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(600 * MB) })
      sent += await streamBytes(response, 600 * MB)
    })
    const { client, logger } = clientFor(server, { timeout: 10_000 })

    const { result: error, growth } = await measureRss(() => failure(() => client.templates.retrieve(TEMPLATE_ID)))

    record('600 MB body', growth)
    expectTooLarge(error, 200)
    expect(server.requests).toHaveLength(1)
    expect(sent).toBeLessThan(100 * MB)
    expect(growth).toBeLessThan(MEMORY_BUDGET)
    expectNoKey(error, logger.lines)
  })

  it('honours a maxResponseSize of its own', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(404, { 'content-type': 'text/html' })
      void streamBytes(response, 2 * MB)
    })
    const limit = { maxResponseSize: MB }
    const { client } = clientFor(server, { ...limit, maxRetries: 2 })

    const error = await failure(() => client.templates.retrieve(TEMPLATE_ID))

    expectTooLarge(error, 404, MB)
    expect(server.requests).toHaveLength(1)
  })
})

describe('a slow or oversized answer', () => {
  it('a body trickling past the timeout ends with APIConnectionTimeoutError, retried as a timeout is', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' })
      response.write('[')
      trickle(response, 100)
    })
    const { client, logger } = clientFor(server, { timeout: 700, maxRetries: 1 })

    const error = await failure(() => client.templates.list())

    expect(error).toBeInstanceOf(APIConnectionTimeoutError)
    expect((error as Error).message).toMatch(/timed out after 700 ms/)
    expect(server.requests).toHaveLength(2)
    expectNoKey(error, logger.lines)
  })

  it('headers too large to parse end with APIConnectionError, quoting nothing of them', async () => {
    const server = await serve((_request, response) => {
      response.setHeader('x-huge', `${KEY};${'h'.repeat(128 * 1024)}`)
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end('[]')
    })
    const { client, logger } = clientFor(server, { maxRetries: 1 })

    const error = await failure(() => client.templates.list())

    expect(error).toBeInstanceOf(APIConnectionError)
    expect(server.requests.length).toBeGreaterThanOrEqual(1)
    expect(server.requests.length).toBeLessThanOrEqual(2)
    expectNoKey(error, logger.lines)
  })
})

describe('redirect tricks', () => {
  async function twoServers(location: (elsewhere: HostileServer) => string, status = 302) {
    const elsewhere = await serve((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('[]'))
    const server = await serve((_request, response) => response.writeHead(status, { location: location(elsewhere) }).end())
    return { server, elsewhere }
  }

  it.each([
    ['to another origin, the key in its host and path', (other: HostileServer) => `http://${KEY}.127.0.0.1.nip.test:${other.port}/${KEY}?key=${KEY}`],
    ['to another port of the same host, absolute', (other: HostileServer) => `${other.url}/api/v1/templates`],
    ['to another port, scheme-relative', (other: HostileServer) => `//127.0.0.1:${other.port}/api/v1/templates?k=${KEY}`],
    ['to another scheme', () => `https://127.0.0.1/api/v1/templates`],
  ])('%s is refused: an APIError naming the origin, scrubbed, and nothing sent there', async (_name, location) => {
    const { server, elsewhere } = await twoServers(location)
    const { client, logger } = clientFor(server)

    const error = await failure(() => client.emails.send(send))

    expect(error).toBeInstanceOf(APIError)
    expect(error).toMatchObject({ status: 302, idempotencyKey: expect.any(String) })
    expect((error as Error).message).toMatch(/Refused to follow a redirect to another origin/)
    expect(elsewhere.requests).toHaveLength(0)
    expect(server.requests).toHaveLength(1)
    expectNoKey(error, logger.lines)
  })

  it('a redirect loop stops after 5 hops, and is not retried', async () => {
    const server = await serve((request, response) => response.writeHead(307, { location: request.url }).end())
    const { client, logger } = clientFor(server)

    const error = await failure(() => client.templates.list())

    expect(error).toBeInstanceOf(APIError)
    expect(error).toMatchObject({ status: 307 })
    expect((error as Error).message).toMatch(/Stopped after 5 redirects/)
    expect(server.requests).toHaveLength(6)
    expectNoKey(error, logger.lines)
  })

  it('a Location that is not a URL is refused, and not retried', async () => {
    const server = await serve((_request, response) => response.writeHead(302, { location: 'http://[not a host' }).end())
    const { client, logger } = clientFor(server)

    const error = await failure(() => client.templates.list())

    expect(error).toBeInstanceOf(APIError)
    expect(error).toMatchObject({ status: 302 })
    expect((error as Error).message).toMatch(/Location is not a URL/)
    expect(server.requests).toHaveLength(1)
    expectNoKey(error, logger.lines)
  })

  it('a same-origin Location holding the key is followed, and the key stays out of the error', async () => {
    const server = await serve((request, response) => {
      if (request.url?.startsWith('/moved')) {
        response.writeHead(404, { 'content-type': 'text/html' }).end(`<h1>No page at ${request.url}</h1>`)
        return
      }
      response.writeHead(302, { location: `/moved/${KEY}?api_key=${KEY}` }).end()
    })
    const { client, logger } = clientFor(server)

    const error = await failure(() => client.templates.list())

    expect(error).toBeInstanceOf(APIError)
    expect(error).toMatchObject({ status: 404 })
    expect((error as Error).message).toMatch(/unexpected body: <h1>No page at \/moved\/\[redacted\]/)
    expect(server.requests.map((r) => r.url.split('/')[1])).toEqual(['api', 'moved'])
    expectNoKey(error, logger.lines)
  })
})

describe('error pages and broken bodies', () => {
  it('an HTML error page is an InternalServerError quoting its start, scrubbed; a 502 is retried', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(502, 'Bad Gateway', { 'content-type': 'text/html', 'x-request-id': 'req_html' })
      response.end(`<html><head><title>502</title></head><body>upstream rejected x-api-key: ${KEY}</body></html>`)
    })
    const { client, logger } = clientFor(server, { maxRetries: 1 })

    const error = await failure(() => client.templates.list())

    expect(error).toBeInstanceOf(InternalServerError)
    expect(error).toMatchObject({ status: 502, requestId: 'req_html', errorCode: undefined })
    expect((error as Error).message).toMatch(/^502: Bad Gateway \(unexpected body: <html>.*x-api-key: \[redacted\]/)
    expect(server.requests).toHaveLength(2)
    expectNoKey(error, logger.lines)
  })

  it('invalid JSON in a 200 is an APIResponseValidationError, not retried', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req_bad_json' })
      response.end(`{"id": "e1", "status": "queued", ${KEY}`)
    })
    const { client, logger } = clientFor(server)

    const error = await failure(() => client.emails.send(send, { idempotencyKey: 'order-1' }))

    expect(error).toBeInstanceOf(APIResponseValidationError)
    expect(error).toMatchObject({ status: 200, requestId: 'req_bad_json', idempotencyKey: 'order-1' })
    expect(server.requests).toHaveLength(1)
    expectNoKey(error, logger.lines)
  })

  it('a body shorter than its Content-Length is an APIConnectionError, retried like a dropped connection', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' })
      response.write('{"id":"e1",')
      setTimeout(() => response.destroy(), 20)
    })
    const { client, logger } = clientFor(server, { maxRetries: 1 })

    const error = await failure(() => client.emails.send(send, { idempotencyKey: 'order-2' }))

    expect(error).toBeInstanceOf(APIConnectionError)
    expect(error).toMatchObject({ idempotencyKey: 'order-2' })
    // The key makes the retry safe: the server replays the first result if it was committed.
    expect(server.requests).toHaveLength(2)
    expect(server.requests.map((r) => r.headers['idempotency-key'])).toEqual(['order-2', 'order-2'])
    expectNoKey(error, logger.lines)
  })

  it.each([
    ['an empty 204', 204, ''],
    ['an empty 200', 200, ''],
    ['a 200 of plain text', 200, 'OK'],
    ['a 202 of HTML', 202, '<html><body>Accepted</body></html>'],
  ])('%s to an operation that declares a body is an APIResponseValidationError, not retried', async (_name, status, body) => {
    const server = await serve((_request, response) => {
      response.writeHead(status, { 'x-request-id': `req_${status}` })
      response.end(body)
    })
    const { client, logger } = clientFor(server)

    const error = await failure(() => client.emails.send(send, { idempotencyKey: `empty-${status}-${body.length}` }))

    expect(error).toBeInstanceOf(APIResponseValidationError)
    expect(error).toMatchObject({ status, requestId: `req_${status}`, idempotencyKey: `empty-${status}-${body.length}` })
    expect(server.requests).toHaveLength(1)
    expectNoKey(error, logger.lines)
  })

  it('an empty 204 to an operation that declares none resolves', async () => {
    const server = await serve((_request, response) => response.writeHead(204).end())
    const { client } = clientFor(server)

    await expect(client.profiles.delete('p_1')).resolves.toBeUndefined()
    expect(server.requests).toHaveLength(1)
  })
})

describe('a cursor that does not advance', () => {
  function listServer(next: (cursor: string) => string | null) {
    return serve((request, response) => {
      const cursor = new URL(request.url ?? '/', 'http://x').searchParams.get('cursor') ?? 'start'
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end(JSON.stringify({ success: true, assets: [{ id: `asset-${cursor}` }], nextCursor: next(cursor) }))
    })
  }

  it.each([
    ['the same cursor again', (cursor: string) => (cursor === 'start' ? 'c1' : cursor), 2],
    ['a cycle among cursors already seen', (cursor: string) => ({ start: 'c1', c1: 'c2', c2: 'c3', c3: 'c1' })[cursor] ?? null, 4],
    ['the key as a cursor, repeated', (cursor: string) => (cursor === 'start' ? KEY : KEY), 2],
  ])('%s ends for await with a PaginationLoopError naming the operation', async (_name, next, pages) => {
    const server = await listServer(next)
    const { client, logger } = clientFor(server)
    const seen: string[] = []

    const error = await failure(async () => {
      for await (const asset of client.assets.list({ limit: 1 })) seen.push(asset.id)
    })

    expect(error).toBeInstanceOf(PaginationLoopError)
    expect(error).toBeInstanceOf(SegmentFlowError)
    expect(error).toMatchObject({ operation: 'listAssets', pages })
    expect(server.requests).toHaveLength(pages)
    expect(seen).toHaveLength(pages)
    expectNoKey(error, logger.lines)
  })
})

describe('Retry-After', () => {
  /** The waits the SDK announced before each retry, from its info lines. */
  const waits = (lines: string[]) => lines.flatMap((line) => /retrying in (\d+) ms/.exec(line)?.[1] ?? []).map(Number)
  const retryable = (status: number, retryAfter: string) =>
    serve((_request, response) => {
      response.writeHead(status, { 'content-type': 'application/json', 'retry-after': retryAfter })
      response.end(JSON.stringify({ error: status === 429 ? 'rate_limited' : 'unavailable', message: 'later' }))
    })

  describe.each([429, 503])('on a %i', (status) => {
    it.each(['-5', '-1', 'soon', 'NaN', '1e3', '0x10', '   '])('"%s" is ignored: the SDK backs off on its own, and reports no retryAfter', async (value) => {
      const server = await retryable(status, value)
      const { client, logger } = clientFor(server, { maxRetries: 1 })

      const error = await failure(() => client.templates.list())

      expect(error).toBeInstanceOf(status === 429 ? RateLimitError : InternalServerError)
      if (status === 429) expect((error as RateLimitError).retryAfter).toBeUndefined()
      expect(server.requests).toHaveLength(2)
      // The default backoff: 500 ms less at most 25% jitter, never an immediate retry.
      const [wait] = waits(logger.lines)
      expect(wait).toBeGreaterThanOrEqual(375)
      expect(wait).toBeLessThanOrEqual(500)
    })

    it('an enormous value is capped at 60 s, in the wait and in retryAfter', async () => {
      const server = await retryable(status, '99999999999')
      const controller = new AbortController()
      // The wait is announced, then cut short: the test has no minute to spare.
      const { client, logger } = clientFor(server, { maxRetries: 1, onLog: (line) => /retrying in/.test(line) && controller.abort() })

      await failure(() => client.templates.list(undefined, { signal: controller.signal }))
      expect(waits(logger.lines)).toEqual([60_000])

      const error = await failure(() => clientFor(server, { maxRetries: 0 }).client.templates.list())
      expect(error).toBeInstanceOf(status === 429 ? RateLimitError : InternalServerError)
      if (status === 429) expect((error as RateLimitError).retryAfter).toBe(60)
    })
  })
})

describe('one AbortSignal shared by 50 concurrent calls', () => {
  it('raises no MaxListenersExceededWarning and leaves no listener behind', async () => {
    const server = await serve((_request, response) => {
      setTimeout(() => response.writeHead(200, { 'content-type': 'application/json' }).end('[]'), 50)
    })
    const { client } = clientFor(server)
    const warnings: Error[] = []
    const onWarning = (warning: Error) => warnings.push(warning)
    process.on('warning', onWarning)
    const controller = new AbortController()
    try {
      const results = await Promise.all(Array.from({ length: 50 }, () => client.templates.list(undefined, { signal: controller.signal })))
      expect(results).toHaveLength(50)
      // Warnings are emitted on a later tick.
      await new Promise((resolve) => setImmediate(resolve))
    } finally {
      process.off('warning', onWarning)
    }

    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([])
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
    expect(server.requests).toHaveLength(50)
  })

  it('still aborts every one of them', async () => {
    const server = await serve(() => undefined)
    const { client } = clientFor(server)
    const controller = new AbortController()

    const calls = Array.from({ length: 50 }, () => failure(() => client.templates.list(undefined, { signal: controller.signal })))
    while (server.requests.length < 50) await new Promise((resolve) => setTimeout(resolve, 10))
    controller.abort()
    const errors = await Promise.all(calls)

    expect(errors.every((error) => error instanceof APIUserAbortError)).toBe(true)
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
  })
})

describe('the key as a header name', () => {
  it('is scrubbed from error.headers and every rendering', async () => {
    const server = await serve((_request, response) => {
      response.setHeader(KEY, 'reflected')
      response.setHeader(`x-echo-${KEY}`, KEY)
      response.writeHead(400, { 'content-type': 'application/json', 'x-request-id': 'req_name' })
      response.end(JSON.stringify({ error: 'invalid_request', message: 'no' }))
    })
    const { client, logger } = clientFor(server)

    const error = await failure(() => client.emails.send(send))

    expect(error).toBeInstanceOf(BadRequestError)
    expect(error).toMatchObject({ status: 400, requestId: 'req_name', errorCode: 'invalid_request' })
    expect((error as APIError).headers).toMatchObject({ '[redacted]': 'reflected', 'x-echo-[redacted]': '[redacted]' })
    expect(server.requests).toHaveLength(1)
    expectNoKey(error, logger.lines)
  })
})

/**
 * The security promises, each checked against a hostile party: a server or proxy that echoes the
 * key everywhere it can, a custom fetch that quotes the request in its errors, a storage host, ids
 * and header values crafted to change the request, a redirect to another host, bodies built to
 * pollute prototypes or to exhaust the parser, and a browser.
 */
import { inspect } from 'node:util'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { paths, operations } from '../../generated/zod/operations.ts'
import {
  APIConnectionError,
  APIError,
  SegmentFlow,
  SegmentFlowError,
  ValidationError,
  type ClientOptions,
  type Logger,
} from '../../src/index.ts'
import { createSandbox } from '../../src/testing/index.ts'
import { listen, type RunningSandbox } from '../../src/testing/node.ts'
import { startServer } from '../helpers/http-server.ts'
import { OPERATIONS } from './harness/operations.ts'

const KEY = 'sk_live_7Hq2xVb9Lm4Pz8Rt3Wk6Ny1C'
const SEED = Number(process.env.FC_SEED ?? 424242)

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const close of closers.splice(0)) await close()
})

async function failure(call: () => PromiseLike<unknown>): Promise<unknown> {
  try {
    await call()
  } catch (error) {
    return error
  }
  throw new Error('expected the call to fail')
}

/** Every way an error gets looked at: printed, logged, serialised, inspected with its causes. */
function renderings(error: unknown): string[] {
  const e = error as Error
  return [e.message, String(e.stack), String(e), JSON.stringify(e), inspect(e, { depth: null, showHidden: true, getters: false })]
}

/** A logger that keeps everything, at every level, arguments included. */
function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  const keep = (level: string) => (message: string, ...rest: unknown[]) => {
    lines.push(`${level} ${message} ${rest.map((item) => inspect(item, { depth: null })).join(' ')}`)
  }
  return { lines, error: keep('error'), warn: keep('warn'), info: keep('info'), debug: keep('debug') }
}

function clientWith(fetch: ClientOptions['fetch'], logger: Logger, options: ClientOptions = {}): SegmentFlow {
  return new SegmentFlow({ apiKey: KEY, baseURL: 'https://api.segmentflow.test', fetch, logger, logLevel: 'debug', maxRetries: 1, timeout: 2_000, ...options })
}

const send = { templateKey: 'receipt-default', to: { email: 'alex@example.com' } }

/** A proxy that reflects the key into every part of its answer it controls. */
function echoingServer(status: number, contentType = 'application/json'): ClientOptions['fetch'] {
  return async () => {
    const body =
      contentType === 'application/json'
        ? JSON.stringify({
            error: `bad_key_${KEY}`,
            message: `The key ${KEY} is not valid`,
            details: { key: KEY, [KEY]: [KEY, { nested: KEY }], issues: [{ path: KEY, message: KEY }], required: [KEY] },
          })
        : `<html><body>Upstream refused x-api-key: ${KEY}</body></html>`
    return new Response(body, {
      status,
      headers: { 'content-type': contentType, 'x-request-id': `req_${KEY}`, 'x-echo-api-key': KEY, 'retry-after': '0', location: `https://elsewhere.test/${KEY}` },
    })
  }
}

/** Custom fetches that fail while quoting the request they could not send, in every shape a library does. */
const QUOTING_FETCHES: Record<string, ClientOptions['fetch']> = {
  'message quotes the headers': async (input, init) => {
    throw new TypeError(`fetch failed for ${JSON.stringify(Object.fromEntries(new Request(input, init).headers))}`)
  },
  'the key three causes deep': async () => {
    throw new TypeError('fetch failed', { cause: new Error('socket', { cause: new Error('tls', { cause: new Error(`rejected key ${KEY}`) }) }) })
  },
  'a property holds the request headers': async () => {
    throw Object.assign(new Error('request failed'), { code: 'ECONNRESET', request: { headers: { 'x-api-key': KEY } } })
  },
  'a property holds the Request itself': async (input) => {
    throw Object.assign(new Error('request failed'), { request: input })
  },
  'a thrown string': async () => {
    // eslint-disable-next-line no-throw-literal
    throw `connect failed, x-api-key=${KEY}`
  },
  'a thrown plain object': async () => {
    // eslint-disable-next-line no-throw-literal
    throw { reason: 'refused', headers: { 'x-api-key': KEY } }
  },
}

describe('the API key never appears in an error or a log line', () => {
  const cases: Array<[string, (logger: Logger) => PromiseLike<unknown>]> = [
    ...[400, 401, 403, 404, 409, 422, 429, 500, 503].map(
      (status) => [`a ${status} echoing the key in code, message, details, request id and headers`, (logger: Logger) => clientWith(echoingServer(status), logger).emails.send(send)] as [string, (logger: Logger) => PromiseLike<unknown>],
    ),
    ['a 502 HTML page quoting the key', (logger) => clientWith(echoingServer(502, 'text/html'), logger).templates.list()],
    ['a 200 that is not JSON and quotes the key', (logger) => clientWith(echoingServer(200, 'text/html'), logger).templates.list()],
    ['a 200 whose body fails the schema, quoting the key', (logger) => clientWith(async () => Response.json({ id: KEY, status: KEY }), logger, { validate: { response: true } }).emails.retrieve('3e9f3a5b-6c74-4d85-9e96-afb70c81d92a')],
    ['a redirect to another origin', (logger) => clientWith(echoingServer(302), logger).templates.list()],
    ['a batch of 150 whose chunks fail with an echo', (logger) => clientWith(echoingServer(400), logger).emails.batchSend({ items: Array.from({ length: 150 }, () => ({ ...send })) })],
    ['a header value with a newline, holding the key', (logger) => clientWith(echoingServer(200), logger).templates.list(undefined, { headers: { 'x-copy': `${KEY}\n` } })],
    ['an abort whose reason quotes the key', (logger) => clientWith(echoingServer(200), logger).templates.list(undefined, { signal: AbortSignal.abort(new Error(KEY)) })],
    ...Object.entries(QUOTING_FETCHES).map(
      ([name, fetch]) => [`a custom fetch that fails: ${name}`, (logger: Logger) => clientWith(fetch, logger).emails.send(send)] as [string, (logger: Logger) => PromiseLike<unknown>],
    ),
  ]

  it.each(cases)('%s', async (_name, call) => {
    const logger = capturingLogger()

    const error = await failure(() => call(logger))

    expect(error).toBeInstanceOf(SegmentFlowError)
    for (const text of renderings(error)) expect(text).not.toContain(KEY)
    for (const line of logger.lines) expect(line).not.toContain(KEY)
  })

  it('nor in a connection error over real HTTP, nor in the client itself', async () => {
    const logger = capturingLogger()
    // Nothing listens on port 9 of the loopback (discard): the connection is refused.
    const client = new SegmentFlow({ apiKey: KEY, baseURL: 'http://127.0.0.1:9', logger, logLevel: 'debug', maxRetries: 0 })

    const error = await failure(() => client.emails.send(send))

    expect(error).toBeInstanceOf(APIConnectionError)
    for (const text of [...renderings(error), inspect(client, { depth: null, showHidden: true }), JSON.stringify(client), ...logger.lines]) {
      expect(text).not.toContain(KEY)
    }
  })
})

describe('assets.upload', () => {
  it('PUTs the bytes to the storage host without the key, the default headers or the identification', async () => {
    const sandbox = createSandbox()
    const server = await listen(sandbox)
    closers.push(() => server.close())
    // The storage host fails first (a reset, then a 503): the retried PUTs must be as bare as the first.
    sandbox.faults.add({ kind: 'reset', operation: 'storage', times: 1 })
    sandbox.faults.add({ kind: 'status', status: 503, retryAfter: 0, operation: 'storage', times: 1 })
    const client = new SegmentFlow({
      apiKey: sandbox.apiKey,
      baseURL: server.url,
      defaultHeaders: { 'x-tenant': 'acme', authorization: 'Bearer other-secret' },
      logLevel: 'off',
    })

    const asset = await client.assets.upload({ data: new TextEncoder().encode('a,b\n1,2\n'), filename: 'list.csv' }, { idempotencyKey: 'upload-1' })

    expect(asset.status).toBe('ready')
    const puts = sandbox.state.storageRequests.filter((r) => r.method === 'PUT')
    expect(puts.length).toBe(3)
    for (const put of puts) {
      expect(Object.keys(put.headers).filter((name) => !['host', 'connection', 'content-type', 'content-length', 'accept', 'accept-encoding', 'accept-language', 'sec-fetch-mode', 'user-agent'].includes(name))).toEqual([])
      expect(put.headers['user-agent'] ?? '').not.toContain('segmentflow')
      expect(JSON.stringify(put.headers)).not.toContain(sandbox.apiKey)
    }
    // The API calls of the same upload did carry them.
    const api = sandbox.state.requests.filter((r) => r.operation !== 'storage')
    expect(api.every((r) => r.headers['x-api-key'] === sandbox.apiKey && r.headers['x-tenant'] === 'acme')).toBe(true)
  })
})

describe('path ids', () => {
  const ROUTE_OF = new Map<unknown, { method: string; template: string }>()
  for (const [template, methods] of Object.entries(paths)) for (const [method, schema] of Object.entries(methods)) ROUTE_OF.set(schema, { method: method.toUpperCase(), template })
  const withPath = OPERATIONS.filter((op) => op.path !== undefined)

  const hostileId = fc.oneof(
    fc.constantFrom('../', '..', '.', '../../profiles', '..%2F..%2Fprofiles', '%2F', '%2e%2e', '%2E%2E%2F', 'a/../../b', '?', '#', 'id?limit=1', 'id#top', '\\..\\', '..;/', '%00', 'a%2Fb', '/', '//evil.test'),
    fc.tuple(fc.constantFrom('', '../', '%2F', '?', '#', '/'), fc.string({ unit: 'grapheme', maxLength: 8 }), fc.constantFrom('', '/..', '%2F', '?x=1', '#f')).map((parts) => parts.join('')),
  )

  it(`cannot change the route: the server sees the same operation and the id as given (${withPath.length} operations)`, async () => {
    const sandbox = createSandbox({ clock: 'manual' })
    const server = await listen(sandbox)
    closers.push(() => server.close())
    // Validation off: the uuid format check would refuse most of these ids before they reach the URL.
    const client = new SegmentFlow({ apiKey: sandbox.apiKey, baseURL: server.url, validate: false, maxRetries: 0, logLevel: 'off' })
    const property = fc.asyncProperty(fc.constantFrom(...withPath), hostileId, async (op, id) => {
      const names = Object.keys(op.path ?? {})
      const input = { path: Object.fromEntries(names.map((name) => [name, id])), body: {} }
      const logged = sandbox.state.requests.length
      const error = await op.invoke(client, input).then(
        () => undefined,
        (e: unknown) => e,
      )
      const seen = sandbox.state.requests.slice(logged)
      if (error instanceof ValidationError) {
        // Only the ids that no encoding keeps in their segment are refused: empty, `.`, `..`.
        expect(['', '.', '..']).toContain(id)
        expect(seen).toEqual([])
        return
      }
      expect(seen).toHaveLength(1)
      const [entry] = seen
      const route = ROUTE_OF.get(operations[op.operation]) as { template: string }
      expect(entry?.operation).toBe(op.operation)
      const segments = (entry?.path ?? '').split('/')
      const templateSegments = route.template.split('/')
      expect(segments).toHaveLength(templateSegments.length)
      templateSegments.forEach((segment, i) => {
        if (/^\{.+\}$/.test(segment)) expect(decodeURIComponent(segments[i] as string)).toBe(id)
        else expect(segments[i]).toBe(segment)
      })
      expect(new URL(entry?.url ?? '').search).toBe('')
    })
    const details = await fc.check(property, { seed: SEED, numRuns: 400 })
    if (details.failed) throw new Error(`${fc.defaultReportMessage(details)}\n${String(details.errorInstance)}`)
    console.log(`path ids: ${details.numRuns} generated hostile ids, seed ${SEED}`)
  })
})

describe('CR, LF or NUL in any header value', () => {
  const injected = fc
    .tuple(fc.string({ maxLength: 6 }), fc.constantFrom('\r', '\n', '\r\n', '\0', '\r\nx-api-key: stolen'), fc.string({ maxLength: 6 }))
    .map(([before, bad, after]) => `${before}${bad}${after}`)

  function recorder() {
    const requests: Request[] = []
    const fetch: ClientOptions['fetch'] = async (input, init) => {
      requests.push(new Request(input, init))
      return Response.json({}, { status: 202 })
    }
    return { requests, fetch }
  }

  it('is refused before sending, in default headers, per-call headers and the idempotency key', async () => {
    const where = fc.constantFrom('defaultHeaders', 'headers', 'idempotencyKey', 'Idempotency-Key header', 'idempotency-key header') 
    const property = fc.asyncProperty(where, injected, async (place, value) => {
      const { requests, fetch } = recorder()
      const client = new SegmentFlow({
        apiKey: KEY,
        baseURL: 'https://api.segmentflow.test',
        fetch,
        logLevel: 'off',
        ...(place === 'defaultHeaders' ? { defaultHeaders: { 'x-tenant': value } } : {}),
      })
      const options =
        place === 'headers'
          ? { headers: { 'x-trace': value } }
          : place === 'idempotencyKey'
            ? { idempotencyKey: value }
            : place === 'defaultHeaders'
              ? {}
              : { headers: { [place.replace(' header', '')]: value } }
      const errors = [await failure(() => client.emails.send(send, options)), await failure(() => client.templates.list(undefined, options))]
      for (const error of errors) expect(error).toBeInstanceOf(ValidationError)
      expect(requests).toEqual([])
    })
    const details = await fc.check(property, { seed: SEED, numRuns: 300 })
    if (details.failed) throw new Error(`${fc.defaultReportMessage(details)}\n${String(details.errorInstance)}`)
  })

  it('is refused in the key itself, at construction, without quoting it', () => {
    for (const apiKey of [`${KEY}\n`, `${KEY}\r\nx-evil: 1`, `\n${KEY}`]) {
      const error = (() => {
        try {
          new SegmentFlow({ apiKey, baseURL: 'https://api.segmentflow.test' })
        } catch (e) {
          return e
        }
      })()
      expect(error).toBeInstanceOf(SegmentFlowError)
      expect((error as Error).message).not.toContain(KEY)
    }
  })
})

describe('a redirect to another origin', () => {
  it.each([301, 302, 303, 307, 308])('%i is never followed: the other host sees no request at all', async (status) => {
    const other = await startServer((_request, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end('[]')
    })
    closers.push(other.close)
    const api = await startServer((request, res) => {
      // A same-origin hop first, then away: the second hop is refused too.
      const location = request.url.startsWith('/hop') ? `${other.url}/api/v1/templates` : `/hop${request.url}`
      res.writeHead(status, { location })
      res.end()
    })
    closers.push(api.close)
    const client = new SegmentFlow({ apiKey: KEY, baseURL: api.url, logLevel: 'off' })

    const errors = [await failure(() => client.templates.list()), await failure(() => client.emails.send(send))]

    for (const error of errors) {
      expect(error).toBeInstanceOf(APIError)
      expect((error as APIError).status).toBe(status)
      for (const text of renderings(error)) expect(text).not.toContain(KEY)
    }
    expect((errors[1] as APIError).idempotencyKey).toEqual(expect.any(String))
    expect(other.requests).toEqual([])
    // The API itself saw each call twice (the same-origin hop), with its key, and was not retried.
    expect(api.requests.map((r) => [r.method, r.url.split('?')[0], r.headers['x-api-key']])).toEqual([
      ['GET', '/api/v1/templates', KEY],
      ['GET', '/hop/api/v1/templates', KEY],
      ['POST', '/api/v1/emails', KEY],
      [status === 303 || status === 301 || status === 302 ? 'GET' : 'POST', '/hop/api/v1/emails', KEY],
    ])
  })
})

describe('a response body with __proto__ or constructor keys', () => {
  const hostile = (extra: object = {}) =>
    `{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"prototype":{"polluted":"yes"},${JSON.stringify(extra).slice(1)}`

  function prototypes() {
    return [Object.prototype, Array.prototype, Function.prototype, Error.prototype].map((proto) => Object.getOwnPropertyNames(proto).sort().join(','))
  }

  it('pollutes nothing, in a resource, a list, a page, an error, a batch, validated or not', async () => {
    const before = prototypes()
    const page = (items: string) => `{"__proto__":{"polluted":"yes"},"assets":[${items}],"nextCursor":null,"success":true}`
    const fetch: ClientOptions['fetch'] = async (input, init) => {
      const request = new Request(input, init)
      const url = new URL(request.url)
      if (url.pathname === '/api/v1/emails/batch') {
        const body = (await request.json()) as { items: Array<{ idempotencyKey: string }> }
        const items = body.items.map((item, index) => JSON.parse(hostile({ index, idempotencyKey: item.idempotencyKey, status: 'accepted', send: JSON.parse(hostile({ id: 'e' })) })) as unknown)
        return new Response(hostile({ total: items.length, accepted: items.length, rejected: 0, items }), { status: 200 })
      }
      if (url.pathname === '/api/v1/assets') return new Response(page(hostile({ id: 'a' })), { status: 200 })
      if (url.pathname === '/api/v1/templates') return new Response(`[${hostile({ id: 't' })}]`, { status: 200 })
      if (url.pathname.startsWith('/api/v1/profiles/')) return new Response(`{"error":"not_found","message":"gone","details":${hostile({})}}`, { status: 404 })
      return new Response(hostile({ id: 'x' }), { status: 200 })
    }
    for (const validate of [false, true]) {
      const client = new SegmentFlow({ apiKey: KEY, baseURL: 'https://api.segmentflow.test', fetch, logLevel: 'off', validate: { response: validate } })
      const results: unknown[] = []
      results.push(await client.emails.retrieve('3e9f3a5b-6c74-4d85-9e96-afb70c81d92a').catch((e: unknown) => e))
      results.push(await client.templates.list().catch((e: unknown) => e))
      try {
        for await (const asset of client.assets.list()) results.push(asset)
      } catch (error) {
        results.push(error)
      }
      results.push(await client.profiles.retrieve('p1').catch((e: unknown) => e))
      results.push(await client.emails.batchSend({ items: Array.from({ length: 150 }, () => ({ ...send })) }).catch((e: unknown) => e))
      // Whatever came back is a plain value or a typed error; the keys stay data, not prototypes.
      for (const result of results) if (result instanceof Error) expect(result).toBeInstanceOf(SegmentFlowError)
      expect(JSON.stringify(results)).toContain('polluted')
    }
    expect(prototypes()).toEqual(before)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined()
  })
})

describe('a huge or malformed response body', () => {
  const MB = 1024 * 1024

  async function against(handler: Parameters<typeof startServer>[0], options: ClientOptions = {}) {
    const server = await startServer(handler)
    closers.push(server.close)
    return new SegmentFlow({ apiKey: KEY, baseURL: server.url, logLevel: 'off', maxRetries: 0, timeout: 20_000, ...options })
  }

  const cases: Array<[string, Parameters<typeof startServer>[0], ClientOptions?]> = [
    ['50 MB of non-JSON with a 200', (_r, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(Buffer.alloc(50 * MB, 'x'))],
    ['50 MB of JSON cut short with a 200', (_r, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(`[${'1,'.repeat(25 * MB)}`)],
    ['a 50 MB error page', (_r, res) => res.writeHead(500, { 'content-type': 'text/html' }).end(Buffer.alloc(50 * MB, '<p>'))],
    ['error details nested 100,000 levels deep', (_r, res) => res.writeHead(400, { 'content-type': 'application/json' }).end(`{"error":"invalid_request","message":"m","details":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`)],
    ['a body nested 100,000 levels deep, validated', (_r, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(`${'['.repeat(100_000)}${']'.repeat(100_000)}`), { validate: { response: true } }],
    ['a body shorter than its content-length', (_r, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' })
      res.write('{"id":')
      setTimeout(() => res.destroy(), 20)
    }],
    ['a body that never ends', (_r, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write('[')
      const timer = setInterval(() => res.write('1,'), 50)
      res.on('close', () => clearInterval(timer))
    }, { timeout: 500 }],
    ['bytes that are not UTF-8', (_r, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(Buffer.from([0x7b, 0xff, 0xfe, 0x22, 0x7d]))],
    ['JSON null, a number, for an object', (_r, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('null'), { validate: { response: true } }],
  ]

  it.each(cases)('%s fails with a typed error', async (_name, handler, options) => {
    const client = await against(handler, options)

    const error = await failure(() => client.templates.retrieve('0b6c0d2e-3f41-4a52-8b63-7c84d95ea6f7'))

    expect(error).toBeInstanceOf(SegmentFlowError)
    // A message, even of a 50 MB page, stays readable.
    expect((error as Error).message.length).toBeLessThan(1_000)
    expect(() => JSON.stringify(error)).not.toThrow()
  })
})

describe('in a browser', () => {
  const scope = globalThis as { window?: unknown; document?: unknown }
  afterEach(() => {
    delete scope.window
    delete scope.document
  })

  it('construction throws unless dangerouslyAllowBrowser is set', () => {
    scope.window = {}
    scope.document = {}

    expect(() => new SegmentFlow({ apiKey: KEY })).toThrow(SegmentFlowError)
    expect(() => new SegmentFlow({ apiKey: KEY })).toThrow(/dangerouslyAllowBrowser/)
    expect(() => new SegmentFlow({ apiKey: KEY, dangerouslyAllowBrowser: true })).not.toThrow()
  })
})

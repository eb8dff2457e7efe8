import { inspect } from 'node:util'

import { describe, expect, it, vi } from 'vitest'

import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIResponseValidationError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  SegmentFlow,
  SegmentFlowError,
  UnprocessableEntityError,
  ValidationError,
  type SegmentFlowErrorCode,
} from '../../src/index.ts'
import { errorResponse, hangingFetch, json, makeClient, mockFetch, TEST_KEY, UUID } from '../helpers/mock-fetch.ts'

const email = { templateKey: 'receipt-default', to: { email: 'alex@example.com' } }

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail')
    },
    (error: unknown) => error,
  )
}

describe('API errors', () => {
  it.each([
    [400, BadRequestError],
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [409, ConflictError],
    [422, UnprocessableEntityError],
    [429, RateLimitError],
    [500, InternalServerError],
    [503, InternalServerError],
    [413, APIError],
    [418, APIError],
  ])('maps %i to %o', async (status, ErrorClass) => {
    const client = makeClient(mockFetch(() => errorResponse(status, 'some_code')).fetch, { maxRetries: 0 })

    const error = await failure(client.templates.list())

    expect(error).toBeInstanceOf(ErrorClass)
    expect(error).toBeInstanceOf(APIError)
    expect(error).toBeInstanceOf(SegmentFlowError)
    expect((error as APIError).status).toBe(status)
  })

  it('carries the envelope: errorCode, message, details, request id and headers', async () => {
    const issues = [{ path: 'to.email', message: 'Invalid email' }]
    const client = makeClient(
      mockFetch(() =>
        errorResponse(400, 'invalid_request', { message: 'The body does not match the schema', details: { issues }, headers: { 'x-request-id': 'req_abc' } }),
      ).fetch,
    )

    const error = (await failure(client.emails.send(email, { idempotencyKey: 'k-1' }))) as BadRequestError

    expect(error.errorCode).toBe('invalid_request')
    expect(error.message).toBe('400 invalid_request: The body does not match the schema')
    expect(error.details?.issues).toEqual(issues)
    expect(error.requestId).toBe('req_abc')
    expect(error.headers['x-request-id']).toBe('req_abc')
    expect(error.idempotencyKey).toBe('k-1')
    expect(error.name).toBe('BadRequestError')
  })

  it('types errorCode from the spec and keeps codes it does not know', async () => {
    const client = makeClient(mockFetch(() => errorResponse(400, 'brand_new_code')).fetch)

    const error = (await failure(client.templates.list())) as APIError
    const code: SegmentFlowErrorCode | undefined = error.errorCode

    expect(code).toBe('brand_new_code')
  })

  it('lists the missing scopes on PermissionDeniedError', async () => {
    const client = makeClient(mockFetch(() => errorResponse(403, 'insufficient_scope', { details: { required: ['emails:write'] } })).fetch)

    const error = (await failure(client.emails.send(email))) as PermissionDeniedError

    expect(error.requiredScopes).toEqual(['emails:write'])
  })

  it('gives PermissionDeniedError an empty scope list when the server names none', async () => {
    const client = makeClient(mockFetch(() => errorResponse(403, 'insufficient_scope')).fetch)

    expect(((await failure(client.templates.list())) as PermissionDeniedError).requiredScopes).toEqual([])
  })

  it('reads Retry-After into RateLimitError.retryAfter (seconds)', async () => {
    const client = makeClient(mockFetch(() => errorResponse(429, 'rate_limited', { headers: { 'retry-after': '12' } })).fetch, { maxRetries: 0 })

    expect(((await failure(client.templates.list())) as RateLimitError).retryAfter).toBe(12)
  })

  it('describes a non-JSON error body instead of crashing', async () => {
    const client = makeClient(
      mockFetch(() => new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway', headers: { 'content-type': 'text/html' } })).fetch,
      { maxRetries: 0 },
    )

    const error = (await failure(client.templates.list())) as InternalServerError

    expect(error).toBeInstanceOf(InternalServerError)
    expect(error.errorCode).toBeUndefined()
    expect(error.message).toContain('502')
    expect(error.message).toContain('Bad Gateway')
  })

  it('describes an empty error body', async () => {
    const client = makeClient(mockFetch(() => new Response(null, { status: 404 })).fetch)

    const error = (await failure(client.templates.list())) as NotFoundError
    expect(error.message).toContain('no body')
    expect(error.errorCode).toBeUndefined()
  })

  it('serialises to JSON with its fields, explicitly', async () => {
    const client = makeClient(mockFetch(() => errorResponse(404, 'not_found', { message: 'No such template' })).fetch)

    const error = await failure(client.templates.retrieve(UUID))

    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'NotFoundError',
      message: '404 not_found: No such template',
      status: 404,
      errorCode: 'not_found',
      requestId: 'req_404',
    })
  })
})

describe('handling errors', () => {
  it('lets a caller switch on the class, the code and the request id', async () => {
    const client = makeClient(
      mockFetch(() => errorResponse(422, 'validation_failed', { message: 'Template receipt-default is not Transactional', headers: { 'x-request-id': 'req_8f2c' } })).fetch,
    )
    const log: string[] = []

    try {
      await client.emails.send({ templateKey: 'receipt-default', to: { email: 'alex@example.com' } }, { idempotencyKey: 'order-confirmation:ord_9421' })
    } catch (error) {
      if (error instanceof RateLimitError) {
        log.push(`slow down for ${error.retryAfter} s`)
      } else if (error instanceof APIError) {
        // error.errorCode is typed from the spec: 'validation_failed' | 'not_found' | ...
        log.push(`${error.status} ${error.errorCode} ${error.requestId} ${error.idempotencyKey}`)
      } else {
        throw error
      }
    }

    expect(log).toEqual(['422 validation_failed req_8f2c order-confirmation:ord_9421'])
  })
})

describe('bad responses', () => {
  it('throws APIResponseValidationError for a 2xx body that is not JSON', async () => {
    const client = makeClient(mockFetch(() => new Response('<html>maintenance</html>', { status: 200, headers: { 'content-type': 'text/html' } })).fetch)

    const error = await failure(client.templates.list())

    expect(error).toBeInstanceOf(APIResponseValidationError)
    expect(error).not.toBeInstanceOf(APIError)
    expect((error as APIResponseValidationError).status).toBe(200)
  })

  it('throws APIResponseValidationError for a truncated JSON body, without retrying the send', async () => {
    const server = mockFetch(() => new Response('{"id": "e1", "sta', { status: 202, headers: { 'content-type': 'application/json' } }))
    const client = makeClient(server.fetch)

    const error = (await failure(client.emails.send(email))) as APIResponseValidationError

    expect(error).toBeInstanceOf(APIResponseValidationError)
    expect(error.idempotencyKey).toBe(server.requests[0]?.headers['idempotency-key'])
    expect(server.requests).toHaveLength(1)
  })

  it('pollutes no prototype with a __proto__ or constructor key in a body', async () => {
    const body = '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, "id": "x"}'
    const client = makeClient(mockFetch(() => new Response(body, { status: 200, headers: { 'content-type': 'application/json' } })).fetch)

    const data = (await client.templates.retrieve(UUID)) as unknown as Record<string, unknown>

    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined()
    expect(data.id).toBe('x')
  })

  it('pollutes nothing with __proto__ in error details', async () => {
    const body = '{"error": "invalid_request", "message": "no", "details": {"__proto__": {"polluted": true}, "required": ["x"]}}'
    const client = makeClient(mockFetch(() => new Response(body, { status: 400, headers: { 'content-type': 'application/json' } })).fetch)

    const error = (await failure(client.templates.list())) as BadRequestError

    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.getPrototypeOf(error.details)).toBe(Object.prototype)
    expect(error.details?.required).toEqual(['x'])
  })
})

describe('the API key never shows in an error', () => {
  /** Every way an error gets looked at. */
  function renderings(error: unknown): string[] {
    const e = error as Error
    return [e.message, String(e.stack), String(e), JSON.stringify(e), inspect(e, { depth: 10, showHidden: true })]
  }

  async function collectErrors(): Promise<unknown[]> {
    const errors: unknown[] = []
    const echo = `invalid key ${TEST_KEY}`
    // A misbehaving proxy that echoes the key in its message, details and headers.
    let client = makeClient(
      mockFetch(() => errorResponse(401, 'unauthorized', { message: echo, details: { key: TEST_KEY, [TEST_KEY]: 1 }, headers: { 'x-echo': TEST_KEY } })).fetch,
    )
    errors.push(await failure(client.templates.list()))
    // A fetch whose error quotes the request it failed to send.
    client = makeClient(
      async (input, init) => {
        throw new TypeError(`fetch failed for ${JSON.stringify(Object.fromEntries(new Request(input, init).headers))}`)
      },
      { maxRetries: 0 },
    )
    errors.push(await failure(client.emails.send(email)))
    client = makeClient(mockFetch(() => new Response(`not json ${TEST_KEY}`, { status: 200 })).fetch)
    errors.push(await failure(client.templates.list()))
    client = makeClient(mockFetch().fetch)
    errors.push(await failure(client.emails.send({ to: {} } as never)))
    errors.push(await failure(client.templates.list(undefined, { headers: { 'x-bad': 'a\nb' } })))
    errors.push(await failure(client.templates.list(undefined, { signal: AbortSignal.abort() })))
    client = makeClient(hangingFetch().fetch, { timeout: 1, maxRetries: 0 })
    errors.push(await failure(client.templates.list()))
    errors.push(catchSync(() => new SegmentFlow({ apiKey: `${TEST_KEY}\n` })))
    return errors
  }

  it('in message, stack, toString, JSON or inspect', async () => {
    const errors = await collectErrors()

    expect(errors.map((e) => (e as Error).constructor.name)).toEqual([
      'AuthenticationError',
      'APIConnectionError',
      'APIResponseValidationError',
      'ValidationError',
      'ValidationError',
      'APIUserAbortError',
      'APIConnectionTimeoutError',
      'SegmentFlowError',
    ])
    for (const error of errors) {
      for (const text of renderings(error)) expect(text).not.toContain(TEST_KEY)
    }
  })

  it('keeps the server message readable around the scrubbed key', async () => {
    const client = makeClient(mockFetch(() => errorResponse(401, 'unauthorized', { message: `invalid key ${TEST_KEY}` })).fetch)

    const error = (await failure(client.templates.list())) as AuthenticationError

    expect(error.message).toBe(
      '401 unauthorized: invalid key [redacted] Check the API key this client read from the `apiKey` option: create one in the ' +
        'SegmentFlow dashboard under Settings → API Keys (with the narrowest scopes that work), for the same environment as the baseURL.',
    )
  })

  it('keeps the cause of a connection error when it holds no secret', async () => {
    const reset = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) })
    const client = makeClient(
      async () => {
        throw reset
      },
      { maxRetries: 0 },
    )

    const error = (await failure(client.templates.list())) as APIConnectionError
    expect(error.cause).toBe(reset)
  })
})

describe('error classes', () => {
  it('name themselves in stack traces', () => {
    const error = new RateLimitError({ status: 429, errorCode: 'rate_limited', message: 'slow down', retryAfter: 3 })
    expect(error.stack?.startsWith('RateLimitError: 429 rate_limited: slow down')).toBe(true)
    expect(error.toJSON()).toMatchObject({ retryAfter: 3, status: 429 })
  })

  it('give connection errors default messages', () => {
    expect(new APIConnectionError().message).toBe('Connection error.')
    expect(new APIConnectionTimeoutError()).toBeInstanceOf(APIConnectionError)
    expect(new APIUserAbortError().message).toBe('Request was aborted.')
    expect(new ValidationError([{ path: '', message: 'bad' }]).message).toBe('Invalid request: bad')
  })

  it('summarise many validation issues', () => {
    const issues = Array.from({ length: 7 }, (_, i) => ({ path: `f${i}`, message: 'bad' }))
    expect(new ValidationError(issues).message).toContain('(and 2 more)')
  })
})

function catchSync(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    return error
  }
  throw new Error('expected a throw')
}


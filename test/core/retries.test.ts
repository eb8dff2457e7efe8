import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

import {
  APIConnectionError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from '../../src/index.ts'
import { backoff, honouredRetryAfter, jitter, neverReachedServer, parseRetryAfter } from '../../src/core/retries.ts'
import { createTransport } from '../../src/core/transport.ts'
import { errorResponse, json, makeClient, mockFetch, UUID } from '../helpers/mock-fetch.ts'

const email = { templateKey: 'receipt-default', to: { email: 'alex@example.com' } }
const sent = { id: UUID, status: 'Queued' }

describe('retries', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  /** Runs the call while moving the clock, so backoff sleeps pass instantly. */
  async function settle<T>(promise: Promise<T>): Promise<T> {
    const outcome = promise.then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    )
    await vi.runAllTimersAsync()
    const result = await outcome
    if (!result.ok) throw result.error
    return result.value
  }

  it('retries a 503 with the same Idempotency-Key', async () => {
    const server = mockFetch((_req, i) => (i === 0 ? errorResponse(503, 'service_unavailable') : json(202, sent)))
    const client = makeClient(server.fetch)

    const result = await settle(client.emails.send(email).withResponse())

    expect(result.data).toEqual(sent)
    expect(server.requests).toHaveLength(2)
    const [first, second] = server.requests
    expect(first?.headers['idempotency-key']).toBeTruthy()
    expect(second?.headers['idempotency-key']).toBe(first?.headers['idempotency-key'])
    expect(second?.rawBody).toBe(first?.rawBody)
    expect(result.idempotencyKey).toBe(first?.headers['idempotency-key'])
  })

  it.each([408, 429, 500, 502, 503, 504])('retries a %i', async (status) => {
    const server = mockFetch((_req, i) => (i === 0 ? errorResponse(status, 'whatever') : json(200, [])))
    const client = makeClient(server.fetch)

    await expect(settle(client.templates.list())).resolves.toEqual([])
    expect(server.requests).toHaveLength(2)
  })

  it('waits as long as Retry-After says, in seconds', async () => {
    const server = mockFetch((_req, i) => (i === 0 ? errorResponse(429, 'rate_limited', { headers: { 'retry-after': '3' } }) : json(200, [])))
    const client = makeClient(server.fetch)

    const call = client.templates.list()
    await vi.advanceTimersByTimeAsync(2_999)
    expect(server.requests).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(server.requests).toHaveLength(2)
    await expect(call).resolves.toEqual([])
  })

  it('waits until the HTTP date in Retry-After', async () => {
    vi.setSystemTime(new Date('2025-06-01T12:00:00Z'))
    const retryAt = new Date('2025-06-01T12:00:05Z').toUTCString()
    const server = mockFetch((_req, i) => (i === 0 ? errorResponse(503, 'service_unavailable', { headers: { 'retry-after': retryAt } }) : json(200, [])))
    const client = makeClient(server.fetch)

    const call = client.templates.list()
    await vi.advanceTimersByTimeAsync(4_990)
    expect(server.requests).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(10)
    expect(server.requests).toHaveLength(2)
    await call
  })

  // 1750000000 s is in the range ky reads as a Unix time (a past one would mean no wait at all).
  it.each(['3600', '1750000000'])('caps a long Retry-After at 60 seconds (%s)', async (value) => {
    const server = mockFetch((_req, i) => (i === 0 ? errorResponse(429, 'rate_limited', { headers: { 'retry-after': value } }) : json(200, [])))
    const client = makeClient(server.fetch)

    const call = client.templates.list()
    await vi.advanceTimersByTimeAsync(59_999)
    expect(server.requests).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(server.requests).toHaveLength(2)
    await call
  })

  it.each(['-5', 'soon', '1e3', ''])('backs off as usual after a Retry-After of %s it cannot honour', async (value) => {
    const server = mockFetch((_req, i) => (i === 0 ? errorResponse(429, 'rate_limited', { headers: { 'retry-after': value } }) : json(200, [])))
    const client = makeClient(server.fetch)
    vi.spyOn(Math, 'random').mockReturnValue(0) // no jitter: the first backoff is 500 ms

    const call = client.templates.list()
    await vi.advanceTimersByTimeAsync(499)
    expect(server.requests).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(server.requests).toHaveLength(2)
    await call
  })

  it('reports on RateLimitError the wait it honours: capped at 60 s, none for nonsense', async () => {
    const retryAfterOf = async (value: string) => {
      const server = mockFetch(() => errorResponse(429, 'rate_limited', { headers: { 'retry-after': value } }))
      const error = await settle(makeClient(server.fetch, { maxRetries: 0 }).templates.list()).catch((e: unknown) => e)
      return (error as RateLimitError).retryAfter
    }
    expect(await retryAfterOf('2.5')).toBe(3)
    expect(await retryAfterOf('251000000')).toBe(60)
    expect(await retryAfterOf('251000000000')).toBe(60)
    expect(await retryAfterOf('-1')).toBeUndefined()
    expect(await retryAfterOf('tomorrow')).toBeUndefined()
  })

  it('backs off exponentially from 0.5 s when the server gives no Retry-After', async () => {
    const server = mockFetch(() => errorResponse(500, 'internal_error'))
    const client = makeClient(server.fetch, { maxRetries: 3 })
    vi.spyOn(Math, 'random').mockReturnValue(0) // no jitter: 500, 1000, 2000 ms

    const call = client.templates.list().catch((error: unknown) => error)
    await vi.advanceTimersByTimeAsync(499)
    expect(server.requests).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(server.requests).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(999)
    expect(server.requests).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(1)
    expect(server.requests).toHaveLength(3)
    await vi.advanceTimersByTimeAsync(2_000)
    expect(server.requests).toHaveLength(4)
    expect(await call).toBeInstanceOf(InternalServerError)
  })

  it.each([
    [400, 'invalid_request', BadRequestError],
    [401, 'unauthorized', AuthenticationError],
    [403, 'insufficient_scope', PermissionDeniedError],
    [404, 'not_found', NotFoundError],
    [422, 'validation_failed', UnprocessableEntityError],
    [409, 'idempotency_key_reuse', ConflictError],
    [409, 'conflict', ConflictError],
  ] as const)('does not retry a %i %s and throws %o', async (status, code, ErrorClass) => {
    const server = mockFetch(() => errorResponse(status, code))
    const client = makeClient(server.fetch)

    const error = await settle(client.emails.send(email)).catch((e: unknown) => e)

    expect(error).toBeInstanceOf(ErrorClass)
    expect(error).toMatchObject({ status, errorCode: code })
    expect(server.requests).toHaveLength(1)
  })

  it('retries a 409 idempotency_request_in_progress: the first request is still running', async () => {
    const server = mockFetch((_req, i) => (i === 0 ? errorResponse(409, 'idempotency_request_in_progress') : json(202, sent)))
    const client = makeClient(server.fetch)

    await expect(settle(client.emails.send(email))).resolves.toEqual(sent)
    expect(server.requests).toHaveLength(2)
    expect(server.requests[1]?.headers['idempotency-key']).toBe(server.requests[0]?.headers['idempotency-key'])
  })

  it('retries a connection reset with the same key', async () => {
    let calls = 0
    const keys: Array<string | null> = []
    const fetch = async (input: string | URL | Request, init?: RequestInit) => {
      keys.push(new Request(input, init).headers.get('idempotency-key'))
      if (calls++ === 0) throw new TypeError('fetch failed', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) })
      return json(202, sent)
    }
    const client = makeClient(fetch)

    await expect(settle(client.emails.send(email))).resolves.toEqual(sent)
    expect(keys).toHaveLength(2)
    expect(keys[1]).toBe(keys[0])
  })

  it('gives up after maxRetries and throws the last error', async () => {
    const server = mockFetch(() => errorResponse(503, 'service_unavailable'))
    const client = makeClient(server.fetch, { maxRetries: 2 })

    const error = await settle(client.templates.list()).catch((e: unknown) => e)

    expect(error).toBeInstanceOf(InternalServerError)
    expect(server.requests).toHaveLength(3)
  })

  it('sends once with maxRetries: 0', async () => {
    const server = mockFetch(() => errorResponse(503, 'service_unavailable'))
    const client = makeClient(server.fetch, { maxRetries: 0 })

    await expect(settle(client.templates.list())).rejects.toBeInstanceOf(InternalServerError)
    expect(server.requests).toHaveLength(1)
  })

  it('lets one call override maxRetries', async () => {
    const server = mockFetch(() => errorResponse(503, 'service_unavailable'))
    const client = makeClient(server.fetch, { maxRetries: 0 })

    await expect(settle(client.templates.list(undefined, { maxRetries: 4 }))).rejects.toBeInstanceOf(InternalServerError)
    expect(server.requests).toHaveLength(5)
  })

  it('gives up on a connection error with APIConnectionError', async () => {
    const fetch = vi.fn(async () => {
      throw new TypeError('fetch failed')
    })
    const client = makeClient(fetch, { maxRetries: 1 })

    const error = await settle(client.templates.list()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(APIConnectionError)
    expect(fetch).toHaveBeenCalledTimes(2)
  })

  it('retries profiles.list, a POST that only reads, without an Idempotency-Key', async () => {
    const page = { profiles: [], profileCount: 0, nextCursor: null, previousCursor: null }
    const server = mockFetch((_req, i) => (i === 0 ? errorResponse(503, 'service_unavailable') : json(200, page)))
    const client = makeClient(server.fetch)

    await settle(client.profiles.list({ limit: 10 }))

    expect(server.requests).toHaveLength(2)
    for (const request of server.requests) {
      expect(request.method).toBe('POST')
      expect(request.headers).not.toHaveProperty('idempotency-key')
    }
  })

  it('does not retry a mutation that carries no Idempotency-Key', async () => {
    // Only reachable through the transport itself: the client always attaches a key to mutations.
    const server = mockFetch(() => errorResponse(503, 'service_unavailable'))
    const transport = createTransport({ baseURL: 'https://api.segmentflow.test', fetch: server.fetch })

    await expect(settle(transport({ method: 'POST', url: '/api/v1/templates', data: { name: 'x' } }))).rejects.toBeInstanceOf(InternalServerError)
    expect(server.requests).toHaveLength(1)
  })

  it('does not retry when the server refuses for good (429 on the last attempt keeps retryAfter)', async () => {
    const server = mockFetch(() => errorResponse(429, 'rate_limited', { headers: { 'retry-after': '7' } }))
    const client = makeClient(server.fetch, { maxRetries: 0 })

    const error = await settle(client.templates.list()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RateLimitError)
    expect((error as RateLimitError).retryAfter).toBe(7)
  })
})

describe('retry policy', () => {
  it('doubles from 0.5 s and caps at 8 s, with at most 25% jitter off', () => {
    const none = () => 0
    // The two steps ky is given: `retry.delay` and `retry.jitter` (src/core/http.ts, exchange.ts).
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => jitter(backoff(n), none))).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000])
    expect(jitter(backoff(1), () => 0.999)).toBeGreaterThanOrEqual(375)
    expect(jitter(backoff(1), () => 0.999)).toBeLessThan(500)
  })

  it('lets Retry-After win over backoff, capped at 60 s', () => {
    const now = Date.parse('2025-06-01T12:00:00Z')
    expect(honouredRetryAfter('3', now)).toBe(3_000)
    expect(honouredRetryAfter('0', now)).toBe(0)
    expect(honouredRetryAfter('3600', now)).toBe(60_000)
  })

  it('reads Retry-After as seconds or as an HTTP date, and ignores nonsense', () => {
    const now = Date.parse('2025-06-01T12:00:00Z')
    expect(parseRetryAfter('2', now)).toBe(2_000)
    expect(parseRetryAfter('1.5', now)).toBe(1_500)
    expect(parseRetryAfter('Sun, 01 Jun 2025 12:00:10 GMT', now)).toBe(10_000)
    expect(parseRetryAfter('Sun, 01 Jun 2025 11:00:00 GMT', now)).toBe(0)
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter('', now)).toBeUndefined()
    expect(parseRetryAfter(null, now)).toBeUndefined()
  })
})

describe('neverReachedServer', () => {
  const socketError = (code: string) => Object.assign(new Error(code), { code })
  const fetchFailed = (cause: unknown) => new TypeError('fetch failed', { cause })

  it('holds for a refused connection or a name that does not resolve, as fetch wraps them', () => {
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']) expect(neverReachedServer(fetchFailed(socketError(code))), code).toBe(true)
    // Bun puts its code on the error itself.
    expect(neverReachedServer(Object.assign(new TypeError('Unable to connect'), { code: 'ConnectionRefused' }))).toBe(true)
  })

  it('holds for every address of a name refused, not for one refused and one reset', () => {
    const refused = new AggregateError([socketError('ECONNREFUSED'), socketError('ECONNREFUSED')])
    const mixed = new AggregateError([socketError('ECONNREFUSED'), socketError('ECONNRESET')])
    expect(neverReachedServer(fetchFailed(refused))).toBe(true)
    expect(neverReachedServer(fetchFailed(mixed))).toBe(false)
  })

  it('does not hold for a reset, a timeout, or an error that says nothing', () => {
    expect(neverReachedServer(fetchFailed(socketError('ECONNRESET')))).toBe(false)
    expect(neverReachedServer(fetchFailed(socketError('UND_ERR_HEADERS_TIMEOUT')))).toBe(false)
    expect(neverReachedServer(new TypeError('fetch failed'))).toBe(false)
    expect(neverReachedServer('ECONNREFUSED')).toBe(false)
    expect(neverReachedServer(undefined)).toBe(false)
  })
})

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

import { APIConnectionTimeoutError, APIUserAbortError } from '../../src/index.ts'
import { errorResponse, hangingFetch, json, makeClient, mockFetch } from '../helpers/mock-fetch.ts'

const email = { templateKey: 'receipt-default', to: { email: 'alex@example.com' } }

describe('timeouts', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('ends an attempt after `timeout` ms with APIConnectionTimeoutError', async () => {
    const server = hangingFetch()
    const client = makeClient(server.fetch, { timeout: 1_000, maxRetries: 0 })

    const call = client.templates.list().catch((e: unknown) => e)
    await vi.advanceTimersByTimeAsync(999)
    expect(server.calls).toBe(1)
    await vi.advanceTimersByTimeAsync(1)

    expect(await call).toBeInstanceOf(APIConnectionTimeoutError)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('gives each retry its own timeout, with the same Idempotency-Key', async () => {
    const keys: Array<string | null> = []
    let calls = 0
    const client = makeClient(
      (input, init) => {
        keys.push(new Request(input, init).headers.get('idempotency-key'))
        // The first attempt hangs; the retry answers.
        if (calls++ === 0) return new Promise<Response>(() => {})
        return Promise.resolve(json(202, { id: 'e1' }))
      },
      { timeout: 5_000 },
    )

    const call = client.emails.send(email)
    await vi.advanceTimersByTimeAsync(5_000)
    await vi.runAllTimersAsync()

    await expect(call).resolves.toEqual({ id: 'e1' })
    expect(keys).toHaveLength(2)
    expect(keys[1]).toBe(keys[0])
  })

  it('times out even when the fetch ignores its signal', async () => {
    const server = hangingFetch({ ignoreSignal: true })
    const client = makeClient(server.fetch, { timeout: 100, maxRetries: 0 })

    const call = client.templates.list().catch((e: unknown) => e)
    await vi.advanceTimersByTimeAsync(100)

    expect(await call).toBeInstanceOf(APIConnectionTimeoutError)
  })

  it('takes a per-call timeout over the client one', async () => {
    const server = hangingFetch()
    const client = makeClient(server.fetch, { timeout: 60_000, maxRetries: 0 })

    const call = client.templates.list(undefined, { timeout: 250 }).catch((e: unknown) => e)
    await vi.advanceTimersByTimeAsync(250)

    expect(await call).toBeInstanceOf(APIConnectionTimeoutError)
  })

  it('counts reading a slow body against the timeout', async () => {
    const client = makeClient(
      async () => {
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('[{"id":'))
            // ...and the rest never comes.
          },
        })
        return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } })
      },
      { timeout: 1_000, maxRetries: 0 },
    )

    const call = client.templates.list().catch((e: unknown) => e)
    await vi.advanceTimersByTimeAsync(1_000)

    expect(await call).toBeInstanceOf(APIConnectionTimeoutError)
  })
})

describe('cancellation', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('stops a request in flight when the caller aborts', async () => {
    const server = hangingFetch()
    const client = makeClient(server.fetch)
    const controller = new AbortController()

    const call = client.emails.send(email, { signal: controller.signal }).catch((e: unknown) => e)
    await vi.advanceTimersByTimeAsync(10)
    controller.abort()
    const error = await call

    expect(error).toBeInstanceOf(APIUserAbortError)
    expect((error as APIUserAbortError).idempotencyKey).toBeTruthy()
    expect(server.calls).toBe(1)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('stops at once even when the fetch ignores the signal', async () => {
    const server = hangingFetch({ ignoreSignal: true })
    const client = makeClient(server.fetch)
    const controller = new AbortController()

    const call = client.templates.list(undefined, { signal: controller.signal }).catch((e: unknown) => e)
    await vi.advanceTimersByTimeAsync(0)
    controller.abort()

    expect(await call).toBeInstanceOf(APIUserAbortError)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('stops during the wait between retries, without waiting it out', async () => {
    const server = mockFetch(() => errorResponse(503, 'service_unavailable', { headers: { 'retry-after': '30' } }))
    const client = makeClient(server.fetch)
    const controller = new AbortController()

    const call = client.templates.list(undefined, { signal: controller.signal }).catch((e: unknown) => e)
    await vi.advanceTimersByTimeAsync(1_000)
    expect(server.requests).toHaveLength(1)
    expect(vi.getTimerCount()).toBe(1) // the backoff
    controller.abort()

    expect(await call).toBeInstanceOf(APIUserAbortError)
    expect(server.requests).toHaveLength(1)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('sends nothing when the signal has already fired', async () => {
    const server = mockFetch()
    const client = makeClient(server.fetch)

    const error = await client.emails.send(email, { signal: AbortSignal.abort() }).catch((e: unknown) => e)

    expect(error).toBeInstanceOf(APIUserAbortError)
    expect(server.requests).toHaveLength(0)
  })

  it('passes an abort on to the fetch', async () => {
    const server = hangingFetch()
    let seen: AbortSignal | undefined
    const client = makeClient((input, init) => {
      seen = input instanceof Request ? input.signal : (init?.signal ?? undefined)
      return server.fetch(input, init)
    })
    const controller = new AbortController()

    const call = client.templates.list(undefined, { signal: controller.signal }).catch(() => undefined)
    await vi.advanceTimersByTimeAsync(0)
    controller.abort()
    await call

    expect(seen?.aborted).toBe(true)
  })
})

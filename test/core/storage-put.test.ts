import { afterEach, describe, expect, it, vi } from 'vitest'

import { APIConnectionTimeoutError, APIUserAbortError, PermissionDeniedError, RateLimitError } from '../../src/index.ts'
import { putToStorage } from '../../src/core/storage-put.ts'

const URL_ = 'https://bucket.storage.test/org/uploads/logo.png?X-Amz-Signature=secret'
const bytes = new Uint8Array([1, 2, 3])

/** S3 answers errors in XML. */
const s3Error = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
  new Response(`<?xml version="1.0"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`, {
    status,
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': 'AMZ123', ...headers },
  })

afterEach(() => vi.useRealTimers())

describe('putToStorage', () => {
  it('sends only the bytes and their content type', async () => {
    const seen: Request[] = []
    await putToStorage(URL_, bytes, 'image/png', {
      maxRetries: 0,
      timeout: 1_000,
      fetch: async (input, init) => {
        seen.push(new Request(input, init))
        return new Response(null, { status: 200 })
      },
    })
    expect(seen).toHaveLength(1)
    expect(seen[0]?.method).toBe('PUT')
    expect([...(seen[0]?.headers.keys() ?? [])]).toEqual(['content-type'])
    expect(new Uint8Array(await (seen[0] as Request).arrayBuffer())).toEqual(bytes)
  })

  it("retries S3's SlowDown after its Retry-After, and reads its XML error", async () => {
    const answers = [s3Error(503, 'SlowDown', 'Please reduce your request rate.', { 'retry-after': '0' }), new Response(null, { status: 200 })]
    const info = vi.fn()
    const response = await putToStorage(URL_, bytes, 'image/png', {
      maxRetries: 2,
      timeout: 1_000,
      fetch: async () => answers.shift() as Response,
      logger: { error() {}, warn() {}, info, debug() {} },
    })
    expect(response.status).toBe(200)
    expect(info).toHaveBeenCalledOnce()
    // Logged without the signature.
    expect(String(info.mock.calls[0]?.[0])).toContain('SlowDown: Please reduce your request rate.')
    expect(String(info.mock.calls[0]?.[0])).not.toContain('secret')
  })

  it('does not retry a refusal, and names the storage host in the error', async () => {
    const fetch = vi.fn(async () => s3Error(403, 'AccessDenied', 'Request has expired'))
    const error = await putToStorage(URL_, bytes, 'image/png', { maxRetries: 2, timeout: 1_000, fetch }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PermissionDeniedError)
    expect((error as PermissionDeniedError).message).toBe('403 AccessDenied: The storage host answered 403: AccessDenied: Request has expired')
    expect((error as PermissionDeniedError).requestId).toBe('AMZ123')
    expect(fetch).toHaveBeenCalledOnce()
  })

  it('gives up after maxRetries, with the last error', async () => {
    const fetch = vi.fn(async () => new Response('slow down', { status: 429, headers: { 'retry-after': '0' } }))
    const error = await putToStorage(URL_, bytes, 'image/png', { maxRetries: 1, timeout: 1_000, fetch }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RateLimitError)
    expect((error as RateLimitError).message).toContain('slow down')
    expect(fetch).toHaveBeenCalledTimes(2)
  })

  it('times out an attempt that hangs, and retries it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const fetch = vi.fn((_input: unknown, init?: RequestInit) => new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(new Error('aborted')))))
    const put = putToStorage(URL_, bytes, 'image/png', { maxRetries: 1, timeout: 100, fetch }).catch((e: unknown) => e)
    await vi.runAllTimersAsync()
    expect(await put).toBeInstanceOf(APIConnectionTimeoutError)
    expect(fetch).toHaveBeenCalledTimes(2)
  })

  it('stops during a backoff when aborted', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const controller = new AbortController()
    const fetch = vi.fn(async () => new Response(null, { status: 500 }))
    const put = putToStorage(URL_, bytes, 'image/png', { maxRetries: 2, timeout: 1_000, fetch, signal: controller.signal }).catch((e: unknown) => e)
    await vi.advanceTimersByTimeAsync(10)
    controller.abort()
    expect(await put).toBeInstanceOf(APIUserAbortError)
    expect(fetch).toHaveBeenCalledOnce()
    expect(vi.getTimerCount()).toBe(0)
  })

  it('does not send when already aborted', async () => {
    const fetch = vi.fn()
    await expect(putToStorage(URL_, bytes, 'image/png', { maxRetries: 2, timeout: 1_000, fetch, signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      APIUserAbortError,
    )
    expect(fetch).not.toHaveBeenCalled()
  })
})

import { describe, expect, it, vi } from 'vitest'
import { createSandbox } from '../../src/testing/index.ts'
import { QUICKSTART_SEND, setup } from './helpers.ts'

const KEY = 'order-confirmation:ord_9421'

function sendRequest(sandbox: ReturnType<typeof setup>['sandbox'], signal?: AbortSignal) {
  return sandbox.fetch('/api/v1/emails', {
    method: 'POST',
    headers: { 'x-api-key': sandbox.apiKey, 'content-type': 'application/json', 'Idempotency-Key': KEY },
    body: JSON.stringify(QUICKSTART_SEND),
    signal,
  })
}

describe('fault: reset', () => {
  it('makes sandbox.fetch reject like a dropped connection, before anything ran', async () => {
    const { sandbox } = setup()
    sandbox.faults.add({ kind: 'reset', operation: 'sendEmail', times: 1 })
    const error = await sendRequest(sandbox).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TypeError)
    expect((error as TypeError).cause).toMatchObject({ code: 'ECONNRESET' })
    expect(sandbox.state.emailSends.size).toBe(0)
    expect(sandbox.state.injectedFaults.reset).toBe(1)
    expect(sandbox.state.requests.at(-1)).toMatchObject({ status: 0, fault: 'reset', requestId: null })
    expect((await sendRequest(sandbox)).status).toBe(202)
  })

  it('answers Response.error() from handle()', async () => {
    const { sandbox } = setup()
    sandbox.faults.add({ kind: 'reset' })
    const response = await sandbox.handle(new Request(`${sandbox.baseURL}/api/v1/templates`, { headers: { 'x-api-key': sandbox.apiKey } }))
    expect(response.type).toBe('error')
  })
})

describe('fault: status', () => {
  it('answers 503 with Retry-After and the envelope', async () => {
    const { sandbox } = setup()
    sandbox.faults.add({ kind: 'status', status: 503, retryAfter: 7, operation: 'sendEmail' })
    const res = await sendRequest(sandbox)
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('7')
    expect(res.headers.get('x-request-id')).toMatch(/^req_/)
    expect(await res.json()).toEqual({ error: 'service_unavailable', message: expect.any(String) })
    expect(sandbox.state.emailSends.size).toBe(0)
  })

  it('answers 429 rate_limited with the rate-limit headers, and 500, 502 or a chosen code', async () => {
    const { sandbox } = setup()
    sandbox.faults.add({ kind: 'status', status: 429, retryAfter: 2, times: 1 })
    sandbox.faults.add({ kind: 'status', status: 500, times: 1 })
    sandbox.faults.add({ kind: 'status', status: 502, times: 1 })
    sandbox.faults.add({ kind: 'status', status: 409, error: 'idempotency_request_in_progress', times: 1 })
    const limited = await sendRequest(sandbox)
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('2')
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0')
    expect((await limited.json()).error).toBe('rate_limited')
    expect((await (await sendRequest(sandbox)).json()).error).toBe('internal_error')
    const badGateway = await sendRequest(sandbox)
    expect(badGateway.status).toBe(502)
    const busy = await sendRequest(sandbox)
    expect([busy.status, (await busy.json()).error]).toEqual([409, 'idempotency_request_in_progress'])
    expect((await sendRequest(sandbox)).status).toBe(202)
    expect(sandbox.state.injectedFaults.status).toBe(4)
  })

  it('fires only on the named operations, by count, after skipping some', async () => {
    const { sandbox } = setup()
    const fault = sandbox.faults.add({ kind: 'status', status: 500, operation: ['listTemplates'], skip: 1, times: 2 })
    const list = () => sandbox.fetch('/api/v1/templates', { headers: { 'x-api-key': sandbox.apiKey } }).then((r) => r.status)
    const statuses = [await list(), await list(), await list(), await list()]
    expect(statuses).toEqual([200, 500, 500, 200])
    expect((await sendRequest(sandbox)).status).toBe(202)
    expect(fault).toMatchObject({ fired: 2, matched: 3, exhausted: true })
  })

  it('can be removed or cleared', async () => {
    const { sandbox } = setup()
    const fault = sandbox.faults.add({ kind: 'status', status: 500 })
    sandbox.faults.add({ kind: 'status', status: 503 })
    expect(sandbox.faults.list()).toHaveLength(2)
    fault.remove()
    expect(sandbox.faults.list().map((f) => f.spec.status)).toEqual([503])
    sandbox.faults.clear()
    expect((await sendRequest(sandbox)).status).toBe(202)
  })

  it('refuses nonsense specs', () => {
    const { sandbox } = setup()
    expect(() => sandbox.faults.add({ kind: 'status', rate: 2 })).toThrow(RangeError)
    expect(() => sandbox.faults.add({ kind: 'status', status: 200 })).toThrow(RangeError)
    expect(() => sandbox.faults.add({ kind: 'explode' as never })).toThrow(TypeError)
  })
})

describe('fault: after-commit', () => {
  it('commits the send, answers 500, and the retry with the same key replays it', async () => {
    const { sandbox } = setup()
    sandbox.faults.add({ kind: 'after-commit', operation: 'sendEmail', times: 1 })
    const lost = await sendRequest(sandbox)
    expect(lost.status).toBe(500)
    expect(sandbox.state.emailSends.size).toBe(1)
    const retry = await sendRequest(sandbox)
    expect(retry.status).toBe(202)
    expect(retry.headers.get('idempotent-replayed')).toBe('true')
    expect((await retry.json()).id).toBe([...sandbox.state.emailSends.keys()][0])
    expect(sandbox.state.emailSends.size).toBe(1)
    expect(sandbox.state.injectedFaults['after-commit']).toBe(1)
  })

  it('can drop the connection after the commit instead', async () => {
    const { sandbox } = setup()
    sandbox.faults.add({ kind: 'after-commit', reset: true, times: 1 })
    await expect(sendRequest(sandbox)).rejects.toBeInstanceOf(TypeError)
    expect(sandbox.state.emailSends.size).toBe(1)
    expect((await sendRequest(sandbox)).headers.get('idempotent-replayed')).toBe('true')
  })

  it('does not fire when the operation refused the request', async () => {
    const { sandbox } = setup()
    const fault = sandbox.faults.add({ kind: 'after-commit', operation: 'retrieveEmail' })
    const res = await sandbox.fetch('/api/v1/emails/00000000-0000-4000-8000-000000000000', { headers: { 'x-api-key': sandbox.apiKey } })
    expect(res.status).toBe(404)
    expect(fault.fired).toBe(0)
  })
})

describe('fault: delay', () => {
  it('delays the answer, and an abort rejects the caller while the write still lands', async () => {
    const { sandbox } = setup()
    let release = () => {}
    sandbox.faults.add({ kind: 'delay', until: new Promise<void>((r) => (release = r)), operation: 'sendEmail' })
    const controller = new AbortController()
    const pending = sendRequest(sandbox, controller.signal)
    await vi.waitFor(() => expect(sandbox.state.injectedFaults.delay).toBe(1))
    controller.abort()
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' })
    expect(sandbox.state.emailSends.size).toBe(0)
    release()
    await vi.waitFor(() => expect(sandbox.state.emailSends.size).toBe(1))
  })

  it('answers normally once the delay is over', async () => {
    const { sandbox } = setup()
    sandbox.faults.add({ kind: 'delay', delayMs: 20, times: 1 })
    expect((await sendRequest(sandbox)).status).toBe(202)
    expect(sandbox.state.requests.at(-1)?.fault).toBe('delay')
  })
})

describe('fault: rate', () => {
  async function pattern(seed: number): Promise<number[]> {
    const sandbox = createSandbox({ clock: 'manual' })
    sandbox.faults.add({ kind: 'status', status: 503, rate: 0.5, seed })
    const statuses: number[] = []
    for (let i = 0; i < 40; i++) {
      statuses.push((await sandbox.fetch('/api/v1/templates', { headers: { 'x-api-key': sandbox.apiKey } })).status)
    }
    expect(sandbox.state.injectedFaults.status).toBe(statuses.filter((s) => s === 503).length)
    return statuses
  }

  it('fails a share of requests, the same ones for the same seed', async () => {
    const first = await pattern(42)
    const failures = first.filter((s) => s === 503).length
    expect(failures).toBeGreaterThan(5)
    expect(failures).toBeLessThan(35)
    expect(await pattern(42)).toEqual(first)
    expect(await pattern(7)).not.toEqual(first)
  })
})

describe('faults on the storage host', () => {
  it('are off unless named, and drop the upload when named', async () => {
    const { sandbox } = setup()
    sandbox.faults.add({ kind: 'status', status: 503 })
    const session = await sandbox.handle(
      new Request(`${sandbox.baseURL}/api/v1/assets/upload-url`, {
        method: 'POST',
        headers: { 'x-api-key': sandbox.apiKey, 'content-type': 'application/json' },
        body: JSON.stringify({ filename: 'a.csv', contentType: 'text/csv', size: 3 }),
      }),
    )
    expect(session.status).toBe(503)
    sandbox.faults.clear()
    const started = await (
      await sandbox.fetch('/api/v1/assets/upload-url', {
        method: 'POST',
        headers: { 'x-api-key': sandbox.apiKey, 'content-type': 'application/json' },
        body: JSON.stringify({ filename: 'a.csv', contentType: 'text/csv', size: 3 }),
      })
    ).json()
    sandbox.faults.add({ kind: 'status', status: 503 })
    const put = () => sandbox.fetch(started.uploadUrl, { method: 'PUT', headers: { 'content-type': 'text/csv' }, body: 'a,b' })
    expect((await put()).status).toBe(200)
    sandbox.faults.add({ kind: 'reset', operation: 'storage', times: 1 })
    await expect(put()).rejects.toBeInstanceOf(TypeError)
    expect(sandbox.state.storageRequests.map((r) => r.status)).toEqual([200, 0])
  })
})

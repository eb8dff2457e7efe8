/**
 * Behind a forward proxy: Node's own fetch ignores HTTP(S)_PROXY, so the documented way is a
 * `fetch` that sends through undici's ProxyAgent (docs/proxies.md). Real sockets on 127.0.0.1:
 * the sandbox over HTTP, and a proxy that tunnels CONNECT and forwards absolute-form requests.
 */
import { createServer, type AddressInfo } from 'node:net'

import { fetch as undiciFetch, ProxyAgent } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'

import { APIConnectionError, SegmentFlow } from '../../src/index.ts'
import { createSandbox } from '../../src/testing/index.ts'
import { listen } from '../../src/testing/node.ts'
import { startForwardProxy } from '../../scripts/lib/forward-proxy.mjs'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function setUp() {
  const sandbox = createSandbox()
  const api = await listen(sandbox, { port: 0 })
  const proxy = await startForwardProxy()
  const agent = new ProxyAgent(proxy.url)
  cleanups.push(api.close, proxy.close, () => agent.close())
  const client = new SegmentFlow({
    apiKey: sandbox.apiKey,
    baseURL: api.url,
    fetch: (input, init) => undiciFetch(input as string, { ...(init as object), dispatcher: agent }) as unknown as Promise<Response>,
  })
  return { sandbox, api, proxy, client }
}

describe('through a forward proxy (undici ProxyAgent as the client fetch)', () => {
  it('sends every request through the proxy, with the key and the Idempotency-Key intact', async () => {
    const { sandbox, api, proxy, client } = await setUp()

    const templates = await client.templates.list()
    const email = await client.emails.send(
      { templateKey: 'receipt-default', to: { email: 'alex@example.com' }, data: { orderId: 'ord_proxy' } },
      { idempotencyKey: 'order-confirmation:ord_proxy' },
    )
    const again = await client.emails.send(
      { templateKey: 'receipt-default', to: { email: 'alex@example.com' }, data: { orderId: 'ord_proxy' } },
      { idempotencyKey: 'order-confirmation:ord_proxy' },
    )

    expect(templates.length).toBeGreaterThan(0)
    expect(again.id).toBe(email.id)
    expect(sandbox.state.emailSends.size).toBe(1)
    const apiHost = new URL(api.url).host
    expect(proxy.carried.length).toBeGreaterThan(0)
    expect(proxy.carried.every((entry) => entry.target === apiHost)).toBe(true)
    const sends = sandbox.state.requests.filter((request) => request.method === 'POST' && request.path === '/api/v1/emails')
    expect(sends).toHaveLength(2)
  })

  it('names the proxy failure when the proxy refuses the tunnel', async () => {
    const { proxy } = await setUp()
    const agent = new ProxyAgent(proxy.url)
    cleanups.push(() => agent.close())
    // A port nothing listens on: the proxy cannot reach it and answers 502.
    const probe = createServer()
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
    const { port } = probe.address() as AddressInfo
    await new Promise<void>((resolve) => probe.close(() => resolve()))
    const client = new SegmentFlow({
      apiKey: 'sk_test_proxy_refused_0000',
      baseURL: `http://127.0.0.1:${port}`,
      maxRetries: 0,
      fetch: (input, init) => undiciFetch(input as string, { ...(init as object), dispatcher: agent }) as unknown as Promise<Response>,
    })

    const error = await client.templates.list().then(
      () => undefined,
      (thrown: unknown) => thrown,
    )

    expect(error).toBeInstanceOf(APIConnectionError)
    expect((error as APIConnectionError).message).toMatch(new RegExp(`GET /api/v1/templates to 127\\.0\\.0\\.1:${port} failed: \\w+ \\(.*502`))
    expect(proxy.carried.at(-1)?.target).toBe(`127.0.0.1:${port}`)
  })
})

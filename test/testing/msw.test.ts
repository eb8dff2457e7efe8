import { http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSandbox, sandboxHandlers } from '../../src/testing/index.ts'
import { QUICKSTART_SEND } from './helpers.ts'

const sandbox = createSandbox({ clock: 'manual' })
// After the sandbox's handlers, a catch-all shows which requests they left alone, with no network.
const server = setupServer(...sandboxHandlers(http, sandbox), http.all('*', () => new Response('not the sandbox', { status: 418 })))

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterAll(() => server.close())

describe('sandboxHandlers (msw)', () => {
  it('answers the global fetch for the sandbox origin', async () => {
    const res = await fetch(`${sandbox.baseURL}/api/v1/emails`, {
      method: 'POST',
      headers: { 'x-api-key': sandbox.apiKey, 'content-type': 'application/json', 'Idempotency-Key': 'msw-1' },
      body: JSON.stringify(QUICKSTART_SEND),
    })
    expect(res.status).toBe(202)
    expect(res.headers.get('x-request-id')).toMatch(/^req_/)
    expect(sandbox.state.emailSends.size).toBe(1)
  })

  it('turns a reset fault into a network error', async () => {
    sandbox.faults.add({ kind: 'reset', times: 1 })
    await expect(fetch(`${sandbox.baseURL}/api/v1/templates`, { headers: { 'x-api-key': sandbox.apiKey } })).rejects.toBeInstanceOf(TypeError)
  })

  it('leaves other origins alone', async () => {
    const res = await fetch('https://elsewhere.example/api/v1/templates', { headers: { 'x-api-key': sandbox.apiKey } })
    expect(res.status).toBe(418)
  })
})

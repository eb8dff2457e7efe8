import { http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSandbox, sandboxHandlers } from '../../src/testing/index.ts'
import { QUICKSTART_SEND } from './helpers.ts'

const sandbox = createSandbox({ clock: 'manual' })
const server = setupServer(...sandboxHandlers(http, sandbox))
const unhandled: string[] = []

beforeAll(() => server.listen({ onUnhandledRequest: (request) => void unhandled.push(request.url) }))
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
    // `.invalid` never resolves: once msw lets it through, the request fails in DNS.
    await fetch('https://elsewhere.invalid/api/v1/templates').catch(() => undefined)
    expect(unhandled).toEqual(['https://elsewhere.invalid/api/v1/templates'])
  })
})

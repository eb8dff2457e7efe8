import { inspect } from 'node:util'

import { afterEach, describe, expect, it } from 'vitest'

import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, SegmentFlow, ValidationError } from '../../src/index.ts'
import transport, { createTransport } from '../../src/core/transport.ts'
import { TEST_KEY, UUID } from '../helpers/mock-fetch.ts'
import { sendJSON, startServer } from '../helpers/http-server.ts'

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

async function server(handler: Parameters<typeof startServer>[0]) {
  const started = await startServer(handler)
  closers.push(started.close)
  return started
}

const client = (baseURL: string, options: ConstructorParameters<typeof SegmentFlow>[0] = {}) =>
  new SegmentFlow({ apiKey: TEST_KEY, baseURL, logLevel: 'off', ...options })

const email = { templateKey: 'receipt-default', to: { email: 'alex@example.com' }, data: { orderId: 'ord_9421' } }

describe('the transport, over real HTTP', () => {
  it('sends the key, identification, JSON body and Idempotency-Key, and reads the request id', async () => {
    const api = await server((_req, res) => sendJSON(res, 202, { id: UUID, status: 'Queued' }, { 'x-request-id': 'req_1' }))

    const { data, requestId, idempotencyKey, response } = await client(api.url).emails.send(email).withResponse()

    const [wire] = api.requests
    expect(wire?.method).toBe('POST')
    expect(wire?.url).toBe('/api/v1/emails')
    expect(wire?.headers['x-api-key']).toBe(TEST_KEY)
    expect(wire?.headers['x-segmentflow-sdk']).toMatch(/^typescript\/\d+\.\d+\.\d+/)
    expect(wire?.headers['user-agent']).toMatch(/^segmentflow-typescript\//)
    expect(wire?.headers['content-type']).toBe('application/json')
    expect(wire?.headers.accept).toBe('application/json')
    expect(wire?.headers['idempotency-key']).toBe(idempotencyKey)
    expect(JSON.parse(wire?.body ?? '')).toEqual(email)
    expect(data).toEqual({ id: UUID, status: 'Queued' })
    expect(requestId).toBe('req_1')
    expect(response.status).toBe(202)
  })

  it('sends a GET without body or content-type, and repeats array query keys', async () => {
    const api = await server((_req, res) => sendJSON(res, 200, []))

    await client(api.url).templates.list({ status: ['Active', 'Archived'], purpose: 'Transactional' })

    const [wire] = api.requests
    expect(wire?.method).toBe('GET')
    expect(wire?.url).toBe('/api/v1/templates?status=Active&status=Archived&purpose=Transactional')
    expect(wire?.headers).not.toHaveProperty('content-type')
    expect(wire?.body).toBe('')
  })

  it('resolves a 204 to undefined', async () => {
    const api = await server((_req, res) => {
      res.writeHead(204, { 'x-request-id': 'req_del' })
      res.end()
    })

    const { data, requestId } = await client(api.url).templates.delete(UUID).withResponse()

    expect(data).toBeUndefined()
    expect(requestId).toBe('req_del')
    expect(api.requests[0]?.method).toBe('DELETE')
    const response = await client(api.url).templates.delete(UUID).asResponse()
    expect(response.status).toBe(204)
    expect(response.body).toBeNull()
  })

  it('hands out the response as received, body unread, after following a redirect', async () => {
    const api = await server((req, res) => {
      if (req.url === '/api/v1/emails') {
        res.writeHead(307, { location: '/api/v1/emails-moved' })
        res.end()
        return
      }
      sendJSON(res, 202, { id: UUID }, { 'x-request-id': 'req_moved' })
    })

    const { data, response } = await client(api.url).emails.send(email).withResponse()

    expect(response).toBeInstanceOf(Response)
    expect(response.bodyUsed).toBe(false)
    expect([response.status, response.url, response.redirected]).toEqual([202, `${api.url}/api/v1/emails-moved`, false])
    expect(response.headers.get('x-request-id')).toBe('req_moved')
    expect(await response.json()).toEqual(data)
  })

  it('refuses a body JSON cannot carry, without sending or retrying', async () => {
    const api = await server((_req, res) => sendJSON(res, 202, { id: UUID }))

    const error = await client(api.url, { validate: false })
      .emails.send({ ...email, data: { total: 10n } } as never, { idempotencyKey: 'k-json' })
      .catch((e: unknown) => e)

    expect(error).toBeInstanceOf(ValidationError)
    expect(error).toMatchObject({ idempotencyKey: 'k-json', issues: [{ path: 'body', message: expect.stringContaining('cannot be sent as JSON') }] })
    expect(api.requests).toHaveLength(0)
  })

  it('keeps an id such as ../x inside its path segment', async () => {
    const api = await server((_req, res) => sendJSON(res, 200, { id: 'x' }))

    await client(api.url).profiles.retrieve('../x')
    await client(api.url).profiles.retrieve('a b/c?d#e')

    expect(api.requests.map((r) => r.url)).toEqual(['/api/v1/profiles/..%2Fx', '/api/v1/profiles/a%20b%2Fc%3Fd%23e'])
  })

  it('follows a same-origin redirect with the method, body and key', async () => {
    const api = await server((req, res) => {
      if (req.url === '/api/v1/emails') {
        res.writeHead(307, { location: '/api/v1/emails-moved' })
        res.end()
        return
      }
      sendJSON(res, 202, { id: UUID })
    })

    await client(api.url).emails.send(email)

    expect(api.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /api/v1/emails', 'POST /api/v1/emails-moved'])
    expect(api.requests[1]?.headers['x-api-key']).toBe(TEST_KEY)
    expect(api.requests[1]?.body).toBe(api.requests[0]?.body)
    expect(api.requests[1]?.headers['idempotency-key']).toBe(api.requests[0]?.headers['idempotency-key'])
  })

  it('turns a POST into a GET without body on 303', async () => {
    const api = await server((req, res) => {
      if (req.method === 'POST') {
        res.writeHead(303, { location: `/api/v1/emails/${UUID}` })
        res.end()
        return
      }
      sendJSON(res, 200, { id: UUID })
    })

    await client(api.url).emails.send(email)

    expect(api.requests.map((r) => `${r.method} ${r.url} ${r.body}`)).toEqual([`POST /api/v1/emails ${JSON.stringify(email)}`, `GET /api/v1/emails/${UUID} `])
    expect(api.requests[1]?.headers).not.toHaveProperty('content-type')
  })

  it('refuses a redirect to another origin, which never sees the key', async () => {
    const elsewhere = await server((_req, res) => sendJSON(res, 200, []))
    const api = await server((_req, res) => {
      res.writeHead(302, { location: `${elsewhere.url}/steal` })
      res.end()
    })

    const error = await client(api.url).templates.list().catch((e: unknown) => e)

    expect(error).toBeInstanceOf(APIError)
    expect((error as APIError).status).toBe(302)
    expect((error as APIError).message).toContain('another origin')
    expect(elsewhere.requests).toHaveLength(0)
    expect(api.requests).toHaveLength(1)
  })

  it('stops following a redirect loop', async () => {
    const api = await server((_req, res) => {
      res.writeHead(302, { location: '/again' })
      res.end()
    })

    const error = await client(api.url).templates.list().catch((e: unknown) => e)

    expect(error).toBeInstanceOf(APIError)
    expect((error as APIError).message).toContain('redirects')
    expect(api.requests).toHaveLength(6)
  })

  it('retries a reset connection', async () => {
    const api = await server((req, res, index) => {
      if (index === 0) {
        res.socket?.destroy()
        return
      }
      sendJSON(res, 202, { id: UUID })
    })

    await expect(client(api.url).emails.send(email)).resolves.toEqual({ id: UUID })
    expect(api.requests).toHaveLength(2)
    expect(api.requests[1]?.headers['idempotency-key']).toBe(api.requests[0]?.headers['idempotency-key'])
  })

  it('throws APIConnectionError when nothing listens, without the key in sight', async () => {
    const closed = await startServer(() => undefined)
    await closed.close()

    const error = await client(closed.url, { maxRetries: 0 }).templates.list().catch((e: unknown) => e)

    expect(error).toBeInstanceOf(APIConnectionError)
    expect(inspect(error, { depth: 10, showHidden: true })).not.toContain(TEST_KEY)
  })

  it('times out a server that never answers', async () => {
    const api = await server(() => undefined)

    const error = await client(api.url, { timeout: 200, maxRetries: 0 }).templates.list().catch((e: unknown) => e)

    expect(error).toBeInstanceOf(APIConnectionTimeoutError)
    expect(api.requests).toHaveLength(1)
  })

  it('aborts a request the server is sitting on', async () => {
    const api = await server(() => undefined)
    const controller = new AbortController()

    const call = client(api.url).templates.list(undefined, { signal: controller.signal }).catch((e: unknown) => e)
    while (api.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5))
    controller.abort()

    expect(await call).toBeInstanceOf(APIUserAbortError)
  })

  it('refuses CR or LF in any header before sending', async () => {
    const api = await server((_req, res) => sendJSON(res, 200, []))
    const c = client(api.url)

    for (const value of ['a\r\nX-Injected: 1', 'a\nb', 'trailing\r\n']) {
      const error = await c.templates.list(undefined, { headers: { 'x-trace': value } }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ValidationError)
      expect((error as ValidationError).issues[0]?.path).toBe('headers.x-trace')
    }
    await expect(client(api.url, { defaultHeaders: { 'x-team': 'a\nb' } }).templates.list()).rejects.toBeInstanceOf(ValidationError)
    await expect(c.templates.list(undefined, { headers: { 'bad name': 'x' } })).rejects.toBeInstanceOf(ValidationError)
    expect(api.requests).toHaveLength(0)
  })

  it('merges default and per-call headers, and drops one set to null', async () => {
    const api = await server((_req, res) => sendJSON(res, 200, []))

    await client(api.url, { defaultHeaders: { 'x-team': 'growth', 'x-env': 'prod' } }).templates.list(undefined, {
      headers: { 'x-env': 'staging', 'x-team': null, 'x-unset': undefined },
    })

    const headers = api.requests[0]?.headers
    expect(headers?.['x-env']).toBe('staging')
    expect(headers).not.toHaveProperty('x-team')
    expect(headers).not.toHaveProperty('x-unset')
  })
})

describe('the default transport', () => {
  it('needs a baseURL', async () => {
    await expect(transport({ method: 'GET', url: '/api/v1/templates' })).rejects.toThrow(/baseURL/)
  })

  it('sends what the config says, with no key of its own', async () => {
    const api = await server((_req, res) => sendJSON(res, 200, [1]))

    const result = await transport<number[]>({ method: 'GET', url: '/api/v1/templates', baseURL: `${api.url}/`, params: { status: 'Active', none: null } })

    expect(result.data).toEqual([1])
    expect(api.requests[0]?.url).toBe('/api/v1/templates?status=Active')
    expect(api.requests[0]?.headers).not.toHaveProperty('x-api-key')
  })

  it('sends a FormData body as multipart', async () => {
    const api = await server((_req, res) => sendJSON(res, 200, {}))
    const form = new FormData()
    form.append('name', 'logo')

    await createTransport({ baseURL: api.url })({ method: 'POST', url: '/upload', data: form })

    expect(api.requests[0]?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/)
    expect(api.requests[0]?.body).toContain('logo')
  })
})

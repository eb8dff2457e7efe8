/**
 * What an error tells a person reading a log: what happened, where, and what to do. Connection
 * failures are real sockets on 127.0.0.1; the rest come from the sandbox over HTTP.
 */
import { createServer as createTCPServer, type AddressInfo } from 'node:net'
import { inspect } from 'node:util'

import { afterEach, describe, expect, it, vi } from 'vitest'

import {
  APIConnectionError,
  AuthenticationError,
  ConflictError,
  InternalServerError,
  SegmentFlow,
  ValidationError,
} from '../../src/index.ts'
import { describeConnectionFailure, findCauseCode, sdkMethodOf } from '../../src/core/errors.ts'
import { createSandbox } from '../../src/testing/index.ts'
import { listen } from '../../src/testing/node.ts'
import { ROWS } from '../helpers/operations.ts'
import { startServer, sendJSON } from '../helpers/http-server.ts'

async function failure(promise: PromiseLike<unknown>): Promise<unknown> {
  return Promise.resolve(promise).then(
    () => {
      throw new Error('expected the call to fail')
    },
    (error: unknown) => error,
  )
}

/** A port that was just free: nothing listens on it. */
async function closedPort(): Promise<number> {
  const probe = createTCPServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as AddressInfo
  await new Promise<void>((resolve) => probe.close(() => resolve()))
  return port
}

const KEY = 'sk_test_error_messages_0123456789'

afterEach(() => {
  vi.unstubAllEnvs()
})

describe('connection errors', () => {
  it('name the method, path, host:port and ECONNREFUSED, in the message and in JSON', async () => {
    const port = await closedPort()
    const client = new SegmentFlow({ apiKey: KEY, baseURL: `http://127.0.0.1:${port}`, maxRetries: 0 })

    const error = (await failure(client.emails.send({ templateKey: 'receipt-default', to: { email: 'alex@example.com' } }, { idempotencyKey: 'refused:1' }))) as APIConnectionError

    expect(error).toBeInstanceOf(APIConnectionError)
    expect(error.message).toBe(
      `Connection error: POST /api/v1/emails to 127.0.0.1:${port} failed: ECONNREFUSED (nothing accepted the connection: check baseURL (or SEGMENTFLOW_BASE_URL) and that the server is running)`,
    )
    const logged = JSON.parse(JSON.stringify(error)) as Record<string, unknown>
    expect(logged).toMatchObject({ name: 'APIConnectionError', method: 'POST', host: `127.0.0.1:${port}`, code: 'ECONNREFUSED', idempotencyKey: 'refused:1' })
    expect(JSON.stringify(error)).toContain('ECONNREFUSED')
    expect(JSON.stringify(error)).not.toContain(KEY)
  })

  it('name a TLS failure: https to a port that speaks plain HTTP', async () => {
    const server = await startServer((_request, res) => sendJSON(res, 200, {}))
    try {
      const client = new SegmentFlow({ apiKey: KEY, baseURL: server.url.replace('http:', 'https:'), maxRetries: 0 })
      const error = (await failure(client.templates.list())) as APIConnectionError
      expect(error).toBeInstanceOf(APIConnectionError)
      expect(error.code).toMatch(/^(ERR_SSL_|ERR_TLS_|EPROTO|ECONNRESET)/)
      expect(error.message).toContain(`GET /api/v1/templates to ${new URL(server.url).host} failed: ${error.code}`)
    } finally {
      await server.close()
    }
  })

  it('find the code anywhere in the cause chain, an AggregateError of addresses included', () => {
    const timedOut = new TypeError('fetch failed', {
      cause: Object.assign(new AggregateError([Object.assign(new Error('connect ETIMEDOUT 10.0.0.1:443'), { code: 'ETIMEDOUT' })], ''), {}),
    })
    expect(findCauseCode(timedOut)).toBe('ETIMEDOUT')
    expect(findCauseCode({ cause: { cause: { code: 'ENOTFOUND' } } })).toBe('ENOTFOUND')
    expect(findCauseCode(new Error('no code'))).toBeUndefined()
  })

  it.each([
    ['ENOTFOUND', 'the host name did not resolve'],
    ['ETIMEDOUT', 'needs a proxy'],
    ['UND_ERR_CONNECT_TIMEOUT', 'needs a proxy'],
    ['ECONNRESET', 'closed before an answer arrived'],
    ['CERT_HAS_EXPIRED', 'NODE_EXTRA_CA_CERTS'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'NODE_EXTRA_CA_CERTS'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'NODE_EXTRA_CA_CERTS'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'NODE_EXTRA_CA_CERTS'],
  ])('say what to check for %s', (code, hint) => {
    const cause = new TypeError('fetch failed', { cause: Object.assign(new Error(`x ${code}`), { code }) })
    const described = describeConnectionFailure({ method: 'get', url: 'https://api.segmentflow.ai/api/v1/templates?status=Active', cause })
    expect(described.message).toContain(`GET /api/v1/templates to api.segmentflow.ai:443 failed: ${code} (`)
    expect(described.message).toContain(hint)
    expect(described.message).not.toContain('status=Active')
  })

  it('fall back to the innermost message when no code is given, never the URL credentials', () => {
    const described = describeConnectionFailure({ method: 'GET', url: 'https://user:secret@api.example.test/x', cause: new Error('socket hang up') })
    expect(described.message).toBe('Connection error: GET /x to api.example.test:443 failed: socket hang up')
  })

  it('show each retry at info, with the reason', async () => {
    const port = await closedPort()
    const lines: string[] = []
    const logger = { error() {}, warn() {}, debug() {}, info: (line: string) => lines.push(line) }
    const client = new SegmentFlow({ apiKey: KEY, baseURL: `http://127.0.0.1:${port}`, maxRetries: 1, logger, logLevel: 'info' })

    await failure(client.templates.list())

    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^\[segmentflow\] GET \/api\/v1\/templates -> APIConnectionError, retrying in \d+ ms \(attempt 2\/2\)$/)
  })
})

describe('API errors that say what to do', () => {
  async function overHTTP() {
    const sandbox = createSandbox()
    const server = await listen(sandbox, { port: 0 })
    return { sandbox, server }
  }

  it('a 401 says where keys come from and which variable the SDK read', async () => {
    const { server } = await overHTTP()
    try {
      vi.stubEnv('SEGMENTFLOW_API_KEY', 'sk_test_not_a_real_key_123456')
      const fromEnv = new SegmentFlow({ baseURL: server.url, maxRetries: 0 })
      const error = (await failure(fromEnv.templates.list())) as AuthenticationError
      expect(error).toBeInstanceOf(AuthenticationError)
      expect(error.message).toContain('Check the API key this client read from the SEGMENTFLOW_API_KEY environment variable')
      expect(error.message).toContain('Settings → API Keys')
      expect(error.message).not.toContain('sk_test_not_a_real_key_123456')
      // withOptions keeps the source of the key it carries over.
      const derived = (await failure(fromEnv.withOptions({ timeout: 5_000 }).templates.list())) as AuthenticationError
      expect(derived.message).toContain('SEGMENTFLOW_API_KEY environment variable')

      const fromOption = new SegmentFlow({ apiKey: 'sk_test_not_a_real_key_654321', baseURL: server.url, maxRetries: 0 })
      const optionError = (await failure(fromOption.templates.list())) as AuthenticationError
      expect(optionError.message).toContain('read from the `apiKey` option')
    } finally {
      await server.close()
    }
  })

  it('a reused Idempotency-Key explains itself, with the code once', async () => {
    const { sandbox, server } = await overHTTP()
    try {
      const client = new SegmentFlow({ apiKey: sandbox.apiKey, baseURL: server.url })
      const key = 'order-confirmation:ord_reuse'
      await client.emails.send({ templateKey: 'receipt-default', to: { email: 'alex@example.com' }, data: { orderId: 'ord_reuse' } }, { idempotencyKey: key })
      const error = (await failure(
        client.emails.send({ templateKey: 'receipt-default', to: { email: 'sam@example.com' } }, { idempotencyKey: key }),
      )) as ConflictError

      expect(error).toBeInstanceOf(ConflictError)
      expect(error.errorCode).toBe('idempotency_key_reuse')
      expect(error.message).toContain(
        `The key "${key}" was used for a different request: derive keys from the business id and the operation`,
      )
      expect(error.message.match(/idempotency_key_reuse/g)).toHaveLength(1)
      expect(error.message.match(/409/g)).toHaveLength(1)
    } finally {
      await server.close()
    }
  })
})

describe('validation errors', () => {
  it('name the SDK method the caller wrote', async () => {
    const client = new SegmentFlow({ apiKey: KEY, baseURL: 'http://127.0.0.1:9', maxRetries: 0 })
    const error = (await failure(client.emails.send({ templateKey: 'receipt-default', to: { email: 'not-an-address' } }))) as ValidationError
    expect(error.message).toBe('Invalid emails.send request: to.email: Invalid email address')
  })

  it('map every operation to the method that sends it', () => {
    for (const row of Object.values(ROWS).flat()) {
      const method = sdkMethodOf(row.operation)
      expect(method, row.operation).toMatch(/^\w+\.\w+$/)
      // The row's call is the SDK call that sends this operation.
      expect(row.call.toString(), row.operation).toContain(`.${method}(`)
    }
  })
})

describe('console.log(error)', () => {
  it('shows only the fields that are set, headers summarised, in under 40 lines', async () => {
    const server = await startServer((_request, res) =>
      sendJSON(
        res,
        503,
        { error: 'service_unavailable', message: 'Try again later' },
        Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`x-extra-${i}`, 'v'.repeat(80)])),
      ),
    )
    try {
      const client = new SegmentFlow({ apiKey: KEY, baseURL: server.url, maxRetries: 0 })
      const error = (await failure(client.templates.list())) as InternalServerError
      const text = inspect(error)

      expect(text.split('\n').length).toBeLessThan(40)
      expect(text).toContain('InternalServerError: 503 service_unavailable: Try again later')
      expect(text).toContain("requestId: 'req_wire_503'")
      expect(text).toMatch(/headers: '\[3\d headers: /)
      expect(text).not.toContain('idempotencyKey')
      expect(text).not.toContain('undefined')
      expect(text).not.toContain('v'.repeat(80))
      expect(text).not.toContain(KEY)
    } finally {
      await server.close()
    }
  })

  it('summarises a connection error and its cause in one line each', async () => {
    const port = await closedPort()
    const client = new SegmentFlow({ apiKey: KEY, baseURL: `http://127.0.0.1:${port}`, maxRetries: 0 })
    const error = (await failure(client.templates.list())) as APIConnectionError
    const text = inspect(error)

    expect(text.split('\n').length).toBeLessThan(40)
    expect(text).toContain("code: 'ECONNREFUSED'")
    expect(text).toMatch(/cause: 'TypeError: fetch failed <- Error: connect ECONNREFUSED 127\.0\.0\.1:\d+ \[ECONNREFUSED\]'/)
    expect(text).not.toContain('idempotencyKey')
  })
})

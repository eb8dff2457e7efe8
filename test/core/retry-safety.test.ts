/**
 * Retry safety by documentation. The spec marks every operation `x-segmentflow-idempotent`
 * (generated/policy.ts): true where the reference documents that the API honours the key (send,
 * batch send, track) or where repeating the request leaves the same state (reads, PUT, DELETE,
 * archive, unarchive, clear, set default). Those are retried after any retryable failure. The
 * others (creates, duplicate, finalize, extract, PATCH, bulk delete) are retried only when the
 * request provably never reached the server: connection refused, DNS failure, 429.
 *
 * Every test goes through a SegmentFlow client to a server it can count: the sandbox (in process
 * and over real loopback HTTP) or a bare 127.0.0.1 server, so that they hold whatever carries the
 * request.
 */
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { operationPolicy } from '../../generated/policy.ts'
import { APIConnectionError, APIConnectionTimeoutError, APIError, SegmentFlow } from '../../src/index.ts'
import { createSandbox, SEED, type Sandbox } from '../../src/testing/index.ts'
import { sendJSON, startServer } from '../helpers/http-server.ts'
import { ROWS, type OperationRow } from '../helpers/operations.ts'
import { connect, TRANSPORTS, urlOf, type Connected, type Transport } from '../helpers/sandbox-client.ts'

const RECEIPT = { templateKey: 'receipt-default', to: { email: 'alex@example.com' }, data: { orderId: 'ord_1' } }

let open: Connected | undefined
let server: Awaited<ReturnType<typeof startServer>> | undefined
afterEach(async () => {
  await open?.close()
  await server?.close()
  open = undefined
  server = undefined
})

/** A loopback port nothing listens on: connecting to it is refused by the kernel. */
async function closedPort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as { port: number }
  await new Promise<void>((resolve) => probe.close(() => resolve()))
  return port
}

/** Sends the first request to `origin` instead (a refused port, a name that does not resolve), the rest where they were going. */
function firstRequestTo(origin: string) {
  let calls = 0
  return (fetch: typeof globalThis.fetch) =>
    (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      if (calls++ > 0) return fetch(input, init)
      const url = new URL(urlOf(input))
      return globalThis.fetch(`${origin}${url.pathname}${url.search}`, init)
    }
}

async function setup(transport: Transport, options: Parameters<typeof connect>[2] = {}) {
  const sandbox = createSandbox()
  // The sandbox's handler keeps running after the client gives up, as a real server does: tests
  // that let an attempt time out wait for it here before counting what was written.
  const running = new Set<Promise<Response>>()
  const handle: Sandbox['handle'] = (request) => {
    const done = sandbox.handle(request)
    running.add(done)
    void done.finally(() => running.delete(done))
    return done
  }
  open = await connect(sandbox, transport, { maxRetries: 2, handle, ...options })
  const settled = async () => {
    while (running.size > 0) await Promise.allSettled([...running])
  }
  return { sandbox, client: open.client, settled }
}

function requestsFor(sandbox: Sandbox, operation: string) {
  return sandbox.state.requests.filter((request) => request.operation === operation)
}

function templatesNamed(sandbox: Sandbox, name: string) {
  return [...sandbox.state.templates.values()].filter((template) => template.name === name)
}

describe.each(TRANSPORTS)('a mutation that is not idempotent by documentation (%s)', (transport) => {
  it('createTemplate is not retried after a 503', async () => {
    const { sandbox, client } = await setup(transport)
    sandbox.faults.add({ operation: 'createTemplate', kind: 'status', status: 503, retryAfter: 0, times: 1 })

    const error = await client.templates.create({ name: 'Not retried' }).catch((e: unknown) => e)

    expect(error).toBeInstanceOf(APIError)
    expect(error).toMatchObject({ status: 503, idempotencyKey: expect.any(String) })
    expect(requestsFor(sandbox, 'createTemplate')).toHaveLength(1)
    expect(templatesNamed(sandbox, 'Not retried')).toHaveLength(0)
  })

  it('createTemplate is not retried after a timeout, so the slow first attempt is the only template', async () => {
    const { sandbox, client, settled } = await setup(transport, { timeout: 100 })
    let release!: () => void
    sandbox.faults.add({ operation: 'createTemplate', kind: 'delay', until: new Promise<void>((resolve) => (release = resolve)), times: 1 })

    const error = await client.templates.create({ name: 'Slow' }).catch((e: unknown) => e)
    release()
    await settled()

    expect(error).toBeInstanceOf(APIConnectionTimeoutError)
    expect(requestsFor(sandbox, 'createTemplate')).toHaveLength(1)
    expect(templatesNamed(sandbox, 'Slow')).toHaveLength(1)
  })

  it('createTemplate is not retried after its answer was lost, and the template exists once', async () => {
    const { sandbox, client } = await setup(transport)
    sandbox.faults.add({ operation: 'createTemplate', kind: 'after-commit', status: 500, times: 1 })

    const error = await client.templates.create({ name: 'Answer lost' }).catch((e: unknown) => e)

    expect(error).toMatchObject({ status: 500, idempotencyKey: expect.any(String) })
    expect(requestsFor(sandbox, 'createTemplate')).toHaveLength(1)
    expect(templatesNamed(sandbox, 'Answer lost')).toHaveLength(1)
  })

  it('duplicateTemplate is not retried after its connection dropped, and the copy exists once', async () => {
    const { sandbox, client } = await setup(transport)
    sandbox.faults.add({ operation: 'duplicateTemplate', kind: 'after-commit', reset: true, times: 1 })
    const before = sandbox.state.templates.size

    const error = await client.templates.duplicate(SEED.templates.receipt.id).catch((e: unknown) => e)

    expect(error).toBeInstanceOf(APIConnectionError)
    expect(error).not.toBeInstanceOf(APIConnectionTimeoutError)
    expect(requestsFor(sandbox, 'duplicateTemplate')).toHaveLength(1)
    expect(sandbox.state.templates.size).toBe(before + 1)
  })

  it('createTemplate is retried after a 429: the server refused it before running it', async () => {
    const { sandbox, client } = await setup(transport)
    sandbox.faults.add({ operation: 'createTemplate', kind: 'status', status: 429, retryAfter: 0, times: 1 })

    const created = await client.templates.create({ name: 'After 429' })

    const requests = requestsFor(sandbox, 'createTemplate')
    expect(requests.map((request) => request.status)).toEqual([429, 201])
    expect(requests[1]?.headers['idempotency-key']).toBe(requests[0]?.headers['idempotency-key'])
    expect(templatesNamed(sandbox, 'After 429')).toEqual([expect.objectContaining({ id: created.id })])
  })

  it('createTemplate is retried after the connection was refused', async () => {
    const port = await closedPort()
    const { sandbox, client } = await setup(transport, { wrapFetch: firstRequestTo(`http://127.0.0.1:${port}`) })

    const created = await client.templates.create({ name: 'After refusal' })

    expect(requestsFor(sandbox, 'createTemplate')).toHaveLength(1)
    expect(templatesNamed(sandbox, 'After refusal')).toEqual([expect.objectContaining({ id: created.id })])
  })

  it('createTemplate is retried after the host name did not resolve', async () => {
    // `.invalid` never resolves (RFC 2606).
    const { sandbox, client } = await setup(transport, { wrapFetch: firstRequestTo('http://segmentflow-sdk-test.invalid') })

    const created = await client.templates.create({ name: 'After DNS failure' })

    expect(requestsFor(sandbox, 'createTemplate')).toHaveLength(1)
    expect(templatesNamed(sandbox, 'After DNS failure')).toEqual([expect.objectContaining({ id: created.id })])
  })

  it('gives up on a connection that stays refused after maxRetries, as for any retry', async () => {
    const port = await closedPort()
    let attempts = 0
    const client = new SegmentFlow({
      apiKey: 'sk_test_x',
      baseURL: `http://127.0.0.1:${port}`,
      maxRetries: 1,
      logLevel: 'off',
      fetch: (input, init) => {
        attempts++
        return globalThis.fetch(input, init)
      },
    })

    await expect(client.templates.create({ name: 'Nobody listens' })).rejects.toBeInstanceOf(APIConnectionError)
    expect(attempts).toBe(2)
  })
})

describe.each(TRANSPORTS)('a mutation that is idempotent (%s)', (transport) => {
  it('sendEmail is retried after a 503 with the same key, and sends once', async () => {
    const { sandbox, client } = await setup(transport)
    sandbox.faults.add({ operation: 'sendEmail', kind: 'status', status: 503, retryAfter: 0, times: 1 })

    const sent = await client.emails.send(RECEIPT)

    const requests = requestsFor(sandbox, 'sendEmail')
    expect(requests.map((request) => request.status)).toEqual([503, 202])
    expect(requests[1]?.headers['idempotency-key']).toBe(requests[0]?.headers['idempotency-key'])
    expect([...sandbox.state.emailSends.keys()]).toEqual([sent.id])
  })

  it('sendEmail is retried after its answer was lost, and the retry replays the one send', async () => {
    const { sandbox, client } = await setup(transport)
    sandbox.faults.add({ operation: 'sendEmail', kind: 'after-commit', reset: true, times: 1 })

    const sent = await client.emails.send(RECEIPT)

    expect(requestsFor(sandbox, 'sendEmail').map((request) => request.replayed)).toEqual([false, true])
    expect([...sandbox.state.emailSends.keys()]).toEqual([sent.id])
  })

  it('updateTemplate (a PUT) is retried after its answer was lost', async () => {
    const { sandbox, client } = await setup(transport)
    sandbox.faults.add({ operation: 'updateTemplate', kind: 'after-commit', reset: true, times: 1 })

    const updated = await client.templates.update(SEED.templates.receipt.id, { name: 'Renamed' })

    expect(updated).toMatchObject({ id: SEED.templates.receipt.id, name: 'Renamed' })
    expect(requestsFor(sandbox, 'updateTemplate').map((request) => request.replayed)).toEqual([false, true])
  })
})

// Every operation of the API, through its SDK method, to a bare loopback server that fails the
// first answer and then answers as the API would: the retry policy of each, from its outside.
const rows: Array<[string, OperationRow]> = Object.values(ROWS)
  .flat()
  .map((row) => [row.operation, row])

async function attemptsAfter(row: OperationRow, first: { status: number; error: string }): Promise<number> {
  server = await startServer((_request, response, index) => {
    if (index === 0) sendJSON(response, first.status, { error: first.error, message: 'Try again.' }, { 'retry-after': '0' })
    else if (row.status === 204) response.writeHead(204, { 'x-request-id': 'req_wire_204' }).end()
    else sendJSON(response, row.status, row.response)
  })
  const client = new SegmentFlow({ apiKey: 'sk_test_wire', baseURL: server.url, maxRetries: 2, logLevel: 'off' })
  await Promise.resolve(row.call(client)).catch(() => undefined)
  return server.requests.length
}

describe('every operation after a 503', () => {
  it.each(rows)('%s: retried when the spec marks it idempotent, else sent once', async (operation, row) => {
    const idempotent = operationPolicy[row.operation].idempotent
    expect(await attemptsAfter(row, { status: 503, error: 'service_unavailable' }), operation).toBe(idempotent ? 2 : 1)
  })
})

describe('every operation after a 429', () => {
  it.each(rows)('%s: retried, idempotent or not', async (operation, row) => {
    expect(await attemptsAfter(row, { status: 429, error: 'rate_limited' }), operation).toBe(2)
  })
})

describe('the policy', () => {
  it('is the spec, mark for mark, for every operation', () => {
    const spec = parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8'))
    const marks: Record<string, boolean> = {}
    for (const item of Object.values<Record<string, { operationId?: string; 'x-segmentflow-idempotent'?: boolean }>>(spec.paths)) {
      for (const operation of Object.values(item)) {
        if (operation?.operationId) marks[operation.operationId] = operation['x-segmentflow-idempotent'] as boolean
      }
    }
    expect(Object.keys(marks)).toHaveLength(33)
    expect(Object.fromEntries(Object.entries(operationPolicy).map(([id, { idempotent }]) => [id, idempotent]))).toEqual(marks)
  })
})

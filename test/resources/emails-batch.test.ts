import { afterEach, describe, expect, expectTypeOf, it } from 'vitest'

import {
  APIUserAbortError,
  AuthenticationError,
  BatchSendError,
  InternalServerError,
  ValidationError,
  type APIPromise,
  type EmailBatchSendItem,
  type EmailBatchSendResponse,
  type SegmentFlow,
} from '../../src/index.ts'
import { MAX_BATCH_ITEMS } from '../../src/resources/email-batch.ts'
import { operations } from '../../generated/zod/operations.ts'
import { createSandbox, type Sandbox } from '../../src/testing/index.ts'
import { connect, TRANSPORTS, type Connected, type Transport } from '../helpers/sandbox-client.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const defaults = { templateKey: 'receipt-default' }

let open: Connected | undefined
afterEach(async () => {
  await open?.close()
  open = undefined
})

async function setup(transport: Transport = 'in process', options: Parameters<typeof connect>[2] = {}) {
  const sandbox = createSandbox({ clock: 'manual' })
  open = await connect(sandbox, transport, options)
  return { sandbox, client: open.client }
}

/**
 * Item n: a recipient of its own and `data.n`, so that each send in the sandbox names the item it
 * came from. Every third item brings its own key; every 97th (from 13) names a template that does
 * not exist, so the server rejects it alone.
 */
function itemsOf(count: number): EmailBatchSendItem[] {
  return Array.from({ length: count }, (_, n) => ({
    to: { email: `reader-${n}@example.com` },
    data: { n },
    ...(n % 3 === 0 ? { idempotencyKey: `order-${n}` } : {}),
    ...(n % 97 === 13 ? { templateKey: 'no-such-template' } : {}),
  }))
}

/** How many of the first `count` items the server accepts. */
function acceptable(count: number): number {
  return Array.from({ length: count }, (_, n) => n).filter((n) => n % 97 !== 13).length
}

function batchRequests(sandbox: Sandbox) {
  return sandbox.state.requests.filter((r) => r.operation === 'batchSendEmails')
}

/** Every result item maps back to the caller's item: its index, its key, and the send it made. */
function expectMapped(sandbox: Sandbox, items: EmailBatchSendItem[], result: EmailBatchSendResponse) {
  expect(result.items).toHaveLength(items.length)
  result.items.forEach((item, i) => {
    expect(item.index).toBe(i)
    const given = items[i]?.idempotencyKey
    if (given !== undefined) expect(item.idempotencyKey).toBe(given)
    else expect(item.idempotencyKey).toMatch(UUID)
    if (i % 97 === 13) {
      expect(item.status).toBe('rejected')
      if (item.status === 'rejected') expect(item.error.error).toBe('validation_failed')
    } else {
      expect(item.status).toBe('accepted')
      if (item.status === 'accepted') expect(sandbox.state.emailSends.get(item.send.id)?.data).toEqual({ n: i })
    }
  })
  expect(result).toMatchObject({ total: items.length, accepted: acceptable(items.length), rejected: items.length - acceptable(items.length) })
  expect(new Set(result.items.map((item) => item.idempotencyKey)).size).toBe(items.length)
}

describe.each(TRANSPORTS)('emails.batchSend (%s)', (transport) => {
  it.each([1, 100, 101, 1_000, 2_500])('sends %i items and maps every result to its item', async (count) => {
    const { sandbox, client } = await setup(transport)
    const items = itemsOf(count)

    const result = await client.emails.batchSend({ items, defaults })

    expectMapped(sandbox, items, result)
    expect(sandbox.state.emailSends.size).toBe(result.accepted)
    expect(batchRequests(sandbox)).toHaveLength(Math.ceil(count / MAX_BATCH_ITEMS))
    expect(batchRequests(sandbox).every((r) => (r.body as { items: unknown[] }).items.length <= MAX_BATCH_ITEMS)).toBe(true)
    // The keys were filled on a copy: the caller's items are as given.
    expect(items.filter((item) => item.idempotencyKey !== undefined)).toHaveLength(Math.ceil(count / 3))
  })

  it('keeps at most `concurrency` chunks in flight at the server', async () => {
    const sandbox = createSandbox({ clock: 'manual' })
    const seen = { inFlight: 0, max: 0 }
    open = await connect(sandbox, transport, { handle: counting(sandbox, seen) })
    let release!: () => void
    sandbox.faults.add({ operation: 'batchSendEmails', kind: 'delay', until: new Promise<void>((resolve) => (release = resolve)) })

    const sending = open.client.emails.batchSend({ items: itemsOf(1_000), defaults }, { concurrency: 3 })
    await until(() => seen.inFlight === 3)
    // Every worker is busy: nothing more may arrive, however long we look.
    for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setTimeout(resolve, 1))
    expect(seen.inFlight).toBe(3)
    release()
    const result = await sending

    expect(result.total).toBe(1_000)
    expect(seen.max).toBe(3)
  })

  it('keeps the other chunks when one fails for good, and a second call replays without duplicates', async () => {
    const { sandbox, client } = await setup(transport, { maxRetries: 2 })
    // Chunk 3 (items 200-299) is committed, then its answer is lost, and both retries fail too.
    sandbox.faults.add({ operation: 'batchSendEmails', kind: 'after-commit', status: 500, skip: 2, times: 1 })
    sandbox.faults.add({ operation: 'batchSendEmails', kind: 'status', status: 503, retryAfter: 0, skip: 3, times: 2 })
    const items = itemsOf(1_000)

    const error = (await client.emails.batchSend({ items, defaults }, { concurrency: 1 }).catch((e: unknown) => e)) as BatchSendError

    expect(error).toBeInstanceOf(BatchSendError)
    expect(error.failures).toHaveLength(1)
    expect(error.failures[0]).toMatchObject({ start: 200, end: 300 })
    expect(error.failures[0]?.error).toBeInstanceOf(InternalServerError)
    expect(error.cause).toBe(error.failures[0]?.error)
    expect(error.unresolved.map((u) => u.index)).toEqual(Array.from({ length: 100 }, (_, i) => 200 + i))
    error.unresolved.forEach((u) => expect(u.idempotencyKey).toBe(error.items[u.index]?.idempotencyKey))
    expect(error.result.total).toBe(900)
    expect(error.result.items.map((item) => item.index)).toEqual(Array.from({ length: 1_000 }, (_, i) => i).filter((i) => i < 200 || i >= 300))
    expect(error.message).toContain('100 do not')
    // The lost chunk was in fact committed: only its keys can tell.
    expect(sandbox.state.emailSends.size).toBe(acceptable(1_000))

    const again = await client.emails.batchSend({ items: error.items, defaults })

    expectMapped(sandbox, items, again)
    expect(sandbox.state.emailSends.size).toBe(acceptable(1_000))
  })
})

describe('emails.batchSend', () => {
  it('refuses an empty batch before sending anything', async () => {
    const { sandbox, client } = await setup()

    const error = await client.emails.batchSend({ items: [], defaults }).catch((e: unknown) => e)

    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).issues).toEqual([{ path: 'items', message: expect.stringContaining('at least one') }])
    expect(sandbox.state.requests).toEqual([])
  })

  it('refuses items that are not an array, and a concurrency below 1', async () => {
    const { sandbox, client } = await setup()

    await expect(client.emails.batchSend({ items: 'x' } as never)).rejects.toBeInstanceOf(ValidationError)
    await expect(client.emails.batchSend({ items: itemsOf(200), defaults }, { concurrency: 0 })).rejects.toBeInstanceOf(ValidationError)
    expect(sandbox.state.requests).toEqual([])
  })

  it('checks every chunk before the first goes out, naming the caller’s index', async () => {
    const { sandbox, client } = await setup()
    const items = itemsOf(300)
    items[250] = { ...items[250], data: 'not an object' as never }

    const error = (await client.emails.batchSend({ items, defaults }).catch((e: unknown) => e)) as ValidationError

    expect(error).toBeInstanceOf(ValidationError)
    expect(error.issues.map((i) => i.path)).toEqual(['items.250.data'])
    expect(sandbox.state.requests).toEqual([])
  })

  it('sends 100 items or fewer as one plain call, with its response', async () => {
    const { sandbox, client } = await setup()
    const items = itemsOf(100)

    const { data, requestId, response } = await client.emails.batchSend({ items, defaults }).withResponse()

    const [request] = batchRequests(sandbox)
    expect(batchRequests(sandbox)).toHaveLength(1)
    expect(requestId).toBe(request?.requestId)
    expect(response.status).toBe(200)
    expect((request?.body as { items: Array<{ idempotencyKey: string }> }).items.map((i) => i.idempotencyKey)).toEqual(data.items.map((i) => i.idempotencyKey))
  })

  it('gives a merged 200 response for more than 100 items', async () => {
    const { client } = await setup()

    const { data, requestId, response } = await client.emails.batchSend({ items: itemsOf(150), defaults }).withResponse()

    expect(data.total).toBe(150)
    expect(response.status).toBe(200)
    expect(requestId).toBeUndefined()
    expect(await response.json()).toEqual(data)
  })

  it('keeps at most 4 chunks in flight by default', async () => {
    const sandbox = createSandbox({ clock: 'manual' })
    const seen = { inFlight: 0, max: 0 }
    open = await connect(sandbox, 'in process', { handle: counting(sandbox, seen) })
    let release!: () => void
    sandbox.faults.add({ operation: 'batchSendEmails', kind: 'delay', until: new Promise<void>((resolve) => (release = resolve)) })

    const sending = open.client.emails.batchSend({ items: itemsOf(1_000), defaults })
    await until(() => seen.inFlight === 4)
    for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setTimeout(resolve, 1))
    release()
    await sending

    expect(seen.max).toBe(4)
  })

  it('starts no new chunk after an error that would fail them all', async () => {
    const { sandbox, client } = await setup()
    sandbox.faults.add({ operation: 'batchSendEmails', kind: 'status', status: 401, skip: 1, times: 1 })

    const error = (await client.emails.batchSend({ items: itemsOf(500), defaults }, { concurrency: 1 }).catch((e: unknown) => e)) as BatchSendError

    expect(error.failures.map((f) => f.error)).toEqual([expect.any(AuthenticationError)])
    expect(batchRequests(sandbox)).toHaveLength(2)
    expect(error.result.total).toBe(100)
    expect(error.unresolved).toHaveLength(400)
    expect(error.toJSON()).toMatchObject({ name: 'BatchSendError', total: 100, unresolved: 400, failures: [{ start: 100, end: 200 }] })
  })

  it('stops launching chunks when aborted, keeping what went through', async () => {
    const { sandbox, client } = await setup()
    let release!: () => void
    sandbox.faults.add({ operation: 'batchSendEmails', kind: 'delay', skip: 1, times: 1, until: new Promise<void>((resolve) => (release = resolve)) })
    const controller = new AbortController()

    const sending = client.emails.batchSend({ items: itemsOf(500), defaults }, { concurrency: 1, signal: controller.signal }).catch((e: unknown) => e)
    await until(() => batchRequests(sandbox).length === 2)
    controller.abort()
    const error = (await sending) as BatchSendError
    release()

    expect(error).toBeInstanceOf(BatchSendError)
    expect(error.failures[0]?.error).toBeInstanceOf(APIUserAbortError)
    expect(error.result.total).toBe(100)
    expect(batchRequests(sandbox)).toHaveLength(2)
  })

  it('derives one Idempotency-Key per chunk from a key given for the whole call', async () => {
    const { sandbox, client } = await setup()

    await client.emails.batchSend({ items: itemsOf(250), defaults }, { idempotencyKey: 'newsletter-2026-01' })

    expect(batchRequests(sandbox).map((r) => r.headers['idempotency-key'])).toEqual([
      'newsletter-2026-01:chunk-0',
      'newsletter-2026-01:chunk-1',
      'newsletter-2026-01:chunk-2',
    ])
  })

  it('splits at the spec’s limit', () => {
    const body = (count: number) => ({ items: itemsOf(count).map((item, n) => ({ ...item, idempotencyKey: `k-${n}` })) })
    expect(operations.batchSendEmails.request.safeParse(body(MAX_BATCH_ITEMS)).success).toBe(true)
    expect(operations.batchSendEmails.request.safeParse(body(MAX_BATCH_ITEMS + 1)).success).toBe(false)
  })

  it('is typed: keys optional, an APIPromise of the merged result, the error items ready to send again', () => {
    expectTypeOf<SegmentFlow['emails']['batchSend']>().returns.toEqualTypeOf<APIPromise<EmailBatchSendResponse>>()
    expectTypeOf<EmailBatchSendItem['idempotencyKey']>().toEqualTypeOf<string | undefined>()
    expectTypeOf<BatchSendError['items'][number]['idempotencyKey']>().toEqualTypeOf<string>()
    expectTypeOf<BatchSendError['items']>().toExtend<EmailBatchSendItem[]>()
  })
})

/** The sandbox's handler, counting batch requests in flight at the server. */
function counting(sandbox: Sandbox, seen: { inFlight: number; max: number }): Sandbox['handle'] {
  return async (request) => {
    const batch = new URL(request.url).pathname === '/api/v1/emails/batch'
    if (batch) seen.max = Math.max(seen.max, ++seen.inFlight)
    try {
      return await sandbox.handle(request)
    } finally {
      if (batch) seen.inFlight--
    }
  }
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 1))
}

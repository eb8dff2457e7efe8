import { describe, expect, it } from 'vitest'

import { APIConnectionError, ConflictError, NotFoundError, ValidationError } from '../../src/index.ts'
import { errorResponse, json, makeClient, mockFetch, UUID, UUID_PATTERN } from '../helpers/mock-fetch.ts'

const email = { templateKey: 'receipt-default', to: { email: 'alex@example.com' } }
const sent = { id: UUID, status: 'Queued' }

describe('idempotency keys', () => {
  it('gives every mutating call a fresh random UUID', async () => {
    const server = mockFetch(() => json(202, sent))
    const client = makeClient(server.fetch)

    await client.emails.send(email)
    await client.emails.send(email)
    await client.events.track({ event: 'order.created', profile: { email: 'alex@example.com' } })

    const keys = server.requests.map((r) => r.headers['idempotency-key'])
    for (const key of keys) expect(key).toMatch(UUID_PATTERN)
    expect(new Set(keys).size).toBe(3)
  })

  it('uses the idempotencyKey option as given', async () => {
    const server = mockFetch(() => json(202, sent))
    const client = makeClient(server.fetch)

    const { idempotencyKey } = await client.emails.send(email, { idempotencyKey: 'order-confirmation:ord_9421' }).withResponse()

    expect(server.requests[0]?.headers['idempotency-key']).toBe('order-confirmation:ord_9421')
    expect(idempotencyKey).toBe('order-confirmation:ord_9421')
  })

  it.each(['Idempotency-Key', 'idempotency-key', 'IDEMPOTENCY-KEY'])('takes an %s header as the key, sending it once', async (name) => {
    const server = mockFetch(() => json(202, sent))
    const client = makeClient(server.fetch)

    const result = await client.emails.send(email, { headers: { [name]: 'order.created:ord_9421' } }).withResponse()

    expect(server.requests[0]?.headers['idempotency-key']).toBe('order.created:ord_9421')
    expect(result.idempotencyKey).toBe('order.created:ord_9421')
  })

  it('prefers the idempotencyKey option over a header', async () => {
    const server = mockFetch(() => json(202, sent))
    const client = makeClient(server.fetch)

    await client.emails.send(email, { idempotencyKey: 'from-option', headers: { 'Idempotency-Key': 'from-header' } })

    expect(server.requests[0]?.headers['idempotency-key']).toBe('from-option')
  })

  it.each([
    ['empty', ''],
    ['too long', 'k'.repeat(256)],
    ['a line feed', 'abc\ndef'],
    ['a carriage return', 'abc\r\nX-Injected: yes'],
    ['non-ASCII', 'clé'],
    ['a tab', 'a\tb'],
    ['padded with spaces, which HTTP would strip', ' order-1 '],
  ])('refuses a key that is %s, before sending anything', async (_label, key) => {
    const server = mockFetch(() => json(202, sent))
    const client = makeClient(server.fetch)

    const error = await client.emails.send(email, { idempotencyKey: key }).catch((e: unknown) => e)

    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).issues).toEqual([expect.objectContaining({ path: 'idempotencyKey' })])
    expect(server.requests).toHaveLength(0)
  })

  it('checks the key even with validation turned off', async () => {
    const server = mockFetch(() => json(202, sent))
    const client = makeClient(server.fetch, { validate: false })

    await expect(client.emails.send(email, { headers: { 'idempotency-key': 'a\r\nb' } })).rejects.toBeInstanceOf(ValidationError)
    expect(server.requests).toHaveLength(0)
  })

  it('accepts a key of exactly 255 printable characters', async () => {
    const server = mockFetch(() => json(202, sent))
    const client = makeClient(server.fetch)
    const key = 'x' + ' ~'.repeat(127)

    await client.emails.send(email, { idempotencyKey: key })

    expect(server.requests[0]?.headers['idempotency-key']).toBe(key)
  })

  it('puts the key on API errors, so the caller can retry later with it', async () => {
    const server = mockFetch(() => errorResponse(409, 'idempotency_key_reuse'))
    const client = makeClient(server.fetch)

    const error = await client.emails.send(email, { idempotencyKey: 'k-1' }).catch((e: unknown) => e)

    expect(error).toBeInstanceOf(ConflictError)
    expect(error).toMatchObject({ idempotencyKey: 'k-1', errorCode: 'idempotency_key_reuse' })
  })

  it('puts the generated key on connection errors', async () => {
    const keys: Array<string | null> = []
    const client = makeClient(
      async (input, init) => {
        keys.push(new Request(input, init).headers.get('idempotency-key'))
        throw new TypeError('fetch failed')
      },
      { maxRetries: 0 },
    )

    const error = await client.emails.send(email).catch((e: unknown) => e)

    expect(error).toBeInstanceOf(APIConnectionError)
    expect((error as APIConnectionError).idempotencyKey).toBe(keys[0])
    expect(keys[0]).toMatch(UUID_PATTERN)
  })

  it('puts the key on a ValidationError for an invalid body', async () => {
    const client = makeClient(mockFetch().fetch)

    const error = await client.emails.send({ to: { email: 'alex@example.com' } } as never, { idempotencyKey: 'k-2' }).catch((e: unknown) => e)

    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).idempotencyKey).toBe('k-2')
  })

  it('sends no key with reads', async () => {
    const server = mockFetch((req) => (req.path.endsWith('/profiles') ? json(200, { profiles: [], profileCount: 0, nextCursor: null, previousCursor: null }) : errorResponse(404, 'not_found')))
    const client = makeClient(server.fetch)

    await client.profiles.list()
    await client.templates.retrieve(UUID).catch((e: unknown) => expect(e).toBeInstanceOf(NotFoundError))

    for (const request of server.requests) expect(request.headers).not.toHaveProperty('idempotency-key')
  })

  it('sends a key the caller gives to profiles.list', async () => {
    const server = mockFetch(() => json(200, { profiles: [], profileCount: 0, nextCursor: null, previousCursor: null }))
    const client = makeClient(server.fetch)

    await client.profiles.list({}, { idempotencyKey: 'list-1' })

    expect(server.requests[0]?.headers['idempotency-key']).toBe('list-1')
  })
})

describe('idempotency keys on header errors', () => {
  it('reports the key when another header is refused, and sends nothing', async () => {
    const server = mockFetch(() => json(202, sent))
    const client = makeClient(server.fetch)

    const error = await client.emails.send(email, { idempotencyKey: 'k-3', headers: { 'x-note': 'a\nb' } }).catch((e: unknown) => e)

    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).idempotencyKey).toBe('k-3')
    expect(server.requests).toHaveLength(0)
  })
})

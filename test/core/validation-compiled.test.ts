/**
 * Request validation decided by the compiled checks (generated/validation/checks.ts): a call that
 * passes never loads zod, a refused one still gets zod's issues, and the spec's
 * `additionalProperties: false`, which Kubb's zod output drops, is enforced before sending.
 */
import { describe, expect, it, vi } from 'vitest'
import * as z from 'zod'

import { ValidationError } from '../../src/index.ts'
import { BASE_URL, json, makeClient, mockFetch, TEST_KEY, UUID } from '../helpers/mock-fetch.ts'

const email = { templateKey: 'receipt-default', to: { email: 'alex@example.com' } }
const batchAnswer = (count: number) =>
  json(200, {
    items: Array.from({ length: count }, (_, index) => ({ index, idempotencyKey: `k${index}`, status: 'accepted', send: { id: UUID, status: 'Queued' } })),
  })

// A fresh copy of the SDK's modules, as a process that has just imported it has.
async function freshSDK() {
  vi.resetModules()
  const validation = await import('../../src/core/validation.ts')
  const { SegmentFlow } = await import('../../src/index.ts')
  return { validation, SegmentFlow }
}

describe('a call that passes the checks', () => {
  it('is sent without loading zod or the schemas', async () => {
    const { validation, SegmentFlow } = await freshSDK()
    const server = mockFetch((request) => (request.path.endsWith('/batch') ? batchAnswer(1) : json(202, { id: UUID })))
    const client = new SegmentFlow({ apiKey: TEST_KEY, baseURL: BASE_URL, fetch: server.fetch, logLevel: 'off' })

    await client.emails.send(email)
    await client.events.track({ event: 'signed_up', profile: { email: 'alex@example.com' } })
    await client.emails.batchSend({ items: [email], defaults: { subject: 'Hi' } })
    await client.templates.update(UUID, { name: 'Receipt' })

    expect(server.requests).toHaveLength(4)
    expect(validation.loadedSchemas()).toBeUndefined()
  })

  it('is checked by the compiled checks, which refuse what zod refuses', async () => {
    const server = mockFetch()
    const client = makeClient(server.fetch)

    // Four emoji are four characters to zod (and the server), eight UTF-16 units to `.length`.
    const error = (await client.templates.create({ name: 'x', language: '😀' }).catch((e: unknown) => e)) as ValidationError

    expect(error).toBeInstanceOf(ValidationError)
    expect(error.issues).toEqual([{ path: 'language', message: 'Too small: expected string to have >=2 characters' }])
    expect(server.requests).toHaveLength(0)
  })
})

describe("the spec's additionalProperties: false", () => {
  // BatchSendDefaults in openapi.yaml: recipients, data, cc and bcc are per item only.
  const closedKeys = ['templateId', 'templateKey', 'senderProfileId', 'from', 'replyTo', 'subject', 'subscriptionGroupId', 'tracking']
  const strictDefaults = z.strictObject(Object.fromEntries(closedKeys.map((key) => [key, z.any().optional()])))

  it.each([
    [{ to: { email: 'alex@example.com' } }],
    [{ subject: 'Hi', data: { plan: 'pro' } }],
    [{ cc: 'boss@example.com', bcc: ['a@example.com'] }],
    [{ profileId: 'p_1' }],
  ])('refuses batch defaults %j with zod strictObject’s issue, and sends nothing', async (defaults) => {
    const server = mockFetch(() => batchAnswer(1))
    const client = makeClient(server.fetch)

    const error = (await client.emails.batchSend({ items: [email], defaults: defaults as never }).catch((e: unknown) => e)) as ValidationError

    const zodIssue = strictDefaults.safeParse(defaults).error!.issues[0]!
    expect(error).toBeInstanceOf(ValidationError)
    expect(error.issues).toEqual([{ path: 'defaults', message: zodIssue.message }])
    expect(server.requests).toHaveLength(0)
  })

  it('reports the unknown keys alongside the issues zod finds', async () => {
    const client = makeClient(mockFetch().fetch)

    const error = (await client.emails
      .batchSend({ items: [{ templateKey: 'receipt-default', to: { email: 'not-an-address' } }], defaults: { to: { email: 'a@example.com' } } as never })
      .catch((e: unknown) => e)) as ValidationError

    expect(error.issues).toEqual([
      { path: 'items.0.to.email', message: 'Invalid email address' },
      { path: 'defaults', message: 'Unrecognized key: "to"' },
    ])
  })

  it('still lets every field the defaults allow through', async () => {
    const server = mockFetch(() => batchAnswer(1))
    const client = makeClient(server.fetch)
    const defaults = { templateKey: 'receipt-default', from: 'Shop <shop@example.com>', replyTo: 'help@example.com', subject: 'Hi', tracking: { clicks: true } }

    await client.emails.batchSend({ items: [{ to: { email: 'alex@example.com' } }], defaults })

    expect(server.requests).toHaveLength(1)
    expect((server.requests[0]?.body as { defaults: unknown }).defaults).toEqual(defaults)
  })

  it('is not enforced with validate: false', async () => {
    const server = mockFetch(() => batchAnswer(1))
    const client = makeClient(server.fetch, { validate: false })

    await client.emails.batchSend({ items: [email], defaults: { data: { plan: 'pro' } } as never })

    expect(server.requests).toHaveLength(1)
  })
})

describe('a refusal whose explanation cannot be loaded', () => {
  it('is still a ValidationError, and nothing is sent; the next refusal loads the details', async () => {
    vi.resetModules()
    vi.doMock('../../generated/zod/operations.ts', () => {
      throw new Error('chunk missing')
    })
    const { SegmentFlow, ValidationError: FreshValidationError } = await import('../../src/index.ts')
    const server = mockFetch()
    const client = new SegmentFlow({ apiKey: TEST_KEY, baseURL: BASE_URL, fetch: server.fetch, logLevel: 'off' })

    const first = (await client.emails.send({ ...email, to: { email: 'not-an-address' } }).catch((e: unknown) => e)) as ValidationError
    vi.doUnmock('../../generated/zod/operations.ts')
    const second = (await client.emails.send({ ...email, to: { email: 'not-an-address' } }).catch((e: unknown) => e)) as ValidationError

    expect(first).toBeInstanceOf(FreshValidationError)
    expect(first.issues).toEqual([{ path: '', message: 'Invalid input (the details could not be loaded)' }])
    expect(second.issues).toEqual([{ path: 'to.email', message: 'Invalid email address' }])
    expect(server.requests).toHaveLength(0)
  })
})

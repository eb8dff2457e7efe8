import { describe, expect, expectTypeOf, it } from 'vitest'

import { APIPromise, NotFoundError, type EmailSend, type WithResponse } from '../../src/index.ts'
import { errorResponse, json, makeClient, mockFetch, UUID } from '../helpers/mock-fetch.ts'

const email = { templateKey: 'receipt-default', to: { email: 'alex@example.com' } }
const sent = { id: UUID, status: 'Queued' }

describe('APIPromise', () => {
  it('is a Promise of the parsed body, typed from the spec', async () => {
    const client = makeClient(mockFetch(() => json(202, sent)).fetch)

    const promise = client.emails.send(email)

    expect(promise).toBeInstanceOf(Promise)
    expect(promise).toBeInstanceOf(APIPromise)
    expectTypeOf(promise).toEqualTypeOf<APIPromise<EmailSend>>()
    await expect(promise).resolves.toEqual(sent)
    await expect(Promise.all([promise])).resolves.toEqual([sent])
  })

  it('gives data, response, request id and idempotency key with withResponse()', async () => {
    const server = mockFetch(() => json(202, sent, { 'x-request-id': 'req_777' }))
    const client = makeClient(server.fetch)

    const result = await client.emails.send(email).withResponse()

    expectTypeOf(result).toEqualTypeOf<WithResponse<EmailSend>>()
    expect(result.data).toEqual(sent)
    expect(result.response).toBeInstanceOf(Response)
    expect(result.response.status).toBe(202)
    expect(result.requestId).toBe('req_777')
    expect(result.idempotencyKey).toBe(server.requests[0]?.headers['idempotency-key'])
  })

  it('gives the raw Response, body unread, with asResponse()', async () => {
    const client = makeClient(mockFetch(() => json(202, sent)).fetch)

    const response = await client.emails.send(email).asResponse()

    expect(response.bodyUsed).toBe(false)
    expect(await response.json()).toEqual(sent)
  })

  it('sends one request however it is consumed', async () => {
    const server = mockFetch(() => json(202, sent))
    const client = makeClient(server.fetch)

    const promise = client.emails.send(email)
    await promise
    await promise.withResponse()
    await promise.asResponse()

    expect(server.requests).toHaveLength(1)
  })

  it('rejects through then, catch and finally alike', async () => {
    const client = makeClient(mockFetch(() => errorResponse(404, 'not_found')).fetch)
    const promise = client.templates.retrieve(UUID)
    let finallyRan = false

    await expect(promise.then(() => 'resolved')).rejects.toBeInstanceOf(NotFoundError)
    await expect(promise.catch((e: unknown) => e)).resolves.toBeInstanceOf(NotFoundError)
    await expect(promise.finally(() => (finallyRan = true))).rejects.toBeInstanceOf(NotFoundError)
    await expect(promise.withResponse()).rejects.toBeInstanceOf(NotFoundError)
    await expect(promise.asResponse()).rejects.toBeInstanceOf(NotFoundError)
    expect(finallyRan).toBe(true)
  })

  it('leaves no unhandled rejection when only asResponse() is used', async () => {
    const unhandled: unknown[] = []
    const record = (reason: unknown) => unhandled.push(reason)
    process.on('unhandledRejection', record)
    try {
      const client = makeClient(mockFetch(() => json(200, 'not an email')).fetch, { validate: { response: true } })
      await client.emails.retrieve(UUID).asResponse().catch(() => undefined)
      await new Promise((resolve) => setTimeout(resolve, 10))
    } finally {
      process.off('unhandledRejection', record)
    }
    expect(unhandled).toEqual([])
  })
})

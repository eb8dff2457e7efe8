import { describe, expect, it } from 'vitest'

import { json, makeClient, mockFetch, UUID } from '../helpers/mock-fetch.ts'

describe('the Idempotency-Key', () => {
  it('attaches the Idempotency-Key once, from the resolved key, for every write', async () => {
    const server = mockFetch(() => json(200, { id: UUID }))
    const client = makeClient(server.fetch)

    await client.templates.archive(UUID, { idempotencyKey: 'archive:1', headers: { 'IDEMPOTENCY-KEY': 'ignored-spelling' } })
    await client.templates.retrieve(UUID, { idempotencyKey: 'read:1' })

    expect(server.requests.map((request) => [request.method, request.headers['idempotency-key']])).toEqual([
      ['POST', 'archive:1'],
      ['GET', 'read:1'],
    ])
  })
})

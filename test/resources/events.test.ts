import { describe, expect, expectTypeOf, it } from 'vitest'

import type { APIPromise, SegmentFlow, EventTrackParams, EventTrackResponse } from '../../src/index.ts'
import { json, makeClient, mockFetch } from '../helpers/mock-fetch.ts'
import { checkOperation, ROWS } from '../helpers/operations.ts'

describe('client.events', () => {
  it.each(ROWS.events.map((row) => [row.operation, row] as const))('%s sends the right request and returns the body', async (_name, row) => {
    await checkOperation(row)
  })

  it('returns the types of the spec', () => {
    expectTypeOf<SegmentFlow['events']['track']>().returns.toEqualTypeOf<APIPromise<EventTrackResponse>>()
    expectTypeOf<SegmentFlow['events']['track']>().parameter(0).toEqualTypeOf<EventTrackParams>()
  })
})

describe('the product quickstart', () => {
  it('tracks order.created with the key given as a header, as the public docs write it', async () => {
    const server = mockFetch(() => json(202, { eventId: 'e1', profileId: 'p1', matchedJourneys: 1, enrolledJourneys: 1, skippedJourneys: 0 }))
    const client = makeClient(server.fetch)

    const result = await client.events.track(
      {
        event: 'order.created',
        profile: { email: 'alex@example.com', properties: { firstName: 'Alex' } },
        data: { orderId: 'ord_9421', orderTotal: '49.00' },
        referenceId: 'ord_9421',
      },
      { headers: { 'Idempotency-Key': 'order.created:ord_9421' } },
    )

    expect(result.enrolledJourneys).toBe(1)
    expect(server.requests[0]?.headers['idempotency-key']).toBe('order.created:ord_9421')
  })
})

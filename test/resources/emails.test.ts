import { describe, expect, expectTypeOf, it } from 'vitest'

import type { APIPromise, SegmentFlow, EmailSend, EmailSendParams, EmailBatchSendResponse } from '../../src/index.ts'
import { json, makeClient, mockFetch } from '../helpers/mock-fetch.ts'
import { checkOperation, ROWS } from '../helpers/operations.ts'

describe('client.emails', () => {
  it.each(ROWS.emails.map((row) => [row.operation, row] as const))('%s sends the right request and returns the body', async (_name, row) => {
    await checkOperation(row)
  })

  it('returns the types of the spec', () => {
    expectTypeOf<SegmentFlow['emails']['send']>().returns.toEqualTypeOf<APIPromise<EmailSend>>()
    expectTypeOf<SegmentFlow['emails']['batchSend']>().returns.toEqualTypeOf<APIPromise<EmailBatchSendResponse>>()
    expectTypeOf<SegmentFlow['emails']['retrieve']>().returns.toEqualTypeOf<APIPromise<EmailSend>>()
    expectTypeOf<SegmentFlow['emails']['send']>().parameter(0).toEqualTypeOf<EmailSendParams>()
  })
})

describe('the product quickstart', () => {
  it('sends the receipt exactly as the API reference shows it', async () => {
    const server = mockFetch(() => json(202, { id: '3e9f3a5b-6c74-4d85-9e96-afb70c81d92a', status: 'Queued' }))
    const client = makeClient(server.fetch)

    const email = await client.emails.send(
      {
        templateKey: 'receipt-default',
        from: 'Acme Receipts <receipts@example.com>',
        to: { email: 'alex@example.com', externalId: 'shopify:customer_123' },
        subject: 'Receipt for order ord_9421',
        replyTo: 'Acme Support <support@example.com>',
        data: { orderId: 'ord_9421', firstName: 'Alex', orderTotal: '49.00' },
      },
      { idempotencyKey: 'order-confirmation:ord_9421' },
    )

    expect(email.status).toBe('Queued')
    const [request] = server.requests
    expect(request?.headers['idempotency-key']).toBe('order-confirmation:ord_9421')
    expect(request?.body).toEqual({
      templateKey: 'receipt-default',
      from: 'Acme Receipts <receipts@example.com>',
      to: { email: 'alex@example.com', externalId: 'shopify:customer_123' },
      subject: 'Receipt for order ord_9421',
      replyTo: 'Acme Support <support@example.com>',
      data: { orderId: 'ord_9421', firstName: 'Alex', orderTotal: '49.00' },
    })
  })
})

/**
 * The README's "Testing your integration" example, as a test: if this fails, the README lies. The
 * README imports from `@segmentflow/segmentflow-typescript` and `.../testing`; these are the same
 * modules from source.
 */
import { describe, expect, it } from 'vitest'
import { PermissionDeniedError, SegmentFlow } from '../../src/index.ts'
import { createSandbox } from '../../src/testing/index.ts'

describe('order confirmation', () => {
  it('sends the receipt once, even when the first answer is lost', async () => {
    const sandbox = createSandbox({ clock: 'manual' })
    const client = new SegmentFlow({ apiKey: sandbox.apiKey, baseURL: sandbox.baseURL, fetch: sandbox.fetch })

    // The send is committed, then the connection drops: the client retries with the same key.
    sandbox.faults.add({ operation: 'sendEmail', kind: 'after-commit', reset: true, times: 1 })

    const email = await client.emails.send(
      { templateKey: 'receipt-default', to: { email: 'alex@example.com' }, data: { orderId: 'ord_9424' } },
      { idempotencyKey: 'order-confirmation:ord_9424' },
    )
    expect(sandbox.state.emailSends.size).toBe(1)

    sandbox.clock.advance(5_000)
    expect((await client.emails.retrieve(email.id)).status).toBe('Sent')
  })

  it('surfaces a missing scope as a typed error', async () => {
    const sandbox = createSandbox()
    const client = new SegmentFlow({ apiKey: sandbox.readOnlyApiKey, baseURL: sandbox.baseURL, fetch: sandbox.fetch })

    await expect(
      client.emails.send({ templateKey: 'receipt-default', to: { email: 'alex@example.com' } }, { idempotencyKey: 'order-confirmation:ord_9425' }),
    ).rejects.toBeInstanceOf(PermissionDeniedError)
  })
})

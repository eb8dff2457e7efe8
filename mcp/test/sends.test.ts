// The rules for tools that reach people: repeated sends replay, the sender is the operator's, the
// allowlist and the batch cap hold, and a refused send never reaches SegmentFlow.
import { SEED } from '@segmentflow/segmentflow-typescript/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { expectOk, SEND_FLAGS, startHarness, type Harness } from './harness.ts'

const receipt = { templateKey: 'receipt-default', to: { email: 'alex@example.com' }, data: { orderId: 'ord_9421' } }

let harness: Harness | undefined
afterEach(async () => {
  await harness?.close()
  harness = undefined
})

function sendRequests(h: Harness, operation: string) {
  return h.sandbox.state.requests.filter((request) => request.operation === operation)
}

describe('a repeated send', () => {
  it('replays: the same EmailSend, and one email in SegmentFlow', async () => {
    harness = await startHarness(SEND_FLAGS)
    const first = expectOk(await harness.call('emails_send', receipt))
    // Same arguments, keys in another order: the derived key must not care.
    const second = expectOk(await harness.call('emails_send', { data: { orderId: 'ord_9421' }, to: { email: 'alex@example.com' }, templateKey: 'receipt-default' }))
    expect(second.structured.data.id).toBe(first.structured.data.id)
    expect(second.structured.replayed).toBe(true)
    expect(second.summary).toContain('Replayed')
    expect(first.structured.replayed).toBeUndefined()
    expect(harness.sandbox.state.emailSends.size).toBe(1)
    expect(harness.audit.map((entry) => entry.outcome)).toEqual(['ok', 'replayed'])

    const keys = sendRequests(harness, 'sendEmail').map((request) => request.headers['idempotency-key'])
    expect(keys[0]).toMatch(/^mcp:emails_send:[0-9a-f]{64}$/)
    expect(keys[1]).toBe(keys[0])
    expect(first.structured.idempotencyKey).toBe(keys[0])
  })

  it('with different arguments sends again', async () => {
    harness = await startHarness(SEND_FLAGS)
    expectOk(await harness.call('emails_send', receipt))
    expectOk(await harness.call('emails_send', { ...receipt, data: { orderId: 'ord_9422' } }))
    expect(harness.sandbox.state.emailSends.size).toBe(2)
  })

  it("uses the model's own idempotency key when it gives one, so it can deliberately send again", async () => {
    harness = await startHarness(SEND_FLAGS)
    expectOk(await harness.call('emails_send', { ...receipt, idempotency_key: 'order-confirmation:ord_9421' }))
    expectOk(await harness.call('emails_send', { ...receipt, idempotency_key: 'order-confirmation:ord_9421:resend' }))
    expect(sendRequests(harness, 'sendEmail').map((request) => request.headers['idempotency-key'])).toEqual([
      'order-confirmation:ord_9421',
      'order-confirmation:ord_9421:resend',
    ])
    expect(harness.sandbox.state.emailSends.size).toBe(2)
  })

  it('replays a tracked event instead of recording it twice', async () => {
    harness = await startHarness(SEND_FLAGS)
    const event = { event: 'order.created', profile: { email: 'alex@example.com' }, referenceId: 'ord_9421' }
    const first = expectOk(await harness.call('events_track', event))
    const second = expectOk(await harness.call('events_track', event))
    expect(second.structured.data.eventId).toBe(first.structured.data.eventId)
    expect(harness.sandbox.state.events).toHaveLength(1)
  })

  it('replays a batch item by item: a repeated item is not sent twice', async () => {
    harness = await startHarness(SEND_FLAGS)
    const items = [{ to: { email: 'alex@example.com' } }, { to: { email: 'jordan@example.com' } }]
    expectOk(await harness.call('emails_batch_send', { defaults: { templateKey: 'receipt-default' }, items }))
    // The model retries with one more item: the first two replay, only the new one is sent.
    const retry = expectOk(
      await harness.call('emails_batch_send', { defaults: { templateKey: 'receipt-default' }, items: [...items, { to: { email: 'sam@example.com' } }] }),
    )
    expect(retry.structured.data).toMatchObject({ total: 3, accepted: 3 })
    expect(harness.sandbox.state.emailSends.size).toBe(3)
    const [batch] = sendRequests(harness, 'batchSendEmails')
    for (const item of (batch!.body as { items: { idempotencyKey: string }[] }).items) {
      expect(item.idempotencyKey).toMatch(/^mcp:emails_batch_send:[0-9a-f]{64}$/)
    }
  })
})

describe('the sender', () => {
  it('comes from --from, --reply-to and --sender-profile-id', async () => {
    harness = await startHarness(['--allow-sends', '--from', 'Acme Receipts <receipts@example.com>', '--reply-to', 'support@example.com', '--sender-profile-id', SEED.senders.receipts.id])
    expectOk(await harness.call('emails_send', receipt))
    expect(sendRequests(harness, 'sendEmail')[0]?.body).toEqual({
      ...receipt,
      from: 'Acme Receipts <receipts@example.com>',
      replyTo: 'support@example.com',
      senderProfileId: SEED.senders.receipts.id,
    })
  })

  it('goes into the batch defaults', async () => {
    harness = await startHarness(SEND_FLAGS)
    expectOk(await harness.call('emails_batch_send', { items: [{ templateKey: 'receipt-default', to: { email: 'alex@example.com' } }] }))
    expect(sendRequests(harness, 'batchSendEmails')[0]?.body).toMatchObject({ defaults: { from: 'Acme Receipts <receipts@example.com>' } })
  })

  it('is not an argument the model sees when nothing is allowed', async () => {
    harness = await startHarness(['--allow-sends'])
    const tools = await harness.listTools()
    const send = tools.find((tool) => tool.name === 'emails_send')!.inputSchema.properties!
    expect(Object.keys(send)).not.toContain('from')
    expect(Object.keys(send)).not.toContain('replyTo')
    expect(Object.keys(send)).not.toContain('senderProfileId')
    const batch = tools.find((tool) => tool.name === 'emails_batch_send')!.inputSchema.properties as Record<string, any>
    expect(Object.keys(batch.items.items.properties)).not.toContain('from')
    expect(Object.keys(batch.defaults.properties)).not.toContain('from')
    // Derived when left out, so optional for the model.
    expect(batch.items.items.required ?? []).not.toContain('idempotencyKey')
  })

  it('is an argument naming the allowed values when the operator allows some', async () => {
    harness = await startHarness([...SEND_FLAGS, '--allowed-senders', 'news@example.com'])
    const tools = await harness.listTools()
    const send = tools.find((tool) => tool.name === 'emails_send')!.inputSchema.properties as Record<string, any>
    expect(send.from.description).toContain('Acme Receipts <receipts@example.com>')
    expect(send.from.description).toContain('news@example.com')
    expect(Object.keys(send)).not.toContain('senderProfileId')
    const batch = tools.find((tool) => tool.name === 'emails_batch_send')!.inputSchema.properties as Record<string, any>
    expect(batch.defaults.properties.from.description).toContain('news@example.com')
  })

  it("accepts the configured sender however it is spelled, and sends the operator's spelling", async () => {
    harness = await startHarness(SEND_FLAGS)
    // The quickstart's arguments, as a model primed by it passes them.
    const quickstart = {
      templateKey: 'receipt-default',
      from: 'Acme Receipts <receipts@example.com>',
      to: { email: 'alex@example.com', externalId: 'shopify:customer_123' },
      subject: 'Receipt for order ord_9421',
      replyTo: 'Acme Support <support@example.com>',
      data: { orderId: 'ord_9421', firstName: 'Alex', orderTotal: '49.00' },
    }
    const first = expectOk(await harness.call('emails_send', quickstart))
    const again = expectOk(await harness.call('emails_send', { ...quickstart, from: 'RECEIPTS@example.com' }))
    expect(again.structured.replayed).toBe(true)
    expect(again.structured.data.id).toBe(first.structured.data.id)
    const [sent] = sendRequests(harness, 'sendEmail')
    expect(sent?.body).toMatchObject({ from: 'Acme Receipts <receipts@example.com>', replyTo: 'Acme Support <support@example.com>' })
    expect(harness.sandbox.state.emailSends.size).toBe(1)
  })

  it('accepts a sender from --allowed-senders, by address pattern or sender profile id', async () => {
    harness = await startHarness([...SEND_FLAGS, '--allowed-senders', `*@news.example.com,${SEED.senders.marketing.id}`])
    expectOk(await harness.call('emails_send', { ...receipt, from: 'Acme News <hello@news.example.com>', dry_run: true }))
    expectOk(await harness.call('emails_send', { ...receipt, senderProfileId: SEED.senders.marketing.id, dry_run: true }))
    const batch = expectOk(
      await harness.call('emails_batch_send', { defaults: { templateKey: 'receipt-default', from: 'hello@news.example.com' }, items: [{ to: { email: 'alex@example.com' } }], dry_run: true }),
    )
    expect(batch.structured.request.body.defaults.from).toBe('hello@news.example.com')
  })

  it.each([
    ['emails_send', { ...receipt, from: 'CEO <ceo@example.com>' }, 'from'],
    ['emails_send', { ...receipt, replyTo: 'attacker@example.net' }, 'replyTo'],
    ['emails_batch_send', { defaults: { templateKey: 'receipt-default', senderProfileId: SEED.senders.marketing.id }, items: [{ to: { email: 'alex@example.com' } }] }, 'defaults.senderProfileId'],
    ['emails_batch_send', { items: [{ templateKey: 'receipt-default', to: { email: 'alex@example.com' }, from: 'ceo@example.com' }] }, 'items.0.from'],
  ])('is refused when %s is given another one, naming the allowed values', async (tool, args, where) => {
    harness = await startHarness(SEND_FLAGS)
    const call = await harness.call(tool, args)
    expect(call.structured).toMatchObject({ errorCode: 'sender_not_allowed' })
    expect(call.structured.message).toContain(where)
    expect(call.structured.hint).toMatch(/Acme Receipts <receipts@example.com>|@example.com|--sender-profile-id/)
    expect(harness.sandbox.state.requests).toHaveLength(0)
  })

  it('is refused with the flag to set when the operator fixed none', async () => {
    harness = await startHarness(['--allow-sends'])
    const call = await harness.call('emails_send', { ...receipt, from: 'Acme Receipts <receipts@example.com>' })
    expect(call.structured).toMatchObject({ errorCode: 'sender_not_allowed' })
    expect(call.structured.hint).toContain("the template's is used")
    expect(call.structured.hint).toContain('--from')
  })
})

describe('the recipient allowlist', () => {
  const flags = [...SEND_FLAGS, '--allowed-recipients', '*@example.com,ops@acme.test']

  it('lets allowed addresses through', async () => {
    harness = await startHarness(flags)
    expectOk(await harness.call('emails_send', { ...receipt, cc: 'Ops <ops@acme.test>' }))
    expectOk(await harness.call('events_track', { event: 'order.created', profile: { email: 'ALEX@example.com' } }))
  })

  it.each([
    ['emails_send', { ...receipt, to: { email: 'someone@elsewhere.test' } }, 'someone@elsewhere.test'],
    ['emails_send', { ...receipt, to: { email: 'x@evil.example.com' } }, 'x@evil.example.com'],
    ['emails_send', { ...receipt, bcc: ['sam@example.com', 'leak@elsewhere.test'] }, 'leak@elsewhere.test'],
    ['emails_send', { templateKey: 'receipt-default', profileId: SEED.profiles.alex.id }, 'to.email'],
    ['emails_send', { templateKey: 'receipt-default', to: { externalId: 'shopify:customer_123' } }, 'to.email'],
    ['emails_batch_send', { defaults: { templateKey: 'receipt-default' }, items: [{ to: { email: 'alex@example.com' } }, { to: { email: 'a@elsewhere.test' } }] }, 'items.1'],
    ['events_track', { event: 'order.created', profile: { email: 'someone@elsewhere.test' } }, 'someone@elsewhere.test'],
    ['events_track', { event: 'order.created', profile: { externalId: 'shopify:customer_123' } }, 'profile.email'],
  ])('refuses %s to %j', async (tool, args, named) => {
    harness = await startHarness(flags)
    const call = await harness.call(tool, args)
    expect(call.structured).toMatchObject({ errorCode: 'recipient_not_allowed' })
    expect(`${call.structured.message} ${call.structured.hint}`).toContain(named)
    expect(harness.sandbox.state.requests).toHaveLength(0)
  })

  it('is stated in the tool description', async () => {
    harness = await startHarness(flags)
    const send = (await harness.listTools()).find((tool) => tool.name === 'emails_send')
    expect(send?.description).toContain('*@example.com, ops@acme.test')
  })
})

describe('the batch size cap', () => {
  const items = (n: number) => Array.from({ length: n }, (_, i) => ({ to: { email: `person-${i}@example.com` } }))

  it('refuses a batch over --max-batch-size, sending nothing', async () => {
    harness = await startHarness([...SEND_FLAGS, '--max-batch-size', '2'])
    const call = await harness.call('emails_batch_send', { defaults: { templateKey: 'receipt-default' }, items: items(3) })
    expect(call.structured).toMatchObject({ errorCode: 'batch_too_large' })
    expect(call.structured.hint).toContain('at most 2')
    expect(harness.sandbox.state.requests).toHaveLength(0)
    expectOk(await harness.call('emails_batch_send', { defaults: { templateKey: 'receipt-default' }, items: items(2) }))
  })

  it('shows in the input schema and defaults to 10', async () => {
    harness = await startHarness(['--allow-sends', '--max-batch-size', '5'])
    const schema = (await harness.listTools()).find((tool) => tool.name === 'emails_batch_send')!.inputSchema as any
    expect(schema.properties.items.maxItems).toBe(5)
    await harness.close()
    harness = await startHarness(['--allow-sends'])
    const call = await harness.call('emails_batch_send', { defaults: { templateKey: 'receipt-default' }, items: items(11) })
    expect(call.structured).toMatchObject({ errorCode: 'batch_too_large' })
  })
})

describe('the send quota', () => {
  const items = (n: number, prefix = 'q') => Array.from({ length: n }, (_, i) => ({ to: { email: `${prefix}-${i}@example.com` } }))
  let now = Date.UTC(2026, 10, 27, 10)
  const clock = () => now

  it('counts emails and events across the tools, a batch by its items, and refuses past the cap', async () => {
    harness = await startHarness([...SEND_FLAGS, '--max-sends-per-hour', '4'], { clock })
    expectOk(await harness.call('emails_send', receipt))
    expectOk(await harness.call('events_track', { event: 'order.created', profile: { email: 'alex@example.com' } }))
    const tooMany = await harness.call('emails_batch_send', { defaults: { templateKey: 'receipt-default' }, items: items(3) })
    expect(tooMany.structured).toMatchObject({ errorCode: 'send_quota_exceeded' })
    expect(tooMany.structured.message).toContain('at most 4')
    expect(tooMany.structured.hint).toContain('Send at most 2 now')
    expectOk(await harness.call('emails_batch_send', { defaults: { templateKey: 'receipt-default' }, items: items(2) }))

    // Full: even a dry run says so, and nothing reaches SegmentFlow.
    const before = harness.sandbox.state.requests.length
    const full = await harness.call('emails_send', { ...receipt, to: { email: 'jordan@example.com' }, dry_run: true })
    expect(full.structured).toMatchObject({ errorCode: 'send_quota_exceeded' })
    expect(full.structured.hint).toMatch(/Try again in about 60 minutes/)
    expect(harness.sandbox.state.requests.length).toBe(before)
    expect(harness.audit.at(-1)).toMatchObject({ outcome: 'refused', errorCode: 'send_quota_exceeded' })

    // The window rolls: an hour later the first sends no longer count.
    now += 3_600_001
    expectOk(await harness.call('emails_send', { ...receipt, to: { email: 'jordan@example.com' } }))
  })

  it('does not count a replay, a dry run, or a send the API refused', async () => {
    harness = await startHarness([...SEND_FLAGS, '--max-sends-per-hour', '2'], { clock })
    expectOk(await harness.call('emails_send', receipt))
    expect(expectOk(await harness.call('emails_send', receipt)).structured.replayed).toBe(true)
    expectOk(await harness.call('emails_send', { ...receipt, to: { email: 'sam@example.com' }, dry_run: true }))
    // Not a Transactional template: the API refuses it with 422, so nothing was sent.
    const refused = await harness.call('emails_send', { templateKey: SEED.templates.newsletter.key, to: { email: 'alex@example.com' } })
    expect(refused.structured.errorCode).toBe('validation_failed')
    expectOk(await harness.call('emails_send', { ...receipt, to: { email: 'sam@example.com' } }))
    const third = await harness.call('emails_send', { ...receipt, to: { email: 'jordan@example.com' } })
    expect(third.structured.errorCode).toBe('send_quota_exceeded')
  })

  it('is stated in the descriptions', async () => {
    harness = await startHarness([...SEND_FLAGS, '--max-sends-per-hour', '25'])
    const send = (await harness.listTools()).find((tool) => tool.name === 'events_track')
    expect(send?.description).toContain('At most 25 emails and events per hour')
  })
})

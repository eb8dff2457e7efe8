import { describe, expect, it } from 'vitest'
import { SEED } from '../../src/testing/index.ts'
import { MISSING_UUID, QUICKSTART_SEND, setup } from './helpers.ts'

const { receipt, newsletter } = SEED.templates
const groups = SEED.subscriptionGroups

describe('POST /api/v1/emails', () => {
  it('queues the quickstart receipt as documented', async () => {
    const { api } = setup()
    const res = await api('POST', '/api/v1/emails', { body: QUICKSTART_SEND, idempotencyKey: 'order-confirmation:ord_9421' })
    expect(res.status).toBe(202)
    expect(res.body).toMatchObject({
      status: 'Queued',
      templateId: receipt.id,
      senderProfileId: SEED.senders.receipts.id,
      from: { email: 'receipts@example.com', name: 'Acme Receipts' },
      replyTo: { email: 'support@example.com', name: 'Acme Support' },
      subject: 'Receipt for order ord_9421',
      profileId: SEED.profiles.alex.id,
      to: { email: 'alex@example.com' },
      cc: [],
      messageId: null,
      failureMessage: null,
    })
  })

  it('requires the Idempotency-Key header', async () => {
    const { api, sandbox } = setup()
    const res = await api('POST', '/api/v1/emails', { body: QUICKSTART_SEND })
    expect(res.status).toBe(400)
    expect(res.body.error).toBe('invalid_request')
    expect(res.body.details.issues).toEqual([{ path: 'header.Idempotency-Key', message: expect.any(String) }])
    expect(sandbox.state.emailSends.size).toBe(0)
  })

  it('refuses a key with control characters', async () => {
    const { api } = setup()
    const res = await api('POST', '/api/v1/emails', { body: QUICKSTART_SEND, idempotencyKey: 'tab\there' })
    expect(res.status).toBe(400)
    expect(res.body.details.issues[0].path).toBe('header.Idempotency-Key')
  })

  it('refuses both templateId and templateKey with 400', async () => {
    const { api } = setup()
    const res = await api('POST', '/api/v1/emails', { body: { ...QUICKSTART_SEND, templateId: receipt.id }, idempotencyKey: 'k' })
    expect(res.status).toBe(400)
    expect(res.body.details.issues).toHaveLength(1)
  })

  it('refuses a send without any recipient with 400', async () => {
    const { api } = setup()
    const { to: _to, ...noRecipient } = QUICKSTART_SEND
    const res = await api('POST', '/api/v1/emails', { body: noRecipient, idempotencyKey: 'k' })
    expect(res.status).toBe(400)
  })

  it('says where a malformed field is', async () => {
    const { api } = setup()
    const res = await api('POST', '/api/v1/emails', { body: { ...QUICKSTART_SEND, to: { email: 'not-an-address' } }, idempotencyKey: 'k' })
    expect(res.status).toBe(400)
    expect(res.body.details.issues).toContainEqual({ path: 'to.email', message: 'Invalid email address' })
  })

  it('refuses a body that is not JSON', async () => {
    const { api } = setup()
    const res = await api('POST', '/api/v1/emails', { rawBody: '{"templateKey":', headers: { 'content-type': 'application/json' }, idempotencyKey: 'k' })
    expect(res.status).toBe(400)
    expect(res.body.message).toMatch(/JSON/)
    const form = await api('POST', '/api/v1/emails', { rawBody: 'a=b', headers: { 'content-type': 'application/x-www-form-urlencoded' }, idempotencyKey: 'k2' })
    expect(form.status).toBe(400)
  })

  it.each([
    ['a non-Transactional template', { templateKey: newsletter.key }, /not a Transactional/],
    ['an unknown template key', { templateKey: 'no-such-template' }, /No template/],
    ['an unknown template id', { templateKey: undefined, templateId: MISSING_UUID }, /No template/],
    ['a from address that is not a verified sender', { from: 'Acme <marketing@example.com>' }, /not a verified sender/],
    ['a from address of no sender at all', { from: 'someone@elsewhere.example' }, /not a verified sender|no sender/i],
    ['an unknown sender profile', { from: undefined, senderProfileId: MISSING_UUID }, /sender profile/],
    ['an unknown subscription group', { subscriptionGroupId: MISSING_UUID }, /subscription group/],
    ['an unknown profileId', { to: undefined, profileId: '9b2f6d1e-4c8a-4e3b-a7d5-1f0e9c8b7a6d' }, /No profile/],
    ['an unknown externalId without an email', { to: { externalId: 'nobody' } }, /externalId/],
    ['a cc that is not an address', { cc: ['ok@example.com', 'nope'] }, /cc/],
  ])('answers 422 validation_failed for %s', async (_, change, message) => {
    const { api, sandbox } = setup()
    const before = sandbox.state.profiles.size
    const res = await api('POST', '/api/v1/emails', { body: { ...QUICKSTART_SEND, ...change }, idempotencyKey: 'k' })
    expect(res.status).toBe(422)
    expect(res.body.error).toBe('validation_failed')
    expect(res.body.message).toMatch(message)
    expect(sandbox.state.emailSends.size).toBe(0)
    expect(sandbox.state.profiles.size).toBe(before)
  })

  it('answers 422 for an archived template', async () => {
    const { api } = setup()
    expect((await api('POST', `/api/v1/templates/${receipt.id}/archive`)).status).toBe(200)
    const res = await api('POST', '/api/v1/emails', { body: QUICKSTART_SEND, idempotencyKey: 'k' })
    expect(res.status).toBe(422)
    expect(res.body.message).toMatch(/archived/)
  })

  it('answers 422 for an incomplete template', async () => {
    const { api } = setup()
    const created = await api('POST', '/api/v1/templates', { body: { name: 'Draft', key: 'draft', purpose: 'Transactional' } })
    expect(created.body.isComplete).toBe(false)
    const res = await api('POST', '/api/v1/emails', { body: { ...QUICKSTART_SEND, templateKey: 'draft' }, idempotencyKey: 'k' })
    expect(res.status).toBe(422)
    expect(res.body.message).toMatch(/incomplete/)
  })

  it('sends from the template sender when the body names none, and never echoes bcc', async () => {
    const { api, sandbox } = setup()
    const res = await api('POST', '/api/v1/emails', {
      body: { templateId: receipt.id, profileId: SEED.profiles.sam.id, cc: 'Finance <finance@example.com>', bcc: ['audit@example.com'], data: { orderId: 'o-1' } },
      idempotencyKey: 'k',
    })
    expect(res.status).toBe(202)
    expect(res.body.from).toEqual({ email: 'receipts@example.com', name: 'Acme Receipts' })
    expect(res.body.subject).toBe('Receipt for order o-1')
    expect(res.body.cc).toEqual([{ email: 'finance@example.com', name: 'Finance' }])
    expect(res.body).not.toHaveProperty('bcc')
    expect(sandbox.state.emailSends.get(res.body.id)?.bcc).toEqual([{ email: 'audit@example.com', name: null }])
  })

  it('creates the profile of a new recipient', async () => {
    const { api, sandbox } = setup()
    const res = await api('POST', '/api/v1/emails', {
      body: { ...QUICKSTART_SEND, to: { email: 'new.customer@example.com', externalId: 'shopify:customer_999' } },
      idempotencyKey: 'k',
    })
    expect(res.status).toBe(202)
    const profile = sandbox.state.profiles.get(res.body.profileId)
    expect(profile).toMatchObject({ email: 'new.customer@example.com', externalId: 'shopify:customer_999' })
  })
})

describe('email send lifecycle', () => {
  async function send(change: Record<string, unknown> = {}) {
    const context = setup()
    const res = await context.api('POST', '/api/v1/emails', { body: { ...QUICKSTART_SEND, ...change }, idempotencyKey: 'k' })
    expect(res.status).toBe(202)
    return { ...context, id: res.body.id as string }
  }

  it('walks Queued -> Processing -> Sent on the clock', async () => {
    const { api, sandbox, id } = await send()
    const status = async () => (await api('GET', `/api/v1/emails/${id}`)).body
    expect((await status()).status).toBe('Queued')
    sandbox.clock.advance(500)
    expect((await status()).status).toBe('Processing')
    sandbox.clock.advance(999)
    expect((await status()).status).toBe('Processing')
    sandbox.clock.advance(1)
    const sent = await status()
    expect(sent.status).toBe('Sent')
    expect(sent.messageId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(sent.updatedAt).toBe(new Date(Date.parse(sent.createdAt) + 1500).toISOString())
    sandbox.clock.advance(60_000)
    expect(await status()).toEqual(sent)
  })

  it('ends Skipped when the profile is not subscribed to the group', async () => {
    const { api, sandbox, id } = await send({ subscriptionGroupId: groups.newsletter.id })
    sandbox.clock.advance(10_000)
    const res = await api('GET', `/api/v1/emails/${id}`)
    expect(res.body).toMatchObject({ status: 'Skipped', subscriptionGroupId: groups.newsletter.id, messageId: null })
    expect(res.body.failureMessage).toMatch(/Weekly newsletter/)
  })

  it('ends Sent when the profile opted in to the group', async () => {
    const { api, sandbox, id } = await send({ to: { email: SEED.profiles.jordan.email }, subscriptionGroupId: groups.newsletter.id })
    sandbox.clock.advance(10_000)
    expect((await api('GET', `/api/v1/emails/${id}`)).body.status).toBe('Sent')
  })

  it('follows setSubscription: an unsubscribed profile is Skipped on an opt-out group', async () => {
    const context = setup()
    context.sandbox.setSubscription({ profileId: SEED.profiles.alex.id, subscriptionGroupId: groups.productUpdates.id, status: 'Unsubscribed' })
    const res = await context.api('POST', '/api/v1/emails', { body: { ...QUICKSTART_SEND, subscriptionGroupId: groups.productUpdates.id }, idempotencyKey: 'k' })
    context.sandbox.clock.advance(10_000)
    expect(context.sandbox.state.emailSends.get(res.body.id)?.status).toBe('Skipped')
  })

  it('ends Failed for a suppressed recipient', async () => {
    const { api, sandbox, id } = await send({ to: { email: SEED.profiles.bounced.email } })
    sandbox.clock.advance(10_000)
    const res = await api('GET', `/api/v1/emails/${id}`)
    expect(res.body.status).toBe('Failed')
    expect(res.body.failureMessage).toMatch(/suppressed \(hard_bounce\)/)
  })
})

describe('GET /api/v1/emails/{id}', () => {
  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    const { api } = setup()
    expect((await api('GET', `/api/v1/emails/${MISSING_UUID}`)).body.error).toBe('not_found')
    const malformed = await api('GET', '/api/v1/emails/not-a-uuid')
    expect(malformed.status).toBe(400)
    expect(malformed.body.details.issues[0].path).toBe('path.id')
  })

  it('needs emails:read', async () => {
    const { api, sandbox } = setup()
    const key = sandbox.addApiKey({ scopes: ['emails:write'] })
    const sent = await api('POST', '/api/v1/emails', { body: QUICKSTART_SEND, idempotencyKey: 'k', key })
    expect(sent.status).toBe(202)
    const res = await api('GET', `/api/v1/emails/${sent.body.id}`, { key })
    expect(res.status).toBe(403)
    expect(res.body.details.required).toEqual(['emails:read'])
  })
})

describe('POST /api/v1/emails/batch', () => {
  const defaults = { templateKey: receipt.key, from: 'Acme Receipts <receipts@example.com>' }

  it('accepts and rejects items one by one, in request order', async () => {
    const { api, sandbox } = setup()
    const res = await api('POST', '/api/v1/emails/batch', {
      body: {
        defaults,
        items: [
          { idempotencyKey: 'ord_1', to: { email: 'alex@example.com' }, data: { orderId: 'ord_1' } },
          { idempotencyKey: 'ord_2', to: { email: 'sam@example.com' }, from: 'marketing@example.com' },
          { idempotencyKey: 'ord_3', to: { email: 'broken' } },
          { idempotencyKey: 'ord_4', profileId: SEED.profiles.jordan.id, templateKey: SEED.templates.passwordReset.key },
        ],
      },
    })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ total: 4, accepted: 2, rejected: 2 })
    expect(res.body.items.map((i: any) => [i.index, i.idempotencyKey, i.status])).toEqual([
      [0, 'ord_1', 'accepted'],
      [1, 'ord_2', 'rejected'],
      [2, 'ord_3', 'rejected'],
      [3, 'ord_4', 'accepted'],
    ])
    expect(res.body.items[0].send.subject).toBe('Receipt for order ord_1')
    expect(res.body.items[1].error.error).toBe('validation_failed')
    expect(res.body.items[2].error).toMatchObject({ error: 'invalid_request', details: { issues: [{ path: 'to.email' }] } })
    expect(res.body.items[3].send.templateId).toBe(SEED.templates.passwordReset.id)
    expect(sandbox.state.emailSends.size).toBe(2)
  })

  it('rejects an item that is incomplete once defaults are merged', async () => {
    const { api } = setup()
    const res = await api('POST', '/api/v1/emails/batch', { body: { items: [{ idempotencyKey: 'a', to: { email: 'alex@example.com' } }] } })
    expect(res.body).toMatchObject({ total: 1, accepted: 0, rejected: 1 })
    expect(res.body.items[0].error.error).toBe('invalid_request')
  })

  it('counts replayed items as accepted and sends nothing twice', async () => {
    const { api, sandbox } = setup()
    const body = { defaults, items: [{ idempotencyKey: 'ord_1', to: { email: 'alex@example.com' } }] }
    const first = await api('POST', '/api/v1/emails/batch', { body })
    const again = await api('POST', '/api/v1/emails/batch', { body: { ...body, items: [...body.items, { idempotencyKey: 'ord_2', to: { email: 'sam@example.com' } }] } })
    expect(again.body).toMatchObject({ total: 2, accepted: 2, rejected: 0 })
    expect(again.body.items[0].send.id).toBe(first.body.items[0].send.id)
    expect(sandbox.state.emailSends.size).toBe(2)
  })

  it('shares keys with single sends: the same email by batch replays, another one is key reuse', async () => {
    const { api, sandbox } = setup()
    const single = await api('POST', '/api/v1/emails', { body: QUICKSTART_SEND, idempotencyKey: 'order-confirmation:ord_9421' })
    const { templateKey, from, ...rest } = QUICKSTART_SEND
    const res = await api('POST', '/api/v1/emails/batch', {
      body: {
        defaults: { templateKey, from },
        items: [
          { idempotencyKey: 'order-confirmation:ord_9421', ...rest },
          { idempotencyKey: 'order-confirmation:ord_9421', ...rest, subject: 'Another subject' },
        ],
      },
    })
    expect(res.body.items[0]).toMatchObject({ status: 'accepted', send: { id: single.body.id } })
    expect(res.body.items[1]).toMatchObject({ status: 'rejected', error: { error: 'idempotency_key_reuse' } })
    expect(sandbox.state.emailSends.size).toBe(1)
  })

  it('lets an item name its own template over the defaults', async () => {
    const { api } = setup()
    const res = await api('POST', '/api/v1/emails/batch', {
      body: { defaults: { templateKey: receipt.key }, items: [{ idempotencyKey: 'a', to: { email: 'alex@example.com' }, templateId: SEED.templates.passwordReset.id }] },
    })
    expect(res.body.items[0]).toMatchObject({ status: 'accepted', send: { templateId: SEED.templates.passwordReset.id } })
  })

  it.each([
    ['no items', { items: [] }, 'items'],
    ['more than 100 items', { items: Array.from({ length: 101 }, (_, i) => ({ idempotencyKey: `k${i}`, to: { email: 'alex@example.com' } })) }, 'items'],
    ['an item without its idempotencyKey', { defaults, items: [{ to: { email: 'alex@example.com' } }] }, 'items.0.idempotencyKey'],
    ['recipients in defaults', { defaults: { ...defaults, to: { email: 'alex@example.com' } }, items: [{ idempotencyKey: 'a' }] }, 'defaults.to'],
    ['data in defaults', { defaults: { ...defaults, data: { a: 1 } }, items: [{ idempotencyKey: 'a', to: { email: 'alex@example.com' } }] }, 'defaults.data'],
    ['cc in defaults', { defaults: { ...defaults, cc: 'a@example.com' }, items: [{ idempotencyKey: 'a', to: { email: 'alex@example.com' } }] }, 'defaults.cc'],
    ['bcc in defaults', { defaults: { ...defaults, bcc: 'a@example.com' }, items: [{ idempotencyKey: 'a', to: { email: 'alex@example.com' } }] }, 'defaults.bcc'],
  ])('refuses a batch with %s as a whole (400)', async (_, body, path) => {
    const { api, sandbox } = setup()
    const res = await api('POST', '/api/v1/emails/batch', { body })
    expect(res.status).toBe(400)
    expect(res.body.error).toBe('invalid_request')
    expect(res.body.details.issues.map((i: any) => i.path)).toContain(path)
    expect(sandbox.state.emailSends.size).toBe(0)
  })

  it('needs emails:write', async () => {
    const { api, sandbox } = setup()
    const res = await api('POST', '/api/v1/emails/batch', { key: sandbox.readOnlyApiKey, body: { items: [] } })
    expect(res.status).toBe(403)
    expect(res.body.details.required).toEqual(['emails:write'])
  })
})

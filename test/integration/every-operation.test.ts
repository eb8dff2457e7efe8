// Every operation of the API through the SDK, over real HTTP to the sandbox: once directly, once
// through Prism's validating proxy, so that a request the SDK sends or a response the sandbox gives
// that breaks openapi.yaml fails the run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  APIError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from '../../src/index.ts'
import { SEED } from '../../src/testing/index.ts'
import { startTarget, type Target } from './harness.ts'

const ALL_OPERATIONS = [
  'listProfiles',
  'retrieveProfile',
  'listProfileSubscriptions',
  'deleteProfile',
  'bulkDeleteProfiles',
  'listTemplates',
  'retrieveTemplate',
  'createTemplate',
  'updateTemplate',
  'deleteTemplate',
  'duplicateTemplate',
  'archiveTemplate',
  'unarchiveTemplate',
  'listAssets',
  'retrieveAsset',
  'createAssetUploadUrl',
  'createAsset',
  'finalizeAsset',
  'updateAsset',
  'deleteAsset',
  'listBrandKits',
  'retrieveBrandKit',
  'createBrandKit',
  'updateBrandKit',
  'deleteBrandKit',
  'clearBrandKit',
  'setDefaultBrandKit',
  'extractBrandKit',
  'retrieveBrandKitExtractionProgress',
  'sendEmail',
  'batchSendEmails',
  'retrieveEmail',
  'trackEvent',
]

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4])

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected the call to fail')
}

describe.each(['direct', 'prism'] as const)('the SDK against the sandbox %s', (kind) => {
  let target: Target

  beforeAll(async () => {
    target = await startTarget(kind)
  }, 120_000)

  afterAll(async () => {
    await target?.close()
  })

  it('profiles: list every page, retrieve, subscriptions, delete and bulk delete', async () => {
    const client = target.client()
    const seen: string[] = []
    for await (const profile of client.profiles.list({ limit: 2 })) seen.push(profile.email)
    expect(seen).toContain('alex@example.com')
    expect(new Set(seen).size).toBe(seen.length)

    const first = await client.profiles.list({ limit: 2 })
    expect(first.profileCount).toBe(seen.length)
    expect(first.hasNextPage()).toBe(seen.length > 2)

    const alex = await client.profiles.retrieve(SEED.profiles.alex.id)
    expect(alex).toMatchObject({ id: SEED.profiles.alex.id, email: 'alex@example.com' })

    const subscriptions = await client.profiles.listSubscriptions(SEED.profiles.alex.id)
    expect(subscriptions.subscriptions.map((s) => s.name).sort()).toEqual(['Product updates', 'Weekly newsletter'])

    const doomed = [
      target.sandbox.addProfile({ email: 'temp-1@example.com' }).id,
      target.sandbox.addProfile({ email: 'temp-2@example.com' }).id,
      target.sandbox.addProfile({ email: 'temp-3@example.com' }).id,
    ]
    await client.profiles.delete(doomed[0]!)
    await expect(client.profiles.retrieve(doomed[0]!)).rejects.toBeInstanceOf(NotFoundError)
    expect(await client.profiles.bulkDelete({ profileIds: doomed.slice(1) })).toEqual({ deletedCount: 2 })
  })

  it('templates: create, retrieve, update, duplicate, archive, unarchive, list and delete', async () => {
    const client = target.client()
    const created = await client.templates.create({
      name: `Shipping update (${kind})`,
      key: `shipping-update-${kind}`,
      purpose: 'Transactional',
      definition: { subject: 'Your order shipped' },
    })
    expect(created).toMatchObject({ key: `shipping-update-${kind}`, purpose: 'Transactional', status: 'Active' })

    expect((await client.templates.retrieve(created.id)).id).toBe(created.id)
    expect((await client.templates.update(created.id, { name: 'Shipping update' })).name).toBe('Shipping update')

    const copy = await client.templates.duplicate(created.id)
    expect(copy.name).toBe('Copy of Shipping update')
    expect(copy.key).toBeNull()

    expect((await client.templates.archive(copy.id)).status).toBe('Archived')
    expect((await client.templates.unarchive(copy.id)).status).toBe('Active')

    const transactional = await client.templates.list({ purpose: 'Transactional', status: ['Active'] })
    expect(transactional.map((t) => t.id)).toEqual(expect.arrayContaining([created.id, copy.id, SEED.templates.receipt.id]))
    expect(transactional.every((t) => t.purpose === 'Transactional')).toBe(true)

    await client.templates.delete(copy.id)
    await expect(client.templates.retrieve(copy.id)).rejects.toBeInstanceOf(NotFoundError)
  })

  it('assets: upload session, PUT to storage, create, finalize, list, update and delete', async () => {
    const client = target.client()
    const session = await client.assets.createUploadUrl({ filename: 'logo.png', contentType: 'image/png', size: PNG.byteLength })
    // The storage host is not the API: no key goes there.
    const put = await fetch(session.uploadUrl, { method: 'PUT', body: PNG, headers: { 'content-type': 'image/png' } })
    expect(put.ok).toBe(true)

    const { asset: pending } = await client.assets.create({
      filename: 'logo.png',
      s3Key: session.key,
      contentType: 'image/png',
      size: PNG.byteLength,
      imageType: 'logo',
    })
    expect(pending.status).toBe('pending')

    const { asset: ready } = await client.assets.finalize(pending.id, { altText: 'Acme logo' })
    expect(ready).toMatchObject({ id: pending.id, status: 'ready', altText: 'Acme logo' })
    expect((await client.assets.retrieve(ready.id)).asset.id).toBe(ready.id)

    const listed: string[] = []
    for await (const asset of client.assets.list({ limit: 1, imageType: 'logo' })) listed.push(asset.id)
    expect(listed).toContain(ready.id)

    const { asset: tagged } = await client.assets.update(ready.id, { tags: ['brand'], description: null })
    expect(tagged.tags).toEqual(['brand'])

    await client.assets.delete(ready.id)
    await expect(client.assets.retrieve(ready.id)).rejects.toBeInstanceOf(NotFoundError)
  })

  it('brand kits: create, retrieve, update, extract, progress, clear, set default, list and delete', async () => {
    const client = target.client()
    const kit = await client.brandKits.create({ name: `Outdoor (${kind})`, colors: { primary: '#0b5fff' } })
    expect(kit).toMatchObject({ isDefault: false, colors: { primary: '#0b5fff' } })
    expect((await client.brandKits.retrieve(kit.id)).name).toBe(`Outdoor (${kind})`)
    expect((await client.brandKits.update(kit.id, { fonts: { heading: 'Inter' } })).fonts.heading).toBe('Inter')

    const started = await client.brandKits.extract(kit.id, { websiteUrl: 'https://outdoor.example.com' })
    expect(started).toMatchObject({ completedSteps: 0, isComplete: false, isFailed: false })
    const progress = await client.brandKits.extractionProgress(kit.id)
    expect(progress.totalSteps).toBe(started.totalSteps)

    const cleared = await client.brandKits.clear(kit.id)
    expect(cleared.logos).toEqual([])
    expect(cleared.colors.primary).toBeNull()

    expect((await client.brandKits.setDefault(kit.id)).isDefault).toBe(true)
    const kits = await client.brandKits.list()
    expect(kits.filter((k) => k.isDefault).map((k) => k.id)).toEqual([kit.id])

    // Hand the default back so that the seeded kit is default again, then delete ours.
    await client.brandKits.setDefault(SEED.brandKit.id)
    await client.brandKits.delete(kit.id)
    await expect(client.brandKits.retrieve(kit.id)).rejects.toBeInstanceOf(NotFoundError)
  })

  it('emails and events: the quickstart send, a replay, a batch, a retrieve and a tracked event', async () => {
    const client = target.client()
    const body = {
      templateKey: 'receipt-default',
      from: 'Acme Receipts <receipts@example.com>',
      to: { email: 'alex@example.com', externalId: 'shopify:customer_123' },
      subject: 'Receipt for order ord_9421',
      replyTo: 'Acme Support <support@example.com>',
      data: { orderId: 'ord_9421', firstName: 'Alex', orderTotal: '49.00' },
    }
    const idempotencyKey = `order-confirmation:ord_9421:${kind}`
    const sent = await client.emails.send(body, { idempotencyKey })
    expect(sent).toMatchObject({ status: 'Queued', to: { email: 'alex@example.com' }, subject: body.subject })

    const replay = await client.emails.send(body, { idempotencyKey }).withResponse()
    expect(replay.data.id).toBe(sent.id)
    expect(replay.response.headers.get('idempotent-replayed')).toBe('true')

    expect((await client.emails.retrieve(sent.id)).id).toBe(sent.id)

    const batch = await client.emails.batchSend({
      defaults: { templateKey: 'receipt-default' },
      items: [
        { idempotencyKey: `batch-1:${kind}`, to: { email: 'sam@example.com' } },
        { idempotencyKey: `batch-2:${kind}`, to: { email: 'jordan@example.com' }, from: 'marketing@example.com' },
      ],
    })
    expect(batch).toMatchObject({ total: 2, accepted: 1, rejected: 1 })
    expect(batch.items.map((item) => [item.index, item.status])).toEqual([
      [0, 'accepted'],
      [1, 'rejected'],
    ])

    const tracked = await client.events.track(
      {
        event: 'order.created',
        profile: { email: 'alex@example.com', properties: { firstName: 'Alex' } },
        data: { orderId: 'ord_9421', orderTotal: '49.00' },
        referenceId: 'ord_9421',
      },
      { idempotencyKey: `order.created:ord_9421:${kind}` },
    )
    expect(tracked).toMatchObject({ profileId: SEED.profiles.alex.id, matchedJourneys: 1, enrolledJourneys: 1 })
  })

  it('maps every error the server gives for a well-formed request to its class and code', async () => {
    const client = target.client({ maxRetries: 0 })

    const unauthorized = await rejection(target.client({ apiKey: 'sk_live_not_a_key' }).templates.list())
    expect(unauthorized).toBeInstanceOf(AuthenticationError)
    expect(unauthorized).toMatchObject({ status: 401, errorCode: 'unauthorized' })

    const readOnly = target.client({ apiKey: target.sandbox.readOnlyApiKey })
    const forbidden = await rejection(
      readOnly.emails.send({ templateKey: 'receipt-default', to: { email: 'alex@example.com' } }),
    )
    expect(forbidden).toBeInstanceOf(PermissionDeniedError)
    expect(forbidden).toMatchObject({ status: 403, errorCode: 'insufficient_scope', requiredScopes: ['emails:write'] })

    const missing = await rejection(client.templates.retrieve('00000000-0000-4000-8000-000000000000'))
    expect(missing).toBeInstanceOf(NotFoundError)
    expect(missing).toMatchObject({ status: 404, errorCode: 'not_found' })

    const key = `reuse:${kind}`
    await client.emails.send({ templateKey: 'receipt-default', to: { email: 'alex@example.com' } }, { idempotencyKey: key })
    const reuse = await rejection(
      client.emails.send({ templateKey: 'receipt-default', to: { email: 'sam@example.com' } }, { idempotencyKey: key }),
    )
    expect(reuse).toBeInstanceOf(ConflictError)
    expect(reuse).toMatchObject({ status: 409, errorCode: 'idempotency_key_reuse', idempotencyKey: key })

    const conflict = await rejection(client.brandKits.delete(SEED.brandKit.id))
    expect(conflict).toBeInstanceOf(ConflictError)
    expect(conflict).toMatchObject({ status: 409, errorCode: 'conflict' })

    const unprocessable = await rejection(
      client.emails.send({ templateKey: 'monthly-newsletter', to: { email: 'alex@example.com' } }),
    )
    expect(unprocessable).toBeInstanceOf(UnprocessableEntityError)
    expect(unprocessable).toMatchObject({ status: 422, errorCode: 'validation_failed' })

    target.sandbox.faults.add({ operation: 'listBrandKits', kind: 'status', status: 503, times: 1 })
    const unavailable = await rejection(client.brandKits.list())
    expect(unavailable).toBeInstanceOf(InternalServerError)
    expect(unavailable).toMatchObject({ status: 503, errorCode: 'service_unavailable' })

    target.sandbox.faults.add({ operation: 'listBrandKits', kind: 'status', status: 429, retryAfter: 7, times: 1 })
    const limited = await rejection(client.brandKits.list())
    expect(limited).toBeInstanceOf(RateLimitError)
    expect(limited).toMatchObject({ status: 429, errorCode: 'rate_limited', retryAfter: 7 })

    for (const error of [unauthorized, forbidden, missing, reuse, conflict, unprocessable, unavailable, limited]) {
      expect((error as APIError).requestId).toMatch(/\S/)
    }
  })

  it('exercised all 33 operations, and Prism found nothing wrong with any request or response', () => {
    const operations = new Set(target.sandbox.state.requests.map((request) => request.operation))
    for (const operation of ALL_OPERATIONS) expect(operations, operation).toContain(operation)
    expect(target.violations).toEqual([])
  })
})

describe('the SDK against the sandbox over loopback HTTP, for requests Prism would refuse itself', () => {
  let target: Target

  beforeAll(async () => {
    target = await startTarget('direct')
  })

  afterAll(async () => {
    await target?.close()
  })

  it('gets 400 invalid_request with the issues when client-side validation is off', async () => {
    const client = target.client({ validate: false, maxRetries: 0 })
    const error = await rejection(
      client.emails.send({ templateKey: 'receipt-default', to: { email: 'not-an-address' } } as never),
    )
    expect(error).toBeInstanceOf(BadRequestError)
    expect(error).toMatchObject({ status: 400, errorCode: 'invalid_request' })
    expect((error as BadRequestError).details).toMatchObject({ issues: [expect.objectContaining({ path: 'to.email' })] })
  })

  it('gets 400 invalid_request for a file over 20,971,520 bytes when client-side validation is off', async () => {
    const client = target.client({ validate: false, maxRetries: 0 })
    const error = await rejection(
      client.assets.createUploadUrl({ filename: 'huge.png', contentType: 'image/png', size: 20_971_521 }),
    )
    expect(error).toBeInstanceOf(BadRequestError)
    expect(error).toMatchObject({ status: 400, errorCode: 'invalid_request' })
    expect((error as BadRequestError).details).toMatchObject({ issues: [expect.objectContaining({ path: 'size' })] })
  })

  it('gets 409 idempotency_request_in_progress while the first request with the key still runs', async () => {
    const client = target.client({ maxRetries: 0 })
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    target.sandbox.faults.add({ operation: 'trackEvent', kind: 'delay', until: held, times: 1 })

    const body = { event: 'order.created', profile: { email: 'alex@example.com' } }
    const first = client.events.track(body, { idempotencyKey: 'in-progress' })
    // The first request holds the key once the sandbox has logged it.
    while (!target.sandbox.state.requests.some((request) => request.operation === 'trackEvent')) {
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    const second = await rejection(client.events.track(body, { idempotencyKey: 'in-progress' }))
    release()
    expect(second).toBeInstanceOf(ConflictError)
    expect(second).toMatchObject({ status: 409, errorCode: 'idempotency_request_in_progress' })
    await expect(first).resolves.toMatchObject({ profileId: SEED.profiles.alex.id })
  })
})

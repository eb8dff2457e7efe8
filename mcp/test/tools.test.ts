// Every tool, called the way a model would, against the sandbox: each succeeds and does what its
// name says, as the sandbox's state shows.
import { SEED } from '@segmentflow/segmentflow-typescript/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import pkg from '../package.json' with { type: 'json' }
import { expectOk, SEND_FLAGS, startHarness, type Harness } from './harness.ts'

describe('every tool against the sandbox', () => {
  let harness: Harness
  const called = new Set<string>()
  const call = async (name: string, args: Record<string, unknown> = {}) => {
    called.add(name)
    return expectOk(await harness.call(name, args))
  }

  beforeAll(async () => {
    harness = await startHarness(SEND_FLAGS)
  })
  afterAll(() => harness.close())

  it('profiles: list a page with its cursor, retrieve, subscriptions, delete, bulk delete', async () => {
    const page = await call('profiles_list', { limit: 2 })
    expect(page.structured.data.profiles).toHaveLength(2)
    expect(page.structured.nextCursor).toEqual(expect.any(String))
    expect(page.summary).toContain(`cursor "${page.structured.nextCursor}"`)
    const next = await call('profiles_list', { limit: 2, cursor: page.structured.nextCursor })
    expect(next.structured.data.profiles[0].id).not.toBe(page.structured.data.profiles[0].id)

    const alex = await call('profiles_retrieve', { profileId: SEED.profiles.alex.id })
    expect(alex.structured.data.email).toBe('alex@example.com')
    const subscriptions = await call('profiles_list_subscriptions', { profileId: SEED.profiles.alex.id })
    expect(subscriptions.structured.data.subscriptions.length).toBeGreaterThan(0)

    await call('profiles_delete', { profileId: SEED.profiles.sam.id })
    expect(harness.sandbox.state.profiles.has(SEED.profiles.sam.id)).toBe(false)
    const bulk = await call('profiles_bulk_delete', { profileIds: [SEED.profiles.jordan.id] })
    expect(bulk.structured.data).toEqual({ deletedCount: 1 })
  })

  it('templates: list, retrieve, create, update, duplicate, archive, unarchive, delete', async () => {
    const list = await call('templates_list', { purpose: 'Transactional' })
    expect(list.structured.data.map((t: { key: string }) => t.key)).toContain('receipt-default')
    await call('templates_retrieve', { id: SEED.templates.receipt.id })

    const created = await call('templates_create', { name: 'Shipping update', purpose: 'Transactional' })
    const id = created.structured.data.id as string
    expect(harness.sandbox.state.templates.get(id)?.name).toBe('Shipping update')
    await call('templates_update', { id, name: 'Shipping update v2' })
    expect(harness.sandbox.state.templates.get(id)?.name).toBe('Shipping update v2')
    const copy = await call('templates_duplicate', { id })
    expect(copy.structured.data.name).toBe('Copy of Shipping update v2')
    expect((await call('templates_archive', { id })).structured.data.status).toBe('Archived')
    expect((await call('templates_unarchive', { id })).structured.data.status).toBe('Active')
    await call('templates_delete', { id })
    expect(harness.sandbox.state.templates.has(id)).toBe(false)
  })

  it('assets: upload session, record, finalize, list, retrieve, update, delete', async () => {
    const bytes = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10])
    const session = await call('assets_create_upload_url', { filename: 'logo.png', contentType: 'image/png', size: bytes.length })
    // The server never uploads bytes itself; the host (here, the test) PUTs them to the storage URL.
    const put = await harness.sandbox.fetch(session.structured.data.uploadUrl, {
      method: 'PUT',
      headers: { 'content-type': 'image/png' },
      body: bytes,
    })
    expect(put.ok).toBe(true)
    const created = await call('assets_create', {
      filename: 'logo.png',
      s3Key: session.structured.data.key,
      contentType: 'image/png',
      size: bytes.length,
      imageType: 'logo',
    })
    const id = created.structured.data.asset.id as string
    expect((await call('assets_finalize', { id, altText: 'Acme logo' })).structured.data.asset.status).toBe('ready')

    const list = await call('assets_list', { limit: 10 })
    expect(list.structured.data.assets.map((a: { id: string }) => a.id)).toContain(id)
    expect(list.structured).toHaveProperty('nextCursor')
    await call('assets_retrieve', { id })
    expect((await call('assets_update', { id, tags: ['brand'] })).structured.data.asset.tags).toEqual(['brand'])
    await call('assets_delete', { id })
    expect(harness.sandbox.state.assets.has(id)).toBe(false)
  })

  it('brand kits: list, retrieve, create, update, set default, clear, extract, progress, delete', async () => {
    expect((await call('brand_kits_list')).structured.data[0].isDefault).toBe(true)
    await call('brand_kits_retrieve', { brandId: SEED.brandKit.id })
    const created = await call('brand_kits_create', { name: 'Holiday' })
    const brandId = created.structured.data.id as string
    await call('brand_kits_update', { brandId, colors: { primary: '#ff0000' } })
    expect((await call('brand_kits_set_default', { brandId })).structured.data.isDefault).toBe(true)
    expect((await call('brand_kits_clear', { brandId })).structured.data.colors.primary).toBeNull()
    const extraction = await call('brand_kits_extract', { brandId, websiteUrl: 'https://acme.example.com' })
    expect(extraction.structured.data).toHaveProperty('totalSteps')
    await call('brand_kits_extraction_progress', { brandId })
    // The seeded kit is no longer the default, so it may go.
    await call('brand_kits_delete', { brandId: SEED.brandKit.id })
    expect(harness.sandbox.state.brandKits.has(SEED.brandKit.id)).toBe(false)
  })

  it('emails and events: send, retrieve, batch send, track', async () => {
    const sent = await call('emails_send', {
      templateKey: 'receipt-default',
      to: { email: 'alex@example.com' },
      data: { orderId: 'ord_1' },
    })
    const id = sent.structured.data.id as string
    expect(sent.structured.data.status).toBe('Queued')
    // The sender comes from --from, not from the model.
    expect(harness.sandbox.state.emailSends.get(id)?.from).toMatchObject({ email: 'receipts@example.com' })
    expect((await call('emails_retrieve', { id })).structured.data.id).toBe(id)

    const batch = await call('emails_batch_send', {
      defaults: { templateKey: 'receipt-default' },
      items: [{ to: { email: 'alex@example.com' } }, { to: { email: 'jordan@example.com' } }],
    })
    expect(batch.structured.data).toMatchObject({ total: 2, accepted: 2, rejected: 0 })
    expect(batch.summary).toContain('2 of 2 accepted')

    const event = await call('events_track', { event: 'order.created', profile: { email: 'alex@example.com' }, data: { orderId: 'ord_1' } })
    expect(event.structured.data.matchedJourneys).toBe(1)
    expect(harness.sandbox.state.events).toHaveLength(1)
  })

  it('reports the package version to the host and to SegmentFlow', async () => {
    expect(pkg.version).not.toBe('0.0.0')
    expect(harness.client.getServerVersion()).toMatchObject({ name: 'segmentflow', version: pkg.version })
    // Every API request; the storage PUT above is the test's own, as a host's would be.
    const api = harness.sandbox.state.requests.filter((request) => request.headers['x-api-key'] !== undefined)
    expect(api.length).toBeGreaterThan(30)
    for (const request of api) expect(request.headers['x-segmentflow-mcp']).toBe(pkg.version)
  })

  it('called every tool the server offers', async () => {
    const offered = (await harness.listTools()).map((tool) => tool.name)
    expect(offered).toHaveLength(33)
    expect([...called].sort()).toEqual(offered.sort())
  })

  it('wrote one audit line per call, with the request id and never the key', () => {
    expect(harness.audit.length).toBeGreaterThanOrEqual(called.size)
    for (const entry of harness.audit) {
      expect(entry.outcome).toBe('ok')
      expect(entry.requestId).toMatch(/^req_/)
      expect(entry.durationMs).toBeGreaterThanOrEqual(0)
    }
    expect(JSON.stringify(harness.audit)).not.toContain(harness.sandbox.apiKey)
  })
})

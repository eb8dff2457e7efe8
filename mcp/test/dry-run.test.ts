// `dry_run: true` on every write tool: nothing reaches SegmentFlow, and the request shown is the one
// the real call then sends, byte for byte, minus the API key.
import { SEED } from '@segmentflow/segmentflow-typescript/testing'
import { describe, expect, it } from 'vitest'
import { expectOk, SEND_FLAGS, startHarness } from './harness.ts'

const missing = '0f0e0d0c-0b0a-4909-8807-060504030201'

type Case = [tool: string, method: string, path: string, args: Record<string, unknown>]

// prettier-ignore
const cases: Case[] = [
  ['profiles_delete', 'DELETE', `/api/v1/profiles/${SEED.profiles.sam.id}`, { profileId: SEED.profiles.sam.id }],
  ['profiles_bulk_delete', 'POST', '/api/v1/profiles/bulk-delete', { profileIds: [SEED.profiles.jordan.id] }],
  ['templates_create', 'POST', '/api/v1/templates', { name: 'Welcome', purpose: 'Transactional' }],
  ['templates_update', 'PUT', `/api/v1/templates/${SEED.templates.receipt.id}`, { id: SEED.templates.receipt.id, name: 'Receipt v2' }],
  ['templates_delete', 'DELETE', `/api/v1/templates/${SEED.templates.newsletter.id}`, { id: SEED.templates.newsletter.id }],
  ['templates_duplicate', 'POST', `/api/v1/templates/${SEED.templates.receipt.id}/duplicate`, { id: SEED.templates.receipt.id, name: 'Receipt copy' }],
  ['templates_archive', 'POST', `/api/v1/templates/${SEED.templates.passwordReset.id}/archive`, { id: SEED.templates.passwordReset.id }],
  ['templates_unarchive', 'POST', `/api/v1/templates/${SEED.templates.passwordReset.id}/unarchive`, { id: SEED.templates.passwordReset.id }],
  ['assets_create_upload_url', 'POST', '/api/v1/assets/upload-url', { filename: 'hero.jpg', contentType: 'image/jpeg', size: 2048 }],
  ['assets_create', 'POST', '/api/v1/assets', { filename: 'hero.jpg', s3Key: 'uploads/hero.jpg', contentType: 'image/jpeg', size: 2048 }],
  ['assets_finalize', 'POST', `/api/v1/assets/${missing}/finalize`, { id: missing, altText: 'Hero' }],
  ['assets_update', 'PATCH', `/api/v1/assets/${missing}`, { id: missing, tags: ['hero'] }],
  ['assets_delete', 'DELETE', `/api/v1/assets/${missing}`, { id: missing }],
  ['brand_kits_create', 'POST', '/api/v1/brand-kit', { name: 'Summer' }],
  ['brand_kits_update', 'PATCH', `/api/v1/brand-kit/${SEED.brandKit.id}`, { brandId: SEED.brandKit.id, fonts: { heading: 'Inter' } }],
  ['brand_kits_delete', 'DELETE', `/api/v1/brand-kit/${SEED.brandKit.id}`, { brandId: SEED.brandKit.id }],
  ['brand_kits_clear', 'POST', `/api/v1/brand-kit/${SEED.brandKit.id}/clear`, { brandId: SEED.brandKit.id }],
  ['brand_kits_set_default', 'POST', `/api/v1/brand-kit/${SEED.brandKit.id}/default`, { brandId: SEED.brandKit.id }],
  ['brand_kits_extract', 'POST', `/api/v1/brand-kit/${SEED.brandKit.id}/extract`, { brandId: SEED.brandKit.id, websiteUrl: 'https://acme.example.com' }],
  ['emails_send', 'POST', '/api/v1/emails', { templateKey: 'receipt-default', to: { email: 'alex@example.com' } }],
  ['emails_batch_send', 'POST', '/api/v1/emails/batch', { defaults: { templateKey: 'receipt-default' }, items: [{ to: { email: 'alex@example.com' } }] }],
  ['events_track', 'POST', '/api/v1/events', { event: 'order.created', profile: { email: 'alex@example.com' } }],
]

describe('a dry run', () => {
  it('is offered by every write tool', async () => {
    const harness = await startHarness(SEND_FLAGS)
    try {
      const writes = (await harness.listTools()).filter((tool) => !tool.annotations?.readOnlyHint).map((tool) => tool.name)
      expect(writes.sort()).toEqual(cases.map(([tool]) => tool).sort())
    } finally {
      await harness.close()
    }
  })

  it.each(cases)('of %s sends nothing and shows the exact request', async (tool, method, path, args) => {
    const harness = await startHarness(SEND_FLAGS)
    try {
      // Sends derive their key; other writes get a random one from the SDK unless pinned like this.
      const pinned = tool.startsWith('emails_') || tool === 'events_track' ? {} : { idempotency_key: `dry-run:${tool}` }
      const stateBefore = JSON.stringify([...harness.sandbox.state.templates.values(), ...harness.sandbox.state.brandKits.values()])

      const dry = expectOk(await harness.call(tool, { ...args, ...pinned, dry_run: true }))
      expect(harness.sandbox.state.requests).toHaveLength(0)
      expect(JSON.stringify([...harness.sandbox.state.templates.values(), ...harness.sandbox.state.brandKits.values()])).toBe(stateBefore)
      expect(harness.sandbox.state.emailSends.size).toBe(0)

      const request = dry.structured.request
      expect(dry.structured.dryRun).toBe(true)
      expect(dry.summary).toContain('nothing was sent')
      expect(request.method).toBe(method)
      expect(new URL(request.url).pathname).toBe(path)
      expect(Object.keys(request.headers).map((name) => name.toLowerCase())).not.toContain('x-api-key')
      expect(JSON.stringify(dry.result)).not.toContain(harness.sandbox.apiKey)
      expect(request.headers['idempotency-key']).toBeTruthy()
      expect(harness.audit).toEqual([expect.objectContaining({ tool, outcome: 'dry_run' })])

      // Now for real: SegmentFlow receives what the dry run showed (whatever it then answers).
      await harness.call(tool, { ...args, ...pinned })
      const [received] = harness.sandbox.state.requests
      expect(received?.method).toBe(request.method)
      expect(received?.url).toBe(request.url)
      expect(received?.body).toEqual(request.body)
      const { 'x-api-key': key, ...receivedHeaders } = received!.headers
      expect(key).toBe(harness.sandbox.apiKey)
      expect(receivedHeaders).toEqual(request.headers)
    } finally {
      await harness.close()
    }
  })

  it('of a send the server would refuse is refused too', async () => {
    const harness = await startHarness([...SEND_FLAGS, '--allowed-recipients', '*@example.com'])
    try {
      const call = await harness.call('emails_send', { templateKey: 'receipt-default', to: { email: 'x@elsewhere.test' }, dry_run: true })
      expect(call.structured.errorCode).toBe('recipient_not_allowed')
    } finally {
      await harness.close()
    }
  })

  it('of an invalid request reports the issues instead of a request', async () => {
    const harness = await startHarness(SEND_FLAGS)
    try {
      const call = await harness.call('emails_send', { to: { email: 'alex@example.com' }, dry_run: true })
      expect(call.structured.errorCode).toBe('invalid_arguments')
      expect(call.structured.issues[0].message).toContain('templateKey')
      expect(harness.sandbox.state.requests).toHaveLength(0)
    } finally {
      await harness.close()
    }
  })
})

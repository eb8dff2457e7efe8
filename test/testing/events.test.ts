import { describe, expect, it } from 'vitest'
import { SEED } from '../../src/testing/index.ts'
import { QUICKSTART_EVENT, setup } from './helpers.ts'

describe('POST /api/v1/events', () => {
  it('accepts the quickstart event and enrolls alex in the post-purchase Journey', async () => {
    const { api, sandbox } = setup()
    const res = await api('POST', '/api/v1/events', { body: QUICKSTART_EVENT, idempotencyKey: 'order.created:ord_9421' })
    expect(res.status).toBe(202)
    expect(res.body).toEqual({ eventId: expect.any(String), profileId: SEED.profiles.alex.id, matchedJourneys: 1, enrolledJourneys: 1, skippedJourneys: 0 })
    expect(sandbox.state.events).toHaveLength(1)
    expect(sandbox.state.events[0]).toMatchObject({ event: 'order.created', referenceId: 'ord_9421', data: QUICKSTART_EVENT.data })
  })

  it('counts a second enrollment as skipped; referenceId never deduplicates', async () => {
    const { api, sandbox } = setup()
    await api('POST', '/api/v1/events', { body: QUICKSTART_EVENT, idempotencyKey: 'e-1' })
    const again = await api('POST', '/api/v1/events', { body: QUICKSTART_EVENT, idempotencyKey: 'e-2' })
    expect(again.status).toBe(202)
    expect(again.body).toMatchObject({ matchedJourneys: 1, enrolledJourneys: 0, skippedJourneys: 1 })
    expect(sandbox.state.events).toHaveLength(2)
  })

  it('accepts any event name, matching zero Journeys', async () => {
    const { api } = setup()
    const res = await api('POST', '/api/v1/events', { body: { ...QUICKSTART_EVENT, event: 'cart.abandoned' }, idempotencyKey: 'e' })
    expect(res.body).toMatchObject({ matchedJourneys: 0, enrolledJourneys: 0, skippedJourneys: 0 })
  })

  it('creates a profile for a new email and merges properties into an existing one', async () => {
    const { api, sandbox } = setup()
    const created = await api('POST', '/api/v1/events', {
      body: { event: 'signup', profile: { email: 'riley@example.com', externalId: 'crm:42', properties: { plan: 'pro' } } },
      idempotencyKey: 'e-1',
    })
    expect(sandbox.state.profiles.get(created.body.profileId)).toMatchObject({ email: 'riley@example.com', externalId: 'crm:42', properties: { plan: 'pro' } })
    const found = await api('POST', '/api/v1/events', { body: { event: 'upgrade', profile: { externalId: 'crm:42', properties: { seats: 5 } } }, idempotencyKey: 'e-2' })
    expect(found.body.profileId).toBe(created.body.profileId)
    expect(sandbox.state.profiles.get(created.body.profileId)?.properties).toEqual({ plan: 'pro', seats: 5 })
  })

  it('does not store redacted data paths and keeps occurredAt', async () => {
    const { api, sandbox } = setup()
    await api('POST', '/api/v1/events', {
      body: { ...QUICKSTART_EVENT, data: { orderId: 'o', card: { last4: '4242', brand: 'visa' } }, redactedDataPaths: ['/event/card/last4'], occurredAt: '2026-01-01T00:00:00Z' },
      idempotencyKey: 'e',
    })
    expect(sandbox.state.events[0]).toMatchObject({ data: { orderId: 'o', card: { brand: 'visa' } }, occurredAt: '2026-01-01T00:00:00Z' })
  })

  it('answers 400 without an Idempotency-Key, without a profile identity, or with a bad redaction path', async () => {
    const { api, sandbox } = setup()
    const noKey = await api('POST', '/api/v1/events', { body: QUICKSTART_EVENT })
    expect(noKey.status).toBe(400)
    expect(noKey.body.details.issues[0].path).toBe('header.Idempotency-Key')
    const noIdentity = await api('POST', '/api/v1/events', { body: { event: 'x', profile: { properties: {} } }, idempotencyKey: 'a' })
    expect(noIdentity.status).toBe(400)
    expect(noIdentity.body.details.issues[0].path).toBe('profile')
    const badPath = await api('POST', '/api/v1/events', { body: { ...QUICKSTART_EVENT, redactedDataPaths: ['/data/x'] }, idempotencyKey: 'c' })
    expect(badPath.status).toBe(400)
    expect(sandbox.state.events).toHaveLength(0)
  })

  it('answers 422 validation_failed to a profile given only by an unknown externalId', async () => {
    const { api, sandbox } = setup()
    const profiles = sandbox.state.profiles.size
    const res = await api('POST', '/api/v1/events', { body: { event: 'x', profile: { externalId: 'nobody' } }, idempotencyKey: 'b' })
    expect(res.status).toBe(422)
    expect(res.body).toEqual({ error: 'validation_failed', message: expect.stringContaining('profile.externalId'), details: { field: 'profile.externalId' } })
    expect(sandbox.state.events).toHaveLength(0)
    expect(sandbox.state.profiles.size).toBe(profiles)
  })

  it('needs events:write', async () => {
    const { api, sandbox } = setup()
    const res = await api('POST', '/api/v1/events', { body: QUICKSTART_EVENT, idempotencyKey: 'k', key: sandbox.addApiKey({ scopes: ['emails:write'] }) })
    expect(res.status).toBe(403)
    expect(res.body).toEqual({ error: 'insufficient_scope', message: expect.stringContaining('events:write'), details: { required: ['events:write'] } })
  })
})

import { describe, expect, it } from 'vitest'
import { SEED } from '../../src/testing/index.ts'
import { setup } from './helpers.ts'

const { alex, sam, jordan, bounced, unsubscribed } = SEED.profiles
const groups = SEED.subscriptionGroups

describe('POST /api/v1/profiles (list)', () => {
  it('lists the seeded profiles with an empty body', async () => {
    const { api } = setup()
    const res = await api('POST', '/api/v1/profiles')
    expect(res.status).toBe(200)
    expect(res.body.profileCount).toBe(5)
    expect(res.body.profiles.map((p: any) => p.email)).toEqual([alex.email, sam.email, jordan.email, bounced.email, unsubscribed.email])
    expect(res.body.profiles[0]).toMatchObject({ id: alex.id, externalId: alex.externalId, properties: { firstName: 'Alex' } })
    expect(res.body).toMatchObject({ nextCursor: null, previousCursor: null })
  })

  it('pages forward and back with cursors', async () => {
    const { api } = setup()
    const first = await api('POST', '/api/v1/profiles', { body: { limit: 2 } })
    expect(first.body.profiles.map((p: any) => p.id)).toEqual([alex.id, sam.id])
    expect(first.body.previousCursor).toBeNull()
    const second = await api('POST', '/api/v1/profiles', { body: { limit: 2, cursor: first.body.nextCursor } })
    expect(second.body.profiles.map((p: any) => p.id)).toEqual([jordan.id, bounced.id])
    const third = await api('POST', '/api/v1/profiles', { body: { limit: 2, cursor: second.body.nextCursor } })
    expect(third.body.profiles.map((p: any) => p.id)).toEqual([unsubscribed.id])
    expect(third.body.nextCursor).toBeNull()
    const back = await api('POST', '/api/v1/profiles', { body: { limit: 2, cursor: third.body.previousCursor } })
    expect(back.body.profiles.map((p: any) => p.id)).toEqual([jordan.id, bounced.id])
    const start = await api('POST', '/api/v1/profiles', { body: { limit: 2, cursor: back.body.previousCursor } })
    expect(start.body.profiles.map((p: any) => p.id)).toEqual([alex.id, sam.id])
    expect(start.body.previousCursor).toBeNull()
    expect(start.body.profileCount).toBe(5)
  })

  it('filters by search, source, segment, property, suppression reason and ids', async () => {
    const { api } = setup()
    const emails = async (filter: object) =>
      (await api('POST', '/api/v1/profiles', { body: filter })).body.profiles.map((p: any) => p.email)
    expect(await emails({ search: 'ALEX' })).toEqual([alex.email])
    expect(await emails({ search: 'customer_123' })).toEqual([alex.email])
    expect(await emails({ sourceFilter: ['csv_import'] })).toEqual([jordan.email, bounced.email])
    expect(await emails({ segmentFilter: ['seg_vip'] })).toEqual([alex.email])
    expect(await emails({ profilePropertyFilter: [{ id: 'firstName', values: ['Sam', 'Jordan'] }] })).toEqual([sam.email, jordan.email])
    expect(await emails({ deliverySuppressionReasonFilter: ['hard_bounce'] })).toEqual([bounced.email])
    expect(await emails({ profileIds: [sam.id, '9b2f6d1e-4c8a-4e3b-a7d5-1f0e9c8b7a6d'] })).toEqual([sam.email])
    expect(await emails({ sourceFilter: ['csv_import'], search: 'jordan' })).toEqual([jordan.email])
    const counted = await api('POST', '/api/v1/profiles', { body: { sourceFilter: ['csv_import'], limit: 1 } })
    expect(counted.body.profileCount).toBe(2)
    expect(counted.body.nextCursor).not.toBeNull()
  })

  it('refuses a limit out of 1..100, a source that is not a string and a foreign cursor with 400', async () => {
    const { api } = setup()
    for (const body of [{ limit: 0 }, { limit: 101 }, { sourceFilter: [42] }, { cursor: 'bogus' }]) {
      const res = await api('POST', '/api/v1/profiles', { body })
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(res.body.error).toBe('invalid_request')
    }
  })

  it('accepts sources and suppression reasons it does not know (the lists are open) and matches no profile with them', async () => {
    const { api } = setup()
    for (const body of [{ sourceFilter: ['fax'] }, { deliverySuppressionReasonFilter: ['spam_trap'] }]) {
      const res = await api('POST', '/api/v1/profiles', { body })
      expect(res.status, JSON.stringify(body)).toBe(200)
      expect(res.body).toMatchObject({ profiles: [], profileCount: 0 })
    }
  })

  it('pages through 100,000 seeded profiles, each exactly once', async () => {
    const { api } = setup({ seed: false, seedProfiles: 100_000, checkResponses: false })
    const seen = new Set<string>()
    let cursor: string | undefined
    let pages = 0
    do {
      const res = await api('POST', '/api/v1/profiles', { body: cursor ? { limit: 100, cursor } : { limit: 100 } })
      expect(res.body.profileCount).toBe(100_000)
      for (const profile of res.body.profiles) seen.add(profile.id)
      cursor = res.body.nextCursor ?? undefined
      pages++
    } while (cursor)
    expect(pages).toBe(1000)
    expect(seen.size).toBe(100_000)
    expect(seen.has('5eed0000-0000-4000-8000-000000000001') && seen.has('5eed0000-0000-4000-8000-000000100000')).toBe(true)
  })

  it('skips deleted profiles without losing its place', async () => {
    const { api } = setup()
    const first = await api('POST', '/api/v1/profiles', { body: { limit: 2 } })
    expect((await api('DELETE', `/api/v1/profiles/${jordan.id}`)).status).toBe(204)
    const second = await api('POST', '/api/v1/profiles', { body: { limit: 2, cursor: first.body.nextCursor } })
    expect(second.body.profiles.map((p: any) => p.id)).toEqual([bounced.id, unsubscribed.id])
  })

  it('needs profiles:read', async () => {
    const { api, sandbox } = setup()
    const res = await api('POST', '/api/v1/profiles', { key: sandbox.addApiKey({ scopes: ['profiles:write'] }) })
    expect(res.status).toBe(403)
    expect(res.body.details.required).toEqual(['profiles:read'])
  })
})

describe('GET /api/v1/profiles/{profileId}', () => {
  it('retrieves a profile', async () => {
    const { api } = setup()
    const res = await api('GET', `/api/v1/profiles/${bounced.id}`)
    expect(res.status).toBe(200)
    expect(res.body.deliverySuppression).toMatchObject({ suppressed: true, email: bounced.email, latestBounceReason: expect.any(String) })
  })

  it('answers 404 for an unknown profile', async () => {
    const { api } = setup()
    const res = await api('GET', '/api/v1/profiles/9b2f6d1e-4c8a-4e3b-a7d5-1f0e9c8b7a6d')
    expect(res.status).toBe(404)
    expect(res.body).toEqual({ error: 'not_found', message: 'Profile not found.' })
  })
})

describe('GET /api/v1/profiles/{profileId}/subscriptions', () => {
  it('reports every group, with policy defaults and explicit choices', async () => {
    const { api } = setup()
    const res = await api('GET', `/api/v1/profiles/${unsubscribed.id}/subscriptions`)
    expect(res.status).toBe(200)
    expect(res.body.profileId).toBe(unsubscribed.id)
    expect(res.body.subscriptions).toEqual([
      { subscriptionGroupId: groups.productUpdates.id, name: 'Product updates', policy: 'OptOut', status: 'Unsubscribed', updatedAt: expect.any(String) },
      { subscriptionGroupId: groups.newsletter.id, name: 'Weekly newsletter', policy: 'OptIn', status: 'Unsubscribed', updatedAt: null },
    ])
    const jordans = await api('GET', `/api/v1/profiles/${jordan.id}/subscriptions`)
    expect(jordans.body.subscriptions.map((s: any) => s.status)).toEqual(['Subscribed', 'Subscribed'])
  })

  it('answers 404 for an unknown profile', async () => {
    const { api } = setup()
    expect((await api('GET', '/api/v1/profiles/9b2f6d1e-4c8a-4e3b-a7d5-1f0e9c8b7a6d/subscriptions')).status).toBe(404)
  })
})

describe('DELETE /api/v1/profiles/{profileId}', () => {
  it('deletes, then answers 404', async () => {
    const { api, sandbox } = setup()
    expect((await api('DELETE', `/api/v1/profiles/${sam.id}`)).status).toBe(204)
    expect(sandbox.state.profiles.has(sam.id)).toBe(false)
    expect((await api('GET', `/api/v1/profiles/${sam.id}`)).status).toBe(404)
    expect((await api('DELETE', `/api/v1/profiles/${sam.id}`)).status).toBe(404)
  })

  it('needs profiles:write', async () => {
    const { api, sandbox } = setup()
    const res = await api('DELETE', `/api/v1/profiles/${sam.id}`, { key: sandbox.readOnlyApiKey })
    expect(res.status).toBe(403)
    expect(res.body.details.required).toEqual(['profiles:write'])
  })
})

describe('POST /api/v1/profiles/bulk-delete', () => {
  it('deletes by ids, ignoring unknown ones', async () => {
    const { api, sandbox } = setup()
    const res = await api('POST', '/api/v1/profiles/bulk-delete', { body: { profileIds: [sam.id, jordan.id, '9b2f6d1e-4c8a-4e3b-a7d5-1f0e9c8b7a6d', sam.id] } })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ deletedCount: 2 })
    expect(sandbox.state.profiles.size).toBe(3)
  })

  it('deletes by filter', async () => {
    const { api, sandbox } = setup()
    const res = await api('POST', '/api/v1/profiles/bulk-delete', { body: { filter: { deliverySuppressionReasonFilter: ['hard_bounce'] } } })
    expect(res.body).toEqual({ deletedCount: 1 })
    expect(sandbox.state.profiles.has(bounced.id)).toBe(false)
  })

  it('refuses both ids and a filter, neither, or more than 1,000 ids with 400', async () => {
    const { api, sandbox } = setup()
    for (const body of [{ profileIds: [sam.id], filter: {} }, {}, { profileIds: [] }, { profileIds: Array.from({ length: 1001 }, (_, i) => `p${i}`) }]) {
      const res = await api('POST', '/api/v1/profiles/bulk-delete', { body })
      expect(res.status).toBe(400)
    }
    expect(sandbox.state.profiles.size).toBe(5)
  })

  it('replays with the same Idempotency-Key and refuses it for another body', async () => {
    const { api } = setup()
    const first = await api('POST', '/api/v1/profiles/bulk-delete', { body: { profileIds: [sam.id] }, idempotencyKey: 'cleanup-1' })
    const replay = await api('POST', '/api/v1/profiles/bulk-delete', { body: { profileIds: [sam.id] }, idempotencyKey: 'cleanup-1' })
    expect(replay.body).toEqual(first.body)
    expect(replay.headers.get('idempotent-replayed')).toBe('true')
    const reuse = await api('POST', '/api/v1/profiles/bulk-delete', { body: { profileIds: [jordan.id] }, idempotencyKey: 'cleanup-1' })
    expect(reuse.status).toBe(409)
    expect(reuse.body.error).toBe('idempotency_key_reuse')
  })
})

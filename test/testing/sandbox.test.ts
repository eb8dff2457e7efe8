import { describe, expect, it } from 'vitest'
import { createSandbox, SEED } from '../../src/testing/index.ts'
import { caller, QUICKSTART_SEND, setup } from './helpers.ts'

describe('createSandbox options', () => {
  it('starts empty with seed: false, keys still work', async () => {
    const sandbox = createSandbox({ seed: false })
    const api = caller(sandbox.fetch, sandbox.baseURL, sandbox.apiKey)
    expect((await api('GET', '/api/v1/templates')).body).toEqual([])
    expect((await api('POST', '/api/v1/profiles')).body.profileCount).toBe(0)
  })

  it('takes a base URL, an organization id, lifecycle timings, the upload TTL and a log size', async () => {
    const { api, sandbox } = setup({
      baseURL: 'http://sandbox.local/',
      organizationId: 'org_acme',
      timings: { emailQueuedMs: 10, emailProcessingMs: 10 },
      uploadUrlTtlSeconds: 60,
      requestLogLimit: 3,
    })
    expect(sandbox.baseURL).toBe('http://sandbox.local')
    const send = await api('POST', '/api/v1/emails', { body: QUICKSTART_SEND, idempotencyKey: 'k' })
    sandbox.clock.advance(20)
    expect(sandbox.state.emailSends.get(send.body.id)?.status).toBe('Sent')
    const upload = await api('POST', '/api/v1/assets/upload-url', { body: { filename: 'a.csv', contentType: 'text/csv', size: 1 } })
    expect(upload.body).toMatchObject({ expiresIn: 60, key: expect.stringMatching(/^org_acme\/uploads\//) })
    for (let i = 0; i < 5; i++) await api('GET', '/api/v1/templates')
    expect(sandbox.state.requests).toHaveLength(3)
  })
})

describe('sandbox helpers', () => {
  it('addSender: a verified sender can send, an unverified one is 422', async () => {
    const { api, sandbox } = setup()
    sandbox.addSender({ email: 'orders@example.com', name: 'Orders' })
    sandbox.addSender({ email: 'pending@example.com', verified: false })
    const ok = await api('POST', '/api/v1/emails', { body: { ...QUICKSTART_SEND, from: 'orders@example.com' }, idempotencyKey: 'a' })
    expect(ok.status).toBe(202)
    expect(ok.body.from).toEqual({ email: 'orders@example.com', name: null })
    const refused = await api('POST', '/api/v1/emails', { body: { ...QUICKSTART_SEND, from: 'pending@example.com' }, idempotencyKey: 'b' })
    expect(refused.status).toBe(422)
  })

  it('addProfile: adds a profile the API then sees, suppressed if asked', async () => {
    const { api, sandbox } = setup()
    const profile = sandbox.addProfile({ email: 'complainer@example.com', suppression: 'complaint', properties: { tier: 'gold' } })
    expect(profile).toMatchObject({ email: 'complainer@example.com', deliverySuppression: { suppressed: true } })
    expect((await api('GET', `/api/v1/profiles/${profile.id}`)).body).toEqual(profile)
    const listed = await api('POST', '/api/v1/profiles', { body: { deliverySuppressionReasonFilter: ['complaint'] } })
    expect(listed.body.profiles.map((p: any) => p.id)).toEqual([profile.id])
    expect(() => sandbox.addProfile({ email: 'COMPLAINER@example.com' })).toThrow(/already exists/)
  })

  it('setSubscription: refuses an unknown profile or group', () => {
    const { sandbox } = setup()
    expect(() => sandbox.setSubscription({ profileId: '9b2f6d1e-4c8a-4e3b-a7d5-1f0e9c8b7a6d', subscriptionGroupId: SEED.subscriptionGroups.newsletter.id, status: 'Subscribed' })).toThrow(RangeError)
  })

  it('keeps two sandboxes apart', async () => {
    const one = setup()
    const two = setup()
    await one.api('POST', '/api/v1/emails', { body: QUICKSTART_SEND, idempotencyKey: 'k' })
    expect(one.sandbox.state.emailSends.size).toBe(1)
    expect(two.sandbox.state.emailSends.size).toBe(0)
    expect((await two.api('POST', '/api/v1/emails', { body: QUICKSTART_SEND, idempotencyKey: 'k' })).headers.get('idempotent-replayed')).toBeNull()
  })

  it('resolves a bare path in sandbox.fetch against the base URL, and honours an already aborted signal', async () => {
    const { sandbox } = setup()
    const res = await sandbox.fetch('/api/v1/templates', { headers: { 'x-api-key': sandbox.apiKey } })
    expect(res.status).toBe(200)
    expect(sandbox.state.requests.at(-1)?.url).toBe(`${sandbox.baseURL}/api/v1/templates`)
    await expect(sandbox.fetch('/api/v1/templates', { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' })
  })
})

import { describe, expect, it } from 'vitest'
import { ALL_SCOPES, createSandbox, SEED } from '../../src/testing/index.ts'
import { caller, QUICKSTART_SEND, setup } from './helpers.ts'

describe('API keys', () => {
  it('answers 401 unauthorized without a key or with an unknown one, never echoing it', async () => {
    const { api } = setup()
    const missing = await api('GET', '/api/v1/templates', { key: null })
    expect(missing.status).toBe(401)
    expect(missing.body.error).toBe('unauthorized')
    const wrong = await api('GET', '/api/v1/templates', { key: 'sk_live_not_a_real_key_123' })
    expect(wrong.status).toBe(401)
    expect(JSON.stringify(wrong.body)).not.toContain('sk_live_not_a_real_key_123')
  })

  it('authenticates before routing under /api', async () => {
    const { api } = setup()
    expect((await api('GET', '/api/v1/nothing-here', { key: null })).status).toBe(401)
    const unknown = await api('GET', '/api/v1/nothing-here')
    expect(unknown.status).toBe(404)
    expect(unknown.body.error).toBe('not_found')
    expect((await api('PATCH', '/api/v1/templates')).status).toBe(404)
  })

  it('ships a full-scope key and a read-only key', async () => {
    const { sandbox } = setup()
    expect(sandbox.apiKey).toBe(SEED.apiKey)
    expect(sandbox.state.apiKeys.get(sandbox.apiKey)?.scopes).toEqual(ALL_SCOPES)
    expect(sandbox.state.apiKeys.get(sandbox.readOnlyApiKey)?.scopes.every((s) => s.endsWith(':read'))).toBe(true)
  })

  it('takes keys and scopes from options', async () => {
    const sandbox = createSandbox({ apiKey: 'sk_test_mine', apiKeys: [{ key: 'sk_test_events', scopes: ['events:write'] }] })
    const api = caller(sandbox.fetch, sandbox.baseURL, 'sk_test_mine')
    expect((await api('GET', '/api/v1/templates')).status).toBe(200)
    expect((await api('GET', '/api/v1/templates', { key: SEED.apiKey })).status).toBe(401)
    const limited = await api('GET', '/api/v1/templates', { key: 'sk_test_events' })
    expect(limited.status).toBe(403)
    expect(limited.body.details.required).toEqual(['templates:read'])
  })

  it('lists the scope the operation needs, not the ones the key lacks in general', async () => {
    const { api, sandbox } = setup()
    const key = sandbox.addApiKey({ scopes: ['templates:read'] })
    const res = await api('POST', '/api/v1/emails', { key, body: QUICKSTART_SEND, idempotencyKey: 'k' })
    expect(res.status).toBe(403)
    expect(res.body.details).toEqual({ required: ['emails:write'] })
  })
})

describe('organizations', () => {
  it('hides another organization’s resources behind 404', async () => {
    const { api, sandbox } = setup()
    const other = sandbox.addApiKey({ scopes: 'all', organizationId: 'org_other' })
    const sent = await api('POST', '/api/v1/emails', { body: QUICKSTART_SEND, idempotencyKey: 'k' })
    for (const path of [
      `/api/v1/emails/${sent.body.id}`,
      `/api/v1/profiles/${SEED.profiles.alex.id}`,
      `/api/v1/templates/${SEED.templates.receipt.id}`,
      `/api/v1/brand-kit/${SEED.brandKit.id}`,
    ]) {
      const res = await api('GET', path, { key: other })
      expect(res.status, path).toBe(404)
      expect(res.body.error).toBe('not_found')
    }
    expect((await api('GET', '/api/v1/templates', { key: other })).body).toEqual([])
    expect((await api('POST', '/api/v1/profiles', { key: other })).body.profileCount).toBe(0)
  })

  it('starts other organizations empty: the quickstart send is 422 there', async () => {
    const { api, sandbox } = setup()
    const other = sandbox.addApiKey({ scopes: 'all', organizationId: 'org_other' })
    const res = await api('POST', '/api/v1/emails', { key: other, body: QUICKSTART_SEND, idempotencyKey: 'k' })
    expect(res.status).toBe(422)
  })

  it('keeps idempotency keys per organization', async () => {
    const { api, sandbox } = setup()
    const other = sandbox.addApiKey({ scopes: 'all', organizationId: 'org_other' })
    await api('POST', '/api/v1/templates', { body: { name: 'A' }, idempotencyKey: 'same' })
    const res = await api('POST', '/api/v1/templates', { key: other, body: { name: 'B' }, idempotencyKey: 'same' })
    expect(res.status).toBe(201)
    expect(res.headers.get('idempotent-replayed')).toBeNull()
  })
})

describe('x-request-id', () => {
  it('is on every response, errors included, and unique', async () => {
    const { api } = setup()
    const answers = await Promise.all([
      api('GET', '/api/v1/templates'),
      api('GET', '/api/v1/templates', { key: null }),
      api('GET', '/api/v1/nope'),
      api('POST', '/api/v1/emails', { body: {} }),
    ])
    const ids = answers.map((a) => a.headers.get('x-request-id'))
    for (const id of ids) expect(id).toMatch(/^req_[0-9a-f]{16}$/)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('is logged with the request and its headers', async () => {
    const { api, sandbox } = setup()
    const res = await api('GET', '/api/v1/templates', { headers: { 'user-agent': 'test-suite' } })
    const entry = sandbox.state.requests.at(-1)
    expect(entry).toMatchObject({ requestId: res.headers.get('x-request-id'), operation: 'listTemplates', status: 200, method: 'GET' })
    expect(entry?.headers['user-agent']).toBe('test-suite')
  })
})

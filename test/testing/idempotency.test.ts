import { describe, expect, it, vi } from 'vitest'
import { IDEMPOTENCY_TTL_MS, SEED } from '../../src/testing/index.ts'
import { QUICKSTART_SEND, setup } from './helpers.ts'

const KEY = 'order-confirmation:ord_9421'

describe('Idempotency-Key', () => {
  it('replays the original status and body with idempotent-replayed: true, and sends once', async () => {
    const { api, sandbox } = setup()
    const first = await api('POST', '/api/v1/emails', { body: QUICKSTART_SEND, idempotencyKey: KEY })
    sandbox.clock.advance(10_000)
    const again = await api('POST', '/api/v1/emails', { body: QUICKSTART_SEND, idempotencyKey: KEY })
    expect(again.status).toBe(202)
    expect(again.body).toEqual(first.body)
    expect(again.body.status).toBe('Queued')
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(first.headers.get('idempotent-replayed')).toBeNull()
    expect(again.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id'))
    expect(sandbox.state.emailSends.size).toBe(1)
  })

  it('treats a body with its keys in another order as the same request', async () => {
    const { api } = setup()
    await api('POST', '/api/v1/emails', { body: QUICKSTART_SEND, idempotencyKey: KEY })
    const reordered = Object.fromEntries(Object.entries(QUICKSTART_SEND).reverse())
    expect((await api('POST', '/api/v1/emails', { body: reordered, idempotencyKey: KEY })).headers.get('idempotent-replayed')).toBe('true')
  })

  it('answers 409 idempotency_key_reuse for another body or another operation', async () => {
    const { api, sandbox } = setup()
    await api('POST', '/api/v1/emails', { body: QUICKSTART_SEND, idempotencyKey: KEY })
    const otherBody = await api('POST', '/api/v1/emails', { body: { ...QUICKSTART_SEND, subject: 'Changed' }, idempotencyKey: KEY })
    expect(otherBody.status).toBe(409)
    expect(otherBody.body.error).toBe('idempotency_key_reuse')
    const otherOperation = await api('POST', '/api/v1/templates', { body: { name: 'x' }, idempotencyKey: KEY })
    expect(otherOperation.body.error).toBe('idempotency_key_reuse')
    expect(sandbox.state.emailSends.size).toBe(1)
  })

  it('answers 409 idempotency_request_in_progress while the first request runs', async () => {
    const { api, sandbox } = setup()
    let release = () => {}
    sandbox.faults.add({ kind: 'delay', operation: 'sendEmail', until: new Promise<void>((r) => (release = r)), times: 1 })
    const first = api('POST', '/api/v1/emails', { body: QUICKSTART_SEND, idempotencyKey: KEY })
    // The delay starts once the key is claimed: from then on the first request is "running".
    await vi.waitFor(() => expect(sandbox.state.injectedFaults.delay).toBe(1))
    const concurrent = await api('POST', '/api/v1/emails', { body: QUICKSTART_SEND, idempotencyKey: KEY })
    expect(concurrent.status).toBe(409)
    expect(concurrent.body.error).toBe('idempotency_request_in_progress')
    expect(sandbox.state.emailSends.size).toBe(0)
    release()
    expect((await first).status).toBe(202)
    const after = await api('POST', '/api/v1/emails', { body: QUICKSTART_SEND, idempotencyKey: KEY })
    expect(after.headers.get('idempotent-replayed')).toBe('true')
    expect(sandbox.state.emailSends.size).toBe(1)
  })

  it('forgets keys after 24 hours on the sandbox clock', async () => {
    const { api, sandbox } = setup()
    await api('POST', '/api/v1/emails', { body: QUICKSTART_SEND, idempotencyKey: KEY })
    sandbox.clock.advance(IDEMPOTENCY_TTL_MS - 1)
    expect((await api('POST', '/api/v1/emails', { body: QUICKSTART_SEND, idempotencyKey: KEY })).headers.get('idempotent-replayed')).toBe('true')
    sandbox.clock.advance(1)
    const fresh = await api('POST', '/api/v1/emails', { body: { ...QUICKSTART_SEND, subject: 'A day later' }, idempotencyKey: KEY })
    expect(fresh.status).toBe(202)
    expect(fresh.headers.get('idempotent-replayed')).toBeNull()
    expect(sandbox.state.emailSends.size).toBe(2)
  })

  it('keeps the outcome of a refused operation (422) but not of a request that never ran (400)', async () => {
    const { api } = setup()
    const refused = { ...QUICKSTART_SEND, templateKey: SEED.templates.newsletter.key }
    expect((await api('POST', '/api/v1/emails', { body: refused, idempotencyKey: 'a' })).status).toBe(422)
    const replayed = await api('POST', '/api/v1/emails', { body: refused, idempotencyKey: 'a' })
    expect(replayed.status).toBe(422)
    expect(replayed.headers.get('idempotent-replayed')).toBe('true')

    expect((await api('POST', '/api/v1/emails', { body: { ...QUICKSTART_SEND, to: { email: 'bad' } }, idempotencyKey: 'b' })).status).toBe(400)
    const fixed = await api('POST', '/api/v1/emails', { body: QUICKSTART_SEND, idempotencyKey: 'b' })
    expect(fixed.status).toBe(202)
  })

  it('is honoured on other mutations: create replays 201, a repeated delete replays 204', async () => {
    const { api, sandbox } = setup()
    const created = await api('POST', '/api/v1/templates', { body: { name: 'Welcome' }, idempotencyKey: 'tpl-1' })
    const replay = await api('POST', '/api/v1/templates', { body: { name: 'Welcome' }, idempotencyKey: 'tpl-1' })
    expect(replay.status).toBe(201)
    expect(replay.body.id).toBe(created.body.id)
    expect([...sandbox.state.templates.values()].filter((t) => t.name === 'Welcome')).toHaveLength(1)

    const path = `/api/v1/templates/${created.body.id}`
    expect((await api('DELETE', path, { idempotencyKey: 'del-1' })).status).toBe(204)
    const again = await api('DELETE', path, { idempotencyKey: 'del-1' })
    expect(again.status).toBe(204)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect((await api('DELETE', path)).status).toBe(404)
  })

  it('treats the same key on another path parameter as another request', async () => {
    const { api } = setup()
    await api('POST', `/api/v1/templates/${SEED.templates.receipt.id}/archive`, { idempotencyKey: 'arch' })
    const other = await api('POST', `/api/v1/templates/${SEED.templates.passwordReset.id}/archive`, { idempotencyKey: 'arch' })
    expect(other.status).toBe(409)
    expect(other.body.error).toBe('idempotency_key_reuse')
  })

  it('ignores the key on reads', async () => {
    const { api } = setup()
    await api('GET', '/api/v1/templates', { idempotencyKey: 'read' })
    const second = await api('GET', '/api/v1/templates', { idempotencyKey: 'read' })
    expect(second.status).toBe(200)
    expect(second.headers.get('idempotent-replayed')).toBeNull()
  })
})

import { describe, expect, it } from 'vitest'
import { SEED } from '../../src/testing/index.ts'
import { MISSING_UUID, setup } from './helpers.ts'

const { receipt, passwordReset, newsletter } = SEED.templates

describe('GET /api/v1/templates', () => {
  it('lists summaries as a bare array, with only the x-api-key header', async () => {
    const { api } = setup()
    const res = await api('GET', '/api/v1/templates')
    expect(res.status).toBe(200)
    expect(res.body.map((t: any) => t.key)).toEqual([receipt.key, passwordReset.key, newsletter.key])
    expect(res.body[0]).toMatchObject({ id: receipt.id, purpose: 'Transactional', status: 'Active', isComplete: true, type: 'Email' })
    expect(res.body[0]).not.toHaveProperty('definition')
  })

  it('filters by repeated status keys and one purpose', async () => {
    const { api } = setup()
    await api('POST', `/api/v1/templates/${passwordReset.id}/archive`)
    const keys = async (query: string) => (await api('GET', `/api/v1/templates?${query}`)).body.map((t: any) => t.key)
    expect(await keys('purpose=Transactional')).toEqual([receipt.key, passwordReset.key])
    expect(await keys('purpose=Transactional&status=Active')).toEqual([receipt.key])
    expect(await keys('purpose=Newsletter&status=Active&status=Archived')).toEqual([newsletter.key])
    expect(await keys('status=Archived')).toEqual([passwordReset.key])
  })

  it('refuses an unknown status with 400 on the query', async () => {
    const { api } = setup()
    const res = await api('GET', '/api/v1/templates?status=Deleted')
    expect(res.status).toBe(400)
    expect(res.body.details.issues[0].path).toBe('query.status.0')
  })

  it('needs templates:read', async () => {
    const { api, sandbox } = setup()
    const res = await api('GET', '/api/v1/templates', { key: sandbox.addApiKey({ scopes: ['emails:write'] }) })
    expect(res.status).toBe(403)
    expect(res.body.details.required).toEqual(['templates:read'])
  })
})

describe('template CRUD', () => {
  const definition = { from: 'Acme <receipts@example.com>', subject: 'Your code', body: { root: 'r', elements: { r: { type: 'Text', text: 'Code' } } } }

  it('creates (201), retrieves, updates, duplicates and deletes', async () => {
    const { api } = setup()
    const created = await api('POST', '/api/v1/templates', { body: { name: 'One-time code', key: 'otp', purpose: 'Transactional', definition } })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ name: 'One-time code', key: 'otp', status: 'Active', isComplete: true, source: 'api', language: 'en' })
    expect(created.body.definition).toMatchObject({ ...definition, preheader: null, replyTo: null, renderVariables: {} })
    const id = created.body.id

    expect((await api('GET', `/api/v1/templates/${id}`)).body).toEqual(created.body)

    const updated = await api('PUT', `/api/v1/templates/${id}`, { body: { name: 'OTP', definition: { subject: null } } })
    expect(updated.status).toBe(200)
    expect(updated.body).toMatchObject({ name: 'OTP', key: 'otp', isComplete: false })
    expect(updated.body.definition.from).toBe(definition.from)
    expect(updated.body.currentSnapshotId).not.toBe(created.body.currentSnapshotId)

    const copy = await api('POST', `/api/v1/templates/${id}/duplicate`)
    expect(copy.status).toBe(201)
    expect(copy.body).toMatchObject({ name: 'Copy of OTP', key: null, purpose: 'Transactional' })
    expect(copy.body.id).not.toBe(id)
    const named = await api('POST', `/api/v1/templates/${id}/duplicate`, { body: { name: 'OTP v2' } })
    expect(named.body.name).toBe('OTP v2')

    expect((await api('DELETE', `/api/v1/templates/${id}`)).status).toBe(204)
    expect((await api('GET', `/api/v1/templates/${id}`)).status).toBe(404)
  })

  it('defaults the purpose to General', async () => {
    const { api } = setup()
    const res = await api('POST', '/api/v1/templates', { body: { name: 'Plain' } })
    expect(res.body).toMatchObject({ purpose: 'General', key: null, isComplete: false })
  })

  it('answers 409 conflict for a key another template uses, on create and update', async () => {
    const { api } = setup()
    const created = await api('POST', '/api/v1/templates', { body: { name: 'Dup', key: receipt.key } })
    expect(created.status).toBe(409)
    expect(created.body.error).toBe('conflict')
    const update = await api('PUT', `/api/v1/templates/${passwordReset.id}`, { body: { key: receipt.key } })
    expect(update.status).toBe(409)
    const own = await api('PUT', `/api/v1/templates/${receipt.id}`, { body: { key: receipt.key } })
    expect(own.status).toBe(200)
  })

  it('frees a key when it is removed', async () => {
    const { api } = setup()
    expect((await api('PUT', `/api/v1/templates/${receipt.id}`, { body: { key: null } })).body.key).toBeNull()
    expect((await api('POST', '/api/v1/templates', { body: { name: 'New receipt', key: receipt.key } })).status).toBe(201)
  })

  it('refuses a malformed key and an empty name with 400', async () => {
    const { api } = setup()
    expect((await api('POST', '/api/v1/templates', { body: { name: 'Bad', key: 'Has Spaces' } })).status).toBe(400)
    expect((await api('POST', '/api/v1/templates', { body: { name: '' } })).status).toBe(400)
    expect((await api('POST', '/api/v1/templates', { body: {} })).status).toBe(400)
  })

  it('refuses dangling references with 422 validation_failed, naming the field', async () => {
    const { api } = setup()
    const before = (await api('GET', `/api/v1/templates/${receipt.id}`)).body
    const dangling = await api('POST', '/api/v1/templates', { body: { name: 'X', brandKitId: MISSING_UUID } })
    expect(dangling.status).toBe(422)
    expect(dangling.body).toEqual({ error: 'validation_failed', message: expect.stringContaining('brandKitId'), details: { field: 'brandKitId' } })
    const sender = await api('PUT', `/api/v1/templates/${receipt.id}`, { body: { senderProfileId: MISSING_UUID } })
    expect(sender.status).toBe(422)
    expect(sender.body).toMatchObject({ error: 'validation_failed', details: { field: 'senderProfileId' } })
    const kit = await api('PUT', `/api/v1/templates/${receipt.id}`, { body: { brandKitId: MISSING_UUID } })
    expect(kit.body).toMatchObject({ error: 'validation_failed', details: { field: 'brandKitId' } })
    expect((await api('GET', `/api/v1/templates/${receipt.id}`)).body).toEqual(before)
  })

  it.each([
    ['GET', ''],
    ['PUT', ''],
    ['DELETE', ''],
    ['POST', '/duplicate'],
    ['POST', '/archive'],
    ['POST', '/unarchive'],
  ])('answers 404 for %s an unknown template%s', async (method, suffix) => {
    const { api } = setup()
    const res = await api(method, `/api/v1/templates/${MISSING_UUID}${suffix}`, method === 'PUT' ? { body: { name: 'x' } } : {})
    expect(res.status).toBe(404)
    expect(res.body.error).toBe('not_found')
  })

  it('answers 400 for a template id that is not a uuid', async () => {
    const { api } = setup()
    const res = await api('GET', '/api/v1/templates/receipt-default')
    expect(res.status).toBe(400)
    expect(res.body.details.issues[0].path).toBe('path.id')
  })

  it('needs templates:write to change anything', async () => {
    const { api, sandbox } = setup()
    for (const [method, path] of [
      ['POST', '/api/v1/templates'],
      ['PUT', `/api/v1/templates/${receipt.id}`],
      ['DELETE', `/api/v1/templates/${receipt.id}`],
      ['POST', `/api/v1/templates/${receipt.id}/duplicate`],
      ['POST', `/api/v1/templates/${receipt.id}/archive`],
      ['POST', `/api/v1/templates/${receipt.id}/unarchive`],
    ] as const) {
      const res = await api(method, path, { key: sandbox.readOnlyApiKey, body: { name: 'x' } })
      expect(res.status, `${method} ${path}`).toBe(403)
      expect(res.body.details.required).toEqual(['templates:write'])
    }
  })
})

describe('archive and unarchive', () => {
  it('switch the status, and repeating is a no-op', async () => {
    const { api, sandbox } = setup()
    const archived = await api('POST', `/api/v1/templates/${receipt.id}/archive`)
    expect(archived.body.status).toBe('Archived')
    sandbox.clock.advance(60_000)
    const again = await api('POST', `/api/v1/templates/${receipt.id}/archive`)
    expect(again.body).toEqual(archived.body)
    const active = await api('POST', `/api/v1/templates/${receipt.id}/unarchive`)
    expect(active.body.status).toBe('Active')
    expect(active.body.updatedAt).not.toBe(archived.body.updatedAt)
  })
})

import { describe, expect, it } from 'vitest'
import { EXTRACTION_STEPS, SEED } from '../../src/testing/index.ts'
import { MISSING_UUID, setup } from './helpers.ts'

const kitId = SEED.brandKit.id

describe('brand kits', () => {
  it('lists the seeded default kit', async () => {
    const { api } = setup()
    const res = await api('GET', '/api/v1/brand-kit')
    expect(res.status).toBe(200)
    expect(res.body).toHaveLength(1)
    expect(res.body[0]).toMatchObject({ id: kitId, isDefault: true, websiteUrl: 'https://www.example.com', senderProfileId: SEED.senders.receipts.id })
  })

  it('creates (201), retrieves, updates, clears, sets the default and deletes', async () => {
    const { api } = setup()
    const created = await api('POST', '/api/v1/brand-kit', { body: { name: 'Outdoor', colors: { primary: '#00aa00' }, fonts: { heading: 'Lora' } } })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({
      name: 'Outdoor',
      isDefault: false,
      websiteUrl: null,
      logos: [],
      colors: { primary: '#00aa00', secondary: null, accent: null, background: null, text: null },
      fonts: { heading: 'Lora', body: null },
      senderDefaults: { fromName: null, fromEmail: null, replyTo: null },
    })
    const id = created.body.id
    expect((await api('GET', `/api/v1/brand-kit/${id}`)).body).toEqual(created.body)

    const updated = await api('PATCH', `/api/v1/brand-kit/${id}`, {
      body: { name: 'Acme Outdoor', colors: { text: '#111111' }, senderDefaults: { fromName: 'Acme Outdoor' }, websiteUrl: 'https://outdoor.example.com' },
    })
    expect(updated.body).toMatchObject({ name: 'Acme Outdoor', websiteUrl: 'https://outdoor.example.com', colors: { primary: '#00aa00', text: '#111111' } })
    expect(updated.body.senderDefaults.fromName).toBe('Acme Outdoor')
    expect((await api('PATCH', `/api/v1/brand-kit/${id}`, { body: { websiteUrl: null } })).body.websiteUrl).toBeNull()

    const cleared = await api('POST', `/api/v1/brand-kit/${id}/clear`)
    expect(cleared.body).toMatchObject({ name: 'Acme Outdoor', logos: [], fonts: { heading: null, body: null }, colors: { primary: null, text: null } })
    expect(cleared.body.senderDefaults.fromName).toBe('Acme Outdoor')

    const made = await api('POST', `/api/v1/brand-kit/${id}/default`)
    expect(made.body.isDefault).toBe(true)
    expect((await api('POST', `/api/v1/brand-kit/${id}/default`)).body.isDefault).toBe(true)
    const list = await api('GET', '/api/v1/brand-kit')
    expect(list.body.map((k: any) => [k.id, k.isDefault])).toEqual([
      [id, true],
      [kitId, false],
    ])
    expect((await api('DELETE', `/api/v1/brand-kit/${kitId}`)).status).toBe(204)
    expect((await api('GET', `/api/v1/brand-kit/${kitId}`)).status).toBe(404)
  })

  it('answers 409 conflict to deleting the default kit', async () => {
    const { api } = setup()
    const res = await api('DELETE', `/api/v1/brand-kit/${kitId}`)
    expect(res.status).toBe(409)
    expect(res.body.error).toBe('conflict')
  })

  it('refuses bad colors with 400', async () => {
    const { api } = setup()
    expect((await api('POST', '/api/v1/brand-kit', { body: { name: 'X', colors: { primary: 'blue' } } })).status).toBe(400)
  })

  it('refuses logos that are not ready assets, and unknown senders, with 422 validation_failed', async () => {
    const { api } = setup()
    const logo = await api('POST', '/api/v1/brand-kit', { body: { name: 'X', logos: [{ assetId: MISSING_UUID, variant: 'primary' }] } })
    expect(logo.status).toBe(422)
    expect(logo.body).toEqual({
      error: 'validation_failed',
      message: expect.stringContaining('logos.0.assetId'),
      details: { field: 'logos.0.assetId', assetId: MISSING_UUID },
    })
    const patchedLogo = await api('PATCH', `/api/v1/brand-kit/${kitId}`, { body: { logos: [{ assetId: MISSING_UUID, variant: 'icon' }] } })
    expect(patchedLogo.status).toBe(422)
    expect(patchedLogo.body.details.field).toBe('logos.0.assetId')
    for (const [method, path] of [['POST', '/api/v1/brand-kit'], ['PATCH', `/api/v1/brand-kit/${kitId}`]] as const) {
      const sender = await api(method, path, { body: { name: 'X', senderProfileId: MISSING_UUID } })
      expect(sender.status).toBe(422)
      expect(sender.body).toMatchObject({ error: 'validation_failed', message: expect.stringContaining('senderProfileId'), details: { field: 'senderProfileId' } })
    }
    expect((await api('GET', `/api/v1/brand-kit/${kitId}`)).body.name).not.toBe('X')
  })

  it.each([
    ['GET', ''],
    ['PATCH', ''],
    ['DELETE', ''],
    ['POST', '/clear'],
    ['POST', '/default'],
    ['POST', '/extract'],
    ['GET', '/extraction-progress'],
  ])('answers 404 for %s an unknown kit%s', async (method, suffix) => {
    const { api } = setup()
    const res = await api(method, `/api/v1/brand-kit/${MISSING_UUID}${suffix}`, method === 'PATCH' ? { body: {} } : {})
    expect(res.status).toBe(404)
  })

  it('needs brand-kit:read and brand-kit:write', async () => {
    const { api, sandbox } = setup()
    const none = sandbox.addApiKey({ scopes: ['emails:write'] })
    expect((await api('GET', '/api/v1/brand-kit', { key: none })).body.details.required).toEqual(['brand-kit:read'])
    expect((await api('GET', `/api/v1/brand-kit/${kitId}/extraction-progress`, { key: none })).status).toBe(403)
    const res = await api('POST', `/api/v1/brand-kit/${kitId}/extract`, { key: sandbox.readOnlyApiKey })
    expect(res.body.details.required).toEqual(['brand-kit:write'])
  })
})

describe('extraction', () => {
  it('reports zero steps before any extraction', async () => {
    const { api } = setup()
    const res = await api('GET', `/api/v1/brand-kit/${kitId}/extraction-progress`)
    expect(res.body).toEqual({ currentStep: 'not_started', completedSteps: 0, totalSteps: 4, isComplete: false, isFailed: false, error: null })
  })

  it('progresses step by step on the clock and applies what it found', async () => {
    const { api, sandbox } = setup()
    await api('POST', `/api/v1/brand-kit/${kitId}/clear`)
    const started = await api('POST', `/api/v1/brand-kit/${kitId}/extract`)
    expect(started.status).toBe(202)
    expect(started.body).toEqual({ currentStep: EXTRACTION_STEPS[0], completedSteps: 0, totalSteps: 4, isComplete: false, isFailed: false, error: null })
    const seen: string[] = []
    for (let step = 1; step <= 4; step++) {
      sandbox.clock.advance(500)
      const progress = (await api('GET', `/api/v1/brand-kit/${kitId}/extraction-progress`)).body
      expect(progress.completedSteps).toBe(step)
      seen.push(progress.currentStep)
    }
    expect(seen).toEqual([...EXTRACTION_STEPS.slice(1), 'complete'])
    const kit = (await api('GET', `/api/v1/brand-kit/${kitId}`)).body
    expect(kit.colors.primary).toMatch(/^#[0-9a-f]{6}$/)
    expect(kit.fonts).toEqual({ heading: 'Inter', body: 'Inter' })
  })

  it('answers 409 conflict while an extraction is running, and allows a new one after', async () => {
    const { api, sandbox } = setup()
    expect((await api('POST', `/api/v1/brand-kit/${kitId}/extract`)).status).toBe(202)
    const busy = await api('POST', `/api/v1/brand-kit/${kitId}/extract`)
    expect(busy.status).toBe(409)
    expect(busy.body.error).toBe('conflict')
    sandbox.clock.advance(2000)
    expect((await api('POST', `/api/v1/brand-kit/${kitId}/extract`, { body: { websiteUrl: 'https://shop.example.com' } })).status).toBe(202)
    expect((await api('GET', `/api/v1/brand-kit/${kitId}`)).body.websiteUrl).toBe('https://shop.example.com')
  })

  it('answers 422 without any website to extract from', async () => {
    const { api } = setup()
    const kit = await api('POST', '/api/v1/brand-kit', { body: { name: 'No site' } })
    const res = await api('POST', `/api/v1/brand-kit/${kit.body.id}/extract`)
    expect(res.status).toBe(422)
    expect(res.body.error).toBe('validation_failed')
  })

  it('refuses a websiteUrl that is not a URL with 400', async () => {
    const { api } = setup()
    expect((await api('POST', `/api/v1/brand-kit/${kitId}/extract`, { body: { websiteUrl: 'not a url' } })).status).toBe(400)
  })

  it('fails for a site under the .invalid TLD', async () => {
    const { api, sandbox } = setup()
    await api('POST', `/api/v1/brand-kit/${kitId}/extract`, { body: { websiteUrl: 'https://acme.invalid' } })
    sandbox.clock.advance(500)
    const res = await api('GET', `/api/v1/brand-kit/${kitId}/extraction-progress`)
    expect(res.body).toMatchObject({ currentStep: 'fetching_website', completedSteps: 0, isComplete: false, isFailed: true })
    expect(res.body.error).toMatch(/acme\.invalid/)
    expect((await api('POST', `/api/v1/brand-kit/${kitId}/extract`, { body: { websiteUrl: 'https://www.example.com' } })).status).toBe(202)
  })
})

import { describe, expect, it, vi } from 'vitest'

import { APIResponseValidationError, ValidationError } from '../../src/index.ts'
import { BASE_URL, json, makeClient, mockFetch, TEST_KEY, UUID } from '../helpers/mock-fetch.ts'

const email = { templateKey: 'receipt-default', to: { email: 'alex@example.com' } }

describe('request validation', () => {
  it('refuses a body that breaks the spec, with readable issues, and sends nothing', async () => {
    const server = mockFetch()
    const client = makeClient(server.fetch)

    const error = (await client.emails.send({ templateKey: 'receipt-default', to: { email: 'not-an-address' } }).catch((e: unknown) => e)) as ValidationError

    expect(error).toBeInstanceOf(ValidationError)
    expect(error.issues).toEqual([{ path: 'to.email', message: 'Invalid email address' }])
    expect(error.message).toBe('Invalid emails.send request: to.email: Invalid email address')
    expect(server.requests).toHaveLength(0)
  })

  it('names the alternatives when a one-of rule is broken', async () => {
    const client = makeClient(mockFetch().fetch)

    const error = (await client.emails.send({ to: {} } as never).catch((e: unknown) => e)) as ValidationError

    expect(error.issues).toEqual([
      { path: '', message: 'needs one of: templateId, templateKey' },
      { path: '', message: 'needs one of: profileId, to.email, to.externalId' },
    ])
  })

  it('explains the branches of a one-of rule broken in another way', async () => {
    const client = makeClient(mockFetch().fetch)

    const error = (await client.events.track({ event: 'x', profile: { email: 42 } } as never).catch((e: unknown) => e)) as ValidationError

    expect(error.issues[0]?.path).toBe('profile')
    expect(error.issues[0]?.message).toBe(
      "must match one of: (email: Invalid input: expected string, received number) or " +
        "(email: Invalid input: expected string, received number, externalId: Invalid input: expected string, received undefined)",
    )
  })

  it('checks query parameters', async () => {
    const server = mockFetch()
    const client = makeClient(server.fetch)

    const error = (await client.assets.list({ limit: 500 }).catch((e: unknown) => e)) as ValidationError

    expect(error).toBeInstanceOf(ValidationError)
    expect(error.issues[0]?.path).toBe('limit')
    expect(server.requests).toHaveLength(0)
  })

  it('checks path ids against the spec (uuid)', async () => {
    const server = mockFetch()
    const client = makeClient(server.fetch)

    const error = (await client.templates.update('not-a-uuid', { name: 'x' }).catch((e: unknown) => e)) as ValidationError

    expect(error.issues).toEqual([{ path: 'id', message: 'Invalid UUID' }])
    expect(server.requests).toHaveLength(0)
  })

  it('sends the caller’s own object: unknown fields and exact values survive', async () => {
    const server = mockFetch(() => json(202, { id: UUID }))
    const client = makeClient(server.fetch)
    const body = { ...email, subject: '  spaced  ', futureField: { nested: [1, 2] } }

    await client.emails.send(body)

    expect(server.requests[0]?.rawBody).toBe(JSON.stringify(body))
  })

  it('sends what zod would coerce, as the caller wrote it', async () => {
    const server = mockFetch(() => json(200, { success: true, assets: [], nextCursor: null }))
    const client = makeClient(server.fetch)

    await client.assets.list({ limit: '5' as unknown as number })

    expect(server.requests[0]?.url.search).toBe('?limit=5')
  })

  it('checks nothing with validate: false, and sends the body as is', async () => {
    const server = mockFetch(() => json(202, { id: UUID }))
    const client = makeClient(server.fetch, { validate: false })

    await client.emails.send({ to: { email: 'not-an-address' } } as never)
    await client.templates.retrieve('not-a-uuid')

    expect(server.requests.map((r) => r.path)).toEqual(['/api/v1/emails', '/api/v1/templates/not-a-uuid'])
  })

  it.each(['..', '.', ''])('refuses the id %j even with validate: false: it would change the route', async (id) => {
    const server = mockFetch()
    const client = makeClient(server.fetch, { validate: false })

    await expect(client.profiles.retrieve(id)).rejects.toBeInstanceOf(ValidationError)
    expect(server.requests).toHaveLength(0)
  })

  it('does not check an optional body the caller left out', async () => {
    const server = mockFetch(() => json(201, { id: UUID }))
    const client = makeClient(server.fetch)

    await client.templates.duplicate(UUID)

    expect(server.requests[0]?.rawBody).toBe('')
  })

  it('refuses a missing required body', async () => {
    const server = mockFetch()
    const client = makeClient(server.fetch)

    await expect(client.events.track(undefined as never)).rejects.toBeInstanceOf(ValidationError)
    expect(server.requests).toHaveLength(0)
  })
})

describe('per-call options', () => {
  it.each([
    [{ maxRetries: Number.NaN }, 'options.maxRetries'],
    [{ maxRetries: -1 }, 'options.maxRetries'],
    [{ timeout: 0 }, 'options.timeout'],
    [{ timeout: 2 ** 31 }, 'options.timeout'],
  ])('refuses %o, which would retry forever or time out at once', async (options, path) => {
    const server = mockFetch()
    const client = makeClient(server.fetch)

    const error = (await client.templates.list(undefined, options).catch((e: unknown) => e)) as ValidationError

    expect(error.issues).toEqual([expect.objectContaining({ path })])
    expect(server.requests).toHaveLength(0)
  })
})

describe('response validation', () => {
  it('is off by default: a response off the spec is returned as is', async () => {
    const client = makeClient(mockFetch(() => json(200, { unexpected: true })).fetch)

    await expect(client.emails.retrieve(UUID)).resolves.toEqual({ unexpected: true })
  })

  it('throws APIResponseValidationError with issues when opted in', async () => {
    const client = makeClient(mockFetch(() => json(200, { id: 'x' }, { 'x-request-id': 'req_bad' })).fetch, { validate: { response: true } })

    const error = (await client.emails.retrieve(UUID).catch((e: unknown) => e)) as APIResponseValidationError

    expect(error).toBeInstanceOf(APIResponseValidationError)
    expect(error.requestId).toBe('req_bad')
    expect(error.issues.length).toBeGreaterThan(0)
  })

  it('passes a response that matches the spec', async () => {
    const template = {
      id: UUID,
      organizationId: UUID,
      name: 'Receipt',
      key: 'receipt-default',
      type: 'Email',
      status: 'Active',
      purpose: 'Transactional',
      isComplete: true,
      lastGeneratedAt: null,
      lastGenerationError: null,
      language: 'en',
      createdAt: '2025-01-01T00:00:00Z',
      updatedAt: '2025-01-01T00:00:00Z',
      defaultSegmentId: null,
      source: 'api',
      websiteId: null,
      website: null,
    }
    const client = makeClient(mockFetch(() => json(200, [template])).fetch, { validate: true })

    const result = await client.templates.list().catch((e: unknown) => e)
    expect(result).toEqual([template])
  })
})

describe('the schemas, loaded on first use', () => {
  // A fresh copy of the SDK's modules, as a process that has just imported it has.
  async function freshSDK() {
    vi.resetModules()
    const validation = await import('../../src/core/validation.ts')
    const { SegmentFlow } = await import('../../src/index.ts')
    return { validation, SegmentFlow }
  }

  it('are not loaded by importing the SDK, and are by its first validated call', async () => {
    const { validation, SegmentFlow } = await freshSDK()
    expect(validation.loadedSchemas()).toBeUndefined()
    const client = new SegmentFlow({ apiKey: TEST_KEY, baseURL: BASE_URL, fetch: mockFetch().fetch, logLevel: 'off' })

    const error = await client.emails.send({ to: {} } as never).catch((e: unknown) => e)

    expect(error).toMatchObject({ name: 'ValidationError' })
    expect(validation.loadedSchemas()).toBeDefined()
  })

  it('are never loaded by a client with validation off', async () => {
    const { validation, SegmentFlow } = await freshSDK()
    const client = new SegmentFlow({ apiKey: TEST_KEY, baseURL: BASE_URL, fetch: mockFetch(() => json(202, { id: UUID })).fetch, logLevel: 'off', validate: false })

    await client.emails.send({ to: {} } as never)

    expect(validation.loadedSchemas()).toBeUndefined()
  })

  it('are loaded again by the next call when a load fails', async () => {
    vi.resetModules()
    vi.doMock('../../generated/zod/operations.ts', () => {
      throw new Error('chunk missing')
    })
    const failing = await import('../../src/core/validation.ts')
    await expect(failing.loadSchemas()).rejects.toThrow()
    vi.doUnmock('../../generated/zod/operations.ts')

    await expect(failing.loadSchemas()).resolves.toBeDefined()
    expect(failing.loadedSchemas()).toBeDefined()
  })
})

describe('an allOf body, checked part by part', () => {
  it('gets the issues zod gives for the whole schema, in the same order', async () => {
    const { operations } = await import('../../generated/zod/operations.ts')
    const { checkSchema } = await import('../../src/core/validation.ts')
    const cases: Array<[keyof typeof operations, unknown]> = [
      ['sendEmail', {}],
      ['sendEmail', { to: {} }],
      ['sendEmail', { templateKey: 'receipt-default', templateId: UUID, to: { email: 'not-an-address' } }],
      ['sendEmail', { templateKey: '', profileId: '', cc: 5, data: [] }],
      ['sendEmail', { templateId: 'not-a-uuid', to: { externalId: '' }, tracking: { clicks: 'yes' } }],
      ['sendEmail', { templateKey: 'receipt-default', to: { email: 'alex@example.com' } }],
      ['listProfiles', { limit: 0, cursor: '', search: 5 }],
      ['listProfiles', { limit: 100 }],
      ['batchSendEmails', { items: [{ to: {} }] }],
    ]
    for (const [operation, body] of cases) {
      const schema = operations[operation].request as unknown as Parameters<typeof checkSchema>[0] & object
      // The same schema behind a plain object: nothing to split, so zod checks it whole.
      const whole = { safeParse: (value: unknown) => schema.safeParse(value) }
      expect(checkSchema(schema, body), `${operation} ${JSON.stringify(body)}`).toEqual(checkSchema(whole, body))
    }
  })
})

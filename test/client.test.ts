import { inspect } from 'node:util'

import { afterEach, describe, expect, it, vi } from 'vitest'

import DefaultExport, { SegmentFlow, SegmentFlowError, Segmentflow, VERSION } from '../src/index.ts'
import { BASE_URL, json, makeClient, mockFetch, TEST_KEY, UUID } from './helpers/mock-fetch.ts'

afterEach(() => {
  vi.unstubAllEnvs()
  vi.unstubAllGlobals()
})

describe('constructing a client', () => {
  it('exports the class as default, by name and as Segmentflow', () => {
    expect(DefaultExport).toBe(SegmentFlow)
    expect(Segmentflow).toBe(SegmentFlow)
  })

  it('refuses to start without an API key, saying where to put one', () => {
    vi.stubEnv('SEGMENTFLOW_API_KEY', '')
    expect(() => new SegmentFlow()).toThrow(SegmentFlowError)
    expect(() => new SegmentFlow()).toThrow(/SEGMENTFLOW_API_KEY/)
    expect(() => new SegmentFlow({ apiKey: '' })).toThrow(/apiKey/)
  })

  it('reads the key and base URL from the environment', async () => {
    vi.stubEnv('SEGMENTFLOW_API_KEY', 'sk_live_from_env_123')
    vi.stubEnv('SEGMENTFLOW_BASE_URL', 'https://eu.segmentflow.test/')
    const server = mockFetch(() => json(200, []))

    const client = new SegmentFlow({ fetch: server.fetch })
    await client.templates.list()

    expect(client.baseURL).toBe('https://eu.segmentflow.test')
    expect(server.requests[0]?.url.href).toBe('https://eu.segmentflow.test/api/v1/templates')
    expect(server.requests[0]?.headers['x-api-key']).toBe('sk_live_from_env_123')
  })

  it('prefers options over the environment', () => {
    vi.stubEnv('SEGMENTFLOW_BASE_URL', 'https://eu.segmentflow.test')
    expect(new SegmentFlow({ apiKey: TEST_KEY, baseURL: BASE_URL }).baseURL).toBe(BASE_URL)
  })

  it('defaults to the public API, 60 s per attempt and 2 retries', () => {
    vi.stubEnv('SEGMENTFLOW_BASE_URL', '')
    const client = new SegmentFlow({ apiKey: TEST_KEY })
    expect(client.baseURL).toBe('https://api.segmentflow.ai')
    expect(client.timeout).toBe(60_000)
    expect(client.maxRetries).toBe(2)
  })

  it('works where `process` does not exist (Workers, Edge)', () => {
    vi.stubGlobal('process', undefined)
    expect(() => new SegmentFlow()).toThrow(/Missing API key/)
    expect(new SegmentFlow({ apiKey: TEST_KEY }).baseURL).toBe('https://api.segmentflow.ai')
  })

  it('works where reading the environment throws (Deno without --allow-env)', () => {
    vi.stubGlobal('process', {
      get env(): never {
        throw new Error('Requires env access')
      },
    })
    expect(new SegmentFlow({ apiKey: TEST_KEY }).baseURL).toBe('https://api.segmentflow.ai')
  })

  it('refuses to run in a browser unless told it is fine', () => {
    vi.stubGlobal('window', {})
    vi.stubGlobal('document', {})

    expect(() => new SegmentFlow({ apiKey: TEST_KEY })).toThrow(/browser/)
    expect(() => new SegmentFlow({ apiKey: TEST_KEY, dangerouslyAllowBrowser: true })).not.toThrow()
  })

  it('sends no user-agent from a browser, where scripts may not set it', async () => {
    vi.stubGlobal('window', {})
    vi.stubGlobal('document', {})
    const server = mockFetch(() => json(200, []))

    await makeClient(server.fetch, { dangerouslyAllowBrowser: true }).templates.list()

    expect(server.requests[0]?.headers['user-agent']).toBeUndefined()
    expect(server.requests[0]?.headers['x-segmentflow-sdk']).toBe(`typescript/${VERSION}`)
  })

  it('does not take Deno for a browser', () => {
    vi.stubGlobal('window', {})
    vi.stubGlobal('document', {})
    vi.stubGlobal('Deno', {})
    expect(() => new SegmentFlow({ apiKey: TEST_KEY })).not.toThrow()
  })

  it.each([
    [{ baseURL: 'api.segmentflow.ai' }, /baseURL/],
    [{ baseURL: 'ftp://api.segmentflow.ai' }, /baseURL/],
    [{ timeout: 0 }, /timeout/],
    [{ timeout: Number.NaN }, /timeout/],
    [{ timeout: 2 ** 31 }, /timeout/],
    [{ maxRetries: -1 }, /maxRetries/],
    [{ maxRetries: 1.5 }, /maxRetries/],
    [{ fetch: 'nope' as never }, /fetch/],
    [{ logLevel: 'loud' as never }, /logLevel/],
  ])('refuses the option %o', (options, message) => {
    expect(() => new SegmentFlow({ apiKey: TEST_KEY, ...options })).toThrow(message)
  })

  it('refuses a key with a newline without quoting it', () => {
    let error: unknown
    try {
      new SegmentFlow({ apiKey: `${TEST_KEY}\n` })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(SegmentFlowError)
    expect(String(error)).not.toContain(TEST_KEY)
  })

  it('shows no key when logged or serialised', () => {
    const client = makeClient(mockFetch().fetch)
    expect(inspect(client, { depth: 5, showHidden: true })).not.toContain(TEST_KEY)
    expect(JSON.stringify(client)).not.toContain(TEST_KEY)
  })
})

describe('using a client', () => {
  it('offers the namespaces again under v1, as the public docs write them', async () => {
    const server = mockFetch(() => json(202, { id: UUID }))
    const client = makeClient(server.fetch)

    expect(client.v1.emails).toBe(client.emails)
    expect(Object.keys(client.v1).sort()).toEqual(['assets', 'brandKits', 'emails', 'events', 'profiles', 'templates'])
    await client.v1.emails.send({ templateKey: 'receipt-default', to: { email: 'alex@example.com' } })
    expect(server.requests[0]?.path).toBe('/api/v1/emails')
  })

  it('never mixes two clients used at the same time', async () => {
    const server = mockFetch(async (request) => {
      // Answer out of order, so that the calls interleave.
      await new Promise((resolve) => setTimeout(resolve, request.headers['x-api-key'] === 'sk_test_aaaa_1111' ? 20 : 1))
      return json(200, [{ key: request.headers['x-api-key'], team: request.headers['x-team'] }])
    })
    const a = new SegmentFlow({ apiKey: 'sk_test_aaaa_1111', baseURL: BASE_URL, fetch: server.fetch, defaultHeaders: { 'x-team': 'a' } })
    const b = new SegmentFlow({ apiKey: 'sk_test_bbbb_2222', baseURL: BASE_URL, fetch: server.fetch, defaultHeaders: { 'x-team': 'b' } })

    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).templates.list()))

    results.forEach((result, i) => {
      expect(result).toEqual([i % 2 === 0 ? { key: 'sk_test_aaaa_1111', team: 'a' } : { key: 'sk_test_bbbb_2222', team: 'b' }])
    })
  })

  it('looks the global fetch up at call time, not at construction', async () => {
    const client = new SegmentFlow({ apiKey: TEST_KEY, baseURL: BASE_URL, logLevel: 'off' })
    const server = mockFetch(() => json(200, []))
    vi.stubGlobal('fetch', server.fetch)

    await client.templates.list()

    expect(server.requests).toHaveLength(1)
  })

  it('makes a changed copy with withOptions, keeping the rest', async () => {
    const server = mockFetch(() => json(200, []))
    const client = makeClient(server.fetch, { defaultHeaders: { 'x-team': 'growth' } })

    const patient = client.withOptions({ timeout: 120_000, maxRetries: 5 })
    await patient.templates.list()

    expect(patient).not.toBe(client)
    expect(patient.timeout).toBe(120_000)
    expect(patient.maxRetries).toBe(5)
    expect(client.maxRetries).toBe(2)
    expect(server.requests[0]?.headers['x-api-key']).toBe(TEST_KEY)
    expect(server.requests[0]?.headers['x-team']).toBe('growth')
  })

  it('lets defaultHeaders replace the identification headers', async () => {
    const server = mockFetch(() => json(200, []))

    await makeClient(server.fetch, { defaultHeaders: { 'user-agent': 'my-app/1.0' } }).templates.list()

    expect(server.requests[0]?.headers['user-agent']).toBe('my-app/1.0')
  })
})

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

import { type Logger } from '../../src/index.ts'
import { errorResponse, json, makeClient, mockFetch, TEST_KEY, UUID } from '../helpers/mock-fetch.ts'

function spyLogger() {
  const lines: Array<{ level: keyof Logger; text: string }> = []
  const at = (level: keyof Logger) => (message: string, ...rest: unknown[]) => {
    lines.push({ level, text: [message, ...rest.map((r) => JSON.stringify(r))].join(' ') })
  }
  const logger: Logger = { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') }
  return { logger, lines }
}

const email = { templateKey: 'receipt-default', to: { email: 'alex@example.com' }, data: { secretNote: 'card 4242' } }

describe('logging', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
    vi.unstubAllEnvs()
  })

  it('logs method, path, status, attempt, request id and duration at debug', async () => {
    const { logger, lines } = spyLogger()
    const server = mockFetch(() => json(200, { id: UUID }, { 'x-request-id': 'req_42' }))
    const client = makeClient(server.fetch, { logger, logLevel: 'debug' })

    await client.templates.retrieve(UUID)

    expect(lines).toHaveLength(1)
    expect(lines[0]?.level).toBe('debug')
    expect(lines[0]?.text).toMatch(new RegExp(`^\\[segmentflow\\] GET /api/v1/templates/${UUID} -> 200 \\(attempt 1/3, \\d+ ms, request id req_42\\)$`))
  })

  it('logs each retry at info, and every attempt at debug', async () => {
    const { logger, lines } = spyLogger()
    const server = mockFetch((_r, i) => (i === 0 ? errorResponse(503, 'service_unavailable', { headers: { 'retry-after': '1' } }) : json(202, { id: 'e1' })))
    const client = makeClient(server.fetch, { logger, logLevel: 'debug' })

    const call = client.emails.send(email)
    await vi.runAllTimersAsync()
    await call

    expect(lines.map((l) => l.level)).toEqual(['debug', 'info', 'debug'])
    expect(lines[0]?.text).toContain('POST /api/v1/emails -> 503 (attempt 1/3')
    expect(lines[1]?.text).toContain('POST /api/v1/emails -> 503, retrying in 1000 ms (attempt 2/3)')
    expect(lines[2]?.text).toContain('POST /api/v1/emails -> 202 (attempt 2/3')
  })

  it('names the error of an attempt that got no response', async () => {
    const { logger, lines } = spyLogger()
    const client = makeClient(
      async () => {
        throw new TypeError('fetch failed')
      },
      { logger, logLevel: 'debug', maxRetries: 0 },
    )

    await client.templates.list().catch(() => undefined)

    expect(lines[0]?.text).toContain('GET /api/v1/templates -> APIConnectionError (attempt 1/1')
  })

  it('never logs the key, a header or a body, at any level', async () => {
    const { logger, lines } = spyLogger()
    const server = mockFetch((_r, i) => (i === 0 ? errorResponse(500, 'internal_error', { message: `boom ${TEST_KEY}` }) : json(202, { id: 'e1' })))
    const client = makeClient(server.fetch, { logger, logLevel: 'debug' })

    const call = client.emails.send(email, { idempotencyKey: 'order-1' })
    await vi.runAllTimersAsync()
    await call

    expect(lines.length).toBeGreaterThan(0)
    for (const { text } of lines) {
      expect(text).not.toContain(TEST_KEY)
      expect(text).not.toContain('4242')
      expect(text).not.toContain('order-1')
    }
  })

  it('logs nothing below the level: info hides the per-attempt lines', async () => {
    const { logger, lines } = spyLogger()
    const client = makeClient(mockFetch(() => json(200, [])).fetch, { logger, logLevel: 'info' })

    await client.templates.list()

    expect(lines).toEqual([])
  })

  it("logs nothing with 'off'", async () => {
    const { logger, lines } = spyLogger()
    const server = mockFetch((_r, i) => (i === 0 ? errorResponse(503, 'x') : json(200, [])))
    const client = makeClient(server.fetch, { logger, logLevel: 'off' })

    const call = client.templates.list()
    await vi.runAllTimersAsync()
    await call

    expect(lines).toEqual([])
  })

  it('takes the level from SEGMENTFLOW_LOG', async () => {
    vi.stubEnv('SEGMENTFLOW_LOG', 'debug')
    const { logger, lines } = spyLogger()
    const client = makeClient(mockFetch(() => json(200, [])).fetch, { logger, logLevel: undefined })

    await client.templates.list()

    expect(lines.map((l) => l.level)).toEqual(['debug'])
  })

  it('warns about an unknown SEGMENTFLOW_LOG and falls back to warn', async () => {
    vi.stubEnv('SEGMENTFLOW_LOG', 'verbose')
    const { logger, lines } = spyLogger()
    const client = makeClient(mockFetch(() => json(200, [])).fetch, { logger, logLevel: undefined })

    await client.templates.list()

    expect(lines).toEqual([{ level: 'warn', text: expect.stringContaining('SEGMENTFLOW_LOG="verbose" is not a log level') }])
  })

  it('writes to console by default', async () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => undefined)
    const client = makeClient(mockFetch(() => json(200, [])).fetch, { logLevel: 'debug' })

    await client.templates.list()

    expect(debug).toHaveBeenCalledWith(expect.stringContaining('GET /api/v1/templates -> 200'))
    debug.mockRestore()
  })
})

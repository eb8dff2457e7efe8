import { describe, expect, it } from 'vitest'
import { setup } from './helpers.ts'

describe('rate limiting', () => {
  it('is off by default', async () => {
    const { api } = setup()
    for (let i = 0; i < 30; i++) {
      const res = await api('GET', '/api/v1/templates')
      expect(res.status).toBe(200)
      expect(res.headers.get('x-ratelimit-limit')).toBeNull()
    }
  })

  it('answers 429 rate_limited with Retry-After and the x-ratelimit headers, per key, until the window resets', async () => {
    const { api, sandbox } = setup({ rateLimit: { limit: 2, windowMs: 2000 } })
    const first = await api('GET', '/api/v1/templates')
    expect([first.headers.get('x-ratelimit-limit'), first.headers.get('x-ratelimit-remaining'), first.headers.get('x-ratelimit-reset')]).toEqual(['2', '1', '2'])
    expect((await api('GET', '/api/v1/brand-kit')).headers.get('x-ratelimit-remaining')).toBe('0')
    sandbox.clock.advance(500)
    const limited = await api('POST', '/api/v1/profiles')
    expect(limited.status).toBe(429)
    expect(limited.body.error).toBe('rate_limited')
    expect(limited.headers.get('retry-after')).toBe('2')
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0')
    expect(limited.headers.get('x-request-id')).toMatch(/^req_/)

    expect((await api('GET', '/api/v1/templates', { key: sandbox.readOnlyApiKey })).status).toBe(200)

    sandbox.clock.advance(1500)
    expect((await api('GET', '/api/v1/templates')).status).toBe(200)
  })

  it('refuses a nonsense configuration', () => {
    expect(() => setup({ rateLimit: { limit: 0 } })).toThrow(RangeError)
  })
})

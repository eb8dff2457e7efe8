import { describe, expect, it } from 'vitest'
import { createSandbox } from '../../src/testing/index.ts'

describe('the sandbox clock', () => {
  it('stands still on manual and moves with advance() and set()', () => {
    const sandbox = createSandbox({ clock: 'manual', now: '2026-03-01T00:00:00Z' })
    expect(sandbox.clock.mode).toBe('manual')
    expect(sandbox.clock.date().toISOString()).toBe('2026-03-01T00:00:00.000Z')
    sandbox.clock.advance(1500)
    expect(sandbox.clock.date().toISOString()).toBe('2026-03-01T00:00:01.500Z')
    sandbox.clock.set('2027-01-01T00:00:00Z')
    expect(sandbox.clock.now()).toBe(Date.parse('2027-01-01T00:00:00Z'))
    expect(() => sandbox.clock.advance(-1)).toThrow(RangeError)
  })

  it('follows real time by default, and advance() skews it forward', () => {
    const sandbox = createSandbox()
    expect(sandbox.clock.mode).toBe('real')
    expect(Math.abs(sandbox.clock.now() - Date.now())).toBeLessThan(60_000)
    sandbox.clock.advance(24 * 60 * 60 * 1000)
    expect(sandbox.clock.now() - Date.now()).toBeGreaterThan(23 * 60 * 60 * 1000)
  })

  it('brings records up to date on advance, without a request', async () => {
    const sandbox = createSandbox({ clock: 'manual' })
    const res = await sandbox.fetch('/api/v1/emails', {
      method: 'POST',
      headers: { 'x-api-key': sandbox.apiKey, 'content-type': 'application/json', 'Idempotency-Key': 'k' },
      body: JSON.stringify({ templateKey: 'receipt-default', to: { email: 'alex@example.com' } }),
    })
    const { id } = await res.json()
    expect(sandbox.state.emailSends.get(id)?.status).toBe('Queued')
    sandbox.clock.advance(60_000)
    expect(sandbox.state.emailSends.get(id)?.status).toBe('Sent')
  })
})

// The small pure pieces the rules rest on: canonical JSON and derived keys, the allowlist matcher,
// the same-origin guard and the object view of the generated schemas.
import { describe, expect, it } from 'vitest'
import { auditLine, streamAudit } from '../src/audit.ts'
import { canonicalJson, deriveIdempotencyKey } from '../src/idempotency.ts'
import { addressOf, compileAllowlist } from '../src/recipients.ts'
import { sameOriginOnly } from '../src/sdk-gateway.ts'
import { objectView } from '../src/tools/input.ts'

describe('derived idempotency keys', () => {
  it('ignore key order at every depth, and undefined fields', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[2,{"y":2,"z":1}]},"b":1}')
  })

  it('are the same for the same request and differ for another tool or another request', async () => {
    const key = await deriveIdempotencyKey('emails_send', { to: { email: 'a@example.com' }, templateKey: 'r' })
    expect(key).toMatch(/^mcp:emails_send:[0-9a-f]{64}$/)
    expect(await deriveIdempotencyKey('emails_send', { templateKey: 'r', to: { email: 'a@example.com' } })).toBe(key)
    expect(await deriveIdempotencyKey('events_track', { templateKey: 'r', to: { email: 'a@example.com' } })).not.toBe(key)
    expect(await deriveIdempotencyKey('emails_send', { templateKey: 'r', to: { email: 'b@example.com' } })).not.toBe(key)
    // Array order is meaning (cc order, batch order), so it counts.
    expect(await deriveIdempotencyKey('t', { cc: ['a', 'b'] })).not.toBe(await deriveIdempotencyKey('t', { cc: ['b', 'a'] }))
  })

  it('are a SHA-256 of the tool and canonical JSON', async () => {
    const { createHash } = await import('node:crypto')
    const expected = createHash('sha256').update('emails_send\n{"a":1,"b":2}').digest('hex')
    expect(await deriveIdempotencyKey('emails_send', { b: 2, a: 1 })).toBe(`mcp:emails_send:${expected}`)
  })
})

describe('the recipient allowlist', () => {
  const allowed = compileAllowlist(['*@example.com', 'ops@acme.test', '*@*.corp.test'])

  it.each([
    ['alex@example.com', true],
    ['ALEX@Example.COM', true],
    ['ops@acme.test', true],
    ['dev@eu.corp.test', true],
    ['x@evil.example.com', false],
    ['alex@example.com.evil.test', false],
    ['other@acme.test', false],
    ['a@corp.test', false],
  ])('%s -> %s', (address, expected) => {
    expect(allowed(address)).toBe(expected)
  })

  it('reads the address out of "Name <addr>"', () => {
    expect(addressOf('Acme Receipts <Receipts@Example.com>')).toBe('receipts@example.com')
    expect(addressOf('alex@example.com')).toBe('alex@example.com')
    expect(addressOf('Acme Receipts')).toBeUndefined()
    expect(addressOf('a@b')).toBeUndefined()
  })
})

describe('the same-origin guard', () => {
  const ok = () => Promise.resolve(new Response('ok'))

  it('passes requests for the API origin', async () => {
    const fetch = sameOriginOnly('https://api.segmentflow.ai', ok)
    expect(await (await fetch('https://api.segmentflow.ai/api/v1/templates')).text()).toBe('ok')
    expect(await (await fetch(new Request('https://api.segmentflow.ai/api/v1/emails', { method: 'POST' }))).text()).toBe('ok')
  })

  it('refuses every other origin before anything is sent', async () => {
    let sent = 0
    const fetch = sameOriginOnly('https://api.segmentflow.ai', () => {
      sent += 1
      return ok()
    })
    await expect(fetch('https://attacker.test/collect')).rejects.toThrow('only talks to https://api.segmentflow.ai')
    await expect(fetch('http://api.segmentflow.ai/api/v1/templates')).rejects.toThrow('Refused')
    await expect(fetch(new Request('https://api.segmentflow.ai.attacker.test/'))).rejects.toThrow('Refused')
    expect(sent).toBe(0)
  })
})

describe('the object view of a schema', () => {
  it('merges allOf and anyOf branches, keeping the informative definition of a field', () => {
    const view = objectView({
      allOf: [
        { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
        {
          anyOf: [
            { type: 'object', properties: { b: { type: 'number' }, c: { type: 'null' } }, required: ['b'] },
            { type: 'object', properties: { c: { type: 'boolean' }, b: { type: 'null' } }, required: ['c'] },
          ],
        },
      ],
    })
    expect(view).toEqual({ properties: { a: { type: 'string' }, b: { type: 'number' }, c: { type: 'boolean' } }, required: ['a'] })
  })
})

describe('the audit line', () => {
  it('is one JSON line on its own prefix, without empty fields', () => {
    const line = auditLine({ tool: 'emails_send', outcome: 'error', errorCode: 'not_found', requestId: undefined, durationMs: 12 }, new Date('2026-01-15T09:00:00Z'))
    expect(line).toBe('segmentflow-mcp audit {"time":"2026-01-15T09:00:00.000Z","tool":"emails_send","outcome":"error","errorCode":"not_found","durationMs":12}\n')
  })

  it('goes to the writer it is given', () => {
    const lines: string[] = []
    streamAudit((text) => lines.push(text))({ tool: 'templates_list', outcome: 'ok', requestId: 'req_1', durationMs: 3 })
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0]!.slice('segmentflow-mcp audit '.length))).toMatchObject({ tool: 'templates_list', requestId: 'req_1' })
  })
})

import { describe, expect, it } from 'vitest'
import { describeStatus, redirectRefusal } from '../../src/core/errors.ts'
import { createRedactor, redactedSnippet } from '../../src/core/redact.ts'

const KEY = 'sk_live_Ab-9_xYz'

describe('createRedactor', () => {
  const redact = createRedactor([KEY])

  it('scrubs the key in any letter case, URL-encoded or JSON-escaped', () => {
    const quoted = createRedactor(['sk "quoted" /key'])
    expect(redact(`a ${KEY} b ${KEY.toLowerCase()} c ${KEY.toUpperCase()}`)).toBe('a [redacted] b [redacted] c [redacted]')
    expect(quoted(`x=${encodeURIComponent('sk "quoted" /key')}`)).toBe('x=[redacted]')
    expect(quoted(JSON.stringify({ k: 'sk "quoted" /key' }))).toBe('{"k":"[redacted]"}')
    expect(redact.reach).toBe(KEY.length)
  })

  it('leaves text alone without a secret worth the name', () => {
    const none = createRedactor([undefined, '', 'abc'])
    expect(none('abc def')).toBe('abc def')
    expect(none.reach).toBe(0)
  })
})

describe('redactedSnippet', () => {
  const redact = createRedactor([KEY])

  it('redacts before it cuts: a key across the cut leaves no prefix', () => {
    for (let offset = 0; offset < 30; offset++) {
      const snippet = redactedSnippet(`${'x'.repeat(offset)}${KEY}${'y'.repeat(40)}`, redact, 20)
      expect(snippet.toLowerCase()).not.toContain(KEY.slice(0, 4).toLowerCase())
      expect(snippet.length).toBeLessThanOrEqual(21)
    }
  })

  it('looks only at the window that can reach the cut', () => {
    let seen = 0
    const counting = Object.assign((text: string) => {
      seen = text.length
      return redact(text)
    }, { reach: redact.reach })
    redactedSnippet('z'.repeat(1_000_000), counting, 200)
    expect(seen).toBe(200 + KEY.length)
  })

  it('never ends on half a surrogate pair', () => {
    const snippet = redactedSnippet(`${'x'.repeat(9)}😀tail`, redact, 10)
    expect(snippet).toBe(`${'x'.repeat(9)}…`)
  })
})

describe('describeStatus and redirectRefusal', () => {
  const redact = createRedactor([KEY])

  it('scrub the status text, the body and the target', () => {
    expect(describeStatus(`Denied ${KEY}`, `  <p>${KEY}</p>  `, redact)).toBe('Denied [redacted] (unexpected body: <p>[redacted]</p>)')
    expect(describeStatus('', '', redact)).toBe('error (no body)')
    const target = new URL(`https://${KEY}.evil.test/${KEY}`)
    expect(redirectRefusal(target, 'https://api.test', 0, 5, redact)).toBe('Refused to follow a redirect to another origin (https://[redacted].evil.test): the request carries the API key')
    expect(redirectRefusal(new URL('https://api.test/x'), 'https://api.test', 5, 5, redact)).toBe('Stopped after 5 redirects')
    expect(redirectRefusal(new URL('https://api.test/x'), 'https://api.test', 4, 5, redact)).toBeUndefined()
  })
})

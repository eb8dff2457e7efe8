/**
 * Arguments and options of the wrong type, in every position: each must fail with a typed error
 * (`ValidationError` for a call, `SegmentFlowError` for the client's options) before anything is
 * sent, never with a raw `TypeError` from inside the SDK. Bodies include the values no schema can
 * judge: a getter that throws, a Proxy whose traps throw.
 */
import { describe, expect, it } from 'vitest'
import { SegmentFlow, SegmentFlowError, ValidationError, type ClientOptions } from '../../src/index.ts'
import { OPERATIONS, type OperationCase } from './harness/operations.ts'

function recorder() {
  let sent = 0
  const fetch: ClientOptions['fetch'] = async () => {
    sent++
    return Response.json({}, { status: 200 })
  }
  return { fetch, sent: () => sent }
}

/** The error a call ended with (thrown at once or rejected), or undefined. */
async function outcome(run: () => unknown): Promise<unknown> {
  try {
    await run()
    return undefined
  } catch (error) {
    return error
  }
}

const WRONG_IDS: Array<[string, unknown]> = [
  ['a number', 42],
  ['null', null],
  ['an object', { id: 'x' }],
  ['an array', ['x']],
  ['a symbol', Symbol('id')],
  ['a function', () => 'x'],
]

/** Bodies that throw when read: made fresh per call, since reading them is what is being tested. */
const THROWING_BODIES: Array<[string, () => unknown]> = [
  ['a getter that throws', () => Object.defineProperty({ name: 'n' }, 'subject', { enumerable: true, get: () => { throw new Error('getter') } })],
  ['a nested getter that throws', () => ({ to: Object.defineProperty({}, 'email', { enumerable: true, get: () => { throw new Error('nested getter') } }) })],
  ['a Proxy whose get trap throws', () => new Proxy({ name: 'n' }, { get: () => { throw new Error('get trap') } })],
  ['a Proxy whose ownKeys trap throws', () => new Proxy({ name: 'n' }, { ownKeys: () => { throw new Error('ownKeys trap') } })],
  ['a Proxy whose getOwnPropertyDescriptor trap throws', () => new Proxy({ name: 'n' }, { getOwnPropertyDescriptor: () => { throw new Error('descriptor trap') } })],
  ['a revoked Proxy', () => { const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); return proxy }],
  ['a toJSON that throws', () => ({ name: 'n', toJSON: () => { throw new Error('toJSON') } })],
  ['a BigInt', () => ({ name: 'n', size: 10n })],
  ['a cycle', () => { const body: Record<string, unknown> = { name: 'n' }; body.self = body; return body }],
]

const withPath = OPERATIONS.filter((op) => op.path !== undefined)
const withBody = OPERATIONS.filter((op) => op.body !== undefined)

/** The operation's path with every id replaced. */
function pathWith(op: OperationCase, id: unknown): Record<string, string> {
  return Object.fromEntries(Object.keys(op.path ?? {}).map((name) => [name, id])) as Record<string, string>
}

describe.each([true, false])('with validate: %s', (validate) => {
  it.each(WRONG_IDS)(`refuses an id that is %s, for every operation with a path id (${withPath.length})`, async (_name, id) => {
    const { fetch, sent } = recorder()
    const client = new SegmentFlow({ apiKey: 'sk_test_wrongtypes', baseURL: 'https://api.segmentflow.test', fetch, validate, logLevel: 'off' })
    for (const op of withPath) {
      const error = await outcome(() => op.invoke(client, { path: pathWith(op, id), body: {} }))
      expect(error, op.operation).toBeInstanceOf(ValidationError)
    }
    expect(sent()).toBe(0)
  })

  it.each(THROWING_BODIES)(`refuses a body with %s, for every operation with a body (${withBody.length})`, async (_name, body) => {
    const { fetch, sent } = recorder()
    const client = new SegmentFlow({ apiKey: 'sk_test_wrongtypes', baseURL: 'https://api.segmentflow.test', fetch, validate, logLevel: 'off' })
    for (const op of withBody) {
      const path = Object.fromEntries(Object.keys(op.path ?? {}).map((name) => [name, '6f1c2a39-2c4b-4f1e-9b8a-0d6c1a2b3c4d']))
      const error = await outcome(() => op.invoke(client, { path, body: body(), query: body() }))
      expect(error, `${op.operation}: ${String(error)}`).toBeInstanceOf(ValidationError)
    }
    expect(sent()).toBe(0)
  })
})

describe('the helpers', () => {
  const { fetch, sent } = recorder()
  const client = new SegmentFlow({ apiKey: 'sk_test_wrongtypes', baseURL: 'https://api.segmentflow.test', fetch, logLevel: 'off' })
  const email = { templateKey: 'receipt-default', to: { email: 'alex@example.com' } }
  const throwingProxy = () => new Proxy({}, { get: () => { throw new Error('trap') } })

  const calls: Array<[string, () => unknown]> = [
    ['batchSend with options that throw', () => client.emails.batchSend({ items: [email] }, throwingProxy() as never)],
    ['batchSend with a string for options', () => client.emails.batchSend({ items: [email] }, 'fast' as never)],
    ['batchSend with params that throw', () => client.emails.batchSend(throwingProxy() as never)],
    ['batchSend with items that throw', () => client.emails.batchSend({ items: [throwingProxy()] } as never)],
    ['batchSend of 150 with a null idempotency key', () => client.emails.batchSend({ items: Array.from({ length: 150 }, () => email) }, { idempotencyKey: null as never })],
    ['batchSend with a signal that is not one', () => client.emails.batchSend({ items: [email] }, { signal: {} as never })],
    ['waitForStatus with a symbol id', () => client.emails.waitForStatus(Symbol('id') as never)],
    ['waitForStatus with a signal that is not one', () => client.emails.waitForStatus('6f1c2a39-2c4b-4f1e-9b8a-0d6c1a2b3c4d', { signal: 'stop' as never })],
    ['waitForStatus with options that throw', () => client.emails.waitForStatus('6f1c2a39-2c4b-4f1e-9b8a-0d6c1a2b3c4d', throwingProxy() as never)],
    ['waitForExtraction with onProgress not a function', () => client.brandKits.waitForExtraction('brand', { onProgress: 'log' as never })],
    ['waitForExtraction with a symbol id', () => client.brandKits.waitForExtraction(Symbol('id') as never)],
    ['upload with params that throw', () => client.assets.upload(throwingProxy() as never)],
    ['upload with a number for the idempotency key', () => client.assets.upload({ data: new Uint8Array(1), filename: 'a.png' }, { idempotencyKey: 5 as never })],
    ['a list with options that are a number', () => client.profiles.list(undefined, 5 as never)],
    ['a list with headers that are a Headers', () => client.assets.list(undefined, { headers: new Headers({ 'x-a': '1' }) as never })],
  ]

  it.each(calls)('%s: a typed error, nothing sent', async (_name, call) => {
    const before = sent()
    const error = await outcome(call)
    expect(error, String(error)).toBeInstanceOf(SegmentFlowError)
    expect(error).not.toBeInstanceOf(TypeError)
    expect(sent()).toBe(before)
  })

  it('counts null options as none, as for any JavaScript API', async () => {
    const before = sent()
    await client.templates.list(undefined, null as never)
    await client.emails.batchSend({ items: [email] }, null as never)
    expect(sent()).toBe(before + 2)
  })
})

describe('the client options', () => {
  const KEY = 'sk_test_wrongtypes'
  const cases: Array<[string, () => unknown, RegExp]> = [
    ['a key that is not a string', () => ({ apiKey: 12345678 }), /apiKey must be a string, got a number/],
    ['options that are the key itself', () => KEY, /options must be an object of options, got a string/],
    ['a fetch that is not a function', () => ({ apiKey: KEY, fetch: 'fetch' }), /fetch must be a function/],
    ['a baseURL that is a number', () => ({ apiKey: KEY, baseURL: 443 }), /baseURL must be an absolute http\(s\) URL, got a number/],
    ['a logger without methods', () => ({ apiKey: KEY, logger: {} }), /logger must have the methods error, warn, info, debug/],
    ['a logger missing one method', () => ({ apiKey: KEY, logger: { error() {}, warn() {}, info() {} } }), /logger must have/],
    ['a validate that is a string', () => ({ apiKey: KEY, validate: 'yes' }), /validate must be a boolean or/],
    ['a validate whose fields are not booleans', () => ({ apiKey: KEY, validate: { request: 'on' } }), /validate must be a boolean or/],
    ['default headers that are a string', () => ({ apiKey: KEY, defaultHeaders: 'x-a: 1' }), /defaultHeaders must be an object of header names to values, got a string/],
    ['default headers that are a Map', () => ({ apiKey: KEY, defaultHeaders: new Map([['x-a', '1']]) }), /defaultHeaders must be an object of header names to values, got a Map/],
    ['dangerouslyAllowBrowser that is a string', () => ({ apiKey: KEY, dangerouslyAllowBrowser: 'false' }), /dangerouslyAllowBrowser must be a boolean/],
    ['a timeout that is a string', () => ({ apiKey: KEY, timeout: '1000' }), /timeout/],
    ['options whose getter throws', () => Object.defineProperty({ apiKey: KEY }, 'fetch', { enumerable: true, get: () => { throw new Error('getter') } }), /fetch cannot be read \(getter\)/],
    ['options that are a Proxy whose trap throws', () => new Proxy({}, { get: () => { throw new Error('trap') } }), /apiKey cannot be read \(trap\)/],
  ]

  it.each(cases)('refuses %s with a SegmentFlowError that quotes no key', (_name, options, message) => {
    let error: unknown
    try {
      new SegmentFlow(options() as never)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(SegmentFlowError)
    expect((error as Error).message).toMatch(message)
    expect((error as Error).message).not.toContain(KEY)
  })

  it('refuses the same in withOptions', () => {
    const client = new SegmentFlow({ apiKey: 'sk_test_wrongtypes', logLevel: 'off' })
    expect(() => client.withOptions({ logger: {} as never })).toThrow(/logger must have/)
    expect(() => client.withOptions('x' as never)).toThrow(/options must be an object/)
  })

  it('accepts a URL object as baseURL', () => {
    const client = new SegmentFlow({ apiKey: 'sk_test_wrongtypes', baseURL: new URL('https://eu.segmentflow.test/'), logLevel: 'off' })
    expect(client.baseURL).toBe('https://eu.segmentflow.test')
  })
})

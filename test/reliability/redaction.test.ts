/**
 * The key planted in every place a response or a failed fetch can carry it, in several shapes, and
 * every rendering of the resulting error (and every log line) scanned for it: whole, in another
 * case, or cut short.
 */
import { inspect } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APIConnectionError, APIError, SegmentFlow, SegmentFlowError, type ClientOptions, type Logger } from '../../src/index.ts'
import { hostileServer, type HostileServer } from './harness/hostile-server.ts'

const KEYS = [
  'sk_live_7hq2xvb9lm4pz8rt3wk6ny1c',
  'SK-Live-7Hq2xVb9Lm4Pz8Rt3Wk6Ny1C',
  'sk-proj_AbC-dEf_GhI-jKl_MnO-pQr_StU',
]

/** Message, stack, String(), JSON, inspect (default, and everything with no depth limit). */
function renderings(error: unknown): string[] {
  const e = error as Error
  return [
    e.message,
    String(e.stack),
    String(e),
    JSON.stringify(e),
    inspect(e),
    inspect(e, { showHidden: true, depth: Infinity }),
    inspect(e, { showHidden: true, depth: null, getters: true }),
  ]
}

function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  const keep = (level: string) => (message: string, ...rest: unknown[]) => {
    lines.push(`${level} ${message} ${rest.map((item) => inspect(item, { depth: null, showHidden: true })).join(' ')}`)
  }
  return { lines, error: keep('error'), warn: keep('warn'), info: keep('info'), debug: keep('debug') }
}

/**
 * No trace of the key: not whole in any case, and not a prefix of it either (a snippet cut through
 * a key leaves its start). Five characters is shorter than anything a cut could usefully leave, and
 * longer than any accident in a stack trace.
 */
function expectNoKey(texts: string[], key: string): void {
  const fragments = Array.from({ length: key.length - 4 }, (_, i) => key.slice(0, i + 5).toLowerCase())
  for (const text of texts) {
    const lower = text.toLowerCase()
    for (const fragment of fragments) {
      if (lower.includes(fragment)) throw new Error(`found ${JSON.stringify(fragment)} of the key in:\n${text}`)
    }
  }
}

async function failure(call: () => PromiseLike<unknown>): Promise<unknown> {
  try {
    await call()
  } catch (error) {
    return error
  }
  throw new Error('expected the call to fail')
}

const send = { templateKey: 'receipt-default', to: { email: 'alex@example.com' } }

/** What the server plants, chosen by the request's path: `/<place>/<key index>/<offset>`. */
function plant(place: string, key: string, offset: number, other: string): { status: number; statusText?: string; headers: Record<string, string>; body: string } {
  const html = (text: string) => `<html><body>${text}</body></html>`
  switch (place) {
    case 'header-value':
      return { status: 400, headers: { 'x-echo': `token=${key}`, 'x-request-id': `req_${key}` }, body: html('no') }
    case 'header-name':
      return { status: 400, headers: { [key]: '1', [`x-${key}-echo`]: '2' }, body: html('no') }
    case 'status-text':
      return { status: 403, statusText: `Forbidden for ${key}`, headers: {}, body: '' }
    case 'snippet':
      // Preceded by `offset` characters: the key starts before, across and after the cut.
      return { status: 418, headers: { 'content-type': 'text/html' }, body: `${'x'.repeat(offset)}${key} trailing text` }
    case 'envelope':
      return {
        status: 422,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ error: `bad_${key}`, message: `${'m'.repeat(offset)}${key}`, details: { [key]: [key, { nested: key.toUpperCase() }] } }),
      }
    case 'redirect-host':
      return { status: 302, headers: { location: `http://${key}.elsewhere.test:${other}/${key}?k=${key}` }, body: '' }
    case 'redirect-port':
      return { status: 307, headers: { location: `//127.0.0.1:${other}/api/${key}` }, body: '' }
    default:
      throw new Error(`unknown place ${place}`)
  }
}

let server: HostileServer
let elsewhere: HostileServer

beforeAll(async () => {
  elsewhere = await hostileServer((_request, response) => response.writeHead(200).end('{}'))
  server = await hostileServer((request, response) => {
    const [, place = '', keyIndex = '0', offset = '0'] = (request.url ?? '').split('?')[0]?.split('/') ?? []
    const planted = plant(place, KEYS[Number(keyIndex)] as string, Number(offset), String(elsewhere.port))
    for (const [name, value] of Object.entries(planted.headers)) response.setHeader(name, value)
    response.writeHead(planted.status, planted.statusText)
    response.end(planted.body)
  })
})

afterAll(async () => {
  await server.close()
  await elsewhere.close()
})

/** A client whose base URL routes its requests to one planting, logging everything at debug. */
function clientFor(key: string, place: string, offset = 0, options: ClientOptions = {}) {
  const logger = capturingLogger()
  const client = new SegmentFlow({
    apiKey: key,
    baseURL: `${server.url}/${place}/${KEYS.indexOf(key)}/${offset}`,
    logger,
    logLevel: 'debug',
    maxRetries: 0,
    ...options,
  })
  return { client, logger }
}

describe.each(KEYS)('the key %s', (key) => {
  it.each(['header-value', 'header-name', 'status-text', 'envelope', 'redirect-host', 'redirect-port'])('planted in the %s is in no rendering', async (place) => {
    const { client, logger } = clientFor(key, place)

    const error = await failure(() => client.emails.send(send))

    expect(error).toBeInstanceOf(APIError)
    expectNoKey([...renderings(error), ...logger.lines], key)
    // The planting reached the client: the redaction, not an absent key, keeps the renderings clean.
    if (place === 'header-name') expect(Object.keys((error as APIError).headers)).toContain('[redacted]')
    if (place === 'header-value') expect((error as APIError).headers['x-echo']).toBe('token=[redacted]')
    if (place === 'status-text') expect((error as Error).message).toContain('Forbidden for [redacted]')
    if (place.startsWith('redirect')) expect((error as Error).message).toMatch(/Refused to follow a redirect to another origin/)
    expect(elsewhere.requests).toEqual([])
  })

  it('planted at every offset of an unexpected body is in no rendering, whole or cut', async () => {
    for (let offset = 0; offset <= 210; offset++) {
      const { client, logger } = clientFor(key, 'snippet', offset)
      const error = await failure(() => client.templates.list())
      expect(error).toBeInstanceOf(APIError)
      expect((error as Error).message).toMatch(/^418: .*\(unexpected body: x*/)
      expectNoKey([...renderings(error), ...logger.lines], key)
    }
  })

  it('planted in a failed fetch, as deep in its causes as it goes, is in no rendering', async () => {
    for (let depth = 0; depth <= 12; depth++) {
      const fetch: ClientOptions['fetch'] = async () => {
        let cause: unknown = Object.assign(new Error(`refused ${key}`), { headers: { [key.toUpperCase()]: key } })
        for (let level = 0; level < depth; level++) cause = new Error(`level ${level}`, { cause })
        throw new TypeError('fetch failed', { cause })
      }
      const logger = capturingLogger()
      const client = new SegmentFlow({ apiKey: key, baseURL: 'https://api.segmentflow.test', fetch, logger, logLevel: 'debug', maxRetries: 0 })
      const error = await failure(() => client.emails.send(send))
      expect(error).toBeInstanceOf(APIConnectionError)
      expectNoKey([...renderings(error), ...logger.lines], key)
    }
  })
})

describe('the inspected form of an error', () => {
  it('shows the fields that are set and summarises the headers', async () => {
    const { client } = clientFor(KEYS[0] as string, 'header-value')

    const error = await failure(() => client.emails.send(send))
    const shown = inspect(error)

    expect(shown).toMatch(/^BadRequestError: 400: Bad Request \(unexpected body: <html><body>no<\/body><\/html>\)\n\s+at /)
    expect(shown).toContain('status: 400')
    expect(shown).toContain("requestId: 'req_[redacted]'")
    expect(shown).toMatch(/idempotencyKey: '[0-9a-f-]{36}'/)
    expect(shown).toMatch(/headers: '\[\d+ headers: [^\]]*x-echo/)
    // Unset fields are left out, not shown as undefined.
    expect(shown).not.toContain('undefined')
    expect(shown).not.toContain('errorCode')
    expect(shown).not.toContain('details')
    // The same with everything shown: the layout does not open up the raw error.
    expect(inspect(error, { showHidden: true, depth: Infinity })).toBe(shown)
  })

  it('shows a cause, and nests as a one-line summary past the depth', () => {
    const error = new SegmentFlowError('outer', { cause: new Error('inner') })

    expect(inspect(error)).toMatch(/^SegmentFlowError: outer\n[\s\S]*cause: 'Error: inner'/)
    expect(inspect({ wrapped: { error } }, { depth: 1 })).toContain('[SegmentFlowError: outer]')
  })
})

/**
 * Inputs the property tests of hostile-input.test.ts found going out wrong, each pinned by name:
 * an input the SDK cannot send faithfully is refused with a ValidationError, and nothing is sent.
 */
import { describe, expect, it } from 'vitest'
import { SegmentFlow, ValidationError } from '../../src/index.ts'
import { createSandbox } from '../../src/testing/index.ts'

function setup() {
  const sandbox = createSandbox({ clock: 'manual' })
  const client = new SegmentFlow({ apiKey: sandbox.apiKey, baseURL: sandbox.baseURL, fetch: sandbox.fetch, maxRetries: 0, logLevel: 'off' })
  return { sandbox, client }
}

async function refusal(call: () => PromiseLike<unknown>): Promise<ValidationError> {
  const error = await Promise.resolve()
    .then(call)
    .then(
      () => undefined,
      (e: unknown) => e,
    )
  expect(error).toBeInstanceOf(ValidationError)
  return error as ValidationError
}

describe('an unpaired surrogate (half of a UTF-16 pair), which has no UTF-8 form for a URL', () => {
  it('in a path id is a ValidationError, not the URIError encodeURIComponent throws', async () => {
    const { sandbox, client } = setup()

    const error = await refusal(() => client.profiles.retrieve('prof_\uD800'))

    expect(error.issues).toEqual([{ path: 'profileId', message: expect.stringContaining('unpaired surrogate') }])
    expect(sandbox.state.requests).toHaveLength(0)
  })

  it('is refused even with validation off: it would change the request, not merely fail it', async () => {
    const { sandbox } = setup()
    const client = new SegmentFlow({ apiKey: sandbox.apiKey, baseURL: sandbox.baseURL, fetch: sandbox.fetch, validate: false, logLevel: 'off' })

    await refusal(() => client.profiles.delete('\uDC00'))
    await refusal(() => client.assets.list({ cursor: 'abc\uDBFF' }))
    expect(sandbox.state.requests).toHaveLength(0)
  })

  it('in a query value is refused instead of going out as U+FFFD, another value than the caller gave', async () => {
    const { sandbox, client } = setup()

    const error = await refusal(() => client.assets.list({ cursor: 'abc\uD800' }))

    expect(error.issues).toEqual([{ path: 'cursor', message: expect.stringContaining('unpaired surrogate') }])
    expect(sandbox.state.requests).toHaveLength(0)
  })

  it('is fine as a whole pair: an emoji id goes out, encoded', async () => {
    const { sandbox, client } = setup()

    await client.profiles.retrieve('prof_\u{1F600}').catch(() => undefined)

    expect(sandbox.state.requests.map((r) => r.path)).toEqual(['/api/v1/profiles/prof_%F0%9F%98%80'])
  })
})

describe('a query value checked as it goes out', () => {
  it('refuses limit: true, which a coercing check reads as 1 but goes out as limit=true', async () => {
    const { sandbox, client } = setup()

    const error = await refusal(() => client.assets.list({ limit: true as never }))

    expect(error.issues.map((issue) => issue.path)).toEqual(['limit'])
    expect(sandbox.state.requests).toHaveLength(0)
  })

  it('still sends a number, and a numeric string, as the server reads them', async () => {
    const { sandbox, client } = setup()

    await client.assets.list({ limit: 5 })
    await client.assets.list({ limit: '7' as never })

    expect(sandbox.state.requests.map((r) => [r.url.split('?')[1], r.status])).toEqual([
      ['limit=5', 200],
      ['limit=7', 200],
    ])
  })
})

describe('emails.batchSend', () => {
  it('refuses an item that is an array instead of turning it into an object while filling its key', async () => {
    const { sandbox, client } = setup()

    const error = await refusal(() => client.emails.batchSend({ items: [[] as never] }))

    expect(new Set(error.issues.map((issue) => issue.path))).toEqual(new Set(['items.0']))
    expect(sandbox.state.requests).toHaveLength(0)
  })
})

/**
 * The smoke every runtime of the matrix runs: send, track, list over several pages, a typed error
 * and a retried 503, each asserted. It imports nothing: each runtime's entry loads the SDK its own
 * way (import, require, a bundle) and hands it in, so the same checks prove each way of loading.
 *
 * A target is where the requests go: the sandbox in process (`fetch: sandbox.fetch`) or a sandbox
 * over HTTP reached with the runtime's own global fetch. The retry check counts the attempts at the
 * fetch the client is given, because a retry is invisible in the result by design.
 */

class SmokeFailure extends Error {}

function check(condition, message) {
  if (!condition) throw new SmokeFailure(message)
}

/** A target over the in-process sandbox of `createSandbox` (the `/testing` entry). */
export function inProcessTarget(createSandbox) {
  const sandbox = createSandbox()
  return {
    mode: 'in-process',
    baseURL: sandbox.baseURL,
    fetch: sandbox.fetch,
    apiKey: sandbox.apiKey,
    readOnlyApiKey: sandbox.readOnlyApiKey,
    addFault: (spec) => {
      sandbox.faults.add(spec)
    },
  }
}

/**
 * A target over real HTTP. The fetch is looked up on every call, never captured: that is what the
 * SDK does by default, and what a runtime's instrumentation relies on.
 */
export function httpTarget({ baseURL, apiKey, readOnlyApiKey, addFault }) {
  return {
    mode: 'http',
    baseURL,
    fetch: (input, init) => globalThis.fetch(input, init),
    apiKey,
    readOnlyApiKey,
    addFault,
  }
}

export async function runSmoke(sdk, target) {
  const { SegmentFlow, PermissionDeniedError, APIError } = sdk
  const attempts = []
  const fetch = (input, init) => {
    attempts.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url)
    return target.fetch(input, init)
  }
  const client = new SegmentFlow({ apiKey: target.apiKey, baseURL: target.baseURL, fetch })
  const results = []
  const step = async (name, body) => {
    const started = Date.now()
    try {
      await body()
      results.push({ name, ok: true, ms: Date.now() - started })
    } catch (error) {
      const detail = error instanceof SmokeFailure ? error.message : `${error?.name ?? 'Error'}: ${error?.message ?? String(error)}`
      results.push({ name, ok: false, ms: Date.now() - started, error: detail })
    }
  }

  await step('exports', async () => {
    check(typeof SegmentFlow === 'function', 'SegmentFlow is not a class')
    check(sdk.default === SegmentFlow, 'the default export is not SegmentFlow')
    check(sdk.Segmentflow === SegmentFlow, 'Segmentflow is not an alias of SegmentFlow')
    check(typeof sdk.VERSION === 'string' && sdk.VERSION.length > 0, 'VERSION is missing')
  })

  await step('emails.send', async () => {
    const body = { templateKey: 'receipt-default', to: { email: 'alex@example.com' }, data: { orderId: 'ord_smoke' } }
    const key = `smoke:${target.mode}:send`
    const first = await client.emails.send(body, { idempotencyKey: key })
    check(typeof first.id === 'string' && first.id.length > 0, `send returned no id: ${JSON.stringify(first)}`)
    const again = await client.emails.send(body, { idempotencyKey: key })
    check(again.id === first.id, `the same Idempotency-Key sent twice: ${first.id} then ${again.id}`)
  })

  // A refused call loads zod (a chunk of its own in the build) to explain the refusal: that load
  // must work however the runtime loaded the SDK.
  await step('ValidationError', async () => {
    const before = attempts.length
    let caught
    try {
      await client.emails.send({ templateKey: 'receipt-default', to: { email: 'not-an-address' } })
    } catch (error) {
      caught = error
    }
    check(caught instanceof sdk.ValidationError, `expected ValidationError, got ${caught?.constructor?.name ?? caught}`)
    const issues = JSON.stringify(caught.issues)
    check(issues === JSON.stringify([{ path: 'to.email', message: 'Invalid email address' }]), `unexpected issues: ${issues}`)
    check(attempts.length === before, 'a refused call was sent')
  })

  await step('events.track', async () => {
    const result = await client.events.track({
      event: 'order.created',
      profile: { email: 'alex@example.com' },
      data: { orderId: 'ord_smoke', orderTotal: '49.00' },
    })
    check(typeof result.eventId === 'string', `track returned no eventId: ${JSON.stringify(result)}`)
  })

  await step('profiles.list (pages)', async () => {
    const first = await client.profiles.list({ limit: 2 })
    check(first.data.length === 2, `the first page holds ${first.data.length} profiles, not 2`)
    check(first.hasNextPage(), 'a first page of 2 among the seeded profiles has no next page')
    const before = attempts.length
    const ids = []
    for await (const profile of client.profiles.list({ limit: 2 })) ids.push(profile.id)
    const pages = attempts.length - before
    check(pages >= 3, `iterating fetched ${pages} pages, expected 3 or more`)
    check(ids.length >= 5 && new Set(ids).size === ids.length, `iterating gave ${ids.length} profiles (${new Set(ids).size} distinct)`)
  })

  await step('PermissionDeniedError', async () => {
    const readOnly = new SegmentFlow({ apiKey: target.readOnlyApiKey, baseURL: target.baseURL, fetch })
    let caught
    try {
      await readOnly.emails.send({ templateKey: 'receipt-default', to: { email: 'alex@example.com' } })
    } catch (error) {
      caught = error
    }
    check(caught instanceof PermissionDeniedError, `expected PermissionDeniedError, got ${caught?.constructor?.name ?? caught}`)
    check(caught instanceof APIError && caught.status === 403, `expected an APIError with status 403, got ${caught.status}`)
    check(Array.isArray(caught.requiredScopes) && caught.requiredScopes.length > 0, 'requiredScopes is empty')
    check(typeof caught.idempotencyKey === 'string', 'the error does not carry the idempotency key')
    check(!JSON.stringify(caught).includes(target.readOnlyApiKey), 'the error leaks the API key')
  })

  await step('retried 503', async () => {
    await target.addFault({ kind: 'status', status: 503, times: 1, operation: 'trackEvent', retryAfter: 0 })
    const before = attempts.length
    const result = await client.events.track({ event: 'order.created', profile: { email: 'sam@example.com' } })
    check(typeof result.eventId === 'string', 'the retried track returned no eventId')
    check(attempts.length - before === 2, `expected 2 attempts (a 503, then success), saw ${attempts.length - before}`)
  })

  return { mode: target.mode, version: sdk.VERSION, ok: results.every((r) => r.ok), steps: results }
}

/** One line the matrix reads back from stdout, whatever else the runtime prints. */
export const RESULT_MARKER = 'SEGMENTFLOW_SMOKE_RESULT '

/**
 * The smoke in process, then over loopback HTTP with the runtime's own fetch (the path a production
 * client takes), for the entries that can serve a sandbox themselves through `listen`.
 */
export async function runInProcessAndOverHttp(sdk, createSandbox, listen) {
  const reports = [await runSmoke(sdk, inProcessTarget(createSandbox))]
  const sandbox = createSandbox()
  const server = await listen(sandbox)
  try {
    reports.push(
      await runSmoke(
        sdk,
        httpTarget({
          baseURL: server.url,
          apiKey: sandbox.apiKey,
          readOnlyApiKey: sandbox.readOnlyApiKey,
          addFault: (spec) => {
            sandbox.faults.add(spec)
          },
        }),
      ),
    )
  } finally {
    await server.close()
  }
  return reports
}

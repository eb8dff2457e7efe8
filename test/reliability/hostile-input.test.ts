/**
 * Hostile input, property-based, over every operation of the API:
 *
 * - an input the spec refuses throws `ValidationError` and sends nothing; the same request sent raw
 *   is refused by the sandbox too (so the generator's "invalid" is the server's "invalid");
 * - an input the spec allows is sent and never answered `400 invalid_request` (a valid input the
 *   server refuses as malformed is a drift between the SDK's checks, the spec and the server);
 * - broken per-call options (an idempotency key with CR/LF, a NaN timeout, a signal that is not an
 *   AbortSignal, options that are not an object or throw when read...) throw `ValidationError` and
 *   send nothing, whatever the operation.
 *
 * The seed is printed; FC_SEED=<seed> replays a run.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { operations, paths } from '../../generated/zod/operations.ts'
import { APIError, SegmentFlow, ValidationError } from '../../src/index.ts'
import { createSandbox } from '../../src/testing/index.ts'
import { invalidInput, OPERATIONS, validInput, type Input, type OperationCase } from './harness/operations.ts'

const SEED = Number(process.env.FC_SEED ?? 424242)
const RUNS = { valid: 140, invalid: 140, options: 50 }
const counts = { valid: 0, invalid: 0, options: 0 }

/**
 * 400s the sandbox answers on purpose for input the schema cannot judge: cursors that this list never
 * returned (a cursor is an opaque token of the request itself). A reference to a resource that does
 * not exist is 422, not 400. Nothing else may be a 400 for schema-valid input.
 */
const SEMANTIC_400: Partial<Record<string, Array<[path: RegExp, message: RegExp]>>> = {
  listProfiles: [[/^cursor$/, /^Not a cursor returned by this list$/]],
  listAssets: [[/^query\.cursor$/, /^Not a cursor returned by this list$/]],
}

function isSemantic400(operation: string, error: APIError): boolean {
  const issues = (error.details as { issues?: Array<{ path: string; message: string }> } | undefined)?.issues ?? []
  const allowed = SEMANTIC_400[operation] ?? []
  return issues.length > 0 && issues.every((issue) => allowed.some(([path, message]) => path.test(issue.path) && message.test(issue.message)))
}

const ROUTES = new Map<unknown, { method: string; template: string }>()
for (const [template, methods] of Object.entries(paths)) {
  for (const [method, schema] of Object.entries(methods)) ROUTES.set(schema, { method: method.toUpperCase(), template })
}

function setup() {
  // A manual clock: nothing of the sandbox runs between calls, so every answer depends on the input only.
  const sandbox = createSandbox({ clock: 'manual', checkResponses: true })
  let sent = 0
  const client = new SegmentFlow({
    apiKey: sandbox.apiKey,
    baseURL: sandbox.baseURL,
    maxRetries: 0,
    logLevel: 'off',
    fetch: (input, init) => {
      sent++
      return sandbox.fetch(input, init)
    },
  })
  return { sandbox, client, sent: () => sent }
}

async function outcome(run: () => PromiseLike<unknown>): Promise<unknown> {
  try {
    await run()
    return undefined
  } catch (error) {
    return error
  }
}

function isWellFormed(text: string): boolean {
  return !/\p{Cs}/u.test(text)
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/**
 * The input as a request built by hand, the way the SDK would put it on the wire, or undefined when
 * it has no wire form to compare (a query that is not an object, an id that would change the route).
 */
function rawRequest(op: OperationCase, input: Input, sandbox: ReturnType<typeof createSandbox>): Request | undefined {
  const route = ROUTES.get(operations[op.operation])
  if (!route) throw new Error(`no route for ${op.operation}`)
  let path = route.template
  for (const [name, value] of Object.entries(input.path ?? {})) {
    if (typeof value !== 'string' || !isWellFormed(value) || value === '' || value === '.' || value === '..') return undefined
    path = path.replace(`{${name}}`, encodeURIComponent(value))
  }
  const url = new URL(sandbox.baseURL + path)
  if (input.query !== undefined) {
    if (!isPlainObject(input.query)) return undefined
    for (const [key, value] of Object.entries(input.query)) {
      if (value === undefined) continue
      for (const item of Array.isArray(value) ? value : [value]) {
        // No wire form: null is left out, an object would go out as "[object Object]", a lone surrogate as U+FFFD.
        if (item === undefined || item === null || typeof item === 'object' || (typeof item === 'string' && !isWellFormed(item))) return undefined
        url.searchParams.append(key, String(item))
      }
    }
  }
  const headers: Record<string, string> = { 'x-api-key': sandbox.apiKey }
  if (route.method !== 'GET') headers['idempotency-key'] = crypto.randomUUID()
  let body: string | undefined
  if (input.body !== undefined) {
    headers['content-type'] = 'application/json'
    body = JSON.stringify(input.body)
  }
  return new Request(url, { method: route.method, headers, body })
}

/** The sandbox refuses the request as malformed: 400, or a batch item rejected as invalid. */
async function refusedAsInvalid(response: Response): Promise<boolean> {
  if (response.status === 400) return true
  if (response.status !== 200) return false
  const body = (await response.json()) as { items?: Array<{ status: string; error?: { error: string } }> }
  return body.items?.some((item) => item.status === 'rejected' && item.error?.error === 'invalid_request') ?? false
}

const THROWING = Symbol('throwing options')

function materialise(options: unknown): unknown {
  if (options === null || typeof options !== 'object' || !(THROWING in options)) return options
  const kind = (options as { [THROWING]: string })[THROWING]
  if (kind === 'proxy') {
    return new Proxy(
      {},
      {
        get: () => {
          throw new Error('trap')
        },
      },
    )
  }
  return Object.defineProperty({}, kind.slice('getter:'.length), {
    enumerable: true,
    get: () => {
      throw new Error('getter')
    },
  })
}

const INVALID_OPTIONS = fc.oneof(
  fc.record({ idempotencyKey: fc.constantFrom('', 'a\r\nx-api-key: stolen', 'line\nbreak', 'nul\0byte', ' padded ', 'caf\u00e9', 'k'.repeat(256)) }),
  fc.record({ headers: fc.constantFrom({ 'Idempotency-Key': 'a\r\nb' }, { 'x-trace': 'a\nb' }, { 'x-trace': 'trailing\r\n' }, { 'x-trace': '\r\nleading' }, { 'x-trace': 'nul\0' }) }),
  fc.record({ timeout: fc.constantFrom(0, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31) }),
  fc.record({ maxRetries: fc.constantFrom(-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY) }),
  // Options of the wrong type: each once went out, or escaped as a raw TypeError.
  fc.record({ signal: fc.constantFrom<unknown>({}, 'abort', 1, { aborted: false }, new AbortController()) }),
  fc.record({ headers: fc.constantFrom<unknown>('x-trace: 1', 5, [['x-trace', '1']], new Headers({ 'x-trace': '1' }), new Map([['x-trace', '1']])) }),
  fc.record({ timeout: fc.constantFrom<unknown>('1000', null, {}), maxRetries: fc.constantFrom<unknown>(undefined, '2', true) }),
  fc.record({ idempotencyKey: fc.constantFrom<unknown>(5, null, {}, ['k']) }),
  fc.constantFrom<unknown>('options', 5, true, ['a'], () => undefined),
  // Options that throw while the SDK reads them: built in the property (see `materialise`), since
  // fast-check reads every field of a value to print it.
  fc.constantFrom('getter:signal', 'getter:headers', 'getter:idempotencyKey', 'proxy').map((kind) => ({ [THROWING]: kind })),
)

console.log(`hostile input: fast-check seed ${SEED} (FC_SEED=${SEED} replays it)`)

async function check<T>(arbitrary: fc.Arbitrary<T>, numRuns: number, predicate: (value: T) => Promise<void>): Promise<number> {
  const details = await fc.check(fc.asyncProperty(arbitrary, predicate), { seed: SEED, numRuns })
  if (details.failed) throw new Error(`${fc.defaultReportMessage(details) ?? 'property failed'}\n${String(details.errorInstance)}`)
  return details.numRuns
}

describe.each(OPERATIONS.map((op) => [op.operation, op] as const))('%s', (_name, op) => {
  it('sends any input the spec allows, and the server never calls it malformed', async () => {
    const { sandbox, client, sent } = setup()
    counts.valid += await check(validInput(op), RUNS.valid, async (input) => {
      const before = sent()
      const logged = sandbox.state.requests.length
      const error = await outcome(() => op.invoke(client, input))
      expect(error, `${op.operation} refused a valid input: ${String(error)}`).not.toBeInstanceOf(ValidationError)
      expect(sent()).toBeGreaterThan(before)
      if (error !== undefined) {
        expect(error, String(error)).toBeInstanceOf(APIError)
        const status = (error as APIError).status
        expect(status, String(error)).toBeLessThan(500)
        if (status === 400) expect(isSemantic400(op.operation, error as APIError), `${String(error)} ${JSON.stringify((error as APIError).details)}`).toBe(true)
      }
      for (const entry of sandbox.state.requests.slice(logged)) expect(entry.operation).toBe(op.operation)
    })
  })

  const invalid = invalidInput(op)
  if (invalid) {
    it('refuses any input the spec refuses with ValidationError, before sending; the server refuses it too', async () => {
      const { sandbox, client, sent } = setup()
      counts.invalid += await check(invalid, RUNS.invalid, async (input) => {
        const before = sent()
        const error = await outcome(() => op.invoke(client, input))
        expect(error, `${op.operation} accepted ${JSON.stringify(input)}`).toBeInstanceOf(ValidationError)
        expect(sent()).toBe(before)
        const raw = rawRequest(op, input, sandbox)
        if (raw) expect(await refusedAsInvalid(await sandbox.handle(raw)), `the sandbox accepted ${JSON.stringify(input)}`).toBe(true)
      })
    })
  }

  it('refuses broken per-call options (CR/LF in a key or header, a NaN timeout) before sending', async () => {
    const { client, sent } = setup()
    counts.options += await check(fc.tuple(validInput(op), INVALID_OPTIONS), RUNS.options, async ([input, options]) => {
      const before = sent()
      const error = await outcome(() => op.invoke(client, input, materialise(options) as object))
      expect(error, `${op.operation} accepted options ${JSON.stringify(options)}`).toBeInstanceOf(ValidationError)
      expect(sent()).toBe(before)
    })
  })
})

describe('coverage', () => {
  it('covers every operation of the spec', () => {
    expect(OPERATIONS.map((op) => op.operation).sort()).toEqual(Object.keys(operations).sort())
  })

  // Runs after the properties above (tests of a file run in order).
  it('generated at least 10,000 cases', () => {
    const total = counts.valid + counts.invalid + counts.options
    console.log(
      `hostile input: ${total} generated cases over ${OPERATIONS.length} operations ` +
        `(${counts.valid} valid, ${counts.invalid} invalid, ${counts.options} with broken options), seed ${SEED}`,
    )
    expect(total).toBeGreaterThanOrEqual(10_000)
  })
})

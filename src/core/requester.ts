/**
 * What every resource method goes through before a generated function runs: the Idempotency-Key,
 * path ids made safe, the input checked against the spec, then the call through the instance's
 * transport, wrapped in an APIPromise (or a PagePromise for lists).
 *
 * Resources describe a call (operation id, ids, body or query) and hand over a `send` that calls
 * the generated function; they never see the transport, and the transport never sees resources.
 */
import { APIPromise } from './api-promise.ts'
import { APIResponseValidationError, ValidationError, type ValidationIssue } from './errors.ts'
import type { HeaderValues } from './headers.ts'
import { givenIdempotencyKey, idempotencyKeyIssues, IDEMPOTENCY_HEADER, newIdempotencyKey, withoutIdempotencyHeader } from './idempotency.ts'
import { createPage, PagePromise, type CursorBody } from './pagination.ts'
import type { Logger } from './logging.ts'
import { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS, type Client, type Fetch, type ResponseConfig } from './transport.ts'
import { checkSchema, checksOf, closedObjectIssues, loadedSchemas, loadSchemas, wireQuery, type Checkable, type Operations } from './validation.ts'

/** The last argument of every method. */
export type RequestOptions = {
  /**
   * The Idempotency-Key for this call (mutating calls get a random one otherwise). An
   * `Idempotency-Key` header in `headers`, in any spelling, counts as this option.
   */
  idempotencyKey?: string | undefined
  /** Extra headers for this call; `null` removes a header the client would send. */
  headers?: HeaderValues | undefined
  /** Aborts the call, including a wait between retries. */
  signal?: AbortSignal | undefined
  /** Milliseconds per attempt. */
  timeout?: number | undefined
  maxRetries?: number | undefined
}

export type ValidationSettings = { request: boolean; response: boolean }

export type OperationId = keyof Operations

/** A call as a resource describes it. Path params by their spec names, raw (not yet encoded). */
export type OperationInput<P extends string, B, Q> = {
  path?: Record<P, string>
  body?: B
  /** The spec marks the request body optional: an absent body is not checked. */
  optionalBody?: boolean
  /**
   * The body already passed `issues()`: a helper that checks every chunk before sending the first
   * does not pay for the schema check twice (for a batch of 10,000 emails, most of the SDK's time).
   */
  bodyChecked?: boolean
  query?: Q
}

/** The call after the checks: encoded path params, the caller's own body and query. */
export type ResolvedInput<P extends string, B, Q, K extends string | undefined> = {
  path: Record<P, string>
  body: B
  query: Q
  idempotencyKey: K
}

/** The `config` a generated function receives: the instance's transport and the per-call options. */
export type CallConfig = {
  client: Client
  headers?: HeaderValues
  signal?: AbortSignal | undefined
  timeout?: number | undefined
  maxRetries?: number | undefined
  safeToRetry?: boolean
}

type Send<T, P extends string, B, Q, K extends string | undefined> = (
  config: CallConfig,
  input: ResolvedInput<P, B, Q, K>,
) => Promise<ResponseConfig<T>>

/**
 * What a request to a host other than the API (the storage host of an upload URL) may use of the
 * client: its `fetch`, retry budget, timeout and logger. Never its key or default headers.
 */
export type ExternalSettings = {
  fetch?: Fetch | undefined
  maxRetries: number
  timeout: number
  logger?: Logger | undefined
}

export class Requester {
  readonly #transport: Client
  readonly #validation: ValidationSettings
  readonly external: ExternalSettings

  constructor(transport: Client, validation: ValidationSettings, external: ExternalSettings = { maxRetries: DEFAULT_MAX_RETRIES, timeout: DEFAULT_TIMEOUT_MS }) {
    this.#transport = transport
    this.#validation = validation
    this.external = external
  }

  /** A call that changes something: it always carries an Idempotency-Key, given or generated. */
  write<T, P extends string = never, B = undefined, Q = undefined>(
    operation: OperationId,
    input: OperationInput<P, B, Q>,
    options: RequestOptions | undefined,
    send: Send<T, P, B, Q, string>,
  ): APIPromise<T> {
    const given = givenIdempotencyKey(options?.idempotencyKey, options?.headers)
    // A key of our own (a random UUID) is well-formed by construction: only a given one is checked.
    return new APIPromise(this.#call(operation, input, options, given ?? newIdempotencyKey(), given !== undefined, false, send), dataOf<T>)
  }

  /**
   * A call that only reads: retried freely, and sent without an Idempotency-Key unless the caller
   * gave one. Includes `profiles.list`, a POST only because its filter is a body.
   */
  read<T, P extends string = never, B = undefined, Q = undefined>(
    operation: OperationId,
    input: OperationInput<P, B, Q>,
    options: RequestOptions | undefined,
    send: Send<T, P, B, Q, string | undefined>,
  ): APIPromise<T> {
    const key = givenIdempotencyKey(options?.idempotencyKey, options?.headers)
    return new APIPromise(this.#call(operation, input, options, key, true, true, send), dataOf<T>)
  }

  /** A paginated read. `nextInput` is the same call for the page after `cursor`. */
  page<Item, Body extends CursorBody, P extends string = never, B = undefined, Q = undefined>(
    operation: OperationId,
    input: OperationInput<P, B, Q>,
    options: RequestOptions | undefined,
    send: Send<Body, P, B, Q, string | undefined>,
    paging: { items: (body: Body) => Item[] | undefined; nextInput: (cursor: string) => OperationInput<P, B, Q> },
  ): PagePromise<Item, Body> {
    const key = givenIdempotencyKey(options?.idempotencyKey, options?.headers)
    const load = (pageInput: OperationInput<P, B, Q>): PagePromise<Item, Body> =>
      new PagePromise<Item, Body>(this.#call(operation, pageInput, options, key, true, true, send), (raw) => {
        const body = raw.data as Body
        const items = body !== null && typeof body === 'object' ? paging.items(body) : undefined
        if (!Array.isArray(items) || !(typeof body.nextCursor === 'string' || body.nextCursor === null)) {
          throw new APIResponseValidationError(`The ${operation} response is not a page (no item list or cursor)`, {
            status: raw.status,
            requestId: raw.requestId,
          })
        }
        return createPage(body, items, (cursor) => load(paging.nextInput(cursor)))
      })
    return load(input)
  }

  /**
   * What the call would be refused for before sending, without sending it. Helpers that make
   * several calls (a batch of many chunks) check them all first, so that none goes out when a later
   * one could not.
   */
  async issues<P extends string, B, Q>(
    operation: OperationId,
    input: OperationInput<P, B, Q>,
    options?: RequestOptions,
    idempotencyKey?: string,
  ): Promise<ValidationIssue[]> {
    return this.#issues(operation, input, options, idempotencyKey)
  }

  /**
   * Synchronous when the input passes (the compiled checks decide, and nothing is loaded); a promise
   * only when a spec check fails and zod is loaded to explain it.
   */
  #issues<P extends string, B, Q>(
    operation: OperationId,
    input: OperationInput<P, B, Q>,
    options?: RequestOptions,
    idempotencyKey?: string,
  ): ValidationIssue[] | Promise<ValidationIssue[]> {
    const rawPath = input.path
    // Always checked, `validate: false` or not: a bad key or id would not merely be refused by the
    // server, it would change the request (header injection, another route).
    const pathIssues = rawPath === undefined ? [] : Object.entries<string>(rawPath).flatMap(([name, value]) => pathParamIssues(name, value))
    const issues: ValidationIssue[] = idempotencyKey === undefined ? [] : idempotencyKeyIssues(idempotencyKey)
    if (options !== undefined) issues.push(...optionIssues(options))
    if (pathIssues.length > 0) issues.push(...pathIssues)
    if (input.query !== undefined) issues.push(...queryValueIssues(input.query))
    if (!this.#validation.request) return issues
    const check = checksOf(operation)
    const checkPath = pathIssues.length === 0 && check.path !== undefined
    const checkQuery = check.query !== undefined
    const query = input.query ?? {}
    const checkBody = check.request !== undefined && !input.bodyChecked && (input.body !== undefined || !input.optionalBody)
    const passes =
      (!checkPath || check.path!(rawPath ?? {})) &&
      // The server reads numbers back from the query's strings, and so does the schema (it coerces):
      // `limit: true` passes as 1 but goes out as `limit=true`. What goes out is checked too.
      (!checkQuery || (check.query!(query) && check.query!(wireQuery(query)))) &&
      (!checkBody || check.request!(input.body))
    if (passes) return issues
    const explain = (operations: Operations): ValidationIssue[] => {
      const schema = operations[operation]
      const found: ValidationIssue[] = []
      if (checkPath) found.push(...checkSchema(schema.parameters.path as Checkable | undefined, rawPath ?? {}))
      if (checkQuery) {
        const querySchema = schema.parameters.query as Checkable | undefined
        const given = checkSchema(querySchema, query)
        found.push(...(given.length > 0 ? given : checkSchema(querySchema, wireQuery(query))))
      }
      if (checkBody) found.push(...checkSchema(schema.request as Checkable | undefined, input.body), ...closedObjectIssues(check.closed, input.body))
      // The compiled checks decide; test/core/validation-agreement.test.ts keeps this line unreachable.
      if (found.length === 0) found.push({ path: '', message: 'Invalid input' })
      return [...issues, ...found]
    }
    const loaded = loadedSchemas()
    if (loaded) return explain(loaded)
    // The input is refused either way; only the details need zod. A chunk the deployment lost still
    // gets a ValidationError (the next refusal tries the load again).
    return loadSchemas().then(explain, () => [...issues, { path: '', message: 'Invalid input (the details could not be loaded)' }])
  }

  async #call<T, P extends string, B, Q, K extends string | undefined>(
    operation: OperationId,
    input: OperationInput<P, B, Q>,
    options: RequestOptions | undefined,
    idempotencyKey: K,
    keyGiven: boolean,
    readOnly: boolean,
    send: Send<T, P, B, Q, K>,
  ): Promise<ResponseConfig> {
    let issues = this.#issues(operation, input, options, keyGiven ? idempotencyKey : undefined)
    if (issues instanceof Promise) issues = await issues
    if (issues.length > 0) {
      throw new ValidationError(issues, { idempotencyKey, operation })
    }

    const path = (
      input.path === undefined ? {} : Object.fromEntries(Object.entries<string>(input.path).map(([name, value]) => [name, encodeURIComponent(value)]))
    ) as Record<P, string>
    const headers: HeaderValues = { ...withoutIdempotencyHeader(options?.headers) }
    // A write hands its key to the generated function (its `headers` param); a read has none, so the
    // caller's key, if any, rides along with the other headers.
    if (readOnly && idempotencyKey !== undefined) headers[IDEMPOTENCY_HEADER] = idempotencyKey
    // Only keys with a value: the generated function spreads this config into the transport's.
    const config: CallConfig = { client: this.#transport, headers }
    if (options?.signal !== undefined) config.signal = options.signal
    if (options?.timeout !== undefined) config.timeout = options.timeout
    if (options?.maxRetries !== undefined) config.maxRetries = options.maxRetries
    if (readOnly) config.safeToRetry = true
    // The response schemas load while the request is in flight; a failed load surfaces after it.
    const schemas = this.#validation.response ? (loadedSchemas() ?? loadSchemas()) : undefined
    if (schemas instanceof Promise) schemas.catch(() => {})
    const response = await send(config, { path, body: input.body as B, query: input.query as Q, idempotencyKey })
    if (schemas) this.#checkResponse(await schemas, operation, response)
    return response
  }

  #checkResponse(operations: Operations, operation: OperationId, response: ResponseConfig): void {
    const responses = operations[operation].responses as Record<number, Checkable | undefined>
    const issues = checkSchema(responses[response.status], response.data)
    if (issues.length > 0) {
      throw new APIResponseValidationError(`The ${operation} response does not match the API's schema`, {
        status: response.status,
        requestId: response.requestId,
        idempotencyKey: response.idempotencyKey,
        issues,
      })
    }
  }
}

function dataOf<T>(raw: ResponseConfig): T {
  return raw.data as T
}

/** A NaN `maxRetries` would retry forever, a huge `timeout` would fire at once. */
function optionIssues(options: RequestOptions | undefined): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  const { timeout, maxRetries } = options ?? {}
  if (timeout !== undefined && !(typeof timeout === 'number' && timeout >= 1 && timeout <= MAX_TIMEOUT_MS)) {
    issues.push({ path: 'options.timeout', message: `must be a number of milliseconds from 1 to ${MAX_TIMEOUT_MS}` })
  }
  if (maxRetries !== undefined && !(Number.isInteger(maxRetries) && maxRetries >= 0)) {
    issues.push({ path: 'options.maxRetries', message: 'must be an integer >= 0' })
  }
  return issues
}

/**
 * Ids are interpolated into the URL path. Encoding keeps `/`, `?` and `#` inside the segment, but an
 * empty id or a dot segment would still move the request to another route (`/templates/..` is
 * `/`), even encoded (`%2E%2E` is a dot segment too), so they are refused.
 */
function pathParamIssues(name: string, value: unknown): ValidationIssue[] {
  if (typeof value !== 'string' || value === '') return [{ path: name, message: 'must be a non-empty string' }]
  if (value === '.' || value === '..') return [{ path: name, message: 'must not be "." or ".."' }]
  // encodeURIComponent throws a bare URIError on these.
  if (UNPAIRED_SURROGATE.test(value)) return [{ path: name, message: UNPAIRED_SURROGATE_MESSAGE }]
  return []
}

/** Half of a UTF-16 pair with no other half: not a character, it has no UTF-8 form to put in a URL. */
const UNPAIRED_SURROGATE = /\p{Cs}/u
const UNPAIRED_SURROGATE_MESSAGE = 'must not contain an unpaired surrogate (it cannot be written in a URL)'

/** URLSearchParams would send U+FFFD in place of an unpaired surrogate: another value than the caller's. */
function queryValueIssues(query: unknown): ValidationIssue[] {
  if (query === null || typeof query !== 'object') return []
  return Object.entries(query).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value]).some((item) => typeof item === 'string' && UNPAIRED_SURROGATE.test(item))
      ? [{ path: name, message: UNPAIRED_SURROGATE_MESSAGE }]
      : [],
  )
}

/**
 * What every resource method goes through before a generated function runs: the Idempotency-Key,
 * path ids made safe, the input checked against the spec, then the call through the instance's
 * transport, wrapped in an APIPromise (or a PagePromise for lists).
 *
 * Resources describe a call (operation id, its generated function, ids, body or query); they never
 * see the transport, and the transport never sees resources.
 */
import type * as GeneratedClients from '../../generated/clients/index.ts'
import { APIPromise } from './api-promise.ts'
import { APIResponseValidationError, PaginationLoopError, ValidationError, type ValidationIssue } from './errors.ts'
import type { HeaderValues } from './headers.ts'
import { givenIdempotencyKey, idempotencyKeyIssues, IDEMPOTENCY_HEADER, newIdempotencyKey, withoutIdempotencyHeader } from './idempotency.ts'
import { unreadableBodyIssue } from './json-body.ts'
import { readOptions, requestOptionIssues } from './options.ts'
import { createPage, PagePromise, type CursorBody } from './pagination.ts'
import type { Http } from './http.ts'
import type { Logger } from './logging.ts'
import type { Redactor } from './redact.ts'
import { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS, type Client, type Fetch, type ResponseConfig, type RetryScope } from './transport.ts'
import { checkSchema, checksOf, closedObjectIssues, loadedSchemas, loadSchemas, wireQuery, type Checkable, type Operations } from './validation.ts'
import { operationPolicy } from '../../generated/policy.ts'

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

type GeneratedFunctions = typeof GeneratedClients
type Generated<Op extends OperationId> = GeneratedFunctions[Op]
/** `listBrandKits` takes only its config: an operation without a single parameter. */
type TakesOnlyConfig<Op extends OperationId> = 'client' extends keyof NonNullable<Parameters<Generated<Op>>[0]> ? true : false

/**
 * The generated function of operation `Op`, and nothing else: pairing `'sendEmail'` with
 * `retrieveTemplate` fails to compile. A function that takes only its config is called through a
 * one-line adapter with the same result type.
 */
export type GeneratedCall<Op extends OperationId> =
  TakesOnlyConfig<Op> extends true ? (args: Record<string, never>, config: CallConfig) => ReturnType<Generated<Op>> : Generated<Op>

/** What the operation's call resolves to (`EmailSend` for `sendEmail`). */
export type DataOf<Op extends OperationId> = Awaited<ReturnType<Generated<Op>>>['data']

/** Any generated function, as the requester calls it: its parameters by name, then the config. */
type AnyCall = (args: Record<string, unknown>, config: CallConfig) => Promise<ResponseConfig>

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

/** The `config` a generated function receives: the instance's transport and the per-call options. */
export type CallConfig = {
  client: Client
  headers?: HeaderValues
  signal?: AbortSignal | undefined
  timeout?: number | undefined
  maxRetries?: number | undefined
  safeToRetry?: boolean
  retry?: RetryScope
}

/**
 * What a request to a host other than the API (the storage host of an upload URL) may use of the
 * client: its `fetch`, retry budget, timeout and logger. Never its key or default headers.
 */
export type ExternalSettings = {
  fetch?: Fetch | undefined
  maxRetries: number
  timeout: number
  logger?: Logger | undefined
  /** The client's ky instances: the storage one holds no key and no headers. */
  http?: Http | undefined
  redact?: Redactor | undefined
  maxResponseSize?: number | undefined
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
  write<Op extends OperationId, P extends string = never, B = undefined, Q = undefined>(
    operation: Op,
    call: GeneratedCall<Op>,
    input: OperationInput<P, B, Q>,
    options: RequestOptions | undefined,
  ): APIPromise<DataOf<Op>> {
    options = readOptions<RequestOptions>(options)
    // `null` is a key given, and refused: it must not quietly become a random one.
    const given = givenIdempotencyKey(options.idempotencyKey, options.headers)
    // A key of our own (a random UUID) is well-formed by construction: only a given one is checked.
    const key = given === undefined ? newIdempotencyKey() : given
    return new APIPromise(this.#call(operation, call, input, options, { key, given: given !== undefined, readOnly: false }), dataOf<DataOf<Op>>)
  }

  /**
   * A call that only reads: retried freely, and sent without an Idempotency-Key unless the caller
   * gave one. Includes `profiles.list`, a POST only because its filter is a body.
   */
  read<Op extends OperationId, P extends string = never, B = undefined, Q = undefined>(
    operation: Op,
    call: GeneratedCall<Op>,
    input: OperationInput<P, B, Q>,
    options: RequestOptions | undefined,
  ): APIPromise<DataOf<Op>> {
    options = readOptions<RequestOptions>(options)
    const key = givenIdempotencyKey(options.idempotencyKey, options.headers)
    return new APIPromise(this.#call(operation, call, input, options, { key, given: true, readOnly: true }), dataOf<DataOf<Op>>)
  }

  /** A paginated read. `nextInput` is the same call for the page after `cursor`. */
  page<Op extends OperationId, Item, P extends string = never, B = undefined, Q = undefined>(
    operation: Op,
    call: GeneratedCall<Op>,
    input: OperationInput<P, B, Q>,
    options: RequestOptions | undefined,
    paging: { items: (body: DataOf<Op>) => Item[] | undefined; nextInput: (cursor: string) => OperationInput<P, B, Q> },
  ): PagePromise<Item, DataOf<Op> & CursorBody> {
    type Body = DataOf<Op> & CursorBody
    options = readOptions<RequestOptions>(options)
    const key = givenIdempotencyKey(options.idempotencyKey, options.headers)
    // Each cursor followed, with the first page (numbered from 1) that followed it. A page that
    // hands back a cursor an earlier page of its walk already followed would start the same pages
    // over, forever. Calling `getNextPage()` twice on one page is no loop: only earlier pages count.
    const followed = new Map<string, number>()
    const follow = (cursor: string, from: number): PagePromise<Item, Body> => {
      const first = followed.get(cursor)
      if (first !== undefined && first < from) throw new PaginationLoopError(operation, from, { idempotencyKey: key })
      if (first === undefined) followed.set(cursor, from)
      return load(paging.nextInput(cursor), from + 1)
    }
    const load = (pageInput: OperationInput<P, B, Q>, number = 1): PagePromise<Item, Body> =>
      new PagePromise<Item, Body>(this.#call(operation, call, pageInput, options, { key, given: true, readOnly: true }), (raw) => {
        const body = raw.data as Body
        const items = body !== null && typeof body === 'object' ? paging.items(body) : undefined
        if (!Array.isArray(items) || !(typeof body.nextCursor === 'string' || body.nextCursor === null)) {
          throw new APIResponseValidationError(`The ${operation} response is not a page (no item list or cursor)`, {
            status: raw.status,
            requestId: raw.requestId,
          })
        }
        return createPage(body, items, (cursor) => follow(cursor, number))
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
    issues.push(...requestOptionIssues(readOptions(options)))
    if (pathIssues.length > 0) issues.push(...pathIssues)
    // A query or body whose getter or Proxy trap throws while being checked is refused like one the
    // schema refuses: the same object would throw again while being sent.
    if (input.query !== undefined) issues.push(...readable('query', () => queryValueIssues(input.query)))
    if (!this.#validation.request) return issues
    const check = checksOf(operation)
    const checkPath = pathIssues.length === 0 && check.path !== undefined
    const checkQuery = check.query !== undefined
    const query = input.query ?? {}
    const checkBody = check.request !== undefined && !input.bodyChecked && (input.body !== undefined || !input.optionalBody)
    let passes: boolean
    try {
      passes =
        (!checkPath || check.path!(rawPath ?? {})) &&
        // The server reads numbers back from the query's strings, and so does the schema (it coerces):
        // `limit: true` passes as 1 but goes out as `limit=true`. What goes out is checked too.
        (!checkQuery || (check.query!(query) && check.query!(wireQuery(query)))) &&
        (!checkBody || check.request!(input.body))
    } catch {
      // Reading the input threw: zod, reading it again below, names where.
      passes = false
    }
    if (passes) return issues
    const explain = (operations: Operations): ValidationIssue[] => {
      const schema = operations[operation]
      const found: ValidationIssue[] = []
      if (checkPath) found.push(...checkSchema(schema.parameters.path as Checkable | undefined, rawPath ?? {}))
      if (checkQuery) {
        const querySchema = schema.parameters.query as Checkable | undefined
        found.push(
          ...readable('query', () => {
            const given = checkSchema(querySchema, query)
            return given.length > 0 ? given : checkSchema(querySchema, wireQuery(query))
          }),
        )
      }
      if (checkBody) found.push(...readable('body', () => [...checkSchema(schema.request as Checkable | undefined, input.body), ...closedObjectIssues(check.closed, input.body)]))
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

  async #call<P extends string, B, Q>(
    operation: OperationId,
    call: unknown,
    input: OperationInput<P, B, Q>,
    options: RequestOptions | undefined,
    idempotency: { key: string | undefined; given: boolean; readOnly: boolean },
  ): Promise<ResponseConfig> {
    const { key, given, readOnly } = idempotency
    let issues = this.#issues(operation, input, options, given ? key : undefined)
    if (issues instanceof Promise) issues = await issues
    if (issues.length > 0) {
      throw new ValidationError(issues, { idempotencyKey: key, operation })
    }

    // The generated function's parameters by name: path params (encoded), `data`, `params`.
    const args: Record<string, unknown> = {}
    if (input.path !== undefined) for (const [name, value] of Object.entries<string>(input.path)) args[name] = encodeURIComponent(value)
    if (input.body !== undefined) args.data = input.body
    if (input.query !== undefined) args.params = input.query
    const headers: HeaderValues = { ...withoutIdempotencyHeader(options?.headers) }
    // The one place a key is attached. A write's goes through the generated `headers` parameter,
    // as the spec declares it; a read declares none, so a caller's key rides with the other headers.
    if (key !== undefined) {
      if (readOnly) headers[IDEMPOTENCY_HEADER] = key
      else args.headers = { idempotencyKey: key }
    }
    // Only keys with a value: the generated function spreads this config into the transport's.
    const config: CallConfig = { client: this.#transport, headers }
    if (options?.signal !== undefined) config.signal = options.signal
    if (options?.timeout !== undefined) config.timeout = options.timeout
    if (options?.maxRetries !== undefined) config.maxRetries = options.maxRetries
    if (readOnly) config.safeToRetry = true
    // A mutation the docs do not promise to deduplicate (a create, say) could be applied twice by a
    // retry after a lost answer, key or not (spec: `x-segmentflow-idempotent: false`).
    else if (!operationPolicy[operation].idempotent) config.retry = 'unsent'
    // The response schemas load while the request is in flight; a failed load surfaces after it.
    const schemas = this.#validation.response ? (loadedSchemas() ?? loadSchemas()) : undefined
    if (schemas instanceof Promise) schemas.catch(() => {})
    const response = await (call as AnyCall)(args, config)
    // An empty answer where the spec promises a body would reach the caller as `undefined` typed as
    // data, and crash it later, far from here. Not retried: the same request would get the same.
    if (response.data === undefined && operationPolicy[operation].body) {
      throw new APIResponseValidationError(`The API answered ${operation} with ${response.status} and no body, where its schema declares one`, {
        status: response.status,
        requestId: response.requestId,
        idempotencyKey: response.idempotencyKey,
      })
    }
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

/** The checks of `check`, or one issue at `path` if reading the input threw on the way. */
function readable(path: string, check: () => ValidationIssue[]): ValidationIssue[] {
  try {
    return check()
  } catch (error) {
    return [{ ...unreadableBodyIssue(error), path }]
  }
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

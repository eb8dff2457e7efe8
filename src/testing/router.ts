/**
 * The request pipeline. For an API request, in order:
 *
 *   route -> infrastructure faults -> 401 -> rate limit -> 403 -> path/query/header/body validation
 *   -> Idempotency-Key claim (or replay) -> delay faults -> the operation -> after-commit faults
 *
 * Routing comes from the generated `paths` map, so a path in the spec is a path in the sandbox.
 * Every response, errors included, carries `x-request-id`. A dropped connection is
 * `Response.error()`: `sandbox.fetch` rejects with a TypeError for it and the Node server destroys
 * the socket, as a real network failure would.
 */
import type * as z from 'zod'
import { operations, paths } from '../../generated/zod/operations.ts'
import { authenticate, requireScopes } from './auth.ts'
import { iso, sleep } from './clock.ts'
import { ApiFailure, invalid } from './errors.ts'
import type { FaultRegistry, FaultSpec } from './faults.ts'
import { codeForStatus } from './faults.ts'
import { type Claim, claim, fingerprint } from './idempotency.ts'
import { requestId as newRequestId } from './random.ts'
import type { RateLimiter } from './rate-limit.ts'
import { toResponse } from './responses.ts'
import type { RouteContext, SandboxEnv } from './route.ts'
import { type OperationId, routeTable } from './routes/index.ts'
import { handleStorage, storageKeyOf } from './routes/storage.ts'
import type { RequestLogEntry } from './store.ts'
import { check, headerInput, queryInput } from './validation.ts'

export interface RouterOptions {
  env: SandboxEnv
  faults: FaultRegistry
  limiter: RateLimiter | null
  /** Check every answer of the API against the spec's response schema for its operation and status. */
  checkResponses: boolean
  requestLogLimit: number
  /** Brings lifecycles up to the clock before the request is looked at. */
  settle(): void
}

/** Thrown (never answered) when `checkResponses` finds the sandbox breaking its own spec. */
export class SandboxContractError extends Error {
  constructor(message: string, readonly issues: unknown = undefined) {
    super(message)
    this.name = 'SandboxContractError'
  }
}

interface CompiledRoute {
  operationId: OperationId
  method: string
  pattern: RegExp
  names: string[]
  literalSegments: number
}

function compileRoutes(): CompiledRoute[] {
  const idOf = new Map<unknown, OperationId>()
  for (const [id, operation] of Object.entries(operations)) idOf.set(operation, id as OperationId)
  const compiled: CompiledRoute[] = []
  for (const [template, methods] of Object.entries(paths)) {
    const names: string[] = []
    const source = template
      .split('/')
      .map((segment) => {
        const param = /^\{(.+)\}$/.exec(segment)
        if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        names.push(param[1] as string)
        return '([^/]+)'
      })
      .join('/')
    for (const [method, operation] of Object.entries(methods)) {
      const operationId = idOf.get(operation)
      if (!operationId) continue
      compiled.push({
        operationId,
        method: method.toUpperCase(),
        pattern: new RegExp(`^${source}/?$`),
        names,
        literalSegments: template.split('/').length - names.length,
      })
    }
  }
  // `/assets/upload-url` must win over `/assets/{id}`: most literal segments first.
  return compiled.sort((a, b) => b.literalSegments - a.literalSegments)
}

const ROUTES = compileRoutes()

function matchRoute(method: string, pathname: string): { operationId: OperationId; params: Record<string, string> } | null {
  for (const candidate of ROUTES) {
    if (candidate.method !== method) continue
    const found = candidate.pattern.exec(pathname)
    if (!found) continue
    const params: Record<string, string> = {}
    candidate.names.forEach((name, i) => {
      params[name] = decodeURIComponent(found[i + 1] as string)
    })
    return { operationId: candidate.operationId, params }
  }
  return null
}

/** JSON bodies only, as the API takes. An empty body is `{}` where the spec makes the body optional. */
async function readJson(request: Request, takesBody: boolean, optional: boolean): Promise<unknown> {
  const text = await request.text()
  if (!takesBody) return undefined
  if (!text.trim()) return optional ? {} : undefined
  const type = request.headers.get('content-type') ?? ''
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type.trim())) {
    throw invalid([{ path: '', message: 'Send the body as JSON with content-type: application/json' }], 'The request body must be JSON.')
  }
  try {
    return JSON.parse(text)
  } catch {
    throw invalid([{ path: '', message: 'Malformed JSON' }], 'The request body is not valid JSON.')
  }
}

async function hold(spec: Readonly<FaultSpec>): Promise<void> {
  if (spec.until) await Promise.resolve(spec.until).catch(() => undefined)
  else await sleep(spec.delayMs ?? 1000)
}

const FAULT_MESSAGES: Partial<Record<string, string>> = {
  internal_error: 'An internal error occurred.',
  service_unavailable: 'The service is temporarily unavailable.',
}

function faultFailure(spec: Readonly<FaultSpec>, defaultStatus: number): ApiFailure {
  const status = spec.status ?? defaultStatus
  const code = spec.error ?? codeForStatus(status)
  const retryAfter = spec.retryAfter ?? (status === 429 || status === 503 ? 1 : undefined)
  const headers: Record<string, string> = {}
  if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter)
  if (status === 429) {
    Object.assign(headers, { 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(retryAfter ?? 1) })
  }
  const message =
    code === 'rate_limited' ? `Rate limit exceeded. Retry after ${retryAfter ?? 1} seconds.` : (FAULT_MESSAGES[code] ?? 'The request failed.')
  return new ApiFailure(code, message, undefined, headers, status)
}

export function createRouter(options: RouterOptions): (request: Request) => Promise<Response> {
  const { env, faults, limiter } = options
  const { store } = env

  function log(entry: RequestLogEntry, storage: boolean): void {
    const { requests, storageRequests } = store.state
    requests.push(entry)
    if (requests.length > options.requestLogLimit) requests.splice(0, requests.length - options.requestLogLimit)
    if (storage) {
      storageRequests.push(entry)
      if (storageRequests.length > options.requestLogLimit) storageRequests.splice(0, storageRequests.length - options.requestLogLimit)
    }
  }

  function contractCheck(operationId: OperationId, status: number, body: unknown): void {
    if (!options.checkResponses) return
    const schema = (operations[operationId].responses as Record<number, z.ZodType | undefined>)[status]
    if (!schema) throw new SandboxContractError(`${operationId} answered ${status}, a status its spec does not declare.`)
    if (status === 204) return
    const result = schema.safeParse(body)
    if (!result.success) {
      throw new SandboxContractError(`${operationId} answered ${status} with a body that breaks the spec.`, result.error.issues)
    }
  }

  async function handleApi(request: Request, url: URL, entry: RequestLogEntry, headers: Headers): Promise<Response | 'reset'> {
    const respond = (status: number, body: unknown, extra: Record<string, string> = {}) => {
      for (const [name, value] of Object.entries(extra)) headers.set(name, value)
      entry.status = status
      return toResponse(status, body, headers)
    }
    let rateHeaders: Record<string, string> = {}
    let operationId: OperationId | null = null
    let claimed: Extract<Claim, { kind: 'fresh' }> | null = null
    try {
      const match = matchRoute(request.method, url.pathname)
      if (!match) {
        // Behind the gateway every /api path authenticates first, as the real API does.
        if (url.pathname.startsWith('/api/')) authenticate(store, request.headers)
        throw new ApiFailure('not_found', `No route for ${request.method} ${url.pathname}.`)
      }
      operationId = match.operationId
      entry.operation = operationId
      const route = routeTable[operationId]
      const schemas = operations[operationId]

      const infrastructure = faults.take(operationId, 'before')
      if (infrastructure) {
        entry.fault = infrastructure.kind
        if (infrastructure.kind === 'reset') return 'reset'
        const failure = faultFailure(infrastructure, 503)
        return respond(failure.status, failure.toEnvelope(), failure.headers)
      }

      const apiKey = authenticate(store, request.headers)
      if (limiter) rateHeaders = limiter.hit(apiKey.key, env.clock.now())
      requireScopes(apiKey, route.scopes)

      const params = schemas.parameters.path ? check(schemas.parameters.path as z.ZodType, match.params, ['path']) : {}
      const query = schemas.parameters.query ? check(schemas.parameters.query as z.ZodType, queryInput(schemas.parameters.query, url.searchParams), ['query']) : undefined
      const headerParams = (
        schemas.parameters.header ? check(schemas.parameters.header as z.ZodType, headerInput(schemas.parameters.header, request.headers), ['header']) : {}
      ) as Record<string, string | undefined>
      const raw = await readJson(request, schemas.request !== undefined, route.bodyOptional === true)
      entry.body = raw
      const body = route.parseBody ? route.parseBody(raw) : schemas.request ? check(schemas.request as z.ZodType, raw) : undefined

      const idempotencyKey = headerParams['Idempotency-Key'] ?? null
      if (idempotencyKey !== null) {
        const outcome = claim(store.index(apiKey.organizationId).idempotency, idempotencyKey, fingerprint(operationId, params, raw), env.clock.now())
        if (outcome.kind === 'replay') {
          entry.replayed = true
          contractCheck(operationId, outcome.status, outcome.body)
          return respond(outcome.status, outcome.body, { ...rateHeaders, 'idempotent-replayed': 'true' })
        }
        claimed = outcome
      }

      const slow = faults.take(operationId, 'delay')
      if (slow) {
        entry.fault = 'delay'
        await hold(slow)
      }

      const ctx: RouteContext<unknown, unknown, unknown> = {
        env,
        store,
        now: env.clock.now(),
        organizationId: apiKey.organizationId,
        apiKey,
        origin: url.origin,
        requestId: entry.requestId ?? '',
        idempotencyKey,
        body,
        query,
        params,
      }
      let result: Awaited<ReturnType<typeof route.run>>
      try {
        result = await route.run(ctx)
      } catch (error) {
        // The operation ran and refused: that answer is what this key means from now on.
        if (claimed && error instanceof ApiFailure && error.status < 500) claimed.complete(error.status, error.toEnvelope())
        else claimed?.release()
        claimed = null
        throw error
      }
      claimed?.complete(result.status, result.body)
      claimed = null

      if (result.status < 300) {
        const lost = faults.take(operationId, 'after-commit')
        if (lost) {
          entry.fault = 'after-commit'
          if (lost.reset) return 'reset'
          const failure = faultFailure(lost, 500)
          return respond(failure.status, failure.toEnvelope(), { ...rateHeaders, ...failure.headers })
        }
      }
      contractCheck(operationId, result.status, result.body)
      return respond(result.status, result.body, { ...rateHeaders, ...result.headers })
    } catch (error) {
      claimed?.release()
      if (error instanceof SandboxContractError) throw error
      if (error instanceof ApiFailure) {
        if (operationId) contractCheck(operationId, error.status, error.toEnvelope())
        return respond(error.status, error.toEnvelope(), { ...rateHeaders, ...error.headers })
      }
      const message = error instanceof Error ? error.message : String(error)
      return respond(500, { error: 'internal_error', message: `The sandbox failed: ${message}` }, rateHeaders)
    }
  }

  async function handleStorageRequest(request: Request, url: URL, entry: RequestLogEntry, headers: Headers): Promise<Response | 'reset'> {
    entry.operation = 'storage'
    const respond = (status: number, body: unknown, extra: Record<string, string> = {}) => {
      for (const [name, value] of Object.entries(extra)) headers.set(name, value)
      entry.status = status
      return toResponse(status, body, headers)
    }
    const infrastructure = faults.take('storage', 'before')
    if (infrastructure) {
      entry.fault = infrastructure.kind
      if (infrastructure.kind === 'reset') return 'reset'
      const failure = faultFailure(infrastructure, 503)
      return respond(failure.status, failure.toEnvelope(), failure.headers)
    }
    const slow = faults.take('storage', 'delay')
    if (slow) {
      entry.fault = 'delay'
      await hold(slow)
    }
    try {
      const result = await handleStorage(store, request, url, env.clock.now())
      if (request.method === 'PUT') {
        const lost = faults.take('storage', 'after-commit')
        if (lost) {
          entry.fault = 'after-commit'
          if (lost.reset) return 'reset'
          const failure = faultFailure(lost, 500)
          return respond(failure.status, failure.toEnvelope(), failure.headers)
        }
      }
      for (const [name, value] of Object.entries(result.headers ?? {})) headers.set(name, value)
      entry.status = result.status
      return new Response(request.method === 'HEAD' ? null : (result.bytes ?? null), { status: result.status, headers })
    } catch (error) {
      if (error instanceof ApiFailure) return respond(error.status, error.toEnvelope(), error.headers)
      const message = error instanceof Error ? error.message : String(error)
      return respond(500, { error: 'internal_error', message: `The sandbox failed: ${message}` })
    }
  }

  return async function handle(request: Request): Promise<Response> {
    options.settle()
    const url = new URL(request.url)
    const id = newRequestId()
    const storage = storageKeyOf(url) !== null
    const entry: RequestLogEntry = {
      requestId: id,
      at: iso(env.clock.now()),
      method: request.method,
      url: request.url,
      path: url.pathname,
      operation: null,
      headers: Object.fromEntries(request.headers),
      body: undefined,
      status: 0,
      replayed: false,
      fault: null,
    }
    log(entry, storage)
    const headers = new Headers({ 'x-request-id': id })
    const response = storage ? await handleStorageRequest(request, url, entry, headers) : await handleApi(request, url, entry, headers)
    if (response === 'reset') {
      entry.status = 0
      entry.requestId = null
      return Response.error()
    }
    return response
  }
}

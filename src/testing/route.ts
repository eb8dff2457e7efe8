/** The shape of one operation's handler, shared by the routes files and the router. */
import type { Scope } from '../../generated/types/index.ts'
import type { SandboxClock } from './clock.ts'
import type { Timings } from './lifecycle.ts'
import type { Reply } from './responses.ts'
import type { ApiKeyRecord, Store } from './store.ts'

/** What every handler can reach: the state, the clock and the sandbox's settings. */
export interface SandboxEnv {
  store: Store
  clock: SandboxClock
  timings: Timings
  /** Seconds an upload URL stays valid (the spec's example says 900). */
  uploadUrlTtlSeconds: number
}

export interface RouteContext<Body, Query, Params> {
  env: SandboxEnv
  store: Store
  now: number
  organizationId: string
  apiKey: ApiKeyRecord
  /** The origin the request came to; upload URLs point back at it so they work in-process and served. */
  origin: string
  requestId: string
  /** The request's Idempotency-Key header, when the operation takes one. */
  idempotencyKey: string | null
  body: Body
  query: Query
  params: Params
}

export interface RouteDef<Body = unknown, Query = unknown, Params = unknown> {
  /** The scopes the operation needs; a test checks them against the spec's `x-required-scopes`. */
  scopes: readonly Scope[]
  /** The spec's `requestBody.required: false`: an empty body is read as `{}` (also checked by a test). */
  bodyOptional?: boolean
  /** Replaces the schema check of the body, for operations with rules a schema cannot say. */
  parseBody?(raw: unknown): Body
  run(ctx: RouteContext<Body, Query, Params>): Reply | Promise<Reply>
}

// `any`: the table holds routes of different bodies; `route()` checks each one where it is written.
export type AnyRoute = RouteDef<any, any, any>

/** Keeps a handler's generics checked where it is written, then stores it erased. */
export function route<Body = undefined, Query = undefined, Params = undefined>(def: RouteDef<Body, Query, Params>): AnyRoute {
  return def as AnyRoute
}

/**
 * `createSandbox()`: a stateful, in-memory SegmentFlow v1 API behind a Web fetch handler. Use it in
 * process (`fetch: sandbox.fetch`), under msw (`sandbox.handle`), or over HTTP (`./testing/node`).
 */
import type { DeliverySuppressionReason, Profile, ProfileSegment } from '../../generated/types/index.ts'
import { untilAborted } from '../core/abortable.ts'
import { type ApiKeyOptions, registerKey } from './auth.ts'
import { type ClockMode, createClock, iso, type SandboxClock } from './clock.ts'
import { createFaults, type FaultInjector } from './faults.ts'
import { DEFAULT_TIMINGS, settle, type Timings } from './lifecycle.ts'
import { uuid } from './random.ts'
import { createRateLimiter, type RateLimitOptions } from './rate-limit.ts'
import { toProfile } from './render.ts'
import type { SandboxEnv } from './route.ts'
import { createRouter } from './router.ts'
import { createProfile } from './routes/profiles.ts'
import { SEED, seedExtraProfiles, seedKeys, seedOrganization } from './seed.ts'
import { type SandboxState, type SenderProfile, Store } from './store.ts'

export interface SandboxOptions {
  /** `'manual'`: time moves only with `sandbox.clock.advance()`. Default `'real'`. */
  clock?: ClockMode
  /** The clock's starting instant (default: now for a real clock, 2026-01-15T09:00:00Z for a manual one). */
  now?: Date | string | number
  /** Seed the quickstart data (see `SEED`). Default true. */
  seed?: boolean
  /** Extra profiles for volume tests, `person-000001@example.com`, ... Default 0. */
  seedProfiles?: number
  /** The seeded organization's id. Default `org_sandbox`. */
  organizationId?: string
  /** The full-scope key. Default `sk_test_sandbox_full_access`. */
  apiKey?: string
  /** The read-only key (every `:read` scope). Default `sk_test_sandbox_read_only`. */
  readOnlyApiKey?: string
  /** More keys, possibly of other organizations (created empty). */
  apiKeys?: ApiKeyOptions[]
  /** Rate limiting per key (429 `rate_limited` with `Retry-After`). Off by default. */
  rateLimit?: RateLimitOptions | false
  /** Lifecycle speeds (email send statuses, extraction steps). */
  timings?: Partial<Timings>
  /** Seconds an upload URL is valid. Default 900. */
  uploadUrlTtlSeconds?: number
  /** The base URL to give an SDK client in process. Default `https://sandbox.segmentflow.test`. */
  baseURL?: string
  /**
   * Check every API answer against the spec (response schema for that operation and status) and throw
   * `SandboxContractError` instead of answering when it does not match. Default false.
   */
  checkResponses?: boolean
  /** How many requests `state.requests` keeps (oldest dropped first). Default 10,000. */
  requestLogLimit?: number
}

export interface SenderOptions {
  email: string
  name?: string | null
  verified?: boolean
  organizationId?: string
}

export interface ProfileOptions {
  email: string
  id?: string
  externalId?: string | null
  phone?: string | null
  properties?: Record<string, unknown>
  sources?: string[]
  segments?: ProfileSegment[]
  suppression?: DeliverySuppressionReason | null
  organizationId?: string
}

export interface SubscriptionOptions {
  profileId: string
  subscriptionGroupId: string
  status: 'Subscribed' | 'Unsubscribed'
}

// `string | URL | Request` rather than the DOM's `RequestInfo`: @types/node declares Request and
// RequestInit but not RequestInfo, so a Node project without the DOM lib could not typecheck this.
export type SandboxFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>

export interface Sandbox {
  /** The Web fetch handler: a Request in, a Response out. A dropped connection is `Response.error()`. */
  handle(request: Request): Promise<Response>
  /** `fetch` bound to the sandbox: rejects with a TypeError when a fault drops the connection. */
  fetch: SandboxFetch
  /** Give this to an SDK client together with `fetch`. */
  readonly baseURL: string
  /** A key with every scope, of `organizationId`. */
  readonly apiKey: string
  /** A key with every `:read` scope, of `organizationId`. */
  readonly readOnlyApiKey: string
  readonly organizationId: string
  readonly clock: SandboxClock
  readonly faults: FaultInjector
  /** Everything the sandbox holds, brought up to the clock on every read. For assertions. */
  readonly state: SandboxState
  /** Adds a key and returns its value. A new organizationId creates an empty organization. */
  addApiKey(options: ApiKeyOptions): string
  /** Adds a sender profile (verified by default): `from` addresses must belong to a verified one. */
  addSender(options: SenderOptions): SenderProfile
  /** Adds a profile directly (no request, no log). */
  addProfile(options: ProfileOptions): Profile
  /** Sets a profile's choice for a subscription group (the gate that makes a send `Skipped`). */
  setSubscription(options: SubscriptionOptions): void
}

export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const store = new Store()
  const timings: Timings = { ...DEFAULT_TIMINGS, ...options.timings }
  const bringUpToDate = () => settle(store, clock.now(), timings)
  const clock = createClock(options.clock ?? 'real', options.now, () => bringUpToDate())
  const organizationId = options.organizationId ?? SEED.organizationId
  const apiKey = options.apiKey ?? SEED.apiKey
  const readOnlyApiKey = options.readOnlyApiKey ?? SEED.readOnlyApiKey
  const env: SandboxEnv = { store, clock, timings, uploadUrlTtlSeconds: options.uploadUrlTtlSeconds ?? 900 }

  store.ensureOrganization(organizationId)
  seedKeys(store, organizationId, apiKey, readOnlyApiKey)
  if (options.seed !== false) seedOrganization(store, organizationId, clock.now())
  if (options.seedProfiles) seedExtraProfiles(store, organizationId, options.seedProfiles, clock.now())
  for (const key of options.apiKeys ?? []) registerKey(store, key, organizationId)

  const faults = createFaults((kind) => {
    store.state.injectedFaults[kind] += 1
  })
  const handle = createRouter({
    env,
    faults,
    limiter: options.rateLimit ? createRateLimiter(options.rateLimit) : null,
    checkResponses: options.checkResponses ?? false,
    requestLogLimit: options.requestLogLimit ?? 10_000,
    settle: bringUpToDate,
  })
  const baseURL = (options.baseURL ?? 'https://sandbox.segmentflow.test').replace(/\/+$/, '')

  const fetch: SandboxFetch = async (input, init) => {
    // A bare path is resolved against baseURL: `sandbox.fetch('/api/v1/templates', ...)` in a test.
    const target = typeof input === 'string' && input.startsWith('/') ? `${baseURL}${input}` : input
    const request = new Request(target, init)
    const { signal } = request
    if (signal.aborted) throw signal.reason
    // Like a real server, the handler goes on after the caller gives up: an aborted write may land.
    const response = await untilAborted(handle(request), signal)
    if (response.type === 'error') {
      // What fetch does when the peer resets the connection (undici: "fetch failed", cause ECONNRESET).
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up (sandbox fault)'), { code: 'ECONNRESET' }) })
    }
    return response
  }

  return {
    handle,
    fetch,
    baseURL,
    apiKey,
    readOnlyApiKey,
    organizationId,
    clock,
    faults,
    get state() {
      bringUpToDate()
      return store.state
    },
    addApiKey(keyOptions) {
      return registerKey(store, keyOptions, organizationId).key
    },
    addSender(sender) {
      const org = sender.organizationId ?? organizationId
      store.ensureOrganization(org)
      const record: SenderProfile = {
        id: uuid(),
        organizationId: org,
        email: sender.email,
        name: sender.name ?? null,
        verified: sender.verified ?? true,
      }
      store.state.senders.set(record.id, record)
      return record
    },
    addProfile(profile) {
      const org = profile.organizationId ?? organizationId
      store.ensureOrganization(org)
      return toProfile(createProfile(store, org, profile, clock.now()))
    },
    setSubscription({ profileId, subscriptionGroupId, status }) {
      const profile = store.state.profiles.get(profileId)
      const group = store.state.subscriptionGroups.get(subscriptionGroupId)
      if (!profile || !group || profile.organizationId !== group.organizationId) {
        throw new RangeError('setSubscription: unknown profile or subscription group (or of another organization)')
      }
      store.setSubscription(profileId, subscriptionGroupId, { status, updatedAt: iso(clock.now()) })
    },
  }
}


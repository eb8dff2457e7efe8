/**
 * `@segmentflow/segmentflow-typescript/testing`: the in-memory SegmentFlow sandbox for tests.
 *
 *   import { createSandbox } from '@segmentflow/segmentflow-typescript/testing'
 *   const sandbox = createSandbox({ clock: 'manual' })
 *   const client = new SegmentFlow({ apiKey: sandbox.apiKey, baseURL: sandbox.baseURL, fetch: sandbox.fetch })
 *
 * Web-standard only: it runs wherever the SDK runs. The Node HTTP server is `./testing/node`.
 */
export { createSandbox } from './sandbox.ts'
export type {
  ProfileOptions,
  Sandbox,
  SandboxFetch,
  SandboxOptions,
  SenderOptions,
  SubscriptionOptions,
} from './sandbox.ts'
export { SEED } from './seed.ts'
export { sandboxHandlers } from './msw.ts'
export type { MswHttpLike } from './msw.ts'
export { SandboxContractError } from './router.ts'
export { ALL_SCOPES, READ_SCOPES } from './auth.ts'
export type { ApiKeyOptions } from './auth.ts'
export type { ClockMode, SandboxClock } from './clock.ts'
export type { Fault, FaultInjector, FaultKind, FaultSpec } from './faults.ts'
export type { Timings } from './lifecycle.ts'
export { EXTRACTION_STEPS } from './lifecycle.ts'
export type { RateLimitOptions } from './rate-limit.ts'
export { MAX_ASSET_BYTES } from './routes/assets.ts'
export { IDEMPOTENCY_TTL_MS } from './idempotency.ts'
export type {
  ApiKeyRecord,
  AssetRecord,
  BrandKitRecord,
  EmailSendRecord,
  ExtractionRun,
  Journey,
  Organization,
  ProfileRecord,
  RequestLogEntry,
  SandboxState,
  SenderProfile,
  SubscriptionEntry,
  SubscriptionGroup,
  TemplateRecord,
  TrackedEvent,
  UploadSession,
} from './store.ts'

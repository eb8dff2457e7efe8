/**
 * The fault injector. Tests add faults; the sandbox consults them at three points of a request:
 *
 * - before anything else (`reset`, `status`): the load balancer drops the connection or answers an
 *   error; nothing ran, nothing was written.
 * - just before the operation runs, after its idempotency key was claimed (`delay`): the server is
 *   slow. A second request with the same key meanwhile gets `idempotency_request_in_progress`.
 * - after the operation committed (`after-commit`): the write happened, then the answer was lost
 *   (a 5xx or a dropped connection). Only a retry with the same Idempotency-Key avoids a duplicate.
 *
 * A fault matches one operation (or `storage`, the upload host), a list, or every API operation when
 * `operation` is omitted (never `storage`: it is another host, name it to break it).
 */
import type { ErrorCode } from '../../generated/types/index.ts'
import { seededRandom } from './random.ts'

export type FaultKind = 'reset' | 'delay' | 'status' | 'after-commit'

export interface FaultSpec {
  kind: FaultKind
  /** An operationId (`sendEmail`), `storage`, or a list; omitted = every API operation. */
  operation?: string | string[]
  /** `status`: the status to answer (default 503). `after-commit`: the status after the write (default 500). */
  status?: number
  /** The envelope's `error` code; by default derived from the status. */
  error?: ErrorCode
  /** Seconds, sent as `Retry-After` (default 1 for 429 and 503). */
  retryAfter?: number
  /** `after-commit`: drop the connection instead of answering. */
  reset?: boolean
  /** `delay`: wall-clock milliseconds (default 1000). */
  delayMs?: number
  /**
   * `delay`: hold the request until this promise settles, instead of `delayMs`. Lets a test keep a
   * request "running" exactly as long as it needs, with no timing involved.
   */
  until?: PromiseLike<unknown>
  /** Fire at most this many times (default: no limit). */
  times?: number
  /** Let this many matching requests through before firing (default 0). */
  skip?: number
  /** Fire on this share of matching requests, 0 to 1 (default 1). Draws come from `seed`. */
  rate?: number
  /** Seed of the deterministic PRNG behind `rate` (default 1): the same seed fails the same requests. */
  seed?: number
}

export interface Fault {
  readonly id: number
  readonly spec: Readonly<FaultSpec>
  /** How many times it fired. */
  readonly fired: number
  /** How many requests it matched (fired or not). */
  readonly matched: number
  /** True once `times` is used up. */
  readonly exhausted: boolean
  remove(): void
}

export interface FaultInjector {
  add(spec: FaultSpec): Fault
  /** Removes every fault. */
  clear(): void
  list(): Fault[]
}

export type FaultPhase = 'before' | 'delay' | 'after-commit'

const PHASE_OF: Record<FaultKind, FaultPhase> = {
  reset: 'before',
  status: 'before',
  delay: 'delay',
  'after-commit': 'after-commit',
}

interface LiveFault extends Fault {
  fired: number
  matched: number
  random: () => number
}

export interface FaultRegistry extends FaultInjector {
  /** Picks the fault that fires now for this operation and phase, if any, and counts it. */
  take(operation: string, phase: FaultPhase): Readonly<FaultSpec> | null
}

export function createFaults(onFire: (kind: FaultKind) => void): FaultRegistry {
  let faults: LiveFault[] = []
  let nextId = 1

  const registry: FaultRegistry = {
    add(spec) {
      validate(spec)
      const fault: LiveFault = {
        id: nextId++,
        spec: Object.freeze({ ...spec }),
        fired: 0,
        matched: 0,
        random: seededRandom(spec.seed ?? 1),
        get exhausted() {
          return spec.times !== undefined && this.fired >= spec.times
        },
        remove() {
          faults = faults.filter((f) => f !== fault)
        },
      }
      faults.push(fault)
      return fault
    },
    clear() {
      faults = []
    },
    list() {
      return [...faults]
    },
    take(operation, phase) {
      for (const fault of faults) {
        const { spec } = fault
        if (PHASE_OF[spec.kind] !== phase || fault.exhausted || !matches(spec, operation)) continue
        fault.matched += 1
        if (fault.matched <= (spec.skip ?? 0)) continue
        // Draw even when rate is 1 so that adding `rate` later does not shift the sequence.
        const draw = fault.random()
        if (draw >= (spec.rate ?? 1)) continue
        fault.fired += 1
        onFire(spec.kind)
        return spec
      }
      return null
    },
  }
  return registry
}

function matches(spec: FaultSpec, operation: string): boolean {
  if (spec.operation === undefined) return operation !== 'storage'
  return Array.isArray(spec.operation) ? spec.operation.includes(operation) : spec.operation === operation
}

function validate(spec: FaultSpec): void {
  if (!['reset', 'delay', 'status', 'after-commit'].includes(spec.kind)) {
    throw new TypeError(`Unknown fault kind: ${String(spec.kind)}`)
  }
  if (spec.rate !== undefined && !(spec.rate >= 0 && spec.rate <= 1)) {
    throw new RangeError(`fault.rate must be between 0 and 1, got ${spec.rate}`)
  }
  if (spec.times !== undefined && !(Number.isInteger(spec.times) && spec.times >= 0)) {
    throw new RangeError(`fault.times must be a whole number, got ${spec.times}`)
  }
  if (spec.status !== undefined && !(Number.isInteger(spec.status) && spec.status >= 400 && spec.status <= 599)) {
    throw new RangeError(`fault.status must be an error status (400-599), got ${spec.status}`)
  }
}

/** The envelope code an injected status answers with, unless the fault names one. */
export function codeForStatus(status: number): ErrorCode {
  if (status === 429) return 'rate_limited'
  if (status === 500) return 'internal_error'
  if (status >= 500) return 'service_unavailable'
  if (status === 401) return 'unauthorized'
  if (status === 403) return 'insufficient_scope'
  if (status === 404) return 'not_found'
  if (status === 409) return 'conflict'
  if (status === 413) return 'payload_too_large'
  if (status === 422) return 'validation_failed'
  return 'invalid_request'
}

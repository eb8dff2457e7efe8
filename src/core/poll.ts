/**
 * Polling with a growing interval and a hard deadline, shared by `emails.waitForStatus` and
 * `brandKits.waitForExtraction`.
 *
 * The deadline is hard: when it passes, the wait ends at once, even in the middle of a request or a
 * backoff (both are aborted). Every timer it starts is cleared before it settles, so a finished or
 * abandoned wait never keeps a serverless function or a test runner alive.
 */
import { APIUserAbortError, SegmentFlowError, ValidationError, type ValidationIssue } from './errors.ts'
import { isAbortSignal, isTimeout, readOptions, readProblems } from './options.ts'
import { MAX_TIMEOUT_MS } from './transport.ts'
import { WaitTimeoutError } from './workflow-errors.ts'

export type WaitOptions = {
  /** Milliseconds before giving up with a `WaitTimeoutError`. */
  timeout?: number | undefined
  /** Milliseconds before the second look; each later wait is 1.5 times longer, up to 5 s. */
  interval?: number | undefined
  /** Ends the wait at once with an `APIUserAbortError`. */
  signal?: AbortSignal | undefined
}

export const DEFAULT_INTERVAL_MS = 500
export const MAX_INTERVAL_MS = 5_000
const GROWTH = 1.5

/**
 * The wait after `previous`. Starting fast catches the common case (done within a second or two);
 * backing off keeps a long wait from spending the caller's rate limit on one resource.
 */
export function nextInterval(previous: number): number {
  // An interval chosen above the cap is kept as it is: the caller asked for slow polling.
  return Math.max(previous, Math.min(previous * GROWTH, MAX_INTERVAL_MS))
}

export type PollSpec<T> = WaitOptions & {
  /** One look at the state. Must honour `signal`: the deadline aborts a look in flight. */
  look: (signal: AbortSignal) => Promise<T>
  /** The state is final: resolve with it. */
  done: (value: T) => boolean
  /** The state is a failure: throw this instead. */
  failure?: ((value: T) => SegmentFlowError | undefined) | undefined
  /** Every state seen, in order. */
  onLook?: ((value: T) => void) | undefined
  defaultTimeout: number
  /** For the timeout error: what was awaited ("email 3e9f… to reach Sent, Failed or Skipped"). */
  describe: string
  /** For the timeout error: the last state in a few words. */
  summarize: (value: T) => string
}

/** The fields of `WaitOptions`, for `readOptions`. */
export const WAIT_OPTION_NAMES = ['timeout', 'interval', 'signal'] as const

/**
 * The caller's wait options, read once (options.ts), and what is wrong with them. `extra` names the
 * helper's own fields.
 */
export function readWaitOptions<T extends WaitOptions>(options: unknown, extra: readonly string[], operation: string): T {
  const read = readOptions<T>(options, [...WAIT_OPTION_NAMES, ...extra])
  const issues = checkWaitOptions(read)
  if (issues.length > 0) throw new ValidationError(issues, { operation })
  return read
}

export function checkWaitOptions(options: WaitOptions | undefined): ValidationIssue[] {
  const issues: ValidationIssue[] = options === undefined ? [] : [...readProblems(options)]
  const { timeout, interval, signal } = options ?? {}
  if (timeout !== undefined && !isTimeout(timeout)) {
    issues.push({ path: 'timeout', message: `must be a number of milliseconds from 1 to ${MAX_TIMEOUT_MS}` })
  }
  if (interval !== undefined && !isTimeout(interval)) {
    issues.push({ path: 'interval', message: `must be a number of milliseconds from 1 to ${MAX_TIMEOUT_MS}` })
  }
  if (signal !== undefined && !isAbortSignal(signal)) issues.push({ path: 'signal', message: 'must be an AbortSignal' })
  return issues
}

export async function poll<T>(spec: PollSpec<T>): Promise<T> {
  const issues = checkWaitOptions(spec)
  if (issues.length > 0) throw new ValidationError(issues)
  const timeout = spec.timeout ?? spec.defaultTimeout
  const { signal } = spec
  if (signal?.aborted) throw new APIUserAbortError()

  // One controller ends whatever is under way: the caller's abort and the deadline both fire it.
  const controller = new AbortController()
  let timedOut = false
  const deadline = setTimeout(() => {
    timedOut = true
    controller.abort()
  }, timeout)
  const onAbort = () => controller.abort()
  signal?.addEventListener('abort', onAbort, { once: true })

  let lastSeen: T | undefined
  let interval = spec.interval ?? DEFAULT_INTERVAL_MS
  try {
    for (;;) {
      const value = await spec.look(controller.signal)
      lastSeen = value
      spec.onLook?.(value)
      const failure = spec.failure?.(value)
      if (failure) throw failure
      if (spec.done(value)) return value
      await sleep(interval, controller.signal)
      interval = nextInterval(interval)
    }
  } catch (error) {
    // The caller's abort wins over a deadline that passed in the same instant: it was asked for.
    if (signal?.aborted) throw new APIUserAbortError()
    if (timedOut) {
      const last = lastSeen === undefined ? 'no answer yet' : `last seen: ${spec.summarize(lastSeen)}`
      throw new WaitTimeoutError<T>(`Timed out after ${timeout} ms waiting for ${spec.describe} (${last})`, { lastSeen, timeout })
    }
    throw error
  } finally {
    clearTimeout(deadline)
    signal?.removeEventListener('abort', onAbort)
  }
}

/**
 * Resolves after `ms`, or rejects as soon as `signal` aborts, clearing its timer either way: a
 * cancelled wait must not keep the process alive for the rest of its interval.
 */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason)
      return
    }
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal.reason)
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

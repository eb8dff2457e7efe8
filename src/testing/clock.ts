/**
 * The sandbox's sense of time. Every lifecycle (email sends, brand kit extraction, idempotency key
 * expiry, rate-limit windows, upload URL expiry) reads `now()` from here and never from `Date.now()`,
 * so a test on a manual clock decides exactly when an email becomes `Sent`.
 *
 * Injected delays (see faults.ts) are the one exception: they model latency on the wire, which an
 * SDK's timeout measures in wall-clock time, so they always use real timers.
 */

export type ClockMode = 'real' | 'manual'

export interface SandboxClock {
  readonly mode: ClockMode
  /** Milliseconds since the epoch, as the sandbox sees it. */
  now(): number
  /** The same instant as a `Date`. */
  date(): Date
  /** Moves time forward. On a real clock it adds a permanent offset (handy to skip a 24 h window). */
  advance(ms: number): void
  /** Jumps to an absolute instant. */
  set(time: Date | string | number): void
}

/** Where a manual clock starts unless told otherwise: a fixed instant keeps snapshots stable. */
export const DEFAULT_MANUAL_START = Date.UTC(2026, 0, 15, 9, 0, 0)

export function createClock(
  mode: ClockMode,
  start?: Date | string | number,
  onChange?: () => void,
): SandboxClock {
  const wall = () => Date.now()
  let offset = 0
  let manualNow = start === undefined ? DEFAULT_MANUAL_START : toMillis(start)
  if (mode === 'real' && start !== undefined) offset = toMillis(start) - wall()

  const clock: SandboxClock = {
    mode,
    now: () => (mode === 'manual' ? manualNow : wall() + offset),
    date: () => new Date(clock.now()),
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`clock.advance() takes a duration >= 0, got ${ms}`)
      if (mode === 'manual') manualNow += ms
      else offset += ms
      onChange?.()
    },
    set(time) {
      const target = toMillis(time)
      if (mode === 'manual') manualNow = target
      else offset = target - wall()
      onChange?.()
    },
  }
  return clock
}

function toMillis(time: Date | string | number): number {
  const ms = time instanceof Date ? time.getTime() : typeof time === 'number' ? time : Date.parse(time)
  if (!Number.isFinite(ms)) throw new RangeError(`Not a valid instant: ${String(time)}`)
  return ms
}

export function iso(ms: number): string {
  return new Date(ms).toISOString()
}

/** Real-time sleep for injected delays; wall clock by design (see the note at the top). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/**
 * A fixed-window rate limiter per API key, on the sandbox clock (off unless configured). With a
 * manual clock a test exhausts the window, sees 429 with `Retry-After`, advances the clock and
 * succeeds, without waiting.
 */
import { ApiFailure } from './errors.ts'

export interface RateLimitOptions {
  /** Requests allowed per window and key. */
  limit: number
  /** Window length in milliseconds (default 1000). */
  windowMs?: number
}

export interface RateLimiter {
  /** Counts a request; returns the headers to add, or throws 429 `rate_limited`. */
  hit(key: string, now: number): Record<string, string>
}

export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const windowMs = options.windowMs ?? 1000
  if (!(Number.isInteger(options.limit) && options.limit > 0)) {
    throw new RangeError(`rateLimit.limit must be a positive whole number, got ${options.limit}`)
  }
  if (!(windowMs > 0)) throw new RangeError(`rateLimit.windowMs must be positive, got ${windowMs}`)
  const windows = new Map<string, { start: number; count: number }>()

  return {
    hit(key, now) {
      let window = windows.get(key)
      if (!window || now >= window.start + windowMs) {
        window = { start: now - ((now - (window?.start ?? now)) % windowMs), count: 0 }
        windows.set(key, window)
      }
      const resetSeconds = Math.max(1, Math.ceil((window.start + windowMs - now) / 1000))
      const headers = {
        'x-ratelimit-limit': String(options.limit),
        'x-ratelimit-remaining': String(Math.max(0, options.limit - window.count - 1)),
        'x-ratelimit-reset': String(resetSeconds),
      }
      if (window.count >= options.limit) {
        throw new ApiFailure(
          'rate_limited',
          `Rate limit exceeded. Retry after ${resetSeconds} second${resetSeconds === 1 ? '' : 's'}.`,
          { limit: options.limit, retryAfter: resetSeconds },
          { ...headers, 'x-ratelimit-remaining': '0', 'retry-after': String(resetSeconds) },
        )
      }
      window.count += 1
      return headers
    },
  }
}

/**
 * Levelled logging through a caller-supplied logger (console by default). Log lines carry the
 * method, path, status, attempt, request id and duration: enough to follow a call and its retries,
 * never a header value or a body (bodies hold personal data, headers hold the key).
 */
import type { Redactor } from './redact.ts'

export type LogLevel = 'off' | 'error' | 'warn' | 'info' | 'debug'

/** Anything with these four methods: `console`, pino, winston, a test spy. */
export interface Logger {
  error(message: string, ...rest: unknown[]): void
  warn(message: string, ...rest: unknown[]): void
  info(message: string, ...rest: unknown[]): void
  debug(message: string, ...rest: unknown[]): void
}

const SEVERITY: Record<LogLevel, number> = { off: 0, error: 1, warn: 2, info: 3, debug: 4 }

export const DEFAULT_LOG_LEVEL: LogLevel = 'warn'

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && Object.hasOwn(SEVERITY, value)
}

/**
 * A logger that drops lines below `level` and scrubs the ones it passes on. `target` is looked up
 * at each call when omitted, so a console patched after construction (by a test runner) is used.
 */
export function createLogger(target: Logger | undefined, level: LogLevel, redact: Redactor): LevelledLogger {
  const emit =
    (method: keyof Logger) =>
    (message: string, ...rest: unknown[]) => {
      if (SEVERITY[method] > SEVERITY[level]) return
      const sink = target ?? globalThis.console
      sink[method](redact(`[segmentflow] ${message}`), ...rest)
    }
  return { error: emit('error'), warn: emit('warn'), info: emit('info'), debug: emit('debug'), level }
}

/** A logger from `createLogger`, which knows the lowest level it passes on. */
export type LevelledLogger = Logger & { readonly level: LogLevel }

/**
 * Whether a line at `level` would be written, so that a hot path can skip building it: the debug
 * line of every request cost about a fifth of the SDK's own time per call while being dropped.
 * A logger of unknown level passes everything.
 */
export function logsAt(logger: Logger, level: keyof Logger): boolean {
  const threshold = (logger as Partial<LevelledLogger>).level
  return threshold === undefined || SEVERITY[level] <= SEVERITY[threshold]
}

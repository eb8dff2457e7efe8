import { readEnv, isBrowserLike } from './core/env.ts'
import { SegmentFlowError } from './core/errors.ts'
import type { HeaderValues } from './core/headers.ts'
import { createLogger, DEFAULT_LOG_LEVEL, isLogLevel, type Logger, type LogLevel } from './core/logging.ts'
import { describeType, readOptions, readProblems } from './core/options.ts'
import { createRedactor } from './core/redact.ts'
import { Requester, type ValidationSettings } from './core/requester.ts'
import { createHttp } from './core/http.ts'
import { DEFAULT_MAX_RESPONSE_SIZE } from './core/response-body.ts'
import { createTransport, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS, type Fetch } from './core/transport.ts'
import { Assets } from './resources/assets.ts'
import { BrandKits } from './resources/brand-kits.ts'
import { Emails } from './resources/emails.ts'
import { Events } from './resources/events.ts'
import { Profiles } from './resources/profiles.ts'
import { Templates } from './resources/templates.ts'
import { VERSION } from './version.ts'

export type ClientOptions = {
  /** Defaults to `process.env.SEGMENTFLOW_API_KEY`. */
  apiKey?: string | undefined
  /** Defaults to `process.env.SEGMENTFLOW_BASE_URL`, else `https://api.segmentflow.ai`. */
  baseURL?: string | URL | undefined
  /** Milliseconds per attempt (each retry gets its own). Default 60 000. */
  timeout?: number | undefined
  /** Retries after the first attempt. Default 2; 0 disables retries. */
  maxRetries?: number | undefined
  /** A `fetch` to send with (edge runtimes, proxies, tests). Default: the global `fetch`, at call time. */
  fetch?: Fetch | undefined
  /** Headers sent with every request. */
  defaultHeaders?: HeaderValues | undefined
  /**
   * Check inputs (and, opted in, responses) against the API's schemas. Default: requests yes,
   * responses no. `true` or `false` sets both.
   */
  validate?: boolean | { request?: boolean | undefined; response?: boolean | undefined } | undefined
  /**
   * The most bytes of one response body the SDK reads (after decompression). A larger body is a
   * `ResponseTooLargeError`, not retried. Default 10 MiB: the API's largest answers are far smaller.
   */
  maxResponseSize?: number | undefined
  /** Where log lines go. Default: `console`. */
  logger?: Logger | undefined
  /** Default: `process.env.SEGMENTFLOW_LOG`, else `'warn'`. */
  logLevel?: LogLevel | undefined
  /** An API key is a secret: constructing a client in a browser throws unless this is true. */
  dangerouslyAllowBrowser?: boolean | undefined
}

/** The namespaces, as the public docs' `client.v1.emails.send(...)` spells them. */
export type SegmentFlowV1 = Pick<SegmentFlow, 'emails' | 'events' | 'profiles' | 'templates' | 'assets' | 'brandKits'>

export const DEFAULT_BASE_URL = 'https://api.segmentflow.ai'

/** Carries where the key came from across `withOptions`, which passes it on as an option. */
const KEY_SOURCE = Symbol('keySource')
type InternalOptions = ClientOptions & { [KEY_SOURCE]?: 'option' | 'env' }

/** The SegmentFlow v1 API. One instance per API key; instances share nothing. */
export class SegmentFlow {
  static readonly DEFAULT_BASE_URL = DEFAULT_BASE_URL
  static readonly VERSION = VERSION

  readonly baseURL: string
  readonly timeout: number
  readonly maxRetries: number
  readonly maxResponseSize: number

  readonly emails: Emails
  readonly events: Events
  readonly profiles: Profiles
  readonly templates: Templates
  readonly assets: Assets
  readonly brandKits: BrandKits
  /** The same namespaces again, for snippets written as `client.v1.emails.send(...)`. */
  readonly v1: SegmentFlowV1

  // A private field, not a property: `console.log(client)` and `JSON.stringify(client)` never show
  // the key.
  readonly #options: ClientOptions
  readonly #keySource: 'option' | 'env'

  constructor(options: ClientOptions = {}) {
    // Set only by `withOptions`, and dropped by the check below, which keeps the public options.
    // Set only by `withOptions`; read before the check below, which keeps the public options only.
    const keySource = keySourceOf(options)
    options = checkOptions(options)
    const apiKey = options.apiKey ?? readEnv('SEGMENTFLOW_API_KEY')
    if (!apiKey) {
      throw new SegmentFlowError(
        'Missing API key: pass `new SegmentFlow({ apiKey })` or set the SEGMENTFLOW_API_KEY environment variable.',
      )
    }
    if (typeof apiKey !== 'string') throw new SegmentFlowError(`apiKey must be a string, got ${describeType(apiKey)}`)
    if (!/^[\x20-\x7E]+$/.test(apiKey)) {
      // Never quote the value: it is the secret.
      throw new SegmentFlowError('The API key contains characters an HTTP header cannot carry (check for a stray newline).')
    }
    const browser = isBrowserLike()
    if (browser && !options.dangerouslyAllowBrowser) {
      throw new SegmentFlowError(
        'SegmentFlow refuses to run in a browser: the API key would be visible to every visitor. Call the API from your server, ' +
          'or pass `dangerouslyAllowBrowser: true` if you understand the risk.',
      )
    }

    this.baseURL = checkBaseURL(options.baseURL ?? readEnv('SEGMENTFLOW_BASE_URL') ?? DEFAULT_BASE_URL)
    this.timeout = checkNumber('timeout', options.timeout ?? DEFAULT_TIMEOUT_MS, { min: 1, max: MAX_TIMEOUT_MS })
    this.maxRetries = checkNumber('maxRetries', options.maxRetries ?? DEFAULT_MAX_RETRIES, { min: 0, integer: true })
    this.maxResponseSize = checkNumber('maxResponseSize', options.maxResponseSize ?? DEFAULT_MAX_RESPONSE_SIZE, { min: 1, integer: true })
    this.#options = { ...options, apiKey, baseURL: this.baseURL }
    this.#keySource = options.apiKey === undefined ? 'env' : (keySource ?? 'option')

    const redact = createRedactor([apiKey])
    const logger = createLogger(options.logger, resolveLogLevel(options, options.logger, redact), redact)
    // One ky instance pair and one redactor per client: clients with different keys share nothing.
    const http = createHttp({ timeout: this.timeout, maxRetries: this.maxRetries })
    const transport = createTransport({
      baseURL: this.baseURL,
      apiKey,
      apiKeySource: this.#keySource,
      fetch: options.fetch,
      http,
      redact,
      maxResponseSize: this.maxResponseSize,
      headers: {
        'x-segmentflow-sdk': `typescript/${VERSION}`,
        // Browsers refuse to let a script set the user agent; everywhere else it identifies us.
        ...(browser ? {} : { 'user-agent': `segmentflow-typescript/${VERSION}` }),
        ...options.defaultHeaders,
      },
      timeout: this.timeout,
      maxRetries: this.maxRetries,
      logger,
    })
    const requester = new Requester(transport, resolveValidation(options.validate), {
      fetch: options.fetch,
      maxRetries: this.maxRetries,
      timeout: this.timeout,
      logger,
      http,
      redact,
      maxResponseSize: this.maxResponseSize,
    })

    this.emails = new Emails(requester)
    this.events = new Events(requester)
    this.profiles = new Profiles(requester)
    this.templates = new Templates(requester)
    this.assets = new Assets(requester)
    this.brandKits = new BrandKits(requester)
    this.v1 = Object.freeze({
      emails: this.emails,
      events: this.events,
      profiles: this.profiles,
      templates: this.templates,
      assets: this.assets,
      brandKits: this.brandKits,
    })
  }

  /** A new client with these options changed (the key, base URL and the rest carried over). */
  withOptions(overrides: ClientOptions): SegmentFlow {
    const checked = checkOptions(overrides)
    const options: InternalOptions = { ...this.#options, ...checked, [KEY_SOURCE]: checked.apiKey === undefined ? this.#keySource : 'option' }
    return new SegmentFlow(options)
  }
}

/** Every option, by name: an option added to `ClientOptions` but not here fails to compile, rather than being dropped. */
const OPTION_NAMES = Object.keys({
  apiKey: true,
  baseURL: true,
  timeout: true,
  maxRetries: true,
  maxResponseSize: true,
  fetch: true,
  defaultHeaders: true,
  validate: true,
  logger: true,
  logLevel: true,
  dangerouslyAllowBrowser: true,
} satisfies Record<keyof ClientOptions, true>)

const LOGGER_METHODS = ['error', 'warn', 'info', 'debug'] as const

/**
 * The options read once (options.ts) and every field's type checked, so that a wrong one fails
 * here, naming the option, rather than as a raw `TypeError` at the first call or log line. The
 * numbers, the base URL and the key are checked where they are resolved.
 */
function keySourceOf(options: unknown): 'option' | 'env' | undefined {
  try {
    return (options as InternalOptions | null | undefined)?.[KEY_SOURCE]
  } catch {
    // A Proxy whose trap throws: checkOptions reports it.
    return undefined
  }
}

function checkOptions(options: unknown): ClientOptions {
  const read = readOptions<ClientOptions>(options, OPTION_NAMES, '')
  const problems = readProblems(read).map((issue) => `${issue.path} ${issue.message}`)
  const { fetch, validate, logger, dangerouslyAllowBrowser } = read
  if (fetch !== undefined && typeof fetch !== 'function') problems.push(`fetch must be a function, got ${describeType(fetch)}`)
  if (validate !== undefined && typeof validate !== 'boolean' && !isValidateObject(validate)) {
    problems.push('validate must be a boolean or { request?: boolean, response?: boolean }')
  }
  if (logger !== undefined && !LOGGER_METHODS.every((method) => typeof readField(logger, method) === 'function')) {
    problems.push(`logger must have the methods ${LOGGER_METHODS.join(', ')} (console, pino and winston do)`)
  }
  if (dangerouslyAllowBrowser !== undefined && typeof dangerouslyAllowBrowser !== 'boolean') {
    problems.push(`dangerouslyAllowBrowser must be a boolean, got ${describeType(dangerouslyAllowBrowser)}`)
  }
  if (problems.length > 0) throw new SegmentFlowError(`Invalid SegmentFlow options: ${problems.join('; ')}`)
  return read
}

function isValidateObject(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false
  return (['request', 'response'] as const).every((name) => {
    const field = readField(value, name)
    return field === undefined || typeof field === 'boolean'
  })
}

/** A field of a caller's object, or undefined if reading it throws (a Proxy, a getter). */
function readField(value: unknown, name: string): unknown {
  try {
    return (value as Record<string, unknown>)[name]
  } catch {
    return undefined
  }
}

function checkBaseURL(value: unknown): string {
  // A URL object is a URL too; anything else that is not text cannot be one.
  const text = value instanceof URL ? value.href : value
  const refused = () => new SegmentFlowError(`baseURL must be an absolute http(s) URL, got ${typeof text === 'string' ? JSON.stringify(text) : describeType(text)}`)
  if (typeof text !== 'string') throw refused()
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw refused()
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw refused()
  return text.replace(/\/+$/, '')
}

function checkNumber(name: string, value: unknown, rule: { min: number; max?: number; integer?: boolean }): number {
  const max = rule.max ?? Number.MAX_SAFE_INTEGER
  const ok = typeof value === 'number' && value >= rule.min && value <= max && (!rule.integer || Number.isInteger(value))
  if (!ok) {
    const range = rule.max === undefined ? `>= ${rule.min}` : `from ${rule.min} to ${rule.max}`
    throw new SegmentFlowError(`${name} must be ${rule.integer ? 'an integer' : 'a number'} ${range}, got ${String(value)}`)
  }
  return value as number
}

function resolveValidation(option: ClientOptions['validate']): ValidationSettings {
  if (typeof option === 'boolean') return { request: option, response: option }
  return { request: option?.request ?? true, response: option?.response ?? false }
}

function resolveLogLevel(options: ClientOptions, logger: Logger | undefined, redact: (text: string) => string): LogLevel {
  if (options.logLevel !== undefined) {
    if (!isLogLevel(options.logLevel)) {
      throw new SegmentFlowError(`logLevel must be one of off, error, warn, info, debug; got ${String(options.logLevel)}`)
    }
    return options.logLevel
  }
  const fromEnv = readEnv('SEGMENTFLOW_LOG')
  if (fromEnv === undefined) return DEFAULT_LOG_LEVEL
  const level = fromEnv.toLowerCase()
  if (isLogLevel(level)) return level
  // A typo in an environment variable should not take the service down; say so and carry on.
  createLogger(logger, DEFAULT_LOG_LEVEL, redact).warn(
    `SEGMENTFLOW_LOG=${JSON.stringify(fromEnv)} is not a log level (off, error, warn, info, debug); using ${DEFAULT_LOG_LEVEL}`,
  )
  return DEFAULT_LOG_LEVEL
}

/**
 * The ky instances of one client: `api` for SegmentFlow, `storage` for the pre-signed upload URLs.
 * Both come from the same settings (timeout, retries, the caller's `fetch` behind `wire`), and
 * neither holds headers: the API's (`x-api-key` among them) are set per call by the transport, so
 * the storage host can never receive them.
 *
 * ky's types stay inside src/core: a ky type in the public `.d.cts` breaks CommonJS TypeScript
 * consumers (ky is ESM-only).
 */
import ky, { type Options } from 'ky'

import type { Exchange } from './exchange.ts'
import { backoff, MAX_RETRY_AFTER_MS, RETRY_STATUS_CODES } from './retries.ts'
import { wire } from './wire.ts'

/**
 * A ky instance as the rest of the SDK sees it: something `send` sends through. Declared here
 * rather than as ky's `KyInstance`, so that no ky type reaches the published declarations.
 */
export type Instance = (url: string, options: object) => Promise<Response>

export type Http = { api: Instance; storage: Instance }

export type HttpSettings = {
  /** Milliseconds per attempt. */
  timeout: number
  maxRetries: number
}

/**
 * Every method may be retried as far as ky is concerned: which calls are safe to repeat is the
 * SDK's decision, made per call (a key, a read), in exchange.ts.
 */
const ALL_METHODS: Array<'get' | 'post' | 'put' | 'patch' | 'delete' | 'head' | 'options' | 'trace'> = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'trace']

export function createHttp(settings: HttpSettings): Http {
  const options: Options = {
    // The `wire` gets what the caller's `fetch` will be from each call's exchange, looked up per call:
    // msw and users patch `globalThis.fetch` after import.
    fetch: wire as unknown as typeof fetch,
    timeout: settings.timeout,
    throwHttpErrors: true,
    retry: {
      limit: settings.maxRetries,
      methods: ALL_METHODS,
      statusCodes: [...RETRY_STATUS_CODES],
      // `Retry-After` is read for every retryable status, not only ky's 413/429/503: a 500 that
      // says when to come back is worth listening to.
      afterStatusCodes: [...RETRY_STATUS_CODES],
      maxRetryAfter: MAX_RETRY_AFTER_MS,
      delay: backoff,
      retryOnTimeout: true,
    },
  }
  const api = ky.create(options)
  return { api, storage: api.extend({}) }
}

/**
 * Sends one call through a ky instance and settles with its final response, or with the typed
 * error the exchange makes of ky's last failure.
 */
export async function send(instance: Instance, exchange: Exchange, headers: HeadersInit): Promise<Response> {
  const { callerSignal } = exchange
  try {
    return await instance(exchange.url, {
      method: exchange.method,
      headers,
      // A signal of the call's own that follows the caller's: ky listens to it while waiting between
      // attempts, so a signal shared by many calls never collects their listeners.
      signal: callerSignal === undefined ? undefined : AbortSignal.any([callerSignal]),
      timeout: exchange.timeout,
      retry: exchange.retry,
      // Not an option ky knows: it passes it on to `wire` as fetch's second argument.
      exchange,
    } as Options)
  } catch (error) {
    throw exchange.toError(error)
  }
}

/** Raw-HTTP helpers for the sandbox tests: plain fetch, so what is tested is the wire. */
import { createSandbox, type Sandbox, type SandboxOptions } from '../../src/testing/index.ts'

export interface Answer<T = any> {
  status: number
  body: T
  headers: Headers
}

export interface CallOptions {
  body?: unknown
  /** A raw body string, sent as is. */
  rawBody?: string
  /** The API key; default the sandbox's full-scope key. `null` sends none. */
  key?: string | null
  idempotencyKey?: string
  headers?: Record<string, string>
}

export type Api = (method: string, path: string, options?: CallOptions) => Promise<Answer>

/** A sandbox on a manual clock that checks every answer against the spec, and a caller for it. */
export function setup(options: SandboxOptions = {}): { sandbox: Sandbox; api: Api } {
  const sandbox = createSandbox({ clock: 'manual', checkResponses: true, ...options })
  return { sandbox, api: caller(sandbox.fetch, sandbox.baseURL, sandbox.apiKey) }
}

export function caller(fetchFn: typeof fetch | Sandbox['fetch'], baseURL: string, defaultKey: string): Api {
  return async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers }
    const key = options.key === undefined ? defaultKey : options.key
    if (key !== null) headers['x-api-key'] = key
    if (options.idempotencyKey !== undefined) headers['Idempotency-Key'] = options.idempotencyKey
    let body: string | undefined
    if (options.rawBody !== undefined) body = options.rawBody
    else if (options.body !== undefined) {
      body = JSON.stringify(options.body)
      headers['content-type'] ??= 'application/json'
    }
    const response = await fetchFn(`${baseURL}${path}`, { method, headers, body })
    const text = await response.text()
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined }
  }
}

/** The quickstart's send body, exactly as the product quickstart has it (openapi.yaml's `quickstart` example). */
export const QUICKSTART_SEND = {
  templateKey: 'receipt-default',
  from: 'Acme Receipts <receipts@example.com>',
  to: { email: 'alex@example.com', externalId: 'shopify:customer_123' },
  subject: 'Receipt for order ord_9421',
  replyTo: 'Acme Support <support@example.com>',
  data: { orderId: 'ord_9421', firstName: 'Alex', orderTotal: '49.00' },
}

/** The quickstart's event body, as the README's quickstart sends it. */
export const QUICKSTART_EVENT = {
  event: 'order.created',
  profile: { email: 'alex@example.com', properties: { firstName: 'Alex' } },
  data: { orderId: 'ord_9421', orderTotal: '49.00' },
  referenceId: 'ord_9421',
}

export const MISSING_UUID = '00000000-0000-4000-8000-000000000000'

export type { Sandbox }

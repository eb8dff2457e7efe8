/**
 * The Gateway over the SegmentFlow SDK: retries, idempotency, error classes and request checks all
 * come from the SDK, exactly as for any other SDK user.
 */
import { CursorPage, SegmentFlow, type Fetch, type Logger } from '@segmentflow/segmentflow-typescript'
import type { ApiCall, Gateway } from './gateway.ts'
import { VERSION } from './version.ts'
import type { RenderedRequest, Success } from './results.ts'
import { calls } from './tools/calls.ts'

/** Headers a dry run never shows, because they carry the credential. */
const SECRET_HEADERS = new Set(['x-api-key', 'authorization', 'cookie'])

export interface SdkGatewayOptions {
  readonly apiKey: string
  readonly baseURL: string
  readonly fetch?: Fetch | undefined
  /** Where the SDK's own log lines go. Never stdout: on stdio it belongs to the protocol. */
  readonly logger: Logger
}

/**
 * Refuses any request that is not for the configured API origin. The SDK only follows same-origin
 * redirects already; this keeps the promise "nothing leaves for anywhere else" in one visible place.
 */
export function sameOriginOnly(baseURL: string, fetch: Fetch): Fetch {
  const origin = new URL(baseURL).origin
  return (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input))
    if (url.origin !== origin) {
      return Promise.reject(new Error(`Refused a request to ${url.origin}: this server only talks to ${origin}`))
    }
    return fetch(input, init)
  }
}

class DryRunStop extends Error {}

export class SdkGateway implements Gateway {
  readonly #client: SegmentFlow
  readonly #options: SdkGatewayOptions

  constructor(options: SdkGatewayOptions) {
    this.#options = options
    const fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
    this.#client = new SegmentFlow({
      apiKey: options.apiKey,
      baseURL: options.baseURL,
      fetch: sameOriginOnly(options.baseURL, fetch),
      logger: options.logger,
      defaultHeaders: { 'x-segmentflow-mcp': VERSION },
    })
  }

  async call(call: ApiCall, signal?: AbortSignal): Promise<Success> {
    const { data, response, requestId, idempotencyKey } = await this.#invoke(this.#client, call, signal).withResponse()
    return {
      data: plain(data),
      requestId,
      idempotencyKey,
      replayed: response.headers.get('idempotent-replayed') === 'true',
    }
  }

  /**
   * Runs the real SDK call with a fetch that records the request and sends nothing, so the preview
   * is exactly what the SDK would send (its headers, its key handling, its encoding), not a guess.
   */
  async render(call: ApiCall): Promise<RenderedRequest> {
    let captured: Request | undefined
    const capture: Fetch = (input, init) => {
      captured = new Request(input, init)
      return Promise.reject(new DryRunStop('dry run'))
    }
    const client = this.#client.withOptions({ fetch: sameOriginOnly(this.#options.baseURL, capture), maxRetries: 0 })
    try {
      await this.#invoke(client, call)
    } catch (error) {
      if (!captured) throw error
    }
    if (!captured) throw new Error('The SDK completed a dry run without making a request')
    const url = new URL(captured.url)
    const text = await captured.text()
    const headers: Record<string, string> = {}
    captured.headers.forEach((value, name) => {
      if (!SECRET_HEADERS.has(name.toLowerCase())) headers[name] = value
    })
    return {
      method: captured.method,
      url: url.toString(),
      headers,
      ...(text === '' ? {} : { body: parseJson(text) }),
    }
  }

  #invoke(client: SegmentFlow, call: ApiCall, signal?: AbortSignal) {
    const operation = calls[call.tool.operation.operationId as keyof typeof calls]
    return operation(
      client,
      { path: call.path, query: call.query, body: call.body },
      {
        ...(call.idempotencyKey !== undefined ? { idempotencyKey: call.idempotencyKey } : {}),
        ...(signal ? { signal } : {}),
      },
    )
  }
}

/** A page object back into the API's own response body (the page adds `data` and methods). */
function plain(data: unknown): unknown {
  if (data instanceof CursorPage) {
    return Object.fromEntries(Object.entries(data).filter(([key]) => key !== 'data'))
  }
  return data
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

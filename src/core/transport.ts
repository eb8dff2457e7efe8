/**
 * The single module every generated operation calls through (`import fetch from '#transport'`).
 *
 * Kubb's plugin-client, with `importPath`, imports a default client function and the types
 * `Client`, `RequestConfig` and `ResponseErrorConfig` from here. Each generated function takes a
 * second `config` argument, `Partial<RequestConfig> & { client?: Client }`, spread into the request
 * after `method`, `url`, `params` and `data`. That argument is how an SDK instance injects its own
 * settings per call (base URL, headers, fetch, signal) or swaps in a whole `client` function, so
 * nothing here is module-level state.
 *
 * This is a minimal fetch-based transport; retries, auth, idempotency and error mapping come later.
 */

export type HttpMethod = 'GET' | 'PUT' | 'PATCH' | 'POST' | 'DELETE' | 'OPTIONS' | 'HEAD'

export type RequestConfig<TData = unknown> = {
  /** Absolute base, e.g. `https://api.example.com/v1`. Generated `url`s start with `/`. */
  baseURL?: string
  url?: string
  method?: HttpMethod
  /** Query parameters; `undefined` and `null` values are left out. */
  params?: unknown
  data?: TData | FormData
  /** Generated code may pass `undefined` for an optional header param: such headers are dropped. */
  headers?: Record<string, string | undefined>
  signal?: AbortSignal
  /** Looked up per call, never captured at import time: msw and users patch `globalThis.fetch` later. */
  fetch?: typeof globalThis.fetch
}

export type ResponseConfig<TData = unknown> = {
  data: TData
  status: number
  statusText: string
  headers: Headers
}

export type ResponseErrorConfig<TError = unknown> = TError

export type Client = <TResponseData, _TError = unknown, TRequestData = unknown>(
  config: RequestConfig<TRequestData>,
) => Promise<ResponseConfig<TResponseData>>

/** Thrown for a non-2xx answer; the parsed body is on `response.data`. */
export class TransportError extends globalThis.Error {
  readonly response: ResponseConfig

  constructor(method: string, url: string, response: ResponseConfig) {
    super(`${method} ${url} failed with ${response.status} ${response.statusText}`.trim())
    this.name = 'TransportError'
    this.response = response
  }
}

function buildUrl(baseURL: string | undefined, path: string, params: unknown): string {
  if (!baseURL) {
    throw new TypeError('A baseURL is required to send a request')
  }
  const url = new URL(baseURL.replace(/\/+$/, '') + path)
  if (params && typeof params === 'object') {
    for (const [key, value] of Object.entries(params)) {
      if (value === undefined || value === null) continue
      for (const item of Array.isArray(value) ? value : [value]) {
        url.searchParams.append(key, String(item))
      }
    }
  }
  return url.toString()
}

function buildHeaders(headers: RequestConfig['headers']): Headers {
  const result = new Headers()
  for (const [key, value] of Object.entries(headers ?? {})) {
    // `new Headers({ k: undefined })` would send the string "undefined".
    if (value !== undefined) result.set(key, value)
  }
  return result
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text()
  if (text === '') return undefined
  const type = response.headers.get('content-type') ?? ''
  return type.includes('json') ? JSON.parse(text) : text
}

export const client: Client = async <TResponseData, _TError = unknown, TRequestData = unknown>(
  config: RequestConfig<TRequestData>,
): Promise<ResponseConfig<TResponseData>> => {
  const method = config.method ?? 'GET'
  const url = buildUrl(config.baseURL, config.url ?? '', config.params)
  const headers = buildHeaders(config.headers)
  headers.set('accept', 'application/json')

  let body: BodyInit | undefined
  if (config.data instanceof FormData) {
    body = config.data
  } else if (config.data !== undefined) {
    body = JSON.stringify(config.data)
    headers.set('content-type', 'application/json')
  }

  const doFetch = config.fetch ?? globalThis.fetch
  const response = await doFetch(url, {
    method,
    headers,
    ...(body !== undefined ? { body } : {}),
    ...(config.signal ? { signal: config.signal } : {}),
  })

  const result: ResponseConfig<TResponseData> = {
    data: (await readBody(response)) as TResponseData,
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  }
  if (!response.ok) {
    throw new TransportError(method, url, result)
  }
  return result
}

export default client

/**
 * The promise every method returns: awaiting it gives the parsed body, typed from the spec;
 * `.withResponse()` and `.asResponse()` reach the HTTP response behind it.
 */
import type { ResponseConfig } from './transport.ts'

export type WithResponse<T> = {
  data: T
  /** The response as received, body unread (a copy: the SDK read the original once). */
  response: Response
  /** `x-request-id`: quote it when contacting support. */
  requestId: string | undefined
  /** The Idempotency-Key the call carried, if any: reuse it to retry the call later, safely. */
  idempotencyKey: string | undefined
}

/**
 * A Promise subclass (so `instanceof Promise` and `Promise.all` work) whose `then` goes to the
 * parsed body. Parsing is lazy: a caller who only asks for `.asResponse()` never creates the
 * parsed promise, and so never sees its rejection reported as unhandled.
 */
export class APIPromise<T> extends Promise<T> {
  readonly #raw: Promise<ResponseConfig>
  readonly #parse: (raw: ResponseConfig) => T
  #parsed: Promise<T> | undefined

  constructor(raw: Promise<ResponseConfig>, parse: (raw: ResponseConfig) => T) {
    super((resolve) => {
      // The base promise is never observed: every way in (`then`, `catch`, `finally`) is overridden.
      resolve(undefined as T)
    })
    this.#raw = raw
    this.#parse = parse
  }

  /** The raw `Response`, without parsing the body. */
  asResponse(): Promise<Response> {
    return this.#raw.then((raw) => raw.response)
  }

  /** The parsed body together with the response, its request id and the call's Idempotency-Key. */
  async withResponse(): Promise<WithResponse<T>> {
    const [data, raw] = await Promise.all([this.#parsedPromise(), this.#raw])
    return { data, response: raw.response, requestId: raw.requestId, idempotencyKey: raw.idempotencyKey }
  }

  #parsedPromise(): Promise<T> {
    this.#parsed ??= this.#raw.then(this.#parse)
    return this.#parsed
  }

  override then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#parsedPromise().then(onfulfilled, onrejected)
  }

  override catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.#parsedPromise().catch(onrejected)
  }

  override finally(onfinally?: (() => void) | null): Promise<T> {
    return this.#parsedPromise().finally(onfinally)
  }
}

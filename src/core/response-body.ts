/**
 * Reading a response body with a ceiling. A server (or anything between it and us) can answer with
 * a body that never ends, or a small gzip body that inflates a thousandfold: `response.text()` would
 * hold all of it in memory before the SDK could say no. The limit counts decoded bytes, the ones
 * that would be held, so compression cannot get around it.
 */
import { ResponseTooLargeError } from './errors.ts'
import { headersToRecord } from './headers.ts'
import type { Redactor } from './redact.ts'

/** Generous for this API: its largest answers (a page of 100 profiles, a template) are a few hundred kB. */
export const DEFAULT_MAX_RESPONSE_SIZE = 10 * 1024 * 1024

export type BodyContext = {
  limit: number
  redact: Redactor
  idempotencyKey?: string | undefined
  /** Names the host in the error when it is not the API (the storage host of an upload). */
  origin?: string | undefined
}

export async function readBody(response: Response, context: BodyContext): Promise<string> {
  const body = response.body
  if (body === null) return ''
  const declared = response.headers.get('content-length')
  const encoded = isEncoded(response.headers.get('content-encoding'))
  if (declared !== null && !encoded) {
    const length = Number(declared)
    if (length > context.limit) throw tooLarge(response, context, () => body.cancel())
    // The runtime stops at Content-Length when nothing is decoded: the length is the size held.
    if (Number.isSafeInteger(length)) return response.text()
  }
  return readCounting(response, body, context)
}

async function readCounting(response: Response, body: ReadableStream<Uint8Array>, context: BodyContext): Promise<string> {
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > context.limit) throw tooLarge(response, context, () => reader.cancel())
    chunks.push(value)
  }
  // Decoded once at the end: decoding chunk by chunk builds a string per chunk, garbage that an
  // endless body would pile up faster than it is collected.
  if (chunks.length === 1) return new TextDecoder().decode(chunks[0])
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return new TextDecoder().decode(bytes)
}

function isEncoded(encoding: string | null): boolean {
  return encoding !== null && encoding.trim() !== '' && encoding.trim().toLowerCase() !== 'identity'
}

function tooLarge(response: Response, context: BodyContext, cancel: () => Promise<void>): ResponseTooLargeError {
  // Not awaited: a peer that stalls must not hold the error back. Cancelling closes the connection.
  void cancel().catch(() => undefined)
  const id = response.headers.get('x-request-id')
  return new ResponseTooLargeError({
    status: response.status,
    limit: context.limit,
    origin: context.origin,
    requestId: id === null ? undefined : context.redact(id),
    headers: headersToRecord(response.headers, context.redact),
    idempotencyKey: context.idempotencyKey,
  })
}

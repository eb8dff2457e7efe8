/**
 * The bytes of an upload, whatever the caller holds: a Blob or File, an ArrayBuffer, a typed array
 * (a Node Buffer is a Uint8Array) or a ReadableStream. Every form becomes a body that `fetch` can
 * send more than once (a retried PUT needs the bytes again) with a known length.
 *
 * A stream is read into memory first, up to its declared size. Sending it as a streaming body would
 * save that memory but cost more than it saves: a stream can be sent once, so a PUT failed by a 503
 * could not be retried; Node's fetch needs `duplex: 'half'` for it and browsers over HTTP/1.1 do not
 * stream request bodies at all; and without a length the body goes out chunked, which pre-signed
 * storage URLs (S3) refuse. The API caps an asset at 20 MiB, so the buffer is bounded.
 */
import { ValidationError } from './errors.ts'

export type UploadData = Blob | ArrayBuffer | ArrayBufferView | ReadableStream<Uint8Array>

/** A body `fetch` accepts and can send again. */
export type UploadBody = Blob | Uint8Array<ArrayBuffer>

const EXTENSION_TYPES: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  csv: 'text/csv',
  xls: 'application/vnd.ms-excel',
  pdf: 'application/pdf',
}

/** The media type the filename's extension names, if it is one the API takes. */
export function contentTypeFromFilename(filename: string): string | undefined {
  const dot = filename.lastIndexOf('.')
  if (dot < 0) return undefined
  return EXTENSION_TYPES[filename.slice(dot + 1).toLowerCase()]
}

export function isReadableStream(data: unknown): data is ReadableStream<Uint8Array> {
  return typeof ReadableStream !== 'undefined' && data instanceof ReadableStream
}

/** The byte length of data that has one without being read; undefined for a stream. */
export function knownSize(data: UploadData): number | undefined {
  if (data instanceof Blob) return data.size
  if (data instanceof ArrayBuffer) return data.byteLength
  if (ArrayBuffer.isView(data)) return data.byteLength
  return undefined
}

export function isUploadData(data: unknown): data is UploadData {
  return data instanceof Blob || data instanceof ArrayBuffer || ArrayBuffer.isView(data) || isReadableStream(data)
}

/**
 * A sendable body for data already checked by `isUploadData`. A stream is read to the end and must
 * deliver exactly `size` bytes; reading stops (and the stream is cancelled) as soon as it
 * delivers more, so a runaway stream never fills memory.
 */
export async function toUploadBody(data: UploadData, size: number, signal?: AbortSignal): Promise<UploadBody> {
  if (data instanceof Blob) return data
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  if (ArrayBuffer.isView(data)) {
    const view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    // fetch refuses a view on a SharedArrayBuffer; copying makes it an ordinary buffer.
    return view.buffer instanceof ArrayBuffer ? (view as Uint8Array<ArrayBuffer>) : new Uint8Array(view)
  }
  return readStream(data, size, signal)
}

async function readStream(stream: ReadableStream<Uint8Array>, size: number, signal: AbortSignal | undefined): Promise<Uint8Array<ArrayBuffer>> {
  const bytes = new Uint8Array(size)
  const reader = stream.getReader()
  const onAbort = () => void reader.cancel(signal?.reason).catch(() => undefined)
  signal?.addEventListener('abort', onAbort, { once: true })
  let offset = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (signal?.aborted) throw signal.reason
      if (done) break
      const chunk = toBytes(value)
      if (offset + chunk.byteLength > size) {
        await reader.cancel().catch(() => undefined)
        throw sizeMismatch(`the stream delivered more than the declared ${size} bytes`)
      }
      bytes.set(chunk, offset)
      offset += chunk.byteLength
    }
  } finally {
    signal?.removeEventListener('abort', onAbort)
    reader.releaseLock()
  }
  if (offset !== size) throw sizeMismatch(`the stream delivered ${offset} bytes, not the declared ${size}`)
  return bytes
}

function toBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value
  if (value instanceof ArrayBuffer) return new Uint8Array(value)
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
  // A text stream (a string per chunk) has no byte length until encoded; refuse rather than guess.
  throw new ValidationError([{ path: 'data', message: 'the stream must deliver bytes (Uint8Array chunks)' }])
}

function sizeMismatch(message: string): ValidationError {
  return new ValidationError([{ path: 'size', message }])
}

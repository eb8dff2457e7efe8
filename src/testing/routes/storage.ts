/**
 * The storage host, served by the sandbox under `/__storage/<key>` of whatever origin the API was
 * reached at. In spirit it is another host (S3 behind a pre-signed URL): it authenticates by the
 * URL's signature and refuses any request that carries `x-api-key`, because a client that sends its
 * API key there would leak it to a third party in production.
 *
 * PUT stores the bytes of an upload session (content type and size must be the session's); GET
 * serves a finalized asset's bytes (its public `url`).
 */
import { ApiFailure } from '../errors.ts'
import type { Reply } from '../responses.ts'
import type { Store } from '../store.ts'
import { MAX_ASSET_BYTES, STORAGE_PREFIX } from './assets.ts'

/** A storage answer: JSON (errors) or raw bytes. */
export type StorageReply = Reply<unknown> & { bytes?: Uint8Array<ArrayBuffer> }

function denied(message: string): ApiFailure {
  // 403 like S3's AccessDenied; the code is the envelope's closest.
  return new ApiFailure('unauthorized', message, undefined, {}, 403)
}

function mediaType(value: string | null): string | null {
  return value === null ? null : (value.split(';')[0] ?? '').trim().toLowerCase()
}

export function storageKeyOf(url: URL): string | null {
  if (!url.pathname.startsWith(STORAGE_PREFIX)) return null
  try {
    return url.pathname.slice(STORAGE_PREFIX.length).split('/').map(decodeURIComponent).join('/')
  } catch {
    return null
  }
}

export async function handleStorage(store: Store, request: Request, url: URL, now: number): Promise<StorageReply> {
  if (request.headers.has('x-api-key')) {
    throw new ApiFailure(
      'invalid_request',
      'The storage host does not take an API key: the upload URL is pre-signed. Never send x-api-key here.',
    )
  }
  const key = storageKeyOf(url) ?? ''
  const session = store.state.uploads.get(key)

  if (request.method === 'GET' || request.method === 'HEAD') {
    const asset = session && [...store.state.assets.values()].find((a) => a.s3Key === key && a.status === 'ready')
    if (!session?.upload || !asset) throw new ApiFailure('not_found', 'No such object.')
    return { status: 200, bytes: session.upload.bytes, headers: { 'content-type': session.contentType } }
  }
  if (request.method !== 'PUT') throw new ApiFailure('invalid_request', 'The storage host accepts PUT (upload) and GET only.')

  if (!session || url.searchParams.get('signature') !== session.signature) {
    throw denied('The upload URL is not valid: unknown key or wrong signature.')
  }
  if (now > session.expiresAt) throw denied('The upload URL has expired; start a new upload session.')
  if ([...store.state.assets.values()].some((a) => a.s3Key === key && a.status === 'ready')) {
    throw new ApiFailure('conflict', 'This upload was already finalized; start a new upload session to replace it.')
  }
  const contentType = mediaType(request.headers.get('content-type'))
  if (contentType !== session.contentType) {
    throw new ApiFailure('invalid_request', `The content-type must be ${session.contentType}, as declared for this upload.`, {
      expected: session.contentType,
      received: contentType,
    })
  }
  const declaredLength = Number(request.headers.get('content-length') ?? Number.NaN)
  if (declaredLength > MAX_ASSET_BYTES) throw tooLarge(declaredLength)
  const bytes = new Uint8Array(await request.arrayBuffer())
  if (bytes.byteLength > MAX_ASSET_BYTES) throw tooLarge(bytes.byteLength)
  if (bytes.byteLength !== session.size) {
    throw new ApiFailure('invalid_request', `The upload has ${bytes.byteLength} bytes; the session declared ${session.size}.`, {
      expected: session.size,
      received: bytes.byteLength,
    })
  }
  session.upload = { bytes, contentType, at: now }
  return { status: 200, headers: { etag: `"${checksum(bytes)}"` } }
}

function tooLarge(size: number): ApiFailure {
  return new ApiFailure('payload_too_large', `Assets are limited to ${MAX_ASSET_BYTES} bytes; this upload has ${size}.`, {
    limit: MAX_ASSET_BYTES,
    size,
  })
}

/** FNV-1a: enough for an ETag that changes with the content. */
function checksum(bytes: Uint8Array): string {
  let hash = 2166136261
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 16777619) >>> 0
  return hash.toString(16).padStart(8, '0')
}

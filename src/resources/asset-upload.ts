/**
 * `assets.upload()`: the four steps of an upload (session, PUT of the bytes, record, finalize) as one
 * call. Everything that can be checked is checked before the first request, so that a file of the
 * wrong type or size never leaves an upload session behind.
 *
 * Each step has its own Idempotency-Key, derived from one key for the whole upload
 * (`<key>:upload-url`, `<key>:create`, `<key>:finalize`): a step's retries reuse its key, and a
 * second `upload()` with the same `idempotencyKey` replays the steps that already went through and
 * carries on from the one that failed.
 */
import type { Asset } from '../../generated/types/Asset.ts'
import { assetContentTypeEnum, type AssetContentType } from '../../generated/types/AssetContentType.ts'
import type { AssetType } from '../../generated/types/AssetType.ts'
import type { ImageType } from '../../generated/types/ImageType.ts'
import { APIUserAbortError, ConflictError, SegmentFlowError, ValidationError, type ValidationIssue } from '../core/errors.ts'
import { givenIdempotencyKey, idempotencyKeyIssues, newIdempotencyKey, withoutIdempotencyHeader } from '../core/idempotency.ts'
import { unreadableBodyIssue } from '../core/json-body.ts'
import { readOptions } from '../core/options.ts'
import type { Requester, RequestOptions } from '../core/requester.ts'
import { putToStorage } from '../core/storage-put.ts'
import { dedupeIssues } from '../core/validation.ts'
import { contentTypeFromFilename, isUploadData, knownSize, toUploadBody, type UploadBody } from '../core/upload-body.ts'
import { AssetUploadError, type AssetUploadState, type AssetUploadStep } from '../core/workflow-errors.ts'
import type { Assets } from './assets.ts'

type SizeSchema = { maxValue: number; safeParse(value: unknown): { success: boolean } }

/**
 * The spec's AssetSize (1 to 20,971,520 bytes), imported when an upload starts: a static import
 * would bring zod into every app that imports the SDK, uploads or not (see validation.ts).
 */
async function loadSizeSchema(): Promise<SizeSchema> {
  const { assetSizeSchema } = await import('../../generated/zod/assetSizeSchema.ts')
  return assetSizeSchema as unknown as SizeSchema
}

const CONTENT_TYPES: readonly string[] = Object.values(assetContentTypeEnum)

/** The fields of `assets.upload` besides the bytes. */
export type AssetUploadFields = {
  /** The file's name as the asset shows it; its extension gives `contentType` when that is omitted. */
  filename: string
  /** One of the types the API takes. Default: from the filename's extension, else the Blob's `type`. */
  contentType?: AssetContentType | undefined
  assetType?: AssetType | undefined
  imageType?: ImageType | undefined
  /** Set when the upload is finalized (at most 500 characters). */
  description?: string | undefined
  /** Set when the upload is finalized (at most 200 characters). */
  altText?: string | undefined
  websiteId?: string | undefined
}

export type AssetUploadParams = AssetUploadFields &
  (
    | {
        /** A Blob or File, an ArrayBuffer, or a typed array such as a Uint8Array or a Node Buffer. */
        data: Blob | ArrayBuffer | ArrayBufferView
        /** Optional: the data knows its size. Checked against it when given. */
        size?: number | undefined
      }
    | {
        /** A stream of bytes; read into memory (at most the size limit) before the upload starts. */
        data: ReadableStream<Uint8Array>
        /** Required for a stream: the session is opened for this many bytes. */
        size: number
      }
  )

/** Suffixes of the step keys: the longest decides how long the caller's key may be. */
const STEP_SUFFIX: Record<Exclude<AssetUploadStep, 'put'>, string> = {
  'upload-url': ':upload-url',
  create: ':create',
  finalize: ':finalize',
}
const PLACEHOLDER_KEY = 'upload-session-key'
const PLACEHOLDER_ID = '00000000-0000-4000-8000-000000000000'
const MAX_KEY_LENGTH = 255 - Math.max(...Object.values(STEP_SUFFIX).map((s) => s.length))

type Prepared = { contentType: AssetContentType; size: number }

function prepare(params: AssetUploadParams, sizeSchema: SizeSchema): Prepared {
  const maxBytes = sizeSchema.maxValue
  const issues: ValidationIssue[] = []
  if (params === null || typeof params !== 'object') throw new ValidationError([{ path: '', message: 'expected an object of upload parameters' }])
  const { data, filename } = params
  if (typeof filename !== 'string' || filename === '') issues.push({ path: 'filename', message: 'must be a non-empty string' })

  let contentType: string | undefined = params.contentType
  if (contentType === undefined && typeof filename === 'string') {
    contentType = contentTypeFromFilename(filename) ?? (data instanceof Blob ? data.type.split(';')[0]?.trim().toLowerCase() : undefined)
  }
  if (contentType === undefined || contentType === '') {
    issues.push({ path: 'contentType', message: `cannot be inferred from ${JSON.stringify(filename)}; pass one of ${CONTENT_TYPES.join(', ')}` })
  } else if (!CONTENT_TYPES.includes(contentType)) {
    issues.push({ path: 'contentType', message: `${JSON.stringify(contentType)} is not a type the API takes; use one of ${CONTENT_TYPES.join(', ')}` })
  }

  let size: number | undefined
  if (!isUploadData(data)) {
    issues.push({ path: 'data', message: 'must be a Blob, File, ArrayBuffer, Uint8Array (or Buffer) or ReadableStream' })
  } else {
    const known = knownSize(data)
    const declared = params.size
    if (declared !== undefined && !(Number.isInteger(declared) && declared >= 0)) {
      issues.push({ path: 'size', message: 'must be a whole number of bytes' })
    } else if (known !== undefined && declared !== undefined && declared !== known) {
      issues.push({ path: 'size', message: `is ${declared} but the data has ${known} bytes` })
    } else if (known === undefined && declared === undefined) {
      issues.push({ path: 'size', message: 'is required with a ReadableStream: the upload session is opened for an exact size' })
    } else {
      size = known ?? declared
    }
  }
  if (size !== undefined) {
    if (size > maxBytes) {
      issues.push({ path: 'size', message: `the file has ${size} bytes; assets are limited to ${maxBytes} bytes` })
    } else if (!sizeSchema.safeParse(size).success) {
      issues.push({ path: 'size', message: `the file is empty; an asset has 1 to ${maxBytes} bytes` })
    }
  }
  if (issues.length > 0) throw new ValidationError(issues, { operation: 'upload' })
  return { contentType: contentType as AssetContentType, size: size as number }
}

/** Only the fields the caller gave: an absent field is the server's default, not `undefined`. */
function defined<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>
}

export async function uploadAsset(assets: Assets, requester: Requester, params: AssetUploadParams, options: RequestOptions = {}): Promise<Asset> {
  options = readOptions<RequestOptions>(options)
  const sizeSchema = await loadSizeSchema()
  let prepared: Prepared & Pick<AssetUploadParams, 'filename' | 'assetType' | 'imageType' | 'description' | 'altText' | 'websiteId'>
  try {
    const checked = prepare(params, sizeSchema)
    const { filename, assetType, imageType, description, altText, websiteId } = params
    prepared = { ...checked, filename, assetType, imageType, description, altText, websiteId }
  } catch (error) {
    // A getter or Proxy trap of the caller's that throws while the parameters are read.
    if (error instanceof SegmentFlowError) throw error
    throw new ValidationError([{ ...unreadableBodyIssue(error), path: 'params' }], { operation: 'upload' })
  }
  const { contentType, size, filename, assetType, imageType, description, altText, websiteId } = prepared
  const sessionBody = { filename, contentType, size, ...defined({ assetType, websiteId }) }
  const createBody = (s3Key: string) => ({ filename, s3Key, contentType, size, ...defined({ assetType, imageType, websiteId }) })
  const finalizeBody = defined({ description, altText, imageType })

  const given = givenIdempotencyKey(options.idempotencyKey, options.headers)
  const key = given === undefined ? newIdempotencyKey() : given
  const stepOptions = (step: keyof typeof STEP_SUFFIX): RequestOptions => ({
    ...options,
    headers: withoutIdempotencyHeader(options.headers),
    idempotencyKey: `${key}${STEP_SUFFIX[step]}`,
  })
  // The three API calls are checked up front (the placeholder id and key are only there to be
  // well-formed), so that a bad `altText` is refused before the bytes go anywhere.
  const issues = [
    ...idempotencyKeyIssues(key),
    ...(typeof key === 'string' && key.length > MAX_KEY_LENGTH ? [{ path: 'idempotencyKey', message: `must be at most ${MAX_KEY_LENGTH} characters (a suffix per step is added)` }] : []),
    ...(await requester.issues('createAssetUploadUrl', { body: sessionBody }, options)),
    ...(await requester.issues('createAsset', { body: createBody(PLACEHOLDER_KEY) })),
    ...(await requester.issues('finalizeAsset', { path: { id: PLACEHOLDER_ID }, body: finalizeBody, optionalBody: true })),
  ]
  if (issues.length > 0) throw new ValidationError(dedupeIssues(issues), { operation: 'upload', idempotencyKey: key })

  let body: UploadBody
  try {
    body = await toUploadBody(params.data, size, options.signal)
  } catch (error) {
    if (options.signal?.aborted) throw new APIUserAbortError(undefined, { idempotencyKey: key })
    throw error
  }

  const state: AssetUploadState = {}
  const failed = (step: AssetUploadStep, cause: unknown) => new AssetUploadError(step, cause, { ...state, idempotencyKey: key })

  const session = await assets.createUploadUrl(sessionBody, stepOptions('upload-url')).catch((error: unknown) => {
    throw failed('upload-url', error)
  })
  state.key = session.key
  state.uploadUrl = session.uploadUrl

  const { external } = requester
  try {
    await putToStorage(session.uploadUrl, body, contentType, {
      fetch: external.fetch,
      maxRetries: options.maxRetries ?? external.maxRetries,
      timeout: options.timeout ?? external.timeout,
      signal: options.signal,
      logger: external.logger,
      http: external.http,
      redact: external.redact,
      maxResponseSize: external.maxResponseSize,
    })
  } catch (error) {
    // The storage host refuses a PUT once the upload is finalized: this is a repeated upload() with
    // the same key, whose record steps replay below.
    if (!(error instanceof ConflictError)) throw failed('put', error)
  }

  const created = await assets.create(createBody(session.key), stepOptions('create')).catch((error: unknown) => {
    throw failed('create', error)
  })
  state.assetId = created.asset.id

  const finalized = await assets.finalize(created.asset.id, finalizeBody, stepOptions('finalize')).catch((error: unknown) => {
    throw failed('finalize', error)
  })
  return finalized.asset
}


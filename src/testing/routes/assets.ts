/**
 * Assets: upload session, record, finalize, list (newest first, query cursor), retrieve, update,
 * delete. The bytes go to the storage route (storage.ts), never through the API.
 */
import type {
  CreateAssetMutationRequest,
  CreateAssetUploadUrlMutationRequest,
  DeleteAssetPathParams,
  FinalizeAssetMutationRequest,
  FinalizeAssetPathParams,
  ListAssetsQueryParams,
  RetrieveAssetPathParams,
  UpdateAssetMutationRequest,
  UpdateAssetPathParams,
} from '../../../generated/types/index.ts'
import { iso } from '../clock.ts'
import { decodeCursor, encodeCursor } from '../cursor.ts'
import { conflict, notFound, unprocessable } from '../errors.ts'
import { hex, uuid } from '../random.ts'
import { toAsset } from '../render.ts'
import { noContent, reply } from '../responses.ts'
import { route } from '../route.ts'
import type { AssetRecord, Store, UploadSession } from '../store.ts'

/** Assets are limited to 20,971,520 bytes (20 MiB): the spec's `AssetSize`. The storage host enforces it on the bytes. */
export const MAX_ASSET_BYTES = 20_971_520

export const STORAGE_PREFIX = '/__storage/'

function storageKey(organizationId: string, filename: string): string {
  const safe = filename.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'file'
  return `${organizationId}/uploads/${hex(4)}-${safe}`
}

export function storageUrl(origin: string, key: string): string {
  return `${origin}${STORAGE_PREFIX}${key.split('/').map(encodeURIComponent).join('/')}`
}

function ownedAsset(store: Store, organizationId: string, id: string): AssetRecord {
  const record = store.asset(organizationId, id)
  if (!record) throw notFound('Asset')
  return record
}

/** Width and height from a PNG's IHDR chunk; other formats report null, as the API may. */
function pngSize(bytes: Uint8Array): { width: number; height: number } | null {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
  if (bytes.length < 24 || signature.some((b, i) => bytes[i] !== b)) return null
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return { width: view.getUint32(16), height: view.getUint32(20) }
}

export const assetRoutes = {
  createAssetUploadUrl: route<CreateAssetUploadUrlMutationRequest>({
    scopes: ['assets:write'],
    run({ env, store, organizationId, body, now, origin }) {
      const session: UploadSession = {
        key: storageKey(organizationId, body.filename),
        organizationId,
        filename: body.filename,
        contentType: body.contentType,
        size: body.size,
        assetType: body.assetType ?? 'content-image',
        websiteId: body.websiteId ?? null,
        signature: hex(12),
        expiresAt: now + env.uploadUrlTtlSeconds * 1000,
        origin,
        upload: null,
      }
      store.state.uploads.set(session.key, session)
      return reply(200, {
        success: true as const,
        uploadUrl: `${storageUrl(origin, session.key)}?signature=${session.signature}`,
        key: session.key,
        expiresIn: env.uploadUrlTtlSeconds,
      })
    },
  }),

  createAsset: route<CreateAssetMutationRequest>({
    scopes: ['assets:write'],
    run({ store, organizationId, body, now }) {
      const session = store.state.uploads.get(body.s3Key)
      // Well-formed but not matching an upload of this organization: 422, naming the field.
      if (!session || session.organizationId !== organizationId) {
        throw unprocessable('s3Key: no upload session with this key; call POST /api/v1/assets/upload-url first.', { field: 's3Key' })
      }
      if (body.contentType !== session.contentType) {
        throw unprocessable(`contentType: the upload session was started for ${session.contentType}.`, { field: 'contentType' })
      }
      if (body.size !== session.size) {
        throw unprocessable(`size: the upload session was started for ${session.size} bytes.`, { field: 'size' })
      }
      for (const id of store.index(organizationId).assets.ids()) {
        if (store.state.assets.get(id)?.s3Key === body.s3Key) throw conflict('An asset record already exists for this upload.', { assetId: id })
      }
      const at = iso(now)
      const record: AssetRecord = {
        id: uuid(),
        organizationId,
        assetType: body.assetType ?? session.assetType,
        status: 'pending',
        filename: body.filename,
        s3Key: body.s3Key,
        contentType: body.contentType,
        size: body.size,
        url: null,
        description: null,
        altText: null,
        imageType: body.imageType ?? null,
        tags: [],
        width: null,
        height: null,
        websiteId: body.websiteId ?? session.websiteId,
        website: null,
        createdAt: at,
        updatedAt: at,
      }
      store.insertAsset(record)
      return reply(201, { success: true as const, asset: toAsset(record) })
    },
  }),

  finalizeAsset: route<FinalizeAssetMutationRequest, undefined, FinalizeAssetPathParams>({
    scopes: ['assets:write'],
    bodyOptional: true,
    run({ store, organizationId, params, body, now }) {
      const record = ownedAsset(store, organizationId, params.id)
      if (record.status === 'ready') throw conflict('The asset is already finalized.')
      const session = store.state.uploads.get(record.s3Key)
      if (!session?.upload) {
        throw conflict('The file never arrived: PUT the bytes to the upload URL before finalizing.', { s3Key: record.s3Key })
      }
      const size = session.contentType === 'image/png' ? pngSize(session.upload.bytes) : null
      record.status = 'ready'
      record.url = storageUrl(session.origin, session.key)
      record.width = size?.width ?? null
      record.height = size?.height ?? null
      if (body.description !== undefined) record.description = body.description
      if (body.altText !== undefined) record.altText = body.altText
      if (body.imageType !== undefined) record.imageType = body.imageType
      record.updatedAt = iso(now)
      return reply(200, { success: true as const, asset: toAsset(record) })
    },
  }),

  listAssets: route<undefined, ListAssetsQueryParams>({
    scopes: ['assets:read'],
    run({ store, organizationId, query }) {
      const position = query.cursor ? decodeCursor('assets', query.cursor, 'query.cursor') : {}
      const match = (id: string) => {
        const asset = store.state.assets.get(id)
        return Boolean(asset) && (!query.assetType || asset?.assetType === query.assetType) && (!query.imageType || asset?.imageType === query.imageType)
      }
      // Newest first, as the spec says.
      const page = store.index(organizationId).assets.page('desc', position, query.limit ?? 50, match)
      return reply(200, {
        success: true as const,
        assets: page.ids.map((id) => toAsset(store.state.assets.get(id) as AssetRecord)),
        nextCursor: page.next === null ? null : encodeCursor('assets', { after: page.next }),
      })
    },
  }),

  retrieveAsset: route<undefined, undefined, RetrieveAssetPathParams>({
    scopes: ['assets:read'],
    run({ store, organizationId, params }) {
      return reply(200, { success: true as const, asset: toAsset(ownedAsset(store, organizationId, params.id)) })
    },
  }),

  updateAsset: route<UpdateAssetMutationRequest, undefined, UpdateAssetPathParams>({
    scopes: ['assets:write'],
    run({ store, organizationId, params, body, now }) {
      const record = ownedAsset(store, organizationId, params.id)
      if (body.description !== undefined) record.description = body.description
      if (body.altText !== undefined) record.altText = body.altText
      if (body.tags !== undefined) record.tags = [...body.tags]
      if (body.imageType !== undefined) record.imageType = body.imageType
      record.updatedAt = iso(now)
      return reply(200, { success: true as const, asset: toAsset(record) })
    },
  }),

  deleteAsset: route<undefined, undefined, DeleteAssetPathParams>({
    scopes: ['assets:write'],
    run({ store, organizationId, params }) {
      const record = ownedAsset(store, organizationId, params.id)
      store.deleteAsset(record)
      store.state.uploads.delete(record.s3Key)
      return noContent()
    },
  }),
}

import { createAsset } from '../../generated/clients/assets/createAsset.ts'
import { createAssetUploadUrl } from '../../generated/clients/assets/createAssetUploadUrl.ts'
import { deleteAsset } from '../../generated/clients/assets/deleteAsset.ts'
import { finalizeAsset } from '../../generated/clients/assets/finalizeAsset.ts'
import { listAssets } from '../../generated/clients/assets/listAssets.ts'
import { retrieveAsset } from '../../generated/clients/assets/retrieveAsset.ts'
import { updateAsset } from '../../generated/clients/assets/updateAsset.ts'
import type { Asset } from '../../generated/types/Asset.ts'
import type { AssetResponse } from '../../generated/types/AssetResponse.ts'
import type { ListAssetsQueryParams } from '../../generated/types/assets/ListAssets.ts'
import type { CreateAssetRequest } from '../../generated/types/CreateAssetRequest.ts'
import type { CreateUploadUrlRequest } from '../../generated/types/CreateUploadUrlRequest.ts'
import type { FinalizeAssetRequest } from '../../generated/types/FinalizeAssetRequest.ts'
import type { ListAssetsResponse } from '../../generated/types/ListAssetsResponse.ts'
import type { UpdateAssetRequest } from '../../generated/types/UpdateAssetRequest.ts'
import type { UploadUrlResponse } from '../../generated/types/UploadUrlResponse.ts'
import type { APIPromise } from '../core/api-promise.ts'
import type { Page, PagePromise } from '../core/pagination.ts'
import type { RequestOptions } from '../core/requester.ts'
import { uploadAsset, type AssetUploadFields, type AssetUploadParams } from './asset-upload.ts'
import { APIResource } from './resource.ts'

export type { AssetUploadFields, AssetUploadParams }

/** Filters (`assetType`, `imageType`) plus `limit` and, for a given page, `cursor`. */
export type AssetListParams = ListAssetsQueryParams
export type AssetCreateUploadUrlParams = CreateUploadUrlRequest
export type AssetCreateUploadUrlResponse = UploadUrlResponse
export type AssetCreateParams = CreateAssetRequest
export type AssetFinalizeParams = FinalizeAssetRequest
export type AssetUpdateParams = UpdateAssetRequest
/** A page of assets: `data`, `nextCursor`, and the response's `assets` and `success`. */
export type AssetsPage = Page<Asset, ListAssetsResponse>
export type AssetsPagePromise = PagePromise<Asset, ListAssetsResponse>

export class Assets extends APIResource {
  /** Assets, a page at a time: `await` it for the first page, `for await` over it for all. */
  list(query?: AssetListParams, options?: RequestOptions): AssetsPagePromise {
    return this._requester.page('listAssets', listAssets, { query }, options, {
      items: (body) => body.assets,
      nextInput: (cursor) => ({ query: { ...query, cursor } }),
    })
  }

  retrieve(id: string, options?: RequestOptions): APIPromise<AssetResponse> {
    return this._requester.read('retrieveAsset', retrieveAsset, { path: { id } }, options)
  }

  /** Step 1 of an upload: a short-lived URL to PUT the bytes to (a storage host, not the API). */
  createUploadUrl(body: AssetCreateUploadUrlParams, options?: RequestOptions): APIPromise<AssetCreateUploadUrlResponse> {
    return this._requester.write('createAssetUploadUrl', createAssetUploadUrl, { body }, options)
  }

  /** Step 3: the asset record for uploaded bytes (status `pending`). */
  create(body: AssetCreateParams, options?: RequestOptions): APIPromise<AssetResponse> {
    return this._requester.write('createAsset', createAsset, { body }, options)
  }

  /** Step 4: checks the bytes arrived and marks the asset `ready`. */
  finalize(id: string, body?: AssetFinalizeParams, options?: RequestOptions): APIPromise<AssetResponse> {
    return this._requester.write('finalizeAsset', finalizeAsset, { path: { id }, body, optionalBody: true }, options)
  }

  /**
   * Uploads a file in one call: opens the upload session, PUTs the bytes to the storage host (bare:
   * no API key, no default headers; retried on network errors, 429 and 5xx), creates the record and
   * finalizes it. Resolves with the ready asset.
   *
   * The type (from `contentType`, else the filename) and the size limit are checked before any
   * request. A step that fails for good throws an `AssetUploadError` naming the step, with the
   * storage key and asset id so far; calling again with its `idempotencyKey` resumes.
   *
   * @example
   * const asset = await client.assets.upload({ data: await fs.openAsBlob('logo.png'), filename: 'logo.png', imageType: 'logo' })
   */
  upload(params: AssetUploadParams, options?: RequestOptions): Promise<Asset> {
    return uploadAsset(this, this._requester, params, options)
  }

  update(id: string, body: AssetUpdateParams, options?: RequestOptions): APIPromise<AssetResponse> {
    return this._requester.write('updateAsset', updateAsset, { path: { id }, body }, options)
  }

  delete(id: string, options?: RequestOptions): APIPromise<void> {
    return this._requester.write('deleteAsset', deleteAsset, { path: { id } }, options)
  }
}

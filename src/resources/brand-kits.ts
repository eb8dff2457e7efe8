import { clearBrandKit } from '../../generated/clients/brandKit/clearBrandKit.ts'
import { createBrandKit } from '../../generated/clients/brandKit/createBrandKit.ts'
import { deleteBrandKit } from '../../generated/clients/brandKit/deleteBrandKit.ts'
import { extractBrandKit } from '../../generated/clients/brandKit/extractBrandKit.ts'
import { listBrandKits } from '../../generated/clients/brandKit/listBrandKits.ts'
import { retrieveBrandKit } from '../../generated/clients/brandKit/retrieveBrandKit.ts'
import { retrieveBrandKitExtractionProgress } from '../../generated/clients/brandKit/retrieveBrandKitExtractionProgress.ts'
import { setDefaultBrandKit } from '../../generated/clients/brandKit/setDefaultBrandKit.ts'
import { updateBrandKit } from '../../generated/clients/brandKit/updateBrandKit.ts'
import type { BrandKit } from '../../generated/types/BrandKit.ts'
import type { CreateBrandKitRequest } from '../../generated/types/CreateBrandKitRequest.ts'
import type { ExtractBrandKitRequest } from '../../generated/types/ExtractBrandKitRequest.ts'
import type { ExtractionProgress } from '../../generated/types/ExtractionProgress.ts'
import type { UpdateBrandKitRequest } from '../../generated/types/UpdateBrandKitRequest.ts'
import type { APIPromise } from '../core/api-promise.ts'
import { ValidationError } from '../core/errors.ts'
import { poll, readWaitOptions, type WaitOptions } from '../core/poll.ts'
import type { RequestOptions } from '../core/requester.ts'
import { BrandKitExtractionError } from '../core/workflow-errors.ts'
import { APIResource } from './resource.ts'

export type BrandKitListResponse = BrandKit[]
export type BrandKitCreateParams = CreateBrandKitRequest
/** Any of the fields; `null` clears a nullable one. */
export type BrandKitUpdateParams = UpdateBrandKitRequest
/** `websiteUrl` is required unless the kit already has one. */
export type BrandKitExtractParams = ExtractBrandKitRequest

export type BrandKitWaitOptions = WaitOptions & {
  /** Called with the first progress seen and again each time it changes. */
  onProgress?: ((progress: ExtractionProgress) => void) | undefined
}

/** Extraction fetches and analyses a whole website: give it longer than an email send. */
const DEFAULT_EXTRACTION_WAIT_MS = 120_000

export class BrandKits extends APIResource {
  list(options?: RequestOptions): APIPromise<BrandKitListResponse> {
    return this._requester.read('listBrandKits', (_args, config) => listBrandKits(config), {}, options)
  }

  retrieve(brandId: string, options?: RequestOptions): APIPromise<BrandKit> {
    return this._requester.read('retrieveBrandKit', retrieveBrandKit, { path: { brandId } }, options)
  }

  create(body: BrandKitCreateParams, options?: RequestOptions): APIPromise<BrandKit> {
    return this._requester.write('createBrandKit', createBrandKit, { body }, options)
  }

  update(brandId: string, body: BrandKitUpdateParams, options?: RequestOptions): APIPromise<BrandKit> {
    return this._requester.write('updateBrandKit', updateBrandKit, { path: { brandId }, body }, options)
  }

  /** Deletes a kit; the default kit cannot be deleted (409 `conflict`). */
  delete(brandId: string, options?: RequestOptions): APIPromise<void> {
    return this._requester.write('deleteBrandKit', deleteBrandKit, { path: { brandId } }, options)
  }

  /** Empties the kit's logos, colors and fonts. */
  clear(brandId: string, options?: RequestOptions): APIPromise<BrandKit> {
    return this._requester.write('clearBrandKit', clearBrandKit, { path: { brandId } }, options)
  }

  setDefault(brandId: string, options?: RequestOptions): APIPromise<BrandKit> {
    return this._requester.write('setDefaultBrandKit', setDefaultBrandKit, { path: { brandId } }, options)
  }

  /** Starts extracting logos, colors and fonts from the kit's website (202); poll `extractionProgress`. */
  extract(brandId: string, body?: BrandKitExtractParams, options?: RequestOptions): APIPromise<ExtractionProgress> {
    return this._requester.write('extractBrandKit', extractBrandKit, { path: { brandId }, body, optionalBody: true }, options)
  }

  extractionProgress(brandId: string, options?: RequestOptions): APIPromise<ExtractionProgress> {
    return this._requester.read('retrieveBrandKitExtractionProgress', retrieveBrandKitExtractionProgress, { path: { brandId } }, options)
  }

  /**
   * Polls the extraction until it completes and resolves with its final progress; throws a
   * `BrandKitExtractionError` (with the progress and its `error`) if it fails, a `WaitTimeoutError`
   * after `timeout` ms (default 120 s), an `APIUserAbortError` as soon as `signal` aborts.
   */
  async waitForExtraction(brandId: string, options: BrandKitWaitOptions = {}): Promise<ExtractionProgress> {
    const read = readWaitOptions<BrandKitWaitOptions>(options, ['onProgress'], 'waitForExtraction')
    const { onProgress } = read
    if (onProgress !== undefined && typeof onProgress !== 'function') {
      throw new ValidationError([{ path: 'onProgress', message: 'must be a function' }], { operation: 'waitForExtraction' })
    }
    let previous: string | undefined
    return poll<ExtractionProgress>({
      ...read,
      defaultTimeout: DEFAULT_EXTRACTION_WAIT_MS,
      look: (signal) => this.extractionProgress(brandId, { signal }),
      done: (progress) => progress.isComplete,
      failure: (progress) => (progress.isFailed ? new BrandKitExtractionError(brandId, progress) : undefined),
      onLook: (progress) => {
        const seen = JSON.stringify(progress)
        if (seen === previous) return
        previous = seen
        onProgress?.(progress)
      },
      describe: `brand kit ${String(brandId)} extraction to complete`,
      summarize: (progress) => `${progress.currentStep}, ${progress.completedSteps} of ${progress.totalSteps} steps`,
    })
  }
}

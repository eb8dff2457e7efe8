/**
 * Errors of the workflow helpers (waiting, uploads, batches of any size). Each one carries what the
 * caller needs to act on it: the last state seen, the step that failed and how to resume, or the
 * outcome of the part of a batch that did go through.
 */
import type { BatchSendEmailsResponse } from '../../generated/types/BatchSendEmailsResponse.ts'
import type { BatchSendItem } from '../../generated/types/BatchSendItem.ts'
import type { ExtractionProgress } from '../../generated/types/ExtractionProgress.ts'
import { SegmentFlowError } from './errors.ts'

/** A wait reached its deadline. Nothing failed: the thing waited for is still on its way. */
export class WaitTimeoutError<T = unknown> extends SegmentFlowError {
  static {
    this.prototype.name = 'WaitTimeoutError'
  }

  /** The last state observed before the deadline; undefined if no answer arrived in time. */
  readonly lastSeen: T | undefined
  /** The deadline, in milliseconds from the start of the wait. */
  readonly timeout: number

  constructor(message: string, init: { lastSeen: T | undefined; timeout: number }) {
    super(message)
    this.lastSeen = init.lastSeen
    this.timeout = init.timeout
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), timeout: this.timeout, lastSeen: this.lastSeen }
  }
}

/** A brand kit extraction ended in failure (`isFailed`); `progress.error` says why. */
export class BrandKitExtractionError extends SegmentFlowError {
  static {
    this.prototype.name = 'BrandKitExtractionError'
  }

  readonly brandId: string
  readonly progress: ExtractionProgress

  constructor(brandId: string, progress: ExtractionProgress) {
    super(`Brand kit ${brandId} extraction failed at ${progress.currentStep}: ${progress.error ?? 'no reason given'}`)
    this.brandId = brandId
    this.progress = progress
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), brandId: this.brandId, progress: this.progress }
  }
}

/** The steps of `assets.upload`, in order. */
export type AssetUploadStep = 'upload-url' | 'put' | 'create' | 'finalize'

export type AssetUploadState = {
  /** The storage key of the upload session (the record's `s3Key`), once the session exists. */
  key?: string | undefined
  /** Where the bytes go; pre-signed and short-lived. */
  uploadUrl?: string | undefined
  /** The asset record, once created. */
  assetId?: string | undefined
}

/**
 * A step of `assets.upload` failed for good (after its own retries). Nothing is cleaned up behind
 * the caller's back: the session, the bytes and the record stay, and this error says where they
 * are. Calling `upload()` again with the same `idempotencyKey` resumes: the steps that completed
 * replay their results (within the API's 24-hour key window and the upload URL's lifetime).
 */
export class AssetUploadError extends SegmentFlowError {
  static {
    this.prototype.name = 'AssetUploadError'
  }

  readonly step: AssetUploadStep
  readonly key: string | undefined
  /** Not in `toJSON()`: the URL's signature grants write access until it expires. */
  readonly uploadUrl: string | undefined
  readonly assetId: string | undefined

  constructor(step: AssetUploadStep, cause: unknown, state: AssetUploadState & { idempotencyKey: string }) {
    const reason = cause instanceof Error ? cause.message : String(cause)
    const where = state.assetId ? `asset ${state.assetId}` : state.key ? `storage key ${state.key}, no asset record yet` : 'nothing created yet'
    super(
      `Asset upload failed at step "${step}" (${where}): ${reason}. To resume, call upload() again with idempotencyKey ${JSON.stringify(state.idempotencyKey)}.`,
      { cause, idempotencyKey: state.idempotencyKey },
    )
    this.step = step
    this.key = state.key
    this.uploadUrl = state.uploadUrl
    this.assetId = state.assetId
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), step: this.step, key: this.key, assetId: this.assetId }
  }
}

/** An item of a batch whose outcome is not known: its chunk failed, or never went out. */
export type BatchSendUnresolvedItem = { index: number; idempotencyKey: string }

export type BatchSendFailure = {
  /** The caller's indices the failed chunk covered: `[start, end)`. */
  start: number
  end: number
  error: SegmentFlowError
}

/**
 * Some chunks of a batch of more than 100 items failed after their retries. The chunks that went
 * through are in `result`; `unresolved` lists the items with no known outcome (a failed chunk may
 * still have been committed). `items` are the caller's items with every idempotency key filled in:
 * sending them again is safe, the items already accepted replay instead of sending twice.
 */
export class BatchSendError extends SegmentFlowError {
  static {
    this.prototype.name = 'BatchSendError'
  }

  readonly result: BatchSendEmailsResponse
  readonly failures: BatchSendFailure[]
  readonly unresolved: BatchSendUnresolvedItem[]
  /** Every item of the call, in the caller's order, each with its idempotency key. */
  readonly items: BatchSendItem[]

  constructor(init: { result: BatchSendEmailsResponse; failures: BatchSendFailure[]; unresolved: BatchSendUnresolvedItem[]; items: BatchSendItem[] }) {
    const first = init.failures[0]?.error
    super(
      `${init.failures.length} chunk${init.failures.length === 1 ? '' : 's'} of the batch failed (first: ${first?.message ?? 'unknown'}); ` +
        `${init.result.total} of ${init.items.length} items have an outcome, ${init.unresolved.length} do not. ` +
        'Send error.items again: their idempotency keys make the items already accepted a replay.',
      { cause: first },
    )
    this.result = init.result
    this.failures = init.failures
    this.unresolved = init.unresolved
    this.items = init.items
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      total: this.result.total,
      accepted: this.result.accepted,
      rejected: this.result.rejected,
      unresolved: this.unresolved.length,
      failures: this.failures.map((f) => ({ start: f.start, end: f.end, error: f.error.toJSON() })),
    }
  }
}

import { describe, expect, it } from 'vitest'

import * as sdk from '../src/index.ts'

describe('the package root', () => {
  it('exports exactly the public runtime names', () => {
    expect(Object.keys(sdk).sort()).toEqual(
      [
        'default',
        'SegmentFlow',
        'Segmentflow',
        'DEFAULT_BASE_URL',
        'VERSION',
        'SegmentFlowError',
        'ValidationError',
        'APIError',
        'BadRequestError',
        'AuthenticationError',
        'PermissionDeniedError',
        'NotFoundError',
        'ConflictError',
        'UnprocessableEntityError',
        'RateLimitError',
        'ResponseTooLargeError',
        'InternalServerError',
        'APIConnectionError',
        'APIConnectionTimeoutError',
        'APIUserAbortError',
        'APIResponseValidationError',
        'PaginationLoopError',
        'WaitTimeoutError',
        'BrandKitExtractionError',
        'AssetUploadError',
        'BatchSendError',
        'APIPromise',
        'CursorPage',
        'PagePromise',
      ].sort(),
    )
  })

  it('arranges the errors as the README draws them', () => {
    const { SegmentFlowError: Base, APIError, APIConnectionError } = sdk
    for (const E of [
      sdk.ValidationError,
      APIError,
      APIConnectionError,
      sdk.APIUserAbortError,
      sdk.APIResponseValidationError,
      sdk.PaginationLoopError,
      // The workflow helpers' own failures: not API errors, though they may wrap one as `cause`.
      sdk.WaitTimeoutError,
      sdk.BrandKitExtractionError,
      sdk.AssetUploadError,
      sdk.BatchSendError,
    ]) {
      expect(Object.getPrototypeOf(E)).toBe(Base)
    }
    for (const E of [
      sdk.BadRequestError,
      sdk.AuthenticationError,
      sdk.PermissionDeniedError,
      sdk.NotFoundError,
      sdk.ConflictError,
      sdk.UnprocessableEntityError,
      sdk.RateLimitError,
      sdk.InternalServerError,
    ]) {
      expect(Object.getPrototypeOf(E)).toBe(APIError)
    }
    expect(Object.getPrototypeOf(sdk.APIConnectionTimeoutError)).toBe(APIConnectionError)
  })
})

/**
 * The public face of the SDK: the client, its errors and the types of every operation. Everything
 * else (the transport, the generated functions) is an implementation detail.
 */
import { SegmentFlow } from './client.ts'

export default SegmentFlow
export { SegmentFlow, SegmentFlow as Segmentflow, DEFAULT_BASE_URL } from './client.ts'
export type { ClientOptions, SegmentFlowV1 } from './client.ts'
export { VERSION } from './version.ts'

export {
  SegmentFlowError,
  ValidationError,
  APIError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  UnprocessableEntityError,
  RateLimitError,
  InternalServerError,
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  APIResponseValidationError,
  ResponseTooLargeError,
  PaginationLoopError,
} from './core/errors.ts'
export type { SegmentFlowErrorCode, ErrorInit, APIErrorInit, ConnectionFailure } from './core/errors.ts'
export { WaitTimeoutError, BrandKitExtractionError, AssetUploadError, BatchSendError } from './core/workflow-errors.ts'
export type { AssetUploadStep, AssetUploadState, BatchSendFailure, BatchSendUnresolvedItem } from './core/workflow-errors.ts'
export type { WaitOptions } from './core/poll.ts'

export { APIPromise } from './core/api-promise.ts'
export type { WithResponse } from './core/api-promise.ts'
export { CursorPage, PagePromise } from './core/pagination.ts'
export type { Page, CursorBody } from './core/pagination.ts'
export type { RequestOptions } from './core/requester.ts'
export type { Fetch, ResponseConfig } from './core/transport.ts'
export type { HeaderValues } from './core/headers.ts'
export type { Logger, LogLevel } from './core/logging.ts'

export type {
  Emails,
  EmailSendParams,
  EmailBatchSendParams,
  EmailBatchSendItem,
  EmailBatchSendOptions,
  EmailBatchSendResponse,
  EmailWaitOptions,
} from './resources/emails.ts'
export type { Events, EventTrackParams, EventTrackResponse } from './resources/events.ts'
export type {
  Profiles,
  ProfileListParams,
  ProfileBulkDeleteParams,
  ProfileBulkDeleteResponse,
  ProfilesPage,
  ProfilesPagePromise,
} from './resources/profiles.ts'
export type {
  Templates,
  TemplateListParams,
  TemplateListResponse,
  TemplateCreateParams,
  TemplateUpdateParams,
  TemplateDuplicateParams,
} from './resources/templates.ts'
export type {
  Assets,
  AssetListParams,
  AssetCreateUploadUrlParams,
  AssetCreateUploadUrlResponse,
  AssetCreateParams,
  AssetFinalizeParams,
  AssetUpdateParams,
  AssetUploadParams,
  AssetUploadFields,
  AssetsPage,
  AssetsPagePromise,
} from './resources/assets.ts'
export type {
  BrandKits,
  BrandKitListResponse,
  BrandKitCreateParams,
  BrandKitUpdateParams,
  BrandKitExtractParams,
  BrandKitWaitOptions,
} from './resources/brand-kits.ts'

// Every schema and operation type of the spec (`EmailSend`, `Profile`, `SendEmailRequest`,
// `ListTemplatesQueryParams`, ...), so that a type added to openapi.yaml is public after
// `npm run generate` with no list to keep.
export type * from '../generated/types/index.ts'

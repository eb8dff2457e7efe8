/**
 * Each operation as an SDK call. Written out rather than looked up by name, so that a renamed SDK
 * method fails the typecheck instead of a tool at run time. The casts are safe: the arguments were
 * checked against the same generated schemas the SDK's parameter types come from.
 */
import type {
  APIPromise,
  AssetCreateParams,
  AssetCreateUploadUrlParams,
  AssetFinalizeParams,
  AssetListParams,
  AssetUpdateParams,
  BrandKitCreateParams,
  BrandKitExtractParams,
  BrandKitUpdateParams,
  EmailBatchSendParams,
  EmailSendParams,
  EventTrackParams,
  ProfileBulkDeleteParams,
  ProfileListParams,
  RequestOptions,
  SegmentFlow,
  TemplateCreateParams,
  TemplateDuplicateParams,
  TemplateListParams,
  TemplateUpdateParams,
} from '@segmentflow/segmentflow-typescript'
import type { OperationId } from '../spec/operations.gen.ts'

export interface CallInput {
  readonly path: Readonly<Record<string, string>>
  readonly query: unknown
  readonly body: unknown
}

export type Call = (client: SegmentFlow, input: CallInput, options: RequestOptions) => APIPromise<unknown>

const as = <T>(value: unknown) => value as T
const id = (input: CallInput, name: string) => input.path[name] as string

export const calls: Record<OperationId, Call> = {
  listProfiles: (c, i, o) => c.profiles.list(as<ProfileListParams | undefined>(i.body), o),
  retrieveProfile: (c, i, o) => c.profiles.retrieve(id(i, 'profileId'), o),
  listProfileSubscriptions: (c, i, o) => c.profiles.listSubscriptions(id(i, 'profileId'), o),
  deleteProfile: (c, i, o) => c.profiles.delete(id(i, 'profileId'), o),
  bulkDeleteProfiles: (c, i, o) => c.profiles.bulkDelete(as<ProfileBulkDeleteParams>(i.body), o),

  listTemplates: (c, i, o) => c.templates.list(as<TemplateListParams | undefined>(i.query), o),
  retrieveTemplate: (c, i, o) => c.templates.retrieve(id(i, 'id'), o),
  createTemplate: (c, i, o) => c.templates.create(as<TemplateCreateParams>(i.body), o),
  updateTemplate: (c, i, o) => c.templates.update(id(i, 'id'), as<TemplateUpdateParams>(i.body), o),
  deleteTemplate: (c, i, o) => c.templates.delete(id(i, 'id'), o),
  duplicateTemplate: (c, i, o) => c.templates.duplicate(id(i, 'id'), as<TemplateDuplicateParams | undefined>(i.body), o),
  archiveTemplate: (c, i, o) => c.templates.archive(id(i, 'id'), o),
  unarchiveTemplate: (c, i, o) => c.templates.unarchive(id(i, 'id'), o),

  listAssets: (c, i, o) => c.assets.list(as<AssetListParams | undefined>(i.query), o),
  retrieveAsset: (c, i, o) => c.assets.retrieve(id(i, 'id'), o),
  createAssetUploadUrl: (c, i, o) => c.assets.createUploadUrl(as<AssetCreateUploadUrlParams>(i.body), o),
  createAsset: (c, i, o) => c.assets.create(as<AssetCreateParams>(i.body), o),
  finalizeAsset: (c, i, o) => c.assets.finalize(id(i, 'id'), as<AssetFinalizeParams | undefined>(i.body), o),
  updateAsset: (c, i, o) => c.assets.update(id(i, 'id'), as<AssetUpdateParams>(i.body), o),
  deleteAsset: (c, i, o) => c.assets.delete(id(i, 'id'), o),

  listBrandKits: (c, _i, o) => c.brandKits.list(o),
  retrieveBrandKit: (c, i, o) => c.brandKits.retrieve(id(i, 'brandId'), o),
  createBrandKit: (c, i, o) => c.brandKits.create(as<BrandKitCreateParams>(i.body), o),
  updateBrandKit: (c, i, o) => c.brandKits.update(id(i, 'brandId'), as<BrandKitUpdateParams>(i.body), o),
  deleteBrandKit: (c, i, o) => c.brandKits.delete(id(i, 'brandId'), o),
  clearBrandKit: (c, i, o) => c.brandKits.clear(id(i, 'brandId'), o),
  setDefaultBrandKit: (c, i, o) => c.brandKits.setDefault(id(i, 'brandId'), o),
  extractBrandKit: (c, i, o) => c.brandKits.extract(id(i, 'brandId'), as<BrandKitExtractParams | undefined>(i.body), o),
  retrieveBrandKitExtractionProgress: (c, i, o) => c.brandKits.extractionProgress(id(i, 'brandId'), o),

  sendEmail: (c, i, o) => c.emails.send(as<EmailSendParams>(i.body), o),
  batchSendEmails: (c, i, o) => c.emails.batchSend(as<EmailBatchSendParams>(i.body), o),
  retrieveEmail: (c, i, o) => c.emails.retrieve(id(i, 'id'), o),

  trackEvent: (c, i, o) => c.events.track(as<EventTrackParams>(i.body), o),
}

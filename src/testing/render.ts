/**
 * Records to API shapes. Each function lists the fields of the generated type one by one, so that a
 * sandbox-only fact (`organizationId` on a send, `bcc`, `suppressionReason`) never leaks into a
 * response, and a field added to the spec fails to compile here until the sandbox fills it.
 */
import type { Asset, BrandKit, EmailSend, Profile, Template, TemplateSummary } from '../../generated/types/index.ts'
import type { AssetRecord, BrandKitRecord, EmailSendRecord, ProfileRecord, TemplateRecord } from './store.ts'

export function toProfile(r: ProfileRecord): Profile {
  return {
    id: r.id,
    email: r.email,
    phone: r.phone,
    externalId: r.externalId,
    sources: [...r.sources],
    properties: structuredClone(r.properties),
    segments: r.segments.map((s) => ({ ...s })),
    deliverySuppression: { ...r.deliverySuppression },
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  }
}

export function toTemplateSummary(r: TemplateRecord): TemplateSummary {
  return {
    id: r.id,
    organizationId: r.organizationId,
    name: r.name,
    key: r.key,
    type: r.type,
    status: r.status,
    purpose: r.purpose,
    isComplete: r.isComplete,
    lastGeneratedAt: r.lastGeneratedAt,
    lastGenerationError: r.lastGenerationError,
    language: r.language,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    defaultSegmentId: r.defaultSegmentId,
    source: r.source,
    websiteId: r.websiteId,
    website: r.website ? { ...r.website } : null,
  }
}

export function toTemplate(r: TemplateRecord): Template {
  return {
    ...toTemplateSummary(r),
    senderProfileId: r.senderProfileId,
    brandKitId: r.brandKitId,
    currentSnapshotId: r.currentSnapshotId,
    definition: structuredClone(r.definition),
  }
}

export function toAsset(r: AssetRecord): Asset {
  return {
    id: r.id,
    organizationId: r.organizationId,
    assetType: r.assetType,
    status: r.status,
    filename: r.filename,
    s3Key: r.s3Key,
    contentType: r.contentType,
    size: r.size,
    url: r.url,
    description: r.description,
    altText: r.altText,
    imageType: r.imageType,
    tags: [...r.tags],
    width: r.width,
    height: r.height,
    websiteId: r.websiteId,
    website: r.website ? { ...r.website } : null,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  }
}

export function toBrandKit(r: BrandKitRecord): BrandKit {
  return {
    id: r.id,
    organizationId: r.organizationId,
    name: r.name,
    isDefault: r.isDefault,
    websiteUrl: r.websiteUrl,
    logos: r.logos.map((logo) => ({ ...logo })),
    colors: { ...r.colors },
    fonts: { ...r.fonts },
    senderProfileId: r.senderProfileId,
    senderDefaults: { ...r.senderDefaults },
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  }
}

/** `bcc` is never echoed (openapi.yaml, `EmailSend`). */
export function toEmailSend(r: EmailSendRecord): EmailSend {
  return {
    id: r.id,
    status: r.status,
    templateId: r.templateId,
    templateSnapshotId: r.templateSnapshotId,
    senderProfileId: r.senderProfileId,
    from: { ...r.from },
    replyTo: r.replyTo ? { ...r.replyTo } : null,
    subject: r.subject,
    subscriptionGroupId: r.subscriptionGroupId,
    profileId: r.profileId,
    to: { email: r.to.email },
    cc: r.cc.map((a) => ({ ...a })),
    messageId: r.messageId,
    failureMessage: r.failureMessage,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  }
}

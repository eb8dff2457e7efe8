/**
 * Words for the model where the spec has none or speaks HTTP. The spec documents the wire (headers,
 * query strings); a tool argument is neither, so a sentence such as "repeat the key" or "the
 * Idempotency-Key header is required" would contradict the tool it appears in.
 */
import type { ToolDefinition } from './catalog.ts'

/** Top-level arguments the spec leaves undescribed, by `<toolset>.<name>`, then by name alone. */
const PARAMETERS: Record<string, string> = {
  limit: 'Page size.',
  name: 'The name.',
  senderProfileId: "A sender profile's id.",
  imageType: 'What the image shows.',
  assetType: 'What the asset is for.',
  filename: 'The file name, with its extension.',
  contentType: 'The MIME type; PUT the bytes with the same one.',
  websiteId: 'The website the asset belongs to.',
  description: 'A description (null clears it).',
  altText: 'Alt text (null clears it).',
  tags: 'Tags, replacing the current ones.',
  tracking: 'Tracking options.',
  'profiles.profilePropertyFilter': 'Only profiles whose property `id` has one of `values`.',
  'profiles.sourceFilter': 'Only profiles from these sources.',
  'profiles.deliverySuppressionReasonFilter': 'Only profiles suppressed for these reasons.',
  'profiles.profileIds': 'Only these profiles.',
  'templates.purpose': 'Only `Transactional` templates can be sent with emails_send.',
  'templates.brandKitId': "The brand kit's id.",
  'templates.subType': 'A free-form subtype.',
  'templates.defaultSegmentId': 'The default segment, or null.',
  'templates.language': 'A language tag, such as `en` or `de-CH`.',
  'brand_kits.websiteUrl': "The brand's website.",
  'brand_kits.logos': 'Logos: a ready image asset each, with its variant.',
  'brand_kits.fonts': 'Heading and body font names.',
  'brand_kits.senderDefaults': 'Default from name, from address and reply-to.',
  'emails.items': "The emails; each may leave out what `defaults` gives. Each item's outcome is in the result, in order.",
}

export function parameterDescription(tool: ToolDefinition, name: string): string | undefined {
  return PARAMETERS[`${tool.toolset}.${name}`] ?? PARAMETERS[name]
}

/** A query parameter the API repeats for several values is, as an argument, one value or a list. */
export function rewordQueryArray(description: string | undefined): string {
  const base = (description ?? '').replace(/\s*Repeat the key for several values\.?/i, '').trim()
  return `${base}${base ? ' ' : ''}One value or a list.`
}

/**
 * The operation's own description, where it talks about the wire, in the terms of the tool's
 * arguments. Undefined: the spec's wording is true of the tool as it is.
 */
const OPERATIONS: Record<string, string> = {
  sendEmail:
    'Queues one email from a `Transactional`, `Active` template, named by exactly one of `templateId` or `templateKey`, to a recipient named by at least one of `profileId`, `to.email` or `to.externalId`.',
  batchSendEmails:
    'Queues the items in order; `defaults` are merged into each item (its own value wins) before it is checked. One bad item does not stop the others.',
  trackEvent:
    'Finds or creates the profile by `profile.email` or `profile.externalId` (an unknown externalId alone is refused: give the email) and enrolls it in the Journeys the event starts. `referenceId` is for correlation only.',
  listProfiles: 'Lists profiles matching the filters, one page at a time.',
}

export function operationDescription(tool: ToolDefinition): string {
  return OPERATIONS[tool.operation.operationId] ?? tool.operation.description
}

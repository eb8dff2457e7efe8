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
  filename: 'With its extension.',
  contentType: 'The MIME type.',
  websiteId: 'The website the asset belongs to.',
  description: 'A description (null clears it).',
  altText: 'Alt text (null clears it).',
  tags: 'Tags, replacing the current ones.',
  tracking: 'Tracking options.',
  'profiles.profilePropertyFilter': 'Only profiles whose property `id` has one of `values`.',
  'profiles.sourceFilter': 'Only profiles from these sources.',
  'profiles.deliverySuppressionReasonFilter': 'Only profiles suppressed for these reasons.',
  'profiles.profileIds': 'Only these profiles.',
  'templates.purpose': 'Only `Transactional` ones can be sent.',
  'templates.brandKitId': "The brand kit's id.",
  'templates.subType': 'A free-form subtype.',
  'templates.defaultSegmentId': 'The default segment, or null.',
  'templates.language': 'A language tag, such as `en` or `de-CH`.',
  'brand_kits.websiteUrl': "The brand's website.",
  'brand_kits.logos': 'Ready image assets with their variant.',
  'brand_kits.fonts': 'Heading and body font names.',
  'brand_kits.senderDefaults': 'Default sender fields.',
}

export function parameterDescription(tool: ToolDefinition, name: string): string | undefined {
  return PARAMETERS[`${tool.toolset}.${name}`] ?? PARAMETERS[name]
}

/**
 * Arguments whose fields are another tool's arguments, which that tool describes: their own fields go
 * undescribed (each tool's guidance already points to the other tool), and this sentence says where
 * to read them.
 */
const FIELDS_OF: Record<string, string> = {
  'profiles_bulk_delete.filter': "profiles_list's filters, ANDed; empty matches every profile.",
  'emails_batch_send.items': "The emails, each with the emails_send arguments that `defaults` lacks.",
}

export function fieldsOfAnotherTool(tool: ToolDefinition, name: string): string | undefined {
  return FIELDS_OF[`${tool.name}.${name}`]
}

/** A list filter is, as an argument, one value or a list (and a query string's wording does not apply). */
export function rewordFilterList(description: string | undefined): string {
  const base = (description ?? '').replace(/\s*Repeat the key for several values\.?/i, '').trim()
  return `${base}${base ? ' ' : ''}One value or a list.`
}

/**
 * The spec's descriptions speak of the wire (headers, status codes); what a model needs of them is in
 * each tool's guidance (tools/catalog.ts), so the tool list does not carry them twice.
 */

/**
 * The spec's sentences, tightened: each tool schema is read on every turn, so the words the model
 * needs and no more. Keyed by the spec's own text, so a reworded spec sentence simply shows as is.
 */
const TIGHTER: Record<string, string> = {
  "The template's key. Give exactly one of `templateId` or `templateKey`.": "The template's key.",
  "The template's id. Give exactly one of `templateId` or `templateKey`.": "The template's id.",
  "Send only if the profile's subscription to this group allows it (else the send is `Skipped`).": 'Send only if subscribed to this group (else `Skipped`).',
  'Any part of a template definition; omitted parts keep their current (or empty) value.': 'Parts of the definition; omitted parts keep their value.',
  'Any of the colors; omitted colors keep their value.': 'Omitted colors keep their value.',
  'The recipient by email or by your external id. Not needed when `profileId` is given.': 'The recipient, unless `profileId` is given.',
  'One address or a list of up to 50.': 'One address or up to 50.',
  'An address, `addr` or `Name <addr>`.': '`addr` or `Name <addr>`.',
  'Partial, case-insensitive match over email, phone and external id.': 'Matches email, phone or external id, in part.',
  "The profile's id (an opaque string).": "The profile's id.",
  'Your own id for this person.': 'Your id for the person.',
  'Merged into every item (an item\'s own value wins). Recipients, `data`, `cc` and `bcc` are not allowed here.':
    "Fields for every item (an item's own win); no recipients, `data`, `cc` or `bcc`.",
  'The profile the event is about, found or created by `email` or `externalId` (at least one).': 'Found or created by `email` or `externalId`.',
  'Data paths whose values are not stored. Each starts with `/event/` and names something after it: `/event/` alone would redact nothing.':
    '`/event/...` paths whose values are not stored.',
  'A unique human key per organization, such as `receipt-default`.': 'A unique key, e.g. `receipt-default`.',
  'Your id for correlation. Never used to deduplicate.': 'Your id, for correlation only.',
  'When it happened. Defaults to the time of receipt.': 'When it happened; default now.',
  'A BCP 47 language tag such as `en` or `pt-BR`.': 'A language tag, e.g. `pt-BR`.',
  '`nextCursor` or `previousCursor` of the page you have.': 'A `nextCursor` or `previousCursor`.',
  'The site to extract from. Required unless the kit already has a website.': "Default: the kit's website.",
  "The template's elements by id.": 'Elements by id.',
  'The id of the root element.': "The root element's id.",
  'Size in bytes, at most 20,971,520.': 'Size in bytes.',
  // The open enum's schema says that any other string is accepted.
  'Where a profile came from. Any other string is accepted.': 'Where a profile came from.',
  'Only templates with this purpose. One value, as the reference page shows (unlike `status`).': 'Only templates with this purpose (one value).',
  "The template's render variables, an object (the reference page's sample is `{}`). The reference does not show what its values look like, so any JSON value is accepted.":
    'Render variables by name, any JSON values.',
}

/**
 * The spec's field descriptions also say where each rule comes from ("the reference page lists...",
 * "as documented"), for readers checking the spec against SegmentFlow's reference. The schema states
 * the rule itself; a model needs what the field means, so those sentences go.
 */
const PROVENANCE_SENTENCE = /\breference\b/i
const PROVENANCE_PHRASE = /,? as documented,?/g

function withoutProvenance(description: string): string {
  const sentences = description.split(/(?<=\.)\s+(?=[A-Z`])/)
  const kept = sentences.filter((sentence) => !PROVENANCE_SENTENCE.test(sentence)).join(' ').replace(PROVENANCE_PHRASE, '')
  // A description that is all provenance needs its own words in TIGHTER; until then it shows as is.
  return kept === '' ? description : kept
}

export function tighter(description: string): string {
  const text = description.replace(/\s+/g, ' ').trim()
  const plain = withoutProvenance(text)
  return TIGHTER[text] ?? TIGHTER[plain] ?? plain
}

/**
 * One MCP tool per API operation. Routes, scopes and idempotency rules come from the spec
 * (operations.gen.ts); this table holds only what the spec cannot say: the SDK method a tool calls,
 * how risky it is (MCP annotations), and a sentence of guidance written for a model.
 */
import { operations, type OperationId } from '../spec/operations.gen.ts'
import type { OperationMeta } from '../spec/types.ts'

export const TOOLSETS = ['profiles', 'templates', 'assets', 'brand_kits', 'emails', 'events'] as const
export type Toolset = (typeof TOOLSETS)[number]

/** The SDK namespaces, spelled as on the client (`client.brandKits`). */
export type Namespace = 'profiles' | 'templates' | 'assets' | 'brandKits' | 'emails' | 'events'

export interface Annotations {
  readonly readOnlyHint: boolean
  readonly destructiveHint: boolean
  readonly idempotentHint: boolean
  readonly openWorldHint: boolean
}

export interface ToolDefinition {
  /** `<toolset>_<method>` in snake_case, e.g. `brand_kits_set_default`. */
  readonly name: string
  readonly toolset: Toolset
  readonly namespace: Namespace
  /** The SDK method name on the namespace, e.g. `setDefault`. */
  readonly method: string
  readonly operation: OperationMeta
  readonly annotations: Annotations
  /** Sends email or starts Journeys: off unless the operator passes `--allow-sends`. */
  readonly sends: boolean
  readonly guidance: string
}

const READ: Annotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false }

function write(hints: { destructive: boolean; idempotent: boolean; openWorld?: boolean }): Annotations {
  return {
    readOnlyHint: false,
    destructiveHint: hints.destructive,
    idempotentHint: hints.idempotent,
    openWorldHint: hints.openWorld ?? false,
  }
}

// Sends reach people outside the organization, so they are open-world. They count as idempotent
// because the server derives an idempotency key from the arguments: a repeated call replays.
const SEND = write({ destructive: false, idempotent: true, openWorld: true })

type Row = [OperationId, Namespace, method: string, Annotations, guidance: string, sends?: 'sends']

const rows: Row[] = [
  ['listProfiles', 'profiles', 'list', READ, 'Find profiles (people) by search text, segment, property, source or suppression reason.'],
  ['retrieveProfile', 'profiles', 'retrieve', READ, 'Get one profile with its properties, segments and delivery suppression state.'],
  ['listProfileSubscriptions', 'profiles', 'listSubscriptions', READ, "A profile's status in every subscription group; check it before sending."],
  ['deleteProfile', 'profiles', 'delete', write({ destructive: true, idempotent: true }), 'Permanently delete one profile.'],
  // By filter, a repeat also deletes profiles that started matching since: not idempotent.
  ['bulkDeleteProfiles', 'profiles', 'bulkDelete', write({ destructive: true, idempotent: false }), 'Permanently delete the profiles in `profileIds` or matching `filter` (try the filter on profiles_list first).'],

  ['listTemplates', 'templates', 'list', READ, 'All templates, unpaged. Only `Transactional`, `Active` ones can be sent with emails_send.'],
  ['retrieveTemplate', 'templates', 'retrieve', READ, 'One template with its definition (subject, sender, body).'],
  ['createTemplate', 'templates', 'create', write({ destructive: false, idempotent: false }), 'Create an email template. An unknown `senderProfileId` or `brandKitId` is refused.'],
  ['updateTemplate', 'templates', 'update', write({ destructive: true, idempotent: true }), 'Change the given fields of a template; the others keep their values.'],
  ['deleteTemplate', 'templates', 'delete', write({ destructive: true, idempotent: true }), 'Permanently delete a template; templates_archive can be undone.'],
  ['duplicateTemplate', 'templates', 'duplicate', write({ destructive: false, idempotent: false }), 'Copy a template and its definition. The copy has no `key`; its name defaults to "Copy of …".'],
  // Archiving stops every send that uses the template until it is unarchived.
  ['archiveTemplate', 'templates', 'archive', write({ destructive: true, idempotent: true }), 'Archive a template: it can no longer be sent until templates_unarchive.'],
  ['unarchiveTemplate', 'templates', 'unarchive', write({ destructive: false, idempotent: true }), 'Make an archived template `Active` again.'],

  ['listAssets', 'assets', 'list', READ, 'Uploaded images and documents, newest first.'],
  ['retrieveAsset', 'assets', 'retrieve', READ, 'One asset with its URL, size and descriptions.'],
  ['createAssetUploadUrl', 'assets', 'createUploadUrl', write({ destructive: false, idempotent: false }), 'Upload step 1: a short-lived `uploadUrl` to PUT the bytes to (same content type, no API key; this server uploads nothing). Then assets_create.'],
  ['createAsset', 'assets', 'create', write({ destructive: false, idempotent: false }), 'Upload step 2, after the PUT: record the file (the upload `key` as `s3Key`, same content type and size). Then assets_finalize.'],
  ['finalizeAsset', 'assets', 'finalize', write({ destructive: false, idempotent: true }), 'Upload step 3: check the bytes arrived and make the asset `ready`.'],
  ['updateAsset', 'assets', 'update', write({ destructive: true, idempotent: true }), "Change an asset's description, alt text, tags or image type; null clears one."],
  ['deleteAsset', 'assets', 'delete', write({ destructive: true, idempotent: true }), 'Permanently delete an asset; templates that show it break.'],

  ['listBrandKits', 'brandKits', 'list', READ, 'All brand kits (logos, colors, fonts, sender defaults), the default first.'],
  ['retrieveBrandKit', 'brandKits', 'retrieve', READ, 'One brand kit.'],
  ['createBrandKit', 'brandKits', 'create', write({ destructive: false, idempotent: false }), 'Create a brand kit. Logos must be ready image assets.'],
  ['updateBrandKit', 'brandKits', 'update', write({ destructive: true, idempotent: true }), 'Change the given fields of a brand kit; null clears one. Logos must be ready image assets.'],
  ['deleteBrandKit', 'brandKits', 'delete', write({ destructive: true, idempotent: true }), 'Permanently delete a brand kit; the default kit cannot be deleted.'],
  ['clearBrandKit', 'brandKits', 'clear', write({ destructive: true, idempotent: true }), "Empty a brand kit's logos, colors and fonts; name, website and sender defaults stay."],
  ['setDefaultBrandKit', 'brandKits', 'setDefault', write({ destructive: false, idempotent: true }), 'Make a brand kit the default.'],
  // SegmentFlow fetches the given website, and the result replaces the kit's logos, colors and fonts.
  ['extractBrandKit', 'brandKits', 'extract', write({ destructive: true, idempotent: false, openWorld: true }), "Start extracting logos, colors and fonts from a website into the kit; poll brand_kits_extraction_progress until `isComplete` or `isFailed`."],
  ['retrieveBrandKitExtractionProgress', 'brandKits', 'extractionProgress', READ, 'Progress of the latest brand kit extraction.'],

  ['sendEmail', 'emails', 'send', SEND, 'Send one email from a `Transactional`, `Active` template (exactly one of `templateId` or `templateKey`) to `profileId`, `to.email` or `to.externalId`.', 'sends'],
  ['batchSendEmails', 'emails', 'batchSend', SEND, 'Several emails_send in one call; each item succeeds or fails on its own.', 'sends'],
  ['retrieveEmail', 'emails', 'retrieve', READ, 'The status of a sent email; `Sent`, `Failed` and `Skipped` are final.'],

  ['trackEvent', 'events', 'track', SEND, 'Report an event about a profile (found or created by `profile.email`, or an existing `externalId`); it can start Journeys that send email.', 'sends'],
]

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
}

export const tools: readonly ToolDefinition[] = rows.map(([operationId, namespace, method, annotations, guidance, sends]) => ({
  name: `${snake(namespace)}_${snake(method)}`,
  toolset: snake(namespace) as Toolset,
  namespace,
  method,
  operation: operations[operationId],
  annotations,
  sends: sends === 'sends',
  guidance,
}))

const byName = new Map(tools.map((tool) => [tool.name, tool]))

export function findTool(name: string): ToolDefinition | undefined {
  return byName.get(name)
}

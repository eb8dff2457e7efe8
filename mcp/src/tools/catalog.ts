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
  ['listProfileSubscriptions', 'profiles', 'listSubscriptions', READ, "Check a profile's subscription status in every subscription group before sending to it."],
  ['deleteProfile', 'profiles', 'delete', write({ destructive: true, idempotent: true }), 'Permanently delete one profile. Cannot be undone.'],
  // By filter, a repeat also deletes profiles that started matching since: not idempotent.
  ['bulkDeleteProfiles', 'profiles', 'bulkDelete', write({ destructive: true, idempotent: false }), 'Permanently delete many profiles at once. Cannot be undone; try `dry_run: true` first and check the filter with profiles_list.'],

  ['listTemplates', 'templates', 'list', READ, 'List email templates; filter by status or purpose. Only `Transactional`, `Active` templates can be sent with emails_send.'],
  ['retrieveTemplate', 'templates', 'retrieve', READ, 'Get one template with its full definition (subject, sender, body).'],
  ['createTemplate', 'templates', 'create', write({ destructive: false, idempotent: false }), 'Create a new email template.'],
  ['updateTemplate', 'templates', 'update', write({ destructive: true, idempotent: true }), 'Change fields of a template; fields you leave out keep their values.'],
  ['deleteTemplate', 'templates', 'delete', write({ destructive: true, idempotent: true }), 'Permanently delete a template. Prefer templates_archive, which can be undone.'],
  ['duplicateTemplate', 'templates', 'duplicate', write({ destructive: false, idempotent: false }), 'Copy a template, e.g. to edit a variant without touching the original.'],
  // Archiving stops every send that uses the template until it is unarchived.
  ['archiveTemplate', 'templates', 'archive', write({ destructive: true, idempotent: true }), 'Archive a template so it can no longer be sent. Undo with templates_unarchive.'],
  ['unarchiveTemplate', 'templates', 'unarchive', write({ destructive: false, idempotent: true }), 'Make an archived template active again.'],

  ['listAssets', 'assets', 'list', READ, 'List uploaded images and documents, newest first.'],
  ['retrieveAsset', 'assets', 'retrieve', READ, 'Get one asset with its URL, size and descriptions.'],
  ['createAssetUploadUrl', 'assets', 'createUploadUrl', write({ destructive: false, idempotent: false }), 'Step 1 of an upload: get a storage URL to PUT the bytes to (this server does not upload bytes). Then assets_create and assets_finalize.'],
  ['createAsset', 'assets', 'create', write({ destructive: false, idempotent: false }), 'Step 2 of an upload: record the uploaded file, using the `key` from assets_create_upload_url as `s3Key`.'],
  ['finalizeAsset', 'assets', 'finalize', write({ destructive: false, idempotent: true }), 'Step 3 of an upload: mark the asset ready once its bytes are stored.'],
  ['updateAsset', 'assets', 'update', write({ destructive: true, idempotent: true }), "Change an asset's description, alt text, tags or image type."],
  ['deleteAsset', 'assets', 'delete', write({ destructive: true, idempotent: true }), 'Permanently delete an asset. Templates that show it will break.'],

  ['listBrandKits', 'brandKits', 'list', READ, 'List brand kits (logos, colors, fonts, sender defaults), the default kit first.'],
  ['retrieveBrandKit', 'brandKits', 'retrieve', READ, 'Get one brand kit.'],
  ['createBrandKit', 'brandKits', 'create', write({ destructive: false, idempotent: false }), 'Create a brand kit.'],
  ['updateBrandKit', 'brandKits', 'update', write({ destructive: true, idempotent: true }), 'Change a brand kit; fields you leave out keep their values.'],
  ['deleteBrandKit', 'brandKits', 'delete', write({ destructive: true, idempotent: true }), 'Permanently delete a brand kit that is not the default.'],
  ['clearBrandKit', 'brandKits', 'clear', write({ destructive: true, idempotent: true }), "Empty a brand kit's logos, colors and fonts."],
  ['setDefaultBrandKit', 'brandKits', 'setDefault', write({ destructive: false, idempotent: true }), 'Make a brand kit the default one.'],
  // SegmentFlow fetches the given website, and the result replaces the kit's logos, colors and fonts.
  ['extractBrandKit', 'brandKits', 'extract', write({ destructive: true, idempotent: false, openWorld: true }), "Start extracting logos, colors and fonts from a website into a brand kit; poll brand_kits_extraction_progress until `isComplete` or `isFailed`."],
  ['retrieveBrandKitExtractionProgress', 'brandKits', 'extractionProgress', READ, 'Check the progress of the latest brand kit extraction.'],

  ['sendEmail', 'emails', 'send', SEND, 'Send one transactional email from a template.', 'sends'],
  ['batchSendEmails', 'emails', 'batchSend', SEND, 'Send several transactional emails in one call; each item succeeds or fails on its own.', 'sends'],
  ['retrieveEmail', 'emails', 'retrieve', READ, 'Check the delivery status of an email sent with emails_send (`Sent`, `Failed` and `Skipped` are final).'],

  ['trackEvent', 'events', 'track', SEND, 'Report a business event (e.g. `order.created`) for a person; it can start Journeys that send email.', 'sends'],
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

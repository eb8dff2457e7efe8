/**
 * The sandbox's state: plain records in Maps keyed by id, plus the per-organization indexes that keep
 * lookups and paging cheap. `SandboxState` is what tests read for assertions; records are the API
 * shapes (generated types) plus the few facts the API does not show (`organizationId`, `bcc`, ...).
 */
import type {
  Asset,
  AssetContentType,
  AssetType,
  BrandKit,
  DeliverySuppressionReason,
  EmailSend,
  EmailSendStatus,
  NamedAddress,
  Profile,
  Scope,
  Template,
  Tracking,
} from '../../generated/types/index.ts'
import type { FaultKind } from './faults.ts'
import type { IdempotencyRecord } from './idempotency.ts'
import { SeqIndex } from './seq-index.ts'

export interface Organization {
  id: string
  name: string
}

export interface ApiKeyRecord {
  key: string
  organizationId: string
  scopes: Scope[]
}

/** A sender identity. `from` addresses must belong to a verified one. */
export interface SenderProfile {
  id: string
  organizationId: string
  email: string
  name: string | null
  verified: boolean
}

export interface SubscriptionGroup {
  id: string
  organizationId: string
  name: string
  /** OptOut: subscribed unless the profile unsubscribed. OptIn: unsubscribed unless it subscribed. */
  policy: 'OptIn' | 'OptOut'
}

export interface SubscriptionEntry {
  status: 'Subscribed' | 'Unsubscribed'
  updatedAt: string
}

/** Journeys are outside the v1 surface; the sandbox keeps just enough to answer `trackEvent` honestly. */
export interface Journey {
  id: string
  organizationId: string
  name: string
  /** The event name that enrolls a profile. */
  event: string
  /** Profiles already enrolled: a second event is counted as skipped. */
  enrolled: Set<string>
}

export type ProfileRecord = Profile & {
  organizationId: string
  /** Why delivery is suppressed (the list filter's reason); null when not suppressed. */
  suppressionReason: DeliverySuppressionReason | null
}

export type TemplateRecord = Template & { subType: string | null }

export type AssetRecord = Asset

export interface UploadSession {
  key: string
  organizationId: string
  filename: string
  contentType: AssetContentType
  size: number
  assetType: AssetType
  websiteId: string | null
  signature: string
  expiresAt: number
  /** The origin the upload URL was minted for; the asset's public URL uses it too. */
  origin: string
  /** The bytes the storage route accepted, if any. */
  upload: { bytes: Uint8Array<ArrayBuffer>; contentType: string; at: number } | null
}

export interface ExtractionRun {
  websiteUrl: string
  startedAt: number
  /** Index of the step that fails, or null when the run succeeds. */
  failAtStep: number | null
  error: string | null
  /** Whether the extracted logos, colors and fonts were written to the kit. */
  applied: boolean
}

export type BrandKitRecord = BrandKit & { extraction: ExtractionRun | null }

export type EmailSendRecord = EmailSend & {
  organizationId: string
  idempotencyKey: string
  bcc: NamedAddress[]
  data: Record<string, unknown>
  tracking: Tracking | null
  /** Where the send ends up; the status walks there on the clock. */
  outcome: Extract<EmailSendStatus, 'Sent' | 'Failed' | 'Skipped'>
  outcomeMessage: string | null
  processingAt: number
  doneAt: number
}

export interface TrackedEvent {
  eventId: string
  organizationId: string
  idempotencyKey: string
  event: string
  profileId: string
  data: Record<string, unknown>
  referenceId: string | null
  redactedDataPaths: string[]
  occurredAt: string
  receivedAt: string
  matchedJourneys: number
  enrolledJourneys: number
  skippedJourneys: number
}

export interface RequestLogEntry {
  /** The `x-request-id` the sandbox answered with (null when the connection was dropped). */
  requestId: string | null
  at: string
  method: string
  url: string
  path: string
  /** The operationId, `storage` for the upload host, or null for an unknown route. */
  operation: string | null
  /** Every request header, lower-cased, as received (including `x-api-key`). */
  headers: Record<string, string>
  /** The parsed JSON body, the byte length for storage uploads, or undefined. */
  body: unknown
  /** The status answered; 0 when the connection was dropped. */
  status: number
  replayed: boolean
  /** The fault injected into this request, if any. */
  fault: FaultKind | null
}

export interface SandboxState {
  organizations: Map<string, Organization>
  apiKeys: Map<string, ApiKeyRecord>
  senders: Map<string, SenderProfile>
  subscriptionGroups: Map<string, SubscriptionGroup>
  /** profileId -> subscriptionGroupId -> explicit choice. Absent means the group's policy default. */
  subscriptions: Map<string, Map<string, SubscriptionEntry>>
  journeys: Map<string, Journey>
  profiles: Map<string, ProfileRecord>
  templates: Map<string, TemplateRecord>
  assets: Map<string, AssetRecord>
  /** Upload sessions by storage key. */
  uploads: Map<string, UploadSession>
  brandKits: Map<string, BrandKitRecord>
  emailSends: Map<string, EmailSendRecord>
  events: TrackedEvent[]
  /** Every request the API and the storage route received, oldest first (capped, see `requestLogLimit`). */
  requests: RequestLogEntry[]
  /** The storage route's requests only: assert here that no `x-api-key` ever reached it. */
  storageRequests: RequestLogEntry[]
  /** How many faults fired, by kind. */
  injectedFaults: Record<FaultKind, number>
}

/** What only the sandbox needs: per-organization lookups and the idempotency store. */
export interface OrgIndex {
  profiles: SeqIndex
  profileByEmail: Map<string, string>
  profileByExternalId: Map<string, string>
  templateByKey: Map<string, string>
  assets: SeqIndex
  idempotency: Map<string, IdempotencyRecord>
}

export function emptyState(): SandboxState {
  return {
    organizations: new Map(),
    apiKeys: new Map(),
    senders: new Map(),
    subscriptionGroups: new Map(),
    subscriptions: new Map(),
    journeys: new Map(),
    profiles: new Map(),
    templates: new Map(),
    assets: new Map(),
    uploads: new Map(),
    brandKits: new Map(),
    emailSends: new Map(),
    events: [],
    requests: [],
    storageRequests: [],
    injectedFaults: { reset: 0, delay: 0, status: 0, 'after-commit': 0 },
  }
}

export function canonicalEmail(email: string): string {
  return email.trim().toLowerCase()
}

export class Store {
  readonly state: SandboxState = emptyState()
  private readonly indexes = new Map<string, OrgIndex>()
  /** Email sends not yet in a terminal status, so that settling time costs O(pending), not O(all). */
  readonly pendingSends = new Set<string>()
  /** Brand kits whose extraction has not finished or not been applied yet. */
  readonly runningExtractions = new Set<string>()

  index(organizationId: string): OrgIndex {
    let index = this.indexes.get(organizationId)
    if (!index) {
      index = {
        profiles: new SeqIndex(),
        profileByEmail: new Map(),
        profileByExternalId: new Map(),
        templateByKey: new Map(),
        assets: new SeqIndex(),
        idempotency: new Map(),
      }
      this.indexes.set(organizationId, index)
    }
    return index
  }

  ensureOrganization(id: string, name = id): Organization {
    let org = this.state.organizations.get(id)
    if (!org) {
      org = { id, name }
      this.state.organizations.set(id, org)
      this.index(id)
    }
    return org
  }

  // Profiles -------------------------------------------------------------------------------------

  insertProfile(record: ProfileRecord): void {
    const index = this.index(record.organizationId)
    this.state.profiles.set(record.id, record)
    index.profiles.append(record.id)
    index.profileByEmail.set(canonicalEmail(record.email), record.id)
    if (record.externalId) index.profileByExternalId.set(record.externalId, record.id)
  }

  deleteProfile(record: ProfileRecord): void {
    const index = this.index(record.organizationId)
    this.state.profiles.delete(record.id)
    index.profiles.remove(record.id)
    index.profileByEmail.delete(canonicalEmail(record.email))
    if (record.externalId) index.profileByExternalId.delete(record.externalId)
    this.state.subscriptions.delete(record.id)
  }

  setProfileExternalId(record: ProfileRecord, externalId: string): void {
    const index = this.index(record.organizationId)
    if (record.externalId) index.profileByExternalId.delete(record.externalId)
    record.externalId = externalId
    index.profileByExternalId.set(externalId, record.id)
  }

  profile(organizationId: string, id: string): ProfileRecord | undefined {
    const record = this.state.profiles.get(id)
    return record && record.organizationId === organizationId ? record : undefined
  }

  profileByEmail(organizationId: string, email: string): ProfileRecord | undefined {
    const id = this.index(organizationId).profileByEmail.get(canonicalEmail(email))
    return id === undefined ? undefined : this.state.profiles.get(id)
  }

  profileByExternalId(organizationId: string, externalId: string): ProfileRecord | undefined {
    const id = this.index(organizationId).profileByExternalId.get(externalId)
    return id === undefined ? undefined : this.state.profiles.get(id)
  }

  // Templates ------------------------------------------------------------------------------------

  insertTemplate(record: TemplateRecord): void {
    this.state.templates.set(record.id, record)
    if (record.key) this.index(record.organizationId).templateByKey.set(record.key, record.id)
  }

  setTemplateKey(record: TemplateRecord, key: string | null): void {
    const index = this.index(record.organizationId)
    if (record.key) index.templateByKey.delete(record.key)
    record.key = key
    if (key) index.templateByKey.set(key, record.id)
  }

  deleteTemplate(record: TemplateRecord): void {
    this.state.templates.delete(record.id)
    if (record.key) this.index(record.organizationId).templateByKey.delete(record.key)
  }

  template(organizationId: string, id: string): TemplateRecord | undefined {
    const record = this.state.templates.get(id)
    return record && record.organizationId === organizationId ? record : undefined
  }

  templateByKey(organizationId: string, key: string): TemplateRecord | undefined {
    const id = this.index(organizationId).templateByKey.get(key)
    return id === undefined ? undefined : this.state.templates.get(id)
  }

  // Assets ---------------------------------------------------------------------------------------

  insertAsset(record: AssetRecord): void {
    this.state.assets.set(record.id, record)
    this.index(record.organizationId).assets.append(record.id)
  }

  deleteAsset(record: AssetRecord): void {
    this.state.assets.delete(record.id)
    this.index(record.organizationId).assets.remove(record.id)
  }

  asset(organizationId: string, id: string): AssetRecord | undefined {
    const record = this.state.assets.get(id)
    return record && record.organizationId === organizationId ? record : undefined
  }

  // Everything else is a plain Map lookup scoped to the organization. ------------------------------

  brandKit(organizationId: string, id: string): BrandKitRecord | undefined {
    return owned(this.state.brandKits.get(id), organizationId)
  }

  brandKitsOf(organizationId: string): BrandKitRecord[] {
    return [...this.state.brandKits.values()].filter((kit) => kit.organizationId === organizationId)
  }

  emailSend(organizationId: string, id: string): EmailSendRecord | undefined {
    return owned(this.state.emailSends.get(id), organizationId)
  }

  sender(organizationId: string, id: string): SenderProfile | undefined {
    return owned(this.state.senders.get(id), organizationId)
  }

  senderByEmail(organizationId: string, email: string): SenderProfile | undefined {
    const wanted = canonicalEmail(email)
    for (const sender of this.state.senders.values()) {
      if (sender.organizationId === organizationId && canonicalEmail(sender.email) === wanted) return sender
    }
    return undefined
  }

  subscriptionGroup(organizationId: string, id: string): SubscriptionGroup | undefined {
    return owned(this.state.subscriptionGroups.get(id), organizationId)
  }

  subscriptionGroupsOf(organizationId: string): SubscriptionGroup[] {
    return [...this.state.subscriptionGroups.values()].filter((group) => group.organizationId === organizationId)
  }

  subscriptionStatus(profileId: string, group: SubscriptionGroup): SubscriptionEntry | null {
    return this.state.subscriptions.get(profileId)?.get(group.id) ?? null
  }

  setSubscription(profileId: string, groupId: string, entry: SubscriptionEntry): void {
    let entries = this.state.subscriptions.get(profileId)
    if (!entries) {
      entries = new Map()
      this.state.subscriptions.set(profileId, entries)
    }
    entries.set(groupId, entry)
  }
}

function owned<T extends { organizationId: string }>(record: T | undefined, organizationId: string): T | undefined {
  return record && record.organizationId === organizationId ? record : undefined
}

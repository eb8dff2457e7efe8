/**
 * Emails: send (Idempotency-Key required), batch send (a key per item) and retrieve. A send is
 * accepted as `Queued` and walks to its terminal status on the clock (lifecycle.ts).
 */
import type {
  BatchSendEmailsMutationResponse,
  BatchSendResultItem,
  EmailSend,
  NamedAddress,
  RetrieveEmailPathParams,
  SendEmailMutationRequest,
  SendEmailRequest,
  ValidationIssue,
} from '../../../generated/types/index.ts'
import { batchSendDefaultsSchema } from '../../../generated/zod/batchSendDefaultsSchema.ts'
import { operations } from '../../../generated/zod/operations.ts'
import { sendEmailRequestSchema } from '../../../generated/zod/sendEmailRequestSchema.ts'
import { addressList, parseAddress } from '../addresses.ts'
import { iso } from '../clock.ts'
import { ApiFailure, envelope, invalid, notFound, unprocessable } from '../errors.ts'
import { claim, fingerprint } from '../idempotency.ts'
import { uuid } from '../random.ts'
import { toEmailSend } from '../render.ts'
import { type Reply, reply } from '../responses.ts'
import { route, type SandboxEnv } from '../route.ts'
import type { EmailSendRecord, ProfileRecord, SenderProfile, Store } from '../store.ts'
import { fieldsOf, issuesOf } from '../validation.ts'
import { createProfile } from './profiles.ts'

interface SendInput {
  organizationId: string
  idempotencyKey: string
  now: number
}

/** Validates a send against the organization's state and records it; throws 422 when it cannot go. */
export function acceptSend(env: SandboxEnv, body: SendEmailRequest, input: SendInput): EmailSendRecord {
  const { store } = env
  const { organizationId, now } = input

  // Unknown templates are 422, not 404: the send operation declares no 404, and the request is
  // well-formed, only unusable.
  const template = body.templateId
    ? store.template(organizationId, body.templateId)
    : store.templateByKey(organizationId, body.templateKey as string)
  const named = body.templateId ? `id ${body.templateId}` : `key ${body.templateKey}`
  if (!template) throw unprocessable(`No template with ${named}.`, { field: body.templateId ? 'templateId' : 'templateKey' })
  if (template.status === 'Archived') throw unprocessable(`Template ${named} is archived; unarchive it to send.`)
  if (template.purpose !== 'Transactional') {
    throw unprocessable(`Template ${named} is not a Transactional template (its purpose is ${template.purpose}).`)
  }
  if (!template.isComplete) throw unprocessable(`Template ${named} is incomplete: it needs a subject, a body and a sender.`)

  const { sender, from } = resolveSender(store, organizationId, body, template.definition.from, template.senderProfileId)
  const replyTo = resolveReplyTo(body.replyTo ?? template.definition.replyTo)
  const cc = resolveList(body.cc, 'cc')
  const bcc = resolveList(body.bcc, 'bcc')

  const group = body.subscriptionGroupId ? store.subscriptionGroup(organizationId, body.subscriptionGroupId) : null
  if (body.subscriptionGroupId && !group) throw unprocessable('No subscription group with this id.', { field: 'subscriptionGroupId' })

  const found = findRecipient(store, organizationId, body)
  const toEmail = body.to?.email ?? found?.email
  if (!toEmail) throw unprocessable(`No profile with externalId ${body.to?.externalId}; give to.email to send to a new recipient.`)
  // Checks are done: only now does the send create the profile it addresses, so a refused send
  // leaves nothing behind.
  const profile = found ?? createProfile(store, organizationId, { email: toEmail, externalId: body.to?.externalId ?? null }, now)
  if (found && body.to?.externalId && !profile.externalId && !store.profileByExternalId(organizationId, body.to.externalId)) {
    store.setProfileExternalId(profile, body.to.externalId)
  }

  let outcome: EmailSendRecord['outcome'] = 'Sent'
  let outcomeMessage: string | null = null
  const subscription = group ? store.subscriptionStatus(profile.id, group) : null
  const subscribed = group ? (subscription?.status ?? (group.policy === 'OptOut' ? 'Subscribed' : 'Unsubscribed')) === 'Subscribed' : true
  if (group && !subscribed) {
    outcome = 'Skipped'
    outcomeMessage = `The profile is not subscribed to "${group.name}".`
  } else if (profile.deliverySuppression.suppressed) {
    outcome = 'Failed'
    outcomeMessage = `Delivery to ${profile.email} is suppressed (${profile.suppressionReason ?? 'suppressed'}).`
  }

  const at = iso(now)
  const record: EmailSendRecord = {
    id: uuid(),
    status: 'Queued',
    templateId: template.id,
    templateSnapshotId: template.currentSnapshotId,
    senderProfileId: sender.id,
    from,
    replyTo,
    subject: body.subject ?? render(template.definition.subject, body.data ?? {}),
    subscriptionGroupId: group?.id ?? null,
    profileId: profile.id,
    to: { email: toEmail },
    cc,
    messageId: null,
    failureMessage: null,
    createdAt: at,
    updatedAt: at,
    organizationId,
    idempotencyKey: input.idempotencyKey,
    bcc,
    data: structuredClone(body.data ?? {}),
    tracking: body.tracking ?? null,
    outcome,
    outcomeMessage,
    processingAt: now + env.timings.emailQueuedMs,
    doneAt: now + env.timings.emailQueuedMs + env.timings.emailProcessingMs,
  }
  store.state.emailSends.set(record.id, record)
  store.pendingSends.add(record.id)
  return record
}

/** `from` must be an address of a verified sender of the organization (422 `validation_failed` otherwise, as openapi.yaml says). */
function resolveSender(
  store: Store,
  organizationId: string,
  body: SendEmailRequest,
  templateFrom: string | null,
  templateSenderId: string | null,
): { sender: SenderProfile; from: NamedAddress } {
  const chosen = body.senderProfileId ?? (body.from ? null : templateSenderId)
  let sender = chosen ? store.sender(organizationId, chosen) : undefined
  if (chosen && !sender) throw unprocessable('No sender profile with this id.', { field: 'senderProfileId' })
  const fromText = body.from ?? (sender ? null : templateFrom)
  let from: NamedAddress | null = sender ? { email: sender.email, name: sender.name } : null
  if (fromText) {
    from = parseAddress(fromText)
    if (!from) throw unprocessable(`"${fromText}" is not an email address.`, { field: 'from' })
    const owner = store.senderByEmail(organizationId, from.email)
    if (sender && owner?.id !== sender.id) {
      throw unprocessable(`The from address ${from.email} does not belong to the chosen sender profile.`, { field: 'from' })
    }
    sender = owner
  }
  if (!sender || !from) throw unprocessable('The email has no sender: give from or senderProfileId.', { field: 'from' })
  if (!sender.verified) {
    throw unprocessable(`The sender ${sender.email} is not a verified sender of this organization.`, { field: 'from' })
  }
  return { sender, from }
}

function resolveReplyTo(value: string | null | undefined): NamedAddress | null {
  if (!value) return null
  const address = parseAddress(value)
  if (!address) throw unprocessable(`"${value}" is not an email address.`, { field: 'replyTo' })
  return address
}

function resolveList(value: string | string[] | undefined, field: string): NamedAddress[] {
  return addressList(value).map((address, i) => {
    if (!address) throw unprocessable(`${field}[${i}] is not an email address.`, { field })
    return address
  })
}

/** profileId, then to.externalId, then to.email: the most specific identity wins. */
function findRecipient(store: Store, organizationId: string, body: SendEmailRequest): ProfileRecord | undefined {
  if (body.profileId) {
    const profile = store.profile(organizationId, body.profileId)
    if (!profile) throw unprocessable(`No profile with id ${body.profileId}.`, { field: 'profileId' })
    return profile
  }
  if (body.to?.externalId) {
    const profile = store.profileByExternalId(organizationId, body.to.externalId)
    if (profile) return profile
  }
  return body.to?.email ? store.profileByEmail(organizationId, body.to.email) : undefined
}

/** Fills `{{ data.path }}` from the send's data, as the template subject in the spec's example reads. */
function render(text: string | null, data: Record<string, unknown>): string | null {
  if (text === null) return null
  return text.replace(/\{\{\s*data\.([\w.]+)\s*\}\}/g, (_, path: string) => {
    const value = path.split('.').reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), data)
    return value === undefined || value === null ? '' : String(value)
  })
}

// Batch ----------------------------------------------------------------------------------------------

interface BatchItemInput {
  index: number
  idempotencyKey: string
  /** The item as sent, without its idempotencyKey. */
  fields: Record<string, unknown>
  /** Schema issues of the item's own fields; the item is rejected, the others go on. */
  issues: ValidationIssue[]
}

interface BatchInput {
  defaults: Record<string, unknown>
  items: BatchItemInput[]
}

const TEMPLATE_FIELDS = ['templateId', 'templateKey']

/**
 * A malformed batch (not an object, no items, more than 100, an item without a valid idempotencyKey,
 * bad defaults) is 400 as a whole; an item whose own fields break the schema is rejected alone.
 */
function parseBatch(raw: unknown): BatchInput {
  const issues: ValidationIssue[] = []
  const result = operations.batchSendEmails.request.safeParse(raw)
  const itemIssues = new Map<number, ValidationIssue[]>()
  if (!result.success) {
    for (const issue of result.error.issues) {
      const [root, index, field] = issue.path
      if (root === 'items' && typeof index === 'number' && field !== undefined && field !== 'idempotencyKey') {
        const list = itemIssues.get(index) ?? []
        list.push(...issuesOf([{ ...issue, path: issue.path.slice(2) }]))
        itemIssues.set(index, list)
      } else {
        issues.push(...issuesOf([issue]))
      }
    }
  }
  // The spec says `additionalProperties: false` on defaults (no recipients, data, cc or bcc there), a
  // rule the generated schema does not carry; the allowed keys still come from it.
  const defaults = (raw as { defaults?: unknown } | null)?.defaults
  if (defaults && typeof defaults === 'object' && !Array.isArray(defaults)) {
    const allowed = Object.keys(fieldsOf(batchSendDefaultsSchema))
    for (const key of Object.keys(defaults)) {
      if (!allowed.includes(key)) issues.push({ path: `defaults.${key}`, message: `Not allowed in defaults (allowed: ${allowed.join(', ')})` })
    }
  }
  if (issues.length) throw invalid(issues, 'The batch is invalid.')
  const body = raw as { defaults?: Record<string, unknown>; items: Record<string, unknown>[] }
  return {
    defaults: body.defaults ?? {},
    items: body.items.map((item, index) => {
      const { idempotencyKey, ...fields } = item
      return { index, idempotencyKey: idempotencyKey as string, fields, issues: itemIssues.get(index) ?? [] }
    }),
  }
}

/** The item's own values win; the template is one choice, so an item naming either field replaces both defaults. */
function mergeDefaults(defaults: Record<string, unknown>, fields: Record<string, unknown>): Record<string, unknown> {
  const base = { ...defaults }
  if (TEMPLATE_FIELDS.some((field) => fields[field] !== undefined)) for (const field of TEMPLATE_FIELDS) delete base[field]
  return { ...base, ...fields }
}

function rejected(item: BatchItemInput, error: ReturnType<typeof envelope>): BatchSendResultItem {
  return { index: item.index, idempotencyKey: item.idempotencyKey, status: 'rejected', error }
}

function outcomeItem(item: BatchItemInput, status: number, body: unknown): BatchSendResultItem {
  if (status === 202) return { index: item.index, idempotencyKey: item.idempotencyKey, status: 'accepted', send: body as EmailSend }
  return rejected(item, body as ReturnType<typeof envelope>)
}

function runItem(env: SandboxEnv, organizationId: string, now: number, item: BatchItemInput, defaults: Record<string, unknown>): BatchSendResultItem {
  if (item.issues.length) return rejected(item, envelope('invalid_request', 'The item is invalid.', { issues: item.issues }))
  const merged = mergeDefaults(defaults, item.fields)
  const parsed = sendEmailRequestSchema.safeParse(merged)
  if (!parsed.success) {
    return rejected(item, envelope('invalid_request', 'The item is invalid once defaults are applied.', { issues: issuesOf(parsed.error.issues) }))
  }
  const store = env.store.index(organizationId).idempotency
  let claimed: ReturnType<typeof claim>
  try {
    claimed = claim(store, item.idempotencyKey, fingerprint('sendEmail', {}, merged), now)
  } catch (error) {
    if (error instanceof ApiFailure) return rejected(item, error.toEnvelope())
    throw error
  }
  if (claimed.kind === 'replay') return outcomeItem(item, claimed.status, claimed.body)
  try {
    const send = toEmailSend(acceptSend(env, parsed.data, { organizationId, idempotencyKey: item.idempotencyKey, now }))
    claimed.complete(202, send)
    return outcomeItem(item, 202, send)
  } catch (error) {
    if (error instanceof ApiFailure && error.status < 500) {
      claimed.complete(error.status, error.toEnvelope())
      return rejected(item, error.toEnvelope())
    }
    claimed.release()
    throw error
  }
}

export const emailRoutes = {
  sendEmail: route<SendEmailMutationRequest>({
    scopes: ['emails:write'],
    run({ env, organizationId, body, idempotencyKey, now }) {
      const record = acceptSend(env, body, { organizationId, idempotencyKey: idempotencyKey as string, now })
      return reply(202, toEmailSend(record))
    },
  }),

  batchSendEmails: route<BatchInput>({
    scopes: ['emails:write'],
    parseBody: parseBatch,
    run({ env, organizationId, body, now }): Reply<BatchSendEmailsMutationResponse> {
      const items = body.items.map((item) => runItem(env, organizationId, now, item, body.defaults))
      const accepted = items.filter((item) => item.status === 'accepted').length
      return reply(200, { total: items.length, accepted, rejected: items.length - accepted, items })
    },
  }),

  retrieveEmail: route<undefined, undefined, RetrieveEmailPathParams>({
    scopes: ['emails:read'],
    run({ store, organizationId, params }) {
      const record = store.emailSend(organizationId, params.id)
      if (!record) throw notFound('Email')
      return reply(200, toEmailSend(record))
    },
  }),
}

/**
 * The rules for tools that reach people: the sender is the operator's, not the model's; recipients
 * must match the allowlist when there is one; batches are capped; and every send carries an
 * idempotency key derived from the request, so a repeated call replays instead of sending twice.
 */
import type { ServerConfig } from './config.ts'
import { deriveIdempotencyKey } from './idempotency.ts'
import { addressOf, compileAllowlist } from './recipients.ts'
import { objectView, type JsonSchema, type SchemaTweak } from './tools/input.ts'

export type SendRefusalCode = 'sender_fixed' | 'recipient_not_allowed' | 'batch_too_large'

export interface SendRefusal {
  readonly errorCode: SendRefusalCode
  readonly message: string
  readonly hint: string
}

type Body = Record<string, unknown>

const SENDER_FIELDS = ['from', 'replyTo', 'senderProfileId'] as const

/** Removes the sender from what the model sees, and lets batch items leave out their key. */
export function sendSchemaTweak(toolName: string, config: ServerConfig): SchemaTweak | undefined {
  const omitSender = (properties: Record<string, JsonSchema>) => {
    for (const field of SENDER_FIELDS) delete properties[field]
  }
  if (toolName === 'emails_send') return (view) => omitSender(view.properties)
  if (toolName === 'emails_batch_send') {
    return (view) => {
      const items = view.properties.items as JsonSchema & { items: JsonSchema }
      const item = objectView(items.items)
      omitSender(item.properties)
      const key = item.properties.idempotencyKey
      if (key) {
        item.properties.idempotencyKey = {
          ...key,
          description: 'Optional here: when left out, the server derives it from the item, so a repeated item is never sent twice.',
        }
      }
      const required = item.required.filter((name) => name !== 'idempotencyKey')
      view.properties.items = {
        ...items,
        maxItems: Math.min(Number(items.maxItems ?? config.maxBatchSize), config.maxBatchSize),
        items: { type: 'object', properties: item.properties, ...(required.length > 0 ? { required } : {}) },
      }
      const defaults = view.properties.defaults
      if (defaults) {
        const view2 = objectView(defaults)
        omitSender(view2.properties)
        view.properties.defaults = { ...defaults, properties: view2.properties }
      }
    }
  }
  return undefined
}

/**
 * Checked on the raw arguments, before anything else: a model that tries to pick the sender should
 * hear that the sender is fixed, not that `from` is an unknown argument.
 */
export function senderRefusal(toolName: string, args: Record<string, unknown>): SendRefusal | undefined {
  if (toolName !== 'emails_send' && toolName !== 'emails_batch_send') return undefined
  const parts = toolName === 'emails_batch_send' ? [args.defaults, ...(Array.isArray(args.items) ? args.items : [])] : [args]
  const given = parts.flatMap((part) => (isObject(part) ? SENDER_FIELDS.filter((field) => part[field] !== undefined) : []))
  if (given.length === 0) return undefined
  return {
    errorCode: 'sender_fixed',
    message: `The sender is fixed by the server's configuration; leave out ${[...new Set(given)].join(', ')}.`,
    hint: 'Call again without from, replyTo and senderProfileId; the operator sets them with --from, --reply-to and --sender-profile-id.',
  }
}

export interface PreparedSend {
  readonly body: Body
}

/**
 * Checks a send against the operator's rules and returns the body to send: the configured sender
 * added, missing batch item keys derived. Runs for dry runs too, so a preview never shows a request
 * the real call would refuse.
 */
export async function prepareSend(
  toolName: string,
  body: Body,
  config: ServerConfig,
): Promise<{ ok: true; value: PreparedSend } | { ok: false; refusal: SendRefusal }> {
  const refuse = (errorCode: SendRefusalCode, message: string, hint: string) =>
    ({ ok: false, refusal: { errorCode, message, hint } }) as const

  const items = toolName === 'emails_batch_send' ? (Array.isArray(body.items) ? (body.items as Body[]) : []) : [body]
  const defaults = (body.defaults ?? {}) as Body

  if (toolName === 'emails_batch_send' && items.length > config.maxBatchSize) {
    return refuse(
      'batch_too_large',
      `The batch has ${items.length} items; this server sends at most ${config.maxBatchSize} per call.`,
      `Split the items into batches of at most ${config.maxBatchSize} and call once per batch.`,
    )
  }

  if (config.allowedRecipients) {
    const allowed = compileAllowlist(config.allowedRecipients)
    const list = config.allowedRecipients.join(', ')
    for (const [index, item] of items.entries()) {
      const where = toolName === 'emails_batch_send' ? `items.${index}: ` : ''
      const addresses = toolName === 'events_track' ? eventRecipients(item) : emailRecipients(item)
      if (addresses === undefined) {
        return refuse(
          'recipient_not_allowed',
          `${where}this server only sends to allowed addresses (${list}), so the recipient must be given by email address.`,
          toolName === 'events_track'
            ? 'Give profile.email (an allowed address) instead of only profile.externalId.'
            : 'Give to.email (an allowed address) instead of only profileId or to.externalId.',
        )
      }
      const denied = addresses.filter((address) => {
        const parsed = addressOf(address)
        return parsed === undefined || !allowed(parsed)
      })
      if (denied.length > 0) {
        return refuse(
          'recipient_not_allowed',
          `${where}${denied.join(', ')} ${denied.length === 1 ? 'is' : 'are'} not on the server's recipient allowlist (${list}).`,
          'Send only to allowed addresses; the operator sets them with --allowed-recipients.',
        )
      }
    }
  }

  if (toolName === 'events_track') return { ok: true, value: { body } }

  const sender = Object.fromEntries(SENDER_FIELDS.flatMap((field) => (config.sender[field] ? [[field, config.sender[field]]] : [])))
  if (toolName === 'emails_send') return { ok: true, value: { body: { ...body, ...sender } } }

  const finalDefaults = Object.keys(sender).length > 0 || body.defaults !== undefined ? { ...defaults, ...sender } : undefined
  const keyed = await Promise.all(
    items.map(async (item) =>
      !isObject(item) || item.idempotencyKey !== undefined
        ? item
        : { ...item, idempotencyKey: await deriveIdempotencyKey(toolName, { defaults: finalDefaults, item }) },
    ),
  )
  return { ok: true, value: { body: { ...body, ...(finalDefaults ? { defaults: finalDefaults } : {}), items: keyed } } }
}

/** Every address an email goes to, or undefined when the recipient is named by id only. */
function emailRecipients(item: Body): string[] | undefined {
  if (!isObject(item)) return []
  const to = isObject(item.to) ? item.to : {}
  if (typeof to.email !== 'string') return undefined
  return [to.email, ...addressList(item.cc), ...addressList(item.bcc)]
}

function eventRecipients(body: Body): string[] | undefined {
  const profile = isObject(body.profile) ? body.profile : {}
  return typeof profile.email === 'string' ? [profile.email] : undefined
}

function addressList(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []
}

function isObject(value: unknown): value is Body {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

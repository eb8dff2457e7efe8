/**
 * The rules for tools that reach people: the sender is one the operator chose; recipients must match
 * the allowlist when there is one; batches are capped; and every send carries an idempotency key
 * derived from the request, so a repeated call replays instead of sending twice.
 */
import { isUuid, type ServerConfig } from './config.ts'
import { deriveIdempotencyKey } from './idempotency.ts'
import { addressOf, compileAllowlist } from './recipients.ts'
import { withoutDescriptions } from './tools/compact.ts'
import { objectView, type JsonSchema, type SchemaTweak } from './tools/input.ts'

export type SendRefusalCode = 'sender_not_allowed' | 'recipient_not_allowed' | 'batch_too_large'

export interface SendRefusal {
  readonly errorCode: SendRefusalCode
  readonly message: string
  readonly hint: string
}

type Body = Record<string, unknown>

export const SENDER_FIELDS = ['from', 'replyTo', 'senderProfileId'] as const
type SenderField = (typeof SENDER_FIELDS)[number]

const FLAG: Record<SenderField, string> = { from: '--from', replyTo: '--reply-to', senderProfileId: '--sender-profile-id' }

/**
 * Which values a model may give for each sender field. The configured value (compared by address,
 * so "Acme <a@x>" and "a@x" are the same sender), a reply-to on the configured sender's own domain,
 * and whatever `--allowed-senders` adds.
 */
export class SenderPolicy {
  readonly #config: ServerConfig
  readonly #patterns: readonly string[]
  readonly #profiles: readonly string[]
  readonly #allowed: (address: string) => boolean

  constructor(config: ServerConfig) {
    this.#config = config
    const extra = config.allowedSenders ?? []
    this.#profiles = extra.filter(isUuid)
    this.#patterns = extra.filter((entry) => !isUuid(entry))
    this.#allowed = compileAllowlist(this.#patterns)
  }

  /** Whether the model may pass this field at all; fields it may not are left out of the schema. */
  offers(field: SenderField): boolean {
    if (this.#config.sender[field] !== undefined) return true
    if (field === 'senderProfileId') return this.#profiles.length > 0
    return this.#patterns.length > 0 || (field === 'replyTo' && this.#config.sender.from !== undefined)
  }

  accepts(field: SenderField, value: unknown): boolean {
    if (typeof value !== 'string') return false
    const configured = this.#config.sender[field]
    if (field === 'senderProfileId') {
      const id = value.toLowerCase()
      return id === configured?.toLowerCase() || this.#profiles.includes(id)
    }
    const address = addressOf(value)
    if (address === undefined) return false
    if (configured !== undefined && address === addressOf(configured)) return true
    if (field === 'replyTo' && this.#config.sender.from !== undefined) {
      // The operator's own domain: replies go back to the organization that sends.
      if (domainOf(address) === domainOf(addressOf(this.#config.sender.from)!)) return true
    }
    return this.#allowed(address)
  }

  /** The allowed values in words, for a description or a refusal. */
  describe(field: SenderField): string {
    const configured = this.#config.sender[field]
    const values: string[] = []
    if (configured !== undefined) values.push(`"${configured}"`)
    if (field === 'senderProfileId') values.push(...this.#profiles)
    else {
      if (field === 'replyTo' && this.#config.sender.from !== undefined) values.push(`any address @${domainOf(addressOf(this.#config.sender.from)!)}`)
      values.push(...this.#patterns)
    }
    return values.join(', ')
  }

  /**
   * The value to send: the configured spelling when the model named the configured sender, the
   * model's own value when it picked another allowed one, the configured value when it gave none.
   */
  resolve(field: SenderField, given: unknown): unknown {
    const configured = this.#config.sender[field]
    if (given === undefined || given === null) return configured
    if (configured === undefined) return given
    if (field === 'senderProfileId') return String(given).toLowerCase() === configured.toLowerCase() ? configured : given
    return addressOf(String(given)) === addressOf(configured) ? configured : given
  }
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1)
}

/** Shows the sender fields a model may set (with the allowed values) and lets batch items leave out their key. */
export function sendSchemaTweak(toolName: string, config: ServerConfig): SchemaTweak | undefined {
  const policy = new SenderPolicy(config)
  const senderFields = (properties: Record<string, JsonSchema>) => {
    for (const field of SENDER_FIELDS) {
      const property = properties[field]
      if (!property || !policy.offers(field)) {
        delete properties[field]
        continue
      }
      const fallback = config.sender[field] ? `Leave out for ${config.sender[field]}.` : "Leave out for the template's."
      properties[field] = { ...property, description: `${fallback} Allowed: ${policy.describe(field)}.` }
    }
  }
  if (toolName === 'emails_send') return (view) => senderFields(view.properties)
  if (toolName === 'emails_batch_send') {
    return (view) => {
      const items = view.properties.items as JsonSchema & { items: JsonSchema }
      const item = objectView(items.items)
      senderFields(item.properties)
      const key = item.properties.idempotencyKey
      if (key) {
        item.properties.idempotencyKey = { ...key, description: 'Derived from the item when left out.' }
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
        // `items` describes these fields already, and `defaults` says they apply to every item.
        for (const [name, property] of Object.entries(view2.properties)) {
          if (name in item.properties) view2.properties[name] = withoutDescriptions(property)
        }
        senderFields(view2.properties)
        view.properties.defaults = { ...defaults, properties: view2.properties }
      }
    }
  }
  return undefined
}

/** The parts of a send that carry sender fields, with where they are for messages. */
function senderParts(toolName: string, body: Body): [where: string, part: Body][] {
  if (toolName === 'emails_send') return [['', body]]
  if (toolName !== 'emails_batch_send') return []
  const items = Array.isArray(body.items) ? body.items : []
  return [
    ['defaults.', isObject(body.defaults) ? body.defaults : {}],
    ...items.map((item, index): [string, Body] => [`items.${index}.`, isObject(item) ? item : {}]),
  ]
}

export function senderRefusal(toolName: string, body: Body, config: ServerConfig): SendRefusal | undefined {
  const policy = new SenderPolicy(config)
  const refused: { where: string; field: SenderField }[] = []
  for (const [where, part] of senderParts(toolName, body)) {
    for (const field of SENDER_FIELDS) {
      if (part[field] !== undefined && part[field] !== null && !policy.accepts(field, part[field])) refused.push({ where, field })
    }
  }
  if (refused.length === 0) return undefined
  const fields = [...new Set(refused.map((entry) => entry.field))]
  const options = fields.map((field) => {
    const allowed = policy.describe(field)
    return allowed
      ? `${field}: leave it out or use ${allowed}`
      : `${field}: leave it out (the template's is used; the operator sets one with ${FLAG[field]} or --allowed-senders)`
  })
  return {
    errorCode: 'sender_not_allowed',
    message: `This server does not send with that ${refused.map((entry) => `${entry.where}${entry.field}`).join(', ')}.`,
    hint: `${options.join('; ')}.`,
  }
}

export interface PreparedSend {
  readonly body: Body
  /** Emails or events the call would cause, for the send quota. */
  readonly count: number
}

/**
 * Checks a send against the operator's rules and returns the body to send: the sender resolved,
 * missing batch item keys derived. Runs for dry runs too, so a preview never shows a request the
 * real call would refuse. The arguments were checked against the schema already.
 */
export async function prepareSend(
  toolName: string,
  body: Body,
  config: ServerConfig,
): Promise<{ ok: true; value: PreparedSend } | { ok: false; refusal: SendRefusal }> {
  const refuse = (errorCode: SendRefusalCode, message: string, hint: string) =>
    ({ ok: false, refusal: { errorCode, message, hint } }) as const

  const items = toolName === 'emails_batch_send' ? (Array.isArray(body.items) ? (body.items as Body[]) : []) : [body]

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

  const sender = senderRefusal(toolName, body, config)
  if (sender) return { ok: false, refusal: sender }

  if (toolName === 'events_track') return { ok: true, value: { body, count: 1 } }

  const policy = new SenderPolicy(config)
  const withSender = (part: Body, fill: boolean): Body => {
    const resolved: Body = { ...part }
    for (const field of SENDER_FIELDS) {
      const value = fill ? policy.resolve(field, part[field]) : part[field] == null ? part[field] : policy.resolve(field, part[field])
      if (value === undefined) delete resolved[field]
      else resolved[field] = value
    }
    return resolved
  }
  if (toolName === 'emails_send') return { ok: true, value: { body: withSender(body, true), count: 1 } }

  const configured = SENDER_FIELDS.some((field) => config.sender[field] !== undefined)
  const defaults = configured || body.defaults !== undefined ? withSender(isObject(body.defaults) ? body.defaults : {}, true) : undefined
  const keyed = await Promise.all(
    items.map(async (raw) => {
      const item = withSender(raw, false)
      return item.idempotencyKey !== undefined ? item : { ...item, idempotencyKey: await deriveIdempotencyKey(toolName, { defaults, item }) }
    }),
  )
  return { ok: true, value: { body: { ...body, ...(defaults ? { defaults } : {}), items: keyed }, count: items.length } }
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

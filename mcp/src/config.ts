/**
 * Flags and environment into one validated configuration. Every mistake is reported at startup
 * with the flag to fix: a server that starts is a server whose policy is what the operator meant.
 */
import { parseArgs } from 'node:util'
import { TOOLSETS, tools, type Toolset } from './tools/catalog.ts'
import { knownScopes } from './policy.ts'
import { addressOf } from './recipients.ts'
import { emailAddressSchema } from './spec/zod.ts'

export const DEFAULT_BASE_URL = 'https://api.segmentflow.ai'
export const DEFAULT_PORT = 3333
export const DEFAULT_MAX_BATCH_SIZE = 10
/** The API refuses larger batches anyway. */
export const API_MAX_BATCH_SIZE = 100
const MIN_HTTP_TOKEN_LENGTH = 16

export interface Sender {
  readonly from?: string
  readonly replyTo?: string
  readonly senderProfileId?: string
}

export interface ServerConfig {
  readonly apiKey?: string
  readonly baseURL: string
  readonly sandbox: boolean
  /** The key's scopes; undefined when the operator did not say (then every tool is offered). */
  readonly scopes?: readonly string[]
  readonly toolsets?: readonly Toolset[]
  readonly tools?: readonly string[]
  readonly excludeTools: readonly string[]
  readonly readOnly: boolean
  readonly allowSends: boolean
  readonly allowedRecipients?: readonly string[]
  readonly maxBatchSize: number
  readonly sender: Sender
  /** Other senders a model may pick: address patterns (for from and replyTo) and sender profile ids. */
  readonly allowedSenders?: readonly string[]
  /** Emails and events per rolling hour, across the sending tools; undefined for no cap. */
  readonly maxSendsPerHour?: number
  /** `static`: one tool per operation. `dynamic`: a few meta-tools that find, describe and call them. */
  readonly toolsMode: ToolsMode
}

export type ToolsMode = 'static' | 'dynamic'

export interface TransportConfig {
  readonly transport: 'stdio' | 'http'
  readonly host: string
  readonly port: number
  readonly httpToken?: string
  /** Host header values (with or without a port) the HTTP transport answers, besides loopback names. */
  readonly allowedHosts: readonly string[]
  /** Each HTTP client brings its own SegmentFlow key as its bearer token; the server holds none. */
  readonly byok: boolean
}

export type Command =
  | { readonly kind: 'serve'; readonly config: ServerConfig; readonly transport: TransportConfig; readonly warnings: string[] }
  | { readonly kind: 'list-scopes'; readonly config: ServerConfig; readonly json: boolean; readonly warnings: string[] }
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }

export class ConfigError extends Error {
  override readonly name = 'ConfigError'
}

type Env = Readonly<Record<string, string | undefined>>

const options = {
  'api-key': { type: 'string' },
  'base-url': { type: 'string' },
  sandbox: { type: 'boolean' },
  scopes: { type: 'string' },
  toolsets: { type: 'string' },
  tools: { type: 'string' },
  'exclude-tools': { type: 'string' },
  'read-only': { type: 'boolean' },
  'allow-sends': { type: 'boolean' },
  'allowed-recipients': { type: 'string' },
  'max-batch-size': { type: 'string' },
  from: { type: 'string' },
  'reply-to': { type: 'string' },
  'sender-profile-id': { type: 'string' },
  'allowed-senders': { type: 'string' },
  'max-sends-per-hour': { type: 'string' },
  'tools-mode': { type: 'string' },
  transport: { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  'http-token': { type: 'string' },
  'allowed-hosts': { type: 'string' },
  byok: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const

/** Flag name -> environment variable; a flag wins over its variable. */
export const ENV: Record<Exclude<keyof typeof options, 'json' | 'help' | 'version'>, string> = {
  'api-key': 'SEGMENTFLOW_API_KEY',
  'base-url': 'SEGMENTFLOW_BASE_URL',
  sandbox: 'SEGMENTFLOW_SANDBOX',
  scopes: 'SEGMENTFLOW_SCOPES',
  toolsets: 'SEGMENTFLOW_TOOLSETS',
  tools: 'SEGMENTFLOW_TOOLS',
  'exclude-tools': 'SEGMENTFLOW_EXCLUDE_TOOLS',
  'read-only': 'SEGMENTFLOW_READ_ONLY',
  'allow-sends': 'SEGMENTFLOW_ALLOW_SENDS',
  'allowed-recipients': 'SEGMENTFLOW_ALLOWED_RECIPIENTS',
  'max-batch-size': 'SEGMENTFLOW_MAX_BATCH_SIZE',
  from: 'SEGMENTFLOW_FROM',
  'reply-to': 'SEGMENTFLOW_REPLY_TO',
  'sender-profile-id': 'SEGMENTFLOW_SENDER_PROFILE_ID',
  'allowed-senders': 'SEGMENTFLOW_ALLOWED_SENDERS',
  'max-sends-per-hour': 'SEGMENTFLOW_MAX_SENDS_PER_HOUR',
  'tools-mode': 'SEGMENTFLOW_TOOLS_MODE',
  transport: 'SEGMENTFLOW_MCP_TRANSPORT',
  host: 'SEGMENTFLOW_MCP_HOST',
  port: 'SEGMENTFLOW_MCP_PORT',
  'http-token': 'SEGMENTFLOW_MCP_HTTP_TOKEN',
  'allowed-hosts': 'SEGMENTFLOW_MCP_ALLOWED_HOSTS',
  byok: 'SEGMENTFLOW_MCP_BYOK',
}

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values']

export function parseCommand(argv: readonly string[], env: Env): Command {
  let parsed: { values: Values; positionals: string[] }
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true })
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}. Run \`segmentflow-mcp --help\` for the flags.`)
  }
  const { values, positionals } = parsed
  if (values.help) return { kind: 'help' }
  if (values.version) return { kind: 'version' }
  const [subcommand, ...rest] = positionals
  if (rest.length > 0 || (subcommand !== undefined && subcommand !== 'list-scopes' && subcommand !== 'serve')) {
    throw new ConfigError(`Unknown command "${positionals.join(' ')}": use \`serve\` (the default) or \`list-scopes\`.`)
  }

  const warnings: string[] = []
  const read = new Reader(values, env)
  const config = readServerConfig(read, warnings)

  if (subcommand === 'list-scopes') {
    return { kind: 'list-scopes', config, json: values.json ?? false, warnings }
  }
  const transport = readTransport(read, warnings)
  if (transport.byok) {
    if (config.apiKey || config.sandbox) {
      throw new ConfigError('--byok: the server holds no API key (each HTTP client sends its own); leave out SEGMENTFLOW_API_KEY and --sandbox.')
    }
    return { kind: 'serve', config, transport, warnings }
  }
  if (!config.sandbox && !config.apiKey) {
    throw new ConfigError(
      'No API key: set SEGMENTFLOW_API_KEY (a key with only the scopes this server needs; `segmentflow-mcp list-scopes` lists them), or pass --sandbox to try the server against an embedded sandbox.',
    )
  }
  return { kind: 'serve', config, transport, warnings }
}

class Reader {
  constructor(
    private readonly values: Values,
    private readonly env: Env,
  ) {}

  string(flag: keyof typeof ENV): string | undefined {
    const value = (this.values[flag] as string | undefined) ?? this.env[ENV[flag]]
    const trimmed = value?.trim()
    return trimmed === '' ? undefined : trimmed
  }

  list(flag: keyof typeof ENV): string[] | undefined {
    const value = this.string(flag)
    if (value === undefined) return undefined
    return value
      .split(/[\s,]+/)
      .map((item) => item.trim())
      .filter((item) => item !== '')
  }

  flag(flag: keyof typeof ENV): boolean {
    if (this.values[flag] === true) return true
    const value = this.env[ENV[flag]]?.trim().toLowerCase()
    if (value === undefined || value === '' || value === '0' || value === 'false' || value === 'no') return false
    if (value === '1' || value === 'true' || value === 'yes') return true
    throw new ConfigError(`${ENV[flag]}="${this.env[ENV[flag]]}" is not a boolean: use 1 or 0.`)
  }

  integer(flag: keyof typeof ENV, min: number, max: number): number | undefined {
    const value = this.string(flag)
    if (value === undefined) return undefined
    const number = Number(value)
    if (!/^\d+$/.test(value) || number < min || number > max) {
      throw new ConfigError(`--${flag} (${ENV[flag]}) must be a whole number from ${min} to ${max}, not "${value}".`)
    }
    return number
  }
}

function readServerConfig(read: Reader, warnings: string[]): ServerConfig {
  const sandbox = read.flag('sandbox')
  const baseURL = sandbox ? DEFAULT_BASE_URL : checkBaseURL(read.string('base-url') ?? DEFAULT_BASE_URL)
  if (sandbox && (read.string('api-key') || read.string('base-url'))) {
    warnings.push('--sandbox: ignoring the API key and base URL; nothing leaves this process.')
  }

  const toolsets = read.list('toolsets')?.map((name) => {
    const normal = name.toLowerCase().replace(/-/g, '_')
    if (!(TOOLSETS as readonly string[]).includes(normal)) {
      throw new ConfigError(`Unknown toolset "${name}" in --toolsets: choose from ${TOOLSETS.join(', ')}.`)
    }
    return normal as Toolset
  })
  const toolNames = read.list('tools')
  const excludeTools = read.list('exclude-tools') ?? []
  for (const [flag, names] of [['tools', toolNames ?? []], ['exclude-tools', excludeTools]] as const) {
    for (const name of names) {
      if (!tools.some((tool) => tool.name === name)) {
        throw new ConfigError(`Unknown tool "${name}" in --${flag}: \`segmentflow-mcp list-scopes\` lists every tool.`)
      }
    }
  }

  const scopes = read.list('scopes')
  const known = knownScopes()
  for (const scope of scopes ?? []) {
    if (!known.includes(scope)) {
      warnings.push(`--scopes: "${scope}" is not a scope any tool needs (known: ${known.join(', ')}).`)
    }
  }

  const sender: Sender = {
    from: checkAddress('from', read.string('from')),
    replyTo: checkAddress('reply-to', read.string('reply-to')),
    senderProfileId: read.string('sender-profile-id'),
  }

  const allowedSenders = read.list('allowed-senders')?.map((entry) => {
    if (isUuid(entry)) return entry.toLowerCase()
    const address = entry.includes('<') ? addressOf(entry) : entry.toLowerCase()
    if (address === undefined || !/^[^@\s<>]+@[^@\s<>]+$/.test(address)) {
      throw new ConfigError(`--allowed-senders: "${entry}" is neither an address pattern (\`*@acme.com\`, \`news@acme.com\`) nor a sender profile id.`)
    }
    return address
  })
  const maxSendsPerHour = read.integer('max-sends-per-hour', 1, 1_000_000)
  const toolsMode = read.string('tools-mode') ?? 'static'
  if (toolsMode !== 'static' && toolsMode !== 'dynamic') {
    throw new ConfigError(`--tools-mode must be "static" or "dynamic", not "${toolsMode}".`)
  }

  return {
    apiKey: sandbox ? undefined : read.string('api-key'),
    baseURL,
    sandbox,
    scopes,
    toolsets,
    tools: toolNames,
    excludeTools,
    readOnly: read.flag('read-only'),
    allowSends: read.flag('allow-sends'),
    allowedRecipients: read.list('allowed-recipients')?.map((pattern) => pattern.toLowerCase()),
    maxBatchSize: read.integer('max-batch-size', 1, API_MAX_BATCH_SIZE) ?? DEFAULT_MAX_BATCH_SIZE,
    sender: dropUndefined(sender),
    ...(allowedSenders ? { allowedSenders } : {}),
    ...(maxSendsPerHour !== undefined ? { maxSendsPerHour } : {}),
    toolsMode,
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function isUuid(value: string): boolean {
  return UUID.test(value)
}

function readTransport(read: Reader, warnings: string[]): TransportConfig {
  const transport = read.string('transport') ?? 'stdio'
  if (transport !== 'stdio' && transport !== 'http') {
    throw new ConfigError(`--transport must be "stdio" or "http", not "${transport}".`)
  }
  const host = read.string('host') ?? '127.0.0.1'
  const port = read.integer('port', 0, 65_535) ?? DEFAULT_PORT
  const httpToken = read.string('http-token')
  const byok = read.flag('byok')
  const allowedHosts = (read.list('allowed-hosts') ?? []).map((entry) => entry.toLowerCase())
  if (byok && transport !== 'http') throw new ConfigError('--byok needs --transport http: on stdio the server is one process for one key.')
  if (byok && httpToken) {
    throw new ConfigError('--byok: clients authenticate with their own SegmentFlow key as the bearer token; leave out --http-token.')
  }
  if (transport === 'http' && !byok) {
    if (!httpToken) {
      throw new ConfigError(
        'The HTTP transport needs a bearer token: set SEGMENTFLOW_MCP_HTTP_TOKEN (or --http-token) to a long random secret, e.g. `openssl rand -hex 32`.',
      )
    }
    if (httpToken.length < MIN_HTTP_TOKEN_LENGTH) {
      throw new ConfigError(`The HTTP bearer token must be at least ${MIN_HTTP_TOKEN_LENGTH} characters; use e.g. \`openssl rand -hex 32\`.`)
    }
  }
  if (transport === 'http' && !isLoopback(host)) {
    // Every address, no name: a request is answered only when addressed as localhost (the Host check).
    const names = (host === '0.0.0.0' || host === '::') && allowedHosts.length === 0 ? ' List the names clients use with --allowed-hosts.' : ''
    warnings.push(
      byok
        ? `--host ${host}: the server is reachable from other machines; anyone with a SegmentFlow key can use its tools with that key.${names}`
        : `--host ${host}: the server is reachable from other machines; anyone with the token can use its tools.${names}`,
    )
  }
  return { transport, host, port, ...(httpToken ? { httpToken } : {}), allowedHosts, byok }
}

function checkBaseURL(value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new ConfigError(`--base-url (SEGMENTFLOW_BASE_URL) is not a URL: "${value}".`)
  }
  // The key travels in a header: only loopback (a local sandbox) may use plain HTTP.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    throw new ConfigError(`--base-url must use https (plain http only for localhost), not "${value}".`)
  }
  return url.origin + url.pathname.replace(/\/+$/, '')
}

function checkAddress(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  // The spec only bounds the length; the operator's typo should fail here, not on the first send.
  if (!emailAddressSchema.safeParse(value).success || addressOf(value) === undefined) {
    throw new ConfigError(`--${flag} must be an address, \`addr\` or \`Name <addr>\`, not "${value}".`)
  }
  return value
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host)
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T
}

/**
 * The tools of one configured server: what `tools/list` shows and what `tools/call` does. Every
 * call goes the same way: policy (is the tool offered at all), arguments, the send rules, then a dry
 * run or the API call, and exactly one audit line whatever happens.
 */
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js'
import type { AuditSink, Outcome } from './audit.ts'
import type { ServerConfig } from './config.ts'
import { toToolError } from './errors.ts'
import type { Gateway } from './gateway.ts'
import { deriveIdempotencyKey } from './idempotency.ts'
import { decide } from './policy.ts'
import { dryRunResult, errorResult, successResult, type ToolError } from './results.ts'
import { SendQuota, type Reservation } from './quota.ts'
import { prepareSend, SENDER_FIELDS, sendSchemaTweak } from './sends.ts'
import { findTool, tools, type ToolDefinition } from './tools/catalog.ts'
import { inputSchema, outputSchema, splitArguments, type ObjectSchema } from './tools/input.ts'

export interface ToolboxOptions {
  readonly config: ServerConfig
  readonly gateway: Gateway
  readonly audit: AuditSink
  /** For durations in the audit log. */
  readonly now?: () => number
  /** Wall-clock milliseconds, for the send quota's rolling hour. */
  readonly clock?: () => number
}

interface Entry {
  readonly tool: ToolDefinition
  readonly schema: ObjectSchema
  readonly listing: Tool
}

interface Shared {
  readonly config: ServerConfig
  readonly audit: AuditSink
  readonly now: () => number
  readonly quota: SendQuota | undefined
  readonly entries: Map<string, Entry>
}

export class Toolbox {
  readonly #shared: Shared
  readonly #gateway: Gateway
  /** Whose sends the quota counts: one API key. */
  readonly #tenant: string

  /** `tenant` is for forTenant only: the built tool list and the quota's windows, shared. */
  constructor(options: ToolboxOptions, tenant?: { readonly shared: Shared; readonly id: string }) {
    const { config, audit, gateway, now, clock } = options
    const max = config.maxSendsPerHour
    this.#shared = tenant?.shared ?? {
      config,
      audit,
      now: now ?? (() => performance.now()),
      quota: max === undefined ? undefined : new SendQuota(max, clock),
      entries: buildEntries(config),
    }
    this.#gateway = gateway
    this.#tenant = tenant?.id ?? ''
  }

  /** The same tools and rules over another gateway (another API key), with that key's own send quota. */
  forTenant(gateway: Gateway, tenant: string): Toolbox {
    const { config, audit } = this.#shared
    return new Toolbox({ config, audit, gateway }, { shared: this.#shared, id: tenant })
  }

  list(): Tool[] {
    return [...this.#shared.entries.values()].map((entry) => entry.listing)
  }

  async call(name: string, args: unknown, signal?: AbortSignal): Promise<CallToolResult> {
    const { config, audit, quota, entries } = this.#shared
    const started = this.#shared.now()
    const finish = (outcome: Outcome, result: CallToolResult, extra: { errorCode?: string; requestId?: string } = {}) => {
      audit({ tool: name, outcome, ...extra, durationMs: Math.round(this.#shared.now() - started) })
      return result
    }
    const fail = (outcome: Outcome, error: ToolError) =>
      finish(outcome, errorResult(error), { errorCode: error.errorCode, ...(error.requestId ? { requestId: error.requestId } : {}) })

    const tool = findTool(name)
    if (!tool) {
      return fail('refused', {
        errorCode: 'unknown_tool',
        message: `There is no tool named "${name}".`,
        hint: 'Call tools/list to see the tools this server offers.',
        requiredScopes: [],
      })
    }
    const decision = decide(tool, config)
    const entry = entries.get(name)
    if (!decision.enabled || !entry) {
      // Hidden tools are refused even when called by name: the list is not the only gate. No fix to
      // the arguments would help, so they are not looked at.
      return fail('refused', decision.enabled ? internal(tool) : decision.refusal)
    }

    if (args !== undefined && (args === null || typeof args !== 'object' || Array.isArray(args))) {
      return fail('invalid', invalid(tool, [{ path: '', message: `The arguments must be an object of named arguments, not ${describeValue(args)}.` }]))
    }
    // The schema first, every issue at once: a model can fix its arguments, then meet the policy.
    const split = splitArguments(tool, entry.schema, (args ?? {}) as Record<string, unknown>, {
      ...(tool.name === 'emails_send' ? { alsoAccepted: SENDER_FIELDS } : {}),
      itemKeysOptional: tool.name === 'emails_batch_send',
    })
    if (!split.ok) return fail('invalid', invalid(tool, split.issues))
    const { path, query, dryRun } = split.value
    let { body, idempotencyKey } = split.value

    let reservation: Reservation | undefined
    if (tool.sends) {
      const prepared = await prepareSend(tool.name, body ?? {}, config)
      if (!prepared.ok) return fail('refused', { ...prepared.refusal, requiredScopes: tool.operation.scopes })
      body = prepared.value.body
      if (quota) {
        const reserved = quota.reserve(this.#tenant, prepared.value.count, !dryRun)
        if (!reserved.ok) return fail('refused', { ...reserved.refusal, requiredScopes: tool.operation.scopes })
        reservation = reserved.reservation
      }
      // Derived from the request as sent (sender included), so the same call always gets the same key.
      idempotencyKey ??= await deriveIdempotencyKey(tool.name, { path, query, body })
    }

    const call = { tool, path, query, body, idempotencyKey }
    try {
      if (dryRun) {
        return finish('dry_run', dryRunResult(tool, await this.#gateway.render(call)))
      }
      const success = await this.#gateway.call(call, signal)
      if (success.replayed) reservation?.release()
      return finish(success.replayed ? 'replayed' : 'ok', successResult(tool, success), success.requestId ? { requestId: success.requestId } : {})
    } catch (thrown) {
      const error = toToolError(thrown, tool, config.baseURL)
      // Answered with a 4xx (other than a request still in flight): nothing went out.
      if (error.status !== undefined && error.status < 500 && error.errorCode !== 'idempotency_request_in_progress') reservation?.release()
      if (error.errorCode === 'invalid_arguments') reservation?.release()
      return fail('error', error)
    }
  }
}

function buildEntries(config: ServerConfig): Map<string, Entry> {
  const entries = new Map<string, Entry>()
  for (const tool of tools) {
      if (!decide(tool, config).enabled) continue
      const schema = inputSchema(tool, tool.sends ? sendSchemaTweak(tool.name, config) : undefined)
      entries.set(tool.name, {
        tool,
        schema,
        listing: {
          name: tool.name,
          description: describe(tool, config),
          inputSchema: schema,
          outputSchema: outputSchema(tool),
          annotations: withoutDefaults(tool.annotations),
        },
      })
  }
  return entries
}

/**
 * The hints that differ from MCP's defaults (readOnly false, destructive true, idempotent false,
 * openWorld true): a host reads a missing hint as its default, so each listed tool says only what is
 * not assumed. The defaults are the cautious values, so a host that ignores hints errs on the safe side.
 * MCP reads `destructiveHint` and `idempotentHint` only when `readOnlyHint` is false, so a read-only
 * tool leaves them out. No `title` either: it would repeat the tool's name in other words.
 */
const HINT_DEFAULTS = { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true } as const
const WRITE_ONLY_HINTS = new Set(['destructiveHint', 'idempotentHint'])

export function withoutDefaults(annotations: ToolDefinition['annotations']): Partial<ToolDefinition['annotations']> {
  return Object.fromEntries(
    Object.entries(annotations).filter(
      ([hint, value]) => HINT_DEFAULTS[hint as keyof typeof HINT_DEFAULTS] !== value && !(annotations.readOnlyHint && WRITE_ONLY_HINTS.has(hint)),
    ),
  )
}

function describeValue(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return `a ${typeof value}`
}

function invalid(tool: ToolDefinition, issues: { path: string; message: string }[]): ToolError {
  return {
    errorCode: 'invalid_arguments',
    message: `The arguments do not match ${tool.name}'s input schema; nothing was sent.`,
    hint: 'Fix the arguments named in `issues` and call again.',
    requiredScopes: tool.operation.scopes,
    issues,
  }
}

function internal(tool: ToolDefinition): ToolError {
  return {
    errorCode: 'internal_error',
    message: `${tool.name} is not set up on this server.`,
    hint: 'This is a bug in the server; report it to the operator.',
    requiredScopes: tool.operation.scopes,
  }
}

/** Marks a tool whose route the API reference does not show; explained once in the server's instructions. */
export const INFERRED = 'Inferred route.'

/** The description a model reads: what the tool is for, the API's own words, then this server's rules. */
export function describe(tool: ToolDefinition, config: ServerConfig): string {
  const { operation } = tool
  const lines = [tool.guidance]
  // The server's instructions say what this means; the spec's paragraph would cost every list.
  if (operation.provenance === 'inferred') lines.push(INFERRED)
  if (operation.queryParams.includes('cursor') || operation.operationId === 'listProfiles') {
    lines.push('Paged: pass `nextCursor` as `cursor`.')
  }
  if (tool.sends) {
    const rules: string[] = []
    if (tool.name !== 'events_track') {
      rules.push(
        config.sender.from
          ? `Sends from ${config.sender.from} unless you pick another allowed sender.`
          : "The template's sender is used unless you pick an allowed one.",
      )
    }
    if (config.allowedRecipients) {
      rules.push(`Recipients must be given by email address and match ${config.allowedRecipients.join(', ')}.`)
    }
    if (tool.name === 'emails_batch_send') rules.push(`At most ${config.maxBatchSize} items per call.`)
    if (config.maxSendsPerHour !== undefined) rules.push(`At most ${config.maxSendsPerHour} emails and events per hour in all.`)
    lines.push(...rules)
  }
  // Said once in the server's instructions: this is the API scope the key needs.
  lines.push(`Scope: ${operation.scopes.join(', ')}.`)
  return lines.join(' ')
}

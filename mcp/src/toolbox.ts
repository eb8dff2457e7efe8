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
import { prepareSend, senderRefusal, sendSchemaTweak } from './sends.ts'
import { findTool, tools, type ToolDefinition } from './tools/catalog.ts'
import { checkBody, inputSchema, splitArguments, type ObjectSchema } from './tools/input.ts'

export interface ToolboxOptions {
  readonly config: ServerConfig
  readonly gateway: Gateway
  readonly audit: AuditSink
  readonly now?: () => number
}

interface Entry {
  readonly tool: ToolDefinition
  readonly schema: ObjectSchema
  readonly listing: Tool
}

export class Toolbox {
  readonly #config: ServerConfig
  readonly #gateway: Gateway
  readonly #audit: AuditSink
  readonly #now: () => number
  readonly #entries = new Map<string, Entry>()

  constructor(options: ToolboxOptions) {
    this.#config = options.config
    this.#gateway = options.gateway
    this.#audit = options.audit
    this.#now = options.now ?? (() => performance.now())
    for (const tool of tools) {
      if (!decide(tool, this.#config).enabled) continue
      const schema = inputSchema(tool, tool.sends ? sendSchemaTweak(tool.name, this.#config) : undefined)
      this.#entries.set(tool.name, {
        tool,
        schema,
        listing: {
          name: tool.name,
          title: tool.operation.summary,
          description: describe(tool, this.#config),
          inputSchema: schema,
          annotations: { title: tool.operation.summary, ...tool.annotations },
        },
      })
    }
  }

  list(): Tool[] {
    return [...this.#entries.values()].map((entry) => entry.listing)
  }

  async call(name: string, args: unknown, signal?: AbortSignal): Promise<CallToolResult> {
    const started = this.#now()
    const finish = (outcome: Outcome, result: CallToolResult, extra: { errorCode?: string; requestId?: string } = {}) => {
      this.#audit({ tool: name, outcome, ...extra, durationMs: Math.round(this.#now() - started) })
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
    const decision = decide(tool, this.#config)
    const entry = this.#entries.get(name)
    if (!decision.enabled || !entry) {
      // Hidden tools are refused even when called by name: the list is not the only gate.
      return fail('refused', decision.enabled ? internal(tool) : decision.refusal)
    }

    if (args !== undefined && (args === null || typeof args !== 'object' || Array.isArray(args))) {
      return fail('invalid', invalid(tool, [{ path: '', message: 'Arguments must be an object.' }]))
    }
    const given = (args ?? {}) as Record<string, unknown>
    const sender = senderRefusal(tool.name, given)
    if (sender) return fail('refused', { ...sender, requiredScopes: tool.operation.scopes })
    const split = splitArguments(tool, entry.schema, given)
    if (!split.ok) return fail('invalid', invalid(tool, split.issues))
    const { path, query, dryRun } = split.value
    let { body, idempotencyKey } = split.value

    if (tool.sends) {
      const prepared = await prepareSend(tool.name, body ?? {}, this.#config)
      if (!prepared.ok) return fail('refused', { ...prepared.refusal, requiredScopes: tool.operation.scopes })
      body = prepared.value.body
      // Derived from the request as sent (sender included), so the same call always gets the same key.
      idempotencyKey ??= await deriveIdempotencyKey(tool.name, { path, query, body })
    }
    const issues = checkBody(tool, body)
    if (issues.length > 0) return fail('invalid', invalid(tool, issues))

    const call = { tool, path, query, body, idempotencyKey }
    try {
      if (dryRun) {
        return finish('dry_run', dryRunResult(tool, await this.#gateway.render(call)))
      }
      const success = await this.#gateway.call(call, signal)
      return finish(success.replayed ? 'replayed' : 'ok', successResult(tool, success), success.requestId ? { requestId: success.requestId } : {})
    } catch (thrown) {
      return fail('error', toToolError(thrown, tool, this.#config.baseURL))
    }
  }
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

/** The description a model reads: what the tool is for, the API's own words, then this server's rules. */
export function describe(tool: ToolDefinition, config: ServerConfig): string {
  const { operation } = tool
  const lines = [tool.guidance]
  if (operation.description) lines.push(operation.description)
  if (operation.queryParams.includes('cursor') || operation.operationId === 'listProfiles') {
    lines.push('Returns one page; when `nextCursor` is not null, call again with `cursor` set to it for the next page.')
  }
  if (tool.sends) {
    const rules = ['Sending is enabled on this server.']
    if (tool.name !== 'events_track') {
      rules.push(
        config.sender.from || config.sender.senderProfileId
          ? 'The sender (from, replyTo, sender profile) is set by the server; do not pass it.'
          : "The template's own sender is used; from, replyTo and senderProfileId cannot be set here.",
      )
    }
    if (config.allowedRecipients) {
      rules.push(`Recipients must be given by email address and match ${config.allowedRecipients.join(', ')}.`)
    }
    if (tool.name === 'emails_batch_send') rules.push(`At most ${config.maxBatchSize} items per call.`)
    lines.push(rules.join(' '))
  }
  if (!tool.annotations.readOnlyHint) {
    lines.push('Pass `dry_run: true` to get the exact request without sending it.')
  }
  lines.push(`Needs the API scope ${operation.scopes.join(', ')}.`)
  return lines.join('\n\n')
}

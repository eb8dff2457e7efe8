/**
 * Which tools this server offers. The same decision hides a tool from `tools/list` and refuses it in
 * `tools/call`, so a model that guesses a hidden tool's name gets the same answer as the list implies,
 * plus the flag or scope that would change it.
 */
import type { ServerConfig } from './config.ts'
import { tools, type ToolDefinition } from './tools/catalog.ts'

export type RefusalCode = 'tool_disabled' | 'insufficient_scope' | 'sends_disabled'

export interface Refusal {
  readonly errorCode: RefusalCode
  readonly message: string
  readonly hint: string
  readonly requiredScopes: readonly string[]
}

export type Decision = { readonly enabled: true } | { readonly enabled: false; readonly refusal: Refusal }

/** Every scope some tool needs, in the spec's order. */
export function knownScopes(): string[] {
  return [...new Set(tools.flatMap((tool) => tool.operation.scopes))]
}

export function missingScopes(tool: ToolDefinition, granted: readonly string[] | undefined): string[] {
  if (granted === undefined) return []
  return tool.operation.scopes.filter((scope) => !granted.includes(scope))
}

/**
 * The order matters only for the hint: `--read-only` is checked first because nothing else can
 * re-enable a write tool under it.
 */
export function decide(tool: ToolDefinition, config: ServerConfig): Decision {
  const name = tool.name
  const refuse = (errorCode: RefusalCode, message: string, hint: string): Decision => ({
    enabled: false,
    refusal: { errorCode, message, hint, requiredScopes: tool.operation.scopes },
  })

  if (config.readOnly && !tool.annotations.readOnlyHint) {
    return refuse(
      'tool_disabled',
      `${name} changes data, and this server runs with --read-only.`,
      'Only read tools are available; the operator must restart the server without --read-only to allow changes.',
    )
  }
  if (config.toolsets && !config.toolsets.includes(tool.toolset)) {
    return refuse(
      'tool_disabled',
      `${name} belongs to the "${tool.toolset}" toolset, which is not enabled (--toolsets ${config.toolsets.join(',')}).`,
      `The operator must add "${tool.toolset}" to --toolsets to allow it.`,
    )
  }
  if (config.tools && !config.tools.includes(name)) {
    return refuse(
      'tool_disabled',
      `${name} is not in the server's --tools list.`,
      `The operator must add ${name} to --tools to allow it.`,
    )
  }
  if (config.excludeTools.includes(name)) {
    return refuse(
      'tool_disabled',
      `${name} is excluded by --exclude-tools.`,
      `The operator must remove ${name} from --exclude-tools to allow it.`,
    )
  }
  const missing = missingScopes(tool, config.scopes)
  if (missing.length > 0) {
    return {
      enabled: false,
      refusal: {
        errorCode: 'insufficient_scope',
        message: `${name} needs the scope ${missing.join(', ')}, which the server's API key does not have.`,
        hint: `Use an API key with ${missing.join(', ')} and add it to --scopes (SEGMENTFLOW_SCOPES).`,
        requiredScopes: missing,
      },
    }
  }
  if (tool.sends && !config.allowSends) {
    return refuse(
      'sends_disabled',
      `${name} sends email or starts Journeys, which is off by default.`,
      'The operator must restart the server with --allow-sends to allow it.',
    )
  }
  return { enabled: true }
}

export function enabledTools(config: ServerConfig): ToolDefinition[] {
  return tools.filter((tool) => decide(tool, config).enabled)
}

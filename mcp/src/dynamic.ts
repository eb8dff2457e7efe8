/**
 * `--tools-mode dynamic`: three meta-tools instead of one tool per operation, for hosts that run
 * several servers and pay for every tool schema on every turn. The model searches the operations,
 * reads one's schema when it needs it, and calls it by name. The call goes through the same Toolbox
 * as in static mode, so every filter, argument check and send rule holds at call time: an operation
 * this server does not offer is neither found, nor described, nor run.
 */
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js'
import { errorResult } from './results.ts'
import { withoutDefaults, type Toolbox } from './toolbox.ts'
import { findTool } from './tools/catalog.ts'

export const SEARCH = 'search_operations'
export const DESCRIBE = 'describe_operation'
export const CALL = 'call_operation'

const READ = withoutDefaults({ readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false })

export interface DynamicTools {
  list(): Tool[]
  call(name: string, args: unknown, signal?: AbortSignal): Promise<CallToolResult>
}

export function dynamicTools(toolbox: Toolbox): DynamicTools {
  const operations = toolbox.list()
  const listing: Tool[] = [
    {
      name: SEARCH,
      description: `Find operations of the SegmentFlow API this server offers (${operations.length}). Returns names and summaries; leave out \`query\` to list all.`,
      inputSchema: {
        type: 'object',
        properties: { query: { type: 'string', description: 'Words to match, e.g. "send email" or "brand kit".' } },
        additionalProperties: false,
      },
      outputSchema: { type: 'object', properties: { operations: { type: 'array' } }, required: ['operations'] },
      annotations: READ,
    },
    {
      name: DESCRIBE,
      description: `An operation's description, arguments (JSON Schema) and hints. Read it before ${CALL}.`,
      inputSchema: {
        type: 'object',
        properties: { name: { type: 'string', description: `An operation name from ${SEARCH}.` } },
        required: ['name'],
        additionalProperties: false,
      },
      outputSchema: { type: 'object', properties: { name: { type: 'string' }, inputSchema: { type: 'object' } }, required: ['name', 'inputSchema'] },
      annotations: READ,
    },
    {
      name: CALL,
      description:
        'Run an operation with its arguments. The same rules apply as to its own tool: sends need the operator\'s permission, recipients and senders are checked, write operations take `dry_run: true`.',
      inputSchema: {
        type: 'object',
        properties: {
          name: { type: 'string', description: `An operation name from ${SEARCH}.` },
          arguments: { type: 'object', description: `The arguments, as ${DESCRIBE} shows them.` },
        },
        required: ['name'],
        additionalProperties: false,
      },
      // No hints: whatever the operation, it may write, delete or send, which MCP's defaults assume.
    },
  ]

  const byName = new Map(operations.map((tool) => [tool.name, tool]))
  const unknown = (name: unknown): CallToolResult =>
    errorResult({
      errorCode: 'unknown_operation',
      message: `This server offers no operation named ${JSON.stringify(name)}.`,
      hint: `Call ${SEARCH} to find the operation names this server offers.`,
      requiredScopes: [],
    })

  return {
    list: () => listing,
    async call(name, args, signal) {
      const given = args !== null && typeof args === 'object' && !Array.isArray(args) ? (args as Record<string, unknown>) : {}
      if (name === SEARCH) {
        const words = String(given.query ?? '')
          .toLowerCase()
          .split(/[\s_,.]+/)
          .filter(Boolean)
        const matches = (text: string) => words.every((word) => text.toLowerCase().replace(/_/g, ' ').includes(word))
        // Words that name the operation rank first; the descriptions are searched when no name fits.
        const summaryOf = (tool: Tool) => findTool(tool.name)?.operation.summary ?? tool.name
        const named = operations.filter((tool) => matches(`${tool.name} ${summaryOf(tool)}`))
        const found = (named.length > 0 ? named : operations.filter((tool) => matches(`${tool.name} ${tool.description ?? ''}`))).map((tool) => ({
          name: tool.name,
          summary: summaryOf(tool),
          readOnly: tool.annotations?.readOnlyHint === true,
        }))
        const summary = found.length > 0 ? `${found.length} operations: ${found.map((tool) => tool.name).join(', ')}.` : 'No operation matches; try fewer words.'
        return structured(summary, { operations: found })
      }
      if (name === DESCRIBE) {
        const tool = byName.get(String(given.name))
        if (!tool) return unknown(given.name)
        const { name: toolName, description, inputSchema, outputSchema, annotations } = tool
        return structured(`${toolName}: ${description ?? ''}`, { name: toolName, description, inputSchema, outputSchema, annotations })
      }
      if (name === CALL) {
        // Any name goes to the toolbox, which refuses a hidden or unknown tool with its own audit line.
        if (typeof given.name !== 'string' || given.name === '') return unknown(given.name)
        return toolbox.call(given.name, given.arguments, signal)
      }
      // The operations themselves stay callable by name, under the same rules.
      return toolbox.call(name, args, signal)
    },
  }
}

function structured(summary: string, content: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: summary }, { type: 'text', text: JSON.stringify(content) }], structuredContent: content }
}

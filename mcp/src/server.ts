/**
 * The MCP server around a Toolbox. The low-level `Server` rather than `McpServer.registerTool`: the
 * tool list depends on the operator's policy, the input schemas are JSON Schema built from the
 * spec's zod schemas (see tools/input.ts), and a hidden tool must still get a useful refusal when
 * called by name, none of which `registerTool` lets us control.
 */
import { Protocol } from '@modelcontextprotocol/sdk/shared/protocol.js'
import { Server } from '@modelcontextprotocol/sdk/server/index.js'
import { ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js'
import * as z from 'zod'
import type { ServerConfig } from './config.ts'
import { dynamicTools } from './dynamic.ts'
import { INFERRED, type Toolbox } from './toolbox.ts'
import { VERSION } from './version.ts'

/**
 * `tools/call` with any `arguments`. The SDK's own schema answers `arguments: null` or a string with
 * a protocol error that most hosts never show the model; the toolbox answers it with a tool error
 * naming the problem, which the model reads and fixes.
 */
const LenientCallToolRequestSchema = z.object({
  method: z.literal('tools/call'),
  params: z.looseObject({ name: z.string(), arguments: z.unknown().optional() }),
})

export function createMcpServer(toolbox: Toolbox, config: ServerConfig): Server {
  const server = new Server(
    { name: 'segmentflow', title: 'SegmentFlow', version: VERSION },
    { capabilities: { tools: {} }, instructions: instructions(config) },
  )
  const dynamic = config.toolsMode === 'dynamic' ? dynamicTools(toolbox) : undefined
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: dynamic ? dynamic.list() : toolbox.list() }))
  // Protocol's registration, not Server's: Server re-checks every call against the strict schema.
  Protocol.prototype.setRequestHandler.call(server, LenientCallToolRequestSchema, (request, extra) =>
    dynamic
      ? dynamic.call(request.params.name, request.params.arguments, extra.signal)
      : toolbox.call(request.params.name, request.params.arguments, extra.signal),
  )
  return server
}

function instructions(config: ServerConfig): string {
  return [
    'Tools for one SegmentFlow.ai organization: profiles, email templates, assets, brand kits, transactional emails and events.',
    config.toolsMode === 'dynamic'
      ? 'Find an operation with search_operations, read its arguments with describe_operation, then run it with call_operation.'
      : '',
    'A result has the API response in `data`, a `requestId`, and where they apply `nextCursor` (the next page), `idempotencyKey` and `replayed` (a repeat that did nothing again).',
    'Write tools accept `dry_run: true`, which returns `dryRun` and the exact `request` without sending it.',
    config.allowSends
      ? 'Sending is enabled. A repeated send with the same arguments replays the first result instead of sending again; pass a new `idempotency_key` to send it again on purpose.'
      : 'Sending email and tracking events are disabled on this server.',
    config.readOnly ? 'This server is read-only.' : '',
    "A tool's `Scope:` is the API scope the server's key needs for it.",
    'Errors carry an `errorCode` and a `hint` saying what to change.',
    `A tool marked "${INFERRED}" calls an operation that SegmentFlow's API reference does not show: its arguments and result are inferred and may differ from the live API, so trust an error's message over the schema.`,
  ]
    .filter(Boolean)
    .join(' ')
}

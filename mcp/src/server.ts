/**
 * The MCP server around a Toolbox. The low-level `Server` rather than `McpServer.registerTool`: the
 * tool list depends on the operator's policy, the input schemas are JSON Schema built from the
 * spec's zod schemas (see tools/input.ts), and a hidden tool must still get a useful refusal when
 * called by name, none of which `registerTool` lets us control.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js'
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js'
import type { ServerConfig } from './config.ts'
import type { Toolbox } from './toolbox.ts'
import { VERSION } from './version.ts'

export function createMcpServer(toolbox: Toolbox, config: ServerConfig): Server {
  const server = new Server(
    { name: 'segmentflow', title: 'SegmentFlow', version: VERSION },
    { capabilities: { tools: {} }, instructions: instructions(config) },
  )
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: toolbox.list() }))
  server.setRequestHandler(CallToolRequestSchema, (request, extra) =>
    toolbox.call(request.params.name, request.params.arguments, extra.signal),
  )
  return server
}

function instructions(config: ServerConfig): string {
  return [
    'Tools for one SegmentFlow.ai organization: profiles, email templates, assets, brand kits, transactional emails and events.',
    'Write tools accept `dry_run: true`, which returns the exact request without sending it.',
    config.allowSends
      ? 'Sending is enabled. A repeated send with the same arguments replays the first result instead of sending again.'
      : 'Sending email and tracking events are disabled on this server.',
    config.readOnly ? 'This server is read-only.' : '',
    'Errors carry an `errorCode` and a `hint` saying what to change.',
  ]
    .filter(Boolean)
    .join(' ')
}

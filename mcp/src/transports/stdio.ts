/**
 * stdio, the transport desktop hosts (Claude Desktop, Cursor) start the server with. stdout belongs
 * to the protocol: everything else, the audit lines included, goes to stderr.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js'
import type { ServerConfig } from '../config.ts'
import { createMcpServer } from '../server.ts'
import type { Toolbox } from '../toolbox.ts'

/** Resolves when the host closes stdin (it quit, or restarted the server). */
export async function runStdio(toolbox: Toolbox, config: ServerConfig): Promise<void> {
  const server = createMcpServer(toolbox, config)
  const closed = new Promise<void>((resolve) => {
    server.onclose = resolve
    process.stdin.once('end', resolve)
    process.stdin.once('close', resolve)
  })
  await server.connect(new StdioServerTransport())
  await closed
  await server.close()
}

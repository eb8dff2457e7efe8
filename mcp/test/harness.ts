/**
 * An MCP client talking, in memory, to the server configured by real command-line flags, which
 * talks through the real SDK to an in-memory sandbox. Tests assert on what the model would see
 * (tool results) and on what SegmentFlow would see (the sandbox's state and request log).
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js'
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js'
import type { Fetch, Logger } from '@segmentflow/segmentflow-typescript'
import { createSandbox, type Sandbox, type SandboxOptions } from '@segmentflow/segmentflow-typescript/testing'
import type { AuditEntry } from '../src/audit.ts'
import { parseCommand, type ServerConfig } from '../src/config.ts'
import { SdkGateway } from '../src/sdk-gateway.ts'
import { createMcpServer } from '../src/server.ts'
import { Toolbox } from '../src/toolbox.ts'

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} }

export interface HarnessOptions {
  /** The API key the server uses; default the sandbox's full-access key. */
  readonly apiKey?: string
  readonly env?: Record<string, string>
  readonly sandbox?: SandboxOptions
  /** Wraps the sandbox's fetch (to fail it, or to watch it). */
  readonly fetch?: (sandboxFetch: Fetch) => Fetch
  /** Wall-clock milliseconds for the send quota. */
  readonly clock?: () => number
}

export interface Harness {
  readonly client: Client
  readonly sandbox: Sandbox
  readonly config: ServerConfig
  readonly audit: AuditEntry[]
  listTools(): Promise<Tool[]>
  call(name: string, args?: Record<string, unknown>): Promise<ToolCall>
  close(): Promise<void>
}

export interface ToolCall {
  readonly result: CallToolResult
  readonly isError: boolean
  /** `structuredContent`, typed loosely for assertions. */
  readonly structured: Record<string, any>
  /** The one-line summary (the first text block). */
  readonly summary: string
}

export async function startHarness(flags: string[] = [], options: HarnessOptions = {}): Promise<Harness> {
  const sandbox = createSandbox({ clock: 'manual', ...options.sandbox })
  const apiKey = options.apiKey ?? sandbox.apiKey
  const command = parseCommand(flags, { SEGMENTFLOW_API_KEY: apiKey, SEGMENTFLOW_BASE_URL: sandbox.baseURL, ...options.env })
  if (command.kind !== 'serve') throw new Error(`flags ${flags.join(' ')} do not start a server`)
  const audit: AuditEntry[] = []
  const sandboxFetch: Fetch = (input, init) => sandbox.fetch(input, init)
  const gateway = new SdkGateway({
    apiKey,
    baseURL: sandbox.baseURL,
    fetch: options.fetch ? options.fetch(sandboxFetch) : sandboxFetch,
    logger: silentLogger,
  })
  const toolbox = new Toolbox({
    config: command.config,
    gateway,
    audit: (entry) => audit.push(entry),
    ...(options.clock ? { clock: options.clock } : {}),
  })
  const server = createMcpServer(toolbox, command.config)
  const client = new Client({ name: 'mcp-test', version: '1.0.0' })
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair()
  await server.connect(serverTransport)
  await client.connect(clientTransport)

  return {
    client,
    sandbox,
    config: command.config,
    audit,
    async listTools() {
      return (await client.listTools()).tools
    },
    async call(name, args = {}) {
      const result = (await client.callTool({ name, arguments: args })) as CallToolResult
      const first = result.content[0]
      return {
        result,
        isError: result.isError === true,
        structured: (result.structuredContent ?? {}) as Record<string, any>,
        summary: first?.type === 'text' ? first.text : '',
      }
    },
    async close() {
      await client.close()
      await server.close()
    },
  }
}

/** Fails with the tool's own error text, which says far more than "expected true". */
export function expectOk(call: ToolCall): ToolCall {
  if (call.isError) throw new Error(`tool call failed: ${call.summary}`)
  return call
}

export const SEND_FLAGS = ['--allow-sends', '--from', 'Acme Receipts <receipts@example.com>']

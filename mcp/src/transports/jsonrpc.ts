/**
 * The JSON-RPC edges both transports share: which protocol versions carry batches, and the error
 * replies for a line or body that is not JSON, or not a message. The MCP SDK drops such input
 * without a word on stdio; a client then waits for an answer that never comes.
 */
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js'

/** JSON-RPC batches came with 2025-03-26 and went with 2025-06-18. */
const BATCH_VERSIONS = new Set(['2025-03-26'])

export function supportsBatches(protocolVersion: string | undefined): boolean {
  return protocolVersion !== undefined && BATCH_VERSIONS.has(protocolVersion)
}

export const PARSE_ERROR = -32700
export const INVALID_REQUEST = -32600

export interface ErrorReply {
  readonly jsonrpc: '2.0'
  readonly id: string | number | null
  readonly error: { readonly code: number; readonly message: string }
}

export function errorReply(id: string | number | null, code: number, message: string): ErrorReply {
  return { jsonrpc: '2.0', id, error: { code, message } }
}

export function batchRefusal(protocolVersion: string | undefined): ErrorReply {
  return errorReply(
    null,
    INVALID_REQUEST,
    protocolVersion === undefined
      ? 'Invalid Request: a batch before initialize; send initialize on its own.'
      : `Invalid Request: MCP ${protocolVersion} has no JSON-RPC batches; send one message at a time.`,
  )
}

/** A message, or the reply that says why it is not one. */
export function readMessage(value: unknown): { ok: true; message: JSONRPCMessage } | { ok: false; reply: ErrorReply } {
  const parsed = JSONRPCMessageSchema.safeParse(value)
  if (parsed.success) return { ok: true, message: parsed.data }
  const id = value !== null && typeof value === 'object' && 'id' in value ? (value as { id: unknown }).id : null
  return {
    ok: false,
    reply: errorReply(typeof id === 'string' || typeof id === 'number' ? id : null, INVALID_REQUEST, 'Invalid Request: not a JSON-RPC 2.0 message.'),
  }
}

export function parseError(error: unknown): ErrorReply {
  return errorReply(null, PARSE_ERROR, `Parse error: ${error instanceof Error ? error.message : String(error)}`)
}

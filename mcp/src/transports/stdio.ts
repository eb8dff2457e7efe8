/**
 * stdio, the transport desktop hosts (Claude Desktop, Cursor) start the server with. stdout belongs
 * to the protocol: everything else, the audit lines included, goes to stderr.
 *
 * Our own line transport rather than the SDK's: a line that is not JSON gets a parse error reply
 * instead of silence, and a JSON-RPC batch is answered with a batch where the negotiated protocol
 * version has them (2025-03-26) and refused where it does not.
 */
import type { Readable, Writable } from 'node:stream'
import { StringDecoder } from 'node:string_decoder'
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js'
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js'
import type { ServerConfig } from '../config.ts'
import { createMcpServer } from '../server.ts'
import type { Toolbox } from '../toolbox.ts'
import { batchRefusal, errorReply, INVALID_REQUEST, parseError, readMessage, supportsBatches, type ErrorReply } from './jsonrpc.ts'

type Id = string | number

/** The SDK's limit: a host that never sends a newline must not grow the buffer forever. */
const MAX_LINE_BYTES = 10 * 1024 * 1024

interface PendingBatch {
  readonly waiting: Set<Id>
  readonly replies: unknown[]
}

export class LineTransport implements Transport {
  onclose?: () => void
  onerror?: (error: Error) => void
  onmessage?: (message: JSONRPCMessage) => void

  readonly #input: Readable
  readonly #output: Writable
  #buffer = ''
  // A chunk may end inside a multi-byte character.
  readonly #decoder = new StringDecoder('utf8')
  #protocolVersion: string | undefined
  #initializeId: Id | undefined
  readonly #batches = new Map<Id, PendingBatch>()

  constructor(input: Readable, output: Writable) {
    this.#input = input
    this.#output = output
  }

  readonly #onData = (chunk: Buffer | string) => {
    this.#buffer += typeof chunk === 'string' ? chunk : this.#decoder.write(chunk)
    let newline = this.#buffer.indexOf('\n')
    while (newline !== -1) {
      const line = this.#buffer.slice(0, newline).replace(/\r$/, '')
      this.#buffer = this.#buffer.slice(newline + 1)
      if (line.trim() !== '') this.#onLine(line)
      newline = this.#buffer.indexOf('\n')
    }
    if (this.#buffer.length > MAX_LINE_BYTES) {
      this.#buffer = ''
      void this.#write(parseError(new Error(`a line longer than ${MAX_LINE_BYTES} bytes`)))
    }
  }

  readonly #onError = (error: Error) => this.onerror?.(error)

  async start(): Promise<void> {
    this.#input.on('data', this.#onData)
    this.#input.on('error', this.#onError)
  }

  async close(): Promise<void> {
    this.#input.off('data', this.#onData)
    this.#input.off('error', this.#onError)
    if (this.#input.listenerCount('data') === 0) this.#input.pause()
    this.onclose?.()
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const id = 'id' in message && ('result' in message || 'error' in message) ? (message.id as Id) : undefined
    if (id !== undefined && id === this.#initializeId && 'result' in message) {
      this.#protocolVersion = String((message.result as { protocolVersion?: unknown }).protocolVersion ?? '') || undefined
    }
    const batch = id === undefined ? undefined : this.#batches.get(id)
    if (batch && id !== undefined) {
      this.#batches.delete(id)
      batch.waiting.delete(id)
      batch.replies.push(message)
      if (batch.waiting.size === 0) await this.#write(batch.replies)
      return
    }
    await this.#write(message)
  }

  #onLine(line: string): void {
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch (error) {
      void this.#write(parseError(error))
      return
    }
    if (!Array.isArray(value)) {
      const read = readMessage(value)
      if (!read.ok) {
        void this.#write(read.reply)
        return
      }
      this.#deliver(read.message)
      return
    }
    if (!supportsBatches(this.#protocolVersion)) {
      void this.#write(batchRefusal(this.#protocolVersion))
      return
    }
    if (value.length === 0) {
      void this.#write(errorReply(null, INVALID_REQUEST, 'Invalid Request: an empty batch.'))
      return
    }
    this.#deliverBatch(value)
  }

  #deliverBatch(values: unknown[]): void {
    const batch: PendingBatch = { waiting: new Set(), replies: [] }
    const messages: JSONRPCMessage[] = []
    for (const value of values) {
      const read = readMessage(value)
      if (!read.ok) batch.replies.push(read.reply)
      else {
        messages.push(read.message)
        if ('method' in read.message && 'id' in read.message) {
          batch.waiting.add(read.message.id as Id)
          this.#batches.set(read.message.id as Id, batch)
        }
      }
    }
    for (const message of messages) this.#deliver(message)
    // Only notifications and broken members: nothing to wait for.
    if (batch.waiting.size === 0 && batch.replies.length > 0) void this.#write(batch.replies)
  }

  #deliver(message: JSONRPCMessage): void {
    if ('method' in message && message.method === 'initialize' && 'id' in message) this.#initializeId = message.id as Id
    this.onmessage?.(message)
  }

  #write(payload: JSONRPCMessage | ErrorReply | unknown[]): Promise<void> {
    return new Promise((resolve) => {
      if (this.#output.write(`${JSON.stringify(payload)}\n`)) resolve()
      else this.#output.once('drain', resolve)
    })
  }
}

/** Resolves when the host closes stdin (it quit, or restarted the server). */
export async function runStdio(toolbox: Toolbox, config: ServerConfig, input: Readable = process.stdin, output: Writable = process.stdout): Promise<void> {
  const server = createMcpServer(toolbox, config)
  const closed = new Promise<void>((resolve) => {
    server.onclose = resolve
    input.once('end', resolve)
    input.once('close', resolve)
  })
  await server.connect(new LineTransport(input, output))
  await closed
  await server.close()
}

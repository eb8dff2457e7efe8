/**
 * Streamable HTTP on `/mcp`, stateless: every POST gets a fresh MCP server over the same toolbox, so
 * no session state can leak between hosts and a restart loses nothing. Bound to 127.0.0.1 unless the
 * operator says otherwise, and every request must carry a bearer token: a local port is reachable
 * from any process on the machine, and from a browser tab through DNS rebinding. Against rebinding
 * both headers count: `Origin` (which page sent it) and `Host` (which name the browser resolved).
 *
 * With `--byok` the bearer token is the client's own SegmentFlow API key: each request gets a
 * gateway of its own for that key, and nothing about one request's key is kept for the next.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import { DEFAULT_NEGOTIATED_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js'
import { isLoopback, type ServerConfig, type TransportConfig } from '../config.ts'
import type { Gateway } from '../gateway.ts'
import { createMcpServer } from '../server.ts'
import type { Toolbox } from '../toolbox.ts'
import { batchRefusal, parseError, supportsBatches } from './jsonrpc.ts'

export const MCP_PATH = '/mcp'
/** JSON-RPC bodies are small; a client that sends megabytes is not an MCP host. */
const MAX_BODY_BYTES = 4 * 1024 * 1024

export interface RunningHttpServer {
  /** `http://127.0.0.1:<port>/mcp` */
  readonly url: string
  readonly port: number
  close(): Promise<void>
}

export interface HttpOptions {
  readonly onError?: (error: unknown) => void
  /** `--byok`: the gateway for one client's key. */
  readonly gatewayFor?: (apiKey: string) => Gateway
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest()
}

function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer[ ]+(.+)$/i.exec(header ?? '')
  const token = match?.[1]?.trim()
  return token ? token : undefined
}

/** Compares hashes so that neither the length nor a common prefix of the token leaks through timing. */
export function tokenMatches(header: string | undefined, token: string): boolean {
  const given = bearer(header)
  return given !== undefined && timingSafeEqual(digest(given), digest(token))
}

/** Browsers send `Origin`; only pages served from this machine may talk to a local MCP server. */
function originAllowed(origin: string | undefined): boolean {
  if (origin === undefined) return true
  try {
    return isLoopback(new URL(origin).hostname)
  } catch {
    return false
  }
}

/**
 * The `Host` a client addressed. A rebinding page reaches 127.0.0.1 under its own name
 * (`evil.example:3333`), which no allowed name matches.
 */
export function hostAllowed(host: string | undefined, transport: TransportConfig): boolean {
  if (!host) return false
  const value = host.toLowerCase()
  let name: string
  try {
    name = new URL(`http://${value}`).hostname
  } catch {
    return false
  }
  if (isLoopback(name)) return true
  const bound = transport.host.toLowerCase()
  if (name === bound && bound !== '0.0.0.0' && bound !== '::' && bound !== '[::]') return true
  return transport.allowedHosts.some((allowed) => allowed === value || allowed === name)
}

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(JSON.stringify(body))
}

function reject(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  reply(res, status, { jsonrpc: '2.0', error: { code: -32000, message }, id: null }, headers)
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_BODY_BYTES) return undefined
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

export async function startHttpServer(
  toolbox: Toolbox,
  config: ServerConfig,
  transport: TransportConfig,
  options: HttpOptions = {},
): Promise<RunningHttpServer> {
  const token = transport.httpToken
  if (!transport.byok && !token) throw new Error('The HTTP transport needs a bearer token')
  if (transport.byok && !options.gatewayFor) throw new Error('--byok needs a gateway per key')

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname
    if (!hostAllowed(req.headers.host, transport)) return reject(res, 403, 'Forbidden host')
    if (path !== MCP_PATH) return reject(res, 404, `Not found: the MCP endpoint is ${MCP_PATH}`)
    if (!originAllowed(req.headers.origin)) return reject(res, 403, 'Forbidden origin')
    const challenge = { 'www-authenticate': 'Bearer realm="segmentflow-mcp"' }
    let tenant = toolbox
    if (transport.byok) {
      const apiKey = bearer(req.headers.authorization)
      if (!apiKey) return reject(res, 401, 'Missing bearer token: send your SegmentFlow API key as "Authorization: Bearer <key>"', challenge)
      tenant = toolbox.forTenant(options.gatewayFor!(apiKey), digest(apiKey).toString('hex'))
    } else if (!tokenMatches(req.headers.authorization, token!)) {
      return reject(res, 401, 'Missing or invalid bearer token', challenge)
    }
    // Stateless: there is no session to resume (GET) or end (DELETE).
    if (req.method !== 'POST') return reject(res, 405, 'Method not allowed: POST JSON-RPC messages to this endpoint', { allow: 'POST' })

    const text = await readBody(req)
    if (text === undefined) return reject(res, 413, `Request body over ${MAX_BODY_BYTES} bytes`)
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch (error) {
      return reply(res, 400, parseError(error))
    }
    if (Array.isArray(body)) {
      // Over HTTP the version travels in a header; without it, the spec says to assume 2025-03-26.
      const header = req.headers['mcp-protocol-version']
      const version = typeof header === 'string' ? header : DEFAULT_NEGOTIATED_PROTOCOL_VERSION
      const initializing = body.some((message) => (message as { method?: unknown } | null)?.method === 'initialize')
      if (initializing || !supportsBatches(version)) return reply(res, 400, batchRefusal(initializing ? undefined : version))
    }

    const mcp = createMcpServer(tenant, config)
    const http = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true })
    res.on('close', () => {
      void http.close()
      void mcp.close()
    })
    await mcp.connect(http)
    await http.handleRequest(req, res, body)
  }

  const server: HttpServer = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.onError?.(error)
      if (!res.headersSent) reject(res, 500, 'Internal server error')
      else res.end()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(transport.port, transport.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  const host = transport.host.includes(':') ? `[${transport.host}]` : transport.host
  return {
    url: `http://${host}:${port}${MCP_PATH}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      }),
  }
}

/**
 * Streamable HTTP on `/mcp`, stateless: every POST gets a fresh MCP server over the same toolbox, so
 * no session state can leak between hosts and a restart loses nothing. Bound to 127.0.0.1 unless the
 * operator says otherwise, and every request must carry the operator's bearer token: a local port is
 * reachable from any process on the machine, and from a browser tab through DNS rebinding.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import { isLoopback, type ServerConfig, type TransportConfig } from '../config.ts'
import { createMcpServer } from '../server.ts'
import type { Toolbox } from '../toolbox.ts'

export const MCP_PATH = '/mcp'

export interface RunningHttpServer {
  /** `http://127.0.0.1:<port>/mcp` */
  readonly url: string
  readonly port: number
  close(): Promise<void>
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest()
}

/** Compares hashes so that neither the length nor a common prefix of the token leaks through timing. */
export function tokenMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer[ ]+(.+)$/i.exec(header ?? '')
  return match !== null && timingSafeEqual(digest(match[1]!.trim()), digest(token))
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

function reject(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }))
}

export async function startHttpServer(
  toolbox: Toolbox,
  config: ServerConfig,
  transport: TransportConfig,
  onError: (error: unknown) => void = () => {},
): Promise<RunningHttpServer> {
  const token = transport.httpToken
  if (!token) throw new Error('The HTTP transport needs a bearer token')

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname
    if (path !== MCP_PATH) return reject(res, 404, `Not found: the MCP endpoint is ${MCP_PATH}`)
    if (!originAllowed(req.headers.origin)) return reject(res, 403, 'Forbidden origin')
    if (!tokenMatches(req.headers.authorization, token)) {
      return reject(res, 401, 'Missing or invalid bearer token', { 'www-authenticate': 'Bearer realm="segmentflow-mcp"' })
    }
    // Stateless: there is no session to resume (GET) or end (DELETE).
    if (req.method !== 'POST') return reject(res, 405, 'Method not allowed: POST JSON-RPC messages to this endpoint', { allow: 'POST' })

    const mcp = createMcpServer(toolbox, config)
    const http = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true })
    res.on('close', () => {
      void http.close()
      void mcp.close()
    })
    await mcp.connect(http)
    await http.handleRequest(req, res)
  }

  const server: HttpServer = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      onError(error)
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

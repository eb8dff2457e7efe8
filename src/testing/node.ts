/**
 * `@segmentflow/segmentflow-typescript/testing/node`: serves a sandbox over real HTTP with `node:http`.
 * The only module of the sandbox that imports `node:` (the rest is Web-standard). It converts Node's
 * request to a Web `Request`, the sandbox's `Response` back, and destroys the socket when the sandbox
 * answers `Response.error()` (a dropped-connection fault), so clients see a real ECONNRESET.
 *
 *   const server = await listen(createSandbox())
 *   // server.url === 'http://127.0.0.1:<port>'
 *   await server.close()
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Sandbox } from './sandbox.ts'

export interface ListenOptions {
  /** 0 (the default) picks a free port. */
  port?: number
  /** Default 127.0.0.1: the sandbox is for this machine only. */
  host?: string
}

export interface RunningSandbox {
  /** `http://127.0.0.1:<port>`, the base URL to give a client. */
  readonly url: string
  readonly port: number
  /** Stops listening and drops open connections. */
  close(): Promise<void>
}

async function toRequest(req: IncomingMessage, fallbackHost: string): Promise<Request> {
  const url = `http://${req.headers.host ?? fallbackHost}${req.url ?? '/'}`
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue
    headers.set(name, Array.isArray(value) ? value.join(', ') : value)
  }
  const method = req.method ?? 'GET'
  if (method === 'GET' || method === 'HEAD') return new Request(url, { method, headers })
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const body = Buffer.concat(chunks)
  return new Request(url, { method, headers, body: body.length > 0 ? new Uint8Array(body) : null })
}

async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string> = {}
  response.headers.forEach((value, name) => {
    headers[name] = value
  })
  const body = Buffer.from(await response.arrayBuffer())
  if (!('content-length' in headers) && response.status !== 204) headers['content-length'] = String(body.length)
  res.writeHead(response.status, headers)
  res.end(body)
}

export function listen(sandbox: Pick<Sandbox, 'handle'>, options: ListenOptions = {}): Promise<RunningSandbox> {
  const host = options.host ?? '127.0.0.1'
  const server = createServer((req, res) => {
    const address = server.address() as AddressInfo
    void (async () => {
      try {
        const response = await sandbox.handle(await toRequest(req, `${host}:${address.port}`))
        if (response.type === 'error') {
          req.socket.destroy()
          return
        }
        await writeResponse(res, response)
      } catch (error) {
        // A sandbox bug (or a SandboxContractError): say so loudly, answer 500 like a server would.
        console.error('[segmentflow sandbox]', error)
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' })
          res.end(JSON.stringify({ error: 'internal_error', message: `The sandbox failed: ${(error as Error).message}` }))
        } else {
          res.destroy()
        }
      }
    })()
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      const { port } = server.address() as AddressInfo
      let closing: Promise<void> | undefined
      resolve({
        url: `http://${host}:${port}`,
        port,
        // Idempotent, so a test's afterEach can close a server the test already closed.
        close: () =>
          (closing ??= new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()))
            server.closeAllConnections()
          })),
      })
    })
  })
}

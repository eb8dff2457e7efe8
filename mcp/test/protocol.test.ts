// The JSON-RPC edges, as a host's bytes meet them: over stdio (our line transport, fed line by line)
// a line that is not JSON gets a parse error and a batch is answered or refused by the negotiated
// version; over HTTP the same for batches, and a request for another Host name is refused.
import { PassThrough } from 'node:stream'
import { createSandbox } from '@segmentflow/segmentflow-typescript/testing'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { parseCommand, type ServerConfig } from '../src/config.ts'
import { SdkGateway } from '../src/sdk-gateway.ts'
import { Toolbox } from '../src/toolbox.ts'
import { startHttpServer, type RunningHttpServer } from '../src/transports/http.ts'
import { runStdio } from '../src/transports/stdio.ts'
import { silentLogger } from './harness.ts'

function toolboxFor(flags: string[], env: Record<string, string> = {}): { toolbox: Toolbox; command: ReturnType<typeof parseCommand> } {
  const sandbox = createSandbox({ clock: 'manual' })
  const command = parseCommand(flags, { SEGMENTFLOW_API_KEY: sandbox.apiKey, SEGMENTFLOW_BASE_URL: sandbox.baseURL, ...env })
  if (command.kind !== 'serve') throw new Error('expected serve')
  const gateway = new SdkGateway({ apiKey: sandbox.apiKey, baseURL: sandbox.baseURL, fetch: sandbox.fetch, logger: silentLogger })
  return { toolbox: new Toolbox({ config: command.config, gateway, audit: () => {} }), command }
}

const initialize = (id: number, protocolVersion: string) => ({
  jsonrpc: '2.0',
  id,
  method: 'initialize',
  params: { protocolVersion, capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
})

/** The server on a pair of pipes: write lines, read the replies one line each. */
class StdioSession {
  readonly input = new PassThrough()
  readonly output = new PassThrough()
  readonly #lines: string[] = []
  readonly #waiters: ((line: string) => void)[] = []
  #buffer = ''
  readonly done: Promise<void>

  constructor(config: ServerConfig, toolbox: Toolbox) {
    this.output.on('data', (chunk: Buffer) => {
      this.#buffer += chunk.toString()
      for (let index = this.#buffer.indexOf('\n'); index !== -1; index = this.#buffer.indexOf('\n')) {
        const line = this.#buffer.slice(0, index)
        this.#buffer = this.#buffer.slice(index + 1)
        const waiter = this.#waiters.shift()
        if (waiter) waiter(line)
        else this.#lines.push(line)
      }
    })
    this.done = runStdio(toolbox, config, this.input, this.output)
  }

  send(text: string): void {
    this.input.write(`${text}\n`)
  }

  next(): Promise<any> {
    const line = this.#lines.shift()
    if (line !== undefined) return Promise.resolve(JSON.parse(line))
    return new Promise((resolve) => this.#waiters.push((text) => resolve(JSON.parse(text))))
  }

  async close(): Promise<void> {
    this.input.end()
    await this.done
  }
}

describe('stdio', () => {
  let session: StdioSession
  afterEach(() => session.close())

  function open(): StdioSession {
    const { toolbox, command } = toolboxFor([])
    if (command.kind !== 'serve') throw new Error('expected serve')
    session = new StdioSession(command.config, toolbox)
    return session
  }

  it('answers a line that is not JSON with a parse error, and carries on', async () => {
    open()
    session.send('{"jsonrpc":"2.0","id":1,"method":"tools/list"')
    expect(await session.next()).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700, message: expect.stringContaining('Parse error') } })
    session.send(JSON.stringify(initialize(2, '2025-06-18')))
    expect(await session.next()).toMatchObject({ id: 2, result: { protocolVersion: '2025-06-18' } })
  })

  it('answers JSON that is no JSON-RPC message with Invalid Request, keeping its id', async () => {
    open()
    session.send(JSON.stringify({ id: 7, hello: 'world' }))
    expect(await session.next()).toMatchObject({ id: 7, error: { code: -32600 } })
  })

  it('refuses a batch where the negotiated version has none', async () => {
    open()
    session.send(JSON.stringify([{ jsonrpc: '2.0', id: 1, method: 'ping' }]))
    expect(await session.next()).toMatchObject({ id: null, error: { code: -32600, message: expect.stringContaining('before initialize') } })
    session.send(JSON.stringify(initialize(2, '2025-06-18')))
    await session.next()
    session.send(JSON.stringify([{ jsonrpc: '2.0', id: 3, method: 'ping' }, { jsonrpc: '2.0', id: 4, method: 'tools/list' }]))
    expect(await session.next()).toMatchObject({ id: null, error: { code: -32600, message: expect.stringContaining('2025-06-18 has no JSON-RPC batches') } })
  })

  it('answers a batch with a batch under 2025-03-26', async () => {
    open()
    session.send(JSON.stringify(initialize(1, '2025-03-26')))
    expect(await session.next()).toMatchObject({ id: 1, result: { protocolVersion: '2025-03-26' } })
    session.send(
      JSON.stringify([
        { jsonrpc: '2.0', method: 'notifications/initialized' },
        { jsonrpc: '2.0', id: 'a', method: 'ping' },
        { jsonrpc: '2.0', id: 'b', method: 'tools/list' },
        { nonsense: true },
      ]),
    )
    const replies = await session.next()
    expect(Array.isArray(replies)).toBe(true)
    expect(replies).toHaveLength(3)
    expect(replies).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'a', result: {} }),
        expect.objectContaining({ id: 'b', result: expect.objectContaining({ tools: expect.any(Array) }) }),
        expect.objectContaining({ id: null, error: expect.objectContaining({ code: -32600 }) }),
      ]),
    )
  })
})

describe('HTTP', () => {
  const token = 'protocol-test-token-0123456789'
  let server: RunningHttpServer

  beforeAll(async () => {
    const { toolbox, command } = toolboxFor(['--transport', 'http', '--port', '0', '--allowed-hosts', 'mcp.acme.internal'], { SEGMENTFLOW_MCP_HTTP_TOKEN: token })
    if (command.kind !== 'serve') throw new Error('expected serve')
    server = await startHttpServer(toolbox, command.config, command.transport)
  })
  afterAll(() => server.close())

  const post = async (body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${token}`, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })
    return { status: response.status, body: (await response.json()) as any }
  }

  it('answers a body that is not JSON with a parse error', async () => {
    expect(await post('{"jsonrpc":')).toMatchObject({ status: 400, body: { error: { code: -32700 } } })
  })

  it('refuses a batch under 2025-06-18, answers one under 2025-03-26', async () => {
    const batch = [
      { jsonrpc: '2.0', id: 1, method: 'ping' },
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
    ]
    expect(await post(batch, { 'mcp-protocol-version': '2025-06-18' })).toMatchObject({ status: 400, body: { error: { code: -32600 } } })
    expect(await post(batch, { 'mcp-protocol-version': '2025-11-25' })).toMatchObject({ status: 400 })
    const old = await post(batch, { 'mcp-protocol-version': '2025-03-26' })
    expect(old.status).toBe(200)
    expect(old.body).toEqual(expect.arrayContaining([expect.objectContaining({ id: 1 }), expect.objectContaining({ id: 2 })]))
  })

  it('refuses initialize inside a batch', async () => {
    expect(await post([initialize(1, '2025-03-26')])).toMatchObject({ status: 400, body: { error: { code: -32600 } } })
  })

  it('checks Host as well as Origin: a rebinding page reaches 127.0.0.1 under its own name', async () => {
    const { port } = server
    const ok = { jsonrpc: '2.0', id: 1, method: 'ping' }
    // fetch sets Host from the URL; node:http lets us send another one, as a rebinding browser does.
    const withHost = (host: string) =>
      new Promise<number>((resolve, reject) => {
        import('node:http').then(({ request }) => {
          const req = request(
            { host: '127.0.0.1', port, path: '/mcp', method: 'POST', headers: { host, 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${token}`, 'mcp-protocol-version': '2025-06-18' } },
            (res) => {
              res.resume()
              resolve(res.statusCode ?? 0)
            },
          )
          req.on('error', reject)
          req.end(JSON.stringify(ok))
        }, reject)
      })
    expect(await withHost(`evil.example:${port}`)).toBe(403)
    expect(await withHost(`127.0.0.1.evil.example:${port}`)).toBe(403)
    expect(await withHost(`localhost:${port}`)).toBe(200)
    expect(await withHost(`127.0.0.1:${port}`)).toBe(200)
    expect(await withHost('mcp.acme.internal')).toBe(200)
  })
})

// Streamable HTTP in process: a client with the operator's token gets the tools; without it, with a
// wrong one, from a foreign web page, or on another path, it gets nothing.
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { createSandbox, SEED } from '@segmentflow/segmentflow-typescript/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AuditEntry } from '../src/audit.ts'
import { parseCommand } from '../src/config.ts'
import { SdkGateway } from '../src/sdk-gateway.ts'
import { Toolbox } from '../src/toolbox.ts'
import { startHttpServer, tokenMatches, type RunningHttpServer } from '../src/transports/http.ts'
import { silentLogger } from './harness.ts'

const token = 'test-token-0123456789abcdef'
const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'curl', version: '1' } },
}

describe('the HTTP transport', () => {
  let server: RunningHttpServer
  const sandbox = createSandbox({ clock: 'manual' })
  const audit: AuditEntry[] = []

  beforeAll(async () => {
    const command = parseCommand(['--transport', 'http', '--port', '0', '--read-only'], {
      SEGMENTFLOW_API_KEY: sandbox.apiKey,
      SEGMENTFLOW_BASE_URL: sandbox.baseURL,
      SEGMENTFLOW_MCP_HTTP_TOKEN: token,
    })
    if (command.kind !== 'serve') throw new Error('expected serve')
    const gateway = new SdkGateway({ apiKey: sandbox.apiKey, baseURL: sandbox.baseURL, fetch: sandbox.fetch, logger: silentLogger })
    const toolbox = new Toolbox({ config: command.config, gateway, audit: (entry) => audit.push(entry) })
    server = await startHttpServer(toolbox, command.config, command.transport)
  })
  afterAll(() => server.close())

  const post = (headers: Record<string, string>, body: unknown = initialize, path = '/mcp') =>
    fetch(new URL(path, server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
      body: JSON.stringify(body),
    })

  it('listens on 127.0.0.1 by default', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/)
  })

  it('serves an MCP client that sends the bearer token', async () => {
    const client = new Client({ name: 'http-test', version: '1.0.0' })
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }))
    try {
      const tools = (await client.listTools()).tools.map((tool) => tool.name)
      expect(tools).toContain('templates_list')
      expect(tools).not.toContain('templates_delete')
      const result = (await client.callTool({ name: 'templates_retrieve', arguments: { id: SEED.templates.receipt.id } })) as CallToolResult
      expect(result.isError).toBeFalsy()
      expect(result.structuredContent).toMatchObject({ data: { key: 'receipt-default' } })
      // Refused at call time over HTTP too.
      const refused = (await client.callTool({ name: 'templates_delete', arguments: { id: SEED.templates.receipt.id } })) as CallToolResult
      expect(refused.structuredContent).toMatchObject({ errorCode: 'tool_disabled' })
      expect(sandbox.state.templates.has(SEED.templates.receipt.id)).toBe(true)
      expect(audit.map((entry) => entry.outcome)).toEqual(['ok', 'refused'])
    } finally {
      await client.close()
    }
  })

  it('refuses a client without the token', async () => {
    const response = await post({})
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toContain('Bearer')
    expect(await response.json()).toMatchObject({ error: { message: expect.stringContaining('bearer token') } })

    const client = new Client({ name: 'http-test', version: '1.0.0' })
    await expect(client.connect(new StreamableHTTPClientTransport(new URL(server.url)))).rejects.toThrow()
  })

  it('refuses a wrong token, and a token sent as something else', async () => {
    expect((await post({ authorization: `Bearer ${token}x` })).status).toBe(401)
    expect((await post({ authorization: `Basic ${token}` })).status).toBe(401)
    expect((await post({ authorization: token })).status).toBe(401)
  })

  it('answers initialize for the right token', async () => {
    const response = await post({ authorization: `Bearer ${token}` })
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ result: { serverInfo: { name: 'segmentflow' } } })
  })

  it('refuses requests from a web page on another origin, token or not', async () => {
    expect((await post({ authorization: `Bearer ${token}`, origin: 'https://evil.example' })).status).toBe(403)
    expect((await post({ authorization: `Bearer ${token}`, origin: 'http://localhost:6274' })).status).toBe(200)
  })

  it('has one endpoint, for POST', async () => {
    expect((await post({ authorization: `Bearer ${token}` }, initialize, '/')).status).toBe(404)
    const get = await fetch(server.url, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } })
    expect(get.status).toBe(405)
  })

  it('compares tokens exactly', () => {
    expect(tokenMatches(`Bearer ${token}`, token)).toBe(true)
    expect(tokenMatches(`bearer   ${token}`, token)).toBe(true)
    expect(tokenMatches(`Bearer ${token.slice(0, -1)}`, token)).toBe(false)
    expect(tokenMatches(undefined, token)).toBe(false)
    expect(tokenMatches('Bearer ', token)).toBe(false)
  })
})

describe('the HTTP transport with --byok', () => {
  const keys = { a: 'sk_test_byok_client_a_0123456789', b: 'sk_test_byok_client_b_0123456789' }
  const sandbox = createSandbox({
    clock: 'manual',
    apiKeys: [
      { key: keys.a, scopes: ['templates:read', 'templates:write'] },
      { key: keys.b, scopes: ['templates:read'] },
    ],
  })
  let server: RunningHttpServer

  beforeAll(async () => {
    const command = parseCommand(['--transport', 'http', '--port', '0', '--byok'], { SEGMENTFLOW_BASE_URL: sandbox.baseURL })
    if (command.kind !== 'serve') throw new Error('expected serve')
    const unused = { call: () => Promise.reject(new Error('unused')), render: () => Promise.reject(new Error('unused')) }
    const toolbox = new Toolbox({ config: command.config, gateway: unused, audit: () => {} })
    server = await startHttpServer(toolbox, command.config, command.transport, {
      gatewayFor: (apiKey) => new SdkGateway({ apiKey, baseURL: sandbox.baseURL, fetch: sandbox.fetch, logger: silentLogger }),
    })
  })
  afterAll(() => server.close())

  const connect = async (key: string) => {
    const client = new Client({ name: `byok-${key.slice(-4)}`, version: '1.0.0' })
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: { Authorization: `Bearer ${key}` } } }))
    return client
  }

  it('needs no key of its own, and refuses one', () => {
    expect(() => parseCommand(['--transport', 'http', '--byok'], { SEGMENTFLOW_API_KEY: 'sk_test_x' })).toThrow(/holds no API key/)
    expect(() => parseCommand(['--byok'], {})).toThrow(/--transport http/)
  })

  it("sends each client's calls with that client's key, never the other's, even interleaved", async () => {
    const [a, b] = await Promise.all([connect(keys.a), connect(keys.b)])
    try {
      const calls = Array.from({ length: 6 }, (_, index) => {
        const client = index % 2 === 0 ? a : b
        return client.callTool({ name: 'templates_retrieve', arguments: { id: SEED.templates.receipt.id } }) as Promise<CallToolResult>
      })
      const results = await Promise.all(calls)
      for (const result of results) expect(result.isError, JSON.stringify(result.content)).toBeFalsy()
      const requestIds = results.map((result) => (result.structuredContent as { requestId: string }).requestId)
      const byId = new Map(sandbox.state.requests.map((request) => [request.requestId, request.headers['x-api-key']]))
      expect(requestIds.map((id) => byId.get(id))).toEqual([keys.a, keys.b, keys.a, keys.b, keys.a, keys.b])

      // Client b's key lacks templates:write: its write fails with its own scopes, while a's goes through.
      const denied = (await b.callTool({ name: 'templates_create', arguments: { name: 'From b' } })) as CallToolResult
      expect(denied.structuredContent).toMatchObject({ errorCode: 'insufficient_scope', status: 403 })
      const created = (await a.callTool({ name: 'templates_create', arguments: { name: 'From a' } })) as CallToolResult
      expect(created.isError).toBeFalsy()
      expect(JSON.stringify([denied, created])).not.toMatch(/sk_test_byok/)
    } finally {
      await Promise.all([a.close(), b.close()])
    }
  })

  it('refuses a client without a key, and reports a wrong key as the API does', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify(initialize),
    })
    expect(response.status).toBe(401)
    const stranger = await connect('sk_test_not_a_key_0123456789')
    try {
      const result = (await stranger.callTool({ name: 'templates_list', arguments: {} })) as CallToolResult
      expect(result.structuredContent).toMatchObject({ errorCode: 'unauthorized', status: 401 })
      expect(JSON.stringify(result)).not.toContain('sk_test_not_a_key_0123456789')
    } finally {
      await stranger.close()
    }
  })
})

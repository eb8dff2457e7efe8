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

// The built `segmentflow-mcp` bin, spawned as a host would: over stdio against the embedded sandbox,
// and over HTTP with and without the token. Builds the SDK and this package first (only what is stale).
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'

const mcpDir = fileURLToPath(new URL('..', import.meta.url))
const bin = fileURLToPath(new URL('../dist/cli.js', import.meta.url))
const prepare = fileURLToPath(new URL('../scripts/prepare.mjs', import.meta.url))

/** The parent's environment minus every SEGMENTFLOW_ setting, so the developer's shell cannot leak in. */
function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !name.startsWith('SEGMENTFLOW_')) env[name] = value
  }
  return { ...env, ...extra }
}

async function runToEnd(args: string[], env: Record<string, string> = cleanEnv()) {
  const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => (stdout += chunk))
  child.stderr.on('data', (chunk) => (stderr += chunk))
  const [code] = (await once(child, 'exit')) as [number | null]
  return { code, stdout, stderr }
}

beforeAll(async () => {
  const build = spawn(process.execPath, [prepare, '--if-stale'], { cwd: mcpDir, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  build.stdout.on('data', (chunk) => (output += chunk))
  build.stderr.on('data', (chunk) => (output += chunk))
  const [code] = (await once(build, 'exit')) as [number | null]
  if (code !== 0) throw new Error(`building the bin failed:\n${output}`)
})

describe('the segmentflow-mcp bin', () => {
  let child: ChildProcess | undefined
  afterEach(() => {
    child?.kill('SIGKILL')
    child = undefined
  })

  it('serves the sandbox over stdio, with an audit line per call on stderr', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [bin, '--sandbox', '--allow-sends', '--toolsets', 'emails,templates'],
      env: cleanEnv(),
      stderr: 'pipe',
    })
    let stderr = ''
    transport.stderr?.on('data', (chunk) => (stderr += chunk))
    const client = new Client({ name: 'bin-test', version: '1.0.0' })
    await client.connect(transport)
    try {
      expect(client.getServerVersion()).toMatchObject({ name: 'segmentflow' })
      const tools = (await client.listTools()).tools.map((tool) => tool.name)
      expect(tools.sort()).toEqual(
        ['emails_batch_send', 'emails_retrieve', 'emails_send', 'templates_archive', 'templates_create', 'templates_delete', 'templates_duplicate', 'templates_list', 'templates_retrieve', 'templates_unarchive', 'templates_update'].sort(),
      )
      const args = { templateKey: 'receipt-default', to: { email: 'alex@example.com' } }
      const first = (await client.callTool({ name: 'emails_send', arguments: args })) as CallToolResult
      const second = (await client.callTool({ name: 'emails_send', arguments: args })) as CallToolResult
      expect(first.isError).toBeFalsy()
      expect((second.structuredContent as { data: { id: string } }).data.id).toBe((first.structuredContent as { data: { id: string } }).data.id)
      expect(second.structuredContent).toMatchObject({ replayed: true })
      const refused = (await client.callTool({ name: 'profiles_list', arguments: {} })) as CallToolResult
      expect(refused.structuredContent).toMatchObject({ errorCode: 'tool_disabled' })
    } finally {
      await client.close()
    }
    expect(stderr).toContain('serving 11 tools over stdio against the embedded sandbox')
    const audit = stderr.split('\n').filter((line) => line.startsWith('segmentflow-mcp audit '))
    expect(audit.map((line) => JSON.parse(line.slice('segmentflow-mcp audit '.length)).outcome)).toEqual(['ok', 'replayed', 'refused'])
    expect(stderr).not.toContain('sk_test_')
  })

  it('serves HTTP to a client with the token, and refuses one without', async () => {
    const token = 'bin-test-token-0123456789'
    child = spawn(process.execPath, [bin, '--sandbox', '--transport', 'http', '--port', '0'], {
      env: cleanEnv({ SEGMENTFLOW_MCP_HTTP_TOKEN: token }),
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    const url = await new Promise<string>((resolve, reject) => {
      let stderr = ''
      child!.stderr!.on('data', (chunk) => {
        stderr += chunk
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(stderr)
        if (match) resolve(match[1]!)
      })
      child!.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)))
    })

    const anonymous = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    })
    expect(anonymous.status).toBe(401)

    const client = new Client({ name: 'bin-http-test', version: '1.0.0' })
    await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }))
    try {
      const result = (await client.callTool({ name: 'templates_list', arguments: {} })) as CallToolResult
      expect(result.isError).toBeFalsy()
      expect(result.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining('List templates: 3 returned') })
    } finally {
      await client.close()
    }

    child.kill('SIGTERM')
    const [code] = (await once(child, 'exit')) as [number | null]
    expect(code).toBe(0)
  })

  it('answers a malformed stdio line with a parse error and reports its own version', async () => {
    child = spawn(process.execPath, [bin, '--sandbox'], { env: cleanEnv(), stdio: ['pipe', 'pipe', 'ignore'] })
    const lines: string[] = []
    let buffer = ''
    const next = () =>
      new Promise<any>((resolve) => {
        const check = () => {
          const line = lines.shift()
          if (line !== undefined) resolve(JSON.parse(line))
          else setImmediate(check)
        }
        check()
      })
    child.stdout!.on('data', (chunk) => {
      buffer += chunk
      for (let index = buffer.indexOf('\n'); index !== -1; index = buffer.indexOf('\n')) {
        lines.push(buffer.slice(0, index))
        buffer = buffer.slice(index + 1)
      }
    })
    child.stdin!.write('this is not json\n')
    expect(await next()).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } })
    child.stdin!.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } })}\n`)
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
    expect(await next()).toMatchObject({ id: 1, result: { serverInfo: { name: 'segmentflow', version } } })
    expect(version).not.toBe('0.0.0')
  })

  it('refuses to start HTTP without a token', async () => {
    const result = await runToEnd(['--sandbox', '--transport', 'http'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('SEGMENTFLOW_MCP_HTTP_TOKEN')
  })

  it('refuses to start without an API key, saying how to get going', async () => {
    const result = await runToEnd([])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--sandbox')
  })

  it('prints the scopes each tool needs', async () => {
    const result = await runToEnd(['list-scopes', '--read-only'])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^emails_retrieve\s+emails:read\s+read\s+yes$/m)
  })
})

// The command line as an operator meets it: flags and environment, defaults, every mistake caught at
// startup with the flag to fix, and `list-scopes` read from the spec.
import { describe, expect, it } from 'vitest'
import { ConfigError, parseCommand } from '../src/config.ts'
import { run } from '../src/main.ts'

const key = { SEGMENTFLOW_API_KEY: 'sk_test_x' }

function serve(argv: string[], env: Record<string, string> = key) {
  const command = parseCommand(argv, env)
  if (command.kind !== 'serve') throw new Error(`not serve: ${command.kind}`)
  return command
}

async function cli(argv: string[], env: Record<string, string> = {}) {
  let stdout = ''
  let stderr = ''
  const code = await run(argv, env, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    stopSignal: () => Promise.resolve(),
  })
  return { code, stdout, stderr }
}

describe('configuration', () => {
  it('defaults to stdio, sends off, a batch cap of 10 and the production API', () => {
    const { config, transport } = serve([])
    expect(transport).toEqual({ transport: 'stdio', host: '127.0.0.1', allowedHosts: [], byok: false, port: 3333 })
    expect(config).toMatchObject({
      apiKey: 'sk_test_x',
      baseURL: 'https://api.segmentflow.ai',
      sandbox: false,
      readOnly: false,
      allowSends: false,
      maxBatchSize: 10,
      excludeTools: [],
      sender: {},
    })
    expect(config.scopes).toBeUndefined()
    expect(config.toolsets).toBeUndefined()
    expect(config.allowedRecipients).toBeUndefined()
  })

  it('reads every setting from the environment, and flags win', () => {
    const env = {
      ...key,
      SEGMENTFLOW_BASE_URL: 'http://127.0.0.1:4010/',
      SEGMENTFLOW_SCOPES: 'templates:read emails:write',
      SEGMENTFLOW_TOOLSETS: 'templates',
      SEGMENTFLOW_ALLOW_SENDS: 'yes',
      SEGMENTFLOW_ALLOWED_RECIPIENTS: '*@Example.com',
      SEGMENTFLOW_MAX_BATCH_SIZE: '25',
      SEGMENTFLOW_FROM: 'Acme <receipts@example.com>',
      SEGMENTFLOW_MCP_TRANSPORT: 'http',
      SEGMENTFLOW_MCP_PORT: '8080',
      SEGMENTFLOW_MCP_HTTP_TOKEN: 'a'.repeat(32),
    }
    const fromEnv = serve([], env)
    expect(fromEnv.config).toMatchObject({
      baseURL: 'http://127.0.0.1:4010',
      scopes: ['templates:read', 'emails:write'],
      toolsets: ['templates'],
      allowSends: true,
      allowedRecipients: ['*@example.com'],
      maxBatchSize: 25,
      sender: { from: 'Acme <receipts@example.com>' },
    })
    expect(fromEnv.transport).toMatchObject({ transport: 'http', port: 8080, httpToken: 'a'.repeat(32) })

    const flagged = serve(['--scopes', 'assets:read', '--max-batch-size', '3', '--port', '9090', '--toolsets', 'assets'], env)
    expect(flagged.config).toMatchObject({ scopes: ['assets:read'], maxBatchSize: 3, toolsets: ['assets'] })
    expect(flagged.transport.port).toBe(9090)
  })

  it('runs against the sandbox without a key, and ignores a key given anyway', () => {
    expect(serve(['--sandbox'], {}).config).toMatchObject({ sandbox: true, apiKey: undefined })
    expect(serve(['--sandbox'], key).warnings).toEqual([expect.stringContaining('ignoring the API key')])
  })

  it('warns about a scope no tool needs', () => {
    expect(serve(['--scopes', 'templates:read,templates:reed']).warnings).toEqual([expect.stringContaining('"templates:reed"')])
  })

  it.each([
    ['no API key', [], {}, /SEGMENTFLOW_API_KEY.*--sandbox/],
    ['an unknown flag', ['--allow-send'], key, /allow-send.*--help/],
    ['an unknown command', ['start'], key, /Unknown command "start"/],
    ['an unknown toolset', ['--toolsets', 'emails,journeys'], key, /Unknown toolset "journeys".*brand_kits/],
    ['an unknown tool', ['--tools', 'emails_sned'], key, /Unknown tool "emails_sned"/],
    ['an unknown excluded tool', ['--exclude-tools', 'nope'], key, /--exclude-tools/],
    ['HTTP without a token', ['--transport', 'http'], key, /SEGMENTFLOW_MCP_HTTP_TOKEN/],
    ['HTTP with a short token', ['--transport', 'http', '--http-token', 'secret'], key, /at least 16/],
    ['an unknown transport', ['--transport', 'sse'], key, /"stdio" or "http"/],
    ['a plain-http API off this machine', ['--base-url', 'http://api.segmentflow.ai'], key, /https/],
    ['a base URL that is no URL', ['--base-url', 'segmentflow'], key, /not a URL/],
    ['a batch cap over the API limit', ['--max-batch-size', '101'], key, /1 to 100/],
    ['a port that is no number', ['--port', 'http'], key, /--port/],
    ['a boolean variable that is not one', [], { ...key, SEGMENTFLOW_READ_ONLY: 'sure' }, /SEGMENTFLOW_READ_ONLY/],
    ['a sender that is no address', ['--from', 'Acme Receipts'], key, /--from/],
  ])('refuses %s', (_label, argv, env, message) => {
    expect(() => parseCommand(argv, env)).toThrow(ConfigError)
    expect(() => parseCommand(argv, env)).toThrow(message)
  })

  it('warns when HTTP is bound beyond this machine', () => {
    const command = serve(['--transport', 'http', '--http-token', 'b'.repeat(20), '--host', '0.0.0.0'])
    expect(command.warnings).toEqual([expect.stringContaining('reachable from other machines')])
  })
})

describe('the command line', () => {
  it('exits 2 with the reason on a configuration error', async () => {
    const result = await cli(['--transport', 'http'], key)
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^segmentflow-mcp: The HTTP transport needs a bearer token/)
  })

  it('prints help with every flag and its variable', async () => {
    const { code, stdout } = await cli(['--help'])
    expect(code).toBe(0)
    for (const flag of ['--api-key', '--base-url', '--sandbox', '--toolsets', '--tools', '--exclude-tools', '--read-only', '--scopes', '--allow-sends', '--allowed-recipients', '--max-batch-size', '--from', '--reply-to', '--sender-profile-id', '--transport', '--host', '--port', '--http-token']) {
      expect(stdout).toContain(flag)
    }
    expect(stdout).toContain('SEGMENTFLOW_SCOPES')
  })

  it('prints the version', async () => {
    expect((await cli(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+/)
  })
})

describe('list-scopes', () => {
  it('prints each tool with the scopes the spec gives it, needing no key', async () => {
    const { code, stdout } = await cli(['list-scopes'])
    expect(code).toBe(0)
    expect(stdout).toMatch(/^emails_send\s+emails:write\s+send\s+no: .*off by default/m)
    expect(stdout).toMatch(/^brand_kits_extraction_progress\s+brand-kit:read\s+read\s+yes$/m)
    expect(stdout).toMatch(/^templates_update\s+templates:write\s+write\s+yes$/m)
    expect(stdout.match(/^[a-z_]+\s+[a-z-]+:(read|write)\s/gm)).toHaveLength(33)
  })

  it('says which scopes a key needs for the configured tools', async () => {
    const { stdout } = await cli(['list-scopes', '--toolsets', 'templates,emails', '--read-only'])
    expect(stdout).toContain('needs: templates:read, emails:read\n')
    const sends = await cli(['list-scopes', '--toolsets', 'emails', '--allow-sends'])
    expect(sends.stdout).toContain('needs: emails:write, emails:read\n')
  })

  it('shows which tools a key with given scopes would lose', async () => {
    const { stdout } = await cli(['list-scopes', '--scopes', 'templates:read'])
    expect(stdout).toMatch(/^templates_create\s+templates:write\s+write\s+no: .*does not have/m)
  })

  it('prints JSON for scripts', async () => {
    const { stdout } = await cli(['list-scopes', '--json', '--read-only'])
    const parsed = JSON.parse(stdout)
    expect(parsed.tools).toHaveLength(33)
    expect(parsed.tools.find((row: { tool: string }) => row.tool === 'profiles_delete')).toMatchObject({
      operationId: 'deleteProfile',
      method: 'DELETE',
      path: '/api/v1/profiles/{profileId}',
      scopes: ['profiles:write'],
      access: 'write',
      offered: false,
    })
    expect(parsed.neededScopes).toEqual(['profiles:read', 'templates:read', 'assets:read', 'brand-kit:read', 'emails:read'])
  })
})

describe('the sending and transport settings', () => {
  it('reads allowed senders as address patterns and sender profile ids', () => {
    const { config } = serve(['--allowed-senders', 'NEWS@acme.com, *@eu.acme.com 0F0E0D0C-0B0A-4909-8807-060504030201'])
    expect(config.allowedSenders).toEqual(['news@acme.com', '*@eu.acme.com', '0f0e0d0c-0b0a-4909-8807-060504030201'])
    expect(() => serve(['--allowed-senders', 'not-an-address'])).toThrow(/--allowed-senders: "not-an-address"/)
  })

  it('reads the send quota and the tools mode', () => {
    expect(serve([]).config).toMatchObject({ toolsMode: 'static' })
    expect(serve([]).config.maxSendsPerHour).toBeUndefined()
    expect(serve(['--max-sends-per-hour', '50', '--tools-mode', 'dynamic']).config).toMatchObject({ maxSendsPerHour: 50, toolsMode: 'dynamic' })
    expect(serve([], { ...key, SEGMENTFLOW_MAX_SENDS_PER_HOUR: '7', SEGMENTFLOW_TOOLS_MODE: 'dynamic' }).config).toMatchObject({ maxSendsPerHour: 7, toolsMode: 'dynamic' })
    expect(() => serve(['--max-sends-per-hour', '0'])).toThrow(ConfigError)
    expect(() => serve(['--tools-mode', 'lazy'])).toThrow(/--tools-mode must be "static" or "dynamic"/)
  })

  it('reads allowed hosts and --byok for HTTP', () => {
    const { transport } = serve(['--transport', 'http', '--allowed-hosts', 'MCP.acme.internal,mcp.acme.internal:8443'], { ...key, SEGMENTFLOW_MCP_HTTP_TOKEN: '0123456789abcdef' })
    expect(transport).toMatchObject({ allowedHosts: ['mcp.acme.internal', 'mcp.acme.internal:8443'], byok: false })
    const byok = serve(['--transport', 'http', '--byok'], {})
    expect(byok.transport).toMatchObject({ byok: true })
    expect(byok.config.apiKey).toBeUndefined()
    expect(() => serve(['--transport', 'http', '--byok', '--http-token', '0123456789abcdef'], {})).toThrow(/leave out --http-token/)
    const everywhere = serve(['--transport', 'http', '--host', '0.0.0.0'], { ...key, SEGMENTFLOW_MCP_HTTP_TOKEN: '0123456789abcdef' })
    expect(everywhere.warnings.join('\n')).toContain('--allowed-hosts')
  })
})

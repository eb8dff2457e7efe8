#!/usr/bin/env node
// The built `segmentflow-mcp` bin driven by the official MCP Inspector CLI, as an operator would try it:
// every tool listed with its schemas, the dynamic mode's three tools, and the quickstart send, which
// replays when repeated (from a second server process: the derived key is the same across processes)
// against a sandbox served over HTTP on 127.0.0.1. Exits non-zero on the first surprise.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const mcp = fileURLToPath(new URL('..', import.meta.url))
const bin = join(mcp, 'dist', 'cli.js')

async function run(command, args, env = process.env) {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => (stdout += chunk))
  child.stderr.on('data', (chunk) => (stderr += chunk))
  const [code] = await once(child, 'exit')
  return { code, stdout, stderr }
}

function fail(message, detail = '') {
  console.error(`inspector smoke: ${message}${detail ? `\n${detail}` : ''}`)
  process.exit(1)
}

// Only what is stale: the SDK this package imports, then the bin.
const built = await run(process.execPath, [join(mcp, 'scripts', 'prepare.mjs'), '--if-stale'])
if (built.code !== 0) fail('building the bin failed', built.stdout + built.stderr)

// Imported after the build: the script runs against the packages as users get them.
const { createSandbox } = await import('@segmentflow/segmentflow-typescript/testing')
const { listen } = await import('@segmentflow/segmentflow-typescript/testing/node')

const require = createRequire(import.meta.url)
const inspectorPackage = require.resolve('@modelcontextprotocol/inspector/package.json')
const inspectorBin = join(dirname(inspectorPackage), JSON.parse(readFileSync(inspectorPackage, 'utf8')).bin['mcp-inspector'])

const sandbox = createSandbox()
const served = await listen(sandbox)
const env = { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('SEGMENTFLOW_'))) }
env.SEGMENTFLOW_API_KEY = sandbox.apiKey
env.SEGMENTFLOW_BASE_URL = served.url

async function inspect(serverArgs, method) {
  const result = await run(process.execPath, [inspectorBin, '--cli', process.execPath, bin, ...serverArgs, '--method', ...method], env)
  if (result.code !== 0) fail(`mcp-inspector ${method.join(' ')} exited ${result.code}`, result.stdout + result.stderr)
  try {
    return JSON.parse(result.stdout)
  } catch {
    return fail(`mcp-inspector ${method.join(' ')} printed no JSON`, result.stdout + result.stderr)
  }
}

const sends = ['--allow-sends', '--from', 'Acme Receipts <receipts@example.com>']
try {
  const listed = await inspect(['--allow-sends'], ['tools/list'])
  if (listed.tools.length !== 33) fail(`expected 33 tools, got ${listed.tools.length}`)
  for (const tool of listed.tools) {
    if (tool.outputSchema?.type !== 'object') fail(`${tool.name} has no output schema`)
    if (tool.inputSchema?.type !== 'object') fail(`${tool.name} has no input schema`)
  }
  const dynamic = await inspect(['--tools-mode', 'dynamic', '--allow-sends'], ['tools/list'])
  const names = dynamic.tools.map((tool) => tool.name).join(',')
  if (names !== 'search_operations,describe_operation,call_operation') fail(`dynamic mode lists ${names}`)

  // The root README's quickstart, as a model primed by it passes the arguments (sender included).
  const quickstart = [
    'tools/call',
    '--tool-name',
    'emails_send',
    '--tool-arg',
    'templateKey=receipt-default',
    'from=Acme Receipts <receipts@example.com>',
    'to={"email":"alex@example.com","externalId":"shopify:customer_123"}',
    'subject=Receipt for order ord_9421',
    'replyTo=Acme Support <support@example.com>',
    'data={"orderId":"ord_9421","firstName":"Alex","orderTotal":"49.00"}',
  ]
  const first = await inspect(sends, quickstart)
  if (first.isError) fail('the quickstart send failed', JSON.stringify(first.structuredContent))
  const again = await inspect(sends, quickstart)
  if (again.structuredContent?.replayed !== true || again.structuredContent.data.id !== first.structuredContent.data.id) {
    fail('the repeated quickstart send did not replay', JSON.stringify(again.structuredContent))
  }
  if (sandbox.state.emailSends.size !== 1) fail(`expected one email in the sandbox, found ${sandbox.state.emailSends.size}`)

  const refused = await inspect(sends, ['tools/call', '--tool-name', 'emails_send', '--tool-arg', 'templateKey=receipt-default', 'from=ceo@example.com', 'to={"email":"alex@example.com"}'])
  if (refused.structuredContent?.errorCode !== 'sender_not_allowed') fail('a foreign sender was not refused', JSON.stringify(refused))
  const hidden = await inspect(['--read-only'], ['tools/call', '--tool-name', 'templates_delete', '--tool-arg', 'id=3f9a1c2e-7b4d-4e8f-9a0b-1c2d3e4f5a6b'])
  if (hidden.structuredContent?.errorCode !== 'tool_disabled') fail('a hidden tool was not refused', JSON.stringify(hidden))

  console.log(`inspector smoke: ok (${listed.tools.length} tools; quickstart sent once, replayed once; refusals as expected)`)
} finally {
  await served.close()
}

/**
 * Runs a Worker in workerd through miniflare (no wrangler): bundles it with esbuild the way wrangler
 * does, serves every outbound fetch of the Worker from a sandbox in this process, and prints the
 * result line. Run from the consumer directory, so the SDK resolves to the installed tarball;
 * esbuild and miniflare come from the runtimes install (SEGMENTFLOW_RUNTIMES).
 *
 *   node workerd-driver.mjs smoke                      # smoke/worker.mjs
 *   node workerd-driver.mjs example <entry.ts>         # examples/cloudflare-worker
 */
import { createRequire } from 'node:module'
import { join } from 'node:path'

import { createSandbox } from '@segmentflow/segmentflow-typescript/testing'

import { RESULT_MARKER } from './smoke.mjs'

const tools = createRequire(join(process.env.SEGMENTFLOW_RUNTIMES, 'package.json'))
const esbuild = tools('esbuild')
const { Miniflare, Response: WorkerResponse } = tools('miniflare')

// workerd rejects a compatibility date newer than itself; this one predates every pinned version.
const COMPATIBILITY_DATE = '2026-04-01'
const CONTROL_URL = 'http://sandbox-control.test'

async function bundle(entry) {
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    // What wrangler resolves with: a package's Worker build first, else its browser build.
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    logLevel: 'silent',
  })
  return result.outputFiles[0].text
}

/** The Worker's outbound fetches, answered by the sandbox (and CONTROL_URL arms its faults). */
function outboundTo(sandbox) {
  return async (request) => {
    const url = new URL(request.url)
    if (url.origin === CONTROL_URL) {
      sandbox.faults.add(await request.json())
      return new WorkerResponse(null, { status: 204 })
    }
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD'
    const response = await sandbox.handle(
      new Request(request.url, { method: request.method, headers: [...request.headers], body: hasBody ? await request.arrayBuffer() : undefined }),
    )
    // A dropped-connection fault: the Worker's fetch rejects, as it would on a reset.
    if (response.type === 'error') throw new Error('connection reset by the sandbox (fault)')
    const empty = response.status === 204 || response.status === 304
    return new WorkerResponse(empty ? null : await response.arrayBuffer(), { status: response.status, headers: [...response.headers] })
  }
}

async function withWorker(script, sandbox, bindings, body) {
  const mf = new Miniflare({
    modules: true,
    script,
    compatibilityDate: COMPATIBILITY_DATE,
    bindings,
    outboundService: outboundTo(sandbox),
  })
  try {
    await mf.ready
    return await body(mf)
  } finally {
    await mf.dispose()
  }
}

async function smoke() {
  const sandbox = createSandbox()
  const script = await bundle(new URL('./worker.mjs', import.meta.url).pathname)
  const bindings = {
    SANDBOX_BASE_URL: sandbox.baseURL,
    SANDBOX_API_KEY: sandbox.apiKey,
    SANDBOX_READ_ONLY_API_KEY: sandbox.readOnlyApiKey,
    CONTROL_URL,
  }
  return withWorker(script, sandbox, bindings, async (mf) => {
    const response = await mf.dispatchFetch('http://worker.test/')
    const text = await response.text()
    if (!response.ok) throw new Error(`the Worker answered ${response.status}: ${text.slice(0, 500)}`)
    return JSON.parse(text)
  })
}

/** The Cloudflare Worker example: a signup posted twice is tracked once. */
async function example(entry) {
  const sandbox = createSandbox()
  const script = await bundle(entry)
  const bindings = { SEGMENTFLOW_API_KEY: sandbox.apiKey, SEGMENTFLOW_BASE_URL: sandbox.baseURL }
  return withWorker(script, sandbox, bindings, async (mf) => {
    const steps = []
    const step = async (name, body) => {
      try {
        await body()
        steps.push({ name, ok: true })
      } catch (error) {
        steps.push({ name, ok: false, error: error.message })
      }
    }
    const signup = () =>
      mf.dispatchFetch('http://worker.test/signup', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'new.user@example.com', plan: 'pro' }),
      })
    await step('POST /signup tracks user.signed_up', async () => {
      const response = await signup()
      const text = await response.text()
      if (response.status !== 202) throw new Error(`answered ${response.status}: ${text}`)
      if (sandbox.state.events.length !== 1) throw new Error(`${sandbox.state.events.length} events tracked, expected 1`)
    })
    await step('a repeated signup is not tracked twice', async () => {
      const response = await signup()
      if (response.status !== 202) throw new Error(`answered ${response.status}: ${await response.text()}`)
      await response.arrayBuffer()
      if (sandbox.state.events.length !== 1) throw new Error(`${sandbox.state.events.length} events tracked, expected 1`)
    })
    await step('bad input is a 400, not a call', async () => {
      const response = await mf.dispatchFetch('http://worker.test/signup', { method: 'POST', body: '{"email":"not an address"}' })
      if (response.status !== 400) throw new Error(`answered ${response.status}: ${await response.text()}`)
      await response.arrayBuffer()
    })
    await step('other paths are 404', async () => {
      const response = await mf.dispatchFetch('http://worker.test/')
      if (response.status !== 404) throw new Error(`answered ${response.status}`)
      await response.arrayBuffer()
    })
    return { module: 'worker', reports: [{ mode: 'example', ok: steps.every((s) => s.ok), steps }] }
  })
}

const [mode, entry] = process.argv.slice(2)
try {
  const result = mode === 'example' ? await example(entry) : await smoke()
  console.log(RESULT_MARKER + JSON.stringify(result))
  if (!result.reports.every((report) => report.ok)) process.exitCode = 1
} catch (error) {
  console.error(error)
  process.exitCode = 1
}

#!/usr/bin/env node
/**
 * npm run test:examples: every example in examples/ against the packed tarball, the way a user's
 * project would install it.
 *
 * - order-webhook: its own project (`npm install` of its package.json, the tarball in place of the
 *   published SDK), typechecked, then `npm start` against a sandbox served over HTTP: the same
 *   webhook delivered twice, and a delivery whose answer is lost, each end with exactly one
 *   EmailSend; then `npm run local`, its one command against an embedded sandbox, delivered twice.
 * - cloudflare-worker: typechecked with the Worker's globals only, then bundled and run in workerd
 *   through Miniflare (from runtimes/, the versions its wrangler uses) against a sandbox.
 * - nextjs: `npm ci` from its own lockfile, the tarball installed on top, `next build`, then
 *   `next start` and the signup form posted twice to the server action: one event.
 *
 *   node scripts/examples.mjs [--only order-webhook,nextjs] [--keep]
 */
import { spawn } from 'node:child_process'
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { parseArgs } from 'node:util'

import { ensureRuntimes, installConsumer, makeTempDir, PACKAGE_NAME, packTarball, ROOT, run, RUNTIMES, tail } from './lib/consumer.mjs'

const { values: flags } = parseArgs({
  options: { only: { type: 'string' }, keep: { type: 'boolean', default: false } },
})
const only = flags.only ? new Set(flags.only.split(',').map((id) => id.trim())) : null
const wanted = (id) => !only || only.has(id)
const EXAMPLES = ['order-webhook', 'cloudflare-worker', 'nextjs']
const unknown = only ? [...only].filter((id) => !EXAMPLES.includes(id)) : []
if (unknown.length) {
  console.error(`unknown example ${unknown.join(', ')}; the examples are: ${EXAMPLES.join(', ')}`)
  process.exit(2)
}

const results = []
async function check(example, name, body) {
  const started = Date.now()
  try {
    const detail = await body()
    results.push({ example, name, ok: true, detail: detail ?? '', ms: Date.now() - started })
  } catch (error) {
    results.push({ example, name, ok: false, detail: error.message.split('\n').slice(0, 8).join(' | '), ms: Date.now() - started })
  }
  const last = results.at(-1)
  console.log(`${last.ok ? 'ok  ' : 'FAIL'} ${example}: ${name} (${(last.ms / 1000).toFixed(1)} s)`)
}

function assert(condition, message) {
  if (!condition) throw new Error(message)
}

function copyExample(name, to) {
  cpSync(join(ROOT, 'examples', name), to, {
    recursive: true,
    filter: (source) => !/[/\\](node_modules|\.next|\.wrangler)([/\\]|$)|\.dev\.vars$|next-env\.d\.ts$|\.tsbuildinfo$/.test(source),
  })
}

/** `npm run <script>` in the example, resolved once it says where it listens. */
function startWebhookServer(cwd, script, env) {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', script], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    let output = ''
    const timer = setTimeout(() => {
      stopGroup(child, 'SIGKILL')
      reject(new Error(`the webhook server did not start within 30 s:\n${output}`))
    }, 30_000)
    const onData = (chunk) => {
      output += chunk
      const match = output.match(/listening on (http:\/\/\S+)/)
      if (match) {
        clearTimeout(timer)
        resolve({ url: match[1], child, output: () => output, stop: () => stopGroup(child, 'SIGTERM') })
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the webhook server exited with ${code}:\n${output}`))
    })
  })
}

/** npm runs the script in a child of its own: the whole group goes. */
function stopGroup(child, signal) {
  try {
    process.kill(-child.pid, signal)
  } catch {
    // already gone
  }
}

/** An example as its own project: its package.json installed, the packed SDK in place of the published one. */
async function installExample(name, work, tarball) {
  const dir = join(work, name)
  copyExample(name, dir)
  writeFileSync(join(dir, '.npmrc'), 'engine-strict=true\n')
  await run('npm', ['install', '--no-audit', '--no-fund', tarball.path], { cwd: dir, timeoutMs: 600_000 })
  const installed = JSON.parse(readFileSync(join(dir, 'node_modules', PACKAGE_NAME, 'package.json'), 'utf8'))
  assert(installed.version === tarball.version, `installed ${installed.version}, packed ${tarball.version}`)
  return dir
}

async function orderWebhook(work, tarball) {
  let dir
  await check('order-webhook', 'npm install + the packed SDK, then its typecheck', async () => {
    dir = await installExample('order-webhook', work, tarball)
    await run('npm', ['run', '--silent', 'typecheck'], { cwd: dir, timeoutMs: 240_000 })
    return 'tsc clean (skipLibCheck off)'
  })
  if (!dir) return
  // The sandbox from the same tarball, loaded through its CommonJS entry points.
  const requireFromConsumer = createRequire(join(dir, 'package.json'))
  const { createSandbox } = requireFromConsumer(`${PACKAGE_NAME}/testing`)
  const { listen } = requireFromConsumer(`${PACKAGE_NAME}/testing/node`)
  const sandbox = createSandbox()
  const api = await listen(sandbox)
  let server
  try {
    server = await startWebhookServer(dir, 'start', { SEGMENTFLOW_API_KEY: sandbox.apiKey, SEGMENTFLOW_BASE_URL: api.url, PORT: '0' })
    const deliver = async (order) => {
      const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(order) })
      return { status: response.status, body: await response.json() }
    }
    const sendsFor = (orderId) => [...sandbox.state.emailSends.values()].filter((send) => send.data?.orderId === orderId)
    const eventsFor = (orderId) => sandbox.state.events.filter((event) => event.referenceId === orderId || event.data?.orderId === orderId)

    await check('order-webhook', 'the same webhook delivered twice sends one email', async () => {
      const order = { id: 'ord_2001', email: 'alex@example.com', firstName: 'Alex', total: '49.00', currency: 'USD' }
      const first = await deliver(order)
      const second = await deliver(order)
      assert(first.status === 200 && second.status === 200, `answered ${first.status} then ${second.status}: ${JSON.stringify(second.body)}`)
      assert(first.body.emailId === second.body.emailId, `two email ids: ${first.body.emailId}, ${second.body.emailId}`)
      const sends = sendsFor(order.id)
      assert(sends.length === 1, `${sends.length} EmailSends for ${order.id}`)
      assert(eventsFor(order.id).length === 1, `${eventsFor(order.id).length} order.created events for ${order.id}`)
      return `2 deliveries, 1 EmailSend (${sends[0].id}), 1 event`
    })

    await check('order-webhook', 'a delivery whose answer is lost is redelivered without a second email', async () => {
      const order = { id: 'ord_2002', email: 'sam@example.com', total: '12.50', currency: 'EUR' }
      // The send commits but its answer is lost, and the SDK's two retries meet an outage: the
      // webhook answers 503, and the shop delivers again.
      sandbox.faults.add({ operation: 'sendEmail', kind: 'after-commit', status: 503, retryAfter: 0, times: 1 })
      sandbox.faults.add({ operation: 'sendEmail', kind: 'status', status: 503, retryAfter: 0, skip: 1, times: 2 })
      const statuses = []
      let answer
      for (let delivery = 0; delivery < 4; delivery++) {
        answer = await deliver(order)
        statuses.push(answer.status)
        if (answer.status === 200) break
      }
      assert(statuses[0] === 503, `the first delivery answered ${statuses[0]}, expected 503 after the SDK's retries`)
      assert(answer.status === 200, `deliveries answered ${statuses.join(', ')}`)
      const sends = sendsFor(order.id)
      assert(sends.length === 1, `${sends.length} EmailSends for ${order.id} after deliveries answered ${statuses.join(', ')}`)
      assert(sends[0].id === answer.body.emailId, 'the redelivery answered another email id than the one committed')
      return `deliveries answered ${statuses.join(', ')}; 1 EmailSend`
    })

    await check('order-webhook', 'a key already used for another request: 500, logged once with what to do', async () => {
      // Another program sent its own receipt for this order under the webhook's key.
      const { SegmentFlow } = requireFromConsumer(PACKAGE_NAME)
      const other = new SegmentFlow({ apiKey: sandbox.apiKey, baseURL: api.url })
      await other.emails.send({ templateKey: 'receipt-default', to: { email: 'kim@example.com' } }, { idempotencyKey: 'order-confirmation:ord_2003' })
      const answer = await deliver({ id: 'ord_2003', email: 'kim@example.com', total: '5.00', currency: 'USD' })
      assert(answer.status === 500, `answered ${answer.status}`)
      for (const deadline = Date.now() + 5_000; !server.output().includes('order ord_2003:'); ) {
        assert(Date.now() < deadline, `nothing logged for ord_2003:\n${tail(server.output())}`)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      const line = server.output().split('\n').find((l) => l.includes('order ord_2003:'))
      assert(line.split('idempotency_key_reuse').length === 2, `the code is not logged exactly once: ${line}`)
      assert(line.includes('was used for a different request'), `the log does not say what to do: ${line}`)
      return line.trim().slice(0, 120)
    })

    await check('order-webhook', 'a payload that is not an order is a 400, with no call', async () => {
      const before = sandbox.state.requests.length
      const answer = await deliver({ id: 'ord_x' })
      assert(answer.status === 400, `answered ${answer.status}`)
      assert(sandbox.state.requests.length === before, 'the webhook called SegmentFlow for a bad payload')
    })
  } finally {
    server?.stop()
    await api.close()
  }

  await check('order-webhook', 'npm run local: the one command, against its own sandbox, delivered twice', async () => {
    const local = await startWebhookServer(dir, 'local', { PORT: '0', SEGMENTFLOW_API_KEY: '', SEGMENTFLOW_BASE_URL: '' })
    try {
      const order = { id: 'ord_2001', email: 'alex@example.com', total: '49.00', currency: 'USD' }
      const answers = []
      for (let delivery = 0; delivery < 2; delivery++) {
        const response = await fetch(local.url, { method: 'POST', body: JSON.stringify(order) })
        answers.push({ status: response.status, body: await response.json() })
      }
      assert(answers.every((a) => a.status === 200), `answered ${answers.map((a) => a.status).join(', ')}: ${JSON.stringify(answers.at(-1).body)}`)
      assert(answers[0].body.emailId === answers[1].body.emailId, 'two deliveries answered two email ids')
      for (const deadline = Date.now() + 5_000; !/\[sandbox\] 1 email send so far/.test(local.output()); ) {
        assert(Date.now() < deadline, `the sandbox did not report one send:\n${tail(local.output())}`)
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      assert(!/\[sandbox\] 2 email sends/.test(local.output()), 'the sandbox reported a second send')
      return `2 deliveries, 1 email (${answers[0].body.emailId})`
    } finally {
      local.stop()
    }
  })
}

/** The Worker bundled and run in workerd by the runtime matrix's Miniflare driver, in example mode. */
async function cloudflareWorker(consumer) {
  await check('cloudflare-worker', 'runs in workerd (Miniflare) against a sandbox', async () => {
    await ensureRuntimes()
    cpSync(join(RUNTIMES, 'smoke'), join(consumer, 'smoke'), { recursive: true })
    const output = await run(process.execPath, ['smoke/workerd-driver.mjs', 'example', 'examples/cloudflare-worker/src/index.ts'], {
      cwd: consumer,
      env: { SEGMENTFLOW_RUNTIMES: RUNTIMES, SEGMENTFLOW_API_KEY: '', SEGMENTFLOW_BASE_URL: '' },
      timeoutMs: 120_000,
    })
    const line = output.stdout.split('\n').find((l) => l.startsWith('SEGMENTFLOW_SMOKE_RESULT '))
    assert(line, `no result line:\n${tail(output.stdout + output.stderr)}`)
    const steps = JSON.parse(line.slice('SEGMENTFLOW_SMOKE_RESULT '.length)).reports.flatMap((report) => report.steps)
    const failed = steps.filter((step) => !step.ok)
    assert(failed.length === 0, failed.map((step) => `${step.name}: ${step.error}`).join('; '))
    return `${steps.length} checks: ${steps.map((step) => step.name).join('; ')}`
  })
}

async function nextjs(work, tarball) {
  const dir = join(work, 'nextjs')
  copyExample('nextjs', dir)
  await check('nextjs', 'npm ci + the packed SDK', async () => {
    await run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, timeoutMs: 600_000 })
    // Not in the lockfile: npm would trust its cache for a tarball with a known integrity, and a
    // rebuilt tarball keeps its name. --no-save leaves the example's manifest as users see it.
    await run('npm', ['install', '--no-save', '--no-audit', '--no-fund', tarball.path], { cwd: dir, timeoutMs: 300_000 })
    const installed = JSON.parse(readFileSync(join(dir, 'node_modules', PACKAGE_NAME, 'package.json'), 'utf8'))
    assert(installed.version === tarball.version, `installed ${installed.version}, packed ${tarball.version}`)
    const next = JSON.parse(readFileSync(join(dir, 'node_modules/next/package.json'), 'utf8'))
    return `next ${next.version}, SDK ${installed.version}`
  })
  await check('nextjs', 'next build (typecheck + server action bundle)', async () => {
    await run(process.execPath, [join(dir, 'node_modules/next/dist/bin/next'), 'build'], {
      cwd: dir,
      env: { NEXT_TELEMETRY_DISABLED: '1', SEGMENTFLOW_API_KEY: '' },
      timeoutMs: 600_000,
    })
    const manifest = join(dir, '.next/server/server-reference-manifest.json')
    assert(existsSync(manifest), 'no server-reference-manifest.json: the server action was not built')
    const actions = Object.values(JSON.parse(readFileSync(manifest, 'utf8')).node ?? {})
    assert(actions.some((action) => JSON.stringify(action).includes('actions')), 'the trackSignup action is not in the build')
    return `${actions.length} server action(s) built`
  })
  await check('nextjs', 'next start: the form posts to the action, twice, and one signup is tracked', () => submitSignupTwice(dir))
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address()
      probe.close(() => resolve(port))
    })
  })
}

const decodeAttribute = (value) =>
  value.replaceAll('&quot;', '"').replaceAll('&#x27;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&')

/**
 * The production server runs the action from Turbopack's server bundle of the SDK. The form is
 * posted the way a browser without JavaScript posts it (the hidden fields React renders name the
 * action), so no client runtime is needed to call it.
 */
async function submitSignupTwice(dir) {
  const requireFromApp = createRequire(join(dir, 'package.json'))
  const { createSandbox } = requireFromApp(`${PACKAGE_NAME}/testing`)
  const { listen } = requireFromApp(`${PACKAGE_NAME}/testing/node`)
  const sandbox = createSandbox()
  const api = await listen(sandbox)
  const port = await freePort()
  const origin = `http://127.0.0.1:${port}`
  const child = spawn(process.execPath, [join(dir, 'node_modules/next/dist/bin/next'), 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: dir,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', SEGMENTFLOW_API_KEY: sandbox.apiKey, SEGMENTFLOW_BASE_URL: api.url },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  try {
    let html
    for (const deadline = Date.now() + 60_000; !html; ) {
      assert(Date.now() < deadline, `next start did not answer within 60 s:\n${tail(output)}`)
      assert(child.exitCode === null, `next start exited with ${child.exitCode}:\n${tail(output)}`)
      html = await fetch(`${origin}/`).then((response) => (response.ok ? response.text() : undefined), () => undefined)
      if (!html) await new Promise((resolve) => setTimeout(resolve, 250))
    }
    const form = html.match(/<form[^>]*>(.*?)<\/form>/s)?.[1]
    assert(form, 'the page has no form')
    const body = new FormData()
    for (const [, name, value] of form.matchAll(/<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?\/>/g)) body.append(name, decodeAttribute(value ?? ''))
    assert([...body.keys()].some((name) => name.startsWith('$ACTION')), 'the form carries no server action fields')
    body.append('email', 'New.User@example.com')
    for (const attempt of [1, 2]) {
      const response = await fetch(`${origin}/`, { method: 'POST', body, headers: { origin } })
      const page = await response.text()
      assert(response.status === 200 && page.includes('Welcome aboard'), `submission ${attempt} answered ${response.status}:\n${tail(output)}`)
    }
    const signups = sandbox.state.events.filter((event) => event.event === 'user.signed_up')
    assert(signups.length === 1, `${signups.length} user.signed_up events after two submissions`)
    return `2 submissions, 1 user.signed_up event (key ${signups[0].idempotencyKey})`
  } finally {
    try {
      process.kill(-child.pid, 'SIGTERM')
    } catch {
      // already gone
    }
    await api.close()
  }
}

const startedAt = Date.now()
const work = makeTempDir('examples')
const consumer = join(work, 'consumer')
try {
  const tarball = await packTarball(work)
  console.log(`packed ${tarball.path} (${tarball.version})`)
  if (wanted('order-webhook')) await orderWebhook(work, tarball)
  if (wanted('cloudflare-worker')) {
    copyExample('cloudflare-worker', join(consumer, 'examples/cloudflare-worker'))
    await installConsumer(consumer, tarball.path)
    const tsc = join(consumer, 'node_modules/typescript/bin/tsc')
    await check('cloudflare-worker', 'typechecks with the Worker globals only (skipLibCheck off)', () =>
      run(process.execPath, [tsc, '-p', 'examples/cloudflare-worker'], { cwd: consumer, timeoutMs: 240_000 }).then(() => 'tsc clean'),
    )
    await cloudflareWorker(consumer)
  }
  if (wanted('nextjs')) await nextjs(work, tarball)
} catch (error) {
  results.push({ example: '-', name: 'setup', ok: false, detail: error.message, ms: 0 })
}

console.log('')
const rows = results.map((r) => [r.example, r.name, r.ok ? `pass${r.detail ? `: ${r.detail}` : ''}` : `FAIL: ${r.detail}`, `${(r.ms / 1000).toFixed(1)} s`])
const header = ['example', 'check', 'result', 'time']
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
const line = (values) => `| ${values.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`
console.log(line(header))
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`)
for (const row of rows) console.log(line(row))
const failed = results.filter((r) => !r.ok).length
console.log(`\n${results.length - failed} passed, ${failed} failed in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`)
if (flags.keep || failed) console.log(`work directory kept in ${work}`)
else rmSync(work, { recursive: true, force: true })
process.exitCode = failed ? 1 : 0

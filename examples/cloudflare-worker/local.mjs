/**
 * `npm run local`: the Worker in `wrangler dev` (workerd, on this machine) against a SegmentFlow
 * sandbox started by this script: no account, no key, no network. PORT changes the Worker's port.
 *
 *   curl -X POST localhost:8787/signup -d '{"email":"new.user@example.com","plan":"pro"}'
 *
 * Post the same signup twice: the same eventId comes back, and the sandbox records one event.
 */
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'

import { createSandbox } from '@segmentflow/segmentflow-typescript/testing'
import { listen } from '@segmentflow/segmentflow-typescript/testing/node'

const sandbox = createSandbox()
const api = await listen(sandbox, { port: 0 })
const port = process.env.PORT ?? '8787'
console.log(`SegmentFlow sandbox on ${api.url}; starting the Worker on http://127.0.0.1:${port}

  curl -X POST localhost:${port}/signup -d '{"email":"new.user@example.com","plan":"pro"}'
`)

// The key is the sandbox's, not a secret: `--var` is fine here. In production it is a secret binding.
const wrangler = createRequire(import.meta.url).resolve('wrangler/bin/wrangler.js')
const child = spawn(
  process.execPath,
  [wrangler, 'dev', '--ip', '127.0.0.1', '--port', port, '--var', `SEGMENTFLOW_BASE_URL:${api.url}`, '--var', `SEGMENTFLOW_API_KEY:${sandbox.apiKey}`],
  { stdio: 'inherit', env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } },
)

let events = 0
setInterval(() => {
  if (sandbox.state.events.length !== events) {
    events = sandbox.state.events.length
    console.log(`[sandbox] ${events} event${events === 1 ? '' : 's'} tracked so far`)
  }
}, 250).unref()

const stop = () => child.kill('SIGTERM')
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
child.on('exit', (code) => {
  void api.close().then(() => process.exit(code ?? 0))
})

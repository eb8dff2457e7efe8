/**
 * `npm run local`: `next dev` with the server action pointed at a SegmentFlow sandbox started by this
 * script: no account, no key, no network. PORT changes the app's port (default 3000).
 */
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'

import { createSandbox } from '@segmentflow/segmentflow-typescript/testing'
import { listen } from '@segmentflow/segmentflow-typescript/testing/node'

const sandbox = createSandbox()
const api = await listen(sandbox, { port: 0 })
const port = process.env.PORT ?? '3000'
console.log(`SegmentFlow sandbox on ${api.url}; open http://127.0.0.1:${port} and sign up (twice: one event)\n`)

const next = createRequire(import.meta.url).resolve('next/dist/bin/next')
const child = spawn(process.execPath, [next, 'dev', '-p', port, '-H', '127.0.0.1'], {
  stdio: 'inherit',
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', SEGMENTFLOW_BASE_URL: api.url, SEGMENTFLOW_API_KEY: sandbox.apiKey },
})

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

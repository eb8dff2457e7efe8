// ESM consumer: Node, Bun and Deno import the installed package by name, as an application would.
import * as sdk from '@segmentflow/segmentflow-typescript'
import { createSandbox } from '@segmentflow/segmentflow-typescript/testing'
import { listen } from '@segmentflow/segmentflow-typescript/testing/node'

import { httpTarget, inProcessTarget, RESULT_MARKER, runSmoke } from './smoke.mjs'

const reports = [await runSmoke(sdk, inProcessTarget(createSandbox))]

// Over loopback HTTP with the runtime's own fetch: the path a production client takes.
const sandbox = createSandbox()
const server = await listen(sandbox)
try {
  reports.push(
    await runSmoke(
      sdk,
      httpTarget({
        baseURL: server.url,
        apiKey: sandbox.apiKey,
        readOnlyApiKey: sandbox.readOnlyApiKey,
        addFault: (spec) => {
          sandbox.faults.add(spec)
        },
      }),
    ),
  )
} finally {
  await server.close()
}

const ok = reports.every((report) => report.ok)
console.log(RESULT_MARKER + JSON.stringify({ module: 'esm', reports }))
if (!ok) {
  if (globalThis.process) globalThis.process.exitCode = 1
  else globalThis.Deno.exit(1)
}

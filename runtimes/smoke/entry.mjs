// ESM consumer: Node, Bun and Deno import the installed package by name, as an application would.
import * as sdk from '@segmentflow/segmentflow-typescript'
import { createSandbox } from '@segmentflow/segmentflow-typescript/testing'
import { listen } from '@segmentflow/segmentflow-typescript/testing/node'

import { RESULT_MARKER, runInProcessAndOverHttp } from './smoke.mjs'

const reports = await runInProcessAndOverHttp(sdk, createSandbox, listen)

const ok = reports.every((report) => report.ok)
console.log(RESULT_MARKER + JSON.stringify({ module: 'esm', reports }))
if (!ok) {
  if (globalThis.process) globalThis.process.exitCode = 1
  else globalThis.Deno.exit(1)
}

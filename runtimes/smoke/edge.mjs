// Vercel Edge: bundled to one script and evaluated in an EdgeVM, the runtime Next.js and Vercel use
// for edge functions. `remote` comes from the host: a sandbox served over HTTP, reached with the
// edge runtime's own fetch.
import * as sdk from '@segmentflow/segmentflow-typescript'
import { createSandbox } from '@segmentflow/segmentflow-typescript/testing'

import { httpTarget, inProcessTarget, runSmoke } from './smoke.mjs'

export async function run(remote) {
  const reports = [await runSmoke(sdk, inProcessTarget(createSandbox))]
  if (remote) reports.push(await runSmoke(sdk, httpTarget(remote)))
  // A string crosses the realm boundary without surprises.
  return JSON.stringify({ module: 'edge', reports })
}

// Cloudflare Worker: the smoke runs inside a fetch handler, in workerd, from an esbuild bundle of
// the installed package (what wrangler deploys).
import * as sdk from '@segmentflow/segmentflow-typescript'
import { createSandbox } from '@segmentflow/segmentflow-typescript/testing'

import { httpTarget, inProcessTarget, runSmoke } from './smoke.mjs'

export default {
  async fetch(_request, env) {
    const reports = [await runSmoke(sdk, inProcessTarget(createSandbox))]
    // The Worker's own global fetch; the matrix routes outbound requests to a sandbox on the host,
    // and a request to CONTROL_URL arms a fault there.
    reports.push(
      await runSmoke(
        sdk,
        httpTarget({
          baseURL: env.SANDBOX_BASE_URL,
          apiKey: env.SANDBOX_API_KEY,
          readOnlyApiKey: env.SANDBOX_READ_ONLY_API_KEY,
          addFault: async (spec) => {
            const response = await fetch(`${env.CONTROL_URL}/faults`, { method: 'POST', body: JSON.stringify(spec) })
            if (!response.ok) throw new Error(`arming the fault failed: ${response.status}`)
          },
        }),
      ),
    )
    return Response.json({ module: 'worker', reports })
  },
}

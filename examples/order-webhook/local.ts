/**
 * `npm run local`: the order webhook against a SegmentFlow sandbox started in this process (the one
 * that ships with the SDK): no account, no key, no network. Then deliver an order, twice:
 *
 *   curl -X POST localhost:3000/webhooks/orders -d '{"id":"ord_2001","email":"alex@example.com","total":"49.00","currency":"USD"}'
 *
 * Both deliveries answer the same emailId; the sandbox logs one send. PORT changes the webhook's port.
 */
import { SegmentFlow } from '@segmentflow/segmentflow-typescript'
import { createSandbox } from '@segmentflow/segmentflow-typescript/testing'
import { listen } from '@segmentflow/segmentflow-typescript/testing/node'

import { createWebhookServer, serve } from './app.js'

const sandbox = createSandbox()
const api = await listen(sandbox, { port: 0 })
const client = new SegmentFlow({ apiKey: sandbox.apiKey, baseURL: api.url })

const url = await serve(createWebhookServer(client), Number(process.env.PORT ?? 3000), () => api.close())
console.log(`order webhook listening on ${url} (SegmentFlow sandbox on ${api.url})

  curl -X POST ${url} -d '{"id":"ord_2001","email":"alex@example.com","total":"49.00","currency":"USD"}'

Deliver the same order twice: the same emailId comes back, and only one email is sent.`)

// What reached the sandbox, so that a repeat is visibly not a second send.
let lastSends = 0
setInterval(() => {
  const sends = sandbox.state.emailSends.size
  if (sends !== lastSends) console.log(`[sandbox] ${sends} email send${sends === 1 ? '' : 's'} so far`)
  lastSends = sends
}, 250).unref()

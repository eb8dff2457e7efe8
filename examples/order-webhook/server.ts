/**
 * A Node backend's order webhook, on node:http alone: `POST /webhooks/orders` with the order as JSON.
 *
 *   SEGMENTFLOW_API_KEY=sk_live_... PORT=3000 npx tsx examples/order-webhook/server.ts
 *
 * Against the sandbox instead of the API: `npm run sandbox` in another terminal, then
 *   SEGMENTFLOW_BASE_URL=http://127.0.0.1:4010 SEGMENTFLOW_API_KEY=sk_test_sandbox_full_access \
 *     PORT=3000 npx tsx examples/order-webhook/server.ts
 *   curl -X POST localhost:3000/webhooks/orders -d '{"id":"ord_9421","email":"alex@example.com","total":"49.00","currency":"USD"}'
 *
 * Run the curl twice: one email. In production, verify the shop's webhook signature before trusting
 * the body (each shop documents its own scheme).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

import { SegmentFlow } from '@segmentflow/segmentflow-typescript'

import { handleOrderPaid, readOrder } from './order-webhook.js'

// One client for the process: it reads SEGMENTFLOW_API_KEY (and SEGMENTFLOW_BASE_URL) from the
// environment and fails here, at start-up, when the key is missing.
const client = new SegmentFlow()

const MAX_BODY_BYTES = 64 * 1024

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) throw new Error('body too large')
    chunks.push(chunk as Buffer)
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'))
}

function reply(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

const server = createServer(async (req, res) => {
  if (req.url !== '/webhooks/orders') return reply(res, 404, { error: 'Not found' })
  if (req.method !== 'POST') return reply(res, 405, { error: 'Method not allowed' })
  let payload: unknown
  try {
    payload = await readJson(req)
  } catch {
    return reply(res, 400, { error: 'Expected a JSON order' })
  }
  const order = readOrder(payload)
  if (!order) return reply(res, 400, { error: 'Expected {"id", "email", "total", "currency"}' })
  try {
    const answer = await handleOrderPaid(client, order)
    reply(res, answer.status, answer.body)
  } catch (error) {
    console.error(`order ${order.id}:`, error)
    reply(res, 500, { error: 'Could not process the order' })
  }
})

server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo
  console.log(`order webhook listening on http://127.0.0.1:${port}/webhooks/orders`)
})

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => server.close(() => process.exit(0)))
}

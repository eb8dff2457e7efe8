/**
 * The webhook endpoint on node:http alone: `POST /webhooks/orders` with the order as JSON. The client
 * is passed in, so the same server runs against the API (server.ts) or an embedded sandbox (local.ts).
 *
 * In production, verify the shop's webhook signature before trusting the body (each shop documents
 * its own scheme).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

import type { SegmentFlow } from '@segmentflow/segmentflow-typescript'

import { handleOrderPaid, readOrder } from './order-webhook.js'

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

export function createWebhookServer(client: SegmentFlow): Server {
  return createServer(async (req, res) => {
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
}

/** Listens on 127.0.0.1 and resolves with the webhook's URL; Ctrl-C and SIGTERM close it. */
export async function serve(server: Server, port: number, onClose: () => Promise<void> = async () => {}): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', resolve)
  })
  const { port: actual } = server.address() as AddressInfo
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => server.close(() => void onClose().then(() => process.exit(0))))
  }
  return `http://127.0.0.1:${actual}/webhooks/orders`
}

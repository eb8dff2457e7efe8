/**
 * What to do with one "order paid" webhook: send the receipt and track `order.created`, each exactly
 * once per order however often the shop delivers the webhook.
 *
 * Shops deliver webhooks at least once: a timeout on their side, a 5xx from us or a deploy in the
 * middle all mean the same order arrives again. The idempotency keys derive from the order id, so
 * every delivery of one order makes the same two requests, and SegmentFlow answers a repeat with the
 * original result instead of sending a second email.
 */
import { APIConnectionError, APIError, type SegmentFlow, ValidationError } from '@segmentflow/segmentflow-typescript'

export interface Order {
  id: string
  email: string
  firstName?: string
  total: string
  currency: string
}

export interface WebhookAnswer {
  status: number
  body: Record<string, unknown>
}

/** The payload, or null when it is not an order we can act on. */
export function readOrder(payload: unknown): Order | null {
  if (typeof payload !== 'object' || payload === null) return null
  const { id, email, firstName, total, currency } = payload as Record<string, unknown>
  if (typeof id !== 'string' || id === '' || typeof email !== 'string' || typeof total !== 'string' || typeof currency !== 'string') return null
  if (firstName !== undefined && typeof firstName !== 'string') return null
  return { id, email, total, currency, ...(firstName ? { firstName } : {}) }
}

export async function handleOrderPaid(client: SegmentFlow, order: Order): Promise<WebhookAnswer> {
  try {
    const email = await client.emails.send(
      {
        templateKey: 'receipt-default',
        to: { email: order.email, ...(order.firstName ? { name: order.firstName } : {}) },
        data: { orderId: order.id, orderTotal: order.total, currency: order.currency },
      },
      { idempotencyKey: `order-confirmation:${order.id}` },
    )
    const event = await client.events.track(
      {
        event: 'order.created',
        profile: { email: order.email },
        data: { orderId: order.id, orderTotal: order.total, currency: order.currency },
        referenceId: order.id,
      },
      { idempotencyKey: `order.created:${order.id}` },
    )
    return { status: 200, body: { emailId: email.id, eventId: event.eventId } }
  } catch (error) {
    // The order cannot be sent as it is (checked before any request): a redelivery will not help.
    if (error instanceof ValidationError) return { status: 422, body: { error: error.message } }
    // The SDK already retried what was worth retrying. Answer 503 so the shop delivers again later:
    // the same keys make that delivery safe even if this one's send went through.
    if (error instanceof APIConnectionError || (error instanceof APIError && (error.status === 429 || error.status >= 500))) {
      return { status: 503, body: { error: 'SegmentFlow is unavailable, deliver again later' } }
    }
    // A 4xx is our configuration (key, scopes, template): log it for a person, let the shop retry.
    // The message already starts with the status and code, and says what to do.
    if (error instanceof APIError) {
      console.error(`order ${order.id}: ${error.message} (request ${error.requestId ?? 'unknown'})`)
      return { status: 500, body: { error: 'Could not process the order' } }
    }
    throw error
  }
}

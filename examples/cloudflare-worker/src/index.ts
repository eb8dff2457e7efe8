/**
 * A Cloudflare Worker that records signups in SegmentFlow: `POST /signup {"email", "plan"?}` tracks
 * `user.signed_up` for that profile, which starts whatever Journey listens to it.
 *
 *   npm run local                               # wrangler dev against a sandbox, no account
 *   npx wrangler secret put SEGMENTFLOW_API_KEY && npm run deploy
 *
 * Nothing Node-specific: the SDK runs on the Worker's own fetch, crypto and timers. CI runs this
 * Worker in workerd (through miniflare) against the sandbox: `npm run test:examples`.
 */
import { APIError, SegmentFlow, ValidationError } from '@segmentflow/segmentflow-typescript'

export interface Env {
  /** A secret binding (`wrangler secret put`): Workers have no process.env for the SDK to read. */
  SEGMENTFLOW_API_KEY: string
  /** Optional: a staging API or a sandbox. */
  SEGMENTFLOW_BASE_URL?: string
}

interface Signup {
  email: string
  plan: string
}

function readSignup(body: unknown): Signup | null {
  if (typeof body !== 'object' || body === null) return null
  const { email, plan } = body as Record<string, unknown>
  if (typeof email !== 'string' || (plan !== undefined && typeof plan !== 'string')) return null
  return { email: email.trim().toLowerCase(), plan: plan ?? 'free' }
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url)
    if (pathname !== '/signup') return new Response('Not found', { status: 404 })
    if (request.method !== 'POST') return new Response('Method not allowed', { status: 405, headers: { allow: 'POST' } })

    const signup = readSignup(await request.json().catch(() => null))
    if (!signup) return Response.json({ error: 'Expected {"email": string, "plan"?: string}' }, { status: 400 })

    // One client per request: it holds no connections of its own, and a Worker must not carry one
    // request's I/O objects into the next. A short timeout: the visitor is waiting.
    const client = new SegmentFlow({
      apiKey: env.SEGMENTFLOW_API_KEY,
      ...(env.SEGMENTFLOW_BASE_URL ? { baseURL: env.SEGMENTFLOW_BASE_URL } : {}),
      timeout: 10_000,
    })

    try {
      const { eventId } = await client.events.track(
        { event: 'user.signed_up', profile: { email: signup.email }, data: { plan: signup.plan } },
        // A double-submitted form or a client retry is the same signup: the key makes SegmentFlow
        // record it once (for as long as it keeps idempotency keys).
        { idempotencyKey: `user.signed_up:worker:${signup.email}` },
      )
      return Response.json({ eventId }, { status: 202 })
    } catch (error) {
      // Checked before sending, so nothing went out: the visitor's input is at fault.
      if (error instanceof ValidationError) return Response.json({ error: error.message }, { status: 400 })
      if (error instanceof APIError) {
        console.error(`SegmentFlow answered ${error.status} ${error.errorCode ?? ''} (request ${error.requestId ?? 'unknown'})`)
        return Response.json({ error: 'Could not record the signup, try again' }, { status: 502 })
      }
      throw error
    }
  },
}

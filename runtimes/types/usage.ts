/**
 * What a TypeScript application writes against the published package. Copied into each consumer
 * (ESM with bundler resolution, ESM with node16, CommonJS with node16) and typechecked there with
 * skipLibCheck off, so the shipped declarations themselves are checked too.
 *
 * Each `@ts-expect-error` is a wrong call that must not compile: if the call ever typechecks, the
 * directive is unused and tsc fails (TS2578).
 */
import SegmentFlow, {
  APIError,
  PermissionDeniedError,
  RateLimitError,
  Segmentflow,
  SegmentFlow as NamedSegmentFlow,
  VERSION,
  type EmailSend,
  type EmailSendParams,
  type EventTrackParams,
  type Profile,
  type SegmentFlowErrorCode,
} from '@segmentflow/segmentflow-typescript'
import { createSandbox, type Sandbox } from '@segmentflow/segmentflow-typescript/testing'
import { listen } from '@segmentflow/segmentflow-typescript/testing/node'
import * as schemas from '@segmentflow/segmentflow-typescript/schemas'

export async function usage(sandbox: Sandbox = createSandbox()): Promise<string> {
  const client = new SegmentFlow({ apiKey: sandbox.apiKey, baseURL: sandbox.baseURL, fetch: sandbox.fetch, maxRetries: 3, timeout: 10_000 })
  const same: NamedSegmentFlow = new Segmentflow({ apiKey: sandbox.apiKey })
  void same

  const params: EmailSendParams = { templateKey: 'receipt-default', to: { email: 'alex@example.com' }, data: { orderId: 'ord_1' } }
  const email: EmailSend = await client.emails.send(params, { idempotencyKey: 'order:ord_1' })
  const byId = await client.v1.emails.send({ templateId: '3f9a1c2e-7b4d-4e8f-9a0b-1c2d3e4f5a6b', to: { email: 'alex@example.com' } })
  const { data, requestId, response } = await client.emails.retrieve(email.id).withResponse()
  const status: string = data.status
  const httpStatus: number = response.status
  void [byId, requestId, status, httpStatus]

  const track: EventTrackParams = { event: 'order.created', profile: { email: 'alex@example.com' } }
  const tracked = await client.events.track(track)
  const eventId: string = tracked.eventId

  const page = await client.profiles.list({ limit: 2 })
  const first: Profile | undefined = page.data[0]
  if (page.hasNextPage()) await page.getNextPage()
  for await (const profile of client.profiles.list({ limit: 2 })) {
    const id: string = profile.id
    void id
  }
  void first

  try {
    await client.templates.list()
  } catch (error) {
    if (error instanceof PermissionDeniedError) {
      const scopes: string[] = error.requiredScopes
      void scopes
    } else if (error instanceof RateLimitError) {
      const wait: number | undefined = error.retryAfter ?? undefined
      void wait
    } else if (error instanceof APIError) {
      const code: SegmentFlowErrorCode | undefined = error.errorCode ?? undefined
      const key: string | undefined = error.idempotencyKey ?? undefined
      void [code, key]
    }
  }

  const server = await listen(sandbox, { port: 0 })
  await server.close()
  void schemas

  // @ts-expect-error emails.send needs a templateKey or a templateId
  await client.emails.send({ to: { email: 'alex@example.com' } })
  // @ts-expect-error an event's name is a string, not a number
  await client.events.track({ event: 42, profile: { email: 'alex@example.com' } })
  // @ts-expect-error there is no segments namespace
  void client.segments
  // @ts-expect-error the client takes options, not a bare key
  void new SegmentFlow('sk_live_123')

  return `${VERSION} ${eventId}`
}

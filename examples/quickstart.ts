/**
 * The SegmentFlow quickstart as a program: `npm run demo`.
 *
 * With no SEGMENTFLOW_BASE_URL it starts an embedded sandbox on 127.0.0.1 (an in-memory SegmentFlow
 * that ships with the SDK), so it needs no account and no network. With SEGMENTFLOW_BASE_URL and
 * SEGMENTFLOW_API_KEY set it runs the same steps against that server; SEGMENTFLOW_READ_ONLY_API_KEY
 * (a key without `emails:write`) enables the last step there.
 *
 * Exits non-zero if any step does not behave as the API promises.
 */
import SegmentFlow, { APIError, PermissionDeniedError } from '@segmentflow/segmentflow-typescript'
import { createSandbox } from '@segmentflow/segmentflow-typescript/testing'
import { listen } from '@segmentflow/segmentflow-typescript/testing/node'

async function connect() {
  const baseURL = process.env.SEGMENTFLOW_BASE_URL
  if (baseURL) {
    return {
      where: baseURL,
      apiKey: process.env.SEGMENTFLOW_API_KEY,
      readOnlyApiKey: process.env.SEGMENTFLOW_READ_ONLY_API_KEY,
      close: async () => {},
    }
  }
  const sandbox = createSandbox()
  const server = await listen(sandbox, { port: 0 })
  return {
    where: `${server.url} (embedded sandbox)`,
    baseURL: server.url,
    apiKey: sandbox.apiKey,
    readOnlyApiKey: sandbox.readOnlyApiKey,
    close: () => server.close(),
  }
}

function step(title: string) {
  console.log(`\n${title}`)
}

function show(line: string) {
  console.log(`   ${line}`)
}

function check(ok: boolean, failure: string): asserts ok {
  if (!ok) throw new Error(failure)
}

const target = await connect()
try {
  const client = new SegmentFlow({ apiKey: target.apiKey, ...(target.baseURL ? { baseURL: target.baseURL } : {}) })
  console.log(`SegmentFlow quickstart against ${target.where}`)

  step('1. List the templates                      GET /api/v1/templates')
  const templates = await client.templates.list()
  for (const template of templates) {
    show(`${(template.key ?? '(no key)').padEnd(20)} ${template.purpose.padEnd(14)} ${template.status}`)
  }

  step('2. Send the receipt                        POST /api/v1/emails')
  // An order of the demo's own: the README's snippets and the examples use other order ids, so any of
  // them can run after this one against the same sandbox without reusing a key for another body.
  const orderId = 'ord_1001'
  const receipt = {
    templateKey: 'receipt-default',
    from: 'Acme Receipts <receipts@example.com>',
    to: { email: 'alex@example.com', externalId: 'shopify:customer_123' },
    subject: `Receipt for order ${orderId}`,
    replyTo: 'Acme Support <support@example.com>',
    data: { orderId, firstName: 'Alex', orderTotal: '49.00' },
  }
  // The key comes from the order and the operation: however often this runs for the order, Alex gets
  // one receipt.
  const idempotencyKey = `order-confirmation:${orderId}`
  const first = await client.emails.send(receipt, { idempotencyKey }).withResponse()
  show(`Idempotency-Key ${idempotencyKey}`)
  show(`EmailSend ${first.data.id} is ${first.data.status} (request ${first.requestId})`)

  step('3. Send it again with the same key         POST /api/v1/emails')
  const again = await client.emails.send(receipt, { idempotencyKey }).withResponse()
  const replayed = again.response.headers.get('idempotent-replayed') === 'true'
  check(again.data.id === first.data.id, `the second send created another email (${again.data.id})`)
  check(replayed, 'the second send was not marked as a replay')
  show(`Same EmailSend ${again.data.id}, idempotent-replayed: true. No second email.`)

  step('4. Track the order.created event           POST /api/v1/events')
  const tracked = await client.events.track(
    {
      event: 'order.created',
      profile: { email: 'alex@example.com', properties: { firstName: 'Alex' } },
      data: { orderId, orderTotal: '49.00' },
      referenceId: orderId,
    },
    { idempotencyKey: `order.created:${orderId}` },
  )
  show(`Event ${tracked.eventId} for profile ${tracked.profileId}`)
  show(`Journeys: ${tracked.matchedJourneys} matched, ${tracked.enrolledJourneys} enrolled, ${tracked.skippedJourneys} skipped`)

  step('5. Wait for the receipt to go out          GET /api/v1/emails/{id}')
  const started = Date.now()
  const sent = await client.emails.waitForStatus(first.data.id, { timeout: 30_000 })
  check(sent.status === 'Sent', `the receipt ended as ${sent.status}: ${sent.failureMessage ?? ''}`)
  show(`${first.data.status} -> ${sent.status} in ${((Date.now() - started) / 1000).toFixed(1)} s, message id ${sent.messageId}`)

  step('6. A key without emails:write              POST /api/v1/emails')
  if (!target.readOnlyApiKey) {
    show('Skipped: set SEGMENTFLOW_READ_ONLY_API_KEY to a key without emails:write to see it.')
  } else {
    const readOnly = new SegmentFlow({
      apiKey: target.readOnlyApiKey,
      ...(target.baseURL ? { baseURL: target.baseURL } : {}),
    })
    try {
      await readOnly.emails.send(receipt, { idempotencyKey: `order-confirmation:${orderId}:read-only` })
      check(false, 'a key without emails:write was allowed to send')
    } catch (error) {
      if (!(error instanceof PermissionDeniedError)) throw error
      show(`${error.name}: ${error.status} ${error.errorCode}, needs ${error.requiredScopes.join(', ')}`)
      show(`request ${error.requestId}; nothing was sent`)
    }
  }

  console.log('\nDone: one receipt sent, the repeat replayed, the event tracked.')
} catch (error) {
  console.error(`\nThe quickstart failed: ${error instanceof Error ? error.message : String(error)}`)
  if (error instanceof APIError) console.error(`   ${error.status} ${error.errorCode}, request ${error.requestId}`)
  process.exitCode = 1
} finally {
  await target.close()
}

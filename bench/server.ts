/**
 * The loopback API the benchmarks call: node:http on 127.0.0.1 answering with bodies serialised
 * once at start-up. It runs in a process of its own (forked by run.ts) so that its work never
 * shares an event loop with the clients being measured. It tells its parent the port over IPC.
 *
 * Answers: POST /api/v1/emails, POST /api/v1/events, GET /api/v1/templates, POST /api/v1/profiles
 * (pages of PROFILE_TOTAL profiles, built on demand from the cursor), POST /api/v1/emails/batch
 * (every item accepted, echoing its key).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'

import { loadSchemas } from './consumer.ts'
import {
  API_KEY,
  batchResult,
  emailSend,
  profilePage,
  PROFILE_PAGE_SIZE,
  PROFILE_TOTAL,
  templates,
  trackEventResponse,
} from './fixtures.ts'

type Prepared = { status: number; body: Buffer }

const { operations } = await loadSchemas()

/** Refuses to serve a body the spec does not allow. */
function checked(operation: keyof typeof operations, status: number, value: unknown): Prepared {
  const schema = (operations[operation].responses as Record<number, { safeParse(v: unknown): { success: boolean; error?: unknown } }>)[
    status
  ]
  const result = schema?.safeParse(value)
  if (!result?.success) {
    throw new Error(`bench fixture for ${operation} ${status} does not match the spec: ${String(result?.error)}`)
  }
  return { status, body: Buffer.from(JSON.stringify(value)) }
}

const sendEmail = checked('sendEmail', 202, emailSend)
const trackEvent = checked('trackEvent', 202, trackEventResponse)
const listTemplates = checked('listTemplates', 200, templates)
const firstProfilePage = checked('listProfiles', 200, profilePage(0, PROFILE_PAGE_SIZE, PROFILE_TOTAL))
// Pages past the first are built per request; their shape is checked once here.
checked('listProfiles', 200, profilePage(PROFILE_TOTAL - 10, 100, PROFILE_TOTAL))
checked('batchSendEmails', 200, batchResult(['a', 'b']))
const sendJSON = JSON.stringify(emailSend)
const unauthorized: Prepared = { status: 401, body: Buffer.from(JSON.stringify({ error: 'unauthorized', message: 'Bad API key.' })) }
const notFound: Prepared = { status: 404, body: Buffer.from(JSON.stringify({ error: 'not_found', message: 'No such route.' })) }

let requestCount = 0

function reply(res: ServerResponse, prepared: Prepared): void {
  res.writeHead(prepared.status, {
    'content-type': 'application/json',
    'content-length': prepared.body.length,
    'x-request-id': `req_${++requestCount}`,
  })
  res.end(prepared.body)
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function profilesFor(body: string): Prepared {
  const params = body ? (JSON.parse(body) as { cursor?: string; limit?: number }) : {}
  const limit = params.limit ?? PROFILE_PAGE_SIZE
  const offset = params.cursor === undefined ? 0 : Number(params.cursor)
  if (offset === 0 && limit === PROFILE_PAGE_SIZE) return firstProfilePage
  return { status: 200, body: Buffer.from(JSON.stringify(profilePage(offset, limit, PROFILE_TOTAL))) }
}

function batchFor(body: string): Prepared {
  const { items } = JSON.parse(body) as { items: Array<{ idempotencyKey: string }> }
  // Assembled from the prepared send rather than re-serialising it a hundred times per request.
  const parts = items.map(
    (item, index) => `{"index":${index},"idempotencyKey":${JSON.stringify(item.idempotencyKey)},"status":"accepted","send":${sendJSON}}`,
  )
  const json = `{"total":${items.length},"accepted":${items.length},"rejected":0,"items":[${parts.join(',')}]}`
  return { status: 200, body: Buffer.from(json) }
}

const server = createServer(async (req, res) => {
  // Every request body is read in full, as a real server would, before answering.
  const body = await readBody(req)
  if (req.headers['x-api-key'] !== API_KEY) return reply(res, unauthorized)
  const route = `${req.method} ${req.url?.split('?')[0]}`
  switch (route) {
    case 'POST /api/v1/emails':
      return reply(res, sendEmail)
    case 'POST /api/v1/events':
      return reply(res, trackEvent)
    case 'GET /api/v1/templates':
      return reply(res, listTemplates)
    case 'POST /api/v1/profiles':
      return reply(res, profilesFor(body))
    case 'POST /api/v1/emails/batch':
      return reply(res, batchFor(body))
    default:
      return reply(res, notFound)
  }
})
// Longer than any pause between benchmark rounds, so that no contender pays for a reconnect.
server.keepAliveTimeout = 120_000
server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  process.send?.({ port: address.port })
})
process.on('disconnect', () => process.exit(0))

/**
 * Request and response bodies for the benchmarks, taken from openapi.yaml's own examples so that
 * they stay what the API sends. The server and the clients import them from here; the server checks
 * every response against the spec's zod schemas before it listens, because a benchmark that users
 * might run with response validation on must not be fed bodies the SDK would refuse.
 */
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'

import type { BatchSendEmailsRequest } from '../generated/types/BatchSendEmailsRequest.ts'
import type { BatchSendItem } from '../generated/types/BatchSendItem.ts'
import type { EmailSend } from '../generated/types/EmailSend.ts'
import type { ListProfilesRequest } from '../generated/types/ListProfilesRequest.ts'
import type { ListProfilesResponse } from '../generated/types/ListProfilesResponse.ts'
import type { Profile } from '../generated/types/Profile.ts'
import type { SendEmailRequest } from '../generated/types/SendEmailRequest.ts'
import type { TemplateSummary } from '../generated/types/TemplateSummary.ts'
import type { TrackEventRequest } from '../generated/types/TrackEventRequest.ts'
import type { TrackEventResponse } from '../generated/types/TrackEventResponse.ts'

type Json = Record<string, any>

const spec: Json = parse(readFileSync(new URL('../openapi.yaml', import.meta.url), 'utf8'), { maxAliasCount: -1 })
const paths: Json = spec.paths
const examples: Json = spec.components.examples

function clone<T>(value: T): T {
  return structuredClone(value)
}

export const API_KEY = 'sf_bench_0123456789abcdef'

// Requests: the spec's quickstart examples, the first thing a user sends.
export const sendEmailBody: SendEmailRequest =
  paths['/api/v1/emails'].post.requestBody.content['application/json'].examples.quickstart.value
export const trackEventBody: TrackEventRequest =
  paths['/api/v1/events'].post.requestBody.content['application/json'].examples.quickstart.value
/** The spec's default page size. */
export const PROFILE_PAGE_SIZE = 50
/** How many profiles the server's list holds: what the memory benchmark iterates. */
export const PROFILE_TOTAL = 100_000
export const listProfilesBody = { limit: PROFILE_PAGE_SIZE } satisfies ListProfilesRequest

// Responses.
export const emailSend: EmailSend = clone(examples.QueuedEmailSendValue.value)
export const trackEventResponse: TrackEventResponse = clone(
  paths['/api/v1/events'].post.responses['202'].content['application/json'].example,
)

/** Ten templates: an organization's handful of receipts and resets, not one lonely row. */
export const templates: TemplateSummary[] = Array.from({ length: 10 }, (_, i) => {
  const [template] = clone(paths['/api/v1/templates'].get.responses['200'].content['application/json'].example as TemplateSummary[])
  const n = String(i).padStart(2, '0')
  return { ...template!, id: template!.id.slice(0, -2) + n, key: `${template!.key}-${n}`, name: `${template!.name} ${n}` }
})

const profileExample: Profile = clone(examples.ProfileValue.value)

function profileAt(index: number): Profile {
  return {
    ...profileExample,
    id: `prof_${index}`,
    email: `customer${index}@example.com`,
    externalId: `shopify:customer_${index}`,
    properties: { firstName: `Customer ${index}`, orders: index % 17 },
  }
}

/**
 * A page of a `total`-profile list. The cursor is the next offset, so the server needs no state and
 * builds any page on demand: 100,000 profiles never sit in its memory either.
 */
export function profilePage(offset: number, limit: number, total: number): ListProfilesResponse {
  const end = Math.min(offset + limit, total)
  const profiles: Profile[] = []
  for (let i = offset; i < end; i++) profiles.push(profileAt(i))
  return {
    profiles,
    profileCount: total,
    nextCursor: end < total ? String(end) : null,
    previousCursor: offset > 0 ? String(Math.max(0, offset - limit)) : null,
  }
}

/** `count` batch items, keyed like a user would key them (one business id each). */
export function batchItems(count: number): BatchSendEmailsRequest {
  const items: BatchSendItem[] = Array.from({ length: count }, (_, i) => ({
    idempotencyKey: `order-confirmation:ord_${i}`,
    to: { email: `customer${i}@example.com` },
    data: { orderId: `ord_${i}`, orderTotal: '49.00' },
  }))
  return { defaults: { templateKey: 'receipt-default', from: 'Acme Receipts <receipts@example.com>' }, items }
}

/** The body the server answers a batch with, every item accepted. */
export function batchResult(keys: ReadonlyArray<string>): Json {
  return {
    total: keys.length,
    accepted: keys.length,
    rejected: 0,
    items: keys.map((idempotencyKey, index) => ({ index, idempotencyKey, status: 'accepted', send: emailSend })),
  }
}

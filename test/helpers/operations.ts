/**
 * Every operation of the API as a table row: the SDK call, and what the server must see and answer.
 * The namespace tests run their rows; test/resources/surface.test.ts checks the rows cover the spec.
 */
import { expect } from 'vitest'

import type { SegmentFlow } from '../../src/index.ts'
import type { OperationId } from '../../src/core/requester.ts'
import { json, makeClient, mockFetch, noContent, UUID_PATTERN } from './mock-fetch.ts'

export type OperationRow = {
  operation: OperationId
  call: (client: SegmentFlow) => PromiseLike<unknown>
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  path: string
  /** The JSON body the server must receive; undefined for none. */
  body?: unknown
  /** The query string the server must receive (with `?`), '' for none. */
  query?: string
  /** Mutations carry an Idempotency-Key. */
  write: boolean
  status: number
  /** The body the server answers with (none for 204). */
  response?: unknown
  /** What the call resolves to, from the resolved value; defaults to the value itself. */
  result?: (value: unknown) => unknown
}

export const TEMPLATE_ID = '0b6c0d2e-3f41-4a52-8b63-7c84d95ea6f7'
export const ASSET_ID = '1c7d1e3f-4a52-4b63-9c74-8d95ea6fb708'
export const BRAND_ID = '2d8e2f4a-5b63-4c74-8d85-9ea6fb70c819'
export const EMAIL_ID = '3e9f3a5b-6c74-4d85-9e96-afb70c81d92a'

export async function checkOperation(row: OperationRow): Promise<void> {
  const server = mockFetch(() => (row.status === 204 ? noContent() : json(row.status, row.response)))
  const client = makeClient(server.fetch)

  const value = await row.call(client)

  expect(server.requests).toHaveLength(1)
  const [request] = server.requests
  expect(request?.method).toBe(row.method)
  expect(request?.path).toBe(row.path)
  expect(request?.url.search).toBe(row.query ?? '')
  expect(request?.body).toEqual(row.body)
  expect(request?.headers['content-type']).toBe(row.body === undefined ? undefined : 'application/json')
  expect(request?.headers['x-api-key']).toBeDefined()
  if (row.write) expect(request?.headers['idempotency-key']).toMatch(UUID_PATTERN)
  else expect(request?.headers).not.toHaveProperty('idempotency-key')
  expect(row.result ? row.result(value) : value).toEqual(row.status === 204 ? undefined : row.response)
}

const pageData = (value: unknown) => (value as { data: unknown[]; body?: unknown }).data

const template = { id: TEMPLATE_ID, name: 'Receipt' }
const asset = { success: true, asset: { id: ASSET_ID, status: 'pending' } }
const brandKit = { id: BRAND_ID, name: 'Acme' }
const progress = { currentStep: 'logos', completedSteps: 1, totalSteps: 4, isComplete: false, isFailed: false }
const emailSend = { id: EMAIL_ID, status: 'Queued' }

export const ROWS: Record<'emails' | 'events' | 'profiles' | 'templates' | 'assets' | 'brandKits', OperationRow[]> = {
  emails: [
    {
      operation: 'sendEmail',
      call: (c) => c.emails.send({ templateKey: 'receipt-default', to: { email: 'alex@example.com' }, data: { orderId: 'ord_9421' } }),
      method: 'POST',
      path: '/api/v1/emails',
      body: { templateKey: 'receipt-default', to: { email: 'alex@example.com' }, data: { orderId: 'ord_9421' } },
      write: true,
      status: 202,
      response: emailSend,
    },
    {
      operation: 'batchSendEmails',
      call: (c) => c.emails.batchSend({ items: [{ idempotencyKey: 'b-1', to: { email: 'alex@example.com' } }], defaults: { templateKey: 'receipt-default' } }),
      method: 'POST',
      path: '/api/v1/emails/batch',
      body: { items: [{ idempotencyKey: 'b-1', to: { email: 'alex@example.com' } }], defaults: { templateKey: 'receipt-default' } },
      write: true,
      status: 200,
      response: { total: 1, accepted: 1, rejected: 0, items: [{ index: 0, idempotencyKey: 'b-1', status: 'accepted', send: emailSend }] },
    },
    { operation: 'retrieveEmail', call: (c) => c.emails.retrieve(EMAIL_ID), method: 'GET', path: `/api/v1/emails/${EMAIL_ID}`, write: false, status: 200, response: emailSend },
  ],
  events: [
    {
      operation: 'trackEvent',
      call: (c) => c.events.track({ event: 'order.created', profile: { email: 'alex@example.com' }, referenceId: 'ord_9421' }),
      method: 'POST',
      path: '/api/v1/events',
      body: { event: 'order.created', profile: { email: 'alex@example.com' }, referenceId: 'ord_9421' },
      write: true,
      status: 202,
      response: { eventId: EMAIL_ID, profileId: 'p1', matchedJourneys: 1, enrolledJourneys: 1, skippedJourneys: 0 },
    },
  ],
  profiles: [
    {
      operation: 'listProfiles',
      call: (c) => c.profiles.list({ search: 'alex', limit: 10 }),
      method: 'POST',
      path: '/api/v1/profiles',
      body: { search: 'alex', limit: 10 },
      write: false,
      status: 200,
      response: { profiles: [{ id: 'p1' }], profileCount: 1, nextCursor: null, previousCursor: null },
      result: (page) => ({ profiles: pageData(page), profileCount: 1, nextCursor: null, previousCursor: null }),
    },
    { operation: 'retrieveProfile', call: (c) => c.profiles.retrieve('shopify:42'), method: 'GET', path: '/api/v1/profiles/shopify%3A42', write: false, status: 200, response: { id: 'shopify:42' } },
    {
      operation: 'listProfileSubscriptions',
      call: (c) => c.profiles.listSubscriptions('p1'),
      method: 'GET',
      path: '/api/v1/profiles/p1/subscriptions',
      write: false,
      status: 200,
      response: { profileId: 'p1', subscriptions: [] },
    },
    { operation: 'deleteProfile', call: (c) => c.profiles.delete('p1'), method: 'DELETE', path: '/api/v1/profiles/p1', write: true, status: 204 },
    {
      operation: 'bulkDeleteProfiles',
      call: (c) => c.profiles.bulkDelete({ profileIds: ['p1', 'p2'] }),
      method: 'POST',
      path: '/api/v1/profiles/bulk-delete',
      body: { profileIds: ['p1', 'p2'] },
      write: true,
      status: 200,
      response: { deletedCount: 2 },
    },
  ],
  templates: [
    {
      operation: 'listTemplates',
      call: (c) => c.templates.list({ status: ['Active'], purpose: 'Transactional' }),
      method: 'GET',
      path: '/api/v1/templates',
      query: '?status=Active&purpose=Transactional',
      write: false,
      status: 200,
      response: [template],
    },
    { operation: 'retrieveTemplate', call: (c) => c.templates.retrieve(TEMPLATE_ID), method: 'GET', path: `/api/v1/templates/${TEMPLATE_ID}`, write: false, status: 200, response: template },
    {
      operation: 'createTemplate',
      call: (c) => c.templates.create({ name: 'Receipt', key: 'receipt-default', purpose: 'Transactional' }),
      method: 'POST',
      path: '/api/v1/templates',
      body: { name: 'Receipt', key: 'receipt-default', purpose: 'Transactional' },
      write: true,
      status: 201,
      response: template,
    },
    {
      operation: 'updateTemplate',
      call: (c) => c.templates.update(TEMPLATE_ID, { name: 'Receipt v2' }),
      method: 'PUT',
      path: `/api/v1/templates/${TEMPLATE_ID}`,
      body: { name: 'Receipt v2' },
      write: true,
      status: 200,
      response: template,
    },
    { operation: 'deleteTemplate', call: (c) => c.templates.delete(TEMPLATE_ID), method: 'DELETE', path: `/api/v1/templates/${TEMPLATE_ID}`, write: true, status: 204 },
    {
      operation: 'duplicateTemplate',
      call: (c) => c.templates.duplicate(TEMPLATE_ID, { name: 'Receipt copy' }),
      method: 'POST',
      path: `/api/v1/templates/${TEMPLATE_ID}/duplicate`,
      body: { name: 'Receipt copy' },
      write: true,
      status: 201,
      response: template,
    },
    { operation: 'archiveTemplate', call: (c) => c.templates.archive(TEMPLATE_ID), method: 'POST', path: `/api/v1/templates/${TEMPLATE_ID}/archive`, write: true, status: 200, response: template },
    { operation: 'unarchiveTemplate', call: (c) => c.templates.unarchive(TEMPLATE_ID), method: 'POST', path: `/api/v1/templates/${TEMPLATE_ID}/unarchive`, write: true, status: 200, response: template },
  ],
  assets: [
    {
      operation: 'listAssets',
      call: (c) => c.assets.list({ limit: 20, imageType: 'logo' }),
      method: 'GET',
      path: '/api/v1/assets',
      query: '?limit=20&imageType=logo',
      write: false,
      status: 200,
      response: { success: true, assets: [asset.asset], nextCursor: null },
      result: (page) => ({ success: true, assets: pageData(page), nextCursor: null }),
    },
    { operation: 'retrieveAsset', call: (c) => c.assets.retrieve(ASSET_ID), method: 'GET', path: `/api/v1/assets/${ASSET_ID}`, write: false, status: 200, response: asset },
    {
      operation: 'createAssetUploadUrl',
      call: (c) => c.assets.createUploadUrl({ filename: 'logo.png', contentType: 'image/png', size: 1024 }),
      method: 'POST',
      path: '/api/v1/assets/upload-url',
      body: { filename: 'logo.png', contentType: 'image/png', size: 1024 },
      write: true,
      status: 200,
      response: { success: true, uploadUrl: 'https://uploads.example.com/x', key: 'org/logo.png', expiresIn: 900 },
    },
    {
      operation: 'createAsset',
      call: (c) => c.assets.create({ filename: 'logo.png', s3Key: 'org/logo.png', contentType: 'image/png', size: 1024 }),
      method: 'POST',
      path: '/api/v1/assets',
      body: { filename: 'logo.png', s3Key: 'org/logo.png', contentType: 'image/png', size: 1024 },
      write: true,
      status: 201,
      response: asset,
    },
    {
      operation: 'finalizeAsset',
      call: (c) => c.assets.finalize(ASSET_ID, { altText: 'Acme logo' }),
      method: 'POST',
      path: `/api/v1/assets/${ASSET_ID}/finalize`,
      body: { altText: 'Acme logo' },
      write: true,
      status: 200,
      response: asset,
    },
    {
      operation: 'updateAsset',
      call: (c) => c.assets.update(ASSET_ID, { tags: ['brand'], description: null }),
      method: 'PATCH',
      path: `/api/v1/assets/${ASSET_ID}`,
      body: { tags: ['brand'], description: null },
      write: true,
      status: 200,
      response: asset,
    },
    { operation: 'deleteAsset', call: (c) => c.assets.delete(ASSET_ID), method: 'DELETE', path: `/api/v1/assets/${ASSET_ID}`, write: true, status: 204 },
  ],
  brandKits: [
    { operation: 'listBrandKits', call: (c) => c.brandKits.list(), method: 'GET', path: '/api/v1/brand-kit', write: false, status: 200, response: [brandKit] },
    { operation: 'retrieveBrandKit', call: (c) => c.brandKits.retrieve(BRAND_ID), method: 'GET', path: `/api/v1/brand-kit/${BRAND_ID}`, write: false, status: 200, response: brandKit },
    {
      operation: 'createBrandKit',
      call: (c) => c.brandKits.create({ name: 'Acme' }),
      method: 'POST',
      path: '/api/v1/brand-kit',
      body: { name: 'Acme' },
      write: true,
      status: 201,
      response: brandKit,
    },
    {
      operation: 'updateBrandKit',
      call: (c) => c.brandKits.update(BRAND_ID, { name: 'Acme EU' }),
      method: 'PATCH',
      path: `/api/v1/brand-kit/${BRAND_ID}`,
      body: { name: 'Acme EU' },
      write: true,
      status: 200,
      response: brandKit,
    },
    { operation: 'deleteBrandKit', call: (c) => c.brandKits.delete(BRAND_ID), method: 'DELETE', path: `/api/v1/brand-kit/${BRAND_ID}`, write: true, status: 204 },
    { operation: 'clearBrandKit', call: (c) => c.brandKits.clear(BRAND_ID), method: 'POST', path: `/api/v1/brand-kit/${BRAND_ID}/clear`, write: true, status: 200, response: brandKit },
    { operation: 'setDefaultBrandKit', call: (c) => c.brandKits.setDefault(BRAND_ID), method: 'POST', path: `/api/v1/brand-kit/${BRAND_ID}/default`, write: true, status: 200, response: brandKit },
    {
      operation: 'extractBrandKit',
      call: (c) => c.brandKits.extract(BRAND_ID, { websiteUrl: 'https://acme.example.com' }),
      method: 'POST',
      path: `/api/v1/brand-kit/${BRAND_ID}/extract`,
      body: { websiteUrl: 'https://acme.example.com' },
      write: true,
      status: 202,
      response: progress,
    },
    {
      operation: 'retrieveBrandKitExtractionProgress',
      call: (c) => c.brandKits.extractionProgress(BRAND_ID),
      method: 'GET',
      path: `/api/v1/brand-kit/${BRAND_ID}/extraction-progress`,
      write: false,
      status: 200,
      response: progress,
    },
  ],
}

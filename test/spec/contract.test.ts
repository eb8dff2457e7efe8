// The published spec against the v1 contract, operation by operation.
//
// The table below is written from the API contract, not read from openapi.yaml: a route, scope or
// idempotency rule that drifts in the spec fails here, before it reaches the generated code.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { errorEnvelopeSchema } from '../../generated/zod/errorEnvelopeSchema.ts'
import { operations } from '../../generated/zod/operations.ts'

type Idempotency = 'required' | 'optional' | 'none'
type Row = [operationId: string, method: string, path: string, tag: string, scope: string, idempotency: Idempotency]

// The routes SegmentFlow's API reference shows. Every other operation is the spec's inference.
const documented = new Set([
  'listProfiles',
  'retrieveProfile',
  'listTemplates',
  'updateTemplate',
  'createAssetUploadUrl',
  'createAsset',
  'updateAsset',
  'retrieveBrandKitExtractionProgress',
  'sendEmail',
  'batchSendEmails',
  'retrieveEmail',
  'trackEvent',
])

// Mutations that are neither documented to honour the Idempotency-Key (send, batch send by its
// items' keys, track) nor idempotent by their semantics (PUT, DELETE, archive, unarchive, clear,
// set default): retried only when the request provably never reached the server.
const notIdempotent = new Set([
  'bulkDeleteProfiles',
  'createTemplate',
  'duplicateTemplate',
  'createAssetUploadUrl',
  'createAsset',
  'finalizeAsset',
  'updateAsset',
  'createBrandKit',
  'updateBrandKit',
  'extractBrandKit',
])

const contract: Row[] = [
  ['listProfiles', 'post', '/api/v1/profiles', 'Profiles', 'profiles:read', 'none'],
  ['retrieveProfile', 'get', '/api/v1/profiles/{profileId}', 'Profiles', 'profiles:read', 'none'],
  ['listProfileSubscriptions', 'get', '/api/v1/profiles/{profileId}/subscriptions', 'Profiles', 'profiles:read', 'none'],
  ['deleteProfile', 'delete', '/api/v1/profiles/{profileId}', 'Profiles', 'profiles:write', 'optional'],
  ['bulkDeleteProfiles', 'post', '/api/v1/profiles/bulk-delete', 'Profiles', 'profiles:write', 'optional'],

  ['listTemplates', 'get', '/api/v1/templates', 'Templates', 'templates:read', 'none'],
  ['retrieveTemplate', 'get', '/api/v1/templates/{id}', 'Templates', 'templates:read', 'none'],
  ['createTemplate', 'post', '/api/v1/templates', 'Templates', 'templates:write', 'optional'],
  ['updateTemplate', 'put', '/api/v1/templates/{id}', 'Templates', 'templates:write', 'optional'],
  ['deleteTemplate', 'delete', '/api/v1/templates/{id}', 'Templates', 'templates:write', 'optional'],
  ['duplicateTemplate', 'post', '/api/v1/templates/{id}/duplicate', 'Templates', 'templates:write', 'optional'],
  ['archiveTemplate', 'post', '/api/v1/templates/{id}/archive', 'Templates', 'templates:write', 'optional'],
  ['unarchiveTemplate', 'post', '/api/v1/templates/{id}/unarchive', 'Templates', 'templates:write', 'optional'],

  ['listAssets', 'get', '/api/v1/assets', 'Assets', 'assets:read', 'none'],
  ['retrieveAsset', 'get', '/api/v1/assets/{id}', 'Assets', 'assets:read', 'none'],
  ['createAssetUploadUrl', 'post', '/api/v1/assets/upload-url', 'Assets', 'assets:write', 'optional'],
  ['createAsset', 'post', '/api/v1/assets', 'Assets', 'assets:write', 'optional'],
  ['finalizeAsset', 'post', '/api/v1/assets/{id}/finalize', 'Assets', 'assets:write', 'optional'],
  ['updateAsset', 'patch', '/api/v1/assets/{id}', 'Assets', 'assets:write', 'optional'],
  ['deleteAsset', 'delete', '/api/v1/assets/{id}', 'Assets', 'assets:write', 'optional'],

  ['listBrandKits', 'get', '/api/v1/brand-kit', 'Brand Kit', 'brand-kit:read', 'none'],
  ['retrieveBrandKit', 'get', '/api/v1/brand-kit/{brandId}', 'Brand Kit', 'brand-kit:read', 'none'],
  ['createBrandKit', 'post', '/api/v1/brand-kit', 'Brand Kit', 'brand-kit:write', 'optional'],
  ['updateBrandKit', 'patch', '/api/v1/brand-kit/{brandId}', 'Brand Kit', 'brand-kit:write', 'optional'],
  ['deleteBrandKit', 'delete', '/api/v1/brand-kit/{brandId}', 'Brand Kit', 'brand-kit:write', 'optional'],
  ['clearBrandKit', 'post', '/api/v1/brand-kit/{brandId}/clear', 'Brand Kit', 'brand-kit:write', 'optional'],
  ['setDefaultBrandKit', 'post', '/api/v1/brand-kit/{brandId}/default', 'Brand Kit', 'brand-kit:write', 'optional'],
  ['extractBrandKit', 'post', '/api/v1/brand-kit/{brandId}/extract', 'Brand Kit', 'brand-kit:write', 'optional'],
  [
    'retrieveBrandKitExtractionProgress',
    'get',
    '/api/v1/brand-kit/{brandId}/extraction-progress',
    'Brand Kit',
    'brand-kit:read',
    'none',
  ],

  ['sendEmail', 'post', '/api/v1/emails', 'Emails', 'emails:write', 'required'],
  ['batchSendEmails', 'post', '/api/v1/emails/batch', 'Emails', 'emails:write', 'optional'],
  ['retrieveEmail', 'get', '/api/v1/emails/{id}', 'Emails', 'emails:read', 'none'],

  ['trackEvent', 'post', '/api/v1/events', 'Events', 'events:write', 'required'],
]

const contractErrorCodes = [
  'invalid_request',
  'unauthorized',
  'insufficient_scope',
  'not_found',
  'idempotency_key_reuse',
  'idempotency_request_in_progress',
  'conflict',
  'payload_too_large',
  'validation_failed',
  'rate_limited',
  'internal_error',
  'service_unavailable',
]

const contractScopes = [
  'profiles:read',
  'profiles:write',
  'templates:read',
  'templates:write',
  'assets:read',
  'assets:write',
  'brand-kit:read',
  'brand-kit:write',
  'events:write',
  'emails:write',
  'emails:read',
]

// The two request bodies of the product quickstart, exactly as the brief gives them.
const quickstartSend = {
  templateKey: 'receipt-default',
  from: 'Acme Receipts <receipts@example.com>',
  to: { email: 'alex@example.com', externalId: 'shopify:customer_123' },
  subject: 'Receipt for order ord_9421',
  replyTo: 'Acme Support <support@example.com>',
  data: { orderId: 'ord_9421', firstName: 'Alex', orderTotal: '49.00' },
}
const quickstartEvent = {
  event: 'order.created',
  profile: { email: 'alex@example.com', properties: { firstName: 'Alex' } },
  data: { orderId: 'ord_9421', orderTotal: '49.00' },
  referenceId: 'ord_9421',
}

// --- reading the spec -------------------------------------------------------------------------

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Node = any
const spec: Node = parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8'))

/** Resolves a local `$ref` (one level at a time, until the node is not a reference). */
function deref(node: Node): Node {
  let current = node
  while (current && typeof current === 'object' && typeof current.$ref === 'string') {
    const pointer: string = current.$ref
    expect(pointer.startsWith('#/')).toBe(true)
    current = pointer
      .slice(2)
      .split('/')
      .reduce((acc: Node, key) => acc?.[key.replaceAll('~1', '/').replaceAll('~0', '~')], spec)
    expect(current, `unresolved ${pointer}`).toBeDefined()
  }
  return current
}

const httpMethods = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace']

const specOperations = Object.entries(spec.paths as Record<string, Node>).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([method]) => httpMethods.includes(method))
    .map(([method, operation]) => ({
      path,
      method,
      operation: operation as Node,
      parameters: [...(item.parameters ?? []), ...((operation as Node).parameters ?? [])].map(deref),
    })),
)

function findOperation(operationId: string) {
  const found = specOperations.find((entry) => entry.operation.operationId === operationId)
  expect(found, `operation ${operationId} is missing from openapi.yaml`).toBeDefined()
  return found!
}

/** Every example value of a media type, whether given as `example` or as named `examples`. */
function examplesOf(media: Node): unknown[] {
  const values: unknown[] = []
  if (media.example !== undefined) values.push(media.example)
  for (const example of Object.values(media.examples ?? {})) values.push(deref(example).value)
  return values
}

function issuesOf(result: { success: boolean; error?: { issues: unknown[] } }) {
  return result.success ? [] : result.error?.issues
}

// --- the tests ----------------------------------------------------------------------------------

describe('openapi.yaml', () => {
  it('is OpenAPI 3.1 served from https://api.segmentflow.ai', () => {
    expect(spec.openapi).toMatch(/^3\.1\./)
    expect(spec.servers.map((server: Node) => server.url)).toEqual(['https://api.segmentflow.ai'])
  })

  it('has exactly the 33 operations of the contract, with unique camelCase ids', () => {
    const ids = specOperations.map((entry) => entry.operation.operationId)
    expect(ids).toHaveLength(33)
    expect(new Set(ids).size).toBe(33)
    for (const id of ids) expect(id).toMatch(/^[a-z][a-zA-Z0-9]*$/)
    expect(new Set(ids)).toEqual(new Set(contract.map(([id]) => id)))
  })

  it('declares one tag per resource and nothing else', () => {
    expect(spec.tags.map((tag: Node) => tag.name)).toEqual([
      'Profiles',
      'Templates',
      'Assets',
      'Brand Kit',
      'Emails',
      'Events',
    ])
  })

  describe.each(contract)('%s', (operationId, method, path, tag, scope, idempotency) => {
    const { operation, parameters, ...found } = findOperation(operationId)

    it(`is ${method.toUpperCase()} ${path}, tagged ${tag}`, () => {
      expect(found).toEqual({ method, path })
      expect(operation.tags).toEqual([tag])
    })

    const provenance = documented.has(operationId) ? 'documented' : 'inferred'
    it(`is marked ${provenance}, in x-segmentflow-provenance and in its description`, () => {
      expect(operation['x-segmentflow-provenance']).toBe(provenance)
      expect(operation.description).toMatch(provenance === 'documented' ? /^Documented: /m : /^Inferred: /m)
    })

    const idempotent = !notIdempotent.has(operationId)
    it(`is marked x-segmentflow-idempotent: ${idempotent}, and a mutation says what that means for retries`, () => {
      expect(operation['x-segmentflow-idempotent']).toBe(idempotent)
      if (idempotency !== 'none') {
        expect(operation.description).toMatch(idempotent ? /^Retries: .*`x-segmentflow-idempotent: true`/ms : /^Retries: not idempotent by documentation/m)
      }
    })

    it(`requires the x-api-key scheme and the ${scope} scope`, () => {
      expect(operation.security).toEqual([{ ApiKeyAuth: [] }])
      expect(operation['x-required-scopes']).toEqual([scope])
    })

    it(`takes the Idempotency-Key header: ${idempotency}`, () => {
      const header = parameters.find((parameter: Node) => parameter.in === 'header' && parameter.name === 'Idempotency-Key')
      if (idempotency === 'none') {
        expect(header).toBeUndefined()
      } else {
        expect(header).toBeDefined()
        expect(header.required === true).toBe(idempotency === 'required')
      }
    })

    it('documents the errors it can return with the error envelope and request id', () => {
      const statuses = Object.keys(operation.responses)
      for (const status of ['401', '403', '429', '500', '503']) expect(statuses).toContain(status)
      if (path.includes('{')) expect(statuses).toContain('404')
      if (idempotency !== 'none') expect(statuses).toContain('409')

      for (const [status, raw] of Object.entries(operation.responses as Record<string, Node>)) {
        const response = deref(raw)
        expect(response.headers?.['x-request-id'], `${status} lacks x-request-id`).toBeDefined()
        if (Number(status) >= 400) {
          expect(response.content['application/json'].schema.$ref).toBe('#/components/schemas/ErrorEnvelope')
        }
      }

      const rateLimited = deref(operation.responses['429'])
      for (const header of ['Retry-After', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) {
        expect(rateLimited.headers[header], `429 lacks ${header}`).toBeDefined()
      }
      expect(deref(operation.responses['503']).headers['Retry-After']).toBeDefined()
    })

    it('has request and response examples that match its own generated schemas', () => {
      const schemas = (operations as Node)[operationId]
      expect(schemas, `no generated schemas for ${operationId}`).toBeDefined()

      const body = operation.requestBody && deref(operation.requestBody)
      if (body) {
        const examples = examplesOf(body.content['application/json'])
        expect(examples.length).toBeGreaterThan(0)
        for (const example of examples) expect(issuesOf(schemas.request.safeParse(example))).toEqual([])
      }

      for (const parameter of parameters) {
        if (parameter.in !== 'header') expect(parameter.example, `${parameter.name} has no example`).toBeDefined()
      }

      const successes = Object.entries(operation.responses as Record<string, Node>).filter(
        ([status]) => Number(status) < 300,
      )
      expect(successes).toHaveLength(1)
      for (const [status, raw] of successes) {
        const media = deref(raw).content?.['application/json']
        if (status === '204') {
          expect(media).toBeUndefined()
          continue
        }
        const examples = examplesOf(media)
        expect(examples.length).toBeGreaterThan(0)
        for (const example of examples) {
          expect(issuesOf(schemas.responses[status].safeParse(example))).toEqual([])
        }
      }
    })
  })

  it('lists every error code of the contract in the ErrorCode enum, and no other', () => {
    expect(spec.components.schemas.ErrorCode.enum).toEqual(contractErrorCodes)
    expect(spec.components.schemas.ErrorEnvelope.properties.error.$ref).toBe('#/components/schemas/ErrorCode')
    // A component named `Error` would generate a type that shadows the global Error.
    expect(Object.keys(spec.components.schemas)).not.toContain('Error')
  })

  it('lists every scope of the contract', () => {
    expect(spec.components.schemas.Scope.enum).toEqual(contractScopes)
    const used = new Set(contract.map(([, , , , scope]) => scope))
    expect(new Set(contractScopes)).toEqual(used)
  })

  it('gives every error response an example that is a valid error envelope', () => {
    for (const [name, response] of Object.entries(spec.components.responses as Record<string, Node>)) {
      const examples = examplesOf(response.content['application/json'])
      expect(examples.length, `${name} has no example`).toBeGreaterThan(0)
      for (const example of examples) expect(issuesOf(errorEnvelopeSchema.safeParse(example))).toEqual([])
    }
  })

  it('carries the quickstart bodies as examples of send and track', () => {
    const send = deref(findOperation('sendEmail').operation.requestBody).content['application/json']
    const track = deref(findOperation('trackEvent').operation.requestBody).content['application/json']
    expect(examplesOf(send)).toContainEqual(quickstartSend)
    expect(examplesOf(track)).toContainEqual(quickstartEvent)
  })
})

describe('the generated request schemas enforce the contract', () => {
  const send = (operations as Node).sendEmail.request
  const track = (operations as Node).trackEvent.request
  const bulkDelete = (operations as Node).bulkDeleteProfiles.request
  const idempotencyKey = (operations as Node).sendEmail.parameters.header.shape['Idempotency-Key']

  it('accepts the quickstart bodies', () => {
    expect(send.safeParse(quickstartSend).success).toBe(true)
    expect(track.safeParse(quickstartEvent).success).toBe(true)
  })

  it('wants exactly one of templateId and templateKey', () => {
    const { templateKey: _, ...withoutTemplate } = quickstartSend
    expect(send.safeParse(withoutTemplate).success).toBe(false)
    expect(send.safeParse({ ...quickstartSend, templateId: '3f9a1c2e-7b4d-4e8f-9a0b-1c2d3e4f5a6b' }).success).toBe(false)
    expect(send.safeParse({ ...withoutTemplate, templateId: '3f9a1c2e-7b4d-4e8f-9a0b-1c2d3e4f5a6b' }).success).toBe(true)
  })

  it('wants a recipient: profileId, to.email or to.externalId', () => {
    const { to: _, ...withoutRecipient } = quickstartSend
    expect(send.safeParse(withoutRecipient).success).toBe(false)
    expect(send.safeParse({ ...withoutRecipient, to: {} }).success).toBe(false)
    expect(send.safeParse({ ...withoutRecipient, profileId: 'prof_1' }).success).toBe(true)
    expect(send.safeParse({ ...withoutRecipient, to: { externalId: 'shopify:1' } }).success).toBe(true)
  })

  it('bounds subject, from and the cc list', () => {
    expect(send.safeParse({ ...quickstartSend, subject: '' }).success).toBe(false)
    expect(send.safeParse({ ...quickstartSend, subject: 'x'.repeat(999) }).success).toBe(false)
    expect(send.safeParse({ ...quickstartSend, from: 'x'.repeat(321) }).success).toBe(false)
    expect(send.safeParse({ ...quickstartSend, cc: Array(50).fill('a@example.com') }).success).toBe(true)
    expect(send.safeParse({ ...quickstartSend, cc: Array(51).fill('a@example.com') }).success).toBe(false)
  })

  it('wants an event name and a profile email or external id', () => {
    expect(track.safeParse({ ...quickstartEvent, event: '' }).success).toBe(false)
    expect(track.safeParse({ ...quickstartEvent, event: 42 }).success).toBe(false)
    expect(track.safeParse({ ...quickstartEvent, profile: { properties: {} } }).success).toBe(false)
    expect(track.safeParse({ ...quickstartEvent, profile: { externalId: 'shopify:1' } }).success).toBe(true)
    expect(track.safeParse({ ...quickstartEvent, redactedDataPaths: ['/data/x'] }).success).toBe(false)
  })

  it('wants exactly one of profileIds and filter to bulk-delete', () => {
    expect(bulkDelete.safeParse({ profileIds: ['a'] }).success).toBe(true)
    expect(bulkDelete.safeParse({ filter: { search: 'alex' } }).success).toBe(true)
    expect(bulkDelete.safeParse({ profileIds: ['a'], filter: { search: 'alex' } }).success).toBe(false)
    expect(bulkDelete.safeParse({}).success).toBe(false)
    expect(bulkDelete.safeParse({ profileIds: [] }).success).toBe(false)
    expect(bulkDelete.safeParse({ profileIds: Array(1001).fill('a') }).success).toBe(false)
  })

  it('wants 1 to 255 printable ASCII characters as an idempotency key', () => {
    expect(idempotencyKey.safeParse('order-confirmation:ord_9421').success).toBe(true)
    expect(idempotencyKey.safeParse('').success).toBe(false)
    expect(idempotencyKey.safeParse('x'.repeat(256)).success).toBe(false)
    expect(idempotencyKey.safeParse('a\r\nb').success).toBe(false)
    expect(idempotencyKey.safeParse('é').success).toBe(false)
    expect(idempotencyKey.safeParse(' padded ').success).toBe(false)
    expect(idempotencyKey.safeParse('a b').success).toBe(true)
    expect(idempotencyKey.safeParse('x'.repeat(255)).success).toBe(true)
  })
})

// Facts the reference pages show, and what the spec does where the pages say nothing.
describe('the reference pages, field by field', () => {
  const ops = operations as Node
  const templateResponse = ops.retrieveTemplate.responses[200]
  const templateExample = deref(spec.components.examples.TemplateValue).value
  const assetExample = deref(spec.components.examples.AssetResponseValue).value
  const profileExample = deref(spec.components.examples.ProfileValue).value
  const sentExample = deref(spec.components.examples.SentEmailSendValue).value
  const without = (object: Record<string, unknown>, ...keys: string[]) =>
    Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key)))

  it('takes renderVariables as an object, as the reference sample shows, in and out', () => {
    const definition = (renderVariables: unknown) => ({ ...templateExample, definition: { ...templateExample.definition, renderVariables } })
    expect(issuesOf(templateResponse.safeParse(definition({})))).toEqual([])
    expect(templateResponse.safeParse(definition({ orderId: 'ord_1' })).success).toBe(true)
    expect(templateResponse.safeParse(definition(['/data/orderId'])).success).toBe(false)
    expect(ops.createTemplate.request.safeParse({ name: 'x', definition: { renderVariables: {} } }).success).toBe(true)
    expect(ops.createTemplate.request.safeParse({ name: 'x', definition: { renderVariables: ['/data/x'] } }).success).toBe(false)
  })

  it('filters templates by one purpose and by several statuses', () => {
    const query = ops.listTemplates.parameters.query
    expect(query.safeParse({ purpose: 'Transactional', status: ['Active', 'Archived'] }).success).toBe(true)
    expect(query.safeParse({ purpose: ['Transactional'] }).success).toBe(false)
    expect(query.safeParse({ purpose: 'Marketing' }).success).toBe(false)
    const purpose = findOperation('listTemplates').parameters.find((parameter: Node) => parameter.name === 'purpose')
    expect(deref(purpose.schema).enum).toEqual(['General', 'Newsletter', 'Promotional', 'Transactional', 'LeadMagnetDelivery'])
  })

  it('makes the response fields no reference page shows optional, and keeps the documented ones required', () => {
    expect(issuesOf(ops.retrieveProfile.responses[200].safeParse(without(profileExample, 'externalId')))).toEqual([])
    expect(ops.retrieveProfile.responses[200].safeParse(without(profileExample, 'phone')).success).toBe(false)
    expect(issuesOf(templateResponse.safeParse(without(templateExample, 'key')))).toEqual([])
    expect(templateResponse.safeParse(without(templateExample, 'purpose')).success).toBe(false)
    const asset = (fields: Record<string, unknown>) => ({ success: true, asset: fields })
    expect(issuesOf(ops.retrieveAsset.responses[200].safeParse(asset(without(assetExample.asset, 'status', 'imageType'))))).toEqual([])
    expect(ops.retrieveAsset.responses[200].safeParse(asset(without(assetExample.asset, 'url'))).success).toBe(false)

    const batch = ops.batchSendEmails.responses[200]
    const accepted = { index: 0, idempotencyKey: 'k0', send: sentExample }
    const rejected = { index: 1, idempotencyKey: 'k1', error: { error: 'validation_failed', message: 'No.' } }
    expect(issuesOf(batch.safeParse({ total: 2, accepted: 1, rejected: 1, items: [accepted, rejected] }))).toEqual([])
    expect(batch.safeParse({ total: 1, accepted: 0, rejected: 1, items: [{ index: 0, idempotencyKey: 'k0' }] }).success).toBe(false)
    expect(batch.safeParse({ total: 1, accepted: 1, rejected: 0 }).success).toBe(false)
  })

  it('accepts profile sources and suppression reasons beyond the known ones (the reference cuts the lists off)', () => {
    const list = ops.listProfiles.request
    expect(list.safeParse({ sourceFilter: ['form_submission', 'csv_import', 'fax'] }).success).toBe(true)
    expect(list.safeParse({ deliverySuppressionReasonFilter: ['hard_bounce', 'spam_trap'] }).success).toBe(true)
    expect(list.safeParse({ sourceFilter: [42] }).success).toBe(false)
    expect(list.safeParse({ deliverySuppressionReasonFilter: [null] }).success).toBe(false)
    const known = (name: string) => deref(spec.components.schemas[name]).anyOf.find((branch: Node) => branch.enum).enum
    expect(known('ProfileSource')).toEqual(expect.arrayContaining(['form_submission', 'csv_import']))
    expect(known('DeliverySuppressionReason')).toEqual(['hard_bounce', 'complaint', 'unsubscribed', 'manual'])
  })

  it('accepts any non-empty profile id, and its own examples use uuids, as the send, email and track pages show', () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
    const { to: __, ...withoutRecipient } = quickstartSend
    for (const profileId of ['0f8e2c4a-7b1d-4e6f-9a3c-5d2b8e1f4a70', 'cus_opaque-42']) {
      expect(ops.sendEmail.request.safeParse({ ...withoutRecipient, profileId }).success).toBe(true)
      expect(ops.retrieveProfile.parameters.path.safeParse({ profileId }).success).toBe(true)
    }
    expect(ops.sendEmail.request.safeParse({ ...withoutRecipient, profileId: '' }).success).toBe(false)
    expect(profileExample.id).toMatch(uuid)
    expect(sentExample.profileId).toMatch(uuid)
    expect(deref(findOperation('retrieveProfile').parameters.find((parameter: Node) => parameter.in === 'path')).example).toMatch(uuid)
    expect(JSON.stringify(spec)).not.toMatch(/prof_/)
  })

  it('types messageId as a uuid (or null before the email is sent)', () => {
    const retrieve = ops.retrieveEmail.responses[200]
    expect(issuesOf(retrieve.safeParse(sentExample))).toEqual([])
    expect(retrieve.safeParse({ ...sentExample, messageId: null }).success).toBe(true)
    expect(retrieve.safeParse({ ...sentExample, messageId: '<0100018c@email.example.com>' }).success).toBe(false)
  })

  it('refuses an upload of more than 20,971,520 bytes as a schema failure, and promises no 413 for it', () => {
    const body = { filename: 'big.pdf', contentType: 'application/pdf' }
    expect(ops.createAssetUploadUrl.request.safeParse({ ...body, size: 20_971_520 }).success).toBe(true)
    expect(ops.createAssetUploadUrl.request.safeParse({ ...body, size: 20_971_521 }).success).toBe(false)
    for (const id of ['createAssetUploadUrl', 'createAsset']) {
      const { operation } = findOperation(id)
      expect(Object.keys(operation.responses)).not.toContain('413')
      expect(operation.description).not.toMatch(/refused with `413/)
    }
  })

  it('describes every operation', () => {
    for (const { operation } of specOperations) expect(operation.description?.trim().length, operation.operationId).toBeGreaterThan(0)
  })
})

describe("the README's namespace table", () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
  // | `templates.update` | `PUT /api/v1/templates/{id}` | `templates:write` | documented |
  const rows = [...readme.matchAll(/^\| `[a-zA-Z]+\.[a-zA-Z]+`[^|]*\| `([A-Z]+) ([^`]+)` \| `([a-z:-]+)` \| (documented|inferred)\b[^|]*\|$/gm)].map(
    ([, method, path, scope, provenance]) => `${method} ${path} ${scope} ${provenance}`,
  )

  it('lists the route, scope and provenance of all 33 operations, as the spec has them', () => {
    const fromSpec = specOperations.map(
      ({ method, path, operation }) =>
        `${method.toUpperCase()} ${path} ${operation['x-required-scopes'][0]} ${operation['x-segmentflow-provenance']}`,
    )
    expect(rows).toHaveLength(33)
    expect(new Set(rows)).toEqual(new Set(fromSpec))
  })
})

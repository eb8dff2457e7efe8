/**
 * The sandbox against the spec, operation by operation: every operation is routed, its scopes are the
 * spec's `x-required-scopes`, and its answers (success and errors) validate against the generated
 * response schema for that operation and status. A table typed by the operation ids: an operation
 * added to openapi.yaml fails to compile here until it has a scenario.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import type * as z from 'zod'
import { operations } from '../../generated/zod/operations.ts'
import { SandboxContractError, SEED } from '../../src/testing/index.ts'
import { type OperationId, routeTable } from '../../src/testing/routes/index.ts'
import { type Answer, type Api, MISSING_UUID, QUICKSTART_EVENT, QUICKSTART_SEND, type Sandbox, setup } from './helpers.ts'

interface SpecOperation {
  operationId: string
  'x-required-scopes': string[]
  requestBody?: { required?: boolean }
}

const spec = parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, SpecOperation>>
}
const METHODS = ['get', 'post', 'put', 'patch', 'delete']
const specOperations = Object.entries(spec.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([method]) => METHODS.includes(method))
    .map(([method, operation]) => ({ path, method: method.toUpperCase(), operation })),
)

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1])

async function readyUpload(api: Api, sandbox: Sandbox): Promise<{ key: string; assetId?: string }> {
  const session = await api('POST', '/api/v1/assets/upload-url', { body: { filename: 'logo.png', contentType: 'image/png', size: PNG.byteLength } })
  await sandbox.fetch(session.body.uploadUrl, { method: 'PUT', headers: { 'content-type': 'image/png' }, body: PNG })
  return { key: session.body.key }
}

async function pendingAsset(api: Api, sandbox: Sandbox): Promise<string> {
  const { key } = await readyUpload(api, sandbox)
  const created = await api('POST', '/api/v1/assets', { body: { filename: 'logo.png', s3Key: key, contentType: 'image/png', size: PNG.byteLength } })
  return created.body.asset.id
}

async function newKit(api: Api): Promise<string> {
  return (await api('POST', '/api/v1/brand-kit', { body: { name: 'Second' } })).body.id
}

type Scenario = (api: Api, sandbox: Sandbox) => Promise<Answer>

const { alex, sam } = SEED.profiles
const { receipt } = SEED.templates
const kit = SEED.brandKit.id

/** One success per operation, with the status the spec documents for it. */
const successes: Record<OperationId, [number, Scenario]> = {
  listProfiles: [200, (api) => api('POST', '/api/v1/profiles', { body: { limit: 2 } })],
  bulkDeleteProfiles: [200, (api) => api('POST', '/api/v1/profiles/bulk-delete', { body: { profileIds: [sam.id] } })],
  retrieveProfile: [200, (api) => api('GET', `/api/v1/profiles/${alex.id}`)],
  deleteProfile: [204, (api) => api('DELETE', `/api/v1/profiles/${sam.id}`)],
  listProfileSubscriptions: [200, (api) => api('GET', `/api/v1/profiles/${alex.id}/subscriptions`)],
  listTemplates: [200, (api) => api('GET', '/api/v1/templates?purpose=Transactional')],
  createTemplate: [201, (api) => api('POST', '/api/v1/templates', { body: { name: 'New', key: 'new' } })],
  retrieveTemplate: [200, (api) => api('GET', `/api/v1/templates/${receipt.id}`)],
  updateTemplate: [200, (api) => api('PUT', `/api/v1/templates/${receipt.id}`, { body: { name: 'Receipt (2026)' } })],
  deleteTemplate: [204, (api) => api('DELETE', `/api/v1/templates/${receipt.id}`)],
  duplicateTemplate: [201, (api) => api('POST', `/api/v1/templates/${receipt.id}/duplicate`)],
  archiveTemplate: [200, (api) => api('POST', `/api/v1/templates/${receipt.id}/archive`)],
  unarchiveTemplate: [200, (api) => api('POST', `/api/v1/templates/${receipt.id}/unarchive`)],
  listAssets: [
    200,
    async (api, sandbox) => {
      const id = await pendingAsset(api, sandbox)
      await api('POST', `/api/v1/assets/${id}/finalize`)
      return api('GET', '/api/v1/assets?limit=1')
    },
  ],
  retrieveAsset: [200, async (api, sandbox) => api('GET', `/api/v1/assets/${await pendingAsset(api, sandbox)}`)],
  createAssetUploadUrl: [200, (api) => api('POST', '/api/v1/assets/upload-url', { body: { filename: 'a.pdf', contentType: 'application/pdf', size: 10 } })],
  createAsset: [
    201,
    async (api, sandbox) => {
      const { key } = await readyUpload(api, sandbox)
      return api('POST', '/api/v1/assets', { body: { filename: 'logo.png', s3Key: key, contentType: 'image/png', size: PNG.byteLength } })
    },
  ],
  finalizeAsset: [200, async (api, sandbox) => api('POST', `/api/v1/assets/${await pendingAsset(api, sandbox)}/finalize`, { body: { altText: 'Logo' } })],
  updateAsset: [200, async (api, sandbox) => api('PATCH', `/api/v1/assets/${await pendingAsset(api, sandbox)}`, { body: { tags: ['a'] } })],
  deleteAsset: [204, async (api, sandbox) => api('DELETE', `/api/v1/assets/${await pendingAsset(api, sandbox)}`)],
  listBrandKits: [200, (api) => api('GET', '/api/v1/brand-kit')],
  createBrandKit: [201, (api) => api('POST', '/api/v1/brand-kit', { body: { name: 'Outdoor', colors: { primary: '#123456' } } })],
  retrieveBrandKit: [200, (api) => api('GET', `/api/v1/brand-kit/${kit}`)],
  updateBrandKit: [200, (api) => api('PATCH', `/api/v1/brand-kit/${kit}`, { body: { fonts: { body: null } } })],
  deleteBrandKit: [204, async (api) => api('DELETE', `/api/v1/brand-kit/${await newKit(api)}`)],
  clearBrandKit: [200, (api) => api('POST', `/api/v1/brand-kit/${kit}/clear`)],
  setDefaultBrandKit: [200, async (api) => api('POST', `/api/v1/brand-kit/${await newKit(api)}/default`)],
  extractBrandKit: [202, (api) => api('POST', `/api/v1/brand-kit/${kit}/extract`)],
  retrieveBrandKitExtractionProgress: [
    200,
    async (api, sandbox) => {
      await api('POST', `/api/v1/brand-kit/${kit}/extract`)
      sandbox.clock.advance(60_000)
      return api('GET', `/api/v1/brand-kit/${kit}/extraction-progress`)
    },
  ],
  sendEmail: [202, (api) => api('POST', '/api/v1/emails', { body: QUICKSTART_SEND, idempotencyKey: 'k' })],
  batchSendEmails: [
    200,
    (api) =>
      api('POST', '/api/v1/emails/batch', {
        body: { defaults: { templateKey: receipt.key }, items: [{ idempotencyKey: 'a', to: { email: alex.email } }, { idempotencyKey: 'b', to: { email: 'x' } }] },
      }),
  ],
  retrieveEmail: [
    200,
    async (api, sandbox) => {
      const sent = await api('POST', '/api/v1/emails', { body: QUICKSTART_SEND, idempotencyKey: 'k' })
      sandbox.clock.advance(60_000)
      return api('GET', `/api/v1/emails/${sent.body.id}`)
    },
  ],
  trackEvent: [202, (api) => api('POST', '/api/v1/events', { body: QUICKSTART_EVENT, idempotencyKey: 'k' })],
}

function schemaFor(operationId: OperationId, status: number): z.ZodType | undefined {
  return (operations[operationId].responses as Record<number, z.ZodType | undefined>)[status]
}

function concretePath(template: string): string {
  return template.replace(/\{profileId\}/, alex.id).replace(/\{[^}]+\}/g, MISSING_UUID)
}

describe('the route table against openapi.yaml', () => {
  it('routes every operation of the spec, and only those', () => {
    expect(Object.keys(routeTable).sort()).toEqual(specOperations.map((o) => o.operation.operationId).sort())
    expect(specOperations).toHaveLength(33)
  })

  it.each(specOperations.map((o) => [o.operation.operationId, o.operation] as const))('%s needs exactly its x-required-scopes', (id, operation) => {
    expect([...routeTable[id as OperationId].scopes]).toEqual(operation['x-required-scopes'])
  })

  it.each(specOperations.map((o) => [o.operation.operationId, o.operation] as const))('%s reads an empty body as the spec says', (id, operation) => {
    const optional = operation.requestBody !== undefined && operation.requestBody.required !== true
    expect(routeTable[id as OperationId].bodyOptional === true).toBe(optional)
  })
})

describe('every answer validates against the spec', () => {
  it.each(Object.entries(successes) as [OperationId, [number, Scenario]][])('%s: success', async (operationId, [status, scenario]) => {
    // checkResponses off: this test checks the bodies itself, with the generated schemas.
    const { api, sandbox } = setup({ checkResponses: false })
    const res = await scenario(api, sandbox)
    expect(res.status, JSON.stringify(res.body)).toBe(status)
    expect(res.headers.get('x-request-id')).toMatch(/^req_/)
    expect(sandbox.state.requests.at(-1)?.operation).toBe(operationId)
    const schema = schemaFor(operationId, status)
    expect(schema).toBeDefined()
    if (status === 204) expect(res.body).toBeUndefined()
    else expect(schema?.safeParse(res.body).error?.issues).toBeUndefined()
  })

  it.each(specOperations.map((o) => [o.operation.operationId, o] as const))('%s: 401 and 403 envelopes', async (id, { method, path, operation }) => {
    const { api, sandbox } = setup({ checkResponses: false })
    const operationId = id as OperationId
    const unauthorized = await api(method, concretePath(path), { key: null })
    expect(unauthorized.status).toBe(401)
    expect(schemaFor(operationId, 401)?.safeParse(unauthorized.body).success).toBe(true)

    const others = sandbox.addApiKey({ scopes: [] })
    const forbidden = await api(method, concretePath(path), { key: others })
    expect(forbidden.status).toBe(403)
    expect(schemaFor(operationId, 403)?.safeParse(forbidden.body).success).toBe(true)
    expect(forbidden.body.details.required).toEqual(operation['x-required-scopes'])
  })
})

describe('checkResponses', () => {
  it('throws SandboxContractError instead of answering a body that breaks the spec', async () => {
    const { api, sandbox } = setup({ checkResponses: true })
    const record = sandbox.state.templates.get(receipt.id)
    if (!record) throw new Error('seed missing')
    record.purpose = 'Bogus' as never
    await expect(api('GET', '/api/v1/templates')).rejects.toBeInstanceOf(SandboxContractError)
    const lenient = setup({ checkResponses: false })
    ;(lenient.sandbox.state.templates.get(receipt.id) as { purpose: string }).purpose = 'Bogus'
    expect((await lenient.api('GET', '/api/v1/templates')).status).toBe(200)
  })
})

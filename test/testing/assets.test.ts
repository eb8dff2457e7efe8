import { describe, expect, it } from 'vitest'
import { MAX_ASSET_BYTES } from '../../src/testing/index.ts'
import { type Api, MISSING_UUID, type Sandbox, setup } from './helpers.ts'

/** The first bytes of a 512x128 PNG: enough for the sandbox to read its size. */
function png(): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(64)
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])
  const view = new DataView(bytes.buffer)
  view.setUint32(16, 512)
  view.setUint32(20, 128)
  return bytes
}

async function startUpload(api: Api, bytes: Uint8Array, contentType = 'image/png', filename = 'acme logo.png') {
  const res = await api('POST', '/api/v1/assets/upload-url', { body: { filename, contentType, size: bytes.byteLength } })
  expect(res.status).toBe(200)
  return res.body as { uploadUrl: string; key: string; expiresIn: number; success: true }
}

function put(sandbox: Sandbox, url: string, bytes: Uint8Array<ArrayBuffer>, headers: Record<string, string> = { 'content-type': 'image/png' }) {
  return sandbox.fetch(url, { method: 'PUT', headers, body: bytes })
}

async function upload(api: Api, sandbox: Sandbox, bytes = png()) {
  const session = await startUpload(api, bytes)
  expect((await put(sandbox, session.uploadUrl, bytes)).status).toBe(200)
  const created = await api('POST', '/api/v1/assets', {
    body: { filename: 'acme-logo.png', s3Key: session.key, contentType: 'image/png', size: bytes.byteLength, imageType: 'logo' },
  })
  expect(created.status).toBe(201)
  return { session, asset: created.body.asset }
}

describe('uploads end to end', () => {
  it('session -> PUT to storage -> record (pending) -> finalize (ready)', async () => {
    const { api, sandbox } = setup()
    const bytes = png()
    const session = await startUpload(api, bytes)
    expect(session.expiresIn).toBe(900)
    expect(session.key).toMatch(/^org_sandbox\/uploads\/[0-9a-f]{8}-acme-logo\.png$/)
    expect(session.uploadUrl.startsWith(`${sandbox.baseURL}/__storage/`)).toBe(true)

    const stored = await put(sandbox, session.uploadUrl, bytes)
    expect(stored.status).toBe(200)
    expect(stored.headers.get('etag')).toMatch(/^"[0-9a-f]{8}"$/)
    expect(stored.headers.get('x-request-id')).toMatch(/^req_/)

    const created = await api('POST', '/api/v1/assets', {
      body: { filename: 'acme-logo.png', s3Key: session.key, contentType: 'image/png', size: bytes.byteLength, imageType: 'logo' },
    })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ success: true, asset: { status: 'pending', url: null, assetType: 'content-image', imageType: 'logo', tags: [] } })

    const ready = await api('POST', `/api/v1/assets/${created.body.asset.id}/finalize`, { body: { altText: 'Acme logo', description: 'Primary logo' } })
    expect(ready.status).toBe(200)
    expect(ready.body.asset).toMatchObject({ status: 'ready', width: 512, height: 128, altText: 'Acme logo', description: 'Primary logo' })

    const download = await sandbox.fetch(ready.body.asset.url)
    expect(download.status).toBe(200)
    expect(download.headers.get('content-type')).toBe('image/png')
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(bytes)
  })

  it('refuses a storage request that carries x-api-key, and records it', async () => {
    const { api, sandbox } = setup()
    const bytes = png()
    const session = await startUpload(api, bytes)
    const res = await put(sandbox, session.uploadUrl, bytes, { 'content-type': 'image/png', 'x-api-key': sandbox.apiKey })
    expect(res.status).toBe(400)
    expect((await res.json()).message).toMatch(/x-api-key/)
    expect(sandbox.state.uploads.get(session.key)?.upload).toBeNull()
    expect(sandbox.state.storageRequests).toHaveLength(1)
    expect(sandbox.state.storageRequests[0]?.headers['x-api-key']).toBe(sandbox.apiKey)
  })

  it('keeps every storage request with its headers for assertions', async () => {
    const { api, sandbox } = setup()
    await upload(api, sandbox)
    expect(sandbox.state.storageRequests.map((r) => [r.method, r.status])).toEqual([['PUT', 200]])
    expect(sandbox.state.storageRequests.some((r) => 'x-api-key' in r.headers)).toBe(false)
    expect(sandbox.state.requests.filter((r) => r.operation === 'storage')).toHaveLength(1)
  })

  it('refuses a content type other than the session one', async () => {
    const { api, sandbox } = setup()
    const bytes = png()
    const session = await startUpload(api, bytes)
    const res = await put(sandbox, session.uploadUrl, bytes, { 'content-type': 'image/jpeg' })
    expect(res.status).toBe(400)
    expect((await res.json()).details).toEqual({ expected: 'image/png', received: 'image/jpeg' })
  })

  it('refuses bytes that do not match the declared size', async () => {
    const { api, sandbox } = setup()
    const session = await startUpload(api, png())
    const res = await put(sandbox, session.uploadUrl, new Uint8Array(10))
    expect(res.status).toBe(400)
  })

  it('answers 413 to a PUT over the limit', async () => {
    const { api, sandbox } = setup()
    const session = await startUpload(api, png())
    const res = await put(sandbox, session.uploadUrl, new Uint8Array(MAX_ASSET_BYTES + 1))
    expect(res.status).toBe(413)
    expect((await res.json()).error).toBe('payload_too_large')
  })

  it('refuses a wrong signature and an expired URL with 403', async () => {
    const { api, sandbox } = setup()
    const bytes = png()
    const session = await startUpload(api, bytes)
    const forged = session.uploadUrl.replace(/signature=[^&]+/, 'signature=forged')
    expect((await put(sandbox, forged, bytes)).status).toBe(403)
    sandbox.clock.advance(900_001)
    expect((await put(sandbox, session.uploadUrl, bytes)).status).toBe(403)
  })

  it('builds upload URLs on the origin the request came to', async () => {
    const { sandbox } = setup()
    const res = await sandbox.fetch('http://127.0.0.1:9/api/v1/assets/upload-url', {
      method: 'POST',
      headers: { 'x-api-key': sandbox.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ filename: 'a.csv', contentType: 'text/csv', size: 3 }),
    })
    expect((await res.json()).uploadUrl.startsWith('http://127.0.0.1:9/__storage/org_sandbox/uploads/')).toBe(true)
  })
})

describe('POST /api/v1/assets/upload-url', () => {
  it('refuses a size over 20,971,520 bytes with 400, as the schema does', async () => {
    const { api } = setup()
    const res = await api('POST', '/api/v1/assets/upload-url', { body: { filename: 'big.pdf', contentType: 'application/pdf', size: MAX_ASSET_BYTES + 1 } })
    expect(res.status).toBe(400)
    expect(res.body).toMatchObject({ error: 'invalid_request', details: { issues: [expect.objectContaining({ path: 'size' })] } })
    const exact = await api('POST', '/api/v1/assets/upload-url', { body: { filename: 'big.pdf', contentType: 'application/pdf', size: MAX_ASSET_BYTES } })
    expect(exact.status).toBe(200)
  })

  it('refuses an unsupported content type with 400', async () => {
    const { api } = setup()
    const res = await api('POST', '/api/v1/assets/upload-url', { body: { filename: 'x.gif', contentType: 'image/gif', size: 1 } })
    expect(res.status).toBe(400)
    expect(res.body.details.issues[0].path).toBe('contentType')
  })

  it('needs assets:write', async () => {
    const { api, sandbox } = setup()
    const res = await api('POST', '/api/v1/assets/upload-url', { key: sandbox.readOnlyApiKey, body: { filename: 'x.png', contentType: 'image/png', size: 1 } })
    expect(res.status).toBe(403)
    expect(res.body.details.required).toEqual(['assets:write'])
  })
})

describe('POST /api/v1/assets', () => {
  it('refuses a size over the limit with 400, as the schema does', async () => {
    const { api } = setup()
    const res = await api('POST', '/api/v1/assets', { body: { filename: 'a', s3Key: 'k', contentType: 'image/png', size: MAX_ASSET_BYTES + 1 } })
    expect(res.status).toBe(400)
    expect(res.body).toMatchObject({ error: 'invalid_request', details: { issues: [expect.objectContaining({ path: 'size' })] } })
  })

  it('refuses an unknown key, or a type or size unlike the session, with 422 validation_failed', async () => {
    const { api, sandbox } = setup()
    const unknown = await api('POST', '/api/v1/assets', { body: { filename: 'a.png', s3Key: 'org_sandbox/uploads/nope', contentType: 'image/png', size: 64 } })
    expect(unknown.status).toBe(422)
    expect(unknown.body).toEqual({ error: 'validation_failed', message: expect.stringContaining('s3Key'), details: { field: 's3Key' } })
    const session = await startUpload(api, png())
    const unlikeType = await api('POST', '/api/v1/assets', { body: { filename: 'a.png', s3Key: session.key, contentType: 'image/jpeg', size: 64 } })
    expect(unlikeType.status).toBe(422)
    expect(unlikeType.body).toMatchObject({ error: 'validation_failed', details: { field: 'contentType' } })
    const unlikeSize = await api('POST', '/api/v1/assets', { body: { filename: 'a.png', s3Key: session.key, contentType: 'image/png', size: 65 } })
    expect(unlikeSize.status).toBe(422)
    expect(unlikeSize.body).toMatchObject({ error: 'validation_failed', details: { field: 'size' } })
    expect(sandbox.state.assets.size).toBe(0)
  })

  it('answers 409 conflict to a second record for the same upload', async () => {
    const { api, sandbox } = setup()
    const { session } = await upload(api, sandbox)
    const again = await api('POST', '/api/v1/assets', { body: { filename: 'b.png', s3Key: session.key, contentType: 'image/png', size: 64 } })
    expect(again.status).toBe(409)
    expect(again.body.error).toBe('conflict')
  })
})

describe('POST /api/v1/assets/{id}/finalize', () => {
  it('answers 409 conflict when the bytes never arrived', async () => {
    const { api } = setup()
    const session = await startUpload(api, png())
    const created = await api('POST', '/api/v1/assets', { body: { filename: 'a.png', s3Key: session.key, contentType: 'image/png', size: 64 } })
    const res = await api('POST', `/api/v1/assets/${created.body.asset.id}/finalize`)
    expect(res.status).toBe(409)
    expect(res.body.message).toMatch(/never arrived/)
  })

  it('answers 409 conflict to finalizing twice, and the storage refuses a new PUT', async () => {
    const { api, sandbox } = setup()
    const { session, asset } = await upload(api, sandbox)
    expect((await api('POST', `/api/v1/assets/${asset.id}/finalize`)).status).toBe(200)
    const twice = await api('POST', `/api/v1/assets/${asset.id}/finalize`)
    expect(twice.status).toBe(409)
    expect(twice.body.message).toMatch(/already finalized/)
    expect((await put(sandbox, session.uploadUrl, png())).status).toBe(409)
  })

  it('answers 404 for an unknown asset and 400 for a long description', async () => {
    const { api, sandbox } = setup()
    expect((await api('POST', `/api/v1/assets/${MISSING_UUID}/finalize`)).status).toBe(404)
    const { asset } = await upload(api, sandbox)
    expect((await api('POST', `/api/v1/assets/${asset.id}/finalize`, { body: { description: 'x'.repeat(501) } })).status).toBe(400)
  })
})

describe('listing, updating and deleting assets', () => {
  it('lists newest first, across pages, with filters', async () => {
    const { api, sandbox } = setup()
    const ids: string[] = []
    for (let i = 0; i < 5; i++) {
      ids.push((await upload(api, sandbox)).asset.id)
      sandbox.clock.advance(1000)
    }
    const first = await api('GET', '/api/v1/assets?limit=2')
    expect(first.body.assets.map((a: any) => a.id)).toEqual([ids[4], ids[3]])
    const second = await api('GET', `/api/v1/assets?limit=2&cursor=${first.body.nextCursor}`)
    expect(second.body.assets.map((a: any) => a.id)).toEqual([ids[2], ids[1]])
    const third = await api('GET', `/api/v1/assets?limit=2&cursor=${second.body.nextCursor}`)
    expect(third.body).toMatchObject({ success: true, nextCursor: null })
    expect(third.body.assets.map((a: any) => a.id)).toEqual([ids[0]])

    await api('PATCH', `/api/v1/assets/${ids[1]}`, { body: { imageType: 'hero' } })
    const heroes = await api('GET', '/api/v1/assets?imageType=hero&assetType=content-image')
    expect(heroes.body.assets.map((a: any) => a.id)).toEqual([ids[1]])
    expect((await api('GET', '/api/v1/assets?assetType=lead-magnet')).body.assets).toEqual([])
  })

  it('refuses a bad limit or cursor with 400', async () => {
    const { api } = setup()
    expect((await api('GET', '/api/v1/assets?limit=0')).status).toBe(400)
    expect((await api('GET', '/api/v1/assets?limit=101')).status).toBe(400)
    expect((await api('GET', '/api/v1/assets?limit=ten')).status).toBe(400)
    const foreign = await api('GET', '/api/v1/assets?cursor=eyJyIjoicHJvZmlsZXMiLCJhIjoxfQ')
    expect(foreign.status).toBe(400)
    expect(foreign.body.details.issues[0].path).toBe('query.cursor')
  })

  it('updates and clears fields, then deletes', async () => {
    const { api, sandbox } = setup()
    const { asset } = await upload(api, sandbox)
    const updated = await api('PATCH', `/api/v1/assets/${asset.id}`, { body: { altText: 'Logo', tags: ['brand', 'logo'] } })
    expect(updated.body.asset).toMatchObject({ altText: 'Logo', tags: ['brand', 'logo'] })
    const cleared = await api('PATCH', `/api/v1/assets/${asset.id}`, { body: { altText: null, imageType: null } })
    expect(cleared.body.asset).toMatchObject({ altText: null, imageType: null, tags: ['brand', 'logo'] })
    expect((await api('PATCH', `/api/v1/assets/${asset.id}`, { body: { tags: Array(21).fill('t') } })).status).toBe(400)
    expect((await api('GET', `/api/v1/assets/${asset.id}`)).body).toEqual(cleared.body)
    expect((await api('DELETE', `/api/v1/assets/${asset.id}`)).status).toBe(204)
    for (const method of ['GET', 'PATCH', 'DELETE']) {
      expect((await api(method, `/api/v1/assets/${asset.id}`, method === 'PATCH' ? { body: {} } : {})).status).toBe(404)
    }
  })

  it('needs assets:read to read and assets:write to change', async () => {
    const { api, sandbox } = setup()
    const writer = sandbox.addApiKey({ scopes: ['assets:write'] })
    expect((await api('GET', '/api/v1/assets', { key: writer })).body.details.required).toEqual(['assets:read'])
    expect((await api('GET', `/api/v1/assets/${MISSING_UUID}`, { key: writer })).status).toBe(403)
    expect((await api('PATCH', `/api/v1/assets/${MISSING_UUID}`, { key: sandbox.readOnlyApiKey, body: {} })).status).toBe(403)
    expect((await api('DELETE', `/api/v1/assets/${MISSING_UUID}`, { key: sandbox.readOnlyApiKey })).status).toBe(403)
  })
})

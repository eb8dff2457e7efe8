import { afterEach, describe, expect, expectTypeOf, it } from 'vitest'

import {
  APIConnectionError,
  APIUserAbortError,
  AssetUploadError,
  InternalServerError,
  SegmentFlowError,
  ValidationError,
  type Asset,
  type AssetUploadParams,
  type SegmentFlow,
} from '../../src/index.ts'
import { assetSizeSchema } from '../../generated/zod/assetSizeSchema.ts'
import { createSandbox, type Sandbox } from '../../src/testing/index.ts'
import { connect, DEFAULT_HEADERS, TRANSPORTS, type Connected } from '../helpers/sandbox-client.ts'

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 64, 0, 0, 0, 32, 8, 6, 0, 0, 0])

// The limit the upload loads from the spec's AssetSize when it starts.
const MAX_ASSET_BYTES = (assetSizeSchema as unknown as { maxValue: number }).maxValue

function streamOf(bytes: Uint8Array, chunkSize = 7): ReadableStream<Uint8Array> {
  let offset = 0
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close()
      controller.enqueue(bytes.slice(offset, offset + chunkSize))
      offset += chunkSize
    },
  })
}

/** The bytes the storage host holds for an asset. */
function stored(sandbox: Sandbox, asset: Asset): Uint8Array | undefined {
  return sandbox.state.uploads.get(asset.s3Key)?.upload?.bytes
}

function operations(sandbox: Sandbox): Array<string | null> {
  return sandbox.state.requests.map((r) => r.operation)
}

let open: Connected | undefined
afterEach(async () => {
  await open?.close()
  open = undefined
})

async function setup(transport: (typeof TRANSPORTS)[number], options: Parameters<typeof connect>[2] = {}): Promise<{ sandbox: Sandbox; client: SegmentFlow }> {
  const sandbox = createSandbox({ clock: 'manual' })
  open = await connect(sandbox, transport, options)
  return { sandbox, client: open.client }
}

describe.each(TRANSPORTS)('assets.upload (%s)', (transport) => {
  // A Node Buffer is often a view into a shared pool: the offset must be honoured.
  const pooled = Buffer.concat([Buffer.from('prefix-'), Buffer.from(PNG)]).subarray(7)
  const kinds: Array<[string, () => Blob | ArrayBuffer | ArrayBufferView]> = [
    ['a Blob', () => new Blob([PNG])],
    ['a File', () => new File([PNG], 'ignored-name.bin')],
    ['an ArrayBuffer', () => PNG.slice().buffer],
    ['a Uint8Array', () => PNG.slice()],
    ['a Node Buffer', () => pooled],
  ]

  it.each(kinds)('uploads %s in four steps and returns the ready asset', async (_kind, data) => {
    const { sandbox, client } = await setup(transport)

    const asset = await client.assets.upload({ data: data(), filename: 'logo.png', imageType: 'logo', altText: 'Acme logo', description: 'The logo' })

    expect(asset).toMatchObject({ status: 'ready', filename: 'logo.png', contentType: 'image/png', size: PNG.length, imageType: 'logo' })
    expect(asset).toMatchObject({ altText: 'Acme logo', description: 'The logo', width: 64, height: 32 })
    expect(stored(sandbox, asset)).toEqual(PNG)
    expect(operations(sandbox)).toEqual(['createAssetUploadUrl', 'storage', 'createAsset', 'finalizeAsset'])
    expect(sandbox.state.assets.get(asset.id)?.status).toBe('ready')
  })

  it('uploads a ReadableStream of the declared size', async () => {
    const { sandbox, client } = await setup(transport)

    const asset = await client.assets.upload({ data: streamOf(PNG), size: PNG.length, filename: 'logo.png' })

    expect(asset.status).toBe('ready')
    expect(stored(sandbox, asset)).toEqual(PNG)
  })

  it('sends the storage host no API key and none of the client headers', async () => {
    const { sandbox, client } = await setup(transport)

    await client.assets.upload({ data: new Blob([PNG]), filename: 'logo.png' })

    const [put] = sandbox.state.storageRequests
    expect(sandbox.state.storageRequests).toHaveLength(1)
    expect(put?.method).toBe('PUT')
    expect(put?.headers['content-type']).toBe('image/png')
    expect(put?.headers).not.toHaveProperty('x-api-key')
    expect(put?.headers).not.toHaveProperty('idempotency-key')
    expect(put?.headers).not.toHaveProperty('x-segmentflow-sdk')
    for (const name of Object.keys(DEFAULT_HEADERS)) expect(put?.headers).not.toHaveProperty(name)
    expect(put?.headers['user-agent'] ?? '').not.toContain('segmentflow')
    // The API calls did carry them.
    const apiCall = sandbox.state.requests.find((r) => r.operation === 'createAssetUploadUrl')
    expect(apiCall?.headers['x-api-key']).toBe(sandbox.apiKey)
    expect(apiCall?.headers['x-tenant']).toBe('acme-eu')
  })

  it('retries a PUT that fails twice, then succeeds', async () => {
    const { sandbox, client } = await setup(transport)
    sandbox.faults.add({ operation: 'storage', kind: 'status', status: 503, times: 2, retryAfter: 0 })

    const asset = await client.assets.upload({ data: PNG, filename: 'logo.png' })

    expect(asset.status).toBe('ready')
    expect(sandbox.state.storageRequests.map((r) => r.status)).toEqual([503, 503, 200])
    expect(sandbox.state.assets.size).toBe(1)
  })

  it('reports a finalize that fails for good with its step and what is needed to resume, and resumes', async () => {
    const { sandbox, client } = await setup(transport)
    // Finalize is not idempotent by documentation: a 503 fails the step at once, with no retry.
    sandbox.faults.add({ operation: 'finalizeAsset', kind: 'status', status: 503, times: 1, retryAfter: 0 })

    const error = await client.assets.upload({ data: PNG, filename: 'logo.png', altText: 'Acme logo' }).catch((e: unknown) => e)

    expect(sandbox.state.requests.filter((r) => r.operation === 'finalizeAsset')).toHaveLength(1)
    expect(error).toBeInstanceOf(AssetUploadError)
    const failure = error as AssetUploadError
    expect(failure.step).toBe('finalize')
    expect(failure.cause).toBeInstanceOf(InternalServerError)
    const pending = sandbox.state.assets.get(failure.assetId as string)
    expect(pending).toMatchObject({ status: 'pending', s3Key: failure.key })
    expect(failure.uploadUrl).toContain(encodeURIComponent(failure.key as string).replace(/%2F/g, '/'))
    expect(failure.message).toContain('finalize')
    expect(failure.message).toContain(failure.assetId)
    expect(failure.idempotencyKey).toBeTypeOf('string')
    // The signed URL grants write access: it stays out of logs.
    expect(JSON.stringify(failure)).not.toContain('signature')

    const asset = await client.assets.upload({ data: PNG, filename: 'logo.png', altText: 'Acme logo' }, { idempotencyKey: failure.idempotencyKey })

    expect(asset).toMatchObject({ id: failure.assetId, status: 'ready', altText: 'Acme logo' })
    expect(sandbox.state.assets.size).toBe(1)
    expect(sandbox.state.uploads.size).toBe(1)
  })

  it('reports a PUT that fails for good with the storage key and no asset, and resumes with the same session', async () => {
    const { sandbox, client } = await setup(transport)
    sandbox.faults.add({ operation: 'storage', kind: 'reset', times: 3 })

    const error = (await client.assets.upload({ data: PNG, filename: 'logo.png' }, { idempotencyKey: 'logo-upload-1' }).catch((e: unknown) => e)) as AssetUploadError

    expect(error).toBeInstanceOf(AssetUploadError)
    expect(error).toMatchObject({ step: 'put', assetId: undefined, idempotencyKey: 'logo-upload-1' })
    expect(error.cause).toBeInstanceOf(APIConnectionError)
    expect(sandbox.state.uploads.has(error.key as string)).toBe(true)
    expect(sandbox.state.assets.size).toBe(0)

    const asset = await client.assets.upload({ data: PNG, filename: 'logo.png' }, { idempotencyKey: 'logo-upload-1' })

    expect(asset.s3Key).toBe(error.key)
    expect(sandbox.state.uploads.size).toBe(1)
  })

  it('replays a whole upload repeated with the same key: one asset, no error', async () => {
    const { sandbox, client } = await setup(transport)

    const first = await client.assets.upload({ data: PNG, filename: 'logo.png' }, { idempotencyKey: 'logo-upload-2' })
    const again = await client.assets.upload({ data: PNG, filename: 'logo.png' }, { idempotencyKey: 'logo-upload-2' })

    expect(again).toEqual(first)
    expect(sandbox.state.assets.size).toBe(1)
  })
})

describe('assets.upload: checks before any request', () => {
  const refused = async (params: AssetUploadParams, paths: string[], options?: Parameters<SegmentFlow['assets']['upload']>[1]) => {
    const { sandbox, client } = await setup('in process')
    const error = await client.assets.upload(params, options).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).issues.map((i) => i.path)).toEqual(paths)
    expect(sandbox.state.requests).toEqual([])
    return error as ValidationError
  }

  it('takes its size limit from the spec', () => {
    expect(MAX_ASSET_BYTES).toBe(20_971_520)
  })

  it('refuses a file over 20,971,520 bytes', async () => {
    const error = await refused({ data: new Uint8Array(MAX_ASSET_BYTES + 1), filename: 'huge.pdf' }, ['size'])
    expect(error.message).toContain('20971520')
  })

  it('refuses a stream declared over the limit without reading it', async () => {
    let pulled = false
    // highWaterMark 0: the stream pulls only when read.
    const stream = new ReadableStream<Uint8Array>(
      {
        pull() {
          pulled = true
        },
      },
      { highWaterMark: 0 },
    )
    await refused({ data: stream, size: MAX_ASSET_BYTES + 1, filename: 'huge.pdf' }, ['size'])
    expect(pulled).toBe(false)
    expect(stream.locked).toBe(false)
  })

  it('refuses a type the API does not take, inferred or given', async () => {
    const inferred = await refused({ data: PNG, filename: 'animation.gif' }, ['contentType'])
    expect(inferred.message).toContain('image/png')
    await refused({ data: PNG, filename: 'logo.png', contentType: 'image/gif' as 'image/png' }, ['contentType'])
  })

  it('refuses an empty file, a size that contradicts the data, and a stream without a size', async () => {
    await refused({ data: new Uint8Array(0), filename: 'empty.csv' }, ['size'])
    await refused({ data: PNG, size: 3, filename: 'logo.png' }, ['size'])
    await refused({ data: streamOf(PNG), filename: 'logo.png' } as unknown as AssetUploadParams, ['size'])
  })

  it('refuses a stream that delivers more or fewer bytes than declared', async () => {
    await refused({ data: streamOf(PNG), size: PNG.length - 1, filename: 'logo.png' }, ['size'])
    await refused({ data: streamOf(PNG), size: PNG.length + 1, filename: 'logo.png' }, ['size'])
  })

  it('refuses data it cannot send and a missing filename', async () => {
    await refused({ data: 'not bytes' as unknown as Blob, filename: '' }, ['filename', 'contentType', 'data'])
  })

  it('refuses a finalize field that would only fail after the bytes were sent', async () => {
    await refused({ data: PNG, filename: 'logo.png', altText: 'x'.repeat(201) }, ['altText'])
  })

  it('refuses an idempotency key with no room for the step suffixes', async () => {
    await refused({ data: PNG, filename: 'logo.png' }, ['idempotencyKey'], { idempotencyKey: 'k'.repeat(250) })
  })

  it('checks type and size even with validation turned off', async () => {
    const sandbox = createSandbox()
    open = await connect(sandbox, 'in process', { validate: false })
    await expect(open.client.assets.upload({ data: PNG, filename: 'logo.gif' })).rejects.toBeInstanceOf(ValidationError)
    expect(sandbox.state.requests).toEqual([])
  })
})

describe('assets.upload: content type', () => {
  it.each([
    ['photo.JPG', 'image/jpeg'],
    ['photo.jpeg', 'image/jpeg'],
    ['list.csv', 'text/csv'],
    ['sheet.xls', 'application/vnd.ms-excel'],
    ['guide.pdf', 'application/pdf'],
  ])('infers %s as %s', async (filename, contentType) => {
    const { client } = await setup('in process')
    const asset = await client.assets.upload({ data: new Uint8Array([1, 2, 3]), filename })
    expect(asset.contentType).toBe(contentType)
  })

  it("falls back to a File's own type, and lets an explicit type win", async () => {
    const { client } = await setup('in process')
    const fromFile = await client.assets.upload({ data: new File([PNG], 'logo', { type: 'image/png' }), filename: 'logo' })
    expect(fromFile.contentType).toBe('image/png')
    const explicit = await client.assets.upload({ data: new Uint8Array([1]), filename: 'export.dat', contentType: 'text/csv' })
    expect(explicit.contentType).toBe('text/csv')
  })
})

describe('assets.upload: steps', () => {
  it('derives one Idempotency-Key per step from the upload key', async () => {
    const { sandbox, client } = await setup('in process')

    await client.assets.upload({ data: PNG, filename: 'logo.png' }, { headers: { 'Idempotency-Key': 'upload-42' } })

    const keys = sandbox.state.requests.filter((r) => r.operation !== 'storage').map((r) => r.headers['idempotency-key'])
    expect(keys).toEqual(['upload-42:upload-url', 'upload-42:create', 'upload-42:finalize'])
  })

  it('does not repeat a record whose answer was lost, and a resume with the key replays it instead of making a second', async () => {
    const { sandbox, client } = await setup('in process')
    sandbox.faults.add({ operation: 'createAsset', kind: 'after-commit', reset: true, times: 1 })

    const error = (await client.assets.upload({ data: PNG, filename: 'logo.png' }).catch((e: unknown) => e)) as AssetUploadError

    // Creating a record is not idempotent by documentation: the SDK does not retry it after a reset.
    expect(error).toBeInstanceOf(AssetUploadError)
    expect(error.step).toBe('create')
    expect(sandbox.state.requests.filter((r) => r.operation === 'createAsset')).toHaveLength(1)
    expect(sandbox.state.assets.size).toBe(1)

    const asset = await client.assets.upload({ data: PNG, filename: 'logo.png' }, { idempotencyKey: error.idempotencyKey })

    expect(asset.status).toBe('ready')
    expect(sandbox.state.assets.size).toBe(1)
  })

  it('names the upload-url step when the session cannot be opened', async () => {
    const { sandbox, client } = await setup('in process', { maxRetries: 0 })
    sandbox.faults.add({ operation: 'createAssetUploadUrl', kind: 'status', status: 500, times: 1 })

    const error = (await client.assets.upload({ data: PNG, filename: 'logo.png' }).catch((e: unknown) => e)) as AssetUploadError

    expect(error).toMatchObject({ step: 'upload-url', key: undefined, uploadUrl: undefined, assetId: undefined })
    expect(error.message).toContain('nothing created yet')
  })

  it('names the create step, with the storage key', async () => {
    const { sandbox, client } = await setup('in process', { maxRetries: 0 })
    sandbox.faults.add({ operation: 'createAsset', kind: 'status', status: 500, times: 1 })

    const error = (await client.assets.upload({ data: PNG, filename: 'logo.png' }).catch((e: unknown) => e)) as AssetUploadError

    expect(error.step).toBe('create')
    expect(sandbox.state.uploads.get(error.key as string)?.upload?.bytes).toEqual(PNG)
    expect(error.toJSON()).toMatchObject({ name: 'AssetUploadError', step: 'create', key: error.key })
  })

  it('refuses a PUT the storage host rejects outright, without retrying it', async () => {
    const { sandbox, client } = await setup('in process')
    sandbox.faults.add({ operation: 'storage', kind: 'status', status: 403, times: 1 })

    const error = (await client.assets.upload({ data: PNG, filename: 'logo.png' }).catch((e: unknown) => e)) as AssetUploadError

    expect(error.step).toBe('put')
    expect((error.cause as SegmentFlowError).message).toContain('storage host answered 403')
    expect(sandbox.state.storageRequests).toHaveLength(1)
  })

  it('stops at once when aborted during the PUT, with what is needed to resume', async () => {
    const { sandbox, client } = await setup('in process')
    let release!: () => void
    sandbox.faults.add({ operation: 'storage', kind: 'delay', until: new Promise<void>((resolve) => (release = resolve)), times: 1 })
    const controller = new AbortController()

    const upload = client.assets.upload({ data: PNG, filename: 'logo.png' }, { signal: controller.signal }).catch((e: unknown) => e)
    await waitUntil(() => sandbox.state.storageRequests.length === 1)
    controller.abort()
    const error = (await upload) as AssetUploadError
    release()

    expect(error.step).toBe('put')
    expect(error.cause).toBeInstanceOf(APIUserAbortError)
    expect(error.key).toBeTypeOf('string')
  })

  it('does not start when the signal is already aborted', async () => {
    const { sandbox, client } = await setup('in process')
    const controller = new AbortController()
    controller.abort()

    await expect(client.assets.upload({ data: streamOf(PNG), size: PNG.length, filename: 'logo.png' }, { signal: controller.signal })).rejects.toBeInstanceOf(
      APIUserAbortError,
    )
    expect(sandbox.state.requests).toEqual([])
  })

  it('is typed: a stream needs a size, the result is an Asset', () => {
    expectTypeOf<SegmentFlow['assets']['upload']>().returns.toEqualTypeOf<Promise<Asset>>()
    // @ts-expect-error a ReadableStream without `size`
    const _missing: AssetUploadParams = { data: new ReadableStream<Uint8Array>(), filename: 'a.png' }
    expect(_missing).toBeDefined()
  })
})

async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 1))
}

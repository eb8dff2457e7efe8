/**
 * The README's examples of the workflow helpers, as tests: if one fails, the README lies. Each
 * snippet sits between the `// README` markers; the README imports from
 * `@segmentflow/segmentflow-typescript`, these are the same modules from source. The sandbox runs on
 * a real clock with fast lifecycles, so the helpers wait as they would against the API.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import * as fs from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'

import { AssetUploadError, BatchSendError, SegmentFlow } from '../../src/index.ts'
import { createSandbox, SEED } from '../../src/testing/index.ts'

const sandbox = createSandbox({ timings: { emailQueuedMs: 10, emailProcessingMs: 10, extractionStepMs: 10 } })
const client = new SegmentFlow({ apiKey: sandbox.apiKey, baseURL: sandbox.baseURL, fetch: sandbox.fetch })
const brandId = SEED.brandKit.id

let dir = ''
const cwd = process.cwd()
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'segmentflow-readme-'))
  process.chdir(dir)
  await writeFile('logo.png', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  vi.spyOn(console, 'log').mockImplementation(() => {})
})
afterAll(async () => {
  process.chdir(cwd)
  await rm(dir, { recursive: true, force: true })
  vi.restoreAllMocks()
})

describe('README: workflow helpers', () => {
  it('uploads an asset in one call', async () => {
    // README
    const asset = await client.assets.upload({
      data: await fs.openAsBlob('logo.png'), // or a Buffer, an ArrayBuffer, a Uint8Array, a ReadableStream with `size`
      filename: 'logo.png', // the content type comes from the extension: image/png
      imageType: 'logo',
      altText: 'Acme logo',
    })
    console.log(asset.status, asset.url) // ready https://…
    // README

    expect(asset.status).toBe('ready')
  })

  it('resumes an upload that failed at a step', async () => {
    // Finalize is not retried after a 503 (not idempotent by documentation): one failure fails the step.
    sandbox.faults.add({ operation: 'finalizeAsset', kind: 'status', status: 503, retryAfter: 0, times: 1 })
    const params = { data: await fs.openAsBlob('logo.png'), filename: 'logo.png' }
    let resumed

    // README
    try {
      await client.assets.upload(params)
    } catch (error) {
      if (!(error instanceof AssetUploadError)) throw error
      console.log(error.step, error.key, error.assetId) // finalize org_…/uploads/…-logo.png 5f0c…
      // The same key replays the steps that went through and carries on from the one that failed.
      resumed = await client.assets.upload(params, { idempotencyKey: error.idempotencyKey })
    }
    // README

    expect(resumed).toMatchObject({ status: 'ready' })
  })

  it('waits for an email to be sent', async () => {
    // README
    const email = await client.emails.send(
      { templateKey: 'receipt-default', to: { email: 'alex@example.com' }, data: { orderId: 'ord_9421' } },
      { idempotencyKey: 'order-confirmation:ord_9421' },
    )
    const done = await client.emails.waitForStatus(email.id, { timeout: 30_000 }) // Sent, Failed or Skipped
    if (done.status !== 'Sent') console.log(`Not sent (${done.status}): ${done.failureMessage}`)
    // README

    expect(done.status).toBe('Sent')
  })

  it('waits for a brand kit extraction', async () => {
    // README
    await client.brandKits.extract(brandId, { websiteUrl: 'https://acme.example' })
    const progress = await client.brandKits.waitForExtraction(brandId, {
      onProgress: (p) => console.log(`${p.completedSteps}/${p.totalSteps} ${p.currentStep}`),
    }) // throws BrandKitExtractionError if it fails, WaitTimeoutError after 120 s
    const kit = await client.brandKits.retrieve(brandId)
    console.log(kit.colors.primary)
    // README

    expect(progress.isComplete).toBe(true)
  })

  it('sends a batch of any size', async () => {
    const customers = Array.from({ length: 250 }, (_, n) => ({ id: `cus_${n}`, email: `customer-${n}@example.com`, firstName: `Ada ${n}` }))
    let accepted = 0

    // README
    const items = customers.map((customer) => ({
      to: { email: customer.email },
      data: { firstName: customer.firstName },
      idempotencyKey: `welcome:${customer.id}`, // optional: a random key is filled in when omitted
    }))
    const defaults = { templateKey: 'receipt-default' }
    try {
      // 250 items: three requests of at most 100, up to 4 at a time.
      const result = await client.emails.batchSend({ items, defaults }, { concurrency: 4 })
      for (const item of result.items) {
        if ('error' in item) console.log(items[item.index], item.error.message)
      }
      accepted = result.accepted
    } catch (error) {
      if (!(error instanceof BatchSendError)) throw error
      // error.result: the chunks that went through; error.unresolved: items with no known outcome.
      // Sending error.items again is safe: their keys make the accepted ones a replay.
      const retried = await client.emails.batchSend({ items: error.items, defaults })
      accepted = retried.accepted
    }
    // README

    expect(accepted).toBe(250)
  })

  it('pages through every profile, one page in memory at a time', async () => {
    let count = 0

    // README
    for await (const profile of client.profiles.list({ limit: 100 })) {
      console.log(profile.email) // the next page is fetched when this one is used up
      count++
    }
    // README

    expect(count).toBe(sandbox.state.profiles.size)
  })
})

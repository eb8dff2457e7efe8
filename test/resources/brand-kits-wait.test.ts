import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest'

import { APIUserAbortError, BrandKitExtractionError, WaitTimeoutError, type ExtractionProgress, type SegmentFlow } from '../../src/index.ts'
import { createSandbox, SEED } from '../../src/testing/index.ts'
import { connect, TRANSPORTS, urlOf, type Connected } from '../helpers/sandbox-client.ts'

const BRAND = SEED.brandKit.id

let open: Connected | undefined
afterEach(async () => {
  vi.useRealTimers()
  await open?.close()
  open = undefined
})

/** Every look at the progress moves the manual clock `stepMs` (an extraction step takes 500 ms). */
async function polling(transport: (typeof TRANSPORTS)[number], stepMs = 300) {
  const sandbox = createSandbox({ clock: 'manual' })
  open = await connect(sandbox, transport, {
    wrapFetch: (fetch) => (input, init) => {
      if (urlOf(input).endsWith('/extraction-progress')) sandbox.clock.advance(stepMs)
      return fetch(input, init)
    },
  })
  return { sandbox, client: open.client }
}

describe.each(TRANSPORTS)('brandKits.waitForExtraction (%s)', (transport) => {
  it('resolves when the extraction completes, reporting each change once', async () => {
    const { client } = await polling(transport)
    await client.brandKits.extract(BRAND, { websiteUrl: 'https://acme.example' })
    const reported: ExtractionProgress[] = []

    const done = await client.brandKits.waitForExtraction(BRAND, { interval: 1, onProgress: (p) => reported.push(p) })

    expect(done).toMatchObject({ isComplete: true, isFailed: false, completedSteps: 4, totalSteps: 4 })
    // Polled every 300 ms of sandbox time, a 500 ms step is seen twice, but reported once.
    expect(reported.map((p) => p.completedSteps)).toEqual([0, 1, 2, 3, 4])
    expect(reported.at(-1)).toEqual(done)
    const kit = await client.brandKits.retrieve(BRAND)
    expect(kit.colors.primary).toMatch(/^#[0-9a-f]{6}$/)
  })

  it('throws a BrandKitExtractionError with the progress and its error when extraction fails', async () => {
    const { client } = await polling(transport)
    await client.brandKits.extract(BRAND, { websiteUrl: 'https://acme.invalid' })
    const reported: ExtractionProgress[] = []

    const error = await client.brandKits.waitForExtraction(BRAND, { interval: 1, onProgress: (p) => reported.push(p) }).catch((e: unknown) => e)

    expect(error).toBeInstanceOf(BrandKitExtractionError)
    const failure = error as BrandKitExtractionError
    expect(failure.brandId).toBe(BRAND)
    expect(failure.progress).toMatchObject({ isFailed: true, currentStep: 'fetching_website' })
    expect(failure.progress.error).toContain('does not resolve')
    expect(failure.message).toContain('does not resolve')
    expect(reported.at(-1)).toEqual(failure.progress)
    expect(failure.toJSON()).toMatchObject({ brandId: BRAND, progress: { isFailed: true } })
  })
})

describe('brandKits.waitForExtraction', () => {
  it('throws a WaitTimeoutError with the last progress seen at the deadline', async () => {
    const sandbox = createSandbox({ clock: 'manual' })
    open = await connect(sandbox, 'in process')
    await open.client.brandKits.extract(BRAND, { websiteUrl: 'https://acme.example' })

    const error = await open.client.brandKits.waitForExtraction(BRAND, { timeout: 50, interval: 5 }).catch((e: unknown) => e)

    expect(error).toBeInstanceOf(WaitTimeoutError)
    expect((error as WaitTimeoutError<ExtractionProgress>).lastSeen).toMatchObject({ currentStep: 'fetching_website', completedSteps: 0 })
    expect((error as WaitTimeoutError).message).toContain('fetching_website, 0 of 4 steps')
  })

  it('stops at once when aborted, with no timer left', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const sandbox = createSandbox({ clock: 'manual' })
    open = await connect(sandbox, 'in process')
    await open.client.brandKits.extract(BRAND, { websiteUrl: 'https://acme.example' })
    const controller = new AbortController()
    const reported: ExtractionProgress[] = []

    const wait = open.client.brandKits
      .waitForExtraction(BRAND, { signal: controller.signal, onProgress: (p) => reported.push(p) })
      .catch((e: unknown) => e)
    await vi.advanceTimersByTimeAsync(100)
    controller.abort()

    expect(await wait).toBeInstanceOf(APIUserAbortError)
    expect(reported).toHaveLength(1)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('waits 120 s by default: extraction reads a whole website', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const sandbox = createSandbox({ clock: 'manual' })
    open = await connect(sandbox, 'in process')
    await open.client.brandKits.extract(BRAND, { websiteUrl: 'https://acme.example' })
    let settled = false

    const wait = open.client.brandKits.waitForExtraction(BRAND).catch((e: unknown) => e)
    void wait.then(() => (settled = true))
    await vi.advanceTimersByTimeAsync(119_000)
    expect(settled).toBe(false)
    await vi.advanceTimersByTimeAsync(1_000)

    expect(await wait).toBeInstanceOf(WaitTimeoutError)
  })

  it('is typed', () => {
    expectTypeOf<SegmentFlow['brandKits']['waitForExtraction']>().returns.toEqualTypeOf<Promise<ExtractionProgress>>()
  })
})

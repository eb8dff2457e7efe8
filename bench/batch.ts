/**
 * 10,000 emails: one `emails.batchSend` call, which the SDK splits into chunks of 100 sent with
 * bounded concurrency, against the same chunks sent by hand over fetch with the same concurrency.
 */
import type * as SDK from '../src/index.ts'
import type { BatchSendEmailsRequest } from '../generated/types/BatchSendEmailsRequest.ts'
import { API_KEY, batchItems } from './fixtures.ts'
import { median } from './stats.ts'

export const BATCH_ITEMS = 10_000
const CHUNK = 100

type BatchResult = { total: number; accepted: number; items: Array<{ index: number }> }

export type BatchStats = { sdkMs: number; sdkNoValidationMs: number; fetchMs: number; runs: number; concurrency: number }

async function rawBatch(baseURL: string, body: BatchSendEmailsRequest, concurrency: number): Promise<BatchResult> {
  const chunks: BatchSendEmailsRequest[] = []
  for (let i = 0; i < body.items.length; i += CHUNK) chunks.push({ ...body, items: body.items.slice(i, i + CHUNK) })
  // The same work as the SDK's: every item's outcome, in the caller's order, with its index into
  // the caller's array, not just a count.
  const results: Array<BatchResult | undefined> = new Array(chunks.length)
  let next = 0
  async function worker(): Promise<void> {
    while (next < chunks.length) {
      const index = next++
      const chunk = chunks[index]!
      const res = await fetch(`${baseURL}/api/v1/emails/batch`, {
        method: 'POST',
        headers: {
          accept: 'application/json',
          'content-type': 'application/json',
          'x-api-key': API_KEY,
          'idempotency-key': crypto.randomUUID(),
        },
        body: JSON.stringify(chunk),
      })
      if (!res.ok) throw new Error(`batch answered ${res.status}`)
      results[index] = (await res.json()) as BatchResult
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  const merged: BatchResult = { total: 0, accepted: 0, items: [] }
  results.forEach((result, index) => {
    merged.total += result!.total
    merged.accepted += result!.accepted
    for (const item of result!.items) merged.items.push({ ...item, index: index * CHUNK + item.index })
  })
  return merged
}

export async function measureBatch(
  sf: typeof SDK,
  baseURL: string,
  concurrency: number,
  runs: number,
  onProgress: (text: string) => void = () => {},
): Promise<BatchStats> {
  const client = new sf.SegmentFlow({ apiKey: API_KEY, baseURL })
  const unchecked = new sf.SegmentFlow({ apiKey: API_KEY, baseURL, validate: false })
  const body = batchItems(BATCH_ITEMS)
  const contenders: Array<[string, () => Promise<BatchResult>]> = [
    ['sdk', () => client.emails.batchSend(body, { concurrency })],
    ['sdkNoValidation', () => unchecked.emails.batchSend(body, { concurrency })],
    ['fetch', () => rawBatch(baseURL, body, concurrency)],
  ]
  const times: Record<string, number[]> = { sdk: [], sdkNoValidation: [], fetch: [] }
  // One warm-up run each, then rotate who goes first.
  for (let run = 0; run <= runs; run++) {
    const order = contenders.map((_, i) => contenders[(i + run) % contenders.length]!)
    for (const [name, send] of order) {
      const begin = performance.now()
      const result = await send()
      const ms = performance.now() - begin
      if (result.accepted !== BATCH_ITEMS || result.items.length !== BATCH_ITEMS)
        throw new Error(`${name}: ${result.accepted} of ${BATCH_ITEMS} accepted`)
      if (run > 0) times[name]!.push(ms)
    }
    onProgress(`batchSend: run ${run}/${runs}`)
  }
  return { sdkMs: median(times.sdk!), sdkNoValidationMs: median(times.sdkNoValidation!), fetchMs: median(times.fetch!), runs, concurrency }
}

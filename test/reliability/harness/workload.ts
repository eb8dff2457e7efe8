/**
 * The client side of the chaos run, in a child process: N `emails.send`, N `events.track` and one
 * large `emails.batchSend` against a sandbox that fails a third of the requests, 50 calls in flight.
 * It records what each caller saw, calls again with the key of every call that failed (as a caller
 * following the docs would), writes the records as JSON and then simply stops. It closes nothing and
 * clears nothing on purpose: if the SDK left a timer or a socket behind, this process would not exit,
 * and the runner notices.
 */
import { writeFileSync } from 'node:fs'
import { BatchSendError, SegmentFlow, SegmentFlowError, type APIPromise, type EmailBatchSendItem } from '../../../src/index.ts'
import { DONE_MARKER, WORKLOAD_CONFIG_ENV, type BatchRecord, type CallRecord, type WorkloadConfig, type WorkloadResult } from './protocol.ts'

const unhandledRejections: string[] = []
process.on('unhandledRejection', (reason) => {
  unhandledRejections.push(reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason))
})

const config = JSON.parse(process.env[WORKLOAD_CONFIG_ENV] ?? '') as WorkloadConfig
const client = new SegmentFlow({
  apiKey: config.apiKey,
  baseURL: config.url,
  timeout: config.timeoutMs,
  maxRetries: config.maxRetries,
  logLevel: 'off',
})

/** Runs `task` for 0..count-1 with at most `concurrency` running at once. */
async function pool<T>(count: number, concurrency: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count)
  let next = 0
  const worker = async () => {
    while (next < count) {
      const index = next++
      results[index] = await task(index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker))
  return results
}

function describeError(error: unknown): NonNullable<CallRecord['error']> {
  const typed = error instanceof SegmentFlowError
  return { name: error instanceof Error ? error.name : typeof error, typed, message: error instanceof Error ? error.message : String(error) }
}

/**
 * One logical call: `call(undefined)` first, then, if it failed, `call(key)` with the key the error
 * carried until it resolves or `maxRecalls` runs out. `idOf` reads the resource id off the result.
 */
async function logicalCall<T>(index: number, call: (key: string | undefined) => APIPromise<T>, idOf: (data: T) => string): Promise<CallRecord> {
  try {
    const { data, idempotencyKey } = await call(undefined).withResponse()
    return { index, key: idempotencyKey ?? null, outcome: 'resolved', id: idOf(data) }
  } catch (error) {
    const key = error instanceof SegmentFlowError ? (error.idempotencyKey ?? null) : null
    const record: CallRecord = { index, key, outcome: 'rejected', id: null, error: describeError(error) }
    if (key === null) return record
    const recall: NonNullable<CallRecord['recall']> = { attempts: 0, id: null, replayed: false }
    record.recall = recall
    while (recall.attempts < config.maxRecalls) {
      recall.attempts++
      try {
        const { data, response } = await call(key).withResponse()
        recall.id = idOf(data)
        recall.replayed = response.headers.get('idempotent-replayed') === 'true'
        delete recall.lastError
        break
      } catch (again) {
        recall.lastError = describeError(again).name
      }
    }
    return record
  }
}

const sendBody = (index: number) => ({
  templateKey: 'receipt-default',
  to: { email: `chaos-${index % 200}@example.com` },
  data: { call: index },
})

const trackBody = (index: number) => ({
  event: 'chaos.tick',
  profile: { email: `chaos-${index % 200}@example.com` },
  data: { call: index },
})

type BatchResultItem = { index: number; idempotencyKey: string; status: string; send?: { id: string } }

/**
 * One `batchSend` of all the items. When chunks run out of retries it throws a `BatchSendError` with
 * the outcome of the others and every item's key filled in; the caller sends the unresolved items
 * again (their keys make any that were committed a replay) until every item has an outcome.
 */
async function runBatch(): Promise<BatchRecord | null> {
  if (config.batchItems === 0) return null
  const items: EmailBatchSendItem[] = Array.from({ length: config.batchItems }, (_, index) => ({ to: { email: `batch-${index % 200}@example.com` }, data: { item: index } }))
  const record: BatchRecord = { items: items.length, calls: 0, chunkRequests: 0, outcome: 'rejected', results: [] }
  const outcomes = new Map<number, BatchRecord['results'][number]>()
  const keep = (item: BatchResultItem, original: number) =>
    outcomes.set(original, { index: original, key: item.idempotencyKey, status: item.status, id: item.send?.id ?? null })
  // `pending[i]` is the caller's index of the i-th item of the next call.
  let pending = items.map((_, index) => index)
  let body = items
  for (let call = 0; call <= config.maxRecalls && pending.length > 0; call++) {
    record.calls++
    record.chunkRequests += Math.ceil(body.length / 100)
    try {
      const result = await client.emails.batchSend({ items: body, defaults: { templateKey: 'receipt-default' } })
      for (const item of result.items as BatchResultItem[]) keep(item, pending[item.index] as number)
      pending = []
      record.outcome = 'resolved'
      delete record.error
    } catch (error) {
      record.error = describeError(error)
      if (!(error instanceof BatchSendError)) break
      for (const item of error.result.items as BatchResultItem[]) keep(item, pending[item.index] as number)
      const filled = error.items as EmailBatchSendItem[]
      body = error.unresolved.map(({ index }) => filled[index] as EmailBatchSendItem)
      pending = error.unresolved.map(({ index }) => pending[index] as number)
    }
  }
  record.results = [...outcomes.values()].sort((a, b) => a.index - b.index)
  return record
}

const started = Date.now()
const sends = await pool(config.sends, config.concurrency, (index) =>
  logicalCall(index, (key) => client.emails.send(sendBody(index), key === undefined ? undefined : { idempotencyKey: key }), (send) => send.id),
)
const tracks = await pool(config.tracks, config.concurrency, (index) =>
  logicalCall(index, (key) => client.events.track(trackBody(index), key === undefined ? undefined : { idempotencyKey: key }), (event) => event.eventId),
)
const batch = await runBatch()

// Let anything the SDK scheduled and forgot surface before the resources are listed.
await new Promise((resolve) => setImmediate(resolve))
const result: WorkloadResult = {
  sends,
  tracks,
  batch,
  unhandledRejections,
  activeResources: process.getActiveResourcesInfo(),
  elapsedMs: Date.now() - started,
}
writeFileSync(config.resultFile, JSON.stringify(result))
console.log(DONE_MARKER)

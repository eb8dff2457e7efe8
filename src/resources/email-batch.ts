/**
 * `emails.batchSend()` of any size. The API takes at most 100 items per call; more are split into
 * chunks of 100, sent a few at a time, and merged back into one result whose `index` values refer
 * to the caller's array.
 *
 * Every item carries an `idempotencyKey` (a random one where the caller gave none, filled on a copy),
 * so that sending the same items again can never send an email twice: an item the API already
 * accepted replays. That is what makes a failed chunk recoverable, and why the keys are handed back
 * in the result and in a `BatchSendError`.
 *
 * When a chunk fails after its own retries, the other chunks carry on: they are independent, and a
 * transient outage should cost as little as possible. Only an error that would fail every chunk the
 * same way (a bad key, a missing scope, a malformed request, the caller's abort) stops new chunks
 * from starting.
 */
import type { BatchSendEmailsRequest } from '../../generated/types/BatchSendEmailsRequest.ts'
import type { BatchSendEmailsResponse } from '../../generated/types/BatchSendEmailsResponse.ts'
import type { BatchSendItem } from '../../generated/types/BatchSendItem.ts'
import type { BatchSendResultItem } from '../../generated/types/BatchSendResultItem.ts'
import { APIPromise } from '../core/api-promise.ts'
import { APIConnectionError, APIError, SegmentFlowError, ValidationError, type ValidationIssue } from '../core/errors.ts'
import { givenIdempotencyKey, idempotencyKeyIssues, newIdempotencyKey, withoutIdempotencyHeader } from '../core/idempotency.ts'
import { unreadableBodyIssue } from '../core/json-body.ts'
import { readOptions, readProblems, REQUEST_OPTION_NAMES } from '../core/options.ts'
import type { Requester, RequestOptions } from '../core/requester.ts'
import { dedupeIssues } from '../core/validation.ts'
import { isRetryableResponse } from '../core/retries.ts'
import type { ResponseConfig } from '../core/transport.ts'
import { BatchSendError, type BatchSendFailure, type BatchSendUnresolvedItem } from '../core/workflow-errors.ts'

/** openapi.yaml, BatchSendEmailsRequest: a batch holds 1 to 100 items. */
export const MAX_BATCH_ITEMS = 100
export const DEFAULT_BATCH_CONCURRENCY = 4

/** A batch item; `idempotencyKey` is filled with a random key when omitted. */
export type EmailBatchSendItem = Omit<BatchSendItem, 'idempotencyKey'> & { idempotencyKey?: BatchSendItem['idempotencyKey'] | undefined }

/** Any number of items (over 100 are sent in chunks), plus `defaults` applied to each. */
export type EmailBatchSendParams = Omit<BatchSendEmailsRequest, 'items'> & { items: EmailBatchSendItem[] }

export type EmailBatchSendOptions = RequestOptions & {
  /** Chunks of 100 in flight at once, for more than 100 items. Default 4. */
  concurrency?: number | undefined
}

/** `bodyChecked`: the body already passed `requester.issues()`, so the send need not check it again. */
type Post = (body: BatchSendEmailsRequest, options: RequestOptions, bodyChecked?: boolean) => APIPromise<BatchSendEmailsResponse>

type Chunk = { start: number; end: number }

export function sendBatch(requester: Requester, post: Post, params: EmailBatchSendParams, options: EmailBatchSendOptions = {}): APIPromise<BatchSendEmailsResponse> {
  const read = readOptions<EmailBatchSendOptions>(options, [...REQUEST_OPTION_NAMES, 'concurrency'])
  const { concurrency = DEFAULT_BATCH_CONCURRENCY, ...requestOptions } = read
  const issues: ValidationIssue[] = [...readProblems(read)]
  let items: BatchSendItem[] | undefined
  try {
    const given = params?.items
    if (!Array.isArray(given)) issues.push({ path: 'items', message: 'must be an array of emails' })
    else if (given.length === 0) issues.push({ path: 'items', message: 'must hold at least one email; there is nothing to send' })
    else items = fillKeys(given as EmailBatchSendItem[])
  } catch (error) {
    // A getter or Proxy trap of the caller's that throws: the same items would throw again later.
    issues.push({ ...unreadableBodyIssue(error), path: 'items' })
  }
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) issues.push({ path: 'options.concurrency', message: 'must be a whole number >= 1' })
  // Checked here as well as per chunk: a key that is not text would otherwise become "null:chunk-0".
  const key = givenIdempotencyKey(requestOptions.idempotencyKey, requestOptions.headers)
  if (key !== undefined) issues.push(...idempotencyKeyIssues(key))
  if (issues.length > 0 || items === undefined) return rejected(new ValidationError(issues, { operation: 'batchSendEmails' }))

  // One chunk is one plain call: same request, same result, same errors.
  if (items.length <= MAX_BATCH_ITEMS) return post({ ...params, items }, requestOptions)
  return new APIPromise(sendChunks(requester, post, { ...params, items }, requestOptions, concurrency), (raw) => raw.data as BatchSendEmailsResponse)
}

function fillKeys(items: EmailBatchSendItem[]): BatchSendItem[] {
  // Only plain objects: spreading an array (or anything else) into one would turn an invalid item
  // into a valid-looking `{ idempotencyKey }` instead of letting the schema refuse it.
  return items.map((item) => (isPlainObject(item) && item.idempotencyKey === undefined ? { ...item, idempotencyKey: newIdempotencyKey() } : (item as BatchSendItem)))
}

function isPlainObject(value: unknown): value is EmailBatchSendItem {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function rejected(error: SegmentFlowError): APIPromise<BatchSendEmailsResponse> {
  return new APIPromise(Promise.reject(error), () => undefined as never)
}

async function sendChunks(
  requester: Requester,
  post: Post,
  params: BatchSendEmailsRequest,
  options: RequestOptions,
  concurrency: number,
): Promise<ResponseConfig<BatchSendEmailsResponse>> {
  const { items } = params
  const chunks: Chunk[] = []
  for (let start = 0; start < items.length; start += MAX_BATCH_ITEMS) chunks.push({ start, end: Math.min(start + MAX_BATCH_ITEMS, items.length) })
  const bodyOf = (chunk: Chunk): BatchSendEmailsRequest => ({ ...params, items: items.slice(chunk.start, chunk.end) })

  // A key given for the whole call becomes one key per chunk: the chunks are different requests,
  // and one key on several bodies would be refused as `idempotency_key_reuse`.
  const key = givenIdempotencyKey(options.idempotencyKey, options.headers)
  const optionsOf = (index: number): RequestOptions =>
    key === undefined ? options : { ...options, headers: withoutIdempotencyHeader(options.headers), idempotencyKey: `${key}:chunk-${index}` }

  // Every chunk is checked before the first goes out: a bad item 2,400 must not leave 2,300 sent.
  const checked = await Promise.all(
    chunks.map(async (chunk, index) => {
      const chunkOptions = optionsOf(index)
      const chunkIssues = await requester.issues('batchSendEmails', { body: bodyOf(chunk) }, chunkOptions, chunkOptions.idempotencyKey)
      return chunkIssues.map((issue) => shift(issue, chunk.start))
    }),
  )
  const issues = dedupeIssues(checked.flat())
  if (issues.length > 0) throw new ValidationError(issues, { operation: 'batchSendEmails', idempotencyKey: key })

  const results: Array<BatchSendEmailsResponse | undefined> = new Array(chunks.length)
  const failures: BatchSendFailure[] = []
  let next = 0
  let stopped = false
  const worker = async () => {
    while (!stopped && next < chunks.length) {
      const index = next++
      const chunk = chunks[index] as Chunk
      try {
        results[index] = await post(bodyOf(chunk), optionsOf(index), true)
      } catch (error) {
        const failure = error instanceof SegmentFlowError ? error : new SegmentFlowError(String(error), { cause: error })
        failures.push({ start: chunk.start, end: chunk.end, error: failure })
        if (!otherChunksMaySucceed(failure)) stopped = true
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, worker))

  const merged = merge(chunks, results)
  if (failures.length > 0) {
    const unresolved: BatchSendUnresolvedItem[] = []
    chunks.forEach((chunk, index) => {
      if (results[index] !== undefined) return
      for (let i = chunk.start; i < chunk.end; i++) unresolved.push({ index: i, idempotencyKey: (items[i] as BatchSendItem).idempotencyKey })
    })
    failures.sort((a, b) => a.start - b.start)
    throw new BatchSendError({ result: merged, failures, unresolved, items })
  }
  return merged200(merged)
}

/**
 * A failure that says nothing about the other chunks (the network, a 5xx, a rate limit that
 * outlasted the retries) leaves them to run. Anything else would fail them all the same way.
 */
function otherChunksMaySucceed(error: SegmentFlowError): boolean {
  if (error instanceof APIConnectionError) return true
  return error instanceof APIError && isRetryableResponse(error.status, error.errorCode)
}

function merge(chunks: Chunk[], results: Array<BatchSendEmailsResponse | undefined>): BatchSendEmailsResponse {
  const merged: BatchSendEmailsResponse = { total: 0, accepted: 0, rejected: 0, items: [] }
  chunks.forEach((chunk, index) => {
    const result = results[index]
    if (!result) return
    merged.total += result.total
    merged.accepted += result.accepted
    merged.rejected += result.rejected
    for (const item of result.items) merged.items.push({ ...item, index: chunk.start + item.index } as BatchSendResultItem)
  })
  return merged
}

/**
 * Several chunks have no single HTTP response. `.withResponse()` gets a 200 made from the merged
 * body (built only if asked for), with no request id: each chunk had its own.
 */
function merged200(data: BatchSendEmailsResponse): ResponseConfig<BatchSendEmailsResponse> {
  let response: Response | undefined
  const headers = new Headers({ 'content-type': 'application/json' })
  return {
    data,
    status: 200,
    statusText: 'OK',
    headers,
    get response() {
      response ??= new Response(JSON.stringify(data), { status: 200, headers })
      return response
    },
    requestId: undefined,
    idempotencyKey: undefined,
  }
}

/** `items.3.to` of a chunk starting at 200 is `items.203.to` of the caller's batch. */
function shift(issue: ValidationIssue, start: number): ValidationIssue {
  const match = /^items\.(\d+)(.*)$/.exec(issue.path)
  return match ? { ...issue, path: `items.${start + Number(match[1])}${match[2]}` } : issue
}

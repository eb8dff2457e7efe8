/**
 * What the chaos runner (test/reliability/harness/chaos.ts, in the process that serves the sandbox)
 * and the workload (workload.ts, a child process that only uses the SDK) exchange. The client runs
 * in a process of its own so that "it leaves nothing running" can be checked the only honest way:
 * the process exits by itself once the work is done.
 */

export type WorkloadConfig = {
  url: string
  apiKey: string
  sends: number
  tracks: number
  /** Items in the one `emails.batchSend` call; 0 skips the batch. */
  batchItems: number
  concurrency: number
  /** The client's per-attempt timeout; the delay fault holds requests longer than this. */
  timeoutMs: number
  maxRetries: number
  /** How many times a caller tries again with the key of a call that failed, before giving up. */
  maxRecalls: number
  /** Where the workload writes its `WorkloadResult` as JSON. */
  resultFile: string
}

/** One logical call as the caller experienced it. */
export type CallRecord = {
  index: number
  /** The Idempotency-Key the call used (from `.withResponse()` or from the error). */
  key: string | null
  outcome: 'resolved' | 'rejected'
  /** The resource id the call resolved to (`EmailSend.id`, `eventId`). */
  id: string | null
  /** For a rejected call: the error's class name, and whether it is one of the SDK's typed errors. */
  error?: { name: string; typed: boolean; message: string }
  /** For a rejected call: what calling again with the same key gave. */
  recall?: { attempts: number; id: string | null; replayed: boolean; lastError?: string }
}

export type BatchRecord = {
  items: number
  /** How many times `batchSend` was called: once, plus once per `BatchSendError` for the items left without an outcome. */
  calls: number
  /** The chunk requests those calls make when nothing fails (100 items each). */
  chunkRequests: number
  outcome: 'resolved' | 'rejected'
  error?: { name: string; typed: boolean; message: string }
  /** Per item of the caller's array: its key and the EmailSend id the final result gave it. */
  results: Array<{ index: number; key: string | null; status: string; id: string | null }>
}

export type WorkloadResult = {
  sends: CallRecord[]
  tracks: CallRecord[]
  batch: BatchRecord | null
  unhandledRejections: string[]
  /** `process.getActiveResourcesInfo()` once the work is done, for the report when the process hangs. */
  activeResources: string[]
  elapsedMs: number
}

export const WORKLOAD_CONFIG_ENV = 'SEGMENTFLOW_CHAOS_CONFIG'
/** Printed by the workload once its result is written: from then on the process must end by itself. */
export const DONE_MARKER = 'workload: done'

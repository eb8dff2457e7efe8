/**
 * The exactly-once run: a sandbox over real HTTP on 127.0.0.1 with a fault plan that hits about a
 * third of the attempts, the workload (workload.ts) in a child process, then the server-side count.
 * Used by exactly-once.test.ts (scale 1) and by `npm run chaos` (scale 10).
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { listen } from '../../../src/testing/node.ts'
import { createSandbox, type Fault, type FaultSpec, type Sandbox } from '../../../src/testing/index.ts'
import { DONE_MARKER, WORKLOAD_CONFIG_ENV, type CallRecord, type WorkloadConfig, type WorkloadResult } from './protocol.ts'

const root = fileURLToPath(new URL('../../..', import.meta.url))
const workloadFile = fileURLToPath(new URL('./workload.ts', import.meta.url))

export type ChaosOptions = {
  /** 1 = 1,000 sends, 1,000 tracks, a 2,500-item batch. */
  scale: number
  seed: number
  /** How long the workload may take to exit by itself once it printed that it is done. */
  exitWithinMs?: number
}

/** The client's per-attempt timeout. The delay fault holds a request for longer than this. */
const TIMEOUT_MS = 1_000
const DELAY_MS = 1_500

/**
 * Rates are per attempt. Faults of one phase are tried in order and the first that fires wins, so
 * a later one fires on its rate of what the earlier ones let through. Together, with replays (which
 * skip the delay and after-commit phases) counted in, well over a third of all attempts fail.
 * Retry-After stays at 0 or 1 s so that a run takes seconds, not minutes. `intensity` scales every
 * rate: the batch makes few requests (a chunk is 100 emails), so it gets more faults per request
 * for its share to hold and for some chunks to run out of retries.
 */
function faultPlan(intensity: number): Array<{ label: string; spec: Omit<FaultSpec, 'operation' | 'seed'> }> {
  const plan: Array<{ label: string; spec: Omit<FaultSpec, 'operation' | 'seed'> }> = [
    { label: 'reset', spec: { kind: 'reset', rate: 0.08 } },
    { label: '500', spec: { kind: 'status', status: 500, rate: 0.05 } },
    { label: '502', spec: { kind: 'status', status: 502, rate: 0.05 } },
    { label: '503 (Retry-After: 0)', spec: { kind: 'status', status: 503, retryAfter: 0, rate: 0.05 } },
    { label: '429 (Retry-After: 0)', spec: { kind: 'status', status: 429, retryAfter: 0, rate: 0.05 } },
    { label: '429 (Retry-After: 1)', spec: { kind: 'status', status: 429, retryAfter: 1, rate: 0.02 } },
    { label: `slower than the timeout (${DELAY_MS} ms)`, spec: { kind: 'delay', delayMs: DELAY_MS, rate: 0.05 } },
    { label: 'after commit: 500', spec: { kind: 'after-commit', status: 500, rate: 0.07 } },
    { label: 'after commit: reset', spec: { kind: 'after-commit', reset: true, rate: 0.07 } },
  ]
  return plan.map(({ label, spec }) => ({ label, spec: { ...spec, rate: Math.min(1, (spec.rate ?? 1) * intensity) } }))
}

export type FaultCount = { label: string; fired: number }

export type WorkloadFigures = {
  name: string
  operation: string
  calls: number
  /** Requests the server received for these calls (first attempts, retries and recalls). */
  attempts: number
  /** Attempts beyond the first of each call, by the SDK itself. */
  retries: number
  /** Attempts hit by at least one fault. */
  faultedAttempts: number
  /** Attempts the server answered from its idempotency store: each one a duplicate avoided. */
  replays: number
  /** Attempts answered 409 idempotency_request_in_progress: a retry that overtook its own slow first attempt. */
  inProgress: number
  faultShare: number
  faults: FaultCount[]
  /** Calls that resolved at once, that rejected (and were called again with their key). */
  resolved: number
  rejected: number
  rejectedUntyped: number
  rejectedWithoutKey: number
  /** Calls again with the key of a rejected call, and how many of those replayed the first write. */
  recalls: number
  recallsReplayed: number
  /** Resources on the server per logical call: more than one is a duplicate, none is lost. */
  duplicates: number
  lost: number
  /** Resources whose key no call knows about. */
  strays: number
  /** Calls whose id (or recalled id) differs from the resource the server holds for their key. */
  mismatched: number
}

export type ChaosReport = {
  seed: number
  scale: number
  concurrency: number
  workloads: WorkloadFigures[]
  injected: Sandbox['state']['injectedFaults']
  unhandledRejections: string[]
  activeResources: string[]
  /** Whether the workload process ended by itself after it was done, and with which code. */
  exitedByItself: boolean
  exitCode: number | null
  clientElapsedMs: number
  /** `batchSend` calls it took to give every item an outcome (null when the batch did not run). */
  batchCalls: number | null
}

type Plan = Map<string, Array<{ label: string; fault: Fault }>>

function installFaults(sandbox: Sandbox, operations: Record<string, number>, seed: number): Plan {
  const plan: Plan = new Map()
  Object.entries(operations).forEach(([operation, intensity], o) => {
    plan.set(
      operation,
      faultPlan(intensity).map(({ label, spec }, f) => ({ label, fault: sandbox.faults.add({ ...spec, operation, seed: seed * 1000 + o * 100 + f }) })),
    )
  })
  return plan
}

/** Server-side truth for one kind of write: the resources per Idempotency-Key. */
function countWrites(
  name: string,
  operation: string,
  calls: CallRecord[],
  resources: Array<{ key: string; id: string }>,
  sandbox: Sandbox,
  plan: Plan,
  /** The requests these calls make when nothing fails: one per call, or one per chunk of a batch. */
  requestsWithoutFaults: number = calls.length,
): WorkloadFigures {
  const byKey = new Map<string, string[]>()
  for (const { key, id } of resources) byKey.set(key, [...(byKey.get(key) ?? []), id])
  const known = new Set(calls.map((call) => call.key).filter((key): key is string => key !== null))
  let duplicates = 0
  let lost = 0
  let mismatched = 0
  for (const call of calls) {
    const ids = call.key === null ? [] : (byKey.get(call.key) ?? [])
    if (ids.length === 0) lost++
    duplicates += Math.max(0, ids.length - 1)
    const seen = call.outcome === 'resolved' ? call.id : (call.recall?.id ?? null)
    if (ids.length === 1 && seen !== ids[0]) mismatched++
  }
  const strays = [...byKey.keys()].filter((key) => !known.has(key)).length
  const requests = sandbox.state.requests.filter((entry) => entry.operation === operation)
  const rejectedCalls = calls.filter((call) => call.outcome === 'rejected')
  const recalls = rejectedCalls.reduce((sum, call) => sum + (call.recall?.attempts ?? 0), 0)
  const faulted = requests.filter((entry) => entry.fault !== null).length
  return {
    name,
    operation,
    calls: calls.length,
    attempts: requests.length,
    // Every request beyond a call's first is a retry, except the caller's own calls again with the key.
    retries: requests.length - requestsWithoutFaults - recalls,
    faultedAttempts: faulted,
    replays: requests.filter((entry) => entry.replayed).length,
    inProgress: requests.filter((entry) => entry.status === 409).length,
    faultShare: requests.length === 0 ? 0 : faulted / requests.length,
    faults: (plan.get(operation) ?? []).map(({ label, fault }) => ({ label, fired: fault.fired })),
    resolved: calls.length - rejectedCalls.length,
    rejected: rejectedCalls.length,
    rejectedUntyped: rejectedCalls.filter((call) => !call.error?.typed).length,
    rejectedWithoutKey: rejectedCalls.filter((call) => call.key === null).length,
    recalls,
    recallsReplayed: rejectedCalls.filter((call) => call.recall?.replayed).length,
    duplicates,
    lost,
    strays,
    mismatched,
  }
}

function runWorkload(config: WorkloadConfig, exitWithinMs: number): Promise<{ exitedByItself: boolean; exitCode: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', workloadFile], {
      cwd: root,
      env: { ...process.env, [WORKLOAD_CONFIG_ENV]: JSON.stringify(config) },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    let killer: NodeJS.Timeout | undefined
    let killed = false
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (killer === undefined && output.includes(DONE_MARKER)) {
        // A bounded wait, not a timing assertion: a process that still runs this long after its last
        // call is being held open by something.
        killer = setTimeout(() => {
          killed = true
          child.kill('SIGKILL')
        }, exitWithinMs)
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.on('error', reject)
    child.on('exit', (code) => {
      clearTimeout(killer)
      resolve({ exitedByItself: !killed && output.includes(DONE_MARKER), exitCode: code, output })
    })
  })
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const sandbox = createSandbox({ requestLogLimit: 10_000_000 })
  const plan = installFaults(sandbox, { sendEmail: 1, trackEvent: 1, batchSendEmails: 1.5 }, options.seed)
  const server = await listen(sandbox, { port: 0 })
  const dir = mkdtempSync(join(tmpdir(), 'segmentflow-chaos-'))
  const config: WorkloadConfig = {
    url: server.url,
    apiKey: sandbox.apiKey,
    sends: 1_000 * options.scale,
    tracks: 1_000 * options.scale,
    batchItems: 2_500 * options.scale,
    concurrency: 50,
    timeoutMs: TIMEOUT_MS,
    maxRetries: 2,
    maxRecalls: 10,
    resultFile: join(dir, 'result.json'),
  }
  try {
    const run = await runWorkload(config, options.exitWithinMs ?? 15_000)
    let result: WorkloadResult
    try {
      result = JSON.parse(readFileSync(config.resultFile, 'utf8')) as WorkloadResult
    } catch {
      throw new Error(`The workload wrote no result (exit code ${run.exitCode}):\n${run.output}`)
    }
    const state = sandbox.state
    const sendsByKey = [...state.emailSends.values()]
    const batchKeys = new Set((result.batch?.results ?? []).map((item) => item.key))
    const workloads = [
      countWrites(
        'emails.send',
        'sendEmail',
        result.sends,
        sendsByKey.filter((send) => !batchKeys.has(send.idempotencyKey)).map((send) => ({ key: send.idempotencyKey, id: send.id })),
        sandbox,
        plan,
      ),
      countWrites(
        'events.track',
        'trackEvent',
        result.tracks,
        state.events.map((event) => ({ key: event.idempotencyKey, id: event.eventId })),
        sandbox,
        plan,
      ),
    ]
    if (result.batch) {
      const calls: CallRecord[] = result.batch.results.map((item) => ({
        index: item.index,
        key: item.key,
        outcome: item.status === 'accepted' ? 'resolved' : 'rejected',
        id: item.id,
      }))
      workloads.push(
        countWrites(
          'emails.batchSend',
          'batchSendEmails',
          calls,
          sendsByKey.filter((send) => batchKeys.has(send.idempotencyKey)).map((send) => ({ key: send.idempotencyKey, id: send.id })),
          sandbox,
          plan,
          result.batch.chunkRequests,
        ),
      )
    }
    return {
      seed: options.seed,
      scale: options.scale,
      concurrency: config.concurrency,
      workloads,
      injected: { ...state.injectedFaults },
      unhandledRejections: result.unhandledRejections,
      activeResources: result.activeResources,
      exitedByItself: run.exitedByItself,
      exitCode: run.exitCode,
      clientElapsedMs: result.elapsedMs,
      batchCalls: result.batch?.calls ?? null,
    }
  } finally {
    await server.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

export function formatReport(report: ChaosReport): string {
  const lines = [
    `seed ${report.seed}, scale ${report.scale}x, concurrency ${report.concurrency}, client time ${(report.clientElapsedMs / 1000).toFixed(1)} s`,
  ]
  for (const w of report.workloads) {
    lines.push(
      `${w.name}: ${w.calls} calls, ${w.attempts} attempts (${w.retries} retries by the SDK, ${w.recalls} calls again with the key), ` +
        `${w.faultedAttempts} attempts faulted (${(w.faultShare * 100).toFixed(1)}%), ${w.replays} replayed by the server, ${w.inProgress} answered 409 in progress, ` +
        `${w.resolved} resolved, ${w.rejected} rejected (${w.rejectedUntyped} untyped, ${w.rejectedWithoutKey} without key, ${w.recallsReplayed} replayed on the call again), ` +
        `duplicates ${w.duplicates}, lost ${w.lost}, strays ${w.strays}, mismatched ids ${w.mismatched}`,
    )
    lines.push(`  faults: ${w.faults.map((f) => `${f.label} ${f.fired}`).join('; ')}`)
  }
  const i = report.injected
  lines.push(`injected by kind: reset ${i.reset}, status ${i.status}, delay ${i.delay}, after-commit ${i['after-commit']}`)
  lines.push(
    `unhandled rejections ${report.unhandledRejections.length}; exited by itself ${report.exitedByItself} (code ${report.exitCode}); ` +
      `active resources when done: ${report.activeResources.join(', ') || 'none'}`,
  )
  lines.push(report.batchCalls === null ? 'batch: not run' : `batch: ${report.batchCalls} batchSend call(s) to give every item an outcome`)
  return lines.join('\n')
}

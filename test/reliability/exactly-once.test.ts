/**
 * The promise users care about most: a network blip never sends an email twice and never loses one.
 * 1,000 `emails.send`, 1,000 `events.track` and a 2,500-item `emails.batchSend`, 50 calls in flight,
 * over real HTTP to the sandbox while a third or more of the requests fail: dropped connections,
 * 500/502/503, 429 with Retry-After, answers slower than the timeout, and failures after the server
 * committed the write. Then the server is counted. `npm run chaos` runs the same at ten times the volume.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { formatReport, runChaos, type ChaosReport, type WorkloadFigures } from './harness/chaos.ts'

const SEED = Number(process.env.CHAOS_SEED ?? 20260115)

let report: ChaosReport

beforeAll(async () => {
  report = await runChaos({ scale: 1, seed: SEED })
  console.log(`exactly-once (CHAOS_SEED=${SEED} reproduces the fault sequence)\n${formatReport(report)}`)
}, 240_000)

function workload(name: string): WorkloadFigures {
  const found = report.workloads.find((w) => w.name === name)
  if (!found) throw new Error(`no figures for ${name}`)
  return found
}

describe.each([
  ['emails.send', 1_000],
  ['events.track', 1_000],
  ['emails.batchSend', 2_500],
])('%s under faults', (name, calls) => {
  it('leaves exactly one resource on the server per logical call: no duplicate, none lost, no stray', () => {
    const w = workload(name)
    expect(w.calls).toBe(calls)
    expect({ duplicates: w.duplicates, lost: w.lost, strays: w.strays }).toEqual({ duplicates: 0, lost: 0, strays: 0 })
  })

  it('hits at least 30% of the attempts with faults, of every kind', () => {
    const w = workload(name)
    expect(w.faultShare).toBeGreaterThanOrEqual(0.3)
    expect(w.retries).toBeGreaterThan(0)
    if (name !== 'emails.batchSend') {
      // The batch makes a few dozen requests; the single calls make enough for every kind to fire.
      expect(w.faults.filter((fault) => fault.fired === 0).map((fault) => fault.label)).toEqual([])
    }
  })

  it('gives every caller the resource the server holds for its key', () => {
    expect(workload(name).mismatched).toBe(0)
  })
})

describe.each(['emails.send', 'events.track'])('%s: a call that fails', (name) => {
  it('rejects with a typed error carrying its idempotency key', () => {
    const w = workload(name)
    // Three attempts against a one-in-three failure rate: some calls must run out of retries.
    expect(w.rejected).toBeGreaterThan(0)
    expect({ untyped: w.rejectedUntyped, withoutKey: w.rejectedWithoutKey }).toEqual({ untyped: 0, withoutKey: 0 })
  })

  it('returns the original resource when called again with that key', () => {
    const w = workload(name)
    // Some of those failures came after the write was committed: calling again replays it.
    expect(w.recallsReplayed).toBeGreaterThan(0)
    expect(w.mismatched).toBe(0)
  })
})

describe('the client process', () => {
  it('sees no unhandled rejection', () => {
    expect(report.unhandledRejections).toEqual([])
  })

  it('exits by itself once the calls are done: no timer or socket left running', () => {
    expect({ exitedByItself: report.exitedByItself, exitCode: report.exitCode, resources: report.activeResources }).toEqual({
      exitedByItself: true,
      exitCode: 0,
      // The pipes to this process; no Timeout, no TCPSocketWrap.
      resources: expect.not.arrayContaining(['Timeout', 'TCPSocketWrap']),
    })
  })
})

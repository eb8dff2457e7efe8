/**
 * Per-call latency and throughput, each contender against the others in the same process and the
 * same minutes. Rounds interleave the contenders in short batches, rotating who goes first, so that
 * a burst of load from elsewhere on the machine lands on all of them alike; the ratios are then
 * taken pair by pair within this one run.
 */
import type { Call, Contender, Operation } from './contenders.ts'
import { percentile, sortNumbers } from './stats.ts'

export type Mode = { name: string; concurrency: number; callsPerBatch: number; rounds: number; warmupRounds: number }

/**
 * Calls per client and operation before anything is measured. V8 takes a few thousand calls to
 * optimise deep generic code such as zod's parsers: validating a sendEmail body costs 40-100 µs
 * over the first ~2,500 calls of a process and 7-15 µs after. The figures are for a warm process;
 * the cold start is what the cold-import section measures.
 */
export const WARMUP_CALLS = 3_000

export type Cell = {
  operation: Operation
  mode: string
  contender: string
  /** Milliseconds per call, every call of every measured round. */
  samples: number[]
  /** The p50 of each round, for the spread of the paired ratios. */
  roundP50s: number[]
  calls: number
  wallMs: number
}

export type CellStats = { p50: number; p99: number; perSecond: number }

/** `calls` calls of `call`, `concurrency` in flight; each call's latency goes into `sink`. */
async function batch(call: Call, calls: number, concurrency: number, sink: number[]): Promise<number> {
  let started = 0
  const begin = performance.now()
  async function worker(): Promise<void> {
    while (started < calls) {
      started++
      const t0 = performance.now()
      await call()
      sink.push(performance.now() - t0)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return performance.now() - begin
}

export async function measureLatency(
  contenders: ReadonlyArray<Contender>,
  operations: ReadonlyArray<Operation>,
  modes: ReadonlyArray<Mode>,
  onProgress: (text: string) => void = () => {},
): Promise<Cell[]> {
  const cells: Cell[] = []
  for (const operation of operations) {
    for (const contender of contenders) await batch(contender.calls[operation], WARMUP_CALLS, 1, [])
    onProgress(`warm-up: ${operation}, ${WARMUP_CALLS} calls per client`)
  }
  for (const mode of modes) {
    const byKey = new Map<string, Cell>()
    for (const operation of operations) {
      for (const contender of contenders) {
        const cell: Cell = { operation, mode: mode.name, contender: contender.name, samples: [], roundP50s: [], calls: 0, wallMs: 0 }
        byKey.set(`${operation}|${contender.name}`, cell)
        cells.push(cell)
      }
    }
    for (let round = 0; round < mode.warmupRounds + mode.rounds; round++) {
      const measured = round >= mode.warmupRounds
      for (const operation of operations) {
        // Rotating the order: nobody always runs right after the same neighbour (or first, on a cold
        // connection pool).
        const order = contenders.map((_, i) => contenders[(i + round) % contenders.length]!)
        for (const contender of order) {
          const sink: number[] = []
          const wallMs = await batch(contender.calls[operation], mode.callsPerBatch, mode.concurrency, sink)
          if (!measured) continue
          const cell = byKey.get(`${operation}|${contender.name}`)!
          for (const sample of sink) cell.samples.push(sample)
          cell.roundP50s.push(percentile(sortNumbers(sink), 50))
          cell.calls += sink.length
          cell.wallMs += wallMs
        }
      }
      onProgress(`${mode.name}: round ${round + 1}/${mode.warmupRounds + mode.rounds}${measured ? '' : ' (warm-up)'}`)
    }
  }
  return cells
}

export function stats(cell: Cell): CellStats {
  const sorted = sortNumbers(cell.samples)
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), perSecond: (cell.calls / cell.wallMs) * 1000 }
}

/** Round by round, `a`'s p50 over `b`'s: the spread says how much the machine moved under the run. */
export function roundRatios(a: Cell, b: Cell): number[] {
  return a.roundP50s.map((p50, i) => p50 / b.roundP50s[i]!)
}

/** Per round, how many microseconds `a`'s p50 is above `b`'s. */
export function roundDifferences(a: Cell, b: Cell): number[] {
  return a.roundP50s.map((p50, i) => p50 - b.roundP50s[i]!)
}

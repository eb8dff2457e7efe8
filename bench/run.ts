/**
 * `npm run bench`: builds, then measures the built package against raw fetch and openapi-fetch and
 * prints one report (markdown) with the machine it ran on and every budget's pass or fail.
 *
 *   npm run bench                  the full run (a few minutes)
 *   npm run bench -- --quick       fewer rounds, for a smoke test; figures too noisy to record
 *   npm run bench -- --update      also writes the report into BENCHMARKS.md
 *   npm run bench -- --only=latency,cpu,floor,batch,memory,validation,cold,size
 *
 * Progress goes to stderr, the report to stdout.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg, platform, release, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'

import { BATCH_ITEMS, measureBatch, type BatchStats } from './batch.ts'
import { measureColdImport } from './cold-import.ts'
import { measureCpu } from './cpu.ts'
import { loadSDK, makeConsumer } from './consumer.ts'
import { floorVariants, openapiFetch, OPERATIONS, rawFetch, sdk, type Contender } from './contenders.ts'
import { PROFILE_TOTAL } from './fixtures.ts'
import { measureValidationCost } from './validation-cost.ts'
import { measureLatency, roundDifferences, roundRatios, stats, WARMUP_CALLS, type Mode } from './latency.ts'
import { measureSize, type SizeResult } from './size.ts'
import { fmt, percentile, sortNumbers, table } from './stats.ts'

const REPO = fileURLToPath(new URL('..', import.meta.url))
const args = process.argv.slice(2)
const quick = args.includes('--quick')
const update = args.includes('--update')
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',')
const wants = (section: string) => !only || only.includes(section)
const scale = quick ? 0.2 : 1

const MODES: ReadonlyArray<Mode> = [
  { name: 'sequential', concurrency: 1, callsPerBatch: 20, rounds: Math.ceil(100 * scale), warmupRounds: 1 },
  { name: 'concurrency 32', concurrency: 32, callsPerBatch: 320, rounds: Math.ceil(15 * scale), warmupRounds: 1 },
]
const COLD_IMPORT_RUNS = quick ? 10 : 30
const BATCH_RUNS = quick ? 3 : 7
const MEMORY_RUNS = quick ? 1 : 3
/** emails.batchSend's default, passed to it explicitly as well: both sides keep 4 chunks in flight. */
const BATCH_CONCURRENCY = 4

const CPU_ROUNDS = quick ? 5 : 21
const CPU_CALLS = quick ? 500 : 2_000

const BUDGET = {
  /** Microseconds added to a hand-written `fetch` call's p50. */
  sendOverFetchUs: 150,
  /** The SDK's own CPU per call, with a `fetch` that answers at once. */
  sendCpuUs: 100,
  sendVsOpenapiFetch: 1.1,
  coldImportMs: 40,
  bundleBytes: 30_000,
  batchVsFetch: 1.2,
  memoryBytes: 50e6,
}

const progress = (text: string) => process.stderr.write(`  ${text}\n`)

function startServer(): Promise<{ baseURL: string; child: ChildProcess }> {
  const child = fork(fileURLToPath(new URL('./server.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' })
  return new Promise((resolve, reject) => {
    child.once('message', (message: { port: number }) => resolve({ baseURL: `http://127.0.0.1:${message.port}`, child }))
    child.once('exit', (code) => reject(new Error(`bench server exited (${code}) before listening`)))
  })
}

function runMemory(mode: 'sdk' | 'sdk-off' | 'fetch', baseURL: string): Promise<MemoryRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./memory.ts', import.meta.url)), mode, baseURL], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`memory ${mode} exited ${code}`))))
  })
}

type MemoryRun = { deltaRss: number; baselineRss: number; peakRss: number; ms: number }

/** The run with the median added RSS: V8 decides when to collect, so one walk can land far off. */
function medianRun(runs: MemoryRun[]): MemoryRun {
  return [...runs].sort((a, b) => a.deltaRss - b.deltaRss)[runs.length >> 1]!
}

type Budget = { name: string; measured: string; limit: string; pass: boolean }

const machine = {
  node: process.version,
  cpu: cpus()[0]?.model.trim() ?? 'unknown',
  cores: availableParallelism(),
  os: `${platform()} ${release()}`,
  memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
}
const loadBefore = loadavg()
const startedAt = new Date()
const budgets: Budget[] = []
/** Added peak RSS of the profile walk, validation on and off, for the validation section. */
let memoryAdded: { on: number; off: number } | undefined
const sections: string[] = []

process.stderr.write('bench: packing the package and installing it in a consumer project\n')
const consumer = makeConsumer(REPO)
try {
  process.stderr.write('bench: starting the loopback server\n')
  const { baseURL, child: server } = await startServer()
  try {
    const sf = await loadSDK()

    if (wants('latency')) {
      process.stderr.write('bench: per-call latency\n')
      const contenders: Contender[] = [rawFetch(baseURL), openapiFetch(baseURL), sdk(sf, baseURL, true), sdk(sf, baseURL, false)]
      const [fetchName, openapiName, sdkOnName] = contenders.map((c) => c.name) as [string, string, string]
      const cells = await measureLatency(contenders, OPERATIONS, MODES, progress)
      const find = (operation: string, mode: string, contender: string) =>
        cells.find((c) => c.operation === operation && c.mode === mode && c.contender === contender)!
      const rows = cells.map((cell) => {
        const s = stats(cell)
        const vsFetch = s.p50 / stats(find(cell.operation, cell.mode, fetchName)).p50
        const vsOpenapi = s.p50 / stats(find(cell.operation, cell.mode, openapiName)).p50
        return [
          cell.operation,
          cell.mode,
          cell.contender,
          fmt.us(s.p50),
          fmt.us(s.p99),
          fmt.int(s.perSecond),
          cell.contender === fetchName ? '1' : fmt.ratio(vsFetch),
          cell.contender === openapiName ? '1' : fmt.ratio(vsOpenapi),
          fmt.int(cell.calls),
        ]
      })
      sections.push(
        '### Per-call latency and throughput (loopback)',
        '',
        `Per cell: the calls of ${MODES.map((m) => `${m.rounds} rounds of ${m.callsPerBatch} (${m.name})`).join(', ')}; ` +
          `contenders interleaved round by round, after ${fmt.int(
            WARMUP_CALLS,
          )} warm-up calls each and one warm-up round. p50 and p99 in microseconds.`,
        '',
        table(['operation', 'mode', 'client', 'p50 µs', 'p99 µs', 'calls/s', 'p50 × fetch', 'p50 × openapi-fetch', 'calls'], rows, [
          'l',
          'l',
          'l',
          'r',
          'r',
          'r',
          'r',
          'r',
          'r',
        ]),
        '',
      )
      for (const mode of MODES) {
        const sdkCell = find('emails.send', mode.name, sdkOnName)
        const fetchCell = find('emails.send', mode.name, fetchName)
        const overhead = stats(sdkCell).p50 - stats(fetchCell).p50
        const perRound = sortNumbers(roundDifferences(sdkCell, fetchCell))
        budgets.push({
          name: `emails.send p50, validation on, over raw fetch (${mode.name})`,
          measured: `+${fmt.us(overhead)} µs (round by round: median +${fmt.us(percentile(perRound, 50))}, IQR ${fmt.us(
            percentile(perRound, 25),
          )}–${fmt.us(percentile(perRound, 75))})`,
          limit: `≤ +${BUDGET.sendOverFetchUs} µs`,
          pass: overhead * 1000 <= BUDGET.sendOverFetchUs,
        })
        const openapiCell = find('emails.send', mode.name, openapiName)
        const ratio = stats(sdkCell).p50 / stats(openapiCell).p50
        const ratios = sortNumbers(roundRatios(sdkCell, openapiCell))
        budgets.push({
          name: `emails.send p50, validation on, vs openapi-fetch (${mode.name})`,
          measured: `${fmt.ratio(ratio)} (round by round: median ${fmt.ratio(percentile(ratios, 50))}, IQR ${fmt.ratio(
            percentile(ratios, 25),
          )}–${fmt.ratio(percentile(ratios, 75))})`,
          limit: `≤ ${fmt.ratio(BUDGET.sendVsOpenapiFetch)}`,
          pass: ratio <= BUDGET.sendVsOpenapiFetch,
        })
      }
    }

    if (wants('cpu')) {
      process.stderr.write('bench: CPU per call\n')
      const results = await measureCpu(sf, CPU_ROUNDS, CPU_CALLS, progress)
      sections.push(
        '### CPU per `emails.send`, no network',
        '',
        `Every client gets a \`fetch\` that answers at once; process CPU time (user + system) over ${fmt.int(CPU_CALLS)} sequential calls, ` +
          `median of ${CPU_ROUNDS} interleaved rounds. The SDK rows are what it adds to the hand-written call.`,
        '',
        table(
          ['client', 'µs per call'],
          results.map((r) => [r.name, r.name === 'fetch, by hand' ? fmt.int(r.usPerCall) : `+${fmt.int(r.usPerCall)}`]),
          ['l', 'r'],
        ),
        '',
      )
      const own = results.find((r) => r.name === 'SDK (validation on)')!
      budgets.push({
        name: 'emails.send, the SDK\'s own CPU per call (validation on)',
        measured: `${fmt.int(own.usPerCall)} µs`,
        limit: `≤ ${BUDGET.sendCpuUs} µs`,
        pass: own.usPerCall <= BUDGET.sendCpuUs,
      })
    }

    if (wants('floor')) {
      process.stderr.write('bench: what the fetch floor leaves out\n')
      const variants = floorVariants(baseURL)
      const floorMode: Mode = { ...MODES[0]!, rounds: Math.ceil(60 * scale) }
      const cells = await measureLatency(variants, ['emails.send'], [floorMode], progress)
      const floor = stats(cells[0]!).p50
      sections.push(
        '### What the `fetch` floor leaves out (`emails.send`, sequential)',
        '',
        `The hand-written call with one thing a production call needs added at a time; ${floorMode.rounds} rounds of ${floorMode.callsPerBatch}, interleaved.`,
        '',
        table(
          ['call', 'p50 µs', '× fetch'],
          cells.map((cell) => [cell.contender, fmt.us(stats(cell).p50), cell === cells[0] ? '1' : fmt.ratio(stats(cell).p50 / floor)]),
          ['l', 'r', 'r'],
        ),
        '',
      )
    }

    if (wants('batch')) {
      process.stderr.write('bench: batchSend\n')
      let batch: BatchStats | undefined
      let missing: string | undefined
      try {
        batch = await measureBatch(sf, baseURL, BATCH_CONCURRENCY, BATCH_RUNS, progress)
      } catch (error) {
        missing = error instanceof Error ? error.message : String(error)
      }
      sections.push(`### emails.batchSend, ${fmt.int(BATCH_ITEMS)} items`, '')
      if (batch) {
        const ratio = batch.sdkMs / batch.fetchMs
        sections.push(
          `${BATCH_ITEMS / 100} chunks of 100, ${batch.concurrency} in flight, every way; median of ${
            batch.runs
          } runs, rotating who goes first.`,
          '',
          table(
            ['client', 'median ms', '× fetch'],
            [
              ['fetch, chunked by hand', fmt.ms(batch.fetchMs, 0), '1'],
              ['SDK batchSend (validation on, the default)', fmt.ms(batch.sdkMs, 0), fmt.ratio(ratio)],
              ['SDK batchSend (validation off)', fmt.ms(batch.sdkNoValidationMs, 0), fmt.ratio(batch.sdkNoValidationMs / batch.fetchMs)],
            ],
            ['l', 'r', 'r'],
          ),
          '',
        )
        budgets.push({
          name: `batchSend ${fmt.int(BATCH_ITEMS)} vs raw fetch`,
          measured: fmt.ratio(ratio),
          limit: `≤ ${fmt.ratio(BUDGET.batchVsFetch)}`,
          pass: ratio <= BUDGET.batchVsFetch,
        })
      } else {
        sections.push(`Not measured: ${missing}`, '')
        budgets.push({
          name: `batchSend ${fmt.int(BATCH_ITEMS)} vs raw fetch`,
          measured: 'not measured',
          limit: `≤ ${fmt.ratio(BUDGET.batchVsFetch)}`,
          pass: false,
        })
      }
    }

    if (wants('memory')) {
      process.stderr.write('bench: memory\n')
      const all: Record<'sdk' | 'sdk-off' | 'fetch', MemoryRun[]> = { sdk: [], 'sdk-off': [], fetch: [] }
      for (let run = 0; run < MEMORY_RUNS; run++) {
        all.sdk.push(await runMemory('sdk', baseURL))
        all['sdk-off'].push(await runMemory('sdk-off', baseURL))
        all.fetch.push(await runMemory('fetch', baseURL))
      }
      const runs = { sdk: medianRun(all.sdk), 'sdk-off': medianRun(all['sdk-off']), fetch: medianRun(all.fetch) }
      memoryAdded = { on: runs.sdk.deltaRss, off: runs['sdk-off'].deltaRss }
      sections.push(
        `### Peak RSS while iterating ${fmt.int(PROFILE_TOTAL)} profiles (pages of 100)`,
        '',
        `Each walk in a fresh process; baseline after loading the client and fetching one page, peak sampled every page. ` +
          `The run with the median added RSS of ${MEMORY_RUNS}, alternating clients; all runs' added RSS in the last column.`,
        '',
        table(
          ['client', 'baseline RSS', 'peak RSS', 'added', 'time ms', 'added, every run'],
          (['fetch', 'sdk', 'sdk-off'] as const).map((mode) => [
            { fetch: 'fetch, page by page', sdk: 'SDK `for await` over profiles.list', 'sdk-off': 'the same, validation off' }[mode],
            fmt.MB(runs[mode].baselineRss),
            fmt.MB(runs[mode].peakRss),
            fmt.MB(runs[mode].deltaRss),
            fmt.ms(runs[mode].ms, 0),
            all[mode].map((r) => (r.deltaRss / 1e6).toFixed(1)).join(', '),
          ]),
          ['l', 'r', 'r', 'r', 'r', 'l'],
        ),
        '',
      )
      budgets.push({
        name: `iterating ${fmt.int(PROFILE_TOTAL)} profiles, added peak RSS`,
        measured: fmt.MB(runs.sdk.deltaRss),
        limit: `≤ ${fmt.MB(BUDGET.memoryBytes)}`,
        pass: runs.sdk.deltaRss <= BUDGET.memoryBytes,
      })
    }

    if (wants('validation')) {
      process.stderr.write('bench: request validation, on and off, and resend\n')
      const validation = await measureValidationCost({ repo: REPO, consumerDir: consumer.dir, quick, progress, memoryAdded })
      sections.push(...validation.sections)
      budgets.push(...validation.budgets)
    }
  } finally {
    server.disconnect()
    server.kill()
  }

  if (wants('cold')) {
    process.stderr.write('bench: cold import\n')
    const results = measureColdImport(consumer.dir, COLD_IMPORT_RUNS, progress)
    const bare = results.find((r) => r.name === 'bare node')!.medianMs
    sections.push(
      '### Cold import',
      '',
      `\`node -e "<code>"\` in a consumer project with the packed tarball installed; median of ${COLD_IMPORT_RUNS} interleaved runs.`,
      '',
      table(
        ['case', 'median ms', 'above bare node'],
        results.map((r) => [
          r.reference ? `${r.name} (for reference)` : r.name,
          fmt.ms(r.medianMs),
          r.name === 'bare node' ? '' : `+${fmt.ms(r.medianMs - bare)}`,
        ]),
        ['l', 'r', 'r'],
      ),
      '',
    )
    for (const name of ['ESM import()', 'CJS require()']) {
      const above = results.find((r) => r.name === name)!.medianMs - bare
      budgets.push({
        name: `cold import, ${name}, above bare node`,
        measured: `+${fmt.ms(above)} ms`,
        limit: `≤ ${BUDGET.coldImportMs} ms`,
        pass: above <= BUDGET.coldImportMs,
      })
    }
  }

  if (wants('size')) {
    process.stderr.write('bench: bundle size\n')
    const sizes: SizeResult[] = measureSize(REPO)
    sections.push(
      '### Bundle size (size-limit: minified + brotli, with zod)',
      '',
      table(
        ['bundle', 'size', 'limit'],
        sizes.map((s) => [s.name, fmt.kB(s.size), s.limit === undefined ? '' : fmt.kB(s.limit)]),
        ['l', 'r', 'r'],
      ),
      '',
    )
    const whole = sizes.find((s) => s.limit !== undefined)!
    budgets.push({
      name: `${whole.name}`,
      measured: fmt.kB(whole.size),
      limit: `≤ ${fmt.kB(BUDGET.bundleBytes)}`,
      pass: whole.size <= BUDGET.bundleBytes,
    })
  }
} finally {
  consumer.cleanup()
}

const loadAfter = loadavg()
const header = [
  `Run ${startedAt.toISOString()} by \`npm run bench${args.length > 0 ? ` -- ${args.join(' ')}` : ''}\`${
    quick ? ' (--quick: too few rounds to record)' : ''
  }`,
  '',
  table(
    ['machine', ''],
    [
      ['node', machine.node],
      ['CPU', `${machine.cpu} × ${machine.cores}`],
      ['OS', machine.os],
      ['memory', machine.memory],
      ['load average (1/5/15 min) at start', loadBefore.map((l) => l.toFixed(2)).join(' / ')],
      ['load average at end', loadAfter.map((l) => l.toFixed(2)).join(' / ')],
    ],
  ),
  '',
]
const budgetSection = [
  '### Budgets',
  '',
  table(
    ['budget', 'measured', 'limit', 'result'],
    budgets.map((b) => [b.name, b.measured, b.limit, b.pass ? 'pass' : 'FAIL']),
  ),
  '',
]
const report = [...header, ...budgetSection, ...sections].join('\n')
process.stdout.write(`${report}\n`)

if (update) {
  const path = new URL('../BENCHMARKS.md', import.meta.url)
  const begin = '<!-- bench:begin -->'
  const end = '<!-- bench:end -->'
  const current = readFileSync(path, 'utf8')
  const from = current.indexOf(begin)
  const to = current.indexOf(end)
  if (from < 0 || to < from) throw new Error(`BENCHMARKS.md has no ${begin} ... ${end} section`)
  writeFileSync(path, `${current.slice(0, from + begin.length)}\n${report}\n${current.slice(to)}`)
  process.stderr.write('bench: BENCHMARKS.md updated\n')
}

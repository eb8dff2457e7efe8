/**
 * What request validation costs where serverless and edge users feel it, with validation on and off
 * and against resend 6.38, side by side: the cold start of one send (cold-start.ts), the bytes a
 * bundled send-only app loads (size-limit, .size-limit.mjs), the per-call check from the first call
 * on (validation-speed.ts), and the peak RSS of the 100,000-profile walk that run.ts measured
 * (memory.ts). Returns the report's section and its budget lines; run.ts prints them with the rest.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

import { measureColdStart, type ColdStartResult } from './cold-start.ts'
import { PROFILE_TOTAL } from './fixtures.ts'
import { measureSize } from './size.ts'
import { fmt, median, table } from './stats.ts'

export const VALIDATION_BUDGET = {
  coldStartAboveFetchMs: 40,
  sendOnlyBundleBytes: 28_000,
  perCallUs: 5,
}

type Budget = { name: string; measured: string; limit: string; pass: boolean }
type Speed = { firstCallMs: number; first100MeanMs: number; first2500MeanMs: number; first2500MedianMs: number; steadyMs: number }

function runScript<T>(script: string, args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(script, import.meta.url)), ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as T) : reject(new Error(`${script} ${args.join(' ')} exited ${code}`))))
  })
}

/** The median of each figure over several fresh processes. */
function medianOf<T extends Record<string, number>>(runs: T[], key: keyof T): number {
  return median(runs.map((run) => run[key]!))
}

export async function measureValidationCost(options: {
  repo: string
  consumerDir: string
  quick: boolean
  progress: (text: string) => void
  /** From run.ts's memory section, when it ran. */
  memoryAdded: { on: number; off: number } | undefined
}): Promise<{ sections: string[]; budgets: Budget[] }> {
  const { consumerDir, quick, progress, repo, memoryAdded } = options
  const coldRuns = quick ? 5 : 31
  const speedRuns = quick ? 1 : 5

  progress('validation: cold start of one send')
  const cold = await measureColdStart(consumerDir, coldRuns, progress)
  const coldOf = (name: string): ColdStartResult => cold.find((c) => c.name.startsWith(name))!
  const fetchCold = coldOf('fetch by hand').medianMs

  progress('validation: per-call check, fresh processes')
  const speed: Record<'compiled' | 'zod', Speed[]> = { compiled: [], zod: [] }
  for (let run = 0; run < speedRuns; run++) {
    for (const validator of ['compiled', 'zod'] as const) speed[validator].push(await runScript<Speed>('./validation-speed.ts', [validator, 'sendEmail']))
  }

  progress('validation: bundle sizes')
  const sizes = measureSize(repo)
  const size = (prefix: string) => sizes.find((s) => s.name.startsWith(prefix))!.size
  const sendOnlyWithKy = size('emails.send-only app (ky included)')
  const ky = size('ky 1.14.3 alone')
  const resend = size('resend 6.38, the same emails.send-only app, everything')
  const zodAndSchemas = size('emails.send-only app, everything') - sendOnlyWithKy

  const us = (ms: number) => `${(ms * 1000).toFixed(2)} µs`
  const signed = (ms: number) => `${ms < 0 ? '−' : '+'}${fmt.ms(Math.abs(ms))}`
  const compiledSteady = medianOf(speed.compiled, 'steadyMs')
  const compiledEarly = medianOf(speed.compiled, 'first2500MeanMs')
  const onCold = coldOf('SDK, validation on').medianMs
  const offCold = coldOf('SDK, validation off').medianMs
  const resendCold = coldOf('resend').medianMs

  const rows: string[][] = [
    [
      `cold start: process start to the answer of one \`emails.send\`, import included (median of ${coldRuns}), ms`,
      fmt.ms(onCold),
      fmt.ms(offCold),
      fmt.ms(resendCold),
      fmt.ms(fetchCold),
    ],
    ['… above `fetch` by hand, ms', signed(onCold - fetchCold), signed(offCold - fetchCold), signed(resendCold - fetchCold), '0'],
    [
      'bundled send-only app, loaded by a successful send (min+brotli, ky included)',
      fmt.kB(sendOnlyWithKy),
      `${fmt.kB(sendOnlyWithKy)} (same code)`,
      fmt.kB(resend),
      '',
    ],
    [
      'request validation per `sendEmail` call: first call / mean of calls 1-2,500 / steady',
      `${us(medianOf(speed.compiled, 'firstCallMs'))} / ${us(compiledEarly)} / ${us(compiledSteady)}`,
      'none',
      'none (resend checks nothing before sending)',
      '',
    ],
    [
      `walking ${fmt.int(PROFILE_TOTAL)} profiles, added peak RSS (the memory section's median runs)`,
      memoryAdded ? fmt.MB(memoryAdded.on) : 'not measured',
      memoryAdded ? fmt.MB(memoryAdded.off) : 'not measured',
      'no list API',
      '',
    ],
  ]

  const sections = [
    '### Request validation: on, off, and resend 6.38',
    '',
    table(['', 'SDK, validation on', 'SDK, validation off', 'resend 6.38', '`fetch` by hand'], rows, ['l', 'r', 'r', 'r', 'r']),
    '',
    `The bundle figure counts ky 1.14.3 (${fmt.kB(ky)} alone). A refused call also loads zod and the spec's zod schemas ` +
      `to explain the refusal: ${fmt.kB(zodAndSchemas)} more, in a chunk of their own.`,
    '',
    `Per-call check of the spec's \`sendEmail\` example, each validator in fresh processes (median of ${speedRuns}): the compiled checks ` +
      'the client runs, and the same decision made by zod part by part as the client made it before.',
    '',
    table(
      ['validator', 'first call', 'mean, calls 1-100', 'mean, calls 1-2,500', 'median, calls 1-2,500', 'steady (after 20,000 calls)'],
      (['compiled', 'zod'] as const).map((validator) => [
        validator === 'compiled' ? 'compiled checks (generated/validation/)' : 'zod (generated/zod/), part by part',
        us(medianOf(speed[validator], 'firstCallMs')),
        us(medianOf(speed[validator], 'first100MeanMs')),
        us(medianOf(speed[validator], 'first2500MeanMs')),
        us(medianOf(speed[validator], 'first2500MedianMs')),
        us(medianOf(speed[validator], 'steadyMs')),
      ]),
      ['l', 'r', 'r', 'r', 'r', 'r'],
    ),
    '',
  ]

  const budgets: Budget[] = [
    {
      name: 'cold start, import + first validated emails.send, above fetch by hand',
      measured: `${signed(onCold - fetchCold)} ms (validation off: ${signed(offCold - fetchCold)} ms, resend 6.38: ${signed(resendCold - fetchCold)} ms)`,
      limit: `≤ ${VALIDATION_BUDGET.coldStartAboveFetchMs} ms`,
      pass: onCold - fetchCold <= VALIDATION_BUDGET.coldStartAboveFetchMs,
    },
    {
      name: 'emails.send-only app (ky included), loaded by a successful validated send',
      measured: `${fmt.kB(sendOnlyWithKy)} (resend 6.38: ${fmt.kB(resend)})`,
      limit: `≤ ${fmt.kB(VALIDATION_BUDGET.sendOnlyBundleBytes)} and < resend`,
      pass: sendOnlyWithKy <= VALIDATION_BUDGET.sendOnlyBundleBytes && sendOnlyWithKy < resend,
    },
    {
      name: 'request validation per call: steady, and mean over the first 2,500 calls',
      measured: `${us(compiledSteady)}; ${us(compiledEarly)}`,
      limit: `≤ ${VALIDATION_BUDGET.perCallUs} µs each`,
      pass: compiledSteady * 1000 <= VALIDATION_BUDGET.perCallUs && compiledEarly * 1000 <= VALIDATION_BUDGET.perCallUs,
    },
  ]
  return { sections, budgets }
}

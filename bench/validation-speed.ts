/**
 * Per-call request validation, from the first call of a fresh process to the steady state:
 * `tsx bench/validation-speed.ts <compiled|zod> <operation>`. Prints one JSON line.
 *
 * `compiled` is what the client runs on every validated call (generated/validation/checks.ts);
 * `zod` is the same decision made by the spec's zod schemas, as the client made it before, part by
 * part (src/core/validation.ts's checkSchema), for comparison. Both are the repository's modules as
 * tsx compiles them, the code the build bundles. The body is the spec's quickstart example.
 *
 * A process checks one body with one validator, so that neither warms the other's code: the first
 * call (nothing compiled yet), the mean over calls 1-100 and 1-2,500 (where zod used to spend tens of
 * µs per call while V8 optimised its parsers), and the median per call once 20,000 calls have run,
 * in batches of 1,000.
 */
import { checks } from '../generated/validation/checks.ts'
import { operations } from '../generated/zod/operations.ts'
import { checkSchema, type Checkable } from '../src/core/validation.ts'
import { sendEmailBody, trackEventBody } from './fixtures.ts'

const [validator, operation] = process.argv.slice(2) as ['compiled' | 'zod', 'sendEmail' | 'trackEvent']
const body = operation === 'trackEvent' ? trackEventBody : sendEmailBody
const schema = operations[operation]?.request as unknown as Checkable | undefined
const compiled = checks[operation]?.request
if (!schema || !compiled || (validator !== 'compiled' && validator !== 'zod')) {
  throw new Error('usage: validation-speed.ts <compiled|zod> <sendEmail|trackEvent>')
}
// Each call gets a fresh copy, as each send gets the caller's new object; copied outside the timing.
const copies = (count: number) => Array.from({ length: count }, () => structuredClone(body))
const check = validator === 'compiled' ? (value: unknown) => compiled(value) : (value: unknown) => checkSchema(schema, value).length === 0

function timed(values: unknown[]): number[] {
  const times: number[] = []
  for (const value of values) {
    const begin = performance.now()
    const ok = check(value)
    times.push(performance.now() - begin)
    if (!ok) throw new Error(`${validator} refused the ${operation} example`)
  }
  return times
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length
const early = timed(copies(2_500))
// Warm: 20,000 calls, then 30 batches of 1,000 timed as a whole (a single call is below the timer's grain).
let done = 2_500
while (done < 20_000) {
  timed(copies(2_500))
  done += 2_500
}
const batches: number[] = []
for (let batch = 0; batch < 30; batch++) {
  const values = copies(1_000)
  const begin = performance.now()
  for (const value of values) if (!check(value)) throw new Error('refused')
  batches.push((performance.now() - begin) / values.length)
}
batches.sort((a, b) => a - b)
console.log(
  JSON.stringify({
    validator,
    operation,
    firstCallMs: early[0],
    first100MeanMs: mean(early.slice(0, 100)),
    first2500MeanMs: mean(early),
    first2500MedianMs: [...early].sort((a, b) => a - b)[early.length >> 1],
    steadyMs: batches[batches.length >> 1],
  }),
)

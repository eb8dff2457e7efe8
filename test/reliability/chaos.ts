/**
 * `npm run chaos`: the exactly-once run of exactly-once.test.ts at ten times the volume (10,000
 * sends, 10,000 tracks, a 25,000-item batch), printing the figures. Exits non-zero on any duplicate,
 * loss or leak. `CHAOS_SCALE` and `CHAOS_SEED` override the defaults.
 */
import { formatReport, runChaos } from './harness/chaos.ts'

const scale = Number(process.env.CHAOS_SCALE ?? 10)
const seed = Number(process.env.CHAOS_SEED ?? 20260115)
console.log(`chaos: scale ${scale}x, seed ${seed}`)
const report = await runChaos({ scale, seed })
console.log(formatReport(report))
const broken = report.workloads.filter((w) => w.duplicates + w.lost + w.strays + w.mismatched + w.rejectedUntyped + w.rejectedWithoutKey > 0)
if (broken.length > 0 || report.unhandledRejections.length > 0 || !report.exitedByItself) {
  console.error('chaos: FAILED')
  process.exitCode = 1
} else {
  console.log('chaos: zero duplicates, zero lost')
}

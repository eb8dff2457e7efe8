// CommonJS consumer: require() must reach the package's CJS build.
const sdk = require('@segmentflow/segmentflow-typescript')
const { createSandbox } = require('@segmentflow/segmentflow-typescript/testing')
const { listen } = require('@segmentflow/segmentflow-typescript/testing/node')

async function main() {
  // The checks are shared with the ESM entry; only the SDK comes in through require().
  const { RESULT_MARKER, runInProcessAndOverHttp } = await import('./smoke.mjs')
  const resolved = require.resolve('@segmentflow/segmentflow-typescript')
  const reports = []
  if (!resolved.endsWith('.cjs')) {
    reports.push({ mode: 'require', ok: false, steps: [{ name: 'resolve', ok: false, error: `require() resolved ${resolved}, not the CJS build` }] })
  }
  reports.push(...(await runInProcessAndOverHttp(sdk, createSandbox, listen)))
  console.log(RESULT_MARKER + JSON.stringify({ module: 'cjs', reports }))
  if (!reports.every((report) => report.ok)) process.exitCode = 1
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})

/**
 * Runs the smoke in the Vercel Edge runtime (`@edge-runtime/vm`): one esbuild bundle, evaluated in
 * an EdgeVM with only the edge globals, then run twice: against a sandbox inside the VM, and against
 * a sandbox this process serves over HTTP, reached with the VM's own fetch.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

import { createSandbox } from '@segmentflow/segmentflow-typescript/testing'
import { listen } from '@segmentflow/segmentflow-typescript/testing/node'

import { RESULT_MARKER } from './smoke.mjs'

const tools = createRequire(join(process.env.SEGMENTFLOW_RUNTIMES, 'package.json'))
const esbuild = tools('esbuild')
const { EdgeVM } = tools('@edge-runtime/vm')

const built = await esbuild.build({
  entryPoints: [new URL('./edge.mjs', import.meta.url).pathname],
  bundle: true,
  write: false,
  format: 'iife',
  globalName: '__segmentflowSmoke',
  platform: 'browser',
  target: 'es2022',
  // What Next.js resolves with for the edge runtime.
  conditions: ['edge-light', 'worker', 'browser'],
  logLevel: 'silent',
})

const sandbox = createSandbox()
const server = await listen(sandbox)
try {
  const vm = new EdgeVM()
  vm.evaluate(built.outputFiles[0].text)
  vm.context.__segmentflowRemote = {
    baseURL: server.url,
    apiKey: sandbox.apiKey,
    readOnlyApiKey: sandbox.readOnlyApiKey,
    addFault: (spec) => {
      sandbox.faults.add({ ...spec })
    },
  }
  const result = JSON.parse(await vm.evaluate('__segmentflowSmoke.run(globalThis.__segmentflowRemote)'))
  const pkg = JSON.parse(readFileSync(join(process.env.SEGMENTFLOW_RUNTIMES, 'node_modules/@edge-runtime/vm/package.json'), 'utf8'))
  console.log(RESULT_MARKER + JSON.stringify({ ...result, runtimeVersion: pkg.version }))
  if (!result.reports.every((report) => report.ok)) process.exitCode = 1
} catch (error) {
  console.error(error)
  process.exitCode = 1
} finally {
  await server.close()
}

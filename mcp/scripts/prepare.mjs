#!/usr/bin/env node
// Runs on `npm install` in a clone (npm runs a workspace's `prepare`), so that `npx segmentflow-mcp`
// works right away: builds the SDK this package imports at run time when its dist/ is missing, then
// this package. `--if-stale` (the test setup) also rebuilds the SDK when its sources are newer.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const mcp = fileURLToPath(new URL('..', import.meta.url))
const root = join(mcp, '..')
const sdkOutputs = ['index.js', 'testing.js', 'schemas.js'].map((file) => join(root, 'dist', file))

function newestMtime(dir) {
  let newest = 0
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs)
  }
  return newest
}

function sdkNeedsBuild(ifStale) {
  if (!sdkOutputs.every((file) => existsSync(file))) return true
  if (!ifStale) return false
  const built = Math.min(...sdkOutputs.map((file) => statSync(file).mtimeMs))
  return Math.max(newestMtime(join(root, 'src')), newestMtime(join(root, 'generated'))) > built
}

function run(cwd, args) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  const result = spawnSync(npm, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] })
  if (result.status !== 0) {
    console.error(`segmentflow-mcp prepare: \`npm ${args.join(' ')}\` failed in ${cwd}`)
    process.exit(result.status ?? 1)
  }
}

if (sdkNeedsBuild(process.argv.includes('--if-stale'))) run(root, ['run', 'build', '--silent'])
run(mcp, ['run', 'build', '--silent'])

/**
 * A throwaway consumer project with the packed tarball installed: every benchmark loads the SDK
 * from there, through node_modules and the `exports` map, as a user's project would. Packing also
 * takes a snapshot of dist/, so a rebuild in the repository during a long run changes nothing.
 */
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

import type * as SDK from '../src/index.ts'
import type * as Schemas from '../src/schemas.ts'

export const PACKAGE = '@segmentflow/segmentflow-typescript'
/** Where run.ts tells its child processes the consumer project is. */
const ENV = 'SEGMENTFLOW_BENCH_CONSUMER'

export function makeConsumer(repo: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'segmentflow-bench-'))
  const cleanup = () => rmSync(dir, { recursive: true, force: true })
  try {
    execFileSync('npm', ['pack', '--pack-destination', dir, '--silent'], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] })
    const tarball = readdirSync(dir).find((name) => name.endsWith('.tgz'))
    if (!tarball) throw new Error('npm pack wrote no tarball')
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'bench-consumer', private: true, type: 'module' }))
    const install = (extra: string[]) =>
      execFileSync('npm', ['install', `./${tarball}`, '--no-audit', '--no-fund', '--ignore-scripts', '--silent', ...extra], {
        cwd: dir,
        stdio: ['ignore', 'ignore', 'inherit'],
      })
    // The dependencies are in npm's cache after the repository's own install; the registry only if not.
    try {
      install(['--offline'])
    } catch {
      install(['--prefer-offline'])
    }
    writeFileSync(join(dir, 'sdk.js'), `export * from '${PACKAGE}'\n`)
    writeFileSync(join(dir, 'schemas.js'), `export * from '${PACKAGE}/schemas'\n`)
    // The size-limit fixtures, importing the package by name from here.
    for (const fixture of ['send-only.js']) copyFileSync(join(repo, 'bench', 'size', fixture), join(dir, fixture))
    process.env[ENV] = dir
    return { dir, cleanup }
  } catch (error) {
    cleanup()
    throw error
  }
}

function consumerDir(): string {
  const dir = process.env[ENV]
  if (!dir) throw new Error(`${ENV} is not set: run the benchmarks through bench/run.ts`)
  return dir
}

// Types from src/, code from the installed package.
export async function loadSDK(): Promise<typeof SDK> {
  return (await import(pathToFileURL(join(consumerDir(), 'sdk.js')).href)) as typeof SDK
}

export async function loadSchemas(): Promise<typeof Schemas> {
  return (await import(pathToFileURL(join(consumerDir(), 'schemas.js')).href)) as typeof Schemas
}

#!/usr/bin/env node
/**
 * Writes package.json's version into src/version.ts, the constant the client sends in its user
 * agent. `changeset version` bumps package.json only; `npm run release:version` runs this right
 * after, and test/version.test.ts fails if the two ever differ.
 *
 *   node scripts/sync-version.mjs [dir]     # dir defaults to the repository root
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(process.argv[2] ?? fileURLToPath(new URL('..', import.meta.url)))
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const file = join(root, 'src/version.ts')
const source = readFileSync(file, 'utf8')
const pattern = /export const VERSION = '[^']*'/
if (!pattern.test(source)) throw new Error(`${file} has no \`export const VERSION = '...'\` to update`)
const updated = source.replace(pattern, `export const VERSION = '${version}'`)
if (updated !== source) {
  writeFileSync(file, updated)
  console.log(`src/version.ts: VERSION = '${version}'`)
}

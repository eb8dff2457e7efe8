import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { describe, expect, it } from 'vitest'

const src = fileURLToPath(new URL('../../src/', import.meta.url))
// Everything the client build pulls in; src/testing has its own node:http glue and is a separate entry.
const files = ['client.ts', 'index.ts', 'version.ts', ...readdirSync(join(src, 'core')).map((f) => `core/${f}`), ...readdirSync(join(src, 'resources')).map((f) => `resources/${f}`)]

/** The file without its comments, which may well mention `process.env`. */
function code(file: string): string {
  return readFileSync(join(src, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '')
}

describe('the client code runs on every runtime', () => {
  it.each(files)('%s imports no node: module', (file) => {
    expect(readFileSync(join(src, file), 'utf8')).not.toMatch(/from ['"]node:|require\(['"]node:/)
  })

  it.each(files.filter((file) => file !== 'core/env.ts'))('%s touches `process` only through env.ts', (file) => {
    expect(code(file)).not.toMatch(/\bprocess\b/)
  })

  it('never imports the sandbox into the client', () => {
    for (const file of files) expect(readFileSync(join(src, file), 'utf8'), file).not.toMatch(/from ['"][./]*testing/)
  })
})

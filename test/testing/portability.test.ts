import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const dir = fileURLToPath(new URL('../../src/testing', import.meta.url))
const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))

describe('src/testing stays Web-standard', () => {
  it('imports node: only from the server glue', () => {
    const offenders = files.filter((file) => !['node.ts', 'serve.ts'].includes(file) && /from ['"]node:|require\(['"]node:/.test(readFileSync(join(dir, file), 'utf8')))
    expect(files.length).toBeGreaterThan(20)
    expect(offenders).toEqual([])
  })

  it('keeps every module small', () => {
    const long = files.map((file) => [relative(dir, join(dir, file)), readFileSync(join(dir, file), 'utf8').split('\n').length] as const).filter(([, lines]) => lines > 400)
    expect(long).toEqual([])
  })
})

import { readFileSync } from 'node:fs'

import { describe, expect, it } from 'vitest'

import { SegmentFlow, VERSION } from '../src/index.ts'

describe('VERSION', () => {
  it('is the version in package.json (bump both, or the user agent lies)', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
    expect(VERSION).toBe(pkg.version)
    expect(SegmentFlow.VERSION).toBe(VERSION)
  })
})

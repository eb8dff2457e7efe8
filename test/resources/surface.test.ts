import { describe, expect, it } from 'vitest'

import { operations, paths } from '../../generated/zod/operations.ts'
import { ROWS } from '../helpers/operations.ts'

const rows = Object.values(ROWS).flat()

/** The spec's operation for a concrete method and path, found through the spec's path templates. */
function specOperation(method: string, path: string): unknown {
  for (const [template, methods] of Object.entries(paths)) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`)
    if (pattern.test(path)) return (methods as Record<string, unknown>)[method.toLowerCase()]
  }
  return undefined
}

describe('the SDK surface', () => {
  it('covers every operation of the spec, each once', () => {
    expect(rows.map((r) => r.operation).sort()).toEqual(Object.keys(operations).sort())
    expect(rows).toHaveLength(33)
  })

  it.each(rows.map((row) => [row.operation, row] as const))('calls %s with the method and route of the spec', (name, row) => {
    expect(specOperation(row.method, row.path)).toBe(operations[name])
  })

  it('sends an Idempotency-Key with every mutation, and only with mutations', () => {
    for (const row of rows) {
      const readsOnly = row.method === 'GET' || row.operation === 'listProfiles'
      expect(row.write, row.operation).toBe(!readsOnly)
    }
  })
})

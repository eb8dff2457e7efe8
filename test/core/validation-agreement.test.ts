/**
 * The compiled request checks (generated/validation/checks.ts) decide whether a call is sent; zod
 * explains a refusal. Property test: on generated input for every operation's request body, path and
 * query parameters, valid and invalid alike, the compiled check passes exactly when zod (with the
 * spec's `additionalProperties: false`) finds no issue. A disagreement either refuses a valid call
 * without a reason or sends one zod would have refused.
 *
 * Inputs: the spec-derived valid and invalid values of test/reliability/harness/ (written from
 * openapi.yaml, not from the schemas under test), mutations of valid values at a random depth (a
 * value replaced by an edge case, a key removed or added), and arbitrary JSON-like values.
 * FC_SEED=<seed> replays a run.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { checks } from '../../generated/validation/checks.ts'
import { operations } from '../../generated/zod/operations.ts'
import { checkSchema, closedObjectIssues, wireQuery, type Checkable } from '../../src/core/validation.ts'
import { invalidInput, OPERATIONS, validInput, type Input } from '../reliability/harness/operations.ts'

const SEED = Number(process.env.FC_SEED ?? 20261201)
/** Per operation and kind of input (three times as many mutations): over 20,000 inputs a run. */
const RUNS = 100
const counts = { cases: 0, passed: 0, refused: 0 }

/** Values at the edges of what the schemas distinguish. */
const EDGE_VALUES: unknown[] = [
  undefined,
  null,
  '',
  ' ',
  'x',
  '😀',
  '😀'.repeat(100),
  'é'.repeat(201),
  'a'.repeat(321),
  'alex@example.com',
  'not-an-address',
  '2025-01-01T00:00:00Z',
  '2025-01-01T00:00:00+02:00',
  '2025-02-30T00:00:00Z',
  '00000000-0000-4000-8000-000000000000',
  '00000000-0000-0000-0000-00000000000g',
  'https://example.com',
  ' https://example.com ',
  'example.com',
  '/event/x',
  '#00ff00',
  '5',
  '1e3',
  'true',
  0,
  -1,
  1,
  100,
  101,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  2 ** 53,
  true,
  false,
  [],
  [''],
  ['x', 'y'],
  {},
  { email: 'alex@example.com' },
  { nested: { deeper: [1] } },
  Object.create({ inherited: 1 }),
]

const edgeValue = fc.oneof(fc.constantFrom(...EDGE_VALUES), fc.jsonValue({ maxDepth: 2 }), fc.string({ maxLength: 6, unit: 'binary' }))

/** Values derived from a valid one: the same length in astral characters, padded, one past it. */
function near(value: unknown): unknown[] {
  if (typeof value === 'string') {
    const length = value.length
    return [
      // zod measures strings in code points: a surrogate pair is one character, two UTF-16 units.
      '😀'.repeat(length),
      '😀'.repeat(Math.ceil(length / 2)),
      `${value}😀`,
      `${'😀'.repeat(Math.max(length - 1, 0))}x`,
      `${value}x`,
      value.slice(1),
      ` ${value} `,
      `${value}\n`,
      value.toUpperCase(),
      Number(value),
    ]
  }
  if (typeof value === 'number') return [value + 1, value - 1, value + 0.5, -value, value * 2 ** 53, 2 ** 53, String(value), Number.MAX_SAFE_INTEGER]
  return []
}

type Place = { path: PropertyKey[]; value: unknown }

/** Every place in a value: the value itself, each property and item, at any depth. */
function places(value: unknown, path: PropertyKey[] = [], found: Place[] = []): Place[] {
  found.push({ path, value })
  if (value !== null && typeof value === 'object') for (const [key, child] of Object.entries(value)) places(child, [...path, Array.isArray(value) ? Number(key) : key], found)
  return found
}

/** A copy of `value` with the place at `path` replaced by `replacement` (or removed when it is REMOVE). */
const REMOVE = Symbol('remove')
function replaceAt(value: unknown, path: PropertyKey[], replacement: unknown): unknown {
  if (path.length === 0) return replacement
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<PropertyKey, unknown>
  const [key, ...rest] = path as [PropertyKey, ...PropertyKey[]]
  const next = replaceAt(copy[key], rest, replacement)
  if (next === REMOVE) delete copy[key]
  else copy[key] = next
  return copy
}

const mutation = fc.record({
  place: fc.nat(),
  action: fc.constantFrom('near', 'near', 'near', 'edge', 'remove', 'add'),
  pick: fc.nat(),
  edge: edgeValue,
  extraKey: fc.constantFrom('to', 'data', 'cc', 'bcc', 'profileId', 'unknownField', '__proto__', 'constructor', 'templateKey'),
})

/** A valid input changed in one place, which may or may not still be valid. */
function mutated(op: (typeof OPERATIONS)[number]): fc.Arbitrary<Input> {
  return fc.tuple(validInput(op), mutation, fc.nat(2)).map(([input, m, part]) => {
    const parts = (['body', 'query', 'path'] as const).filter((name) => (name === 'path' ? op.path : op[name]) !== undefined)
    const name = parts[part % Math.max(parts.length, 1)]
    if (!name) return input
    const all = places(input[name])
    const { path, value } = all[m.place % all.length]!
    let replacement: unknown
    if (m.action === 'near') {
      const candidates = near(value)
      replacement = candidates.length > 0 ? candidates[m.pick % candidates.length] : m.edge
    } else if (m.action === 'remove') replacement = path.length > 0 ? REMOVE : undefined
    else if (m.action === 'add' && value !== null && typeof value === 'object' && !Array.isArray(value)) replacement = { ...value, [m.extraKey]: m.edge }
    else replacement = m.edge
    return { ...input, [name]: replaceAt(input[name], path, replacement) } as Input
  })
}

function arbitrary(op: (typeof OPERATIONS)[number]): fc.Arbitrary<Input> {
  const any = fc.oneof(edgeValue, fc.anything({ maxDepth: 2 }))
  return fc.record({ path: fc.option(fc.dictionary(fc.constantFrom(...Object.keys(op.path ?? { id: 0 })), any), { nil: undefined }), body: any, query: any }) as fc.Arbitrary<Input>
}

type Part = 'request' | 'path' | 'query'

/** Both verdicts on one value of one part. */
function verdicts(operation: string, part: Part, value: unknown): { compiled: boolean; zod: boolean; issues: unknown[] } {
  const check = checks[operation]!
  const schema = (part === 'request' ? operations[operation as keyof typeof operations].request : operations[operation as keyof typeof operations].parameters[part]) as unknown as Checkable
  const issues = [...checkSchema(schema, value), ...(part === 'request' ? closedObjectIssues(check.closed, value) : [])]
  return { compiled: check[part]!(value), zod: issues.length === 0, issues }
}

function agree(operation: string, input: Input): void {
  const check = checks[operation]!
  const values: Array<[Part, unknown]> = []
  if (check.request) values.push(['request', input.body])
  if (check.path) values.push(['path', input.path ?? {}])
  if (check.query) {
    const query = input.query ?? {}
    values.push(['query', query])
    // What goes out, as the client checks it; a value String() cannot write is refused earlier.
    try {
      values.push(['query', wireQuery(query)])
    } catch {
      // A symbol in the query: String() throws, before and after this change alike.
    }
  }
  for (const [part, value] of values) {
    const { compiled, zod, issues } = verdicts(operation, part, value)
    counts.cases++
    if (compiled) counts.passed++
    else counts.refused++
    if (compiled !== zod) {
      throw new Error(`${operation} ${part}: compiled ${compiled ? 'passes' : 'refuses'}, zod ${zod ? 'passes' : `refuses: ${JSON.stringify(issues)}`}`)
    }
  }
}

describe('compiled checks and zod agree', () => {
  it('covers every operation with a request body, path or query parameters', () => {
    const withInput = Object.entries(operations)
      .filter(([, op]) => op.request || op.parameters.path || op.parameters.query)
      .map(([id]) => id)
      .sort()
    expect(Object.keys(checks).filter((id) => Object.keys(checks[id]!).length > 0).sort()).toEqual(withInput)
    for (const id of withInput) expect(OPERATIONS.map((op) => op.operation), id).toContain(id)
  })

  for (const op of OPERATIONS) {
    it(`on ${op.operation}`, () => {
      const kinds: Array<[fc.Arbitrary<Input> | undefined, number]> = [
        [validInput(op), RUNS],
        [invalidInput(op), RUNS],
        [mutated(op), 3 * RUNS],
        [arbitrary(op), RUNS],
      ]
      for (const [inputs, numRuns] of kinds) {
        if (!inputs) continue
        fc.assert(
          fc.property(inputs, (input) => agree(op.operation, input)),
          { seed: SEED, numRuns, endOnFailure: true },
        )
      }
    })
  }

  it('ran at least 10,000 cases, both verdicts well represented', () => {
    console.log(`validation agreement: ${counts.cases} cases (${counts.passed} passed, ${counts.refused} refused), seed ${SEED}`)
    expect(counts.cases).toBeGreaterThanOrEqual(10_000)
    expect(counts.passed).toBeGreaterThan(counts.cases / 5)
    expect(counts.refused).toBeGreaterThan(counts.cases / 5)
  })
})

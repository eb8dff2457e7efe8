/**
 * Smaller JSON Schema that admits exactly the same values. Every tool schema is read by the model on
 * every turn, so zod's verbose output costs tokens: a `pattern` that spells out a `format`, an
 * `anyOf` with `null` that a type list says as well, a description repeated on every branch. Each
 * rewrite here keeps the constraint; the full zod schema still checks every call.
 */
import type { JsonSchema } from './input.ts'
import { tighter } from './wording.ts'

/** Formats whose regex zod also emits as `pattern`: the format name says the same thing. */
const FORMATS_WITH_PATTERN = new Set(['uuid', 'email', 'date-time', 'date', 'time', 'ipv4', 'ipv6'])

const SIMPLE_TYPES = new Set(['string', 'number', 'integer', 'boolean'])

export function compactSchema(schema: JsonSchema): JsonSchema {
  let out: JsonSchema = { ...schema }
  if (typeof out.description === 'string') out.description = tighter(out.description)
  if (typeof out.format === 'string' && FORMATS_WITH_PATTERN.has(out.format)) delete out.pattern

  if (out.properties && typeof out.properties === 'object') {
    const properties = Object.fromEntries(Object.entries(out.properties as Record<string, JsonSchema>).map(([name, value]) => [name, compactSchema(value)]))
    out.properties = properties
    hoistSharedDescription(out, properties)
  }
  if (out.items && typeof out.items === 'object' && !Array.isArray(out.items)) out.items = compactSchema(out.items as JsonSchema)
  if (out.additionalProperties && typeof out.additionalProperties === 'object') {
    out.additionalProperties = compactSchema(out.additionalProperties as JsonSchema)
  }
  // `properties: {}` constrains nothing, nor does `additionalProperties: {}`.
  if (isEmpty(out.properties)) delete out.properties
  if (isEmpty(out.additionalProperties)) delete out.additionalProperties

  for (const keyword of ['anyOf', 'oneOf'] as const) {
    const branches = out[keyword]
    if (!Array.isArray(branches)) continue
    let compacted = (branches as JsonSchema[]).map(compactSchema)
    compacted = dropBranchDescriptions(out, compacted)
    out[keyword] = compacted
    out = nullableAsTypeList(out, keyword, compacted) ?? requiredOnlyBranches(out, keyword, compacted) ?? out
  }
  return out
}

function isEmpty(value: unknown): boolean {
  return value !== null && typeof value === 'object' && Object.keys(value).length === 0
}

/** Branches that say what the parent says, or say the same as each other, say it once on the parent. */
function dropBranchDescriptions(parent: JsonSchema, branches: JsonSchema[]): JsonSchema[] {
  const described = branches.map((branch) => branch.description).filter((text) => text !== undefined)
  if (described.length === 0) return branches
  const same = described.every((text) => text === described[0])
  if (!same && parent.description === undefined) return branches
  if (parent.description === undefined) parent.description = described[0]
  return branches.map(({ description: _, ...rest }) => rest)
}

/** `anyOf: [{ type: string, maxLength: 9 }, { type: null }]` is `{ type: [string, null], maxLength: 9 }`. */
function nullableAsTypeList(parent: JsonSchema, keyword: string, branches: JsonSchema[]): JsonSchema | undefined {
  if (branches.length !== 2) return undefined
  const nullIndex = branches.findIndex((branch) => branch.type === 'null' && Object.keys(branch).length === 1)
  if (nullIndex === -1) return undefined
  const other = branches[1 - nullIndex]!
  // Keywords of one simple type apply only to values of that type, so null stays unconstrained by them.
  if (typeof other.type !== 'string' || !SIMPLE_TYPES.has(other.type) || 'enum' in other || 'const' in other) return undefined
  const { [keyword]: _, ...rest } = parent
  return { ...rest, ...other, type: [other.type, 'null'], ...(parent.description ? { description: parent.description } : {}) }
}

/**
 * Object branches with the same properties that differ only in `required` (at least one of email or
 * externalId) become one object with `anyOf` of the `required` lists.
 */
function requiredOnlyBranches(parent: JsonSchema, keyword: string, branches: JsonSchema[]): JsonSchema | undefined {
  if (branches.length < 2 || !branches.every((branch) => branch.type === 'object')) return undefined
  const shape = (branch: JsonSchema) => JSON.stringify({ ...branch, required: undefined })
  if (!branches.every((branch) => shape(branch) === shape(branches[0]!))) return undefined
  const { required: _, ...common } = branches[0]!
  const { [keyword]: __, ...rest } = parent
  return { ...rest, ...common, anyOf: branches.map((branch) => ({ required: branch.required ?? [] })), ...(parent.description ? { description: parent.description } : {}) }
}

/** Every property with the same description: say it once, on the object. */
function hoistSharedDescription(parent: JsonSchema, properties: Record<string, JsonSchema>): void {
  const values = Object.values(properties)
  if (values.length < 3) return
  const text = values[0]!.description
  if (typeof text !== 'string' || !values.every((value) => value.description === text)) return
  for (const value of values) delete value.description
  parent.description = parent.description ? `${String(parent.description)} Each: ${text}` : `Each: ${text}`
}

/** The schema without its descriptions: for fields that another part of the same tool describes. */
export function withoutDescriptions(schema: JsonSchema): JsonSchema {
  // A property named `description` is an object here, not a string, and stays.
  return JSON.parse(JSON.stringify(schema, (key, value: unknown) => (key === 'description' && typeof value === 'string' ? undefined : value))) as JsonSchema
}

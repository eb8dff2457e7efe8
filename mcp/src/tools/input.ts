/**
 * A tool's arguments are one flat object: the path ids, the query, the body's fields, and the
 * server's own `dry_run` / `idempotency_key`. Models fill flat objects far more reliably than
 * `{ path, body }` envelopes, and MCP hosts reject `anyOf`/`allOf` at the top of an input schema.
 *
 * So the JSON Schema shown to the model is the object view of the generated zod schemas (the
 * properties of every branch), and the "exactly one of" rules it cannot express are in the
 * description and enforced at call time by the full zod schema, the same one the SDK and the API use.
 */
import * as z from 'zod'
import type { ToolDefinition } from './catalog.ts'
import { compactSchema, withoutDescriptions } from './compact.ts'
import { fieldsOfAnotherTool, parameterDescription, rewordFilterList } from './wording.ts'
import { operationSchemas, idempotencyKeySchema, type OperationSchema } from '../spec/zod.ts'

export type JsonSchema = Record<string, unknown>

export interface ObjectSchema {
  readonly [keyword: string]: unknown
  readonly type: 'object'
  readonly properties: Record<string, JsonSchema>
  readonly required?: string[]
  readonly additionalProperties: false
}

export interface ParsedArguments {
  readonly path: Record<string, string>
  readonly query: Record<string, unknown> | undefined
  readonly body: Record<string, unknown> | undefined
  readonly dryRun: boolean
  readonly idempotencyKey: string | undefined
}

export interface Issue {
  readonly path: string
  readonly message: string
}

export const DRY_RUN = 'dry_run'
export const IDEMPOTENCY_KEY = 'idempotency_key'

export function schemasOf(tool: ToolDefinition): OperationSchema {
  const schemas: OperationSchema | undefined = operationSchemas[tool.operation.operationId as keyof typeof operationSchemas]
  if (!schemas) throw new Error(`No generated schemas for ${tool.operation.operationId}`)
  return schemas
}

function toJson(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema
}

/** A property that only admits null (a union branch forbidding a field) says nothing useful. */
function isNullOnly(schema: JsonSchema): boolean {
  if (schema.type === 'null') return true
  const branches = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined
  return Array.isArray(branches) && branches.length > 0 && branches.every(isNullOnly)
}

/** The properties of an object schema and of every branch of its allOf / anyOf / oneOf. */
export function objectView(schema: JsonSchema): { properties: Record<string, JsonSchema>; required: string[] } {
  const all = schema.allOf as JsonSchema[] | undefined
  const any = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined
  if (all) {
    return merge(all.map(objectView), (lists) => [...new Set(lists.flat())])
  }
  if (any) {
    // A field is required by the union only if every branch requires it.
    return merge(any.map(objectView), (lists) => lists.reduce((a, b) => a.filter((name) => b.includes(name))))
  }
  if (schema.type === 'object') {
    return {
      properties: { ...((schema.properties as Record<string, JsonSchema>) ?? {}) },
      required: [...((schema.required as string[]) ?? [])],
    }
  }
  throw new Error(`Not an object schema: ${JSON.stringify(schema).slice(0, 120)}`)
}

function merge(
  views: { properties: Record<string, JsonSchema>; required: string[] }[],
  required: (lists: string[][]) => string[],
): { properties: Record<string, JsonSchema>; required: string[] } {
  const properties: Record<string, JsonSchema> = {}
  for (const view of views) {
    for (const [name, property] of Object.entries(view.properties)) {
      const known = properties[name]
      if (!known || (isNullOnly(known) && !isNullOnly(property))) properties[name] = property
    }
  }
  return { properties, required: views.length > 0 ? required(views.map((view) => view.required)) : [] }
}

/** The arguments the server adds to every write tool, whatever the operation. */
function controlProperties(tool: ToolDefinition): Record<string, JsonSchema> {
  if (tool.annotations.readOnlyHint) return {}
  const properties: Record<string, JsonSchema> = {
    [DRY_RUN]: {
      type: 'boolean',
      description: 'Preview only.',
    },
  }
  if (tool.operation.idempotency !== 'none') {
    properties[IDEMPOTENCY_KEY] = {
      type: 'string',
      minLength: 1,
      maxLength: 255,
      // The server's instructions say that a new key sends again.
      description: tool.sends ? 'A repeat replays; derived if left out.' : 'A repeat replays.',
    }
  }
  return properties
}

export type SchemaTweak = (schema: { properties: Record<string, JsonSchema>; required: string[] }) => void

const SCALARS = new Set(['string', 'integer', 'number'])

/** One plain value: a string or number, an enum of them, or an open enum (a union of such branches). */
function isScalar(schema: JsonSchema): boolean {
  const branches = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined
  if (Array.isArray(branches)) return branches.length > 0 && branches.every(isScalar)
  return typeof schema.type === 'string' && SCALARS.has(schema.type)
}

/** A list of plain values that filters a read (a query parameter, or a list tool's filter field). */
function isFilterList(tool: ToolDefinition, name: string, property: JsonSchema): boolean {
  const items = property.items as JsonSchema | undefined
  const plain = items !== undefined && !Array.isArray(items) && isScalar(items)
  return property.type === 'array' && plain && (tool.operation.queryParams.includes(name) || tool.annotations.readOnlyHint)
}

/**
 * `{ anyOf: [one value, list of them] }`, the filter's description saying once what the values are.
 * An open enum (known values, or any other string) admits as one value exactly what a bare string
 * does: its known values are listed once, on the list's items.
 */
function oneOrList(list: JsonSchema, description: string | undefined): JsonSchema {
  const { description: _, ...item } = list.items as JsonSchema
  const branches = (item.anyOf ?? item.oneOf) as JsonSchema[] | undefined
  const open = branches?.find((branch) => Object.keys(branch).length === 1 && branch.type === 'string')
  const single = open ?? (branches ? { anyOf: branches } : item)
  return { anyOf: [single, { ...list, items: item }], description: rewordFilterList(description) }
}

/** `compact: false` gives zod's own JSON Schema, for checking that compaction keeps every constraint. */
export function inputSchema(tool: ToolDefinition, tweak?: SchemaTweak, { compact = true } = {}): ObjectSchema {
  const schemas = schemasOf(tool)
  const parts = [schemas.parameters.path, schemas.parameters.query, schemas.request]
    .filter((schema) => schema !== undefined)
    .map((schema) => objectView(toJson(schema)))
  const view = merge(parts, (lists) => lists.flat())
  for (const name of Object.keys(view.properties)) {
    if (name === DRY_RUN || name === IDEMPOTENCY_KEY) throw new Error(`${tool.name}: "${name}" collides with a control argument`)
  }
  for (const [name, property] of Object.entries(view.properties)) {
    const fieldsOf = fieldsOfAnotherTool(tool, name)
    if (fieldsOf) {
      view.properties[name] = { ...withoutDescriptions(property), description: fieldsOf }
    } else if (isFilterList(tool, name, property)) {
      // One value is a list of one: models often pass `status: "Active"`.
      const { description, ...list } = property
      view.properties[name] = oneOrList(list, (description as string | undefined) ?? parameterDescription(tool, name))
    } else if (property.description === undefined) {
      const description = parameterDescription(tool, name)
      if (description) view.properties[name] = { ...property, description }
    }
  }
  tweak?.(view)
  const properties = Object.fromEntries(
    Object.entries({ ...view.properties, ...controlProperties(tool) }).map(([name, property]) => [name, compact ? compactSchema(property) : property]),
  )
  return {
    type: 'object',
    properties,
    ...(view.required.length > 0 ? { required: view.required } : {}),
    additionalProperties: false,
  }
}

export interface SplitOptions {
  /** Arguments the tool takes although its listed schema leaves them out (a sender the policy judges). */
  readonly alsoAccepted?: readonly string[]
  /** Batch items may leave out their key: the server derives it after the checks. */
  readonly itemKeysOptional?: boolean
}

/**
 * Splits flat arguments back into path, query and body, and checks all of them against the
 * generated schemas at once, so that one answer names every issue. The values passed on are the
 * model's own, not zod's output: the SDK and the API apply defaults.
 */
export function splitArguments(
  tool: ToolDefinition,
  schema: ObjectSchema,
  args: Record<string, unknown>,
  options: SplitOptions = {},
): { ok: true; value: ParsedArguments } | { ok: false; issues: Issue[] } {
  const { operation } = tool
  const issues: Issue[] = []
  const path: Record<string, string> = {}
  const query: Record<string, unknown> = {}
  const body: Record<string, unknown> = {}
  const accepted = new Set([...Object.keys(schema.properties), ...(options.alsoAccepted ?? [])])

  for (const [name, value] of Object.entries(args)) {
    if (value === undefined) continue
    if (!accepted.has(name)) {
      issues.push({ path: name, message: `Unknown argument; the tool takes ${Object.keys(schema.properties).join(', ')}.` })
    } else if (operation.pathParams.includes(name)) {
      path[name] = value as string
    } else if (operation.queryParams.includes(name)) {
      query[name] = asList(schema, name, value)
    } else if (name !== DRY_RUN && name !== IDEMPOTENCY_KEY) {
      body[name] = asList(schema, name, value)
    }
  }

  const dryRun = args[DRY_RUN]
  if (dryRun !== undefined && typeof dryRun !== 'boolean') issues.push({ path: DRY_RUN, message: 'Must be true or false.' })
  const key = args[IDEMPOTENCY_KEY]
  if (key !== undefined) issues.push(...check(idempotencyKeySchema, key, IDEMPOTENCY_KEY))

  const schemas = schemasOf(tool)
  if (schemas.parameters.path) issues.push(...check(schemas.parameters.path, path))
  if (schemas.parameters.query) issues.push(...check(schemas.parameters.query, query))
  const hasBody = Object.keys(body).length > 0 || operation.body === 'required'
  if (schemas.request && hasBody) {
    issues.push(...check(schemas.request, options.itemKeysOptional ? withPlaceholderKeys(body) : body))
  }
  const missing = (schema.required ?? []).filter((name) => args[name] === undefined)
  const reported = dedupe(issues).filter((issue) => !missing.includes(issue.path))
  const all = [...missing.map((name) => ({ path: name, message: 'Required.' })), ...reported]
  if (all.length > 0) return { ok: false, issues: all }

  return {
    ok: true,
    value: {
      path,
      query: operation.queryParams.length > 0 && Object.keys(query).length > 0 ? query : undefined,
      body: operation.body !== 'none' && hasBody ? body : undefined,
      dryRun: dryRun === true,
      idempotencyKey: key as string | undefined,
    },
  }
}

/** A single value where the schema offers "one value or a list" becomes a list of one. */
function asList(schema: ObjectSchema, name: string, value: unknown): unknown {
  const branches = schema.properties[name]?.anyOf
  const list = Array.isArray(branches) && branches.some((branch) => (branch as JsonSchema).type === 'array')
  return list && !Array.isArray(value) ? [value] : value
}

/** A stand-in for each missing item key, so that the schema checks the rest of the item. */
function withPlaceholderKeys(body: Record<string, unknown>): Record<string, unknown> {
  if (!Array.isArray(body.items)) return body
  return {
    ...body,
    items: body.items.map((item: unknown) =>
      item !== null && typeof item === 'object' && !Array.isArray(item) && (item as Record<string, unknown>).idempotencyKey === undefined
        ? { ...item, idempotencyKey: 'derived-by-the-server' }
        : item,
    ),
  }
}

function check(schema: z.ZodType, value: unknown, prefix?: string): Issue[] {
  const result = schema.safeParse(value)
  return result.success ? [] : formatIssues(result.error.issues, prefix ? [prefix] : [])
}

type ZodIssue = z.core.$ZodIssue

/**
 * zod's union failures, in words a model can act on. A branch that failed because it forbids a field
 * the caller gave is not what the caller meant; if one branch is left, its own issues are the answer;
 * if none is, the caller gave fields that exclude each other; if every branch only misses a field,
 * the caller must give one of them.
 */
export function formatIssues(issues: readonly ZodIssue[], prefix: PropertyKey[] = []): Issue[] {
  return issues.flatMap((issue): Issue[] => {
    const path = [...prefix, ...issue.path]
    if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [{ path: dotted(path), message: issue.message }]
    const forbidden = (branch: readonly ZodIssue[]) => branch.filter((inner) => inner.code === 'invalid_type' && inner.expected === 'null')
    const viable = issue.errors.filter((branch) => forbidden(branch).length === 0)
    if (viable.length === 0) {
      // Each branch forbids the others' fields: reversed, they come in the spec's order.
      const fields = [...new Set(issue.errors.flatMap((branch) => forbidden(branch).map((inner) => dotted(inner.path))))].reverse()
      return [{ path: dotted(path), message: `Give exactly one of ${orList(fields)}, not both.` }]
    }
    if (viable.length === 1) return formatIssues(viable[0]!, path)
    const missing = viable.map((branch) => (branch.length === 1 && isMissing(branch[0]!) ? dotted(branch[0]!.path) : undefined))
    if (missing.every((field) => field !== undefined)) {
      const fields = missing as string[]
      const exclusive = EXCLUSIVE.some((pair) => pair.length === fields.length && pair.every((field) => fields.includes(field)))
      return [{ path: dotted(path), message: `Give ${exclusive ? 'exactly' : 'at least'} one of ${orList(fields)}.` }]
    }
    const branches = viable.map((branch) =>
      formatIssues(branch, path)
        .map((inner) => `${inner.path || '(arguments)'}: ${inner.message}`)
        .join(', '),
    )
    return [{ path: dotted(path), message: `Satisfy one of: ${branches.join(' | ')}` }]
  })
}

function isMissing(issue: ZodIssue): boolean {
  return issue.code === 'invalid_type' && /received undefined/.test(issue.message)
}

/**
 * The spec's "exactly one of" pairs, whose branches forbid each other's field. zod keeps the schema
 * out of its issues, so when both are missing the issue alone cannot tell "exactly" from "at least".
 */
const EXCLUSIVE: readonly (readonly string[])[] = [
  ['templateId', 'templateKey'],
  ['profileIds', 'filter'],
]

function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)!}`
}

function dotted(path: readonly PropertyKey[]): string {
  return path.map(String).join('.')
}

function dedupe(issues: Issue[]): Issue[] {
  const seen = new Set<string>()
  return issues.filter((issue) => {
    const key = `${issue.path}\n${issue.message}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/**
 * What `structuredContent` holds on success: the API's response under `data` (its JSON type; the
 * full shape is the API's response schema, too large to repeat on every tool) and the request id.
 * The other fields (`nextCursor`, `idempotencyKey`, `replayed`, and `dryRun` with `request` instead
 * of `data`) are the same on every tool, so the server's instructions describe them once.
 */
export function outputSchema(tool: ToolDefinition): JsonSchema & { type: 'object' } {
  const json = toJsonOutput(schemasOf(tool).responses.default)
  const data: JsonSchema = typeof json.type === 'string' ? { type: json.type } : {}
  return { type: 'object', properties: { data, requestId: { type: 'string' } } }
}

function toJsonOutput(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as JsonSchema
}

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
      description: 'If true, send nothing and return the exact HTTP request this call would make.',
    },
  }
  if (tool.operation.idempotency !== 'none') {
    properties[IDEMPOTENCY_KEY] = {
      type: 'string',
      minLength: 1,
      maxLength: 255,
      description: tool.sends
        ? 'Optional. Calls with the same key replay the first result instead of sending again. When left out, the server derives one from the arguments, so an identical call is never sent twice; pass a new key to deliberately send the same thing again.'
        : 'Optional. Calls with the same key replay the first result instead of acting twice.',
    }
  }
  return properties
}

export type SchemaTweak = (schema: { properties: Record<string, JsonSchema>; required: string[] }) => void

export function inputSchema(tool: ToolDefinition, tweak?: SchemaTweak): ObjectSchema {
  const schemas = schemasOf(tool)
  const parts = [schemas.parameters.path, schemas.parameters.query, schemas.request]
    .filter((schema) => schema !== undefined)
    .map((schema) => objectView(toJson(schema)))
  const view = merge(parts, (lists) => lists.flat())
  for (const name of Object.keys(view.properties)) {
    if (name === DRY_RUN || name === IDEMPOTENCY_KEY) throw new Error(`${tool.name}: "${name}" collides with a control argument`)
  }
  tweak?.(view)
  const properties = { ...view.properties, ...controlProperties(tool) }
  return {
    type: 'object',
    properties,
    ...(view.required.length > 0 ? { required: view.required } : {}),
    additionalProperties: false,
  }
}

/**
 * Splits flat arguments back into path, query and body, checking each against its generated schema.
 * The values passed on are the model's own, not zod's output: the SDK and the API apply defaults.
 */
export function splitArguments(
  tool: ToolDefinition,
  schema: ObjectSchema,
  args: Record<string, unknown>,
): { ok: true; value: ParsedArguments } | { ok: false; issues: Issue[] } {
  const { operation } = tool
  const issues: Issue[] = []
  const path: Record<string, string> = {}
  const query: Record<string, unknown> = {}
  const body: Record<string, unknown> = {}

  for (const [name, value] of Object.entries(args)) {
    if (value === undefined) continue
    if (!(name in schema.properties)) {
      issues.push({ path: name, message: `Unknown argument; the tool takes ${Object.keys(schema.properties).join(', ')}.` })
    } else if (operation.pathParams.includes(name)) {
      path[name] = value as string
    } else if (operation.queryParams.includes(name)) {
      query[name] = value
    } else if (name !== DRY_RUN && name !== IDEMPOTENCY_KEY) {
      body[name] = value
    }
  }

  const dryRun = args[DRY_RUN]
  if (dryRun !== undefined && typeof dryRun !== 'boolean') issues.push({ path: DRY_RUN, message: 'Must be true or false.' })
  const key = args[IDEMPOTENCY_KEY]
  if (key !== undefined) issues.push(...check(idempotencyKeySchema, key, IDEMPOTENCY_KEY))

  const schemas = schemasOf(tool)
  if (schemas.parameters.path) issues.push(...check(schemas.parameters.path, path))
  if (schemas.parameters.query) issues.push(...check(schemas.parameters.query, query))
  for (const name of schema.required ?? []) {
    if (args[name] === undefined && !issues.some((issue) => issue.path === name)) {
      issues.push({ path: name, message: 'Required.' })
    }
  }
  if (issues.length > 0) return { ok: false, issues: dedupe(issues) }

  const hasBody = Object.keys(body).length > 0 || operation.body === 'required'
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

/** Checks the request body as the API will see it, after the server's own additions (sender, keys). */
export function checkBody(tool: ToolDefinition, body: Record<string, unknown> | undefined): Issue[] {
  const request = schemasOf(tool).request
  if (!request || body === undefined) return []
  return dedupe(check(request, body))
}

function check(schema: z.ZodType, value: unknown, prefix?: string): Issue[] {
  const result = schema.safeParse(value)
  return result.success ? [] : formatIssues(result.error.issues, prefix ? [prefix] : [])
}

type ZodIssue = z.core.$ZodIssue

/** Union failures become "fix one of: ..." with each branch's own complaint, not zod's bare "Invalid input". */
export function formatIssues(issues: readonly ZodIssue[], prefix: PropertyKey[] = []): Issue[] {
  return issues.map((issue) => {
    const path = [...prefix, ...issue.path]
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const branches = issue.errors.map((branch) =>
        branch.map((inner) => `${dotted([...path, ...inner.path]) || '(arguments)'}: ${inner.message}`).join(', '),
      )
      return { path: dotted(path), message: `${issue.message}; satisfy one of: ${branches.join(' | ')}` }
    }
    return { path: dotted(path), message: issue.message }
  })
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

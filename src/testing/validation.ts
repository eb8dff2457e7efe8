/**
 * Request validation with the generated zod schemas (generated/zod/operations.ts), so that what the
 * sandbox accepts is exactly what the spec allows. Failures become 400 `invalid_request` with
 * `details.issues: [{ path, message }]`; issue paths are dotted and, outside the body, prefixed with
 * where the value was (`query.limit`, `path.id`, `header.Idempotency-Key`).
 */
import * as z from 'zod'
import type { ValidationIssue } from '../../generated/types/index.ts'
import { invalid } from './errors.ts'

type Issue = z.core.$ZodIssue

export function issuesOf(issues: readonly Issue[], prefix: readonly PropertyKey[] = []): ValidationIssue[] {
  return issues.map((issue) => ({
    path: [...prefix, ...issue.path].map(String).join('.'),
    message: describe(issue),
  }))
}

/** zod says "Invalid input" for a union; say which shapes were expected instead. */
function describe(issue: Issue): string {
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) return `Required (${issue.expected})`
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return issue.message
  const branches = issue.errors.map((branch) =>
    branch.map((inner) => `${inner.path.map(String).join('.') || '(value)'}: ${describe(inner)}`).join(', '),
  )
  return `Matches none of the allowed shapes (${branches.join(' | or | ')})`
}

/** Parses `value` or throws 400 with the issues. */
export function check<T>(schema: z.ZodType<T>, value: unknown, prefix: readonly PropertyKey[] = []): T {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const where = prefix.length ? { path: 'path parameters', query: 'query', header: 'headers' }[String(prefix[0])] : 'body'
  throw invalid(issuesOf(result.error.issues, prefix), `The request ${where ?? String(prefix[0])} ${where === 'headers' ? 'are' : 'is'} invalid.`)
}

/** Peels optional/nullable/default/lazy wrappers to reach the schema that says what a value is. */
function core(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema
  for (let i = 0; i < 10; i++) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodNullable) current = current.unwrap() as z.ZodType
    else if (current instanceof z.ZodDefault) current = current.unwrap() as z.ZodType
    else if (current instanceof z.ZodLazy) current = current.unwrap() as z.ZodType
    else return current
  }
  return current
}

/** The fields of an object schema (after peeling wrappers), or an empty record. */
export function fieldsOf(schema: z.ZodType | undefined): Record<string, z.ZodType> {
  if (!schema) return {}
  const object = core(schema)
  return object instanceof z.ZodObject ? (object.shape as Record<string, z.ZodType>) : {}
}

/**
 * Query parameters as the schema expects them: a field typed as an array collects every repeated key
 * (`?status=Active&status=Archived`), other fields take the single value. Unknown keys are ignored,
 * as OpenAPI allows.
 */
export function queryInput(schema: z.ZodType, params: URLSearchParams): Record<string, unknown> {
  const input: Record<string, unknown> = {}
  for (const [name, field] of Object.entries(fieldsOf(schema))) {
    const values = params.getAll(name)
    if (values.length === 0) continue
    input[name] = core(field) instanceof z.ZodArray ? values : values[values.length - 1]
  }
  return input
}

/** Header parameters keyed by their wire names, as the generated header schemas are. */
export function headerInput(schema: z.ZodType, headers: Headers): Record<string, string> {
  const input: Record<string, string> = {}
  for (const name of Object.keys(fieldsOf(schema))) {
    const value = headers.get(name)
    if (value !== null) input[name] = value
  }
  return input
}

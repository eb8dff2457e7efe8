/**
 * Client-side checks of a call's input against the spec, turned into readable issues. Only ever a
 * check: the caller's own object is what gets sent (zod's output drops unknown keys and fills
 * defaults, and a field the spec does not know yet must still reach the server).
 *
 * Two parts, one source. The decision, pass or fail, is made by checks compiled from the spec's zod
 * schemas at generation time (generated/validation/checks.ts, scripts/generate-validation.ts): plain
 * functions with no dependency, a few kB, fast from the first call. zod itself is loaded only when
 * a check fails, to say why, so a `ValidationError` carries zod's own issues while a call that
 * passes never loads zod. test/core/validation-agreement.test.ts holds the two to the same answer.
 */
import type { operations } from '../../generated/zod/operations.ts'
import { checks, type ClosedObject, type OperationChecks } from '../../generated/validation/checks.ts'
import type { ValidationIssue } from './errors.ts'

export type Operations = typeof operations

let loaded: Operations | undefined
let loading: Promise<Operations> | undefined

/**
 * The spec's zod schemas, imported when a request check fails (to explain it) or a response is to be
 * checked, never with the SDK: zod and the schemas are most of the SDK's bytes and of its cold start.
 * Shared by every client: they are the spec, not configuration.
 */
export function loadSchemas(): Promise<Operations> {
  loading ??= import('../../generated/zod/operations.ts').then(
    (module) => (loaded = module.operations),
    (error: unknown) => {
      // A failed load (a chunk the deployment lost) is retried by the next call, not cached.
      loading = undefined
      throw error
    },
  )
  return loading
}

/** The schemas if already loaded: after the first validated call, no await on the hot path. */
export function loadedSchemas(): Operations | undefined {
  return loaded
}

/** The compiled checks of an operation. */
export function checksOf(operation: string): OperationChecks {
  return checks[operation] ?? {}
}

/**
 * The issues zod leaves out: Kubb's zod output drops openapi.yaml's `additionalProperties: false`,
 * which the compiled checks enforce. Worded as zod's `strictObject` words them.
 */
export function closedObjectIssues(closed: ReadonlyArray<ClosedObject> | undefined, value: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  const visit = (node: unknown, at: ReadonlyArray<string>, keys: ReadonlyArray<string>, path: PropertyKey[]): void => {
    if (node === null || typeof node !== 'object') return
    if (at.length === 0) {
      if (Array.isArray(node)) return
      const unknown: string[] = []
      // As zod's strictObject: every enumerable key, inherited ones too.
      for (const key in node) if (!keys.includes(key)) unknown.push(key)
      if (unknown.length > 0) {
        issues.push({ path: joinPath(path), message: `Unrecognized key${unknown.length > 1 ? 's' : ''}: ${unknown.map((key) => `"${key}"`).join(', ')}` })
      }
      return
    }
    const [step, ...rest] = at as [string, ...string[]]
    if (step === '*') {
      if (Array.isArray(node)) node.forEach((item, index) => visit(item, rest, keys, [...path, index]))
      return
    }
    if (!Array.isArray(node)) visit((node as Record<string, unknown>)[step], rest, keys, [...path, step])
  }
  for (const { at, keys } of closed ?? []) visit(value, at, keys, [])
  return issues
}

/** The part of a zod schema used here, so that this module does not depend on zod's types. */
export type Checkable = {
  safeParse(value: unknown): { success: true } | { success: false; error: { issues: ReadonlyArray<ZodIssueLike> } }
}

type ZodIssueLike = {
  path: ReadonlyArray<PropertyKey>
  message: string
  code?: string
  errors?: ReadonlyArray<ReadonlyArray<ZodIssueLike>>
}

export function checkSchema(schema: Checkable | undefined, value: unknown, prefix: ReadonlyArray<PropertyKey> = []): ValidationIssue[] {
  if (!schema) return []
  let issues: ValidationIssue[] | undefined
  for (const part of partsOf(schema)) {
    const result = part.safeParse(value)
    if (!result.success) (issues ??= []).push(...result.error.issues.map((issue) => toIssue(issue, prefix)))
  }
  return issues ?? []
}

/** What zod's core exposes of a schema's definition (`schema._zod.def`), as far as it is read here. */
type Introspectable = Checkable & {
  _zod?: { def?: { type?: string; left?: Checkable; right?: Checkable; getter?: () => Checkable; checks?: ReadonlyArray<unknown> } }
}

const PARTS = new WeakMap<Checkable, Checkable[]>()

/**
 * An `allOf` in the spec is zod's `.and()`, whose parse runs both sides and then deep-merges their
 * outputs into a new object. The SDK never uses zod's output (the caller's own object is sent), so
 * each part is checked on its own instead: the same issues in the same order, for about half the
 * time (sendEmail's body is three parts). Only the top level is split; an `allOf` nested inside
 * (a batch's items) is left to zod. An intersection with checks of its own is kept whole.
 */
function partsOf(schema: Checkable): Checkable[] {
  let parts = PARTS.get(schema)
  if (!parts) {
    parts = split(schema, new Set())
    PARTS.set(schema, parts)
  }
  return parts
}

function split(schema: Checkable, seen: Set<Checkable>): Checkable[] {
  const def = (schema as Introspectable)._zod?.def
  if (!def || seen.has(schema) || (def.checks !== undefined && def.checks.length > 0)) return [schema]
  seen.add(schema)
  if (def.type === 'lazy' && def.getter) {
    const inner = split(def.getter(), seen)
    return inner.length > 1 ? inner : [schema]
  }
  if (def.type === 'intersection' && def.left && def.right) return [...split(def.left, seen), ...split(def.right, seen)]
  return [schema]
}

function toIssue(issue: ZodIssueLike, prefix: ReadonlyArray<PropertyKey>): ValidationIssue {
  const path = [...prefix, ...issue.path]
  if (issue.code === 'invalid_union' && issue.errors && issue.errors.length > 0) {
    // zod says only "Invalid input" for a union; the branches say what would have been accepted
    // ("templateId: expected string" or "templateKey: expected string").
    const missing = issue.errors.map((branch) => (branch.length === 1 && branch[0] && isMissing(branch[0]) ? joinPath(branch[0].path) : undefined))
    if (missing.every((name) => name !== undefined)) {
      return { path: joinPath(path), message: `needs one of: ${missing.join(', ')}` }
    }
    const branches = issue.errors.map((branch) => branch.map((inner) => describe(toIssue(inner, []))).join(', '))
    return { path: joinPath(path), message: `must match one of: ${branches.map((b) => `(${b})`).join(' or ')}` }
  }
  return { path: joinPath(path), message: issue.message }
}

function isMissing(issue: ZodIssueLike): boolean {
  return issue.code === 'invalid_type' && issue.message.endsWith('received undefined') && issue.path.length > 0
}

function describe(issue: ValidationIssue): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message
}

/** `['to', 'email']` -> `to.email`, the dotted form the API uses in `details.issues`. */
function joinPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((part) => String(part)).join('.')
}

/** Issues found once per call of a multi-call helper (a bad option, checked for every chunk) are reported once. */
export function dedupeIssues(issues: ValidationIssue[]): ValidationIssue[] {
  const seen = new Set<string>()
  return issues.filter((issue) => {
    const id = `${issue.path}\n${issue.message}`
    if (seen.has(id)) return false
    seen.add(id)
    return true
  })
}

/** The query as the server reads it: strings (as the transport writes them), nulls left out. */
export function wireQuery(query: unknown): unknown {
  if (query === null || typeof query !== 'object' || Array.isArray(query)) return query
  const wire: Record<string, string | string[]> = {}
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue
    wire[name] = Array.isArray(value) ? value.filter((item) => item !== undefined && item !== null).map(String) : String(value)
  }
  return wire
}

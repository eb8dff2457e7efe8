/**
 * Client-side checks of a call's input against the spec's zod schemas, turned into readable
 * issues. Only ever a check: the caller's own object is what gets sent (zod's output drops unknown
 * keys and fills defaults, and a field the spec does not know yet must still reach the server).
 */
import type { operations } from '../../generated/zod/operations.ts'
import type { ValidationIssue } from './errors.ts'

export type Operations = typeof operations

let loaded: Operations | undefined
let loading: Promise<Operations> | undefined

/**
 * The spec's schemas, imported on the first call that validates rather than with the SDK: zod and
 * the schemas are three quarters of the SDK's bytes (31 of 42 kB min+brotli) and most of its import
 * time, which a cold serverless start pays before its first line runs. A client with validation off
 * never loads them. Shared by every client: they are the spec, not configuration.
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

/**
 * Client-side checks of a call's input against the spec's zod schemas, turned into readable
 * issues. Only ever a check: the caller's own object is what gets sent (zod's output drops unknown
 * keys and fills defaults, and a field the spec does not know yet must still reach the server).
 */
import type { ValidationIssue } from './errors.ts'

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
  const result = schema.safeParse(value)
  if (result.success) return []
  return result.error.issues.map((issue) => toIssue(issue, prefix))
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

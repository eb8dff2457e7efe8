/**
 * Compiles the spec's zod schemas (generated/zod/, Kubb's output) into plain JavaScript checks:
 * generated/validation/checks.ts, one pass/fail function per operation's request body, path and
 * query parameters. `npm run generate` runs it after Kubb; scripts/check-generated.mjs runs it again
 * into a scratch folder and fails on any difference.
 *
 *   tsx scripts/generate-validation.ts [output file]
 *
 * Why: the client checks every request before sending it, and zod is the larger part of the SDK's
 * bytes, of its cold start and of its first few thousand calls (V8 optimising zod's parsers). The
 * compiled checks decide pass or fail with none of that; zod is loaded only to explain a failure
 * (src/core/validation.ts), so a `ValidationError` still carries zod's own issues.
 *
 * The compiler reads each schema's definition (`schema._zod.def`) and reproduces zod 4's semantics
 * for the kinds of schema Kubb emits; any other kind, check or option fails the generation rather
 * than being approximated. test/core/validation-agreement.test.ts holds the two to the same answer
 * on generated valid and invalid input for every operation.
 *
 * One thing is added to zod: `additionalProperties: false` in openapi.yaml, which Kubb 4 does not
 * carry into its zod output (the server refuses such a body with a 400). Those objects refuse unknown
 * keys here, and each operation lists where they are so that the failure can be explained.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

import * as zodSchemas from '../generated/zod/index.ts'
import { operations } from '../generated/zod/operations.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const output = process.argv[2] ?? join(root, 'generated', 'validation', 'checks.ts')

// zod's definitions, as far as they are read here.
type Def = {
  type: string
  checks?: Array<{ _zod: { def: Def } }>
  check?: string
  format?: string
  pattern?: RegExp
  coerce?: boolean
  minimum?: number
  maximum?: number
  value?: unknown
  inclusive?: boolean
  shape?: Record<string, Schema>
  catchall?: Schema
  innerType?: Schema
  element?: Schema
  options?: Schema[]
  left?: Schema
  right?: Schema
  getter?: () => Schema
  entries?: Record<string, unknown>
  values?: unknown[]
  normalize?: unknown
  hostname?: unknown
  protocol?: unknown
  [key: string]: unknown
}
type Schema = { _zod: { def: Def; optin?: string; optout?: string } }

const defOf = (schema: Schema): Def => schema._zod.def

/** Unwraps lazy schemas: `.describe()` clones share their definition, so it identifies a schema. */
function resolve(schema: Schema): Def {
  let def = defOf(schema)
  while (def.type === 'lazy') def = defOf(def.getter!())
  return def
}

function unsupported(what: string): never {
  throw new Error(`generate-validation: ${what} is not supported; extend scripts/generate-validation.ts (and its agreement test) first`)
}

// --- The objects openapi.yaml closes with `additionalProperties: false` ---------------------------

type Spec = { components?: { schemas?: Record<string, unknown> } }
const spec = parse(readFileSync(join(root, 'openapi.yaml'), 'utf8')) as Spec
const componentSchemas = spec.components?.schemas ?? {}

/** Every `additionalProperties: false` in the spec must be on a component, where its zod schema is found by name. */
function closedComponents(): Map<Def, string[]> {
  const closed = new Map<Def, string[]>()
  const onComponents = new Set<unknown>()
  for (const [name, schema] of Object.entries(componentSchemas)) {
    if ((schema as { additionalProperties?: unknown }).additionalProperties !== false) continue
    onComponents.add(schema)
    const exported = (zodSchemas as Record<string, unknown>)[`${name[0]!.toLowerCase()}${name.slice(1)}Schema`] as Schema | undefined
    if (!exported) unsupported(`additionalProperties: false on ${name}, which has no zod schema of that name`)
    const def = resolve(exported)
    if (def.type !== 'object') unsupported(`additionalProperties: false on ${name}, which is not a zod object`)
    closed.set(def, Object.keys(def.shape!))
  }
  const visit = (node: unknown, at: string) => {
    if (node === null || typeof node !== 'object') return
    if ((node as { additionalProperties?: unknown }).additionalProperties === false && !onComponents.has(node)) {
      unsupported(`additionalProperties: false at ${at} (only on a component schema)`)
    }
    for (const [key, child] of Object.entries(node)) visit(child, `${at}/${key}`)
  }
  visit(spec, '#')
  return closed
}

const closed = closedComponents()

// --- Code generation ------------------------------------------------------------------------------

const regexes = new Map<string, string>()
const functions = new Map<Def, string>()
const bodies: string[] = []
const pending: Array<[Def, string]> = []
const sets = new Map<string, string>()
const helpers = new Set<string>()

function regex(pattern: RegExp, x: string): string {
  if (pattern.global || pattern.sticky) unsupported(`the regex ${String(pattern)} (global or sticky)`)
  const literal = String(pattern)
  let name = regexes.get(literal)
  if (!name) regexes.set(literal, (name = `r${regexes.size}`))
  return `${name}.test(${x})`
}

function set(values: unknown[]): string {
  const literal = JSON.stringify(values)
  let name = sets.get(literal)
  if (!name) sets.set(literal, (name = `s${sets.size}`))
  return name
}

/** The function that checks `def`, emitted once however many schemas share it. */
function fn(def: Def): string {
  let name = functions.get(def)
  if (!name) {
    functions.set(def, (name = `c${functions.size}`))
    pending.push([def, name])
  }
  return name
}

/** A check of `x` (an identifier) against the schema, as an expression; compound schemas become calls. */
function expr(schema: Schema, x = 'x'): string {
  const def = defOf(schema)
  switch (def.type) {
    case 'lazy':
      return expr(def.getter!(), x)
    case 'optional':
    case 'default':
    case 'prefault':
      // zod's default fills in for undefined without checking the default; optional lets it through.
      noChecks(def)
      return `(${x} === undefined || ${expr(def.innerType!, x)})`
    case 'nullable':
      noChecks(def)
      return `(${x} === null || ${expr(def.innerType!, x)})`
    case 'any':
    case 'unknown':
      noChecks(def)
      return 'true'
    case 'null':
      noChecks(def)
      return `${x} === null`
    case 'boolean':
      noChecks(def)
      if (def.coerce) return 'true'
      return `typeof ${x} === "boolean"`
    case 'enum':
      noChecks(def)
      return `${set(Object.values(def.entries!))}.has(${x})`
    case 'literal':
      noChecks(def)
      return `${set(def.values!)}.has(${x})`
    case 'string':
      // Inline unless coerced: the value is replaced before the checks, which needs a function.
      if (def.coerce) return `${fn(def)}(${x})`
      return `(${[`typeof ${x} === "string"`, ...checksOf(def).map((check) => stringCheck(check, x))].join(' && ')})`
    case 'number':
      if (def.coerce) return `${fn(def)}(${x})`
      // Number.isFinite is false for NaN, ±Infinity and anything not a number.
      return `(${[`Number.isFinite(${x})`, ...checksOf(def).map((check) => numberCheck(check, x))].join(' && ')})`
    case 'object':
    case 'array':
    case 'union':
    case 'intersection':
      return `${fn(def)}(${x})`
    default:
      return unsupported(`a zod ${def.type} schema`)
  }
}

function noChecks(def: Def): void {
  if (def.checks && def.checks.length > 0) unsupported(`checks on a zod ${def.type} schema`)
}

/** The checks zod runs on a string or number after its type check, in order; the schema itself may be one. */
function checksOf(def: Def): Def[] {
  const own = def.check ? [def] : []
  return [...own, ...(def.checks ?? []).map((check) => check._zod.def)]
}

function stringCheck(check: Def, x: string): string {
  switch (check.check) {
    case 'min_length':
      helpers.add('minLength')
      return `minLength(${x}, ${check.minimum})`
    case 'max_length':
      helpers.add('maxLength')
      return `maxLength(${x}, ${check.maximum})`
    case 'length_equals':
      helpers.add('minLength').add('maxLength')
      return `minLength(${x}, ${check.length}) && maxLength(${x}, ${check.length})`
    case 'string_format':
      if (check.format === 'url') {
        if ('normalize' in check || 'hostname' in check || 'protocol' in check) unsupported('z.url() with options')
        helpers.add('isUrl')
        return `isUrl(${x})`
      }
      if (!check.pattern) unsupported(`the string format ${check.format}`)
      return regex(check.pattern, x)
    default:
      return unsupported(`the string check ${check.check}`)
  }
}

function numberCheck(check: Def, x: string): string {
  switch (check.check) {
    case 'greater_than':
      return `${x} ${check.inclusive ? '>=' : '>'} ${JSON.stringify(check.value)}`
    case 'less_than':
      return `${x} ${check.inclusive ? '<=' : '<'} ${JSON.stringify(check.value)}`
    case 'number_format':
      if (check.format === 'safeint') return `Number.isSafeInteger(${x})`
      if (check.format === 'float64' || check.format === undefined) return `true`
      return unsupported(`the number format ${check.format}`)
    default:
      return unsupported(`the number check ${check.check}`)
  }
}

function body(def: Def): string {
  switch (def.type) {
    case 'string': {
      // A URL check replaces the value with its trimmed form for the checks after it.
      const checks = checksOf(def)
      if (checks.slice(0, -1).some((check) => check.format === 'url')) unsupported('a check after z.url()')
      return ['try { x = String(x) } catch { return false }', `return ${[...checks.map((check) => stringCheck(check, 'x')), 'true'].join(' && ')}`].join('\n  ')
    }
    case 'number': {
      const checks = checksOf(def)
      return [
        'try { x = Number(x) } catch { return false }',
        `return ${['Number.isFinite(x)', ...checks.map((check) => numberCheck(check, 'x'))].join(' && ')}`,
      ].join('\n  ')
    }
    case 'object': {
      noChecks(def)
      const lines = ['if (typeof x !== "object" || x === null || Array.isArray(x)) return false', 'let v: any']
      for (const [key, schema] of Object.entries(def.shape!)) {
        // zod refuses a missing required key even when its schema would accept undefined (z.any()).
        const mustBePresent = schema._zod.optin === undefined && (schema as unknown as { safeParse(v: unknown): { success: boolean } }).safeParse(undefined).success
        lines.push(`v = x[${JSON.stringify(key)}]; if (!${mustBePresent ? `(${JSON.stringify(key)} in x) && ` : ''}${expr(schema, 'v')}) return false`)
      }
      const keys = closed.get(def)
      const catchall = def.catchall && defOf(def.catchall).type
      if (keys) {
        if (catchall) unsupported('additionalProperties: false on an object with a catchall')
        // As zod's strictObject: every enumerable key, inherited ones too.
        lines.push(`for (const k in x) if (!${set(keys)}.has(k)) return false`)
      } else if (catchall && catchall !== 'any' && catchall !== 'unknown') {
        const known = set(Object.keys(def.shape!))
        // As zod: every enumerable key not in the shape, except __proto__, which zod never copies.
        lines.push(`for (const k in x) { if (${known}.has(k) || k === "__proto__") continue; v = x[k]; if (!${expr(def.catchall!, 'v')}) return false }`)
      }
      return [...lines, 'return true'].join('\n  ')
    }
    case 'array': {
      const lengths = (def.checks ?? []).map(({ _zod: { def: check } }) => {
        if (check.check === 'min_length') return `x.length >= ${check.minimum}`
        if (check.check === 'max_length') return `x.length <= ${check.maximum}`
        if (check.check === 'length_equals') return `x.length === ${check.length}`
        return unsupported(`the array check ${check.check}`)
      })
      return [
        'if (!Array.isArray(x)) return false',
        ...lengths.map((check) => `if (!(${check})) return false`),
        `for (const v of x) if (!${expr(def.element!, 'v')}) return false`,
        'return true',
      ].join('\n  ')
    }
    case 'union':
      noChecks(def)
      if (def.inclusive === false) unsupported('an exclusive union (z.xor)')
      return `return ${def.options!.map((option) => expr(option)).join(' || ')}`
    case 'intersection':
      noChecks(def)
      return `return ${expr(def.left!)} && ${expr(def.right!)}`
    default:
      return unsupported(`a zod ${def.type} schema`)
  }
}

// --- Where the closed objects are, for the explanation of a failure ------------------------------

type Closed = { at: string[]; keys: string[] }

function closedLocations(schema: Schema | undefined): Closed[] {
  const found: Closed[] = []
  const walk = (node: Schema, at: string[], inUnion: boolean, stack: Set<Def>) => {
    const def = resolve(node)
    if (stack.has(def)) return
    stack = new Set(stack).add(def)
    const keys = closed.get(def)
    if (keys) {
      if (inUnion) unsupported('additionalProperties: false on a schema inside a oneOf/anyOf')
      found.push({ at, keys })
    }
    switch (def.type) {
      case 'object':
        for (const [key, child] of Object.entries(def.shape!)) walk(child, [...at, key], inUnion, stack)
        break
      case 'array':
        walk(def.element!, [...at, '*'], inUnion, stack)
        break
      case 'optional':
      case 'nullable':
      case 'default':
      case 'prefault':
        walk(def.innerType!, at, inUnion, stack)
        break
      case 'intersection':
        walk(def.left!, at, inUnion, stack)
        walk(def.right!, at, inUnion, stack)
        break
      case 'union':
        for (const option of def.options!) walk(option, at, true, stack)
        break
    }
  }
  if (schema) walk(schema, [], false, new Set())
  return found
}

// --- The module ---------------------------------------------------------------------------------

type Part = 'request' | 'path' | 'query'
const entries: Array<[string, string[]]> = []
for (const [id, operation] of Object.entries(operations) as Array<[string, (typeof operations)[keyof typeof operations]]>) {
  const parts: string[] = []
  const schemas: Record<Part, Schema | undefined> = {
    request: operation.request as Schema | undefined,
    path: operation.parameters.path as Schema | undefined,
    query: operation.parameters.query as Schema | undefined,
  }
  for (const part of ['request', 'path', 'query'] as const) {
    const schema = schemas[part]
    if (!schema) continue
    const def = resolve(schema)
    parts.push(`${part}: ${fn(['string', 'number', 'object', 'array', 'union', 'intersection'].includes(def.type) ? def : wrap(schema))}`)
    if (part !== 'request' && closedLocations(schema).length > 0) unsupported(`additionalProperties: false in ${id}'s ${part} parameters`)
  }
  const locations = closedLocations(schemas.request)
  if (locations.length > 0) parts.push(`closed: ${JSON.stringify(locations)}`)
  entries.push([id, parts])
}

/** A top-level schema that is not compound (`.optional()` around an object): a function of its own. */
function wrap(schema: Schema): Def {
  const def = defOf(schema)
  const name = `c${functions.size}`
  functions.set(def, name)
  bodies.push(`function ${name}(x: any): boolean {\n  return ${expr(schema)}\n}`)
  return def
}

const code = new Map<string, string>()
while (pending.length > 0) {
  const [def, name] = pending.shift()!
  code.set(name, body(def))
}
for (const text of bodies) code.set(text.slice('function '.length, text.indexOf('(')), text.slice(text.indexOf('{\n') + 4, -2))

// Kubb writes the same inline schema in several files (each its own zod object): one function each.
const renamed = new Map<string, string>()
for (let changed = true; changed; ) {
  changed = false
  const byText = new Map<string, string>()
  for (const [name, text] of code) {
    const same = byText.get(text)
    if (same === undefined) byText.set(text, name)
    else {
      renamed.set(name, same)
      code.delete(name)
      changed = true
    }
  }
  if (!changed) break
  const call = /\bc\d+\b/g
  for (const [name, text] of code) code.set(name, text.replace(call, (ref) => resolveName(ref)))
}
function resolveName(name: string): string {
  let to = name
  while (renamed.has(to)) to = renamed.get(to)!
  return to
}
// Numbered in the order they are first needed, so that the output reads top-down.
const order = [...code.keys()].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)))
const emitted = order.map((name) => `function ${name}(x: any): boolean {\n  ${code.get(name)}\n}`)

const HELPERS: Record<string, string> = {
  // zod counts a string's length in code points: a surrogate pair is one.
  codePoints: `function codePoints(s: string): number {
  let count = s.length
  for (let i = 0; i < s.length - 1; i++) {
    if ((s.charCodeAt(i) & 0xfc00) === 0xd800 && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      count--
      i++
    }
  }
  return count
}`,
  minLength: `function minLength(s: string, min: number): boolean {
  return s.length >= min && (s.length >= 2 * min || codePoints(s) >= min)
}`,
  maxLength: `function maxLength(s: string, max: number): boolean {
  return s.length <= max || codePoints(s) <= max
}`,
  isUrl: `function isUrl(s: string): boolean {
  try {
    new URL(s.trim())
    return true
  } catch {
    return false
  }
}`,
}
if (helpers.has('minLength') || helpers.has('maxLength')) helpers.add('codePoints')

const source = `/**
 * Generated by scripts/generate-validation.ts from generated/zod/ and openapi.yaml. Do not edit
 * manually: run \`npm run generate\`.
 *
 * Pass/fail checks of each operation's request body, path and query parameters, with zod's
 * semantics (plus \`additionalProperties: false\`), and no dependency. \`closed\` lists where a
 * request body has objects that refuse unknown keys ('*' is every item of an array).
 */

export type Check = (value: unknown) => boolean
export type ClosedObject = { readonly at: ReadonlyArray<string>; readonly keys: ReadonlyArray<string> }
export type OperationChecks = { readonly request?: Check; readonly path?: Check; readonly query?: Check; readonly closed?: ReadonlyArray<ClosedObject> }

${[...regexes].map(([literal, name]) => `const ${name} = ${literal}`).join('\n')}
${[...sets].map(([literal, name]) => `const ${name} = new Set<unknown>(${literal})`).join('\n')}

${[...helpers].sort().map((name) => HELPERS[name]).join('\n\n')}

${emitted.join('\n\n')}

export const checks: Record<string, OperationChecks> = {
${entries.map(([id, parts]) => `  ${id}: { ${parts.map((part) => part.replace(/\bc\d+\b/g, resolveName)).join(', ')} },`).join('\n')}
}
`

mkdirSync(dirname(output), { recursive: true })
writeFileSync(output, source)

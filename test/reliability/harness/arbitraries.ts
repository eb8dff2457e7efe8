/**
 * fast-check arbitraries for the request side of the API, written from openapi.yaml's constraints
 * (lengths, patterns, formats, enums, ranges, required fields, the "exactly one of" rules). Each
 * field gives two arbitraries: values the spec allows, and values that break exactly that field's
 * own rule (a wrong type, one character too many, a value outside the enum...). An object is then
 * valid when all its fields are, and invalid when one field is broken or a required one is missing.
 *
 * Written by hand from the spec rather than derived from the generated zod schemas on purpose: the
 * point is to catch the SDK's checks and the spec drifting apart, so the two must not share a source.
 */
import fc from 'fast-check'

export type Field = {
  valid: fc.Arbitrary<unknown>
  invalid: fc.Arbitrary<unknown>
}

type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null'

const WRONG: Record<Exclude<JsonType, 'integer'>, fc.Arbitrary<unknown>> = {
  string: fc.string({ maxLength: 4 }),
  number: fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
  boolean: fc.boolean(),
  object: fc.record({ nested: fc.integer() }),
  array: fc.array(fc.integer(), { maxLength: 2 }),
  null: fc.constant(null),
}

/** A JSON value of none of the `allowed` types. */
export function wrongType(...allowed: JsonType[]): fc.Arbitrary<unknown> {
  const others = (Object.keys(WRONG) as Array<keyof typeof WRONG>)
    .filter((type) => !allowed.includes(type) && !(type === 'number' && allowed.includes('integer')))
    .map((type) => WRONG[type])
  // An integer field still refuses numbers that are not whole.
  if (allowed.includes('integer') && !allowed.includes('number')) others.push(fc.double({ min: -1e6, max: 1e6, noNaN: true }).filter((n) => !Number.isInteger(n)))
  return fc.oneof(...others)
}

/** Text of `min` to `max` UTF-16 code units, from plain ASCII to any code point (lone surrogates too). */
export function text(min = 0, max = 40): fc.Arbitrary<string> {
  const cap = Math.min(max, min + 40)
  return fc
    .oneof(
      fc.string({ minLength: min, maxLength: cap }),
      fc.string({ minLength: min, maxLength: cap, unit: 'binary' }),
      ...(max > 60 ? [fc.constant('x'.repeat(max)), fc.constant('y'.repeat(Math.max(min, max - 1)))] : []),
    )
    .filter((s) => s.length >= min && s.length <= max)
}

/** No unpaired surrogate: such a string cannot be written as UTF-8, so it cannot be put in a URL. */
export function isWellFormed(value: string): boolean {
  return !/\p{Cs}/u.test(value)
}

/** Text for URLs (path ids, query values): any code point, but no unpaired surrogate. */
export function urlText(min = 0, max = 40): fc.Arbitrary<string> {
  return text(min, max).filter(isWellFormed)
}

/** A lone surrogate somewhere in otherwise plain text. */
export const unpairedSurrogate: fc.Arbitrary<string> = fc
  .tuple(fc.string({ maxLength: 4 }), fc.constantFrom('\uD800', '\uDBFF', '\uDC00', '\uDFFF'), fc.string({ maxLength: 4 }))
  .map(([before, lone, after]) => `${before}${lone}${after}`)

/** A string field sent in a URL query: as `string()`, but no unpaired surrogate is valid. */
export function queryString(min = 0, max?: number): Field {
  const field = string(min, max)
  return { valid: (field.valid as fc.Arbitrary<string>).filter(isWellFormed), invalid: fc.oneof(field.invalid, unpairedSurrogate) }
}

export function string(min = 0, max?: number): Field {
  const invalid: fc.Arbitrary<unknown>[] = [wrongType('string')]
  if (min > 0) invalid.push(fc.string({ minLength: min - 1, maxLength: min - 1 }))
  if (max !== undefined) invalid.push(fc.integer({ min: 1, max: 5 }).map((extra) => 'z'.repeat(max + extra)))
  return { valid: text(min, max ?? 60), invalid: fc.oneof(...invalid) }
}

export function pattern(valid: fc.Arbitrary<string>, invalid: fc.Arbitrary<string>): Field {
  return { valid, invalid: fc.oneof(wrongType('string'), invalid) }
}

export const uuid: Field = {
  valid: fc.uuid(),
  invalid: fc.oneof(
    wrongType('string'),
    fc.string({ maxLength: 12 }),
    fc.uuid().map((id) => `${id}0`),
    fc.uuid().map((id) => id.replace(/-/g, '')),
    fc.uuid().map((id) => `g${id.slice(1)}`),
  ),
}

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/)
const local = fc.stringMatching(/^[a-z0-9]([a-z0-9._+-]{0,14}[a-z0-9])?$/).filter((s) => !s.includes('..'))

/** `format: email` as addresses look in practice (no quoted local parts, no IP literals). */
export const emailAddress: fc.Arbitrary<string> = fc
  .tuple(local, fc.array(label, { minLength: 1, maxLength: 2 }), fc.stringMatching(/^[a-z]{2,6}$/))
  .map(([user, labels, tld]) => `${user}@${labels.join('.')}.${tld}`)

export const email: Field = {
  valid: emailAddress,
  invalid: fc.oneof(
    wrongType('string'),
    fc.constantFrom('', 'plainaddress', '@example.com', 'alex@', 'alex@@example.com', 'alex example@example.com', 'alex@exa mple.com'),
    emailAddress.map((address) => `${'a'.repeat(321 - address.length)}${address}`),
  ),
}

export function enumOf(values: readonly string[]): Field {
  return {
    valid: fc.constantFrom(...values),
    invalid: fc.oneof(
      wrongType('string'),
      fc.constantFrom(...values).map((value) => (value.toUpperCase() === value ? value.toLowerCase() : value.toUpperCase())),
      fc.constantFrom(...values).map((value) => `${value} `),
      fc.string({ maxLength: 6 }).filter((value) => !values.includes(value)),
    ),
  }
}

/** An open enum (the spec lists known values and accepts any other string): only a non-string is invalid. */
export function openEnum(values: readonly string[]): Field {
  return { valid: fc.oneof(fc.constantFrom(...values), fc.string({ maxLength: 12 })), invalid: wrongType('string') }
}

export function integer(min: number, max: number): Field {
  return {
    valid: fc.integer({ min, max }),
    invalid: fc.oneof(wrongType('integer'), fc.constant(min - 1), fc.constant(max + 1), fc.constant(min + 0.5)),
  }
}

export const boolean: Field = { valid: fc.boolean(), invalid: wrongType('boolean') }

export function array(item: Field, min = 0, max?: number): Field {
  const invalid: fc.Arbitrary<unknown>[] = [
    wrongType('array'),
    fc.tuple(fc.array(item.valid, { maxLength: 2 }), item.invalid).map(([items, bad]) => [...items, bad]),
  ]
  if (min > 0) invalid.push(fc.constant([]))
  if (max !== undefined) invalid.push(fc.array(item.valid, { minLength: max + 1, maxLength: max + 1 }))
  return { valid: fc.array(item.valid, { minLength: min, maxLength: Math.min(max ?? 4, min + 4) }), invalid: fc.oneof(...invalid) }
}

export function nullable(field: Field): Field {
  return { valid: fc.oneof(field.valid, fc.constant(null)), invalid: field.invalid.filter((value) => value !== null) }
}

/** `type: object, additionalProperties: true`: any JSON object. */
export const freeObject: Field = {
  valid: fc.dictionary(fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,8}$/), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
  invalid: wrongType('object'),
}

export type Shape = Record<string, { field: Field; required?: boolean }>

/** Keys the spec does not name: allowed (the API ignores them), unless the object says otherwise. */
const extraKeys = fc.dictionary(fc.constantFrom('x_note', 'x_trace', 'futureField'), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 1 })

export function object(shape: Shape, options: { extraKeys?: boolean } = {}): Field {
  const names = Object.keys(shape)
  const required = names.filter((name) => shape[name]?.required)
  const validOf = (overrides: Record<string, fc.Arbitrary<unknown>> = {}) =>
    fc.record(Object.fromEntries(names.map((name) => [name, overrides[name] ?? (shape[name] as { field: Field }).field.valid])), {
      requiredKeys: [...required, ...Object.keys(overrides)],
    })
  const valid =
    options.extraKeys === false ? validOf() : fc.tuple(validOf(), extraKeys).map(([known, extra]) => ({ ...extra, ...known }))
  const invalid: fc.Arbitrary<unknown>[] = [wrongType('object')]
  if (names.length > 0) {
    invalid.push(
      fc.constantFrom(...names).chain((name) => validOf({ [name]: (shape[name] as { field: Field }).field.invalid })),
    )
  }
  if (required.length > 0) {
    invalid.push(
      fc.tuple(validOf(), fc.constantFrom(...required)).map(([value, name]) => {
        const copy: Record<string, unknown> = { ...value }
        delete copy[name]
        return copy
      }),
    )
  }
  return { valid, invalid: fc.oneof(...invalid) }
}

/** RFC 3339 timestamps as the API writes them, UTC with `Z`. */
export const timestamp: Field = {
  valid: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  invalid: fc.oneof(wrongType('string'), fc.constantFrom('2026-01-15', '15/01/2026 10:00', '2026-13-01T00:00:00Z', 'yesterday', '')),
}

export const url: Field = {
  valid: fc.webUrl({ validSchemes: ['http', 'https'] }),
  invalid: fc.oneof(wrongType('string'), fc.constantFrom('', 'not a url', 'example.com', '//example.com/path', 'http://')),
}

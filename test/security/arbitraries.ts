/**
 * fast-check arbitraries for hostile input: strings, numbers and nested junk, bodies shaped like
 * a route's JSON Schema with hostile values in its fields, junk route parameters and form bodies.
 */
import fc from 'fast-check'

/** Strings chosen to break parsers, databases and templates. */
const NASTY_STRINGS = [
  '', ' ', '\u0000', 'a\u0000b', '\t\r\n', '\u202eevil', '\ufeff', '\ud800', '\udfff', '\u2028\u2029',
  '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "'; DROP TABLE elv; --", '{{ 7 * 7 }}', '{% include "x" %}',
  '../../../../etc/passwd', '%00', '%', '\\', '"', "'", 'null', 'undefined', 'NaN', 'Infinity', '-1', '0', '1e309', '0x10',
  'true', '[]', '{}', '2026-02-30', '0000-00-00', '9999-12-31', '2026-13-01', '25:61', '2026-2027/spring', 'W06000008',
  'admin@test.invalid', 'not-an-email', 'a@b', 'javascript:alert(1)', 'http://127.0.0.1:1/', 'ỳ ŵ â ê î ô û', '😀💥', 'ﷺ', 'Ａ',
  '__proto__', 'constructor', 'prototype', 'hasOwnProperty',
]

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  // Long text: well over any field's limit, well under the body limit.
  { weight: 1, arbitrary: fc.tuple(fc.string({ minLength: 1, maxLength: 4 }), fc.integer({ min: 2_000, max: 60_000 })).map(([s, n]) => s.repeat(n).slice(0, 120_000)) },
)

export const hostileNumber = (realIds: readonly number[] = []): fc.Arbitrary<number> => fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(0, -1, 1, 2, 1.5, -0, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 53 + 2, -(2 ** 63), 1e21, 1e308, -1e308, Number.MIN_VALUE) },
  { weight: 2, arbitrary: fc.integer() },
  // NaN and Infinity become null in JSON: that is a hostile value too.
  { weight: 1, arbitrary: fc.double() },
  ...(realIds.length ? [{ weight: 3, arbitrary: fc.constantFrom(...realIds) }] : []),
)

/** Nesting deep enough to hurt anything that walks a value recursively. */
const deeplyNested = fc.constantFrom(
  JSON.parse('['.repeat(2_000) + ']'.repeat(2_000)) as unknown,
  JSON.parse('{"a":'.repeat(2_000) + '1' + '}'.repeat(2_000)) as unknown,
)

/** Any JSON value, hostile where it can be. */
export const hostileValue = (realIds: readonly number[] = []): fc.Arbitrary<unknown> => fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    hostileNumber(realIds),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom('__proto__', 'constructor', 'version', 'id'), fc.string({ maxLength: 10 })), tie('value'), { maxKeys: 4 }),
    deeplyNested,
  ),
})).value

/** A JSON Schema as the OpenAPI document gives it (only what the generator reads). */
export interface JsonSchema {
  $ref?: string
  type?: string | string[]
  properties?: Record<string, JsonSchema>
  items?: JsonSchema
  enum?: unknown[]
  const?: unknown
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  format?: string
  pattern?: string
  minimum?: number
  maximum?: number
}

/** What a schema-shaped value may use: real ids and strings of the fixture, and the schema's root for `$ref`s. */
export interface Shaping {
  ids: readonly number[]
  strings: readonly string[]
  root?: unknown
}

function resolve(schema: JsonSchema, shaping: Shaping): JsonSchema {
  if (!schema.$ref?.startsWith('#/')) return schema
  let node: unknown = shaping.root
  for (const part of schema.$ref.slice(2).split('/')) node = (node as Record<string, unknown> | undefined)?.[part]
  return (node ?? {}) as JsonSchema
}

/** Values that would pass for this field, so that a body gets past the schema and reaches the service. */
function plausible(given: JsonSchema, shaping: Shaping, depth: number): fc.Arbitrary<unknown> {
  const schema = resolve(given, shaping)
  const { ids, strings } = shaping
  if (depth > 6) return hostileValue(ids)
  if (schema.const !== undefined) return fc.constant(schema.const)
  if (schema.enum?.length) return fc.constantFrom(...schema.enum)
  const variants = schema.anyOf ?? schema.oneOf
  if (variants?.length) return fc.oneof(...variants.map((v) => shapedLike(v, shaping, depth)))
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type
  switch (type) {
    case 'object':
      return fc.record(Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, v]) => [k, shapedLike(v, shaping, depth + 1)])), { requiredKeys: [] })
    case 'array':
      return fc.array(schema.items && depth < 4 ? shapedLike(schema.items, shaping, depth + 1) : hostileValue(ids), { maxLength: 4 })
    case 'integer':
      return fc.oneof(fc.constantFrom(...(ids.length ? ids : [1])), fc.integer({ min: schema.minimum ?? -5, max: Math.min(schema.maximum ?? 100, 2 ** 31) }))
    case 'number':
      return fc.double({ noNaN: true, min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6 })
    case 'boolean':
      return fc.boolean()
    case 'null':
      return fc.constant(null)
    case 'string':
      return fc.oneof(fc.constantFrom(...(strings.length ? strings : ['x'])), fc.string({ maxLength: 30 }))
    default:
      return hostileValue(ids)
  }
}

/** A value shaped by the schema, each part of it sometimes replaced by a hostile one. */
export function shapedLike(schema: JsonSchema, shaping: Shaping, depth = 0): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 3, arbitrary: plausible(schema, shaping, depth) },
    { weight: 2, arbitrary: hostileValue(shaping.ids) },
  )
}

/** An object whose keys are the given names (and a few strangers), each holding a hostile value. */
export function objectWithNames(names: readonly string[], realIds: readonly number[] = []): fc.Arbitrary<Record<string, unknown>> {
  const key = names.length
    ? fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...names) }, { weight: 1, arbitrary: fc.string({ maxLength: 10 }) })
    : fc.string({ maxLength: 10 })
  return fc.dictionary(key, hostileValue(realIds), { maxKeys: Math.max(3, names.length) })
}

/** Route parameters that name nothing, or nothing sensible. Already URL-encoded. */
export const junkParam: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('0', '-1', '1.5', '1e3', '2147483648', '9223372036854775808', '9'.repeat(40), 'abc', 'null', 'NaN', 'Infinity', '%00', '%3Cscript%3E', '..%2F..%2Fetc', '%F0%9F%98%80', 'new', ' 1', '%20', '0x10', 'true'),
  fc.string({ minLength: 1, maxLength: 20 }).map(encodeURIComponent),
)

/**
 * An urlencoded form body: the form's own fields (sometimes repeated, as checkboxes are) and a
 * few strangers, with hostile values; the CSRF token is added by the caller.
 */
export function hostileForm(fieldNames: readonly string[], realValues: readonly string[] = []): fc.Arbitrary<Array<[string, string]>> {
  const value = fc.oneof(
    { weight: 3, arbitrary: hostileString.map((s) => s.slice(0, 20_000)) },
    ...(realValues.length ? [{ weight: 2, arbitrary: fc.constantFrom(...realValues) }] : []),
  )
  const name = fc.oneof(
    { weight: 6, arbitrary: fieldNames.length ? fc.constantFrom(...fieldNames) : fc.string({ maxLength: 10 }) },
    { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'a[b]', 'version', 'action', '', 'x'.repeat(300)) },
  )
  return fc.tuple(
    // Every field once, some left out...
    fc.subarray([...fieldNames]).chain((present) => fc.tuple(...present.map((n) => value.map((v): [string, string] => [n, v])))),
    // ...and a few more, repeated names among them.
    fc.array(fc.tuple(name, value), { maxLength: 4 }),
  ).map(([once, extra]) => [...once, ...extra])
}

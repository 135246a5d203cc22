import type { FastifyRequest, RouteOptions } from 'fastify'
import { AppError, type ErrorDetail } from './errors.ts'
import { MAX_INTEGER } from './check.ts'

/**
 * Refuses any request whose URL parameters, query or body hold a NUL character (U+0000) in a
 * text: PostgreSQL cannot store one in text (it fails the whole statement), and no form or API
 * field has a use for it. Checked once here, before any route, so both databases answer the
 * same 400. Uploaded files are bytes, not text, and are not looked into.
 */
export async function refuseNulCharacters(req: FastifyRequest): Promise<void> {
  const found: ErrorDetail[] = []
  for (const [where, value] of [['params', req.params], ['query', req.query], ['body', req.body]] as const) {
    const path = firstNulIn(value)
    if (path !== undefined) found.push({ path: path ? `${where}.${path}` : where, messageKey: 'validation.nulCharacter' })
  }
  if (found.length) throw new AppError('validation_failed', 'Text in the request contains a NUL character (U+0000), which cannot be stored: remove it and try again.', found)
}

/** The dotted path of the first string (or key) holding U+0000, walked without recursion so deep nesting cannot overflow the stack. */
function firstNulIn(root: unknown): string | undefined {
  const stack: Array<{ value: unknown; path: string }> = [{ value: root, path: '' }]
  while (stack.length) {
    const { value, path } = stack.pop()!
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return path
    } else if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
      for (const [k, v] of Object.entries(value)) {
        const at = `${path ? `${path}.` : ''}${k.replaceAll('\u0000', '\\0')}`
        if (k.includes('\u0000')) return at
        stack.push({ value: v, path: at })
      }
    }
  }
  return undefined
}

/**
 * An onRoute hook: every whole number a route's schema accepts (ids in the URL, versions and ids
 * in a body or query) lies within PostgreSQL's integer unless the schema says otherwise, so a
 * larger one (or "Infinity" in a URL) is refused as invalid (400) rather than failing the query.
 */
export function capIntegers(route: RouteOptions): void {
  const schema = route.schema
  if (!schema) return
  const seen = new Set<object>()
  const stack: unknown[] = [schema.params, schema.querystring, schema.body, schema.headers]
  while (stack.length) {
    const node = stack.pop()
    if (node === null || typeof node !== 'object' || seen.has(node)) continue
    seen.add(node)
    const s = node as Record<string, unknown>
    const type = s.type
    if (type === 'integer' || (Array.isArray(type) && type.includes('integer'))) {
      if (s.maximum === undefined && s.exclusiveMaximum === undefined) s.maximum = MAX_INTEGER
      if (s.minimum === undefined && s.exclusiveMinimum === undefined) s.minimum = -MAX_INTEGER - 1
    }
    stack.push(...Object.values(s))
  }
}

import nunjucks from 'nunjucks'

type Exported = Record<string, unknown>
type Callback = (err: unknown, exported?: Exported) => void
interface TemplateProto {
  getExported(ctx?: unknown, parentFrame?: unknown, cb?: Callback): void
  __cyswlltExports?: true
}

const exportsOf = new WeakMap<object, Exported>()

/**
 * `{% from "govuk/components/x/macro.njk" import govukX %}` runs the imported template's top
 * level again on every render to collect its macros: a page's dozens of imports (and theirs) cost
 * more than the rest of its rendering. An import without context (`with context` is never used
 * here for macro files) sees nothing of the page, so its macros are the same each time: keep them
 * per compiled template. Imports `with context` are left alone. Rendering is synchronous (no async
 * filters), so a kept macro never runs for two pages at once.
 */
export function keepImportedMacros(): void {
  const proto = (nunjucks.Template as unknown as { prototype: TemplateProto }).prototype
  if (proto.__cyswlltExports) return
  const original = proto.getExported
  proto.getExported = function (this: object, ctx?: unknown, parentFrame?: unknown, cb?: Callback) {
    // Only the form the compiler emits for a plain import: getExported(callback).
    if (typeof ctx !== 'function' || parentFrame !== undefined || cb !== undefined) return original.call(this, ctx, parentFrame, cb)
    const done = ctx as Callback
    const kept = exportsOf.get(this)
    if (kept) return done(null, kept)
    original.call(this, (err: unknown, exported?: Exported) => {
      if (!err && exported) exportsOf.set(this, exported)
      done(err, exported)
    })
  }
  proto.__cyswlltExports = true
}

/**
 * The app's forms as an admin sees them: every page of `app.routeList` is read with the fixture's
 * ids, and each `<form method="post">` found is tied to the POST route its action reaches, with
 * the names and values of its fields.
 */
import type { App } from '../../src/app.ts'
import { realPath, type SecurityFixture } from './fixture.ts'

export interface FoundForm {
  route: string
  fields: Set<string>
  values: Set<string>
  multipart: boolean
}

const unescapeHtml = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>')

/** The route pattern a concrete path reaches, the most specific first (fewest parameters). */
export function routeFor(patterns: readonly string[], urlPath: string): string | undefined {
  const matches = patterns.filter((p) => new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:\w+/g, '[^/]+')}$`).test(urlPath))
  return matches.sort((a, b) => (a.match(/:/g)?.length ?? 0) - (b.match(/:/g)?.length ?? 0))[0]
}

/** Pages worth reading for forms: not the API, files, downloads or the health checks. */
export const isFormPage = (url: string) =>
  !/^\/(api|assets|static|language)\b/.test(url) && !/\.(pdf|docx|ics|html|json|:other)$/.test(url) && !['/healthz', '/readyz'].includes(url)

export async function findForms(app: App, f: SecurityFixture, cookie: string): Promise<Map<string, FoundForm>> {
  const postRoutes = app.routeList.filter((r) => r.method === 'POST' && !r.url.startsWith('/api/')).map((r) => r.url)
  const forms = new Map<string, FoundForm>()
  for (const page of app.routeList.filter((r) => r.method === 'GET' && isFormPage(r.url))) {
    const pagePath = realPath(f, page.url)
    const res = await app.inject({ url: pagePath, headers: { cookie } })
    if (res.statusCode !== 200 || !String(res.headers['content-type']).startsWith('text/html')) continue
    for (const m of res.body.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
      const attrs = m[1]!
      if (!/method="post"/i.test(attrs)) continue
      const action = unescapeHtml(/action="([^"]*)"/.exec(attrs)?.[1] || pagePath).split(/[?#]/)[0]!
      const route = routeFor(postRoutes, action)
      if (!route) continue
      const form = forms.get(route) ?? { route, fields: new Set(), values: new Set(), multipart: false }
      form.multipart ||= /multipart\/form-data/.test(attrs)
      for (const field of m[2]!.matchAll(/<(?:input|select|textarea|button)\b[^>]*?\bname="([^"]+)"[^>]*>/g)) {
        const name = unescapeHtml(field[1]!)
        if (name === '_csrf') continue
        form.fields.add(name)
        const value = /\bvalue="([^"]*)"/.exec(field[0])?.[1]
        if (value !== undefined && value.length < 200) form.values.add(unescapeHtml(value))
      }
      forms.set(route, form)
    }
  }
  return forms
}

/**
 * The fields a browser would send from the first form on the page whose action ends with `action`
 * (the page itself when omitted): text, hidden and other inputs with their values, checked boxes,
 * selected options and textareas.
 */
export function formFields(html: string, action?: string): Array<[string, string]> {
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const formAction = unescapeHtml(/action="([^"]*)"/.exec(m[1]!)?.[1] ?? '')
    if (!/method="post"/i.test(m[1]!) || (action !== undefined && !formAction.split(/[?#]/)[0]!.endsWith(action))) continue
    const fields: Array<[string, string]> = []
    const inner = m[2]!
    for (const input of inner.matchAll(/<input\b[^>]*>/g)) {
      const tag = input[0]
      const name = /\bname="([^"]+)"/.exec(tag)?.[1]
      if (!name) continue
      const type = /\btype="([^"]+)"/.exec(tag)?.[1] ?? 'text'
      if ((type === 'checkbox' || type === 'radio') && !/\bchecked\b/.test(tag)) continue
      if (type === 'file' || type === 'submit') continue
      fields.push([unescapeHtml(name), unescapeHtml(/\bvalue="([^"]*)"/.exec(tag)?.[1] ?? '')])
    }
    for (const area of inner.matchAll(/<textarea\b[^>]*\bname="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g)) {
      fields.push([unescapeHtml(area[1]!), unescapeHtml(area[2]!.replace(/^\n/, ''))])
    }
    for (const select of inner.matchAll(/<select\b[^>]*\bname="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
      const options = [...select[2]!.matchAll(/<option\b([^>]*)>/g)].map((o) => o[1]!)
      const chosen = options.find((o) => /\bselected\b/.test(o)) ?? options[0]
      fields.push([unescapeHtml(select[1]!), unescapeHtml(/\bvalue="([^"]*)"/.exec(chosen ?? '')?.[1] ?? '')])
    }
    return fields
  }
  throw new Error(`no form posting to ${action ?? 'the page'}`)
}

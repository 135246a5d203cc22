import type { FastifyReply, FastifyRequest } from 'fastify'
import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'
import type { Framework, FrameworkArea, LocalAuthority, Term } from '../../db/schema.ts'
import type { AppError} from '../../http/errors.ts';
import { validationFailed, type ErrorDetail } from '../../http/errors.ts'
import { isFormError } from '../../http/route-helpers.ts'
import { paths } from '../../http/paths.ts'
import {
  authorityName, badDateParts, dateInputItems, datePartsFrom, datePartsOf, formErrors, frameworkAreaRows, readDate,
  referenceSubnav, termsByYear, termTitle, UNREADABLE_DATE, withDateProblems, type DateParts, type DateReading, type FormBody, type ReferenceSection,
} from './reference.view.ts'

const formOf = (req: FastifyRequest): FormBody => (req.body && typeof req.body === 'object' ? req.body as FormBody : {})

/** Reads the named date inputs; the readings and any problems, so every problem shows at once. */
function readDates(body: FormBody, fields: Array<{ path: string; label: string; required: boolean }>) {
  const parts: Record<string, DateParts> = {}
  const readings: Record<string, DateReading> = {}
  const problems: ErrorDetail[] = []
  for (const f of fields) {
    parts[f.path] = datePartsFrom(body, f.path)
    const r = readDate(parts[f.path]!, f.path, f.label, { required: f.required })
    readings[f.path] = r
    if (!r.ok) problems.push(r.detail)
  }
  // An unreadable date goes to the service as a value it rejects before writing anything, so the
  // form shows the service's problems with the other fields at the same time as the date's.
  const value = (path: string) => {
    const r = readings[path]
    return r?.ok ? r.iso ?? '' : UNREADABLE_DATE
  }
  /** The error to show: the service's, with the route's own message for each unreadable date. */
  const explain = (e: AppError): AppError =>
    problems.length && e.code === 'validation_failed' ? validationFailed(withDateProblems(e.details, problems)) : e
  return { parts, readings, value, explain }
}

export function referenceRoutes(app: App, { reference, users }: Services): void {
  const admin = { preHandler: app.require('admin:reference') }
  const listOf: Record<ReferenceSection, string> = { authorities: paths.authorities(), terms: paths.terms(), frameworks: paths.frameworks() }
  const page = (req: FastifyRequest, section: ReferenceSection) => ({ subnav: referenceSubnav(section, req.url, req.t), backHref: listOf[section] })

  // Local authorities

  app.get(paths.authorities(), admin, async (req, reply) => {
    const authorities = (await reference.listAuthorities()).map((a) => ({ ...a, href: paths.authority(a.gss_code) }))
    return reply.render('reference/views/authorities.njk', { ...page(req, 'authorities'), authorities })
  })

  const authorityForm = async (req: FastifyRequest, reply: FastifyReply, authority: LocalAuthority, values: FormBody, error?: AppError) => {
    // Active HMIs, and whoever is named now even if their account has since changed, so saving keeps them.
    const hmis = (await users.list({ role: 'hmi' })).filter((u) => u.id !== authority.link_inspector_id)
    const current = authority.link_inspector_id ? await users.get(authority.link_inspector_id).catch(() => undefined) : undefined
    const chosen = typeof values.linkInspectorId === 'string' ? values.linkInspectorId : ''
    const linkInspectorItems = [
      { value: '', text: req.t('team.linkInspector.none') },
      ...[...(current ? [current] : []), ...hmis].map((u) => ({ value: String(u.id), text: `${u.name} (${u.email})`, selected: String(u.id) === chosen })),
    ]
    return reply.render('reference/views/authority.njk', {
      ...page(req, 'authorities'),
      authority,
      title: authorityName(authority, req.lang),
      values,
      linkInspectorItems,
      errors: error ? formErrors(error.details, req.t) : undefined,
    }, error?.status ?? 200)
  }

  app.get<{ Params: { gss: string } }>('/admin/authorities/:gss', admin, async (req, reply) => {
    const a = await reference.getAuthority(req.params.gss)
    return authorityForm(req, reply, a, {
      nameEn: a.name_en, nameCy: a.name_cy, directorName: a.director_name ?? '', directorEmail: a.director_email ?? '',
      preferredLanguage: a.preferred_language, linkInspectorId: a.link_inspector_id ? String(a.link_inspector_id) : '',
      welshMedium: a.welsh_medium ? 'yes' : 'no', version: String(a.version),
    })
  })

  app.post<{ Params: { gss: string } }>('/admin/authorities/:gss', admin, async (req, reply) => {
    const before = await reference.getAuthority(req.params.gss)
    // An unticked box sends nothing: on this form that means not Welsh-medium.
    const body = { ...formOf(req), welshMedium: formOf(req).welshMedium === 'yes' ? 'yes' : 'no' }
    try {
      const after = await reference.updateAuthority(req.actor!, before.gss_code, body)
      return reply.flash('reference.flash.authoritySaved', { name: authorityName(after, req.lang) }).redirect(paths.authorities(), 303)
    } catch (e) {
      if (isFormError(e)) return authorityForm(req, reply, before, body, e)
      throw e
    }
  })

  // Terms

  app.get(paths.terms(), admin, async (req, reply) => {
    return reply.render('reference/views/terms.njk', { ...page(req, 'terms'), years: termsByYear(await reference.listTerms(), req.t) })
  })

  const termDates = [
    { path: 'startsOn', label: 'reference.field.startsOn', required: true },
    { path: 'endsOn', label: 'reference.field.endsOn', required: true },
  ]

  const termForm = (req: FastifyRequest, reply: FastifyReply, term: Term, form: { parts: Record<string, DateParts>; version: unknown },
    error?: AppError, readings: Record<string, DateReading> = {}) => {
    const bad = error ? badDateParts(error.details, readings) : {}
    const errors = error ? formErrors(error.details, req.t, { dates: bad }) : undefined
    return reply.render('reference/views/term.njk', {
      ...page(req, 'terms'),
      term,
      title: termTitle(term, req.t),
      startsOn: dateInputItems(form.parts.startsOn!, bad.startsOn, req.t),
      endsOn: dateInputItems(form.parts.endsOn!, bad.endsOn, req.t),
      version: form.version,
      errors,
    }, error?.status ?? 200)
  }

  app.get<{ Params: { year: string; season: string } }>('/admin/terms/:year/:season', admin, async (req, reply) => {
    const term = await reference.getTerm(`${req.params.year}/${req.params.season}`)
    return termForm(req, reply, term, { parts: { startsOn: datePartsOf(term.starts_on), endsOn: datePartsOf(term.ends_on) }, version: String(term.version) })
  })

  app.post<{ Params: { year: string; season: string } }>('/admin/terms/:year/:season', admin, async (req, reply) => {
    const term = await reference.getTerm(`${req.params.year}/${req.params.season}`)
    const body = formOf(req)
    const dates = readDates(body, termDates)
    const form = { parts: dates.parts, version: body.version }
    try {
      const after = await reference.updateTerm(req.actor!, term.key, { startsOn: dates.value('startsOn'), endsOn: dates.value('endsOn'), version: body.version })
      return reply.flash('reference.flash.termSaved', { term: termTitle(after, req.t) }).redirect(paths.terms(), 303)
    } catch (e) {
      if (isFormError(e)) return termForm(req, reply, term, form, dates.explain(e), dates.readings)
      throw e
    }
  })

  // Inspection frameworks

  app.get(paths.frameworks(), admin, async (req, reply) => {
    const frameworks = (await reference.listFrameworks()).map((f) => ({ ...f, href: paths.framework(f.key) }))
    return reply.render('reference/views/frameworks.njk', { ...page(req, 'frameworks'), frameworks })
  })

  const frameworkDates = [
    { path: 'effectiveFrom', label: 'reference.field.effectiveFrom', required: true },
    { path: 'effectiveTo', label: 'reference.field.effectiveTo', required: false },
  ]

  const frameworkForm = (req: FastifyRequest, reply: FastifyReply, framework: Framework, areas: FrameworkArea[],
    form: { values: FormBody; parts: Record<string, DateParts> }, error?: AppError, readings: Record<string, DateReading> = {}) => {
    const bad = error ? badDateParts(error.details, readings) : {}
    const errors = error ? formErrors(error.details, req.t, { dates: bad }) : undefined
    return reply.render('reference/views/framework.njk', {
      ...page(req, 'frameworks'),
      framework,
      title: req.lang === 'cy' ? framework.name_cy : framework.name_en,
      values: form.values,
      effectiveFrom: dateInputItems(form.parts.effectiveFrom!, bad.effectiveFrom, req.t),
      effectiveTo: dateInputItems(form.parts.effectiveTo!, bad.effectiveTo, req.t),
      areas: frameworkAreaRows(areas, form.values, errors?.byField),
      errors,
    }, error?.status ?? 200)
  }

  app.get<{ Params: { key: string } }>('/admin/frameworks/:key', admin, async (req, reply) => {
    const { framework, areas } = await reference.getFramework(req.params.key)
    return frameworkForm(req, reply, framework, areas, {
      values: { nameEn: framework.name_en, nameCy: framework.name_cy, version: String(framework.version) },
      parts: { effectiveFrom: datePartsOf(framework.effective_from), effectiveTo: datePartsOf(framework.effective_to) },
    })
  })

  app.post<{ Params: { key: string } }>('/admin/frameworks/:key', admin, async (req, reply) => {
    const { framework, areas } = await reference.getFramework(req.params.key)
    const body = formOf(req)
    const dates = readDates(body, frameworkDates)
    const form = { values: body, parts: dates.parts }
    try {
      const after = await reference.updateFramework(req.actor!, framework.key, {
        ...body, effectiveFrom: dates.value('effectiveFrom'), effectiveTo: dates.value('effectiveTo'),
      })
      return reply.flash('reference.flash.frameworkSaved', { name: req.lang === 'cy' ? after.name_cy : after.name_en }).redirect(paths.frameworks(), 303)
    } catch (e) {
      if (isFormError(e)) return frameworkForm(req, reply, framework, areas, form, dates.explain(e), dates.readings)
      throw e
    }
  })
}

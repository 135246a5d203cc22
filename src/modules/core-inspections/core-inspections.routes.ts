import type { FastifyReply, FastifyRequest } from 'fastify'
import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'
import type { Language } from '../../db/schema.ts'
import { AppError, notFound, validationFailed, type ErrorDetail } from '../../http/errors.ts'
import { isFormError, isId } from '../../http/route-helpers.ts'
import { paths } from '../../http/paths.ts'
import { uploadsIn } from '../../http/uploads.ts'
import { dateInputItems, datePartsFrom, datePartsOf, readDate, type DateParts, type DateReading } from '../reference/reference.view.ts'
import { BUNDLE_SCHEMA, matchArea, MAX_BUNDLE_BYTES, type Part } from './core-inspections.bundle.ts'
import type { CoreInspectionView } from './core-inspections.service.ts'
import {
  detailsFromForm, EXAMPLE_BUNDLE, formProblems, importProblems, inspectionPage, itemFromForm, listView, partOf, postedValues, rowName, rowValues,
  SEGMENTS, themeItems, yearText, type FormBody,
} from './core-inspections.view.ts'

// A pasted bundle grows when form-encoded; the service itself refuses one over MAX_BUNDLE_BYTES.
const IMPORT_BODY_LIMIT = 3 * MAX_BUNDLE_BYTES + 64 * 1024
const YEAR = /^\d{4}-\d{4}$/
/** Stands in for a date the form could not read: the service refuses it, and the form says why. */
const UNREADABLE_DATE = 'unreadable-date'

const formOf = (req: FastifyRequest): FormBody => (req.body && typeof req.body === 'object' ? req.body as FormBody : {})
const authority = (v: Pick<CoreInspectionView, 'authority'>, lang: Language) => (lang === 'cy' ? v.authority.nameCy : v.authority.nameEn)

function inspectionId(req: FastifyRequest): number {
  const id = Number((req.params as { id?: string }).id)
  if (!isId(id)) throw notFound('core inspection')
  return id
}

/** The part and row named by the URL: a row id, or null for `new`. */
function rowOf(req: FastifyRequest, allowNew: boolean): { part: Part; rowId: number | null } {
  const { segment, row } = req.params as { segment?: string; row?: string }
  const part = partOf(segment ?? '')
  const rowId = row === 'new' && allowNew ? null : Number(row)
  if (!part || (rowId !== null && !isId(rowId))) throw notFound('row')
  return { part, rowId }
}

/** The details form's dates, read from their three boxes each. */
function readDates(body: FormBody) {
  const parts: Record<'startsOn' | 'endsOn', DateParts> = { startsOn: datePartsFrom(body, 'startsOn'), endsOn: datePartsFrom(body, 'endsOn') }
  const readings: Record<string, DateReading> = {}
  const problems: ErrorDetail[] = []
  const values = { startsOn: null as string | null, endsOn: null as string | null }
  for (const field of ['startsOn', 'endsOn'] as const) {
    const r = readDate(parts[field], `/${field}`, `coreInspections.form.field.${field}`, { required: false })
    readings[field] = r
    if (r.ok) values[field] = r.iso
    else {
      problems.push(r.detail)
      values[field] = UNREADABLE_DATE
    }
  }
  /** The service's problems, with the form's own message for a date it could not read. */
  const explain = (details: ErrorDetail[]) => {
    const mine = new Map(problems.map((d) => [d.path, d]))
    const out = details.map((d) => mine.get(d.path) ?? d)
    for (const d of problems) if (!out.includes(d)) out.push(d)
    return out
  }
  return { parts, readings, values, explain }
}

export function coreInspectionRoutes(app: App, services: Services): void {
  const { coreInspections, reference, themes } = services
  const admin = { preHandler: app.require('admin:reference') }

  app.get(paths.coreInspections(), admin, async (req, reply) => {
    const raw = (req.query as { year?: unknown }).year
    const year = typeof raw === 'string' && YEAR.test(raw) ? raw : undefined
    const [items, years] = await Promise.all([coreInspections.list(year), coreInspections.years()])
    return reply.render('core-inspections/views/list.njk', {
      years: listView(items, req.lang, req.t),
      yearItems: [{ value: '', text: req.t('coreInspections.filter.allYears') }, ...years.map((y) => ({ value: y, text: yearText(y, req.t), selected: y === year }))],
      emptyText: year ? req.t('coreInspections.noneForYear', { year: yearText(year, req.t) }) : req.t('coreInspections.none'),
      action: paths.coreInspections(),
      newHref: paths.newCoreInspection(),
      importHref: paths.coreInspectionsImport(),
    })
  })

  // Import

  const importPage = (req: FastifyRequest, reply: FastifyReply, bundle: string, error?: AppError) => {
    const problems = error ? importProblems(error.details, req.t) : undefined
    return reply.render('core-inspections/views/import.njk', {
      bundle,
      action: paths.coreInspectionsImport(),
      schemaHref: paths.coreInspectionsSchema(),
      example: EXAMPLE_BUNDLE,
      errors: problems && { list: problems.list, byField: problems.byField },
      problems: problems?.all,
    }, error ? error.status : 200)
  }

  app.get(paths.coreInspectionsImport(), admin, async (req, reply) => importPage(req, reply, ''))

  app.post(paths.coreInspectionsImport(), { ...admin, bodyLimit: IMPORT_BODY_LIMIT }, async (req, reply) => {
    const form = formOf(req)
    // A chosen file wins over pasted text.
    const file = uploadsIn(form, 'file')[0]
    const text = file ? file.data.toString('utf8') : typeof form.bundle === 'string' ? form.bundle : ''
    try {
      const r = await coreInspections.importText(req.actor!, text)
      const params = { created: r.created, updated: r.updated, unchanged: r.unchanged }
      if (r.themesCreated.length) reply.flash('coreInspections.flash.importedThemes', { ...params, count: r.themesCreated.length })
      else reply.flash('coreInspections.flash.imported', params)
      return reply.redirect(paths.coreInspections(), 303)
    } catch (e) {
      if (e instanceof AppError && e.code === 'validation_failed') return importPage(req, reply, text.length <= MAX_BUNDLE_BYTES ? text : '', e)
      throw e
    }
  })

  app.get(paths.coreInspectionsSchema(), admin, async (_req, reply) =>
    reply.type('application/schema+json; charset=utf-8').header('content-disposition', 'attachment; filename="core-inspections-import.schema.json"')
      .send(JSON.stringify(BUNDLE_SCHEMA, null, 2)))

  // The inspection's own details: new, or changed

  const detailsForm = async (req: FastifyRequest, reply: FastifyReply, o: {
    view?: CoreInspectionView; values: FormBody; dates: Record<'startsOn' | 'endsOn', DateParts>; error?: AppError
  }) => {
    const [authorities, frameworks] = await Promise.all([reference.listAuthorities(), reference.listFrameworks()])
    const errors = o.error ? formProblems(o.error.details, req.t) : undefined
    const chosen = (key: string) => (typeof o.values[key] === 'string' ? o.values[key] : '')
    return reply.render('core-inspections/views/details.njk', {
      title: o.view ? req.t('coreInspections.form.editTitle') : req.t('coreInspections.form.newTitle'),
      caption: o.view ? req.t('coreInspections.inspection.title', { authority: authority(o.view, req.lang), year: yearText(o.view.academicYear, req.t) }) : undefined,
      isNew: !o.view,
      values: o.values,
      version: o.view ? String(o.values.version ?? o.view.version) : undefined,
      authorityItems: [{ value: '', text: req.t('coreInspections.form.chooseAuthority') },
        ...authorities.map((a) => ({ value: a.gss_code, text: req.lang === 'cy' ? a.name_cy : a.name_en, selected: a.gss_code === chosen('gssCode') }))],
      frameworkItems: [{ value: '', text: req.t('coreInspections.form.noFramework') },
        ...frameworks.map((f) => ({ value: f.key, text: req.lang === 'cy' ? f.name_cy : f.name_en, selected: f.key === chosen('framework') }))],
      mediumItems: (['welsh', 'english', 'bilingual', ''] as const).map((m) => ({ value: m, text: req.t(`coreInspections.medium.${m || 'none'}`) })),
      // With an error message and no box named, GOV.UK marks every box of the date.
      startsOn: dateInputItems(o.dates.startsOn, undefined, req.t),
      endsOn: dateInputItems(o.dates.endsOn, undefined, req.t),
      cancelHref: o.view ? paths.coreInspection(o.view.id) : paths.coreInspections(),
      errors,
    }, o.error?.status ?? 200)
  }

  app.get(paths.newCoreInspection(), admin, async (req, reply) =>
    detailsForm(req, reply, { values: { medium: '' }, dates: { startsOn: datePartsOf(null), endsOn: datePartsOf(null) } }))

  app.post(paths.newCoreInspection(), admin, async (req, reply) => {
    const body = formOf(req)
    const dates = readDates(body)
    try {
      const created = await coreInspections.create(req.actor!, { ...detailsFromForm(body, dates.values), recommendations: [], findings: [], effectivePractice: [] }, 'form')
      return reply.flash('coreInspections.flash.created', { authority: authority(created, req.lang), year: yearText(created.academicYear, req.t) })
        .redirect(paths.coreInspection(created.id), 303)
    } catch (e) {
      if (isFormError(e)) return detailsForm(req, reply, { values: body, dates: dates.parts, error: withDetails(e, dates.explain(e.details)) })
      throw e
    }
  })

  app.get('/admin/core-inspections/:id', admin, async (req, reply) => {
    const view = await coreInspections.get(inspectionId(req))
    const framework = view.framework ? (await reference.listFrameworks()).find((f) => f.key === view.framework) : undefined
    return reply.render('core-inspections/views/inspection.njk', {
      ...inspectionPage(view, framework ? (req.lang === 'cy' ? framework.name_cy : framework.name_en) : null, req.lang, req.t),
      backHref: `${paths.coreInspections()}?year=${encodeURIComponent(view.academicYear)}`,
    })
  })

  app.get('/admin/core-inspections/:id/details', admin, async (req, reply) => {
    const view = await coreInspections.get(inspectionId(req))
    return detailsForm(req, reply, {
      view,
      values: { gssCode: view.gssCode, academicYear: view.academicYear, framework: view.framework ?? '', reportUrl: view.reportUrl ?? '', medium: view.medium ?? '', version: String(view.version) },
      dates: { startsOn: datePartsOf(view.startsOn), endsOn: datePartsOf(view.endsOn) },
    })
  })

  app.post('/admin/core-inspections/:id/details', admin, async (req, reply) => {
    const id = inspectionId(req)
    const body = formOf(req)
    const dates = readDates(body)
    try {
      const saved = await coreInspections.saveDetails(req.actor!, id, detailsFromForm(body, dates.values), body.version)
      return reply.flash('coreInspections.flash.saved', { authority: authority(saved, req.lang), year: yearText(saved.academicYear, req.t) })
        .redirect(paths.coreInspection(id), 303)
    } catch (e) {
      if (isFormError(e)) return detailsForm(req, reply, { view: await coreInspections.get(id), values: body, dates: dates.parts, error: withDetails(e, dates.explain(e.details)) })
      throw e
    }
  })

  // One row of a part: add, change, remove

  const rowForm = async (req: FastifyRequest, reply: FastifyReply, view: CoreInspectionView, part: Part, rowId: number | null, values: Record<string, string | string[]>, error?: AppError) => {
    const [inUse, framework] = await Promise.all([themes.list(), view.framework ? reference.getFramework(view.framework) : Promise.resolve(undefined)])
    const chosenThemes = Array.isArray(values.themes) ? values.themes : []
    const textLabel = { recommendations: 'coreInspections.form.recommendationText', findings: 'coreInspections.form.findingText', effectivePractice: 'coreInspections.form.practiceText' }[part]
    const ref = typeof values.ref === 'string' ? values.ref : ''
    const titleKey = { recommendations: 'recommendation', findings: 'finding', effectivePractice: 'practice' }[part]
    const area = typeof values.area === 'string' ? values.area : ''
    // The area as written stays as written when it is one of the framework's (by either name or its code).
    const matched = framework ? matchArea(framework.areas.map((a) => ({ code: a.code, nameEn: a.name_en, nameCy: a.name_cy })), area) : null
    return reply.render('core-inspections/views/row.njk', {
      part,
      title: req.t(`coreInspections.form.${titleKey}${rowId === null ? 'New' : 'Edit'}`, { ref }),
      caption: req.t('coreInspections.inspection.title', { authority: authority(view, req.lang), year: yearText(view.academicYear, req.t) }),
      values,
      version: String((values.version as string | undefined) ?? view.version),
      textLabel: req.t(textLabel),
      themeItems: part === 'effectivePractice' ? [] : themeItems(inUse, chosenThemes, req.lang),
      // With a framework, a finding's area is one of its areas; without one, it is written as the report has it.
      areaItems: part === 'findings' && framework ? [{ value: '', text: req.t('coreInspections.form.chooseArea') },
        ...framework.areas.map((a) => ({ value: a.code === matched ? area : a.name_en, text: `${a.code} ${req.lang === 'cy' ? a.name_cy : a.name_en}`, selected: a.code === matched }))] : null,
      areaHint: framework ? req.t('coreInspections.form.areaSelectHint', { framework: req.lang === 'cy' ? framework.framework.name_cy : framework.framework.name_en }) : req.t('coreInspections.form.areaHint'),
      langItems: (['en', 'cy'] as const).map((l) => ({ value: l, text: req.t(`coreInspections.lang.${l}`) })),
      kindItems: (['going_well', 'needs_to_improve'] as const).map((k) => ({ value: k, text: req.t(`coreInspections.kind.${k}`) })),
      cancelHref: paths.coreInspection(view.id),
      button: req.t(rowId === null ? 'coreInspections.form.add' : 'coreInspections.form.save'),
      errors: error ? formProblems(error.details, req.t, part) : undefined,
    }, error?.status ?? 200)
  }

  app.get('/admin/core-inspections/:id/:segment/:row', admin, async (req, reply) => {
    const view = await coreInspections.get(inspectionId(req))
    const { part, rowId } = rowOf(req, true)
    if (rowId !== null && !rowName(view, part, rowId, req.t)) throw notFound('row')
    return rowForm(req, reply, view, part, rowId, rowValues(view, part, rowId))
  })

  app.post('/admin/core-inspections/:id/:segment/:row', admin, async (req, reply) => {
    const id = inspectionId(req)
    const { part, rowId } = rowOf(req, true)
    const body = formOf(req)
    try {
      const { view } = await coreInspections.savePart(req.actor!, id, part, rowId, itemFromForm(part, body), body.version)
      return reply.flash('coreInspections.flash.saved', { authority: authority(view, req.lang), year: yearText(view.academicYear, req.t) })
        .redirect(`${paths.coreInspection(id)}#${SEGMENTS[part]}`, 303)
    } catch (e) {
      if (isFormError(e)) return rowForm(req, reply, await coreInspections.get(id), part, rowId, postedValues(body), e)
      throw e
    }
  })

  const removePage = (req: FastifyRequest, reply: FastifyReply, view: CoreInspectionView, part: Part, rowId: number, error?: AppError) => {
    const name = rowName(view, part, rowId, req.t)
    if (!name) throw notFound('row')
    return reply.render('core-inspections/views/remove.njk', {
      title: req.t('coreInspections.form.removeTitle', { what: name }),
      caption: req.t('coreInspections.inspection.title', { authority: authority(view, req.lang), year: yearText(view.academicYear, req.t) }),
      version: String(view.version),
      cancelHref: paths.coreInspection(view.id),
      // The page has no fields: the problems are listed without links.
      errors: error ? { list: formProblems(error.details, req.t).list.map(({ text }) => ({ text })), byField: {} } : undefined,
    }, error?.status ?? 200)
  }

  app.get('/admin/core-inspections/:id/:segment/:row/remove', admin, async (req, reply) => {
    const { part, rowId } = rowOf(req, false)
    return removePage(req, reply, await coreInspections.get(inspectionId(req)), part, rowId!)
  })

  app.post('/admin/core-inspections/:id/:segment/:row/remove', admin, async (req, reply) => {
    const id = inspectionId(req)
    const { part, rowId } = rowOf(req, false)
    try {
      const view = await coreInspections.removePart(req.actor!, id, part, rowId!, formOf(req).version)
      return reply.flash('coreInspections.flash.saved', { authority: authority(view, req.lang), year: yearText(view.academicYear, req.t) })
        .redirect(`${paths.coreInspection(id)}#${SEGMENTS[part]}`, 303)
    } catch (e) {
      if (isFormError(e)) return removePage(req, reply, await coreInspections.get(id), part, rowId!, e)
      throw e
    }
  })
}

const withDetails = (e: AppError, details: ErrorDetail[]) => (e.code === 'validation_failed' ? validationFailed(details) : e)

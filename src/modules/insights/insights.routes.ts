import type { FastifyReply, FastifyRequest } from 'fastify'
import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'
import type { Language } from '../../db/schema.ts'
import { notFound, validationFailed, type AppError } from '../../http/errors.ts'
import { pageErrors } from '../../http/form-errors.ts'
import { paths } from '../../http/paths.ts'
import { isFormError } from '../../http/route-helpers.ts'
import { renderFragment } from '../../http/rendered-fragment.ts'
import { formatDate } from '../../http/web.ts'
import { isLanguage } from '../../i18n/catalogue.ts'
import { can } from '../auth/permissions.ts'
import { parsePeriod } from './insights.service.ts'
import type { InsightsSummary } from './insights.types.ts'
import { academicYearOf, downloadLinks, findPoint, FORMATS, MEDIA_TYPES, pointGroups, publicationText, summaryFileName, type SummaryFormat } from './insights.view.ts'
import { summaryDocument, summaryView, SUMMARY_DOCUMENT_POLICY } from './render/html.ts'
import { summaryPdf } from './render/pdf.ts'

type Body = Record<string, unknown>
const bodyOf = (req: FastifyRequest): Body => (req.body && typeof req.body === 'object' ? req.body as Body : {})
const str = (v: unknown) => (typeof v === 'string' ? v : '')
const yearParam = (req: FastifyRequest) => (req.params as { year?: string }).year
/** The language asked for (`?lang=`), else the reader's. */
const langOf = (value: unknown, fallback: Language): Language => (isLanguage(value) ? value : fallback)

/** The summary in a format and language, as a file: what the download links and the API serve. */
export async function sendSummaryFile(reply: FastifyReply, services: Services, year: unknown, format: SummaryFormat, lang: Language): Promise<FastifyReply> {
  const summary = await services.insights.summary(year, lang)
  const t = services.i18n.translator(lang)
  const bytes = format === 'pdf' ? await summaryPdf(summary, t) : format === 'docx' ? await (await import('./render/docx.ts')).summaryDocx(summary, t) : Buffer.from(await summaryDocument(summary, t), 'utf8')
  // The document's own stylesheet is allowed by its hash; nothing else may load or run.
  if (format === 'html') reply.header('content-security-policy', SUMMARY_DOCUMENT_POLICY)
  return reply.type(MEDIA_TYPES[format]).header('cache-control', 'private, no-store')
    .header('content-disposition', `attachment; filename="${summaryFileName(summary.academicYear, format, lang)}"`)
    .send(bytes)
}

export function insightsRoutes(app: App, services: Services): void {
  const { insights, coreInspections } = services
  const read = { preHandler: app.require('insights:read') }
  const edit = { preHandler: app.require('insights:edit') }

  // Choosing the year: the latest with core inspections by default; `?year=` goes to its summary.

  app.get(paths.insights(), read, async (req, reply) => {
    const years = await coreInspections.years()
    const asked = (req.query as { year?: unknown }).year
    const page = (value: string, status = 200, error?: AppError) => reply.render('insights/views/insights.njk', {
      value,
      years: years.map((y) => ({ href: paths.insightsSummary(y), text: y })),
      action: paths.insights(),
      errors: error && pageErrors(error.details, req.t),
    }, status)
    if (asked === undefined) return page(years[0] ?? academicYearOf(services.clock.nowIso()))
    const period = parsePeriod(asked)
    if (!period) return page(str(asked), 400, validationFailed([{ path: 'year', messageKey: 'insights.year.invalid' }]))
    return reply.redirect(paths.insightsSummary(period.label), 303)
  })

  // The summary, in the reader's language

  app.get('/insights/:year', { ...read, config: { pageCache: true } }, async (req, reply) => {
    // Kept while nothing is written: req.t is the translator of req.lang, which keys the cache. The
    // summary's body (half a megabyte of HTML) depends on the view model only, so it is kept rendered.
    const { summary, view: { view, html } } = await insights.summaryPage(yearParam(req), req.lang, async (s) => {
      const view = await summaryView(s, req.t)
      return { view, html: await renderFragment(reply, 'insights/views/_summary.njk', { summary: view }) }
    })
    const editor = can(req.actor, 'insights:edit')
    const groups = editor && !summary.message ? pointGroups(summary, view, req.t) : []
    return reply.render('insights/views/insights.njk', {
      summary: view,
      summaryHtml: html,
      year: summary.academicYear,
      empty: Boolean(summary.message),
      publication: publicationText(summary, req.t),
      published: Boolean(summary.publication),
      downloads: summary.message ? [] : downloadLinks(summary.academicYear, req.lang, req.t),
      editor,
      groups,
      pointCount: groups.reduce((n, g) => n + g.rows.length, 0),
      editedCount: groups.reduce((n, g) => n + g.rows.filter((r) => r.edited).length, 0),
      publishAction: paths.insightsPublish(summary.academicYear),
      backHref: paths.insights(),
    })
  })

  for (const format of FORMATS) {
    app.get(`/insights/:year/summary.${format}`, read, async (req, reply) =>
      sendSummaryFile(reply, services, yearParam(req), format, langOf((req.query as { lang?: unknown }).lang, req.lang)))
  }

  // Rewording one point: the generated sentence beside the reviewer's wording

  const pointPage = async (req: FastifyRequest, reply: FastifyReply, o: { summary: InsightsSummary; key: string; text?: string; error?: AppError }) => {
    const found = findPoint(o.summary, o.key)
    if (!found) throw notFound('point')
    const { point, area, kind } = found
    const lang = o.summary.lang
    const edited = point.edited?.text.trim() ? point.edited : null
    return reply.render('insights/views/edit-point.njk', {
      caption: o.summary.title,
      heading: area === null ? req.t('insights.render.recommendations')
        : req.t('insights.page.points.group', { area, kind: req.t(kind === 'going_well' ? 'insights.render.goingWell' : 'insights.render.needsToImprove') }),
      key: o.key,
      // `lang` is the page's own (the reader's); the point's words may be in the other language.
      pointLang: lang,
      // The words are in the summary's language, which may not be the page's.
      otherLang: lang !== req.lang ? lang : undefined,
      generated: point.sentence,
      edited: edited && {
        text: edited.text,
        note: edited.by ? req.t('insights.page.reword.editedBy', { by: edited.by, date: formatDate(edited.at, req.lang) }) : req.t('insights.page.reword.edited', { date: formatDate(edited.at, req.lang) }),
      },
      records: point.details.map((d) => ({ authority: d.authority, text: d.text, lang: d.lang })),
      value: o.text ?? edited?.text ?? point.sentence,
      textHint: req.t(`insights.page.reword.textHint.${lang}`),
      action: paths.insightsPoint(o.summary.academicYear, o.key, lang),
      cancelHref: paths.insightsSummary(o.summary.academicYear),
      // A point gone from the summary is a problem with the wording's form as a whole: shown at the text box.
      errors: o.error && pageErrors(o.error.details.map((d) => (d.path === 'key' ? { ...d, path: 'text' } : d)), req.t),
    }, o.error?.status ?? 200)
  }

  app.get('/insights/:year/point', edit, async (req, reply) => {
    const query = req.query as { key?: unknown; lang?: unknown }
    const summary = await insights.summary(yearParam(req), langOf(query.lang, req.lang))
    return pointPage(req, reply, { summary, key: str(query.key) })
  })

  app.post('/insights/:year/point', edit, async (req, reply) => {
    const query = req.query as { key?: unknown; lang?: unknown }
    const body = bodyOf(req)
    const key = str(body.key ?? query.key)
    const lang = langOf(body.lang ?? query.lang, req.lang)
    const period = insights.period(yearParam(req))
    // Back to the top of the summary, where the banner says what was done.
    const back = paths.insightsSummary(period.label)
    if (body.action === 'reset') {
      await insights.resetPoint(req.actor!, { year: period.label, lang, key })
      return reply.flash('insights.page.flash.reset').redirect(back, 303)
    }
    try {
      await insights.editPoint(req.actor!, { year: period.label, lang, key, text: body.text })
      return reply.flash('insights.page.flash.saved').redirect(back, 303)
    } catch (e) {
      if (!isFormError(e)) throw e
      const summary = await insights.summary(period.label, lang)
      // A point that is no longer in the summary cannot be shown again: say so on an error page.
      if (!findPoint(summary, key)) throw e
      return pointPage(req, reply, { summary, key, text: str(body.text), error: e })
    }
  })

  app.post('/insights/:year/publish', edit, async (req, reply) => {
    const period = insights.period(yearParam(req))
    await insights.publish(req.actor!, period.label)
    return reply.flash('insights.page.flash.published', { year: period.label }).redirect(paths.insightsSummary(period.label), 303)
  })
}

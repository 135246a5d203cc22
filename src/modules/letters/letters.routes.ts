import type { FastifyReply, FastifyRequest } from 'fastify'
import { issuePanel } from '../letter-issue/letter-issue.view.ts'
import { unmetForIssue } from '../letter-issue/letter-issue.service.ts'
import { letterReviewPaths } from '../letter-review/letter-review.view.ts'
import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'
import { notFound, type AppError } from '../../http/errors.ts'
import { idParam, isFormError } from '../../http/route-helpers.ts'
import { pageErrors } from '../../http/form-errors.ts'
import { formatDate } from '../../http/web.ts'
import { authorityName, elvTabs } from '../visits/visits.view.ts'
import type { ElvView } from '../visits/visits.service.ts'
import type { LetterModel, LetterSectionModel, WritingProblem } from './letter.model.ts'
import { lettersApiRoutes } from './letters.api.ts'
import {
  formFromSection, formRows, letterStateTag, lettersPaths, one, problemGroups, rowsToShow, sectionInputFromForm, sectionTitle, sectionViews,
  translationTag, writingChecker, type Form,
} from './letters.view.ts'

const formOf = (req: FastifyRequest): Form => (req.body && typeof req.body === 'object' ? req.body as Form : {})

const elvTitle = (elv: ElvView, req: FastifyRequest) =>
  req.t('visits.title', { authority: authorityName(elv, req.lang), ordinal: req.t(`visits.ordinal.${elv.ordinal}`) })

/** The section key from the address; anything that is not a key of this letter answers 404 later. */
const keyParam = (req: FastifyRequest): string => {
  const key = (req.params as Record<string, string>).key ?? ''
  if (!/^[a-z_]+(:\d+(:[a-z_]+)?)?$/.test(key)) throw notFound('section')
  return key
}

/** The letter tab (build, read side by side, problems) and each section's edit page; the API beside them. */
export function lettersRoutes(app: App, services: Services): void {
  const { letters } = services
  const read = { preHandler: app.require('visits:read') }
  lettersApiRoutes(app, services)

  /** The writing checks' problems, or null when they could not run: the page still shows the letter. */
  const problemsOf = async (req: FastifyRequest, model: LetterModel): Promise<WritingProblem[] | null> => {
    const checker = writingChecker(services.writingChecks)
    if (!checker || (req.actor?.kind === 'user' && req.actor.role === 'la')) return []
    try {
      return await checker.check(model, req.lang)
    } catch (e) {
      req.log.error({ err: e }, 'writing checks failed on a letter')
      return null
    }
  }

  // ---- the letter tab ---------------------------------------------------------------------------

  const letterPage = async (req: FastifyRequest, reply: FastifyReply, elvId: number, failed?: { error: AppError; values: Form }) => {
    const t = req.t
    const data = await letters.get(req.actor!, elvId)
    const isAuthority = req.actor?.kind === 'user' && req.actor.role === 'la'
    const model = data.letter
    const problems = model ? await problemsOf(req, model) : []
    // Checks that could not run this time are tried again on the next request, not kept.
    if (problems === null) req.pageToKeep = undefined
    return reply.render('letters/views/letter.njk', {
      elv: data.elv,
      title: elvTitle(data.elv, req),
      tabs: elvTabs(elvId, 'letter', t),
      letter: model,
      stateTag: model ? letterStateTag(model.state, t) : undefined,
      letterDate: model ? formatDate(model.date, req.lang) : '',
      sections: model ? sectionViews(model, t, req.lang, { mayEdit: data.mayEdit, showFindings: !isAuthority }) : [],
      problemsShown: Boolean(model && writingChecker(services.writingChecks) && !isAuthority),
      problemsFailed: problems === null,
      problemGroups: model && problems ? problemGroups(problems, model, t, req.lang) : [],
      missingFindings: data.missingFindings.map((f) => ({
        ...f, kindText: t(`letters.template.${f.kind === 'working_well' ? 'workingWell' : 'improvement'}`), href: lettersPaths.finding(elvId, f.id),
      })),
      mayBuild: data.mayBuild,
      mayEdit: data.mayEdit,
      onTeam: data.onTeam,
      open: data.open,
      closedText: data.open ? '' : t('letters.closed', { state: t(`visits.state.${data.elv.state}`) }),
      action: lettersPaths.tab(elvId),
      values: failed?.values ?? {},
      errors: failed ? pageErrors(failed.error.details, t) : undefined,
      issue: model && !isAuthority ? await issuePanelFor(req, data.elv, model) : undefined,
      reviewHref: model && !isAuthority ? letterReviewPaths.review(elvId) : undefined,
    }, failed ? failed.error.status : 200)
  }

  /** Downloads and the issue button, with what still stops issuing. */
  const issuePanelFor = async (req: FastifyRequest, elv: ElvView, model: LetterModel) => {
    // The visit and letter are already read for the page: the rules run on them rather than reading them again.
    const [may, files] = await Promise.all([services.letterIssue.mayIssue(req.actor!, elv), services.letterIssue.issuedFiles(req.actor!, elv.id)])
    return issuePanel(elv.id, {
      t: req.t, issuedOn: model.state === 'issued' ? formatDate(model.date, req.lang) : null, files, version: model.version, may, unmet: unmetForIssue(model, elv.state),
    })
  }

  app.get('/elvs/:id/letter', { ...read, config: { pageCache: true } }, async (req, reply) => letterPage(req, reply, idParam(req, 'visit')))

  app.post('/elvs/:id/letter', read, async (req, reply) => {
    const id = idParam(req, 'visit')
    const form = formOf(req)
    try {
      const { created } = await letters.build(req.actor!, id, { keepEdited: one(form.replaceEdited) ? false : true, version: one(form.version) })
      return reply.flash(created ? 'letters.flash.built' : 'letters.flash.rebuilt').redirect(lettersPaths.tab(id), 303)
    } catch (e) {
      if (isFormError(e)) return letterPage(req, reply, id, { error: e, values: form })
      throw e
    }
  })

  // ---- one section ------------------------------------------------------------------------------

  const sectionPage = async (req: FastifyRequest, reply: FastifyReply, elvId: number, key: string, posted?: { values: Form; error?: AppError; addRow?: boolean }) => {
    const t = req.t
    const data = await letters.get(req.actor!, elvId)
    const isAuthority = req.actor?.kind === 'user' && req.actor.role === 'la'
    const section = data.letter?.sections.find((s) => s.key === key)
    if (!data.letter || !section) throw notFound('section')
    const stale = posted?.error?.code === 'version_conflict'
    // After a refused save the form takes the version saved now: saving again is then a choice made knowingly.
    const values: Form = posted
      ? { ...posted.values, version: stale || !one(posted.values.version) ? String(data.letter.version) : posted.values.version }
      : { ...formFromSection(section), version: String(data.letter.version) }
    const rows = formRows(values)
    const blank = posted ? (posted.addRow ? 1 : 0) : 1
    const shown = rowsToShow(rows, blank, section.findingKind ? 'bullet' : 'text')
    const saved = sectionViews({ ...data.letter, sections: [section] }, t, req.lang, { mayEdit: false, showFindings: !isAuthority })[0]!
    const paragraphFindings = new Map(section.paragraphs.map((p) => [String(p.id), p.findingIds]))
    return reply.render('letters/views/section.njk', {
      elv: data.elv,
      title: elvTitle(data.elv, req),
      tabs: elvTabs(elvId, 'letter', t),
      sectionTitle: sectionTitle(section, t, req.lang),
      section: saved,
      tag: translationTag(section, t),
      stale,
      mayEdit: data.mayEdit,
      action: lettersPaths.section(elvId, key),
      backHref: lettersPaths.sectionAnchor(elvId, section.id),
      values,
      rows: shown.map((r, i) => ({
        ...r, i, n: i + 1, isNew: r.id === '',
        findings: isAuthority ? [] : (paragraphFindings.get(r.id) ?? []).map((id) => ({ id, href: lettersPaths.finding(elvId, id) })),
        fixed: section.paragraphs.find((p) => String(p.id) === r.id)?.fixed ?? false,
      })),
      errors: posted?.error ? pageErrors(posted.error.details, t) : undefined,
    }, posted?.error ? posted.error.status : 200)
  }

  const sectionIds = (req: FastifyRequest) => ({ elvId: idParam(req, 'visit'), key: keyParam(req) })

  app.get('/elvs/:id/letter/sections/:key', read, async (req, reply) => {
    const { elvId, key } = sectionIds(req)
    return sectionPage(req, reply, elvId, key)
  })

  app.post('/elvs/:id/letter/sections/:key', read, async (req, reply) => {
    const { elvId, key } = sectionIds(req)
    const form = formOf(req)
    // "Add another paragraph" shows the form again with a blank row, saving nothing (it works without JavaScript).
    if (one(form.action) === 'add') return sectionPage(req, reply, elvId, key, { values: form, addRow: true })
    try {
      const model = await letters.updateSection(req.actor!, elvId, key, sectionInputFromForm(form))
      const section = model.sections.find((s) => s.key === key) as LetterSectionModel
      return reply.flash('letters.flash.saved', { section: sectionTitle(section, req.t, req.lang) })
        .redirect(lettersPaths.sectionAnchor(elvId, section.id), 303)
    } catch (e) {
      if (isFormError(e)) return sectionPage(req, reply, elvId, key, { values: form, error: e })
      throw e
    }
  })
}

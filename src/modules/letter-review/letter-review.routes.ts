import type { FastifyReply, FastifyRequest } from 'fastify'
import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'
import type { AppError } from '../../http/errors.ts'
import { idParam, isFormError } from '../../http/route-helpers.ts'
import { pageErrors, translateDetail } from '../../http/form-errors.ts'
import { paths } from '../../http/paths.ts'
import type { LetterState } from '../../db/schema.ts'
import { authorityName, elvTabs, stateTag } from '../visits/visits.view.ts'
import type { ElvView } from '../visits/visits.service.ts'
import { letterReviewApiRoutes } from './letter-review.api.ts'
import type { ReviewAction } from './letter-review.rules.ts'
import {
  actionAnchor, actionErrors, comparisonView, letterReviewPaths, letterStateTag, queueRows, reviewLetter, revisionRows, versionItems,
} from './letter-review.view.ts'

type Form = Record<string, string | string[] | undefined>
type StateAction = Exclude<ReviewAction, 'comment'>

const formOf = (req: FastifyRequest): Form => (req.body && typeof req.body === 'object' ? req.body as Form : {})
const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? v[0] ?? '' : v ?? '')

const elvTitle = (elv: ElvView, req: FastifyRequest) =>
  req.t('visits.title', { authority: authorityName(elv, req.lang), ordinal: req.t(`visits.ordinal.${elv.ordinal}`) })

/** The state a letter must be in for each action to be offered on the page. */
const OFFERED_IN: Record<StateAction, LetterState> = { submit: 'draft', return: 'in_review', approve: 'in_review' }

/** The id of the comment box for a paragraph, a section or the whole letter: one form each on the page. */
export function commentBoxId(target: { paragraphId?: number | string | null; sectionKey?: string | null }): string {
  if (target.paragraphId) return `comment-p-${target.paragraphId}`
  if (target.sectionKey) return `comment-s-${target.sectionKey.replace(/[^A-Za-z0-9_-]/g, '-')}`
  return 'comment-letter'
}

interface Failed {
  /** The action refused, or 'comment'. */
  action: ReviewAction
  error: AppError
  values: Form
}

const FLASH: Record<StateAction, string> = {
  submit: 'letterReview.flash.submitted',
  return: 'letterReview.flash.returned',
  approve: 'letterReview.flash.approved',
}

/** Quality assurance of the letter: the review page, the compare page, reviewers' list, and the API. */
export function letterReviewRoutes(app: App, services: Services): void {
  const { letterReview } = services
  const read = { preHandler: app.require('visits:read') }
  letterReviewApiRoutes(app, services)

  // ---- the review page ------------------------------------------------------------------------

  const reviewPage = async (req: FastifyRequest, reply: FastifyReply, id: number, failed?: Failed) => {
    const t = req.t
    const data = await letterReview.review(req.actor!, id)
    const state = data.letter?.state
    const actions = (['submit', 'return', 'approve'] as const).filter((a) => data.actions[a].may && state === OFFERED_IN[a]).map((a) => ({
      action: a,
      anchor: actionAnchor(a),
      href: letterReviewPaths[a](id),
      unmet: data.actions[a].unmet.map((d) => translateDetail(d, t)),
    }))
    const commentUnmet = data.actions.comment.unmet
    const mayComment = data.actions.comment.may && commentUnmet.length === 0 && data.letter !== null
    const values = failed?.values ?? {}
    const commentFor = failed?.action === 'comment' ? commentBoxId({ paragraphId: one(values.paragraphId), sectionKey: one(values.sectionKey) }) : undefined
    // The error summary links to the form refused; when the page no longer offers it (the letter
    // moved on meanwhile), to the letter's state, which says why.
    const offered = (anchor: string) => actions.some((a) => a.anchor === anchor)
    const errors = !failed ? undefined
      : failed.action === 'comment'
        ? actionErrors(failed.error.details, mayComment ? commentFor! : 'letter-status', { body: commentFor!, sectionKey: commentFor!, paragraphId: commentFor! }, t)
        : actionErrors(failed.error.details, offered(actionAnchor(failed.action)) ? actionAnchor(failed.action) : 'letter-status',
          Object.fromEntries(failed.error.details.filter((d) => d.path === 'comments' || d.path.startsWith('comments.')).map((d) => [d.path, 'return-comments'])), t)
    const letter = data.model ? reviewLetter(data.model, data.comments, id, t, req.lang) : undefined
    const newest = data.revisions[0]?.number
    // Reviewers see the same writing checks as the team, on the same words.
    const problems = data.model ? (await services.writingChecks.check(data.model, req.lang)).map((p) => p.message) : undefined
    return reply.render('letter-review/views/review.njk', {
      problems,
      elv: data.elv,
      title: elvTitle(data.elv, req),
      tabs: elvTabs(id, 'letter', t),
      status: data.letter,
      stateTag: data.letter ? letterStateTag(data.letter.state, t) : undefined,
      elvStateTag: stateTag(data.elv.state, t),
      actions,
      // Someone who may review sees why they cannot comment (on the team, or the letter not in review).
      commentBlockers: data.actions.comment.may && data.letter?.state === 'in_review' ? commentUnmet.map((d) => translateDetail(d, t)) : [],
      mayComment,
      letter,
      revisions: revisionRows(data.revisions, id, t),
      fromItems: versionItems(data.revisions, data.revisions[1]?.number ?? newest, t),
      toItems: versionItems(data.revisions, newest, t),
      compareAction: letterReviewPaths.compare(id),
      commentAction: letterReviewPaths.comments(id),
      letterHref: paths.elvTab(id, 'letter'),
      queueHref: letterReviewPaths.queue(),
      values,
      commentFor,
      errors,
    }, failed ? failed.error.status : 200)
  }

  app.get('/elvs/:id/letter/review', read, async (req, reply) => reviewPage(req, reply, idParam(req, 'visit')))

  for (const action of ['submit', 'return', 'approve'] as const) {
    app.post(`/elvs/:id/letter/${action}`, read, async (req, reply) => {
      const id = idParam(req, 'visit')
      const form = formOf(req)
      try {
        const version = one(form.version)
        if (action === 'submit') await letterReview.submit(req.actor!, id, { version })
        else if (action === 'return') await letterReview.returnLetter(req.actor!, id, { version, comments: one(form.comments) })
        else await letterReview.approve(req.actor!, id, { version })
        return reply.flash(FLASH[action]).redirect(letterReviewPaths.review(id), 303)
      } catch (e) {
        if (isFormError(e)) return reviewPage(req, reply, id, { action, error: e, values: form })
        throw e
      }
    })
  }

  app.post('/elvs/:id/letter/comments', read, async (req, reply) => {
    const id = idParam(req, 'visit')
    const form = formOf(req)
    try {
      const c = await letterReview.comment(req.actor!, id, {
        version: one(form.version), sectionKey: one(form.sectionKey), paragraphId: one(form.paragraphId), body: one(form.body),
      })
      // To the comment itself, in the list beside its paragraph (the box it was typed in is folded away again).
      return reply.flash('letterReview.flash.commented').redirect(`${letterReviewPaths.review(id)}#comment-${c.id}`, 303)
    } catch (e) {
      if (isFormError(e)) return reviewPage(req, reply, id, { action: 'comment', error: e, values: form })
      throw e
    }
  })

  // ---- comparing two versions -----------------------------------------------------------------

  app.get('/elvs/:id/letter/compare', read, async (req, reply) => {
    const id = idParam(req, 'visit')
    const t = req.t
    const query = req.query as Record<string, string | undefined>
    try {
      const c = await letterReview.compare(req.actor!, id, { from: query.from, to: query.to })
      return reply.render('letter-review/views/compare.njk', {
        elv: c.elv,
        title: elvTitle(c.elv, req),
        tabs: elvTabs(id, 'letter', t),
        from: c.from,
        to: c.to,
        comparison: comparisonView(c.sections, t, req.lang),
        fromItems: versionItems(c.revisions, c.from.number, t),
        toItems: versionItems(c.revisions, c.to.number, t),
        compareAction: letterReviewPaths.compare(id),
        reviewHref: letterReviewPaths.review(id),
      })
    } catch (e) {
      if (!isFormError(e)) throw e
      // A version that does not exist, or is not a number: the form again, saying so.
      const data = await letterReview.review(req.actor!, id)
      return reply.render('letter-review/views/compare.njk', {
        elv: data.elv,
        title: elvTitle(data.elv, req),
        tabs: elvTabs(id, 'letter', t),
        fromItems: versionItems(data.revisions, Number(query.from), t),
        toItems: versionItems(data.revisions, Number(query.to), t),
        compareAction: letterReviewPaths.compare(id),
        reviewHref: letterReviewPaths.review(id),
        errors: pageErrors(e.details, t),
      }, e.status)
    }
  })

  // ---- letters waiting for a reviewer -----------------------------------------------------------

  app.get(letterReviewPaths.queue(), { preHandler: app.require('letters:review') }, async (req, reply) => {
    const rows = await letterReview.queue(req.actor!)
    return reply.render('letter-review/views/queue.njk', { rows: queueRows(rows, req.t, req.lang) })
  })
}

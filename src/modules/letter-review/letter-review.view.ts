import type { Language, LetterState } from '../../db/schema.ts'
import type { ErrorDetail } from '../../http/errors.ts'
import { pageErrors, type PageErrors } from '../../http/form-errors.ts'
import { paths } from '../../http/paths.ts'
import type { Translate } from '../../i18n/catalogue.ts'
import type { LetterModel, LetterSectionModel } from '../letters/letter.model.ts'
import type { QueueRow } from './letter-review.repository.ts'
import type { ChangeStatus, DiffSegment, SectionDiff } from './letter-review.diff.ts'
import type { ReviewAction } from './letter-review.rules.ts'
import type { ReviewComment, RevisionView } from './letter-review.service.ts'

/** This module's pages; the shared path helpers do not name them. */
export const letterReviewPaths = {
  review: (elvId: number) => `/elvs/${elvId}/letter/review`,
  submit: (elvId: number) => `/elvs/${elvId}/letter/submit`,
  return: (elvId: number) => `/elvs/${elvId}/letter/return`,
  approve: (elvId: number) => `/elvs/${elvId}/letter/approve`,
  comments: (elvId: number) => `/elvs/${elvId}/letter/comments`,
  compare: (elvId: number, from?: number, to?: number) =>
    `/elvs/${elvId}/letter/compare${from !== undefined && to !== undefined ? `?from=${from}&to=${to}` : ''}`,
  queue: () => paths.lettersInReview(),
} as const

const STATE_COLOUR: Record<LetterState, string> = { draft: 'grey', in_review: 'orange', approved: 'green', issued: 'blue' }

export function letterStateTag(state: LetterState, t: Translate) {
  return { text: t(`letterReview.state.${state}`), classes: `govuk-tag--${STATE_COLOUR[state]}` }
}

const KNOWN_SECTIONS = ['opening', 'purpose', 'visit', 'closing']
const KNOWN_NOTES = ['build', 'rebuild', 'edit', 'submit', 'return', 'approve', 'issue']

/** A section's heading in the reader's language, the other language's when that is empty, else a name for the fixed sections. */
export function sectionTitle(s: Pick<LetterSectionModel, 'key' | 'heading'>, lang: Language, t: Translate): string {
  const other: Language = lang === 'cy' ? 'en' : 'cy'
  const heading = s.heading[lang].trim() || s.heading[other].trim()
  if (heading) return heading
  return KNOWN_SECTIONS.includes(s.key) ? t(`letterReview.section.${s.key}`) : t('letterReview.section.untitled')
}

/** What made a revision, in words; a note this module does not know is shown as written. */
export function noteLabel(note: string | null, t: Translate): string {
  if (!note) return ''
  return KNOWN_NOTES.includes(note) ? t(`letterReview.note.${note}`) : note
}

export interface CommentView {
  id: number
  body: string
  author: string
  createdAt: string
  revision: number
  /** Made on an earlier version than the one shown: with a link to what changed since. */
  earlier: boolean
  compareHref: string | undefined
}

function commentView(c: ReviewComment, current: number, elvId: number, t: Translate): CommentView {
  const earlier = c.revision < current
  return {
    id: c.id, body: c.body, author: c.author?.name ?? t('letterReview.comments.unknownAuthor'), createdAt: c.createdAt, revision: c.revision,
    earlier, compareHref: earlier ? letterReviewPaths.compare(elvId, c.revision, current) : undefined,
  }
}

export interface ReviewParagraph {
  id: number
  bullet: boolean
  cy: string
  en: string
  findings: Array<{ id: number; href: string }>
  comments: CommentView[]
}

export interface ReviewSection {
  key: string
  title: string
  /** The heading level on the page: the letter sits under an h2, so its sections are h3 and their parts h4. */
  headingLevel: 3 | 4
  comments: CommentView[]
  paragraphs: ReviewParagraph[]
}

/**
 * The letter for the review page, each paragraph with its comments. Comments are kept across
 * versions: one on a paragraph or section since removed is listed apart, with the version it was made on.
 */
export function reviewLetter(model: LetterModel, comments: readonly ReviewComment[], elvId: number, t: Translate, lang: Language) {
  const views = comments.map((c) => ({ c, view: commentView(c, model.version, elvId, t) }))
  const used = new Set<number>()
  const take = (match: (c: ReviewComment) => boolean) => views.filter(({ c }) => {
    if (used.has(c.id) || !match(c)) return false
    used.add(c.id)
    return true
  }).map((x) => x.view)
  const sections: ReviewSection[] = model.sections.map((s) => ({
    key: s.key,
    title: sectionTitle(s, lang, t),
    headingLevel: s.level === 3 ? 4 : 3,
    paragraphs: s.paragraphs.map((p) => ({
      id: p.id, bullet: p.style === 'bullet', cy: p.text.cy, en: p.text.en,
      findings: p.findingIds.map((id) => ({ id, href: `${paths.elvTab(elvId, 'findings')}#finding-${id}` })),
      comments: take((c) => c.paragraphId === p.id),
    })),
    comments: [],
  }))
  // Section comments after the paragraphs have taken theirs, so a paragraph comment is never counted twice.
  for (const s of sections) s.comments = take((c) => c.paragraphId === null && c.sectionKey === s.key)
  const whole = take((c) => c.paragraphId === null && c.sectionKey === null)
  const removed = take(() => true)
  return { sections, whole, removed }
}

/** The versions table: newest first, each with a link comparing it with the version before it. */
export function revisionRows(revisions: readonly RevisionView[], elvId: number, t: Translate) {
  return revisions.map((r, i) => {
    const previous = revisions[i + 1]
    return {
      number: r.number,
      state: letterStateTag(r.state, t),
      note: noteLabel(r.note, t),
      by: r.createdBy?.name ?? '',
      createdAt: r.createdAt,
      compare: previous ? { href: letterReviewPaths.compare(elvId, previous.number, r.number), text: t('letterReview.revisions.compareWith', { number: previous.number }), hidden: t('letterReview.revisions.compareHidden', { number: r.number }) } : undefined,
    }
  })
}

/** The choices of the compare form: every version, the chosen one selected. */
export function versionItems(revisions: readonly RevisionView[], chosen: number | undefined, t: Translate) {
  return revisions.map((r) => ({ value: String(r.number), text: t('letterReview.compare.option', { number: r.number, note: noteLabel(r.note, t) || t(`letterReview.state.${r.state}`) }), selected: r.number === chosen }))
}

const STATUS_COLOUR: Record<ChangeStatus, string> = { same: 'grey', changed: 'yellow', added: 'green', removed: 'red' }

function statusTag(kind: 'section' | 'paragraph', status: ChangeStatus, t: Translate) {
  return { text: t(`letterReview.compare.${kind}Status.${status}`), classes: `govuk-tag--${STATUS_COLOUR[status]}` }
}

/** The comparison for its page: sections in order, each paragraph's Welsh and English diff side by side. */
export function comparisonView(sections: readonly SectionDiff[], t: Translate, lang: Language) {
  return {
    changed: sections.filter((s) => s.status !== 'same').length,
    sections: sections.map((s) => ({
      key: s.key,
      title: sectionTitle({ key: s.key, heading: s.headingText }, lang, t),
      status: s.status,
      tag: statusTag('section', s.status, t),
      headingChanged: s.status === 'changed' && (['cy', 'en'] as const).some((l) => s.heading[l].some((x) => x.op !== 'same')),
      heading: s.heading,
      paragraphs: s.paragraphs.map((p, i) => ({
        n: i + 1,
        status: p.status,
        tag: statusTag('paragraph', p.status, t),
        bullet: p.style === 'bullet',
        cy: p.text.cy,
        en: p.text.en,
      })),
    })),
  }
}

/** Plain text of a diff as it reads after the change: for tests and summaries, never for display of markup. */
export const afterText = (segments: readonly DiffSegment[]) => segments.filter((s) => s.op !== 'del').map((s) => s.text).join('')

/** The letters list for reviewers. */
export function queueRows(rows: readonly QueueRow[], t: Translate, lang: Language) {
  return rows.map((r) => ({
    href: letterReviewPaths.review(r.elv_id),
    authority: lang === 'cy' ? r.authority_name_cy : r.authority_name_en,
    visit: t('visits.title', { authority: lang === 'cy' ? r.authority_name_cy : r.authority_name_en, ordinal: t(`visits.ordinal.${r.ordinal}`) }),
    state: letterStateTag(r.state, t),
    submittedBy: r.submitted_by_name ?? '',
    submittedAt: r.submitted_at,
    approvedBy: r.approved_by_name ?? '',
    approvedAt: r.approved_at,
  }))
}

/** Anchors of the actions on the review page: where the error summary sends the reader. */
export const actionAnchor = (action: ReviewAction) => `action-${action}`

/**
 * A refused action's problems for the page: each links to its own field when the page has one
 * (`fieldIds`, by path), otherwise to `fallback`, the part of the page about the action refused.
 */
export function actionErrors(details: readonly ErrorDetail[], fallback: string, fieldIds: Record<string, string>, t: Translate): PageErrors {
  const errors = pageErrors([...details], t)
  const byField: PageErrors['byField'] = {}
  const list = errors.list.map((e, i) => {
    const id = fieldIds[details[i]!.path]
    if (id) byField[id] ??= { text: e.text }
    return { text: e.text, href: `#${id ?? fallback}` }
  })
  return { list, byField }
}

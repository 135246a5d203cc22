import { Type, type Static } from '@sinclair/typebox'
import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'
import { ELV_STATES, LETTER_STATES } from '../../db/schema.ts'
import { errorResponses } from '../../http/api-schemas.ts'
import { ElvParams, type ElvParamsT } from '../visits/visits.api.ts'
import type { DiffSegment, SectionDiff } from './letter-review.diff.ts'
import type { LetterStatus, ReviewComment, RevisionView } from './letter-review.service.ts'

const LetterStateJson = Type.Union(LETTER_STATES.map((s) => Type.Literal(s)))
const PersonJson = Type.Union([Type.Object({ id: Type.Integer(), name: Type.String() }), Type.Null()])

export const LetterStatusJson = Type.Object({
  state: LetterStateJson,
  version: Type.Integer({ description: 'Send it with the next action: a stale one answers 409 version_conflict' }),
  elvState: Type.Union(ELV_STATES.map((s) => Type.Literal(s)), { description: 'The ELV moves into quality_assurance on submit and back to drafting on return' }),
  submittedAt: Type.Union([Type.String(), Type.Null()]),
  submittedBy: PersonJson,
  approvedAt: Type.Union([Type.String(), Type.Null()]),
  approvedBy: PersonJson,
})

const CommentJson = Type.Object({
  id: Type.Integer(),
  revision: Type.Integer({ description: 'The letter version the comment was made on' }),
  sectionKey: Type.Union([Type.String(), Type.Null()], { description: 'Null for a comment on the whole letter' }),
  paragraphId: Type.Union([Type.Integer(), Type.Null()]),
  body: Type.String(),
  author: PersonJson,
  createdAt: Type.String(),
})

const RevisionJson = Type.Object({
  number: Type.Integer(),
  state: LetterStateJson,
  note: Type.Union([Type.String(), Type.Null()], { description: 'build, rebuild, edit, submit, return or approve' }),
  createdAt: Type.String(),
  createdBy: PersonJson,
})

const SegmentsJson = Type.Array(Type.Object({ op: Type.Union([Type.Literal('same'), Type.Literal('ins'), Type.Literal('del')]), text: Type.String() }))
const BilingualSegments = Type.Object({ cy: SegmentsJson, en: SegmentsJson })
const StatusJson = Type.Union([Type.Literal('same'), Type.Literal('changed'), Type.Literal('added'), Type.Literal('removed')])
const ComparisonJson = Type.Object({
  from: Type.Integer(),
  to: Type.Integer(),
  sections: Type.Array(Type.Object({
    key: Type.String(),
    status: StatusJson,
    heading: BilingualSegments,
    paragraphs: Type.Array(Type.Object({ id: Type.Integer(), status: StatusJson, text: BilingualSegments })),
  })),
})

const VersionBody = Type.Object({
  version: Type.Optional(Type.Integer({ description: 'The letter version you read (required; named in a 400 when missing)' })),
})
const ReturnBody = Type.Object({
  version: Type.Optional(Type.Integer({ description: 'The letter version you read' })),
  // Checked by the service, not the schema: the app's validator coerces types, and inside a union that
  // would turn a one-comment list into a lone object before the right branch saw it.
  comments: Type.Optional(Type.Unknown({
    description: 'Why the letter goes back: one text about the whole letter, or a list of { sectionKey?, paragraphId?, body } '
      + '(a section key such as focus:12, a paragraph id of the letter as it stands, up to 4000 characters). '
      + 'Needed unless comments were already made on this version; each problem is named by its path, e.g. comments.0.paragraphId.',
  })),
})
const CommentBody = Type.Object({
  version: Type.Optional(Type.Integer({ description: 'The letter version you read' })),
  sectionKey: Type.Optional(Type.String()),
  paragraphId: Type.Optional(Type.Integer()),
  body: Type.Optional(Type.String({ description: 'Up to 4000 characters' })),
})
const CompareQuery = Type.Object({
  from: Type.Optional(Type.Integer({ minimum: 1, description: 'Default: the version before `to`' })),
  to: Type.Optional(Type.Integer({ minimum: 1, description: 'Default: the newest version' })),
})

export const statusToJson = (s: LetterStatus): Static<typeof LetterStatusJson> => ({
  state: s.state, version: s.version, elvState: s.elvState, submittedAt: s.submittedAt, submittedBy: s.submittedBy, approvedAt: s.approvedAt, approvedBy: s.approvedBy,
})
const commentToJson = (c: ReviewComment): Static<typeof CommentJson> => c
const revisionToJson = (r: RevisionView): Static<typeof RevisionJson> => r
const segments = (s: readonly DiffSegment[]) => s.map(({ op, text }) => ({ op, text }))
const sectionToJson = (s: SectionDiff) => ({
  key: s.key, status: s.status, heading: { cy: segments(s.heading.cy), en: segments(s.heading.en) },
  paragraphs: s.paragraphs.map((p) => ({ id: p.id, status: p.status, text: { cy: segments(p.text.cy), en: segments(p.text.en) } })),
})

export function letterReviewApiRoutes(app: App, { letterReview }: Services): void {
  const read = app.require('visits:read')
  const rules = 'A rule not met answers 409 rule_violation naming each reason (details[].code is the catalogue key); '
    + 'a stale version 409 version_conflict; a role that may not take the action 403; an authority user, or anyone who cannot see the ELV, 404.'
  const elvId = (req: { params: unknown }) => (req.params as ElvParamsT).id

  app.post('/api/v1/elvs/:id/letter/submit', {
    schema: {
      tags: ['letters'], summary: 'Submit the draft letter for quality assurance (the team)',
      description: `The lead or another member of the team (or the link inspector, or an administrator) sends the draft to review; the ELV moves from drafting to quality_assurance, so its findings must all be secure. ${rules}`,
      params: ElvParams, body: VersionBody, response: { 200: LetterStatusJson, ...errorResponses },
    },
    preHandler: read,
  }, async (req) => statusToJson(await letterReview.submit(req.actor!, elvId(req), req.body as Static<typeof VersionBody>)))

  app.post('/api/v1/elvs/:id/letter/return', {
    schema: {
      tags: ['letters'], summary: 'Return the letter to the team with comments (a reviewer not on the team)',
      description: `The letter goes back to draft and the ELV to drafting. ${rules}`,
      params: ElvParams, body: ReturnBody, response: { 200: LetterStatusJson, ...errorResponses },
    },
    preHandler: read,
  }, async (req) => statusToJson(await letterReview.returnLetter(req.actor!, elvId(req), req.body as Static<typeof ReturnBody>)))

  app.post('/api/v1/elvs/:id/letter/approve', {
    schema: {
      tags: ['letters'], summary: 'Approve the letter for issue (a reviewer not on the team who did not submit it)',
      description: `Approving a letter one submitted, or changed since it was submitted, answers 409 rule_violation. ${rules}`,
      params: ElvParams, body: VersionBody, response: { 200: LetterStatusJson, ...errorResponses },
    },
    preHandler: read,
  }, async (req) => statusToJson(await letterReview.approve(req.actor!, elvId(req), req.body as Static<typeof VersionBody>)))

  app.get('/api/v1/elvs/:id/letter/revisions', {
    schema: {
      tags: ['letters'], summary: 'Every saved version of the letter, newest first',
      params: ElvParams, response: { 200: Type.Object({ items: Type.Array(RevisionJson) }), ...errorResponses },
    },
    preHandler: read,
  }, async (req) => ({ items: (await letterReview.revisions(req.actor!, elvId(req))).map(revisionToJson) }))

  app.get('/api/v1/elvs/:id/letter/comments', {
    schema: {
      tags: ['letters'], summary: 'Review comments on the letter, oldest first, each with the version it was made on',
      params: ElvParams, response: { 200: Type.Object({ items: Type.Array(CommentJson) }), ...errorResponses },
    },
    preHandler: read,
  }, async (req) => ({ items: (await letterReview.comments(req.actor!, elvId(req))).map(commentToJson) }))

  app.post('/api/v1/elvs/:id/letter/comments', {
    schema: {
      tags: ['letters'], summary: 'Comment on a paragraph, a section or the whole letter (a reviewer not on the team, while in review)',
      params: ElvParams, body: CommentBody, response: { 201: CommentJson, ...errorResponses },
    },
    preHandler: read,
  }, async (req, reply) => reply.code(201).send(commentToJson(await letterReview.comment(req.actor!, elvId(req), req.body as Static<typeof CommentBody>))))

  app.get('/api/v1/elvs/:id/letter/compare', {
    schema: {
      tags: ['letters'], summary: 'Two versions compared word by word, section by section, in Welsh and English',
      params: ElvParams, querystring: CompareQuery, response: { 200: ComparisonJson, ...errorResponses },
    },
    preHandler: read,
  }, async (req) => {
    const c = await letterReview.compare(req.actor!, elvId(req), req.query as Static<typeof CompareQuery>)
    return { from: c.from.number, to: c.to.number, sections: c.sections.map(sectionToJson) }
  })
}

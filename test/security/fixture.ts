/**
 * A small world for the security tests, built through the services: an ELV in drafting with a
 * team, agreed focus areas, evidence (one item with a file), findings and a draft letter; a link
 * note, a meeting, a conflict of interest, a core inspection, a plan proposal and a message in the
 * outbox. `pathFor` fills a route's `:params` with the ids of these records (or junk), so every
 * route of `app.routeList` can be called.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ADMIN_EMAIL, type TestContext } from '../helpers/test-app.ts'
import { systemActor, type UserActor } from '../../src/modules/auth/actor.ts'
import { asActor, reviewFixture, TERM } from '../../src/modules/letter-review/letter-review.fixtures.ts'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
/** Ceredigion: the ELV's authority. */
export const ELV_AUTHORITY = 'W06000008'
/** Powys: the link note's authority. */
export const NOTE_AUTHORITY = 'W06000023'
export const INSIGHTS_YEAR = '2023-2024'

export interface SecurityFixture {
  admin: UserActor
  adminToken: string
  /** A user other than the admin, so that no generated form can lock the admin out. */
  otherUserId: number
  lead: UserActor
  elvId: number
  /** A second ELV, planned and empty. */
  plannedElvId: number
  focusAreaId: number
  evidenceId: number
  fileId: number
  findingId: number
  meetingId: number
  linkNoteId: number
  conflictId: number
  coreInspectionId: number
  recommendationId: number
  proposalId: number
  outboxId: number
  writingRuleCode: string
  frameworkKey: string
  sectionKey: string
  teamUserId: number
}

export async function buildFixture(ctx: TestContext): Promise<SecurityFixture> {
  const { services } = ctx
  const db = services.database.db
  const system = systemActor('test')
  const admin = asActor((await services.users.byEmail(ADMIN_EMAIL))!)
  const adminToken = (await services.auth.createToken(system, ADMIN_EMAIL)).token
  const other = await ctx.make.user('hmi')

  const review = await reviewFixture(services, (role, o) => ctx.make.user(role, o), ELV_AUTHORITY)
  const evidenceId = review.evidenceIds[0]!
  const withFile = await services.evidence.attach(review.lead, evidenceId, [{ fileName: 'notes.txt', data: Buffer.from('Meeting notes in plain text.\n') }])
  const fileId = (await db.selectFrom('evidence_file').select('id').where('evidence_id', '=', withFile.id).executeTakeFirstOrThrow()).id
  const findingId = (await db.selectFrom('finding').select('id').where('elv_id', '=', review.elvId).orderBy('id').executeTakeFirstOrThrow()).id
  const { meeting } = await services.timetable.addMeeting(system, review.elvId, { day: 1, start: '09:00', end: '10:00', title: 'Director of Education', place: 'County Hall' })
  const note = await services.linkNotes.create(admin, NOTE_AUTHORITY, { notedOn: '2026-05-01', kind: 'meeting', title: 'Termly meeting', body: 'Notes of the meeting' })
  const conflict = await services.team.declareConflict(asActor(other), { authority: 'W06000001', reason: 'A relative works there' })
  const planned = await services.visits.create(system, { authority: 'W06000002', term: TERM })

  const bundle = JSON.parse(fs.readFileSync(path.join(repoRoot, 'docs/examples/core-inspections-2023-2024.json'), 'utf8')) as unknown
  await services.coreInspections.importBundle(system, bundle)
  const recommendation = await db.selectFrom('core_recommendation').select(['id', 'core_inspection_id']).orderBy('id').executeTakeFirstOrThrow()
  const proposalId = await services.planning.propose(admin)
  const outboxId = await services.mail.enqueue(db, { to: 'director@example.invalid', subject: 'Notification', text: 'Text', html: '<p>Text</p>' })
  const writingRuleCode = (await db.selectFrom('writing_rule').select('code').orderBy('id').executeTakeFirstOrThrow()).code
  const frameworkKey = (await db.selectFrom('framework').select('key').orderBy('key').executeTakeFirstOrThrow()).key

  return {
    admin, adminToken, otherUserId: other.id, lead: review.lead,
    elvId: review.elvId, plannedElvId: planned.id,
    focusAreaId: review.focusAreas[0]!.id, evidenceId, fileId, findingId,
    meetingId: meeting.id, linkNoteId: note.id, conflictId: conflict.id,
    coreInspectionId: recommendation.core_inspection_id, recommendationId: recommendation.id,
    proposalId, outboxId, writingRuleCode, frameworkKey,
    sectionKey: Object.keys(review.paragraphs).find((k) => k.startsWith('focus:'))!,
    teamUserId: review.member.id,
  }
}

/** The real value of a route parameter, by its name and the path segment before it. */
export function realParam(f: SecurityFixture, url: string, name: string): string {
  const segments = url.split('/')
  const before = segments[segments.indexOf(`:${name}`) - 1] ?? ''
  if (name === 'id') {
    const byCollection: Record<string, number> = {
      elvs: f.elvId, users: f.otherUserId, evidence: f.evidenceId, findings: f.findingId,
      'core-inspections': f.coreInspectionId, proposals: f.proposalId, outbox: f.outboxId,
    }
    const id = byCollection[before]
    if (id === undefined) throw new Error(`no fixture id for :id after /${before}/ in ${url}`)
    return String(id)
  }
  const byName: Record<string, string> = {
    gss: NOTE_AUTHORITY, gssCode: ELV_AUTHORITY,
    year: url.startsWith('/admin/terms') ? TERM.split('/')[0]! : INSIGHTS_YEAR,
    season: TERM.split('/')[1]!,
    key: url.includes('/sections/') ? f.sectionKey : f.frameworkKey,
    faId: String(f.focusAreaId), noteId: String(f.linkNoteId), userId: String(f.teamUserId),
    conflictId: String(f.conflictId), meetingId: String(f.meetingId), eid: String(f.evidenceId),
    fid: String(f.fileId), findingId: String(f.findingId), code: f.writingRuleCode,
    segment: 'recommendations', row: String(f.recommendationId), lang: 'cy', other: 'txt',
  }
  const value = byName[name]
  if (value === undefined) throw new Error(`no fixture value for :${name} in ${url}`)
  return value
}

/** The parameter names of a route pattern, in order. */
export const paramsOf = (url: string): string[] => [...url.matchAll(/:(\w+)/g)].map((m) => m[1]!)

/** The route with every parameter replaced by the value chosen for it (already URL-safe). */
export function fillPath(url: string, values: Record<string, string>): string {
  return url.replace(/:(\w+)/g, (_, name: string) => values[name] ?? '')
}

/** The route with the fixture's real ids in it. */
export const realPath = (f: SecurityFixture, url: string): string =>
  fillPath(url, Object.fromEntries(paramsOf(url).map((n) => [n, encodeURIComponent(realParam(f, url, n))])))

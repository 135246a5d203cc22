/**
 * Test set-up for the review loop, shared by this module's tests (service, routes, API, browser).
 * The letter is written straight into its tables, as the letters module would leave it, so these
 * tests do not depend on the builder.
 */
import { sql } from 'kysely'
import type { Services } from '../../services.ts'
import type { AppUser, Role } from '../../db/schema.ts'
import { systemActor, type UserActor } from '../auth/actor.ts'
import type { LetterModel } from '../letters/letter.model.ts'

export const TERM = '2026-2027/spring'

export const asActor = (u: AppUser): UserActor => ({ kind: 'user', id: u.id, name: u.name, email: u.email, role: u.role, authorityCode: u.authority_code })

type MakeUser = (role: Role, opts?: { authority?: string }) => Promise<AppUser>

export interface ReviewFixture {
  elvId: number
  letterId: number
  lead: UserActor
  member: UserActor
  focusAreas: Array<{ id: number; title: string }>
  /** The paragraph ids of the letter, by section key. */
  paragraphs: Record<string, number[]>
  /** Three items of different kinds and sources, enough to make a finding secure. */
  evidenceIds: number[]
}

/**
 * An ELV in drafting for `authority`: two agreed focus areas, a lead and one more HMI on the team,
 * a secure finding on each focus area, and a draft letter (version 1, one revision).
 */
export async function reviewFixture(services: Services, make: MakeUser, authority: string, text: { improvement?: string } = {}): Promise<ReviewFixture> {
  const system = systemActor('test')
  const db = services.database.db
  const lead = asActor(await make('hmi'))
  const member = asActor(await make('hmi'))
  const elv = await services.visits.create(system, { authority, term: TERM })
  await services.team.add(system, elv.id, { email: lead.email, lead: true })
  await services.team.add(system, elv.id, { email: member.email })
  const fa1 = await services.focusAreas.propose(system, elv.id, { title: 'Attendance and exclusions', description: 'How well attendance improves', source: 'authority_priority' })
  const fa2 = await services.focusAreas.propose(system, elv.id, { title: 'Additional learning needs', description: 'The ALN reforms', source: 'national_priority' })
  const now = services.clock.nowIso()
  await db.updateTable('focus_area').set({ inspectorate_agreed_at: now, authority_agreed_at: now }).where('elv_id', '=', elv.id).execute()
  const evidence = []
  for (const [kind, source] of [['meeting_note', 'Director of Education'], ['data', 'Data unit'], ['authority_document', 'Strategy']] as const) {
    evidence.push(await services.evidence.create(lead, elv.id, { kind, title: `${kind} from ${source}`, body: 'Notes', source, focusAreaIds: [fa1.id, fa2.id] }))
  }
  const evidenceIds = evidence.map((e) => e.id)
  const f1 = await services.findings.create(lead, elv.id, { focusAreaId: fa1.id, kind: 'working_well', text: 'Attendance is improving in secondary schools', evidenceIds })
  const f2 = await services.findings.create(lead, elv.id, { focusAreaId: fa2.id, kind: 'improvement', text: 'Plans for ALN lack measurable targets', evidenceIds })
  await db.updateTable('elv').set({ state: 'drafting' }).where('id', '=', elv.id).execute()

  const letter = await db.insertInto('letter').values({
    elv_id: elv.id, state: 'draft', letter_date: null, submitted_at: null, submitted_by: null, approved_at: null, approved_by: null,
    issued_at: null, issued_by: null, created_at: now, updated_at: now,
  }).returning('id').executeTakeFirstOrThrow()
  const plan: Array<{ key: string; focus: number | null; heading: [string, string]; paragraphs: Array<[string, string, number[]]> }> = [
    { key: 'opening', focus: null, heading: ['', ''], paragraphs: [['Dear Director', 'Annwyl Gyfarwyddwr', []]] },
    { key: `focus:${fa1.id}`, focus: fa1.id, heading: ['Attendance and exclusions', 'Presenoldeb a gwaharddiadau'], paragraphs: [
      ['Attendance is improving in secondary schools.', 'Mae presenoldeb yn gwella mewn ysgolion uwchradd.', [f1.id]],
    ] },
    { key: `focus:${fa2.id}`, focus: fa2.id, heading: ['Additional learning needs', 'Anghenion dysgu ychwanegol'], paragraphs: [
      [text.improvement ?? 'Plans for additional learning needs lack measurable targets.', 'Nid oes gan gynlluniau ar gyfer anghenion dysgu ychwanegol dargedau mesuradwy.', [f2.id]],
    ] },
    { key: 'closing', focus: null, heading: ['', ''], paragraphs: [['There is no follow-up activity.', 'Nid oes gweithgarwch dilynol.', []]] },
  ]
  const paragraphs: Record<string, number[]> = {}
  for (const [position, s] of plan.entries()) {
    const section = await db.insertInto('letter_section').values({
      letter_id: letter.id, position, key: s.key, focus_area_id: s.focus, heading_en: s.heading[0], heading_cy: s.heading[1],
    }).returning('id').executeTakeFirstOrThrow()
    paragraphs[s.key] = []
    for (const [i, [en, cy, findingIds]] of s.paragraphs.entries()) {
      const p = await db.insertInto('letter_paragraph').values({
        section_id: section.id, position: i, style: 'text', text_en: en, text_cy: cy, finding_ids: JSON.stringify(findingIds), fixed: findingIds.length ? 0 : 1,
      }).returning('id').executeTakeFirstOrThrow()
      paragraphs[s.key]!.push(p.id)
    }
  }
  await keepRevision(services, letter.id, lead.id, 'build')
  return { elvId: elv.id, letterId: letter.id, lead, member, focusAreas: [fa1, fa2], paragraphs, evidenceIds }
}

/** The letter as its tables hold it, in the shape the letters module snapshots. */
export async function snapshotOf(services: Services, letterId: number): Promise<LetterModel> {
  const db = services.database.db
  const letter = await db.selectFrom('letter').selectAll().where('id', '=', letterId).executeTakeFirstOrThrow()
  const sections = await db.selectFrom('letter_section').selectAll().where('letter_id', '=', letterId).orderBy('position').execute()
  const paragraphs = await db.selectFrom('letter_paragraph').selectAll().where('section_id', 'in', sections.map((s) => s.id)).orderBy('position').execute()
  return {
    id: letter.id, elvId: letter.elv_id, state: letter.state, version: letter.version, date: '2027-03-01',
    authority: { en: 'Authority', cy: 'Awdurdod' }, director: { name: 'A Director', email: 'director@example.invalid' },
    letterhead: { organisation: { en: 'Inspectorate', cy: 'Arolygiaeth' }, address: { en: '', cy: '' }, phone: '', email: '', website: '' },
    title: { en: 'Feedback', cy: 'Adborth' },
    sections: sections.map((s) => ({
      id: s.id, key: s.key, position: s.position, focusAreaId: s.focus_area_id, level: 2, findingKind: null,
      heading: { en: s.heading_en, cy: s.heading_cy }, edited: s.edited === 1, translation: { original: null, current: true },
      paragraphs: paragraphs.filter((p) => p.section_id === s.id).map((p) => ({
        id: p.id, style: p.style, text: { en: p.text_en, cy: p.text_cy }, findingIds: JSON.parse(p.finding_ids) as number[], fixed: p.fixed === 1,
      })),
    })),
  }
}

async function keepRevision(services: Services, letterId: number, userId: number | null, note: string): Promise<void> {
  const model = await snapshotOf(services, letterId)
  await services.database.db.insertInto('letter_revision').values({
    letter_id: letterId, number: model.version, state: model.state, snapshot: JSON.stringify(model), note, created_by: userId, created_at: services.clock.nowIso(),
  }).execute()
}

/**
 * What a save by the letters module does: changes a paragraph's text, moves the version on (an
 * approved letter back to review) and keeps a revision.
 */
export async function editParagraph(services: Services, letterId: number, paragraphId: number, text: { en?: string; cy?: string }, userId: number): Promise<void> {
  const db = services.database.db
  if (text.en !== undefined) await db.updateTable('letter_paragraph').set({ text_en: text.en }).where('id', '=', paragraphId).execute()
  if (text.cy !== undefined) await db.updateTable('letter_paragraph').set({ text_cy: text.cy }).where('id', '=', paragraphId).execute()
  const letter = await db.selectFrom('letter').select('state').where('id', '=', letterId).executeTakeFirstOrThrow()
  await db.updateTable('letter').set({
    version: sql<number>`version + 1`, updated_at: services.clock.nowIso(), ...(letter.state === 'approved' ? { state: 'in_review', approved_at: null, approved_by: null } : {}),
  }).where('id', '=', letterId).execute()
  await keepRevision(services, letterId, userId, 'edit')
}

/** A finding on the first focus area resting on one item only: not secure, so it holds the visit out of quality assurance. */
export async function addInsecureFinding(services: Services, f: ReviewFixture, text: string): Promise<void> {
  await services.findings.create(f.lead, f.elvId, { focusAreaId: f.focusAreas[0]!.id, kind: 'improvement', text, evidenceIds: [f.evidenceIds[0]!] })
}

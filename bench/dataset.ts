/**
 * The benchmark data set: the 22 authorities over two inspection cycles (the last one, 2018-2024,
 * and the current one), two ELVs per authority in each (88 ELVs), in the states they would be in
 * today: every ELV of the last cycle and the current cycle's past terms issued or closed with
 * their letters, this term's visits in fieldwork, drafting and quality assurance, the next terms'
 * prepared, focus agreed, notified and planned. Around them: BENCH_DATASET_USERS users (admins,
 * reviewers, HMIs, peer inspectors, authority users) in teams, focus areas, timetables, link
 * notes, providers, the notification e-mails, BENCH_DATASET_ITEMS evidence items (the search
 * corpus's generator: bench/search-corpus.ts), findings linked to evidence that triangulates,
 * letters built by the letters service itself, and the core inspections of every authority for
 * the Early Insights year (the academic year before the current one).
 *
 * Seeded, and written with prepared statements in large transactions (the letters through the
 * service, so their model is what the app builds). Built once per set of parameters (size, users,
 * seed, the current term) and schema, kept in BENCH_DATA_DIR, and reused; the HTTP benchmark runs
 * the app over a copy, so the kept one never changes.
 *
 *   BENCH_DATASET_ITEMS   evidence items (default 100000)
 *   BENCH_DATASET_USERS   users (default 200)
 *   BENCH_DATASET_SEED    the generator's seed (default 1)
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { loadConfig } from '../src/config.ts'
import { connectDatabase, sqliteHandle } from '../src/db/connect.ts'
import type { Database } from '../src/db/database.ts'
import { createServices, type Services } from '../src/services.ts'
import { bootstrap } from '../src/bootstrap.ts'
import { systemActor, type UserActor } from '../src/modules/auth/actor.ts'
import { patternTermDates, termSeeds } from '../src/modules/reference/reference.data.ts'
import { CURRENT_FRAMEWORK } from '../src/modules/link-notes/link-notes.service.ts'
import { CURRENT_CYCLE } from '../src/modules/visits/visits.rules.ts'
import { FINDING_KINDS, SEASONS, type ElvState, type Role } from '../src/db/schema.ts'
import {
  benchDataDir, publish, random, readCorpusMarker, schemaHash, vocabulary, workingDir, writeCorpusMarker, writeEvidence, type CorpusInfo, type RawDb,
} from './search-corpus.ts'
import { inspection, THEMES } from './insights.ts'

/** Bump when the generated data changes shape, so old cached data sets are not reused. */
export const DATASET_VERSION = 1
/** Every user's password: the data set is fictional and only ever served on loopback. */
export const DATASET_PASSWORD = 'bench-data-set-password'
export const DATASET_DOMAIN = 'bench.cyswllt.invalid'
const PREVIOUS_CYCLE = '2018-2024'

export interface DataSetParams {
  items: number
  users: number
  seed: number
  /** The term the data set's "now" falls in (today's, within the current cycle): states follow from it. */
  currentTerm: string
}

/** What the page benchmarks open: a user and the visits and year whose pages are the main ones. */
export interface DataSetPages {
  /** An HMI leading the visit being drafted and on the team of this term's other visits. */
  email: string
  /** An ELV in fieldwork: its overview is the workspace page, its evidence what is searched. */
  workspaceElvId: number
  searchElvId: number
  /** An ELV in drafting with its letter built: the letter tab. */
  letterElvId: number
  /** The Early Insights year with every authority's core inspection. */
  insightsYear: string
}

export interface DataSetInfo extends CorpusInfo {
  params: DataSetParams
  cycles: string[]
  users: Record<Role, number>
  states: Partial<Record<ElvState, number>>
  counts: Record<string, number>
  pages: DataSetPages
  generatorVersion: number
  fileMiB?: number
}

function count(name: string, fallback: number): number {
  const raw = process.env[name]
  const n = raw ? Number(raw) : fallback
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive whole number, not "${raw}"`)
  return n
}

// ---- dates ----------------------------------------------------------------------------------

const DAY = 86_400_000
const addDays = (iso: string, n: number) => new Date(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10)
const dayOfWeek = (iso: string) => new Date(`${iso}T00:00:00Z`).getUTCDay()
const at = (iso: string, hour = 9) => `${iso.slice(0, 10)}T${String(hour).padStart(2, '0')}:00:00.000Z`

interface TermRow { key: string; academicYear: string; season: string; start: string; end: string }

/** The previous cycle's terms by the usual pattern, and the current cycle's as the reference data seeds them. */
function cycleTerms(): { previous: TermRow[]; current: TermRow[] } {
  const previous: TermRow[] = []
  for (let y = 2018; y < 2024; y++) {
    const year = `${y}-${y + 1}`
    const dates = patternTermDates(year)
    for (const season of SEASONS) previous.push({ key: `${year}/${season}`, academicYear: year, season, start: dates[season][0], end: dates[season][1] })
  }
  const current = termSeeds().map((t) => ({ key: t.key, academicYear: t.academicYear, season: t.season, start: t.startsOn, end: t.endsOn }))
  return { previous, current }
}

/** Today's term in the current cycle (the next one in a holiday), kept far enough from either end for every state to occur. */
function currentTermIndex(terms: readonly TermRow[], today: string): number {
  const i = terms.findIndex((t) => today <= t.end)
  return Math.min(Math.max(i < 0 ? terms.length - 1 : i, 2), terms.length - 4)
}

export function dataSetParams(today = new Date().toISOString().slice(0, 10)): DataSetParams {
  const { current } = cycleTerms()
  return {
    items: count('BENCH_DATASET_ITEMS', 100_000),
    users: count('BENCH_DATASET_USERS', 200),
    seed: count('BENCH_DATASET_SEED', 1),
    currentTerm: current[currentTermIndex(current, today)]!.key,
  }
}

export function dataSetDir(p: DataSetParams): string {
  return path.join(benchDataDir(), `dataset-${p.items}-${p.users}u-s${p.seed}-${p.currentTerm.replace('/', '-')}-v${DATASET_VERSION}-${schemaHash()}`)
}

// ---- words ----------------------------------------------------------------------------------

const FIRST = 'Anwen Bryn Carys Dafydd Eleri Ffion Gareth Heledd Iwan Llinos Mared Nia Osian Rhian Siôn Tomos Aled Beca Cerys Dylan Elin Gethin Huw Lowri Meinir Rhys Sioned Tegwen Alys Geraint'.split(' ')
const LAST = 'Jones Davies Evans Williams Thomas Roberts Hughes Lewis Morgan Griffiths Price Owen Rees Jenkins Powell Parry Pritchard Vaughan Bowen Howells'.split(' ')

const FOCUS_AREAS = [
  ['Attendance in secondary schools', 'The impact of the attendance strategy on persistent absence.', '1.2'],
  ['Support for learners with additional learning needs', 'How consistently schools are supported to put the new ALN system in place.', '1.2'],
  ['Self-evaluation and improvement planning', 'How well the authority knows its strengths and what it needs to improve.', '2.2'],
  ['Welsh-medium growth', 'How well the authority plans for more Welsh-medium places.', '2.1'],
  ['Support for schools causing concern', 'How well the authority helps schools causing concern to improve.', '1.1'],
  ['Safeguarding in education services', 'How well safeguarding arrangements are led, checked and acted on.', '2.3'],
  ['Exclusions and education other than at school', 'The use of exclusions and the quality of provision for pupils out of school.', '1.3'],
  ['Use of resources for school improvement', 'How grants and the school improvement budget are targeted and evaluated.', '2.4'],
  ['The impact of poverty on attainment', 'How the authority and its schools reduce the effect of poverty on learners’ outcomes.', '1.1'],
  ['Scrutiny by elected members', 'How well elected members challenge and support education services.', '2.1'],
] as const

const WORKING_WELL = [
  'Officers know their schools well and use what they know to target support for {topic}.',
  'Leaders have a clear vision for {topic} that headteachers understand and share.',
  'The authority’s work on {topic} is evaluated carefully and its plans are adjusted in response.',
  'Headteachers value the challenge and support they receive on {topic} from officers.',
  'Partnership working across services strengthens the support for {topic}.',
  'Elected members receive useful information about {topic} and use it to ask searching questions.',
]
const IMPROVEMENT = [
  'The authority does not evaluate the impact of its work on {topic} well enough.',
  'Plans for {topic} do not identify clearly enough what success will look like.',
  'Support for {topic} varies too much between schools.',
  'Officers do not share information about {topic} across services in a timely way.',
  'Data about {topic} is not used consistently to identify schools that need more help.',
  'The pace of improvement in {topic} has been too slow in a few schools.',
]
const MEETINGS = [
  'Opening meeting with the director', 'Officers for the first focus area', 'Headteachers’ group', 'Cabinet member for education',
  'Officers for the second focus area', 'Scrutiny committee chair', 'Learners’ voice group', 'Feedback to the director',
]
const NOTE_TITLES = ['Termly link meeting', 'Briefing on the attendance strategy', 'Concern about school budgets', 'Scrutiny committee observed', 'Update on ALN reforms', 'Welsh in Education Strategic Plan review', 'Headteachers’ forum', 'Self-evaluation shared']
const PROVIDER_KINDS = ['primary', 'primary', 'primary', 'secondary', 'all_age', 'special', 'pupil_referral_unit'] as const

// ---- the generator --------------------------------------------------------------------------

interface ElvPlan {
  id: number
  authority: string
  authorityIndex: number
  cycle: string
  ordinal: 1 | 2
  term: TermRow
  /** Position on the line of terms: previous cycle 0..17, current 18..35. */
  position: number
  state: ElvState
  day1: string
  day2: string
  lead: number
  team: number[]
  focusAreas: number[]
}

/** The states an ELV passes through, in order, up to and including `state`. */
const PATH: ElvState[] = ['planned', 'notified', 'focus_agreed', 'prepared', 'fieldwork', 'drafting', 'quality_assurance', 'issued', 'closed']
const reached = (state: ElvState, step: ElvState) => PATH.indexOf(state) >= PATH.indexOf(step)

/**
 * Fills a bootstrapped, empty database. Returns what was made, for the marker, and the pages to open.
 */
export async function generateDataSet(services: Services, raw: RawDb, p: DataSetParams, progress: (what: string) => void): Promise<Omit<DataSetInfo, 'reused' | 'generateSeconds' | 'generatorVersion' | 'params'>> {
  const rnd = random(p.seed * 7919 + 17)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!
  const { previous, current } = cycleTerms()
  const currentIndex = current.findIndex((t) => t.key === p.currentTerm)
  if (currentIndex < 0) throw new Error(`${p.currentTerm} is not a term of the current cycle`)
  const nowDay = current[currentIndex]!.start
  const counts: Record<string, number> = {}
  const bump = (k: string, n = 1) => { counts[k] = (counts[k] ?? 0) + n }
  const lastId = (r: unknown) => Number((r as { lastInsertRowid: number | bigint }).lastInsertRowid)

  const authorities = (raw.prepare('select gss_code, name_en from local_authority order by gss_code').all() as Array<{ gss_code: string; name_en: string }>)
  if (authorities.length !== 22) throw new Error(`the data set needs the 22 authorities seeded, not ${authorities.length}`)

  // The insights year's core inspections first, through the service (its bundle import), so they are what the app records.
  const insightsYear = current[currentIndex]!.academicYear.replace(/^(\d{4})-(\d{4})$/, (_, a: string, b: string) => `${Number(a) - 1}-${Number(b) - 1}`)
  const next = random(p.seed)
  const bundle = { themes: THEMES.map(([key, en, cy]) => ({ key, en, cy })), coreInspections: authorities.map((a, n) => inspection(a.gss_code, insightsYear, n, next)) }
  const imported = await services.coreInspections.importBundle(systemActor('bench'), bundle)
  counts.coreInspections = imported.created
  progress(`${imported.created} core inspections for ${insightsYear}`)

  // ---- users
  const admin = raw.prepare("select id, password_hash from app_user where role = 'admin' order by id limit 1").get() as { id: number; password_hash: string }
  const share = (f: number, least: number) => Math.max(least, Math.round(p.users * f))
  const roleCounts: Record<Role, number> = { admin: share(0.02, 1), reviewer: share(0.06, 1), hmi: share(0.25, 3), peer: share(0.22, 2), la: 0 }
  roleCounts.la = Math.max(1, p.users - roleCounts.admin - roleCounts.reviewer - roleCounts.hmi - roleCounts.peer)
  const insertUser = raw.prepare(`insert into app_user (email, name, role, authority_code, password_hash, disabled, welsh_speaker, max_elvs_per_term, version, created_at, updated_at)
    values (?, ?, ?, ?, ?, 0, ?, ?, 1, ?, ?)`)
  const byRole: Record<Role, number[]> = { admin: [admin.id], reviewer: [], hmi: [], peer: [], la: [] }
  const userAuthority = new Map<number, string>()
  const names = new Map<number, string>([[admin.id, 'Administrator']])
  const created = at(previous[0]!.start)
  raw.transaction(() => {
    let n = 0
    for (const role of ['admin', 'reviewer', 'hmi', 'peer', 'la'] as const) {
      const have = byRole[role].length
      for (let i = have; i < roleCounts[role]; i++) {
        const name = `${FIRST[n % FIRST.length]} ${LAST[Math.floor(n / FIRST.length) % LAST.length]}${n >= FIRST.length * LAST.length ? ` ${n}` : ''}`
        const authority = role === 'peer' || role === 'la' ? authorities[i % 22]!.gss_code : null
        const id = lastId(insertUser.run(`${role}.${i + 1}@${DATASET_DOMAIN}`, name, role, authority, admin.password_hash,
          role === 'hmi' || role === 'peer' ? (rnd() < 0.4 ? 1 : 0) : 0, role === 'hmi' && rnd() < 0.3 ? 2 : 1, created, created))
        byRole[role].push(id)
        names.set(id, name)
        if (authority) userAuthority.set(id, authority)
        n++
      }
    }
  })()
  counts.users = Object.values(byRole).reduce((s, xs) => s + xs.length, 0)
  const hmis = byRole.hmi
  const peers = byRole.peer
  const reviewers = byRole.reviewer

  // ---- authorities: directors, link inspectors, Welsh-medium ones; the previous cycle's terms
  const updateAuthority = raw.prepare('update local_authority set director_name = ?, director_email = ?, link_inspector_id = ?, welsh_medium = ?, preferred_language = ? where gss_code = ?')
  const insertYear = raw.prepare('insert into academic_year (key, starts_on, ends_on) values (?, ?, ?) on conflict (key) do nothing')
  const insertTerm = raw.prepare('insert into term (key, academic_year, season, starts_on, ends_on, version, updated_at) values (?, ?, ?, ?, ?, 1, ?) on conflict (key) do nothing')
  const linkInspector = new Map<string, number>()
  raw.transaction(() => {
    authorities.forEach((a, i) => {
      const welsh = i % 3 === 0
      linkInspector.set(a.gss_code, hmis[i % hmis.length]!)
      updateAuthority.run(`${pick(FIRST)} ${pick(LAST)}`, `director.${a.gss_code.toLowerCase()}@${DATASET_DOMAIN}`, hmis[i % hmis.length], welsh ? 1 : 0, welsh ? 'cy' : 'en', a.gss_code)
    })
    for (let y = 0; y < previous.length; y += 3) {
      const year = previous.slice(y, y + 3)
      insertYear.run(year[0]!.academicYear, year[0]!.start, year[2]!.end)
      for (const t of year) insertTerm.run(t.key, t.academicYear, t.season, t.start, t.end, at(t.start))
    }
  })()

  // ---- ELVs: authority i's first visit in term floor(i * 9 / 22) of the cycle, its second nine terms later
  const currentPosition = previous.length + currentIndex
  const line = [...previous, ...current]
  const plans: ElvPlan[] = []
  const insertElv = raw.prepare(`insert into elv (authority_code, cycle, ordinal, term_key, visit_day1, visit_day2, state, state_reason, notified_at, notified_by,
    late_notification_reason, focus_count_reason, version, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, null, ?, ?, null, null, ?, ?, ?)`)
  const inProgress: ElvState[] = ['drafting', 'fieldwork', 'quality_assurance']
  const thisTerm: number[] = []
  for (const [c, cycle] of [PREVIOUS_CYCLE, CURRENT_CYCLE].entries()) {
    for (const ordinal of [1, 2] as const) {
      authorities.forEach((a, i) => {
        const position = c * previous.length + Math.floor((i * 9) / 22) + (ordinal - 1) * 9
        const term = line[position]!
        // Tuesday and Wednesday of a week between the third and the tenth of the term.
        let day1 = addDays(term.start, 14 + 7 * (i % 8))
        while (dayOfWeek(day1) !== 2) day1 = addDays(day1, 1)
        if (day1 >= term.end) day1 = addDays(term.start, 9)
        const offset = position - currentPosition
        let state: ElvState
        if (offset < -1) state = 'closed'
        else if (offset === -1) state = 'issued'
        else if (offset === 0) state = inProgress[thisTerm.push(i) - 1] ?? 'fieldwork'
        else state = (['prepared', 'focus_agreed', 'notified'] as const)[offset - 1] ?? 'planned'
        const lead = linkInspector.get(a.gss_code)!
        plans.push({ id: 0, authority: a.gss_code, authorityIndex: i, cycle, ordinal, term, position, state, day1, day2: addDays(day1, 1), lead, team: [], focusAreas: [] })
      })
    }
  }
  raw.transaction(() => {
    for (const e of plans) {
      const made = at(addDays(line[Math.max(0, e.position - 3)]!.start, 7))
      const notified = reached(e.state, 'notified')
      e.id = lastId(insertElv.run(e.authority, e.cycle, e.ordinal, e.term.key, e.day1, e.day2, e.state,
        notified ? at(line[Math.max(0, e.position - 1)]!.start, 10) : null, notified ? e.lead : null, PATH.indexOf(e.state) + 1, made, made))
    }
  })()
  counts.elvs = plans.length
  const states: Partial<Record<ElvState, number>> = {}
  for (const e of plans) states[e.state] = (states[e.state] ?? 0) + 1
  progress(`${plans.length} ELVs (${Object.entries(states).map(([s, n]) => `${n} ${s}`).join(', ')})`)

  // ---- teams, focus areas, timetables, notifications, the ELVs' history
  const recommendations = new Map<string, number>()
  for (const r of raw.prepare(`select ci.authority_code, cr.id from core_recommendation cr join core_inspection ci on ci.id = cr.core_inspection_id
    where ci.academic_year = ? and cr.code = 'R1'`).all(insightsYear) as Array<{ authority_code: string; id: number }>) recommendations.set(r.authority_code, r.id)
  const insightsYearEnd = `${insightsYear.slice(5)}-09-01`
  const insertMember = raw.prepare('insert into elv_team_member (elv_id, user_id, is_lead, override_reason, added_by, added_at) values (?, ?, ?, null, ?, ?)')
  const insertFocus = raw.prepare(`insert into focus_area (elv_id, position, title, description, source, recommendation_id, framework_key, framework_area_code,
    proposed_by_side, proposed_by, proposed_at, inspectorate_agreed_by, inspectorate_agreed_at, authority_agreed_by, authority_agreed_at, withdrawn_at, version)
    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, null, 1)`)
  const insertMeeting = raw.prepare(`insert into meeting (elv_id, day, start_time, end_time, title, place, video_link, version, created_at, updated_at)
    values (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`)
  const insertAttendee = raw.prepare('insert into meeting_attendee (meeting_id, name, role, kind, suggested_by_authority) values (?, ?, ?, ?, ?)')
  const insertMeetingInspector = raw.prepare('insert into meeting_inspector (meeting_id, user_id) values (?, ?)')
  const insertMeetingFocus = raw.prepare('insert into meeting_focus_area (meeting_id, focus_area_id) values (?, ?)')
  const insertOutbox = raw.prepare(`insert into outbox (to_address, subject, text_body, html_body, entity_type, entity_id, created_at, sent_at, attempts, last_error, claimed_until)
    values (?, ?, ?, ?, 'elv', ?, ?, ?, 1, null, null)`)
  const insertAudit = raw.prepare(`insert into audit_event (at, actor_id, actor_label, action, entity_type, entity_id, details) values (?, ?, ?, ?, 'elv', ?, ?)`)
  const laOf = (gss: string) => byRole.la.find((u) => userAuthority.get(u) === gss) ?? byRole.la[0]!
  const pageUser = plans.find((e) => e.position === currentPosition && e.state === 'drafting')!.lead
  raw.transaction(() => {
    for (const e of plans) {
      const authorityName = authorities[e.authorityIndex]!.name_en
      const notifiedAt = at(line[Math.max(0, e.position - 1)]!.start, 10)
      insertAudit.run(at(addDays(line[Math.max(0, e.position - 3)]!.start, 7)), null, 'system', 'elv.create', String(e.id), JSON.stringify({ authority: e.authority, term: e.term.key, ordinal: e.ordinal }))
      for (let s = 1; s <= PATH.indexOf(e.state); s++) {
        const when = s <= 3 ? addDays(notifiedAt, 14 * (s - 1)) : addDays(e.day1, 7 * (s - 4))
        insertAudit.run(at(when, 11), e.lead, names.get(e.lead)!, 'elv.transition', String(e.id), JSON.stringify({ from: PATH[s - 1], to: PATH[s], reason: null }))
        bump('auditEvents')
      }
      if (!reached(e.state, 'notified')) continue
      insertOutbox.run(`director.${e.authority.toLowerCase()}@${DATASET_DOMAIN}`, `Enhanced link visit to ${authorityName} / Ymweliad cyswllt gwell â ${authorityName}`,
        `Dear director, this is to notify you of an enhanced link visit to ${authorityName} in the ${e.term.season} term of ${e.term.academicYear}.`,
        `<p>Dear director, this is to notify you of an enhanced link visit to ${authorityName} in the ${e.term.season} term of ${e.term.academicYear}.</p>`,
        String(e.id), notifiedAt, notifiedAt)
      bump('outbox')

      // Two focus areas: one proposed by each side; agreed by both from focus_agreed on.
      const agreed = reached(e.state, 'focus_agreed')
      const la = laOf(e.authority)
      const first = (e.authorityIndex + e.ordinal * 3 + (e.cycle === CURRENT_CYCLE ? 5 : 0)) % FOCUS_AREAS.length
      for (const position of [1, 2]) {
        const [title, description, area] = FOCUS_AREAS[(first + (position - 1) * 4) % FOCUS_AREAS.length]!
        const fromAuthority = position === 1
        const proposedAt = addDays(notifiedAt, 7)
        const rec = position === 2 && e.term.start >= insightsYearEnd ? recommendations.get(e.authority) : undefined
        const id = lastId(insertFocus.run(e.id, position, title, description,
          rec ? 'core_recommendation' : fromAuthority ? 'authority_priority' : 'inspectorate_identified', rec ?? null, CURRENT_FRAMEWORK, area,
          fromAuthority ? 'authority' : 'inspectorate', fromAuthority ? la : e.lead, at(proposedAt),
          agreed || !fromAuthority ? e.lead : null, agreed || !fromAuthority ? at(addDays(proposedAt, 2)) : null,
          agreed ? la : null, agreed ? at(addDays(proposedAt, 3)) : null))
        e.focusAreas.push(id)
        bump('focusAreas')
      }
      if (!agreed) continue

      // The team: the link inspector leading, another HMI and a peer inspector from another authority.
      const otherHmi = hmis[(e.authorityIndex + 7 + e.ordinal * 5 + (e.cycle === CURRENT_CYCLE ? 11 : 0)) % hmis.length]!
      let peer = peers[(e.authorityIndex * 3 + e.ordinal) % peers.length]!
      if (userAuthority.get(peer) === e.authority) peer = peers[(peers.indexOf(peer) + 1) % peers.length]!
      e.team = [...new Set([e.lead, otherHmi, peer])]
      // The page user also works on the other visits of this term.
      if (e.position === currentPosition && !e.team.includes(pageUser)) e.team.push(pageUser)
      const addedAt = at(addDays(notifiedAt, 21))
      for (const u of e.team) { insertMember.run(e.id, u, u === e.lead ? 1 : 0, e.lead, addedAt); bump('teamMembers') }
      if (!reached(e.state, 'prepared')) continue

      // Eight meetings over the two days, each with its attendees, inspectors and focus areas.
      MEETINGS.forEach((title, m) => {
        const day = m < 4 ? 1 : 2
        const hour = 9 + (m % 4) * 2
        const id = lastId(insertMeeting.run(e.id, day, `${String(hour).padStart(2, '0')}:00`, `${String(hour + 1).padStart(2, '0')}:00`, title,
          m % 3 === 2 ? null : `Civic Centre, ${authorityName}`, m % 3 === 2 ? `https://meet.${DATASET_DOMAIN}/${e.id}-${m}` : null, addedAt, addedAt))
        for (let k = 0; k < 2 + (m % 2); k++) {
          insertAttendee.run(id, `${pick(FIRST)} ${pick(LAST)}`, pick(['Director of education', 'Head of inclusion', 'Headteacher', 'Cabinet member', 'Challenge adviser']),
            pick(['officer', 'officer', 'stakeholder', 'elected_member']), rnd() < 0.3 ? 1 : 0)
          bump('attendees')
        }
        for (const u of e.team.slice(m % 2, (m % 2) + 2)) insertMeetingInspector.run(id, u)
        for (const fa of m === 0 || m === 7 ? e.focusAreas : [e.focusAreas[m % 2]!]) insertMeetingFocus.run(id, fa)
        bump('meetings')
      })
    }
  })()
  progress(`${counts.teamMembers ?? 0} team places, ${counts.focusAreas ?? 0} focus areas, ${counts.meetings ?? 0} meetings`)

  // ---- link notes and providers
  const vocab = vocabulary()
  const names2 = vocab.words.slice(vocab.midBand[0], vocab.midBand[1])
  const capital = (w: string) => w.charAt(0).toUpperCase() + w.slice(1)
  const insertNote = raw.prepare(`insert into link_note (authority_code, author_id, noted_on, kind, title, body, framework_area_code, themes, version, created_at, updated_at)
    values (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`)
  const insertProvider = raw.prepare(`insert into provider (authority_code, reference, name, kind, last_inspected_on, summary, report_url, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?)`)
  raw.transaction(() => {
    authorities.forEach((a, i) => {
      for (let n = 0; n < 12; n++) {
        const noted = addDays(line[Math.floor((n / 12) * (currentPosition + 1))]!.start, 20)
        insertNote.run(a.gss_code, linkInspector.get(a.gss_code), noted, pick(['meeting', 'briefing', 'concern', 'other']), pick(NOTE_TITLES),
          `Notes of the link inspector. ${pick(WORKING_WELL).replace('{topic}', pick(FOCUS_AREAS)[0].toLowerCase())}`, pick(FOCUS_AREAS)[2],
          JSON.stringify([pick(THEMES)[0]]), at(noted), at(noted))
        bump('linkNotes')
      }
      for (let n = 0; n < 30; n++) {
        const kind = pick(PROVIDER_KINDS)
        const place = capital(names2[(i * 30 + n) % names2.length]!)
        const name = kind === 'primary' ? `Ysgol Gynradd ${place}` : kind === 'secondary' ? `${place} High School` : kind === 'special' ? `Ysgol ${place} (special)` : `Ysgol ${place}`
        const inspected = addDays(nowDay, -Math.floor(rnd() * 2000))
        insertProvider.run(a.gss_code, `${a.gss_code}-${String(n + 1).padStart(3, '0')}`, name, kind, inspected,
          'Summary of the last inspection: strengths in teaching and care; recommendations on attendance and self-evaluation.', `https://reports.${DATASET_DOMAIN}/providers/${a.gss_code}-${n + 1}`, at(inspected))
        bump('providers')
      }
    })
  })()

  // ---- evidence: every visit from fieldwork on, in visit order; recorded from four weeks before the visit to a week after
  const withEvidence = plans.filter((e) => reached(e.state, 'fieldwork')).sort((a, b) => a.day1.localeCompare(b.day1) || a.id - b.id)
  const block = p.items / withEvidence.length
  const elvAt = (id: number) => withEvidence[Math.min(withEvidence.length - 1, Math.floor((id - 1) / block))]!
  let reported = 0
  writeEvidence(raw, {
    items: p.items,
    rnd: random(p.seed * 104729 + 3),
    recordedAt: (id) => {
      const e = elvAt(id)
      const from = Date.parse(at(addDays(e.day1, -28), 8))
      const share = ((id - 1) % block) / block
      return from + Math.floor(share * 35 * DAY)
    },
    elvOf: (id) => elvAt(id).id,
    recorderOf: (() => {
      const byElv = new Map(plans.map((e) => [e.id, e.team.length ? e.team : [e.lead]]))
      let n = 0
      return (elvId: number) => { const team = byElv.get(elvId)!; return team[n++ % team.length]! }
    })(),
    progress: (done) => {
      if (done - reported < p.items / 4 && done !== p.items) return
      reported = done
      progress(`${done.toLocaleString('en-GB')} evidence items`)
    },
  })
  counts.evidence = p.items

  // Most evidence bears on one of the visit's focus areas.
  const insertEvidenceFocus = raw.prepare('insert into evidence_focus_area (evidence_id, focus_area_id) values (?, ?)')
  const focusOf = new Map(plans.map((e) => [e.id, e.focusAreas]))
  const evidenceRows = raw.prepare('select id, elv_id, kind, source from evidence order by id').all() as Array<{ id: number; elv_id: number; kind: string; source: string }>
  const byElvAndFocus = new Map<string, typeof evidenceRows>()
  raw.transaction(() => {
    for (const r of evidenceRows) {
      const fas = focusOf.get(r.elv_id) ?? []
      if (!fas.length || rnd() >= 0.7) continue
      const fa = fas[r.id % fas.length]!
      insertEvidenceFocus.run(r.id, fa)
      const key = `${r.elv_id}:${fa}`
      const list = byElvAndFocus.get(key)
      if (list) list.push(r)
      else byElvAndFocus.set(key, [r])
      bump('evidenceFocusLinks')
    }
  })()

  // ---- findings: six a focus area once written up (three of each kind), four while in fieldwork; each on evidence that triangulates
  const insertFinding = raw.prepare(`insert into finding (elv_id, focus_area_id, kind, text, created_by, created_at, updated_at, version) values (?, ?, ?, ?, ?, ?, ?, 1)`)
  const insertFindingEvidence = raw.prepare('insert into finding_evidence (finding_id, evidence_id) values (?, ?)')
  const insertFindingTheme = raw.prepare('insert into finding_theme (finding_id, theme_id) values (?, ?)')
  const themeIds = (raw.prepare('select id from theme where merged_into_id is null order by id').all() as Array<{ id: number }>).map((t) => t.id)
  raw.transaction(() => {
    for (const e of withEvidence) {
      const perKind = e.state === 'fieldwork' ? 1 : 3
      e.focusAreas.forEach((fa, f) => {
        const topic = (FOCUS_AREAS.find(([title]) => title === (raw.prepare('select title from focus_area where id = ?').get(fa) as { title: string }).title)?.[0] ?? 'the focus area').toLowerCase()
        const pool = byElvAndFocus.get(`${e.id}:${fa}`) ?? []
        for (const kind of FINDING_KINDS) {
          for (let k = 0; k < perKind; k++) {
            const template = (kind === 'working_well' ? WORKING_WELL : IMPROVEMENT)[(k * 2 + f + e.authorityIndex) % 6]!
            const when = at(addDays(e.day2, e.state === 'fieldwork' ? 0 : 3), 15)
            const id = lastId(insertFinding.run(e.id, fa, kind, template.replace('{topic}', topic), e.lead, when, when))
            // At least three items of two kinds from two sources: secure at the default threshold.
            const chosen: typeof pool = []
            const start = Math.floor(rnd() * Math.max(1, pool.length))
            for (let j = 0; j < pool.length && chosen.length < 4; j++) {
              const item = pool[(start + j) % pool.length]!
              const kinds = new Set(chosen.map((c) => c.kind))
              const sources = new Set(chosen.map((c) => c.source))
              if (chosen.length < 2 || (kinds.size > 1 || !kinds.has(item.kind)) && (sources.size > 1 || !sources.has(item.source))) chosen.push(item)
            }
            for (const c of chosen) insertFindingEvidence.run(id, c.id)
            if (themeIds.length) insertFindingTheme.run(id, themeIds[(id + f) % themeIds.length])
            bump('findings')
            bump('findingEvidenceLinks', chosen.length)
          }
        }
      })
    }
  })()
  progress(`${counts.findings ?? 0} findings`)

  // ---- letters, built by the letters service from the secure findings while each visit is in drafting, then moved on to its state
  const lettered = withEvidence.filter((e) => reached(e.state, 'drafting'))
  const setState = raw.prepare('update elv set state = ? where id = ?')
  const users = new Map((raw.prepare('select id, name, email, role, authority_code from app_user').all() as Array<{ id: number; name: string; email: string; role: Role; authority_code: string | null }>)
    .map((u) => [u.id, { kind: 'user', id: u.id, name: u.name, email: u.email, role: u.role, authorityCode: u.authority_code } satisfies UserActor]))
  for (const e of lettered) setState.run('drafting', e.id)
  for (const e of lettered) {
    await services.letters.build(users.get(e.lead)!, e.id, {})
    bump('letters')
  }
  const letterOf = raw.prepare('select id from letter where elv_id = ?')
  const review = raw.prepare('update letter set state = ?, submitted_at = ?, submitted_by = ?, approved_at = ?, approved_by = ?, issued_at = ?, issued_by = ?, letter_date = ?, created_at = ?, updated_at = ? where id = ?')
  const bilingual = raw.prepare("update letter_paragraph set text_cy = text_en where text_cy = '' and section_id in (select id from letter_section where letter_id = ?)")
  const bilingualHeadings = raw.prepare("update letter_section set heading_cy = case when heading_cy = '' then heading_en else heading_cy end, translation_current = 1, cy_revised_at = en_revised_at where letter_id = ?")
  const revisionTimes = raw.prepare('update letter_revision set created_at = ? where letter_id = ?')
  raw.transaction(() => {
    for (const e of lettered) {
      setState.run(e.state, e.id)
      const letterId = (letterOf.get(e.id) as { id: number }).id
      const drafted = at(addDays(e.day2, 7), 10)
      const submitted = e.state === 'drafting' ? null : at(addDays(e.day2, 21), 10)
      const issued = reached(e.state, 'issued') ? addDays(e.day2, 35) : null
      const reviewer = reviewers[e.authorityIndex % reviewers.length]!
      const state = issued ? 'issued' : submitted ? 'in_review' : 'draft'
      review.run(state, submitted, submitted ? e.lead : null, issued ? at(addDays(e.day2, 30)) : null, issued ? reviewer : null,
        issued ? at(issued, 12) : null, issued ? e.lead : null, issued, drafted, issued ? at(issued, 12) : submitted ?? drafted, letterId)
      revisionTimes.run(drafted, letterId)
      // Written in both languages before review; the drafts still have their Welsh to write.
      if (submitted) { bilingual.run(letterId); bilingualHeadings.run(letterId) }
      bump(`letters.${state}`)
    }
  })()
  progress(`${counts.letters ?? 0} letters built by the letters service`)

  const workspace = plans.find((e) => e.position === currentPosition && e.state === 'fieldwork') ?? plans.find((e) => e.position === currentPosition && e.state === 'drafting')!
  const letter = plans.find((e) => e.position === currentPosition && e.state === 'drafting')!
  return {
    items: p.items, elvs: plans.length, authorities: authorities.length, vocabulary: vocab.words.length,
    cycles: [PREVIOUS_CYCLE, CURRENT_CYCLE],
    users: Object.fromEntries(Object.entries(byRole).map(([r, ids]) => [r, ids.length])) as Record<Role, number>,
    states, counts,
    pages: {
      email: (raw.prepare('select email from app_user where id = ?').get(pageUser) as { email: string }).email,
      workspaceElvId: workspace.id, searchElvId: workspace.id, letterElvId: letter.id, insightsYear,
    },
  }
}

// ---- the cache ------------------------------------------------------------------------------

function configFor(dataDir: string) {
  return loadConfig({
    NODE_ENV: 'production', DATA_DIR: dataDir, COOKIE_SECRET: randomBytes(32).toString('hex'),
    CYSWLLT_ADMIN_EMAIL: `admin@${DATASET_DOMAIN}`, CYSWLLT_ADMIN_PASSWORD: DATASET_PASSWORD, LOG_LEVEL: 'warn',
  })
}

/** The data set for these parameters, generated on first use and reused afterwards. */
export async function dataSet(params: DataSetParams = dataSetParams()): Promise<{ dir: string; info: DataSetInfo }> {
  const dir = dataSetDir(params)
  const existing = readCorpusMarker(dir) as DataSetInfo | undefined
  if (existing) {
    console.error(`bench: data set: reusing ${dir}`)
    return { dir, info: { ...existing, fileMiB: fileMiB(dir) } }
  }
  mkdirSync(path.dirname(dir), { recursive: true })
  const work = workingDir(dir)
  console.error(`bench: data set: generating ${params.items.toLocaleString('en-GB')} evidence items, ${params.users} users, 88 ELVs (current term ${params.currentTerm}) in ${work} (kept for later runs)`)
  const started = performance.now()
  let database: Database | undefined = await connectDatabase({ dataDir: work })
  try {
    const config = configFor(work)
    const services = createServices(database, config)
    await bootstrap(services, config)
    const raw = sqliteHandle(database)!
    // Nothing to lose if the machine stops half way: the data set is only published once complete.
    raw.pragma('synchronous = OFF')
    const made = await generateDataSet(services, raw, params, (what) => console.error(`bench: data set: ${what} (${Math.round((performance.now() - started) / 1000)} s)`))
    raw.pragma('wal_checkpoint(TRUNCATE)')
    await database.close()
    database = undefined
    const info: DataSetInfo = { ...made, params, reused: false, generateSeconds: Math.round((performance.now() - started) / 100) / 10, generatorVersion: DATASET_VERSION }
    writeCorpusMarker(work, info)
    publish(work, dir)
    return { dir, info: { ...info, fileMiB: fileMiB(dir) } }
  } finally {
    await database?.close()
  }
}

const fileMiB = (dir: string) => Math.round(statSync(path.join(dir, 'cyswllt.sqlite')).size / 2 ** 20)

// `npx tsx bench/dataset.ts`: generate (or find) the data set and print what it holds.
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const { dir, info } = await dataSet()
  console.log(JSON.stringify({ dir, ...info }, null, 2))
}

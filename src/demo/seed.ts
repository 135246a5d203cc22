import type { AppUser, ElvState, Role, Term } from '../db/schema.ts'
import type { Services } from '../services.ts'
import { systemActor, type Actor } from '../modules/auth/actor.ts'
import { toActor } from '../modules/auth/auth.service.ts'
import { CURRENT_FRAMEWORK } from '../modules/link-notes/link-notes.service.ts'
import { demoRepository } from './demo.repository.ts'
import { importDemoCoreInspections } from '../modules/core-inspections/core-inspections.demo.ts'
import { BLAENAU_GWENT_EVIDENCE, CEREDIGION_EVIDENCE, DENBIGHSHIRE_EVIDENCE, TORFAEN_EVIDENCE, draftBilingualLetter, seedVisitEvidence, type VisitEvidenceSeed } from './evidence.ts'

/** Every demo address is under this reserved domain, so no demo e-mail can reach a real person. */
export const DEMO_DOMAIN = 'demo.cyswllt.invalid'

export interface DemoAccount {
  role: Role
  name: string
  email: string
  authorityCode: string | null
  /** The generated password; null when the account already existed (its password is not known). */
  password: string | null
}

export interface DemoVisit {
  id: number
  authorityCode: string
  term: string
  state: ElvState
}

/** What seedDemo made. Later demo content (findings) is added here too. */
export interface DemoSeed {
  accounts: DemoAccount[]
  /** Every ELV in the database after seeding, the demo's own included. */
  visits: DemoVisit[]
}

// Cardiff and Swansea: two authorities that appear in every demo, one per authority-bound role.
const PEER_AUTHORITY = 'W06000015'
const LA_AUTHORITY = 'W06000011'
// The other authorities with demo visits, each in a different state.
const CEREDIGION = 'W06000008'
const GWYNEDD = 'W06000002'
const POWYS = 'W06000023'
const CONWY = 'W06000003'
const PEMBROKESHIRE = 'W06000009'
const NEWPORT = 'W06000022'
const DENBIGHSHIRE = 'W06000004'
const BLAENAU_GWENT = 'W06000019'
const TORFAEN = 'W06000020'
const ANGLESEY = 'W06000001'
const CARMARTHENSHIRE = 'W06000010'

const PEOPLE: ReadonlyArray<{ role: Role; name: string; local: string; authorityCode?: string }> = [
  { role: 'admin', name: 'Demo Administrator', local: 'admin' },
  { role: 'reviewer', name: 'Demo Reviewer', local: 'reviewer' },
  { role: 'hmi', name: 'Demo HMI One', local: 'hmi.one' },
  { role: 'hmi', name: 'Demo HMI Two', local: 'hmi.two' },
  { role: 'peer', name: 'Demo Peer Inspector', local: 'peer', authorityCode: PEER_AUTHORITY },
  { role: 'la', name: 'Demo Authority User', local: 'la', authorityCode: LA_AUTHORITY },
  // Officers of the authorities whose focus areas are agreed: agreeing for an authority takes one of its users.
  { role: 'la', name: 'Demo Officer Ceredigion', local: 'la.ceredigion', authorityCode: CEREDIGION },
  { role: 'la', name: 'Demo Officer Gwynedd', local: 'la.gwynedd', authorityCode: GWYNEDD },
  { role: 'la', name: 'Demo Officer Denbighshire', local: 'la.denbighshire', authorityCode: DENBIGHSHIRE },
  { role: 'la', name: 'Demo Officer Blaenau Gwent', local: 'la.blaenau-gwent', authorityCode: BLAENAU_GWENT },
  { role: 'la', name: 'Demo Officer Torfaen', local: 'la.torfaen', authorityCode: TORFAEN },
  // Enough inspectors for the programme planner to staff every ELV of the cycle: teams of three, at most one peer.
  { role: 'hmi', name: 'Demo HMI Three', local: 'hmi.three' },
  { role: 'hmi', name: 'Demo HMI Four', local: 'hmi.four' },
  { role: 'hmi', name: 'Demo HMI Five', local: 'hmi.five' },
  { role: 'hmi', name: 'Demo HMI Six', local: 'hmi.six' },
  { role: 'hmi', name: 'Demo HMI Seven', local: 'hmi.seven' },
  { role: 'hmi', name: 'Demo HMI Eight', local: 'hmi.eight' },
  { role: 'hmi', name: 'Demo HMI Nine', local: 'hmi.nine' },
  { role: 'hmi', name: 'Demo HMI Ten', local: 'hmi.ten' },
  { role: 'peer', name: 'Demo Peer Inspector Wrexham', local: 'peer.wrexham', authorityCode: 'W06000006' },
  { role: 'peer', name: 'Demo Peer Inspector Carmarthenshire', local: 'peer.carmarthenshire', authorityCode: CARMARTHENSHIRE },
  { role: 'peer', name: 'Demo Peer Inspector Vale of Glamorgan', local: 'peer.vale', authorityCode: 'W06000014' },
]

/** The authorities whose ELV teams need Welsh speakers. */
const WELSH_MEDIUM = [ANGLESEY, GWYNEDD, CEREDIGION, CARMARTHENSHIRE]

/**
 * Each authority's link inspector (Demo HMI One and Two keep the authorities their visits are
 * in), and what the planner knows of each inspector: who speaks Welsh, who may take two ELVs in a
 * term, and a few terms (counted from the current one) in which someone is away.
 */
const LINK_INSPECTORS: Record<string, readonly string[]> = {
  'hmi.one': [LA_AUTHORITY, DENBIGHSHIRE, TORFAEN],
  'hmi.two': [CEREDIGION, GWYNEDD, BLAENAU_GWENT],
  'hmi.three': [ANGLESEY, CONWY],
  'hmi.four': [CARMARTHENSHIRE, PEMBROKESHIRE],
  'hmi.five': [POWYS, 'W06000012'],
  'hmi.six': ['W06000005', 'W06000006'],
  'hmi.seven': ['W06000013', 'W06000014'],
  'hmi.eight': [PEER_AUTHORITY, 'W06000016'],
  'hmi.nine': ['W06000018', 'W06000024'],
  'hmi.ten': ['W06000021', NEWPORT],
}
const INSPECTOR_FACTS: Record<string, { welsh?: boolean; maxElvsPerTerm?: number; away?: Array<{ termsAhead: number; reason: string }> }> = {
  'hmi.one': { welsh: true, maxElvsPerTerm: 2 },
  'hmi.two': { welsh: true, maxElvsPerTerm: 2 },
  'hmi.three': { welsh: true },
  'hmi.four': { welsh: true },
  'hmi.five': { welsh: true, away: [{ termsAhead: 4, reason: 'Demo: on secondment to a national review' }] },
  'hmi.six': { away: [{ termsAhead: 2, reason: 'Demo: leading a core inspection' }] },
  'hmi.nine': { away: [{ termsAhead: 6, reason: 'Demo: planned leave' }] },
  'peer.carmarthenshire': { welsh: true },
  'peer.wrexham': { away: [{ termsAhead: 3, reason: 'Demo: the authority’s own self-evaluation week' }] },
}

const DIRECTORS: ReadonlyArray<{ gssCode: string; name: string; local: string }> = [
  { gssCode: PEER_AUTHORITY, name: 'Demo Director Cardiff', local: 'director.cardiff' },
  { gssCode: LA_AUTHORITY, name: 'Demo Director Swansea', local: 'director.swansea' },
  { gssCode: CEREDIGION, name: 'Demo Director Ceredigion', local: 'director.ceredigion' },
  { gssCode: GWYNEDD, name: 'Demo Director Gwynedd', local: 'director.gwynedd' },
  { gssCode: POWYS, name: 'Demo Director Powys', local: 'director.powys' },
  { gssCode: CONWY, name: 'Demo Director Conwy', local: 'director.conwy' },
  { gssCode: PEMBROKESHIRE, name: 'Demo Director Pembrokeshire', local: 'director.pembrokeshire' },
  { gssCode: NEWPORT, name: 'Demo Director Newport', local: 'director.newport' },
  { gssCode: DENBIGHSHIRE, name: 'Demo Director Denbighshire', local: 'director.denbighshire' },
  { gssCode: BLAENAU_GWENT, name: 'Demo Director Blaenau Gwent', local: 'director.blaenau-gwent' },
  { gssCode: TORFAEN, name: 'Demo Director Torfaen', local: 'director.torfaen' },
]

/**
 * Fills a bootstrapped database with clearly fictional content to try the app with: one account
 * of every role (and officers of two more authorities), each with a generated password, directors
 * for the authorities with visits, and ELVs at every state but closed, with evidence, findings and letters (see seedVisits).
 * Accounts and directors already there are left as they are, and visits are only added to a
 * database that has none, so running it twice does no harm.
 */
export async function seedDemo(services: Services): Promise<DemoSeed> {
  const actor = systemActor('demo')
  const accounts: DemoAccount[] = []
  const users = new Map<string, AppUser>()
  for (const p of PEOPLE) {
    const email = `${p.local}@${DEMO_DOMAIN}`
    const existing = await services.users.byEmail(email)
    if (existing) {
      users.set(p.local, existing)
      accounts.push({ role: existing.role, name: existing.name, email, authorityCode: existing.authority_code, password: null })
      continue
    }
    const { user, password } = await services.users.create(actor, { email, name: p.name, role: p.role, authorityCode: p.authorityCode })
    users.set(p.local, user)
    accounts.push({ role: user.role, name: user.name, email: user.email, authorityCode: user.authority_code, password })
  }
  for (const d of DIRECTORS) {
    const authority = await services.reference.getAuthority(d.gssCode)
    if (authority.director_name) continue
    await updateAuthority(services, d.gssCode, { directorName: d.name, directorEmail: `${d.local}@${DEMO_DOMAIN}` })
  }
  await seedPlanningFacts(services, users, new Set(accounts.filter((a) => a.password !== null).map((a) => a.email)))
  await seedVisits(services, users)
  // After the visits, which cite Swansea's recommendations: the bundle completes that inspection in place.
  await importDemoCoreInspections(services)
  const visits = (await services.visits.list(actor)).map((e) => ({ id: e.id, authorityCode: e.authority_code, term: e.term_key, state: e.state }))
  return { accounts, visits }
}

/**
 * What the programme planner needs: every authority with a link inspector and the Welsh-medium
 * ones marked (each only when not so already), and the planning facts of inspectors made in this
 * run, so that the demo's programme can be planned automatically with the default rules.
 */
async function seedPlanningFacts(services: Services, users: Map<string, AppUser>, created: ReadonlySet<string>): Promise<void> {
  for (const [local, authorities] of Object.entries(LINK_INSPECTORS)) {
    for (const gssCode of authorities) {
      if ((await services.reference.getAuthority(gssCode)).link_inspector_id === null) await updateAuthority(services, gssCode, { linkInspectorId: users.get(local)!.id })
    }
  }
  for (const gssCode of WELSH_MEDIUM) {
    if ((await services.reference.getAuthority(gssCode)).welsh_medium === 0) await updateAuthority(services, gssCode, { welshMedium: 'yes' })
  }
  const terms = (await services.reference.listTerms()).map((t) => t.key)
  for (const [local, facts] of Object.entries(INSPECTOR_FACTS)) {
    const user = users.get(local)!
    if (!created.has(user.email)) continue
    const current = await services.programme.inspectorFacts(user.id)
    // Counted from the current term; none when the cycle ends before then.
    const away = (facts.away ?? []).map((a) => ({ ...a, term: current.terms[a.termsAhead]?.key })).filter((a) => a.term && terms.includes(a.term))
    await services.programme.saveInspectorFacts(systemActor('demo'), user.id, {
      welshSpeaker: facts.welsh ? 'yes' : '', maxElvsPerTerm: facts.maxElvsPerTerm ?? current.maxElvsPerTerm,
      unavailable: away.map((a) => a.term), reasons: Object.fromEntries(away.map((a) => [a.term, a.reason])), version: current.version,
    })
  }
}

/** Changes some of an authority's details, keeping the rest as they are. */
async function updateAuthority(services: Services, gssCode: string, patch: { directorName?: string; directorEmail?: string; linkInspectorId?: number; welshMedium?: 'yes' }) {
  const a = await services.reference.getAuthority(gssCode)
  return services.reference.updateAuthority(systemActor('demo'), gssCode, {
    nameEn: a.name_en, nameCy: a.name_cy, directorName: a.director_name ?? '', directorEmail: a.director_email ?? '',
    preferredLanguage: a.preferred_language, version: a.version, ...patch,
  })
}

// ---- dates ------------------------------------------------------------------------------------

const DAY_MS = 86_400_000
const addDays = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10)
const isWeekend = (iso: string) => [0, 6].includes(new Date(`${iso}T00:00:00Z`).getUTCDay())
function weekdayOnOrBefore(iso: string): string {
  let d = iso
  while (isWeekend(d)) d = addDays(d, -1)
  return d
}
function weekdayOnOrAfter(iso: string): string {
  let d = iso
  while (isWeekend(d)) d = addDays(d, 1)
  return d
}

/** Which terms and days the demo's visits use, worked out from today so the states make sense on any date. */
export interface DemoCalendar {
  /** The term under way (or the last one before a holiday), with two visit days up to today. */
  fieldwork: { term: string; days: [string, string] }
  /** The same term: two visit days already past (a week before fieldwork's, when the term allows), for a visit being written up. */
  drafting: { days: [string, string] }
  /** The next term: its notification date (the current term's start) has passed. */
  next: { term: string; days: [string, string] }
  /** The term after: its notification falls due at the start of the next term, the soonest due date ahead. */
  afterNext: string
  /** A term further ahead. */
  later: string
  /** Four terms after the next: far enough from it for an authority's second ELV. */
  secondVisit: string
}

/** Null before the cycle's first term has begun or when fewer than two terms are left in it. */
export function demoCalendar(terms: readonly Term[], today: string): DemoCalendar | null {
  const ordered = [...terms].sort((a, b) => a.starts_on.localeCompare(b.starts_on))
  let current = -1
  ordered.forEach((t, i) => { if (t.starts_on <= today) current = i })
  if (current < 0 || current + 1 >= ordered.length) return null
  const at = (i: number) => ordered[Math.min(i, ordered.length - 1)]!
  const now = at(current)
  // Fieldwork has begun: the first day is today or earlier, both days within the term.
  let day2 = weekdayOnOrBefore(today < now.ends_on ? today : now.ends_on)
  let day1 = weekdayOnOrBefore(addDays(day2, -1))
  if (day1 < now.starts_on) {
    day1 = now.starts_on
    day2 = weekdayOnOrAfter(addDays(day1, 1))
  }
  const weekEarlier = [addDays(day1, -7), addDays(day2, -7)] as [string, string]
  const drafting: [string, string] = weekEarlier[0] >= now.starts_on ? weekEarlier : [day1, day2]
  const next = at(current + 1)
  const prepared1 = weekdayOnOrAfter(addDays(next.starts_on, 14))
  return {
    fieldwork: { term: now.key, days: [day1, day2] },
    drafting: { days: drafting },
    next: { term: next.key, days: [prepared1, weekdayOnOrAfter(addDays(prepared1, 1))] },
    afterNext: at(current + 2).key,
    later: at(current + 3).key,
    secondVisit: at(current + 5).key,
  }
}

// ---- visits -----------------------------------------------------------------------------------

const LATE_REASON = 'Demo: the visit term was agreed with the authority after the notice date.'

interface FocusAreaSeed { title: string; description: string; source: string; frameworkAreaCode: string; recommendationId?: number; linkNoteIds?: number[] }

/**
 * ELVs at every state but closed across several authorities, each built through the
 * services' own rules (the same calls the pages make): planned (one late, one falling due
 * soonest), notified, focus agreed, prepared, fieldwork (Ceredigion) and drafting (Denbighshire),
 * both with evidence and findings, a letter in review (Blaenau Gwent) and one issued (Torfaen),
 * postponed and cancelled. Swansea (the
 * demo authority user's) has the prepared and the notified ones, with Demo HMI One as its link
 * inspector, link notes, a core inspection with recommendations R1-R3, and providers.
 */
async function seedVisits(services: Services, users: Map<string, AppUser>): Promise<void> {
  const system = systemActor('demo')
  // Another run, or a database already in use: its visits are its own.
  if ((await services.visits.list(system)).length > 0) return
  const today = services.clock.nowIso().slice(0, 10)
  const calendar = demoCalendar(await services.reference.listTerms(), today)
  if (!calendar) return
  const { visits, focusAreas, team, timetable, linkNotes } = services
  const user = (local: string) => users.get(local)!
  const hmiOne = toActor(user('hmi.one'))
  const hmiTwo = toActor(user('hmi.two'))
  const emails = { one: user('hmi.one').email, two: user('hmi.two').email, peer: user('peer').email }

  await updateAuthority(services, LA_AUTHORITY, { linkInspectorId: hmiOne.id })
  await updateAuthority(services, CEREDIGION, { linkInspectorId: hmiTwo.id })
  await updateAuthority(services, GWYNEDD, { linkInspectorId: hmiTwo.id })
  await updateAuthority(services, DENBIGHSHIRE, { linkInspectorId: hmiOne.id })
  await updateAuthority(services, BLAENAU_GWENT, { linkInspectorId: hmiTwo.id })
  await updateAuthority(services, TORFAEN, { linkInspectorId: hmiOne.id })

  // What the link inspector knows of Swansea: link notes, its last core inspection, its providers.
  const notes: Array<{ id: number }> = []
  if ((await linkNotes.list(system, LA_AUTHORITY)).length === 0) {
    for (const n of [
      { notedOn: addDays(today, -200), kind: 'meeting', title: 'Demo: termly link meeting with the director', body: 'Fictional demo note. The director described progress on the school improvement strategy and the pressure on additional learning needs budgets.', themes: ['school-improvement', 'additional-learning-needs'], frameworkAreaCode: '1.1' },
      { notedOn: addDays(today, -120), kind: 'briefing', title: 'Demo: briefing on attendance', body: 'Fictional demo note. Persistent absence in secondary schools remains above the Wales average; a new attendance team started in the autumn.', themes: ['attendance'], frameworkAreaCode: '1.2' },
      { notedOn: addDays(today, -45), kind: 'concern', title: 'Demo: concern about post-16 transport', body: 'Fictional demo note. Elected members raised the cost of post-16 transport to Welsh-medium provision.', themes: ['welsh-medium-education'], frameworkAreaCode: '1.3' },
    ]) notes.push(await linkNotes.create(system, LA_AUTHORITY, n))
  }
  const recommendations = await coreInspection(services, LA_AUTHORITY)
  await providers(services, today)

  const create = (authority: string, term: string) => visits.create(system, { authority, term })
  const move = (actor: Actor, id: number, to: ElvState, reason?: string) => visits.transition(actor, id, { to, reason })
  const setDays = async (actor: Actor, id: number, days: [string, string]) =>
    visits.setVisitDays(actor, id, { visitDay1: days[0], visitDay2: days[1], version: (await visits.get(system, id)).version })

  /** Each side proposes one focus area and both sides agree both. */
  const agreeFocusAreas = async (id: number, inspector: Actor, authority: Actor, fromAuthority: FocusAreaSeed, fromInspectorate: FocusAreaSeed) => {
    const a = await focusAreas.propose(authority, id, fromAuthority)
    await focusAreas.agree(authority, id, a.id)
    await focusAreas.agree(inspector, id, a.id)
    const b = await focusAreas.propose(inspector, id, fromInspectorate)
    await focusAreas.agree(inspector, id, b.id)
    await focusAreas.agree(authority, id, b.id)
    return [a.id, b.id] as const
  }

  /** A team of three (two HMIs and a peer inspector from Cardiff), `lead` leading. */
  const buildTeam = async (actor: Actor, id: number, lead: string, others: string[]) => {
    await team.add(actor, id, { email: lead, lead: true })
    for (const email of others) await team.add(actor, id, { email })
  }

  /** Four meetings over the two days, every focus area served by at least two. */
  const buildTimetable = async (actor: Actor, id: number, area: string, focus: readonly [number, number]) => {
    const meetings = [
      { day: 1, start: '09:00', end: '09:45', title: 'Demo: opening meeting with the director', place: `Demo Civic Centre, ${area}`, attendees: [{ name: `Demo Director ${area}`, role: 'Director of education', kind: 'officer' }], inspectors: [emails.one, emails.two, emails.peer], focusAreaIds: [...focus] },
      { day: 1, start: '10:00', end: '11:00', title: 'Demo: officers for the first focus area', place: `Demo Education Office, ${area}`, attendees: [{ name: 'Demo Officer Anwen', role: 'Head of school improvement', kind: 'officer' }, { name: 'Demo Officer Bryn', role: 'Senior challenge adviser', kind: 'officer' }], inspectors: [emails.one, emails.peer], focusAreaIds: [focus[0]] },
      { day: 1, start: '13:30', end: '14:30', title: 'Demo: headteachers’ group', videoLink: 'https://meet.demo.cyswllt.invalid/headteachers', attendees: [{ name: 'Demo Head Carys', role: 'Headteacher, primary', kind: 'stakeholder' }, { name: 'Demo Head Dafydd', role: 'Headteacher, secondary', kind: 'stakeholder' }], inspectors: [emails.two], focusAreaIds: [focus[1]] },
      { day: 2, start: '10:00', end: '11:00', title: 'Demo: cabinet member for education', place: `Demo Council Chamber, ${area}`, attendees: [{ name: 'Cllr Demo Elen', role: 'Cabinet member for education', kind: 'elected_member' }], inspectors: [emails.one, emails.two], focusAreaIds: [...focus] },
    ]
    for (const m of meetings) await timetable.addMeeting(actor, id, m)
  }

  /** A visit this term taken through the rules to fieldwork, with its evidence and findings recorded. */
  interface FieldworkSeed { authority: string; lead: Actor; leadEmail: string; others: string[]; officer: Actor; area: string; days: [string, string]; focus: [FocusAreaSeed, FocusAreaSeed]; evidence: VisitEvidenceSeed }
  const throughFieldwork = async (v: FieldworkSeed) => {
    const elv = await create(v.authority, calendar.fieldwork.term)
    await setDays(v.lead, elv.id, v.days)
    await move(v.lead, elv.id, 'notified', LATE_REASON)
    const focus = await agreeFocusAreas(elv.id, v.lead, v.officer, ...v.focus)
    await move(v.lead, elv.id, 'focus_agreed')
    await buildTeam(v.lead, elv.id, v.leadEmail, v.others)
    await buildTimetable(v.lead, elv.id, v.area, focus)
    await move(v.lead, elv.id, 'prepared')
    await move(v.lead, elv.id, 'fieldwork')
    await seedVisitEvidence(services, elv.id, v.lead, v.officer, v.evidence, today)
    return elv
  }

  // Fieldwork: Ceredigion, this term, the visit days up to today.
  await throughFieldwork({
    authority: CEREDIGION, lead: hmiTwo, leadEmail: emails.two, others: [emails.one, emails.peer], officer: toActor(user('la.ceredigion')), area: 'Ceredigion',
    days: calendar.fieldwork.days, evidence: CEREDIGION_EVIDENCE, focus: [
      { title: 'Demo: Welsh-medium growth', description: 'Fictional demo focus area. How well the authority plans for more Welsh-medium places in rural areas.', source: 'authority_priority', frameworkAreaCode: '2.1' },
      { title: 'Demo: support for learners with additional learning needs', description: 'Fictional demo focus area. How consistently schools are supported to put the new ALN system in place.', source: 'national_priority', frameworkAreaCode: '1.2' },
    ],
  })

  // Drafting: Denbighshire, visited earlier this term; the team is writing up its findings.
  const drafting = await throughFieldwork({
    authority: DENBIGHSHIRE, lead: hmiOne, leadEmail: emails.one, others: [emails.two, emails.peer], officer: toActor(user('la.denbighshire')), area: 'Denbighshire',
    days: calendar.drafting.days, evidence: DENBIGHSHIRE_EVIDENCE, focus: [
      { title: 'Demo: attendance in secondary schools', description: 'Fictional demo focus area. The impact of the attendance strategy on persistent absence.', source: 'authority_priority', frameworkAreaCode: '1.2' },
      { title: 'Demo: self-evaluation and improvement planning', description: 'Fictional demo focus area. How well the authority knows its strengths and what it needs to improve.', source: 'inspectorate_identified', frameworkAreaCode: '2.1' },
    ],
  })
  await move(hmiOne, drafting.id, 'drafting')
  // Its letter is being drafted: built from the secure findings, Welsh still to write.
  await services.letters.build(hmiOne, drafting.id, {})

  /** A visit this term written up in full: every finding secure and its letter drafted in both languages, submitted by the lead. */
  const writtenUpVisit = async (authority: string, lead: Actor, leadEmail: string, others: string[], officer: Actor, area: string, seed: VisitEvidenceSeed) => {
    const elv = await throughFieldwork({
      authority, lead, leadEmail, others, officer, area, days: calendar.drafting.days, evidence: seed, focus: [
        { title: 'Demo: support for schools causing concern', description: 'Fictional demo focus area. How well the authority helps schools causing concern to improve.', source: 'authority_priority', frameworkAreaCode: '1.1' },
        { title: 'Demo: additional learning needs reforms', description: 'Fictional demo focus area. How consistently schools are supported with the new ALN system.', source: 'national_priority', frameworkAreaCode: '1.2' },
      ],
    })
    await move(lead, elv.id, 'drafting')
    await draftBilingualLetter(services, elv.id, lead, seed)
    return services.letterReview.submit(lead, elv.id, { version: (await services.letters.model(lead, elv.id)).version }).then((s) => ({ elv, version: s.version }))
  }
  const reviewer = toActor(user('reviewer'))

  // In review: Blaenau Gwent's letter waits for the reviewer.
  await writtenUpVisit(BLAENAU_GWENT, hmiTwo, emails.two, [emails.one, emails.peer], toActor(user('la.blaenau-gwent')), 'Blaenau Gwent', BLAENAU_GWENT_EVIDENCE)

  // Issued: Torfaen's letter was approved and sent to its director in Welsh and English.
  const torfaen = await writtenUpVisit(TORFAEN, hmiOne, emails.one, [emails.two, emails.peer], toActor(user('la.torfaen')), 'Torfaen', TORFAEN_EVIDENCE)
  const approved = await services.letterReview.approve(reviewer, torfaen.elv.id, { version: torfaen.version })
  await services.letterIssue.issue(hmiOne, torfaen.elv.id, { version: approved.version })

  // Prepared: Swansea (the demo authority user's), next term, with its link inspector leading.
  const r1 = recommendations.get('R1')
  // Without a newly recorded core inspection (one was there already) there is no R1 of ours to cite.
  const citeR1 = r1 ? { source: 'core_recommendation', recommendationId: r1 } : { source: 'inspectorate_identified' }
  const prepared = await create(LA_AUTHORITY, calendar.next.term)
  await setDays(hmiOne, prepared.id, calendar.next.days)
  await move(hmiOne, prepared.id, 'notified', LATE_REASON)
  const swanseaFocus = await agreeFocusAreas(prepared.id, hmiOne, toActor(user('la')),
    { title: 'Demo: attendance in secondary schools', description: 'Fictional demo focus area. The impact of the new attendance team on persistent absence.', source: 'authority_priority', frameworkAreaCode: '1.2' },
    { title: 'Demo: recommendation R1 of the core inspection', description: 'Fictional demo focus area. Progress since the core inspection in sharpening self-evaluation.', frameworkAreaCode: '2.1', ...citeR1 })
  await move(hmiOne, prepared.id, 'focus_agreed')
  await buildTeam(hmiOne, prepared.id, emails.one, [emails.two, emails.peer])
  await buildTimetable(hmiOne, prepared.id, 'Swansea', swanseaFocus)
  await move(hmiOne, prepared.id, 'prepared')

  // Focus agreed: Gwynedd, the term after next.
  const agreed = await create(GWYNEDD, calendar.afterNext)
  await move(hmiTwo, agreed.id, 'notified', LATE_REASON)
  await agreeFocusAreas(agreed.id, hmiTwo, toActor(user('la.gwynedd')),
    { title: 'Demo: leadership of Welsh-language education', description: 'Fictional demo focus area. How the authority’s Welsh in Education Strategic Plan is led and evaluated.', source: 'authority_priority', frameworkAreaCode: '2.1' },
    { title: 'Demo: school improvement in small rural schools', description: 'Fictional demo focus area. Support and challenge for small schools and their federations.', source: 'inspectorate_identified', frameworkAreaCode: '1.1' })
  await move(hmiTwo, agreed.id, 'focus_agreed')

  // Notified: Swansea's second visit, four terms after its first (the planning rules' spacing); the inspectorate has proposed a focus area from its link notes.
  const notified = await create(LA_AUTHORITY, calendar.secondVisit)
  await move(hmiOne, notified.id, 'notified', LATE_REASON)
  const proposal = await focusAreas.propose(hmiOne, notified.id, {
    title: 'Demo: post-16 transport and Welsh-medium access', description: 'Fictional demo focus area, proposed from the link inspector’s notes; waiting for the authority.',
    source: 'inspectorate_identified', frameworkAreaCode: '1.3', linkNoteIds: notes.slice(-1).map((n) => n.id),
  })
  await focusAreas.agree(hmiOne, notified.id, proposal.id)

  // Planned: Conwy's notification is late; Powys's falls due soonest.
  await create(CONWY, calendar.next.term)
  await create(POWYS, calendar.afterNext)

  // Postponed and cancelled, each with its reason.
  const postponed = await create(PEMBROKESHIRE, calendar.later)
  await move(system, postponed.id, 'postponed', 'Demo: postponed at the authority’s request; a new director starts next term.')
  const cancelled = await create(NEWPORT, calendar.afterNext)
  await move(system, cancelled.id, 'cancelled', 'Demo: cancelled because a core inspection of the authority was brought forward.')
}

/** A fictional last core inspection of the authority, with three recommendations (bilingual). */
async function coreInspection(services: Services, authorityCode: string): Promise<Map<string, number>> {
  const system = systemActor('demo')
  return services.database.db.transaction().execute(async (trx) => {
    const repo = demoRepository(trx)
    if ((await repo.coreInspectionCount(authorityCode)) > 0) return new Map<string, number>()
    const inserted = await repo.insertCoreInspection({
      authorityCode, academicYear: '2023-2024', frameworkKey: CURRENT_FRAMEWORK, startsOn: '2024-03-04', endsOn: '2024-03-08',
      reportUrl: `https://reports.${DEMO_DOMAIN}/core/${authorityCode}`,
      recommendations: [
        { code: 'R1', textEn: 'Demo: Strengthen self-evaluation so that it focuses on learners’ outcomes.', textCy: 'Demo: Cryfhau hunanwerthuso fel ei fod yn canolbwyntio ar ganlyniadau dysgwyr.' },
        { code: 'R2', textEn: 'Demo: Reduce persistent absence in secondary schools.', textCy: 'Demo: Lleihau absenoldeb parhaus mewn ysgolion uwchradd.' },
        { code: 'R3', textEn: 'Demo: Improve planning for Welsh-medium places.', textCy: 'Demo: Gwella’r cynllunio ar gyfer lleoedd cyfrwng Cymraeg.' },
      ],
    }, services.clock.nowIso())
    await services.audit.record(trx, system, 'core_inspection.create', { type: 'local_authority', id: authorityCode }, {
      id: inserted.id, academicYear: '2023-2024', recommendations: [...inserted.recommendationIds.keys()],
    })
    return inserted.recommendationIds
  })
}

/** A handful of fictional providers of Swansea and Ceredigion, imported as an administrator would. */
async function providers(services: Services, today: string): Promise<void> {
  if ((await services.providers.count()) > 0) return
  const report = (ref: string) => `https://reports.${DEMO_DOMAIN}/providers/${ref}`
  const rows = [
    [LA_AUTHORITY, 'DEMO-SW-001', 'Ysgol Gynradd Demo Glan-y-môr', 'primary', addDays(today, -90), 'Fictional demo summary: strong teaching of reading; attendance below average.', report('DEMO-SW-001')],
    [LA_AUTHORITY, 'DEMO-SW-002', 'Demo Bay High School', 'secondary', addDays(today, -300), 'Fictional demo summary: good care and support; two recommendations on attendance and self-evaluation.', report('DEMO-SW-002')],
    [LA_AUTHORITY, 'DEMO-SW-003', 'Demo Tawe Special School', 'special', addDays(today, -1500), 'Fictional demo summary: an older inspection, outside the two years preparation looks at.', report('DEMO-SW-003')],
    [LA_AUTHORITY, 'DEMO-SW-004', 'Demo Swansea Pupil Referral Unit', 'pupil_referral_unit', '', '', ''],
    [CEREDIGION, 'DEMO-CE-001', 'Ysgol Demo Bro Rheidol', 'all_age', addDays(today, -200), 'Fictional demo summary: leaders describe it as "a school for the whole community".', report('DEMO-CE-001')],
    [CEREDIGION, 'DEMO-CE-002', 'Ysgol Gynradd Demo Aeron', 'primary', addDays(today, -400), 'Fictional demo summary: well-planned provision for Welsh-language development.', report('DEMO-CE-002')],
  ]
  const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)
  const csv = ['authority_gss,reference,name,kind,last_inspected_on,summary,report_url', ...rows.map((r) => r.map(quote).join(','))].join('\n')
  await services.providers.importCsv(systemActor('demo'), csv)
}

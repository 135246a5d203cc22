/**
 * The authorisation matrix: every route the app answers (pages and API), tried as each of the nine
 * people of authorisation.table.ts, against that one table of who may do what.
 *
 * One fixture: an authority (Ceredigion) with two ELVs, one drafting (team of a lead HMI and a peer
 * inspector, agreed focus areas, a meeting, evidence with a file the authority shared, a finding, a
 * draft letter) and one whose letter is issued; a link note, a declared conflict, a planning
 * proposal, a core inspection and its Early Insights year. Pages are asked with a session and a
 * valid CSRF token, the API with a bearer token.
 *
 * Allowed: never 401/403, a redirect to sign in, the 404 that hides a record, a 5xx or a 429.
 * Denied: 401/403/404 (the signed out are sent to sign in on pages), and nothing in the database
 * changed. A change, asked by anyone, is answered and then the database is put back as it was
 * (tables copied back from a snapshot), so no call changes what a later one finds.
 *
 * On every answer, words only some may read are looked for: a link note's title (staff only), the
 * title of the team's own note and the text of a draft finding (not the authority's, nor outsiders').
 */
import type { Database as SqliteDatabase } from 'better-sqlite3'
import { createHash } from 'node:crypto'
import { createServer, type Server as NetServer } from 'node:net'
import type { Server as HttpServer } from 'node:http'
import Provider from 'oidc-provider'
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { csrfTokenIn, PASSWORD, useTestApp } from '../helpers/test-app.ts'
import { systemActor, type UserActor } from '../../src/modules/auth/actor.ts'
import type { AppUser, Role } from '../../src/db/schema.ts'
import { SESSION_COOKIE } from '../../src/http/web.ts'
import { indexedWords } from '../../src/modules/search/search.text.ts'
import { importDemoCoreInspections } from '../../src/modules/core-inspections/core-inspections.demo.ts'
import { AUTHORISATION, WHO, WHO_IS, type Rule, type Who } from './authorisation.table.ts'

const AUTHORITY = 'W06000008' // Ceredigion
const PEER_HOME = 'W06000015' // Cardiff: the team's peer inspector serves there
const OTHER = 'W06000002' // Gwynedd
const TERM = '2026-2027/spring'
const INSIGHTS_YEAR = '2023-2024'

// Words only some may read (see the header); SEARCH_WORD is in the team's note, so a search finds it.
const LINK_NOTE_WORDS = 'Staffonly Linknote Kestrel'
const TEAM_NOTE_WORDS = 'Teamonly Meetingnote Osprey'
const DRAFT_FINDING_WORDS = 'Draftonly Finding Merlin'
const SEARCH_WORD = 'heronfield'
const SECRETS: Array<{ words: string; readers: readonly Who[] }> = [
  { words: LINK_NOTE_WORDS, readers: ['admin', 'reviewer', 'hmiTeam', 'hmiOther'] },
  { words: TEAM_NOTE_WORDS, readers: ['admin', 'reviewer', 'hmiTeam', 'hmiOther', 'peerTeam'] },
  { words: DRAFT_FINDING_WORDS, readers: ['admin', 'reviewer', 'hmiTeam', 'hmiOther', 'peerTeam'] },
]

// ---- a real OpenID provider, so the single sign-on routes exist and answer as configured --------

const OIDC_CLIENT = { id: 'cyswllt-authorisation', secret: 'a-client-secret-only-for-this-test' }
const env: Record<string, string> = {
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: '100000',
  RATE_LIMIT_SIGN_IN_PER_MINUTE: '100000',
  LOG_LEVEL: 'silent',
}
let provider: { close(): Promise<void> } | undefined

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe: NetServer = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

// Registered before useTestApp's own beforeAll, so the app is built with single sign-on configured.
beforeAll(async () => {
  const port = await freePort()
  const issuer = `http://127.0.0.1:${port}`
  const oidc = new Provider(issuer, {
    clients: [{
      client_id: OIDC_CLIENT.id, client_secret: OIDC_CLIENT.secret,
      redirect_uris: ['http://localhost:3000/auth/oidc/callback'], grant_types: ['authorization_code'], response_types: ['code'],
    }],
    cookies: { keys: ['authorisation-test-cookie-key-0123456789'] },
  })
  const server: HttpServer = await new Promise((resolve) => {
    const s = oidc.listen(port, '127.0.0.1', () => resolve(s))
  })
  provider = {
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    }),
  }
  Object.assign(env, { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: OIDC_CLIENT.id, OIDC_CLIENT_SECRET: OIDC_CLIENT.secret })
})
afterAll(async () => provider?.close())

// ---- the fixture -------------------------------------------------------------------------------

interface Fixture {
  users: Record<Exclude<Who, 'anon'>, AppUser>
  elv: number
  issuedElv: number
  elvVersion: number
  focusArea: number
  meeting: number
  meetingVersion: number
  /** A document the authority shared, with a file. */
  evidence: number
  evidenceVersion: number
  file: number
  finding: number
  findingVersion: number
  letterVersion: number
  sectionKey: string
  linkNote: number
  linkNoteVersion: number
  provider: number
  /** hmiOther's declared conflict of interest. */
  conflict: number
  outbox: number
  proposal: number
  coreInspection: number
  coreRecommendation: number
  insightsKey: string
  authorityVersion: number
}

/** How each person speaks to the app: a session and a form token for pages, a bearer token for the API. */
interface Client { cookie: string; csrf: string; token: string | undefined }

const asActor = (u: AppUser): UserActor => ({ kind: 'user', id: u.id, name: u.name, email: u.email, role: u.role, authorityCode: u.authority_code })

describe('authorisation matrix', () => {
  const ctx = useTestApp({ name: 'sqlite' }, { env })
  const f = {} as Fixture
  const clients = {} as Record<Who, Client>
  let restore: () => void
  let fingerprint: () => string
  let changes: () => number
  let baseline = ''

  beforeAll(async () => {
    const { services } = ctx
    const system = systemActor('test')
    const db = services.database.db
    const roleOf: Record<Exclude<Who, 'anon'>, [Role, string | undefined]> = {
      admin: ['admin', undefined], reviewer: ['reviewer', undefined], hmiTeam: ['hmi', undefined], hmiOther: ['hmi', undefined],
      peerTeam: ['peer', PEER_HOME], peerHome: ['peer', AUTHORITY], la: ['la', AUTHORITY], laOther: ['la', OTHER],
    }
    f.users = {} as Fixture['users']
    for (const [who, [role, authority]] of Object.entries(roleOf) as Array<[Exclude<Who, 'anon'>, [Role, string | undefined]]>) {
      f.users[who] = await ctx.make.user(role, { authority, name: `${who} person` })
    }
    const u = f.users
    const lead = asActor(u.hmiTeam)
    const la = asActor(u.la)
    await db.updateTable('local_authority').set({ link_inspector_id: u.hmiTeam.id, director_name: 'A Director', director_email: 'director@ceredigion.invalid' })
      .where('gss_code', '=', AUTHORITY).execute()

    // Providers inspected before the visit (the preparation tab, bringing one into evidence).
    await services.providers.importCsv(system, [
      'authority_gss,reference,name,kind,last_inspected_on,summary,report_url',
      `${AUTHORITY},6672001,Ysgol Gynradd Aberaeron,primary,2025-03-12,Strong teaching.,https://www.estyn.gov.wales/provider/6672001`,
    ].join('\n'))
    f.provider = (await db.selectFrom('provider').select('id').executeTakeFirstOrThrow()).id
    const note = await services.linkNotes.create(lead, AUTHORITY, { notedOn: '2026-10-01', kind: 'meeting', title: `${LINK_NOTE_WORDS} on attendance`, body: 'What the director said.' })
    f.linkNote = note.id
    f.linkNoteVersion = note.version

    /** An ELV of the authority with the team, agreed focus areas, a meeting, three kinds of evidence and a secure finding. */
    const visit = async (opts: { findingText: string; visitDays: [string, string] }) => {
      const elv = await services.visits.create(system, { authority: AUTHORITY, term: TERM, visitDay1: opts.visitDays[0], visitDay2: opts.visitDays[1] })
      await services.team.add(system, elv.id, { email: u.hmiTeam.email, lead: true })
      await services.team.add(system, elv.id, { email: u.peerTeam.email })
      const fa1 = await services.focusAreas.propose(system, elv.id, { title: 'Attendance', description: 'How attendance improves', source: 'authority_priority' })
      const fa2 = await services.focusAreas.propose(system, elv.id, { title: 'Additional learning needs', description: 'The ALN reforms', source: 'national_priority' })
      const now = services.clock.nowIso()
      await db.updateTable('focus_area').set({ inspectorate_agreed_at: now, authority_agreed_at: now }).where('elv_id', '=', elv.id).execute()
      const meeting = await services.timetable.addMeeting(system, elv.id, { day: 1, start: '09:00', end: '10:00', title: 'Director', inspectors: [u.hmiTeam.id], focusAreaIds: [fa1.id] })
      const shared = await services.evidence.create(la, elv.id, { kind: 'authority_document', title: 'Attendance strategy', body: 'Our plan.', source: 'Ceredigion' },
        [{ fileName: 'strategy.txt', data: Buffer.from('The attendance strategy, as shared.') }])
      const teamNote = await services.evidence.create(lead, elv.id, { kind: 'meeting_note', title: `${TEAM_NOTE_WORDS} with headteachers`, body: `Notes: ${SEARCH_WORD}.`, source: 'Headteachers', focusAreaIds: [fa1.id, fa2.id] })
      const data = await services.evidence.create(lead, elv.id, { kind: 'data', title: 'Attendance figures', body: 'Figures.', source: 'Data unit', focusAreaIds: [fa1.id, fa2.id] })
      const evidenceIds = [shared.id, teamNote.id, data.id]
      const finding = await services.findings.create(lead, elv.id, { focusAreaId: fa1.id, kind: 'working_well', text: opts.findingText, evidenceIds })
      await services.findings.create(lead, elv.id, { focusAreaId: fa2.id, kind: 'improvement', text: 'Plans for additional learning needs lack measurable targets.', evidenceIds })
      await db.updateTable('elv').set({ state: 'drafting', notified_at: now }).where('id', '=', elv.id).execute()
      await services.letters.build(lead, elv.id)
      return { elv: elv.id, fa1, meeting: meeting.meeting, shared, finding }
    }

    const issued = await visit({ findingText: 'Attendance is improving in secondary schools.', visitDays: ['2027-02-02', '2027-02-03'] })
    f.issuedElv = issued.elv
    // The findings' words are English only: as if a translator had written the Welsh.
    const letterId = (await db.selectFrom('letter').select('id').where('elv_id', '=', issued.elv).executeTakeFirstOrThrow()).id
    const sectionIds = db.selectFrom('letter_section').select('id').where('letter_id', '=', letterId)
    await db.updateTable('letter_paragraph').set((eb) => ({ text_cy: eb.ref('text_en') })).where('text_cy', '=', '').where('section_id', 'in', sectionIds).execute()
    await db.updateTable('letter_section').set({ translation_current: 1 }).where('letter_id', '=', letterId).execute()
    const built = await services.letters.model(lead, issued.elv)
    const submitted = await services.letterReview.submit(lead, issued.elv, { version: built.version })
    const approved = await services.letterReview.approve(asActor(u.reviewer), issued.elv, { version: submitted.version })
    await services.letterIssue.issue(lead, issued.elv, { version: approved.version })

    const drafting = await visit({ findingText: `${DRAFT_FINDING_WORDS}: attendance is improving.`, visitDays: ['2027-02-09', '2027-02-10'] })
    f.elv = drafting.elv
    f.focusArea = drafting.fa1.id
    f.meeting = drafting.meeting.id
    f.meetingVersion = drafting.meeting.version
    f.evidence = drafting.shared.id
    f.evidenceVersion = drafting.shared.version
    f.file = drafting.shared.files[0]!.id
    f.finding = drafting.finding.id
    f.findingVersion = drafting.finding.version
    const letter = await services.letters.model(lead, drafting.elv)
    f.letterVersion = letter.version
    f.sectionKey = letter.sections[0]!.key
    f.elvVersion = (await services.visits.get(system, drafting.elv)).version

    f.conflict = (await services.team.declareConflict(asActor(u.hmiOther), { authority: OTHER, reason: 'A relative works there.' })).id
    f.outbox = (await db.selectFrom('outbox').select('id').orderBy('id').executeTakeFirstOrThrow()).id
    f.proposal = await services.planning.propose(asActor(u.admin))
    await importDemoCoreInspections(services)
    const core = await services.coreInspections.list(INSIGHTS_YEAR)
    f.coreInspection = core[0]!.id
    f.coreRecommendation = (await services.coreInspections.get(f.coreInspection)).recommendations[0]!.id
    const summary = await services.insights.summary(INSIGHTS_YEAR, 'en')
    f.insightsKey = summary.recommendations[0]?.key ?? summary.areas.flatMap((a) => [...a.goingWell, ...a.needsToImprove])[0]!.key
    f.authorityVersion = (await services.reference.getAuthority(AUTHORITY)).version

    // Sessions and form tokens for pages, bearer tokens for the API.
    for (const who of WHO) {
      let cookie = ''
      if (who !== 'anon') {
        const browser = ctx.browser()
        const res = await browser.signIn(f.users[who].email, PASSWORD)
        if (res.statusCode !== 303) throw new Error(`${who} could not sign in: ${res.statusCode}`)
        cookie = `${SESSION_COOKIE}=${browser.cookies.get(SESSION_COOKIE)}`
      }
      const page = await ctx.app.inject({ method: 'GET', url: who === 'anon' ? '/sign-in' : '/elvs', headers: { cookie } })
      const csrfCookie = page.cookies.find((c) => c.name === 'cyswllt_csrf')
      if (!csrfCookie) throw new Error(`no form token cookie for ${who}`)
      clients[who] = {
        cookie: [cookie, `cyswllt_csrf=${csrfCookie.value}`].filter(Boolean).join('; '),
        csrf: csrfTokenIn(page.body),
        token: who === 'anon' ? undefined : (await services.auth.createToken(system, f.users[who].email)).token,
      }
    }

    const snapshot = snapshotOf((services.database as unknown as { sqlite: SqliteDatabase }).sqlite)
    restore = snapshot.restore
    fingerprint = snapshot.fingerprint
    changes = snapshot.changes
    baseline = fingerprint()
  }, 120_000)

  // ---- requests ----------------------------------------------------------------------------------

  /** The value of a route's parameter: mostly the fixture's ids, by what the route's URL is about. */
  function paramValue(name: string, pattern: string, onIssued: boolean): string {
    const elv = String(onIssued ? f.issuedElv : f.elv)
    switch (name) {
      case 'id':
        if (pattern.startsWith('/admin/users/')) return String(f.users.hmiOther.id)
        if (pattern.startsWith('/admin/outbox/')) return String(f.outbox)
        if (pattern.includes('/proposals/')) return String(f.proposal)
        if (pattern.includes('/core-inspections/')) return String(f.coreInspection)
        if (pattern.startsWith('/api/v1/evidence/')) return String(f.evidence)
        if (pattern.startsWith('/api/v1/findings/')) return String(f.finding)
        return elv
      case 'year': return pattern.startsWith('/admin/terms/') ? '2026-2027' : INSIGHTS_YEAR
      case 'season': return 'spring'
      case 'gss': case 'gssCode': return AUTHORITY
      case 'key': return pattern.startsWith('/admin/frameworks/') ? 'lges-2024' : f.sectionKey
      case 'faId': return String(f.focusArea)
      case 'userId': return String(f.users.hmiTeam.id)
      case 'meetingId': return String(f.meeting)
      case 'eid': return String(f.evidence)
      case 'fid': return String(f.file)
      case 'findingId': return String(f.finding)
      case 'noteId': return String(f.linkNote)
      case 'conflictId': return String(f.conflict)
      case 'code': return 'grade-words-en'
      case 'lang': return 'cy'
      case 'segment': return 'recommendations'
      case 'row': return String(f.coreRecommendation)
      case 'other': return 'txt'
      default: throw new Error(`no value for :${name} in ${pattern}: add one to paramValue`)
    }
  }

  const WILDCARDS: Record<string, string> = {
    '/assets/*': '/assets/images/favicon.svg',
    '/static/*': '/static/app.css',
    '/api/docs/static/*': '/api/docs/static/index.css',
  }

  function urlOf(pattern: string, onIssued: boolean): string {
    if (WILDCARDS[pattern]) return WILDCARDS[pattern]
    return pattern.replace(/:([A-Za-z]+)/g, (_, name: string) => paramValue(name, pattern, onIssued))
  }

  type Body = Record<string, unknown>
  interface RequestSpec {
    query?: string
    /** A JSON body (API, or a page's script), or form fields (pages). */
    body?: Body
    /** Send the form as multipart/form-data with a small text file in this field. */
    file?: string
  }

  /** What each route is sent beyond an empty body: enough to pass the checks of its body's shape. */
  const REQUESTS = (): Record<string, RequestSpec> => ({
    'PUT /api/v1/authorities/:gssCode': { body: { nameEn: 'Ceredigion', nameCy: 'Ceredigion', directorName: null, directorEmail: null, preferredLanguage: 'cy', version: f.authorityVersion } },
    'POST /elvs/new': { body: { authority: OTHER, term: TERM } },
    'POST /api/v1/elvs': { body: { authority: OTHER, term: TERM } },
    'POST /elvs/:id/transition': { body: { to: 'cancelled', reason: 'A test', version: f.elvVersion } },
    'POST /api/v1/elvs/:id/transition': { body: { to: 'cancelled', reason: 'A test', version: f.elvVersion } },
    'POST /elvs/:id/visit-days': { body: { visitDay1: '2027-02-16', visitDay2: '2027-02-17', version: f.elvVersion } },
    'POST /elvs/:id/documents': { body: { title: 'Shared' }, file: 'file' },
    'POST /elvs/:id/evidence/:eid/files': { body: {}, file: 'file' },
    'POST /api/v1/elvs/:id/focus-areas': { body: { title: 'Another', description: 'More', source: 'national_priority' } },
    'POST /elvs/:id/focus-areas': { body: { title: 'Another', description: 'More', source: 'national_priority' } },
    'POST /elvs/:id/focus-areas/:faId/withdraw': { body: { reason: 'A test' } },
    'POST /authorities/:gss/link-notes': { body: { notedOn: '2026-10-02', kind: 'meeting', title: 'A note', body: 'Words' } },
    'POST /authorities/:gss/link-notes/:noteId': { body: { notedOn: '2026-10-02', kind: 'meeting', title: 'A note', body: 'Words', version: f.linkNoteVersion } },
    'POST /api/v1/elvs/:id/team': { body: { email: f.users.hmiOther.email } },
    'POST /elvs/:id/team': { body: { userId: f.users.hmiOther.id } },
    'POST /account/conflicts': { body: { authority: 'W06000023', reason: 'A test' } },
    'POST /api/v1/elvs/:id/meetings': { body: { day: 2, start: '11:00', end: '12:00', title: 'Members' } },
    'PUT /api/v1/elvs/:id/meetings/:meetingId': { body: { day: 1, start: '09:00', end: '10:30', title: 'Director', version: f.meetingVersion } },
    'POST /api/v1/elvs/:id/meetings/:meetingId/attendees': { body: { name: 'A Head', role: 'Headteacher', kind: 'stakeholder' } },
    'POST /elvs/:id/timetable/meetings': { body: { day: '2', start: '11:00', end: '12:00', title: 'Members' } },
    'POST /elvs/:id/timetable/meetings/:meetingId/suggest': { body: { name: 'A Head', role: 'Headteacher', kind: 'stakeholder' } },
    'POST /admin/providers/import': { body: { csv: 'authority_gss,reference,name,kind,last_inspected_on,summary,report_url' } },
    'POST /api/v1/themes': { body: { key: 'a-test-theme', en: 'A test theme', cy: 'Thema prawf' } },
    'POST /api/v1/themes/merge': { body: { from: 'a-theme-that-is-not', into: 'another-that-is-not' } },
    'POST /elvs/:id/evidence/bring-in': { body: { providerId: f.provider } },
    'POST /api/v1/elvs/:id/evidence/bring-in': { body: { providerId: f.provider } },
    'POST /elvs/:id/evidence': { body: { kind: 'data', title: 'More figures', source: 'Data unit' } },
    'POST /elvs/:id/evidence/:eid': { body: { kind: 'authority_document', title: 'Attendance strategy', source: 'Ceredigion', version: f.evidenceVersion } },
    'POST /elvs/:id/evidence/autosave': { body: { kind: 'data', title: 'More figures', source: 'Data unit' } },
    'POST /elvs/:id/evidence/:eid/autosave': { body: { title: 'Attendance strategy', version: f.evidenceVersion } },
    'POST /api/v1/elvs/:id/evidence': { body: { kind: 'authority_document', title: 'Another plan', source: 'Ceredigion' } },
    'PATCH /api/v1/evidence/:id': { body: { title: 'Attendance strategy (2)', version: f.evidenceVersion } },
    'POST /api/v1/elvs/:id/findings': { body: { focusAreaId: f.focusArea, kind: 'improvement', text: 'More to do.', evidenceIds: [f.evidence] } },
    'PATCH /api/v1/findings/:id': { body: { text: 'Changed.', version: f.findingVersion } },
    'DELETE /api/v1/findings/:id': { query: `version=${f.findingVersion}` },
    'PUT /api/v1/settings/triangulation': { body: { minItems: 3, minKinds: 2 } },
    'POST /elvs/:id/findings': { body: { focusAreaId: f.focusArea, kind: 'improvement', text: 'More to do.', evidenceIds: f.evidence } },
    'POST /elvs/:id/findings/:findingId': { body: { focusAreaId: f.focusArea, kind: 'working_well', text: 'Changed.', evidenceIds: f.evidence, version: f.findingVersion } },
    'POST /elvs/:id/findings/:findingId/delete': { body: { version: f.findingVersion } },
    'PATCH /api/v1/elvs/:id/letter': { body: { version: f.letterVersion, sections: [{ key: f.sectionKey }] } },
    'POST /elvs/:id/letter/sections/:key': { body: { version: f.letterVersion } },
    'POST /api/v1/writing-rules': { body: { code: 'a-test-rule', kind: 'grade_word', lang: 'en', pattern: 'splendid', message: { en: 'Not a grade', cy: 'Nid gradd' } } },
    'PATCH /api/v1/writing-rules/:code': { body: { enabled: false } },
    'POST /api/v1/writing-rules/check': { body: { text: 'A good school.', lang: 'en' } },
    'POST /api/v1/elvs/:id/letter/submit': { body: { version: f.letterVersion } },
    'POST /api/v1/elvs/:id/letter/return': { body: { version: f.letterVersion } },
    'POST /api/v1/elvs/:id/letter/approve': { body: { version: f.letterVersion } },
    'POST /api/v1/elvs/:id/letter/comments': { body: { version: f.letterVersion, body: 'A comment' } },
    'POST /elvs/:id/letter/submit': { body: { version: f.letterVersion } },
    'POST /elvs/:id/letter/return': { body: { version: f.letterVersion } },
    'POST /elvs/:id/letter/approve': { body: { version: f.letterVersion } },
    'POST /elvs/:id/letter/comments': { body: { version: f.letterVersion, body: 'A comment' } },
    'POST /api/v1/elvs/:id/letter/issue': { body: { version: f.letterVersion } },
    'POST /elvs/:id/letter/issue': { body: { version: f.letterVersion } },
    'POST /api/v1/programme/proposals/:id/accept': { body: { visits: [] } },
    'POST /api/v1/elvs/:id/move': { body: { term: '2026-2027/summer', version: f.elvVersion } },
    'POST /elvs/:id/move': { body: { term: '2026-2027/summer', version: f.elvVersion } },
    'PUT /api/v1/insights/:year/points': { body: { key: f.insightsKey, text: 'Reworded.' } },
    'DELETE /api/v1/insights/:year/points': { query: `key=${encodeURIComponent(f.insightsKey)}` },
    'GET /insights/:year/point': { query: `key=${encodeURIComponent(f.insightsKey)}` },
    'POST /insights/:year/point': { body: { key: f.insightsKey, text: 'Reworded.' } },
    'GET /api/v1/evidence': { query: `q=${SEARCH_WORD}` },
    'GET /search': { query: `q=${SEARCH_WORD}` },
  })

  function call(who: Who, route: string, onIssued: boolean): Promise<LightMyRequestResponse> {
    const [method, pattern] = route.split(' ') as [InjectOptions['method'] & string, string]
    const spec = REQUESTS()[route] ?? {}
    const url = urlOf(pattern, onIssued) + (spec.query ? `?${spec.query}` : '')
    const client = clients[who]
    const api = pattern.startsWith('/api/v1/')
    const headers: Record<string, string> = {}
    let payload: string | Buffer | undefined
    if (api) {
      if (client.token) headers.authorization = `Bearer ${client.token}`
      if (method !== 'GET' && method !== 'DELETE') {
        headers['content-type'] = 'application/json'
        payload = JSON.stringify(spec.body ?? {})
      }
    } else {
      headers.cookie = client.cookie
      if (method !== 'GET') {
        headers['x-csrf-token'] = client.csrf
        const fields = { ...(spec.body ?? {}), _csrf: client.csrf }
        if (spec.file) {
          const boundary = '----cyswllt-authorisation'
          const part = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`
          payload = Buffer.from(Object.entries(fields).map(([k, v]) => part(k, String(v))).join('')
            + `--${boundary}\r\nContent-Disposition: form-data; name="${spec.file}"; filename="shared.txt"\r\nContent-Type: text/plain\r\n\r\nShared words.\r\n--${boundary}--\r\n`)
          headers['content-type'] = `multipart/form-data; boundary=${boundary}`
        } else if (pattern.endsWith('/autosave')) {
          headers['content-type'] = 'application/json'
          payload = JSON.stringify(spec.body ?? {})
        } else {
          headers['content-type'] = 'application/x-www-form-urlencoded'
          payload = new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])).toString()
        }
      }
    }
    return ctx.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) })
  }

  /** What is wrong with an answer, or null when it is what the table says. */
  function judge(route: string, who: Who, allowed: boolean, res: LightMyRequestResponse): string | null {
    const status = res.statusCode
    const location = String(res.headers.location ?? '')
    const toSignIn = status >= 300 && status < 400 && location.startsWith('/sign-in?next=')
    const page = !route.split(' ')[1]!.startsWith('/api/')
    if (status >= 500) return `${status}: ${res.body.slice(0, 300)}`
    if (status === 429) return '429: throttled'
    if (allowed) {
      if (status === 401 || status === 403 || status === 404 || toSignIn) return `allowed but answered ${status}${location ? ` ${location}` : ''}: ${res.body.slice(0, 200)}`
      return null
    }
    if (status === 401 || status === 403 || status === 404) return null
    if (who === 'anon' && page && toSignIn) return null
    return `denied but answered ${status}${location ? ` ${location}` : ''}: ${res.body.slice(0, 200)}`
  }

  /** Words the person may not read, found in the answer. */
  function leaks(who: Who, res: LightMyRequestResponse): string[] {
    return SECRETS.filter((s) => !s.readers.includes(who) && res.body.includes(s.words)).map((s) => `shows "${s.words}"`)
  }

  /** Every person, denied ones first; after each, the database is checked and put back if it changed. */
  async function tryRoute(route: string, rule: Rule, onIssued: boolean): Promise<string[]> {
    const allow = onIssued ? rule.issued ?? rule.allow : rule.allow
    const order = [...WHO.filter((w) => !allow.includes(w)), ...WHO.filter((w) => allow.includes(w))]
    const problems: string[] = []
    for (const who of order) {
      const allowed = allow.includes(who)
      const before = changes()
      const res = await call(who, route, onIssued)
      const wrong = [judge(route, who, allowed, res), ...leaks(who, res)].filter((p): p is string => p !== null)
      // Rows written at all (an API call notes its token's use: one row), then whether anything stayed changed.
      const written = changes() - before - (route.includes(' /api/v1/') && who !== 'anon' ? 1 : 0)
      if (written > 0 && fingerprint() !== baseline) {
        if (!allowed || route.startsWith('GET ')) wrong.push('changed the database')
        restore()
        if (fingerprint() !== baseline) throw new Error(`the database could not be put back after ${route} as ${who}`)
      }
      for (const w of wrong) problems.push(`${route}${onIssued ? ' (issued ELV)' : ''} as ${who} (${WHO_IS[who]}): ${w}`)
    }
    return problems
  }

  // ---- the tests ---------------------------------------------------------------------------------

  it('every route has a row', () => {
    const routes = new Set(ctx.app.routeList.map((r) => `${r.method} ${r.url}`))
    const rows = new Set(Object.keys(AUTHORISATION))
    expect({ missingRows: [...routes].filter((r) => !rows.has(r)), staleRows: [...rows].filter((r) => !routes.has(r)) })
      .toEqual({ missingRows: [], staleRows: [] })
  })

  for (const [route, rule] of Object.entries(AUTHORISATION)) {
    it(`${route}: ${rule.allow.length ? rule.allow.join(', ') : 'nobody'}${rule.issued ? `; issued: ${rule.issued.join(', ')}` : ''}`, async () => {
      const problems = await tryRoute(route, rule, false)
      if (rule.issued) problems.push(...await tryRoute(route, rule, true))
      expect(problems).toEqual([])
    })
  }

  it('the checks can fail: wrong answers, a change by someone denied, and words shown to whom they should not be are all reported', async () => {
    // The same calls judged against the wrong sets: refusals of the allowed and answers to the denied.
    const wrongWay = await tryRoute('GET /admin/users', { allow: ['la'] }, false)
    expect(wrongWay.some((p) => p.includes('as la') && p.includes('allowed but answered 403'))).toBe(true)
    expect(wrongWay.some((p) => p.includes('as admin') && p.includes('denied but answered 200'))).toBe(true)
    // Those who may move the visit do, as if they might not: each change is reported, and undone.
    const changed = await tryRoute('POST /api/v1/elvs/:id/transition', { allow: [] }, false)
    expect(changed.filter((p) => p.includes('changed the database')).map((p) => p.split(' as ')[1]!.split(' ')[0])).toEqual(['admin', 'hmiTeam', 'peerTeam'])
    expect(fingerprint()).toBe(baseline)
    // The words looked for are on the pages of those who may read them, so their absence elsewhere means something.
    const seen = async (route: string) => (await call('hmiOther', route, false)).body
    expect(await seen('GET /elvs/:id/preparation')).toContain(LINK_NOTE_WORDS)
    expect(await seen('GET /search')).toContain(TEAM_NOTE_WORDS)
    expect(await seen('GET /elvs/:id/history')).toContain(DRAFT_FINDING_WORDS)
    expect(leaks('la', await call('hmiOther', 'GET /elvs/:id/history', false))).toEqual([`shows "${TEAM_NOTE_WORDS}"`, `shows "${DRAFT_FINDING_WORDS}"`])
  })
})

// ---- putting the database back ---------------------------------------------------------------

/**
 * A copy of every table in an attached in-memory database, copied back when asked. The evidence
 * search index (a contentless FTS5 table, whose own tables SQLite does not let us write) is
 * rebuilt from the restored evidence instead.
 */
function snapshotOf(sqlite: SqliteDatabase) {
  sqlite.exec(`attach database ':memory:' as snap`)
  const tables = (sqlite.prepare(`select name from main.sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'evidence_search%'`).all() as Array<{ name: string }>)
    .map((t) => t.name)
  const copies = [...tables, 'sqlite_sequence']
  for (const t of copies) sqlite.exec(`create table snap."copy_${t}" as select * from main."${t}"`)
  const reindex = sqlite.prepare(`insert into evidence_search (rowid, words) values (?, ?)`)
  const evidence = sqlite.prepare(`select id, title, body from evidence`)
  const texts = sqlite.prepare(`select extracted_text from evidence_file where evidence_id = ?`)
  const restoreAll = sqlite.transaction(() => {
    for (const t of copies) {
      sqlite.exec(`delete from main."${t}"`)
      sqlite.exec(`insert into main."${t}" select * from snap."copy_${t}"`)
    }
    sqlite.exec('delete from evidence_search')
    for (const row of evidence.all() as Array<{ id: number; title: string; body: string }>) {
      const files = (texts.all(row.id) as Array<{ extracted_text: string | null }>).map((x) => x.extracted_text)
      reindex.run(row.id, indexedWords([row.title, row.body, ...files]))
    }
  })
  const totalChanges = sqlite.prepare('select total_changes() as n')
  // api_token: every API call notes when the token was last used.
  const watched = tables.filter((t) => t !== 'api_token')
  return {
    restore(): void {
      sqlite.pragma('foreign_keys = OFF')
      try { restoreAll() } finally { sqlite.pragma('foreign_keys = ON') }
    },
    /** Rows inserted, changed or deleted on this connection so far (cheap; rolled-back ones count too). */
    changes(): number {
      return (totalChanges.get() as { n: number }).n
    },
    fingerprint(): string {
      const hash = createHash('sha256')
      for (const t of watched) hash.update(t).update(JSON.stringify(sqlite.prepare(`select * from main."${t}"`).raw().all()))
      return hash.digest('hex')
    },
  }
}

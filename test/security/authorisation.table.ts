/**
 * Who may use each route: the one table the authorisation test (authorisation.test.ts) checks
 * every route against, as each of the nine people below, pages and API alike.
 *
 * The rules come from DESIGN.md section 1 (who uses it), src/modules/auth/permissions.ts (what each
 * role is granted) and the services' own rules (team membership, the authority's own visits).
 *
 * To add a route: add a row keyed exactly as `app.routeList` names it (`METHOD /url/:param`), with
 * `allow` one of the sets below (or a list of names) and, when the answer depends on the record's
 * state or owner, a short `note`. For example:
 *
 *   'POST /elvs/:id/widgets': { allow: TEAM, note: 'the team adds widgets; the authority only reads them' },
 *
 * If its URL has a parameter the test does not know yet, add a value in `paramValue` of the test;
 * if it changes something and an empty body is refused before anyone is asked who they are (the
 * API checks a body's shape first), give it a minimal valid body in the test's `REQUESTS`.
 * A route without a row here, or a row without a route, fails the test `every route has a row`.
 */

/** The people every route is tried as. The fixture's ELVs are of one authority (Ceredigion). */
export const WHO = ['admin', 'reviewer', 'hmiTeam', 'hmiOther', 'peerTeam', 'peerHome', 'la', 'laOther', 'anon'] as const
export type Who = (typeof WHO)[number]

/** Who each name is, in the fixture. */
export const WHO_IS: Record<Who, string> = {
  admin: 'an administrator',
  reviewer: 'a reviewer, not on the team',
  hmiTeam: 'an HMI on the team: its lead, and the authority\'s link inspector',
  hmiOther: 'an HMI not on the team',
  peerTeam: 'a peer inspector on the team (from another authority)',
  peerHome: 'a peer inspector from the ELV\'s own authority, not on the team',
  la: 'an officer of the ELV\'s authority',
  laOther: 'an officer of another authority',
  anon: 'someone not signed in',
}

type Set = readonly Who[]
const except = (set: Set, ...out: Who[]): Set => set.filter((w) => !out.includes(w))

/** Public by design: sign-in, health checks, assets, the language switch, the API's description. */
export const ANYONE: Set = WHO
/** Nobody: the answer is the same "not found" for everyone. */
export const NOBODY: Set = []
/** Anyone signed in, whatever their role (lists show each only what they may see). */
export const SIGNED_IN: Set = except(WHO, 'anon')
/** Administrators only: users, reference data, planning the programme, the outbox. */
export const ADMIN_ONLY: Set = ['admin']
/** Those who quality-assure letters and publish insights: reviewers and administrators. */
export const REVIEWERS: Set = ['admin', 'reviewer']
/** The inspectorate's own staff: administrators, reviewers and every HMI (not peer inspectors, not authorities). */
export const STAFF: Set = ['admin', 'reviewer', 'hmiTeam', 'hmiOther']
/** Everyone who may see the fixture's ELV: staff, its team, its own authority. */
export const SEES_ELV: Set = ['admin', 'reviewer', 'hmiTeam', 'hmiOther', 'peerTeam', 'la']
/** Who may see the ELV, but not its authority: the inspectorate's working record (evidence log, findings, draft letter). */
export const INSPECTORATE_SEES_ELV: Set = except(SEES_ELV, 'la')
/** Who may work on the ELV: administrators, its team, its authority's link inspector (here on the team too). */
export const TEAM: Set = ['admin', 'hmiTeam', 'peerTeam']
/** The team, and the authority for what it does itself (propose and agree focus areas, share documents, suggest attendees). */
export const TEAM_OR_LA: Set = [...TEAM, 'la']
/** Who issues the letter: administrators and the ELV's lead inspector. */
export const LEAD: Set = ['admin', 'hmiTeam']
/** Who keeps the authority's link notes: administrators and its link inspector. */
export const LINK_INSPECTOR: Set = ['admin', 'hmiTeam']
/** Everyone who may be put on a team or plans them: they keep a list of declared conflicts of interest. */
export const INSPECTORS: Set = except(SIGNED_IN, 'la', 'laOther')

export interface Rule {
  /** Who may use the route on the fixture's ELV (a drafting visit whose letter is a draft). */
  allow: Set
  /** Who may use it on the fixture's issued ELV, where that differs: the route is tried on both. */
  issued?: Set
  /** Why, when the answer depends on the record's state or owner. */
  note?: string
}

const ELV_NOTE = 'another authority\'s officer and a peer not on the team get 404, as if it did not exist'

export const AUTHORISATION: Record<string, Rule> = {
  // ---- public by design ---------------------------------------------------------------------
  'GET /assets/*': { allow: ANYONE },
  'GET /static/*': { allow: ANYONE },
  'GET /api/docs': { allow: ANYONE },
  'GET /api/docs/static/index.html': { allow: ANYONE },
  'GET /api/docs/static/swagger-initializer.js': { allow: ANYONE },
  'GET /api/docs/json': { allow: ANYONE },
  'GET /api/docs/yaml': { allow: ANYONE },
  'GET /api/docs/static/*': { allow: ANYONE },
  'GET /api/v1/openapi.json': { allow: ANYONE },
  'GET /healthz': { allow: ANYONE },
  'GET /readyz': { allow: ANYONE },
  'GET /sign-in': { allow: ANYONE, note: 'someone signed in is sent on to where they were going' },
  'POST /sign-in': { allow: ANYONE },
  'POST /sign-out': { allow: ANYONE },
  'GET /language/:lang': { allow: ANYONE },
  'GET /auth/oidc/start': { allow: ANYONE, note: 'single sign-on, when configured' },
  'GET /auth/oidc/callback': { allow: ANYONE, note: 'single sign-on, when configured' },

  // ---- home, admin area, users, reference data ------------------------------------------------
  'GET /': { allow: SIGNED_IN },
  'GET /admin': { allow: ADMIN_ONLY },
  'GET /admin/users': { allow: ADMIN_ONLY },
  'GET /admin/users/new': { allow: ADMIN_ONLY },
  'POST /admin/users/new': { allow: ADMIN_ONLY },
  'GET /admin/users/:id': { allow: ADMIN_ONLY },
  'POST /admin/users/:id': { allow: ADMIN_ONLY },
  'POST /admin/users/:id/planning': { allow: ADMIN_ONLY },
  'POST /admin/users/:id/reset-password': { allow: ADMIN_ONLY },
  'GET /admin/authorities': { allow: ADMIN_ONLY },
  'GET /admin/authorities/:gss': { allow: ADMIN_ONLY },
  'POST /admin/authorities/:gss': { allow: ADMIN_ONLY },
  'GET /admin/terms': { allow: ADMIN_ONLY },
  'GET /admin/terms/:year/:season': { allow: ADMIN_ONLY },
  'POST /admin/terms/:year/:season': { allow: ADMIN_ONLY },
  'GET /admin/frameworks': { allow: ADMIN_ONLY },
  'GET /admin/frameworks/:key': { allow: ADMIN_ONLY },
  'POST /admin/frameworks/:key': { allow: ADMIN_ONLY },
  'GET /api/v1/authorities': { allow: SIGNED_IN },
  'GET /api/v1/authorities/:gssCode': { allow: SIGNED_IN },
  'PUT /api/v1/authorities/:gssCode': { allow: ADMIN_ONLY },
  'GET /admin/audit': { allow: ADMIN_ONLY },
  'GET /admin/welsh-review': { allow: REVIEWERS },
  'GET /admin/providers/import': { allow: ADMIN_ONLY },
  'POST /admin/providers/import': { allow: ADMIN_ONLY },
  'GET /api/v1/themes': { allow: SIGNED_IN },
  'POST /api/v1/themes': { allow: ADMIN_ONLY },
  'POST /api/v1/themes/merge': { allow: ADMIN_ONLY },
  'GET /admin/themes': { allow: ADMIN_ONLY },
  'POST /admin/themes': { allow: ADMIN_ONLY },
  'POST /admin/themes/merge': { allow: ADMIN_ONLY },
  'GET /admin/outbox': { allow: ADMIN_ONLY },
  'GET /admin/outbox/:id': { allow: ADMIN_ONLY },

  // ---- ELVs -----------------------------------------------------------------------------------
  'GET /elvs': { allow: SIGNED_IN, note: 'each sees only the ELVs they may see' },
  'GET /elvs/new': { allow: ADMIN_ONLY },
  'POST /elvs/new': { allow: ADMIN_ONLY },
  'GET /elvs/:id': { allow: SEES_ELV, note: ELV_NOTE },
  'POST /elvs/:id/transition': { allow: TEAM },
  'POST /elvs/:id/visit-days': { allow: TEAM },
  'GET /elvs/:id/history': { allow: INSPECTORATE_SEES_ELV, note: 'the audit trail names inspectors\' notes and findings: not the authority\'s' },
  'GET /elvs/:id/documents': { allow: SEES_ELV, note: 'the authority sees only what it shared' },
  'POST /elvs/:id/documents': { allow: TEAM_OR_LA, note: 'while the visit is open' },
  'GET /elvs/:id/notification': { allow: SEES_ELV, note: 'once notified' },
  'GET /api/v1/elvs': { allow: SIGNED_IN, note: 'each sees only the ELVs they may see' },
  'POST /api/v1/elvs': { allow: ADMIN_ONLY },
  'GET /api/v1/elvs/:id': { allow: SEES_ELV, note: ELV_NOTE },
  'POST /api/v1/elvs/:id/transition': { allow: TEAM },

  // ---- focus areas ----------------------------------------------------------------------------
  'GET /api/v1/elvs/:id/focus-areas': { allow: SEES_ELV },
  'POST /api/v1/elvs/:id/focus-areas': { allow: TEAM_OR_LA, note: 'either side proposes; settled once agreed (409)' },
  'POST /api/v1/elvs/:id/focus-areas/:faId/agree': { allow: TEAM_OR_LA, note: 'each side agrees for itself' },
  'GET /elvs/:id/focus-areas': { allow: SEES_ELV },
  'POST /elvs/:id/focus-areas': { allow: TEAM_OR_LA, note: 'either side proposes; settled once agreed (409)' },
  'POST /elvs/:id/focus-areas/:faId/agree': { allow: TEAM_OR_LA, note: 'each side agrees for itself' },
  'POST /elvs/:id/focus-areas/:faId/withdraw': { allow: TEAM, note: 'the inspectorate only' },

  // ---- link notes: the inspectorate's own -----------------------------------------------------
  'GET /api/v1/authorities/:gss/link-notes': { allow: STAFF },
  'GET /authorities/:gss': { allow: STAFF },
  'POST /authorities/:gss/link-notes': { allow: LINK_INSPECTOR },
  'GET /authorities/:gss/link-notes/:noteId': { allow: LINK_INSPECTOR, note: 'the edit form: other staff read notes on the authority page' },
  'POST /authorities/:gss/link-notes/:noteId': { allow: LINK_INSPECTOR },

  // ---- team and conflicts of interest ---------------------------------------------------------
  'GET /api/v1/elvs/:id/team': { allow: SEES_ELV, note: 'the authority gets names, roles and the lead only' },
  'POST /api/v1/elvs/:id/team': { allow: TEAM },
  'DELETE /api/v1/elvs/:id/team/:userId': { allow: TEAM },
  'POST /api/v1/elvs/:id/team/:userId/lead': { allow: TEAM },
  'GET /elvs/:id/team': { allow: SEES_ELV, note: 'the authority gets names, roles and the lead only' },
  'POST /elvs/:id/team': { allow: TEAM },
  'POST /elvs/:id/team/:userId/remove': { allow: TEAM },
  'POST /elvs/:id/team/:userId/lead': { allow: TEAM },
  'GET /account/conflicts': { allow: INSPECTORS, note: 'each their own list' },
  'POST /account/conflicts': { allow: INSPECTORS },
  'POST /account/conflicts/:conflictId/withdraw': { allow: ['hmiOther'], note: 'only the one who declared it (the fixture\'s is hmiOther\'s); 404 for anyone else' },

  // ---- timetable ------------------------------------------------------------------------------
  'GET /api/v1/elvs/:id/meetings': { allow: SEES_ELV },
  'POST /api/v1/elvs/:id/meetings': { allow: TEAM },
  'PUT /api/v1/elvs/:id/meetings/:meetingId': { allow: TEAM },
  'DELETE /api/v1/elvs/:id/meetings/:meetingId': { allow: TEAM },
  'POST /api/v1/elvs/:id/meetings/:meetingId/attendees': { allow: TEAM_OR_LA, note: 'the authority suggests attendees' },
  'GET /api/v1/elvs/:id/timetable.ics': { allow: SEES_ELV, note: 'once both visit days are set' },
  'GET /elvs/:id/timetable.ics': { allow: SEES_ELV, note: 'once both visit days are set' },
  'GET /elvs/:id/timetable': { allow: SEES_ELV },
  'POST /elvs/:id/timetable/meetings': { allow: TEAM },
  'POST /elvs/:id/timetable/meetings/:meetingId/delete': { allow: TEAM },
  'POST /elvs/:id/timetable/meetings/:meetingId/suggest': { allow: TEAM_OR_LA, note: 'the authority suggests attendees' },

  // ---- preparation, evidence, documents, search -------------------------------------------------
  'GET /elvs/:id/preparation': { allow: INSPECTORATE_SEES_ELV, note: 'link notes on it only for staff' },
  'GET /elvs/:id/evidence': { allow: INSPECTORATE_SEES_ELV },
  'POST /elvs/:id/evidence/bring-in': { allow: TEAM },
  'GET /elvs/:id/evidence/new': { allow: TEAM, note: 'while the visit is open' },
  'POST /elvs/:id/evidence': { allow: TEAM },
  'GET /elvs/:id/evidence/:eid': { allow: INSPECTORATE_SEES_ELV, note: 'the authority reads what it shared on its Documents tab' },
  'POST /elvs/:id/evidence/:eid': { allow: TEAM },
  'POST /elvs/:id/evidence/autosave': { allow: TEAM },
  'POST /elvs/:id/evidence/:eid/autosave': { allow: TEAM },
  'GET /api/v1/elvs/:id/evidence': { allow: SEES_ELV, note: 'the authority gets only what it shared' },
  'POST /api/v1/elvs/:id/evidence': { allow: TEAM_OR_LA, note: 'the authority records its own documents only' },
  'GET /api/v1/evidence/:id': { allow: SEES_ELV, note: 'the item tried is one the authority shared; its officer gets 404 for the team\'s own' },
  'PATCH /api/v1/evidence/:id': { allow: TEAM_OR_LA, note: 'the authority changes only what it shared' },
  'POST /api/v1/elvs/:id/evidence/bring-in': { allow: TEAM },
  'GET /evidence/:eid/files/:fid': { allow: SEES_ELV, note: 'a file the authority shared' },
  'GET /api/v1/evidence/:eid/files/:fid': { allow: SEES_ELV, note: 'a file the authority shared' },
  'POST /elvs/:id/evidence/:eid/files': { allow: TEAM_OR_LA, note: 'the authority adds files only to what it shared' },
  'GET /api/v1/evidence': { allow: SIGNED_IN, note: 'search: each finds only the evidence they may see' },
  'GET /search': { allow: SIGNED_IN, note: 'search: each finds only the evidence they may see' },

  // ---- findings and triangulation -------------------------------------------------------------
  'GET /api/v1/elvs/:id/findings': { allow: INSPECTORATE_SEES_ELV },
  'POST /api/v1/elvs/:id/findings': { allow: TEAM },
  'GET /api/v1/findings/:id': { allow: INSPECTORATE_SEES_ELV },
  'PATCH /api/v1/findings/:id': { allow: TEAM },
  'DELETE /api/v1/findings/:id': { allow: TEAM },
  'GET /api/v1/settings/triangulation': { allow: ADMIN_ONLY },
  'PUT /api/v1/settings/triangulation': { allow: ADMIN_ONLY },
  'GET /elvs/:id/findings': { allow: INSPECTORATE_SEES_ELV },
  'POST /elvs/:id/findings': { allow: TEAM },
  'GET /elvs/:id/findings/:findingId': { allow: INSPECTORATE_SEES_ELV },
  'POST /elvs/:id/findings/:findingId': { allow: TEAM },
  'POST /elvs/:id/findings/:findingId/delete': { allow: TEAM },
  'GET /elvs/:id/matrix': { allow: INSPECTORATE_SEES_ELV },
  'GET /admin/triangulation': { allow: ADMIN_ONLY },
  'POST /admin/triangulation': { allow: ADMIN_ONLY },

  // ---- the letter -----------------------------------------------------------------------------
  'POST /api/v1/elvs/:id/letter': { allow: TEAM },
  'GET /api/v1/elvs/:id/letter': { allow: INSPECTORATE_SEES_ELV, issued: SEES_ELV, note: 'the authority reads it once issued' },
  'PATCH /api/v1/elvs/:id/letter': { allow: TEAM },
  'GET /elvs/:id/letter': { allow: INSPECTORATE_SEES_ELV, issued: SEES_ELV, note: 'the authority reads it once issued' },
  'POST /elvs/:id/letter': { allow: TEAM },
  'GET /elvs/:id/letter/sections/:key': { allow: INSPECTORATE_SEES_ELV, issued: SEES_ELV, note: 'the authority reads it once issued' },
  'POST /elvs/:id/letter/sections/:key': { allow: TEAM },
  'GET /api/v1/writing-rules': { allow: INSPECTORS, note: 'the inspectorate\'s; authority users get 403' },
  'POST /api/v1/writing-rules': { allow: ADMIN_ONLY },
  'PATCH /api/v1/writing-rules/:code': { allow: ADMIN_ONLY },
  'POST /api/v1/writing-rules/check': { allow: INSPECTORS, note: 'the inspectorate\'s; authority users get 403' },
  'GET /admin/writing-rules': { allow: ADMIN_ONLY },
  'POST /admin/writing-rules': { allow: ADMIN_ONLY },
  'POST /admin/writing-rules/try': { allow: ADMIN_ONLY },
  'POST /admin/writing-rules/:code/enabled': { allow: ADMIN_ONLY },
  'POST /api/v1/elvs/:id/letter/submit': { allow: TEAM, note: 'the team submits' },
  'POST /api/v1/elvs/:id/letter/return': { allow: REVIEWERS, note: 'a reviewer not on the team (a rule, 409, once the role may)' },
  'POST /api/v1/elvs/:id/letter/approve': { allow: REVIEWERS, note: 'a reviewer not on the team (a rule, 409, once the role may)' },
  'GET /api/v1/elvs/:id/letter/revisions': { allow: INSPECTORATE_SEES_ELV, issued: INSPECTORATE_SEES_ELV },
  'GET /api/v1/elvs/:id/letter/comments': { allow: INSPECTORATE_SEES_ELV, issued: INSPECTORATE_SEES_ELV },
  'POST /api/v1/elvs/:id/letter/comments': { allow: REVIEWERS },
  'GET /api/v1/elvs/:id/letter/compare': { allow: INSPECTORATE_SEES_ELV },
  'GET /elvs/:id/letter/review': { allow: INSPECTORATE_SEES_ELV, issued: INSPECTORATE_SEES_ELV, note: 'never the authority\'s, even once issued' },
  'POST /elvs/:id/letter/submit': { allow: TEAM, note: 'the team submits' },
  'POST /elvs/:id/letter/return': { allow: REVIEWERS },
  'POST /elvs/:id/letter/approve': { allow: REVIEWERS },
  'POST /elvs/:id/letter/comments': { allow: REVIEWERS },
  'GET /elvs/:id/letter/compare': { allow: INSPECTORATE_SEES_ELV },
  'GET /letters/review': { allow: REVIEWERS },
  'GET /admin/letterhead': { allow: ADMIN_ONLY },
  'POST /admin/letterhead': { allow: ADMIN_ONLY },
  'GET /api/v1/settings/letterhead': { allow: ADMIN_ONLY },
  'PUT /api/v1/settings/letterhead': { allow: ADMIN_ONLY },
  'GET /api/v1/elvs/:id/letter.docx': { allow: INSPECTORATE_SEES_ELV, issued: SEES_ELV, note: 'the draft for the inspectorate; the issued files for the authority too' },
  'GET /elvs/:id/letter.docx': { allow: INSPECTORATE_SEES_ELV, issued: SEES_ELV, note: 'the draft for the inspectorate; the issued files for the authority too' },
  'GET /api/v1/elvs/:id/letter.pdf': { allow: INSPECTORATE_SEES_ELV, issued: SEES_ELV, note: 'the draft for the inspectorate; the issued files for the authority too' },
  'GET /elvs/:id/letter.pdf': { allow: INSPECTORATE_SEES_ELV, issued: SEES_ELV, note: 'the draft for the inspectorate; the issued files for the authority too' },
  'GET /api/v1/elvs/:id/letter.html': { allow: INSPECTORATE_SEES_ELV, issued: SEES_ELV, note: 'the draft for the inspectorate; the issued files for the authority too' },
  'GET /elvs/:id/letter.html': { allow: INSPECTORATE_SEES_ELV, issued: SEES_ELV, note: 'the draft for the inspectorate; the issued files for the authority too' },
  'POST /api/v1/elvs/:id/letter/issue': { allow: LEAD, note: 'once approved (409 before)' },
  'POST /elvs/:id/letter/issue': { allow: LEAD, note: 'once approved (409 before)' },
  'GET /elvs/:id/letter.:other': { allow: NOBODY, note: 'an unknown format: 404 for everyone signed in' },

  // ---- the programme and planning -------------------------------------------------------------
  'GET /api/v1/programme': { allow: STAFF },
  'POST /api/v1/programme/proposals': { allow: ADMIN_ONLY },
  'GET /api/v1/programme/proposals/:id': { allow: ADMIN_ONLY },
  'POST /api/v1/programme/proposals/:id/accept': { allow: ADMIN_ONLY },
  'POST /api/v1/elvs/:id/move': { allow: ADMIN_ONLY },
  'GET /programme': { allow: STAFF },
  'POST /programme/proposals': { allow: ADMIN_ONLY },
  'GET /programme/proposals/:id': { allow: ADMIN_ONLY },
  'POST /programme/proposals/:id/accept': { allow: ADMIN_ONLY },
  'GET /elvs/:id/move': { allow: ADMIN_ONLY },
  'POST /elvs/:id/move': { allow: ADMIN_ONLY },
  'POST /api/v1/plan': { allow: ADMIN_ONLY },
  'GET /admin/planning-rules': { allow: ADMIN_ONLY },
  'POST /admin/planning-rules': { allow: ADMIN_ONLY },
  'GET /api/v1/settings/planning': { allow: ADMIN_ONLY },
  'PUT /api/v1/settings/planning': { allow: ADMIN_ONLY },

  // ---- core inspections (published reports) ---------------------------------------------------
  'GET /admin/core-inspections': { allow: ADMIN_ONLY },
  'GET /admin/core-inspections/import': { allow: ADMIN_ONLY },
  'POST /admin/core-inspections/import': { allow: ADMIN_ONLY },
  'GET /admin/core-inspections/import/schema.json': { allow: ADMIN_ONLY },
  'GET /admin/core-inspections/new': { allow: ADMIN_ONLY },
  'POST /admin/core-inspections/new': { allow: ADMIN_ONLY },
  'GET /admin/core-inspections/:id': { allow: ADMIN_ONLY },
  'GET /admin/core-inspections/:id/details': { allow: ADMIN_ONLY },
  'POST /admin/core-inspections/:id/details': { allow: ADMIN_ONLY },
  'GET /admin/core-inspections/:id/:segment/:row': { allow: ADMIN_ONLY },
  'POST /admin/core-inspections/:id/:segment/:row': { allow: ADMIN_ONLY },
  'GET /admin/core-inspections/:id/:segment/:row/remove': { allow: ADMIN_ONLY },
  'POST /admin/core-inspections/:id/:segment/:row/remove': { allow: ADMIN_ONLY },
  'GET /api/v1/core-inspections': { allow: SIGNED_IN, note: 'published inspection reports' },
  'GET /api/v1/core-inspections/import-schema': { allow: SIGNED_IN },
  'GET /api/v1/core-inspections/:id': { allow: SIGNED_IN, note: 'published inspection reports' },
  'PUT /api/v1/core-inspections/:id': { allow: ADMIN_ONLY },
  'POST /api/v1/core-inspections/import': { allow: ADMIN_ONLY },

  // ---- Early Insights -------------------------------------------------------------------------
  'GET /insights': { allow: STAFF },
  'GET /insights/:year': { allow: STAFF },
  'GET /insights/:year/summary.html': { allow: STAFF },
  'GET /insights/:year/summary.docx': { allow: STAFF },
  'GET /insights/:year/summary.pdf': { allow: STAFF },
  'GET /insights/:year/point': { allow: REVIEWERS },
  'POST /insights/:year/point': { allow: REVIEWERS },
  'POST /insights/:year/publish': { allow: REVIEWERS },
  'GET /api/v1/insights/:year': { allow: STAFF },
  'GET /api/v1/insights/:year/summary.html': { allow: STAFF },
  'GET /api/v1/insights/:year/summary.docx': { allow: STAFF },
  'GET /api/v1/insights/:year/summary.pdf': { allow: STAFF },
  'PUT /api/v1/insights/:year/points': { allow: REVIEWERS },
  'DELETE /api/v1/insights/:year/points': { allow: REVIEWERS },
  'POST /api/v1/insights/:year/publish': { allow: REVIEWERS },
}

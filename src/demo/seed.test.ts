import { describe, expect, it } from 'vitest'
import { ROLES, type ElvState, type Term } from '../db/schema.ts'
import { fixedClock } from '../clock.ts'
import { systemActor } from '../modules/auth/actor.ts'
import { DUE_SOON_DAYS } from '../modules/visits/dashboard.view.ts'
import { termSeeds } from '../modules/reference/reference.data.ts'
import { testEngines } from '../../test/helpers/engines.ts'
import { useTestApp } from '../../test/helpers/test-app.ts'
import { DEMO_DOMAIN, demoCalendar, seedDemo } from './seed.ts'
import { solvePlan } from '../modules/planning/planner.ts'
import { checkPlan } from '../modules/planning/plan.rules.ts'
import { DEFAULT_RULES } from '../modules/planning/plan.types.ts'

// Three weeks before the spring term of 2027: the autumn term is under way and Powys's
// notification (due on the first day of spring) falls due soon.
const TODAY = '2026-12-10'
const SWANSEA = 'W06000011'
const EVERY_STATE: ElvState[] = ['planned', 'notified', 'focus_agreed', 'prepared', 'fieldwork', 'drafting', 'quality_assurance', 'issued', 'postponed', 'cancelled']
const days = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000)

for (const engine of testEngines()) {
  describe(`demo seed on ${engine.name}`, () => {
    const ctx = useTestApp(engine, { clock: fixedClock(`${TODAY}T10:00:00.000Z`) })
    const system = systemActor('test')

    it('creates a fictional account of every role on a freshly bootstrapped database, each able to sign in', async () => {
      const { accounts } = await seedDemo(ctx.services)
      expect(new Set(accounts.map((a) => a.role))).toEqual(new Set(ROLES))
      expect(accounts.filter((a) => a.role === 'hmi')).toHaveLength(10)
      for (const a of accounts) {
        expect(a.email.endsWith(`@${DEMO_DOMAIN}`)).toBe(true)
        expect(a.name).toMatch(/^Demo /)
        expect(a.password).toEqual(expect.any(String))
        expect((await ctx.services.auth.signIn(a.email, a.password!)).ok).toBe(true)
      }
      const peer = accounts.find((a) => a.role === 'peer')!
      const la = accounts.find((a) => a.role === 'la')!
      expect(peer.authorityCode).toBeTruthy()
      expect(la.authorityCode).toBe(SWANSEA)
      expect(la.authorityCode).not.toBe(peer.authorityCode)

      const withDirectors = (await ctx.services.reference.listAuthorities()).filter((a) => a.director_name)
      expect(withDirectors.length).toBeGreaterThanOrEqual(2)
      for (const a of withDirectors) {
        expect(a.director_name).toMatch(/^Demo /)
        expect(a.director_email).toMatch(new RegExp(`@${DEMO_DOMAIN.replace(/\./g, '\\.')}$`))
      }
      const audit = await ctx.services.database.db.selectFrom('audit_event').select('action').where('actor_label', '=', 'demo').execute()
      expect(audit.filter((e) => e.action === 'user.create')).toHaveLength(accounts.length)
    })

    it('has ELVs at every state but closed across several authorities, each as its state requires', async () => {
      const { visits, focusAreas, team, timetable } = ctx.services
      const elvs = await visits.list(system)
      const inState = (s: ElvState) => elvs.filter((e) => e.state === s)
      for (const s of EVERY_STATE) expect(inState(s).length, `ELVs in state ${s}`).toBeGreaterThan(0)
      expect(new Set(elvs.map((e) => e.authority_code)).size).toBeGreaterThanOrEqual(6)

      // Planned: one whose notification is late, one falling due within the dashboard's "soon".
      const planned = inState('planned')
      expect(planned.filter((e) => e.lateNotification)).toHaveLength(1)
      const soon = planned.filter((e) => !e.lateNotification && e.notifyBy !== null && days(TODAY, e.notifyBy) <= DUE_SOON_DAYS)
      expect(soon).toHaveLength(1)

      // Notified: the notification went to the (fictional) director.
      for (const e of inState('notified')) {
        expect(e.notified_at).toBeTruthy()
        expect((await ctx.services.mail.forEntity('elv', e.id)).length).toBe(1)
      }

      // Focus agreed and beyond: two focus areas, each agreed by both sides.
      for (const e of [...inState('focus_agreed'), ...inState('prepared'), ...inState('fieldwork')]) {
        const areas = await focusAreas.list(system, e.id)
        expect(areas, `focus areas of ${e.authority_name_en}`).toHaveLength(2)
        for (const f of areas) {
          expect(f.title).toMatch(/^Demo: /)
          expect(f.inspectorate_agreed_at && f.authority_agreed_at).toBeTruthy()
          expect(f.inspectorate_agreed_by_name && f.authority_agreed_by_name).toMatch(/^Demo /)
        }
      }

      // Prepared and fieldwork: a team of three with one lead, a meeting for each focus area, visit days set.
      for (const e of [...inState('prepared'), ...inState('fieldwork')]) {
        const t = await team.team(system, e.id)
        expect(t.members).toHaveLength(3)
        expect(t.members.filter((m) => m.lead)).toHaveLength(1)
        const { meetings, overlaps } = await timetable.list(system, e.id)
        expect(overlaps).toEqual([])
        for (const f of await focusAreas.list(system, e.id)) expect(meetings.some((m) => m.focusAreas.some((x) => x.id === f.id))).toBe(true)
        for (const m of meetings) expect(m.attendees.length && m.inspectors.length).toBeGreaterThan(0)
        expect(e.visit_day1 && e.visit_day2).toBeTruthy()
      }
      for (const e of inState('prepared')) expect(e.visit_day1! > TODAY).toBe(true)
      for (const e of inState('fieldwork')) {
        expect(e.visit_day1! <= TODAY).toBe(true)
        expect(e.visit_day2! > e.visit_day1!).toBe(true)
      }

      // Postponed and cancelled, each with its reason.
      for (const s of ['postponed', 'cancelled'] as const) for (const e of inState(s)) expect(e.state_reason).toMatch(/^Demo: /)

      // Every state was reached through the rules, and each step is on the ELV's history.
      const transitions = await ctx.services.database.db.selectFrom('audit_event').select(['entity_id', 'details'])
        .where('action', '=', 'elv.transition').where('entity_type', '=', 'elv').orderBy('id').execute()
      const fieldwork = inState('fieldwork')[0]!
      const steps = transitions.filter((x) => x.entity_id === String(fieldwork.id)).map((x) => (JSON.parse(x.details) as { to: string }).to)
      expect(steps).toEqual(['notified', 'focus_agreed', 'prepared', 'fieldwork'])
    })

    it('gives the visits in fieldwork and drafting realistic evidence and findings, some secure and some not', async () => {
      const elvs = (await ctx.services.visits.list(system)).filter((e) => e.state === 'fieldwork' || e.state === 'drafting')
      expect(elvs.map((e) => e.state).sort()).toEqual(['drafting', 'fieldwork'])
      const secure: boolean[] = []
      for (const e of elvs) {
        const items = await ctx.services.evidence.list(system, e.id)
        expect(items.length, `evidence of ${e.authority_name_en}`).toBeGreaterThanOrEqual(5)
        expect(new Set(items.map((i) => i.kind)).size).toBeGreaterThanOrEqual(3)
        expect(items.some((i) => i.from_authority === 1)).toBe(true)
        for (const i of items) expect(i.title).toMatch(/^Demo: /)
        const findings = await ctx.services.findings.list(system, e.id)
        // Every focus area has a finding, and every finding rests on evidence of its own visit.
        for (const f of await ctx.services.focusAreas.list(system, e.id)) expect(findings.some((x) => x.focusAreaId === f.id)).toBe(true)
        for (const f of findings) {
          expect(f.evidence.length).toBeGreaterThan(0)
          secure.push(f.triangulation.secure)
        }
      }
      expect(secure).toContain(true)
      expect(secure).toContain(false)
    })

    it('has a letter being drafted, one in review and one issued in both languages', async () => {
      const { letters, letterIssue, visits } = ctx.services
      const byState = async (s: ElvState) => (await visits.list(system)).find((e) => e.state === s)!
      expect((await letters.model(system, (await byState('drafting')).id)).state).toBe('draft')
      const inReview = await letters.model(system, (await byState('quality_assurance')).id)
      expect(inReview.state).toBe('in_review')
      const issuedElv = await byState('issued')
      const issued = await letters.model(system, issuedElv.id)
      expect(issued.state).toBe('issued')
      for (const letter of [inReview, issued]) {
        for (const s of letter.sections) for (const p of s.paragraphs) expect(p.text.cy.trim() && p.text.en.trim(), `${s.key} in both languages`).toBeTruthy()
      }
      expect((await letterIssue.issuedFiles(system, issuedElv.id)).length).toBe(9)
      const mail = await ctx.services.mail.forEntity('elv', issuedElv.id)
      expect(mail.filter((m) => m.attachments)).toHaveLength(1)
    })

    it('gives the demo HMI’s authority its link inspector, link notes, a core inspection with R1-R3, and providers', async () => {
      const { reference, linkNotes, focusAreas, providers, users } = ctx.services
      const hmi = await users.byEmail(`hmi.one@${DEMO_DOMAIN}`)
      expect((await reference.getAuthority(SWANSEA)).link_inspector_id).toBe(hmi!.id)
      const notes = await linkNotes.list(system, SWANSEA)
      expect(notes.length).toBeGreaterThanOrEqual(3)
      for (const n of notes) expect(n.title).toMatch(/^Demo: /)
      const swanseaElv = (await ctx.services.visits.list(system, { authority: SWANSEA }))[0]!
      const recommendations = await focusAreas.recommendations(system, swanseaElv.id)
      expect(recommendations.map((r) => r.code).sort()).toEqual(['R1', 'R2', 'R3'])
      for (const r of recommendations) expect(r.text_en && r.text_cy).toMatch(/^Demo: /)
      // The prepared visit cites R1; the notified one cites a link note.
      const cited = (await Promise.all((await ctx.services.visits.list(system, { authority: SWANSEA })).map((e) => focusAreas.list(system, e.id)))).flat()
      expect(cited.some((f) => f.recommendation_code === 'R1')).toBe(true)
      expect(cited.some((f) => f.linkNotes.length > 0)).toBe(true)
      expect(await providers.count()).toBeGreaterThanOrEqual(5)
      const prep = await providers.preparation(system, swanseaElv.id)
      expect(prep.providers.length).toBeGreaterThan(0)
    })

    it('gives the planner enough to staff the whole cycle: a plan exists with the default rules', async () => {
      const p = await ctx.services.programme.current()
      expect(p.input.rules).toEqual(DEFAULT_RULES)
      expect(p.authorities.filter((a) => a.linkInspectorId === null)).toEqual([])
      expect(p.authorities.filter((a) => a.welshMedium).map((a) => a.nameEn).sort()).toEqual(['Carmarthenshire', 'Ceredigion', 'Gwynedd', 'Isle of Anglesey'])
      expect(p.input.inspectors.filter((i) => i.welsh).length).toBeGreaterThanOrEqual(4)
      expect(p.input.inspectors.filter((i) => i.kind === 'peer').length).toBeGreaterThanOrEqual(3)
      expect(p.input.inspectors.some((i) => i.unavailable.length > 0)).toBe(true)
      // The ELVs already fixed keep the rules among themselves (teams are built later, so only where they go is checked).
      const placement = checkPlan(p.input, p.input.fixed.map((f) => ({ ...f, fixed: true })))
        .filter((b) => ['minTermsBetweenElvs', 'minTermsFromCoreInspection', 'maxElvsPerTerm', 'inspectorAvailability', 'inspectorMaxElvsPerTerm'].includes(b.rule))
      expect(placement).toEqual([])

      const plan = await solvePlan(p.input, { timeLimitSeconds: 60 })
      expect(plan.conflicts).toEqual([])
      expect(plan.status).not.toBe('infeasible')
      expect(plan.visits.length + p.input.fixed.length).toBe(44)
      // Every ELV the planner placed keeps every rule, the fixed ones counted alongside.
      const placed = new Set(plan.visits.map((v) => `${v.gssCode}/${v.ordinal}`))
      const breaches = checkPlan(p.input, [...p.input.fixed.map((f) => ({ ...f, fixed: true })), ...plan.visits])
      expect(breaches.filter((b) => b.gssCode !== undefined && placed.has(`${b.gssCode}/${b.ordinal}`))).toEqual([])
      expect(breaches.filter((b) => b.rule === 'maxElvsPerTerm' || b.rule === 'inspectorMaxElvsPerTerm')).toEqual([])
    }, 120_000)

    it('leaves existing demo accounts, directors and visits alone when run again', async () => {
      const before = await ctx.services.users.count()
      const directors = (await ctx.services.reference.listAuthorities()).filter((a) => a.director_name)
      const visitsBefore = (await ctx.services.visits.list(system)).map((e) => [e.id, e.state, e.version])
      const { accounts, visits } = await seedDemo(ctx.services)
      expect(await ctx.services.users.count()).toBe(before)
      expect(accounts.map((a) => a.password)).toEqual(accounts.map(() => null))
      const after = (await ctx.services.reference.listAuthorities()).filter((a) => a.director_name)
      expect(after.map((a) => [a.gss_code, a.version])).toEqual(directors.map((a) => [a.gss_code, a.version]))
      expect((await ctx.services.visits.list(system)).map((e) => [e.id, e.state, e.version])).toEqual(visitsBefore)
      expect(visits).toHaveLength(visitsBefore.length)
    })
  })
}

describe('demoCalendar', () => {
  const terms: Term[] = termSeeds().map((s) => ({ key: s.key, academic_year: s.academicYear, season: s.season, starts_on: s.startsOn, ends_on: s.endsOn, version: 1, updated_at: '' }))
  const within = (key: string, day: string) => {
    const t = terms.find((x) => x.key === key)!
    return day >= t.starts_on && day <= t.ends_on
  }

  it.each(['2026-12-10', '2026-11-22', '2026-09-01', '2026-08-10', '2027-07-19', '2025-01-06'])('on %s puts fieldwork on two days by today, in one term, the others ahead', (today) => {
    const c = demoCalendar(terms, today)!
    const [d1, d2] = c.fieldwork.days
    expect(d1 <= today).toBe(true)
    expect(d2 > d1).toBe(true)
    expect(within(c.fieldwork.term, d1) && within(c.fieldwork.term, d2)).toBe(true)
    expect(within(c.next.term, c.next.days[0]) && within(c.next.term, c.next.days[1])).toBe(true)
    expect(c.next.days[0] > today).toBe(true)
    const keys = [c.fieldwork.term, c.next.term, c.afterNext, c.later]
    expect(new Set(keys).size).toBe(4)
    for (const d of [d1, d2, ...c.next.days]) expect([0, 6]).not.toContain(new Date(`${d}T00:00:00Z`).getUTCDay())
  })

  it('has nothing to offer before the cycle or at its very end', () => {
    expect(demoCalendar(terms, '2024-08-01')).toBeNull()
    expect(demoCalendar(terms, '2030-07-01')).toBeNull()
  })
})

import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp } from '../../../test/helpers/test-app.ts'
import { fixedClock } from '../../clock.ts'
import type { AppUser, ElvState } from '../../db/schema.ts'
import { systemActor, type UserActor } from '../auth/actor.ts'
import { demoRepository } from '../../demo/demo.repository.ts'
import { parsePlanRequest } from './plan.input.ts'
import { DEFAULT_RULES } from './plan.types.ts'

const CEREDIGION = 'W06000008'
const POWYS = 'W06000023'
const CONWY = 'W06000003'
const NEWPORT = 'W06000022'
const CARDIFF = 'W06000015'
// The autumn term of 2026 is under way: the spring term of 2027 is the first that still allows a term's notice.
const TODAY = '2026-11-23T10:00:00.000Z'

const asActor = (u: AppUser): UserActor => ({ kind: 'user', id: u.id, name: u.name, email: u.email, role: u.role, authorityCode: u.authority_code })

for (const engine of testEngines()) {
  describe(`the programme as the planner sees it, on ${engine.name}`, () => {
    const clock = fixedClock(TODAY)
    const ctx = useTestApp(engine, { clock })
    const system = systemActor('test')

    const setAuthority = async (gss: string, patch: Record<string, unknown>) => {
      const a = await ctx.services.reference.getAuthority(gss)
      return ctx.services.reference.updateAuthority(system, gss, {
        nameEn: a.name_en, nameCy: a.name_cy, directorName: a.director_name ?? '', directorEmail: a.director_email ?? '',
        preferredLanguage: a.preferred_language, version: a.version, ...patch,
      })
    }
    const elv = async (authority: string, term: string, state: ElvState, team: Array<{ user: AppUser; lead?: boolean }> = []) => {
      const e = await ctx.services.visits.create(system, { authority, term })
      for (const m of team) await ctx.services.team.add(system, e.id, { email: m.user.email, lead: m.lead ?? false })
      await ctx.services.database.db.updateTable('elv').set({ state }).where('id', '=', e.id).execute()
      return e
    }
    // One core inspection per authority and academic year: the year is the one its first day falls in.
    const academicYearOf = (date: string) => {
      const y = Number(date.slice(0, 4)) - (Number(date.slice(5, 7)) >= 9 ? 0 : 1)
      return `${y}-${y + 1}`
    }
    const coreInspection = (authorityCode: string, startsOn: string) => ctx.services.database.db.transaction().execute((trx) =>
      demoRepository(trx).insertCoreInspection({ authorityCode, academicYear: academicYearOf(startsOn), frameworkKey: 'lges-2024', startsOn, endsOn: startsOn, reportUrl: null, recommendations: [{ code: 'R1', textEn: 'x', textCy: 'x' }] }, TODAY))

    it('gives the planner the cycle’s terms, authorities, inspectors, rules and fixed ELVs, and lists every live ELV', async () => {
      const { programme, users, team } = ctx.services
      const link = await ctx.make.user('hmi', { name: 'Link Inspector' })
      const other = await ctx.make.user('hmi', { name: 'Other Inspector' })
      const peer = await ctx.make.user('peer', { authority: CARDIFF, name: 'Peer Inspector' })
      const leaver = await ctx.make.user('hmi', { name: 'Inspector Who Left' })
      await ctx.make.user('admin')
      await ctx.make.user('la', { authority: CEREDIGION })
      await ctx.make.user('reviewer')

      await setAuthority(CEREDIGION, { linkInspectorId: link.id, welshMedium: true })
      await coreInspection(CEREDIGION, '2021-10-04')
      await coreInspection(CEREDIGION, '2025-02-03')
      await coreInspection(POWYS, '2019-05-01')
      const facts = await programme.inspectorFacts(link.id)
      await programme.saveInspectorFacts(system, link.id, { welshSpeaker: 'yes', maxElvsPerTerm: '2', version: facts.version })
      const otherFacts = await programme.inspectorFacts(other.id)
      await programme.saveInspectorFacts(system, other.id, { maxElvsPerTerm: '1', unavailable: ['2027-2028/autumn'], reasons: { '2027-2028/autumn': 'Leave' }, version: otherFacts.version })
      await team.declareConflict(asActor(other), { authority: POWYS, reason: 'Former employee' })

      const fieldwork = await elv(CEREDIGION, '2026-2027/autumn', 'fieldwork', [{ user: link, lead: true }, { user: other }, { user: peer }])
      const planned = await elv(CEREDIGION, '2028-2029/autumn', 'planned')
      const postponed = await elv(POWYS, '2027-2028/spring', 'postponed', [{ user: leaver, lead: true }])
      const conwy = await elv(CONWY, '2026-2027/spring', 'planned', [{ user: other, lead: true }])
      await elv(NEWPORT, '2026-2027/summer', 'cancelled')
      const gone = await users.get(leaver.id)
      await users.update(system, leaver.id, { name: gone.name, role: 'hmi', disabled: 'yes', version: gone.version })

      const p = await programme.current()
      expect(p.cycle).toBe('2024-2030')
      expect(p.input.terms).toHaveLength(18)
      expect(p.input.terms[0]).toEqual({ key: '2024-2025/autumn', start: '2024-09-02', end: '2024-12-20' })
      expect(p.input.terms.at(-1)!.key).toBe('2029-2030/summer')
      expect(p.currentTerm).toBe('2026-2027/autumn')
      expect(p.input.firstTerm).toBe('2026-2027/spring')
      expect(p.input.rules).toEqual(DEFAULT_RULES)

      expect(p.input.authorities).toHaveLength(22)
      const authority = (gss: string) => p.input.authorities.find((a) => a.gssCode === gss)!
      // The latest core inspection counts; one before the cycle still has its term.
      expect(authority(CEREDIGION)).toEqual({ gssCode: CEREDIGION, coreInspectionTerm: '2024-2025/spring', elvsDone: 0, welshMedium: true })
      expect(authority(POWYS)).toEqual({ gssCode: POWYS, coreInspectionTerm: '2018-2019/summer', elvsDone: 0, welshMedium: false })
      expect(authority(CONWY).coreInspectionTerm).toBeNull()
      expect(p.authorities.find((a) => a.gssCode === CEREDIGION)).toMatchObject({ nameEn: 'Ceredigion', nameCy: 'Ceredigion', welshMedium: true, linkInspectorId: String(link.id) })

      // Active HMIs and peer inspectors only, each as the planner knows them.
      expect(p.input.inspectors.map((i) => i.id).sort()).toEqual([link, other, peer].map((u) => String(u.id)).sort())
      const inspector = (u: AppUser) => p.input.inspectors.find((i) => i.id === String(u.id))!
      expect(inspector(link)).toEqual({ id: String(link.id), kind: 'hmi', authority: null, welsh: true, linkFor: [CEREDIGION], maxElvsPerTerm: 2, unavailable: [], avoid: [] })
      expect(inspector(other)).toEqual({ id: String(other.id), kind: 'hmi', authority: null, welsh: false, linkFor: [], maxElvsPerTerm: 1, unavailable: ['2027-2028/autumn'], avoid: [POWYS] })
      expect(inspector(peer)).toMatchObject({ kind: 'peer', authority: CARDIFF, welsh: false, maxElvsPerTerm: 1 })
      expect(p.inspectors).toContainEqual({ id: String(peer.id), name: 'Peer Inspector', kind: 'peer' })

      // Fixed: notified or later, postponed included; planned and cancelled are not.
      expect(p.input.fixed).toEqual([
        { gssCode: CEREDIGION, ordinal: 1, term: '2026-2027/autumn', lead: String(link.id), team: [link, other, peer].map((u) => String(u.id)) },
        // Someone no longer an inspector is left off the team the planner sees.
        { gssCode: POWYS, ordinal: 1, term: '2027-2028/spring', lead: null, team: [] },
      ])
      expect(p.elvs.map((e) => [e.elvId, e.term, e.state, e.fixed])).toEqual([
        [fieldwork.id, '2026-2027/autumn', 'fieldwork', true],
        [conwy.id, '2026-2027/spring', 'planned', false],
        [postponed.id, '2027-2028/spring', 'postponed', true],
        [planned.id, '2028-2029/autumn', 'planned', false],
      ])
      expect(p.elvs.find((e) => e.elvId === planned.id)).toMatchObject({ gssCode: CEREDIGION, ordinal: 2, lead: null, team: [], version: expect.any(Number) })
      expect(p.elvs.find((e) => e.elvId === conwy.id)).toMatchObject({ lead: String(other.id), team: [String(other.id)] })
      expect(p.elvs.find((e) => e.elvId === postponed.id)).toMatchObject({ lead: String(leaver.id), team: [String(leaver.id)] })
      expect(p.names?.[String(leaver.id)]).toBe('Inspector Who Left')

      // What Cyswllt gives the planner passes the planner's own input checks.
      const parsed = parsePlanRequest(JSON.parse(JSON.stringify(p.input)))
      expect(parsed.ok ? [] : parsed.problems).toEqual([])
    })

    it('takes the first plannable term from the clock', async () => {
      try {
        clock.set('2026-12-25T12:00:00.000Z')
        expect(await ctx.services.programme.current()).toMatchObject({ currentTerm: '2026-2027/spring', input: { firstTerm: '2026-2027/summer' } })
        clock.set('2027-01-04T09:00:00.000Z')
        expect(await ctx.services.programme.current()).toMatchObject({ currentTerm: '2026-2027/spring', input: { firstTerm: '2026-2027/summer' } })
        clock.set('2030-08-01T09:00:00.000Z')
        expect(await ctx.services.programme.current()).toMatchObject({ currentTerm: null, input: { firstTerm: '2030-2031/autumn' } })
      } finally {
        clock.set(TODAY)
      }
    })

    it('keeps the planning rules as settings: version-checked, audited, and given to the planner', async () => {
      const { programme } = ctx.services
      const before = await programme.rules()
      const rules = { ...DEFAULT_RULES, maxElvsPerTerm: 5, leadIsLinkInspector: false }
      const saved = await programme.saveRules(system, { ...rules, version: before.version })
      expect(saved).toMatchObject({ rules, version: before.version + 1, updatedAt: TODAY })
      expect((await programme.current()).input.rules).toEqual(rules)
      await expect(programme.saveRules(system, { ...DEFAULT_RULES, version: before.version })).rejects.toMatchObject({ code: 'version_conflict' })
      await expect(programme.saveRules(system, { ...DEFAULT_RULES, teamSize: 0 })).rejects.toMatchObject({
        code: 'validation_failed', details: [{ path: 'teamSize', messageKey: 'planning.rules.error.range' }, { path: 'version', messageKey: 'validation.integer' }],
      })
      const hmi = await ctx.make.user('hmi')
      await expect(programme.saveRules(asActor(hmi), { ...DEFAULT_RULES, version: saved.version })).rejects.toMatchObject({ code: 'forbidden' })
      const audit = await ctx.services.database.db.selectFrom('audit_event').select(['details']).where('action', '=', 'settings.planning').execute()
      expect(audit.map((a) => JSON.parse(a.details))).toEqual([{ from: DEFAULT_RULES, to: rules }])
      await programme.saveRules(system, { ...DEFAULT_RULES, version: saved.version })
    })

    it('edits what the planner knows of an inspector: terms from the current one on, checked and audited', async () => {
      const { programme, database } = ctx.services
      const hmi = await ctx.make.user('hmi')
      // A past term marked long ago stays as a record, untouched by saving.
      await database.db.insertInto('inspector_unavailability').values({ user_id: hmi.id, term_key: '2025-2026/spring', reason: 'Leave', created_at: TODAY }).execute()
      const facts = await programme.inspectorFacts(hmi.id)
      expect(facts).toMatchObject({ welshSpeaker: false, maxElvsPerTerm: 1, version: hmi.version, earlier: [{ key: '2025-2026/spring', reason: 'Leave' }] })
      expect(facts.terms[0]).toMatchObject({ key: '2026-2027/autumn', unavailable: false, reason: null })
      expect(facts.terms).toHaveLength(12)

      await expect(programme.saveInspectorFacts(system, hmi.id, {
        maxElvsPerTerm: '7', unavailable: ['2026-2027/summer', '2025-2026/summer'], reasons: { '2026-2027/summer': 'x'.repeat(201) }, version: facts.version,
      })).rejects.toMatchObject({ code: 'validation_failed', details: [
        { path: 'maxElvsPerTerm', messageKey: 'planning.inspector.error.maxRange' },
        { path: 'reason.2026-2027/summer', messageKey: 'validation.tooLong' },
        { path: 'unavailable', messageKey: 'planning.inspector.error.term', params: { term: '2025-2026/summer' } },
      ] })
      const saved = await programme.saveInspectorFacts(system, hmi.id, {
        welshSpeaker: 'yes', maxElvsPerTerm: '0', unavailable: ['2026-2027/summer', '2027-2028/spring'], reasons: { '2026-2027/summer': ' Secondment ', '2027-2028/spring': '' }, version: facts.version,
      })
      expect(saved).toMatchObject({ welshSpeaker: true, maxElvsPerTerm: 0, version: facts.version + 1 })
      expect(saved.terms.filter((t) => t.unavailable).map((t) => [t.key, t.reason])).toEqual([['2026-2027/summer', 'Secondment'], ['2027-2028/spring', null]])
      expect(saved.earlier).toEqual([{ key: '2025-2026/spring', reason: 'Leave' }])
      // Unticking a term frees it again; an old version is refused.
      const again = await programme.saveInspectorFacts(system, hmi.id, { welshSpeaker: 'yes', maxElvsPerTerm: '2', unavailable: '2027-2028/spring', version: saved.version })
      expect(again.terms.filter((t) => t.unavailable).map((t) => t.key)).toEqual(['2027-2028/spring'])
      await expect(programme.saveInspectorFacts(system, hmi.id, { maxElvsPerTerm: '1', version: saved.version })).rejects.toMatchObject({ code: 'version_conflict' })
      const rows = await database.db.selectFrom('inspector_unavailability').select('term_key').where('user_id', '=', hmi.id).orderBy('term_key').execute()
      expect(rows.map((r) => r.term_key)).toEqual(['2025-2026/spring', '2027-2028/spring'])
      const audit = await database.db.selectFrom('audit_event').select(['entity_id', 'details']).where('action', '=', 'user.planning').where('entity_id', '=', String(hmi.id)).orderBy('id').execute()
      expect(audit).toHaveLength(2)
      expect(JSON.parse(audit[1]!.details).after).toEqual({ welshSpeaker: true, maxElvsPerTerm: 2, unavailable: [{ term: '2025-2026/spring', reason: 'Leave' }, { term: '2027-2028/spring', reason: null }] })

      const la = await ctx.make.user('la', { authority: CEREDIGION })
      await expect(programme.inspectorFacts(la.id)).rejects.toMatchObject({ code: 'rule_violation' })
      await expect(programme.saveInspectorFacts(asActor(hmi), hmi.id, { maxElvsPerTerm: '1', version: again.version })).rejects.toMatchObject({ code: 'forbidden' })
    })
  })
}

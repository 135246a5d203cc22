import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp } from '../../../test/helpers/test-app.ts'
import { systemActor, type UserActor } from '../auth/actor.ts'
import type { AppUser, ElvState, EvidenceKind } from '../../db/schema.ts'
import { fixedClock } from '../../clock.ts'

const asActor = (u: AppUser): UserActor => ({ kind: 'user', id: u.id, name: u.name, email: u.email, role: u.role, authorityCode: u.authority_code })
const TERM = '2026-2027/spring'

for (const engine of testEngines()) {
  describe(`findings service on ${engine.name}`, () => {
    const ctx = useTestApp(engine, { clock: fixedClock('2026-07-01T09:00:00.000Z') })
    const system = systemActor('test')
    const setState = (elvId: number, state: ElvState) => ctx.services.database.db.updateTable('elv').set({ state }).where('id', '=', elvId).execute()

    /** An ELV with a lead HMI and two focus areas; `add` records evidence on it. */
    async function visit(authority: string) {
      const hmi = asActor(await ctx.make.user('hmi'))
      const elv = await ctx.services.visits.create(system, { authority, term: TERM })
      await ctx.services.team.add(system, elv.id, { email: hmi.email, lead: true })
      const fa1 = await ctx.services.focusAreas.propose(system, elv.id, { title: 'Attendance and exclusions', description: 'How well the authority improves attendance', source: 'authority_priority' })
      const fa2 = await ctx.services.focusAreas.propose(system, elv.id, { title: 'Additional learning needs', description: 'The ALN reforms', source: 'national_priority' })
      const add = (kind: EvidenceKind, source: string, focusAreaIds: number[] = [fa1.id]) =>
        ctx.services.evidence.create(hmi, elv.id, { kind, title: `${kind} from ${source}`, body: 'Notes', source, focusAreaIds })
      return { elv, hmi, fa1, fa2, add }
    }

    it('records a finding on its evidence and works out its triangulation', async () => {
      const { elv, hmi, fa1, add } = await visit('W06000001')
      const a = await add('meeting_note', 'Director of Education')
      const b = await add('data', 'director of  education')
      const c = await add('authority_document', 'Attendance strategy')
      const f = await ctx.services.findings.create(hmi, elv.id, { focusAreaId: fa1.id, kind: 'working_well', text: '  Attendance is improving\r\nin secondary schools  ', evidenceIds: [a.id, b.id, String(c.id)], themes: ['attendance'] })
      expect(f).toMatchObject({ elvId: elv.id, focusAreaId: fa1.id, kind: 'working_well', text: 'Attendance is improving\nin secondary schools', version: 1 })
      expect(f.evidence.map((e) => e.id)).toEqual([a.id, b.id, c.id])
      expect(f.themes.map((t) => t.key)).toEqual(['attendance'])
      // "Director of Education" twice, spelt differently, is one source.
      expect(f.triangulation).toEqual({ items: 3, kinds: 3, sources: 2, secure: true, missing: [] })

      const thin = await ctx.services.findings.create(hmi, elv.id, { focusAreaId: fa1.id, kind: 'improvement', text: 'Exclusions are too high', evidenceIds: [a.id, b.id] })
      expect(thin.triangulation).toMatchObject({ items: 2, kinds: 2, sources: 1, secure: false, missing: [{ rule: 'items', have: 2, need: 3 }, { rule: 'sources', have: 1, need: 2 }] })
      const later = await ctx.services.findings.create(hmi, elv.id, { focusAreaId: fa1.id, kind: 'working_well', text: 'Leaders track attendance weekly' })
      // Working well before improvement within a focus area, each oldest first.
      expect((await ctx.services.findings.list(hmi, elv.id)).map((x) => x.id)).toEqual([f.id, later.id, thin.id])

      const events = await ctx.services.audit.list({ entityType: 'elv', entityId: String(elv.id) }, { limit: 50, offset: 0 })
      expect(events.items.filter((e) => e.action === 'finding.create')).toHaveLength(3)
    })

    it('refuses evidence of another visit, naming each item, and a focus area of another visit', async () => {
      const one = await visit('W06000002')
      const other = await visit('W06000003')
      const ours = await one.add('meeting_note', 'Head of service')
      const theirs1 = await other.add('meeting_note', 'Someone else')
      const theirs2 = await other.add('data', 'Someone else')
      const error = await ctx.services.findings.create(one.hmi, one.elv.id, {
        focusAreaId: other.fa1.id, kind: 'working_well', text: 'Mixed up', evidenceIds: [ours.id, theirs1.id, theirs2.id, 999999],
      }).catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'validation_failed', status: 400 })
      expect((error as { details: unknown[] }).details).toEqual([
        { path: 'focusAreaId', messageKey: 'findings.rule.focusAreaNotOfVisit', params: { id: other.fa1.id } },
        { path: 'evidenceIds', messageKey: 'findings.rule.evidenceNotOfVisit', params: { id: theirs1.id } },
        { path: 'evidenceIds', messageKey: 'findings.rule.evidenceNotOfVisit', params: { id: theirs2.id } },
        { path: 'evidenceIds', messageKey: 'findings.rule.evidenceNotOfVisit', params: { id: 999999 } },
      ])
      await expect(ctx.services.findings.create(one.hmi, one.elv.id, { kind: 'sideways', text: '', evidenceIds: ['x'] })).rejects.toMatchObject({
        details: [
          { path: 'focusAreaId', messageKey: 'validation.choice' }, { path: 'kind', messageKey: 'validation.choice' },
          { path: 'text', messageKey: 'validation.required' }, { path: 'evidenceIds', messageKey: 'findings.rule.evidenceId' },
        ],
      })
      await expect(ctx.services.findings.create(one.hmi, one.elv.id, { focusAreaId: one.fa1.id, kind: 'improvement', text: 'x'.repeat(2001) }))
        .rejects.toMatchObject({ details: [{ path: 'text', messageKey: 'validation.tooLong' }] })
      expect(await ctx.services.findings.list(one.hmi, one.elv.id)).toEqual([])
    })

    it('saves an edit on the current version and refuses a stale one, keeping what was saved', async () => {
      const { elv, hmi, fa1, fa2, add } = await visit('W06000004')
      const a = await add('meeting_note', 'Director')
      const f = await ctx.services.findings.create(hmi, elv.id, { focusAreaId: fa1.id, kind: 'working_well', text: 'First words', evidenceIds: [a.id] })
      const other = asActor(await ctx.make.user('hmi'))
      await ctx.services.team.add(system, elv.id, { email: other.email })
      const edited = await ctx.services.findings.update(other, f.id, { text: 'Their words', focusAreaId: fa2.id, version: 1 })
      expect(edited).toMatchObject({ version: 2, text: 'Their words', focusAreaId: fa2.id, kind: 'working_well' })
      expect(edited.evidence.map((e) => e.id)).toEqual([a.id])
      await expect(ctx.services.findings.update(hmi, f.id, { text: 'My late words', version: 1 })).rejects.toMatchObject({ code: 'version_conflict', status: 409 })
      expect((await ctx.services.findings.get(hmi, f.id)).text).toBe('Their words')
      await expect(ctx.services.findings.update(hmi, f.id, { text: 'No version' })).rejects.toMatchObject({ code: 'validation_failed' })
      // Unlinking all evidence is an edit too.
      expect((await ctx.services.findings.update(hmi, f.id, { evidenceIds: [], version: 2 })).triangulation.items).toBe(0)

      await expect(ctx.services.findings.remove(hmi, f.id, { version: 2 })).rejects.toMatchObject({ code: 'version_conflict' })
      await ctx.services.findings.remove(hmi, f.id, { version: 3 })
      await expect(ctx.services.findings.get(hmi, f.id)).rejects.toMatchObject({ code: 'not_found' })
      const events = await ctx.services.audit.list({ entityType: 'elv', entityId: String(elv.id) }, { limit: 50, offset: 0 })
      expect(events.items.map((e) => e.action).filter((x) => x.startsWith('finding.'))).toEqual(['finding.delete', 'finding.update', 'finding.update', 'finding.create'])
    })

    it('lets the team and link inspector write, inspectorate readers read, and hides findings from the authority', async () => {
      const { elv, hmi, fa1 } = await visit('W06000005')
      const f = await ctx.services.findings.create(hmi, elv.id, { focusAreaId: fa1.id, kind: 'improvement', text: 'Plans lack measurable targets' })
      const la = asActor(await ctx.make.user('la', { authority: 'W06000005' }))
      await expect(ctx.services.findings.list(la, elv.id)).rejects.toMatchObject({ code: 'not_found', status: 404 })
      await expect(ctx.services.findings.get(la, f.id)).rejects.toMatchObject({ code: 'not_found' })
      await expect(ctx.services.findings.create(la, elv.id, { focusAreaId: fa1.id, kind: 'improvement', text: 'x' })).rejects.toMatchObject({ code: 'not_found' })
      await expect(ctx.services.findings.matrix(la, elv.id)).rejects.toMatchObject({ code: 'not_found' })

      const reviewer = asActor(await ctx.make.user('reviewer'))
      expect((await ctx.services.findings.list(reviewer, elv.id)).map((x) => x.id)).toEqual([f.id])
      await expect(ctx.services.findings.create(reviewer, elv.id, { focusAreaId: fa1.id, kind: 'improvement', text: 'x' })).rejects.toMatchObject({ code: 'forbidden' })
      const outsider = asActor(await ctx.make.user('peer', { authority: 'W06000010' }))
      await expect(ctx.services.findings.get(outsider, f.id)).rejects.toMatchObject({ code: 'not_found' })

      const lali = asActor(await ctx.make.user('hmi'))
      const authority = await ctx.services.reference.getAuthority('W06000005')
      await ctx.services.reference.updateAuthority(system, 'W06000005', {
        nameEn: authority.name_en, nameCy: authority.name_cy, preferredLanguage: authority.preferred_language, version: authority.version, linkInspectorId: lali.id,
      })
      expect((await ctx.services.findings.create(lali, elv.id, { focusAreaId: fa1.id, kind: 'working_well', text: 'Good challenge' })).kind).toBe('working_well')
    })

    it('is read-only once the letter is issued', async () => {
      const { elv, hmi, fa1 } = await visit('W06000006')
      const f = await ctx.services.findings.create(hmi, elv.id, { focusAreaId: fa1.id, kind: 'improvement', text: 'Before issue' })
      await setState(elv.id, 'issued')
      const closed = { code: 'rule_violation', status: 409, details: [{ path: 'state', messageKey: 'findings.rule.closed' }] }
      await expect(ctx.services.findings.create(hmi, elv.id, { focusAreaId: fa1.id, kind: 'improvement', text: 'After issue' })).rejects.toMatchObject(closed)
      await expect(ctx.services.findings.update(hmi, f.id, { text: 'Changed', version: 1 })).rejects.toMatchObject(closed)
      await expect(ctx.services.findings.remove(hmi, f.id)).rejects.toMatchObject(closed)
      const view = await ctx.services.findings.forElv(hmi, elv.id)
      expect(view).toMatchObject({ open: false, canRecord: false })
      expect(view.findings.map((x) => x.text)).toEqual(['Before issue'])
    })

    it('applies the threshold an administrator saves, refusing values out of range and a stale version', async () => {
      const { elv, hmi, fa1, add } = await visit('W06000011')
      const a = await add('meeting_note', 'Director')
      const b = await add('data', 'Data team')
      const f = await ctx.services.findings.create(hmi, elv.id, { focusAreaId: fa1.id, kind: 'working_well', text: 'Two items', evidenceIds: [a.id, b.id] })
      expect(f.triangulation.secure).toBe(false)
      const admin = asActor(await ctx.make.user('admin'))
      await expect(ctx.services.findings.settings(hmi)).rejects.toMatchObject({ code: 'forbidden' })
      await expect(ctx.services.findings.saveSettings(hmi, { minItems: 2, minKinds: 2, minSources: 2, version: 1 })).rejects.toMatchObject({ code: 'forbidden' })
      const before = await ctx.services.findings.settings(admin)
      expect(before).toMatchObject({ minItems: 3, minKinds: 2, minSources: 2 })
      await expect(ctx.services.findings.saveSettings(admin, { minItems: '0', minKinds: '6', minSources: '2.5', version: before.version })).rejects.toMatchObject({
        code: 'validation_failed',
        details: [
          { path: 'minItems', messageKey: 'findings.settings.rule.range' },
          { path: 'minKinds', messageKey: 'findings.settings.rule.kindsMax' },
          { path: 'minSources', messageKey: 'findings.settings.rule.range' },
        ],
      })
      const saved = await ctx.services.findings.saveSettings(admin, { minItems: '2', minKinds: 2, minSources: 2, version: before.version })
      expect(saved).toMatchObject({ minItems: 2, minKinds: 2, minSources: 2, version: before.version + 1 })
      expect((await ctx.services.findings.get(hmi, f.id)).triangulation.secure).toBe(true)
      await expect(ctx.services.findings.saveSettings(admin, { minItems: 5, minKinds: 2, minSources: 2, version: before.version })).rejects.toMatchObject({ code: 'version_conflict' })
      expect(await ctx.services.findings.threshold()).toEqual({ minItems: 2, minKinds: 2, minSources: 2 })
      const events = await ctx.services.audit.list({ entityType: 'setting' }, { limit: 10, offset: 0 })
      expect(events.items[0]).toMatchObject({ action: 'settings.triangulation', entity_id: 'triangulation' })
      // The default again, for the other tests in this file.
      await ctx.services.findings.saveSettings(admin, { minItems: 3, minKinds: 2, minSources: 2, version: saved.version })
    })

    it('keeps a visit out of quality assurance until every focus area has a finding and every finding is secure', async () => {
      const { elv, hmi, fa1, fa2, add } = await visit('W06000008')
      const a = await add('meeting_note', 'Director')
      const b = await add('data', 'Data unit')
      const c = await add('authority_document', 'Strategy')
      const insecure = await ctx.services.findings.create(hmi, elv.id, { focusAreaId: fa1.id, kind: 'improvement', text: 'Exclusions remain high in a few secondary schools across the authority', evidenceIds: [a.id] })
      await setState(elv.id, 'drafting')
      const version = async () => (await ctx.services.visits.get(hmi, elv.id)).version
      const refused = await ctx.services.visits.transition(hmi, elv.id, { to: 'quality_assurance', version: await version() }).catch((e: unknown) => e)
      expect(refused).toMatchObject({ code: 'rule_violation', status: 409 })
      expect((refused as { details: unknown[] }).details).toEqual([
        { path: 'findings', messageKey: 'visits.rule.findingNotSecure', params: { title: 'Attendance and exclusions', text: 'Exclusions remain high in a few secondary schools across…' } },
        { path: 'findings', messageKey: 'visits.rule.noFindingForFocusArea', params: { title: 'Additional learning needs' } },
      ])
      // The overview shows the same before anyone tries.
      const blockers = await ctx.services.visits.blockers(hmi, elv.id)
      expect(blockers.find((x) => x.to === 'quality_assurance')?.unmet.map((u) => u.messageKey)).toEqual(['visits.rule.findingNotSecure', 'visits.rule.noFindingForFocusArea'])

      await ctx.services.findings.update(hmi, insecure.id, { evidenceIds: [a.id, b.id, c.id], version: insecure.version })
      await ctx.services.findings.create(hmi, elv.id, { focusAreaId: fa2.id, kind: 'working_well', text: 'ALN co-ordinators are well supported', evidenceIds: [a.id, b.id, c.id] })
      const moved = await ctx.services.visits.transition(hmi, elv.id, { to: 'quality_assurance', version: await version() })
      expect(moved.state).toBe('quality_assurance')
      // Still open in quality assurance: the reviewer may send it back for more evidence.
      expect((await ctx.services.findings.forElv(hmi, elv.id)).open).toBe(true)
    })

    it('counts evidence per focus area and kind in the matrix, with findings and their security', async () => {
      const { elv, hmi, fa1, fa2, add } = await visit('W06000009')
      const a = await add('meeting_note', 'Director', [fa1.id, fa2.id])
      await add('meeting_note', 'Head of inclusion', [fa1.id])
      const c = await add('data', 'Data unit', [fa1.id])
      await add('provider_inspection', 'Estyn report', [])
      const d = await add('link_intelligence', 'Link inspector', [fa1.id])
      await ctx.services.findings.create(hmi, elv.id, { focusAreaId: fa1.id, kind: 'working_well', text: 'Secure one', evidenceIds: [a.id, c.id, d.id] })
      await ctx.services.findings.create(hmi, elv.id, { focusAreaId: fa1.id, kind: 'improvement', text: 'Thin one', evidenceIds: [a.id] })
      const m = await ctx.services.findings.matrix(hmi, elv.id)
      expect(m.rows.map((r) => [r.focusArea.title, r.counts, r.total, r.findings, r.secure, r.notSecure])).toEqual([
        ['Attendance and exclusions', { meeting_note: 2, authority_document: 0, provider_inspection: 0, data: 1, link_intelligence: 1 }, 4, 2, 1, 1],
        ['Additional learning needs', { meeting_note: 1, authority_document: 0, provider_inspection: 0, data: 0, link_intelligence: 0 }, 1, 0, 0, 0],
      ])
      expect(m.untagged).toEqual({ meeting_note: 0, authority_document: 0, provider_inspection: 1, data: 0, link_intelligence: 0 })
      expect(m.untaggedTotal).toBe(1)
    })
  })
}

import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp } from '../../../test/helpers/test-app.ts'
import { systemActor, type UserActor } from '../auth/actor.ts'
import type { AppUser } from '../../db/schema.ts'
import { fixedClock } from '../../clock.ts'
import { Check } from '../../http/check.ts'
import { DEFAULT_THEMES } from './themes.data.ts'
import { themeRepository } from './themes.repository.ts'

const asActor = (u: AppUser): UserActor => ({ kind: 'user', id: u.id, name: u.name, email: u.email, role: u.role, authorityCode: u.authority_code })

for (const engine of testEngines()) {
  describe(`themes on ${engine.name}`, () => {
    const ctx = useTestApp(engine, { clock: fixedClock('2026-07-01T09:00:00.000Z') })
    const system = systemActor('test')
    const admin = async () => asActor(await ctx.make.user('admin'))
    const db = () => ctx.services.database.db

    /** Every problem a rejected call reported, as [path, messageKey]. */
    const problems = async (p: Promise<unknown>) => {
      const e = await p.then(() => undefined, (err: unknown) => err) as { code?: string; details?: Array<{ path: string; messageKey: string }> } | undefined
      expect(e?.code).toBe('validation_failed')
      return e!.details!.map((d) => [d.path, d.messageKey])
    }

    it('starts with the default themes, each with English and Welsh labels', async () => {
      const list = await ctx.services.themes.list()
      expect(list.map((t) => t.key).sort()).toEqual(DEFAULT_THEMES.map((t) => t.key).sort())
      expect(list.find((t) => t.key === 'welsh-medium-education')).toMatchObject({ labelEn: 'Welsh-medium education', labelCy: 'Addysg cyfrwng Cymraeg' })
    })

    it('adds a theme, audited; refuses a bad key, a key in use and missing labels, all at once', async () => {
      const actor = await admin()
      const theme = await ctx.services.themes.create(actor, { key: 'post-16', labelEn: ' Post-16 education ', labelCy: 'Addysg ôl-16' })
      expect(theme).toMatchObject({ key: 'post-16', labelEn: 'Post-16 education', labelCy: 'Addysg ôl-16' })
      expect((await ctx.services.themes.list()).map((t) => t.key)).toContain('post-16')
      const audit = await ctx.services.audit.list({ action: 'theme.create', entityId: 'post-16' }, { limit: 5, offset: 0 })
      expect(audit.items).toHaveLength(1)

      expect(await problems(ctx.services.themes.create(actor, { key: 'Post 16', labelEn: '', labelCy: '  ' }))).toEqual([
        ['labelEn', 'validation.required'], ['labelCy', 'validation.required'], ['key', 'themes.rule.keyFormat'],
      ])
      for (const key of ['post--16', '-post', 'post-', 'ôl-16', 'a_b']) {
        expect(await problems(ctx.services.themes.create(actor, { key, labelEn: 'x', labelCy: 'y' }))).toEqual([['key', 'themes.rule.keyFormat']])
      }
      expect(await problems(ctx.services.themes.create(actor, { labelEn: 'x', labelCy: 'y' }))).toEqual([['key', 'validation.required']])
      expect(await problems(ctx.services.themes.create(actor, { key: 'attendance', labelEn: 'Attendance again', labelCy: 'y' }))).toEqual([['key', 'themes.rule.keyTaken']])
      expect(await problems(ctx.services.themes.create(actor, { key: 'x'.repeat(41), labelEn: 'x', labelCy: 'y' }))).toEqual([['key', 'validation.tooLong']])
      expect(await ctx.services.themes.get('attendance')).toMatchObject({ labelEn: 'Attendance' })
    })

    it('lets only administrators add or merge themes', async () => {
      for (const role of ['hmi', 'reviewer', 'la'] as const) {
        const actor = asActor(await ctx.make.user(role))
        await expect(ctx.services.themes.create(actor, { key: `by-${role}`, labelEn: 'x', labelCy: 'y' })).rejects.toMatchObject({ status: 403 })
        await expect(ctx.services.themes.merge(actor, { from: 'leadership', into: 'safeguarding' })).rejects.toMatchObject({ status: 403 })
      }
      expect(await ctx.services.themes.resolve(new Check(), 'themes', ['leadership'])).toMatchObject([{ key: 'leadership' }])
    })

    it('merges a theme: evidence, findings and link notes all point to the kept theme, and the old key still resolves', async () => {
      const actor = await admin()
      await ctx.services.themes.create(actor, { key: 'school-attendance', labelEn: 'School attendance', labelCy: 'Presenoldeb ysgol' })
      await ctx.services.themes.create(actor, { key: 'pupil-attendance', labelEn: 'Pupil attendance', labelCy: 'Presenoldeb disgyblion' })
      const [from, into] = await Promise.all([ctx.services.themes.get('school-attendance'), ctx.services.themes.get('pupil-attendance')])

      const gss = 'W06000001'
      const elv = await ctx.services.visits.create(system, { authority: gss, term: '2026-2027/spring' })
      const onlyOld = await ctx.services.evidence.create(system, elv.id, { kind: 'data', title: 'Attendance figures', source: 'Authority data', themes: ['school-attendance', 'leadership'] })
      const both = await ctx.services.evidence.create(system, elv.id, { kind: 'data', title: 'Absence figures', source: 'Authority data', themes: ['school-attendance', 'pupil-attendance'] })
      const untouched = await ctx.services.evidence.create(system, elv.id, { kind: 'data', title: 'Budget', source: 'Authority data', themes: ['use-of-resources'] })

      const focusArea = await ctx.services.focusAreas.propose(system, elv.id, { title: 'Attendance', description: 'Attendance after the pandemic', source: 'inspectorate_identified' })
      const finding = async (text: string, themeIds: number[]) => {
        const f = await db().insertInto('finding').values({ elv_id: elv.id, focus_area_id: focusArea.id, kind: 'improvement', text, created_by: null, created_at: '2026-07-01T09:00:00.000Z', updated_at: '2026-07-01T09:00:00.000Z' })
          .returning('id').executeTakeFirstOrThrow()
        await db().insertInto('finding_theme').values(themeIds.map((theme_id) => ({ finding_id: f.id, theme_id }))).execute()
        return f.id
      }
      const findingOld = await finding('Attendance is low', [from.id])
      const findingBoth = await finding('Absence is high', [from.id, into.id])

      const note = (title: string, themes: string[]) => ctx.services.linkNotes.create(system, gss, { notedOn: '2026-06-01', kind: 'meeting', title, body: 'x', themes })
      await db().updateTable('local_authority').set({ link_inspector_id: (await ctx.make.user('hmi')).id }).where('gss_code', '=', gss).execute()
      const noteOld = await note('Old key', ['school-attendance', 'leadership'])
      const noteBoth = await note('Both keys', ['pupil-attendance', 'school-attendance'])
      const noteOther = await note('Other', ['safeguarding'])

      const kept = await ctx.services.themes.merge(actor, { from: 'school-attendance', into: 'pupil-attendance' })
      expect(kept).toMatchObject({ key: 'pupil-attendance', id: into.id })

      // Evidence: tags moved, never doubled.
      expect((await ctx.services.evidence.get(system, onlyOld.id)).themes.map((t) => t.key).sort()).toEqual(['leadership', 'pupil-attendance'])
      expect((await ctx.services.evidence.get(system, both.id)).themes.map((t) => t.key)).toEqual(['pupil-attendance'])
      expect((await ctx.services.evidence.get(system, untouched.id)).themes.map((t) => t.key)).toEqual(['use-of-resources'])
      expect(await db().selectFrom('evidence_theme').select('evidence_id').where('theme_id', '=', from.id).execute()).toEqual([])
      // Findings: likewise.
      const findingTags = await db().selectFrom('finding_theme').select(['finding_id', 'theme_id']).where('finding_id', 'in', [findingOld, findingBoth]).orderBy('finding_id').execute()
      expect(findingTags).toEqual([{ finding_id: findingOld, theme_id: into.id }, { finding_id: findingBoth, theme_id: into.id }])
      // Link notes: stored keys rewritten in the same merge; the notes' versions untouched (nobody edited them).
      const stored = async (id: number) => {
        const row = await db().selectFrom('link_note').select(['themes', 'version']).where('id', '=', id).executeTakeFirstOrThrow()
        return { themes: JSON.parse(row.themes) as string[], version: row.version }
      }
      expect(await stored(noteOld.id)).toEqual({ themes: ['pupil-attendance', 'leadership'], version: 1 })
      expect(await stored(noteBoth.id)).toEqual({ themes: ['pupil-attendance'], version: 1 })
      expect(await stored(noteOther.id)).toEqual({ themes: ['safeguarding'], version: 1 })
      expect((await ctx.services.linkNotes.get(system, gss, noteOld.id)).themes.map((t) => t.key)).toEqual(['pupil-attendance', 'leadership'])

      // The old key still works wherever themes are sent, and gives the kept theme.
      const check = new Check()
      expect(await ctx.services.themes.resolve(check, 'themes', ['school-attendance', 'pupil-attendance'])).toEqual([into])
      expect(check.errors).toEqual([])
      const later = await ctx.services.evidence.create(system, elv.id, { kind: 'data', title: 'Later', source: 'Authority data', themes: ['School-Attendance'] })
      expect(later.themes.map((t) => t.key)).toEqual(['pupil-attendance'])

      // The merged theme leaves the list but stays on record; the admin view counts what the kept theme tags.
      expect((await ctx.services.themes.list()).map((t) => t.key)).not.toContain('school-attendance')
      const overview = await ctx.services.themes.overview()
      expect(overview.merged).toEqual([expect.objectContaining({ key: 'school-attendance', mergedInto: into })])
      expect(overview.inUse.find((t) => t.key === 'pupil-attendance')).toMatchObject({ evidence: 3, findings: 2, linkNotes: 2 })
      expect(overview.inUse.find((t) => t.key === 'leadership')).toMatchObject({ evidence: 1, findings: 0, linkNotes: 1 })
      const audit = await ctx.services.audit.list({ action: 'theme.merge', entityId: 'school-attendance' }, { limit: 5, offset: 0 })
      expect(audit.items[0]?.details).toContain('pupil-attendance')
    })

    it('follows a theme merged twice to the theme in use today, in tags and keys alike', async () => {
      const actor = await admin()
      for (const key of ['chain-a', 'chain-b', 'chain-c']) await ctx.services.themes.create(actor, { key, labelEn: key, labelCy: key })
      await db().updateTable('local_authority').set({ link_inspector_id: (await ctx.make.user('hmi')).id }).where('gss_code', '=', 'W06000002').execute()
      const n = await ctx.services.linkNotes.create(system, 'W06000002', { notedOn: '2026-06-01', kind: 'other', title: 'Chain', body: 'x', themes: ['chain-a'] })
      await ctx.services.themes.merge(actor, { from: 'chain-a', into: 'chain-b' })
      await ctx.services.themes.merge(actor, { from: 'chain-b', into: 'chain-c' })
      expect((await ctx.services.themes.resolve(new Check(), 'themes', ['chain-a'])).map((t) => t.key)).toEqual(['chain-c'])
      expect((await ctx.services.themes.overview()).merged.filter((t) => t.key.startsWith('chain-')).map((t) => [t.key, t.mergedInto.key]))
        .toEqual([['chain-a', 'chain-c'], ['chain-b', 'chain-c']])
      const row = await db().selectFrom('link_note').select('themes').where('id', '=', n.id).executeTakeFirstOrThrow()
      expect(JSON.parse(row.themes)).toEqual(['chain-c'])
    })

    it('refuses to merge a theme into itself, a theme already merged, into a merged theme, or unknown themes', async () => {
      const actor = await admin()
      for (const key of ['refuse-a', 'refuse-b', 'refuse-c']) await ctx.services.themes.create(actor, { key, labelEn: key, labelCy: key })
      expect(await problems(ctx.services.themes.merge(actor, { from: 'refuse-a', into: 'refuse-a' }))).toEqual([['into', 'themes.rule.mergeSelf']])
      expect(await problems(ctx.services.themes.merge(actor, { from: '', into: '' }))).toEqual([['from', 'validation.required'], ['into', 'validation.required']])
      expect(await problems(ctx.services.themes.merge(actor, { from: 'nope', into: 'refuse-a' }))).toEqual([['from', 'themes.rule.unknown']])
      await ctx.services.themes.merge(actor, { from: 'refuse-a', into: 'refuse-b' })
      expect(await problems(ctx.services.themes.merge(actor, { from: 'refuse-a', into: 'refuse-c' }))).toEqual([['from', 'themes.rule.alreadyMerged']])
      expect(await problems(ctx.services.themes.merge(actor, { from: 'refuse-c', into: 'refuse-a' }))).toEqual([['into', 'themes.rule.intoMerged']])
      expect(await problems(ctx.services.themes.merge(actor, { from: 'refuse-b', into: 'refuse-a' }))).toEqual([['into', 'themes.rule.intoMerged']])
      // Nothing moved: refuse-a still points at refuse-b, and refuse-b and refuse-c are in use.
      expect((await ctx.services.themes.resolve(new Check(), 'themes', ['refuse-a', 'refuse-c'])).map((t) => t.key)).toEqual(['refuse-b', 'refuse-c'])
      const audit = await ctx.services.audit.list({ action: 'theme.merge' }, { limit: 50, offset: 0 })
      expect(audit.items.filter((e) => e.entity_id.startsWith('refuse-'))).toHaveLength(1)
    })

    it('refuses a merge that another merge, not yet committed, makes impossible: themes never point at each other', async () => {
      const actor = await admin()
      for (const key of ['race-a', 'race-b']) await ctx.services.themes.create(actor, { key, labelEn: key, labelCy: key })
      const [a, b] = await Promise.all([ctx.services.themes.get('race-a'), ctx.services.themes.get('race-b')])
      // Another administrator's merge of b into a, held open while ours starts (on SQLite ours simply waits for it).
      let commit!: () => void
      const held = new Promise<void>((resolve) => { commit = resolve })
      const other = db().transaction().execute(async (trx) => {
        const repo = themeRepository(trx)
        expect(await repo.lockUnmerged([b.id, a.id], '2026-07-01T09:00:00.000Z')).toBe(true)
        await repo.merge(b.id, a.id, '2026-07-01T09:00:00.000Z')
        await held
      })
      const ours = ctx.services.themes.merge(actor, { from: 'race-a', into: 'race-b' }).then(() => 'merged', (e: { code: string }) => e.code)
      // Long enough for ours to have read both themes as unmerged where the engine lets it (PostgreSQL).
      await new Promise((resolve) => setTimeout(resolve, 300))
      commit()
      await other
      expect(['conflict', 'validation_failed']).toContain(await ours)
      expect((await ctx.services.themes.list()).map((t) => t.key)).toContain('race-a')
      expect((await ctx.services.themes.resolve(new Check(), 'themes', ['race-a', 'race-b'])).map((t) => t.key)).toEqual(['race-a'])
    })

    it('reports each unknown key by name and refuses too many themes', async () => {
      const check = new Check()
      expect((await ctx.services.themes.resolve(check, 'themes', ['attendance', 'aln', 42])).map((t) => t.key)).toEqual(['attendance'])
      expect(check.errors).toEqual([
        { path: 'themes', messageKey: 'themes.rule.unknown', params: { key: 'aln' } },
        { path: 'themes', messageKey: 'themes.rule.unknown', params: { key: '42' } },
      ])
      const many = new Check()
      await ctx.services.themes.resolve(many, 'themes', Array.from({ length: 21 }, () => 'attendance'))
      expect(many.errors).toEqual([{ path: 'themes', messageKey: 'themes.rule.tooMany', params: { max: 20 } }])
    })
  })
}

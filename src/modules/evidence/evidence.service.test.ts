import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp } from '../../../test/helpers/test-app.ts'
import { systemActor, type UserActor } from '../auth/actor.ts'
import type { AppUser } from '../../db/schema.ts'
import { fixedClock } from '../../clock.ts'

const asActor = (u: AppUser): UserActor => ({ kind: 'user', id: u.id, name: u.name, email: u.email, role: u.role, authorityCode: u.authority_code })

for (const engine of testEngines()) {
  describe(`evidence service on ${engine.name}`, () => {
    const ctx = useTestApp(engine, { clock: fixedClock('2026-07-01T09:00:00.000Z') })
    const system = systemActor('test')

    async function elvWithTeam(authority: string) {
      const hmi = await ctx.make.user('hmi')
      const elv = await ctx.services.visits.create(system, { authority, term: '2026-2027/spring' })
      await ctx.services.team.add(system, elv.id, { email: hmi.email, lead: true })
      return { elv, hmi: asActor(hmi) }
    }

    it('records an item with themes, keeps recorded_at on edit, and refuses a stale version', async () => {
      const { elv, hmi } = await elvWithTeam('W06000001')
      const item = await ctx.services.evidence.create(hmi, elv.id, { kind: 'meeting_note', title: 'Director', body: 'Attendance is improving', source: 'Director of education', gatheredOn: '2026-06-30', themes: ['attendance'] })
      expect(item).toMatchObject({ kind: 'meeting_note', version: 1, recorded_by: hmi.id, from_authority: 0 })
      expect(item.themes.map((t) => t.key)).toEqual(['attendance'])
      const edited = await ctx.services.evidence.update(hmi, item.id, { body: 'Attendance is improving fast', version: 1 })
      expect(edited.version).toBe(2)
      expect(edited.recorded_at).toBe(item.recorded_at)
      await expect(ctx.services.evidence.update(hmi, item.id, { body: 'late', version: 1 })).rejects.toMatchObject({ code: 'version_conflict', status: 409 })
      expect((await ctx.services.evidence.get(hmi, item.id)).body).toBe('Attendance is improving fast')
    })

    it('records one item when a new item’s first save arrives twice, the later text winning', async () => {
      const { elv, hmi } = await elvWithTeam('W06000003')
      const draftKey = randomUUID()
      const first = await ctx.services.evidence.create(hmi, elv.id, { kind: 'meeting_note', title: 'Cabinet member', body: 'Attendance', source: 'Cabinet member', draftKey })
      // The reply to the first save was lost; the page sends what it holds now, with the same key.
      const again = await ctx.services.evidence.create(hmi, elv.id, { kind: 'meeting_note', title: 'Cabinet member', body: 'Attendance is a priority', source: 'Cabinet member', draftKey })
      expect(again).toMatchObject({ id: first.id, version: 2, body: 'Attendance is a priority' })
      expect((await ctx.services.evidence.list(hmi, elv.id)).map((e) => e.id)).toEqual([first.id])
      // Someone else's page never changes this item through its key.
      const colleague = asActor(await ctx.make.user('hmi'))
      await ctx.services.team.add(system, elv.id, { email: colleague.email })
      await expect(ctx.services.evidence.create(colleague, elv.id, { kind: 'meeting_note', title: 'x', source: 'y', draftKey })).rejects.toMatchObject({ code: 'version_conflict' })
      // Without a key (or with a malformed one) each save is a new item.
      await ctx.services.evidence.create(hmi, elv.id, { kind: 'data', title: 'Figures', source: 'Data team', draftKey: 'not-a-key' })
      expect(await ctx.services.evidence.list(hmi, elv.id)).toHaveLength(2)
    })

    it('lets an authority user share documents only, and shows it only what the authority shared', async () => {
      const { elv, hmi } = await elvWithTeam('W06000002')
      const la = asActor(await ctx.make.user('la', { authority: 'W06000002' }))
      const note = await ctx.services.evidence.create(hmi, elv.id, { kind: 'meeting_note', title: 'Private note', body: 'x', source: 'Head of service' })
      await expect(ctx.services.evidence.create(la, elv.id, { kind: 'meeting_note', title: 'x', source: 'y' })).rejects.toMatchObject({ code: 'validation_failed' })
      const doc = await ctx.services.evidence.create(la, elv.id, { title: 'Self-evaluation', body: 'Summary', source: 'Authority' })
      expect(doc).toMatchObject({ kind: 'authority_document', from_authority: 1 })
      expect((await ctx.services.evidence.list(la, elv.id)).map((e) => e.id)).toEqual([doc.id])
      await expect(ctx.services.evidence.get(la, note.id)).rejects.toMatchObject({ code: 'not_found' })
      expect((await ctx.services.evidence.list(hmi, elv.id)).map((e) => e.id).sort()).toEqual([note.id, doc.id].sort())
    })
  })
}

import { beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp } from '../../../test/helpers/test-app.ts'
import { systemActor, type UserActor } from '../auth/actor.ts'
import type { AppUser } from '../../db/schema.ts'
import { fixedClock } from '../../clock.ts'
import type { EvidenceView } from '../evidence/evidence.service.ts'
import type { SearchInput } from './search.service.ts'

const CEREDIGION = 'W06000008'
const CARDIFF = 'W06000015'
const POWYS = 'W06000023'

const asActor = (u: AppUser): UserActor => ({ kind: 'user', id: u.id, name: u.name, email: u.email, role: u.role, authorityCode: u.authority_code })

for (const engine of testEngines()) {
  describe(`evidence search on ${engine.name}`, () => {
    const ctx = useTestApp(engine, { clock: fixedClock('2026-07-01T09:00:00.000Z') })
    const system = systemActor('test')
    // The fixture: two visits, one per authority, each with notes by its team and documents shared by the authority.
    const f = {} as {
      admin: UserActor; hmi1: UserActor; hmi2: UserActor; peerOnTeam: UserActor; peerOff: UserActor
      la1: UserActor; la2: UserActor; la3: UserActor
      elv1: number; elv2: number; focusArea: number
      growth: EvidenceView; figures: EvidenceView; selfEval: EvidenceView; director: EvidenceView
      strategy: EvidenceView; markup: EvidenceView; tagged: EvidenceView
    }

    beforeAll(async () => {
      const { services, make } = ctx
      f.admin = asActor(await make.user('admin'))
      f.hmi1 = asActor(await make.user('hmi'))
      f.hmi2 = asActor(await make.user('hmi'))
      f.peerOnTeam = asActor(await make.user('peer', { authority: POWYS }))
      f.peerOff = asActor(await make.user('peer', { authority: POWYS }))
      f.la1 = asActor(await make.user('la', { authority: CEREDIGION }))
      f.la2 = asActor(await make.user('la', { authority: CARDIFF }))
      f.la3 = asActor(await make.user('la', { authority: POWYS }))
      const elv1 = await services.visits.create(system, { authority: CEREDIGION, term: '2026-2027/spring' })
      const elv2 = await services.visits.create(system, { authority: CARDIFF, term: '2026-2027/spring' })
      f.elv1 = elv1.id
      f.elv2 = elv2.id
      await services.team.add(system, elv1.id, { email: f.hmi1.email, lead: true })
      await services.team.add(system, elv1.id, { email: f.peerOnTeam.email })
      await services.team.add(system, elv2.id, { email: f.hmi2.email, lead: true })
      f.focusArea = (await services.focusAreas.propose(system, elv1.id, { title: 'Welsh in education', description: 'Growth of Welsh-medium places', source: 'authority_priority' })).id

      const ev = services.evidence
      f.growth = await ev.create(f.hmi1, f.elv1, { kind: 'meeting_note', title: 'Welsh-medium growth', body: 'The Gymraeg immersion centres are growing. Attendance improved this year.', source: 'Head of Welsh', gatheredOn: '2026-05-01', themes: ['welsh-medium-education'] })
      f.figures = await ev.create(f.hmi1, f.elv1, { kind: 'data', title: 'Attendance figures', body: 'Persistent absence fell in secondary schools.', source: 'Data team', gatheredOn: '2026-06-01', themes: ['attendance'] })
      f.selfEval = await ev.create(f.la1, f.elv1, { title: 'Self-evaluation report', body: 'Cynllun Gymraeg: mae’r ŵyr yn dysgu yn y dosbarth.', source: 'Authority', gatheredOn: '2026-04-15' })
      f.director = await ev.create(f.hmi2, f.elv2, { kind: 'meeting_note', title: 'Director meeting', body: 'The director described gymraeg plans and attendance targets.', source: 'Director', gatheredOn: '2026-06-10' })
      f.strategy = await ev.create(f.la2, f.elv2, { title: 'Cardiff strategy', body: 'The Welsh in education strategic plan sets GYMRAEG targets.', source: 'Authority', gatheredOn: '2026-03-01' })
      f.markup = await ev.create(f.hmi1, f.elv1, { kind: 'meeting_note', title: '<script>alert("x")</script> Safeguarding', body: '<b>Safeguarding</b> is <i>effective</i> & leaders check it.', source: 'Lead officer', gatheredOn: '2026-06-20' })
      f.tagged = await ev.create(f.hmi1, f.elv1, { kind: 'provider_inspection', title: 'Ysgol Gymraeg inspection', body: 'Strong teaching.', source: 'Estyn', gatheredOn: '2026-02-01', focusAreaIds: [f.focusArea] })
    })

    const ids = async (actor: UserActor, input: SearchInput) => (await ctx.services.search.search(actor, input)).items.map((i) => i.id)

    it('finds every item with the word, newest recorded first, whatever the capitals', async () => {
      const expected = [f.tagged.id, f.strategy.id, f.director.id, f.selfEval.id, f.growth.id]
      expect(await ids(f.admin, { q: 'gymraeg' })).toEqual(expected)
      expect(await ids(f.admin, { q: 'Gymraeg' })).toEqual(expected)
      expect(await ids(f.admin, { q: 'GYMRAEG!' })).toEqual(expected)
    })

    it('ignores accents both ways: "wyr" and "ŵyr" find "ŵyr"', async () => {
      expect(await ids(f.admin, { q: 'wyr' })).toEqual([f.selfEval.id])
      expect(await ids(f.admin, { q: 'ŵyr' })).toEqual([f.selfEval.id])
      expect(await ids(f.admin, { q: 'w\u0302yr' })).toEqual([f.selfEval.id])
    })

    it('needs every word: two words find only items with both', async () => {
      expect(await ids(f.admin, { q: 'gymraeg attendance' })).toEqual([f.director.id, f.growth.id])
      expect(await ids(f.admin, { q: 'attendance gymraeg' })).toEqual([f.director.id, f.growth.id])
      expect(await ids(f.admin, { q: 'gymraeg nowhere' })).toEqual([])
    })

    it('filters by visit, authority, kind, focus area, theme and gathered date', async () => {
      expect(await ids(f.admin, { q: 'gymraeg', elv: String(f.elv1) })).toEqual([f.tagged.id, f.selfEval.id, f.growth.id])
      expect(await ids(f.admin, { q: 'gymraeg', authority: CARDIFF })).toEqual([f.strategy.id, f.director.id])
      expect(await ids(f.admin, { q: 'gymraeg', kind: 'authority_document' })).toEqual([f.strategy.id, f.selfEval.id])
      expect(await ids(f.admin, { q: 'gymraeg', elv: String(f.elv1), focusArea: String(f.focusArea) })).toEqual([f.tagged.id])
      expect(await ids(f.admin, { q: 'gymraeg', theme: 'welsh-medium-education' })).toEqual([f.growth.id])
      expect(await ids(f.admin, { q: 'gymraeg', from: '2026-04-15', to: '2026-06-01' })).toEqual([f.selfEval.id, f.growth.id])
      expect(await ids(f.admin, { q: 'gymraeg', from: '2026-06-10' })).toEqual([f.director.id])
      // Filters alone list what they allow, newest first.
      expect(await ids(f.admin, { theme: 'attendance' })).toEqual([f.figures.id])
      expect(await ids(f.admin, { elv: String(f.elv2) })).toEqual([f.strategy.id, f.director.id])
    })

    it('pages by keyset: the next page continues after the last result, and the last page says so', async () => {
      const first = await ctx.services.search.search(f.admin, { q: 'gymraeg', limit: '2' })
      expect(first.items.map((i) => i.id)).toEqual([f.tagged.id, f.strategy.id])
      expect(first.next).toBe(f.strategy.id)
      const second = await ctx.services.search.search(f.admin, { q: 'gymraeg', limit: '2', before: String(first.next) })
      expect(second.items.map((i) => i.id)).toEqual([f.director.id, f.selfEval.id])
      const third = await ctx.services.search.search(f.admin, { q: 'gymraeg', limit: '2', before: String(second.next) })
      expect(third.items.map((i) => i.id)).toEqual([f.growth.id])
      expect(third.next).toBeNull()
    })

    it('finds only what each user may see', async () => {
      // A peer inspector on one visit's team sees that visit's evidence; one on no team sees none.
      expect(await ids(f.peerOnTeam, { q: 'gymraeg' })).toEqual([f.tagged.id, f.selfEval.id, f.growth.id])
      expect(await ids(f.peerOff, { q: 'gymraeg' })).toEqual([])
      // An authority user finds only what its own authority shared, never the inspectors' notes.
      expect(await ids(f.la1, { q: 'gymraeg' })).toEqual([f.selfEval.id])
      expect(await ids(f.la2, { q: 'gymraeg' })).toEqual([f.strategy.id])
      expect(await ids(f.la1, { q: 'gymraeg', elv: String(f.elv2) })).toEqual([])
      expect(await ids(f.la3, { q: 'gymraeg' })).toEqual([])
      // HMIs see every visit's evidence, as the evidence log does.
      expect(await ids(f.hmi2, { q: 'safeguarding' })).toEqual([f.markup.id])
    })

    it('marks the matched words in a window of the text, and markup stays text', async () => {
      const [hit] = (await ctx.services.search.search(f.admin, { q: 'safeguarding' })).items
      expect(hit!.title).toBe('<script>alert("x")</script> Safeguarding')
      expect(hit!.titleMarked.parts).toEqual([{ text: '<script>alert("x")</script> ', match: false }, { text: 'Safeguarding', match: true }])
      expect(hit!.snippet.text).toBe('<b>Safeguarding</b> is <i>effective</i> & leaders check it.')
      expect(hit!.snippet.highlights).toEqual([{ start: 3, end: 15 }])
      const [welsh] = (await ctx.services.search.search(f.admin, { q: 'wyr' })).items
      expect(welsh!.snippet.parts.filter((p) => p.match)).toEqual([{ text: 'ŵyr', match: true }])
    })

    it('re-indexes an edit: a word taken out of the title is no longer found', async () => {
      const item = await ctx.services.evidence.create(f.hmi1, f.elv1, { kind: 'data', title: 'Exclusions quarterly', body: 'Fixed-term figures.', source: 'Data team', gatheredOn: '2026-06-02' })
      expect(await ids(f.admin, { q: 'quarterly' })).toEqual([item.id])
      await ctx.services.evidence.update(f.hmi1, item.id, { title: 'Exclusions termly', version: item.version })
      expect(await ids(f.admin, { q: 'quarterly' })).toEqual([])
      expect(await ids(f.admin, { q: 'termly exclusions' })).toEqual([item.id])
    })

    it('searches the extracted text of a file, and shows the snippet from it', async () => {
      const item = await ctx.services.evidence.create(f.la1, f.elv1, { title: 'Scanned plan', body: '', source: 'Authority', gatheredOn: '2026-06-03' })
      await ctx.services.database.db.insertInto('evidence_file').values({
        evidence_id: item.id, storage_key: `test/${item.id}`, file_name: 'plan.pdf', media_type: 'application/pdf', size_bytes: 10, sha256: '0'.repeat(64),
        extracted_text: 'Chapter one. The federation of Ysgol Bro Dysynni will open in September.', uploaded_by: f.la1.id, uploaded_at: '2026-07-01T09:00:00.000Z',
      }).execute()
      expect(await ids(f.admin, { q: 'dysynni' })).toEqual([])
      // Any save of the item rewrites its index words from its title, text and files.
      await ctx.services.evidence.update(f.la1, item.id, { version: item.version })
      expect(await ids(f.admin, { q: 'dysynni federation' })).toEqual([item.id])
      expect(await ids(f.la1, { q: 'dysynni' })).toEqual([item.id])
      const [hit] = (await ctx.services.search.search(f.admin, { q: 'dysynni' })).items
      expect(hit!.snippet.text).toBe('Chapter one. The federation of Ysgol Bro Dysynni will open in September.')
      expect(hit!.snippet.parts.filter((p) => p.match).map((p) => p.text)).toEqual(['Dysynni'])
    })

    it('finds by a merged theme’s old key', async () => {
      await ctx.services.themes.create(system, { key: 'welsh-language', labelEn: 'Welsh language', labelCy: 'Y Gymraeg' })
      const item = await ctx.services.evidence.create(f.hmi1, f.elv1, { kind: 'meeting_note', title: 'Cymraeg mewn addysg', body: 'Trochi.', source: 'Officer', gatheredOn: '2026-06-04', themes: ['welsh-language'] })
      await ctx.services.themes.merge(system, { from: 'welsh-language', into: 'welsh-medium-education' })
      expect(await ids(f.admin, { theme: 'welsh-language' })).toEqual([item.id, f.growth.id])
      expect(await ids(f.admin, { theme: 'welsh-medium-education' })).toEqual([item.id, f.growth.id])
    })

    it('refuses bad filters, naming each one', async () => {
      const err = await ctx.services.search.search(f.admin, { q: 'x', kind: 'gossip', theme: 'no-such-theme', from: '2026-02-30', to: 'soon', limit: '500', authority: 'W06999999', elv: 'one' })
        .then(() => undefined, (e: unknown) => e)
      expect(err).toMatchObject({ code: 'validation_failed', status: 400 })
      const paths = (err as { details: Array<{ path: string }> }).details.map((d) => d.path).sort()
      expect(paths).toEqual(['authority', 'elv', 'from', 'kind', 'limit', 'theme', 'to'])
      await expect(ctx.services.search.search(f.admin, { from: '2026-06-02', to: '2026-06-01' })).rejects.toMatchObject({ details: [{ path: 'to', messageKey: 'search.rule.dateOrder' }] })
      await expect(ctx.services.search.search(f.admin, { elv: String(f.elv2), focusArea: String(f.focusArea) })).rejects.toMatchObject({ details: [{ path: 'focusArea' }] })
    })

    it('matches nothing for words that fold to nothing, and reads a query with FTS syntax as plain words', async () => {
      expect(await ids(f.admin, { q: '!!! ---' })).toEqual([])
      expect(await ids(f.admin, { q: '"gymraeg" OR NEAR(attendance*' })).toEqual([])
      expect(await ids(f.admin, { q: '"gymraeg" (attendance*)' })).toEqual([f.director.id, f.growth.id])
    })

    it('keeps the index in step with a direct check of the engine’s table', async () => {
      // One row per item: the index never holds a stale copy after edits.
      const table = engine.name === 'sqlite'
        ? await sql<{ n: number }>`select count(*) as n from evidence_search where evidence_search match ${'"gymraeg"'}`.execute(ctx.services.database.db)
        : await sql<{ n: number }>`select count(*)::int as n from evidence_search where words @@ to_tsquery('simple', 'gymraeg')`.execute(ctx.services.database.db)
      expect(Number(table.rows[0]!.n)).toBe((await ids(f.admin, { q: 'gymraeg', limit: '100' })).length)
    })
  })
}

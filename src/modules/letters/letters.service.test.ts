import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp } from '../../../test/helpers/test-app.ts'
import { systemActor, type UserActor } from '../auth/actor.ts'
import type { AppUser, ElvState, LetterState } from '../../db/schema.ts'
import { fixedClock } from '../../clock.ts'
import type { LetterModel } from './letter.model.ts'

const asActor = (u: AppUser): UserActor => ({ kind: 'user', id: u.id, name: u.name, email: u.email, role: u.role, authorityCode: u.authority_code })
const TERM = '2026-2027/spring'
const section = (m: LetterModel, key: string) => {
  const s = m.sections.find((x) => x.key === key)
  if (!s) throw new Error(`no section ${key} in ${m.sections.map((x) => x.key).join(', ')}`)
  return s
}
const texts = (m: LetterModel, key: string, lang: 'en' | 'cy' = 'en') => section(m, key).paragraphs.map((p) => p.text[lang])
const paragraphsOf = (m: LetterModel, key: string) =>
  section(m, key).paragraphs.map((p) => ({ id: p.id, style: p.style, en: p.text.en, cy: p.text.cy }))

for (const engine of testEngines()) {
  describe(`letters service on ${engine.name}`, () => {
    const ctx = useTestApp(engine, { clock: fixedClock('2026-07-01T09:00:00.000Z') })
    const system = systemActor('test')
    const db = () => ctx.services.database.db
    const setElvState = (elvId: number, state: ElvState) => db().updateTable('elv').set({ state }).where('id', '=', elvId).execute()
    const setLetterState = (elvId: number, state: LetterState) => db().updateTable('letter').set({ state, approved_at: state === 'approved' ? '2026-07-01T09:00:00.000Z' : null }).where('elv_id', '=', elvId).execute()

    /**
     * An ELV with visit days, a named director, a lead HMI and a peer inspector, two focus areas and
     * three evidence items of different kinds and sources: enough to make a finding secure.
     */
    async function visit(authority: string) {
      const lead = asActor(await ctx.make.user('hmi', { name: `Rhian Jones ${authority}` }))
      const peer = asActor(await ctx.make.user('peer', { authority: 'W06000010', name: `Siân Evans ${authority}` }))
      const before = await ctx.services.reference.getAuthority(authority)
      await ctx.services.reference.updateAuthority(system, authority, {
        nameEn: before.name_en, nameCy: before.name_cy, preferredLanguage: before.preferred_language, version: before.version,
        directorName: 'Elin Llŷr', directorEmail: 'director@authority.invalid',
      })
      const elv = await ctx.services.visits.create(system, { authority, term: TERM, visitDay1: '2027-02-02', visitDay2: '2027-02-03' })
      await ctx.services.team.add(system, elv.id, { email: lead.email, lead: true })
      await ctx.services.team.add(system, elv.id, { email: peer.email })
      const fa1 = await ctx.services.focusAreas.propose(system, elv.id, { title: 'Attendance and exclusions', description: 'x', source: 'authority_priority' })
      const fa2 = await ctx.services.focusAreas.propose(system, elv.id, { title: 'Additional learning needs', description: 'x', source: 'national_priority' })
      const evidence = [
        await ctx.services.evidence.create(lead, elv.id, { kind: 'meeting_note', title: 'Meeting with the director', body: 'Notes', source: 'Director', focusAreaIds: [fa1.id] }),
        await ctx.services.evidence.create(lead, elv.id, { kind: 'data', title: 'Attendance returns', body: 'Figures', source: 'Data unit', focusAreaIds: [fa1.id] }),
        await ctx.services.evidence.create(lead, elv.id, { kind: 'authority_document', title: 'Strategy', body: 'Summary', source: 'Authority', focusAreaIds: [fa1.id] }),
      ].map((e) => e.id)
      const finding = async (focusAreaId: number, kind: 'working_well' | 'improvement', text: string, secure = true) =>
        (await ctx.services.findings.create(lead, elv.id, { focusAreaId, kind, text, evidenceIds: secure ? evidence : evidence.slice(0, 1) })).id
      return { elv, lead, peer, fa1, fa2, finding }
    }

    it('builds the letter from the secure findings, focus areas in position order, working well before improvement', async () => {
      const { elv, lead, peer, fa1, fa2, finding } = await visit('W06000001')
      const a = await finding(fa1.id, 'working_well', 'Leaders track attendance\nweekly.')
      const b = await finding(fa1.id, 'improvement', 'Persistent absence remains too high.')
      await finding(fa1.id, 'working_well', 'Not yet secure: only one item.', false)
      const d = await finding(fa1.id, 'working_well', 'Family engagement officers work closely with schools.')
      const e = await finding(fa2.id, 'improvement', 'Waiting times for assessments are too long.')
      // The second focus area comes first: order is by position, not by when they were proposed.
      await db().updateTable('focus_area').set({ position: 9 }).where('id', '=', fa1.id).execute()

      const { letter, created } = await ctx.services.letters.build(lead, elv.id)
      expect(created).toBe(true)
      expect(letter).toMatchObject({ elvId: elv.id, state: 'draft', version: 1, date: '2026-07-01', director: { name: 'Elin Llŷr', email: 'director@authority.invalid' } })
      expect(letter.title).toEqual({ en: 'Feedback from the enhanced link inspector visit: Isle of Anglesey', cy: 'Adborth o’r ymweliad gwell arolygydd cyswllt: Ynys Môn' })
      expect(letter.sections.map((s) => s.key)).toEqual([
        'opening', 'purpose', 'visit',
        `focus:${fa2.id}`, `focus:${fa2.id}:working_well`, `focus:${fa2.id}:improvement`,
        `focus:${fa1.id}`, `focus:${fa1.id}:working_well`, `focus:${fa1.id}:improvement`,
        'closing',
      ])
      expect(letter.sections.map((s) => s.position)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])

      // Each finding one bullet, in the order recorded, with its id; the Welsh still to be written.
      const wellSection = section(letter, `focus:${fa1.id}:working_well`)
      expect(wellSection).toMatchObject({ level: 3, focusAreaId: fa1.id, findingKind: 'working_well', heading: { en: 'What is working well', cy: 'Beth sy’n gweithio’n dda' }, edited: false })
      expect(wellSection.paragraphs.map((p) => ({ style: p.style, text: p.text, findingIds: p.findingIds, fixed: p.fixed }))).toEqual([
        { style: 'bullet', text: { en: 'Leaders track attendance weekly.', cy: '' }, findingIds: [a], fixed: false },
        { style: 'bullet', text: { en: 'Family engagement officers work closely with schools.', cy: '' }, findingIds: [d], fixed: false },
      ])
      expect(wellSection.translation).toEqual({ original: 'en', current: false })
      expect(section(letter, `focus:${fa1.id}:improvement`).paragraphs.map((p) => p.findingIds)).toEqual([[b]])
      expect(section(letter, `focus:${fa1.id}:improvement`).heading).toEqual({ en: 'Considerations for improvement', cy: 'Ystyriaethau ar gyfer gwella' })
      expect(section(letter, `focus:${fa2.id}:improvement`).paragraphs.map((p) => p.findingIds)).toEqual([[e]])
      // Nothing secure is working well in the second focus area: an empty part, nothing to translate.
      expect(section(letter, `focus:${fa2.id}:working_well`)).toMatchObject({ paragraphs: [], translation: { original: null, current: true } })
      // The focus area's title heads its section in both languages.
      expect(section(letter, `focus:${fa1.id}`)).toMatchObject({ level: 2, heading: { en: 'Attendance and exclusions', cy: 'Attendance and exclusions' }, paragraphs: [], findingKind: null })

      // Template wording in both languages, fixed, and so up to date.
      expect(texts(letter, 'opening')[0]).toBe('Dear Elin Llŷr,')
      expect(texts(letter, 'opening', 'cy')[0]).toBe('Annwyl Elin Llŷr,')
      expect(section(letter, 'opening')).toMatchObject({ heading: { en: '', cy: '' }, translation: { original: null, current: true } })
      expect(section(letter, 'purpose').heading).toEqual({ en: 'The purpose of the visit', cy: 'Diben yr ymweliad' })
      expect(texts(letter, 'purpose').join(' ')).toContain('It carries no grade or judgement')
      expect(letter.sections.filter((s) => !s.key.startsWith('focus:')).every((s) => s.paragraphs.every((p) => p.fixed && p.text.en && p.text.cy))).toBe(true)
      expect(texts(letter, 'visit')).toEqual([
        'The visit took place on 2 February 2027 and 3 February 2027.',
        expect.stringContaining('The team met officers'),
        'The team was:',
        `${lead.name} (lead inspector)`,
        `${peer.name} (peer inspector)`,
      ])
      expect(texts(letter, 'visit', 'cy')[0]).toBe('Cynhaliwyd yr ymweliad ar 2 Chwefror 2027 a 3 Chwefror 2027.')
      expect(section(letter, 'visit').paragraphs.map((p) => p.style)).toEqual(['text', 'text', 'text', 'bullet', 'bullet'])
      expect(texts(letter, 'closing')).toEqual([expect.stringContaining('There is no follow-up activity or judgement arising from this visit'), 'Yours sincerely,', lead.name, 'Lead inspector'])
      expect(texts(letter, 'closing', 'cy').slice(1)).toEqual(['Yn gywir,', lead.name, 'Arolygydd arweiniol'])

      // The page's view: every secure finding is in the letter.
      const page = await ctx.services.letters.get(lead, elv.id)
      expect(page).toMatchObject({ mayEdit: true, mayBuild: true, missingFindings: [] })
      const events = await ctx.services.audit.list({ entityType: 'elv', entityId: String(elv.id) }, { limit: 50, offset: 0 })
      expect(events.items.filter((x) => x.action === 'letter.build')).toHaveLength(1)
      expect((await ctx.services.letters.revisions(lead, elv.id)).map((r) => [r.number, r.note])).toEqual([[1, 'build']])
    })

    it('rebuilds keeping edited sections unless asked, and drops the sections of a withdrawn focus area', async () => {
      const { elv, lead, fa1, fa2, finding } = await visit('W06000002')
      const a = await finding(fa1.id, 'working_well', 'Attendance is improving.')
      const b = await finding(fa1.id, 'improvement', 'Exclusions are too high.')
      await finding(fa2.id, 'working_well', 'Training is valued.')
      const built = (await ctx.services.letters.build(lead, elv.id)).letter
      const well = section(built, `focus:${fa1.id}:working_well`)
      const edited = await ctx.services.letters.updateSection(lead, elv.id, well.key, {
        version: built.version, paragraphs: [{ id: well.paragraphs[0]!.id, en: 'Attendance is improving in most schools.', cy: 'Mae presenoldeb yn gwella yn y rhan fwyaf o ysgolion.' }],
      })
      expect(section(edited, well.key)).toMatchObject({ edited: true, translation: { current: true } })

      // New secure findings after the edit: the edited part keeps its words; the rest takes them in.
      const c = await finding(fa1.id, 'working_well', 'Officers visit families at home.')
      const d = await finding(fa1.id, 'improvement', 'Plans lack measurable targets.')
      const rebuilt = await ctx.services.letters.build(lead, elv.id, { keepEdited: true })
      expect(rebuilt.created).toBe(false)
      expect(rebuilt.letter.version).toBe(3)
      expect(texts(rebuilt.letter, well.key)).toEqual(['Attendance is improving in most schools.'])
      expect(section(rebuilt.letter, well.key).paragraphs.map((p) => p.findingIds)).toEqual([[a]])
      expect(section(rebuilt.letter, `focus:${fa1.id}:improvement`).paragraphs.map((p) => p.findingIds)).toEqual([[b], [d]])
      // The section keeps its id across the rebuild: review comments and links to it still find it.
      expect(section(rebuilt.letter, well.key).id).toBe(well.id)
      expect((await ctx.services.letters.get(lead, elv.id)).missingFindings).toEqual([
        { id: c, focusAreaTitle: 'Attendance and exclusions', kind: 'working_well', text: 'Officers visit families at home.' },
      ])

      await ctx.services.focusAreas.withdraw(system, elv.id, fa2.id, { reason: 'Agreed with the authority to look at one area' })
      const withdrawn = (await ctx.services.letters.build(lead, elv.id)).letter
      expect(withdrawn.sections.map((s) => s.key)).toEqual(['opening', 'purpose', 'visit', `focus:${fa1.id}`, `focus:${fa1.id}:working_well`, `focus:${fa1.id}:improvement`, 'closing'])
      expect(withdrawn.sections.map((s) => s.position)).toEqual([0, 1, 2, 3, 4, 5, 6])

      const replaced = (await ctx.services.letters.build(lead, elv.id, { keepEdited: false })).letter
      expect(section(replaced, well.key)).toMatchObject({ edited: false, translation: { original: 'en', current: false } })
      expect(texts(replaced, well.key)).toEqual(['Attendance is improving.', 'Officers visit families at home.'])
      expect(section(replaced, well.key).paragraphs.map((p) => p.findingIds)).toEqual([[a], [c]])
      const events = await ctx.services.audit.list({ entityType: 'elv', entityId: String(elv.id) }, { limit: 50, offset: 0 })
      const rebuilds = events.items.filter((x) => x.action === 'letter.rebuild')
      expect(rebuilds).toHaveLength(3)
    })

    it('tracks which language is behind after each save', async () => {
      const { elv, lead } = await visit('W06000003')
      let letter = (await ctx.services.letters.build(lead, elv.id)).letter
      const [p1, p2] = section(letter, 'purpose').paragraphs
      const save = async (input: Record<string, unknown>) => {
        letter = await ctx.services.letters.updateSection(lead, elv.id, 'purpose', { version: letter.version, ...input })
        return section(letter, 'purpose')
      }

      // English only: English is the original and the Welsh is out of date; the wording is no longer the template's.
      const enOnly = await save({ paragraphs: [{ id: p1!.id, en: 'An ELV supports the authority’s own improvement work.' }, { id: p2!.id }] })
      expect(enOnly).toMatchObject({ edited: true, translation: { original: 'en', current: false } })
      expect(enOnly.paragraphs.map((p) => p.fixed)).toEqual([false, true])
      expect(enOnly.paragraphs[0]!.text.cy).toBe(p1!.text.cy)

      // Welsh only: now the Welsh is the original and the English must catch up.
      const cyOnly = await save({ paragraphs: [{ id: p1!.id, cy: 'Mae YGAC yn cefnogi gwaith gwella’r awdurdod ei hun.' }, { id: p2!.id }] })
      expect(cyOnly.translation).toEqual({ original: 'cy', current: false })

      // Both in one save: written together, so up to date.
      const bothEdited = await save({ heading: { en: 'Why we visited', cy: 'Pam y gwnaethom ymweld' } })
      expect(bothEdited.translation).toEqual({ original: null, current: true })

      // One language, with the editor's word that the other already says the same.
      const ticked = await save({ heading: { en: 'Why we came' }, translationCurrent: true })
      expect(ticked.translation).toEqual({ original: 'en', current: true })

      // Nothing changed, but the editor says the other language is behind.
      expect((await save({ translationCurrent: false })).translation).toEqual({ original: 'en', current: false })

      // A new paragraph in English only cannot be called translated.
      await expect(ctx.services.letters.updateSection(lead, elv.id, 'purpose', {
        version: letter.version, translationCurrent: true,
        paragraphs: [{ id: p1!.id }, { id: p2!.id }, { en: 'A third paragraph.' }],
      })).rejects.toMatchObject({ code: 'validation_failed', details: [{ path: 'paragraphs.2.cy', messageKey: 'letters.rule.translationMissing', params: { n: 3 } }] })
      const added = await save({ paragraphs: [{ id: p1!.id }, { id: p2!.id }, { style: 'bullet', en: 'A third paragraph.' }] })
      expect(added.translation).toEqual({ original: 'en', current: false })
      expect(added.paragraphs.map((p) => [p.style, p.text.en, p.text.cy])).toEqual([
        ['text', 'An ELV supports the authority’s own improvement work.', 'Mae YGAC yn cefnogi gwaith gwella’r awdurdod ei hun.'],
        ['text', p2!.text.en, p2!.text.cy],
        ['bullet', 'A third paragraph.', ''],
      ])
      // Writing the Welsh of it (and only that) brings the two together when the editor says so.
      const third = added.paragraphs[2]!
      const done = await save({ paragraphs: [{ id: p1!.id }, { id: p2!.id }, { id: third.id, cy: 'Trydydd paragraff.' }], translationCurrent: true })
      expect(done.translation).toEqual({ original: 'cy', current: true })

      // Removing a paragraph (left out, or emptied in both languages) changes neither language.
      const removed = await save({ paragraphs: [{ id: p1!.id }, { id: third.id, en: '', cy: '' }] })
      expect(removed.paragraphs.map((p) => p.id)).toEqual([p1!.id])
      expect(removed.translation).toEqual({ original: 'cy', current: true })
    })

    it('refuses a stale version, keeps markup as text, and refuses control characters and unknown paragraphs', async () => {
      const { elv, lead, fa1, finding } = await visit('W06000004')
      await finding(fa1.id, 'working_well', 'Attendance is improving.')
      const built = (await ctx.services.letters.build(lead, elv.id)).letter
      const key = `focus:${fa1.id}:working_well`
      const p = section(built, key).paragraphs[0]!
      const other = asActor(await ctx.make.user('hmi'))
      await ctx.services.team.add(system, elv.id, { email: other.email })
      const theirs = await ctx.services.letters.updateSection(other, elv.id, key, { version: 1, paragraphs: [{ id: p.id, en: 'Their words.' }] })
      expect(theirs.version).toBe(2)
      await expect(ctx.services.letters.updateSection(lead, elv.id, key, { version: 1, paragraphs: [{ id: p.id, en: 'My late words.' }] }))
        .rejects.toMatchObject({ code: 'version_conflict', status: 409 })
      await expect(ctx.services.letters.build(lead, elv.id, { version: 1 })).rejects.toMatchObject({ code: 'version_conflict' })
      expect(texts(await ctx.services.letters.model(lead, elv.id), key)).toEqual(['Their words.'])

      const markup = '<script>alert(1)</script> <b>bold</b> &amp;'
      const saved = await ctx.services.letters.updateSection(lead, elv.id, key, { version: 2, paragraphs: [{ id: p.id, en: markup, cy: '<i>Cymraeg</i>' }] })
      expect(section(saved, key).paragraphs[0]!.text).toEqual({ en: markup, cy: '<i>Cymraeg</i>' })
      // The finding it came from stays with it through edits.
      expect(section(saved, key).paragraphs[0]!.findingIds).toEqual(p.findingIds)

      const refused = await ctx.services.letters.updateSection(lead, elv.id, key, {
        version: 3,
        heading: { en: 'x'.repeat(301) },
        paragraphs: [{ id: p.id, en: 'Bell\u0007 ringing', cy: 'Right\u202Eto left' }, { id: 999999, en: 'x' }, { style: 'heading', en: 'y' }, { en: 'z'.repeat(5001) }],
      }).catch((e: unknown) => e)
      expect(refused).toMatchObject({ code: 'validation_failed' })
      expect((refused as { details: Array<{ path: string; messageKey: string }> }).details.map((d) => [d.path, d.messageKey])).toEqual([
        ['heading.en', 'letters.rule.headingTooLong'],
        ['paragraphs.0.cy', 'letters.rule.control'],
        ['paragraphs.0.en', 'letters.rule.control'],
        ['paragraphs.2.style', 'letters.rule.style'],
        ['paragraphs.3.en', 'letters.rule.tooLong'],
        // Found against the letter as it is, and listed with the rest.
        ['paragraphs.1.id', 'letters.rule.unknownParagraph'],
      ])
      const unknown = await ctx.services.letters.updateSection(lead, elv.id, key, { version: 3, paragraphs: [{ id: 999999, en: 'x' }, { en: 'y', findingIds: [999998] }] }).catch((e: unknown) => e)
      expect((unknown as { details: Array<{ path: string; messageKey: string }> }).details.map((d) => [d.path, d.messageKey])).toEqual([
        ['paragraphs.0.id', 'letters.rule.unknownParagraph'],
        ['paragraphs.1.findingIds', 'letters.rule.findingNotOfVisit'],
      ])
      await expect(ctx.services.letters.updateSection(lead, elv.id, 'nonsense', { version: 3 })).rejects.toMatchObject({ details: [{ path: 'key', messageKey: 'letters.rule.unknownSection' }] })
      expect((await ctx.services.letters.model(lead, elv.id)).version).toBe(3)
    })

    it('keeps every saved version whole, so any two can be compared', async () => {
      const { elv, lead } = await visit('W06000005')
      const built = (await ctx.services.letters.build(lead, elv.id)).letter
      const first = await ctx.services.letters.updateSection(lead, elv.id, 'purpose', { version: 1, heading: { en: 'First', cy: 'Cyntaf' } })
      await ctx.services.letters.update(lead, elv.id, { version: 2, sections: [{ key: 'purpose', heading: { en: 'Second', cy: 'Ail' } }, { key: 'visit', heading: { en: 'When', cy: 'Pryd' } }] })
      await ctx.services.letters.build(lead, elv.id)
      expect((await ctx.services.letters.revisions(lead, elv.id)).map((r) => [r.number, r.state, r.note, r.createdByName])).toEqual([
        [4, 'draft', 'rebuild', lead.name], [3, 'draft', 'edit', lead.name], [2, 'draft', 'edit', lead.name], [1, 'draft', 'build', lead.name],
      ])
      expect(await ctx.services.letters.revision(lead, elv.id, 1)).toEqual(built)
      expect(await ctx.services.letters.revision(lead, elv.id, 2)).toEqual(first)
      const third = await ctx.services.letters.revision(lead, elv.id, 3)
      expect([section(third, 'purpose').heading.en, section(third, 'visit').heading.en]).toEqual(['Second', 'When'])
      await expect(ctx.services.letters.revision(lead, elv.id, 9)).rejects.toMatchObject({ code: 'not_found' })
      const events = await ctx.services.audit.list({ entityType: 'elv', entityId: String(elv.id) }, { limit: 50, offset: 0 })
      expect(events.items.filter((x) => x.action === 'letter.edit')).toHaveLength(2)
    })

    it('keeps to the letter’s states: rebuild only a draft, an edit after approval goes back to review, nothing after issue', async () => {
      const { elv, lead } = await visit('W06000006')
      await ctx.services.letters.build(lead, elv.id)
      await setLetterState(elv.id, 'approved')
      const edited = await ctx.services.letters.updateSection(lead, elv.id, 'purpose', { version: 1, heading: { en: 'Purpose', cy: 'Diben' } })
      expect(edited.state).toBe('in_review')
      expect((await db().selectFrom('letter').select('approved_at').where('elv_id', '=', elv.id).executeTakeFirstOrThrow()).approved_at).toBeNull()
      const again = await ctx.services.letters.updateSection(lead, elv.id, 'purpose', { version: 2, heading: { en: 'Purpose of the visit' } })
      expect(again.state).toBe('in_review')
      await expect(ctx.services.letters.build(lead, elv.id)).rejects.toMatchObject({
        code: 'rule_violation', status: 409, details: [{ path: 'state', messageKey: 'letters.rule.rebuildOnlyDraft', params: { state: '@letters.state.in_review' } }],
      })
      expect((await ctx.services.letters.get(lead, elv.id))).toMatchObject({ mayEdit: true, mayBuild: false })

      await setLetterState(elv.id, 'issued')
      const issued = { code: 'rule_violation', status: 409, details: [{ path: 'state', messageKey: 'letters.rule.issued' }] }
      await expect(ctx.services.letters.updateSection(lead, elv.id, 'purpose', { version: 3, heading: { en: 'Late' } })).rejects.toMatchObject(issued)
      await expect(ctx.services.letters.build(lead, elv.id)).rejects.toMatchObject(issued)
      expect((await ctx.services.letters.get(lead, elv.id))).toMatchObject({ mayEdit: false, mayBuild: false })

      const cancelled = await visit('W06000009')
      await setElvState(cancelled.elv.id, 'cancelled')
      await expect(ctx.services.letters.build(cancelled.lead, cancelled.elv.id)).rejects.toMatchObject({ code: 'rule_violation', details: [{ messageKey: 'letters.rule.closed' }] })
    })

    it('lets the team build and edit, inspectorate readers read, and shows the authority nothing before issue', async () => {
      const { elv, lead } = await visit('W06000011')
      const la = asActor(await ctx.make.user('la', { authority: 'W06000011' }))
      const notFound = { code: 'not_found', status: 404 }
      await expect(ctx.services.letters.get(la, elv.id)).rejects.toMatchObject(notFound)
      await expect(ctx.services.letters.build(la, elv.id)).rejects.toMatchObject(notFound)
      await ctx.services.letters.build(lead, elv.id)
      await expect(ctx.services.letters.model(la, elv.id)).rejects.toMatchObject(notFound)
      await expect(ctx.services.letters.updateSection(la, elv.id, 'purpose', { version: 1, heading: { en: 'x' } })).rejects.toMatchObject(notFound)
      await expect(ctx.services.letters.revisions(la, elv.id)).rejects.toMatchObject(notFound)

      const reviewer = asActor(await ctx.make.user('reviewer'))
      expect((await ctx.services.letters.get(reviewer, elv.id))).toMatchObject({ mayEdit: false, mayBuild: false, onTeam: false })
      expect((await ctx.services.letters.model(reviewer, elv.id)).version).toBe(1)
      await expect(ctx.services.letters.build(reviewer, elv.id)).rejects.toMatchObject({ code: 'forbidden' })
      await expect(ctx.services.letters.updateSection(reviewer, elv.id, 'purpose', { version: 1, heading: { en: 'x' } })).rejects.toMatchObject({ code: 'forbidden' })
      const outsider = asActor(await ctx.make.user('hmi'))
      await expect(ctx.services.letters.updateSection(outsider, elv.id, 'purpose', { version: 1, heading: { en: 'x' } })).rejects.toMatchObject({ code: 'forbidden' })
      const otherPeer = asActor(await ctx.make.user('peer', { authority: 'W06000012' }))
      await expect(ctx.services.letters.model(otherPeer, elv.id)).rejects.toMatchObject(notFound)

      // Once issued, the authority reads it (and only its own authority's).
      await setLetterState(elv.id, 'issued')
      expect((await ctx.services.letters.model(la, elv.id)).state).toBe('issued')
      expect((await ctx.services.letters.get(la, elv.id))).toMatchObject({ mayEdit: false, mayBuild: false, missingFindings: [] })
      const elsewhere = asActor(await ctx.make.user('la', { authority: 'W06000012' }))
      await expect(ctx.services.letters.model(elsewhere, elv.id)).rejects.toMatchObject(notFound)
    })

    it('greets the director by role when none is named, and signs as the team without a lead', async () => {
      const admin = asActor(await ctx.make.user('admin'))
      const elv = await ctx.services.visits.create(system, { authority: 'W06000013', term: TERM })
      const { letter } = await ctx.services.letters.build(admin, elv.id)
      expect(texts(letter, 'opening')[0]).toBe('Dear Director of Education,')
      expect(texts(letter, 'opening', 'cy')[0]).toBe('Annwyl Gyfarwyddwr Addysg,')
      expect(texts(letter, 'visit')[0]).toBe('The visit took place in the Spring 2026-2027 term.')
      expect(texts(letter, 'visit')).not.toContain('The team was:')
      expect(texts(letter, 'closing').slice(1)).toEqual(['Yours sincerely,', 'The link inspector team'])
      expect(letter.sections.map((s) => s.key)).toEqual(['opening', 'purpose', 'visit', 'closing'])
      expect(letter.director).toEqual({ name: '', email: null })
      expect(paragraphsOf(letter, 'closing')).toHaveLength(3)
    })
  })
}

import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp } from '../../../test/helpers/test-app.ts'
import { fixedClock } from '../../clock.ts'
import type { ErrorDetail } from '../../http/errors.ts'
import { addInsecureFinding, asActor, editParagraph, reviewFixture } from './letter-review.fixtures.ts'
import { afterText } from './letter-review.view.ts'

const keys = (e: unknown) => ((e as { details?: ErrorDetail[] }).details ?? []).map((d) => d.messageKey)

for (const engine of testEngines()) {
  describe(`letter review on ${engine.name}`, () => {
    const clock = fixedClock('2027-03-01T09:00:00.000Z')
    const ctx = useTestApp(engine, { clock })
    const make = (role: Parameters<typeof ctx.make.user>[0], opts?: { authority?: string }) => ctx.make.user(role, opts)
    const fixture = (authority: string, text?: { improvement?: string }) => reviewFixture(ctx.services, make, authority, text)
    const review = () => ctx.services.letterReview
    const elvState = async (id: number) => (await ctx.services.database.db.selectFrom('elv').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state

    it('runs the whole loop: submit, return with comments, submit again, approve, keeping every version', async () => {
      const f = await fixture('W06000001')
      const reviewer = asActor(await make('reviewer'))
      const second = asActor(await make('reviewer'))
      const [paragraph] = f.paragraphs[`focus:${f.focusAreas[1]!.id}`]!

      const submitted = await review().submit(f.lead, f.elvId, { version: 1 })
      expect(submitted).toMatchObject({ state: 'in_review', version: 2, elvState: 'quality_assurance', submittedBy: { id: f.lead.id } })
      expect(await elvState(f.elvId)).toBe('quality_assurance')

      clock.advanceMinutes(5)
      const comment = await review().comment(reviewer, f.elvId, { version: 2, paragraphId: paragraph, body: 'Say which plans.' })
      expect(comment).toMatchObject({ revision: 2, sectionKey: `focus:${f.focusAreas[1]!.id}`, paragraphId: paragraph, author: { id: reviewer.id } })

      const returned = await review().returnLetter(reviewer, f.elvId, {
        version: 2, comments: [{ body: 'Tighten the wording overall.' }, { sectionKey: `focus:${f.focusAreas[0]!.id}`, body: 'Name the schools.' }],
      })
      expect(returned).toMatchObject({ state: 'draft', version: 3, elvState: 'drafting' })
      expect(await elvState(f.elvId)).toBe('drafting')

      clock.advanceMinutes(5)
      await editParagraph(ctx.services, f.letterId, paragraph!, { en: 'Plans for additional learning needs lack targets that can be measured.' }, f.member.id)
      const again = await review().submit(f.member, f.elvId, { version: 4 })
      expect(again).toMatchObject({ state: 'in_review', version: 5, elvState: 'quality_assurance', submittedBy: { id: f.member.id } })

      // Whoever returned it may also approve it: only the submitter and the team may not.
      const approved = await review().approve(second, f.elvId, { version: 5 })
      expect(approved).toMatchObject({ state: 'approved', version: 6, elvState: 'quality_assurance', approvedBy: { id: second.id, name: second.name } })
      expect(await elvState(f.elvId)).toBe('quality_assurance')

      const revisions = await review().revisions(reviewer, f.elvId)
      expect(revisions.map((r) => [r.number, r.state, r.note, r.createdBy?.id])).toEqual([
        [6, 'approved', 'approve', second.id], [5, 'in_review', 'submit', f.member.id], [4, 'draft', 'edit', f.member.id],
        [3, 'draft', 'return', reviewer.id], [2, 'in_review', 'submit', f.lead.id], [1, 'draft', 'build', f.lead.id],
      ])
      // Each state change is kept whole: the snapshot of the approval has the edited text.
      const snapshot = await ctx.services.database.db.selectFrom('letter_revision').select('snapshot').where('letter_id', '=', f.letterId).where('number', '=', 6).executeTakeFirstOrThrow()
      expect(JSON.parse(snapshot.snapshot)).toMatchObject({ state: 'approved', version: 6 })
      expect(snapshot.snapshot).toContain('targets that can be measured')

      const comments = await review().comments(f.lead, f.elvId)
      expect(comments.map((c) => [c.revision, c.sectionKey, c.paragraphId, c.body])).toEqual([
        [2, `focus:${f.focusAreas[1]!.id}`, paragraph, 'Say which plans.'],
        [2, null, null, 'Tighten the wording overall.'],
        [2, `focus:${f.focusAreas[0]!.id}`, null, 'Name the schools.'],
      ])

      const events = await ctx.services.audit.list({ entityType: 'elv', entityId: String(f.elvId) }, { limit: 100, offset: 0 })
      const actions = events.items.map((e) => e.action).filter((a) => a.startsWith('letter.') || a === 'elv.transition').reverse()
      expect(actions).toEqual([
        'elv.transition', 'letter.submit', 'letter.comment', 'elv.transition', 'letter.return', 'elv.transition', 'letter.submit', 'letter.approve',
      ])
    })

    it('refuses approval by whoever submitted the letter, or changed it since', async () => {
      const f = await fixture('W06000002')
      const admin = asActor(await make('admin'))
      const other = asActor(await make('admin'))
      await review().submit(admin, f.elvId, { version: 1 })
      const own = await review().approve(admin, f.elvId, { version: 2 }).catch((e: unknown) => e)
      expect(own).toMatchObject({ code: 'rule_violation', status: 409 })
      expect(keys(own)).toEqual(['letterReview.rule.ownSubmission'])

      // An administrator who edits the letter in review is its author too.
      const [p] = f.paragraphs.closing!
      await editParagraph(ctx.services, f.letterId, p!, { en: 'There is no follow-up activity of any kind.' }, other.id)
      const edited = await review().approve(other, f.elvId, { version: 3 }).catch((e: unknown) => e)
      expect(keys(edited)).toEqual(['letterReview.rule.ownEdits'])
      expect((await review().get(admin, f.elvId)).state).toBe('in_review')
      const third = asActor(await make('reviewer'))
      expect((await review().approve(third, f.elvId, { version: 3 })).state).toBe('approved')
    })

    it('refuses a reviewer who is on the team, and lets only reviewers review and only the team submit', async () => {
      const f = await fixture('W06000003')
      // An HMI on the team, since made a reviewer: still on the team, so never its reviewer.
      const promoted = asActor(await make('hmi'))
      await ctx.services.team.add(asActor(await make('admin')), f.elvId, { email: promoted.email })
      await ctx.services.database.db.updateTable('app_user').set({ role: 'reviewer' }).where('id', '=', promoted.id).execute()
      const onTeam = { ...promoted, role: 'reviewer' as const }

      const outsider = asActor(await make('hmi'))
      const reviewer = asActor(await make('reviewer'))
      await expect(review().submit(outsider, f.elvId, { version: 1 })).rejects.toMatchObject({ code: 'forbidden', status: 403 })
      await expect(review().submit(reviewer, f.elvId, { version: 1 })).rejects.toMatchObject({ code: 'forbidden' })
      await review().submit(f.lead, f.elvId, { version: 1 })

      for (const attempt of [
        () => review().approve(onTeam, f.elvId, { version: 2 }),
        () => review().returnLetter(onTeam, f.elvId, { version: 2, comments: 'x' }),
        () => review().comment(onTeam, f.elvId, { version: 2, body: 'x' }),
      ]) {
        const e = await attempt().catch((x: unknown) => x)
        expect(e).toMatchObject({ code: 'rule_violation', status: 409 })
        expect(keys(e)).toContain('letterReview.rule.onTeam')
      }
      await expect(review().approve(f.lead, f.elvId, { version: 2 })).rejects.toMatchObject({ code: 'forbidden' })
      await expect(review().approve(outsider, f.elvId, { version: 2 })).rejects.toMatchObject({ code: 'forbidden' })
      await expect(review().comment(f.member, f.elvId, { version: 2, body: 'x' })).rejects.toMatchObject({ code: 'forbidden' })
      expect((await review().get(reviewer, f.elvId)).state).toBe('in_review')
    })

    it('answers 404 to the authority and to anyone who cannot see the visit', async () => {
      const f = await fixture('W06000004')
      const la = asActor(await make('la', { authority: 'W06000004' }))
      const peer = asActor(await make('peer', { authority: 'W06000010' }))
      for (const who of [la, peer]) {
        await expect(review().submit(who, f.elvId, { version: 1 })).rejects.toMatchObject({ code: 'not_found', status: 404 })
        await expect(review().review(who, f.elvId)).rejects.toMatchObject({ code: 'not_found' })
        await expect(review().revisions(who, f.elvId)).rejects.toMatchObject({ code: 'not_found' })
        await expect(review().comments(who, f.elvId)).rejects.toMatchObject({ code: 'not_found' })
        await expect(review().compare(who, f.elvId, {})).rejects.toMatchObject({ code: 'not_found' })
      }
      await expect(review().approve(la, f.elvId, { version: 1 })).rejects.toMatchObject({ code: 'not_found' })
      await expect(review().queue(la)).rejects.toMatchObject({ code: 'forbidden' })
      await expect(review().queue(f.lead)).rejects.toMatchObject({ code: 'forbidden' })
    })

    it('refuses a stale version with 409 version_conflict and changes nothing', async () => {
      const f = await fixture('W06000005')
      const reviewer = asActor(await make('reviewer'))
      await expect(review().submit(f.lead, f.elvId, { version: 2 })).rejects.toMatchObject({ code: 'version_conflict', status: 409 })
      await expect(review().submit(f.lead, f.elvId, {})).rejects.toMatchObject({ code: 'validation_failed', details: [{ path: 'version' }] })
      expect(await elvState(f.elvId)).toBe('drafting')
      await review().submit(f.lead, f.elvId, { version: 1 })
      await expect(review().approve(reviewer, f.elvId, { version: 1 })).rejects.toMatchObject({ code: 'version_conflict' })
      await expect(review().returnLetter(reviewer, f.elvId, { version: 1, comments: 'Late' })).rejects.toMatchObject({ code: 'version_conflict' })
      await expect(review().comment(reviewer, f.elvId, { version: 1, body: 'Late' })).rejects.toMatchObject({ code: 'version_conflict' })
      expect(await review().get(reviewer, f.elvId)).toMatchObject({ state: 'in_review', version: 2 })
      expect(await review().comments(reviewer, f.elvId)).toEqual([])
    })

    it('keeps the letter from review while a finding is not secure, naming each reason from the visit’s gate', async () => {
      const f = await fixture('W06000006')
      await addInsecureFinding(ctx.services, f, 'Exclusions remain high in a few secondary schools across the authority')
      const refused = await review().submit(f.lead, f.elvId, { version: 1 }).catch((e: unknown) => e)
      expect(refused).toMatchObject({ code: 'rule_violation', status: 409 })
      expect((refused as { details: ErrorDetail[] }).details).toEqual([
        { path: 'findings', messageKey: 'visits.rule.findingNotSecure', params: { title: 'Attendance and exclusions', text: 'Exclusions remain high in a few secondary schools across…' } },
      ])
      expect(await review().get(f.lead, f.elvId)).toMatchObject({ state: 'draft', version: 1, elvState: 'drafting' })
      // The page shows the same before anyone tries.
      const page = await review().review(f.lead, f.elvId)
      expect(page.actions.submit).toMatchObject({ may: true, unmet: [{ messageKey: 'visits.rule.findingNotSecure' }] })
    })

    it('checks what a return and a comment say, and the state each action needs', async () => {
      const f = await fixture('W06000014')
      const reviewer = asActor(await make('reviewer'))
      const early = await review().approve(reviewer, f.elvId, { version: 1 }).catch((e: unknown) => e)
      expect(keys(early)).toEqual(['letterReview.rule.notInReview', 'letterReview.rule.elvNotInQualityAssurance'])
      await review().submit(f.lead, f.elvId, { version: 1 })
      expect(keys(await review().submit(f.lead, f.elvId, { version: 2 }).catch((e: unknown) => e))).toEqual(['letterReview.rule.submitOnlyDraft'])

      const empty = await review().returnLetter(reviewer, f.elvId, { version: 2, comments: '  ' }).catch((e: unknown) => e)
      expect(empty).toMatchObject({ code: 'validation_failed', status: 400, details: [{ path: 'comments', messageKey: 'letterReview.rule.commentsNeeded' }] })
      const wrong = await review().returnLetter(reviewer, f.elvId, {
        version: 2, comments: [{ paragraphId: 999999, body: 'Where?' }, { sectionKey: 'nowhere', body: 'x' }, { body: '' }, 'text'],
      }).catch((e: unknown) => e)
      expect(wrong).toMatchObject({ code: 'validation_failed' })
      expect((wrong as { details: ErrorDetail[] }).details.map((d) => [d.path, d.messageKey])).toEqual([
        ['comments.0.paragraphId', 'letterReview.rule.unknownParagraph'],
        ['comments.1.sectionKey', 'letterReview.rule.unknownSection'],
        ['comments.2.body', 'validation.required'],
        ['comments.3.body', 'letterReview.rule.commentsShape'],
      ])
      // A paragraph of one section named with another is refused too.
      const [opening] = f.paragraphs.opening!
      await expect(review().comment(reviewer, f.elvId, { version: 2, sectionKey: 'closing', paragraphId: opening, body: 'x' }))
        .rejects.toMatchObject({ details: [{ path: 'paragraphId', messageKey: 'letterReview.rule.unknownParagraph' }] })
      // Comments already made on this version are reason enough.
      await review().comment(reviewer, f.elvId, { version: 2, paragraphId: String(opening), body: '<b>Formal</b> greeting, please' })
      expect((await review().returnLetter(reviewer, f.elvId, { version: 2 })).state).toBe('draft')
      expect((await review().comments(f.lead, f.elvId))[0]).toMatchObject({ body: '<b>Formal</b> greeting, please', sectionKey: 'opening' })
      await expect(review().comment(reviewer, f.elvId, { version: 3, body: 'After return' })).rejects.toMatchObject({ details: [{ messageKey: 'letterReview.rule.notInReview' }] })
    })

    it('refuses a letter that does not exist yet, and a visit past drafting', async () => {
      const f = await fixture('W06000008')
      await ctx.services.database.db.deleteFrom('letter').where('id', '=', f.letterId).execute()
      expect(keys(await review().submit(f.lead, f.elvId, { version: 1 }).catch((e: unknown) => e))).toEqual(['letterReview.rule.noLetter'])
      expect((await review().review(f.lead, f.elvId)).letter).toBeNull()
      await expect(review().revisions(f.lead, f.elvId)).rejects.toMatchObject({ code: 'not_found' })

      const g = await fixture('W06000009')
      await ctx.services.database.db.updateTable('elv').set({ state: 'fieldwork' }).where('id', '=', g.elvId).execute()
      const e = await review().submit(g.lead, g.elvId, { version: 1 }).catch((x: unknown) => x)
      expect((e as { details: ErrorDetail[] }).details).toEqual([{ path: 'elv', messageKey: 'letterReview.rule.elvNotDrafting', params: { state: '@visits.state.fieldwork' } }])
    })

    it('compares any two versions word by word in both languages', async () => {
      const f = await fixture('W06000011')
      const [p] = f.paragraphs[`focus:${f.focusAreas[0]!.id}`]!
      await editParagraph(ctx.services, f.letterId, p!, { en: 'Attendance is improving quickly in <script>alert(1)</script> schools.', cy: 'Mae presenoldeb yn gwella’n gyflym mewn ysgolion uwchradd.' }, f.lead.id)
      await review().submit(f.lead, f.elvId, { version: 2 })
      const c = await review().compare(f.lead, f.elvId, { from: '1', to: 3 })
      expect([c.from.number, c.to.number]).toEqual([1, 3])
      const section = c.sections.find((s) => s.key === `focus:${f.focusAreas[0]!.id}`)!
      expect(section.status).toBe('changed')
      expect(section.paragraphs[0]!.text.en).toEqual([
        { op: 'same', text: 'Attendance is improving ' },
        { op: 'ins', text: 'quickly ' },
        { op: 'same', text: 'in ' },
        { op: 'del', text: 'secondary ' },
        { op: 'ins', text: '<script>alert(1)</script> ' },
        { op: 'same', text: 'schools.' },
      ])
      expect(afterText(section.paragraphs[0]!.text.en)).toBe('Attendance is improving quickly in <script>alert(1)</script> schools.')
      expect(section.paragraphs[0]!.text.cy.filter((s) => s.op !== 'same').map((s) => [s.op, s.text.trim()])).toEqual([['del', 'gwella'], ['ins', 'gwella’n gyflym']])
      expect(c.sections.filter((s) => s.status !== 'same').map((s) => s.key)).toEqual([`focus:${f.focusAreas[0]!.id}`])
      // Left out, the newest is compared with the one before it: a submission changes no words.
      const latest = await review().compare(f.lead, f.elvId, {})
      expect([latest.from.number, latest.to.number, latest.sections.every((s) => s.status === 'same')]).toEqual([2, 3, true])
      await expect(review().compare(f.lead, f.elvId, { from: 9, to: 'x' })).rejects.toMatchObject({
        code: 'validation_failed', details: [{ path: 'to', messageKey: 'validation.integer' }, { path: 'from', messageKey: 'letterReview.compare.noSuchRevision' }],
      })
    })

    it('lists letters in review, then approved ones, for reviewers', async () => {
      const f = await fixture('W06000012')
      const g = await fixture('W06000013')
      const reviewer = asActor(await make('reviewer'))
      await review().submit(f.lead, f.elvId, { version: 1 })
      clock.advanceMinutes(1)
      await review().submit(g.lead, g.elvId, { version: 1 })
      await review().approve(reviewer, f.elvId, { version: 2 })
      const queue = (await review().queue(reviewer)).filter((r) => r.elv_id === f.elvId || r.elv_id === g.elvId)
      expect(queue.map((r) => [r.elv_id, r.state, r.submitted_by_name])).toEqual([[g.elvId, 'in_review', g.lead.name], [f.elvId, 'approved', f.lead.name]])
    })
  })
}

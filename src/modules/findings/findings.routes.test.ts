import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { csrfTokenIn, useTestApp, type Browser } from '../../../test/helpers/test-app.ts'
import { systemActor, type UserActor } from '../auth/actor.ts'
import type { AppUser, ElvState, EvidenceKind } from '../../db/schema.ts'
import { fixedClock } from '../../clock.ts'

const asActor = (u: AppUser): UserActor => ({ kind: 'user', id: u.id, name: u.name, email: u.email, role: u.role, authorityCode: u.authority_code })
const TERM = '2026-2027/spring'

/** The text of the error summary's links, in order. */
function summaryErrors(html: string): string[] {
  const summary = /govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? ''
  return [...summary.matchAll(/<a href="[^"]*">([^<]*)<\/a>/g)].map((m) => m[1]!.trim())
}
const h1Count = (html: string) => (html.match(/<h1[\s>]/g) ?? []).length
/** Visible text, roughly: tags removed and spaces collapsed, for "reads as" checks. */
const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/&#39;/g, '’').replace(/\s+/g, ' ')
const checkedValues = (html: string, name: string) =>
  [...html.matchAll(new RegExp(`<input[^>]*name="${name}"[^>]*>`, 'g'))].filter((m) => /\schecked/.test(m[0])).map((m) => /value="([^"]*)"/.exec(m[0])![1])

for (const engine of testEngines()) {
  describe(`findings pages on ${engine.name}`, () => {
    const ctx = useTestApp(engine, { clock: fixedClock('2026-07-01T09:00:00.000Z') })
    const system = systemActor('test')
    const setState = (elvId: number, state: ElvState) => ctx.services.database.db.updateTable('elv').set({ state }).where('id', '=', elvId).execute()
    /** A form post where one name may repeat (several checkboxes), as a browser sends it. */
    const postEntries = async (browser: Browser, url: string, entries: Array<[string, string]>) => {
      const token = csrfTokenIn((await browser.get(url)).body)
      const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
      const res = await ctx.app.inject({
        method: 'POST', url, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams([...entries, ['_csrf', token]]).toString(),
      })
      for (const c of res.cookies) browser.cookies.set(c.name, c.value)
      return res
    }

    /** An ELV with a signed-in lead HMI, two focus areas and a way to add evidence. */
    async function visit(authority: string) {
      const { browser, user } = await ctx.signedIn('hmi')
      const hmi = asActor(user)
      const elv = await ctx.services.visits.create(system, { authority, term: TERM })
      await ctx.services.team.add(system, elv.id, { email: hmi.email, lead: true })
      const fa1 = await ctx.services.focusAreas.propose(system, elv.id, { title: 'Attendance and exclusions', description: 'x', source: 'authority_priority' })
      const fa2 = await ctx.services.focusAreas.propose(system, elv.id, { title: 'Additional learning needs', description: 'x', source: 'national_priority' })
      const add = (kind: EvidenceKind, source: string, title = `${kind} from ${source}`) =>
        ctx.services.evidence.create(hmi, elv.id, { kind, title, body: 'Notes', source, focusAreaIds: [fa1.id] })
      return { browser, hmi, elv, fa1, fa2, add, url: `/elvs/${elv.id}/findings` }
    }

    it('shows each focus area with its two kinds of finding, their triangulation, evidence and what they still need', async () => {
      const { browser, hmi, elv, fa1, add, url } = await visit('W06000001')
      const a = await add('meeting_note', 'Director of Education', 'Meeting with the director')
      const b = await add('data', 'Attendance returns')
      const c = await add('authority_document', 'Strategy')
      await ctx.services.findings.create(hmi, elv.id, { focusAreaId: fa1.id, kind: 'working_well', text: 'Attendance <script>alert(1)</script> is improving', evidenceIds: [a.id, b.id, c.id] })
      await ctx.services.findings.create(hmi, elv.id, { focusAreaId: fa1.id, kind: 'improvement', text: 'Exclusions are high', evidenceIds: [a.id, b.id] })

      const page = await browser.get(url)
      expect(page.statusCode).toBe(200)
      expect(h1Count(page.body)).toBe(1)
      const text = textOf(page.body)
      // Focus areas in position order, each with both headings.
      expect(text.indexOf('Attendance and exclusions')).toBeLessThan(text.indexOf('Additional learning needs'))
      expect(page.body.match(/<h3 class="govuk-heading-s">What is working well<\/h3>/g)).toHaveLength(2)
      expect(page.body.match(/<h3 class="govuk-heading-s">Considerations for improvement<\/h3>/g)).toHaveLength(2)
      expect(text).toContain('A finding is secure when it rests on at least 3 items of evidence, of at least 2 kinds, from at least 3 sources.'.replace('3 sources', '2 sources'))
      expect(page.body).toContain('<strong class="govuk-tag govuk-tag--green">')
      expect(text).toContain('Secure 3 items · 3 kinds · 3 sources')
      expect(text).toContain('Not yet secure 2 items · 2 kinds · 2 sources')
      expect(text).toContain('Needs 1 more item')
      expect(page.body).toContain(`href="/elvs/${elv.id}/evidence/${a.id}">Meeting with the director</a>`)
      expect(text).toContain('Meeting note · Director of Education')
      // A script in a finding is shown as text, never run.
      expect(page.body).toContain('Attendance &lt;script&gt;alert(1)&lt;/script&gt; is improving')
      expect(page.body).not.toContain('<script>alert(1)')
      // The add form lists this visit's evidence with kind and source.
      expect(page.body).toContain('id="add-finding"')
      expect(page.body).toMatch(new RegExp(`name="evidenceIds" type="checkbox" value="${c.id}"`))
      expect(text).toContain('Authority document · Strategy')

      // A link from an empty section chooses the focus area and kind of the add form.
      const chosen = await browser.get(`${url}?focusAreaId=${fa1.id}&kind=improvement`)
      expect(chosen.body).toContain(`<option value="${fa1.id}" selected>Attendance and exclusions</option>`)
      expect(checkedValues(chosen.body, 'kind')).toEqual(['improvement'])

      await browser.get(`/language/cy?back=${encodeURIComponent(url)}`)
      const welsh = await browser.get(url)
      expect(welsh.body).toContain('Beth sy’n gweithio’n dda')
      expect(welsh.body).toContain('Ystyriaethau ar gyfer gwella')
      expect(textOf(welsh.body)).toContain('3 eitem · 3 math · 3 ffynhonnell')
    })

    it('adds a finding from the form, and keeps what was typed when something is wrong', async () => {
      const { browser, elv, fa1, add, url } = await visit('W06000002')
      const a = await add('meeting_note', 'Director')
      const b = await add('data', 'Data unit')
      const bad = await browser.post(url, { focusAreaId: '', kind: 'working_well', text: 'Leaders know their schools well', evidenceIds: String(a.id) })
      expect(bad.statusCode).toBe(400)
      expect(summaryErrors(bad.body)).toEqual(['Select the focus area'])
      expect(bad.body).toContain('Leaders know their schools well</textarea>')
      expect(checkedValues(bad.body, 'evidenceIds')).toEqual([String(a.id)])
      expect(checkedValues(bad.body, 'kind')).toEqual(['working_well'])

      const other = await visit('W06000003')
      const theirs = await other.add('data', 'Elsewhere')
      const foreign = await browser.post(url, { focusAreaId: String(fa1.id), kind: 'working_well', text: 'x', evidenceIds: String(theirs.id) })
      expect(foreign.statusCode).toBe(400)
      expect(summaryErrors(foreign.body)).toEqual([`Evidence item ${theirs.id} is not evidence of this visit`])

      // Two boxes ticked send the same name twice.
      const ok = await postEntries(browser, url, [['focusAreaId', String(fa1.id)], ['kind', 'improvement'], ['text', 'Plans lack targets'], ['evidenceIds', String(a.id)], ['evidenceIds', String(b.id)]])
      expect(ok.statusCode).toBe(303)
      expect(ok.headers.location).toMatch(new RegExp(`^/elvs/${elv.id}/findings#finding-\\d+$`))
      const after = await browser.get(url)
      expect(after.body).toContain('Finding added to “Attendance and exclusions”')
      const [finding] = await ctx.services.findings.list(systemActor(), elv.id)
      expect(finding).toMatchObject({ kind: 'improvement', text: 'Plans lack targets' })
      expect(finding!.evidence.map((e) => e.id)).toEqual([a.id, b.id])
    })

    it('changes a finding on its own page, shows both versions when someone saved first, and deletes it', async () => {
      const { browser, hmi, elv, fa1, add, url } = await visit('W06000004')
      const a = await add('meeting_note', 'Director')
      const f = await ctx.services.findings.create(hmi, elv.id, { focusAreaId: fa1.id, kind: 'working_well', text: 'Original words', evidenceIds: [a.id] })
      const edit = `${url}/${f.id}`
      const form = await browser.get(edit)
      expect(form.statusCode).toBe(200)
      expect(form.body).toContain('Original words</textarea>')
      expect(form.body).toContain('name="version" value="1"')
      // Someone else saves first.
      await ctx.services.findings.update(hmi, f.id, { text: 'Their newer words', version: 1 })
      const stale = await browser.post(edit, { focusAreaId: String(fa1.id), kind: 'working_well', text: 'My words', version: '1' }, { from: edit })
      expect(stale.statusCode).toBe(409)
      expect(summaryErrors(stale.body)).toHaveLength(1)
      expect(stale.body).toContain('Their newer words')
      expect(stale.body).toContain('My words</textarea>')
      expect(stale.body).toContain('name="version" value="2"')
      expect((await ctx.services.findings.get(hmi, f.id)).text).toBe('Their newer words')
      // Saving again after seeing both is a choice; unticking all evidence unlinks it.
      const saved = await browser.post(edit, { focusAreaId: String(fa1.id), kind: 'improvement', text: 'My words', version: '2' })
      expect(saved.statusCode).toBe(303)
      expect(await ctx.services.findings.get(hmi, f.id)).toMatchObject({ text: 'My words', kind: 'improvement', version: 3, evidence: [] })

      expect((await browser.post(`${edit}/delete`, { version: '2' }, { from: edit })).statusCode).toBe(409)
      const gone = await browser.post(`${edit}/delete`, { version: '3' }, { from: edit })
      expect(gone.statusCode).toBe(303)
      await expect(ctx.services.findings.get(hmi, f.id)).rejects.toMatchObject({ code: 'not_found' })
      // A finding is reached only under its own visit.
      const other = await visit('W06000005')
      const g = await ctx.services.findings.create(other.hmi, other.elv.id, { focusAreaId: other.fa1.id, kind: 'working_well', text: 'Elsewhere' })
      expect((await (await ctx.signedIn('admin')).browser.get(`${url}/${g.id}`)).statusCode).toBe(404)
    })

    it('hides findings and the matrix from the authority, and is read-only after the letter is issued', async () => {
      const { browser, hmi, elv, fa1, url } = await visit('W06000006')
      const f = await ctx.services.findings.create(hmi, elv.id, { focusAreaId: fa1.id, kind: 'working_well', text: 'Strong leadership' })
      const la = (await ctx.signedIn('la', { authority: 'W06000006' })).browser
      expect((await la.get(url)).statusCode).toBe(404)
      expect((await la.get(`/elvs/${elv.id}/matrix`)).statusCode).toBe(404)
      expect((await la.get(`${url}/${f.id}`)).statusCode).toBe(404)
      const reviewer = (await ctx.signedIn('reviewer')).browser
      const read = await reviewer.get(url)
      expect(read.statusCode).toBe(200)
      expect(read.body).toContain('Strong leadership')
      expect(read.body).not.toContain('id="add-finding"')

      await setState(elv.id, 'issued')
      const closed = await browser.get(url)
      expect(closed.body).toContain('its findings can no longer change')
      expect(closed.body).not.toContain('id="add-finding"')
      expect(closed.body).not.toContain(`href="${url}/${f.id}"`)
      const refused = await browser.post(url, { focusAreaId: String(fa1.id), kind: 'working_well', text: 'Too late' }, { from: `/elvs/${elv.id}` })
      expect(refused.statusCode).toBe(409)
      expect(summaryErrors(refused.body)).toEqual(['The letter for this visit has been issued (or the visit cancelled), so its findings can no longer change'])
    })

    it('shows the matrix as an accessible table with gaps marked', async () => {
      const { browser, hmi, elv, fa1, add } = await visit('W06000008')
      const a = await add('meeting_note', 'Director')
      await add('meeting_note', 'Head')
      await ctx.services.findings.create(hmi, elv.id, { focusAreaId: fa1.id, kind: 'working_well', text: 'Thin', evidenceIds: [a.id] })
      const page = await browser.get(`/elvs/${elv.id}/matrix`)
      expect(page.statusCode).toBe(200)
      expect(h1Count(page.body)).toBe(1)
      expect(page.body).toContain('<caption class="govuk-table__caption govuk-table__caption--m">Evidence items by focus area and kind</caption>')
      expect(page.body.match(/<th scope="col"/g)).toHaveLength(9)
      const rows = [...page.body.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)].map((m) => textOf(m[1]!).trim())
      expect(rows).toEqual([
        'Focus area Meeting note Authority document Provider inspection Data Link intelligence All evidence Findings Secure or not',
        'Attendance and exclusions 2 0 (no evidence) 0 (no evidence) 0 (no evidence) 0 (no evidence) 2 1 0 secure, 1 not yet secure',
        'Additional learning needs 0 (no evidence) 0 (no evidence) 0 (no evidence) 0 (no evidence) 0 (no evidence) 0 (no evidence) 0 (no findings) No findings',
      ])
      expect(page.body.match(/app-matrix__gap/g)).toHaveLength(11)
      expect(page.body).toContain('<th scope="row" class="govuk-table__header app-wrap">Additional learning needs</th>')
    })

    it('lets only an administrator change the threshold, checks it, and findings follow it', async () => {
      const { browser, hmi, elv, fa1, add, url } = await visit('W06000009')
      const a = await add('meeting_note', 'Director')
      const b = await add('data', 'Data unit')
      await ctx.services.findings.create(hmi, elv.id, { focusAreaId: fa1.id, kind: 'working_well', text: 'Two items', evidenceIds: [a.id, b.id] })
      expect((await browser.get('/admin/triangulation')).statusCode).toBe(403)
      expect(textOf((await browser.get(url)).body)).toContain('Not yet secure 2 items')

      const admin = (await ctx.signedIn('admin')).browser
      const form = await admin.get('/admin/triangulation')
      expect(form.statusCode).toBe(200)
      expect(h1Count(form.body)).toBe(1)
      expect(form.body).toMatch(/id="minItems" name="minItems" type="text" spellcheck="false" value="3"/)
      const version = /name="version" value="(\d+)"/.exec(form.body)![1]!
      const bad = await admin.post('/admin/triangulation', { minItems: '0', minKinds: '6', minSources: 'two', version })
      expect(bad.statusCode).toBe(400)
      expect(summaryErrors(bad.body)).toEqual([
        'The fewest evidence items must be a whole number from 1 to 20',
        'The fewest kinds of evidence can be at most 5: there are only 5 kinds',
        'The fewest sources must be a whole number from 1 to 20',
      ])
      expect(bad.body).toMatch(/id="minSources" name="minSources" type="text" spellcheck="false" value="two"/)
      const ok = await admin.post('/admin/triangulation', { minItems: '2', minKinds: '2', minSources: '2', version })
      expect(ok.statusCode).toBe(303)
      expect((await admin.get('/admin/triangulation')).body).toContain('Triangulation threshold saved')
      expect(textOf((await browser.get(url)).body)).toContain('Secure 2 items · 2 kinds · 2 sources')
      // Someone else's save is not overwritten by an old form.
      const stale = await admin.post('/admin/triangulation', { minItems: '4', minKinds: '2', minSources: '2', version })
      expect(stale.statusCode).toBe(409)
      expect(await ctx.services.findings.threshold()).toEqual({ minItems: 2, minKinds: 2, minSources: 2 })
      const current = /name="version" value="(\d+)"/.exec(stale.body)![1]!
      expect((await admin.post('/admin/triangulation', { minItems: '3', minKinds: '2', minSources: '2', version: current })).statusCode).toBe(303)
    })

    it('names on the visit’s overview what keeps it from quality assurance', async () => {
      const { browser, hmi, elv, fa1, add } = await visit('W06000010')
      const a = await add('meeting_note', 'Director')
      await ctx.services.findings.create(hmi, elv.id, { focusAreaId: fa1.id, kind: 'improvement', text: 'Self-evaluation is not yet sharp enough', evidenceIds: [a.id] })
      await setState(elv.id, 'drafting')
      const page = await browser.get(`/elvs/${elv.id}`)
      expect(page.body).toContain('The finding “Self-evaluation is not yet sharp enough” for “Attendance and exclusions” is not yet secure')
      expect(page.body).toContain('The focus area “Additional learning needs” has no finding yet')
      const refused = await browser.post(`/elvs/${elv.id}/transition`, { to: 'quality_assurance', version: String((await ctx.services.visits.get(hmi, elv.id)).version) }, { from: `/elvs/${elv.id}` })
      expect(refused.statusCode).toBe(409)
      expect(summaryErrors(refused.body)).toHaveLength(2)
    })
  })
}

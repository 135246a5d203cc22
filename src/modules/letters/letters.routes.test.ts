import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { csrfTokenIn, useTestApp, type Browser } from '../../../test/helpers/test-app.ts'
import { systemActor, type UserActor } from '../auth/actor.ts'
import type { AppUser, LetterState } from '../../db/schema.ts'
import { fixedClock } from '../../clock.ts'
import type { LetterModel, WritingProblem } from './letter.model.ts'

const asActor = (u: AppUser): UserActor => ({ kind: 'user', id: u.id, name: u.name, email: u.email, role: u.role, authorityCode: u.authority_code })
const TERM = '2026-2027/spring'

/** The text of the error summary's links, in order. */
function summaryErrors(html: string): string[] {
  const summary = /govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? ''
  return [...summary.matchAll(/<a href="[^"]*">([^<]*)<\/a>/g)].map((m) => m[1]!.trim())
}
const h1Count = (html: string) => (html.match(/<h1[\s>]/g) ?? []).length
const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/&#39;/g, '’').replace(/\s+/g, ' ')
const fieldValue = (html: string, id: string) => {
  const textarea = new RegExp(`<textarea[^>]*id="${id}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html)
  if (textarea) return textarea[1]!.trim()
  return new RegExp(`<input[^>]*id="${id}"[^>]*value="([^"]*)"`).exec(html)?.[1]
}

for (const engine of testEngines()) {
  describe(`letter pages on ${engine.name}`, () => {
    const ctx = useTestApp(engine, { clock: fixedClock('2026-07-01T09:00:00.000Z') })
    const system = systemActor('test')
    const setLetterState = (elvId: number, state: LetterState) => ctx.services.database.db.updateTable('letter').set({ state }).where('elv_id', '=', elvId).execute()
    /** A form post exactly as given (names may repeat), with the CSRF token of `from`. */
    const postForm = async (browser: Browser, url: string, entries: Array<[string, string]>, from = url) => {
      const token = csrfTokenIn((await browser.get(from)).body)
      const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
      const res = await ctx.app.inject({
        method: 'POST', url, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams([...entries, ['_csrf', token]]).toString(),
      })
      for (const c of res.cookies) browser.cookies.set(c.name, c.value)
      return res
    }
    /** Stands in for the writing checks for the length of one test. */
    const fakeChecks = (check: (model: LetterModel) => Promise<WritingProblem[]>) => {
      const target = ctx.services.writingChecks as unknown as Record<string, unknown>
      const own = Object.prototype.hasOwnProperty.call(target, 'check')
      const before = target.check
      target.check = check
      return () => { if (own) target.check = before; else delete target.check }
    }

    async function visit(authority: string) {
      const { browser, user } = await ctx.signedIn('hmi')
      const hmi = asActor(user)
      const elv = await ctx.services.visits.create(system, { authority, term: TERM, visitDay1: '2027-02-02', visitDay2: '2027-02-03' })
      await ctx.services.team.add(system, elv.id, { email: hmi.email, lead: true })
      const fa = await ctx.services.focusAreas.propose(system, elv.id, { title: 'Attendance and exclusions', description: 'x', source: 'authority_priority' })
      const evidence: number[] = []
      for (const [kind, source] of [['meeting_note', 'Director'], ['data', 'Data unit'], ['authority_document', 'Authority']] as const) {
        evidence.push((await ctx.services.evidence.create(hmi, elv.id, { kind, title: `${kind} ${source}`, body: 'Notes', source, focusAreaIds: [fa.id] })).id)
      }
      const finding = await ctx.services.findings.create(hmi, elv.id, { focusAreaId: fa.id, kind: 'working_well', text: 'Attendance is improving.', evidenceIds: evidence })
      return { browser, hmi, elv, fa, finding, url: `/elvs/${elv.id}/letter` }
    }

    it('builds the letter from the tab and shows each section with its Welsh and English side by side', async () => {
      const { browser, elv, fa, finding, url } = await visit('W06000001')
      const empty = await browser.get(url)
      expect(empty.statusCode).toBe(200)
      expect(h1Count(empty.body)).toBe(1)
      expect(textOf(empty.body)).toContain('There is no letter yet.')
      expect(empty.body).toContain('Build the letter from the findings')

      const built = await browser.post(url, {})
      expect(built.statusCode).toBe(303)
      expect(built.headers.location).toBe(url)
      const page = await browser.get(url)
      expect(page.statusCode).toBe(200)
      expect(h1Count(page.body)).toBe(1)
      const text = textOf(page.body)
      expect(text).toContain('Letter built from the findings')
      expect(text).toContain('Draft')
      expect(text).toContain('Feedback from the enhanced link inspector visit: Isle of Anglesey')
      // Real headings: the focus area, then its two parts below it.
      expect(page.body).toMatch(/<h3 class="govuk-heading-m[^"]*"[^>]*>Attendance and exclusions<\/h3>/)
      expect(page.body).toMatch(/<h4 class="govuk-heading-s[^"]*"[^>]*>What is working well<\/h4>/)
      expect(page.body).toMatch(/<h4 class="govuk-heading-s[^"]*"[^>]*>Considerations for improvement<\/h4>/)
      // Welsh first in every row; the greeting in both languages.
      const cyAt = page.body.indexOf('<p class="govuk-body govuk-!-margin-bottom-2 app-wrap" lang="cy">Annwyl')
      const enAt = page.body.indexOf('<p class="govuk-body govuk-!-margin-bottom-2 app-wrap" lang="en">Dear')
      expect(cyAt).toBeGreaterThan(0)
      expect(enAt).toBeGreaterThan(cyAt)
      expect(page.body).toContain('<div class="govuk-grid-column-one-half">')
      // The finding's bullet, its Welsh still to come, and a link to the finding behind it.
      expect(page.body).toContain('<li class="app-wrap">Attendance is improving.</li>')
      expect(text).toContain('Welsh needs updating')
      expect(text).toContain('Translation up to date')
      expect(page.body).toContain(`href="/elvs/${elv.id}/findings#finding-${finding.id}">finding ${finding.id}</a>`)
      expect(page.body).toContain(`href="/elvs/${elv.id}/letter/sections/focus%3A${fa.id}%3Aworking_well">Edit section<span class="govuk-visually-hidden">: What is working well</span></a>`)
      expect(text).toContain('Rebuild the letter')

      // Rebuilding from the tab replaces edited sections only when asked.
      await ctx.services.letters.updateSection(await adminActor(), elv.id, 'purpose', { version: 1, heading: { en: 'Our purpose', cy: 'Ein diben' } })
      expect((await postForm(browser, url, [['version', '2']])).statusCode).toBe(303)
      expect(textOf((await browser.get(url)).body)).toContain('Our purpose')
      expect((await postForm(browser, url, [['version', '3'], ['replaceEdited', 'yes']])).statusCode).toBe(303)
      const replaced = await browser.get(url)
      expect(textOf(replaced.body)).toContain('Letter rebuilt from the findings')
      expect(textOf(replaced.body)).not.toContain('Our purpose')
      // A stale rebuild is refused on the page, with the reason.
      const stale = await postForm(browser, url, [['version', '1']])
      expect(stale.statusCode).toBe(409)
      expect(summaryErrors(stale.body)).toHaveLength(1)
      expect(textOf(stale.body)).toContain('Rebuild the letter')
    })

    async function adminActor() {
      return asActor(await ctx.make.user('admin'))
    }

    it('edits a section side by side: saves, keeps markup as text, refuses a stale version keeping the input, adds a paragraph', async () => {
      const { browser, elv, fa, url } = await visit('W06000002')
      await browser.post(url, {})
      const key = `focus:${fa.id}:working_well`
      const edit = `/elvs/${elv.id}/letter/sections/${encodeURIComponent(key)}`
      const form = await browser.get(edit)
      expect(form.statusCode).toBe(200)
      expect(h1Count(form.body)).toBe(1)
      expect(fieldValue(form.body, 'paragraphs-0-en')).toBe('Attendance is improving.')
      expect(fieldValue(form.body, 'paragraphs-0-cy')).toBe('')
      expect(fieldValue(form.body, 'heading-cy')).toBe('Beth sy’n gweithio’n dda')
      // Welsh first, each field labelled, the language marked on the field.
      expect(form.body.indexOf('id="paragraphs-0-cy"')).toBeLessThan(form.body.indexOf('id="paragraphs-0-en"'))
      expect(form.body).toMatch(/<label class="govuk-label" for="paragraphs-0-cy">\s*Paragraph 1 in Welsh\s*<\/label>/)
      expect(form.body).toMatch(/<textarea class="govuk-textarea" id="paragraphs-0-cy" name="paragraphs-0-cy"[^>]*\slang="cy"[^>]*>/)
      // One blank row to add a paragraph.
      expect(form.body).toContain('id="paragraphs-1-en"')
      const id = /name="paragraphs-0-id" value="(\d+)"/.exec(form.body)![1]!

      const markup = '<script>alert(1)</script> Attendance is <b>improving</b>.'
      const saved = await postForm(browser, edit, [
        ['version', '1'], ['heading-cy', 'Beth sy’n gweithio’n dda'], ['heading-en', 'What is working well'],
        ['paragraphs-0-id', id], ['paragraphs-0-style', 'bullet'], ['paragraphs-0-cy', 'Mae presenoldeb yn gwella.'], ['paragraphs-0-en', markup],
        ['paragraphs-1-style', 'bullet'], ['paragraphs-1-cy', ''], ['paragraphs-1-en', ''],
      ])
      expect(saved.statusCode).toBe(303)
      expect(saved.headers.location).toMatch(new RegExp(`^/elvs/${elv.id}/letter#section-\\d+$`))
      const page = await browser.get(url)
      expect(textOf(page.body)).toContain('Section saved: What is working well')
      expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Attendance is &lt;b&gt;improving&lt;/b&gt;.')
      expect(page.body).not.toContain('<script>alert(1)')
      expect(page.body).not.toContain('<b>improving</b>')
      const model = await ctx.services.letters.model(await adminActor(), elv.id)
      const part = model.sections.find((s) => s.key === key)!
      expect(part.paragraphs.map((p) => p.text)).toEqual([{ en: markup, cy: 'Mae presenoldeb yn gwella.' }])
      expect(part.translation).toEqual({ original: null, current: true })
      const again = await browser.get(edit)
      expect(again.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')

      // Someone else saves first: refused, the saved text shown, the input kept, the form on the new version.
      await ctx.services.letters.updateSection(await adminActor(), elv.id, key, { version: 2, paragraphs: [{ id: Number(id), en: 'Their words.' }] })
      const stale = await postForm(browser, edit, [
        ['version', '2'], ['heading-cy', 'Beth sy’n gweithio’n dda'], ['heading-en', 'What is working well'],
        ['paragraphs-0-id', id], ['paragraphs-0-style', 'bullet'], ['paragraphs-0-cy', 'Fy ngeiriau.'], ['paragraphs-0-en', 'My words.'],
      ])
      expect(stale.statusCode).toBe(409)
      expect(summaryErrors(stale.body)).toHaveLength(1)
      expect(textOf(stale.body)).toContain('Someone else saved this letter after you opened it.')
      expect(textOf(stale.body)).toContain('Their words.')
      expect(fieldValue(stale.body, 'paragraphs-0-en')).toBe('My words.')
      expect(/name="version" value="(\d+)"/.exec(stale.body)![1]).toBe('3')

      // A mistake is shown on its field, with everything typed kept.
      const invalid = await postForm(browser, edit, [
        ['version', '3'], ['heading-cy', 'Pennawd'], ['heading-en', 'Heading'],
        ['paragraphs-0-id', id], ['paragraphs-0-style', 'bullet'], ['paragraphs-0-cy', 'Cloch\u0007'], ['paragraphs-0-en', 'x'.repeat(5001)],
      ])
      expect(invalid.statusCode).toBe(400)
      expect(summaryErrors(invalid.body)).toEqual([
        'Paragraph 1: the Welsh text contains characters that cannot be printed',
        'Paragraph 1: the English text must be 5000 characters or fewer',
      ])
      expect(invalid.body).toContain('href="#paragraphs-0-cy"')
      expect(fieldValue(invalid.body, 'heading-en')).toBe('Heading')

      // "Add another paragraph" shows one more blank row and saves nothing.
      const added = await postForm(browser, edit, [
        ['version', '3'], ['heading-cy', 'Pennawd'], ['heading-en', 'Heading'], ['action', 'add'],
        ['paragraphs-0-id', id], ['paragraphs-0-style', 'bullet'], ['paragraphs-0-cy', 'Un'], ['paragraphs-0-en', 'One'],
      ])
      expect(added.statusCode).toBe(200)
      expect(fieldValue(added.body, 'paragraphs-0-en')).toBe('One')
      expect(added.body).toContain('id="paragraphs-1-en"')
      expect((await ctx.services.letters.model(await adminActor(), elv.id)).version).toBe(3)

      // Remove one paragraph, add another in English only, and say nothing about the Welsh.
      const removed = await postForm(browser, edit, [
        ['version', '3'], ['heading-cy', 'Beth sy’n gweithio’n dda'], ['heading-en', 'What is working well'],
        ['paragraphs-0-id', id], ['paragraphs-0-style', 'bullet'], ['paragraphs-0-cy', 'x'], ['paragraphs-0-en', 'x'], ['paragraphs-0-remove', 'yes'],
        ['paragraphs-1-style', 'text'], ['paragraphs-1-cy', ''], ['paragraphs-1-en', 'A new paragraph.'],
      ])
      expect(removed.statusCode).toBe(303)
      const after = (await ctx.services.letters.model(await adminActor(), elv.id)).sections.find((s) => s.key === key)!
      expect(after.paragraphs.map((p) => [p.style, p.text.en, p.text.cy])).toEqual([['text', 'A new paragraph.', '']])
      expect(after.translation).toEqual({ original: 'en', current: false })
      expect(textOf((await browser.get(url)).body)).toContain('Welsh needs updating')
    })

    it('lists the writing checks’ problems by section and paragraph, each linking to its edit page', async () => {
      const { browser, elv, fa, url } = await visit('W06000003')
      await browser.post(url, {})
      const model = await ctx.services.letters.model(await adminActor(), elv.id)
      const part = model.sections.find((s) => s.key === `focus:${fa.id}:working_well`)!
      const restore = fakeChecks(async (m) => {
        expect(m.id).toBe(model.id)
        return [{ rule: 'grade-word', message: 'Avoid “excellent”: it reads as a grade', section: part.id, paragraph: part.paragraphs[0]!.id, lang: 'en' }]
      })
      try {
        const page = await browser.get(url)
        const text = textOf(page.body)
        expect(text).toContain('Writing checks')
        expect(text).toContain('Paragraph 1 (English): Avoid “excellent”: it reads as a grade')
        expect(page.body).toContain(`href="/elvs/${elv.id}/letter/sections/focus%3A${fa.id}%3Aworking_well#paragraph-1">Paragraph 1</a>`)
      } finally {
        restore()
      }
      const restoreBroken = fakeChecks(async () => { throw new Error('rules unreadable') })
      try {
        const page = await browser.get(url)
        expect(page.statusCode).toBe(200)
        expect(textOf(page.body)).toContain('The writing checks could not run just now.')
      } finally {
        restoreBroken()
      }
    })

    it('shows the authority nothing of a draft letter, and inspectorate readers no forms', async () => {
      const { browser, elv, fa, url } = await visit('W06000004')
      await browser.post(url, {})
      const edit = `/elvs/${elv.id}/letter/sections/${encodeURIComponent(`focus:${fa.id}:working_well`)}`
      const { browser: la } = await ctx.signedIn('la', { authority: 'W06000004' })
      expect((await la.get(url)).statusCode).toBe(404)
      expect((await la.get(edit)).statusCode).toBe(404)
      expect((await la.get(`/elvs/${elv.id}`)).body).not.toContain(`href="${url}"`)

      const { browser: reviewer } = await ctx.signedIn('reviewer')
      const read = await reviewer.get(url)
      expect(read.statusCode).toBe(200)
      expect(read.body).not.toContain('Edit section<')
      expect(read.body).not.toContain('Rebuild the letter')
      const section = await reviewer.get(edit)
      expect(section.statusCode).toBe(200)
      expect(textOf(section.body)).toContain('You can read this section but not change it.')
      expect(section.body).not.toContain('<textarea')
      expect((await reviewer.post(url, {}, { from: url })).statusCode).toBe(403)

      // Issued: read-only for everyone; the authority may read it, without the inspectorate's links.
      await setLetterState(elv.id, 'issued')
      const issued = await la.get(url)
      expect(issued.statusCode).toBe(200)
      expect(issued.body).not.toContain('/findings#finding-')
      expect(textOf(issued.body)).not.toContain('Writing checks')
      expect((await browser.get(edit)).body).not.toContain('<textarea')
      expect((await ctx.app.inject({ method: 'GET', url: `/elvs/${elv.id}/letter/sections/not%20a%20key`, headers: { cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } })).statusCode).toBe(404)
    })
  })
}

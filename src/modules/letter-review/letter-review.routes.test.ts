import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { PASSWORD, useTestApp, type Browser } from '../../../test/helpers/test-app.ts'
import { fixedClock } from '../../clock.ts'
import { addInsecureFinding, asActor, editParagraph, reviewFixture } from './letter-review.fixtures.ts'
import { systemActor } from '../auth/actor.ts'

/** The text of the error summary's links, in order. */
function summaryErrors(html: string): string[] {
  const summary = /govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? ''
  return [...summary.matchAll(/<a href="([^"]*)">([^<]*)<\/a>/g)].map((m) => `${m[1]} ${m[2]!.trim()}`)
}
const h1Count = (html: string) => (html.match(/<h1[\s>]/g) ?? []).length
const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/&#39;/g, '’').replace(/\s+/g, ' ')

for (const engine of testEngines()) {
  describe(`letter review pages on ${engine.name}`, () => {
    const ctx = useTestApp(engine, { clock: fixedClock('2027-03-01T09:00:00.000Z') })
    const make = (role: Parameters<typeof ctx.make.user>[0], opts?: { authority?: string }) => ctx.make.user(role, opts)
    const signInAs = async (email: string): Promise<Browser> => {
      const browser = ctx.browser()
      expect((await browser.signIn(email, PASSWORD)).statusCode).toBe(303)
      return browser
    }

    it('takes a letter round the loop through its forms, in pages with one h1', async () => {
      const f = await reviewFixture(ctx.services, make, 'W06000015')
      const review = `/elvs/${f.elvId}/letter/review`
      const lead = await signInAs(f.lead.email)
      const page = await lead.get(review)
      expect(page.statusCode).toBe(200)
      expect(h1Count(page.body)).toBe(1)
      expect(page.body).toContain('Submit for quality assurance')
      expect(page.body).toContain('lang="cy">Mae presenoldeb yn gwella mewn ysgolion uwchradd.</p>')
      expect(page.body).not.toContain('Return with comments')
      expect(page.body).not.toContain('name="body"')

      const submitted = await lead.post(`/elvs/${f.elvId}/letter/submit`, { version: '1' }, { from: review })
      expect(submitted.statusCode).toBe(303)
      expect(submitted.headers.location).toBe(review)
      expect(textOf((await lead.get(review)).body)).toContain('Letter submitted for quality assurance')

      const { browser: reviewer, user } = await ctx.signedIn('reviewer')
      const inReview = await reviewer.get(review)
      // The reviewer sees the writing checks' list, as the team does (the fixture's words pass them).
      expect(inReview.body).toContain('Writing checks')
      expect(inReview.body).toContain('The writing checks find no problems.')
      expect(inReview.body).toContain('Return with comments')
      expect(inReview.body).toContain('Approve letter')
      const [paragraph] = f.paragraphs.opening!
      expect(inReview.body).toContain(`id="comment-p-${paragraph}"`)

      // A return with nothing to say is refused on the same page, the problem linked to the box.
      const empty = await reviewer.post(`/elvs/${f.elvId}/letter/return`, { version: '2', comments: ' ' }, { from: review })
      expect(empty.statusCode).toBe(400)
      expect(summaryErrors(empty.body)).toEqual(['#return-comments Enter comments for the team saying what needs to change'])
      expect(h1Count(empty.body)).toBe(1)

      const commented = await reviewer.post(`/elvs/${f.elvId}/letter/comments`, { version: '2', sectionKey: 'opening', paragraphId: String(paragraph), body: 'Use the <b>director’s</b> name' }, { from: review })
      expect(commented.statusCode).toBe(303)
      expect(commented.headers.location).toMatch(new RegExp(`^${review}#comment-\\d+$`))
      const withComment = await reviewer.get(review)
      expect(withComment.body).toContain('Use the &lt;b&gt;director’s&lt;/b&gt; name')
      expect(withComment.body).toContain(user.name)

      const blank = await reviewer.post(`/elvs/${f.elvId}/letter/comments`, { version: '2', paragraphId: String(paragraph), body: '' }, { from: review })
      expect(blank.statusCode).toBe(400)
      expect(summaryErrors(blank.body)).toEqual([`#comment-p-${paragraph} Enter your comment`])
      // The box that failed is open, so the reader lands on it.
      expect(blank.body).toMatch(new RegExp(`<details class="govuk-details[^"]*" open>[\\s\\S]*?id="comment-p-${paragraph}"`))

      // Someone saved first: nothing is lost, the box is open with what was typed.
      const late = await reviewer.post(`/elvs/${f.elvId}/letter/comments`, { version: '1', paragraphId: String(paragraph), body: 'Typed on an old page' }, { from: review })
      expect(late.statusCode).toBe(409)
      expect(summaryErrors(late.body)).toEqual([`#comment-p-${paragraph} Someone else changed this record after you opened it. Reload the page to see their changes, then make yours again`])
      expect(late.body).toContain('>Typed on an old page</textarea>')

      const returned = await reviewer.post(`/elvs/${f.elvId}/letter/return`, { version: '2', comments: 'Please name the schools.' }, { from: review })
      expect(returned.statusCode).toBe(303)
      expect((await ctx.services.letterReview.get(asActor(user), f.elvId)).state).toBe('draft')
      const back = await lead.get(review)
      expect(back.body).toContain('Please name the schools.')
      expect(back.body).toContain('Submit for quality assurance')
    })

    it('shows the reviewer the writing checks’ problems in the letter', async () => {
      await reviewFixture(ctx.services, make, 'W06000012', { improvement: 'The authority must set measurable targets.' })
      const elv = (await ctx.services.visits.list(systemActor('test'), { authority: 'W06000012' }))[0]!
      const { browser: reviewer } = await ctx.signedIn('reviewer')
      const page = await reviewer.get(`/elvs/${elv.id}/letter/review`)
      expect(page.body).toContain('suggests follow-up, but an ELV has no follow-up judgement or activity')
      expect(page.body).toContain(`/elvs/${elv.id}/letter#problems`)
    })

    it('shows what stops an action, and re-renders a refused one with its reasons', async () => {
      const f = await reviewFixture(ctx.services, make, 'W06000016')
      await addInsecureFinding(ctx.services, f, 'Exclusions remain high in a few schools')
      const review = `/elvs/${f.elvId}/letter/review`
      const lead = await signInAs(f.lead.email)
      const page = await lead.get(review)
      expect(textOf(page.body)).toContain('What stops this now: The finding “Exclusions remain high in a few schools”')
      expect(page.body).not.toContain('action="/elvs/' + f.elvId + '/letter/submit"')
      const refused = await lead.post(`/elvs/${f.elvId}/letter/submit`, { version: '1' }, { from: review })
      expect(refused.statusCode).toBe(409)
      expect(summaryErrors(refused.body)[0]).toMatch(/^#action-submit The finding “Exclusions remain high in a few schools”/)

      const stale = await lead.post(`/elvs/${f.elvId}/letter/submit`, { version: '7' }, { from: review })
      expect(stale.statusCode).toBe(409)
      expect(summaryErrors(stale.body)).toEqual(['#action-submit Someone else changed this record after you opened it. Reload the page to see their changes, then make yours again'])
    })

    it('compares two versions word by word, everything escaped, and in Welsh', async () => {
      const f = await reviewFixture(ctx.services, make, 'W06000018')
      const [p] = f.paragraphs[`focus:${f.focusAreas[0]!.id}`]!
      await editParagraph(ctx.services, f.letterId, p!, { en: 'Attendance is improving in <script>alert(1)</script> schools.' }, f.lead.id)
      const lead = await signInAs(f.lead.email)
      const res = await lead.get(`/elvs/${f.elvId}/letter/compare?from=1&to=2`)
      expect(res.statusCode).toBe(200)
      expect(h1Count(res.body)).toBe(1)
      expect(res.body).not.toContain('<script>alert(1)')
      expect(res.body).toContain('<del class="app-diff__del"><span class="govuk-visually-hidden">removed text: </span>secondary <span class="govuk-visually-hidden"> end of removed text. </span></del>')
      expect(res.body).toContain('<ins class="app-diff__ins"><span class="govuk-visually-hidden">added text: </span>&lt;script&gt;alert(1)&lt;/script&gt; <span class="govuk-visually-hidden"> end of added text. </span></ins>')
      expect(textOf(res.body)).toContain('Changes from version 1 to version 2')
      expect(textOf(res.body)).toContain('1 section changed.')

      const missing = await lead.get(`/elvs/${f.elvId}/letter/compare?from=1&to=9`)
      expect(missing.statusCode).toBe(400)
      expect(summaryErrors(missing.body)).toEqual(['#to There is no version 9 of this letter'])

      await lead.get('/language/cy')
      const welsh = await lead.get(`/elvs/${f.elvId}/letter/compare?from=1&to=2`)
      expect(welsh.body).toContain('<html lang="cy"')
      expect(textOf(welsh.body)).toContain('Newidiadau o fersiwn 1 i fersiwn 2')
      expect(welsh.body).toContain('testun a ychwanegwyd:')
      const reviewCy = await lead.get(`/elvs/${f.elvId}/letter/review`)
      expect(textOf(reviewCy.body)).toContain('Cyflwyno ar gyfer sicrhau ansawdd')
    })

    it('hides the review from the authority and lists letters in review for reviewers only', async () => {
      const f = await reviewFixture(ctx.services, make, 'W06000019')
      const { browser: la } = await ctx.signedIn('la', { authority: 'W06000019' })
      expect((await la.get(`/elvs/${f.elvId}/letter/review`)).statusCode).toBe(404)
      expect((await la.get(`/elvs/${f.elvId}/letter/compare`)).statusCode).toBe(404)
      expect((await la.get('/letters/review')).statusCode).toBe(403)

      const { browser: outsider } = await ctx.signedIn('hmi')
      const readOnly = await outsider.get(`/elvs/${f.elvId}/letter/review`)
      expect(readOnly.statusCode).toBe(200)
      expect(readOnly.body).toContain('There is nothing for you to do with this letter now.')
      expect((await outsider.post(`/elvs/${f.elvId}/letter/submit`, { version: '1' }, { from: `/elvs/${f.elvId}/letter/review` })).statusCode).toBe(403)
      expect((await outsider.get('/letters/review')).statusCode).toBe(403)

      await ctx.services.letterReview.submit(f.lead, f.elvId, { version: 1 })
      const { browser: reviewer } = await ctx.signedIn('reviewer')
      const queue = await reviewer.get('/letters/review')
      expect(queue.statusCode).toBe(200)
      expect(h1Count(queue.body)).toBe(1)
      expect(queue.body).toContain(`href="/elvs/${f.elvId}/letter/review"`)
      expect(queue.body).toContain(f.lead.name)
    })
  })
}

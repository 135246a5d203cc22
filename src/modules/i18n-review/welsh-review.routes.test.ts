import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp } from '../../../test/helpers/test-app.ts'

const keyRows = (html: string) => [...html.matchAll(/<th scope="row" class="govuk-table__header"><code>([^<]+)<\/code><\/th>/g)].map((m) => m[1])

for (const engine of testEngines()) {
  describe(`Welsh review page on ${engine.name}`, () => {
    const ctx = useTestApp(engine)

    it('lists every Welsh string awaiting review with its English, and counts them', async () => {
      const { browser } = await ctx.signedIn('admin')
      const res = await browser.get('/admin/welsh-review')
      expect(res.statusCode).toBe(200)
      const needsReview = [...ctx.services.i18n.catalogue('cy').needsReview].sort()
      expect(needsReview.length).toBeGreaterThan(1)
      expect(res.body).toContain('<h1 class="govuk-heading-l">Welsh awaiting review</h1>')
      expect(res.body).toContain(`${needsReview.length} Welsh strings are awaiting review.`)
      expect(res.body).toContain('<caption class="govuk-table__caption govuk-table__caption--m">Strings awaiting review</caption>')
      expect(keyRows(res.body)).toEqual(needsReview)
      expect(res.body).toContain('<td class="govuk-table__cell" lang="en">Sign in to Cyswllt</td>')
      expect(res.body).toContain('<td class="govuk-table__cell" lang="cy">Mewngofnodi i Cyswllt</td>')
    })

    it('narrows the list to a key prefix, keeping the prefix in the form', async () => {
      const { browser } = await ctx.signedIn('reviewer')
      const res = await browser.get('/admin/welsh-review?prefix=auth.')
      expect(res.statusCode).toBe(200)
      const expected = [...ctx.services.i18n.catalogue('cy').needsReview].filter((k) => k.startsWith('auth.')).sort()
      expect(expected.length).toBeGreaterThan(1)
      expect(keyRows(res.body)).toEqual(expected)
      expect(res.body).toContain(`${expected.length} of them have keys starting with “auth.”.`)
      expect(res.body).toMatch(/<input[^>]+name="prefix"[^>]+value="auth\."/)
      const none = await browser.get('/admin/welsh-review?prefix=no.such.key')
      expect(keyRows(none.body)).toEqual([])
      expect(none.body).toContain('No Welsh strings awaiting review match.')
    })

    it('speaks Welsh plurals to a Welsh reader', async () => {
      const { browser } = await ctx.signedIn('reviewer')
      await browser.get('/language/cy?back=%2F')
      const res = await browser.get('/admin/welsh-review?prefix=no.such.key')
      expect(res.body).toContain('Nid oes gan yr un ohonynt allwedd sy’n dechrau gyda “no.such.key”.')
      const two = await browser.get('/admin/welsh-review?prefix=auth.signIn.e')
      expect(keyRows(two.body)).toEqual(['auth.signIn.email', 'auth.signIn.emailMissing'])
      expect(two.body).toContain('Mae gan ddau ohonynt allweddi sy’n dechrau gyda “auth.signIn.e”.')
    })

    it('is for administrators and reviewers only, and linked from their home page', async () => {
      for (const role of ['admin', 'reviewer'] as const) {
        const { browser } = await ctx.signedIn(role)
        expect((await browser.get('/')).body).toContain('href="/admin/welsh-review"')
      }
      for (const role of ['hmi', 'peer', 'la'] as const) {
        const { browser } = await ctx.signedIn(role)
        const res = await browser.get('/admin/welsh-review')
        expect(res.statusCode).toBe(403)
        expect(res.body).not.toContain('Strings awaiting review')
        expect((await browser.get('/')).body).not.toContain('href="/admin/welsh-review"')
      }
      expect((await ctx.browser().get('/admin/welsh-review')).statusCode).toBe(302)
    })
  })
}

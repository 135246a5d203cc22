import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp } from '../../../test/helpers/test-app.ts'
import { fixedClock } from '../../clock.ts'
import { DEMO_DOMAIN, seedDemo } from '../../demo/seed.ts'

// The demo's four fictional core inspections of 2023-2024 make its Early Insights page.
for (const engine of testEngines()) {
  describe(`the demo's Early Insights on ${engine.name}`, () => {
    const ctx = useTestApp(engine, { clock: fixedClock('2026-12-10T10:00:00.000Z') })

    it('shows the summary of the four 2023-2024 core inspections to the demo reviewer, who may publish it', async () => {
      const { accounts } = await seedDemo(ctx.services)
      const reviewer = accounts.find((a) => a.role === 'reviewer')!
      expect(reviewer.email.endsWith(`@${DEMO_DOMAIN}`)).toBe(true)
      const summary = await ctx.services.insights.summary('2023-2024', 'en')
      expect(summary).toMatchObject({ authoritiesInspected: 4, message: null })
      expect(summary.recommendations[0]!.sentence).toBe('All four local authorities received a recommendation focused on self-evaluation and improvement planning.')

      const browser = ctx.browser()
      expect((await browser.signIn(reviewer.email, reviewer.password!)).statusCode).toBe(303)
      const list = await browser.get('/insights')
      expect(list.body).toMatch(/<input[^>]*name="year"[^>]*value="2023-2024"/)
      const page = await browser.get('/insights/2023-2024')
      expect(page.statusCode).toBe(200)
      expect(page.body).toContain('Four local government education services were inspected during 2023-2024.')
      expect(page.body).toMatch(/>\s*Publish\s*<\/button>/)
    })
  })
}

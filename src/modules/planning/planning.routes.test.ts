import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { ADMIN_EMAIL, ADMIN_PASSWORD, csrfTokenIn, useTestApp, type Browser, type TestContext } from '../../../test/helpers/test-app.ts'
import { fixedClock } from '../../clock.ts'
import type { AppUser } from '../../db/schema.ts'
import { systemActor } from '../auth/actor.ts'
import type { PlannedVisit } from './plan.types.ts'
import { planningRepository } from './planning.repository.ts'

const system = systemActor('test')

/** The text of the error summary's links, in order. */
function summaryErrors(html: string): string[] {
  const summary = /govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? ''
  return [...summary.matchAll(/<a href="[^"]*">([^<]*)<\/a>/g)].map((m) => m[1]!.trim().replace(/&#39;|&rsquo;/g, '’'))
}
const h1Count = (html: string) => (html.match(/<h1[\s>]/g) ?? []).length
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, '’').replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\s+/g, ' ')

/** Posts a form with a field given several times (checkboxes), as a browser does. */
async function postMany(ctx: TestContext, browser: Browser, url: string, from: string, fields: Array<[string, string]>) {
  const token = csrfTokenIn((await browser.get(from)).body)
  const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  const res = await ctx.app.inject({
    method: 'POST', url, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams([...fields, ['_csrf', token]]).toString(),
  })
  // Keep what a browser would (the flash message for the next page).
  for (const c of res.cookies) if (c.value) browser.cookies.set(c.name, c.value)
  return res
}

async function proposalOf(ctx: TestContext, visits: PlannedVisit[]): Promise<number> {
  const programme = await ctx.services.programme.current()
  const basis = programme.elvs.filter((e) => e.state === 'planned')
    .map((e) => ({ elvId: e.elvId, gssCode: e.gssCode, ordinal: e.ordinal, term: e.term, version: e.version }))
  return planningRepository(ctx.services.database.db).insertProposal({
    cycle: programme.cycle, input: programme.input, basis, createdBy: null,
    output: { status: 'optimal', visits, load: { maxElvsInATerm: 2, maxElvsPerInspector: 1 }, conflicts: [], solver: { seconds: 0.4, bounds: { maxElvsInATerm: 2, maxElvsPerInspector: 1 }, gap: 0 } },
  }, ctx.services.clock.nowIso())
}

for (const engine of testEngines()) {
  describe(`programme pages on ${engine.name}`, { timeout: 120_000 }, () => {
    const clock = fixedClock('2025-10-01T09:00:00.000Z')
    const ctx = useTestApp(engine, { clock })
    const adminBrowser = async (lang?: 'cy'): Promise<Browser> => {
      const browser = ctx.browser()
      expect((await browser.signIn(ADMIN_EMAIL, ADMIN_PASSWORD)).statusCode).toBe(303)
      if (lang) await browser.get(`/language/${lang}?back=/`)
      return browser
    }
    const hmis: AppUser[] = []
    const inspectors = async () => {
      for (let i = hmis.length; i < 6; i++) hmis.push(await ctx.make.user('hmi', { name: `Arolygydd ${i + 1}` }))
      return hmis
    }
    const visit = (gssCode: string, ordinal: number, term: string, team: AppUser[]): PlannedVisit =>
      ({ gssCode, ordinal, term, notifyBy: '2026-09-01', lead: String(team[0]!.id), team: team.map((u) => String(u.id)) })

    it('shows the programme to admins, reviewers and HMIs, not to peer inspectors or authorities', async () => {
      for (const role of ['la', 'peer'] as const) {
        const { browser } = await ctx.signedIn(role)
        expect((await browser.get('/programme')).statusCode).toBe(403)
        expect((await browser.get('/')).body).not.toContain('href="/programme"')
      }
      const { browser: hmi } = await ctx.signedIn('hmi')
      const page = await hmi.get('/programme')
      expect(page.statusCode).toBe(200)
      expect(page.body).toContain('class="govuk-service-navigation__link" href="/programme"')
      expect(page.body).not.toContain('Propose a plan')
      expect((await hmi.post('/programme/proposals', {}, { from: '/programme' })).statusCode).toBe(403)
      expect((await ctx.browser().get('/programme')).headers.location).toBe('/sign-in?next=%2Fprogramme')
    })

    it('draws the grid: authorities by terms, core inspections, ELVs with their notice date, the load, marks and breaches', async () => {
      const framework = await ctx.services.database.db.selectFrom('framework').select('key').executeTakeFirstOrThrow()
      await ctx.services.database.db.insertInto('core_inspection').values({
        authority_code: 'W06000008', academic_year: '2026-2027', framework_key: framework.key, starts_on: '2026-10-05', ends_on: '2026-10-09',
        report_url: null, created_at: clock.nowIso(),
      }).execute()
      await ctx.services.database.db.updateTable('local_authority').set({ welsh_medium: 1 }).where('gss_code', '=', 'W06000008').execute()
      const elv = await ctx.services.visits.create(system, { authority: 'W06000008', term: '2027-2028/autumn' })
      const browser = await adminBrowser()
      const page = await browser.get('/programme')
      expect(page.statusCode).toBe(200)
      expect(h1Count(page.body)).toBe(1)
      expect(page.body).toContain('role="region" aria-labelledby="programme-caption" tabindex="0"')
      expect(page.body).toContain('<colgroup span="3"></colgroup>')
      const row = /<tr class="govuk-table__row" id="authority-W06000008">([\s\S]*?)<\/tr>/.exec(page.body)![1]!
      expect(text(row)).toContain('Ceredigion Welsh-medium No link inspector')
      expect(text(row)).toContain('Core inspection')
      expect(text(row)).toContain('ELV 1 Planned Notify by 12 April 2027 Move Ceredigion ELV 1 to another term')
      expect(row).toContain(`href="/elvs/${elv.id}"`)
      expect(row).toContain(`href="/elvs/${elv.id}/move"`)
      // Autumn 2027 is three terms after the core inspection of autumn 2026: clear of it. The second ELV is missing.
      expect(text(row)).toContain('1 ELV still to plan')
      expect(text(page.body)).not.toContain('ELVs in the cycle but needs')
      expect(text(page.body)).toContain('Current term')
      expect(text(page.body)).toContain('First plannable term')
      expect(text(page.body)).toMatch(/ELVs in the term 0 of 4/)
      expect(text(page.body)).toContain('The current term is Autumn 2025-2026.')
      expect(page.body).toContain('<script type="module" src="/static/programme.js"></script>')
      expect((await browser.get('/static/programme.js')).statusCode).toBe(200)
      expect((await browser.get('/static/programme.css')).statusCode).toBe(200)

      const welsh = await (await adminBrowser('cy')).get('/programme')
      expect(text(welsh.body)).toContain('Rhaglen 2024-2030')
      expect(text(welsh.body)).toContain('Ymweliad 1 Wedi’i gynllunio Hysbysu erbyn 12 Ebrill 2027')
      expect(text(welsh.body)).toContain('Cyfrwng Cymraeg')
    })

    it('proposes a plan from the button and shows it; the proposal page is for admins only', async () => {
      await inspectors()
      const browser = await adminBrowser()
      const res = await browser.post('/programme/proposals', {}, { from: '/programme' })
      expect(res.statusCode).toBe(303)
      expect(res.headers.location).toMatch(/^\/programme\/proposals\/\d+$/)
      const page = await browser.get(res.headers.location as string)
      expect(page.statusCode).toBe(200)
      expect(h1Count(page.body)).toBe(1)
      expect(text(page.body)).toMatch(/The planner has made proposal \d+/)
      // Six inspectors cannot staff every authority's ELVs with teams of three.
      expect(text(page.body)).toContain('No plan keeps every rule')
      expect(text(page.body)).toContain('Why there is no plan')
      expect(page.body).toContain('id="conflicts"')
      const { browser: hmi } = await ctx.signedIn('hmi')
      expect((await hmi.get(res.headers.location as string)).statusCode).toBe(403)
      expect((await browser.get('/programme/proposals/99999')).statusCode).toBe(404)
    })

    it('shows a proposal side by side, accepts the visits ticked, and keeps the choice when refused', async () => {
      const [a, b, c, d, e, f] = await inspectors()
      const elv = await ctx.services.visits.create(system, { authority: 'W06000001', term: '2026-2027/autumn' })
      const id = await proposalOf(ctx, [
        visit('W06000001', 1, '2026-2027/spring', [a!, b!, c!]),
        visit('W06000002', 1, '2026-2027/spring', [d!, e!, f!]),
        visit('W06000003', 1, '2026-2027/summer', [a!, b!, c!]),
      ])
      const browser = await adminBrowser()
      const url = `/programme/proposals/${id}`
      const page = await browser.get(url)
      expect(page.statusCode).toBe(200)
      expect(text(page.body)).toContain('Proven optimal')
      expect(page.body).toContain('aria-labelledby="proposal-caption"')
      const rows = page.body.split('<tr class="govuk-table__row" id="visit-').slice(1)
      expect(rows).toHaveLength(3)
      expect(text(rows[0]!)).toContain('Isle of Anglesey ELV 1')
      expect(text(rows[0]!)).toContain('Autumn 2026-2027 Planned')
      expect(text(rows[0]!)).toContain('Spring 2026-2027')
      expect(text(rows[0]!)).toContain(`${a!.name} (lead), ${b!.name}, ${c!.name}`)
      expect(text(rows[1]!)).toContain('Not planned yet')
      expect(rows.every((r) => /value="W0600000\d:1" checked/.test(r))).toBe(true)
      expect(page.body).toContain('Accept Isle of Anglesey ELV 1')

      const none = await postMany(ctx, browser, `${url}/accept`, url, [])
      expect(none.statusCode).toBe(400)
      expect(summaryErrors(none.body)).toEqual(['Select at least one visit to accept'])
      expect(none.body).toContain('href="#proposal-visits"')

      // Someone changes Anglesey's ELV meanwhile: it can no longer be accepted, and the choice made is kept on the page.
      await ctx.services.team.add(system, elv.id, { email: a!.email })
      const stale = await postMany(ctx, browser, `${url}/accept`, url, [['visits', 'W06000001:1'], ['visits', 'W06000003:1']])
      expect(stale.statusCode).toBe(409)
      expect(summaryErrors(stale.body)).toEqual(['Isle of Anglesey’s ELV 1 has changed since this plan was made. Propose a new plan to include it.'])
      expect(stale.body).toMatch(/value="W06000003:1" checked/)
      expect(stale.body).not.toMatch(/value="W06000002:1" checked/)
      expect(stale.body).toMatch(/value="W06000001:1" disabled/)

      const ok = await postMany(ctx, browser, `${url}/accept`, url, [['visits', 'W06000002:1'], ['visits', 'W06000003:1']])
      expect(ok.statusCode).toBe(303)
      expect(ok.headers.location).toBe('/programme')
      expect(text((await browser.get('/programme')).body)).toContain('2 visits have been accepted into the programme.')
      const after = await browser.get(url)
      expect(text(after.body)).toContain('Accepted')
      expect((await ctx.services.programme.current()).elvs.filter((x) => ['W06000002', 'W06000003'].includes(x.gssCode)).map((x) => x.term))
        .toEqual(['2026-2027/spring', '2026-2027/summer'])
    })

    it('moves an ELV from its form; a breach is explained and a reason asked for, what was chosen kept', async () => {
      const elv = await ctx.services.visits.create(system, { authority: 'W06000004', term: '2027-2028/spring' })
      await ctx.services.visits.create(system, { authority: 'W06000004', term: '2029-2030/spring' })
      const browser = await adminBrowser()
      const url = `/elvs/${elv.id}/move`
      const form = await browser.get(url)
      expect(form.statusCode).toBe(200)
      expect(h1Count(form.body)).toBe(1)
      expect(text(form.body)).toContain('Move Denbighshire’s ELV 1')
      expect(text(form.body)).toContain('It is planned for Spring 2027-2028.')
      expect(form.body).toMatch(/<option value="2027-2028\/spring" selected>Spring 2027-2028 – 1 of 4 ELVs – now<\/option>/)
      expect((await browser.get(`/elvs/${elv.id}`)).body).toContain(`href="/elvs/${elv.id}/move"`)

      // Summer 2029 is two terms before the second ELV: too close.
      const refused = await browser.post(url, { term: '2028-2029/summer', version: String(elv.version), reason: '' })
      expect(refused.statusCode).toBe(409)
      expect(summaryErrors(refused.body)).toEqual([
        'Denbighshire’s ELVs in Summer 2028-2029 and Spring 2029-2030 are 2 terms apart; they must be at least 4 apart.',
        'Give a reason to make this change although it breaks a planning rule',
      ])
      expect(refused.body).toContain('id="move-breaches"')
      expect(refused.body).toMatch(/<option value="2028-2029\/summer" selected>/)
      expect(refused.body).toContain('govuk-textarea--error')
      expect((await ctx.services.visits.get(system, elv.id)).term_key).toBe('2027-2028/spring')

      const saved = await browser.post(url, { term: '2028-2029/summer', version: String(elv.version), reason: 'The director starts in April' })
      expect(saved.statusCode).toBe(303)
      expect(saved.headers.location).toBe('/programme#authority-W06000004')
      const programme = await browser.get('/programme')
      expect(text(programme.body)).toContain('Denbighshire’s ELV 1 has moved to Summer 2028-2029, with your reason recorded')
      expect(text(programme.body)).toMatch(/Denbighshire’s ELVs in Summer 2028-2029 and Spring 2029-2030 are 2 terms apart; they must be at least 4 apart\. Allowed by Administrator on \d+ \w+ 2025: “The director starts in April”/)

      // Once notified, the form says why it cannot move, and a post is refused.
      const now = await ctx.services.visits.get(system, elv.id)
      await ctx.services.visits.transition(system, elv.id, { to: 'notified', reason: 'Early' })
      const fixed = await browser.get(url)
      expect(text(fixed.body)).toContain('It cannot be moved: it is Notified.')
      expect(fixed.body).not.toContain('name="term"')
      const post = await browser.post(url, { term: '2028-2029/spring', version: String(now.version + 1), reason: 'x' }, { csrf: csrfTokenIn((await browser.get('/programme')).body) })
      expect(post.statusCode).toBe(409)
      const { browser: hmi } = await ctx.signedIn('hmi')
      expect((await hmi.get(url)).statusCode).toBe(403)
    })

    it('explains a team change that breaks a planning rule on the team page and saves it with a reason', async () => {
      const [a, b] = await inspectors()
      const busy = await ctx.services.visits.create(system, { authority: 'W06000005', term: '2028-2029/autumn' })
      await ctx.services.team.add(system, busy.id, { email: a!.email })
      const elv = await ctx.services.visits.create(system, { authority: 'W06000006', term: '2028-2029/autumn' })
      const browser = await adminBrowser()
      const url = `/elvs/${elv.id}/team`
      const refused = await browser.post(url, { userId: String(a!.id), lead: 'yes', version: String(elv.version) })
      expect(refused.statusCode).toBe(409)
      expect(summaryErrors(refused.body)[0]).toBe(`Inspector ${a!.name} has 2 ELVs in Autumn 2028-2029; their most is 1.`)
      expect(refused.body).toContain('id="planningReason"')
      expect(refused.body).toContain(`<input type="hidden" name="userId" value="${a!.id}">`)
      const saved = await browser.post(url, { userId: String(a!.id), lead: 'yes', version: String(elv.version), planningReason: 'Two days each, a week apart' })
      expect(saved.statusCode).toBe(303)
      expect((await ctx.services.programme.current()).elvs.find((x) => x.elvId === elv.id)?.team).toEqual([String(a!.id)])
      // Adding someone free that term needs no reason.
      expect((await browser.post(url, { userId: String(b!.id) })).statusCode).toBe(303)
    })
  })
}
